"""Medication-administration records, product recognition, courses and dose labels."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from analysis.errors import ChoiceRequired, InputError
from analysis.treatment.medications import (
    course_label,
    find_medication,
    group_courses,
    manual_administration,
    product_name,
    read_administrations,
    regimen,
)
from analysis.model import Administration, Course

DATA = Path(__file__).resolve().parents[1] / "data" / "ivig-mmn"
HEADER = ["MRN", "Medication", "Administration Date/Time", "Action", "Dose", "Dose Unit", "Route",
          "Weight (kg)"]
IVIG = "IMMUNE GLOBULIN (HUMAN) 10% (PRIVIGEN) IV SOLN"
APAP = "ACETAMINOPHEN 500 MG TABLET"


def workbook(tmp_path: Path, rows, *, title=(), sheet_before=False, name="mar.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if sheet_before:
        ws.title = "Notes"
        ws.append(["nothing here"])
        ws = wb.create_sheet("MAR")
    for t in title:
        ws.append(list(t))
    for r in rows:
        ws.append(list(r))
    p = tmp_path / name
    wb.save(p)
    return p


# --- the seed case -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return read_administrations(DATA / "infusions.xlsx")


def test_seed_one_administration_per_infusion(seed):
    rows = CalamineWorkbook.from_path(DATA / "infusions.xlsx").get_sheet_by_name("MAR").to_python()
    ivig_dates = {r[2].date() for r in rows[1:] if "GLOBULIN" in r[1]}
    assert len(seed.administrations) == len(ivig_dates) == 155
    per_day = Counter(a.time.date() for a in seed.administrations)
    assert max(per_day.values()) == 1
    monitored = [a for a in seed.administrations if a.time >= datetime(2022, 9, 1)]
    assert [a.time for a in monitored] == [
        datetime(2022, 9, 6, 9, 30), datetime(2022, 9, 27, 9, 30), datetime(2022, 10, 17, 9, 30),
        datetime(2022, 11, 8, 9, 30), datetime(2022, 11, 29, 9, 30), datetime(2022, 12, 20, 9, 30)]


def test_seed_premedication_ignored_and_products_listed(seed):
    assert {a.product for a in seed.administrations} == {"IVIG (Privigen)"}
    assert seed.product == "IVIG"
    assert seed.products == {"Acetaminophen": 155, "IVIG (Privigen)": 155}
    assert seed.premedication == ()
    assert seed.patient == "E0000001" and seed.skipped == ()


def test_seed_dose_weight_and_source(seed):
    a = seed.administrations[-1]
    assert (a.dose, a.dose_unit, a.weight_kg) == (80.0, "g", 80.0)
    assert a.dose_per_kg == 1.0
    assert a.source.file == "infusions.xlsx" and a.source.sheet == "MAR" and a.source.row > 300


def test_seed_course_labels_follow_the_regimens(seed):
    courses = group_courses(seed.administrations)
    assert len(courses) == 155
    assert course_label(courses[0]) == "IVIG 0.6 g/kg"
    labels = {course_label(c) for c in courses}
    assert labels == {"IVIG 0.6 g/kg", "IVIG 0.9 g/kg", "IVIG 1 g/kg"}


def test_include_premedication(tmp_path):
    p = DATA / "infusions.xlsx"
    m = read_administrations(p, include_premedication=True)
    assert len(m.administrations) == 155
    assert len(m.premedication) == 155 and {a.product for a in m.premedication} == {"Acetaminophen"}


def test_choosing_a_premedication_explicitly():
    m = read_administrations(DATA / "infusions.xlsx", product="ACETAMINOPHEN")
    assert m.product == "Acetaminophen" and len(m.administrations) == 155
    assert {a.dose_unit for a in m.administrations} == {"mg"}


def test_unknown_product_lists_what_was_found():
    with pytest.raises(InputError, match="Medications found: Acetaminophen, IVIG"):
        read_administrations(DATA / "infusions.xlsx", product="rituximab")


# --- actions -------------------------------------------------------------------------------------


def test_actions(tmp_path):
    rows = [HEADER,
            ["1", IVIG, datetime(2022, 1, 4, 9), "New Bag", 80, "g", "IV", 80],
            ["1", IVIG, datetime(2022, 1, 4, 10), "Rate Change", 80, "g", "IV", 80],
            ["1", IVIG, datetime(2022, 1, 4, 11), "Paused", "", "", "IV", 80],
            ["1", IVIG, datetime(2022, 1, 4, 11, 30), "Restarted", "", "", "IV", 80],
            ["1", IVIG, datetime(2022, 1, 4, 14), "Stopped", "", "", "IV", 80],
            ["1", IVIG, datetime(2022, 1, 25, 9), "Not Given", 80, "g", "IV", 80],
            ["1", IVIG, datetime(2022, 1, 26, 9), "Given", 80, "g", "IV", 80],
            ["1", IVIG, datetime(2022, 2, 15, 9), "Held", 80, "g", "IV", 80],
            ["1", IVIG, datetime(2022, 2, 16, 9), "Verabreicht", 80, "g", "IV", 80],
            ["1", IVIG, datetime(2022, 3, 9, 9), "Teleported", 80, "g", "IV", 80],
            ["1", IVIG, datetime(2022, 3, 10, 9), "Due", 80, "g", "IV", 80]]
    m = read_administrations(workbook(tmp_path, rows))
    assert [a.time for a in m.administrations] == [
        datetime(2022, 1, 4, 9), datetime(2022, 1, 26, 9), datetime(2022, 2, 16, 9)]
    reasons = [(s.source.row, s.reason) for s in m.skipped]
    assert [r for r, _ in reasons] == [7, 9, 11]
    assert "not given" in reasons[0][1] and "Held" in reasons[1][1] and "Teleported" in reasons[2][1]


def test_title_rows_and_data_on_second_sheet(tmp_path):
    rows = [HEADER, ["1", "Octagam 10%", datetime(2022, 1, 4, 9), "Given", 40, "g", "IV", 80]]
    p = workbook(tmp_path, rows, title=[["Medication Administration Report"], ["Printed 2023"], []],
                 sheet_before=True)
    m = read_administrations(p)
    (a,) = m.administrations
    assert a.product == "IVIG (Octagam)" and a.source.sheet == "MAR" and a.source.row == 5
    assert a.dose_per_kg == 0.5


def test_without_action_column_rows_within_12_hours_collapse(tmp_path):
    rows = [["Drug", "Date", "Time", "Dose"],
            ["Privigen", "2022-01-04", "09:00", "80 g"],
            ["Privigen", "2022-01-04", "13:30", "80 g"],
            ["Privigen", "2022-01-05", "09:00", "80 g"]]
    m = read_administrations(workbook(tmp_path, rows))
    assert [a.time for a in m.administrations] == [datetime(2022, 1, 4, 9), datetime(2022, 1, 5, 9)]
    assert (m.administrations[0].dose, m.administrations[0].dose_unit) == (80.0, "g")
    assert any("no action" in w for w in m.warnings)
    assert any("part of that dose" in w for w in m.warnings)


def test_csv_with_day_first_dates(tmp_path):
    p = tmp_path / "mar.csv"
    p.write_text("Medikament;Datum;Aktion;Dosis;Einheit\n"
                 "Intratect 100 g/l;04.01.2022 09:00;Verabreicht;80;g\n"
                 "Intratect 100 g/l;25.01.2022 09:00;Verabreicht;80;g\n", encoding="utf-8")
    m = read_administrations(p)
    assert [a.time for a in m.administrations] == [datetime(2022, 1, 4, 9), datetime(2022, 1, 25, 9)]
    assert m.administrations[0].product == "IVIG (Intratect)"


def test_two_patients_require_a_choice(tmp_path):
    rows = [HEADER,
            ["A1", IVIG, datetime(2022, 1, 4, 9), "Given", 80, "g", "IV", 80],
            ["B2", IVIG, datetime(2022, 1, 5, 9), "Given", 70, "g", "IV", 70]]
    p = workbook(tmp_path, rows)
    with pytest.raises(ChoiceRequired) as err:
        read_administrations(p)
    assert err.value.kind == "patient" and err.value.options == ["A1", "B2"]
    m = read_administrations(p, patient="B2")
    assert [a.dose for a in m.administrations] == [70.0] and m.patients == ("A1", "B2")
    with pytest.raises(InputError, match="C3"):
        read_administrations(p, patient="C3")


def test_default_without_immune_globulin_is_most_frequent_treatment(tmp_path):
    rows = [HEADER,
            ["1", "RITUXIMAB 500 MG IV", datetime(2022, 1, 4, 9), "Given", 1000, "mg", "IV", 80],
            ["1", "DIPHENHYDRAMINE 25 MG", datetime(2022, 1, 4, 8), "Given", 25, "mg", "PO", 80],
            ["1", "DIPHENHYDRAMINE 25 MG", datetime(2022, 1, 18, 8), "Given", 25, "mg", "PO", 80],
            ["1", "RITUXIMAB 500 MG IV", datetime(2022, 1, 18, 9), "Given", 1000, "mg", "IV", 80]]
    m = read_administrations(workbook(tmp_path, rows))
    assert m.product == "Rituximab" and len(m.administrations) == 2


def test_only_premedication_is_an_error(tmp_path):
    rows = [HEADER, ["1", APAP, datetime(2022, 1, 4, 9), "Given", 1000, "mg", "PO", 80]]
    with pytest.raises(InputError, match="only premedication"):
        read_administrations(workbook(tmp_path, rows))


def test_not_a_mar(tmp_path):
    with pytest.raises(InputError, match="no medication-administration table"):
        read_administrations(workbook(tmp_path, [["Component", "Result"], ["WBC", "3.1"]]))


# --- product names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, route, name",
    [
        ("IMMUNE GLOBULIN (HUMAN) 10% (PRIVIGEN) IV SOLN", "", "IVIG (Privigen)"),
        ("Gamunex-C 10% injection", "Intravenous", "IVIG (Gamunex-C)"),
        ("GAMUNEX 10%", "", "IVIG (Gamunex)"),
        ("Gammagard Liquid 10%", "", "IVIG (Gammagard Liquid)"),
        ("Gammagard S/D", "", "IVIG (Gammagard S/D)"),
        ("Flebogamma DIF 5%", "", "IVIG (Flebogamma DIF)"),
        ("Panzyga", "", "IVIG (Panzyga)"),
        ("Kiovig 100 mg/ml", "", "IVIG (Kiovig)"),
        ("Hizentra 20%", "Subcutaneous", "SCIG (Hizentra)"),
        ("HyQvia 10%", "", "SCIG (HyQvia)"),
        ("Cuvitru", "", "SCIG (Cuvitru)"),
        ("Xembify", "", "SCIG (Xembify)"),
        ("Cutaquig", "", "SCIG (Cutaquig)"),
        ("immune globulin 20% (human)", "SubQ", "SCIG"),
        ("IVIg 10%", "", "IVIG"),
        ("Immunglobulin vom Menschen", "", "IVIG"),
        ("immunoglobuline humaine normale", "", "IVIG"),
        ("inmunoglobulina humana", "", "IVIG"),
        ("IgG human normal", "", "IVIG"),
        ("Yimmugo", "", "IVIG (Yimmugo)"),
        ("Alyglo", "", "IVIG (Alyglo)"),
        ("Paracetamol 1 g", "", "Acetaminophen"),
        ("Sodium chloride 0.9% flush", "", "Saline"),
        ("RHO(D) IMMUNE GLOBULIN (WINRHO)", "", "Rho"),
        ("Hepatitis B immune globulin", "", "Hepatitis B Immune Globulin"),
    ],
)
def test_product_names(text, route, name):
    assert product_name(text, route) == name


def test_hyperimmune_globulins_are_not_ivig():
    assert find_medication("CYTOMEGALOVIRUS IMMUNE GLOBULIN") is None
    assert find_medication("tetanus immune globulin") is None
    assert find_medication("Privigen").key == "IMMUNE_GLOBULIN"
    assert find_medication("methylprednisolone sodium succinate").premedication


# --- courses and labels --------------------------------------------------------------------------


def adm(t: str, dose=None, unit="", weight=None, product="IVIG (Privigen)"):
    return Administration(time=datetime.fromisoformat(t), product=product, dose=dose, dose_unit=unit,
                          weight_kg=weight)


@pytest.mark.parametrize(
    "adms, label",
    [
        ([adm("2022-01-01T09:00", 80, "g", 80)], "IVIG 1 g/kg"),
        ([adm("2022-01-01T09:00", 48, "g", 80)], "IVIG 0.6 g/kg"),
        ([adm("2022-01-01T09:00", 72000, "mg", 80)], "IVIG 0.9 g/kg"),
        ([adm(f"2022-01-0{d}T09:00", 32, "g", 80) for d in range(1, 6)], "IVIG 2 g/kg over 5 days"),
        ([adm("2022-01-01T09:00", 80, "g")], "IVIG 80 g"),
        ([adm("2022-01-01T09:00", 80000, "mg")], "IVIG 80 g"),
        ([adm("2022-01-01T09:00", 1, "g/kg")], "IVIG 1 g/kg"),
        ([adm("2022-01-01T09:00", 400, "mL")], "IVIG 400 mL"),
        ([adm("2022-01-01T09:00")], "IVIG"),
        ([adm("2022-01-01T09:00", 20, "g", product="SCIG (Hizentra)")], "SCIG 20 g"),
    ],
)
def test_course_label(adms, label):
    assert course_label(Course(1, tuple(adms))) == label


def test_group_courses_numbers_and_sorts():
    cs = group_courses([adm("2022-02-01T09:00"), adm("2022-01-01T09:00"), adm("2022-01-02T09:00")])
    assert [(c.number, len(c.administrations)) for c in cs] == [(1, 2), (2, 1)]
    assert group_courses([]) == []


def test_regimen():
    adms = regimen(datetime(2022, 9, 6, 9, 30), 21, 6, 1, "g/kg", weight_kg=80)
    assert len(adms) == 6
    assert adms[-1].time == datetime(2022, 12, 20, 9, 30)
    assert {a.product for a in adms} == {"IVIG"}
    assert course_label(group_courses(adms)[0]) == "IVIG 1 g/kg"
    with pytest.raises(InputError):
        regimen(datetime(2022, 9, 6), 0, 6, 1, "g/kg")
    with pytest.raises(InputError):
        regimen(datetime(2022, 9, 6), 21, 0, 1, "g/kg")


def test_manual_administration():
    a = manual_administration(date(2022, 9, 6), 80, "g", product="Privigen", weight_kg=80)
    assert a.time == datetime(2022, 9, 6) and a.product == "IVIG (Privigen)" and a.dose_per_kg == 1.0
    with pytest.raises(InputError):
        manual_administration(date(2022, 9, 6), -1, "g")


@pytest.mark.parametrize("dose, unit, text", [
    (700, "mg", "700 mg"), (2.0, "g/kg", "2 g/kg"), (0.4, "g/kg", "0.4 g/kg"), (1.256, "g", "1.26 g"),
    (0.3333, "g/kg", "0.333 g/kg"), (0.0125, "mg", "0.0125 mg"), (123456789.0, "mg", "123456789 mg"),
    (80, "", "80"), (0, "g", "0 g"), (None, "g", ""),
])
def test_one_dose_format_for_labels_dialogs_and_messages(dose, unit, text):
    from analysis.treatment.drugs import format_dose

    assert format_dose(dose, unit) == text
    assert format_dose(None, unit, missing="-") == "-"


@pytest.mark.parametrize(("text", "name"), [("PACLITAXEL ACCORD 6 mg/ml", "Paclitaxel"),
                                            ("CARBOPLATINE TEVA 10 mg/ml", "Carboplatin"),
                                            ("Carboplatino 450 mg", "Carboplatin"),
                                            ("Eurofoo Sandoz 5 mg", "Eurofoo"),  # a drug Nadir does not know
                                            ("Fooglobin 10%", "Fooglobin")])
def test_a_generic_named_with_its_maker_is_named_by_the_drug(text, name):
    from analysis.treatment.drugs import product_name

    assert product_name(text) == name


def test_distinct_cells_keep_equal_values_of_other_types_apart():
    """A column read once per distinct cell: 1.0 and True are equal keys but different cells."""
    from analysis.treatment.record_rows import distinct_cells

    rows = [["a", 1.0], ["b", True], ["c", 1.0], ["d"], ["e", "1"]]
    assert list(distinct_cells(rows, 1).items()) == [((float, 1.0), 2), ((bool, True), 1),
                                                     ((type(None), None), 1), ((str, "1"), 1)]


def test_distinct_cells_of_one_type_counted_in_order_of_first_appearance():
    """The one-type path (a column of text, every row reaching it) gives what the general one does."""
    from analysis.treatment.record_rows import distinct_cells

    rows = [["x", "Given"], ["y", "New Bag"], ["z", "Given"], ["w", "Held"], ["v", "Given"]]
    assert list(distinct_cells(rows, 1).items()) == [((str, "Given"), 3), ((str, "New Bag"), 1), ((str, "Held"), 1)]
    assert list(distinct_cells([[1.0], [1.0], [2.0]], 0).items()) == [((float, 1.0), 2), ((float, 2.0), 1)]
    assert list(distinct_cells([["a", "b"], ["c"]], 1).items()) == [((str, "b"), 1), ((type(None), None), 1)]


LAB_FILES = sorted(p for p in (DATA.parent / "lab_corpus").iterdir() if p.suffix not in (".json", ".md"))


@pytest.mark.parametrize("path", [DATA / "labs.xlsx", *LAB_FILES], ids=lambda p: p.name)
def test_a_lab_export_is_never_read_as_a_treatment_record(path):
    # Seven of these were read as doses before (the test panel or analyte as the drug, a result and
    # its unit as the dose); a lab export has no drug Nadir knows and names lab tests.
    with pytest.raises(InputError, match="looks like lab results|has no medication-administration table"):
        read_administrations(path)


def test_a_lab_export_is_read_as_a_record_when_the_user_names_its_drug_column():
    # The refusal is a judgement, so the override the refusal names must get past it.
    imported = read_administrations(DATA / "labs.xlsx", columns={"drug": "Order Name"})
    assert imported.administrations
