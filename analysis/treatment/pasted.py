"""A block of infusions pasted from a spreadsheet into the manual entry: one row per line, cells
separated by tabs (as Excel, LibreOffice and Numbers copy them): a date, or a date and time, then
optionally a time cell, a dose (with or without its unit) and a unit cell.

The dates are read as one column, as the file readers read theirs (:mod:`analysis.importing.dates`):
"06/09/2022" next to "13/09/2022" is the 6th of September, because the block decides the order;
a block whose every date reads both ways is not guessed, its lines are returned unread with the
reason. A heading line ("Date  Time  Dose") or a line with no date is returned unread too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from analysis.errors import ChoiceRequired

DOSE_UNITS = ("g/kg", "mg/kg", "g", "mg")
_CLOCK = re.compile(r"\d{1,2}[:.h]\d{2}(?::\d{2})?")
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z/]*)\s*$")
BOTH_WAYS = ("day and month could be swapped in every date of the block: write them as 2022-09-06 "
             "or 06 Sep 2022")


@dataclass(frozen=True)
class PastedBlock:
    """The rows read (time, dose or None, unit) and the lines that were not, with why."""

    rows: tuple[tuple[datetime, float | None, str], ...]
    unread: tuple[str, ...] = ()
    reason: str = ""  # set when one reason covers the unread lines (dates that read both ways)


def parse_dose(text: str) -> tuple[float, str] | None:
    """"1", "0,4", "60 g", "400 mg/kg" -> (value, unit or ""); None when it is no dose."""
    match = _NUMBER.match(text or "")
    if match is None:
        return None
    unit = match[2].lower()
    if unit and unit not in DOSE_UNITS:
        return None
    return float(match[1].replace(",", ".")), unit


def parse_pasted_block(text: str, *, default_unit: str = "g/kg", default_time: time = time(9, 0)) -> PastedBlock:
    """The infusions of a pasted block; a date without a time is at ``default_time``, a dose
    without a unit in ``default_unit``."""
    from analysis.importing.dates import parse_datetime_column

    lines = [line for line in text.splitlines() if line.strip()]
    parts = [_split(line) for line in lines]
    stamps = [p[0] for p in parts]
    try:
        column = parse_datetime_column(stamps)
    except ChoiceRequired:
        return PastedBlock((), tuple(lines), BOTH_WAYS)
    rows, unread = [], []
    for line, (_stamp, rest), when, date_only in zip(lines, parts, column.times, column.date_only, strict=True):
        read = _row(when, date_only, rest, default_unit, default_time)
        if read is None:
            unread.append(line)
        else:
            rows.append(read)
    return PastedBlock(tuple(rows), tuple(unread))


def _split(line: str) -> tuple[str | None, list[str]]:
    """(the date text, with a time cell that follows it joined on; the cells after it)."""
    cells = [c.strip() for c in line.split("\t")]
    stamp, rest = cells[0], cells[1:]
    if rest and _CLOCK.fullmatch(rest[0]):
        stamp, rest = f"{stamp} {rest[0].replace('h', ':').replace('.', ':')}", rest[1:]
    return (stamp or None), rest


def _row(when: datetime | None, date_only: bool, rest: list[str], default_unit: str,
         default_time: time) -> tuple[datetime, float | None, str] | None:
    if when is None:
        return None
    if date_only:
        when = datetime.combine(when.date(), default_time)
    dose, unit = None, default_unit
    if rest and rest[0]:
        parsed = parse_dose(rest[0])
        if parsed is None:
            return None
        dose, unit = parsed[0], parsed[1] or unit
        rest = rest[1:]
    if rest and rest[0].lower() in DOSE_UNITS:
        unit = rest[0].lower()
    return when, dose, unit
