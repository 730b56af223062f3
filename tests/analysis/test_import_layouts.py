"""Acceptance: exports in the layouts of other EHRs and labs, as a new user brings them.

tests/data/layouts/ is written by tests/data/make_layouts.py: the same twelve draws of one
patient as an Epic Results Review export, an Epic flowsheet, a Cerner PowerChart CSV, a Meditech
cumulative report, German, French, Spanish, Italian, Dutch and Portuguese lab exports, a
LOINC-only LIS extract, an OpenDocument file and more. expected.json holds what each file was
written with (not what the importer reads), and every file must give exactly that: the ANC
series with its times and censoring, and a few other analytes.

tests/data/layouts/bad/ holds files a user can pick by mistake; each must end in one plain
sentence that names the file (exit status 2 from the command), never a traceback.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from analysis.errors import ChoiceRequired, InputError
from analysis.model import ANC, OBSERVATION_COLUMNS
from analysis.importing.observations import import_labs
from desktop.cli import main as nadir

LAYOUTS = Path(__file__).resolve().parents[1] / "data" / "layouts"
BAD = LAYOUTS / "bad"
EXPECTED = json.loads((LAYOUTS / "expected.json").read_text(encoding="utf-8"))


def anc_of(result) -> list:
    s = result.series(ANC)
    return [
        [t.isoformat(timespec="minutes"), round(float(v), 6), c if isinstance(c, str) else None]
        for t, v, c in zip(s["time"].dt.to_pydatetime(), s["value"], s["censored"])
    ]


def series_of(result, code: str) -> list:
    s = result.series(code)
    return [[t.isoformat(timespec="minutes"), round(float(v), 6)] for t, v in zip(s["time"].dt.to_pydatetime(), s["value"])]


@pytest.fixture(scope="module")
def imported():
    cache = {}

    def get(name):
        if name not in cache:
            expected = EXPECTED[name]
            cache[name] = import_labs(
                LAYOUTS / name, date_order=expected.get("date_order"), patient=expected.get("choose_patient")
            )
        return cache[name]

    return get


def test_there_are_many_layouts():
    assert len(EXPECTED) >= 15
    assert {Path(n).suffix for n in EXPECTED} >= {".xlsx", ".csv", ".ods", ".xlsm", ".tsv", ".txt"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_gives_the_written_anc_series(name, imported):
    result = imported(name)
    assert anc_of(result) == EXPECTED[name]["anc"]
    assert tuple(result.observations.columns) == OBSERVATION_COLUMNS


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n]["other"]))
def test_layout_gives_the_other_analytes(name, imported):
    result = imported(name)
    for code, series in EXPECTED[name]["other"].items():
        assert series_of(result, code) == series, code


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if "patient" in EXPECTED[n]))
def test_identifier_keeps_its_leading_zeros(name, imported):
    assert imported(name).patient == EXPECTED[name]["patient"] == "000482913"


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if "skipped_reasons" in EXPECTED[n]))
def test_taken_back_results_are_listed_not_plotted(name, imported):
    result = imported(name)
    reasons = [s.reason for s in result.skipped if s.analyte == ANC]
    assert reasons == EXPECTED[name]["skipped_reasons"]


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if "skipped_count" in EXPECTED[n]))
def test_repeated_page_headers_are_not_results(name, imported):
    result = imported(name)
    assert len(result.skipped) == EXPECTED[name]["skipped_count"]
    said = " ".join(result.warnings)
    assert "Page" not in said and "Result" not in said and "Test" not in said


# --- what the layouts are about ---------------------------------------------------------------


def test_cerner_in_error_value_never_reaches_the_series(imported):
    result = imported("cerner_powerchart.csv")
    assert 4.2 not in set(result.series(ANC)["value"])
    (skipped,) = result.skipped
    assert skipped.text == "4.2" and "In Error" in skipped.reason


def test_epic_correction_replaces_the_preliminary_value(imported):
    result = imported("epic_results_review.xlsx")
    march_9 = result.series(ANC).set_index("time").loc[datetime(2023, 3, 9, 9, 0)]
    assert march_9["value"] == 0.3
    assert "Sodium" in " ".join(result.warnings)  # other tests are counted, not dropped silently


def test_flowsheet_units_row_and_transposed_times(imported):
    flowsheet = imported("epic_flowsheet.xlsx")
    assert flowsheet.detection.layout == "wide"
    assert flowsheet.detection.units[ANC] == "x10^3/uL"
    cumulative = imported("meditech_cumulative.xlsx")
    assert cumulative.detection.layout == "transposed"
    assert not cumulative.series(ANC)["date_only"].any()  # "0800" under each date is the time


def test_units_given_with_the_reference_range(imported):
    result = imported("epic_results_table.xlsx")
    assert result.detection.units[ANC] == "K/uL"
    assert not [w for w in result.warnings if "unit" in w]


def test_same_name_twice_is_told_apart_by_the_units_row(imported):
    result = imported("ambiguous_names_flowsheet.xlsx")
    assert list(result.series(ANC)["column"].unique()) == ["C"]
    assert list(result.series("NEUT_PCT")["column"].unique()) == ["D"]


def test_censored_and_flagged_results(imported):
    result = imported("censored_flags.csv")
    anc = result.series(ANC).set_index("time")
    for when, flag in EXPECTED["censored_flags.csv"]["flags"].items():
        assert anc.loc[datetime.fromisoformat(when), "flag"] == flag
    assert anc.loc[datetime(2023, 3, 14, 8, 0), "text"] == "<0.05"
    lymph = result.series("LYMPH")
    assert list(lymph["censored"].iloc[-1:]) == [">"] and lymph["value"].iloc[-1] == 100.0


def test_cells_per_microlitre_with_thousands_separators(imported):
    for name in ("portal_cells_per_ul.xlsx", "exames_pt.csv"):
        result = imported(name)
        assert result.series(ANC)["value"].iloc[0] == 1.2, name
        assert not [w for w in result.warnings if "implausibl" in w], name


def test_excel_date_systems(imported):
    assert imported("serial_1904.xlsx").detection.date_system == 1904
    assert imported("serial_1900.xlsx").detection.date_system == 1900
    assert anc_of(imported("serial_1904.xlsx")) == anc_of(imported("serial_1900.xlsx"))


def test_derived_anc_is_marked(imported):
    result = imported("derived_from_segs.xlsx")
    assert result.series(ANC)["derived"].all()
    assert any("derived" in w for w in result.warnings)
    assert any("'Lymphs %'" in w for w in result.warnings)  # a column not read is named


def test_hidden_sheets(imported):
    assert imported("hidden_cover_merged.xlsx").detection.sheet == "Report"
    result = import_labs(BAD / "hidden_results.xlsx")
    assert len(result.series(ANC)) == 3
    assert any("hidden sheet 'Results'" in w for w in result.warnings)


def test_results_on_the_second_sheet(imported):
    assert imported("two_sheets_chemistry_first.xlsx").detection.sheet == "Haematology"


def test_patients_told_apart_by_name_must_be_chosen(imported):
    path = LAYOUTS / "two_patients_by_name.csv"
    with pytest.raises(ChoiceRequired) as info:
        import_labs(path)
    assert info.value.kind == "patient"
    assert info.value.options == ["DOE, JANE", "ROE, RICHARD"]
    assert "'DOE, JANE', 'ROE, RICHARD'" in str(info.value) and "--patient" in str(info.value)
    assert 5.5 not in set(imported("two_patients_by_name.csv").series(ANC)["value"])


def test_result_date_instead_of_collection_time_is_said(imported):
    (warning,) = [w for w in imported("ampm_wide.tsv").warnings if "collection time" in w]
    assert "'Result Date'" in warning and "later than the blood draw" in warning
    # a Clarity extract names its specimen time; the result time a day later is not used
    assert not [w for w in imported("clarity_extract.csv").warnings if "collection time" in w]


def test_ambiguous_dates_ask_and_then_obey():
    path = LAYOUTS / "ambiguous_dmy.csv"
    with pytest.raises(ChoiceRequired) as info:
        import_labs(path)
    assert info.value.kind == "date_order"
    assert set(info.value.options) == {"MDY", "DMY"}
    assert "ambiguous_dmy.csv" in str(info.value) and "--date-order" in str(info.value)
    day_first = import_labs(path, date_order="DMY").series(ANC)["time"].tolist()
    month_first = import_labs(path, date_order="MDY").series(ANC)["time"].tolist()
    assert day_first[1] == datetime(2023, 3, 3, 8, 0)
    assert datetime(2023, 1, 3, 8, 0) in month_first  # 01/03/2023 read month first
    assert day_first != sorted(month_first)


# --- bad input: one plain line, exit 2 ---------------------------------------------------------

BAD_CASES = {
    "empty.csv": "is empty",
    "header_only.csv": "no results",
    "no_dates.xlsx": "no column with the collection date",
    "password.xlsx": "password-protected",
    "spreadsheet.numbers": "Apple Numbers",
    "report.pdf.xlsx": "PDF",
    "letter.docx.xlsx": "Word document",
    "no_workbook_part.xlsx": "damaged",
    "Befund Müller – Blutbild ü.csv": "no neutrophil counts",
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_input_is_one_plain_line(name, capsys):
    with pytest.raises(InputError) as info:
        import_labs(BAD / name)
    assert BAD_CASES[name] in info.value.message
    assert str(info.value).startswith(f"{name}: ")
    assert nadir(["import", str(BAD / name)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"nadir: {name}: ")
    assert "Traceback" not in err


def test_unicode_folder_and_file_name(tmp_path, capsys):
    folder = tmp_path / "Patiënt Ødegård — 患者"
    folder.mkdir()
    target = folder / "Blutbild März ü.csv"
    shutil.copy(LAYOUTS / "laborbefund_de.csv", target)
    assert anc_of(import_labs(target)) == EXPECTED["laborbefund_de.csv"]["anc"]
    assert nadir(["import", str(target)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Blutbild März ü.csv")
    assert "Patiënt" not in out  # the folder may hold a patient's name; it is never shown


def test_every_layout_prints_through_the_command(capsys):
    for name in ("cerner_powerchart.csv", "libreoffice.ods", "flowsheet_macro.xlsm"):
        assert nadir(["import", str(LAYOUTS / name), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert [[o["time"], o["value"]] for o in data["observations"] if o["analyte"] == ANC] == [
            s[:2] for s in EXPECTED[name]["anc"]
        ]


def test_percent_formatted_cells_are_read_as_percentages(imported):
    result = imported("physician_tracking.xlsx")
    assert result.series("NEUT_PCT")["value"].iloc[0] == 28.0
    assert result.series("BAND_PCT")["value"].iloc[0] == 2.0
    assert sum("formatted as percent" in w for w in result.warnings) == 2


def test_differential_as_fractions_without_units(tmp_path):
    path = tmp_path / "research.csv"
    lines = ["Date,WBC,Neutrophils,Bands"]
    for t, wbc, seg, band in EXPECTED["derived_from_segs.xlsx"]["differential"]:
        lines.append(f"{t},{wbc},{seg / 100:g},{band / 100:g}")
    path.write_text("\n".join(lines) + "\n")
    result = import_labs(path, mapping={"Neutrophils": "NEUT_PCT"})
    assert anc_of(result) == EXPECTED["derived_from_segs.xlsx"]["anc"]
    assert any("as fractions (0.28 = 28 %)" in w for w in result.warnings)


def test_a_visible_sheet_wins_over_an_equally_good_hidden_one(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    stale = wb.active
    stale.title = "Old copy"
    current = wb.create_sheet("Results")
    for ws, value in ((stale, 9.9), (current, 1.2)):
        ws.append(["Collected", "Test", "Result", "Units"])
        ws.append([datetime(2023, 3, 1, 8), "ANC", value, "K/uL"])
    stale.sheet_state = "hidden"
    wb.save(tmp_path / "two.xlsx")
    result = import_labs(tmp_path / "two.xlsx")
    assert result.detection.sheet == "Results" and list(result.series(ANC)["value"]) == [1.2]


def test_a_ward_list_with_names_asks_which_patient(tmp_path):
    path = tmp_path / "ward.csv"
    path.write_text(
        "Name,Date,WBC,ANC\nDOE JANE,2023-03-01,4.0,1.2\nROE RICHARD,2023-03-01,6.0,3.9\nDOE JANE,2023-03-14,3.0,0.8\n"
    )
    with pytest.raises(ChoiceRequired) as info:
        import_labs(path)
    assert info.value.options == ["DOE JANE", "ROE RICHARD"]
    assert list(import_labs(path, patient="DOE JANE").series(ANC)["value"]) == [1.2, 0.8]


def test_units_in_the_test_name_or_glued_to_the_value(imported):
    result = imported("unit_in_result.csv")
    assert result.detection.units[ANC] == "x10^9/L"
    assert not [w for w in result.warnings if "no units" in w]


def test_absurd_numbers_are_listed_not_plotted(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("Collected,Test,Result,Units\n2023-03-01,ANC,1e308,T/L\n2023-03-02,ANC,1.2,K/uL\n")
    result = import_labs(path)
    assert list(result.series(ANC)["value"]) == [1.2]
    assert [s.reason for s in result.skipped] == ["the number is far too large to be a result"]
