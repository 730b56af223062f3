"""The long record's line, bands and infusion marks pan from images, and paint what the plain
drawing paints: each test pans both, then compares pixels, so a cache that shows a stale view,
the wrong part of its image or a mark outside its plot fails."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from analysis.figure.items import Band
from desktop.chart import items
from desktop.chart.curves import LongCurve, column_extremes, timeline_line


def _widget(qtbot, *parts, y=(0, 2)):
    widget = pg.PlotWidget(background="w")
    widget.resize(700, 400)
    qtbot.addWidget(widget)
    for part in parts:
        widget.addItem(part)
    widget.setYRange(*y, padding=0)
    widget.getAxis("left").setWidth(40)  # the same plot area in every widget
    with qtbot.waitExposed(widget):
        widget.show()
    return widget


def _grab(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    ptr = image.constBits()
    pixels = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes()).reshape(image.height(), -1, 4)
    return pixels[..., :3].astype(int)


def _apart(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of pixels that differ by more than a shade, when either image may sit a pixel
    to either side (an image is moved by whole pixels: up to half a pixel off)."""
    off = np.min([np.abs(a - np.roll(b, s, axis=1)).max(axis=2) for s in (-1, 0, 1)], axis=0)
    return float((off > 40).mean())


def _pan(widget, start, width, steps):
    for k in range(steps):
        widget.setXRange(start + k * width * 0.013, start + width + k * width * 0.013, padding=0)
        widget.viewport().repaint()


def _record(n=30_000, seed=5):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 3650, n))
    y = 1.0 + 0.5 * np.sin(x / 3.0) + rng.normal(0, 0.15, n)
    return x, y


def _thin_pen():
    pen = items.pen("#1F5F8B", 0.5)
    pen.setWidthF(1.0)
    return pen


def test_a_panned_long_curve_covers_the_pixels_of_the_whole_line(qtbot):
    x, y = _record()
    for start, width in ((900.0, 365.0), (-20.0, 3690.0)):
        plain_item = pg.PlotDataItem(x, y, pen=_thin_pen(), antialias=False)  # every point, every frame
        curve = LongCurve(x, y, _thin_pen())
        plain, fast = _widget(qtbot, plain_item), _widget(qtbot, curve)
        for widget in (plain, fast):
            _pan(widget, start, width, 6)
        assert curve._pan_cache is not None  # drawn from its image
        a, b = _grab(plain), _grab(fast)
        line_a, line_b = (a < 200).any(axis=2), (b < 200).any(axis=2)
        assert line_a.sum() > 2000
        # Where the full line is drawn the curve is (a pixel to either side, from the image's
        # whole-pixel shift), and it draws nothing the full line does not.
        near = lambda m: m | np.roll(m, 1, axis=1) | np.roll(m, -1, axis=1)  # noqa: E731
        assert (line_a & ~near(line_b)).sum() / line_a.sum() < 0.01, width
        assert (line_b & ~near(line_a)).sum() / line_b.sum() < 0.01, width


def test_a_line_through_a_crowded_pixel_column_keeps_its_ends_and_extremes():
    x = np.array([0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2.5])
    y = np.array([5.0, 1.0, 2.0, 9.0, 3.0, 4.0, 2.0, 3.0, 8.0, 0.5, 7.0, 6.0, 3.0])
    kx, ky = column_extremes(x, y)
    # Column 0: first 5, lowest 1, highest 9, last 4; column 1: first 2, highest 8, lowest 0.5,
    # last 6 (in the order they were drawn); column 2 alone.
    assert ky.tolist() == [5.0, 1.0, 9.0, 4.0, 2.0, 8.0, 0.5, 6.0, 3.0]
    assert (np.diff(kx) > 0).all()
    few = np.array([0.1, 1.1, 2.1, 3.1, 4.1, 5.1, 6.1, 7.1, 8.1])
    assert column_extremes(few, few)[0] is few  # one point a column: nothing to drop


def test_only_a_long_line_in_time_order_is_drawn_as_a_long_curve():
    class Axis:
        log = True

    x, y = _record(items.BIG_CURVE + 1)
    long = timeline_line(x, y, _thin_pen(), Axis())
    assert isinstance(long, LongCurve)
    assert np.allclose(long.getData()[1], np.log10(y))  # in the view's units on a log axis
    assert isinstance(timeline_line(x[:100], y[:100], _thin_pen(), Axis()), pg.PlotDataItem)
    assert isinstance(timeline_line(x[::-1], y, _thin_pen(), Axis()), pg.PlotDataItem)


def _bands(n=170):
    return [Band(21.0 * k, 21.0 * k + 20.0, "#BDBDBD" if k % 2 else "#E0E0E0") for k in range(n)]


def test_panned_bands_paint_every_cycle_as_drawn_directly(qtbot):
    class Direct(items.BandsItem):
        def paint(self, painter, *_):  # the same drawing, every frame, without the image
            self.draw_direct(painter, painter.transform(), painter.viewport())

    cached, direct = items.BandsItem(_bands()), Direct(_bands())
    fast, plain = _widget(qtbot, cached), _widget(qtbot, direct)
    for start, width in ((900.0, 365.0), (-20.0, 3600.0)):
        for widget in (fast, plain):
            _pan(widget, start, width, 6)
        assert cached._pan_cache is not None
        assert _apart(_grab(fast), _grab(plain)) < 0.002, width
    fast.setYRange(0, 4, padding=0)  # a zoom in y: drawn again, still full height
    fast.viewport().repaint()
    image = _grab(fast)
    plot = fast.getViewBox().sceneBoundingRect().toAlignedRect()
    column = image[plot.top() + 3:plot.bottom() - 3, plot.center().x()]
    assert (column.max(axis=1) < 250).all()  # shaded from top to bottom


def test_infusion_marks_pan_inside_their_track_and_a_hovered_one_is_coloured(qtbot):
    class Direct(items.InfusionTrack):
        def paint(self, painter, *_):
            self.draw_direct(painter, painter.transform(), painter.viewport())

    tracks = items.InfusionTrack("#000000", 12, position=0.5), Direct("#000000", 12, position=0.5)
    for track in tracks:
        for k in range(170):
            track.add(items.InfusionMarker(21.0 * k))
    widget, plain = (_widget(qtbot, track, y=(0, 1)) for track in tracks)
    track = tracks[0]
    for w in (widget, plain):
        _pan(w, 900.0, 365.0, 6)
    assert track._pan_cache is not None
    image = _grab(widget)
    assert (image.max(axis=2) < 100).sum() > 500  # marks in view
    assert _apart(image, _grab(plain)) < 0.001  # and none outside the plot
    (x0, _), _ = widget.getViewBox().viewRange()
    k = int(np.ceil(x0 / 21.0)) + 2  # a mark in view

    class Hover:  # the mouse over mark k, as pyqtgraph's scene reports it
        def isExit(self):  # noqa: N802
            return False

        def pos(self):
            return QPointF(21.0 * k, 0.5)

        def acceptDrags(self, button):  # noqa: N802
            pass

    track.hoverEvent(Hover())
    assert track._hover == k
    widget.viewport().repaint()
    blue = (np.abs(_grab(widget) - np.array([0xB2, 0x72, 0x00])).max(axis=2) < 40)  # BGR of #0072B2
    assert blue.sum() > 10


def _axis_widgets(qtbot, *axes) -> list:
    """A shown 700 x 300 plot for each bottom axis, to compare what they draw."""
    widgets = []
    for axis in axes:
        widget = pg.PlotWidget(axisItems={"bottom": axis})
        widget.resize(700, 300)
        qtbot.addWidget(widget)
        widget.show()
        widgets.append(widget)
    return widgets


def _drawn_ticks(widget) -> tuple[list, list]:
    """The bottom axis's tick positions and label boxes and texts, as it would draw them now."""
    from PySide6.QtGui import QPainter, QPicture

    axis = widget.getPlotItem().getAxis("bottom")
    picture = QPicture()
    painter = QPainter(picture)
    try:
        _, ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return ([(round(a.x(), 6), round(b.y(), 6)) for _, a, b in ticks],
            [(round(r.x(), 6), round(r.width(), 6), text) for r, _, text in texts])


def test_the_day_axis_remembering_its_ticks_and_label_sizes_draws_what_it_would_work_out(qtbot):
    class Plain(items.DaysAxis):  # the same ticks, worked out and measured on every repaint
        def tickValues(self, minVal, maxVal, size):  # noqa: N802 N803
            return pg.AxisItem.tickValues(self, minVal, maxVal, size)

        def generateDrawSpecs(self, p):  # noqa: N802
            return pg.AxisItem.generateDrawSpecs(self, p)

    widgets = _axis_widgets(qtbot, items.DaysAxis(21), Plain(21))
    seen = set()
    for start, width in ((0.0, 126.0), (900.0, 365.0), (-20.0, 3650.0), (400.0, 30.0)):
        for k in range(8):
            for widget in widgets:
                widget.setXRange(start + k * width * 0.07, start + width + k * width * 0.07, padding=0)
            fast, plain = _drawn_ticks(widgets[0]), _drawn_ticks(widgets[1])
            assert fast == plain and plain[1]
            seen.add(tuple(text for *_, text in plain[1]))
    assert len(seen) > 8  # ticks entered and left the view


def test_the_dates_axis_stepping_and_remembering_its_ticks_draws_what_pyqtgraph_works_out(qtbot):
    from datetime import datetime

    origin = datetime(2014, 3, 5, 7, 30)

    class Plain(items.DaysAsDatesAxis):  # pyqtgraph's ticks, labels and sizes on every repaint
        def tickValues(self, minVal, maxVal, size):  # noqa: N802 N803
            levels = pg.DateAxisItem.tickValues(self, self.origin_s + minVal * items.DAY_S,
                                                self.origin_s + maxVal * items.DAY_S, size)
            return [(s / items.DAY_S, [(v - self.origin_s) / items.DAY_S for v in values]) for s, values in levels]

        def tickStrings(self, values, scale, spacing):  # noqa: N802
            return pg.DateAxisItem.tickStrings(self, [self.origin_s + v * items.DAY_S for v in values], scale,
                                               spacing * items.DAY_S)

        def generateDrawSpecs(self, p):  # noqa: N802
            return pg.DateAxisItem.generateDrawSpecs(self, p)

    fast_axis = items.DaysAsDatesAxis(origin)
    widgets = _axis_widgets(qtbot, fast_axis, Plain(origin))
    seen, kept = set(), 0
    # Hours, days, weeks, months and years in view, panned by a step that keeps the ticks and
    # by one that moves them.
    for start, width in ((10.0, 0.4), (0.0, 6.0), (30.0, 60.0), (900.0, 365.0), (-20.0, 3650.0)):
        for k in range(8):
            step = 0.001 if k % 2 else 0.07
            for widget in widgets:
                widget.setXRange(start + k * width * step, start + width + k * width * step, padding=0)
            before = fast_axis._ticks
            fast, plain = _drawn_ticks(widgets[0]), _drawn_ticks(widgets[1])
            assert fast == plain and plain[1], (start, width, k)
            kept += before is not None and fast_axis._ticks is before
            seen.add(tuple(text for *_, text in plain[1]))
    assert len(seen) > 10  # ticks entered and left the view
    assert kept >= 3  # and a pan that left them where they were kept them
