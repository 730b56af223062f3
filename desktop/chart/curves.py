"""The line through a long record's draws, drawn per zoom and only moved while panning.

A ``PlotDataItem`` of 50,000 points clips and decimates its data again on every change of the
view and strokes thousands of segments on every frame: with ten years in view that stroke alone
was nearly half of a panning frame. ``LongCurve`` draws the same line into a ``PanCache`` once
per zoom, and of the draws that fall on one device pixel column it strokes only the first, the
lowest, the highest and the last, in their order: a line through them covers the pixels of that
column the line through all of them covers, as the raster engine draws it 1 px wide without
antialiasing (what a line of more than ``items.BIG_CURVE`` points is drawn as anyway).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QPainter, QPen, QTransform

from . import scale
from .items import BIG_CURVE
from .pan_cache import PanCached


def timeline_line(x, y, pen: QPen, y_axis) -> pg.GraphicsObject:
    """A line of the interactive timeline through ``y`` (the spec's values on ``y_axis``): a
    ``LongCurve`` when it is long and in time order, else a ``PlotDataItem`` (which the caller
    lightens once it is in its view box, ``items.lighten``)."""
    x = np.asarray(x, dtype=float)
    if len(x) > BIG_CURVE and bool(np.all(np.diff(x) >= 0)):
        return LongCurve(x, scale.view_y(y_axis, np.asarray(y, dtype=float)), pen)
    return pg.PlotDataItem(x, y, pen=pen, skipFiniteCheck=True)


class LongCurve(PanCached, pg.GraphicsObject):
    """A line through ``x`` (ascending) and ``y`` in view units, drawn with ``pen``'s colour and
    style 1 px wide (as ``items.lighten`` draws a long line)."""

    def __init__(self, x, y, pen: QPen):
        super().__init__()
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.pen = QPen(pen)
        self.pen.setCosmetic(True)
        self.pen.setWidthF(1.0)
        finite = np.isfinite(self.x) & np.isfinite(self.y)
        self.x, self.y = self.x[finite], self.y[finite]
        if len(self.x):
            self._bounds = QRectF(QPointF(self.x.min(), self.y.min()), QPointF(self.x.max(), self.y.max()))
        else:
            self._bounds = QRectF()

    def getData(self):  # noqa: N802 - PlotDataItem's name
        return self.x, self.y

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: N802 N803 - pyqtgraph's names
        values = self.x if ax == 0 else self.y
        if not len(values):
            return None, None
        return float(values.min()), float(values.max())

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self._bounds)

    def paint(self, p: QPainter, *_):
        if len(self.x) >= 2:
            self.paint_cached(p)

    def draw_direct(self, p: QPainter, tr: QTransform, viewport: QRect) -> None:
        """Stroke the part of the line that can show in ``viewport`` (device pixels)."""
        inverse, ok = tr.inverted()
        if not ok or tr.m12() or tr.m21():
            self._stroke(p, tr, self.x, self.y)
            return
        a = inverse.map(QPointF(viewport.left() - 2, 0)).x()
        b = inverse.map(QPointF(viewport.right() + 2, 0)).x()
        # One draw beyond each edge, so that the line leaves the view where it would.
        i0, i1 = np.searchsorted(self.x, [min(a, b), max(a, b)])
        i0, i1 = max(int(i0) - 1, 0), min(int(i1) + 1, len(self.x))
        x = self.x[i0:i1] * tr.m11() + tr.dx()
        y = self.y[i0:i1] * tr.m22() + tr.dy()
        dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        x, y = column_extremes(x, y, dpr)
        saved = p.transform()
        p.resetTransform()
        self._stroke(p, QTransform(), x, y)
        p.setTransform(saved)

    def _stroke(self, p: QPainter, tr: QTransform, x, y) -> None:
        if len(x) < 2:
            return
        if not tr.isIdentity():
            xy = pg.functions.transformCoordinates(tr, np.vstack([x, y]))
            x, y = xy[0], xy[1]
        p.setRenderHint(QPainter.Antialiasing, False)
        p.setPen(self.pen)
        # Far outside the image the raster engine's fixed-point coordinates would overflow.
        p.drawPath(pg.arrayToQPath(np.clip(x, -2**24, 2**24), np.clip(y, -2**24, 2**24)))


def column_extremes(x: np.ndarray, y: np.ndarray, dpr: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Of the points (device pixels, ``x`` ascending) in each device pixel column, the first,
    the lowest, the highest and the last, in their order: a line through them covers what the
    line through all of them covers there. Columns of one or two points are kept as they are."""
    n = len(x)
    if n < 8:
        return x, y
    column = np.floor(x * dpr).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    if len(starts) * 4 >= n:  # hardly two points to a column: nothing to gain
        return x, y
    ends = np.r_[starts[1:], n] - 1
    counts = ends - starts + 1
    index = np.arange(n)
    lowest = np.minimum.reduceat(y, starts)
    highest = np.maximum.reduceat(y, starts)
    # The first point of each column at its lowest and at its highest value.
    i_low = np.minimum.reduceat(np.where(y == np.repeat(lowest, counts), index, n), starts)
    i_high = np.minimum.reduceat(np.where(y == np.repeat(highest, counts), index, n), starts)
    keep = np.stack([starts, np.minimum(i_low, i_high), np.maximum(i_low, i_high), ends], axis=1).ravel()
    keep = keep[np.r_[True, keep[1:] != keep[:-1]]]  # a point that is two of them, once
    return x[keep], y[keep]
