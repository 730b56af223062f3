"""Dates that spreadsheets store as numbers: Excel serials, YYYYMMDD numbers, typed datetimes.

These are converted arithmetically, cell by cell; only text dates need the whole column (see
:mod:`analysis.importing.date_order`).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

_EPOCH_1900 = datetime(1899, 12, 30)  # serial 61 and later; the Lotus leap-year bug below 61
_EPOCH_1904 = datetime(1904, 1, 1)
SERIAL_MIN, SERIAL_MAX = 1, 80000  # plausible serials: 1900 to 2119


def from_excel_serial(x: float, system: int = 1900) -> datetime:
    """The datetime an Excel serial number stands for, rounded to the second.

    In the 1900 system Excel counts the non-existent 29 February 1900 (serial 60, inherited from
    Lotus 1-2-3), so serials before 61 are one day off the plain epoch; 60 itself is shown as
    28 February, as openpyxl does. The 1904 system (old Mac workbooks) counts from 1 Jan 1904.
    """
    if system == 1904:
        base = _EPOCH_1904
    elif system == 1900:
        base = _EPOCH_1900 if x >= 61 else _EPOCH_1900 + timedelta(days=1)
        if 60 <= x < 61:
            x = x - 1
    else:
        raise ValueError(f"unknown Excel date system {system!r}")
    seconds = round(float(x) * 86400)
    return base + timedelta(seconds=seconds)


def serial_ok(x: float) -> bool:
    """True for a number that can be an Excel serial of a collection time."""
    return math.isfinite(x) and SERIAL_MIN <= x < SERIAL_MAX


def compact_number(x: float) -> datetime | None:
    """20230301 read as a number (CSV exports of YYYYMMDD dates), else None."""
    if not (19000101 <= x <= 21001231) or x != int(x):
        return None
    y, md = divmod(int(x), 10000)
    try:
        return datetime(y, md // 100, md % 100)
    except ValueError:
        return None


def wall_clock(dt: datetime) -> datetime:
    """A naive datetime in the lab's wall-clock time, to the second."""
    if dt.tzinfo is not None:
        dt = dt.replace(tzinfo=None)
    if dt.microsecond:
        dt = dt.replace(microsecond=0) + timedelta(seconds=1 if dt.microsecond >= 500000 else 0)
    return dt


# VA VistA's FileMan stores a date as the number CYYMMDD.HHMMSS: CYY is the year minus 1700
# (322 = 2022), a month or day of 00 means "not known", the time is the fraction's digits read
# left to right (.093 = 09:30, .1 = 10:00) and .24 is the midnight that ends the day. Raw VistA
# and CDW extracts hand these numbers out as they are. Seven digits before the point never
# overlap an Excel serial (< 80000) or a YYYYMMDD number (8 digits).
_FILEMAN = re.compile(r"^([23]\d\d)(\d\d)(\d\d)(?:\.(\d{1,6}))?$")


def fileman_date(value) -> tuple[datetime, bool] | None:
    """(datetime, has a time of day) of a FileMan date (3221006.093 or "3221006.0930"), else None.

    Dates of an unknown day or month (3221000, 3220000) are no collection time and give None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if not (2000101 <= value < 4000000) or value != value:
            return None
        text = repr(float(value))  # the shortest text that reads back as this number
        if text.endswith(".0"):
            text = text[:-2]
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    m = _FILEMAN.match(text)
    if not m:
        return None
    year, month, day = int(m.group(1)) + 1700, int(m.group(2)), int(m.group(3))
    clock = (m.group(4) or "").ljust(6, "0")
    hour, minute, second = int(clock[:2]), int(clock[2:4]), int(clock[4:])
    if minute > 59 or second > 59 or hour > 24 or (hour == 24 and (minute or second)):
        return None
    try:
        day_start = datetime(year, month, day)
    except ValueError:
        return None
    return day_start + timedelta(hours=hour, minutes=minute, seconds=second), m.group(4) is not None
