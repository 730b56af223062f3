"""The one way Nadir tells a physician that something went wrong: a sentence, never a traceback.

An :class:`~analysis.errors.InputError` already carries a sentence that names the file and says
what is wrong; this module adds the title and what to do next. Anything else is a fault in Nadir
itself, said as such, with the exception's one-line summary for a bug report.

The message is shown in a small dialog of our own rather than a QMessageBox: a message box sizes
its labels itself and, on some platforms, cut long messages off mid-sentence ("…the file ends
too early or"). Here every label wraps at a fixed width and the dialog takes the height the
wrapped text needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from analysis.errors import InputError

READ_TITLE = "Nadir could not read the file"
INTERNAL_TITLE = "Nadir ran into a problem"
DEFAULT_HINT = (
    "Check that you chose the right file. If it is, export it again from the EHR "
    "(as .xlsx or .csv) and open the new file."
)
TEXT_WIDTH = 480  # px: a comfortable line for a sentence or two

# "(import assistant, or --map NAME=ANC)": how the command line does it, meaningless in a window.
_COMMAND_LINE_HINT = re.compile(r"\s*\((?=[^()]*(?:^|\s)--[a-z])[^()]*\)")


def _sentence(text: str, *, capitalise: bool = True) -> str:
    text = text.strip()
    if not text:
        return text
    if capitalise:
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def without_command_line(text: str) -> str:
    """``text`` without a parenthesised command-line hint: the window user has no ``--map``."""
    return _COMMAND_LINE_HINT.sub("", text)


def describe(exc: BaseException) -> tuple[str, str, str]:
    """(title, what happened, what to do) for an exception, all in plain words."""
    if isinstance(exc, InputError):
        what = without_command_line(exc.message)
        hint = _sentence(without_command_line(exc.hint or DEFAULT_HINT))
        if exc.path is not None and what.startswith(exc.path.name):  # already named: once is enough
            return READ_TITLE, _sentence(what, capitalise=False), hint
        if exc.path is not None:  # file names keep their own spelling
            what = f"{exc.path.name} {what}" if not what[:1].isupper() else f"{exc.path.name}: {what}"
            return READ_TITLE, _sentence(what, capitalise=False), hint
        return READ_TITLE, _sentence(what), hint
    detail = one_line(exc)
    return (
        INTERNAL_TITLE,
        "Nadir could not finish this step because of an internal error. Your data were not changed.",
        f"Please report it with what you were doing and this line: {detail}",
    )


def one_line(exc: BaseException) -> str:
    """"KeyError: 'missing'": the exception in one line for a bug report."""
    summary = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {summary}" if summary else type(exc).__name__


class ErrorDialog(QDialog):
    """Icon, bold title, what happened and what to do; every line wrapped, nothing cut off."""

    def __init__(self, parent: QWidget | None, title: str, what: str, todo: str, *, critical: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        icon = QLabel()
        pixmap = QStyle.StandardPixmap.SP_MessageBoxCritical if critical else QStyle.StandardPixmap.SP_MessageBoxWarning
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.title_label = self._label(title)
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1)
        self.title_label.setFont(font)
        self.message_label = self._label(what)
        self.hint_label = self._label(todo)
        self.hint_label.setVisible(bool(todo))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        text = QVBoxLayout()
        text.setSpacing(10)
        text.addWidget(self.title_label)
        text.addWidget(self.message_label)
        text.addWidget(self.hint_label)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 12)
        layout.addLayout(row)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        # The dialog is as tall as the wrapped text needs, whatever the platform's defaults.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)

    @staticmethod
    def _label(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)  # file names with "<" or "&" stay as written
        label.setWordWrap(True)
        label.setFixedWidth(TEXT_WIDTH)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # The names of QMessageBox, so that code and tests read the same for either.
    def text(self) -> str:
        return self.message_label.text()

    def informativeText(self) -> str:  # noqa: N802 - QMessageBox's name
        return self.hint_label.text()


def error_dialog(parent: QWidget | None, exc: BaseException) -> ErrorDialog:
    """The dialog for ``exc``, not yet shown."""
    title, what, todo = describe(exc)
    return ErrorDialog(parent, title, what, todo, critical=not isinstance(exc, InputError))


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` in a modal dialog: title, what happened, and what to do."""
    dialog = error_dialog(parent, exc)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


def crash_dialog(parent: QWidget | None, exc: BaseException, log_file: Path | None = None) -> ErrorDialog:
    """For an error nothing caught (a fault in Nadir during a click): what to say and where the
    details are. The work is safe: the autosave keeps a recovery file."""
    # The title already says "Nadir ran into a problem"; the text says what and what is safe.
    what = (f"Something went wrong inside Nadir ({one_line(exc)}). Your work is kept in the "
            "recovery file; if something looks wrong, save the project and open it again.")
    todo = "Please report it with what you were doing"
    todo += f" and the file {log_file}." if log_file is not None else "."
    return ErrorDialog(parent, INTERNAL_TITLE, what, todo, critical=True)


def show_crash(parent: QWidget | None, exc: BaseException, log_file: Path | None = None) -> None:
    dialog = crash_dialog(parent, exc, log_file)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
