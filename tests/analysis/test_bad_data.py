"""Bad data is data: impossible dates and numbers are skipped rows with a reason, long fields are
read or refused plainly, a figure too large to draw says the largest size possible."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from analysis.errors import InputError
from analysis.importing.observations import import_labs

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests" / "data" / "ivig-mmn"


def csv_labs(tmp_path, rows, name="labs.csv") -> Path:
    path = tmp_path / name
    path.write_text("Date,Test,Result,Units\n" + "".join(f"{d},ANC,{v},10^3/uL\n" for d, v in rows))
    return path


def reasons(labs) -> dict[str, str]:
    return {s.text: s.reason for s in labs.skipped}


def test_text_dates_outside_1900_to_2200_are_skipped_with_the_reason(tmp_path):
    rows = [("0001-01-01", "1.1"), ("1677-06-01", "1.2"), ("2022-09-06", "1.3"), ("2263-01-01", "1.4"),
            ("3023-01-01", "1.5"), ("9999-12-31", "1.6"), ("2022-09-07", "1.7")]
    labs = import_labs(csv_labs(tmp_path, rows))
    assert sorted(labs.observations["value"]) == [1.3, 1.7]
    why = reasons(labs)
    assert why["1.1"] == "the collection date '0001-01-01' is outside 1900-2200"
    assert why["1.6"] == "the collection date '9999-12-31' is outside 1900-2200"
    assert set(why) == {"1.1", "1.2", "1.4", "1.5", "1.6"}


def test_date_cells_outside_the_range_are_skipped(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Collected", "Component", "Result", "Units"])
    for when, value in ((datetime(9999, 12, 31), 1.1), (datetime(2022, 9, 6), 1.2), (datetime(2500, 1, 1), 1.3),
                        (datetime(2022, 9, 7), 1.4)):
        ws.append([when, "ANC", value, "10^3/uL"])
    wb.save(tmp_path / "labs.xlsx")
    labs = import_labs(tmp_path / "labs.xlsx")
    assert sorted(labs.observations["value"]) == [1.2, 1.4]
    assert all("outside 1900-2200" in s.reason for s in labs.skipped)


def test_impossible_numbers_are_skipped_with_the_reason(tmp_path):
    rows = [("2022-09-06", "1.2"), ("2022-09-07", "-2"), ("2022-09-08", "1e300"), ("2022-09-09", "inf"),
            ("2022-09-10", "1.4")]
    labs = import_labs(csv_labs(tmp_path, rows))
    assert sorted(labs.observations["value"]) == [1.2, 1.4]
    why = reasons(labs)
    assert why["-2"] == "a negative number is not a possible result"
    assert why["1e300"] == "the number is far too large to be a result"
    assert "inf" in why


def test_a_field_longer_than_pythons_csv_default_is_read(tmp_path):
    long_note = "x" * 200_000  # Python's csv module stops at 131,072 by default
    path = tmp_path / "labs.csv"
    path.write_text(f"Date,Test,Result,Units,Comment\n2022-09-06,ANC,1.2,10^3/uL,{long_note}\n"
                    "2022-09-07,ANC,1.3,10^3/uL,\n")
    assert len(import_labs(path).observations) == 2


def test_a_field_beyond_the_limit_is_refused_plainly(tmp_path):
    path = tmp_path / "labs.csv"
    path.write_text('Date,Test,Result,Units\n2022-09-06,ANC,1.2,"' + "x" * 1_100_000 + "\n")
    with pytest.raises(InputError, match=r"labs\.csv: has a cell longer than 1,000,000 characters"):
        import_labs(path)


def run_nadir(*args):
    return subprocess.run([sys.executable, "-m", "desktop.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def render_args(tmp_path, *extra):
    return ("render", CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx", "--from", "2022-09-06",
            "--to", "2022-12-27", "-o", tmp_path / "figure.png", *extra)


def test_a_figure_with_too_many_pixels_says_the_largest_possible(tmp_path):
    proc = run_nadir(*render_args(tmp_path, "--width-mm", "500", "--height-mm", "500", "--dpi", "2400"))
    assert proc.returncode == 2, proc.stderr
    assert "47,244 x 47,244 pixels" in proc.stderr
    assert "at this size up to 507 dpi, or at 2400 dpi up to 105 x 105 mm" in proc.stderr
    assert not (tmp_path / "figure.png").exists()


def test_panel_b_with_a_superscript_digit_is_a_plain_message(tmp_path):
    proc = run_nadir(*render_args(tmp_path, "--panel-b", "cycle:²"))
    assert proc.returncode == 2
    assert "--panel-b 'cycle:²' is not understood" in proc.stderr and "internal error" not in proc.stderr


def test_thousands_of_events_are_drawn_as_a_few_with_a_note():
    from datetime import timedelta

    from analysis.case import load_case
    from analysis.figure.marks import MAX_EVENTS_DRAWN
    from analysis.figure.spec import FigureSettings, build_figure
    from analysis.model import Event

    case = load_case(CASE / "labs.xlsx", CASE / "infusions.xlsx")
    start = case.cycles[0].start
    many = tuple(Event("fever", f"visit {i}", start + timedelta(hours=3 * i)) for i in range(20_000))
    spec = build_figure(case.with_events(many) if hasattr(case, "with_events") else
                        __import__("dataclasses").replace(case, events=many), FigureSettings())
    assert len(spec.panels[0].events) == MAX_EVENTS_DRAWN
    assert any("first 60 of the" in note for note in spec.notes)
