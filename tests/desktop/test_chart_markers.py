"""The chart's long-record drawing paints what pyqtgraph's own items paint.

``MarkerGroup`` stamps a large group once per zoom and only moves the image while panning; the
day axis re-ticks on the dosing interval at every zoom. These tests compare pixels with the
plain pyqtgraph items, after panning, so a cache that shows a stale view fails.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QImage

from desktop.chart import items
from desktop.chart.markers import CACHE_ABOVE, MarkerGroup


def _plot_with(qtbot, make):
    widget = pg.PlotWidget(background="w")
    widget.resize(700, 400)
    qtbot.addWidget(widget)
    rng = np.random.default_rng(3)
    x = np.sort(rng.uniform(0, 3650, 20_000))
    y = 1.0 + 0.4 * np.sin(x / 3.0) + rng.normal(0, 0.1, len(x))
    scatter = make(x=x, y=y, symbol="o", size=9, pen=pg.mkPen("#1F5F8B"), brush=pg.mkBrush("#56B4E9"))
    widget.addItem(scatter)
    widget.setYRange(0, 2, padding=0)
    widget.getAxis("left").setWidth(40)  # the same plot area in both widgets
    with qtbot.waitExposed(widget):
        widget.show()
    return widget, scatter


def _grab(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    ptr = image.constBits()
    return np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes()).reshape(image.height(), -1, 4).copy()


def _pan(widget, start, width, steps):
    for k in range(steps):
        widget.setXRange(start + k * width * 0.013, start + width + k * width * 0.013, padding=0)
        widget.viewport().repaint()


def _differing(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of pixels of ``b`` that differ from ``a`` when markers may sit up to one pixel
    to either side (a pan moves the stamped image by whole pixels: up to half a pixel off)."""
    a, b = a.astype(int), b.astype(int)
    off = np.min([np.abs(a - np.roll(b, s, axis=1)).max(axis=2) for s in (-1, 0, 1)], axis=0)
    return float((off > 60).mean())


def test_a_panned_marker_group_paints_what_scatter_plot_item_paints(qtbot):
    assert CACHE_ABOVE < 20_000  # the cached path is the one under test
    for width in (365.0, 3650.0):
        plain, _ = _plot_with(qtbot, pg.ScatterPlotItem)
        fast, group = _plot_with(qtbot, MarkerGroup)
        for widget in (plain, fast):
            _pan(widget, 900.0 if width < 3650 else -20.0, width, 6)
        assert group._pan_cache is not None  # drawn from its image
        a, b = _grab(plain), _grab(fast)
        # Markers land on whole pixels (as the raster engine stamps them), and of markers on
        # the same pixel only the top one is stamped: a few edge pixels may differ, no marker.
        assert _differing(a, b) < 0.01, width


def test_a_restyled_or_hovered_marker_is_stamped_again(qtbot):
    fast, group = _plot_with(qtbot, MarkerGroup)
    _pan(fast, 900.0, 365.0, 2)
    before = _grab(fast)
    group.setBrush(pg.mkBrush("#D55E00"))
    fast.viewport().repaint()
    after = _grab(fast)
    orange = (np.abs(after[..., 2].astype(int) - 0xD5) < 8) & (np.abs(after[..., 1].astype(int) - 0x5E) < 8)
    assert orange.mean() > 0.02 and _differing(before, after) > 0.02


def test_markers_outside_the_cache_appear_when_panned_far(qtbot):
    plain, _ = _plot_with(qtbot, pg.ScatterPlotItem)
    fast, _ = _plot_with(qtbot, MarkerGroup)
    for widget in (plain, fast):
        _pan(widget, 100.0, 365.0, 2)
        widget.setXRange(2500.0, 2865.0, padding=0)  # far beyond the image stamped at day 100
        widget.viewport().repaint()
    assert _differing(_grab(plain), _grab(fast)) < 0.01


def test_day_axis_ticks_on_the_dosing_interval_at_every_zoom():
    axis = items.DaysAxis(21)
    for span, size in ((126, 900), (365, 900), (3650, 900), (3650, 400), (30, 600)):
        levels = axis.tickSpacing(0, span, size)
        major = levels[0][0]
        assert major % 21 == 0 or major in (1, 2, 7) or major % 7 == 0
        assert span / major <= max(3, size / items.DaysAxis.LABEL_PX) + 1  # labels fit
        assert len(levels) <= 2
        for minor, _ in levels[1:]:
            assert span / minor <= size / items.DaysAxis.MINOR_PX  # never 500 minor ticks
    assert axis.tickSpacing(0, 126, 900)[0][0] == 21  # the demo's days 0, 21, 42, ...
    assert axis.tickSpacing(0, 3650, 900)[0][0] % 21 == 0


def test_edge_label_follows_a_zoom_and_keeps_its_place_when_panned(qtbot):
    widget = pg.PlotWidget()
    widget.resize(600, 300)
    qtbot.addWidget(widget)
    line = items.edge_label_line(50.0, "C3", "#000000", 12, position=0.95, angle=90, anchor=(0.5, 0))
    widget.addItem(line, ignoreBounds=True)
    widget.setXRange(0, 100, padding=0)
    widget.setYRange(0, 2, padding=0)
    with qtbot.waitExposed(widget):
        widget.show()
    widget.viewport().repaint()
    top = line.label.mapToView(line.label.boundingRect().center()).y()
    widget.setXRange(10, 110, padding=0)  # a pan: the label stays at the top of the view
    widget.viewport().repaint()
    assert abs(line.label.mapToView(line.label.boundingRect().center()).y() - top) < 1e-6
    widget.setYRange(0, 4, padding=0)  # a zoom in y: the label moves to the new top
    widget.viewport().repaint()
    assert line.label.mapToView(line.label.boundingRect().center()).y() > top + 1.0
    assert QColor(line.label.color).name() == "#000000"
