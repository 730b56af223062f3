"""Lab tables whose headings Nadir does not know: the columns' roles from what the cells hold."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.importing.code_dictionary import read_code_dictionary
from analysis.importing.observations import import_labs
from analysis.importing.settings import LabImportSettings

RESEARCH = Path(__file__).resolve().parents[1] / "data" / "research"


def test_a_time_column_the_user_named_is_the_collection_time_without_a_warning(tmp_path):
    path = tmp_path / "probe.csv"
    path.write_text("Probe,Test,Result,Unit\n2022-09-06 08:00,ANC,1.2,10^3/uL\n2022-09-07 08:00,ANC,0.4,10^3/uL\n")
    labs = import_labs(path)
    assert any("dates in column 'Probe' were used" in w for w in labs.warnings)  # found, not named
    named = import_labs(path, columns={"time": "Probe"})
    assert not any("Probe" in w for w in named.warnings)
    assert list(named.observations["value"]) == [1.2, 0.4]
    # The same column replayed from saved settings is Nadir's own finding again: it still says so
    replayed = import_labs(path, settings=LabImportSettings(columns={"time": "Probe"}))
    assert replayed.warnings == labs.warnings


def series(labs, code: str) -> list:
    s = labs.series(code)
    times = s["time"].dt.to_pydatetime()
    return [[t.isoformat(timespec="minutes"), round(float(v), 6)] for t, v in zip(times, s["value"], strict=True)]


def test_made_up_headings_are_read_by_what_the_cells_hold(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("Col1,Col2,Col3,Col4,Col5,Col6\n"
                    "P1,2022-09-06 08:00,ANC,1.2,10^3/uL,1.8-7.7\n"
                    "P1,2022-09-06 08:00,WBC,3.1,10^3/uL,4.0-11.0\n"
                    "P1,2022-09-07 08:30,ANC,0.4,10^3/uL,1.8-7.7\n")
    labs = import_labs(path)
    assert series(labs, "ANC") == [["2022-09-06T08:00", 1.2], ["2022-09-07T08:30", 0.4]]
    assert labs.detection.columns == {"time": "Col2", "test": "Col3", "result": "Col4", "unit": "Col5",
                                      "refrange": "Col6"}
    (said,) = [w for w in labs.warnings if "chosen by what they hold" in w]
    assert "collection time 'Col2'" in said and "--lab-column" in said
    again = import_labs(path, settings=labs.settings)  # a project reads it the same way
    assert again.observations.equals(labs.observations) and again.warnings == labs.warnings


def test_japanese_headings_name_no_role_and_japanese_test_names_are_known(tmp_path):
    path = tmp_path / "kensa.csv"
    path.write_text("患者ID,検査項目,結果,単位,基準値,採取日時\n"
                    "0012,好中球数,1.2,10^3/uL,1.8-7.7,令和4年10月6日 9:30\n"
                    "0012,白血球数,3.1,10^3/uL,3.3-8.6,令和4年10月6日 9:30\n"
                    "0012,好中球数,0.4,10^3/uL,1.8-7.7,令和4年10月7日 9:30\n", encoding="utf-8")
    labs = import_labs(path)
    assert series(labs, "ANC") == [["2022-10-06T09:30", 1.2], ["2022-10-07T09:30", 0.4]]
    assert series(labs, "WBC") == [["2022-10-06T09:30", 3.1]]


def test_a_test_name_no_vocabulary_knows_is_listed_and_map_reads_it(tmp_path):
    path = tmp_path / "local.csv"
    path.write_text("Q1,Q2,Q3,Q4\n2022-10-06 09:30,NQ-7,1.2,10^3/uL\n2022-10-06 09:30,NQ-8,3.1,10^3/uL\n"
                    "2022-10-07 09:30,NQ-7,0.4,10^3/uL\n")
    with pytest.raises(InputError, match=r"Tests found: 'NQ-7', 'NQ-8'.*--map NAME=ANC"):
        import_labs(path)
    labs = import_labs(path, mapping={"NQ-7": "ANC"})
    assert series(labs, "ANC") == [["2022-10-06T09:30", 1.2], ["2022-10-07T09:30", 0.4]]


def test_of_two_date_columns_the_earlier_is_the_collection_time(tmp_path):
    path = tmp_path / "two_dates.csv"
    path.write_text("a,b,c,d,e\n"
                    "2022-09-06 11:00,ANC,1.2,K/uL,2022-09-06 08:00\n"
                    "2022-09-06 11:00,WBC,3.0,K/uL,2022-09-06 08:00\n"
                    "2022-09-07 10:40,ANC,0.4,K/uL,2022-09-07 08:30\n")
    labs = import_labs(path)
    assert labs.detection.columns["time"] == "e"
    assert series(labs, "ANC") == [["2022-09-06T08:00", 1.2], ["2022-09-07T08:30", 0.4]]


def test_a_code_dictionary_names_a_research_extracts_tests():
    expected = json.loads((RESEARCH / "expected.json").read_text())
    assert read_code_dictionary(RESEARCH / "d_labitems.csv") == expected["dictionary"]  # pleural fluid left out


def test_a_research_extract_is_read_with_its_dictionary():
    expected = json.loads((RESEARCH / "expected.json").read_text())
    path = RESEARCH / "labevents.csv"
    with pytest.raises(InputError, match=r"They are codes: .*--lab-dictionary"):
        import_labs(path)
    labs = import_labs(path, dictionary=read_code_dictionary(RESEARCH / "d_labitems.csv"))
    assert series(labs, "ANC") == expected["anc"]
    derived = labs.series("ANC")[labs.series("ANC")["derived"]]
    assert [t.isoformat(timespec="minutes") for t in derived["time"].dt.to_pydatetime()] == expected["derived"]
    assert series(labs, "WBC") == expected["wbc"]
    assert labs.detection.columns["time"] == "charttime"  # stored later: not the draw
    assert labs.patient == "10004321"
    # The project keeps the codes it read: reopened without the dictionary, the same numbers
    again = import_labs(path, settings=labs.settings)
    assert again.observations.equals(labs.observations)
    assert datetime(2180, 3, 6, 7, 55) in set(again.series("ANC")["time"])


def test_a_code_can_be_mapped_by_hand():
    labs = import_labs(RESEARCH / "labevents.csv", mapping={"52075": "ANC"})
    assert len(labs.series("ANC")) == 4  # the measured counts; nothing names the WBC to derive the fifth


def test_a_sheet_of_prose_is_refused_after_a_few_rows_tried_as_headings(tmp_path, monkeypatch):
    """Every line of a notes export looks like a row of headings; trying each of 150 against the
    rows below took seconds, so only the first few are tried."""
    import analysis.importing.content_layout as content

    path = tmp_path / "notes.csv"
    path.write_text("".join(f"note {i} about the patient,seen on the ward,plan to continue,word{i % 37}\n"
                            for i in range(2000)))
    tried = []
    real = content._layout
    monkeypatch.setattr(content, "_layout", lambda *a: tried.append(a[1]) or real(*a))
    with pytest.raises(InputError, match="no recognisable lab results"):
        import_labs(path)
    assert len(tried) == content.MAX_TRIES
