"""The one way Nadir tells a physician that something went wrong: a sentence, never a traceback.

An :class:`~analysis.errors.InputError` already carries a sentence that names the file and says
what is wrong; this module adds the title and what to do next. Anything else is a fault in Nadir
itself, said as such, with the exception's one-line summary for a bug report.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from analysis.errors import InputError

READ_TITLE = "Nadir could not read the file"
INTERNAL_TITLE = "Nadir ran into a problem"
DEFAULT_HINT = (
    "Check that you chose the right file. If it is, export it again from the EHR "
    "(as .xlsx or .csv) and open the new file."
)


def _sentence(text: str, *, capitalise: bool = True) -> str:
    text = text.strip()
    if not text:
        return text
    if capitalise:
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def describe(exc: BaseException) -> tuple[str, str, str]:
    """(title, what happened, what to do) for an exception, all in plain words."""
    if isinstance(exc, InputError):
        what = exc.message
        if exc.path is not None:  # file names keep their own spelling
            what = f"{exc.path.name} {what}" if not what[:1].isupper() else f"{exc.path.name}: {what}"
            return READ_TITLE, _sentence(what, capitalise=False), _sentence(exc.hint or DEFAULT_HINT)
        return READ_TITLE, _sentence(what), _sentence(exc.hint or DEFAULT_HINT)
    summary = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    detail = f"{type(exc).__name__}: {summary}" if summary else type(exc).__name__
    return (
        INTERNAL_TITLE,
        "Nadir could not finish this step because of an internal error. Your data were not changed.",
        f"Please report it with what you were doing and this line: {detail}",
    )


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` in a modal message box: title, what happened, and what to do."""
    title, what, todo = describe(exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, InputError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setText(f"<b>{_escape(title)}</b><p>{_escape(what)}</p>")
    box.setInformativeText(_escape(todo))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setStyleSheet("QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 400px; }")
    box.exec()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
