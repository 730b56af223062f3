"""The candidate results of a sheet, as the layout readers hand them on to be parsed.

Each reader (:mod:`.long`, :mod:`.wide`, :mod:`.transposed`) turns its layout into the same
:class:`Cells`: one entry per value cell, with the raw cells that belong to it (name, unit,
date, status ...). Parsing them (:mod:`.build`) then no longer depends on the layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class Cells:
    """The candidate results of a sheet as parallel columns, one entry per value cell."""

    row: list[int] = field(default_factory=list)  # 1-based spreadsheet row
    col: list[int] = field(default_factory=list)  # 0-based column of the value cell
    name: list[str] = field(default_factory=list)  # analyte name as in the file
    code: list[str] = field(default_factory=list)
    raw: list = field(default_factory=list)
    unit: list = field(default_factory=list)  # unit text as exported, or None
    when: list = field(default_factory=list)  # raw date (or date-time) cell
    clock: list | None = None  # raw time-of-day cell, when the export splits date and time
    flag: list | None = None
    status: list | None = None
    patient: list | None = None
    decimal_group: list | None = None  # results deciding their decimal separator together
    filled_time: list | None = None  # True where the time was taken from the row above
    all_patients: list | None = None  # every patient of the sheet, whatever tests they had


# The per-cell columns, in the order a subset copies them (all_patients is per sheet).
_PER_CELL = (
    "row", "col", "name", "code", "raw", "unit", "when", "clock", "flag", "status", "patient",
    "decimal_group", "filled_time",
)


def subset(cells: Cells, keep: list[int]) -> Cells:
    """The cells at the indexes ``keep`` (the results of one patient)."""
    out = Cells()
    for name in _PER_CELL:
        values = getattr(cells, name)
        setattr(out, name, None if values is None else [values[i] for i in keep])
    return out


def column(data: list[list], col: int | None) -> list | None:
    """The cells of column ``col`` of ``data`` ("" past the end of a short row), or None."""
    if col is None:
        return None
    return [r[col] if col < len(r) else "" for r in data]


def is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def has_blank(values: list) -> bool:
    return any(is_blank(v) for v in set(values))


def transpose(data: list[list]) -> list[tuple]:
    """The columns of a block of rows (ragged CSV rows padded with "")."""
    if not data:
        return []
    width = max(map(len, data))
    if min(map(len, data)) != width:
        data = [r + [""] * (width - len(r)) if len(r) < width else r for r in data]
    return list(zip(*data, strict=True))


def id_text(value) -> str:
    """An identifier as text: numeric cells lose the ".0" calamine gives them, text stays as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA", as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def patient_role(roles: dict[str, int]) -> str:
    """The column that tells patients apart: the identifier, else the name. Without one of
    them, two patients' results in one export would be merged without a word."""
    return "patient" if "patient" in roles or "patient_name" not in roles else "patient_name"


def rows_phrase(rows: list[int]) -> str:
    """ "row 4" or "rows 4, 9, 12, 20, 31 and 3 more", for a warning."""
    rows = sorted(set(rows))
    shown = ", ".join(str(r) for r in rows[:5])
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"
