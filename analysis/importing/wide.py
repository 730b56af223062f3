"""Read a wide sheet: one row per draw, one column per analyte (flowsheets).

Units sit in the header ("ANC (x10^3/uL)") or in a second header row, and printed reports
repeat both on every page; those repeats are not results. Each analyte column decides its
decimal mark on its own (``decimal_group``).
"""

from __future__ import annotations

from collections import Counter

from analysis.importing.analytes import split_header_unit
from analysis.importing.cell_kinds import cell_text
from analysis.importing.cells import Cells, column, is_blank, patient_role
from analysis.importing.header_words import fold
from analysis.importing.layout import Layout


def read_wide(rows: list[list], found: Layout) -> tuple[Cells, Counter]:
    """The cells of the analyte columns, and the other non-empty columns with their counts."""
    data = rows[found.first_row :]
    roles = found.roles
    whens = column(data, roles.get("time"))
    clocks = column(data, roles.get("clock"))
    role = patient_role(roles)
    if role not in roles and "test" in roles and fold(found.headers.get(roles["test"], "")) == "name":
        role = "test"  # tests are the columns of a wide sheet: a bare "Name" column names patients
    patients = column(data, roles.get(role))
    cells = Cells(clock=[] if clocks is not None else None, patient=[] if patients is not None else None)
    cells.decimal_group = []
    start = found.first_row + 1
    repeats = _repeated_header_rows(rows, found)
    for col, (header, code, unit) in found.analyte_columns.items():
        name = split_header_unit(header)[0]
        for i, r in enumerate(data):
            value = r[col] if col < len(r) else ""
            if is_blank(value) or i in repeats:
                continue
            cells.row.append(start + i)
            cells.col.append(col)
            cells.name.append(name)
            cells.code.append(code)
            cells.raw.append(value)
            cells.unit.append(unit)
            cells.when.append(whens[i] if whens is not None else None)
            if clocks is not None:
                cells.clock.append(clocks[i])
            if patients is not None:
                cells.patient.append(patients[i])
            cells.decimal_group.append(col)
    return cells, _other_columns(data, found)


def _other_columns(data: list[list], found: Layout) -> Counter:
    """Columns of other tests ("Lymphs %", "Sodium") are not read; say which, so nothing is
    lost without a word. Columns of known roles (date, patient, comment ...) are not tests."""
    role_columns = set(found.roles.values())
    others: Counter = Counter()
    for col, header in found.headers.items():
        if col in found.analyte_columns or col in role_columns:
            continue
        n = sum(1 for r in data if col < len(r) and not is_blank(r[col]))
        if n:
            others[header] = n
    return others


def _repeated_header_rows(rows: list[list], found: Layout) -> set[int]:
    """Rows (indexes into the data below the header) that repeat the header or the units row:
    printed reports start every page with them, and they are not results."""
    cols = list(found.analyte_columns)
    if not cols:
        return set()
    patterns = [rows[found.header_row]]
    if found.units_row is not None:
        patterns.append(rows[found.units_row])
    marks = [
        {c: cell_text(p[c]) for c in cols if c < len(p) and cell_text(p[c])} for p in patterns
    ]
    marks = [m for m in marks if m]
    if not marks:
        return set()
    first_texts = {t for m in marks for t in m.values()}
    out = set()
    for i, r in enumerate(rows[found.first_row :]):
        if not any(c < len(r) and isinstance(r[c], str) and r[c].strip() in first_texts for c in cols):
            continue  # the common case, decided cheaply
        for m in marks:
            same = sum(1 for c, t in m.items() if c < len(r) and cell_text(r[c]) == t)
            if same * 2 > len(m):
                out.add(i)
                break
    return out
