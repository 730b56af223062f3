"""Read a transposed sheet: one column per draw, a row of dates on top, analyte names on the left.

Cumulative reports are printed this way, often in pages: every page starts with a new row of
dates (and of times), and the values below it belong to those dates. A footer ("Printed ...",
"Page 2") is not a test; a row of numbers under a name Nadir does not know is counted as
another test.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from analysis.importing.analytes import split_header_unit
from analysis.importing.cell_kinds import cell_text, looks_like_clock, lookup_analyte, unit_in_text
from analysis.importing.cells import Cells, is_blank
from analysis.importing.header_words import LATER_TIMES, fold
from analysis.importing.layout import Layout, date_header_columns

_NUMERIC_START = re.compile(r"^\s*(?:[<>\u2264\u2265]=?\s*)?[-+]?\d")


class _Page(NamedTuple):
    """One printed page: its first data row, its row of dates, the draw columns, its times."""

    start: int
    header: list
    draw_columns: list[int]
    clock_row: list | None


def read_transposed(rows: list[list], found: Layout, codes) -> tuple[Cells, Counter]:
    """One cell per analyte row and draw column, and a count of the rows of other tests."""
    name_col, after = _label_columns(found)
    pages = _pages(rows, found, codes)
    has_clock = any(p.clock_row is not None for p in pages)
    clocks: list = []
    cells = Cells(clock=clocks if has_clock else None)
    others: Counter = Counter()
    ends = [p.start for p in pages[1:]] + [len(rows)]
    for (start, header, draw_columns, clock_row), end in zip(pages, ends, strict=True):
        for index in range(start, end):
            r = rows[index]
            label = cell_text(r[name_col]) if name_col < len(r) else ""
            if not label or r is header:
                continue
            name, unit = split_header_unit(label)
            if found.unit_col is not None and found.unit_col < len(r) and unit_in_text(r[found.unit_col]):
                unit = unit_in_text(r[found.unit_col])
            code = lookup_analyte(label, unit, codes) if codes else None
            code = code or lookup_analyte(name, unit, codes)
            values = [(c, r[c]) for c in draw_columns if c < len(r) and not is_blank(r[c])]
            if not code:
                # a footer ("Printed ...", "Page 2") is not a test; a row of numbers is
                if any(_numeric_looking(v) for _, v in values) and date_header_columns(r, after) is None:
                    others[name] += 1
                continue
            for c, value in values:
                cells.row.append(index + 1)
                cells.col.append(c)
                cells.name.append(name)
                cells.code.append(code)
                cells.raw.append(value)
                cells.unit.append(unit)
                cells.when.append(header[c] if c < len(header) else "")
                if has_clock:
                    clocks.append(clock_row[c] if clock_row is not None and c < len(clock_row) else "")
    return cells, others


def _pages(rows: list[list], found: Layout, codes) -> list[_Page]:
    """The pages of the report, each from the row of dates that starts it."""
    name_col, after = _label_columns(found)
    assert found.date_row is not None  # detect() sets it for every transposed layout
    header = rows[found.date_row]
    draw_columns = found.draw_columns
    clock_row = rows[found.time_row] if found.time_row is not None else None
    first_data = found.first_row
    pages = []
    for index in range(found.first_row, len(rows)):
        r = rows[index]
        label = cell_text(r[name_col]) if name_col < len(r) else ""
        if label and (lookup_analyte(*split_header_unit(label), codes) or LATER_TIMES.search(fold(label))):
            continue  # a result row, or a row of "Received" / "Reported" times: not a page's dates
        dated = date_header_columns(r, after)
        if dated is None:
            continue
        pages.append(_Page(first_data, header, draw_columns, clock_row))
        header, draw_columns = r, dated
        nxt = rows[index + 1] if index + 1 < len(rows) else []
        if sum(1 for c in dated if c < len(nxt) and looks_like_clock(nxt[c])) >= len(dated) / 2:
            clock_row, first_data = nxt, index + 2
        else:
            clock_row, first_data = None, index + 1
    pages.append(_Page(first_data, header, draw_columns, clock_row))
    return pages


def _label_columns(found: Layout) -> tuple[int, int]:
    """The column of the analyte names, and the last column of labels (names, units): the
    draws are to the right of it."""
    assert found.name_col is not None  # detect() sets it for every transposed layout
    return found.name_col, max(found.name_col, found.unit_col if found.unit_col is not None else -1)


def _numeric_looking(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_NUMERIC_START.match(value))
