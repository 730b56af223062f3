"""Which comes first in a column's numeric text dates, the day or the month.

"03/04/2023" is 4 March in Europe and 3 April in the US, and a wrong guess moves every draw and
breaks every cycle without any visible error. So the order is decided from the whole column —
one "13/03/2023" settles it for all the others — and when nothing in the column settles it,
:class:`~analysis.errors.ChoiceRequired` is raised and the user is asked. Nadir never guesses.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from analysis.errors import ChoiceRequired
from analysis.importing.date_text import parse_date_text

MDY, DMY, YMD = "MDY", "DMY", "YMD"
DATE_ORDERS = (MDY, DMY, YMD)


def numeric_to_datetime(parsed, order: str) -> datetime | None:
    """The datetime of a numeric text date (a "numeric" tuple of
    :func:`analysis.importing.date_text.parse_date_text`) read in ``order``; None if impossible."""
    _, a, b, y, _sep, tm = parsed
    month, day = (a, b) if order == MDY else (b, a)
    try:
        d = date(y, month, day)
    except ValueError:
        return None
    return datetime.combine(d, tm) if tm is not None else datetime(d.year, d.month, d.day)


def decide_order(numeric: list[tuple], order: str | None) -> tuple[str | None, bool]:
    """(order, ambiguous) for the numeric text dates of a column, raising when it can't be told."""
    if order is not None:
        order = order.upper()
        if order not in DATE_ORDERS:
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


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _shown(p: tuple) -> str:
    """A numeric text date as the question shows it: "03/04/2023"."""
    a, b, year, sep = p[1], p[2], p[3], p[4]
    return f"{a:02d}{sep}{b:02d}{sep}{year}"


def _order_message(p: tuple) -> str:
    """The question, with a date of the file and what it means either way, so the user can tell."""
    a, b = p[1], p[2]
    shown = _shown(p)
    return (
        f"no date in the file tells whether the month or the day comes first: {shown} could be "
        f"{MONTH_NAMES[a - 1]} {b} (month first) or {a} {MONTH_NAMES[b - 1]} (day first); "
        "choose the order"
    )


def ambiguous_example(values: Iterable) -> tuple[str, date, date] | None:
    """A text date among ``values`` that reads two ways, for the question put to the user:
    ("03/01/2023", 1 March 2023 read month first, 3 January 2023 read day first); else None."""
    for value in values:
        if not isinstance(value, str):
            continue
        p = parse_date_text(value)
        if p is None or p[0] != "numeric" or p[1] == p[2] or p[1] > 12 or p[2] > 12:
            continue
        month_first, day_first = numeric_to_datetime(p, MDY), numeric_to_datetime(p, DMY)
        if month_first is not None and day_first is not None:
            return _shown(p), month_first.date(), day_first.date()
    return None
