"""Keeping work: open and save projects, recent files, autosave and recovery (Qt side).

The file format lives in ``analysis.project.store`` (pure Python); this module adds what needs Qt:
file dialogs, QSettings for recent projects, the recovery journal under the platform's
application-data folder, and the offer to restore after a crash.

The journal is written at each edit, or within half a second of it when the last write was
less than that ago (a single-shot timer, never restarted), so a crash or a kill at any moment after an
edit loses at most that half second. A recovery file is a whole project written atomically, so
a kill during the write leaves the previous one. Undoing back to the saved state removes it.
The writing itself happens on a thread of its own (``analysis.project.journal``): an edit hands
over the project as it now is and goes on to the repaint; closing the window, quitting and the
crash handler wait for the write.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from analysis.files import remove_stale_temporaries
from analysis.project import store as project
from analysis.project.journal import JournalWriter

JOURNAL_DELAY_MS = 500  # after an edit; well inside the promised 1-2 s, and cheap: sources are hashed once
MAX_RECENT = 8
FILTER = "Nadir project (*.nadir)"


def recovery_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation) or str(Path.home() / ".nadir")
    return Path(base) / "recovery"


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Plain-language error box (the dialogs package's when present)."""
    try:
        from .dialogs.errors import show_error as shown
    except ImportError:
        QMessageBox.warning(parent, "Nadir", str(exc))
        return
    shown(parent, exc)


class Session(QObject):
    """Project file handling for one window and its document."""

    recentChanged = Signal()

    def __init__(self, parent: QWidget, doc):
        super().__init__(parent)
        self.window = parent
        self.doc = doc
        self.timer = QTimer(self, interval=JOURNAL_DELAY_MS, singleShot=True)
        self.timer.timeout.connect(lambda: self.autosave(wait=False))
        self._last_write = 0.0
        self._journalled = False  # this session wrote the recovery file (a fresh window must not delete a crash's)
        self.journal = JournalWriter()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.journal.flush)
        doc.changed.connect(self._edited)
        doc.modifiedChanged.connect(self._modified_changed)
        remove_stale_temporaries(recovery_folder())
        for folder in {p.parent for p in self.recent()}:  # left by a save killed half-way
            remove_stale_temporaries(folder)

    def _edited(self) -> None:
        # Written at once (before the repaint, which on a busy machine can hold the event loop
        # for seconds) unless it was written less than the delay ago; then the timer, never
        # restarted, writes it: a long drag is journalled every half second.
        if self.doc.modified and time.monotonic() - self._last_write > JOURNAL_DELAY_MS / 1000:
            self.autosave(wait=False)
        elif not self.timer.isActive():
            self.timer.start()

    def _modified_changed(self, modified: bool) -> None:
        if modified:
            self._edited()
        elif self._journalled:  # undone back to the saved state: nothing of ours to recover
            self.timer.stop()
            self.discard_recovery()

    # --- recent files ----------------------------------------------------------------------------

    def recent(self) -> list[Path]:
        values = QSettings().value("recentProjects", []) or []
        if isinstance(values, str):
            values = [values]
        return [Path(v) for v in values if Path(v).is_file()]

    def add_recent(self, path: Path) -> None:
        path = Path(path).resolve()
        items = [str(path)] + [str(p) for p in self.recent() if p.resolve() != path]
        QSettings().setValue("recentProjects", items[:MAX_RECENT])
        self.recentChanged.emit()

    # --- open and save --------------------------------------------------------------------------

    def open(self, path: Path | None = None) -> bool:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self.window, "Open project", self._folder(), FILTER)
            if not name:
                return False
            path = Path(name)
        try:
            opened = project.open_project(path)
        except Exception as exc:  # noqa: BLE001 - every failure is shown, none is fatal
            show_error(self.window, exc)
            return False
        self._load(opened, Path(path))
        self.add_recent(path)
        if opened.warnings:
            QMessageBox.warning(self.window, "Source files changed", "\n\n".join(opened.warnings)
                                + "\n\nThe chart and the statistics show the files as they are now.")
        self.offer_restore(Path(path))
        return True

    def _load(self, opened, path: Path | None) -> None:
        self.doc.load(opened.case, opened.settings, path=path, sources=opened.sources)

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self.save_to(self.doc.path)

    def save_as(self) -> bool:
        suggested = str(Path(self._folder()) / ((self.doc.path.stem if self.doc.path else "case") + project.SUFFIX))
        name, _ = QFileDialog.getSaveFileName(self.window, "Save project", suggested, FILTER)
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != project.SUFFIX:
            path = path.with_suffix(project.SUFFIX)
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        if self.doc.case is None:
            return False
        try:
            project.save_project(path, self.doc.case, self.doc.settings, sources=self.doc.sources)
        except Exception as exc:  # noqa: BLE001
            show_error(self.window, exc)
            return False
        self.discard_recovery()
        self.doc.path = Path(path)
        self.doc.undo_stack.setClean()
        self.doc.mark_saved()
        self.add_recent(path)
        QSettings().setValue("lastFolder", str(Path(path).parent))
        return True

    def _folder(self) -> str:
        return str(QSettings().value("lastFolder", "") or Path.home())

    # --- autosave and recovery ------------------------------------------------------------------

    def recovery_file(self, path: Path | None = None) -> Path:
        return project.recovery_path(recovery_folder(), path if path is not None else self.doc.path)

    def autosave(self, wait: bool = True) -> bool:
        """Write the recovery file when there is unsaved work; never touches the project itself.

        ``wait``: return once it is written (True) or failed (False); else hand it to the
        journal's thread and return True at once."""
        if self.doc.case is None or not self.doc.modified or not self.doc.sources.get("labs"):
            return False
        failures = self.journal.failures
        self.journal.submit(self.recovery_file(), self.doc.case, self.doc.settings,
                            sources=self.doc.sources, origin=self.doc.path)
        self._journalled = True
        self._last_write = time.monotonic()
        if not wait:
            return True
        return self.journal.flush() and self.journal.failures == failures

    def close(self) -> None:
        """The window is closing: no later write, and the one asked for is on disk."""
        self.timer.stop()
        self.journal.flush()

    def discard_recovery(self) -> None:
        self._journalled = False
        self.journal.cancel()  # a write still under way would bring the file back
        try:
            self.recovery_file().unlink(missing_ok=True)
        except OSError:
            pass

    def pending_recovery(self, path: Path | None) -> Path | None:
        """The recovery file to offer for ``path`` (None: unsaved work), if newer than the project."""
        recovery = self.recovery_file(path)
        return recovery if project.recovery_is_newer(recovery, path) else None

    def newest_recovery(self) -> tuple[Path, Path | None] | None:
        """At start-up: the newest recovery file holding work later than its project, with that
        project's path (None for a case never saved)."""
        folder = recovery_folder()
        files = sorted(folder.glob("*" + project.SUFFIX), key=lambda p: p.stat().st_mtime, reverse=True) \
            if folder.is_dir() else []
        for recovery in files:
            try:
                origin = project.read_project(recovery).origin
            except Exception:  # noqa: BLE001 - a damaged recovery file is not worth a question
                continue
            if project.recovery_is_newer(recovery, origin):
                return recovery, origin
        return None

    def offer_restore(self, path: Path | None = None, *, any_project: bool = False) -> bool:
        """Ask whether to restore unsaved work on ``path`` (or, at start-up, on any project)."""
        if any_project:
            found = self.newest_recovery()
            if found is None:
                return False
            recovery, path = found
        else:
            recovery = self.pending_recovery(path)
        if recovery is None:
            return False
        what = f"the project {path.name}" if path else "a case that was never saved"
        answer = QMessageBox.question(
            self.window, "Restore unsaved work?",
            f"Nadir found work on {what} that was not saved (Nadir may have closed unexpectedly).\n\n"
            "Restore it? If you choose No, the unsaved work is deleted.",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes,
        )
        if answer == QMessageBox.Yes:
            return self.restore(recovery)
        recovery.unlink(missing_ok=True)
        return False

    def restore(self, recovery: Path) -> bool:
        """Load a recovery file; the document keeps its project path and shows as modified."""
        try:
            opened = project.open_project(recovery)
        except Exception as exc:  # noqa: BLE001
            show_error(self.window, exc)
            return False
        self._load(opened, opened.origin)
        self.doc.mark_unsaved()
        return True
