"""Layout detection by content: header roles in four languages, long / wide / transposed."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from analysis.layout import classify_header, detect, looks_like_date, sheet_score
from analysis.model import ANC, HGB, WBC


@pytest.mark.parametrize(
    "header, role",
    [
        ("Collection Date/Time", "time"),
        ("Collected", "time"),
        ("Date Collected", "time"),
        ("Event End Date/Time", "time"),
        ("Entnahmedatum", "time"),
        ("Date de prélèvement", "time"),
        ("Fecha de extracción", "time"),
        ("Result Date/Time", "other_time"),
        ("Date", "date"),
        ("Datum/Uhrzeit", "date"),
        ("Time", "clock"),
        ("Uhrzeit", "clock"),
        ("Heure", "clock"),
        ("Component", "test"),
        ("Test Name", "test"),
        ("Event", "test"),
        ("Parameter", "test"),
        ("Examen", "test"),
        ("Prueba", "test"),
        ("Result", "result"),
        ("Result Value", "result"),
        ("Ergebnis", "result"),
        ("Wert", "result"),
        ("Résultat", "result"),
        ("Resultado", "result"),
        ("Units", "unit"),
        ("Einheit", "unit"),
        ("Unité", "unit"),
        ("Unidad", "unit"),
        ("Result Status", "status"),
        ("Abnormal Flag", "flag"),
        ("Reference Range", "refrange"),
        ("Valeurs de référence", "refrange"),
        ("MRN", "patient"),
        ("Patient ID", "patient"),
        ("Patienten-ID", "patient"),
        ("Patient Name", "patient_name"),
        ("Order Name", "order"),
        ("Accession", "order"),
        ("Nurse Unit", "location"),
        ("WBC (x10^3/uL)", None),
        ("", None),
    ],
)
def test_header_roles(header, role):
    assert classify_header(header) == role


def test_long_with_title_block_and_result_time():
    rows = [
        ["Lab Results Export", "", "", "", "", ""],
        ["Patient: X    MRN: 1", "", "", "", "", ""],
        ["", "", "", "", "", ""],
        ["MRN", "Component", "Result Date/Time", "Collection Date/Time", "Result", "Units"],
        ["1", "WBC", datetime(2023, 3, 1, 9), datetime(2023, 3, 1, 8), "2.0", "K/uL"],
    ]
    found = detect(rows)
    assert found.kind == "long"
    assert found.header_row == 3
    assert found.first_row == 4
    # the collection time wins over the result time, whatever the column order
    assert found.roles["time"] == 3
    assert found.roles["test"] == 1 and found.roles["result"] == 4 and found.roles["unit"] == 5
    assert found.roles["patient"] == 0


def test_split_collection_date_and_time():
    rows = [["Collection Date", "Collection Time", "Test", "Result"], ["03/01/2023", "08:00", "ANC", "1.2"]]
    found = detect(rows)
    assert found.roles["time"] == 0
    assert found.roles["clock"] == 1


def test_wide_with_units_in_headers():
    rows = [
        ["Date", "Time", "WBC (x10^3/uL)", "ANC (x10^3/uL)", "HGB (g/dL)", "Comment"],
        [date(2023, 3, 1), time(8), 2.0, 1.2, 13.0, ""],
    ]
    found = detect(rows)
    assert found.kind == "wide"
    assert {c: code for c, (_, code, _) in found.analyte_columns.items()} == {2: WBC, 3: ANC, 4: HGB}
    assert found.analyte_columns[3][2] == "x10^3/uL"
    assert found.roles["time"] == 0 and found.roles["clock"] == 1
    assert found.units_row is None and found.first_row == 1


def test_wide_with_units_row_and_unnamed_date_column():
    rows = [
        ["", "Leukozyten", "Neutrophile abs.", "Hb"],
        ["", "G/l", "G/l", "g/dl"],
        [datetime(2023, 3, 1, 8), 2.0, 1.2, 13.0],
        [datetime(2023, 3, 2, 8), 1.5, 0.45, 12.0],
    ]
    found = detect(rows)
    assert found.kind == "wide"
    assert found.units_row == 1 and found.first_row == 2
    assert found.analyte_columns[2] == ("Neutrophile abs.", ANC, "G/l")
    assert found.roles["time"] == 0


def test_transposed_with_units_column_and_clock_row():
    rows = [
        ["Cumulative report"],
        ["Test", "Unit", "01.03.2023", "02.03.2023", "08.03.2023"],
        ["", "", "08:00", "08:15", "08:05"],
        ["Leukocytes", "G/L", 2.0, 1.5, 2.0],
        ["Neutrophils absolute", "G/L", 1.2, 0.45, 0.6],
    ]
    found = detect(rows)
    assert found.kind == "transposed"
    assert found.date_row == 1 and found.time_row == 2 and found.first_row == 3
    assert found.name_col == 0 and found.unit_col == 1
    assert found.draw_columns == [2, 3, 4]


def test_two_date_columns_per_row_are_not_a_transposed_sheet():
    rows = [
        ["Collected", "Resulted", "Test", "Value"],
        [datetime(2023, 3, 1, 8), datetime(2023, 3, 1, 9), "ANC", 1.2],
    ]
    assert detect(rows).kind == "long"


def test_overrides():
    rows = [
        ["Results of Test Value review"],  # no role words a header needs
        ["Collected", "Component", "Result"],
        [datetime(2023, 3, 1, 8), "ANC", 1.2],
    ]
    assert detect(rows, header_row=2).header_row == 1
    assert detect(rows, header_row=1) is None
    assert detect(rows, layout="transposed") is None
    with pytest.raises(ValueError):
        detect(rows, layout="diagonal")


def test_mapping_makes_unknown_headers_analytes():
    rows = [["Datum", "Neutros", "Leuk"], [date(2023, 3, 1), 1.2, 2.0]]
    assert detect(rows) is None or ANC not in {c for _, c, _ in detect(rows).analyte_columns.values()}
    found = detect(rows, mapping={"Neutros": ANC})
    assert {code for _, code, _ in found.analyte_columns.values()} >= {ANC}


def test_nothing_recognisable():
    assert detect([["Invoice", "Amount"], ["A", 1.0]]) is None
    assert detect([]) is None


def test_sheet_score_prefers_lab_results():
    cover = [["Cumulative report - see Results sheet"]]
    results = [["Collected", "Component", "Result"], [datetime(2023, 3, 1), "NEUTROPHILS ABSOLUTE", "1.2"]]
    assert sheet_score(results) > sheet_score(cover)


def test_looks_like_date():
    assert looks_like_date(datetime(2023, 1, 1))
    assert looks_like_date("03/01/2023 08:00 AM")
    assert looks_like_date("2023-03-01")
    assert looks_like_date("01-Mar-2023")
    assert not looks_like_date("1.2")
    assert not looks_like_date(44986.0)


def test_bare_name_column_yields_to_a_test_column():
    rows = [["Name", "MRN", "Test", "Result", "Date"], ["DOE, JANE", "1", "ANC", "1.2", "2023-03-01"]]
    assert detect(rows).roles["test"] == 2
