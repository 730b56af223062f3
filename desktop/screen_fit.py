"""Windows and dialogs that fit the screen they open on.

A dialog designed at 1180 × 780 px is taller than a 1280 × 720 laptop screen, and at 150 %
scaling a 1920 × 1080 screen offers only 1280 × 720 logical pixels. Every window asks here for
its first size: what it would like, or what the screen leaves free, whichever is smaller, and a
minimum size that never exceeds the screen either. Control panels that may then be too tall
sit in a :func:`scrolling` area, so that the action buttons below them always stay on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

SCREEN_SHARE = 0.92  # of the free area: room for the title bar and the window manager's frame
FRAME_ALLOWANCE = (16, 48)  # title bar and borders the window manager adds around the client area


def available_area(widget: QWidget | None = None) -> QRect:
    """The free area (without task bar or dock) of the screen ``widget`` is on, or of the
    parent's screen, or of the primary screen; in logical pixels, so scaling is included."""
    screen = None
    while widget is not None and screen is None:
        screen = widget.screen() if widget.isVisible() else None
        widget = widget.parentWidget()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)


def fitted_size(available: QRect, preferred: tuple[int, int], share: float = SCREEN_SHARE) -> QSize:
    """``preferred``, or ``share`` of ``available`` less the window frame where that is smaller."""
    width = min(preferred[0], int(available.width() * share) - FRAME_ALLOWANCE[0])
    height = min(preferred[1], int(available.height() * share) - FRAME_ALLOWANCE[1])
    return QSize(max(width, 200), max(height, 150))


def fit_window(widget: QWidget, preferred: tuple[int, int], minimum: tuple[int, int] = (0, 0),
               *, parent: QWidget | None = None) -> QSize:
    """Give ``widget`` its first size on its screen and centre it there (on ``parent`` when it
    has one on screen); the minimum size is clamped to the screen too. Returns the size."""
    available = available_area(parent or widget.parentWidget())
    size = fitted_size(available, preferred)
    widget.setMinimumSize(min(minimum[0], size.width()), min(minimum[1], size.height()))
    widget.resize(size)
    frame = QRect(0, 0, size.width() + FRAME_ALLOWANCE[0], size.height() + FRAME_ALLOWANCE[1])
    anchor = parent or widget.parentWidget()
    centre = anchor.frameGeometry().center() if anchor is not None and anchor.isVisible() else available.center()
    frame.moveCenter(centre)
    # Keep the frame on the screen even when the parent window sits near its edge.
    frame.moveLeft(max(available.left(), min(frame.left(), available.right() - frame.width())))
    frame.moveTop(max(available.top(), min(frame.top(), available.bottom() - frame.height())))
    widget.move(frame.topLeft())
    return size


def scrolling(content: QWidget, *, horizontal: bool = False) -> QScrollArea:
    """``content`` in a frameless scroll area that scrolls vertically (and horizontally only when
    asked) once the window is too small to show all of it."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if not horizontal:
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As wide as the content plus a scroll bar, so that nothing is cut off at the right.
        area.setMinimumWidth(content.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width())
    return area
