"""Layout detection by content: header roles in four languages, long / wide / transposed."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from analysis.importing.cell_kinds import looks_like_date, unit_in_text
from analysis.importing.header_words import classify_header
from analysis.importing.layout import detect, sheet_score
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
        # Italian, Dutch, Portuguese
        ("Data prelievo", "time"),
        ("Ora prelievo", "time"),
        ("Esame", "test"),
        ("Risultato", "result"),
        ("Unità di misura", "unit"),
        ("Codice paziente", "patient"),
        ("Afnamedatum", "time"),
        ("Bepaling", "test"),
        ("Uitslag", "result"),
        ("Eenheid", "unit"),
        ("Data da coleta", "time"),
        ("Exame", "test"),
        ("Prontuário", "patient"),
        ("Analyt", "test"),
        # database extracts: camelCase and TABLE_COLUMN names
        ("specimenCollectedDateTime", "time"),
        ("resultReportedDateTime", "other_time"),
        ("testName", "test"),
        ("resultValue", "result"),
        ("patientId", "patient"),
        ("SPECIMN_TAKEN_TIME", "time"),
        ("COLL_DT", "time"),
        ("Time Taken", "time"),
        ("PAT_MRN_ID", "patient"),
        ("Person Name", "patient_name"),
        ("Result Name", "test"),
        ("Result Description", "test"),
        ("Observation Date", "time"),
        ("record_id", "patient"),
        ("Subject ID", "patient"),
        ("Prøvetakingstidspunkt", "time"),  # ø is no accented o for Unicode; it is folded too
        ("Referanseområde", "refrange"),
        ("Fødselsnummer", "patient"),
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
    assert looks_like_date("3/1/23 0800")  # Epic's column stamps, military time
    assert looks_like_date("01.03.2023\n08:00")  # date and time wrapped in one cell
    assert looks_like_date("03/01/2023 08:00 EST")
    assert not looks_like_date("4.0 - 11.0")
    assert not looks_like_date("0800")
    assert looks_like_date("03/01/2023 08:00 AM")
    assert looks_like_date("2023-03-01")
    assert looks_like_date("01-Mar-2023")
    assert not looks_like_date("1.2")
    assert not looks_like_date(44986.0)


def test_bare_name_column_yields_to_a_test_column():
    rows = [["Name", "MRN", "Test", "Result", "Date"], ["DOE, JANE", "1", "ANC", "1.2", "2023-03-01"]]
    assert detect(rows).roles["test"] == 2


def test_a_name_column_of_people_yields_to_the_column_of_tests_by_content():
    # Cerner: "Person Name" and "Event" both look like names; the cells say which holds tests
    rows = [
        ["Person Name", "Event", "Result Value", "Event End Date/Time"],
        ["DOE, JANE", "Neutrophil Abs", "1.2", "01-MAR-2023 08:00"],
        ["DOE, JANE", "WBC", "4.0", "01-MAR-2023 08:00"],
    ]
    assert detect(rows).roles["test"] == 1
    rows = [["Description", "Component", "Value", "Date"], ["CBC", "ANC", "1.2", "2023-03-01"]]
    assert detect(rows).roles["test"] == 1


def test_a_dated_time_column_beats_a_result_date():
    rows = [
        ["Result Date", "Time Stamp", "Test", "Result"],
        ["2023-03-02", "2023-03-01 08:00", "ANC", "1.2"],
        ["2023-03-04", "2023-03-03 07:45", "ANC", "0.9"],
    ]
    assert detect(rows).roles["time"] == 1
    rows = [["Result Date", "Time", "Test", "Result"], ["2023-03-02", "08:00", "ANC", "1.2"]]
    assert detect(rows).roles["time"] == 0  # a plain clock stays the clock


def test_units_row_tells_two_same_named_columns_apart():
    rows = [
        ["Time Taken", "Neutrophils", "Neutrophils"],
        ["", "x10^9/L", "%"],
        [datetime(2023, 3, 1, 8), 1.2, 30.0],
    ]
    found = detect(rows)
    assert found.kind == "wide"
    assert {c: code for c, (_, code, _) in found.analyte_columns.items()} == {1: ANC, 2: "NEUT_PCT"}
    assert found.units_row == 1 and found.roles["time"] == 0


def test_transposed_units_after_the_reference_range():
    rows = [
        ["Component", "Latest Ref Rng & Units", "3/1/23 0800", "3/3/23 0745"],
        ["Absolute Neutrophil Count", "1.8 - 7.7 K/uL", "1.2 (L)", "0.85 (L)"],
        ["Hemoglobin", "12.0 - 16.0 g/dL", "11.2", "10.9"],
    ]
    found = detect(rows)
    assert found.kind == "transposed" and found.unit_col == 1 and found.draw_columns == [2, 3]


@pytest.mark.parametrize(
    "text, unit",
    [("K/uL", "K/uL"), ("1.8 - 7.7 K/uL", "K/uL"), ("4,0 bis 10,0 G/l", "G/l"), ("> 1.5 G/L", "G/L"),
     ("1.8 - 7.7", None), ("normal", None), ("", None)],
)
def test_unit_in_text(text, unit):
    assert unit_in_text(text) == unit


def test_long_date_column_found_by_content_when_no_heading_says_so():
    rows = [
        ["MRN", "Specimen", "Test", "Result"],
        ["0042", "2023-03-01 08:00", "ANC", "1.2"],
        ["0042", "2023-03-14 08:00", "ANC", "0.8"],
    ]
    found = detect(rows)
    assert found.kind == "long" and found.roles["time"] == 1 and found.roles["patient"] == 0


def test_the_time_column_is_checked_against_its_cells():
    # a heading that reads as a date but holds none ("Data Source": Italian "data")
    rows = [["Data Source", "Result Date", "Test", "Result"], ["EPIC", "2023-03-02 10:00", "ANC", "1.2"]]
    assert detect(rows).roles["time"] == 1
    # the time of day before the date: the date column is the time, the first the clock
    rows = [["Collection Time", "Collection Date", "Test", "Result"], ["08:00", "2023-03-01", "ANC", "1.2"]]
    found = detect(rows)
    assert (found.roles["time"], found.roles["clock"]) == (1, 0)


def test_date_ticks_keep_to_their_step():
    """A ten-year record on a narrow axis: every other year (or fewer), not every January; a
    quarter step: January, April, July, October only."""
    from datetime import datetime

    from analysis.figure.axes import _date_ticks

    origin = datetime(2013, 1, 7)
    _, labels = _date_ticks(0.0, 3650.0, origin, 5)
    assert 2 <= len(labels) <= 5 and labels == tuple(sorted(labels)), labels
    _, labels = _date_ticks(0.0, 365.0, origin, 5)
    assert [t.split()[0] for t in labels] == ["Apr", "Jul", "Oct", "Jan"], labels
