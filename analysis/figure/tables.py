"""The cycle table as a file: .xlsx (with the rules on a second sheet) or .csv.

A physician pastes these numbers into a manuscript or a registry, so the file says how each was
taken (the rule sentences of ``CycleRules.describe``) and holds numbers as numbers. Text that a
spreadsheet would run as a formula (a cell starting with = + - @, tab or carriage return: "CSV
injection") is neutralised with a leading apostrophe; only text is touched, so -0.5 stays a
number. By default the table gives days since the first infusion rather than calendar dates,
which identify a patient; ``dates=True`` adds them for the physician's own records.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from analysis.errors import InputError
from analysis.files import atomic_write_bytes
from analysis.model import Cycle, Draw, Stat, Summary
from analysis.numbers import LabNumbers
from analysis.treatment.medications import course_label

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
UNIT = "10^3/uL"


def neutralise(value):
    """Text that would start a formula gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def _value(d: Draw | None):
    if d is None:
        return None
    if d.censored:
        return f"{d.censored}{d.value:g}"  # "<0.1": a limit, not a measured value
    return d.value


def _course_label(c: Cycle) -> str:
    try:
        return course_label(c.course)
    except Exception:  # a label is a courtesy; never fail an export for it
        return c.course.product


def cycle_rows(cycles: list[Cycle], *, dates: bool = False) -> tuple[list[str], list[list]]:
    """Header and one row per cycle."""
    header = ["Cycle", "Start (day)"]
    if dates:
        header.append("Start (date)")
    header += [
        "Infusion",
        f"Pre-infusion ANC ({UNIT})",
        "Pre-infusion day",
        f"Post-infusion ANC ({UNIT})",
        "Post-infusion day",
        f"Nadir ANC ({UNIT})",
        "Nadir day",
        "Recovery day",
        "Infection",
        "In summary",
    ]
    origin = cycles[0].start if cycles else None
    rows = []
    for c in cycles:
        row = [c.number, (c.start.date() - origin.date()).days]
        if dates:
            row.append(c.start.strftime("%Y-%m-%d %H:%M"))
        row += [
            _course_label(c),
            _value(c.pre),
            c.pre.day if c.pre else None,
            _value(c.post),
            c.post.day if c.post else None,
            _value(c.nadir),
            c.nadir.day if c.nadir else None,
            c.recovery_day,
            "yes" if c.infection else "no",
            "yes" if c.included else "no",
        ]
        rows.append(row)
    return header, rows


def summary_rows(summary: Summary, header: list[str]) -> list[list]:
    """Median, minimum, maximum and n under the pre, post and nadir columns; then the test."""
    cols = {
        "pre": header.index(f"Pre-infusion ANC ({UNIT})"),
        "post": header.index(f"Post-infusion ANC ({UNIT})"),
        "nadir": header.index(f"Nadir ANC ({UNIT})"),
    }
    stats: dict[str, Stat] = {"pre": summary.pre, "post": summary.post, "nadir": summary.nadir}
    rows = []
    for name, attr in (("Median", "median"), ("Minimum", "min"), ("Maximum", "max"), ("n", "n")):
        row: list = [None] * len(header)
        row[0] = name
        for key, col in cols.items():
            row[col] = getattr(stats[key], attr)
        rows.append(row)
    w = summary.wilcoxon
    row = [None] * len(header)
    row[0] = "Wilcoxon signed-rank p (pre vs post)"
    row[cols["pre"]] = w.p if w is not None else None
    if w is not None and w.p is None and w.note:
        row[cols["post"]] = w.note
    elif w is not None and w.method:
        row[cols["post"]] = f"{w.method}, n = {w.n}"
    rows.append(row)
    return rows


def export_cycles(cycles: list[Cycle], summary: Summary, rules, path, *, dates: bool = False,
                  notes: tuple[str, ...] | list[str] = (), decimals: int | None = None) -> Path:
    """Write the cycle table to ``path`` (.xlsx or .csv, from the suffix) and return the path.

    ``notes`` (such as Case.exclusion_notes()) follow the rules, so that a table never hides a
    value the user left out.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    header, rows = cycle_rows(list(cycles), dates=dates)
    extra = summary_rows(summary, header)
    sentences = list(rules.describe()) if rules is not None else []
    sentences += [f"Note: {n}" for n in notes]
    decimals = decimals if decimals is not None else _decimals(cycles)
    digits = _digits(header, rows, extra, LabNumbers(decimals))
    if suffix == ".xlsx":
        data = _xlsx(header, rows, extra, sentences, digits)
    elif suffix == ".csv":
        data = _csv(header, rows, extra, sentences, digits)
    else:
        raise InputError(f"cannot write a table as {suffix or 'a file without extension'!r}", path,
                         "Choose .xlsx or .csv.")
    atomic_write_bytes(path, data, "table")
    return path


def _decimals(cycles) -> int:
    """The lab's decimals from the cycles' own draws (when the caller does not say)."""
    from analysis.numbers import lab_decimals

    return lab_decimals([d.value for c in cycles for d in c.draws])


def _digits(header, rows, extra, numbers: LabNumbers) -> dict[tuple[int, int], int]:
    """(row, column) -> decimals for every ANC value cell: the lab's decimals, medians one more
    where they fall between two reported steps (analysis.numbers); the same as the figure."""
    cols = [i for i, h in enumerate(header) if h.endswith(f"ANC ({UNIT})")]
    out = {}
    for r, row in enumerate([*rows, [], *extra]):
        median = bool(row) and row[0] == "Median"
        for c in cols:
            if c < len(row) and isinstance(row[c], float):
                text = numbers.median(row[c]) if median else numbers.value(row[c])
                out[(r, c)] = len(text.partition(".")[2])
    return out


def _csv(header, rows, extra, sentences, digits) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for r, row in enumerate(rows + [[]] + extra):
        # A number is written at its decimals after neutralising: -0.5 is a number, not a formula.
        writer.writerow([f"{v:.{digits[(r, c)]}f}" if (r, c) in digits else "" if v is None else neutralise(v)
                         for c, v in enumerate(row)])
    writer.writerow([])
    writer.writerow(["Rules"])
    for i, sentence in enumerate(sentences, start=1):
        writer.writerow([i, neutralise(sentence)])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _xlsx(header, rows, extra, sentences, digits) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Cycles"
    bold = Font(bold=True)
    _append(ws, header)
    for cell in ws[1]:
        cell.font = bold
    for row in rows:
        _append(ws, row)
    ws.append([])
    for row in extra:
        _append(ws, row)
        ws.cell(ws.max_row, 1).font = bold
    for (r, c), d in digits.items():  # numbers stay numbers, shown at the lab's decimals
        ws.cell(r + 2, c + 1).number_format = "0." + "0" * d if d else "0"
    ws.freeze_panes = "B2"
    for i, h in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, min(len(h) + 2, 28))
    ws.column_dimensions["A"].width = 36
    rules_ws = wb.create_sheet("Rules")
    _append(rules_ws, ["Rule", "Definition"])
    for cell in rules_ws[1]:
        cell.font = bold
    for i, sentence in enumerate(sentences, start=1):
        _append(rules_ws, [i, sentence])
    _append(rules_ws, [])
    _append(rules_ws, ["Unit", f"ANC in {UNIT} (= 10^9/L)"])
    rules_ws.column_dimensions["B"].width = 110
    props = wb.properties
    props.creator = "Nadir"
    props.lastModifiedBy = "Nadir"
    props.title = "Nadir cycle table"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _append(ws, row):
    """Append a row with text forced to text: openpyxl would store "=..." as a formula."""
    ws.append([neutralise(v) for v in row])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


__all__ = ["cycle_rows", "export_cycles", "neutralise", "summary_rows"]
