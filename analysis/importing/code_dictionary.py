"""A dictionary of test codes: the file that says what the numbers in a results table stand for.

Research-database extracts name their tests by code: MIMIC-IV's ``hosp/labevents`` gives an
``itemid`` per result and ``hosp/d_labitems`` (itemid, label, fluid, category) says that 51301
is "White Blood Cells" and 52075 "Absolute Neutrophil Count"; OMOP and i2b2 extracts do the same
with concept tables. The user gives the dictionary with the results (``--lab-dictionary``); its
columns are found by what they hold:

- the codes: the column whose values never repeat (numbers or short codes), not the names;
- the names: the column with the most test names Nadir knows, else the most varied text;
- the fluid, where there is one (a column whose values include "Blood"): a neutrophil count in
  pleural fluid or CSF is no blood count, so codes of other fluids are left out.

The import then reads each code as its name (with the row's unit, which tells a neutrophil
count from a percentage) and keeps the file's own codes as the names it records, so that a
saved project reads the extract again without the dictionary.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.errors import InputError
from analysis.importing.analytes import identify, split_header_unit
from analysis.importing.cell_kinds import cell_text
from analysis.importing.cells import id_text, is_blank
from analysis.importing.workbook import open_workbook

_BLOOD = re.compile(r"\b(?:blood|whole blood|serum|plasma|sang|blut|sangre|sangue|bloed)\b", re.IGNORECASE)
_FLUID_HEADING = re.compile(r"fluid|specimen|sample|material|matrix|system|probe", re.IGNORECASE)


def read_code_dictionary(path: str | Path) -> dict[str, str]:
    """{code as the results table writes it: test name} from a dictionary file."""
    path = Path(path)
    book = open_workbook(path)
    try:
        rows = book.rows(book.sheet_names[0])
    finally:
        book.close()
    header_index = next((i for i, r in enumerate(rows[:50]) if sum(1 for v in r if cell_text(v)) >= 2), None)
    if header_index is None:
        raise InputError("is not a dictionary of test codes: it has no row of column headings", path,
                         "Give the file that lists each code with its test name (such as d_labitems.csv).")
    header, data = rows[header_index], [r for r in rows[header_index + 1:] if any(not is_blank(v) for v in r)]
    width = len(header)
    columns = [[r[c] if c < len(r) else None for r in data] for c in range(width)]
    label = _label_column(columns)
    code = _code_column(columns, label)
    if label is None or code is None:
        raise InputError("is not a dictionary of test codes: no column of codes that never repeat beside a "
                         "column of test names was found", path,
                         "Give the file that lists each code with its test name (such as d_labitems.csv).")
    fluid = _fluid_column(columns, [cell_text(h) for h in header], {label, code})
    out: dict[str, str] = {}
    for i in range(len(data)):
        key, name = id_text(columns[code][i]), cell_text(columns[label][i])
        if not key or not name:
            continue
        if fluid is not None and not _BLOOD.search(cell_text(columns[fluid][i]) or ""):
            continue  # the same name in another fluid is no blood count
        out[key] = name
    return out


def _label_column(columns: list[list]) -> int | None:
    def known(values) -> int:
        hits = 0
        for v in set(values):
            text = cell_text(v)
            name, unit = split_header_unit(text) if text else ("", None)
            hits += bool(text) and bool(identify(text) or identify(name, unit))
        return hits

    def varied_text(values) -> int:
        return len({v for v in values if cell_text(v)})

    scored = [(known(vals), varied_text(vals), -c) for c, vals in enumerate(columns) if varied_text(vals) >= 2]
    return -max(scored)[2] if scored else None


def _code_column(columns: list[list], label: int | None) -> int | None:
    for c, values in enumerate(columns):
        filled = [id_text(v) for v in values if not is_blank(v)]
        if c != label and len(filled) >= 2 and len(set(filled)) == len(filled) and all(len(t) <= 20 for t in filled):
            return c
    return None


def _fluid_column(columns: list[list], headings: list[str], taken: set[int]) -> int | None:
    """The column of fluids: few distinct values, some of them blood; a heading that names the
    fluid or specimen first, else the column where blood is most frequent (a category column's
    "Blood Gas" is blood in a few rows only)."""
    candidates = []
    for c, values in enumerate(columns):
        texts = [cell_text(v) for v in values if cell_text(v)]
        blood = sum(1 for t in texts if _BLOOD.search(t))
        if c in taken or not blood or len(set(texts)) > max(10, len(values) // 5):
            continue
        heading = headings[c] if c < len(headings) else ""
        candidates.append((bool(_FLUID_HEADING.search(heading)), blood / len(texts), -c))
    return -max(candidates)[2] if candidates else None
