"""Format graph: the ANC axis, axis titles, marker size and line width, one undo step, kept in
the project, and the same on the screen chart and in the publication renderer."""

from __future__ import annotations

import pytest

from analysis.figure import FigureSettings, build_figure
from desktop.dialogs.format_dialog import FormatDialog


def test_the_spec_follows_the_format(demo_case):
    plain = build_figure(demo_case, FigureSettings())
    styled = build_figure(demo_case, FigureSettings(y_max=4.0, y_step=0.5, y_title="Neutrophils",
                                                    x_title="Day", marker_scale=2.0, line_scale=3.0))
    axis = styled.panels[0].y_axis
    assert (axis.hi, axis.ticks[1] - axis.ticks[0], axis.label) == (4.0, 0.5, "Neutrophils")
    assert styled.panels[0].x_axis.label == "Day"
    assert styled.panels[1].y_axis.hi == 4.0
    big = {p.role: p.size_pt for p in styled.panels[0].points}
    small = {p.role: p.size_pt for p in plain.panels[0].points}
    assert all(big[r] == pytest.approx(2 * small[r], rel=0.02) for r in small)
    join = [ln for ln in styled.panels[0].lines if ln.kind == "join"][0]
    assert join.width == pytest.approx(3 * [ln for ln in plain.panels[0].lines if ln.kind == "join"][0].width)


def test_the_publication_renderer_draws_the_format(demo_case, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figure.render import build_matplotlib

    spec = build_figure(demo_case, FigureSettings(y_max=4.0, y_step=0.5, y_title="Neutrophils"))
    fig = build_matplotlib(spec)
    ax = fig.axes[0]
    assert ax.get_ylim()[1] == pytest.approx(4.0)
    assert ax.get_ylabel() == "Neutrophils"
    assert list(ax.get_yticks())[:3] == [0.0, 0.5, 1.0]


def test_the_dialog_is_one_undoable_change_seen_on_the_chart(window, qtbot):
    dialog = FormatDialog(window, window.doc.settings, window.doc.spec())
    qtbot.addWidget(dialog)
    dialog.y_max_auto.setChecked(False)
    dialog.y_max.setValue(5)
    dialog.y_title.setText("ANC")
    dialog.marker.setValue(150)
    changes = dialog.changes()
    assert changes == {"y_max": 5.0, "y_title": "ANC", "marker_scale": 1.5}
    from desktop.commands import FigureSettingCommand

    window.doc.push(FigureSettingCommand(window.doc, "Format the graph", **changes))
    assert window.doc.spec().panels[0].y_axis.hi == 5.0
    qtbot.waitUntil(lambda: window.chart.plot.getAxis("left").labelText == "ANC")  # the screen chart too
    window.undo_action.trigger()
    assert window.doc.settings.y_max is None and window.doc.settings.y_title == ""


def test_the_format_is_kept_in_the_project(demo_case, demo_sources, tmp_path):
    from analysis.project.store import open_project, save_project

    settings = FigureSettings(y_max=4.0, y_step=0.5, y_title="Neutrophils", x_title="Day",
                              marker_scale=1.5, line_scale=2.0)
    path = tmp_path / "case.nadir"
    save_project(path, demo_case, settings, sources=demo_sources)
    assert open_project(path).settings == settings


def _major_ticks(plot) -> list[float]:
    axis = plot.getAxis("left")
    lo, hi = plot.getViewBox().viewRange()[1]
    levels = axis.tickValues(lo, hi, axis.height())
    return sorted(v for v in levels[0][1] if lo <= v <= hi) if levels else []


def _widest_line(chart) -> float:
    pens = [line.opts["pen"] if hasattr(line, "opts") else line.pen for line in chart.drawn_a.lines]
    return max(pg_pen.widthF() for pg_pen in pens)


@pytest.mark.real_modals  # the test closes the real dialogs from timers
def test_format_graph_from_the_menu_changes_the_screen_chart_as_the_print_in_one_step(window, qtbot):
    """View › Format graph… on the real dialog: tick interval, marker size and line width, one undo
    step, and the screen chart ticks, sizes and widths as the publication figure does."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    chart, doc = window.chart, window.doc
    size = chart.drawn_a.scatters[0].opts["size"]
    width = _widest_line(chart)
    depth = doc.undo_stack.index()

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, FormatDialog):
            QTimer.singleShot(30, fill)
            return
        dialog.y_max_auto.setChecked(False)
        dialog.y_max.setValue(3.0)
        dialog.y_step_auto.setChecked(False)
        dialog.y_step.setValue(0.25)
        dialog.marker.setValue(200)
        dialog.line.setValue(300)
        dialog.accept()

    QTimer.singleShot(30, fill)
    window.format_action.trigger()
    assert doc.undo_stack.index() == depth + 1
    assert (doc.settings.y_step, doc.settings.marker_scale, doc.settings.line_scale) == (0.25, 2.0, 3.0)
    assert list(doc.spec().panels[0].y_axis.ticks[:3]) == [0.0, 0.25, 0.5]  # the print
    qtbot.waitUntil(lambda: chart.drawn_a.scatters[0].opts["size"] == pytest.approx(2 * size, rel=0.05))
    assert _widest_line(chart) == pytest.approx(3 * width, rel=0.05)  # the joining lines, as printed
    chart.plot.setYRange(0, 3.0, padding=0)
    ticks = _major_ticks(chart.plot)
    assert ticks[:3] == pytest.approx([0.0, 0.25, 0.5]), ticks  # the screen ticks every 0.25 too
    window.undo_action.trigger()
    assert doc.settings.y_step is None and doc.undo_stack.index() == depth
    qtbot.waitUntil(lambda: chart.drawn_a.scatters[0].opts["size"] == pytest.approx(size, rel=0.05))
    chart.plot.setYRange(0, 3.0, padding=0)
    assert _major_ticks(chart.plot)[:3] != pytest.approx([0.0, 0.25, 0.5])  # pyqtgraph's own again
