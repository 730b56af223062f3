"""The ANC axis on a log scale: the screen chart puts every item where the printed figure does."""

from __future__ import annotations

import math

import pytest

from analysis.figure.placement import axis_pos
from desktop.commands import FigureSettingCommand


def _height_fraction(chart, plot, x, y_view):
    """Where view point (x, y) sits in the plot's view box: 0 at the bottom, 1 at the top."""
    from PySide6.QtCore import QPointF

    vb = plot.getViewBox()
    rect = vb.sceneBoundingRect()
    scene = vb.mapViewToScene(QPointF(x, y_view))
    return (rect.bottom() - scene.y()) / rect.height()


def test_a_log_axis_places_markers_lines_and_ticks_as_printed(window, qtbot):
    doc, chart = window.doc, window.chart
    doc.push(FigureSettingCommand(doc, "Log scale", log_y=True))
    qtbot.waitUntil(lambda: chart.drawn_a.panel.y_axis.log)
    panel = chart.drawn_a.panel
    axis = panel.y_axis
    (_, _), (y0, y1) = chart.plot.viewRange()
    assert (y0, y1) == pytest.approx((math.log10(axis.lo), math.log10(axis.hi)))
    # Every marker at its printed height (a linear y in a log10 view would sit far above).
    for scatter, points in zip(chart.drawn_a.scatters, panel.points, strict=True):
        for spot, x, y in zip(scatter.points(), points.x, points.y, strict=True):
            printed = float(axis_pos(axis, [y])[0])
            assert _height_fraction(chart, chart.plot, x, spot.pos().y()) == pytest.approx(printed, abs=0.01)
    # Threshold lines and the printed tick labels too.
    shown = sorted(round(10 ** line.value(), 6) for line in chart.drawn_a.hlines)
    assert shown == sorted(h.y for h in panel.hlines)
    ticks = chart.plot.getAxis("left")._tickLevels[0]
    assert [label for _, label in ticks] == list(axis.tick_labels)
    assert [10 ** v for v, _ in ticks] == pytest.approx(list(axis.ticks))
    # Panel B follows the same axis.
    b_axis = chart.drawn_b.panel.y_axis
    assert b_axis.log
    (_, _), (b0, _) = chart.plot_b.viewRange()
    assert b0 == pytest.approx(math.log10(b_axis.lo))


def test_undoing_the_log_scale_gives_the_linear_view_back(window, qtbot):
    doc, chart = window.doc, window.chart
    before = chart.plot.viewRange()[1]
    doc.push(FigureSettingCommand(doc, "Log scale", log_y=True))
    qtbot.waitUntil(lambda: chart.drawn_a.panel.y_axis.log)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not chart.drawn_a.panel.y_axis.log)
    assert chart.plot.viewRange()[1] == pytest.approx(before)
    spot = chart.drawn_a.scatters[0].points()[0]
    assert spot.pos().y() == pytest.approx(chart.drawn_a.panel.points[0].y[0])
