"""The re-read loop both import assistants share: change an option, read again in the background.

Only the newest read counts: starting a new one cancels the previous (its answer is dropped
when it arrives), so a user clicking through sheets never sees an older sheet's result land
after a newer one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from analysis.errors import ChoiceRequired

from ..workers import Task
from .errors import describe


class BackgroundReader(QDialog):
    """A dialog whose content comes from ``read()``, run off the GUI thread on every change.

    Subclasses implement ``read(options)`` (runs in a worker thread: no widgets there),
    ``show_result(result)``, ``show_choice(exc)`` and ``show_problem(text)``.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._task: Task | None = None
        self.result_value: Any = None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def read(self, options: dict) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def start_read(self, options: dict, what: str) -> None:
        if self._task is not None:
            self._task.cancel()
        task = Task(self.read, dict(options))
        task.finished.connect(lambda value, t=task: self._on_finished(t, value))
        task.failed.connect(lambda exc, t=task: self._on_failed(t, exc))
        self._task = task
        self.set_busy(what)
        task.start()

    def _on_finished(self, task: Task, value: Any) -> None:
        if task is not self._task:
            return
        self._task = None
        self.result_value = value
        self.show_result(value)

    def _on_failed(self, task: Task, exc: BaseException) -> None:
        if task is not self._task:
            return
        self._task = None
        self.result_value = None
        if isinstance(exc, ChoiceRequired):
            self.show_choice(exc)
        else:  # an InputError in words, or a fault in Nadir said as such
            _title, what, todo = describe(exc)
            self.show_problem(f"{what} {todo}")

    def reject(self) -> None:
        # Cancel = nobody wants the answer; the read finishes unseen.
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().reject()

    # --- for subclasses ------------------------------------------------------------------------

    def set_busy(self, what: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def show_result(self, result: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def show_choice(self, exc: ChoiceRequired) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def show_problem(self, text: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
