"""When Nadir itself fails during a click: say so in words, keep the details, never carry on silently.

Qt calls Python slots and event handlers from C++; an exception raised there cannot reach the
caller, so PySide hands it to ``sys.excepthook`` and the app goes on, perhaps with a blank chart
and nobody told. :class:`ExceptHook` replaces that hook: the traceback goes to a log file under
the application-data folder (and to stderr for developers), the user sees a plain-language
dialog, and in screenshot mode the run is marked failed so that the process exits non-zero.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

MAX_LOGS = 20  # older crash logs are removed: the folder must not grow for ever


def log_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".nadir") / "logs"


def write_log(exc_type, exc, tb) -> Path | None:
    """The traceback in a new file of the log folder; None when it cannot be written."""
    folder = log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"nadir-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        path.write_text(f"Nadir problem report, {datetime.now():%Y-%m-%d %H:%M:%S}\n"
                        f"Python {sys.version.split()[0]} on {sys.platform}\n\n{text}", encoding="utf-8")
        for old in sorted(folder.glob("nadir-*.log"))[:-MAX_LOGS]:
            old.unlink(missing_ok=True)
        return path
    except OSError:
        return None


class ExceptHook:
    """``sys.excepthook`` for the GUI. ``screenshot``: no dialog (nobody is there to close it),
    only the failure recorded; the screenshot run then exits non-zero."""

    def __init__(self, *, screenshot: bool = False, window=None):
        self.screenshot = screenshot
        self.window = window  # parent of the dialog; the active window when None
        self.failures: list[BaseException] = []
        self.logs: list[Path] = []
        self._previous = None
        self._showing = False
        self._said: set[str] = set()  # faults already shown in a dialog

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    def install(self) -> "ExceptHook":
        if sys.excepthook is not self:
            self._previous = sys.excepthook
            sys.excepthook = self
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self._previous or sys.__excepthook__

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in the terminal: quit as usual
            (self._previous or sys.__excepthook__)(exc_type, exc, tb)
            return
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        self.failures.append(exc)
        log = write_log(exc_type, exc, tb)
        if log is not None:
            self.logs.append(log)
        if self.screenshot or self._showing or QApplication.instance() is None:
            return
        from .dialogs.errors import one_line, show_crash

        summary = one_line(exc) if exc is not None else exc_type.__name__
        if summary in self._said:  # the same fault again (a paint handler, say): logged only
            return
        self._said.add(summary)
        self._keep_work()

        self._showing = True  # a second failure while the dialog is open is logged, not stacked
        try:
            show_crash(self.window or QApplication.activeWindow(), exc, log)
        except Exception:  # noqa: BLE001 - the hook itself must never raise
            traceback.print_exc(file=sys.stderr)
        finally:
            self._showing = False

    def _keep_work(self) -> None:
        """Write the recovery file now, so that the dialog's "your work is kept" is true even
        if the app is closed or fails again before the next autosave."""
        session = getattr(self.window, "session", None)
        try:
            if session is not None:
                session.autosave()
        except Exception:  # noqa: BLE001 - the hook itself must never raise
            traceback.print_exc(file=sys.stderr)
