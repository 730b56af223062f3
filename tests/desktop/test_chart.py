"""The chart draws the figure description: bands, infusions, roles, and the gestures on it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyqtgraph as pg
from PySide6.QtCore import Qt

from analysis.model import Event
from desktop.chart import items
from desktop.commands import AddEventCommand


def test_demo_shows_six_cycle_bands_and_six_infusions(window):
    chart = window.chart
    assert window.stack.currentWidget() is chart
    assert len(chart.drawn_a.bands.bands) == 6
    assert len(chart.infusion_lines) == 6
    assert all(isinstance(line, items.InfusionMarker) for line in chart.infusion_lines)
    # One scatter per role group, in the spec's colours: drawn from the spec, not recomputed.
    panel = window.doc.spec().panels[0]
    assert [s.role for s in chart.drawn_a.scatters] == [p.role for p in panel.points]
    for scatter, points in zip(chart.drawn_a.scatters, panel.points):
        assert scatter.opts["brush"].color().name().lower() == points.colour.lower()
        assert len(scatter.points()) == len(points.x)
    assert {s.role for s in chart.drawn_a.scatters} >= {"pre", "post", "other", "infection"}
    assert len(chart.drawn_a.events) == 1  # the COVID-19 infection
    assert chart.plot_b is not None  # Figure 1 panel B beside the timeline


def _click(qtbot, chart, x, y):
    pos = chart.data_to_viewport(x, y)
    qtbot.mouseClick(chart.canvas.viewport(), Qt.LeftButton, pos=pos)


def test_clicking_a_day_offers_an_event_and_the_infection_changes_the_summary(window, qtbot):
    chart, doc = window.chart, window.doc
    before = doc.case.summary.pre.n
    assert not doc.case.cycles[1].infection
    x = 30.0  # inside cycle 2 (days 21-42 of the window)
    with qtbot.waitSignal(chart.dayClicked, timeout=2000) as clicked:
        _click(qtbot, chart, x, 0.2)
    day = clicked.args[0]
    assert day.date() == (chart.origin + timedelta(days=x)).date()
    assert chart.menu is not None
    texts = [a.text() for a in chart.menu.actions()]
    assert any(t.startswith(f"Add event on {day:%d %b %Y}") for t in texts)
    chart.menu.close()

    # The dialog part (kind and label) is driven directly: the command it would push.
    doc.push(AddEventCommand(doc, Event("infection", "Urinary tract infection", day)))
    assert doc.case.cycles[1].infection
    assert not doc.case.cycles[1].included
    assert doc.case.summary.pre.n == before - 1
    assert "infection" in window.cycles.table.item(1, 7).text()
    assert len(chart.drawn_a.events) == 2
    assert window.isWindowModified()

    window.undo_action.trigger()
    assert not doc.case.cycles[1].infection
    assert doc.case.summary.pre.n == before
    assert window.cycles.table.item(1, 7).text() == ""
    window.redo_action.trigger()
    assert doc.case.cycles[1].infection
    assert doc.case.summary.pre.n == before - 1


def test_clicking_a_point_offers_to_exclude_it(window, qtbot):
    chart = window.chart
    pre = next(s for s in chart.drawn_a.scatters if s.role == "pre")
    spot = pre.points()[1]
    with qtbot.waitSignal(chart.excludeRequested, timeout=2000) as excluded:
        _click(qtbot, chart, spot.pos().x(), spot.pos().y())
        action = next(a for a in chart.menu.actions() if a.text().startswith("Exclude"))
        window.data.exclude_row = lambda row, reason=None: True  # no modal question in a test
        action.trigger()
    assert excluded.args[0] == spot.data()


def test_hover_tooltip_names_the_source_row(window, qtbot):
    chart = window.chart
    post = next(s for s in chart.drawn_a.scatters if s.role == "post")
    spot = post.points()[0]
    row = window.doc.case.anc.loc[spot.data()]
    text = chart.tooltip(spot.data(), "post")
    assert f"row {int(row['row'])}" in text and "labs.xlsx" in text and "Results" in text
    assert "Day after infusion" in text and "cycle 1, day 1" in text and "ANC 0.4" in text

    qtbot.mouseMove(chart.canvas.viewport(), chart.data_to_viewport(spot.pos().x(), spot.pos().y()))
    qtbot.waitUntil(lambda: f"row {int(row['row'])}" in chart.plot.getViewBox().toolTip(), timeout=2000)


def test_selecting_a_cycle_zooms_the_chart_to_it(window):
    window.cycles.table.selectRow(0)
    (x0, x1), _ = window.chart.plot.getViewBox().viewRange()
    assert -2.0 < x0 < 0 and 21 <= x1 < 22.5
    window.chart.handle_key(Qt.Key_Home)
    (x0, x1), _ = window.chart.plot.getViewBox().viewRange()
    assert x0 < -3 and x1 >= 126


def test_keyboard_pans_and_zooms(window, qtbot):
    vb = window.chart.plot.getViewBox()
    (a0, a1), _ = vb.viewRange()
    window.chart.canvas.setFocus()
    qtbot.keyClick(window.chart.canvas, Qt.Key_Right)
    (b0, b1), _ = vb.viewRange()
    assert b0 > a0 and abs((b1 - b0) - (a1 - a0)) < 1e-6
    qtbot.keyClick(window.chart.canvas, Qt.Key_Plus)
    (c0, c1), _ = vb.viewRange()
    assert c1 - c0 < b1 - b0


def test_days_and_dates_axis_switch_is_undoable(window):
    assert isinstance(window.chart.plot.getAxis("bottom"), items.DaysAxis)
    window.axis_actions["dates"].trigger()
    assert window.doc.settings.axis == "dates"
    axis = window.chart.plot.getAxis("bottom")
    assert isinstance(axis, items.DaysAsDatesAxis)
    window.chart.canvas.grab()  # the axis measures its labels when first painted
    ticks = axis.tickValues(0, 126, 800)
    labels = [label for spacing, values in ticks for label in axis.tickStrings(values, 1, spacing)]
    assert "Oct" in labels and "Nov" in labels
    window.undo_action.trigger()
    assert isinstance(window.chart.plot.getAxis("bottom"), items.DaysAxis)


def test_dragging_an_infusion_moves_it_and_one_undo_restores(window, qtbot):
    doc, chart = window.doc, window.chart
    first = doc.case.administrations
    target = min(first, key=lambda a: abs(a.time - datetime(2022, 11, 29, 9, 30)))
    line = next(l for l in chart.infusion_lines if abs(l.value() - l.mark.x - 0) < 1e-9
                and abs(chart.to_time(l.mark.x) - target.time) < timedelta(minutes=1))
    line.setValue(line.mark.x + 2.2)
    line.sigPositionChangeFinished.emit(line)
    qtbot.waitUntil(lambda: any(a.time == target.time + timedelta(days=2) for a in doc.case.administrations))
    assert doc.undo_stack.count() == 1
    window.undo_action.trigger()
    assert doc.case.administrations == first


def test_dragging_the_overview_window_changes_the_analysis(window, qtbot):
    doc, chart = window.doc, window.chart
    assert len(doc.case.cycles) == 6
    lo, hi = chart.window_region.getRegion()
    chart.window_region.setRegion((lo, lo + 30))  # the first two infusions only
    chart._window_dragged(chart.window_region)
    qtbot.waitUntil(lambda: len(doc.case.cycles) == 2)
    assert window.cycles.table.rowCount() == 2
    window.undo_action.trigger()
    assert len(doc.case.cycles) == 6


def test_secondary_panels_share_the_time_axis(window):
    window.secondary_action.setChecked(True)
    plots = window.chart.secondary_plots
    assert set(plots) == {"WBC", "LYMPH", "HGB", "PLT"}
    window.chart.plot.setXRange(10, 20, padding=0)
    for plot in plots.values():
        (x0, x1), _ = plot.getViewBox().viewRange()
        assert abs(x0 - 10) < 0.5 and abs(x1 - 20) < 0.5
    window.secondary_action.setChecked(False)
    assert window.chart.secondary_plots == {}


def test_bands_span_the_view_whatever_the_zoom(window):
    bands = window.chart.drawn_a.bands
    window.chart.plot.setYRange(0.2, 0.6, padding=0)
    rect = bands.boundingRect()
    assert rect.top() <= 0.2 and rect.bottom() >= 0.6
    assert isinstance(bands, pg.GraphicsObject)


def test_dragging_an_event_line_moves_the_event(window, qtbot):
    doc, chart = window.doc, window.chart
    start = doc.case.events[0].start
    mark, line = chart.drawn_a.events[0]
    line.setValue(mark.x0 + 3.1)
    line.sigPositionChangeFinished.emit(line)
    qtbot.waitUntil(lambda: doc.case.events[0].start == start + timedelta(days=3))
    assert doc.case.cycles[2].infection  # still inside cycle 3 (days 42-63)
    window.undo_action.trigger()
    assert doc.case.events[0].start == start


def test_a_dragged_range_asks_for_an_event_over_those_days(window, qtbot, monkeypatch):
    chart = window.chart
    asked = []
    monkeypatch.setattr(window.events, "add_event", lambda start=None, end=None: asked.append((start, end)))
    with qtbot.waitSignal(chart.addEventRequested) as requested:
        chart.range_selected(10.2, 14.7)
    start, end = requested.args
    assert start == datetime.combine((chart.origin + timedelta(days=10.2)).date(), datetime.min.time())
    assert end.date() == (chart.origin + timedelta(days=14.7)).date()
    assert asked == [(start, end)]  # the window opens the event dialog with those days


def test_event_dialog_returns_the_event(qtbot, qapp):
    from desktop.panels.events import EventDialog

    dialog = EventDialog(None, start=datetime(2022, 10, 1), end=datetime(2022, 10, 3))
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("fever"))
    dialog.label.setText("Fever 39 °C")
    event = dialog.event_value()
    assert event == Event("fever", "Fever 39 °C", datetime(2022, 10, 1), datetime(2022, 10, 3))


def test_reference_range_and_severity_toggles_redraw_from_the_spec(window):
    chart = window.chart
    assert len(chart.drawn_a.hlines) == 3
    window.setting_actions["show_severity"].trigger()
    assert not window.doc.settings.show_severity and chart.drawn_a.hlines == []
    window.setting_actions["show_reference_range"].trigger()
    assert window.doc.spec().panels[0].hspans
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert len(chart.drawn_a.hlines) == 3 and window.setting_actions["show_severity"].isChecked()
