"""Which dropped (or double-clicked) files Nadir can open, and how.

A lab export starts the import assistant, a ``.nadir`` file opens the project; with a case open,
an events table or an infusion record is added to it (:func:`open_table` tells the three apart
by what the file holds). Shared by the
main window's drag and drop, the welcome page and the macOS "open document" event, so that the
three agree on what is accepted.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_SUFFIX = ".nadir"
# Every format the lab readers take (analysis.importing.workbook), as in the open dialog's filter.
LAB_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".tsv", ".txt")


def kind_of(path: str | Path) -> str | None:
    """"project", "labs", or None for a file Nadir does not open."""
    suffix = Path(path).suffix.lower()
    if suffix == PROJECT_SUFFIX:
        return "project"
    if suffix in LAB_SUFFIXES:
        return "labs"
    return None


def dropped_file(mime) -> Path | None:
    """The first local file in a drag's QMimeData that Nadir can open, or None.

    One case is open at a time, so of several files only the first usable one is taken.
    """
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if kind_of(path) is not None:
                return path
    return None


class FileDropTarget:
    """Mixin for a QWidget that takes dropped files Nadir can open (set ``setAcceptDrops(True)``).

    Subclasses implement :meth:`file_dropped`; a drop of anything else is refused, so the
    cursor shows that it cannot be dropped there.
    """

    def file_dropped(self, path: Path) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        path = dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.file_dropped(path)


def open_table(window, path: Path) -> None:
    """Lab results start a new case; an events table or an infusion record (told apart by what
    the file holds, not by its suffix: all three are spreadsheets) is added to the open case."""
    from PySide6.QtWidgets import QMessageBox

    from analysis.treatment.recognise import EVENTS, INFUSIONS, table_kind

    from .workers import Cancelled, run_with_progress

    try:
        kind = run_with_progress(window, f"Looking at {path.name}…", table_kind, path)
    except Cancelled:
        return
    if kind not in (EVENTS, INFUSIONS):
        window.open_labs(path)
    elif window.doc.case is None:
        what = "an events table" if kind == EVENTS else "an infusion record"
        QMessageBox.information(window, "Nadir", f"{path.name} is {what}. Open the lab results first "
                                "(File > Open lab export), then drop it on the window again.")
    elif kind == EVENTS:
        window.events.load_events_file(path)
    else:
        window._dialog("change_infusions", window, window.doc, path)
