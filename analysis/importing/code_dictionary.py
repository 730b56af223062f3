"""A dictionary of test codes: the file that says what the numbers in a results table stand for.

Research-database extracts name their tests by code: MIMIC-IV's ``hosp/labevents`` gives an
``itemid`` per result and ``hosp/d_labitems`` (itemid, label, fluid, category) says that 51301
is "White Blood Cells" and 52075 "Absolute Neutrophil Count"; OMOP and i2b2 extracts do the same
with concept tables. The user gives the dictionary with the results (``--lab-dictionary``, the
import assistant's "Codes dictionary…", or both files dropped together:
:func:`dictionary_and_extract` tells which is which); its columns are found by what they hold:

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


NOT_A_DICTIONARY_HINT = "Give the file that lists each code with its test name (such as d_labitems.csv)."
# Of an extract's codes, the share its dictionary must name: codes of other fluids are left out
# of the dictionary (a pleural neutrophil count), so not all of them.
MATCHED_SHARE = 0.5
PAIR_ROWS = 2000  # the extract's rows compared with a dictionary's codes


def read_code_dictionary(path: str | Path) -> dict[str, str]:
    """{code as the results table writes it: test name} from a dictionary file."""
    path = Path(path)
    return dictionary_of_rows(_first_sheet(path), path)


def saved_dictionary(file: str | None, mapping: dict[str, str],
                     beside: Path | None = None) -> tuple[dict[str, str], str | None, str | None]:
    """(the names of the codes, a note, the file where it was found) from the dictionary file a
    read names (LabImportSettings.dictionary). Not where it was, it is looked for by its name in
    ``beside``, the extract's folder (a project's folder moved or shared whole). A project keeps
    the codes the dictionary named in its mapping, so a dictionary found nowhere is said in a
    note, not refused; without that mapping it is an error."""
    if not file:
        return {}, None, None
    path = Path(file)
    if not path.is_file() and beside is not None and (beside / path.name).is_file():
        path = beside / path.name
    if mapping and not path.is_file():
        return {}, (f"the dictionary of test codes {path.name} is no longer at {path}; the codes were read "
                    "as the project saved them"), file
    return read_code_dictionary(path), None, str(path)


def dictionary_and_extract(first: str | Path, second: str | Path) -> tuple[Path, Path] | None:
    """(dictionary, extract) when one of two files names the test codes of the other, in either
    order; None when neither does (or both would). Decided by what the files hold, never by
    their names: a table of codes that never repeat beside test names (:func:`dictionary_of_rows`)
    whose codes are most of the values of a column of the other file, values that repeat (an
    extract of a single draw, each test once, is not told apart)."""
    a, b = Path(first), Path(second)
    rows = {}
    for path in (a, b):
        try:
            rows[path] = _first_sheet(path)
        except InputError:
            return None
    fits = [(d, e) for d, e in ((a, b), (b, a)) if _names_codes_of(rows[d], d, rows[e][:PAIR_ROWS])]
    return fits[0] if len(fits) == 1 else None


def _names_codes_of(dictionary_rows: list[list], path: Path, extract_rows: list[list]) -> bool:
    """True when ``dictionary_rows`` are a dictionary naming the codes of a column of
    ``extract_rows``. The columns of codes (values that never repeat) are compared first, which
    costs little; only a table whose codes match is read as a dictionary (a 100,000-row extract
    tried as one would cost seconds)."""
    coded = _repeating_columns(extract_rows)
    if not any(_covers(codes, values) for codes in _unique_columns(dictionary_rows) for values in coded):
        return False
    try:
        named = dictionary_of_rows(dictionary_rows, path)
    except InputError:
        return False
    return any(_covers(named.keys(), values) for values in coded)


def _covers(codes, values: list[str]) -> bool:
    """Most of ``values`` (a column's cells), and at least two distinct ones, are ``codes``."""
    named = [v for v in values if v in codes]
    return len(set(named)) >= 2 and len(named) >= MATCHED_SHARE * len(values)


def _repeating_columns(rows: list[list]) -> list[list[str]]:
    """The filled cells of each column whose values repeat: an extract's codes repeat from draw to
    draw, where another dictionary's codes or a row number never do (a labevent_id can run
    through the range of the itemids)."""
    width = max((len(r) for r in rows), default=0)
    columns = [[id_text(r[c]) for r in rows if c < len(r) and not is_blank(r[c])] for c in range(width)]
    return [values for values in columns if len(set(values)) < len(values)]


def _unique_columns(rows: list[list]) -> list[set[str]]:
    """The values of each column that never repeats, as a dictionary's codes never do."""
    width = max((len(r) for r in rows), default=0)
    out = []
    for c in range(width):
        seen: set[str] = set()
        for r in rows:
            if c < len(r) and not is_blank(r[c]):
                text = id_text(r[c])
                if text in seen:
                    break
                seen.add(text)
        else:
            if len(seen) >= 2:
                out.append(seen)
    return out


def _first_sheet(path: Path) -> list[list]:
    book = open_workbook(path)
    try:
        return book.rows(book.sheet_names[0])
    finally:
        book.close()


def dictionary_of_rows(rows: list[list], path: Path) -> dict[str, str]:
    """{code: test name} from the rows of a dictionary's sheet; InputError naming ``path`` when
    they are no dictionary."""
    header_index = next((i for i, r in enumerate(rows[:50]) if sum(1 for v in r if cell_text(v)) >= 2), None)
    if header_index is None:
        raise InputError("is not a dictionary of test codes: it has no row of column headings", path,
                         NOT_A_DICTIONARY_HINT)
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
