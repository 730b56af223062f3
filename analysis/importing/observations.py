"""Turn a lab export into the tidy observations table (``model.OBSERVATION_COLUMNS``).

One entry point, :func:`import_labs`. It opens the file safely (:mod:`analysis.importing.workbook`),
picks the sheet and finds the layout by content (:mod:`analysis.importing.layout`), then reads every
result of the seven analytes Nadir knows into one row each: collection time, value in the
canonical unit, the text as exported, censoring, flag and where it came from (file, sheet, row,
column), so every plotted point can be traced back to a cell.

Nothing is dropped silently: a result without a number ("CANCELLED", "See comment"), a result
superseded by a correction and a duplicate each become a :class:`~analysis.model.SkippedRow`
with the reason in words; rows of other tests are counted in a warning.

Speed: exports hold 100k+ cells and repeat the same strings (test names, units, result texts,
draw times) constantly, so every parser runs once per distinct value and the rows only look
their answers up.

Decisions:
- ANC missing for a draw that has a WBC and a neutrophil percentage is derived as
  WBC x (neutrophil % + band %) / 100 (bands counted as 0 when that draw has none), marked
  ``derived`` and sourced to the WBC cell. This is done for every such draw, also when other
  draws of the file have a measured ANC, and a warning says for how many draws.
- A value whose size contradicts its unit (ANC 1200 labelled K/uL) is kept as exported and
  named in a warning: Nadir does not guess a factor of 1000 silently either way.
- A result with no collection time of its own in a long export (grouped exports print the time
  once per draw) takes the time of the row above, with a warning.
- When no column names the collection time and a result/report date is all there is, it is used
  with a warning that says so (it may be a day later than the draw).
- A results column written only as "1.200" / "1,200" takes its decimal mark from the rest of the
  sheet (reference ranges, other columns), else from a ';'-delimited file (decimal comma).
- Without a patient identifier column, a patient name column tells patients apart.
- A cumulative report printed in pages has a row of dates (and times) per page; each value takes
  the dates of its own page. Page headers repeated in a flowsheet are not results.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.importing import dates
from analysis.importing.analytes import resolve_mapping, split_header_unit
from analysis.errors import ChoiceRequired, InputError
from analysis.importing.layout import (
    LATER_TIMES,
    Layout,
    cell_text,
    classify_header,
    date_header_columns,
    detect,
    fold,
    looks_like_clock,
    lookup_analyte,
    sheet_score,
    unit_in_text,
)
from analysis.model import (
    ANC,
    BAND_PCT,
    CANONICAL_UNIT,
    DISPLAY_NAME,
    NEUT_PCT,
    OBSERVATION_COLUMNS,
    WBC,
    Detection,
    LabImport,
    SkippedRow,
    Source,
)
from analysis.importing.units import FRACTION, check_magnitude, guess_unit, parse_unit, to_canonical
from analysis.importing.values import infer_decimal, parse_result
from analysis.importing.workbook import Workbook, open_workbook

NO_NEUTROPHILS = (
    "has no neutrophil counts (ANC), and no white cell count with a neutrophil percentage "
    "to derive one from."
)
MAX_VALUE = 1e9  # in canonical units; no blood count or hemoglobin comes near it
# Hints name both ways of fixing it: the assistant's choice and the command-line option.
MAPPING_HINT = ("Check that the export includes the differential; if the ANC is there under "
                "another name, map that name to ANC (import assistant, or --map NAME=ANC).")
DATE_ORDER_HINT = "Use the import assistant (or --date-order MDY or --date-order DMY)."

# Results the lab took back. Cerner's "In Error" rows keep their (wrong) value, so the status,
# not an empty result, is what keeps them off the chart.
_CANCELLED_STATUS = (
    "cancel", "storn", "annul", "anulad", "void", "deleted", "not performed", "entfall",
    "in error", "entered in error", "erroneous", "invalid", "retract", "withdrawn", "zuruckgezogen",
    "ungultig", "erreur", "errone", "erroneo", "rejected", "abgelehnt", "rechaz", "supersed",
)
_CORRECTED_STATUS = (
    "correct", "amend", "revis", "korrig", "berichtig", "rectifi", "corrig", "modifi", "changed", "edit",
)
_PRELIMINARY_STATUS = (
    "prelim", "vorlauf", "provisoire", "provisional", "pending", "partial", "interim", "incomplete",
    "in process", "in progress", "unverified", "not verified", "in lab", "vorlaeufig", "vorlaufig",
)
# HL7 v2 result status letters (OBX-11), which LIS extracts print as they are.
_HL7_STATUS = {
    "f": "final", "c": "corrected", "a": "corrected", "p": "preliminary", "r": "preliminary",
    "i": "preliminary", "s": "preliminary", "x": "cancelled", "d": "cancelled", "w": "cancelled",
}


@dataclass
class _Cells:
    """The candidate results of a sheet as parallel columns, one entry per value cell."""

    row: list[int] = field(default_factory=list)  # 1-based spreadsheet row
    col: list[int] = field(default_factory=list)  # 0-based column of the value cell
    name: list[str] = field(default_factory=list)  # analyte name as in the file
    code: list[str] = field(default_factory=list)
    raw: list = field(default_factory=list)
    unit: list = field(default_factory=list)  # unit text as exported, or None
    when: list = field(default_factory=list)  # raw date (or date-time) cell
    clock: list | None = None  # raw time-of-day cell, when the export splits date and time
    flag: list | None = None
    status: list | None = None
    patient: list | None = None
    decimal_group: list | None = None  # results deciding their decimal separator together
    filled_time: list | None = None  # True where the time was taken from the row above
    all_patients: list | None = None  # every patient of the sheet, whatever tests they had


# --- public ------------------------------------------------------------------------------------


def import_labs(
    path: str | Path,
    *,
    sheet: str | None = None,
    patient: str | None = None,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
    layout: str | None = None,
    header_row: int | None = None,
) -> LabImport:
    """Read one lab export into a :class:`~analysis.model.LabImport`.

    ``sheet``, ``layout`` ("long", "wide", "transposed") and ``header_row`` (1-based) override
    detection; ``mapping`` ({name in file: analyte}) overrides analyte recognition;
    ``date_order`` ("MDY", "DMY") settles text dates that fit both; ``patient`` chooses one
    patient of a file that holds several. Raises InputError (ChoiceRequired for a choice the
    user must make) with a sentence naming the file.
    """
    path = Path(path)
    if layout is not None and layout not in ("long", "wide", "transposed"):
        raise InputError(f"the layout must be long, wide or transposed, not {layout!r}", path)
    try:
        codes = resolve_mapping(mapping) if mapping else None
    except InputError as exc:
        raise InputError(exc.message, path, exc.hint) from None
    book = open_workbook(path)
    try:
        result = _import(book, path, sheet, patient, codes, date_order, layout, header_row)
    finally:
        book.close()
    return _note_unused_mapping(result, codes)


def _note_unused_mapping(result: LabImport, codes: dict[str, str] | None) -> LabImport:
    """Say so when the user mapped a name that is nowhere in the file (a typo, another export)."""
    if not codes or result.detection is None:
        return result
    seen = {name.strip().casefold() for name in result.detection.analytes}
    unused = [name for name, code in codes.items() if code and name.strip().casefold() not in seen]
    if not unused:
        return result
    names = ", ".join(repr(n) for n in unused)
    note = f"no test or column is called {names} in this file, so that mapping was not used"
    return replace(result, warnings=(*result.warnings, note))


# --- steps -------------------------------------------------------------------------------------


def _import(book: Workbook, path, sheet, patient, codes, date_order, layout, header_row) -> LabImport:
    sheet_name, rows, found = _choose_sheet(book, path, sheet, codes, layout, header_row)
    warnings: list[str] = []
    if sheet_name in book.hidden_sheets:
        warnings.append(f"the results were read from the hidden sheet {sheet_name!r}")
    skipped: list[SkippedRow] = []
    if found.kind != "transposed" and "time" not in found.roles:
        raise InputError(
            "has no column with the collection date (looked for headings such as 'Collected', 'Date', "
            f"'Datum', 'Fecha' in row {found.header_row + 1}{f' of sheet {sheet_name!r}' if sheet_name else ''})",
            path,
            "Choose the date column in the import assistant.",
        )
    time_header = found.headers.get(found.roles.get("time"), "")
    time_role = classify_header(time_header) if time_header else None
    if time_role == "other_time":
        warnings.append(
            f"no column names the collection time; the dates were taken from {time_header!r}, "
            "which may be later than the blood draw — check them, or choose the date column in the "
            "import assistant"
        )
    elif time_header and time_role not in ("time", "date", "clock"):
        warnings.append(
            f"no column is headed as the collection date; the dates in column {time_header!r} were used"
        )
    if found.kind == "long":
        cells, others = _long_cells(rows, found, codes)
    elif found.kind == "wide":
        cells, others = _wide_cells(rows, found)
    else:
        cells, others = _transposed_cells(rows, found, codes)
    if not cells.row and not others:
        raise InputError(
            "has column headings but no results",
            path,
            "Export it again with the results included (check the date range of the export).",
        )
    if others and found.kind == "wide":
        shown = ", ".join(repr(name) for name in list(others)[:4]) + (", ..." if len(others) > 4 else "")
        warnings.append(
            f"{len(others)} column{'s' if len(others) != 1 else ''} of other tests or notes "
            f"{'were' if len(others) != 1 else 'was'} not read ({shown})"
        )
    elif others:
        (example, _), = others.most_common(1)
        n = sum(others.values())
        warnings.append(
            f"{n} row{'s' if n != 1 else ''} of other tests (e.g. {example}) "
            f"{'were' if n != 1 else 'was'} ignored"
        )

    chosen, patients, keep = _choose_patient(cells, patient, path)
    if keep is not None:
        cells = _subset(cells, keep)

    obs, skipped_now, warn_now, detected = _build(
        cells, path, sheet_name, book.date_system, date_order, found,
        fallback_decimal=lambda: _sheet_decimal(rows, book.delimiter),
    )
    skipped += skipped_now
    warnings += warn_now

    obs, more_skipped, more_warnings = _resolve_repeats(obs, path, sheet_name)
    skipped += more_skipped
    warnings += more_warnings

    obs, derive_warnings = _derive_anc(obs)
    warnings += derive_warnings
    if not (obs["analyte"] == ANC).any():
        anc_skipped = [s for s in skipped if s.analyte == ANC]
        if anc_skipped:
            example = anc_skipped[0]
            raise InputError(
                f"has {len(anc_skipped)} neutrophil count{'s' if len(anc_skipped) != 1 else ''} (ANC) "
                f"but none could be used ({example.source.describe()}: {example.text!r}, {example.reason})",
                path,
            )
        raise InputError(NO_NEUTROPHILS, path, MAPPING_HINT)

    obs = obs.sort_values(["time", "analyte", "row"], kind="stable").reset_index(drop=True)
    obs = obs.loc[:, list(OBSERVATION_COLUMNS)]
    detection = _detection(sheet_name, found, rows, detected, book.date_system, cells)
    return LabImport(
        observations=obs,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        patient=chosen,
        patients=tuple(patients),
        detection=detection,
    )


def _choose_sheet(book: Workbook, path, sheet, codes, layout, header_row) -> tuple[str, list, Layout]:
    if sheet is not None:
        if sheet not in book.sheet_names:
            names = ", ".join(repr(s) for s in book.sheet_names)
            raise InputError(f"has no sheet named {sheet!r}", path, f"Its sheets are {names}.")
        candidates = [sheet]
    elif len(book.sheet_names) == 1:
        candidates = book.sheet_names
    else:
        scores = {name: sheet_score(book.head(name), codes) for name in book.sheet_names}
        # stable: on equal scores a visible sheet wins over a hidden one, then the first sheet
        candidates = sorted(book.sheet_names, key=lambda s: (-scores[s], s in book.hidden_sheets))
    for name in candidates:  # the best-scoring sheet first; another one if it has no header
        rows = book.rows(name)
        found = detect(rows, layout=layout, header_row=header_row, mapping=codes)
        if found is not None:
            break
    if found is None:
        name = candidates[0]
        rows = book.rows(name)
        where = f"sheet {name!r}" if name else "the file"
        if not any(any(v not in ("", None) for v in r) for r in rows):
            raise InputError(f"has no data ({where} is empty)", path, "Export it again with the results included.")
        if header_row is not None:
            raise InputError(
                f"row {header_row} of {where} does not look like column headings of lab results",
                path,
                "Choose the row that names the columns (such as Date, Test, Result).",
            )
        raise InputError(
            f"has no recognisable lab results {'on' if name else 'in'} {where}: no row of column headings such as "
            "'Date', 'Test', 'Result' or 'ANC' was found",
            path,
            "Choose the sheet, the header row and the columns in the import assistant.",
        )
    return name, rows, found


def _column(data: list[list], col: int | None) -> list | None:
    if col is None:
        return None
    return [r[col] if col < len(r) else "" for r in data]


def _is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _has_blank(values: list) -> bool:
    return any(_is_blank(v) for v in set(values))


def _transpose(data: list[list]) -> list[list]:
    """The columns of a block of rows (ragged CSV rows padded with "")."""
    if not data:
        return []
    width = max(map(len, data))
    if min(map(len, data)) != width:
        data = [r + [""] * (width - len(r)) if len(r) < width else r for r in data]
    return list(zip(*data))


def _patient_role(roles: dict[str, int]) -> str:
    """The column that tells patients apart: the identifier, else the name. Without one of
    them, two patients' results in one export would be merged without a word."""
    return "patient" if "patient" in roles or "patient_name" not in roles else "patient_name"


def _long_cells(rows: list[list], found: Layout, codes) -> tuple[_Cells, Counter]:
    data = rows[found.first_row :]
    roles = found.roles
    columns = _transpose(data)

    def column(role: str) -> list | None:
        col = roles.get(role)
        if col is None:
            return None
        return columns[col] if col < len(columns) else [""] * len(data)

    names = column("test")
    results = column("result")
    units = column("unit")
    if units is None and "refrange" in roles:  # "1.8 - 7.7 K/uL": the unit rides with the range
        ranges = column("refrange")
        unit_of = {v: unit_in_text(v) for v in set(ranges)}
        if any(unit_of.values()):
            units = [unit_of[v] or "" for v in ranges]
    whens = column("time")
    clocks = column("clock")
    flags = column("flag")
    statuses = column("status")
    patients = column(_patient_role(roles))
    if not data:
        names, results = [], []

    test_header, result_header = found.headers.get(roles["test"]), found.headers.get(roles["result"])
    if test_header in names:  # the header repeated on every printed page is not a result
        names = list(names)
        for i, name in enumerate(names):
            if name == test_header and results[i] == result_header:
                names[i] = ""

    code_of: dict[tuple, str | None] = {}
    codes_col = []
    for name, unit in zip(names, units if units is not None else [None] * len(names)):
        key = (name, unit)
        code = code_of.get(key)
        if key not in code_of:
            text = cell_text(name) if isinstance(name, str) else _id_text(name)
            unit_text = unit.strip() if isinstance(unit, str) else None
            code = lookup_analyte(text, unit_text, codes) if text else None
            code_of[key] = code
        codes_col.append(code)

    filled = [False] * len(data)
    if whens is not None and _has_blank(whens):
        whens = list(whens)
        last = None
        for i, name in enumerate(names):
            if _is_blank(name):
                last = None
                continue
            if _is_blank(whens[i]):
                if last is not None and not _is_blank(results[i]):
                    whens[i] = last
                    filled[i] = True
            else:
                last = whens[i]
    if patients is not None and _has_blank(patients):
        patients = list(patients)
        last = None
        for i, name in enumerate(names):
            if _is_blank(name):
                last = None
            elif _is_blank(patients[i]):
                patients[i] = last
            else:
                last = patients[i]

    keep = [i for i, c in enumerate(codes_col) if c]
    other_names = Counter(
        names[i] for i, c in enumerate(codes_col) if not c and results[i] != "" and results[i] is not None
    )
    others: Counter = Counter()
    for name, count in other_names.items():
        if not _is_blank(name):
            others[cell_text(name) or _id_text(name)] += count
    start = found.first_row + 1
    col = roles["result"]

    def pick(values):
        return None if values is None else [values[i] for i in keep]

    name_text = {n: cell_text(n) or _id_text(n) for n in {names[i] for i in keep}}

    cells = _Cells(
        row=[start + i for i in keep],
        col=[col] * len(keep),
        name=[name_text[names[i]] for i in keep],
        code=[codes_col[i] for i in keep],
        raw=[results[i] for i in keep],
        unit=[units[i] if units is not None else None for i in keep],
        when=[whens[i] for i in keep] if whens is not None else [None] * len(keep),
        clock=pick(clocks),
        flag=pick(flags),
        status=pick(statuses),
        patient=pick(patients),
        decimal_group=None,
        filled_time=[filled[i] for i in keep],
    )
    if patients is not None:  # every patient in the file counts, whatever tests they had
        cells.all_patients = list({p for p, n in zip(patients, names) if n != "" and n is not None})
    return cells, others


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


def _wide_cells(rows: list[list], found: Layout) -> tuple[_Cells, Counter]:
    data = rows[found.first_row :]
    roles = found.roles
    whens = _column(data, roles.get("time"))
    clocks = _column(data, roles.get("clock"))
    role = _patient_role(roles)
    if role not in roles and "test" in roles and fold(found.headers.get(roles["test"], "")) == "name":
        role = "test"  # tests are the columns of a wide sheet: a bare "Name" column names patients
    patients = _column(data, roles.get(role))
    cells = _Cells(clock=[] if clocks is not None else None, patient=[] if patients is not None else None)
    cells.decimal_group = []
    start = found.first_row + 1
    repeats = _repeated_header_rows(rows, found)
    for col, (header, code, unit) in found.analyte_columns.items():
        name = split_header_unit(header)[0]
        for i, r in enumerate(data):
            value = r[col] if col < len(r) else ""
            if _is_blank(value) or i in repeats:
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
    # Columns of other tests ("Lymphs %", "Sodium") are not read; say which, so nothing is
    # lost without a word. Columns of known roles (date, patient, comment ...) are not tests.
    role_columns = set(roles.values())
    others: Counter = Counter()
    for col, header in found.headers.items():
        if col in found.analyte_columns or col in role_columns:
            continue
        n = sum(1 for r in data if col < len(r) and not _is_blank(r[col]))
        if n:
            others[header] = n
    return cells, others


_NUMERIC_START = re.compile(r"^\s*(?:[<>\u2264\u2265]=?\s*)?[-+]?\d")


def _numeric_looking(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_NUMERIC_START.match(value))


def _transposed_cells(rows: list[list], found: Layout, codes) -> tuple[_Cells, Counter]:
    """One cell per analyte row and draw column. A cumulative report printed in pages starts
    every page with a new row of dates (and of times): values below it belong to those dates."""
    header = rows[found.date_row]
    draw_columns = found.draw_columns
    clock_row = rows[found.time_row] if found.time_row is not None else None
    first_data = found.first_row
    blocks = []  # (first row, header, draw columns, clock row)
    after = max(found.name_col, found.unit_col if found.unit_col is not None else -1)
    for index in range(found.first_row, len(rows)):
        r = rows[index]
        label = cell_text(r[found.name_col]) if found.name_col < len(r) else ""
        if label and (lookup_analyte(*split_header_unit(label), codes) or LATER_TIMES.search(fold(label))):
            continue  # a result row, or a row of "Received" / "Reported" times: not a page's dates
        dated = date_header_columns(r, after)
        if dated is None:
            continue
        blocks.append((first_data, header, draw_columns, clock_row))
        header, draw_columns = r, dated
        nxt = rows[index + 1] if index + 1 < len(rows) else []
        if sum(1 for c in dated if c < len(nxt) and looks_like_clock(nxt[c])) >= len(dated) / 2:
            clock_row, first_data = nxt, index + 2
        else:
            clock_row, first_data = None, index + 1
    blocks.append((first_data, header, draw_columns, clock_row))
    has_clock = any(b[3] is not None for b in blocks)
    cells = _Cells(clock=[] if has_clock else None)
    others: Counter = Counter()
    ends = [b[0] for b in blocks[1:]] + [len(rows)]
    for (start, header, draw_columns, clock_row), end in zip(blocks, ends):
        for index in range(start, end):
            r = rows[index]
            label = cell_text(r[found.name_col]) if found.name_col < len(r) else ""
            if not label or r is header:
                continue
            name, unit = split_header_unit(label)
            if found.unit_col is not None and found.unit_col < len(r) and unit_in_text(r[found.unit_col]):
                unit = unit_in_text(r[found.unit_col])
            code = lookup_analyte(label, unit, codes) if codes else None
            code = code or lookup_analyte(name, unit, codes)
            values = [(c, r[c]) for c in draw_columns if c < len(r) and not _is_blank(r[c])]
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
                    cells.clock.append(clock_row[c] if clock_row is not None and c < len(clock_row) else "")
    return cells, others


# --- patients ----------------------------------------------------------------------------------


def _id_text(value) -> str:
    """An identifier as text: numeric cells lose the ".0" calamine gives them, text stays as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


def _id_list(ids: list[str]) -> str:
    """Identifiers for a sentence; names such as "DOE, JANE" hold commas, so they get quotes."""
    shown = [repr(i) if "," in i else i for i in ids[:10]]
    return ", ".join(shown) + (", ..." if len(ids) > 10 else "")


def _choose_patient(cells: _Cells, patient: str | None, path) -> tuple[str | None, list[str], list[int] | None]:
    """The patient to import, every patient in the file, and which cells belong to the chosen one."""
    if cells.patient is None:
        return (str(patient).strip() if patient is not None else None), [], None
    every = cells.all_patients if cells.all_patients is not None else cells.patient
    ids = sorted({_id_text(p) for p in set(every) if not _is_blank(p)})
    if not ids:
        return (str(patient).strip() if patient is not None else None), [], None
    if patient is None:
        if len(ids) == 1:
            return ids[0], ids, None
        shown = _id_list(ids)
        raise ChoiceRequired(
            f"this file holds results for {len(ids)} patients ({shown}); choose one",
            path,
            "Use the import assistant (or --patient with one of them).",
            kind="patient",
            options=ids,
        )
    wanted = str(patient).strip()
    match = [i for i in ids if i == wanted] or [i for i in ids if i.casefold() == wanted.casefold()]
    if not match:
        raise InputError(f"has no results for patient {wanted!r} (it holds {_id_list(ids)})", path)
    chosen = match[0]
    text_of = {key: _id_text(key) for key in set(cells.patient)}
    keep = [i for i, p in enumerate(cells.patient) if text_of[p] == chosen]
    return chosen, ids, keep


def _subset(cells: _Cells, keep: list[int]) -> _Cells:
    out = _Cells()
    for name in ("row", "col", "name", "code", "raw", "unit", "when", "clock", "flag", "status", "patient", "decimal_group", "filled_time"):
        values = getattr(cells, name)
        setattr(out, name, None if values is None else [values[i] for i in keep])
    return out


# --- values, units, times ----------------------------------------------------------------------


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA", as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _parse_times(cells: _Cells, path, date_system: int, date_order: str | None):
    """Per cell (time or None, date_only), the date order used and warnings.

    Each distinct date (or date and time pair) is parsed once. Raises ChoiceRequired naming the
    file when the day/month order cannot be told.
    """
    if cells.clock is not None:
        pairs = list(zip(cells.when, cells.clock))
        unique = list(dict.fromkeys(pairs))
        whens = [w for w, _ in unique]
    else:
        pairs = cells.when
        unique = whens = list(dict.fromkeys(pairs))
    try:
        column = dates.parse_datetime_column(whens, order=date_order, system=date_system)
        if cells.clock is not None:
            column = dates.combine_date_time(column, [c for _, c in unique])
    except ChoiceRequired as exc:
        raise ChoiceRequired(
            exc.message,
            path,
            exc.hint or DATE_ORDER_HINT,
            kind=exc.kind,
            options=exc.options,
        ) from None
    except InputError as exc:
        raise InputError(exc.message, path, exc.hint) from None
    # dates gives naive datetimes (None where unreadable) and one date_only flag per value
    lookup = dict(zip(unique, zip(column.times, column.date_only)))
    out = [lookup[p] for p in pairs]
    notes = []
    bad_clocks = getattr(column, "bad_times", None)
    if bad_clocks and cells.clock is not None:
        unreadable = {unique[i] for i in bad_clocks}
        n = sum(1 for p in pairs if p in unreadable)
        example = unique[bad_clocks[0]][1]
        notes.append(
            f"{n} time{'s' if n != 1 else ''} of day could not be read (e.g. {str(example)!r}); "
            f"{'those results keep' if n != 1 else 'that result keeps'} the date alone"
        )
    return out, getattr(column, "order", None), notes


def _status_kind(text) -> str:
    folded = fold(text) if isinstance(text, str) else ""
    if not folded:
        return "final"
    if len(folded) == 1:
        return _HL7_STATUS.get(folded, "final")
    if any(w in folded for w in _CANCELLED_STATUS):
        return "cancelled"
    if any(w in folded for w in _CORRECTED_STATUS):
        return "corrected"
    if any(w in folded for w in _PRELIMINARY_STATUS):
        return "preliminary"
    return "final"


_THOUSANDS_SHAPED = re.compile(r"^\s*[<>]?\s*[1-9]\d{0,2}[.,]\d{3}(?!\d)")


def _sheet_decimal(rows: list[list], delimiter: str) -> str | None:
    """The decimal mark of a whole sheet, for a results column whose own texts do not tell.

    Other columns often do ("4,0 - 10,0" in the reference range), and a ';'-separated file
    comes from a system that writes decimal commas (the ';' is there because ',' is taken).
    """
    texts = {v for r in rows[:2000] for v in r if isinstance(v, str) and ("," in v or "." in v) and len(v) < 40}
    decided = infer_decimal(texts)
    if decided is None and delimiter == ";":
        return ","
    return decided


def _build(cells: _Cells, path, sheet: str, date_system: int, date_order, found: Layout, fallback_decimal=None):
    """Parse results, units and times of the candidate cells into a first observations frame.

    ``fallback_decimal`` gives the decimal mark for results columns that hold only
    thousands-shaped texts ("1.200" is 1.2 or 1200); it is asked only then.
    """
    file = Path(path).name
    n = len(cells.row)
    warnings: list[str] = []
    skipped: list[SkippedRow] = []

    def source(i: int) -> Source:
        return Source(file, sheet, cells.row[i], column_letter(cells.col[i]))

    # results: decimal separator decided per column (per analyte column of a wide sheet)
    groups = cells.decimal_group if cells.decimal_group is not None else [0] * n
    decimal_of = {}
    for group in set(groups):
        decimal_of[group] = infer_decimal({v for v, g in zip(cells.raw, groups) if g == group and isinstance(v, str)})
    undecided = [g for g, d in decimal_of.items() if d is None]
    if undecided and fallback_decimal is not None:
        shaped = {
            g for v, g in zip(cells.raw, groups) if isinstance(v, str) and g in undecided and _THOUSANDS_SHAPED.match(v)
        }
        if shaped:
            known = [d for d in decimal_of.values() if d is not None]
            mark = Counter(known).most_common(1)[0][0] if known else fallback_decimal()
            for g in shaped:
                decimal_of[g] = mark
    parsed_cache: dict = {}
    results = []
    for raw, group in zip(cells.raw, groups):
        key = (raw, raw.__class__ is bool, decimal_of[group])
        result = parsed_cache.get(key)
        if result is None:
            result = parse_result(raw.strip() if isinstance(raw, str) else raw, decimal_of[group])
            parsed_cache[key] = result
        results.append(result)

    times, order, time_notes = _parse_times(cells, path, date_system, date_order)
    warnings += time_notes
    if cells.status is not None:
        kind_of = {v: _status_kind(v) for v in set(cells.status)}
        statuses = [kind_of[v] for v in cells.status]
    else:
        statuses = ["final"] * n

    # units: the unit column, else a unit glued to the number, else a guess from the values
    # ... or a unit in the test's name ("ANC (x10^9/L)" in a long export)
    unit_texts = [u.strip() if isinstance(u, str) else "" for u in cells.unit]
    name_unit: dict[str, str] = {}
    for i in range(n):
        if not unit_texts[i] and results[i].unit_text:
            unit_texts[i] = results[i].unit_text
        if not unit_texts[i]:
            name = cells.name[i]
            if name not in name_unit:
                name_unit[name] = split_header_unit(name)[1] or ""
            unit_texts[i] = name_unit[name]
    understood = {u: parse_unit(u) is not None for u in set(unit_texts)}
    ok = []
    for i in range(n):
        result = results[i]
        if statuses[i] == "cancelled":
            reason = "cancelled or withdrawn by the lab"
            if cells.status is not None and cell_text(cells.status[i]):
                reason += f" (status {cell_text(cells.status[i])!r})"
            skipped.append(SkippedRow(source(i), result.text, reason, cells.code[i]))
        elif result.value is None:
            skipped.append(SkippedRow(source(i), result.text, result.reason or "no number", cells.code[i]))
        elif times[i][0] is None:
            shown = cells.when[i]
            shown = shown if isinstance(shown, str) else str(shown) if not _is_blank(shown) else ""
            reason = f"the collection date {shown!r} could not be read" if shown else "no collection date"
            skipped.append(SkippedRow(source(i), result.text, reason, cells.code[i]))
        else:
            ok.append(i)

    guessed: dict[str, object] = {}
    missing_by_code: dict[str, list[float]] = defaultdict(list)
    for i in ok:
        if not understood[unit_texts[i]]:
            missing_by_code[cells.code[i]].append(results[i].value)
    unknown_units = Counter((cells.code[i], unit_texts[i]) for i in ok if unit_texts[i] and not understood[unit_texts[i]])
    no_unit, fractions = [], []
    for code, values in missing_by_code.items():
        guessed[code] = guess_unit(code, values)
    neut, band = guessed.get(NEUT_PCT), guessed.get(BAND_PCT)
    if neut is not None and neut.kind == FRACTION and band is not None and band.kind != FRACTION:
        if max(missing_by_code[BAND_PCT]) <= 1.0:  # bands in the same file are fractions too
            guessed[BAND_PCT] = neut
    for code in missing_by_code:
        unit = guessed[code]
        if unit is None:
            continue
        strange = [u for (c, u) in unknown_units if c == code]
        if strange:
            warnings.append(
                f"the unit {strange[0]!r} of {code} was not understood; the values were taken as "
                f"{unit.text} from their size"
            )
        elif unit.kind == FRACTION:
            fractions.append(DISPLAY_NAME[code])
        elif code not in (NEUT_PCT, BAND_PCT):
            no_unit.append(f"{DISPLAY_NAME[code]} as {unit.text}")
    if fractions:
        no_unit.append(f"{' and '.join(fractions)} as fractions (0.28 = 28 %)")
    if no_unit:
        warnings.append(f"the file gives no units; from the size of the values, Nadir read {', '.join(no_unit)}")

    factor_cache: dict = {}
    accepted = []
    factors = []
    for i in ok:
        code, text = cells.code[i], unit_texts[i]
        key = (code, text)
        if key not in factor_cache:
            unit = parse_unit(text) if text else None
            if unit is None:
                unit = guessed.get(code)
            try:
                factor_cache[key] = to_canonical(1.0, unit, code)
            except ValueError as exc:
                factor_cache[key] = str(exc)
        factor = factor_cache[key]
        if isinstance(factor, str):
            skipped.append(SkippedRow(source(i), results[i].text, factor, code))
            continue
        if not abs(results[i].value * factor) < MAX_VALUE:  # also catches inf and nan
            skipped.append(SkippedRow(source(i), results[i].text, "the number is far too large to be a result", code))
            continue
        accepted.append(i)
        factors.append(factor)

    values = np.round(np.array([results[i].value for i in accepted], dtype=float) * np.array(factors, dtype=float), 9)
    warnings += _percent_cells_holding_fractions(cells, accepted, values, factors)
    magnitude: dict[str, list[int]] = defaultdict(list)
    checked: dict = {}
    for j, i in enumerate(accepted):
        key = (cells.code[i], float(values[j]), unit_texts[i])
        if key not in checked:
            checked[key] = check_magnitude(key[0], key[1], key[2] or None)
        if checked[key]:
            magnitude[checked[key]].append(cells.row[i])
    for message, where in magnitude.items():
        warnings.append(f"{_rows_phrase(where)}: {message}; kept as exported — check the unit")

    filled = sum(1 for i in accepted if cells.filled_time and cells.filled_time[i])
    if filled:
        warnings.append(
            f"{filled} result{'s' if filled != 1 else ''} had no collection time of {'their' if filled != 1 else 'its'} "
            "own and took the time of the row above"
        )

    codes = [cells.code[i] for i in accepted]
    letters = {c: column_letter(c) for c in set(cells.col)}
    flags = []
    for i in accepted:
        flag = cell_text(cells.flag[i]) if cells.flag is not None else ""
        flags.append(flag or results[i].flag or None)
    obs = pd.DataFrame(
        {
            "time": pd.to_datetime(pd.Series([times[i][0] for i in accepted], dtype=object)).astype("datetime64[ns]")
            if accepted
            else pd.Series([], dtype="datetime64[ns]"),
            "analyte": pd.Series(codes, dtype=object),
            "value": pd.Series(values, dtype=float),
            "unit": pd.Series([CANONICAL_UNIT[c] for c in codes], dtype=object),
            "censored": pd.Series([results[i].censored for i in accepted], dtype=object),
            "flag": pd.Series(flags, dtype=object),
            "derived": pd.Series([False] * len(accepted), dtype=bool),
            "text": pd.Series([results[i].text for i in accepted], dtype=object),
            "source_unit": pd.Series([unit_texts[i] for i in accepted], dtype=object),
            "date_only": pd.Series([times[i][1] for i in accepted], dtype=bool),
            "file": pd.Series([file] * len(accepted), dtype=object),
            "sheet": pd.Series([sheet] * len(accepted), dtype=object),
            "row": pd.Series([cells.row[i] for i in accepted], dtype="int64"),
            "column": pd.Series([letters[cells.col[i]] for i in accepted], dtype=object),
        }
    )
    obs["_status"] = pd.Series([statuses[i] for i in accepted], dtype=object)
    obs["_index"] = pd.Series(accepted, dtype="int64")
    units_seen: dict[str, str] = {}
    for i in accepted:
        units_seen.setdefault(cells.code[i], unit_texts[i])
    return obs, skipped, warnings, {"order": order, "units": {k: v for k, v in units_seen.items() if v}}


def _percent_cells_holding_fractions(cells: _Cells, accepted: list[int], values: np.ndarray, factors: list) -> list[str]:
    """Scale percentages that a spreadsheet stores as fractions, in place, and say so.

    A cell formatted as percent shows "28%" in Excel but holds 0.28, and that number is what a
    reader gets. Neutrophil percentages labelled % that are all numeric cells of at most 1,
    some above 0.1, are such cells (a whole series below 1 % is not a plausible differential);
    bands are scaled with them, as they are when the neutrophils were read as fractions. Text
    cells ("0.28") are what the lab wrote, and are left alone.
    """
    warnings: list[str] = []
    neutrophils_are_fractions = False
    for code in (NEUT_PCT, BAND_PCT):
        where = [j for j, i in enumerate(accepted) if cells.code[i] == code]
        if not where:
            continue
        raws = [cells.raw[accepted[j]] for j in where]
        numeric = all(isinstance(r, (int, float)) and not isinstance(r, bool) for r in raws)
        as_percent = [j for j in where if factors[j] == 1.0]
        if code == NEUT_PCT and len(as_percent) < len(where):
            neutrophils_are_fractions = not as_percent  # read as fractions by their unit
        if not numeric or not as_percent or len(as_percent) < len(where):
            continue
        top = max(float(r) for r in raws)
        if top > 1.0:
            continue
        if code == NEUT_PCT and not (len(where) >= 3 and top > 0.1):
            continue
        if code == BAND_PCT and not neutrophils_are_fractions:
            continue
        values[where] = np.round(values[where] * 100.0, 9)
        neutrophils_are_fractions = neutrophils_are_fractions or code == NEUT_PCT
        warnings.append(
            f"the {DISPLAY_NAME[code]} cells hold fractions (e.g. {top:g}), as Excel stores cells "
            f"formatted as percent; they were read as percentages ({top * 100:g} %) — check them"
        )
    return warnings


def _rows_phrase(rows: list[int]) -> str:
    rows = sorted(set(rows))
    shown = ", ".join(str(r) for r in rows[:5])
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


# --- duplicates and corrections ----------------------------------------------------------------


def _resolve_repeats(obs: pd.DataFrame, path, sheet: str):
    """One result per time and analyte where the export repeats or corrects itself.

    A result with a "Corrected"/"Amended" status replaces the other results of that analyte at
    that time, and a final result replaces a preliminary one. The same value twice (an export
    that lists a result under two orders) is counted once. Two different final values for the
    same time are both kept and named in a warning: Nadir cannot know which is right.
    """
    skipped: list[SkippedRow] = []
    warnings: list[str] = []
    obs = obs.drop(columns=["_index"])
    if obs.empty or not obs.duplicated(["time", "analyte"]).any():
        return obs.drop(columns=["_status"]), skipped, warnings
    file = Path(path).name
    key = ["time", "analyte"]
    rank = obs["_status"].map({"corrected": 3, "final": 2, "preliminary": 1}).fillna(2)
    best = rank.groupby([obs["time"], obs["analyte"]]).transform("max")
    superseded = rank < best
    for row, column, text, analyte, top in obs.loc[superseded, ["row", "column", "text", "analyte"]].assign(
        top=best[superseded]
    ).itertuples(index=False):
        why = "superseded by a corrected result" if top == 3 else "superseded by the final result"
        skipped.append(SkippedRow(Source(file, sheet, int(row), column), text, why, analyte))
    obs = obs[~superseded]

    same = ["time", "analyte", "value", "censored"]
    censored = obs["censored"].fillna("")
    grouping = [obs["time"], obs["analyte"], obs["value"], censored]
    first_row = obs["row"].groupby(grouping).transform("first")
    repeated = obs.assign(censored=censored).duplicated(same, keep="first")
    for row, column, text, analyte, first in obs.loc[repeated, ["row", "column", "text", "analyte"]].assign(
        first=first_row[repeated]
    ).itertuples(index=False):
        skipped.append(
            SkippedRow(
                Source(file, sheet, int(row), column), text, f"the same result as row {int(first)} (exported twice)", analyte
            )
        )
    obs = obs[~repeated]

    conflicts = obs[obs.duplicated(key, keep=False)]
    groups = list(conflicts.groupby(key, sort=True))
    for (when, analyte), group in groups[:5]:
        warnings.append(
            f"{_rows_phrase(group['row'].tolist())}: {len(group)} different {analyte} results for "
            f"{pd.Timestamp(when):%Y-%m-%d %H:%M}; all are kept"
        )
    if len(groups) > 5:
        warnings.append(f"{len(groups) - 5} more times have different results for the same test; all are kept")
    return obs.drop(columns=["_status"]), skipped, warnings


# --- ANC from the differential -----------------------------------------------------------------


def _derive_anc(obs: pd.DataFrame):
    """ANC = WBC x (neutrophil % + band %) / 100 for draws that have no measured ANC."""
    part = obs[obs["analyte"].isin([ANC, WBC, NEUT_PCT, BAND_PCT])].drop_duplicates(["time", "analyte"])
    if part.empty:
        return obs, []
    wide = part.pivot(index="time", columns="analyte", values="value")
    for code in (ANC, WBC, NEUT_PCT, BAND_PCT):
        if code not in wide:
            wide[code] = np.nan
    todo = wide[wide[ANC].isna() & wide[WBC].notna() & wide[NEUT_PCT].notna()]
    if todo.empty:
        return obs, []
    cens = part.pivot(index="time", columns="analyte", values="censored").reindex(index=todo.index)
    wbc_rows = part[part["analyte"] == WBC].set_index("time").loc[todo.index].copy()
    band = todo[BAND_PCT].fillna(0.0)
    values = np.round(todo[WBC] * (todo[NEUT_PCT] + band) / 100.0, 6)
    keep, direction, texts = [], [], []
    for when, wbc, neut, band_value, has_band in zip(
        todo.index, todo[WBC], todo[NEUT_PCT], band, todo[BAND_PCT].notna()
    ):
        marks = {
            c for c in (cens.at[when, code] if code in cens else None for code in (WBC, NEUT_PCT, BAND_PCT)) if isinstance(c, str) and c
        }
        keep.append(len(marks) <= 1)
        direction.append(marks.pop() if marks else None)
        texts.append(f"derived: WBC {wbc:g} x ({neut:g}%" + (f" + {band_value:g}%)" if has_band else ")"))
    keep = np.array(keep, dtype=bool)
    if not keep.any():
        return obs, []
    added = wbc_rows.reset_index()
    added["analyte"] = ANC
    added["value"] = values.to_numpy()
    added["unit"] = CANONICAL_UNIT[ANC]
    added["censored"] = pd.Series(direction, dtype=object)
    added["flag"] = pd.Series([None] * len(added), dtype=object)
    added["derived"] = True
    added["text"] = pd.Series(texts, dtype=object)
    added["source_unit"] = ""
    added = added[keep].loc[:, list(obs.columns)]
    had_anc = bool(wide[ANC].notna().any())
    n = len(added)
    draws = f"{n} draw{'s' if n != 1 else ''}"
    if had_anc:
        message = f"ANC was missing for {draws}; it was derived from WBC and the differential for those"
    else:
        message = f"ANC was not in the file; it was derived from WBC and the differential for {draws}"
    return pd.concat([obs, added], ignore_index=True), [message]


# --- what was detected -------------------------------------------------------------------------


def _detection(sheet: str, found: Layout, rows, detected: dict, date_system: int, cells: _Cells) -> Detection:
    header = found.header_row + 1 if found.header_row is not None else None
    columns = {role: found.headers.get(col, "") for role, col in found.roles.items()}
    analytes: dict[str, str] = {}
    if found.kind == "wide":
        analytes = {name: code for name, code, _ in found.analyte_columns.values()}
    else:
        for name, code in zip(cells.name, cells.code):
            analytes.setdefault(name, code)
    return Detection(
        sheet=sheet,
        header_row=header,
        layout=found.kind,
        columns=columns,
        analytes=analytes,
        units=detected.get("units", {}),
        date_order=detected.get("order"),
        date_system=date_system,
    )
