"""Columns of collection times as exports give them: datetimes, Excel serials, and text.

A column is read cell by cell (:mod:`analysis.importing.date_serials` for numbers and typed
datetimes, :mod:`analysis.importing.date_text` for text), except that the day/month order of
numeric text dates is decided once for the whole column (:mod:`analysis.importing.date_order`):
a wrong guess would move every draw without any visible error, so Nadir never guesses it.

Parsing is per unique string (exports repeat dates, and a column of 100k draws has far fewer
distinct stamps than cells), and Excel serials are converted arithmetically.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from numbers import Real
from typing import Literal

import numpy as np
import pandas as pd

from analysis.importing.date_order import DMY, MDY, YMD, decide_order, numeric_to_datetime
from analysis.importing.date_serials import compact_number, fileman_date, from_excel_serial, serial_ok, wall_clock
from analysis.importing.date_text import looks_like_date_text, parse_date_text, parse_time_text
from analysis.importing.limits import FIRST_YEAR, LAST_YEAR  # dates outside are skipped rows, with the reason

# The public names of collection-time reading, wherever they live.
__all__ = [
    "DMY", "FIRST_YEAR", "LAST_YEAR", "MDY", "YMD", "DateColumn", "combine_date_time",
    "from_excel_serial", "in_range", "looks_like_date_text", "parse_datetime_column",
    "parse_time_text", "unreadable_reason",
]



@dataclass
class DateColumn:
    """A parsed column of collection times.

    ``times[i]`` is None for an empty or unparseable cell; ``bad`` lists the indexes of cells
    that held something but could not be read as a date (empty cells are not "bad").
    ``date_only[i]`` is True when the cell gave no time of day. ``order`` is the day/month order
    used for numeric text dates ("YMD" when only ISO dates were seen, None without text dates
    or when the order made no difference). ``bad_times`` lists rows whose separate time cell
    (see :func:`combine_date_time`) could not be read; those keep the date alone.
    """

    times: list[datetime | None]
    date_only: list[bool]
    order: str | None = None
    ambiguous: bool = False
    bad: list[int] = field(default_factory=list)
    bad_times: list[int] = field(default_factory=list)
    out_of_range: list[int] = field(default_factory=list)  # read, but outside FIRST_YEAR-LAST_YEAR


# What one cell holds, before the column's day/month order is known:
_EMPTY = ("empty",)  # nothing: not a bad cell
_BAD = ("bad",)  # something that is no date
# ("typed", datetime): a datetime or serial; at 00:00:00 it may be a date without a time
# ("day", datetime): a date without a time of day
# ("fixed", datetime, has_time): a text date that reads one way only (ISO, month names)
# ("numeric", a, b, year, sep, time|None): a text date that needs the column's order


@dataclass
class _Cells:
    """A column read cell by cell; numeric text dates wait in ``numeric`` for the order."""

    times: list[datetime | None]
    has_time: list[bool]
    bad: list[int] = field(default_factory=list)
    numeric: dict[int, tuple] = field(default_factory=dict)
    midnight_typed: list[int] = field(default_factory=list)  # datetime/serial cells at 00:00:00
    text_seen: bool = False  # a text date that reads one way only


def parse_datetime_column(
    values: Sequence, order: str | None = None, system: int = 1900
) -> DateColumn:
    """Parse a column of collection times (one per row) as read from a spreadsheet or CSV.

    Accepts datetimes, dates, pandas Timestamps, Excel serial numbers (1 to 80000, ``system``
    1900 or 1904), and text: ISO ("2023-03-01 08:00"), numeric with "/", "-" or "." in
    month-first or day-first order ("03/01/2023 08:00 AM", "01.03.23"), and month names in
    English, German, French and Spanish ("01-Mar-2023", "Mar 1, 2023", "1. März 2023").

    ``order`` ("MDY"/"DMY") forces the order of numeric text dates. Without it the order is
    decided from the whole column; raises ChoiceRequired(kind="date_order") when the column
    does not decide it (or contradicts itself).
    """
    cells = _read_cells(values, system)
    # Unique numeric texts decide the order; a column of 100k rows has few distinct stamps.
    distinct = list({(p[1], p[2], p[3], p[4]): p for p in cells.numeric.values()}.values())
    used_order, ambiguous = decide_order(distinct, order)
    if cells.numeric:
        _place_numeric(cells, used_order)
    elif cells.text_seen and used_order is None and order is None:
        used_order = YMD
    return _finish(cells, used_order, ambiguous)


def _read_cells(values: Sequence, system: int) -> _Cells:
    n = len(values)
    cells = _Cells([None] * n, [False] * n)
    times, has_time, midnight = cells.times, cells.has_time, time(0)  # locals: 100k rows
    cache: dict[str, tuple] = {}
    for i, v in enumerate(values):
        if type(v) is datetime and v.tzinfo is None and not v.microsecond:
            # What a spreadsheet's typed cell usually is: already a wall-clock time to the second
            # (the same as the "typed" reading below gives, without its calls: 100k rows).
            times[i] = v
            if v.hour or v.minute or v.second:
                has_time[i] = True
            else:
                cells.midnight_typed.append(i)
            continue
        read = _read_value(v, system)
        if read is None:  # text
            text = str(v)
            read = cache.get(text) or cache.setdefault(text, _read_text(text, system))
        kind = read[0]
        if kind == "typed":
            dt = times[i] = read[1]
            if dt.time() == midnight:
                cells.midnight_typed.append(i)
            else:
                has_time[i] = True
        elif kind == "fixed":
            times[i], has_time[i] = read[1], read[2]
            cells.text_seen = True
        elif kind == "day":
            times[i] = read[1]
        elif kind == "numeric":
            cells.numeric[i] = read
        elif kind == "bad":
            cells.bad.append(i)
    return cells


def _read_value(v, system: int) -> tuple | None:
    """What a cell that is not text holds; None for text (and anything else shown as text)."""
    if v is None:
        return _EMPTY
    if isinstance(v, datetime):  # includes pandas.Timestamp
        if v != v:  # NaT
            return _EMPTY
        return ("typed", wall_clock(v.to_pydatetime() if hasattr(v, "to_pydatetime") else v))
    if isinstance(v, date):
        return ("day", datetime(v.year, v.month, v.day))
    if isinstance(v, bool):
        return _BAD
    if isinstance(v, np.datetime64):
        return _EMPTY if np.isnat(v) else ("typed", wall_clock(pd.Timestamp(v).to_pydatetime()))
    if v is pd.NA or v is pd.NaT:
        return _EMPTY
    if _is_number(v):
        return _read_number(v, system)
    if isinstance(v, time):
        return _BAD
    return None


def _is_number(v) -> bool:
    """A number cell: a Python number or a numpy scalar (pandas hands both)."""
    return isinstance(v, Real) or (hasattr(v, "dtype") and hasattr(v, "item"))


def _read_number(v, system: int) -> tuple:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return _BAD
    if math.isnan(x):
        return _EMPTY
    if serial_ok(x):
        return ("typed", from_excel_serial(x, system))
    compact = compact_number(x)
    if compact is not None:
        return ("day", compact)
    return _fileman(x)


def _fileman(value) -> tuple:
    """A VistA FileMan date (3221006.093), typed when it has a time of day."""
    found = fileman_date(value)
    if found is None:
        return _BAD
    return ("typed", found[0]) if found[1] else ("day", found[0])


def _read_text(text: str, system: int) -> tuple:
    if not text.strip() or text.strip().lower() in ("nat", "nan", "none", "<na>"):
        return _EMPTY
    parsed = parse_date_text(text)
    if parsed is not None:
        return parsed
    # A serial number written as text ("45000.5") in a CSV saved from Excel
    try:
        x = float(text.strip())
    except ValueError:
        return _BAD
    if 2000101 <= x < 4000000:
        return _fileman(text)  # "3221006.0930", as VistA writes it
    # (from 10000 = 1927 on: a bare "2023" is a year, not a serial)
    if serial_ok(x) and x >= 10000:
        return ("typed", from_excel_serial(x, system))
    return _BAD


def _place_numeric(cells: _Cells, used_order: str | None) -> None:
    """Read the numeric text dates in the column's order (day first when it made no difference)."""
    effective = used_order if used_order in (MDY, DMY) else DMY
    for i, p in cells.numeric.items():
        # a forced YMD cannot read "03/04/2023"
        dt = None if used_order == YMD else numeric_to_datetime(p, effective)
        if dt is None:
            cells.bad.append(i)
        else:
            cells.times[i] = dt
            cells.has_time[i] = p[5] is not None


def _finish(cells: _Cells, used_order: str | None, ambiguous: bool) -> DateColumn:
    times, has_time = cells.times, cells.has_time
    # A datetime or serial at exactly midnight is a date without a time when nothing in the
    # column has a time; in a column of timed draws it is a real midnight draw.
    if any(has_time):
        for i in cells.midnight_typed:
            has_time[i] = True
    out_of_range = [i for i, t in enumerate(times) if t is not None and not in_range(t)]
    for i in out_of_range:  # year 1 or 9999 is a typing slip or a placeholder, not a draw
        times[i] = None
    bad = sorted(set(cells.bad) | set(out_of_range))
    date_only = [t is not None and not h for t, h in zip(times, has_time, strict=True)]
    return DateColumn(times, date_only, used_order, ambiguous, bad, out_of_range=out_of_range)


def in_range(dt: date) -> bool:
    """True for a date a lab result or an infusion can have (FIRST_YEAR to LAST_YEAR); outside
    that range a date is data to skip, and pandas could not hold it anyway (1677-2262)."""
    return FIRST_YEAR <= dt.year <= LAST_YEAR


def unreadable_reason(value) -> str:
    """Why a date cell gave no date, in words for a skipped row."""
    shown = value if isinstance(value, str) else str(value)
    try:
        column = parse_datetime_column([value], order=DMY)
    except Exception:  # noqa: BLE001 - any failure here just means "could not be read"
        column = None
    if column is not None and column.out_of_range:
        return f"the collection date {shown!r} is outside {FIRST_YEAR}-{LAST_YEAR}"
    return f"the collection date {shown!r} could not be read"


def _time_of(v) -> time | Literal[False] | None:
    """A time of day from a time cell; None for empty, False for unreadable."""
    if v is None:
        return None
    if isinstance(v, datetime):
        if v != v:
            return None
        return wall_clock(v).time()
    if isinstance(v, time):
        return time(v.hour, v.minute, v.second) if not v.microsecond else wall_clock(
            datetime.combine(date(2000, 1, 1), v)).time()
    if isinstance(v, bool):
        return False
    if _is_number(v):
        try:
            x = float(v)
        except (TypeError, ValueError):
            return False
        if math.isnan(x):
            return None
        if x < 0:
            return False
        frac = x - math.floor(x)  # a full serial carries the time in its fraction
        secs = round(frac * 86400)
        if secs >= 86400:
            secs = 0
        return time(secs // 3600, secs % 3600 // 60, secs % 60)
    text = str(v).strip()
    if not text or text.lower() in ("nan", "nat", "none"):
        return None
    t = parse_time_text(text)
    if t is not None:
        return t
    # "2023-03-01 08:15" in a time column
    parsed = parse_date_text(text)
    if parsed and parsed[0] == "fixed" and parsed[2]:
        return parsed[1].time()
    return False


def combine_date_time(dates: DateColumn, times: Sequence) -> DateColumn:
    """Join a parsed Date column with a separate Time column (exports that split them).

    A time cell may be a ``datetime.time``, a datetime, an Excel fraction of a day (0.34375 =
    08:15), or text ("08:15", "8:15 AM", "0815"). An empty time leaves the date as date-only; an
    unreadable one does too, and its row is listed in ``bad_times`` so the importer can say so.
    """
    if len(times) != len(dates.times):
        raise ValueError("date and time columns differ in length")
    out_times: list[datetime | None] = []
    out_date_only: list[bool] = []
    bad_times: list[int] = list(dates.bad_times)
    cache: dict[str, time | Literal[False] | None] = {}
    for i, (d, t) in enumerate(zip(dates.times, times, strict=True)):
        if d is None:
            out_times.append(None)
            out_date_only.append(False)
            continue
        if isinstance(t, str):
            tm = cache.get(t)
            if tm is None and t not in cache:
                tm = _time_of(t)
                cache[t] = tm
        else:
            tm = _time_of(t)
        if tm is None or tm is False:
            if tm is False:
                bad_times.append(i)
            out_times.append(d)
            out_date_only.append(dates.date_only[i])
            continue
        out_times.append(datetime.combine(d.date(), tm))
        out_date_only.append(False)
    return DateColumn(out_times, out_date_only, dates.order, dates.ambiguous, list(dates.bad),
                      sorted(set(bad_times)))
