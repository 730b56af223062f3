"""Parse the candidate cells of a sheet into a first observations frame.

Results, units and collection times are parsed here, whatever the layout they came from:
each distinct value once (exports repeat the same strings constantly). A cell that gives no
usable result becomes a :class:`~analysis.model.SkippedRow` with the reason in words.

Decisions:
- The unit of a result is the unit column, else a unit glued to the number, else a unit in the
  test's name ("ANC (x10^9/L)"), else a guess from the size of the values, with a warning.
- A value whose size contradicts its unit (ANC 1200 labelled K/uL) is kept as exported and
  named in a warning: Nadir does not guess a factor of 1000 silently either way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.importing import dates
from analysis.importing.analytes import split_header_unit
from analysis.importing.cell_kinds import cell_text
from analysis.importing.cells import Cells, column_letter, is_blank, rows_phrase
from analysis.importing.collection_times import parse_times
from analysis.importing.decimals import parse_results
from analysis.importing.status import status_kinds
from analysis.importing.units import FRACTION, check_magnitude, guess_unit, parse_unit, to_canonical
from analysis.model import BAND_PCT, CANONICAL_UNIT, DISPLAY_NAME, NEUT_PCT, SkippedRow, Source

MAX_VALUE = 1e9  # in canonical units; no blood count or hemoglobin comes near it


def build(cells: Cells, path, sheet: str, date_system: int, date_order, fallback_decimal=None):
    """The first observations frame, skipped rows, warnings and what was detected (date order,
    units) for the candidate cells of a sheet.

    The frame carries two helper columns for :mod:`.repeats`: ``_status`` and ``_index``.
    ``fallback_decimal`` gives the decimal mark for results columns that hold only
    thousands-shaped texts ("1.200" is 1.2 or 1200); it is asked only then.
    """
    file = Path(path).name
    skipped: list[SkippedRow] = []

    def source(i: int) -> Source:
        return Source(file, sheet, cells.row[i], column_letter(cells.col[i]))

    results = parse_results(cells, fallback_decimal)
    times, order, warnings = parse_times(cells, path, date_system, date_order)
    statuses = status_kinds(cells)
    unit_texts = _unit_texts(cells, results)
    understood = {u: parse_unit(u) is not None for u in set(unit_texts)}
    ok = _readable(cells, results, statuses, times, source, skipped)
    guessed, unit_warnings = _guess_units(cells, results, unit_texts, understood, ok)
    warnings += unit_warnings
    accepted, factors = _canonical_factors(cells, results, unit_texts, guessed, ok, source, skipped)
    values = np.round(np.array([results[i].value for i in accepted], dtype=float) * np.array(factors, dtype=float), 9)
    warnings += _percent_cells_holding_fractions(cells, accepted, values, factors)
    warnings += _magnitude_warnings(cells, accepted, values, unit_texts)
    warnings += _filled_time_warnings(cells, accepted)
    obs = _frame(cells, accepted, results, times, values, unit_texts, file, sheet)
    obs["_status"] = pd.Series([statuses[i] for i in accepted], dtype=object)
    obs["_index"] = pd.Series(accepted, dtype="int64")
    units_seen: dict[str, str] = {}
    for i in accepted:
        units_seen.setdefault(cells.code[i], unit_texts[i])
    return obs, skipped, warnings, {"order": order, "units": {k: v for k, v in units_seen.items() if v}}


def _unit_texts(cells: Cells, results: list) -> list[str]:
    """The unit text of every cell: the unit column, else a unit glued to the number, else a
    unit in the test's name ("ANC (x10^9/L)" in a long export); "" when none says."""
    unit_texts = [u.strip() if isinstance(u, str) else "" for u in cells.unit]
    name_unit: dict[str, str] = {}
    for i in range(len(cells.row)):
        if not unit_texts[i] and results[i].unit_text:
            unit_texts[i] = results[i].unit_text
        if not unit_texts[i]:
            name = cells.name[i]
            if name not in name_unit:
                name_unit[name] = split_header_unit(name)[1] or ""
            unit_texts[i] = name_unit[name]
    return unit_texts


def _readable(cells: Cells, results: list, statuses: list, times: list, source, skipped: list) -> list[int]:
    """The cells with a number and a collection time that the lab did not take back; the
    others go to ``skipped`` with the reason."""
    ok = []
    for i, result in enumerate(results):
        if statuses[i] == "cancelled":
            reason = "cancelled or withdrawn by the lab"
            if cells.status is not None and cell_text(cells.status[i]):
                reason += f" (status {cell_text(cells.status[i])!r})"
            skipped.append(SkippedRow(source(i), result.text, reason, cells.code[i]))
        elif result.value is None:
            skipped.append(SkippedRow(source(i), result.text, result.reason or "no number", cells.code[i]))
        elif times[i][0] is None:
            shown = cells.when[i]
            shown = shown if isinstance(shown, str) else str(shown) if not is_blank(shown) else ""
            reason = dates.unreadable_reason(shown) if shown else "no collection date"
            skipped.append(SkippedRow(source(i), result.text, reason, cells.code[i]))
        else:
            ok.append(i)
    return ok


def _guess_units(cells: Cells, results: list, unit_texts: list, understood: dict, ok: list[int]):
    """A unit per analyte for the results without one Nadir understands, from the size of the
    values, and the warnings that say what was read."""
    missing_by_code: dict[str, list[float]] = defaultdict(list)
    for i in ok:
        if not understood[unit_texts[i]]:
            missing_by_code[cells.code[i]].append(results[i].value)
    unknown_units = Counter(
        (cells.code[i], unit_texts[i]) for i in ok if unit_texts[i] and not understood[unit_texts[i]]
    )
    guessed: dict[str, object] = {code: guess_unit(code, values) for code, values in missing_by_code.items()}
    neut, band = guessed.get(NEUT_PCT), guessed.get(BAND_PCT)
    both = neut is not None and band is not None
    if both and neut.kind == FRACTION and band.kind != FRACTION and max(missing_by_code[BAND_PCT]) <= 1.0:
        guessed[BAND_PCT] = neut  # bands in the same file are fractions too
    return guessed, _guess_warnings(guessed, missing_by_code, unknown_units)


def _guess_warnings(guessed: dict, missing_by_code: dict, unknown_units: Counter) -> list[str]:
    warnings = []
    no_unit, fractions = [], []
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
    return warnings


def _canonical_factors(cells: Cells, results, unit_texts, guessed, ok, source, skipped: list):
    """The cells whose unit converts to the canonical one, with their factors; the others
    (a unit that does not fit the analyte, an absurdly large value) go to ``skipped``."""
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
            why = "the number is far too large to be a result"
            skipped.append(SkippedRow(source(i), results[i].text, why, code))
            continue
        if results[i].value * factor < 0:  # no count, percentage or concentration is below zero
            skipped.append(SkippedRow(source(i), results[i].text, "a negative number is not a possible result", code))
            continue
        accepted.append(i)
        factors.append(factor)
    return accepted, factors


def _magnitude_warnings(cells: Cells, accepted: list[int], values: np.ndarray, unit_texts: list) -> list[str]:
    """Values whose size contradicts their unit, by message, with the rows they are on."""
    magnitude: dict[str, list[int]] = defaultdict(list)
    checked: dict = {}
    for j, i in enumerate(accepted):
        key = (cells.code[i], float(values[j]), unit_texts[i])
        if key not in checked:
            checked[key] = check_magnitude(key[0], key[1], key[2] or None)
        if checked[key]:
            magnitude[checked[key]].append(cells.row[i])
    return [
        f"{rows_phrase(where)}: {message}; kept as exported — check the unit" for message, where in magnitude.items()
    ]


def _filled_time_warnings(cells: Cells, accepted: list[int]) -> list[str]:
    filled = sum(1 for i in accepted if cells.filled_time and cells.filled_time[i])
    if not filled:
        return []
    return [
        f"{filled} result{'s' if filled != 1 else ''} had no collection time of {'their' if filled != 1 else 'its'} "
        "own and took the time of the row above"
    ]


def _frame(cells: Cells, accepted, results, times, values, unit_texts, file: str, sheet: str) -> pd.DataFrame:
    codes = [cells.code[i] for i in accepted]
    letters = {c: column_letter(c) for c in set(cells.col)}
    flags = []
    for i in accepted:
        flag = cell_text(cells.flag[i]) if cells.flag is not None else ""
        flags.append(flag or results[i].flag or None)
    return pd.DataFrame(
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


def _percent_cells_holding_fractions(cells: Cells, accepted: list[int], values: np.ndarray, factors: list) -> list[str]:
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
