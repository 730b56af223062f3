"""Run slow work (reading a big export, rendering a figure) off the GUI thread.

A :class:`Task` wraps one call; it runs on the global ``QThreadPool`` and reports back on the
GUI thread with ``finished(result)`` or ``failed(exception)``. Python cannot stop a thread that
is inside pandas or calamine, so *cancelling* means "nobody wants the answer": a call already
running runs to its end in the background and its result is dropped; one still waiting for a
thread of its pool is not run at all. The window stays responsive either way.

:func:`run_with_progress` is the blocking form for a dialog that has nothing to show until the
answer arrives: a busy progress dialog with Cancel (the importer has no progress callback, so
the bar only says "working").
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

# Tasks still running: a QObject without a parent is freed by Python once unreferenced, and its
# queued signals would then go nowhere.
_RUNNING: set["Task"] = set()

SHOW_PROGRESS_AFTER_MS = 300  # short reads finish before a dialog would flash up


class Cancelled(Exception):
    """Raised by :func:`run_with_progress` when the user pressed Cancel."""


class _Runnable(QRunnable):
    def __init__(self, task: "Task"):
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        task = self.task
        try:
            if task.cancelled:  # dropped while it waited for the pool (a newer preview was asked for)
                raise Cancelled()
            result = task.fn(*task.args, **task.kwargs)
            ok = True
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            result, ok = exc, False
        task.ended.set()
        try:
            task._done.emit(ok, result)
        except RuntimeError:
            # The Task was deleted while the call ran (its dialog closed): nobody waits for
            # the answer, so there is nothing to deliver.
            pass


class Task(QObject):
    """One call run in the background; signals arrive on the GUI thread, never after cancel()."""

    finished = Signal(object)  # the function's return value
    failed = Signal(object)  # the exception it raised
    _done = Signal(bool, object)  # internal: worker thread -> this object's (GUI) thread

    def __init__(self, fn: Callable[..., Any], *args, **kwargs):
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self._cancelled = False
        self._running = False
        self.ended = threading.Event()  # set once the call has returned (or raised)
        # The receiver is this QObject, which lives in the GUI thread: the connection is queued.
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self, pool: QThreadPool | None = None) -> "Task":
        self._running = True
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))
        return self

    def cancel(self) -> None:
        """Drop the answer; a call already running finishes in the background, one not started never runs."""
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def running(self) -> bool:
        return self._running

    @Slot(bool, object)
    def _deliver(self, ok: bool, value: object) -> None:
        self._running = False
        _RUNNING.discard(self)
        if self._cancelled:
            return
        if ok:
            self.finished.emit(value)
        else:
            self.failed.emit(value)


def run_in_background(
    fn: Callable[..., Any], *args, on_finished=None, on_failed=None, pool: QThreadPool | None = None, **kwargs
) -> Task:
    """Start ``fn(*args, **kwargs)`` on the thread pool and return its :class:`Task`."""
    task = Task(fn, *args, **kwargs)
    if on_finished is not None:
        task.finished.connect(on_finished)
    if on_failed is not None:
        task.failed.connect(on_failed)
    return task.start(pool)


_RENDER_POOL: QThreadPool | None = None


def render_pool() -> QThreadPool:
    """One thread for matplotlib: its rcParams are global, so two renders must not overlap."""
    global _RENDER_POOL
    if _RENDER_POOL is None:
        _RENDER_POOL = QThreadPool()
        _RENDER_POOL.setMaxThreadCount(1)
    return _RENDER_POOL


def run_with_progress(
    parent: QWidget | None,
    label: str,
    fn: Callable[..., Any],
    *args,
    title: str = "Nadir",
    pool: QThreadPool | None = None,
    **kwargs,
) -> Any:
    """Run ``fn`` in the background behind a busy dialog; return its result or raise its error.

    Raises :class:`Cancelled` when the user presses Cancel (the call keeps running unseen).
    The dialog appears only if the call takes longer than a blink.
    """
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(380)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.hide()

    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    task = Task(fn, *args, **kwargs)

    def done(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    task.finished.connect(lambda value: done("result", value))
    task.failed.connect(lambda exc: done("error", exc))

    def cancel() -> None:
        task.cancel()
        outcome["cancelled"] = True
        loop.quit()

    dialog.canceled.connect(cancel)
    timer = QTimer(singleShot=True, interval=SHOW_PROGRESS_AFTER_MS)
    timer.timeout.connect(dialog.show)
    timer.start()
    task.start(pool)
    if not outcome:
        loop.exec()
    timer.stop()
    dialog.canceled.disconnect(cancel)
    dialog.close()
    dialog.deleteLater()

    if "cancelled" in outcome:
        raise Cancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
