"""A long results table whose headings Nadir does not know, read by what its cells hold.

Headings are the weaker evidence: "Col1 ... Col5", Japanese headings (検査項目, 結果, 単位,
採取日時), a research database's lower-case columns (itemid, charttime, valuenum, valueuom) or a
local system's abbreviations name no role the heading words know. The cells below still say
which column is which:

- the collection time holds dates (of several date columns, the one that comes first in most
  rows: a result is received, verified and stored after the blood was drawn);
- the test names repeat and are analyte names Nadir knows, or names the user mapped
  (--map NAME=ANALYTE); without any known name, the column of repeated text;
- the result holds numbers (or "<0.1", "1,2"), and is neither an identifier (whole numbers
  that never repeat, or one number all the way down) nor the test;
- the unit holds units, the reference range holds ranges.

A heading's role still counts where it is known (a "value" heading over two number columns,
"subject_id" as the patient). ``detect_by_content`` is tried only when no row of headings was
found; the import then says which column it took for which role, so that the user can check.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from analysis.importing.analytes import split_header_unit
from analysis.importing.cell_kinds import (
    cell_text,
    looks_like_clock,
    looks_like_date,
    lookup_analyte,
    row_unit,
    unit_in_text,
)
from analysis.importing.cells import id_text, is_blank
from analysis.importing.date_serials import fileman_date
from analysis.importing.dates import parse_datetime_column
from analysis.importing.header_words import classify_header
from analysis.importing.layout import SCAN_ROWS, Layout
from analysis.importing.values import parse_result

SAMPLE_ROWS = 300  # enough rows to see every test of a few draws and the repeats
SHARE = 0.8  # of a column's filled cells that must agree on what they hold
MAX_TRIES = 8  # rows of text tried as the headings: a title block has a few, a table's are among them
_RANGE = re.compile(r"^\s*[<>]?\s*[-+]?\d[\d.,]*\s*(?:-|\u2013|to|bis|a|~|\u301c)\s*[-+]?\d[\d.,]*\b")


@dataclass
class _Column:
    """What the sampled cells of one column hold (counts of filled cells)."""

    col: int
    heading: str
    role: str | None  # the role its heading names, if any
    filled: int = 0
    dates: int = 0
    timed: int = 0  # dates with a time of day
    clocks: int = 0
    numbers: int = 0
    whole: int = 0  # numbers without a fraction
    units: int = 0
    ranges: int = 0
    names: int = 0  # recognised analyte names
    texts: int = 0
    distinct: int = 0

    def share(self, count: int) -> float:
        return count / self.filled if self.filled else 0.0


def detect_by_content(rows: list[list], mapping: dict[str, str] | None = None,
                      header_row: int | None = None, labels: dict[str, str] | None = None) -> Layout | None:
    """The long layout of a table below a row of unknown headings, or None. ``labels`` are the
    test names of codes (:mod:`~analysis.importing.code_dictionary`)."""
    indexes = [header_row - 1] if header_row is not None else range(min(len(rows), SCAN_ROWS))
    tried = 0
    for index in indexes:
        if 0 <= index < len(rows) and _heading_row(rows, index):
            found = _layout(rows, index, mapping, labels or {})
            if found is not None:
                return found
            tried += 1
            if tried == MAX_TRIES:  # a sheet of prose has a "heading row" on every line
                break
    return None


def _filled(row: list) -> int:
    return sum(1 for v in row if not is_blank(v))


def _heading_row(rows: list[list], index: int) -> bool:
    """A row of at least three text cells (none a date or a number) above rows of data."""
    row = rows[index]
    texts = [v for v in row if isinstance(v, str) and v.strip()]
    if len(texts) < 3 or len(texts) < _filled(row) or any(looks_like_date(v) for v in texts):
        return False
    if any(parse_result(v).value is not None for v in texts):
        return False
    below = rows[index + 1: index + 6]
    return sum(1 for r in below if _filled(r) >= 3) >= min(2, len(below)) and bool(below)


def _layout(rows: list[list], index: int, mapping, labels: dict[str, str]) -> Layout | None:
    header = rows[index]
    data = [r for r in rows[index + 1: index + 1 + SAMPLE_ROWS] if _filled(r) >= 3]
    units = [row_unit(r) for r in data]  # a name known only with its unit ("B-Neutrofila", "×10⁹/L")
    columns = [_profile(data, c, cell_text(header[c]), mapping, labels, units) for c in range(len(header))
               if cell_text(header[c])]
    columns = [c for c in columns if c.filled >= max(1, len(data) // 2) or c.role is not None]
    roles: dict[str, int] = {}
    time = _time_column(data, columns)
    if time is None:
        return None
    roles["time"] = time.col
    if not time.timed:
        clock = _best([c for c in columns if c.col not in roles.values()], lambda c: c.share(c.clocks))
        if clock is not None:
            roles["clock"] = clock.col
    test = _test_column(data, time.col, [c for c in columns if c.col not in roles.values()])
    if test is None:
        return None
    roles["test"] = test.col
    result = _result_column([c for c in columns if c.col not in roles.values()])
    if result is None:
        return None
    roles["result"] = result.col
    for role, count in (("unit", "units"), ("refrange", "ranges")):
        found = _best([c for c in columns if c.col not in roles.values()], lambda c, k=count: c.share(getattr(c, k)))
        if found is not None:
            roles[role] = found.col
    for c in columns:  # roles only a heading can tell (several patients or one, a flag column)
        free = c.role not in roles and c.col not in roles.values()
        if c.role in ("patient", "patient_name", "flag", "status") and free:
            roles[c.role] = c.col
    headers = {c: cell_text(v) for c, v in enumerate(header) if cell_text(v)}
    return Layout("long", index, index + 1, roles, headers, score=5 + len(roles), by_content=True)


def _profile(data: list[list], col: int, heading: str, mapping, labels: dict[str, str],
             units: list[str | None]) -> _Column:
    out = _Column(col, heading, classify_header(heading))
    seen: Counter = Counter()
    known: dict[str, bool] = {}
    with_unit: dict[tuple[str, str], bool] = {}
    for r, unit_of_row in zip(data, units, strict=True):
        v = r[col] if col < len(r) else None
        if is_blank(v):
            continue
        out.filled += 1
        seen[v] += 1
        if looks_like_date(v) or _fileman_day(v):
            out.dates += 1
            out.timed += not _fileman_day(v) and _has_clock(v)
            continue
        if looks_like_clock(v):
            out.clocks += 1
        if isinstance(v, str):
            out.texts += 1
            out.units += unit_in_text(v) is not None
            out.ranges += bool(_RANGE.match(v))
        number = parse_result(v).value
        if number is not None and not _RANGE.match(str(v)):
            out.numbers += 1
            out.whole += float(number).is_integer()
        key = cell_text(v) or id_text(v)
        if key not in known:
            name = labels.get(key, key)
            base, unit = split_header_unit(name)
            known[key] = bool(lookup_analyte(key, None, mapping) or lookup_analyte(name, None, mapping)
                              or (base and lookup_analyte(base, unit, mapping)))
        if not known[key] and unit_of_row is not None and isinstance(v, str):
            if (key, unit_of_row) not in with_unit:
                with_unit[key, unit_of_row] = lookup_analyte(labels.get(key, key), unit_of_row, mapping) is not None
            out.names += with_unit[key, unit_of_row]
            continue
        out.names += known[key]
    out.distinct = len(seen)
    return out


def _fileman_day(v) -> bool:
    """A FileMan date without its time (3221006): a date only in a column of such numbers."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and \
        fileman_date(v) is not None


def _has_clock(v) -> bool:
    """A date cell that gives the time of day too (a FileMan number with a fraction does)."""
    if isinstance(v, datetime):
        return bool(v.hour or v.minute or v.second)
    return (isinstance(v, str) and (":" in v or "時" in v)) or isinstance(v, float)


def _best(columns: list[_Column], score, least: float = SHARE) -> _Column | None:
    scored = [(score(c), -c.col, c) for c in columns if score(c) >= least]
    return max(scored, key=lambda s: s[:2])[2] if scored else None


def _time_column(data: list[list], columns: list[_Column]) -> _Column | None:
    """The column of collection times: dates all the way down; of several, the one whose day
    comes first in most rows (a result is stored, verified, reported after the draw), then the
    one that gives the time of day (OMOP's measurement_date beside measurement_datetime), then
    the earliest time."""
    dated = [c for c in columns if c.share(c.dates) >= SHARE and c.distinct >= min(2, c.filled)
             and c.role != "other_time"]
    if len(dated) <= 1:
        return dated[0] if dated else None
    named = [c for c in dated if c.role in ("time", "date")]
    if len(named) == 1:
        return named[0]
    times = {c.col: _times(data, c) for c in dated}

    def earliest(c: _Column, day: bool) -> int:
        mine, others = times[c.col], [times[o.col] for o in dated if o is not c]
        key = (lambda t: t.date()) if day else (lambda t: t)
        return sum(1 for i, t in enumerate(mine)
                   if t is not None and all(o[i] is None or key(t) <= key(o[i]) for o in others))

    return max(dated, key=lambda c: (earliest(c, True), c.share(c.timed) > 0.5, earliest(c, False), -c.col))


def _times(data: list[list], c: _Column) -> list:
    try:
        return parse_datetime_column([r[c.col] if c.col < len(r) else None for r in data], order="DMY").times
    except Exception:  # noqa: BLE001 - a column that cannot be compared is not the earliest
        return [None] * len(data)


def _test_column(data: list[list], time: int, columns: list[_Column]) -> _Column | None:
    """The column of test names: the most known analyte names; else the column of text or codes
    that repeats from draw to draw and differs within a draw (a specimen number or a priority
    repeats too, but is the same for every test of one draw)."""
    named = [c for c in columns if c.names]
    if named:
        return max(named, key=lambda c: (c.names, c.role == "test", -c.col))

    def within_draws(c: _Column) -> float:
        pairs = [(r[time] if time < len(r) else None, r[c.col] if c.col < len(r) else None) for r in data]
        pairs = [p for p in pairs if not is_blank(p[1])]
        return len(set(pairs)) / len(pairs) if pairs else 0.0

    repeated = [c for c in columns if c.share(c.units) < 0.5 and c.share(c.dates) < 0.5
                and (c.share(c.texts) >= SHARE or c.whole == c.filled) and 2 <= c.distinct <= max(2, c.filled // 2)]
    return _best(repeated, within_draws)


def _result_column(columns: list[_Column]) -> _Column | None:
    """The column of results: numbers that are neither identifiers nor constant."""
    def score(c: _Column) -> float:
        if c.share(c.numbers) < 0.6 or c.role in ("patient", "order", "other_time", "refrange", "unit"):
            return -1.0
        identifier = c.whole == c.numbers and (c.distinct == c.filled or c.distinct == 1) and c.filled > 2
        return c.share(c.numbers) + (0.5 if c.role == "result" else 0) - (1.0 if identifier else 0) \
            + 0.2 * c.distinct / c.filled
    best = max(columns, key=lambda c: (score(c), -c.col), default=None)
    return best if best is not None and score(best) > 0.5 else None
