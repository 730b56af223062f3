"""What the infusion-record and events assistants show of a table, also when reading it failed.

A record that Nadir cannot read by itself is exactly when the user needs to see its columns and
say which is which, so the assistants need the sheet's first rows, the row that most likely
holds the headings and those headings, without the reader having succeeded.
"""

from __future__ import annotations

from analysis.treatment.column_profiles import blank, text_of
from analysis.treatment.columns import HEADER_SEARCH_ROWS

PREVIEW_ROWS = 200


def likely_header(rows: list[list], header_row: int | None = None) -> int | None:
    """0-based index of the row of column headings: the user's (1-based ``header_row``), else the
    first row of at least two text cells none of which is a number (a title line has one cell)."""
    if header_row is not None:
        return header_row - 1 if 0 < header_row <= len(rows) else None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [v for v in row if not blank(v)]
        if len(cells) >= 2 and all(isinstance(v, str) and not _numeric(v) for v in cells):
            return i
    return None


def headings_of(rows: list[list], header_index: int | None) -> list[str]:
    """The headings of the header row, in column order ("" for an empty heading)."""
    if header_index is None or header_index >= len(rows):
        return []
    return [text_of(v) for v in rows[header_index]]


def columns_of(headings: list[str], pairs) -> dict[int, str]:
    """Column index -> role for (role, heading) pairs: the first column with that heading."""
    out: dict[int, str] = {}
    for role, heading in pairs:
        if heading in headings:
            out.setdefault(headings.index(heading), role)
    return out


def first_sheet_with_rows(sheets: list[tuple[str, list[list]]]) -> str:
    for name, rows in sheets:
        if any(not blank(v) for r in rows[:50] for v in r):
            return name
    return sheets[0][0] if sheets else ""


def _numeric(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True
