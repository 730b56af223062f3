"""The open case and every edit of it, without Qt: a :class:`CaseSession` and its commands.

The window (``desktop/``) wraps these commands in QUndoCommands and subscribes its views to the
fields they show; a script or a test uses the same commands on a :class:`CommandStack`.
"""

from analysis.session.commands import (  # noqa: F401 (the package's public names)
    AddEvent,
    AddEvents,
    AddEventsTable,
    AddInfusion,
    Command,
    EditEvent,
    EditInfusion,
    Exclude,
    FieldCommand,
    Include,
    MoveEvent,
    MoveInfusion,
    RemoveEvent,
    RemoveInfusion,
    SetFigureSettings,
    SetInfusions,
    SetPanelBCycle,
    SetRules,
    SetWindow,
    replay,
)
from analysis.session.label_commands import EditLabel, MoveLabel, ResetLabel, ShowHiddenLabels  # noqa: F401
from analysis.session.stack import CommandStack  # noqa: F401
from analysis.session.state import CASE_FIELDS, FIELDS, CaseSession  # noqa: F401
