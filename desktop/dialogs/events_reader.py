"""One read of an events table for its assistant: the events, or why they could not be read,
plus the sheet's first rows, the header row and which column was read as what.

Runs in a worker thread (no widgets). The read is :func:`analysis.treatment.events.read_events`
with the user's choices; a failure about the table's content is kept so that the assistant
still shows the file and its columns. Only a file that cannot be opened raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError

OPTION_KEYS = ("columns", "sheet", "header_row", "date_order")
ROLE_TINTS = {"start": "time", "end": "time", "label": "test", "kind": "result"}


@dataclass
class EventRead:
    path: Path
    options: dict
    table: object = None  # EventImport
    error: InputError | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""
    rows: list[list] = field(default_factory=list)
    header_index: int | None = None
    headings: list[str] = field(default_factory=list)
    tints: dict[int, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)


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
    from analysis.treatment.record_view import (
        PREVIEW_ROWS,
        columns_of,
        first_sheet_with_rows,
        headings_of,
        likely_header,
    )

    path = Path(path)
    sheets, _system = read_sheets(path)
    read = EventRead(path, dict(options), sheets=[name for name, _rows in sheets])
    try:
        read.table = read_events(path, settings=settings_of(options))
    except InputError as exc:
        read.error = exc
    read.sheet = options["sheet"] if options.get("sheet") in read.sheets else first_sheet_with_rows(sheets)
    rows = next((r for n, r in sheets if n == read.sheet), [])
    read.rows = rows[:PREVIEW_ROWS]
    table = read.table
    if table is not None and table.header_row is not None:
        read.header_index = table.header_row - 1
    else:
        read.header_index = likely_header(rows, options.get("header_row"))
    read.headings = headings_of(rows, read.header_index)
    if table is not None:
        read.roles = dict(table.columns_read)
        read.tints = {c: ROLE_TINTS[role] for c, role in columns_of(read.headings, table.columns_read).items()}
    return read
