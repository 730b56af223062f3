"""What a single cell holds: heading text, a unit, a date, a time of day, an analyte name.

These are the cell-level tests that layout detection (:mod:`analysis.importing.layout`) and the
layout readers (long, wide, transposed) share, so that a cell is judged the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from analysis.importing.analytes import identify
from analysis.importing.date_serials import fileman_date
from analysis.importing.date_text import looks_like_date_text, parse_time_text
from analysis.importing.units import parse_unit


def cell_text(value) -> str:
    """A cell as the text a header or name would be ("" for empty and non-text cells)."""
    if isinstance(value, str):
        return value.strip()
    return ""


_RANGE_THEN_UNIT = re.compile(
    r"^\s*(?:[<>\u2264\u2265]=?\s*)?[-+]?\d[\d.,]*\s*(?:(?:-|\u2013|\u2014|to|bis|a|\u00e0)\s*[-+]?\d[\d.,]*)?"
    r"\s+(?P<unit>\S.{0,24})$",
    re.IGNORECASE,
)


def unit_in_text(value) -> str | None:
    """The unit a cell gives: the whole text ("K/uL"), or the unit after a reference range
    ("1.8 - 7.7 K/uL", as Epic's "Latest Ref Rng & Units" column writes it); else None."""
    text = cell_text(value)
    if not text or len(text) > 40:
        return None
    if parse_unit(text) is not None:
        return text
    m = _RANGE_THEN_UNIT.match(text)
    if m and parse_unit(m.group("unit").strip()) is not None:
        return m.group("unit").strip()
    return None


def row_unit(row: list) -> str | None:
    """The unit a row gives in a cell of its own, if any: a test name that says absolute or
    percent only by its unit ("B-Neutrofila" beside "×10⁹/L", "Neutrófilos" beside "/mm³") is
    known with it."""
    return next((u for v in row if isinstance(v, str) and (u := unit_in_text(v)) is not None), None)


def lookup_analyte(name: str, unit: str | None, mapping: dict[str, str] | None) -> str | None:
    """The analyte code of a name in the file, the user's explicit mapping first.

    ``mapping`` holds codes as given by analytes.resolve_mapping; "" there means "ignore".
    """
    if mapping:
        key = name.strip().casefold()
        for source, code in mapping.items():
            if source.strip().casefold() == key:
                return code or None
    return identify(name, unit)


_DATE_TEXT = re.compile(
    r"^\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    r"|\d{1,2}[ .-]?[a-z\u00e0-\u00ff]{3,9}\.?[ .-]?\d{2,4})"
    r"(?:[ T,]+\d{1,2}[:h.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?\s*$",
    re.IGNORECASE,
)
_CLOCK_TEXT = re.compile(r"^\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?\s*$", re.IGNORECASE)


def looks_like_date(value) -> bool:
    """A cell that holds a date: a date/datetime cell, text written like one, or a VistA FileMan
    date with its time (3221006.093; without the time such a number may as well be an ID)."""
    if isinstance(value, (datetime, date)):
        return True
    if isinstance(value, str) and value:
        return bool(_DATE_TEXT.match(value)) or looks_like_date_text(value) or (
            value[:1] in "23" and "." in value and _fileman_with_time(value))
    if isinstance(value, float) and 2000101 < value < 4000000 and not value.is_integer():
        return _fileman_with_time(value)
    return False


def _fileman_with_time(value) -> bool:
    found = fileman_date(value)
    return found is not None and found[1]


def looks_like_clock(value) -> bool:
    """A time-of-day cell: a time, or text such as "08:15", "8:15 AM" or "0815" (Meditech, Epic)."""
    if isinstance(value, time):
        return True
    if not isinstance(value, str) or len(value) > 16:
        return False
    return bool(_CLOCK_TEXT.match(value)) or parse_time_text(value) is not None
