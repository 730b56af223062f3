"""Find where the results are on a sheet, by content rather than by position.

Lab exports put a title block above the header, the results on the second sheet, a footer
below; EHRs name their columns in several languages and arrange results three ways:

- **long**: one row per result, with columns for the test name and the result (Epic "Results",
  Cerner "Event / Result Value", most portals and European lab systems);
- **wide**: one row per draw, one column per analyte ("ANC (x10^3/uL)"), units in the header or
  in a second header row (flowsheets);
- **transposed**: one column per draw, the first row holds the dates and the first column the
  analyte names (cumulative reports).

The header row is the row whose text cells name *roles* (date, test, result, unit ...) or
analytes; the role words live in :mod:`analysis.importing.header_words`, the tests of what one
cell holds (a date, a unit, an analyte name) in :mod:`analysis.importing.cell_kinds`. ``detect``
only decides the layout; reading the cells is the business of
:mod:`analysis.importing.observations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.importing.analytes import identify, split_header_unit
from analysis.importing.cell_kinds import cell_text, looks_like_clock, looks_like_date, lookup_analyte, unit_in_text
from analysis.importing.header_words import (
    DATE_WORD,
    LATER_TIMES,
    TIME_PRIORITY,
    TIME_WORD,
    classify_header,
    fold,
    has_word,
)
from analysis.importing.units import parse_unit

SCAN_ROWS = 150  # a header lower than this is not a header but a very long title block
LAYOUTS = ("long", "wide", "transposed")


@dataclass
class Layout:
    """Where the results are on a sheet. Row and column numbers are 0-based indexes."""

    kind: str  # "long", "wide" or "transposed"
    header_row: int | None
    first_row: int  # first row below the header (and below a units row)
    roles: dict[str, int] = field(default_factory=dict)  # role -> column
    headers: dict[int, str] = field(default_factory=dict)  # column -> header text
    # wide: column -> (name as in the file, analyte code, unit text or None)
    analyte_columns: dict[int, tuple[str, str, str | None]] = field(default_factory=dict)
    units_row: int | None = None
    # transposed
    name_col: int | None = None
    unit_col: int | None = None
    date_row: int | None = None
    time_row: int | None = None
    draw_columns: list[int] = field(default_factory=list)
    score: float = 0.0
    by_content: bool = False  # no heading named the roles: they were read from the cells


# --- header rows -----------------------------------------------------------------------------


def _row_roles(row: list, columns: dict[str, str] | None = None) -> dict[int, str]:
    """Role of each header cell. ``columns`` (role -> heading, the user's choice) wins over the
    heading words: the named cell takes the role, and no other cell keeps it."""
    named = {fold(h): r for r, h in (columns or {}).items()}
    roles = {}
    for col, value in enumerate(row):
        text = cell_text(value)
        if text:
            role = named.get(fold(text)) or classify_header(text)
            if role in named.values() and fold(text) not in named:
                role = None
            if role:
                roles[col] = role
    return roles


def _pick_roles(row: list, roles: dict[int, str]) -> dict[str, int]:
    """One column per role: the leftmost, except the collection time, chosen by priority."""
    picked: dict[str, int] = {}
    best_time: tuple[int, int] | None = None
    for col, role in roles.items():
        if role in TIME_PRIORITY:
            rank = (TIME_PRIORITY[role], -col)
            if best_time is None or rank > best_time:
                best_time = rank
            continue
        if role == "test" and "test" in picked and fold(cell_text(row[picked["test"]])) == "name":
            picked["test"] = col  # a bare "Name" is more often the patient's than the test's
        picked.setdefault(role, col)
    if best_time is not None:
        col = -best_time[1]
        picked["time"] = col
        # "Collection Date" + "Collection Time": the second is the clock of the first.
        if _has(row[col], DATE_WORD) and not _has(row[col], TIME_WORD) and "clock" not in picked:
            for other, role in roles.items():
                if other != col and role in ("time", "date") and _has(row[other], TIME_WORD) and not _has(
                    row[other], DATE_WORD
                ):
                    picked["clock"] = other
                    break
    return picked


def _has(value, word_pattern: str) -> bool:
    return has_word(cell_text(value), word_pattern)


def _wide_columns(
    row: list, roles: dict[int, str], mapping, below: list | None = None
) -> dict[int, tuple[str, str, str | None]]:
    """Analyte columns of a header row. ``below`` is the next row: a flowsheet's units row
    there tells "Neutrophils" in x10^9/L (ANC) from "Neutrophils" in % (NEUT_PCT)."""
    found = {}
    for col, value in enumerate(row):
        text = cell_text(value)
        if not text or (col in roles and roles[col] not in ("test", "result")):
            continue
        name, unit = split_header_unit(text)
        if unit is None and below is not None and col < len(below):
            under = cell_text(below[col])
            if under and len(under) <= 20 and parse_unit(under) is not None:
                unit = under
        code = None
        if mapping:
            code = lookup_analyte(text, unit, mapping) if any(
                s.strip().casefold() == text.casefold() for s in mapping
            ) else lookup_analyte(name, unit, mapping)
        else:
            code = identify(name, unit)
        if code:
            found[col] = (text, code, unit)
    return found


def _test_column_by_content(rows: list[list], index: int, roles: dict[int, str], first: int, mapping) -> int:
    """Of several columns whose heading names a test ("Event", "Person Name", "Description"),
    the one whose cells below hold recognised analyte names; the leftmost when none is better.
    When none of them holds one, a column whose heading names no role may (eClinicalWorks: the
    panel in "Lab Name", the component in "Attribute")."""
    columns = [col for col, role in roles.items() if role == "test"]
    unnamed = [c for c, v in enumerate(rows[index]) if c not in roles and cell_text(v)]
    if len(columns) < 2 and not unnamed:
        return first
    below = rows[index + 1 : index + 1 + 200]
    best = _most_names(below, [first] + [c for c in columns if c != first], mapping)
    if best[1] == 0 and unnamed:
        other = _most_names(below, unnamed, mapping)
        if other[1] > 0:
            return other[0]
    return best[0]


def _most_names(below: list[list], columns: list[int], mapping) -> tuple[int, int]:
    """(column, count) of the column among ``columns`` with the most recognised analyte names."""
    best, best_hits = columns[0], -1
    for col in columns:
        seen: dict[str, bool] = {}
        hits = 0
        for r in below:
            text = cell_text(r[col]) if col < len(r) else ""
            if text:
                if text not in seen:
                    name, unit = split_header_unit(text)
                    seen[text] = bool(lookup_analyte(name, unit, mapping))
                hits += seen[text]
        if hits > best_hits:
            best, best_hits = col, hits
    return best, best_hits


def _time_column_by_content(rows: list[list], index: int, roles: dict[int, str], picked: dict[str, int]) -> None:
    """Check the collection-time column against its cells and pick another when they say so.

    A heading can mislead ("Data Source" reads as the Italian "data", a result date is not the
    draw's date), and a "...TIME" column may hold whole dates. So the heading picked first is
    kept only when its cells hold dates; otherwise the best heading whose cells do is taken:
    collection time, date, a time column holding dates, and a result date last.
    """
    col = picked.get("time")
    if col is None:
        return
    below = rows[index + 1 : index + 21]

    def holds_dates(c: int) -> bool:
        cells = [r[c] for r in below if c < len(r) and not (r[c] is None or r[c] == "")]
        return bool(cells) and sum(1 for v in cells if looks_like_date(v)) > len(cells) / 2

    if roles.get(col) != "other_time" and holds_dates(col):
        return
    rank = {"time": 4, "date": 3, "clock": 2, "other_time": 1}
    for other in sorted((c for c, r in roles.items() if r in rank), key=lambda c: (-rank[roles[c]], c)):
        if other != col and holds_dates(other) and rank[roles[other]] >= (2 if roles.get(col) == "other_time" else 1):
            picked["time"] = other
            if picked.get("clock") == other:
                del picked["clock"]
            clocks = [r[col] for r in below if col < len(r) and not (r[col] is None or r[col] == "")]
            if "clock" not in picked and clocks and sum(1 for v in clocks if looks_like_clock(v)) > len(clocks) / 2:
                picked["clock"] = col  # "Collection Time" before "Collection Date": the time of day
            return


def _header_candidate(rows: list[list], index: int, mapping, forced: str | None,
                      columns: dict[str, str] | None = None) -> Layout | None:
    row = rows[index]
    texts = [cell_text(v) for v in row]
    filled = sum(1 for v in row if v not in ("", None))
    if sum(1 for t in texts if t) < 2 or sum(1 for t in texts if t) < filled * 0.6:
        return None
    if columns and not {fold(h) for h in columns.values()} <= {fold(t) for t in texts if t}:
        return None  # the user named columns: the header is the row that has them
    roles = _row_roles(row, columns)
    picked = _pick_roles(row, roles)
    headers = {col: text for col, text in enumerate(texts) if text}
    long_ok = "test" in picked and "result" in picked
    if long_ok:
        picked["test"] = _test_column_by_content(rows, index, roles, picked["test"], mapping)
    _time_column_by_content(rows, index, roles, picked)
    below = rows[index + 1] if index + 1 < len(rows) else None
    # A row holding a date is a row of data, not of headings: the first result row of a long
    # table whose test column gives a LOINC code next to the test's name (a FHIR Observation
    # extract: "751-8", "Neutrophils [#/volume] in Blood", "2024-01-08T08:00:00+01:00") would
    # otherwise read as a flowsheet header naming two analytes.
    wide_ok = (not long_ok or forced == "wide") and not any(looks_like_date(v) for v in row)
    wide = _wide_columns(row, roles, mapping, below) if wide_ok else {}
    candidates = []
    if long_ok and forced in (None, "long"):
        score = 10 + len(picked) + (2 if "time" in picked else 0)
        candidates.append(Layout("long", index, index + 1, picked, headers, score=score))
    if wide and forced in (None, "wide"):
        for col in wide:  # an analyte column is not also the test or result column
            picked = {r: c for r, c in picked.items() if c != col}
        score = 2 * len(wide) + (3 if "time" in picked else 0)
        if "time" in picked or len(wide) >= 2:
            candidates.append(Layout("wide", index, index + 1, picked, headers, analyte_columns=wide, score=score))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c.score)


def _refine_wide(rows: list[list], layout: Layout) -> Layout:
    """A second header row of units; a date column whose heading is blank."""
    below = layout.header_row + 1
    if below < len(rows):
        row = rows[below]
        cols = list(layout.analyte_columns)
        units = {c: cell_text(row[c]) if c < len(row) else "" for c in cols}
        parsed = sum(1 for text in units.values() if text and parse_unit(text) is not None)
        if parsed and parsed >= len(cols) / 2:
            layout.units_row = below
            layout.first_row = below + 1
            layout.analyte_columns = {
                c: (name, code, unit or units[c] or None)
                for c, (name, code, unit) in layout.analyte_columns.items()
            }
    _date_column_by_content(rows, layout)
    return layout


def _date_column_by_content(rows: list[list], layout: Layout) -> None:
    """No heading names the date: take the first column that holds dates ("Specimen",
    a blank heading), except columns already given another role."""
    if "time" in layout.roles:
        return
    taken = set(layout.analyte_columns) | set(layout.roles.values())
    sample = rows[layout.first_row : layout.first_row + 20]
    for col in range(max((len(r) for r in sample), default=0)):
        if col in taken:
            continue
        hits = sum(1 for r in sample if col < len(r) and looks_like_date(r[col]))
        if sample and hits >= max(1, len(sample) // 2):
            layout.roles["time"] = col
            return


# --- transposed ------------------------------------------------------------------------------


def date_header_columns(row: list, after: int) -> list[int] | None:
    """The columns right of ``after`` that hold dates, when ``row`` is a row of draw dates
    (cumulative reports print one per page, each with its own dates); else None."""
    dated, filled = [], 0
    for c in range(after + 1, len(row)):
        v = row[c]
        if v is None or v == "" or (isinstance(v, str) and not v.strip()):
            continue
        if looks_like_date(v):
            dated.append(c)
        if dated:  # a label such as "Ref" before the first date does not count against the row
            filled += 1
    if not dated or len(dated) < 0.7 * filled:
        return None
    if len(dated) == 1 and any(cell_text(v) for v in row[: after + 1]):
        return None  # one date beside a label is a value ("Last transfusion: 01/03/2023")
    return dated


def _transposed_candidate(rows: list[list], index: int, mapping) -> Layout | None:
    row = rows[index]
    dated = [c for c, v in enumerate(row) if looks_like_date(v)]
    if len(dated) < 2:
        return None
    first = dated[0]
    filled = [c for c in range(first, len(row)) if row[c] not in ("", None)]
    if len(dated) < 0.7 * len(filled) or first == 0:
        return None
    below = rows[index + 1 : index + 1 + 200]
    best_col, best_hits = None, 0
    for col in range(first):
        hits = 0
        for r in below:
            text = cell_text(r[col]) if col < len(r) else ""
            if text:
                name, unit = split_header_unit(text)
                if lookup_analyte(name, unit, mapping):
                    hits += 1
        if hits > best_hits:
            best_col, best_hits = col, hits
    if best_col is None:
        return None
    layout = Layout("transposed", index, index + 1, name_col=best_col, date_row=index, draw_columns=dated)
    layout.score = best_hits + len(dated)
    if any(LATER_TIMES.search(fold(cell_text(v))) for v in row[:first]):
        layout.score -= len(dated)  # "Received 03/01 ..." is not the row of draw times
    if index + 1 < len(rows):  # a row of clock times under the dates
        nxt = rows[index + 1]
        clocks = sum(1 for c in dated if c < len(nxt) and looks_like_clock(nxt[c]))
        if clocks >= len(dated) / 2:
            layout.time_row = index + 1
            layout.first_row = index + 2
    for col in range(first):  # a column of units between the names and the draws
        if col == best_col:
            continue
        texts = [cell_text(r[col]) for r in below if col < len(r) and cell_text(r[col])]
        if texts and sum(1 for t in texts if unit_in_text(t) is not None) >= len(texts) / 2:
            layout.unit_col = col
            break
    return layout


# --- the decision ----------------------------------------------------------------------------


def detect(
    rows: list[list],
    *,
    layout: str | None = None,
    header_row: int | None = None,
    mapping: dict[str, str] | None = None,
    columns: dict[str, str] | None = None,
) -> Layout | None:
    """The layout of a sheet, or None when no header or date row can be found.

    ``layout`` ("long", "wide", "transposed") and ``header_row`` (1-based, as Excel numbers
    rows) override what the content suggests; ``mapping`` (name in file -> analyte code) counts
    as recognised analyte names; ``columns`` (role -> heading) names columns whose headings
    Nadir does not know ({"test": "Prüfgröße", "result": "Messwert"}).
    """
    if layout is not None and layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    mapping = mapping or None
    indexes = (
        [header_row - 1] if header_row is not None else range(min(len(rows), SCAN_ROWS))
    )
    best: Layout | None = None
    for index in indexes:
        if index < 0 or index >= len(rows):
            continue
        found = []
        if layout in (None, "long", "wide"):
            cand = _header_candidate(rows, index, mapping, layout, columns)
            if cand is not None:
                found.append(cand)
        if layout in (None, "transposed") and not found:
            cand = _transposed_candidate(rows, index, mapping)
            if cand is not None:
                found.append(cand)
        for cand in found:
            if best is None or cand.score > best.score:
                best = cand
        if best is not None and best.kind == "long" and header_row is None:
            break  # the first long header wins: a later one is a repeated page header
    if best is not None and best.kind == "wide":
        best = _refine_wide(rows, best)
    elif best is not None and best.kind == "long":
        _date_column_by_content(rows, best)
    return best


def sheet_score(rows: list[list], mapping: dict[str, str] | None = None) -> float:
    """How much a sheet looks like lab results: recognised analyte names and header roles."""
    score = 0.0
    names: dict[str, bool] = {}
    for row in rows:
        for value in row:
            text = cell_text(value)
            if not text or len(text) > 80:
                continue
            if text not in names:
                name, unit = split_header_unit(text)
                names[text] = bool(lookup_analyte(name, unit, mapping))
            if names[text]:
                score += 1
    found = detect(rows, mapping=mapping)
    if found is not None:
        score += 5 + found.score
    return score
