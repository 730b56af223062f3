"""Items of a long record drawn once per zoom into an image that panning only moves.

Panning the timeline changes nothing in an item's drawing but where it lands: every device pixel
moves sideways by the same amount. An item that costs more to draw than to copy (tens of
thousands of markers, a line through 50,000 draws, hundreds of infusion marks) is therefore
drawn into an image three plot-widths wide, and each frame of a pan copies the part in view. It
is drawn again only when the view leaves the image, or the zoom, the y range, the plot's size or
the item itself changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform

# paint(painter, transform, viewport): draws the item in device pixels under ``transform``, the
# part that can show in ``viewport`` (device pixels).
Paint = Callable[[QPainter, QTransform, QRect], None]


class PanCache:
    """An item's drawing for one zoom, in an image three plot-widths wide."""

    def __init__(self, image: QImage, tr: QTransform, rect: QRect):
        self.image, self.tr, self.rect = image, tr, rect  # rect: the image, in pixels under tr

    @classmethod
    def render(cls, paint: Paint, tr: QTransform, area: QRect, dpr: float, hints=None) -> PanCache:
        rect = QRect(area.left() - area.width(), area.top(), 3 * area.width(), area.height())
        image = QImage(max(1, round(rect.width() * dpr)), max(1, round(rect.height() * dpr)),
                       QImage.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        image.fill(Qt.transparent)
        painter = QPainter(image)
        if hints is not None:
            painter.setRenderHints(hints)  # the view's (antialiasing), as the item would be painted
        shifted = QTransform(tr)
        shifted *= QTransform.fromTranslate(-rect.left(), -rect.top())
        painter.setTransform(shifted)
        paint(painter, shifted, QRect(0, 0, rect.width(), rect.height()))
        painter.end()
        return cls(image, QTransform(tr), rect)

    def _shift(self, tr: QTransform) -> float | None:
        """How far the view moved right (pixels) since the image was drawn, or None when it was
        scaled or moved vertically (the image then shows another view)."""
        old = self.tr
        if not (_close(tr.m11(), old.m11()) and _close(tr.m22(), old.m22()) and abs(tr.dy() - old.dy()) < 0.01):
            return None
        return tr.dx() - old.dx()

    def serves(self, tr: QTransform, area: QRect) -> bool:
        shift = self._shift(tr)
        if shift is None or area.height() != self.rect.height() or area.top() != self.rect.top():
            return False
        left = self.rect.left() + shift
        return left <= area.left() and area.right() <= left + self.rect.width()

    def draw(self, p: QPainter, tr: QTransform, area: QRect) -> None:
        shift = round(self._shift(tr))
        saved = p.transform()
        p.resetTransform()
        dpr = self.image.devicePixelRatio()
        source = QRectF((area.left() - self.rect.left() - shift) * dpr, 0, area.width() * dpr, area.height() * dpr)
        p.drawImage(QRectF(area), self.image, source)
        p.setTransform(saved)


class PanCached:
    """Mixin for a pyqtgraph item in a view box whose ``draw_direct(p, tr, viewport)`` paints it
    in device pixels: ``paint_cached(p)`` paints it through a ``PanCache``. ``drop_pan_cache()``
    when the item's drawing changes (data, style, hover)."""

    _pan_cache: PanCache | None = None

    def draw_direct(self, p: QPainter, tr: QTransform, viewport: QRect) -> None:
        raise NotImplementedError

    def drop_pan_cache(self) -> None:
        self._pan_cache = None

    def paint_cached(self, p: QPainter) -> None:
        tr = p.transform()
        view = self.viewRect() if not (tr.m12() or tr.m21() or not tr.m11() or not tr.m22()) else None
        if view is None:  # turned, flipped flat, or outside a view box: nothing to pan
            self.draw_direct(p, tr, p.viewport())
            return
        area = tr.mapRect(view).toAlignedRect() & p.viewport()  # the plot, in pixels
        if area.isEmpty():
            return
        cache = self._pan_cache
        if cache is None or not cache.serves(tr, area):
            dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
            cache = self._pan_cache = PanCache.render(self.draw_direct, tr, area, dpr, p.renderHints())
        cache.draw(p, tr, area)


def only_moved(a: QTransform | None, b: QTransform) -> bool:
    """Whether transform ``b`` is ``a`` moved (the same scale and turn): what a pan changes. The
    scale is compared to 1e-9, as a view moved by the same amount at both ends has a width that
    differs in its last bits."""
    if a is None:
        return False
    return all(_close(x, y) for x, y in ((a.m11(), b.m11()), (a.m12(), b.m12()), (a.m21(), b.m21()),
                                          (a.m22(), b.m22()), (a.m13(), b.m13()), (a.m23(), b.m23())))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))  # zero only equals zero
