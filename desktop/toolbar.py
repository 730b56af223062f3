"""The main window's toolbar: the everyday actions with an icon and a tooltip that names the
shortcut. Icons come from the desktop's icon theme where it has one, else they are drawn here
in the figure's own symbols (the infusion triangle, the event line), so they look the same on
every system and need no image files.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QStyle, QToolBar

ICON_SIZE = 24

# action attribute of the window, short label, theme icon name, QStyle fallback (None: drawn below)
ITEMS = (
    ("open_action", "Open", "document-open", QStyle.StandardPixmap.SP_DialogOpenButton),
    ("infusions_action", "Infusions", None, None),
    ("events_action", "Events", None, None),
    ("add_event_action", "Add event", None, None),
    None,
    ("undo_action", "Undo", "edit-undo", QStyle.StandardPixmap.SP_ArrowBack),
    ("redo_action", "Redo", "edit-redo", QStyle.StandardPixmap.SP_ArrowForward),
    None,
    ("export_action", "Export", "document-save-as", QStyle.StandardPixmap.SP_DialogSaveButton),
    ("copy_action", "Copy", "edit-copy", None),
)


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(ICON_SIZE * 2, ICON_SIZE * 2)  # drawn at twice the size: sharp at 200 %
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(2, 2)
    return pixmap, painter


def drawn_icon(name: str, color: QColor) -> QIcon:
    """The toolbar's own icons, in the palette's text colour (dark and light themes alike)."""
    pixmap, p = _canvas()
    pen = QPen(color, 2)
    p.setPen(pen)
    if name == "infusions_action":  # the figure's infusion marker above a dose line
        p.setBrush(color)
        p.drawPolygon(QPolygonF([QPointF(5, 5), QPointF(19, 5), QPointF(12, 15)]))
        p.drawLine(QPointF(4, 20), QPointF(20, 20))
    elif name in ("events_action", "add_event_action"):  # an event: a dashed line with a flag
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(QPointF(7, 3), QPointF(7, 21))
        p.setPen(QPen(color, 2))
        p.setBrush(color if name == "events_action" else Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(8, 4, 8, 6))
        if name == "add_event_action":
            p.drawLine(QPointF(17, 17), QPointF(23, 17))
            p.drawLine(QPointF(20, 14), QPointF(20, 20))
    elif name == "copy_action":  # two sheets
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(QRectF(4, 3, 11, 14), 2, 2)
        path = QPainterPath()
        path.addRoundedRect(QRectF(9, 8, 11, 14), 2, 2)
        p.fillPath(path, QColor(0, 0, 0, 0))
        p.drawPath(path)
    p.end()
    return QIcon(pixmap)


def icon_for(window, name: str, theme: str | None, fallback) -> QIcon:
    if theme and QIcon.hasThemeIcon(theme):
        return QIcon.fromTheme(theme)
    if fallback is not None:
        return window.style().standardIcon(fallback)
    return drawn_icon(name, window.palette().windowText().color())


def tooltip(action) -> str:
    """The action's words and its shortcut: "Export the figure (Ctrl+E)"."""
    text = (action.statusTip() or action.text()).replace("&", "").rstrip("…")
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{text} ({keys})" if keys else text


def build_toolbar(window) -> QToolBar:
    bar = QToolBar("Toolbar", window)
    bar.setObjectName("mainToolbar")  # saveState() needs a name
    bar.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setMovable(False)
    for item in ITEMS:
        if item is None:
            bar.addSeparator()
            continue
        name, label, theme, fallback = item
        action = getattr(window, name)
        action.setIcon(icon_for(window, name, theme, fallback))
        action.setIconText(label)  # the Undo action's text grows ("Undo Add event …"); this stays short
        action.setToolTip(tooltip(action))
        bar.addAction(action)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar
