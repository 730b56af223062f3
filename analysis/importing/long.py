"""Read a long sheet: one row per result, with columns for the test name and the result.

Epic "Results", Cerner "Event / Result Value", most portals and European lab systems export
this way. Grouped exports print the collection time (and the patient) once per draw; those
cells are filled down from the row above, and the rows that took their time so are marked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from analysis.importing.analytes import count_by_values
from analysis.importing.cell_kinds import cell_text, lookup_analyte, unit_in_text
from analysis.importing.cells import Cells, has_blank, id_text, is_blank, patient_role, transpose
from analysis.importing.layout import Layout


def read_long(rows: list[list], found: Layout, codes, labels: dict[str, str] | None = None) -> tuple[Cells, Counter]:
    """The result cells of the analytes Nadir knows, and a count of the rows of other tests.
    ``labels`` name the tests of a table that gives codes (a research extract's itemid)."""
    data, index = _without_blank_runs(rows[found.first_row :])
    roles = found.roles
    column = _role_columns(data, roles)
    names, results = column("test"), column("result")
    units = _units(column, roles)
    whens, patients = column("time"), column(patient_role(roles))
    if not data:
        names, results = [], []
    names = _without_repeated_header(names, results, found)
    codes_col = _analyte_codes(names, units, codes, labels or {})
    if units is None:
        _counts_by_values(names, results, codes_col, codes)
    filled = [False] * len(data)
    if whens is not None and has_blank(whens):
        whens, filled = _fill_down_times(whens, names, results)
    if patients is not None and has_blank(patients):
        patients = _fill_down_patients(patients, names)

    keep = [i for i, c in enumerate(codes_col) if c]

    def pick(values):
        return None if values is None else [values[i] for i in keep]

    name_text = {n: cell_text(n) or id_text(n) for n in {names[i] for i in keep}}
    cells = Cells(
        row=[found.first_row + 1 + index[i] for i in keep],
        col=[roles["result"]] * len(keep),
        name=[name_text[names[i]] for i in keep],
        code=[c for c in codes_col if c],  # the codes at ``keep``
        raw=[results[i] for i in keep],
        unit=[units[i] if units is not None else None for i in keep],
        when=[whens[i] for i in keep] if whens is not None else [None] * len(keep),
        clock=pick(column("clock")),
        flag=pick(column("flag")),
        status=pick(column("status")),
        patient=pick(patients),
        decimal_group=None,
        filled_time=[filled[i] for i in keep],
    )
    if patients is not None:  # every patient in the file counts, whatever tests they had
        cells.all_patients = list({p for p, n in zip(patients, names, strict=True) if n != "" and n is not None})
    return cells, _other_tests(names, codes_col, results)


def _without_blank_runs(data: list[list]) -> tuple[list[list], list[int]]:
    """The rows with each run of empty rows cut to one, and each kept row's place in ``data``.

    One empty row does all a run does (it ends a group of rows that share a time), and a stray
    value far below the results leaves a million of them, which every later step would walk."""
    kept: list[list] = []
    index: list[int] = []
    blank_before = False
    shared_blank = None  # the reading process sends every empty row as one shared object
    for i, row in enumerate(data):
        blank = row is shared_blank or all(is_blank(v) for v in row)
        if blank:
            shared_blank = row
            if blank_before:
                continue
        blank_before = blank
        kept.append(row)
        index.append(i)
    return kept, index


def _role_columns(data: list[list], roles: dict[str, int]):
    """A function giving the cells of a role's column (None when no column has that role)."""
    columns = transpose(data)

    def column(role: str) -> Sequence | None:
        col = roles.get(role)
        if col is None:
            return None
        return columns[col] if col < len(columns) else [""] * len(data)

    return column


def _units(column, roles: dict[str, int]) -> list | None:
    units = column("unit")
    if units is None and "refrange" in roles:  # "1.8 - 7.7 K/uL": the unit rides with the range
        ranges = column("refrange")
        unit_of = {v: unit_in_text(v) for v in set(ranges)}
        if any(unit_of.values()):
            units = [unit_of[v] or "" for v in ranges]
    return units


def _without_repeated_header(names, results, found: Layout):
    """The header repeated on every printed page is not a result: its name is blanked."""
    roles = found.roles
    test_header, result_header = found.headers.get(roles["test"]), found.headers.get(roles["result"])
    if test_header not in names:
        return names
    names = list(names)
    for i, name in enumerate(names):
        if name == test_header and results[i] == result_header:
            names[i] = ""
    return names


def _analyte_codes(names, units, codes, labels: dict[str, str]) -> list[str | None]:
    """The analyte of each row, looked up once per distinct (name, unit); a code the dictionary
    names is read as its name, the user's mapping of the code itself first."""
    code_of: dict[tuple, str | None] = {}
    out = []
    for name, unit in zip(names, units if units is not None else [None] * len(names), strict=True):
        key = (name, unit)
        code = code_of.get(key)
        if key not in code_of:
            text = cell_text(name) if isinstance(name, str) else id_text(name)
            unit_text = unit.strip() if isinstance(unit, str) else None
            code = lookup_analyte(text, unit_text, codes) if text else None
            if code is None and text in labels:
                code = lookup_analyte(labels[text], unit_text, codes)
            code_of[key] = code
        out.append(code)
    return out


def _counts_by_values(names, results, codes_col: list, mapping) -> None:
    """Without any unit, a name such as "Neutrophils" whose results exceed 100 is the count
    (:func:`analysis.importing.analytes.count_by_values`); the user's mapping decides first."""
    undecided: dict = {}
    for i, (name, code) in enumerate(zip(names, codes_col, strict=True)):
        if code is None and isinstance(name, str) and name.strip() and not (mapping and name in mapping):
            undecided.setdefault(name, []).append(i)
    for name, rows in undecided.items():
        code = count_by_values(name.strip(), [results[i] for i in rows])
        if code is not None:
            for i in rows:
                codes_col[i] = code


def _fill_down_times(whens, names, results) -> tuple[list, list[bool]]:
    """A result without a time of its own takes the time of the row above, within a group of
    rows (a row without a test name ends the group)."""
    whens = list(whens)
    filled = [False] * len(whens)
    last = None
    for i, name in enumerate(names):
        if is_blank(name):
            last = None
            continue
        if is_blank(whens[i]):
            if last is not None and not is_blank(results[i]):
                whens[i] = last
                filled[i] = True
        else:
            last = whens[i]
    return whens, filled


def _fill_down_patients(patients, names) -> list:
    patients = list(patients)
    last = None
    for i, name in enumerate(names):
        if is_blank(name):
            last = None
        elif is_blank(patients[i]):
            patients[i] = last
        else:
            last = patients[i]
    return patients


def _other_tests(names, codes_col, results) -> Counter:
    """Rows with a result of a test Nadir does not read, counted by test name."""
    other_names = Counter(
        names[i] for i, c in enumerate(codes_col) if not c and results[i] != "" and results[i] is not None
    )
    others: Counter = Counter()
    for name, count in other_names.items():
        if not is_blank(name):
            others[cell_text(name) or id_text(name)] += count
    return others
