"""Every edit of an open case as a plain command: an intent that is done, undone and redone.

A command is built from what the user asked for (add this event, move event 2 by a day) and
does not look at the session until it is done. Doing it records the field's old value and the
new one; undoing puts the old value back, so an undo restores exactly what was there (the Case
is immutable, the statistics are derived from it). Because a command is an intent, a list of
commands is a script: :func:`replay` runs one headless and gives the case the window would show.

Commands that follow a drag (moving an event or an infusion, the window's region) merge with the
one before when it continued the same gesture, so one drag is one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from analysis.model import Administration, Event
from analysis.rules.cycles import CycleRules
from analysis.rules.exclusions import Exclusion


class Command:
    """The base of every edit: ``text`` names it in the Edit menu."""

    text = "Edit"

    def do(self, session) -> None:
        raise NotImplementedError

    def undo(self, session) -> None:
        raise NotImplementedError

    def merge(self, other: Command) -> bool:
        """Take ``other`` (done right after this one) into this command; False if they are
        separate steps."""
        return False


class FieldCommand(Command):
    """Replace one session field with ``change(old)``; undo puts ``old`` back."""

    field = ""

    def __init__(self) -> None:
        self.old: Any = None
        self.new: Any = None
        self._done_once = False

    def change(self, old):
        raise NotImplementedError

    def do(self, session) -> None:
        old = session.get(self.field)
        if not self._done_once:  # a redo (or a merged command) sets what was recorded
            self.old, self.new = old, self.change(old)
            self._done_once = True
        session.set(self.field, self.new)

    def undo(self, session) -> None:
        session.set(self.field, self.old)


def _sorted_events(events: Iterable[Event]) -> tuple[Event, ...]:
    """Events in time order, as the Case keeps them (``Case.with_events``)."""
    return tuple(sorted(events, key=lambda e: (e.start, e.stop)))


def _sorted_administrations(admins: Iterable[Administration]) -> tuple[Administration, ...]:
    return tuple(sorted(admins, key=lambda a: a.time))


def _check_index(items, index: int, what: str) -> None:
    if not 0 <= index < len(items):
        raise IndexError(f"there is no {what} {index + 1}; the case has {len(items)}")


# --- events ---------------------------------------------------------------------------------


class AddEvent(FieldCommand):
    field = "events"

    def __init__(self, event: Event):
        super().__init__()
        self.event = event
        self.text = f"Add {event.kind} “{event.label}”"

    def change(self, old):
        return _sorted_events((*old, self.event))


class AddEvents(FieldCommand):
    """The events of a table read from a file, added to those already there (one undo step);
    an event already listed (same kind, label and dates) is not added twice."""

    field = "events"

    def __init__(self, events, source: str):
        super().__init__()
        self.events, self.source = tuple(events), source
        self.added: tuple[Event, ...] = ()
        self.text = f"Add events from {source}"

    def change(self, old):
        self.added = tuple(e for e in self.events if e not in old)
        n = len(self.added)
        self.text = f"Add {n} event{'s' if n != 1 else ''} from {self.source}"
        return _sorted_events((*old, *self.added))


class AddEventsTable(AddEvents):
    """The events of a table and how it was read (its settings, for the project to replay):
    one undo step, so that a saved project never names a table it cannot read again."""

    def __init__(self, events, source: str, settings):
        super().__init__(events, source)
        self.settings = settings
        self.old_settings = None

    def do(self, session) -> None:
        if not self._done_once:
            self.old_settings = session.get("event_settings")
        session.set("event_settings", self.settings)
        super().do(session)

    def undo(self, session) -> None:
        super().undo(session)
        session.set("event_settings", self.old_settings)


class RemoveEvent(FieldCommand):
    field = "events"

    def __init__(self, index: int):
        super().__init__()
        self.index = index
        self.text = "Remove event"

    def change(self, old):
        _check_index(old, self.index, "event")
        self.text = f"Remove “{old[self.index].label}”"
        return old[: self.index] + old[self.index + 1 :]


class EditEvent(FieldCommand):
    """Replace event ``index`` (kind, label, dates) with ``event``."""

    field = "events"

    def __init__(self, index: int, event: Event, text: str | None = None):
        super().__init__()
        self.index, self.event = index, event
        self.text = text or "Edit event"
        self._fixed_text = text is not None

    def change(self, old):
        _check_index(old, self.index, "event")
        if not self._fixed_text:
            self.text = f"Edit “{old[self.index].label}”"
        events = list(old)
        events[self.index] = self.event
        return _sorted_events(events)


class MoveEvent(FieldCommand):
    """Shift event ``index`` in time by ``delta`` (dragging it on the chart)."""

    field = "events"

    def __init__(self, index: int, delta: timedelta):
        super().__init__()
        self.index, self.delta = index, delta
        self.text = "Move event"
        self.moved_from: Event | None = None
        self.moved_to: Event | None = None

    def change(self, old):
        _check_index(old, self.index, "event")
        event = old[self.index]
        moved = replace(event, start=event.start + self.delta,
                        end=None if event.end is None else event.end + self.delta)
        self.moved_from, self.moved_to = event, moved
        self.text = f"Move “{event.label}”"
        events = list(old)
        events[self.index] = moved
        return _sorted_events(events)

    def merge(self, other: Command) -> bool:
        # One drag sends a move per step, each starting where the last one left the event.
        if not isinstance(other, MoveEvent) or other.moved_from != self.moved_to:
            return False
        self.new, self.moved_to = other.new, other.moved_to
        return True


# --- infusions ------------------------------------------------------------------------------


class AddInfusion(FieldCommand):
    field = "administrations"

    def __init__(self, administration: Administration):
        super().__init__()
        self.administration = administration
        self.text = f"Add infusion of {administration.time:%d %b %Y}"

    def change(self, old):
        return _sorted_administrations((*old, self.administration))


class RemoveInfusion(FieldCommand):
    field = "administrations"

    def __init__(self, index: int):
        super().__init__()
        self.index = index
        self.text = "Remove infusion"

    def change(self, old):
        _check_index(old, self.index, "infusion")
        self.text = f"Remove infusion of {old[self.index].time:%d %b %Y}"
        return old[: self.index] + old[self.index + 1 :]


class EditInfusion(FieldCommand):
    """Replace administration ``index`` (time, dose, product ...) with ``administration``."""

    field = "administrations"

    def __init__(self, index: int, administration: Administration):
        super().__init__()
        self.index, self.administration = index, administration
        self.text = "Edit infusion"

    def change(self, old):
        _check_index(old, self.index, "infusion")
        self.text = f"Edit infusion of {old[self.index].time:%d %b %Y}"
        admins = list(old)
        admins[self.index] = self.administration
        return _sorted_administrations(admins)


class MoveInfusion(FieldCommand):
    """Correct the start time of administration ``index`` to ``when`` (dragging its marker)."""

    field = "administrations"

    def __init__(self, index: int, when: datetime):
        super().__init__()
        self.index, self.when = index, when
        self.text = "Move infusion"
        self.moved_from: datetime | None = None
        self.moved_to: datetime | None = None

    def change(self, old):
        _check_index(old, self.index, "infusion")
        admin = old[self.index]
        self.moved_from, self.moved_to = admin.time, self.when
        self.text = f"Move infusion of {admin.time:%d %b %Y}"
        admins = list(old)
        admins[self.index] = replace(admin, time=self.when)
        return _sorted_administrations(admins)

    def merge(self, other: Command) -> bool:
        if not isinstance(other, MoveInfusion) or other.moved_from != self.moved_to:
            return False
        self.new, self.moved_to = other.new, other.moved_to
        return True


# --- exclusions -----------------------------------------------------------------------------


class SetInfusions(Command):
    """Replace all infusions and how they were read (another record, or entered by hand): one step,
    so the methods text and the cycles never describe one source with the other's doses."""

    def __init__(self, administrations, medication_import, text: str = "Change the infusions"):
        self.new = (_sorted_administrations(administrations), medication_import)
        self.old: tuple | None = None
        self.text = text

    def do(self, session) -> None:
        from analysis.figure.defaults import window_for_new_infusions

        if self.old is None:
            self.old = (session.get("administrations"), session.get("medication_import"),
                        session.get("window"))
            # the window moves with the infusions when none of the new courses falls in it
            self.window = window_for_new_infusions(session.case.evolve(administrations=self.new[0]))
        session.set("medication_import", self.new[1])
        session.set("administrations", self.new[0])
        if self.window != self.old[2]:
            session.set("window", self.window)

    def undo(self, session) -> None:
        assert self.old is not None
        if session.get("window") != self.old[2]:
            session.set("window", self.old[2])
        session.set("medication_import", self.old[1])
        session.set("administrations", self.old[0])


class Exclude(FieldCommand):
    """Leave one observation out of the analysis, keeping the reason the user gave."""

    field = "exclusions"
    text = "Exclude value"

    def __init__(self, exclusion: Exclusion):
        super().__init__()
        if not exclusion.reason.strip():
            raise ValueError("an excluded value needs a reason (it is shown in the methods)")
        self.exclusion = exclusion

    def change(self, old):
        return (*old, self.exclusion)


class Include(FieldCommand):
    """Take an observation back into the analysis."""

    field = "exclusions"
    text = "Include value"

    def __init__(self, exclusion: Exclusion):
        super().__init__()
        self.exclusion = exclusion

    def change(self, old):
        return tuple(x for x in old if x != self.exclusion)


# --- window, rules and figure settings ------------------------------------------------------


class SetWindow(FieldCommand):
    """Change the analysis window (first and last infusion date analysed; None: open end)."""

    field = "window"
    text = "Change analysis window"

    def __init__(self, window: tuple[date | None, date | None]):
        super().__init__()
        self.window = tuple(window)

    def change(self, old):
        return self.window

    def merge(self, other: Command) -> bool:
        # Dragging the overview's region, or typing a date digit by digit, is one step.
        if not isinstance(other, SetWindow):
            return False
        self.new = other.new
        return True


class SetRules(FieldCommand):
    """Change the cycle rules (windows, course gap, infection handling)."""

    field = "rules"
    text = "Change cycle rules"

    def __init__(self, rules: CycleRules | None = None, **changes):
        super().__init__()
        self.rules, self.changes = rules, changes

    def change(self, old):
        return replace(self.rules or old, **self.changes)


class SetFigureSettings(FieldCommand):
    """Change figure settings: ``changes`` are FigureSettings fields (axis, panels, palette ...)."""

    field = "settings"

    def __init__(self, text: str = "Change figure setting", **changes):
        super().__init__()
        self.text, self.changes = text, changes

    def change(self, old):
        return replace(old, **self.changes)


class SetPanelBCycle(SetFigureSettings):
    """Choose what panel B shows: cycle ``number``, or "overlay" / "none"."""

    def __init__(self, choice: int | str):
        value = f"cycle:{int(choice)}" if isinstance(choice, int) else str(choice)
        if value not in ("overlay", "none") and not value.startswith("cycle:"):
            raise ValueError(f"panel B shows a cycle number, 'overlay' or 'none', not {choice!r}")
        what = f"cycle {choice}" if isinstance(choice, int) else value
        super().__init__(f"Show {what} in panel B", panel_b=value)


def replay(session, commands: Iterable[Command]):
    """Run ``commands`` one after the other on ``session`` (through its stack, so drags merge as
    in the window) and return the resulting case: a script of edits gives the case the window
    would show after them."""
    for command in commands:
        session.stack.push(command)
    return session.case
