"""Turn a lab export into the tidy observations table (``model.OBSERVATION_COLUMNS``).

One entry point, :func:`import_labs`. It opens the file safely (:mod:`.workbook`), picks the
sheet and finds the layout by content (:mod:`.sheets`, :mod:`.layout`), then reads every result
of the seven analytes Nadir knows into one row each: collection time, value in the canonical
unit, the text as exported, censoring, flag and where it came from (file, sheet, row, column),
so every plotted point can be traced back to a cell. The stages, each in its own module:

1. the layout's reader gives the candidate cells (:mod:`.long`, :mod:`.wide`, :mod:`.transposed`);
2. one patient's cells are kept (:mod:`.patients`);
3. results, units, times and statuses are parsed into a first frame (:mod:`.build`, with
   :mod:`.decimals`, :mod:`.collection_times`, :mod:`.status`);
4. corrections, repeats and duplicates are resolved (:mod:`.repeats`);
5. a missing ANC is derived from the differential (:mod:`.derive`).

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

from collections import Counter
from dataclasses import replace
from pathlib import Path

from analysis.errors import InputError
from analysis.importing.analytes import resolve_mapping
from analysis.importing.build import MAX_VALUE, build
from analysis.importing.cells import Cells, column_letter, subset
from analysis.importing.code_dictionary import saved_dictionary
from analysis.importing.collection_times import DATE_ORDER_HINT
from analysis.importing.decimals import sheet_decimal
from analysis.importing.derive import derive_anc
from analysis.importing.header_words import classify_header
from analysis.importing.layout import Layout
from analysis.importing.long import read_long
from analysis.importing.patients import choose_patient
from analysis.importing.repeats import resolve_repeats
from analysis.importing.settings import LabImportSettings, settings_read, with_columns
from analysis.importing.sheets import choose_sheet
from analysis.importing.transposed import read_transposed
from analysis.importing.wide import read_wide
from analysis.importing.workbook import Workbook, open_workbook
from analysis.model import ANC, OBSERVATION_COLUMNS, Detection, LabImport, SkippedRow

__all__ = ["DATE_ORDER_HINT", "MAPPING_HINT", "MAX_VALUE", "NO_NEUTROPHILS", "column_letter", "import_labs"]

NO_NEUTROPHILS = (
    "has no neutrophil counts (ANC), and no white cell count with a neutrophil percentage "
    "to derive one from."
)
# Hints name both ways of fixing it: the assistant's choice and the command-line option.
MAPPING_HINT = ("Check that the export includes the differential; if the ANC is there under "
                "another name, map that name to ANC (import assistant, or --map NAME=ANC).")


def import_labs(
    path: str | Path,
    *,
    sheet: str | None = None,
    patient: str | None = None,
    mapping: dict[str, str] | None = None,
    date_order: str | None = None,
    layout: str | None = None,
    header_row: int | None = None,
    settings: LabImportSettings | None = None,
    columns: dict[str, str] | None = None,
    dictionary: dict[str, str] | None = None,
    dictionary_file: str | Path | None = None,
) -> LabImport:
    """Read one lab export into a :class:`~analysis.model.LabImport`.

    ``sheet``, ``layout`` ("long", "wide", "transposed") and ``header_row`` (1-based) override
    detection; ``mapping`` ({name in file: analyte}) overrides analyte recognition;
    ``date_order`` ("MDY", "DMY") settles text dates that fit both; ``patient`` chooses one
    patient of a file that holds several; ``columns`` ({role: heading}) names the columns of
    roles the user chooses now (--lab-column): a collection time named so is taken without a
    warning; ``dictionary`` ({code: test name}, :mod:`.code_dictionary`) names the tests of a
    table that gives codes; ``dictionary_file`` is the file to read them from
    (:func:`~analysis.importing.code_dictionary.read_code_dictionary`), recorded in the settings
    (``dictionary``) so that a project reads it again. ``settings`` replays a saved
    :class:`~analysis.importing.settings.LabImportSettings` (the keywords override it). The
    result's ``settings`` reproduce this read. Raises InputError (ChoiceRequired for a choice
    the user must make) with a sentence naming the file.
    """
    path = Path(path)
    wanted = (settings or LabImportSettings()).overridden(
        sheet=sheet, patient=patient, mapping=mapping, date_order=date_order, layout=layout,
        header_row=header_row, columns=columns,
        dictionary=str(Path(dictionary_file).resolve()) if dictionary_file is not None else None)
    if wanted.layout is not None and wanted.layout not in ("long", "wide", "transposed"):
        raise InputError(f"the layout must be long, wide or transposed, not {wanted.layout!r}", path)
    try:
        codes = resolve_mapping(wanted.mapping) if wanted.mapping else None
    except InputError as exc:
        raise InputError(exc.message, path, exc.hint) from None
    note = None
    book = open_workbook(path)  # first: a path that is no file (a NUL in it, a folder) is refused here
    try:
        if dictionary is None:
            dictionary, note, found = saved_dictionary(wanted.dictionary, wanted.mapping, path.resolve().parent)
            wanted = replace(wanted, dictionary=found)
        result = _import(book, path, wanted, codes, set(columns or ()), dictionary)
    finally:
        book.close()
    if note:
        result = replace(result, warnings=(*result.warnings, note))
    return _note_unused_mapping(result, codes, wanted.mapping if settings is not None else mapping)


def _note_unused_mapping(result: LabImport, codes: dict[str, str] | None, user_names) -> LabImport:
    """Say so when the user mapped a name that is nowhere in the file (a typo, another export)."""
    if not codes or not user_names or result.detection is None:
        return result
    seen = {name.strip().casefold() for name in result.detection.analytes}
    unused = [name for name, code in codes.items()
              if code and name in user_names and name.strip().casefold() not in seen]
    if not unused:
        return result
    names = ", ".join(repr(n) for n in unused)
    note = f"no test or column is called {names} in this file, so that mapping was not used"
    return replace(result, warnings=(*result.warnings, note))


# --- the stages, in order ------------------------------------------------------------------------


def _import(book: Workbook, path, wanted: LabImportSettings, codes, named: set[str],
            labels: dict[str, str]) -> LabImport:
    patient, date_order = wanted.patient, wanted.date_order
    try:
        sheet_name, rows, found = choose_sheet(book, path, wanted.sheet, codes, wanted.layout, wanted.header_row,
                                               labels=labels)
    except InputError:
        if not wanted.columns:
            raise
        # Headings Nadir does not know: the header is the row with the columns the user named.
        sheet_name, rows, found = choose_sheet(book, path, wanted.sheet, codes, wanted.layout, wanted.header_row,
                                               wanted.columns, labels)
    found = with_columns(found, wanted.columns, path)
    warnings: list[str] = []
    if sheet_name in book.hidden_sheets:
        warnings.append(f"the results were read from the hidden sheet {sheet_name!r}")
    warnings += _time_column_warnings(found, sheet_name, path, "time" in named)
    cells, others = _read_cells(rows, found, codes, labels)
    if not cells.row and not others:
        raise InputError(
            "has column headings but no results",
            path,
            "Export it again with the results included (check the date range of the export).",
        )
    warnings += _other_tests_warnings(others, found.kind)

    chosen, patients, keep = choose_patient(cells, patient, path)
    if keep is not None:
        cells = subset(cells, keep)

    obs, skipped, warn_now, detected = build(
        cells, path, sheet_name, book.date_system, date_order,
        fallback_decimal=lambda: sheet_decimal(rows, book.delimiter),
    )
    warnings += warn_now
    obs, more_skipped, more_warnings = resolve_repeats(obs, path, sheet_name)
    skipped += more_skipped
    warnings += more_warnings
    obs, derive_warnings = derive_anc(obs)
    warnings += derive_warnings
    _require_anc(obs, skipped, path, others, labels, Path(wanted.dictionary).name if wanted.dictionary else "")

    obs = obs.sort_values(["time", "analyte", "row"], kind="stable").reset_index(drop=True)
    obs = obs.loc[:, list(OBSERVATION_COLUMNS)]
    detection = _detection(sheet_name, found, detected, book.date_system, cells)
    return LabImport(
        observations=obs,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        patient=chosen,
        patients=tuple(patients),
        detection=detection,
        settings=settings_read(detection, wanted, codes, chosen, cells, found),
    )


def _read_cells(rows: list[list], found: Layout, codes, labels: dict[str, str]) -> tuple[Cells, Counter]:
    if found.kind == "long":
        return read_long(rows, found, codes, labels)
    if found.kind == "wide":
        return read_wide(rows, found)
    return read_transposed(rows, found, codes)


def _time_column_warnings(found: Layout, sheet_name: str, path, chosen: bool = False) -> list[str]:
    """Raise when no column holds the collection date; warn when the one used is not headed as
    the collection time (a result date may be a day later than the draw), unless the user
    ``chosen`` it (--lab-column time=..., the assistant): then it is the collection time."""
    if found.kind != "transposed" and "time" not in found.roles:
        raise InputError(
            "has no column with the collection date (looked for headings such as 'Collected', 'Date', "
            f"'Datum', 'Fecha' in row {found.header_row + 1}{f' of sheet {sheet_name!r}' if sheet_name else ''})",
            path,
            "Choose the date column in the import assistant.",
        )
    if found.by_content:
        return [_by_content_warning(found)]
    if chosen:
        return []
    time_header = found.headers.get(found.roles.get("time"), "")
    time_role = classify_header(time_header) if time_header else None
    if time_role == "other_time":
        return [
            f"no column names the collection time; the dates were taken from {time_header!r}, "
            "which may be later than the blood draw — check them, or choose the date column in the "
            "import assistant"
        ]
    if time_header and time_role not in ("time", "date", "clock"):
        return [f"no column is headed as the collection date; the dates in column {time_header!r} were used"]
    return []


ROLE_NAMES = {"time": "collection time", "clock": "time of day", "test": "test", "result": "result",
              "unit": "unit", "refrange": "reference range", "patient": "patient", "patient_name": "patient",
              "flag": "flag", "status": "status"}


def _by_content_warning(found: Layout) -> str:
    """Which column was taken for which role, when no heading said so."""
    taken = ", ".join(f"{ROLE_NAMES.get(role, role)} {found.headers.get(col, '')!r}"
                      for role, col in sorted(found.roles.items(), key=lambda rc: rc[1]))
    return (f"no heading of this table is one Nadir knows: its columns were chosen by what they hold "
            f"({taken}); check them, or name them with --lab-column ROLE=HEADING or in the import assistant")


def _other_tests_warnings(others: Counter, kind: str) -> list[str]:
    """Columns (wide) or rows (long, transposed) of tests Nadir does not read, in one warning."""
    if others and kind == "wide":
        shown = ", ".join(repr(name) for name in list(others)[:4]) + (", ..." if len(others) > 4 else "")
        return [
            f"{len(others)} column{'s' if len(others) != 1 else ''} of other tests or notes "
            f"{'were' if len(others) != 1 else 'was'} not read ({shown})"
        ]
    if others:
        (example, _), = others.most_common(1)
        n = sum(others.values())
        return [
            f"{n} row{'s' if n != 1 else ''} of other tests (e.g. {example}) "
            f"{'were' if n != 1 else 'was'} ignored"
        ]
    return []


def _require_anc(obs, skipped: list[SkippedRow], path, others: Counter | None = None,
                 labels: dict[str, str] | None = None, dictionary_name: str = "") -> None:
    """Without a single usable ANC there is no figure: say why (all unusable, or none at all)."""
    if (obs["analyte"] == ANC).any():
        return
    anc_skipped = [s for s in skipped if s.analyte == ANC]
    if anc_skipped:
        example = anc_skipped[0]
        raise InputError(
            f"has {len(anc_skipped)} neutrophil count{'s' if len(anc_skipped) != 1 else ''} (ANC) "
            f"but none could be used ({example.source.describe()}: {example.text!r}, {example.reason})",
            path,
        )
    listed = ""
    if others:  # the names to map, as the file spells them
        names = [name for name, _n in others.most_common(12)]
        listed = f"Tests found: {', '.join(repr(n) for n in names)}{', ...' if len(others) > 12 else ''}. "
        if labels and not any(str(n) in labels for n in others):
            given = f" ({dictionary_name})" if dictionary_name else ""
            listed += (f"The dictionary of test codes given{given} names none of them: it is not the "
                       "dictionary of this file. ")
        elif all(str(n).isdigit() for n in names):
            listed += ("They are codes: give the file that names them, such as d_labitems.csv, with "
                       "“Codes dictionary…” (in the import assistant, or --lab-dictionary FILE). ")
    raise InputError(NO_NEUTROPHILS, path, listed + MAPPING_HINT)


def _detection(sheet: str, found: Layout, detected: dict, date_system: int, cells: Cells) -> Detection:
    header = found.header_row + 1 if found.header_row is not None else None
    columns = {role: found.headers.get(col, "") for role, col in found.roles.items()}
    analytes: dict[str, str] = {}
    if found.kind == "wide":
        analytes = {name: code for name, code, _ in found.analyte_columns.values()}
    else:
        for name, code in zip(cells.name, cells.code, strict=True):
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
