"""Collection times as exports give them: datetimes, Excel serial numbers, and text.

Text dates are the dangerous part. "03/04/2023" is 4 March in Europe and 3 April in the US, and
a wrong guess moves every draw and breaks every cycle without any visible error. So the order is
decided from the whole column — one "13/03/2023" settles it for all the others — and when
nothing in the column settles it, :class:`~analysis.errors.ChoiceRequired` is raised and the
user is asked. Nadir never guesses the order.

Parsing is per unique string (exports repeat dates, and a column of 100k draws has far fewer
distinct stamps than cells), and Excel serials are converted arithmetically.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from numbers import Real

import numpy as np
import pandas as pd

from analysis.errors import ChoiceRequired

MDY, DMY, YMD = "MDY", "DMY", "YMD"

_EPOCH_1900 = datetime(1899, 12, 30)  # serial 61 and later; the Lotus leap-year bug below 61
_EPOCH_1904 = datetime(1904, 1, 1)
SERIAL_MIN, SERIAL_MAX = 1, 80000  # plausible serials: 1900 to 2119
FIRST_YEAR, LAST_YEAR = 1900, 2200  # dates outside are skipped rows, with the reason


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


def _plain(dt: datetime) -> datetime:
    """A naive datetime in the lab's wall-clock time, to the second."""
    if dt.tzinfo is not None:
        dt = dt.replace(tzinfo=None)
    if dt.microsecond:
        dt = dt.replace(microsecond=0) + timedelta(seconds=1 if dt.microsecond >= 500000 else 0)
    return dt


# --- text dates ------------------------------------------------------------------------------

_MONTHS = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
    # German
    "januar": 1, "jaen": 1, "jaenner": 1, "janner": 1, "februar": 2,
    "mrz": 3, "marz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7, "okt": 10, "oktober": 10,
    "dez": 12, "dezember": 12,
    # French
    "janv": 1, "janvier": 1, "fevr": 2, "fev": 2, "fevrier": 2, "mars": 3, "avr": 4, "avril": 4,
    "juin": 6, "juil": 7, "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "decembre": 12,
    # Spanish
    "ene": 1, "enero": 1, "febrero": 2, "marzo": 3, "abr": 4, "abril": 4, "mayo": 5,
    "junio": 6, "julio": 7, "ago": 8, "agosto": 8, "set": 9, "septiembre": 9, "setiembre": 9,
    "octubre": 10, "noviembre": 11, "dic": 12, "diciembre": 12,
}
_WEEKDAYS = {
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
    "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday",
    "mo", "di", "mi", "do", "fr", "sa", "so", "montag", "dienstag", "mittwoch", "donnerstag",
    "freitag", "samstag", "sonntag", "lun", "mer", "jeu", "ven", "sam", "dim", "lundi",
    "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes",
    "miercoles", "jueves", "viernes", "sabado", "domingo",
}

_TIME = (
    r"(?P<H>\d{1,2})(?:[:h](?P<M>\d{2})|\.(?P<M2>\d{2})(?=\s*(?:uhr|h)?$))"
    r"(?::(?P<S>\d{2})(?:[.,](?P<F>\d{1,9}))?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*(?:uhr|h)?"
    r"|(?P<H12>\d{1,2})\s*(?P<ampm12>[ap]\.?\s?m\.?)"
)
_TIME_RE = re.compile(rf"^(?:{_TIME})$", re.IGNORECASE)
# A zone after the time ("Z", "-05:00", "EST", "MEZ") is dropped: the wall-clock time printed
# is the one the ward saw, and one export is in one zone.
_ZONE = r"z|utc|gmt|[+-]\d{2}:?\d{2}|(?:utc|gmt)\s?[+-]\d{1,2}(?::?\d{2})?|[ecmpa][sd]t|bst|ist|[cew]es?t|mes?z|hne|hae"
_TAIL = rf"(?:(?:[T\s,]+|:(?=\d{{1,2}}:\d{{2}}))(?P<time>.+?))?\s*(?:{_ZONE})?$"  # ":" as in SAS "01MAR2023:08:00:00"
_ISO_RE = re.compile(rf"^(?P<y>\d{{4}})(?P<sep>[-/.])(?P<a>\d{{1,2}})(?P=sep)(?P<b>\d{{1,2}}){_TAIL}", re.IGNORECASE)
_COMPACT_RE = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<a>\d{2})(?P<b>\d{2})(?:[T\s]?(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?$")
_NUMERIC_RE = re.compile(
    rf"^(?P<a>\d{{1,2}})(?P<sep>[-/.])\s?(?P<b>\d{{1,2}})(?P=sep)\s?(?P<y>\d{{4}}|\d{{2}})(?!\d){_TAIL}",
    re.IGNORECASE,
)
_WORD_DMY_RE = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\.?[\s\-/.]*(?P<mon>[a-z]{{3,10}}\.?)[\s\-/.,]*(?P<y>\d{{4}}|\d{{2}})(?!\d){_TAIL}",
    re.IGNORECASE,
)
_WORD_MDY_RE = re.compile(
    rf"^(?P<mon>[a-z]{{3,10}}\.?)[\s\-/.]*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s,\-/.]+(?P<y>\d{{4}}|\d{{2}})(?!\d){_TAIL}",
    re.IGNORECASE,
)
_WORD_YMD_RE = re.compile(
    rf"^(?P<y>\d{{4}})[\s\-/.]+(?P<mon>[a-z]{{3,10}}\.?)[\s\-/.]+(?P<d>\d{{1,2}}){_TAIL}",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    t = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in t if not unicodedata.combining(c))


def _year(y: str) -> int:
    """Four-digit year; two digits as strptime's %y does: 00-68 -> 20xx, 69-99 -> 19xx."""
    n = int(y)
    if len(y) <= 2:
        return 2000 + n if n <= 68 else 1900 + n
    return n


@lru_cache(maxsize=8192)
def parse_time_text(text: str) -> time | None:
    """A time of day from "08:15", "8:15 AM", "08:15:30", "8h15", "0815", "8.15 Uhr", else None."""
    t = _fold(text).strip()
    t = re.sub(r"^(?:(?:um|at|a|@|kl\.?|klo\.?)\s+|kl\.)", "", t)  # "um 8:15", "kl. 08.15" (Nordic)
    if not t:
        return None
    if re.fullmatch(r"\d{3,4}", t):
        # "0815", "815": military time as some exports write it
        h, m = divmod(int(t), 100)
        return time(h, m) if h < 24 and m < 60 else None
    m = _TIME_RE.match(t)
    if not m:
        return None
    if m.group("H12") is not None:
        hour, minute, second, ampm = int(m.group("H12")), 0, 0, m.group("ampm12")
    else:
        hour = int(m.group("H"))
        minute = int(m.group("M") or m.group("M2"))
        second = int(m.group("S") or 0)
        frac = m.group("F")
        if frac and int(frac[0]) >= 5:
            second += 1  # round to the second
        ampm = m.group("ampm")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        pm = ampm[0].lower() == "p"
        hour = (hour % 12) + (12 if pm else 0)
    if hour == 24 and minute == 0 and second == 0:
        return None  # "24:00" belongs to the next day; too rare to guess about
    if not (hour < 24 and minute < 60 and second <= 60):
        return None
    if second == 60:
        return None
    return time(hour, minute, second)


# A parsed text: ("fixed", datetime, has_time) or ("numeric", a, b, year, sep, time|None) or None
def _parse_text(text: str):
    s = _WS.sub(" ", text.strip())
    if not s:
        return None
    folded = _fold(s)
    # Leading weekday: "Wed 01 Mar 2023", "Mon, Mar 1, 2023"
    first, _, rest = folded.partition(" ")
    if first.rstrip(",.") in _WEEKDAYS and rest:
        folded = rest.lstrip(", ")
    m = _ISO_RE.match(folded)
    if m:
        return _fixed(int(m.group("y")), int(m.group("a")), int(m.group("b")), m.group("time"))
    m = _COMPACT_RE.match(folded)
    if m:
        tm = None
        if m.group("H"):
            tm = f"{m.group('H')}:{m.group('M')}" + (f":{m.group('S')}" if m.group("S") else "")
        return _fixed(int(m.group("y")), int(m.group("a")), int(m.group("b")), tm)
    m = _NUMERIC_RE.match(folded)
    if m:
        tm_text = m.group("time")
        tm = None
        if tm_text:
            tm = parse_time_text(tm_text)
            if tm is None:
                return None
        return ("numeric", int(m.group("a")), int(m.group("b")), _year(m.group("y")),
                m.group("sep"), tm)
    for rx in (_WORD_DMY_RE, _WORD_MDY_RE, _WORD_YMD_RE):
        m = rx.match(folded)
        if m:
            month = _MONTHS.get(m.group("mon").rstrip("."))
            if month is None:
                continue
            return _fixed(_year(m.group("y")), month, int(m.group("d")), m.group("time"))
    return None


_WS = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def looks_like_date_text(text: str) -> bool:
    """True for text this module reads as a date ("3/1/23 0800", "01.03.2023\n08:00", "1-Mar-2023").

    Layout detection asks this of header cells, so that every date the parser reads is also
    recognised as a date where the layout is decided.
    """
    if not text or len(text) > 40 or not any(c.isdigit() for c in text):
        return False
    parsed = _parse_text(text)
    if parsed is None:
        return False
    if parsed[0] == "numeric":
        _, a, b, year, _, _ = parsed
        return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12) and 1900 <= year <= 2100
    return parsed[1] is not None


def _fixed(y: int, mo: int, d: int, time_text: str | None):
    tm = None
    if time_text:
        tm = parse_time_text(time_text)
        if tm is None:
            return None
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    if tm is None:
        return ("fixed", datetime(day.year, day.month, day.day), False)
    return ("fixed", datetime.combine(day, tm), True)


def _numeric_to_datetime(parsed, order: str) -> datetime | None:
    _, a, b, y, _sep, tm = parsed
    month, day = (a, b) if order == MDY else (b, a)
    try:
        d = date(y, month, day)
    except ValueError:
        return None
    return datetime.combine(d, tm) if tm is not None else datetime(d.year, d.month, d.day)


def _compact_number(x: float) -> datetime | None:
    """20230301 read as a number (CSV exports of YYYYMMDD dates), else None."""
    if not (19000101 <= x <= 21001231) or x != int(x):
        return None
    y, md = divmod(int(x), 10000)
    try:
        return datetime(y, md // 100, md % 100)
    except ValueError:
        return None


def _serial_ok(x: float) -> bool:
    return math.isfinite(x) and SERIAL_MIN <= x < SERIAL_MAX


def _decide_order(numeric: list[tuple], order: str | None) -> tuple[str | None, bool]:
    """(order, ambiguous) for the numeric text dates of a column, raising when it can't be told."""
    if order is not None:
        order = order.upper()
        if order not in (MDY, DMY, YMD):
            raise ValueError(f"unknown date order {order!r}")
        return order, False
    if not numeric:
        return None, False
    dmy_evidence = [p for p in numeric if p[1] > 12 and p[2] <= 12]
    mdy_evidence = [p for p in numeric if p[2] > 12 and p[1] <= 12]
    if dmy_evidence and mdy_evidence:
        d, m = dmy_evidence[0], mdy_evidence[0]
        raise ChoiceRequired(
            "the dates mix day/month and month/day order (e.g. "
            f"{d[1]:02d}{d[4]}{d[2]:02d} and {m[1]:02d}{m[4]}{m[2]:02d}); choose the order",
            kind="date_order",
            options=[MDY, DMY],
        )
    if dmy_evidence:
        return DMY, False
    if mdy_evidence:
        return MDY, False
    # Nothing in the column tells the order. If every date reads the same both ways
    # ("03/03/2023"), the order does not matter.
    if all(p[1] == p[2] for p in numeric):
        return None, False
    # Dotted dates ("01.03.2023") are the German/European convention; month-first never
    # uses dots in practice.
    if all(p[4] == "." for p in numeric):
        return DMY, False
    example = next((p for p in numeric if p[1] != p[2]), numeric[0])
    raise ChoiceRequired(_order_message(example), kind="date_order", options=[MDY, DMY])


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _order_message(p: tuple) -> str:
    """The question, with a date of the file and what it means either way, so the user can tell."""
    a, b, year, sep = p[1], p[2], p[3], p[4]
    shown = f"{a:02d}{sep}{b:02d}{sep}{year}"
    return (
        f"no date in the file tells whether the month or the day comes first: {shown} could be "
        f"{_MONTH_NAMES[a - 1]} {b} (month first) or {a} {_MONTH_NAMES[b - 1]} (day first); "
        "choose the order"
    )


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
    n = len(values)
    times: list[datetime | None] = [None] * n
    has_time = [False] * n
    bad: list[int] = []
    cache: dict[str, object] = {}
    numeric_rows: list[int] = []
    parsed_numeric: dict[int, tuple] = {}
    iso_seen = False
    midnight_typed: list[int] = []  # datetime/serial cells at exactly 00:00:00

    for i, v in enumerate(values):
        if v is None:
            continue
        if isinstance(v, datetime):  # includes pandas.Timestamp
            if v != v:  # NaT
                continue
            dt = _plain(v.to_pydatetime() if hasattr(v, "to_pydatetime") else v)
            times[i] = dt
            if dt.time() == time(0):
                midnight_typed.append(i)
            else:
                has_time[i] = True
            continue
        if isinstance(v, date):
            times[i] = datetime(v.year, v.month, v.day)
            continue
        if isinstance(v, bool):
            bad.append(i)
            continue
        if isinstance(v, np.datetime64):
            if np.isnat(v):
                continue
            times[i] = _plain(pd.Timestamp(v).to_pydatetime())
            if times[i].time() == time(0):
                midnight_typed.append(i)
            else:
                has_time[i] = True
            continue
        if v is pd.NA or v is pd.NaT:
            continue
        if isinstance(v, Real) or (hasattr(v, "dtype") and hasattr(v, "item")):
            try:
                x = float(v)
            except (TypeError, ValueError):
                bad.append(i)
                continue
            if math.isnan(x):
                continue
            if not _serial_ok(x):
                compact = _compact_number(x)
                if compact is None:
                    bad.append(i)
                else:
                    times[i] = compact
                continue
            dt = from_excel_serial(x, system)
            times[i] = dt
            if dt.time() == time(0):
                midnight_typed.append(i)
            else:
                has_time[i] = True
            continue
        if isinstance(v, time):
            bad.append(i)
            continue
        text = str(v)
        if not text.strip() or text.strip().lower() in ("nat", "nan", "none", "<na>"):
            continue
        key = text
        if key in cache:
            parsed = cache[key]
        else:
            parsed = _parse_text(text)
            if parsed is None:
                # A serial number written as text ("45000.5") in a CSV saved from Excel
                try:
                    x = float(text.strip())
                except ValueError:
                    x = math.nan
                # (from 10000 = 1927 on: a bare "2023" is a year, not a serial)
                if _serial_ok(x) and x >= 10000:
                    parsed = ("serial", x)
            cache[key] = parsed
        if parsed is None:
            bad.append(i)
        elif parsed[0] == "fixed":
            times[i] = parsed[1]
            has_time[i] = parsed[2]
            iso_seen = True
        elif parsed[0] == "serial":
            dt = from_excel_serial(parsed[1], system)
            times[i] = dt
            if dt.time() == time(0):
                midnight_typed.append(i)
            else:
                has_time[i] = True
        else:
            numeric_rows.append(i)
            parsed_numeric[i] = parsed

    # Unique numeric texts decide the order; a column of 100k rows has few distinct stamps.
    distinct = list({(p[1], p[2], p[3], p[4]): p for p in parsed_numeric.values()}.values())
    used_order, ambiguous = _decide_order(distinct, order)
    if numeric_rows:
        effective = used_order if used_order in (MDY, DMY) else DMY
        for i in numeric_rows:
            p = parsed_numeric[i]
            if used_order == YMD:
                dt = None  # a forced YMD cannot read "03/04/2023"
            else:
                dt = _numeric_to_datetime(p, effective)
            if dt is None:
                bad.append(i)
            else:
                times[i] = dt
                has_time[i] = p[5] is not None
    elif iso_seen and used_order is None and order is None:
        used_order = YMD

    # A datetime or serial at exactly midnight is a date without a time when nothing in the
    # column has a time; in a column of timed draws it is a real midnight draw.
    if any(has_time):
        for i in midnight_typed:
            has_time[i] = True

    out_of_range = [i for i, t in enumerate(times) if t is not None and not in_range(t)]
    for i in out_of_range:  # year 1 or 9999 is a typing slip or a placeholder, not a draw
        times[i] = None
    bad = sorted(set(bad) | set(out_of_range))
    date_only = [t is not None and not h for t, h in zip(times, has_time)]
    return DateColumn(times, date_only, used_order, ambiguous, bad, out_of_range=out_of_range)


def in_range(dt: datetime) -> bool:
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


def _time_of(v) -> time | None | bool:
    """A time of day from a time cell; None for empty, False for unreadable."""
    if v is None:
        return None
    if isinstance(v, datetime):
        if v != v:
            return None
        return _plain(v).time()
    if isinstance(v, time):
        return time(v.hour, v.minute, v.second) if not v.microsecond else _plain(
            datetime.combine(date(2000, 1, 1), v)).time()
    if isinstance(v, bool):
        return False
    if isinstance(v, Real) or (hasattr(v, "dtype") and hasattr(v, "item")):
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
    parsed = _parse_text(text)
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
    cache: dict[str, object] = {}
    for i, (d, t) in enumerate(zip(dates.times, times)):
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
