"""The open case as the GUI sees it: one immutable ``Case``, the figure settings and an undo stack.

Every view reads from the document and every edit goes through a ``QUndoCommand`` on its stack
(see ``commands.py``), so undo, redo, the "modified" mark and autosave all follow from one place.
The document never mutates a ``Case``: commands hand it a new one and it says ``changed``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack


class CaseDocument(QObject):
    """Holds the current case; emits ``changed`` after every replacement of the case or settings."""

    changed = Signal()
    pathChanged = Signal()
    modifiedChanged = Signal(bool)

    def __init__(self, case=None, settings=None, parent: QObject | None = None):
        super().__init__(parent)
        self._case = case
        self._settings = settings
        self._spec = None
        self._path: Path | None = None
        self.sources: dict = {}  # role -> Path of the files the case was read from
        self.undo_stack = QUndoStack(self)
        self._unsaved = False  # restored from a recovery file: modified though the stack is clean
        self.undo_stack.cleanChanged.connect(lambda _clean: self.modifiedChanged.emit(self.modified))

    # --- state -------------------------------------------------------------------------------

    @property
    def case(self):
        return self._case

    @property
    def settings(self):
        if self._settings is None:
            from analysis.figure.spec import FigureSettings

            self._settings = FigureSettings()
        return self._settings

    @property
    def path(self) -> Path | None:
        return self._path

    @path.setter
    def path(self, value: Path | None) -> None:
        self._path = Path(value) if value is not None else None
        self.pathChanged.emit()

    @property
    def modified(self) -> bool:
        return self._unsaved or not self.undo_stack.isClean()

    def mark_unsaved(self) -> None:
        self._unsaved = True
        self.modifiedChanged.emit(True)

    def mark_saved(self) -> None:
        self._unsaved = False
        self.modifiedChanged.emit(self.modified)

    def set_case(self, case) -> None:
        """Replace the case (commands call this; views call commands)."""
        self._case = case
        self._spec = None
        self.changed.emit()

    def set_settings(self, settings) -> None:
        self._settings = settings
        self._spec = None
        self.changed.emit()

    def load(self, case, settings=None, *, path: Path | None = None, sources: dict | None = None) -> None:
        """Start over with a new case: a fresh, clean undo history."""
        self.undo_stack.clear()
        self._unsaved = False
        self.sources = dict(sources or {})
        self._settings = settings
        self.path = path
        self.set_case(case)
        self.undo_stack.setClean()

    def push(self, command) -> None:
        self.undo_stack.push(command)

    # --- derived -----------------------------------------------------------------------------

    def spec(self):
        """The figure description of the current case, built once per change."""
        if self._spec is None and self._case is not None:
            from analysis.figure.spec import build_figure

            self._spec = build_figure(self._case, self.settings)
        return self._spec
