"""Thin pyqtgraph items that translate FigureSpec records to the screen.

Nothing here decides what to show or in which colour: styles come from the spec (hex colours,
matplotlib marker and line-style names) and are only translated. The items that carry many
shapes paint them in one pass (``BandsItem``, ``InfusionTrack``), so that a ten-year record with ~170 cycles pans
as smoothly as six.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import HOUR_SPACING
from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsLineItem

from analysis.figure.axes import day_step

from .pan_cache import PanCached

DAY_S = 86400.0

# matplotlib marker names (what the spec uses) -> pyqtgraph symbols.
SYMBOL = {"o": "o", "s": "s", "D": "d", "d": "d", "v": "t", "^": "t1", "<": "t3", ">": "t2",
          "x": "x", "+": "+", "*": "star", "p": "p", "h": "h"}
LINE_STYLE = {"-": Qt.SolidLine, "--": Qt.DashLine, ":": Qt.DotLine, "-.": Qt.DashDotLine}

# Print sizes (points at final size) -> screen pixels. The printed figure is small (7 pt
# text, 4 pt markers at 180 mm); on a monitor the same proportions need about twice the size.
MARKER_PX_PER_PT = 2.3
LINE_PX_PER_PT = 2.0


def colour(hex_colour: str, alpha: float | None = None) -> QColor:
    c = QColor(hex_colour or "#000000")
    if alpha is not None:
        c.setAlphaF(alpha)
    return c


def pen(hex_colour: str, width_pt: float = 0.6, style: str = "-", cosmetic: bool = True) -> QPen:
    p = QPen(colour(hex_colour))
    p.setWidthF(max(1.0, width_pt * LINE_PX_PER_PT))
    p.setStyle(LINE_STYLE.get(style, Qt.SolidLine))
    p.setCosmetic(cosmetic)
    return p


def symbol(marker: str) -> str:
    return SYMBOL.get(marker, "o")


def marker_px(size_pt: float) -> float:
    return max(5.0, size_pt * MARKER_PX_PER_PT)


class BandsItem(PanCached, pg.GraphicsObject):
    """The shaded cycles: opaque rectangles spanning the whole visible height, painted through a
    ``PanCache`` (170 cycles of a long record fill tens of thousands of short spans a frame)."""

    def __init__(self, bands):
        super().__init__()
        self.bands = tuple(bands)
        self._x0 = np.array([b.x0 for b in self.bands], dtype=float)
        self._x1 = np.array([b.x1 for b in self.bands], dtype=float)
        fills: dict[str, list[int]] = {}
        for i, b in enumerate(self.bands):
            fills.setdefault(b.fill, []).append(i)
        self._fills = [(colour(fill), np.array(index, dtype=int)) for fill, index in fills.items()]
        self.setZValue(-100)
        self._vb = None

    def _view_y(self) -> tuple[float, float]:
        vb = self.getViewBox()
        if vb is None:
            return 0.0, 1.0
        if vb is not self._vb:
            self._vb = vb
            vb.sigYRangeChanged.connect(self._y_changed)
        (_, _), (y0, y1) = vb.viewRange()
        pad = (y1 - y0) or 1.0
        return y0 - pad, y1 + pad

    def _y_changed(self, *_):
        self.prepareGeometryChange()

    def boundingRect(self) -> QRectF:  # noqa: N802
        if not self.bands:
            return QRectF()
        y0, y1 = self._view_y()
        x0, x1 = float(self._x0.min()), float(self._x1.max())
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def paint(self, painter: QPainter, *_):
        if self.bands:
            self.paint_cached(painter)

    def draw_direct(self, p: QPainter, tr: QTransform, viewport: QRect) -> None:
        y0, y1 = self._view_y()
        inverse, ok = tr.inverted()
        a, b = (inverse.map(QPointF(viewport.left(), 0)).x(), inverse.map(QPointF(viewport.right() + 1, 0)).x()) \
            if ok else (float("-inf"), float("inf"))
        shown = (self._x1 >= min(a, b)) & (self._x0 <= max(a, b))  # only the cycles in view
        p.setPen(Qt.NoPen)
        for brush, index in self._fills:  # one call per colour
            index = index[shown[index]]
            if len(index):
                p.setBrush(brush)
                p.drawRects([QRectF(self._x0[i], y0, self._x1[i] - self._x0[i], y1 - y0) for i in index])


class DaysAsDatesAxis(pg.DateAxisItem):
    """Calendar dates on an axis whose values are days since ``origin`` (the spec's x).

    Keeping one x coordinate (days) for both axis modes means switching days/dates changes only
    the tick labels: the view, the items and the user's zoom stay where they are.

    pyqtgraph works the date ticks out on every repaint with a time-zone conversion per tick
    (nothing at this axis's zero offset), and formats and measures every label: here the ticks
    are stepped without it and kept while a pan leaves them, and labels keep their text and size
    (as ``DaysAxis``)."""

    def __init__(self, origin: datetime, **kwargs):
        super().__init__(orientation="bottom", utcOffset=0, **kwargs)
        # Naive local times are shown as they are: treat them as UTC, with a zero offset.
        self.origin_s = origin.replace(tzinfo=timezone.utc).timestamp()
        self._ticks: tuple | None = None  # the last ticks worked out, with what they follow from
        self._sizes: dict = {}  # a label's measured box, by font and text
        self._strings: dict = {}  # a tick's label, by zoom level, spacing and value

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 N803
        lo, hi = self.origin_s + minVal * DAY_S, self.origin_s + maxVal * DAY_S
        levels = self._zero_offset_ticks(lo, hi, size)
        if levels is None:
            levels = super().tickValues(lo, hi, size)
        return [(spacing / DAY_S, [(v - self.origin_s) / DAY_S for v in values]) for spacing, values in levels]

    def _zero_offset_ticks(self, lo: float, hi: float, size: float) -> list | None:
        """pyqtgraph's ``DateAxisItem.tickValues`` for this axis's zero UTC offset, without
        the time-zone conversion it makes per tick (which adds nothing at a zero offset); kept
        while each step's ticks start and end where they did (a pan of a few pixels). None when
        pyqtgraph's own is needed (another offset, local hours)."""
        if self.utcOffset or not (size > 0 and hi > lo):
            return None
        self.setZoomLevelForDensity((hi - lo) / size)  # what DateAxisItem.tickValues does first
        level, spacing = self.zoomLevel, self.minSpacing
        steps, key = [], [id(level), spacing]
        for spec in level.tickSpecs:
            ticks, skip = spec.makeTicks(lo, hi, spacing)
            if spec.spacing == HOUR_SPACING and skip == 1:  # moved to local hours by pyqtgraph
                return None
            steps.append((spec.spacing, ticks))
            key.append((spec.spacing, len(ticks), float(ticks[0]) if len(ticks) else None,
                        float(ticks[-1]) if len(ticks) else None))
            if skip > 1:  # no finer ticks after a skipped step
                break
        if self._ticks is not None and self._ticks[0] == key:
            return self._ticks[1]
        seen = np.array([])
        levels = []
        for step, ticks in steps:  # ticks already shown by a coarser step are left out
            close = np.any(np.isclose(seen, ticks[:, np.newaxis], rtol=0, atol=spacing * 0.01), axis=-1)
            ticks = ticks[~close]
            seen = np.concatenate([seen, ticks])
            levels.append((step, ticks.tolist()))
        self._ticks = (key, levels)
        return levels

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        strings = self._strings
        if len(strings) > 5000:  # a long session's labels: start again
            strings.clear()
        level = id(self.zoomLevel)  # the format is its step's at the zoom level
        missing = [v for v in values if (level, spacing, v) not in strings]
        if missing:
            texts = super().tickStrings([self.origin_s + v * DAY_S for v in missing], scale, spacing * DAY_S)
            strings.update(((level, spacing, v), t) for v, t in zip(missing, texts, strict=True))
        return [strings[(level, spacing, v)] for v in values]

    def generateDrawSpecs(self, p):  # noqa: N802
        # The same labels keep their size (see _Measuring).
        font = self.style["tickFont"] or p.font()
        return super().generateDrawSpecs(_Measuring(p, self._sizes, font.key()))


class DaysAxis(pg.AxisItem):
    """Days since the first infusion, ticked as the printed figure is (``day_step``: multiples of
    the dosing interval, else of a week) at every zoom, with at most one minor level.

    pyqtgraph measures the label of every tick it is given on each repaint, so a week's minor
    ticks across a 10-year record (500 labels) cost most of a panning frame: minor ticks are
    only offered where they stay a few pixels apart."""

    LABEL_PX = 70  # room for one major tick label
    MINOR_PX = 12  # closest minor ticks

    def __init__(self, interval: float | None = None, **kwargs):
        super().__init__(orientation="bottom", **kwargs)
        self.interval = int(interval) if interval else None
        self._ticks: tuple | None = None  # the last ticks worked out, with what they follow from
        self._sizes: dict = {}  # a label's measured box, by font and text

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 N803
        # While panning, the same ticks are in view from frame to frame: worked out again only
        # when the spacing changes or a tick enters or leaves (the levels and, for each, its
        # first tick and count are all pyqtgraph's values follow from).
        lo, hi = sorted((minVal * self.scale, maxVal * self.scale))
        key = [self.scale]
        for spacing, offset in self.tickSpacing(lo, hi, size):
            first = math.ceil((lo - offset) / spacing)
            key.append((spacing, offset, first, int((hi - (first * spacing + offset)) / spacing) + 1))
        if self._ticks is None or self._ticks[0] != key:
            self._ticks = (key, super().tickValues(minVal, maxVal, size))
        return list(self._ticks[1])

    def generateDrawSpecs(self, p):  # noqa: N802
        # pyqtgraph measures every tick label on every repaint; the same labels keep their size.
        font = self.style["tickFont"] or p.font()
        return super().generateDrawSpecs(_Measuring(p, self._sizes, font.key()))

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802 N803
        span = maxVal - minVal
        if not (span > 0 and size > 0):
            return super().tickSpacing(minVal, maxVal, size)
        major = day_step(span, max(2, int(size / self.LABEL_PX)), self.interval)
        levels = [(float(major), 0.0)]
        for minor in (self.interval, 7, 1):
            if minor and minor < major and major % minor == 0 and span / minor <= size / self.MINOR_PX:
                levels.append((float(minor), 0.0))
                break
        return levels

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [f"{v:g}" if abs(v - round(v)) < 1e-9 else f"{v:.1f}" for v in values]


class _Measuring:
    """The painter pyqtgraph's ``AxisItem.generateDrawSpecs`` is given, remembering the boxes
    of the texts it measures (``sizes``, for the font ``font_key``); all else is the painter's."""

    def __init__(self, painter: QPainter, sizes: dict, font_key: str):
        self._painter, self._sizes, self._font = painter, sizes, font_key

    def boundingRect(self, rect: QRectF, flags, text: str) -> QRectF:  # noqa: N802 - QPainter's name
        key = (self._font, rect.x(), rect.y(), rect.width(), rect.height(), int(flags), text)
        box = self._sizes.get(key)
        if box is None:
            if len(self._sizes) > 2000:  # a long session's labels: start again
                self._sizes.clear()
            box = self._sizes[key] = self._painter.boundingRect(rect, flags, text)
        return QRectF(box)  # a copy: the caller resizes it

    def __getattr__(self, name):
        return getattr(self._painter, name)


def _vertical_view_key(item, line) -> tuple | None:
    """What a vertical line and its label depend on in their view: the y range, the x scale and
    the size. None for other lines, or outside a view box."""
    if line.angle % 180 != 90:
        return None
    vb = line.getViewBox()
    if not isinstance(vb, pg.ViewBox):
        return None
    (x0, x1), (y0, y1) = vb.viewRange()
    w, h = vb.width(), vb.height()
    return (y0, y1, round((x1 - x0) / w, 12) if w else 0.0, w, h)


class EdgeLine(pg.InfiniteLine):
    """An ``InfiniteLine`` that skips re-measuring itself when a vertical line's view only
    pans sideways (its length and width in pixels are the same): ten years of cycle numbers
    would otherwise cost a few milliseconds of every panning frame."""

    _view_key: tuple | None = None

    def viewTransformChanged(self):  # noqa: N802
        key = _vertical_view_key(self, self)
        if key is not None and key == self._view_key:
            self._cachedView = None
            return
        self._view_key = key
        super().viewTransformChanged()


class EdgeLabel(pg.InfLineLabel):
    """The label of an ``EdgeLine``, skipping the same work. Its two anchors are the same, so a
    sideways pan never flips it (what ``InfLineLabel`` re-checks on every view change)."""

    _view_key: tuple | None = None

    def viewTransformChanged(self):  # noqa: N802
        key = _vertical_view_key(self, self.line) if self.anchors[0] == self.anchors[1] else None
        if key is not None and key == self._view_key:
            self._cachedView = None
            return
        self._view_key = key
        super().viewTransformChanged()


def edge_label_line(y: float, text: str, hex_colour: str, size_px: float, position: float = 0.99,
                    angle: int = 0, anchor: tuple[float, float] | None = None) -> pg.InfiniteLine:
    """An invisible line carrying a label that stays at the view's edge while panning (the spec's
    texts in axes coordinates: severity names at the right, cycle numbers at the top)."""
    line = EdgeLine(pos=y, angle=angle, pen=pg.mkPen(None), movable=False)
    anchor = anchor or ((1, 0.5) if angle == 0 else (0.5, 0))
    anchors = [anchor, anchor]
    label = EdgeLabel(line, text=text, position=position, anchors=anchors, color=colour(hex_colour))
    font = label.textItem.font()
    font.setPixelSize(int(round(size_px)))
    label.textItem.setFont(font)
    line.label = label
    line.setZValue(5)
    return line


def text_anchor(ha: str, va: str) -> tuple[float, float]:
    """A TextItem's anchor for matplotlib's ha/va."""
    return ({"left": 0.0, "center": 0.5, "right": 1.0}.get(ha, 0.5),
            {"top": 0.0, "center": 0.5, "baseline": 0.8, "bottom": 1.0}.get(va, 0.5))


class LeaderTextItem(pg.TextItem):
    """A point's note that can draw a thin leader line back to its point (the item's position),
    as the printed figure does for a note set far from its draw; the line follows the label
    wherever its anchor puts it (the screen's own placement, a drag)."""

    SHRINK_PX = 6.0  # the leader stops this short of the point: outside its marker

    def __init__(self, *args, **kwargs):
        self.leader = None
        super().__init__(*args, **kwargs)
        # The note's box is its text, as the placer measures it (Qt's default margin of 4 px
        # round a text item would make every note 8 px taller than the place found for it).
        self.textItem.document().setDocumentMargin(0)
        self.leader = QGraphicsLineItem(self)
        self.leader.setPen(pg.mkPen(kwargs.get("color", "#000000"), width=1))
        self.leader.setVisible(False)

    def set_leader(self, shown: bool) -> None:
        if self.leader is not None:
            self.leader.setVisible(shown)
            self.updateTextPos()

    def updateTextPos(self):  # noqa: N802 - pyqtgraph's name
        super().updateTextPos()
        if self.leader is None or not self.leader.isVisible():
            return
        r = self.textItem.mapRectToParent(self.textItem.boundingRect())
        # From the point to the nearest point of the label's box.
        near = QPointF(min(max(0.0, r.left()), r.right()), min(max(0.0, r.top()), r.bottom()))
        length = (near.x() ** 2 + near.y() ** 2) ** 0.5
        if length <= self.SHRINK_PX:
            self.leader.setLine(0, 0, 0, 0)
            return
        k = self.SHRINK_PX / length
        self.leader.setLine(near.x() * k, near.y() * k, near.x(), near.y())


def text_item(text: str, hex_colour: str, size_px: float, ha: str = "center", va: str = "center",
              bold: bool = False, leader: bool | None = None) -> pg.TextItem:
    """A label anchored as matplotlib's ha/va would place it; ``leader`` not None: a point's
    note, with its leader line shown or not."""
    if leader is None:
        item = pg.TextItem(text, color=colour(hex_colour), anchor=text_anchor(ha, va))
    else:
        item = LeaderTextItem(text, color=colour(hex_colour), anchor=text_anchor(ha, va))
        item.set_leader(leader)
    font = item.textItem.font()
    font.setPixelSize(int(round(size_px)))
    font.setBold(bold)
    item.setFont(font)
    return item


def point_brushes(points, alpha: float | None = None):
    """Pen and brush of a spec Points group: filled, or open (censored) in the edge colour."""
    edge = pg.mkPen(colour(points.edge), width=1.2)
    if points.filled:
        return edge, pg.mkBrush(colour(points.colour, alpha))
    return pg.mkPen(colour(points.colour if points.colour.upper() != "#FFFFFF" else points.edge), width=1.6), pg.mkBrush(None)


def rect(x0: float, y0: float, x1: float, y1: float) -> QRectF:
    return QRectF(QPointF(x0, y0), QPointF(x1, y1)).normalized()


BIG_CURVE = 2000  # points: above this a curve is drawn without antialiasing, 1 px wide


def lighten(curve: pg.PlotDataItem) -> pg.PlotDataItem:
    """Draw only what is in view, decimated to the screen's resolution (a 10-year record pans at
    frame rate). Set after the curve is in its view box: pyqtgraph 0.14 fails when a clipped
    curve is first added to a scene without one. Long curves also drop antialiasing and width:
    stroking an antialiased wide path of thousands of segments costs most of a frame."""
    curve.setClipToView(True)
    curve.setDownsampling(auto=True, method="peak")
    x, _ = curve.getData()
    if x is not None and len(x) > BIG_CURVE:
        p = QPen(curve.opts["pen"])
        p.setWidthF(1.0)
        curve.setPen(p)
        curve.opts["antialias"] = False
        curve.curve.opts["antialias"] = False
    return curve


class InfusionMarker(QObject):
    """One draggable infusion of the track: a handle with the part of ``InfiniteLine``'s API the
    chart uses (``value``, ``setValue``, ``setToolTip``, ``sigPositionChangeFinished``).

    It is not a graphics item: the ``InfusionTrack`` it belongs to paints and drags all of them,
    so a record with hundreds of infusions costs one item per frame, not hundreds.
    """

    sigPositionChanged = Signal(object)
    sigPositionChangeFinished = Signal(object)

    def __init__(self, x: float, tooltip: str = ""):
        super().__init__()
        self._x = float(x)
        self._tip = tooltip
        self.track: InfusionTrack | None = None
        self.mark = None

    def value(self) -> float:
        return self._x

    def setValue(self, x: float) -> None:  # noqa: N802 - InfiniteLine's name
        self._x = float(x)
        if self.track is not None:
            self.track.marker_moved()
        self.sigPositionChanged.emit(self)

    def toolTip(self) -> str:  # noqa: N802
        return self._tip

    def setToolTip(self, text: str) -> None:  # noqa: N802
        self._tip = text


class InfusionTrack(PanCached, pg.GraphicsObject):
    """All infusion markers of the track, painted in one pass as the spec's downward triangles
    (through a ``PanCache``: panning a long record moves the image of its hundreds of marks).

    Hovering a marker colours it and shows its tooltip; a left drag that starts on a marker moves
    it and ends with the marker's ``sigPositionChangeFinished`` (a drag elsewhere pans the view).
    The y coordinate of the markers is ``position`` in data units: the track's view is 0..1.
    """

    HOVER = "#0072B2"

    def __init__(self, hex_colour: str, size_px: float, position: float = 0.3):
        super().__init__()
        self.markers: list[InfusionMarker] = []
        self.colour = colour(hex_colour)
        self.hover_colour = colour(self.HOVER)
        self.size_px = size_px
        self.position = position
        self.labels: list = []  # (text item, x of its course's last infusion): the dose labels
        self._x = np.zeros(0)
        self._hover: int | None = None
        self._drag: tuple[int, float, float] | None = None  # marker, grab offset, start
        self.setAcceptHoverEvents(True)

    def marker_xs(self) -> np.ndarray:
        """The markers' x (days), sorted."""
        return np.sort(self._x)

    def add(self, marker: InfusionMarker) -> InfusionMarker:
        marker.track = self
        self.markers.append(marker)
        self.marker_moved()
        return marker

    def marker_moved(self) -> None:
        self.prepareGeometryChange()
        self._x = np.array([m.value() for m in self.markers], dtype=float)
        self.drop_pan_cache()
        self.update()

    def viewTransformChanged(self):  # noqa: N802 - the margin is in pixels
        self.prepareGeometryChange()
        super().viewTransformChanged()  # and the view's rectangle (where the cache is drawn) moved

    def _margin(self) -> float:
        return (self.size_px + 2) * (self.pixelWidth() or 0.0)

    def boundingRect(self) -> QRectF:  # noqa: N802
        if not len(self._x):
            return QRectF()
        m = self._margin()
        x0, x1 = float(self._x.min()) - m, float(self._x.max()) + m
        return QRectF(x0, -0.5, x1 - x0, 2.0)

    def paint(self, p: QPainter, option, *_):
        if len(self._x):
            self.paint_cached(p)

    def draw_direct(self, p: QPainter, tr: QTransform, viewport: QRect) -> None:
        xs = self._x * tr.m11() + self.position * tr.m21() + tr.dx()
        ys = self._x * tr.m12() + self.position * tr.m22() + tr.dy()
        h = self.size_px / 2
        left, right = viewport.left() - h, viewport.right() + h  # device pixels
        p.resetTransform()
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(Qt.NoPen)
        p.setBrush(self.colour)
        triangle = QPolygonF([QPointF(-h, -h * 0.9), QPointF(h, -h * 0.9), QPointF(0, h * 0.9)])
        for i in np.flatnonzero((xs >= left) & (xs <= right)):
            if i == self._hover:
                p.setBrush(self.hover_colour)
            p.drawPolygon(triangle.translated(float(xs[i]), float(ys[i])))
            if i == self._hover:
                p.setBrush(self.colour)
        p.setTransform(tr)

    def marker_at(self, pos: QPointF) -> int | None:
        """Index of the marker under ``pos`` (item coordinates), the nearest if several."""
        if not len(self._x):
            return None
        d = np.abs(self._x - pos.x())
        i = int(np.argmin(d))
        return i if d[i] <= self._margin() / 2 + (self.pixelWidth() or 0.0) * 2 else None

    def hoverEvent(self, ev):  # noqa: N802
        hover = None if ev.isExit() else self.marker_at(ev.pos())
        if hover is not None and self._drag is None:
            ev.acceptDrags(Qt.LeftButton)
        if hover != self._hover:
            self._hover = hover
            self.setToolTip(self.markers[hover].toolTip() if hover is not None else "")
            self.drop_pan_cache()
            self.update()

    def mouseDragEvent(self, ev):  # noqa: N802
        if ev.button() != Qt.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            index = self.marker_at(ev.buttonDownPos())
            if index is None:
                ev.ignore()
                return
            start = self.markers[index].value()
            self._drag = (index, start - ev.buttonDownPos().x(), start)
        if self._drag is None:
            ev.ignore()
            return
        ev.accept()
        index, offset, _ = self._drag
        marker = self.markers[index]
        marker.setValue(ev.pos().x() + offset)
        if ev.isFinish():
            self._drag = None
            marker.sigPositionChangeFinished.emit(marker)

    def mouseClickEvent(self, ev):  # noqa: N802
        # A right click during a drag puts the marker back, as InfiniteLine does.
        if self._drag is not None and ev.button() == Qt.RightButton:
            ev.accept()
            index, _, start = self._drag
            self._drag = None
            marker = self.markers[index]
            marker.setValue(start)
            marker.sigPositionChangeFinished.emit(marker)
        else:
            ev.ignore()
