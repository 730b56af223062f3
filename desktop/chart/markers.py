"""Marker groups of tens of thousands of draws that pan at frame rate.

pyqtgraph's ``ScatterPlotItem`` maps, culls and stamps every point of the group on every frame,
and throws its data bounds away whenever the view moves; a ten-year record's 50,000 draws then
cost most of a 16 ms frame even when one year is in view. ``MarkerGroup`` keeps the API the chart
and its tests use (points, data, hover tips, clicks) and paints differently:

- the draws are in time order, so the ones in view are one slice found by binary search;
- markers are stamped at whole device pixels (as the raster engine places them anyway), so two
  draws of the group that land on the same pixel are one stamp: the whole record in view is at
  most one stamp per pixel, whatever the number of draws;
- data bounds do not depend on the view, and the bounding box only on its scale: both are kept
  while panning;
- a group of more than ``CACHE_ABOVE`` draws is stamped through a ``pan_cache.PanCache``;
- ``show_only`` hides the draws an edit moved to another role (an infection event's cycle) and
  shows them again on undo: a mask, where building the group again costs a tenth of a second.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph import functions as fn
from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QTransform

from .pan_cache import PanCached, only_moved

# Below this many markers in view every one is stamped: sorting out duplicates costs more.
DEDUPLICATE_ABOVE = 2000
# Groups of more markers than this are stamped into an image that panning only moves.
CACHE_ABOVE = 2000


class MarkerGroup(PanCached, pg.ScatterPlotItem):
    """A ``ScatterPlotItem`` of one symbol, size and colour (one role of the spec's draws)."""

    def __init__(self, *args, **kwargs):
        self._sorted = False
        self._rect: tuple | None = None  # the bounding box, with the transform and data it is for
        self._index: dict | None = None  # draw key -> row of self.data, made when first needed
        super().__init__(*args, **kwargs)

    def setData(self, *args, **kwargs):  # noqa: N802 - pyqtgraph's name
        super().setData(*args, **kwargs)
        self._index = None
        x = self.data["x"]
        self._sorted = bool(len(x) < 2 or np.all(np.diff(x) >= 0))

    def _rect_valid(self) -> bool:
        # The markers' padding is pixels: the box depends on the view's scale, not its place.
        if self._rect is None:
            return False
        tr, data, size, _ = self._rect
        return data is self.data and size == self._maxSpotPxWidth and only_moved(tr, self.sceneTransform())

    def viewTransformChanged(self):  # noqa: N802
        # The base class forgets the data bounds here; in pixel mode they never depend on the view,
        # and a pan (the view only moved) leaves the bounding box as it was.
        if not self._rect_valid():
            self.prepareGeometryChange()
        pg.GraphicsObject.viewTransformChanged(self)

    def boundingRect(self):  # noqa: N802
        if not self._rect_valid():
            self._rect = (self.sceneTransform(), self.data, self._maxSpotPxWidth, super().boundingRect())
        return QRectF(self._rect[3])

    def _in_view(self, tr: QTransform, viewport: QRect) -> tuple[int, int]:
        """Index range of the draws whose markers may show in ``viewport`` (device pixels): the
        x range it shows, a marker wider on each side."""
        n = len(self.data)
        inverse, ok = tr.inverted()
        if not ok or not self._sorted or not n or tr.m12() or tr.m21():
            return 0, n
        pad = (self._maxSpotPxWidth or 20) / 2 + 2
        a = inverse.map(QPointF(viewport.left() - pad, 0)).x()
        b = inverse.map(QPointF(viewport.right() + pad, 0)).x()
        lo, hi = np.searchsorted(self.data["x"], [min(a, b), max(a, b)])
        return int(lo), int(hi)

    def show_only(self, keys, x, y) -> bool:
        """Show of this group's draws exactly those with ``keys`` (at ``x``, ``y`` in view units,
        in the group's order) and hide the others. False, changing nothing, when a draw is not
        the group's or not where the group has it: the group must then be built anew."""
        n = len(keys)
        if not n or n != len(x) or n != len(y):
            return False
        if self._index is None:
            try:
                self._index = {k: i for i, k in enumerate(self.data["data"].tolist())}
            except TypeError:  # unhashable keys
                return False
            if len(self._index) != len(self.data):  # a key twice: rows are not told apart
                return False
        get = self._index.get
        rows = np.fromiter((get(k, -1) for k in keys), dtype=np.int64, count=n)
        if rows.min() < 0 or (n > 1 and np.any(np.diff(rows) <= 0)):
            return False
        if not (np.array_equal(self.data["x"][rows], np.asarray(x, dtype=float))
                and np.array_equal(self.data["y"][rows], np.asarray(y, dtype=float))):
            return False
        visible = np.zeros(len(self.data), dtype=bool)
        visible[rows] = True
        if np.array_equal(visible, self.data["visible"]):
            return True
        self.prepareGeometryChange()
        self.data["visible"] = visible
        self.bounds = [None, None]  # pyqtgraph's data bounds, of the visible draws
        self._rect = None
        self.invalidate()
        return True

    def shown_count(self) -> int:
        return int(np.count_nonzero(self.data["visible"]))

    def invalidate(self):
        self.drop_pan_cache()  # a restyled, added or hovered marker: stamp again
        super().invalidate()

    def paint(self, p, option, widget):
        if self.opts["pxMode"] is not True or not self.opts["useCache"] or self._exportOpts is not False:
            return super().paint(p, option, widget)
        if widget is not None and widget.devicePixelRatioF() != self.fragmentAtlas.devicePixelRatio():
            return super().paint(p, option, widget)  # the base class renders the atlas again
        if len(self.data) <= CACHE_ABOVE:
            return self.draw_direct(p, p.transform(), p.viewport())
        self.paint_cached(p)

    def draw_direct(self, p, tr, viewport) -> None:
        """Stamp the markers that can show in ``viewport`` (device pixels) with transform ``tr``."""
        i0, i1 = self._in_view(tr, viewport)
        data = self.data[i0:i1]
        data = data[data["visible"]]
        if not len(data):
            return
        dpr = self.fragmentAtlas.devicePixelRatio()
        xy = fn.transformCoordinates(tr, np.vstack([data["x"], data["y"]]))
        # Whole device pixels: what the raster engine stamps, and what makes duplicates exact.
        xy = np.round(np.clip(xy, -2**30, 2**30) * dpr) / dpr
        sr = np.frombuffer(data["sourceRect"].tobytes(), dtype=int).reshape((-1, 4))
        xy, sr = _distinct(xy, sr, dpr, viewport)
        saved = p.transform()
        p.resetTransform()
        self._pixmapFragments.resize(len(sr))
        frags = self._pixmapFragments.ndarray()
        frags[:, 0:2] = xy.T
        frags[:, 2:6] = sr
        frags[:, 6:10] = [1 / dpr, 1 / dpr, 0.0, 1.0]
        p.drawPixmapFragments(*self._pixmapFragments.drawargs(), self.fragmentAtlas.pixmap)
        p.setTransform(saved)


def _distinct(xy: np.ndarray, sr: np.ndarray, dpr: float, viewport) -> tuple[np.ndarray, np.ndarray]:
    """The markers to stamp: those inside the viewport (plus half a marker), and of those one per
    device pixel when every marker is the same stamp (a hovered one has its own)."""
    if xy.shape[1] <= DEDUPLICATE_ABOVE:
        return xy, sr
    half = int(sr[:, 2:4].max()) // 2 + 2
    inside = ((xy[0] >= viewport.left() - half) & (xy[0] <= viewport.right() + half)
              & (xy[1] >= viewport.top() - half) & (xy[1] <= viewport.bottom() + half))
    xy, sr = xy[:, inside], sr[inside]
    if len(sr) <= DEDUPLICATE_ABOVE or not (sr == sr[0]).all():
        return xy, sr
    ix = np.rint(xy[0] * dpr).astype(np.int64)
    iy = np.rint(xy[1] * dpr).astype(np.int64)
    cells = (iy - iy.min()) * (int(ix.max() - ix.min()) + 1) + (ix - ix.min())
    # The last marker on each pixel (the one on top), in the order they were drawn in.
    _, last = np.unique(cells[::-1], return_index=True)
    keep = np.sort(len(cells) - 1 - last)
    return xy[:, keep], sr[keep]
