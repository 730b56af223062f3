"""The recovery journal written off the window's thread.

Each edit hands the project as it now is (the case and settings are immutable: a snapshot is
a few references) to one writer thread, which writes the newest one it has been given as an
ordinary recovery file (``store.save_project``, atomic: a kill during the write leaves the
previous file). Writing costs tens of milliseconds on a long record (JSON, the schema check, the
file), which the edit no longer waits for; a snapshot that a newer one replaces before its
turn is never written. ``flush`` waits until the newest snapshot is on disk (the window calls it
on closing and when it must be sure, as after a crash); ``cancel`` drops what is waiting and
waits for a write under way, so that removing the file afterwards sticks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

Write = Callable[..., None]


class JournalWriter:
    """One thread writing the newest snapshot given to :meth:`submit`; failures are counted,
    never raised (the journal must not interrupt work)."""

    def __init__(self, write: Write | None = None):
        if write is None:
            from analysis.project.store import save_project

            write = save_project
        self._write: Write = write
        self._ready = threading.Condition()
        self._pending: tuple | None = None  # (path, case, settings, sources, origin)
        self._writing = False
        self._thread: threading.Thread | None = None
        self.written = 0
        self.failures = 0
        self.last_error: BaseException | None = None

    def submit(self, path: Path, case: Any, settings: Any, *, sources: dict, origin: Path | None) -> None:
        """Write this state next (replacing a state still waiting)."""
        with self._ready:
            self._pending = (Path(path), case, settings, dict(sources), origin)
            if self._thread is None:
                # A daemon: a write stuck on a dead network drive must not keep the app from quitting.
                self._thread = threading.Thread(target=self._run, name="nadir-journal", daemon=True)
                self._thread.start()
            self._ready.notify_all()

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Wait until every state submitted is written (or failed); False on timeout."""
        with self._ready:
            return self._ready.wait_for(lambda: self._pending is None and not self._writing, timeout)

    def cancel(self, timeout: float | None = 10.0) -> bool:
        """Drop the state waiting and wait for a write under way; False on timeout."""
        with self._ready:
            self._pending = None
            return self._ready.wait_for(lambda: not self._writing, timeout)

    @property
    def idle(self) -> bool:
        with self._ready:
            return self._pending is None and not self._writing

    def _run(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._pending is not None)
                job: tuple = self._pending or ()
                self._pending = None
                self._writing = True
            try:
                path, case, settings, sources, origin = job
                self._write(path, case, settings, sources=sources, origin=origin)
                self.written += 1
            except Exception as exc:  # noqa: BLE001 - counted and kept for the window to look at
                self.failures += 1
                self.last_error = exc
            finally:
                with self._ready:
                    self._writing = False
                    self._ready.notify_all()
