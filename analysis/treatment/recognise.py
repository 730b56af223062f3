"""Which of the three inputs a table is (lab results, an infusion record, an events table),
decided from what its first rows hold, for a file dropped on the window.

A file dropped on an open case may be any of the three, and a spreadsheet's suffix says nothing
about which. Lab results name analytes (ANC, WBC, neutrophils ...) in their cells or headings;
an infusion record has a column of dates next to a column (or headings) of drugs Nadir knows;
an events table has a date column and descriptions or categories of events. Each test is the
one its reader makes, run on the first rows only.
"""

from __future__ import annotations

from pathlib import Path

from analysis.errors import InputError

HEAD_ROWS = 200
LABS, INFUSIONS, EVENTS = "labs", "infusions", "events"


def table_kind(path: str | Path) -> str | None:
    """LABS, INFUSIONS or EVENTS for a table file; None when it cannot be opened or holds none
    of them."""
    from analysis.importing.workbook import open_workbook

    path = Path(path)
    try:
        book = open_workbook(path)
        try:
            sheets = [(name, book.head(name, HEAD_ROWS)) for name in book.sheet_names]
        finally:
            book.close()
    except InputError:
        return None
    analytes = analyte_cells(sheets)
    if analytes >= 3:
        return LABS
    # A treatment table has doses (a dose column, or drugs in its headings with doses in the
    # cells); an events table has none. Known drug names decide between the two first.
    share, doses = _treatment(path, sheets)
    if doses and share >= 0.5:
        return INFUSIONS
    dated = _dated_table(path, sheets)
    if dated == EVENTS and not doses:
        return EVENTS
    if doses or dated == INFUSIONS:  # dates and numbers: doses whose drug column is for the user to name
        return INFUSIONS
    if dated == EVENTS:
        return EVENTS
    return LABS if analytes else None


def analyte_cells(sheets) -> int:
    """Cells that name a lab test. A name that says absolute or percent only by a unit in another
    cell, or by its values ("Neutrophils", "B-Neutrofila", "Neutrófilos"), is a test either way."""
    from analysis.importing.layout import cell_text, lookup_analyte, split_header_unit

    seen: dict[str, bool] = {}
    found = 0
    for _name, rows in sheets:
        for row in rows:
            for value in row:
                text = cell_text(value)
                if not text or len(text) > 80:
                    continue
                if text not in seen:
                    name, unit = split_header_unit(text)
                    seen[text] = bool(lookup_analyte(name, unit, None) or (
                        unit is None and not any(ch.isdigit() for ch in name)
                        and any(lookup_analyte(name, u, None) for u in ("%", "10^9/L"))))
                found += seen[text]
    return found


def _treatment(path: Path, sheets) -> tuple[float, bool]:
    """(share of the drug column's cells that name a medication Nadir knows, whether the table
    has doses); (0, False) when no treatment table is found."""
    from analysis.treatment.column_profiles import text_of
    from analysis.treatment.columns import locate
    from analysis.treatment.drugs import find_medication

    try:
        loc = locate(path, sheets)
    except InputError:
        return 0.0, False
    if "drug" not in loc.roles:
        return (1.0, True) if loc.drug_columns else (0.0, False)
    c = loc.roles["drug"]
    cells = [text_of(r[c]) for r in loc.rows[loc.header_index + 1:] if c < len(r) and text_of(r[c])]
    share = sum(find_medication(t) is not None for t in cells) / len(cells) if cells else 0.0
    return share, "dose" in loc.roles


def _dated_table(path: Path, sheets) -> str | None:
    """EVENTS for an events table's header (a date and a description or category, looked for
    further down than the reader does: the user can still say the row) with no column of numbers
    below it; INFUSIONS when there is one (a table of doses whose drug Nadir cannot tell)."""
    from analysis.treatment.events import NAMED_SEARCH_ROWS, _find_header, _header_rows

    for _name, rows in sheets:
        try:
            header, roles = _find_header(rows, path, _header_rows(rows, None, NAMED_SEARCH_ROWS))
        except InputError:
            continue
        below = [r for r in rows[header + 1:] if any(str(v).strip() for v in r if v is not None)]
        width = max((len(r) for r in below), default=0)
        numbers = any(_numbers(below, c) for c in range(width) if c not in roles.values())
        return INFUSIONS if numbers else EVENTS
    return None


def _numbers(rows: list[list], c: int) -> bool:
    cells = [r[c] for r in rows if c < len(r) and r[c] not in (None, "")]
    return bool(cells) and sum(_is_number(v) for v in cells) >= 0.8 * len(cells)


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value).replace(",", "."))
    except ValueError:
        return False
    return True
