"""Panel B's notes on screen are placed for the screen's panel B: the same placer and
preferences as the printed figure (analysis.figure.panel_b.place_notes), at the size the
screen draws the plot and its text, so that a reference line that misses a note in print does
not run through it on screen; a note set far from its point shows a leader line there too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from analysis.figure import FigureSettings, build_figure
from analysis.figure.panel_b import place_notes

NADIR = "B:cycle1:nadir"


def _show(window, qtbot, preset: str, size=(1280, 720)):
    from desktop.commands import FigureSettingCommand

    s = FigureSettings().with_preset(preset)
    window.doc.push(FigureSettingCommand(window.doc, "Size", panel_b="cycle:1", preset=s.preset,
                                         width_mm=s.width_mm, height_mm=s.height_mm))
    window.resize(*size)
    qtbot.waitUntil(lambda: window.chart.plot_b is not None and NADIR in window.chart.labels.handles)
    qtbot.wait(150)  # the layout settles, the plot is resized, the notes are placed again
    return window.chart


def _notes(chart):
    return {key: h.label for key, h in chart.labels.handles.items()
            if key.startswith("B:cycle") and h.label is not None}


@pytest.mark.parametrize("preset", ["blood-single", "nature-double"])
def test_no_reference_line_runs_through_a_note_of_panel_b_on_screen(window, qtbot, preset):
    chart = _show(window, qtbot, preset)
    vb = chart.plot_b.getViewBox()
    box = vb.sceneBoundingRect()
    lines = [vb.mapViewToScene(QPointF(0.0, line.value())).y() for line in chart.drawn_b.hlines]
    assert lines, "panel B draws its severity lines"
    for key, item in _notes(chart).items():
        rect = item.textItem.sceneBoundingRect()
        assert box.contains(rect), (key, rect, box)
        crossed = [y for y in lines if rect.top() - 1 < y < rect.bottom() + 1]
        assert crossed == [], (key, item.toPlainText(), rect, crossed)


def test_the_screen_places_notes_with_the_printed_rule(demo_case):
    """place_notes at the printed plot's size gives the printed places: one rule, two sizes."""
    case = demo_case
    for preset in ("blood-single", "nature-double", "lancet-single"):
        spec = build_figure(case, FigureSettings(panel_b="cycle:1").with_preset(preset))
        b = next(p for p in spec.panels if p.kind == "cycle")
        printed = {t.id: t for t in b.texts if t.kind == "annotation"}
        assert place_notes(b, b.box.w, b.box.h, spec.font) == printed, preset
        # And a different size gives different places (the screen's are its own).
        assert place_notes(b, b.box.w * 2.5, b.box.h * 0.6, spec.font) != printed, preset


def test_a_note_far_from_its_point_on_screen_shows_a_leader_line(window, qtbot):
    from desktop.chart.items import LeaderTextItem

    chart = _show(window, qtbot, "blood-single")
    notes = _notes(chart)
    assert all(isinstance(item, LeaderTextItem) for item in notes.values())
    for key, item in notes.items():
        if item.leader.isVisible():  # the leader ends at the label's box
            end = item.mapToScene(item.leader.line().p2())
            assert item.textItem.sceneBoundingRect().adjusted(-1, -1, 1, 1).contains(end), key


def _shown_notes(chart) -> list:
    return [(item.toPlainText(), item.textItem.sceneBoundingRect()) for item in chart.drawn_b.texts
            if hasattr(item, "textItem") and item.isVisible()]


def test_panel_b_hides_the_notes_it_has_no_room_for_until_it_has(window, qtbot):
    """At 1280 x 720 and 150 % (853 x 480 logical) panel B's plot is 39 px tall: its notes lay
    on top of each other ("Pre 0.8" over "Day 1: 0.4", the dose over both). A note that cannot
    be placed clear of the others is hidden, the point notes kept before the dose (the legend
    names it); on a larger window every note is shown again."""
    window.resize(853, 441)  # the window on that screen, less the task bar and frame
    qtbot.waitUntil(lambda: window.chart.plot_b is not None)
    qtbot.wait(200)
    chart = window.chart
    assert chart.plot_b.getViewBox().sceneBoundingRect().height() < 60  # really that short
    shown = _shown_notes(chart)
    touching = [(a, b) for i, (a, ra) in enumerate(shown) for b, rb in shown[i + 1:] if ra.intersects(rb)]
    assert touching == [], touching
    texts = [text for text, _rect in shown]
    assert any(t.startswith("Nadir") for t in texts) and len(texts) >= 3, texts
    every = [item for item in chart.drawn_b.texts if hasattr(item, "textItem")]
    assert len(texts) < len(every)  # one at least had no room

    window.resize(1280, 720)
    qtbot.waitUntil(lambda: len(_shown_notes(window.chart)) == len(every), timeout=3000)
    shown = _shown_notes(window.chart)
    assert not any(ra.intersects(rb) for i, (_a, ra) in enumerate(shown) for _b, rb in shown[i + 1:])
