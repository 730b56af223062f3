"""The numbers of the result cells, with the decimal mark each results column uses.

"1.200" is 1.2 in one export and 1200 in another. Each results column (each analyte column of
a wide sheet) decides its mark from its own texts; a column written only in thousands-shaped
texts takes the mark of the other columns, else of the whole sheet (:func:`sheet_decimal`).
Each distinct cell is parsed once.
"""

from __future__ import annotations

import re
from collections import Counter

from analysis.importing.cells import Cells
from analysis.importing.values import infer_decimal, parse_result

_THOUSANDS_SHAPED = re.compile(r"^\s*[<>]?\s*[1-9]\d{0,2}[.,]\d{3}(?!\d)")


def sheet_decimal(rows: list[list], delimiter: str) -> str | None:
    """The decimal mark of a whole sheet, for a results column whose own texts do not tell.

    Other columns often do ("4,0 - 10,0" in the reference range), and a ';'-separated file
    comes from a system that writes decimal commas (the ';' is there because ',' is taken).
    """
    texts = {v for r in rows[:2000] for v in r if isinstance(v, str) and ("," in v or "." in v) and len(v) < 40}
    decided = infer_decimal(texts)
    if decided is None and delimiter == ";":
        return ","
    return decided


def parse_results(cells: Cells, fallback_decimal=None) -> list:
    """One parsed result (:func:`~analysis.importing.values.parse_result`) per cell.

    ``fallback_decimal`` gives the decimal mark for results columns that hold only
    thousands-shaped texts; it is asked only then.
    """
    groups = cells.decimal_group if cells.decimal_group is not None else [0] * len(cells.row)
    decimal_of = _decimal_marks(cells.raw, groups, fallback_decimal)
    parsed_cache: dict = {}
    results = []
    for raw, group in zip(cells.raw, groups, strict=True):
        key = (raw, raw.__class__ is bool, decimal_of[group])
        result = parsed_cache.get(key)
        if result is None:
            result = parse_result(raw.strip() if isinstance(raw, str) else raw, decimal_of[group])
            parsed_cache[key] = result
        results.append(result)
    return results


def _decimal_marks(raws: list, groups: list, fallback_decimal) -> dict:
    """The decimal mark of each group of cells (None where nothing tells and nothing needs it)."""
    pairs = list(zip(raws, groups, strict=True))
    decimal_of = {}
    for group in set(groups):
        decimal_of[group] = infer_decimal({v for v, g in pairs if g == group and isinstance(v, str)})
    undecided = [g for g, d in decimal_of.items() if d is None]
    if undecided and fallback_decimal is not None:
        shaped = {g for v, g in pairs if isinstance(v, str) and g in undecided and _THOUSANDS_SHAPED.match(v)}
        if shaped:
            known = [d for d in decimal_of.values() if d is not None]
            mark = Counter(known).most_common(1)[0][0] if known else fallback_decimal()
            for g in shaped:
                decimal_of[g] = mark
    return decimal_of
