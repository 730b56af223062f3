"""The figure's labels as the user handles them on the chart: double-click to reword or hide,
drag to move, right-click for a menu with "Reset label".

Each gesture becomes one undoable command on the figure settings' label overrides
(``analysis.figure.labels``), so the chart redraws from the spec and the exported figure shows
the same wording and place. A label item gets a transparent handle over its text that takes the
mouse, so the view box under it neither pans nor opens its annotation menu.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QCursor, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QMenu, QWidget

from analysis.figure.labels import stats_text
from analysis.figure.placement import PT_MM

from ..commands import EditLabelCommand, MoveLabelCommand, ResetLabelCommand, ShowHiddenLabelsCommand

# Screen pixels per printed point for a label's offset (the spec says offsets in points; the
# screen's text is about twice the printed size, its offsets a little less).
PX_PER_PT = 1.6
HINT = "Double-click to edit or hide this label, drag it to move it; right-click for more."


def offset_px(dx_pt: float, dy_pt: float) -> tuple[float, float]:
    """A printed offset (points, y up) in screen pixels (y down)."""
    return dx_pt * PX_PER_PT, -dy_pt * PX_PER_PT


def shift_anchor(item: pg.TextItem, dx_px: float, dy_px: float) -> None:
    """Move a TextItem by (dx, dy) screen pixels through its anchor (its position is the point
    it labels). An edge label re-anchors itself when the view moves: it keeps the shifted one."""
    rect = item.textItem.boundingRect()
    w, h = max(rect.width(), 1.0), max(rect.height(), 1.0)
    edge = isinstance(item, pg.InfLineLabel)
    base = pg.Point(item.anchors[0]) if edge else item.anchor  # an edge label's own is set late
    anchor = (base.x() - dx_px / w, base.y() - dy_px / h)
    if edge:
        item.anchors = [anchor, anchor]
    item.setAnchor(anchor)


class LabelHandle(QGraphicsObject):
    """The mouse's way to one label: covers the label's text (``shown``, a QGraphicsTextItem)
    and passes gestures to the editor. A plain Qt item, not a pyqtgraph one: pyqtgraph's items
    follow every change of the view in Python, which a pan of the timeline would pay for each
    label; pyqtgraph's scene still hands this item its clicks, drags and hovers. ``label`` is
    the TextItem a drag moves by its anchor; ``block`` a block of text in the layout beside the
    plots (the statistics), which a drag moves by a translation; with neither (panel B's title)
    the label is reworded or hidden but not dragged."""

    def __init__(self, shown, text, editor: LabelEditor, label: pg.TextItem | None = None,
                 block: QGraphicsItem | None = None):
        super().__init__(shown)
        # Qt's text item takes a press for itself (text selection), which keeps pyqtgraph from
        # making a click or a drag of it: the handle's gestures need the press to stay unclaimed.
        shown.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.shown, self.label, self.block, self.text, self.editor = shown, label, block, text, editor
        # The label's anchor, or the block's translation, when a drag began.
        self._start: tuple[float, float] | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)  # nothing to paint
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.OpenHandCursor if self.movable else Qt.CursorShape.PointingHandCursor)
        self.setToolTip(HINT if self.movable else HINT.replace(", drag it to move it", ""))

    @property
    def movable(self) -> bool:
        return self.label is not None or self.block is not None

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self.shown.boundingRect()

    def paint(self, *_):
        pass  # the label draws itself

    def hoverEvent(self, ev):  # noqa: N802
        # Claim the clicks and drags that start on the label, ahead of the items under it.
        if not ev.isExit():
            ev.acceptClicks(Qt.MouseButton.LeftButton)
            ev.acceptClicks(Qt.MouseButton.RightButton)
            if self.movable:
                ev.acceptDrags(Qt.MouseButton.LeftButton)

    def mouseClickEvent(self, ev):  # noqa: N802
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()  # a single click selects nothing, but must not reach the view's menu
            if ev.double():
                self.editor.edit(self.text)
        elif ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            self.editor.popup(self.text, ev.screenPos())
        else:
            ev.ignore()

    def mouseDragEvent(self, ev):  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton or not self.movable:
            ev.ignore()
            return
        ev.accept()
        if ev.isStart():
            if self.label is not None:
                self._start = (self.label.anchor.x(), self.label.anchor.y())
            elif self.block is not None:
                self._start = (self.block.transform().dx(), self.block.transform().dy())
        if self._start is None:
            return
        delta = ev.scenePos() - ev.buttonDownScenePos()
        if self.label is not None:
            self.label.setAnchor(self._start)
            shift_anchor(self.label, delta.x(), delta.y())
        elif self.block is not None:
            self.block.setTransform(QTransform.fromTranslate(self._start[0] + delta.x(), self._start[1] + delta.y()))
        if ev.isFinish():
            self._start = None
            self.editor.moved(self.text, delta.x(), delta.y())


class LabelEditor(QObject):
    """Makes the chart's labels editable and turns their gestures into commands on ``doc``."""

    def __init__(self, doc, parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.handles: dict[str, LabelHandle] = {}  # by label id, for tests and tools
        self.menu: QMenu | None = None
        self.dialog = None

    def clear(self) -> None:
        self.handles = {}

    def override(self, label_id: str):
        settings = self.doc.settings
        return next((o for o in getattr(settings, "labels", ()) if o.id == label_id), None)

    def attach(self, item: pg.TextItem, text, *, edge: bool = False) -> LabelHandle | None:
        """Give ``item`` (drawn for spec text ``text``) a handle; an edge label also gets the
        user's offset, which the spec's place for it (the view's edge) does not carry."""
        if not text.id:
            return None
        if edge:
            o = self.override(text.id)
            if o is not None and (o.dx_mm or o.dy_mm):
                shift_anchor(item, *offset_px(o.dx_mm / PT_MM, o.dy_mm / PT_MM))
        handle = LabelHandle(item.textItem, text, self, item)
        self.handles[text.id] = handle
        return handle

    def attach_block(self, item: pg.LabelItem, text, *, movable: bool = False) -> LabelHandle:
        """A handle for a block of text beside the plots: edit and hide; a ``movable`` one (the
        statistics) is also dragged, and drawn at the user's offset from its place in the
        layout (a translation the layout leaves alone), as the exported figure moves it."""
        block = None
        if movable:
            block = item
            o = self.override(text.id)
            dx, dy = offset_px(o.dx_mm / PT_MM, o.dy_mm / PT_MM) if o is not None else (0.0, 0.0)
            item.setTransform(QTransform.fromTranslate(dx, dy))
        handle = LabelHandle(item.item, text, self, block=block)
        self.handles[text.id] = handle
        return handle

    # --- gestures ---------------------------------------------------------------------------

    def moved(self, text, dx_px: float, dy_px: float) -> None:
        if abs(dx_px) < 2 and abs(dy_px) < 2:  # a click that wobbled
            return
        dx_mm = dx_px / PX_PER_PT * PT_MM
        dy_mm = -dy_px / PX_PER_PT * PT_MM
        # Deferred: the dragged item is replaced when the figure settings change.
        QTimer.singleShot(0, lambda: self.doc.push(MoveLabelCommand(self.doc, text.id, dx_mm, dy_mm)))

    def original(self, text) -> str:
        """The figure's own wording of ``text`` (what it says without the user's edit)."""
        o = self.override(text.id)
        if text.id == "stats":
            return o.original if o is not None and o.text else stats_text(self.doc.spec())
        return o.original if o is not None and o.text and o.original else text.text

    def wording(self, text) -> str:
        """What ``text`` says on the chart now (every line of the statistics block)."""
        return stats_text(self.doc.spec()) if text.id == "stats" else text.text

    def edit(self, text) -> None:
        """The small edit box: the label's text and whether it is shown."""
        from ..dialogs.label_dialog import LabelDialog

        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        dialog = LabelDialog(parent, self.wording(text), self.original(text), multiline=text.id == "stats")
        self.dialog = dialog
        _near_cursor(dialog)
        dialog.accepted.connect(lambda: self._edited(text, dialog))
        dialog.open()

    def _edited(self, text, dialog) -> None:
        wording, hidden = dialog.result_text(), dialog.hidden()
        if wording == self.wording(text) and not hidden:
            return
        self.doc.push(EditLabelCommand(self.doc, text.id, wording, self.original(text), hidden))

    def hide(self, text) -> None:
        # The block's whole wording: its first line alone would become the block's text.
        self.doc.push(EditLabelCommand(self.doc, text.id, self.wording(text), self.original(text), True))

    def reset(self, text) -> None:
        if self.override(text.id) is not None:
            self.doc.push(ResetLabelCommand(self.doc, text.id))

    def show_hidden(self) -> None:
        if self.hidden_count():
            self.doc.push(ShowHiddenLabelsCommand(self.doc))

    def hidden_count(self) -> int:
        return sum(1 for o in getattr(self.doc.settings, "labels", ()) if o.hidden)

    def popup(self, text, screen_pos) -> None:
        menu = QMenu()
        menu.addAction("Edit label…", lambda: self.edit(text))
        menu.addAction("Hide label", lambda: self.hide(text))
        reset = menu.addAction("Reset label", lambda: self.reset(text))
        reset.setEnabled(self.override(text.id) is not None)
        self.menu = menu
        where = screen_pos.toPoint() if isinstance(screen_pos, QPointF) else QCursor.pos()
        menu.popup(where)


def _near_cursor(dialog) -> None:
    """Open the edit box beside the label the user double-clicked, within the screen."""
    from ..screen_fit import available_area

    area = available_area(dialog.parentWidget())
    size = dialog.frameGeometry().size()
    pos = QCursor.pos() + QPoint(16, 16)
    x = min(max(pos.x(), area.left()), area.right() - size.width())
    y = min(max(pos.y(), area.top()), area.bottom() - size.height())
    dialog.move(max(x, area.left()), max(y, area.top()))


class KeepInside(QObject):
    """Keeps the labels of a static plot (panel B beside the timeline) inside its view box and
    apart from each other.

    The printed layout places them in the figure's proportions; the screen's panel B is smaller
    than print and its text larger, so a label the figure sets below its draw ("Nadir 0.3
    (day 8)") would hang out of the plot, and on a short window (1280 x 720) two notes set a few
    points apart in print would touch. Each label keeps its place when it fits and is pushed
    back in along the edge it crosses when it does not; then, top to bottom, a label that
    touches one above it is moved up or down (the shorter way that stays inside) until it is
    clear; again whenever the plot is resized. A label that still touches one is hidden until
    the plot has the room (at 150 % on a 1280 x 720 screen panel B is 39 px tall): the notes
    ``first`` (the point notes) are kept before the others (the dose, which the legend names).
    """

    MARGIN_PX = 2.0

    def __init__(self, plot: pg.PlotItem, labels, place=None, first=()):
        super().__init__()
        self.vb = plot.getViewBox()
        self.labels = [(item, pg.Point(item.anchor)) for item in labels
                       if isinstance(item, pg.TextItem) and not isinstance(item, pg.InfLineLabel)]
        self.first = set(first)
        self.hidden: set = set()  # the labels this hid for want of room (shown again when resized)
        # ``place(view box)``: {item: its anchor} for the labels placed again at the plot's
        # size on screen (ScreenNotes), before the edges and the neighbours are looked at.
        self.place = place
        self.vb.sigResized.connect(self.update)
        QTimer.singleShot(0, self.update)

    def update(self) -> None:
        try:
            box = self.vb.sceneBoundingRect()
        except RuntimeError:  # the plot was deleted by a redraw
            return
        if box.width() < 10 or box.height() < 10:
            return
        if self.place is not None:
            try:
                anchors = self.place(self.vb)
            except RuntimeError:
                return
            self.labels = [(item, pg.Point(anchors.get(item, base))) for item, base in self.labels]
        placed: list[tuple[pg.TextItem, QRectF]] = []
        for item, base in self.labels:
            try:
                item.setAnchor(base)
                placed.append((item, self._clamp(item, box)))
            except RuntimeError:
                continue
        self._hide_crowded(self._separate(placed, box))

    def _hide_crowded(self, placed: list[tuple[pg.TextItem, QRectF]]) -> None:
        """Hide each label that still touches one kept (the ``first`` ones kept first, then in
        their order), and show again those that have the room now."""
        m = self.MARGIN_PX
        kept: list[QRectF] = []
        hidden = set()
        for item, rect in sorted(placed, key=lambda p: p[0] not in self.first):  # a stable sort
            if any(r.adjusted(-m, -m, m, m).intersects(rect) for r in kept):
                hidden.add(item)
            else:
                kept.append(rect)
        for item, _rect in placed:
            try:
                if item in hidden:
                    item.setVisible(False)
                elif item in self.hidden:
                    item.setVisible(True)
            except RuntimeError:
                continue
        self.hidden = hidden

    def _place(self, item: pg.TextItem, left: float, top: float) -> QRectF:
        """Anchor ``item`` so that its text's top-left corner is at (left, top) in the scene."""
        rect = item.textItem.boundingRect()
        w, h = max(rect.width(), 1.0), max(rect.height(), 1.0)
        point = self.vb.mapViewToScene(item.pos())
        if (left, top) != (point.x() - item.anchor.x() * w, point.y() - item.anchor.y() * h):
            item.setAnchor(((point.x() - left) / w, (point.y() - top) / h))
        return QRectF(left, top, rect.width(), rect.height())

    def _clamp(self, item: pg.TextItem, box: QRectF) -> QRectF:
        rect = item.textItem.boundingRect()
        w, h = rect.width(), rect.height()
        point = self.vb.mapViewToScene(item.pos())
        left = point.x() - item.anchor.x() * w
        top = point.y() - item.anchor.y() * h
        m = self.MARGIN_PX
        # Beyond the top or bottom edge: first the same gap on the other side of its point (the
        # layout's mirror place), which keeps the label off its own marker; then the edge.
        if top + h > box.bottom() - m and top >= point.y():
            top = min(top, point.y() - (top - point.y()) - h)
        elif top < box.top() + m and top + h <= point.y():
            top = max(top, point.y() + (point.y() - top - h))
        new_left = min(max(left, box.left() + m), box.right() - m - w)
        new_top = min(max(top, box.top() + m), box.bottom() - m - h)
        new_left = max(new_left, box.left() + m) if w + 2 * m > box.width() else new_left
        return self._place(item, new_left, new_top)

    def _separate(self, placed: list[tuple[pg.TextItem, QRectF]], box: QRectF) -> list[tuple[pg.TextItem, QRectF]]:
        """Move each label that touches one above it up or down until it touches none, where
        the plot has the room; a label with no free place inside keeps its own. Returns each
        label with its place."""
        m = self.MARGIN_PX
        done: list[QRectF] = []
        out: list[tuple[pg.TextItem, QRectF]] = []

        def touching(rect: QRectF) -> QRectF | None:
            return next((r for r in done if r.adjusted(-m, -m, m, m).intersects(rect)), None)

        for item, own in sorted(placed, key=lambda p: (p[1].top(), p[1].left())):
            rect = own
            for _ in range(len(done)):
                hit = touching(rect)
                if hit is None:
                    break
                shifts = [hit.bottom() + m - rect.top(), hit.top() - m - rect.bottom()]  # down, up
                inside = [d for d in shifts
                          if box.top() + m <= rect.top() + d and rect.bottom() + d <= box.bottom() - m]
                if not inside:
                    break
                rect = rect.translated(0, min(inside, key=abs))
            if touching(rect) is not None:
                rect = own  # no free place: where the layout put it
            if rect != own:
                try:
                    self._place(item, rect.left(), rect.top())
                except RuntimeError:
                    continue
            done.append(rect)
            out.append((item, rect))
        return out


class ScreenNotes:
    """Panel B's point notes placed for the screen's panel B: the same placer and preferences as
    the printed figure (``analysis.figure.panel_b.place_notes``), given the plot's size on
    screen in the points its text is drawn at, so that a reference line or a draw that misses a
    note in print does not run through it on screen. The user's own offset (a drag) is added
    as the chart draws it; each note shows its leader line when its place on screen needs one."""

    def __init__(self, panel, items_by_id: dict, px_per_pt: float, font: str, overrides=()):
        self.panel, self.items, self.px_per_pt, self.font = panel, items_by_id, px_per_pt, font
        self.moved = {o.id: (o.dx_mm / PT_MM, o.dy_mm / PT_MM) for o in overrides or () if o.dx_mm or o.dy_mm}

    def __call__(self, vb) -> dict:
        from analysis.figure.panel_b import place_notes

        from . import items, scale

        x_axis, y_axis = self.panel.x_axis, self.panel.y_axis
        lo = vb.mapViewToScene(QPointF(x_axis.lo, scale.view_y(y_axis, y_axis.lo)))
        hi = vb.mapViewToScene(QPointF(x_axis.hi, scale.view_y(y_axis, y_axis.hi)))
        w_mm = abs(hi.x() - lo.x()) / self.px_per_pt * PT_MM
        h_mm = abs(lo.y() - hi.y()) / self.px_per_pt * PT_MM
        if w_mm < 1 or h_mm < 1:
            return {}
        out = {}
        for key, t in place_notes(self.panel, w_mm, h_mm, self.font).items():
            item = self.items.get(key)
            if item is None:
                continue
            if isinstance(item, items.LeaderTextItem):
                item.set_leader(t.arrow)
            item.setAnchor(items.text_anchor(t.ha, t.va))
            ux, uy = offset_px(*self.moved.get(key, (0.0, 0.0)))
            shift_anchor(item, t.dx_pt * self.px_per_pt + ux, -t.dy_pt * self.px_per_pt + uy)
            out[item] = (item.anchor.x(), item.anchor.y())
        return out
