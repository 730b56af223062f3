"""One read of an events table for its assistant: the events, or why they could not be read,
plus the sheet's first rows, the header row and which column was read as what.

Runs in a worker thread (no widgets). The read is :func:`analysis.treatment.events.read_events`
with the user's choices; a failure about the table's content is kept so that the assistant
still shows the file and its columns. Only a file that cannot be opened raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .record_read import RecordRead, kept_error, show_file

OPTION_KEYS = ("columns", "sheet", "header_row", "date_order")
ROLE_TINTS = {"start": "time", "end": "time", "label": "test", "kind": "result"}


@dataclass
class EventRead(RecordRead):
    table: object = None  # EventImport


def settings_of(options: dict):
    """The EventImportSettings the assistant's options stand for."""
    from analysis.treatment.settings import EventImportSettings

    return EventImportSettings(date_order=options.get("date_order"), columns=dict(options.get("columns") or {}),
                               sheet=options.get("sheet"), header_row=options.get("header_row"))


def options_of(settings) -> dict:
    """The assistant's options that replay saved EventImportSettings."""
    if settings is None:
        return {}
    values = {k: getattr(settings, k, None) for k in OPTION_KEYS}
    return {k: v for k, v in values.items() if v not in (None, {})}


def read_event_table(path: Path, options: dict) -> EventRead:
    from analysis.treatment.events import read_events
    from analysis.treatment.medications import read_sheets

    path = Path(path)
    sheets, _system = read_sheets(path)
    read = EventRead(path, dict(options))
    table = read.table = kept_error(read, lambda: read_events(path, settings=settings_of(options)))
    show_file(read, sheets, header_row=getattr(table, "header_row", None),
              columns=table.columns_read if table is not None else None, tints=ROLE_TINTS)
    return read
