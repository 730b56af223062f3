"""The open case as the window sees it: the Qt side of an ``analysis.session.CaseSession``.

The session (Qt-free) holds the case, the figure settings and the sources, and says which fields
each edit changed. This document adds what needs Qt: the undo stack (QUndoStack, whose commands
in ``commands.py`` each wrap one session command), the project path, the modified mark, and
one signal, ``fieldsChanged(frozenset)``, that views filter through :meth:`watch` so each
redraws only for the fields it shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from analysis.session import FIELDS, CaseSession


class CaseDocument(QObject):
    """Holds the session; emits ``fieldsChanged`` (then ``changed``) after every edit or load."""

    fieldsChanged = Signal(object)  # noqa: N815 - Qt names signals so; frozenset of fields, {"case"} for a load
    changed = Signal()
    pathChanged = Signal()
    modifiedChanged = Signal(bool)

    def __init__(self, case=None, settings=None, parent: QObject | None = None):
        super().__init__(parent)
        self.session = CaseSession(case, settings)
        self.session.subscribe(FIELDS, self._session_changed)
        self._path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self._unsaved = False  # restored from a recovery file: modified though the stack is clean
        self.undo_stack.cleanChanged.connect(lambda _clean: self.modifiedChanged.emit(self.modified))

    def _session_changed(self, fields: frozenset) -> None:
        self.fieldsChanged.emit(fields)
        self.changed.emit()

    def watch(self, fields, slot) -> None:
        """Call ``slot()`` after an edit of one of ``fields`` or a load (a view's subscription)."""
        wanted = frozenset(fields)
        self.fieldsChanged.connect(lambda changed: slot() if ("case" in changed or wanted & changed) else None)

    # --- state -------------------------------------------------------------------------------

    @property
    def case(self):
        return self.session.case

    @property
    def settings(self):
        return self.session.settings

    @property
    def sources(self) -> dict:
        return self.session.sources

    @sources.setter
    def sources(self, value: dict) -> None:
        self.session.sources = dict(value)

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
        """Put in a whole new case outside the undo history (a re-import of the same files)."""
        self.session.replace_case(case)

    def load(self, case, settings=None, *, path: Path | None = None, sources: dict | None = None) -> None:
        """Start over with a new case: a fresh, clean undo history."""
        self.undo_stack.clear()
        self._unsaved = False
        self._path = Path(path) if path is not None else None
        self.session.load(case, settings, sources=sources)
        self.pathChanged.emit()
        self.undo_stack.setClean()

    def push(self, command) -> None:
        """Do an edit: a session command (wrapped here) or an already wrapped one."""
        from .commands import SessionCommand

        if not isinstance(command, SessionCommand):
            command = SessionCommand(self, command)
        self.undo_stack.push(command)

    # --- derived -----------------------------------------------------------------------------

    def spec(self):
        """The figure description of the current case, built once per change."""
        return self.session.spec()
