"""A long table with runs of empty rows: the same results at the same rows as without them.

The long reader cuts each run of empty rows to one (a stray value far below the results leaves
a million of them); these tests hold it to what the rows themselves say."""

from __future__ import annotations

from datetime import datetime, timedelta

import openpyxl

from analysis.importing.observations import import_labs


def _write(path, gaps: dict[int, int], stray_row: int | None = None) -> None:
    """A long export of 12 draws (ANC and WBC, the time only on each draw's first row), with
    ``gaps[k]`` empty rows after draw k."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Collected", "Test", "Result", "Units"])
    start = datetime(2022, 1, 3, 9, 0)
    for k in range(12):
        ws.append([start + timedelta(days=7 * k), "ANC", 1.0 + k / 10, "10^9/L"])
        ws.append([None, "WBC", 4.0 + k / 10, "10^9/L"])  # takes the time of the row above
        for _ in range(gaps.get(k, 0)):
            ws.append([None, None, None, None])
    if stray_row:
        ws.cell(row=stray_row, column=1, value="x")
    wb.save(path)


def _anc(path):
    series = import_labs(path).series()
    return list(zip(series["time"], series["value"], strict=True)), list(series["row"])


def test_runs_of_empty_rows_keep_values_and_row_numbers(tmp_path):
    plain, spaced = tmp_path / "plain.xlsx", tmp_path / "spaced.xlsx"
    _write(plain, {})
    _write(spaced, {2: 1, 5: 3, 8: 40}, stray_row=60_000)
    values, rows = _anc(plain)
    spaced_values, spaced_rows = _anc(spaced)
    assert spaced_values == values
    # the rows are the spreadsheet's own: after draw 2 one empty row, after 5 three more, after 8 forty
    shift = [0] * 3 + [1] * 3 + [4] * 3 + [44] * 3
    assert spaced_rows == [r + s for r, s in zip(rows, shift, strict=True)]


def test_an_empty_row_still_ends_a_group_sharing_a_time(tmp_path):
    """The WBC row takes its draw's time; after an empty row a result without a time is not
    given the time of a draw above the gap."""
    path = tmp_path / "gap.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Collected", "Test", "Result", "Units"])
    ws.append([datetime(2022, 1, 3, 9, 0), "ANC", 1.2, "10^9/L"])
    for _ in range(5):
        ws.append([None, None, None, None])
    ws.append([None, "ANC", 0.4, "10^9/L"])  # no time of its own, after the gap
    ws.append([datetime(2022, 1, 10, 9, 0), "ANC", 0.8, "10^9/L"])
    wb.save(path)
    values, rows = _anc(path)
    assert [v for _, v in values] == [1.2, 0.8]
    assert rows == [2, 9]
