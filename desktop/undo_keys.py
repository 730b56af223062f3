"""Undo and Redo of the window, whatever has the keyboard focus.

A text field claims Ctrl+Z for its own text undo (Qt's ShortcutOverride), so after typing a date
and pressing Enter, Ctrl+Z did nothing to the case: the date field kept the focus and had no
text left to undo. This filter lets a field keep Ctrl+Z only while it holds typing not yet
applied; otherwise the key goes to the window's Undo action. Dialogs keep their keys.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget


def _text_undo(widget) -> tuple[bool, bool]:
    """(can undo, can redo) of the widget's own text, or (False, False) for other widgets."""
    if isinstance(widget, QAbstractSpinBox):
        widget = widget.findChild(QLineEdit)
    if isinstance(widget, QLineEdit):
        # Typing not yet applied (Enter not pressed) is the field's to undo; once applied the
        # field sets its text again, which clears isModified(), and the change is the window's.
        pending = widget.isModified() and not widget.isReadOnly()
        return pending and widget.isUndoAvailable(), pending and widget.isRedoAvailable()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        document = widget.document()
        return document.isUndoAvailable(), document.isRedoAvailable()
    return False, False


class WindowUndoKeys(QObject):
    """Watches the text fields of ``window`` (which owns the Undo/Redo actions)."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window

    def watch(self, root: QWidget) -> None:
        """Filter the keys of every text field under ``root`` (the focus widget gets them)."""
        for kind in (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit):
            for field in root.findChildren(kind):
                field.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(obj, QWidget):
            return False
        if obj.window() is not self.window:  # a dialog's fields keep their own keys
            return False
        undo = event.matches(QKeySequence.StandardKey.Undo)
        redo = event.matches(QKeySequence.StandardKey.Redo)
        if not (undo or redo):
            return False
        can_undo, can_redo = _text_undo(obj)
        if (undo and can_undo) or (redo and can_redo):
            return False  # the field's own typing comes first
        event.ignore()  # not claimed: the window's shortcut fires
        return True
