"""The open case, its figure settings and where it came from, with field-level notifications.

Notifications are plain callbacks rather than an evented model such as psygnal: the session has
seven fields and one writer (:meth:`CaseSession.set`), so a dictionary of subscribers says all
that is needed, costs no dependency and keeps ``analysis/`` free of any event framework. The
window bridges the callbacks to one Qt signal; a script may ignore them.

A subscriber names the fields it shows and is called with the set of fields that changed, once
per edit. ``"case"`` means a whole new case was loaded: every subscriber hears about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from analysis.session.stack import CommandStack

# The fields of the Case an edit may replace, and the figure settings beside them.
CASE_FIELDS = frozenset({"events", "administrations", "medication_import", "event_settings", "exclusions", "window",
                         "rules"})
FIELDS = CASE_FIELDS | {"settings"}
LOADED = "case"

Callback = Callable[[frozenset], None]


class CaseSession:
    """One open case: ``case`` (immutable, replaced on every edit; it carries the settings its
    files were read with), ``settings`` and ``sources`` (role -> path of the files read)."""

    def __init__(self, case=None, settings=None, *, sources: dict | None = None):
        self._case = case
        self._settings = settings
        self._spec: Any = None  # the FigureSpec, built on first use after each change
        self.sources: dict = dict(sources or {})
        self._subscribers: list[tuple[frozenset, Callback]] = []
        self._edit_listeners: list[Callable] = []
        # The history for scripts and tests; the window keeps its own in Qt's QUndoStack, whose
        # commands call run/revert below just as this one does.
        self.stack = CommandStack(self)

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

    def get(self, field: str):
        """The current value of ``field`` (a Case field, or "settings")."""
        if field == "settings":
            return self.settings
        if field not in CASE_FIELDS:
            raise KeyError(f"a session has no field {field!r}")
        return getattr(self._case, field)

    def set(self, field: str, value) -> None:
        """Replace one field (commands call this) and tell the subscribers of that field."""
        if field == "settings":
            self._settings = value
        elif field in CASE_FIELDS:
            self._case = self._case.evolve(**{field: value})  # keeps what the edit leaves alone
        else:
            raise KeyError(f"a session has no field {field!r}")
        self._spec = None
        self._notify(frozenset({field}))

    def load(self, case, settings=None, *, sources: dict | None = None) -> None:
        """Start over with another case (opening a project, importing files)."""
        self._case = case
        self._settings = settings
        self.sources = dict(sources or {})
        self._spec = None
        self._notify(frozenset({LOADED}))

    def replace_case(self, case) -> None:
        """Put in a whole new case without starting over (a re-import of the same files)."""
        self._case = case
        self._spec = None
        self._notify(frozenset({LOADED}))

    # --- derived -----------------------------------------------------------------------------

    def spec(self):
        """The figure description of the current case and settings, built once per change."""
        if self._spec is None and self._case is not None:
            from analysis.figure.spec import build_figure

            self._spec = build_figure(self._case, self.settings)
        return self._spec

    # --- notifications -----------------------------------------------------------------------

    def subscribe(self, fields: Iterable[str], callback: Callback) -> Callable[[], None]:
        """Call ``callback(changed)`` after every edit of one of ``fields`` and after a load;
        returns the function that ends the subscription."""
        wanted = frozenset(fields)
        unknown = wanted - FIELDS
        if unknown:
            raise KeyError(f"a session has no field {sorted(unknown)[0]!r}")
        entry = (wanted, callback)
        self._subscribers.append(entry)
        return lambda: self._subscribers.remove(entry) if entry in self._subscribers else None

    def on_edit(self, callback: Callable) -> Callable[[], None]:
        """Call ``callback(command, undone)`` after every command is done, redone or undone
        (a recovery journal listens here: it sees each edit as it happens)."""
        self._edit_listeners.append(callback)
        return lambda: self._edit_listeners.remove(callback) if callback in self._edit_listeners else None

    def _notify(self, changed: frozenset) -> None:
        for wanted, callback in list(self._subscribers):
            if LOADED in changed or wanted & changed:
                callback(changed)

    # --- running commands --------------------------------------------------------------------

    def run(self, command) -> None:
        """Do (or redo) ``command`` on this session."""
        command.do(self)
        for listener in list(self._edit_listeners):
            listener(command, False)

    def revert(self, command) -> None:
        """Undo ``command``, which was the last one done."""
        command.undo(self)
        for listener in list(self._edit_listeners):
            listener(command, True)
