"""Labels on the chart: double-click to reword or hide, drag to move, right-click to reset.

The gestures are real mouse events at data coordinates on the chart's canvas (as the
mne-qt-browser tests click its traces); each must become one undo step, be kept in the project
and reach the figure the publication renderer draws.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from analysis.figure.placement import PT_MM
from desktop.chart.labels import PX_PER_PT
from desktop.commands import MoveLabelCommand, ShowHiddenLabelsCommand

NADIR = "B:cycle1:nadir"


def _label_data_pos(chart, key):
    """The middle of label ``key`` in data coordinates of the plot it is drawn on."""
    handle = chart.labels.handles[key]
    plot = chart.plot_b if key.startswith("B:") else chart.plot
    middle = handle.sceneBoundingRect().center()
    return plot, plot.getViewBox().mapSceneToView(middle)


def _viewport_pos(chart, plot, x, y) -> QPoint:
    return chart.data_to_viewport(x, y, plot)


def _send(widget, kind, pos: QPoint, button, buttons):
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def _click(qtbot, chart, pos: QPoint, button=Qt.MouseButton.LeftButton):
    viewport = chart.canvas.viewport()
    _send(viewport, QMouseEvent.Type.MouseButtonPress, pos, button, button)
    _send(viewport, QMouseEvent.Type.MouseButtonRelease, pos, button, Qt.MouseButton.NoButton)
    qtbot.wait(10)


def _double_click(qtbot, chart, pos: QPoint):
    """What a mouse sends for a double click: press, release, double-click, release (QTest's
    mouseDClick sends the double-click alone, which pyqtgraph never completes)."""
    viewport, left, none = chart.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in ((QMouseEvent.Type.MouseButtonPress, left), (QMouseEvent.Type.MouseButtonRelease, none),
                          (QMouseEvent.Type.MouseButtonDblClick, left), (QMouseEvent.Type.MouseButtonRelease, none)):
        _send(viewport, kind, pos, left, buttons)
    qtbot.wait(10)


def _drag(qtbot, chart, plot, start, end, steps=6):
    """A left-button drag from data point ``start`` to ``end`` on ``plot``."""
    viewport = chart.canvas.viewport()
    a, b = _viewport_pos(chart, plot, *start), _viewport_pos(chart, plot, *end)
    left = Qt.MouseButton.LeftButton
    _send(viewport, QMouseEvent.Type.MouseButtonPress, a, left, left)
    for i in range(1, steps + 1):
        qtbot.wait(25)  # pyqtgraph drops mouse moves that come faster than a frame
        p = a + (b - a) * (i / steps)
        _send(viewport, QMouseEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, left)
    qtbot.wait(25)
    _send(viewport, QMouseEvent.Type.MouseButtonRelease, b, left, Qt.MouseButton.NoButton)
    return a, b


@pytest.fixture
def chart(window, qtbot):
    from desktop.commands import FigureSettingCommand

    window.resize(1400, 900)
    window.doc.push(FigureSettingCommand(window.doc, "Panel B", panel_b="cycle:1"))
    window.doc.undo_stack.clear()
    qtbot.waitUntil(lambda: NADIR in window.chart.labels.handles)
    qtbot.wait(50)
    return window.chart


def _printed_texts(doc):
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figure.render import build_matplotlib

    fig = build_matplotlib(doc.spec())
    return {a.get_text(): a for a in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_text())}


def test_double_clicking_a_label_rewords_it_in_one_undo_step(window, chart, qtbot):
    doc = window.doc
    original = next(t.text for t in doc.spec().panels[1].texts if t.id == NADIR)
    plot, p = _label_data_pos(chart, NADIR)
    _double_click(qtbot, chart, _viewport_pos(chart, plot, p.x(), p.y()))
    qtbot.waitUntil(lambda: chart.labels.dialog is not None and chart.labels.dialog.isVisible())
    dialog = chart.labels.dialog
    assert dialog.editor.text() == original
    from desktop.screen_fit import available_area

    assert available_area(window).contains(dialog.geometry())  # beside the label, on the screen
    assert chart.menu is None  # the click went to the label, not to the chart's menu
    dialog.editor.setText("Lowest 0.3 on day 8")
    dialog.accept()
    qtbot.waitUntil(lambda: chart.labels.handles.get(NADIR) is not None
                    and chart.labels.handles[NADIR].label.toPlainText() == "Lowest 0.3 on day 8")
    assert doc.undo_stack.count() == 1
    assert "Lowest 0.3 on day 8" in _printed_texts(doc)  # the exported figure says it too
    window.undo_action.trigger()
    assert doc.settings.labels == ()
    qtbot.waitUntil(lambda: chart.labels.handles[NADIR].label.toPlainText() == original)


def test_dragging_a_label_moves_it_on_screen_and_in_print(window, chart, qtbot):
    doc = window.doc
    before = next(t for t in doc.spec().panels[1].texts if t.id == NADIR)
    plot, p = _label_data_pos(chart, NADIR)
    start_scene = chart.labels.handles[NADIR].sceneBoundingRect().center()
    # Two days to the right and 0.3 up, in the data coordinates of panel B.
    a, b = _drag(qtbot, chart, plot, (p.x(), p.y()), (p.x() + 2.0, p.y() + 0.3))
    qtbot.waitUntil(lambda: doc.undo_stack.count() == 1)
    o = next(o for o in doc.settings.labels if o.id == NADIR)
    moved = b - a
    assert o.dx_mm == pytest.approx(moved.x() / PX_PER_PT * PT_MM, abs=0.1)
    assert o.dy_mm == pytest.approx(-moved.y() / PX_PER_PT * PT_MM, abs=0.1)
    assert o.dx_mm > 0 and o.dy_mm > 0
    after = next(t for t in doc.spec().panels[1].texts if t.id == NADIR)
    assert (after.x, after.y) == (before.x, before.y)  # it still labels the nadir's draw
    printed = _printed_texts(doc)[after.text]
    assert printed.xyann == pytest.approx((before.dx_pt + o.dx_mm / PT_MM, before.dy_pt + o.dy_mm / PT_MM))
    # Redrawn from the spec where the mouse left it.
    qtbot.waitUntil(lambda: chart.labels.handles.get(NADIR) is not None)
    end_scene = chart.labels.handles[NADIR].sceneBoundingRect().center()
    assert (end_scene - start_scene).x() == pytest.approx(moved.x(), abs=3)
    assert (end_scene - start_scene).y() == pytest.approx(moved.y(), abs=3)
    window.undo_action.trigger()
    assert doc.settings.labels == ()


def test_hiding_then_showing_hidden_labels_and_reset_from_the_menu(window, chart, qtbot):
    doc = window.doc
    key = "A:cycle:C2"
    plot, p = _label_data_pos(chart, key)
    _double_click(qtbot, chart, _viewport_pos(chart, plot, p.x(), p.y()))
    qtbot.waitUntil(lambda: chart.labels.dialog is not None and chart.labels.dialog.isVisible())
    chart.labels.dialog.hide_box.setChecked(True)
    chart.labels.dialog.accept()
    qtbot.waitUntil(lambda: key not in chart.labels.handles)
    assert "C2" not in _printed_texts(doc)
    # The chart's own menu brings hidden labels back.
    _click(qtbot, chart, _viewport_pos(chart, chart.plot, 30.0, 0.2))
    qtbot.waitUntil(lambda: chart.menu is not None)
    show = next(a for a in chart.menu.actions() if a.text().startswith("Show hidden labels"))
    chart.menu.close()  # as choosing an entry does
    show.trigger()
    qtbot.waitUntil(lambda: key in chart.labels.handles)
    assert doc.undo_stack.count() == 2
    # Right-click: "Reset label" takes a moved label back to the layout's place.
    doc.push(MoveLabelCommand(doc, key, 4.0, 0.0))
    qtbot.waitUntil(lambda: any(o.id == key for o in doc.settings.labels))
    qtbot.wait(50)  # the redrawn label finds its place at the view's edge
    plot, p = _label_data_pos(chart, key)
    chart.menu = None
    _click(qtbot, chart, _viewport_pos(chart, plot, p.x(), p.y()), Qt.MouseButton.RightButton)
    qtbot.waitUntil(lambda: chart.labels.menu is not None)
    assert chart.menu is None  # the label's menu, not the chart's
    reset = next(a for a in chart.labels.menu.actions() if a.text() == "Reset label")
    assert reset.isEnabled()
    reset.trigger()
    assert doc.settings.labels == ()


def test_the_statistics_block_is_edited_with_a_double_click(window, chart, qtbot):
    doc = window.doc
    handle = chart.labels.handles["stats"]
    centre = chart.canvas.mapFromScene(handle.sceneBoundingRect().center())
    _double_click(qtbot, chart, centre)
    qtbot.waitUntil(lambda: chart.labels.dialog is not None and chart.labels.dialog.isVisible())
    dialog = chart.labels.dialog
    assert dialog.editor.toPlainText().startswith("Median (range)")
    dialog.hide_box.setChecked(True)
    dialog.accept()
    qtbot.waitUntil(lambda: not [t for t in doc.spec().texts if t.kind == "stats"])
    assert not any(t.startswith("Median (range)") for t in _printed_texts(doc))


def _drag_viewport(qtbot, chart, a: QPoint, b: QPoint, steps=6):
    """A left-button drag between two points of the canvas's viewport."""
    viewport, left = chart.canvas.viewport(), Qt.MouseButton.LeftButton
    _send(viewport, QMouseEvent.Type.MouseButtonPress, a, left, left)
    for i in range(1, steps + 1):
        qtbot.wait(25)  # pyqtgraph drops mouse moves that come faster than a frame
        _send(viewport, QMouseEvent.Type.MouseMove, a + (b - a) * (i / steps), Qt.MouseButton.NoButton, left)
    qtbot.wait(25)
    _send(viewport, QMouseEvent.Type.MouseButtonRelease, b, left, Qt.MouseButton.NoButton)


def test_the_statistics_block_is_dragged_as_one_on_screen_and_in_print(window, chart, qtbot, tmp_path):
    from analysis.project.store import open_project

    doc = window.doc
    before = [t for t in doc.spec().texts if t.kind == "stats"]
    handle = chart.labels.handles["stats"]
    start_scene = handle.sceneBoundingRect().center()
    a = chart.canvas.mapFromScene(start_scene)
    b = a + QPoint(-60, -40)  # left, and up over the legend
    _drag_viewport(qtbot, chart, a, b)
    qtbot.waitUntil(lambda: doc.undo_stack.count() == 1)
    assert chart.menu is None  # a drag of the block, not a click on the chart
    o = next(o for o in doc.settings.labels if o.id == "stats")
    assert o.dx_mm == pytest.approx(-60 / PX_PER_PT * PT_MM, abs=0.1)
    assert o.dy_mm == pytest.approx(40 / PX_PER_PT * PT_MM, abs=0.1)
    # The printed block moved by as much, every line with it and in the same words.
    after = [t for t in doc.spec().texts if t.kind == "stats"]
    assert [t.text for t in after] == [t.text for t in before]
    for old, new in zip(before, after, strict=True):
        assert (new.x, new.y) == pytest.approx((old.x + o.dx_mm, old.y - o.dy_mm))
    printed = _printed_texts(doc)[after[0].text]
    width_mm, height_mm = doc.spec().size_mm
    assert printed.get_position() == pytest.approx((after[0].x / width_mm, 1 - after[0].y / height_mm), abs=1e-3)
    # Redrawn from the settings where the mouse left it; kept in the project; one undo step.
    qtbot.waitUntil(lambda: chart.labels.handles.get("stats") is not handle)
    end_scene = chart.labels.handles["stats"].sceneBoundingRect().center()
    assert (end_scene - start_scene).x() == pytest.approx(-60, abs=3)
    assert (end_scene - start_scene).y() == pytest.approx(-40, abs=3)
    path = tmp_path / "stats.nadir"
    assert window.session.save_to(path)
    assert [(x.dx_mm, x.dy_mm) for x in open_project(path).settings.labels if x.id == "stats"] == [(o.dx_mm, o.dy_mm)]
    window.undo_action.trigger()
    assert doc.settings.labels == ()
    qtbot.waitUntil(lambda: chart.labels.handles["stats"].sceneBoundingRect().center() == start_scene)


def test_hiding_the_statistics_from_its_menu_keeps_every_line_for_later(window, chart, qtbot):
    doc = window.doc
    wording = "\n".join(t.text for t in doc.spec().texts if t.kind == "stats")
    handle = chart.labels.handles["stats"]
    _click(qtbot, chart, chart.canvas.mapFromScene(handle.sceneBoundingRect().center()), Qt.MouseButton.RightButton)
    qtbot.waitUntil(lambda: chart.labels.menu is not None)
    next(a for a in chart.labels.menu.actions() if a.text() == "Hide label").trigger()
    assert not [t for t in doc.spec().texts if t.kind == "stats"]
    doc.push(ShowHiddenLabelsCommand(doc))
    assert "\n".join(t.text for t in doc.spec().texts if t.kind == "stats") == wording


def test_label_edits_are_saved_with_the_project(window, chart, qtbot, tmp_path):
    from analysis.project.store import open_project
    from desktop.commands import EditLabelCommand

    doc = window.doc
    doc.push(EditLabelCommand(doc, NADIR, "Lowest", "Nadir 0.3 (day 8)"))
    path = tmp_path / "labels.nadir"
    assert window.session.save_to(path)
    opened = open_project(path)
    assert [o.text for o in opened.settings.labels if o.id == NADIR] == ["Lowest"]


@pytest.mark.parametrize("size", [(1280, 720), (1280, 800), (1280, 600)])
def test_panel_b_labels_stay_inside_its_plot_on_a_laptop_screen(window, qtbot, size):
    from desktop.commands import FigureSettingCommand

    window.doc.push(FigureSettingCommand(window.doc, "Panel B", panel_b="cycle:1"))
    window.resize(*size)
    qtbot.waitUntil(lambda: window.chart.plot_b is not None and NADIR in window.chart.labels.handles)
    qtbot.wait(100)  # the layout settles, the plot is resized, the labels follow
    chart = window.chart
    box = chart.plot_b.getViewBox().sceneBoundingRect()
    labels = [item for item in chart.drawn_b.texts if hasattr(item, "textItem")]
    assert len(labels) >= 4  # pre, day after, nadir, recovery, the course
    for item in labels:
        rect = item.textItem.sceneBoundingRect()
        assert box.contains(rect), (item.toPlainText(), rect, box)
    # No two notes touch (at 600 px high they would where the layout put them: moved apart).
    rects = [(item.toPlainText(), item.textItem.sceneBoundingRect()) for item in labels]
    touching = [(a, b) for i, (a, ra) in enumerate(rects) for b, rb in rects[i + 1:] if ra.intersects(rb)]
    assert touching == [], (touching, box)
    # The nadir's note does not sit on the nadir's marker.
    nadir = chart.labels.handles[NADIR].sceneBoundingRect()
    cycle = window.doc.case.cycles[0]
    marker = chart.plot_b.getViewBox().mapViewToScene(QPointF(cycle.nadir.day, cycle.nadir.value))
    assert not nadir.contains(marker)


def test_dragging_an_event_label_on_the_timeline_moves_the_label_not_the_view(window, chart, qtbot):
    doc = window.doc
    key = next(k for k in chart.labels.handles if k.startswith("A:event:"))
    view = chart.plot.viewRange()
    plot, p = _label_data_pos(chart, key)
    _drag(qtbot, chart, plot, (p.x(), p.y()), (p.x() + 10.0, p.y() - 0.5))
    qtbot.waitUntil(lambda: any(o.id == key for o in doc.settings.labels))
    o = next(o for o in doc.settings.labels if o.id == key)
    assert o.dx_mm > 0 and o.dy_mm < 0
    assert [v for r in chart.plot.viewRange() for v in r] == pytest.approx([v for r in view for v in r])  # no pan
    assert doc.undo_stack.count() == 1


def test_format_graph_puts_every_changed_label_back_in_one_step(window, chart, qtbot):
    from desktop.commands import EditLabelCommand, FigureSettingCommand
    from desktop.dialogs.format_dialog import FormatDialog

    doc = window.doc
    doc.push(EditLabelCommand(doc, NADIR, "Lowest", "Nadir 0.3 (day 8)"))
    doc.push(MoveLabelCommand(doc, "A:cycle:C1", 2.0, 0.0))
    dialog = FormatDialog(window, doc.settings, doc.spec())
    qtbot.addWidget(dialog)
    assert "2 labels" in dialog.reset_labels.text()
    assert dialog.changes() == {}  # unticked: the labels stay
    dialog.reset_labels.setChecked(True)
    assert dialog.changes() == {"labels": ()}
    doc.push(FigureSettingCommand(doc, "Format the graph", **dialog.changes()))
    assert doc.settings.labels == ()
    window.undo_action.trigger()
    assert len(doc.settings.labels) == 2


def test_panel_b_title_is_reworded_with_a_double_click(window, chart, qtbot):
    doc = window.doc
    key = next(k for k in chart.labels.handles if k.startswith("B:cycle:"))
    handle = chart.labels.handles[key]
    _double_click(qtbot, chart, chart.canvas.mapFromScene(handle.sceneBoundingRect().center()))
    qtbot.waitUntil(lambda: chart.labels.dialog is not None and chart.labels.dialog.isVisible())
    assert chart.labels.dialog.editor.text() == "Cycle 1"
    chart.labels.dialog.editor.setText("Cycle 1 (IVIG 1 g/kg)")
    chart.labels.dialog.accept()
    qtbot.waitUntil(lambda: "Cycle 1 (IVIG 1 g/kg)" in chart.plot_b.titleLabel.text)
    assert "Cycle 1 (IVIG 1 g/kg)" in _printed_texts(doc)


def test_the_dose_label_on_the_infusion_track_shows_only_where_it_clears_the_next_marker(window, qtbot):
    """h21's walk-through at 150 % on a 1280 x 720 screen: "IVIG 1 g/kg" ran over the second
    infusion's triangle. In a narrow window it is hidden; in a wide one it shows, clear of it."""
    chart = window.chart

    def label_and_next_marker():
        track, vb = chart.infusion_track, chart.track.getViewBox()
        (label, x), = track.labels
        start = vb.mapViewToScene(QPointF(x, 0.3)).x()
        later = [vb.mapViewToScene(QPointF(m.value(), 0.3)).x() for m in chart.infusion_lines if m.value() > x]
        right = start + label.textItem.boundingRect().width()
        return label, right, min(later) - track.size_px / 2

    seen = {}
    for width in (800, 1400):
        window.resize(width, 700)
        qtbot.waitUntil(lambda w=width: window.width() == w)
        qtbot.wait(100)
        label, right, next_marker = label_and_next_marker()
        seen[width] = label.isVisible()
        assert label.isVisible() == (right < next_marker), (width, right, next_marker)
    assert seen == {800: False, 1400: True}
