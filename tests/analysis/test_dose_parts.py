"""The rule for a part of a dose (rate change, paused, completed) with no start before it.

It stands for the dose where the record has no dose column (a nursing flowsheet) or where its
row states a dose (a record that writes only "Completed"). In a record with a dose column, a
pause or stop whose dose is blank and that no start precedes is a dose not given: a skipped row
with its reason (record_rows._verdict decides it, drug_choice.collapse applies it). A completed or
running infusion charted the same way was given: its start was charted elsewhere.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from analysis.treatment.medications import read_administrations

RTX = "RITUXIMAB 700 MG IN NATRIUMCHLORID 0,9 % 500 ML"
HEADER = "MRN;Order verified;Administered at;Medication;Dose given;Unit;Nurse status"


def record(tmp_path: Path, lines: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "mar.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def given(at: str, dose: str = "700;mg", status: str = "verabreicht") -> str:
    return f"4711;01.01.2023 08:00;{at};{RTX};{dose};{status}"


def test_a_paused_row_with_a_blank_dose_and_no_start_is_a_dose_not_given(tmp_path):
    path = record(tmp_path, [given("10.01.2023 10:00"), given("17.01.2023 10:00"),
                             given("22.01.2023 10:00", ";", "pausiert - Infekt"), given("24.01.2023 10:00")])
    m = read_administrations(path)
    assert [a.time for a in m.administrations] == [datetime(2023, 1, 10, 10), datetime(2023, 1, 17, 10),
                                                   datetime(2023, 1, 24, 10)]
    [skip] = m.skipped
    assert skip.source.row == 4
    assert skip.text == f"{RTX}: pausiert - Infekt"
    assert "'pausiert - Infekt'" in skip.reason and "not given" in skip.reason


def test_the_note_is_part_of_the_reason(tmp_path):
    header = "Administered at;Medication;Dose;Unit;Status;Comment"
    path = record(tmp_path, [f"10.01.2023 10:00;{RTX};700;mg;given;",
                             f"15.01.2023 10:00;{RTX};;;paused;fever 39.2"], header)
    [skip] = read_administrations(path).skipped
    assert "'paused'" in skip.reason and "(fever 39.2)" in skip.reason


def test_a_blank_dose_part_after_its_start_belongs_to_that_dose(tmp_path):
    path = record(tmp_path, [given("10.01.2023 10:00"), given("10.01.2023 10:40", ";", "pausiert - Infekt"),
                             given("10.01.2023 11:30", ";", "fortgesetzt"), given("10.01.2023 15:00", ";", "beendet")])
    m = read_administrations(path)
    assert [a.time for a in m.administrations] == [datetime(2023, 1, 10, 10)]
    assert m.skipped == ()


def test_a_blank_dose_part_charted_just_before_its_start_belongs_to_that_dose(tmp_path):
    path = record(tmp_path, [given("10.01.2023 09:50", ";", "pausiert"), given("10.01.2023 10:30"),
                             given("17.01.2023 10:00", ";", "pausiert - Infekt"), given("19.01.2023 10:00")])
    m = read_administrations(path)
    assert [a.time for a in m.administrations] == [datetime(2023, 1, 10, 10, 30), datetime(2023, 1, 19, 10)]
    assert [s.source.row for s in m.skipped] == [4]  # the pause two days before its dose was a dose not given


def test_a_part_that_states_its_dose_still_stands_for_the_dose(tmp_path):
    """A record that writes only "Completed", with the dose, keeps its doses."""
    path = record(tmp_path, [given("10.01.2023 14:00", status="beendet"), given("17.01.2023 14:00", status="beendet")])
    m = read_administrations(path)
    assert [(a.time, a.dose) for a in m.administrations] == [(datetime(2023, 1, 10, 14), 700.0),
                                                             (datetime(2023, 1, 17, 14), 700.0)]
    assert m.skipped == ()



def test_a_completed_or_running_infusion_with_a_blank_dose_is_still_a_dose(tmp_path):
    """Only a pause or stop alone says nothing was given; "beendet" (completed) or a rate change
    alone, beside rows with doses, is an infusion whose start was charted elsewhere."""
    path = record(tmp_path, [given("10.01.2023 10:00"), given("31.01.2023 15:00", ";", "beendet"),
                             given("21.02.2023 11:00", ";", "Rate changed"),
                             given("14.03.2023 10:00", ";", "gestoppt")])
    m = read_administrations(path)
    assert [a.time for a in m.administrations] == [datetime(2023, 1, 10, 10), datetime(2023, 1, 31, 15),
                                                   datetime(2023, 2, 21, 11)]
    assert [s.source.row for s in m.skipped] == [5]

def test_without_a_dose_column_a_part_still_stands_for_the_dose(tmp_path):
    """A nursing flowsheet has no dose column: its rate checks are the only trace of a dose."""
    header = "Time;Medication;Rate (mL/h);Status"
    path = record(tmp_path, ["10.01.2023 10:30;PRIVIGEN 10% IV SOLN;50;infusing",
                             "10.01.2023 11:30;PRIVIGEN 10% IV SOLN;100;rate change",
                             "31.01.2023 10:30;PRIVIGEN 10% IV SOLN;50;infusing"], header)
    m = read_administrations(path)
    assert [a.time for a in m.administrations] == [datetime(2023, 1, 10, 10, 30), datetime(2023, 1, 31, 10, 30)]
    assert m.skipped == ()
