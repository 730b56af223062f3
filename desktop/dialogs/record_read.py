"""What an import assistant shows of one read of a treatment file (an infusion record, an events
table), whatever the reader: the error kept for the assistant, the sheets, the first rows of the
sheet read, its header row, and which column was read as what with the preview's tints.

The readers (``infusion_reader``, ``events_reader``) run in a worker thread, so nothing here
touches a widget; each adds what it read to a subclass of :class:`RecordRead`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError


@dataclass
class RecordRead:
    path: Path
    options: dict
    error: InputError | None = None  # ChoiceRequired included
    sheets: list[str] = field(default_factory=list)
    sheet: str = ""
    rows: list[list] = field(default_factory=list)  # the first rows of ``sheet``, raw
    header_index: int | None = None
    headings: list[str] = field(default_factory=list)
    tints: dict[int, str] = field(default_factory=dict)  # column -> sheet_preview.py TINTS key
    roles: dict[str, str] = field(default_factory=dict)  # role -> heading, as read


def kept_error(read: RecordRead, reading: Callable[[], object]) -> object:
    """``reading()``, or None with its InputError kept in ``read`` (about the file's content: the
    assistant still shows the file and its columns, which is when the user needs them)."""
    try:
        return reading()
    except InputError as exc:
        read.error = exc
        return None


def show_file(read: RecordRead, sheets: list[tuple[str, list[list]]], *, sheet: str | None = None,
              header_row: int | None = None, columns: dict[str, str] | None = None,
              tints: dict[str, str] | None = None) -> None:
    """Fill in what the assistant shows of the file: the sheet read (``sheet``, as the reader
    found it, else the one chosen, else the first with rows), its first rows, its header row
    (``header_row``, 1-based as read, else the likely one) and headings, and, when the reader
    found ``columns`` (role -> heading), those roles with their ``tints`` in the preview."""
    from analysis.treatment.record_view import (
        PREVIEW_ROWS,
        columns_of,
        first_sheet_with_rows,
        headings_of,
        likely_header,
    )

    options = read.options
    read.sheets = [name for name, _rows in sheets]
    if sheet is None:
        sheet = options["sheet"] if options.get("sheet") in read.sheets else first_sheet_with_rows(sheets)
    read.sheet = sheet
    rows = next((r for n, r in sheets if n == read.sheet), [])
    read.rows = rows[:PREVIEW_ROWS]
    read.header_index = header_row - 1 if header_row is not None else likely_header(rows, options.get("header_row"))
    read.headings = headings_of(rows, read.header_index)
    if columns is not None:
        read.roles = dict(columns)
        read.tints = {c: (tints or {}).get(role, "unit") for c, role in columns_of(read.headings, columns).items()}
