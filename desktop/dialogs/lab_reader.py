"""One read of a lab export for the import assistant: the import itself, or why it stopped, plus
what the assistant needs to show the file (sheet names, the first rows, where the header and the
columns are, every test name in the file).

Runs in a worker thread, so nothing here touches a widget. The import is
:func:`analysis.importing.observations.import_labs` unchanged; the layout is found again with
:func:`analysis.importing.layout.detect` only to paint the preview and list test names, also when the
import failed (a file with no recognised neutrophil column is exactly when the user needs to
see the columns and map one by hand).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError
from analysis.model import LabImport

PREVIEW_ROWS = 200
MAX_NAMES = 150  # a long export of every test a hospital runs: list the first ones
SCAN_ROWS = 5000  # rows searched for test names; recognised names come from the import itself


@dataclass
class LabRead:
    """What the assistant shows after one read."""

    path: Path
    options: dict
    sheets: list[str]
    sheet: str
    rows: list[list]  # the first PREVIEW_ROWS rows of ``sheet``, raw
    lab: LabImport | None = None
    error: InputError | None = None  # ChoiceRequired included
    header_index: int | None = None  # 0-based row of the column headings (or the dates)
    tints: dict[int, str] = field(default_factory=dict)  # column -> "time", "test", "result", "unit"
    layout: str | None = None
    names: list[tuple[str, str | None]] = field(default_factory=list)  # (name in file, analyte code)
    code_names: dict[str, str] = field(default_factory=dict)  # test code -> its name in the dictionary


def import_options(options: dict) -> dict:
    """Only the overrides the user set, as import_labs keywords (``dictionary``: the file that
    names the test codes)."""
    keys = ("sheet", "patient", "mapping", "date_order", "layout", "header_row")
    chosen = {k: options[k] for k in keys if options.get(k) is not None and options.get(k) != {}}
    if options.get("dictionary"):
        chosen["dictionary_file"] = options["dictionary"]
    return chosen


def read_labs(path: str | Path, options: dict) -> LabRead:
    """Import with the user's overrides; InputError from opening the file propagates."""
    from analysis.importing.observations import import_labs
    from analysis.importing.workbook import open_workbook

    path = Path(path)
    book = open_workbook(path)
    try:
        sheets = list(book.sheet_names)
        lab, error = None, None
        try:
            lab = import_labs(path, **import_options(options))
        except InputError as exc:
            error = exc
        if options.get("sheet") is not None and options["sheet"] in sheets:
            sheet = options["sheet"]
        elif lab is not None and lab.detection is not None:
            sheet = lab.detection.sheet
        else:
            sheet = _likely_sheet(book, sheets)
        # Enough rows for the preview, the layout and the test names, without reading a
        # 100k-row export a second time (import_labs has already read it once).
        all_rows = book.head(sheet, SCAN_ROWS)
    finally:
        book.close()
    read = LabRead(path=path, options=dict(options), sheets=sheets, sheet=sheet, rows=all_rows[:PREVIEW_ROWS],
                   lab=lab, error=error, code_names=_code_names(options))
    _describe_layout(read, all_rows, options)
    return read


def _code_names(options: dict) -> dict[str, str]:
    """The dictionary's name of each code, for the list of tests; a file that is no dictionary
    is already the read's error."""
    from analysis.importing.code_dictionary import read_code_dictionary

    if not options.get("dictionary"):
        return {}
    try:
        return read_code_dictionary(options["dictionary"])
    except InputError:
        return {}


def _likely_sheet(book, sheets: list[str]) -> str:
    if len(sheets) == 1:
        return sheets[0]
    from analysis.importing.layout import sheet_score

    scores = {name: sheet_score(book.head(name)) for name in sheets}
    return max(sheets, key=lambda s: scores[s])  # max keeps the first of equals


def _codes(options: dict) -> dict[str, str] | None:
    from analysis.importing.analytes import resolve_mapping

    try:
        return resolve_mapping(options["mapping"]) if options.get("mapping") else None
    except InputError:
        return None


def _describe_layout(read: LabRead, rows: list[list], options: dict) -> None:
    from analysis.importing.content_layout import detect_by_content
    from analysis.importing.layout import detect

    codes = _codes(options)
    header_row = options.get("header_row")
    det = read.lab.detection if read.lab is not None else None
    if det is not None:
        header_row = det.header_row if det.header_row is not None else header_row
    layout = options.get("layout") or (det.layout if det else None)
    try:
        found = detect(rows, layout=layout, header_row=header_row, mapping=codes)
        if found is None and layout in (None, "long"):
            # Headings Nadir does not know (a research extract's itemid, valuenum): the columns
            # by what they hold, as the import itself falls back to.
            found = detect_by_content(rows, codes, header_row, read.code_names)
    except (ValueError, IndexError):
        found = None
    if found is None:
        return
    read.layout = found.kind
    read.header_index = found.date_row if found.kind == "transposed" else found.header_row
    read.tints, names = _tints_and_names(found, rows[found.first_row:])
    if det is not None:  # every recognised name, also those beyond the rows scanned
        names += [n for n in det.analytes if n not in names]
    read.names = _names_read_as(names, found, det, options, codes)


def _tints_and_names(found, below: list[list]) -> tuple[dict[int, str], list[str]]:
    """The preview's tint of each column read (time, test, result, unit), and the test names."""
    from analysis.importing.cell_kinds import cell_text

    tints: dict[int, str] = {}
    names: list[str] = []
    if found.kind == "transposed":
        if found.name_col is not None:
            tints[found.name_col] = "test"
            names = _distinct(cell_text(r[found.name_col]) for r in below if found.name_col < len(r))
        if found.unit_col is not None:
            tints[found.unit_col] = "unit"
        for col in found.draw_columns:
            tints[col] = "result"
        return tints, names
    for role, col in found.roles.items():
        key = {"time": "time", "date": "time", "clock": "time", "test": "test", "result": "result",
               "unit": "unit"}.get(role)
        if key:
            tints[col] = key
    if found.kind == "wide":
        for col in found.analyte_columns:
            tints[col] = "result"
        taken = set(found.roles.values())
        names = [text for col, text in sorted(found.headers.items()) if col not in taken]
    elif "test" in found.roles:
        col = found.roles["test"]
        names = _distinct(cell_text(r[col]) for r in below if col < len(r))
    return tints, names


def _names_read_as(names: list[str], found, det, options: dict, codes) -> list[tuple[str, str | None]]:
    """(name, analyte code or None) for the mapping table: the user's choice, else the import's."""
    from analysis.importing.cell_kinds import lookup_analyte

    known = dict(det.analytes) if det is not None else {}
    wide_codes = {name: code for name, code, _unit in found.analyte_columns.values()}
    user = options.get("mapping") or {}
    listed = []
    for name in names[:MAX_NAMES]:
        if name in user:
            code = (codes or {}).get(name) or None
        elif name in known:
            code = known[name] or None
        elif name in wide_codes:
            code = wide_codes[name]
        else:
            code = lookup_analyte(name, None, codes)
        listed.append((name, code))
    return listed


def _distinct(texts) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t))
