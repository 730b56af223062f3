"""Which sheet of a workbook holds the lab results, and where on it they are."""

from __future__ import annotations

from analysis.errors import InputError
from analysis.importing.content_layout import detect_by_content
from analysis.importing.layout import Layout, detect, sheet_score
from analysis.importing.workbook import Workbook


def choose_sheet(book: Workbook, path, sheet, codes, layout, header_row,
                 columns: dict[str, str] | None = None,
                 labels: dict[str, str] | None = None) -> tuple[str, list, Layout]:
    """The sheet's name, its rows and the layout found on it.

    ``sheet`` given: that sheet. Otherwise the sheets are tried from the best-scoring one
    (:func:`~analysis.importing.layout.sheet_score`) until one has a row of column headings;
    when none has headings Nadir knows, until one holds a table whose cells tell its columns
    (:mod:`~analysis.importing.content_layout`). Raises InputError saying what is missing.
    """
    candidates = _candidates(book, path, sheet, codes)
    found = None
    for name in candidates:  # the best-scoring sheet first; another one if it has no header
        rows = book.rows(name)
        found = detect(rows, layout=layout, header_row=header_row, mapping=codes, columns=columns)
        if found is not None:
            return name, rows, found
    if layout in (None, "long"):  # no heading Nadir knows: the cells say which column is which
        for name in candidates:
            rows = book.rows(name)
            found = detect_by_content(rows, codes, header_row, labels)
            if found is not None:
                return name, rows, found
    name = candidates[0]
    raise _no_layout(book.rows(name), name, path, header_row, columns)


def _candidates(book: Workbook, path, sheet, codes) -> list[str]:
    if sheet is not None:
        if sheet not in book.sheet_names:
            names = ", ".join(repr(s) for s in book.sheet_names)
            raise InputError(f"has no sheet named {sheet!r}", path, f"Its sheets are {names}.")
        return [sheet]
    if len(book.sheet_names) == 1:
        return book.sheet_names
    scores = {name: sheet_score(book.head(name), codes) for name in book.sheet_names}
    # stable: on equal scores a visible sheet wins over a hidden one, then the first sheet
    return sorted(book.sheet_names, key=lambda s: (-scores[s], s in book.hidden_sheets))


def _headings_found(rows: list) -> str:
    for row in rows[:40]:
        texts = [str(v).strip() for v in row if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            return f"Columns found: {', '.join(repr(t) for t in texts[:12])}. "
    return ""


def _no_layout(rows: list, name: str, path, header_row, columns=None) -> InputError:
    """The error for a sheet on which no layout was found: empty, a wrong header row, or no
    row of column headings at all."""
    where = f"sheet {name!r}" if name else "the file"
    if not any(any(v not in ("", None) for v in r) for r in rows):
        return InputError(f"has no data ({where} is empty)", path, "Export it again with the results included.")
    if header_row is not None:
        return InputError(
            f"row {header_row} of {where} does not look like column headings of lab results",
            path,
            "Choose the row that names the columns (such as Date, Test, Result).",
        )
    if columns:
        listed = ", ".join(f"{r}={h!r}" for r, h in columns.items())
        return InputError(f"has no header row with the columns {listed} on {where}", path,
                          _headings_found(rows) + "Check the headings as the file spells them.")
    return InputError(
        f"has no recognisable lab results {'on' if name else 'in'} {where}: no row of column headings such as "
        "'Date', 'Test', 'Result' or 'ANC' was found",
        path,
        _headings_found(rows) + "Choose the sheet, the header row and the columns in the import assistant, or "
        "name them with --lab-column ROLE=HEADING (roles: test, result, unit, time, clock, patient).",
    )
