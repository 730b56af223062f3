"""The cycle table export (analysis.figure.tables): values, summary, rules, and formula injection."""

from __future__ import annotations

import csv
import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.figure.tables import export_cycles, neutralise
from analysis.model import Administration, Course, Cycle, Draw, Stat, Summary, Wilcoxon
from analysis.rules.cycles import CycleRules
from analysis.treatment.medications import course_label

DATA = Path(__file__).resolve().parents[1] / "data"




def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_xlsx_has_cycles_summary_and_rules(case, tmp_path):
    from openpyxl import load_workbook

    path = export_cycles(case.cycles, case.summary, case.rules, tmp_path / "cycles.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Cycles", "Rules"]
    rows = list(wb["Cycles"].iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "Cycle" and "Pre-infusion ANC (10^3/uL)" in header
    pre = header.index("Pre-infusion ANC (10^3/uL)")
    post = header.index("Post-infusion ANC (10^3/uL)")
    nadir = header.index("Nadir ANC (10^3/uL)")
    body = rows[1:7]
    assert [r[0] for r in body] == [1, 2, 3, 4, 5, 6]
    assert [r[pre] for r in body] == [0.8, 1.1, 1.2, 1.6, 0.7, 1.1]
    assert [r[post] for r in body] == [0.4, 0.4, 2.4, 0.8, 0.4, 0.5]
    assert body[0][nadir] == 0.3 and body[0][header.index("Nadir day")] == 8
    assert body[0][header.index("Recovery day")] == 15
    assert body[2][header.index("Infection")] == "yes" and body[2][header.index("In summary")] == "no"
    assert all(isinstance(r[pre], float) for r in body)  # numbers, not text
    # the dose as the figure labels it, not only the product's name
    infusion = [r[header.index("Infusion")] for r in body]
    assert infusion == [course_label(c.course) for c in case.cycles[:6]]
    assert all("g/kg" in label or " g" in label for label in infusion), infusion
    summary = {r[0]: r for r in rows[7:] if r[0]}
    assert summary["Median"][pre] == 1.1 and summary["Minimum"][pre] == 0.7
    assert summary["Maximum"][pre] == 1.6 and summary["n"][pre] == 5
    assert summary["Median"][post] == 0.4 and summary["Maximum"][post] == 0.8
    p_row = next(r for k, r in summary.items() if k.startswith("Wilcoxon"))
    assert p_row[pre] == pytest.approx(case.summary.wilcoxon.p)
    rules = [r[1] for r in wb["Rules"].iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert rules == list(CycleRules().describe())


def test_csv_has_the_same_numbers(case, tmp_path):
    path = export_cycles(case.cycles, case.summary, case.rules, tmp_path / "cycles.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = _read_csv(path)
    header = rows[0]
    pre = header.index("Pre-infusion ANC (10^3/uL)")
    assert [r[pre] for r in rows[1:7]] == ["0.8", "1.1", "1.2", "1.6", "0.7", "1.1"]
    assert any(r and r[0] == "Median" and r[pre] == "1.1" for r in rows)
    assert any(r and r[0] == "Rules" for r in rows)
    assert sum(1 for r in rows if r and r[0].isdigit() and len(r) == 2) == len(CycleRules().describe())


def test_no_dates_unless_asked(case, tmp_path):
    plain = export_cycles(case.cycles, case.summary, case.rules, tmp_path / "a.csv")
    assert "2022" not in plain.read_text(encoding="utf-8-sig")
    dated = export_cycles(case.cycles, case.summary, case.rules, tmp_path / "b.csv", dates=True)
    rows = _read_csv(dated)
    assert rows[0][2] == "Start (date)" and rows[1][2] == "2022-09-06 09:30"
    for path in (plain, dated):
        text = path.read_text(encoding="utf-8-sig")
        assert "E0000001" not in text and "TEST" not in text


def test_neutralise():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'):
        assert neutralise(bad) == "'" + bad
    for ok in ("IVIG 1 g/kg", "", "0.4", -0.5, 3, None, 1.5):
        assert neutralise(ok) == ok


def _cycle(label: str, pre: float) -> Cycle:
    adm = Administration(datetime(2024, 1, 1, 9), label)
    course = Course(1, (adm,))
    return Cycle(number=1, course=course, start=adm.time, end=datetime(2024, 1, 22, 9),
                 pre=Draw(datetime(2024, 1, 1, 8), pre, 0), post=None)


def _summary() -> Summary:
    s = Stat(-0.5, -0.5, -0.5, 1)
    return Summary(s, Stat(None, None, None, 0), s, Wilcoxon(None, None, 1, note="=too few cycles"))


class _Rules:
    def describe(self):
        return ("=cmd|' /C calc'!A0", "Normal sentence.")


def test_formula_text_is_neutralised_and_numbers_stay_numbers(tmp_path):
    from openpyxl import load_workbook

    cycles = [_cycle('=HYPERLINK("http://evil","x")', -0.5)]
    xlsx = export_cycles(cycles, _summary(), _Rules(), tmp_path / "t.xlsx")
    wb = load_workbook(xlsx)
    cells = [c for row in wb["Cycles"].iter_rows() for c in row] + \
            [c for row in wb["Rules"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in texts
    assert "'=cmd|' /C calc'!A0" in texts
    assert -0.5 in [c.value for c in cells]  # a negative number is a number

    rows = _read_csv(export_cycles(cycles, _summary(), _Rules(), tmp_path / "t.csv"))
    flat = [v for r in rows for v in r]
    assert not any(v.startswith(("=", "+", "@")) for v in flat)
    assert "-0.5" in flat and "'=too few cycles" in flat


def test_censored_values_keep_their_sign(tmp_path):
    c = _cycle("IVIG", 0.1)
    c = dataclasses.replace(c, pre=dataclasses.replace(c.pre, censored="<"))
    rows = _read_csv(export_cycles([c], _summary(), _Rules(), tmp_path / "c.csv"))
    assert "<0.1" in rows[1]


def test_unknown_suffix_and_missing_folder(case, tmp_path):
    with pytest.raises(InputError):
        export_cycles(case.cycles, case.summary, case.rules, tmp_path / "t.ods")
    with pytest.raises(InputError):
        export_cycles(case.cycles, case.summary, case.rules, tmp_path / "missing" / "t.csv")


def test_an_excluded_value_is_disclosed_in_legend_methods_and_table(case, tmp_path):
    from analysis.figure.legend import figure_legend, methods_paragraph

    anc = case.anc
    day15 = anc[anc["time"].dt.strftime("%Y-%m-%d") == "2022-09-21"].iloc[0]
    edited = case.excluding(day15["file"], int(day15["row"]), reason="clotted sample")
    note = "An ANC value was excluded (cycle 1, day 15: 0.8 ×10³/µL): clotted sample."
    assert note in figure_legend(edited)
    assert note in methods_paragraph(edited)
    assert "2022" not in " ".join(edited.exclusion_notes())  # no calendar date, no file name
    assert "labs.xlsx" not in " ".join(edited.exclusion_notes())
    path = export_cycles(edited.cycles, edited.summary, edited.rules, tmp_path / "t.csv",
                         notes=edited.exclusion_notes())
    assert "clotted sample" in path.read_text(encoding="utf-8-sig")
    assert case.exclusion_notes() == []


def test_values_keep_the_labs_decimals_in_both_formats(tmp_path):
    """A lab that reports one decimal: "2.0" not "2" in the CSV, the same shown in Excel; a
    median between two reported steps keeps one more decimal (the rule of analysis.numbers)."""
    from openpyxl import load_workbook

    cycles = [dataclasses.replace(_cycle("IVIG", v), number=i + 1) for i, v in enumerate((2.0, 2.5))]
    summary = Summary(Stat(2.25, 2.0, 2.5, 2), Stat(None, None, None, 0), Stat(2.25, 2.0, 2.5, 2),
                      Wilcoxon(None, None, 2, note="too few cycles"))
    rows = _read_csv(export_cycles(cycles, summary, _Rules(), tmp_path / "t.csv", decimals=1))
    col = rows[0].index("Pre-infusion ANC (10^3/uL)")
    assert [r[col] for r in rows[1:3]] == ["2.0", "2.5"]
    by_name = {r[0]: r[col] for r in rows if len(r) > col}
    assert by_name["Median"] == "2.25" and by_name["Minimum"] == "2.0"
    ws = load_workbook(export_cycles(cycles, summary, _Rules(), tmp_path / "t.xlsx", decimals=1))["Cycles"]
    assert ws.cell(2, col + 1).value == 2.0 and ws.cell(2, col + 1).number_format == "0.0"
    median = next(r for r in ws.iter_rows() if r[0].value == "Median")
    assert median[col].number_format == "0.00"
