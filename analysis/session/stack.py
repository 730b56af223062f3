"""The undo history of a session without Qt (the window uses Qt's QUndoStack the same way).

As in glue's CommandStack and Qt's QUndoStack: ``push`` does the command and keeps it, ``undo``
and ``redo`` walk the history, a command done right after another may merge into it (one drag,
one step), and the clean index marks the state that was saved, so ``modified`` is simply "not
at the clean index". Merging never crosses the clean index: undoing after a save goes back to
what was saved, not past it.
"""

from __future__ import annotations

from collections.abc import Callable


class CommandStack:
    def __init__(self, session):
        self.session = session
        self._commands: list = []
        self._index = 0  # commands[:index] are done
        self._clean: int | None = 0
        self._listeners: list[Callable[[], None]] = []

    # --- history -----------------------------------------------------------------------------

    def push(self, command) -> None:
        """Do ``command`` and keep it (or merge it into the last one); drops the redo history."""
        self.session.run(command)
        del self._commands[self._index:]
        if self._clean is not None and self._clean > self._index:
            self._clean = None  # the saved state was undone and is now out of reach
        top = self._commands[-1] if self._commands else None
        if top is not None and self._clean != self._index and top.merge(command):
            self._changed()
            return
        self._commands.append(command)
        self._index += 1
        self._changed()

    def undo(self) -> bool:
        if not self.can_undo():
            return False
        self._index -= 1
        self.session.revert(self._commands[self._index])
        self._changed()
        return True

    def redo(self) -> bool:
        if not self.can_redo():
            return False
        self.session.run(self._commands[self._index])
        self._index += 1
        self._changed()
        return True

    def can_undo(self) -> bool:
        return self._index > 0

    def can_redo(self) -> bool:
        return self._index < len(self._commands)

    def undo_text(self) -> str:
        return self._commands[self._index - 1].text if self.can_undo() else ""

    def redo_text(self) -> str:
        return self._commands[self._index].text if self.can_redo() else ""

    def clear(self) -> None:
        self._commands.clear()
        self._index, self._clean = 0, 0
        self._changed()

    def __len__(self) -> int:
        return len(self._commands)

    @property
    def index(self) -> int:
        return self._index

    # --- clean state -------------------------------------------------------------------------

    def set_clean(self) -> None:
        """The current state is saved."""
        self._clean = self._index
        self._changed()

    @property
    def clean(self) -> bool:
        return self._clean == self._index

    @property
    def modified(self) -> bool:
        return not self.clean

    def on_change(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback()`` after every push, undo, redo, clear or save mark."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback()
