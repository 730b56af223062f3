"""An edit updates the chart and the Cycles table in place: exactly the items and rows it
changed are drawn again, the rest stay the very objects they were, and undo takes them back."""

from __future__ import annotations

from datetime import datetime

import pyqtgraph as pg

from analysis.model import Event
from desktop.commands import AddEventCommand


def _event_items(chart):
    return [item for _, item in chart.drawn_a.events]


def test_an_added_event_adds_its_items_and_undo_takes_them_back(window):
    chart, doc = window.chart, window.doc
    plot, track, overview = chart.plot, chart.track, chart.overview
    scatters, bands, lines = list(chart.drawn_a.scatters), chart.drawn_a.bands, list(chart.drawn_a.lines)
    before_items = list(plot.items)
    before_events = _event_items(chart)
    texts = list(chart.drawn_a.texts)
    handles = dict(chart.labels.handles)
    g_csf = Event("gcsf", "Filgrastim", datetime(2022, 10, 20))  # cycle 3: no role changes

    doc.push(AddEventCommand(doc, g_csf))
    # The same plots and the same heavy items: nothing but the event was drawn again.
    assert (chart.plot, chart.track, chart.overview) == (plot, track, overview)
    assert chart.drawn_a.scatters == scatters and chart.drawn_a.bands is bands and chart.drawn_a.lines == lines
    new_events = [i for i in _event_items(chart) if i not in before_events]
    assert len(new_events) == 1 and isinstance(new_events[0], pg.InfiniteLine)
    assert abs(new_events[0].value() - chart.to_days([g_csf.start])[0]) < 1e-6
    assert all(item in plot.items for item in new_events)
    new_texts = [t for t in chart.drawn_a.texts if t not in texts]
    labels = [t for t in doc.spec().panels[0].texts if t.kind == "event"]
    assert any("Filgrastim" in t.text for t in labels)
    assert len(new_texts) == 1  # its label; every other text is the item it was
    added = set(plot.items) - set(before_items)
    assert added == {*new_events, *new_texts}
    # The labels drawn before keep their handles (double-click, drag still reach them).
    assert all(chart.labels.handles.get(key) is handle for key, handle in handles.items())
    assert set(chart.labels.handles) - set(handles) == {t.id for t in labels if "Filgrastim" in t.text}

    window.undo_action.trigger()
    assert set(plot.items) == set(before_items)
    assert _event_items(chart) == before_events
    assert chart.drawn_a.scatters == scatters


def test_an_infection_redraws_the_roles_and_only_its_cycles_row(window):
    chart, doc, table = window.chart, window.doc, window.cycles.table
    scatters = list(chart.drawn_a.scatters)
    cells = [[table.item(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]
    texts = [[item.text() for item in row] for row in cells]
    k = next(i for i, c in enumerate(doc.case.cycles) if not c.infection and i > 0)
    draws = doc.case.cycles[k].draws
    day = draws[len(draws) // 2].time.replace(hour=0, minute=0)  # a day with a draw mid-cycle
    infection = Event("infection", "Otitis media", day)

    doc.push(AddEventCommand(doc, infection))
    assert doc.case.cycles[k].infection
    assert chart.drawn_a.scatters != scatters  # the draw on that day is now an infection draw
    roles = {s.role for s in chart.drawn_a.scatters}
    assert roles == {p.role for p in doc.spec().panels[0].points}
    assert "infection" in table.item(k, 7).text()
    changed = [r for r, row in enumerate(texts) if row != [table.item(r, c).text() for c in range(len(row))]]
    assert k in changed and len(changed) < len(texts) // 2
    for r, row in enumerate(cells):  # a row that reads as before is the cells it was
        if r not in changed:
            assert all(table.item(r, c) is item for c, item in enumerate(row)), r
    summary = doc.case.summary
    assert f"n = {summary.pre.n}" in window.cycles.summary.text()

    window.undo_action.trigger()
    assert "infection" not in table.item(k, 7).text()
    assert [s.role for s in chart.drawn_a.scatters] == [s.role for s in scatters]


def test_a_change_of_axes_builds_the_chart_anew(window):
    chart = window.chart
    plot = chart.plot
    window.axis_actions["dates"].trigger()
    assert chart.plot is not plot  # another x axis: new plots, drawn whole
    assert len(chart.drawn_a.bands.bands) == 6 and len(chart.infusion_lines) == 6
    again = chart.plot
    window.undo_action.trigger()
    assert chart.plot is not again and len(chart.drawn_a.scatters) == len(doc_points(window))


def doc_points(window):
    return window.doc.spec().panels[0].points


def test_an_infection_hides_the_moved_draws_in_the_groups_it_keeps(window):
    """The groups whose role and style an infection keeps are the same items with the moved
    draws hidden (not built again); what each group shows is exactly the spec's draws, a hidden
    draw is never the one under the mouse, and undo shows the draws again."""
    chart, doc = window.chart, window.doc
    before = {(s.role, s.filled): s for s in chart.drawn_a.scatters}
    k = next(i for i, c in enumerate(doc.case.cycles) if not c.infection and i > 0)
    draws = doc.case.cycles[k].draws
    day = draws[len(draws) // 2].time.replace(hour=0, minute=0)
    doc.push(AddEventCommand(doc, Event("infection", "Otitis media", day)))

    def shown(scatter):
        return [(spot.data(), spot.pos().x(), spot.pos().y()) for spot in scatter.points() if spot.isVisible()]

    def check():
        for scatter, pts in zip(chart.drawn_a.scatters, doc_points(window), strict=True):
            assert (scatter.role, scatter.filled) == (pts.role, pts.filled)
            assert shown(scatter) == list(zip(pts.keys, pts.x, pts.y, strict=True))

    check()
    now = {(s.role, s.filled): s for s in chart.drawn_a.scatters}
    kept = [key for key in before if now.get(key) is before[key]]
    hidden = [key for key in kept if now[key].shown_count() < len(now[key].data)]
    assert hidden, "no kept group hides the draws that became infection draws"
    moved = next(p for p in doc_points(window) if p.role == "infection")
    hit = chart.point_at(pg.Point(moved.x[0], moved.y[0]))
    assert hit is not None and hit[1] == "infection"

    window.undo_action.trigger()
    check()
    assert all(chart.drawn_a.scatters.count(before[key]) == 1 for key in hidden)
    assert all(before[key].shown_count() == len(before[key].data) for key in hidden)


def test_an_infection_that_changes_only_the_statistics_keeps_panel_b_and_sets_their_text(window):
    chart, doc = window.chart, window.doc
    plot_b, legend, stats = chart.plot_b, chart.legend, chart.stats
    spec_b = next(p for p in doc.spec().panels if p.kind != "timeline")
    shown = next(i for i, c in enumerate(doc.case.cycles) if f"Cycle {c.number}" in chart.plot_b.titleLabel.text)
    k = next(i for i, c in enumerate(doc.case.cycles) if not c.infection and i > 0 and i != shown)
    draws = doc.case.cycles[k].draws
    before = stats.text
    doc.push(AddEventCommand(doc, Event("infection", "Otitis media", draws[len(draws) // 2].time)))
    spec = doc.spec()
    assert next(p for p in spec.panels if p.kind != "timeline") == spec_b  # panel B is as it was
    assert chart.plot_b is plot_b and chart.legend is legend and chart.stats is stats
    lines = [t for t in spec.texts if t.kind == "stats"]
    assert stats.text == "<br>".join(t.text for t in lines) != before
    assert chart.labels.handles[lines[0].id].text == lines[0]  # a rewording starts from the new text
    window.undo_action.trigger()
    assert chart.plot_b is plot_b and stats.text == before
