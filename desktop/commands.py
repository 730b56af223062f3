"""Undoable edits of the case: each command keeps the old and the new value of one ``Case`` field.

A command never patches a case in place: redo puts the new value into a fresh ``Case`` (the case
is a frozen dataclass) and undo puts the old one back, so undoing restores exactly what was
there, statistics included. Drags send many small moves; commands with the same id and target
merge, so one drag is one undo step.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtGui import QUndoCommand

_MOVE_EVENT_ID = 1001
_MOVE_INFUSION_ID = 1002
_WINDOW_ID = 1003


def _replace(case, **changes):
    return dataclasses.replace(case, **changes)


class CaseFieldCommand(QUndoCommand):
    """Set one field of the document's case; the base of every case edit."""

    field = ""

    def __init__(self, doc, new, text: str, *, field: str | None = None, old=None):
        super().__init__(text)
        self.doc = doc
        if field is not None:
            self.field = field
        self.old = getattr(doc.case, self.field) if old is None else old
        self.new = new

    def redo(self) -> None:
        self.doc.set_case(_replace(self.doc.case, **{self.field: self.new}))

    def undo(self) -> None:
        self.doc.set_case(_replace(self.doc.case, **{self.field: self.old}))


# --- events ---------------------------------------------------------------------------------


def _events(doc) -> tuple:
    return tuple(doc.case.events)


def _sorted(events) -> tuple:
    """Events in time order, as ``Case.with_events`` keeps them."""
    return tuple(sorted(events, key=lambda e: (e.start, e.stop)))


class AddEventCommand(CaseFieldCommand):
    field = "events"

    def __init__(self, doc, event):
        super().__init__(doc, _sorted(_events(doc) + (event,)), f"Add {event.kind} “{event.label}”")
        self.event = event


class AddEventsCommand(CaseFieldCommand):
    """The events of a table read from a file, added to those already there (one undo step);
    an event already listed (same kind, label and dates) is not added twice."""

    field = "events"

    def __init__(self, doc, events, source: str):
        have = _events(doc)
        new = tuple(e for e in events if e not in have)
        super().__init__(doc, _sorted(have + new), f"Add {len(new)} event{'s' if len(new) != 1 else ''} from {source}")
        self.added = new


class RemoveEventCommand(CaseFieldCommand):
    field = "events"

    def __init__(self, doc, index: int):
        events = _events(doc)
        event = events[index]
        super().__init__(doc, events[:index] + events[index + 1 :], f"Remove “{event.label}”")


class EditEventCommand(CaseFieldCommand):
    """Replace event ``index`` (kind, label, dates) with ``event``."""

    field = "events"

    def __init__(self, doc, index: int, event, text: str | None = None):
        events = list(_events(doc))
        old = events[index]
        events[index] = event
        super().__init__(doc, _sorted(events), text or f"Edit “{old.label}”")


class MoveEventCommand(EditEventCommand):
    """Shift an event in time (dragging it on the chart); consecutive moves of it merge."""

    def __init__(self, doc, index: int, delta):
        old = _events(doc)[index]
        moved = dataclasses.replace(
            old, start=old.start + delta, end=None if old.end is None else old.end + delta
        )
        super().__init__(doc, index, moved, f"Move “{old.label}”")
        self.moved_from, self.moved_to = old, moved

    def id(self) -> int:
        return _MOVE_EVENT_ID

    def mergeWith(self, other) -> bool:  # noqa: N802
        if other.id() != _MOVE_EVENT_ID or other.moved_from != self.moved_to:
            return False
        self.new, self.moved_to = other.new, other.moved_to
        return True


# --- infusions ------------------------------------------------------------------------------


class MoveInfusionCommand(CaseFieldCommand):
    """Correct the start time of administration ``index`` (dragging an infusion marker).

    Consecutive moves of the same infusion (each starting where the last one left it) merge.
    """

    field = "administrations"

    def __init__(self, doc, index: int, when):
        admins = list(doc.case.administrations)
        old = admins[index]
        admins[index] = dataclasses.replace(old, time=when)
        super().__init__(doc, tuple(sorted(admins, key=lambda a: a.time)), f"Move infusion of {old.time:%d %b %Y}")
        self.moved_from, self.moved_to = old.time, when

    def id(self) -> int:
        return _MOVE_INFUSION_ID

    def mergeWith(self, other) -> bool:  # noqa: N802
        if other.id() != _MOVE_INFUSION_ID or other.moved_from != self.moved_to:
            return False
        self.new, self.moved_to = other.new, other.moved_to
        return True


# --- exclusions -----------------------------------------------------------------------------


class ExcludeCommand(CaseFieldCommand):
    """Leave one observation out of the analysis, keeping the reason the user gave."""

    field = "exclusions"

    def __init__(self, doc, exclusion):
        super().__init__(doc, tuple(doc.case.exclusions) + (exclusion,), "Exclude value")
        self.exclusion = exclusion


class IncludeCommand(CaseFieldCommand):
    """Take an observation back into the analysis."""

    field = "exclusions"

    def __init__(self, doc, exclusion):
        kept = tuple(e for e in doc.case.exclusions if e != exclusion)
        super().__init__(doc, kept, "Include value")


# --- window and figure settings -----------------------------------------------------------


class SetWindowCommand(CaseFieldCommand):
    """Change the analysis window (first and last infusion date analysed)."""

    field = "window"

    def __init__(self, doc, window: tuple):
        super().__init__(doc, tuple(window), "Change analysis window")

    def id(self) -> int:
        return _WINDOW_ID

    def mergeWith(self, other) -> bool:  # noqa: N802 - dragging the overview region is one step
        if other.id() != _WINDOW_ID:
            return False
        self.new = other.new
        return True


class FigureSettingCommand(QUndoCommand):
    """Change figure settings (axis, panels, palette ...): ``changes`` are FigureSettings fields."""

    def __init__(self, doc, text: str = "Change figure setting", **changes):
        super().__init__(text)
        self.doc = doc
        self.old = doc.settings
        self.new = dataclasses.replace(doc.settings, **changes)

    def redo(self) -> None:
        self.doc.set_settings(self.new)

    def undo(self) -> None:
        self.doc.set_settings(self.old)
