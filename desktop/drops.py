"""Which dropped (or double-clicked) files Nadir can open, and how.

A lab export starts the import assistant, a ``.nadir`` file opens the project; with a case open,
an events table or an infusion record is added to it (:func:`open_table` tells the three apart
by what the file holds). A research extract dropped together with the dictionary of its test
codes, in either order, is one lab import, and the lab export dropped with the infusion record
and the events table is one new case, as when the three are chosen in the first file dialog
(:func:`open_tables`). Shared by the
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

    One case is open at a time, so of several files only the first usable one is taken (two
    together may be an extract and its dictionary: :func:`dropped_files`).
    """
    return next(iter(dropped_files(mime)), None)


def dropped_files(mime) -> list[Path]:
    """Every local file in a drag's QMimeData that Nadir can open, in the order dragged."""
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if kind_of(p) is not None]


class FileDropTarget:
    """Mixin for a QWidget that takes dropped files Nadir can open (set ``setAcceptDrops(True)``).

    Subclasses implement :meth:`file_dropped`, and :meth:`files_dropped` where two files dropped
    together mean something (an extract and its dictionary); a drop of anything else is refused,
    so the cursor shows that it cannot be dropped there.
    """

    def file_dropped(self, path: Path) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def files_dropped(self, paths: list[Path]) -> None:
        """Several files dropped at once: by default the first."""
        self.file_dropped(paths[0])

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        paths = dropped_files(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        if len(paths) >= 2:
            self.files_dropped(paths)
        else:
            self.file_dropped(paths[0])


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


def open_tables(window, paths: list[Path]) -> None:
    """Several files dropped together. A research extract and the file that names its test codes
    (MIMIC's labevents and d_labitems), in either order, are one lab import; with a case open,
    an infusion record and an events table (no lab results among them) are added to it; any
    other files (the lab export with the infusion record and the events table, say) are read as
    when chosen together in the first file dialog: sorted by what they hold, one new case."""
    from analysis.importing.code_dictionary import dictionary_and_extract
    from analysis.treatment.recognise import EVENTS, INFUSIONS, table_kind

    from .workers import Cancelled, run_with_progress

    projects = [p for p in paths if kind_of(p) == "project"]
    if projects:  # one case is open at a time: the project, as when dropped alone
        window.open_path(projects[0])
        return
    if len(paths) == 2:
        try:
            pair = run_with_progress(window, "Looking at the files…", dictionary_and_extract, *paths)
        except Cancelled:
            return
        if pair is not None:
            dictionary, extract = pair
            window.open_labs(extract, dictionary)
            return
    if window.doc.case is not None:
        try:
            kinds = run_with_progress(window, f"Looking at {len(paths)} files…",
                                      lambda: [table_kind(p) for p in paths])
        except Cancelled:
            return
        if kinds.count(EVENTS) <= 1 and kinds.count(INFUSIONS) <= 1 \
                and all(kind in (EVENTS, INFUSIONS) for kind in kinds):
            # Infusions first: the events are then shown against the new cycles.
            for path, kind in sorted(zip(paths, kinds, strict=True), key=lambda pk: pk[1] != INFUSIONS):
                if kind == EVENTS:
                    window.events.load_events_file(path)
                else:
                    window._dialog("change_infusions", window, window.doc, path)
            return
    window._dialog("import_case", window, list(paths))
