"""Qt's side of undo: each QUndoCommand here wraps one ``analysis.session`` command.

The edit itself (what changes, how undo restores it, which drags merge) is the session
command's; this wrapper only lets QUndoStack drive it, so the Edit menu, the modified mark and
the shortcuts come from Qt while the commands stay testable and replayable without it.
The named classes keep the window's call sites short: ``AddEventCommand(doc, event)``.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from analysis import session as edits

_MERGING = 1000  # one id for every command that may merge: the session command decides


class SessionCommand(QUndoCommand):
    """Drive ``command`` (an ``analysis.session.Command``) on ``doc``'s session from Qt's stack."""

    def __init__(self, doc, command: edits.Command):
        super().__init__(command.text)
        self.doc = doc
        self.command = command

    def redo(self) -> None:
        self.doc.session.run(self.command)
        self.setText(self.command.text)  # a command names its target once it has seen it

    def undo(self) -> None:
        self.doc.session.revert(self.command)

    def id(self) -> int:
        return _MERGING if type(self.command).merge is not edits.Command.merge else -1

    def mergeWith(self, other) -> bool:  # noqa: N802
        return isinstance(other, SessionCommand) and self.command.merge(other.command)


def AddEventCommand(doc, event) -> SessionCommand:  # noqa: N802 - reads as the class it makes
    return SessionCommand(doc, edits.AddEvent(event))


def AddEventsCommand(doc, events, source: str) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.AddEvents(events, source))


def AddEventsTableCommand(doc, events, source: str, settings) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.AddEventsTable(events, source, settings))


def RemoveEventCommand(doc, index: int) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.RemoveEvent(index))


def EditEventCommand(doc, index: int, event, text: str | None = None) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.EditEvent(index, event, text))


def MoveEventCommand(doc, index: int, delta) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.MoveEvent(index, delta))


def MoveInfusionCommand(doc, index: int, when) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.MoveInfusion(index, when))


def ExcludeCommand(doc, exclusion) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.Exclude(exclusion))


def IncludeCommand(doc, exclusion) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.Include(exclusion))


def SetWindowCommand(doc, window: tuple) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.SetWindow(window))


def FigureSettingCommand(doc, text: str = "Change figure setting", **changes) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.SetFigureSettings(text, **changes))


def SetRulesCommand(doc, rules, text: str | None = None) -> SessionCommand:  # noqa: N802
    command = edits.SetRules(rules)
    if text:
        command.text = text
    return SessionCommand(doc, command)


def SetInfusionsCommand(doc, administrations, medication_import, text: str) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.SetInfusions(administrations, medication_import, text))


def EditLabelCommand(doc, label_id: str, text: str, original: str, hidden: bool = False) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.EditLabel(label_id, text, original, hidden))


def MoveLabelCommand(doc, label_id: str, dx_mm: float, dy_mm: float) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.MoveLabel(label_id, dx_mm, dy_mm))


def ResetLabelCommand(doc, label_id: str) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.ResetLabel(label_id))


def ShowHiddenLabelsCommand(doc) -> SessionCommand:  # noqa: N802
    return SessionCommand(doc, edits.ShowHiddenLabels())
