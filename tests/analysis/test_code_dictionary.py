"""The dictionary of a research extract's test codes: read from its file, kept in the import
settings and the project, and told from the extract by what the two files hold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis.case import load_case
from analysis.errors import InputError
from analysis.importing.code_dictionary import dictionary_and_extract
from analysis.importing.observations import import_labs
from analysis.project import store

DATA = Path(__file__).resolve().parents[1] / "data"
RESEARCH = DATA / "research"
EXPECTED = json.loads((RESEARCH / "expected.json").read_text(encoding="utf-8"))


def anc(labs) -> list:
    series = labs.series("ANC")
    return [[t.isoformat(timespec="minutes"), round(float(v), 6)]
            for t, v in zip(series["time"].dt.to_pydatetime(), series["value"], strict=True)]


@pytest.fixture
def research(tmp_path) -> tuple[Path, Path]:
    """Copies of the extract and its dictionary (a test may move the dictionary away)."""
    for name in ("labevents.csv", "d_labitems.csv"):
        shutil.copy(RESEARCH / name, tmp_path / name)
    return tmp_path / "labevents.csv", tmp_path / "d_labitems.csv"


def test_the_dictionary_file_is_read_and_kept_in_the_settings(research):
    extract, dictionary = research
    labs = import_labs(extract, dictionary_file=dictionary)
    assert anc(labs) == EXPECTED["anc"]
    assert labs.settings.dictionary == str(dictionary.resolve())
    again = import_labs(extract, settings=labs.settings)
    assert again.observations.equals(labs.observations)
    assert again.settings == labs.settings  # a fixed point: reopening twice changes nothing


def test_a_saved_dictionary_no_longer_there_is_said_and_the_saved_codes_read(research, tmp_path):
    extract, dictionary = research
    labs = import_labs(extract, dictionary_file=dictionary)
    dictionary.rename(tmp_path / "elsewhere.csv")
    again = import_labs(extract, settings=labs.settings)
    assert again.observations.equals(labs.observations)
    assert any("d_labitems.csv is no longer at" in w for w in again.warnings)


def test_a_saved_dictionary_moved_with_the_extract_is_found_beside_it(research, tmp_path):
    extract, dictionary = research
    labs = import_labs(extract, dictionary_file=dictionary)
    moved = tmp_path / "shared"
    moved.mkdir()
    for path in (extract, dictionary):
        path.rename(moved / path.name)
    again = import_labs(moved / extract.name, settings=labs.settings)
    assert again.observations.drop(columns="file").equals(labs.observations.drop(columns="file"))
    assert not any("no longer at" in w for w in again.warnings)
    assert again.settings.dictionary == str(moved / dictionary.name)  # saved again where it is now


def test_a_file_that_is_no_dictionary_is_refused_by_its_name(research):
    extract, _dictionary = research
    with pytest.raises(InputError, match="is not a dictionary of test codes") as caught:
        import_labs(extract, dictionary_file=DATA / "ivig-mmn" / "labs.xlsx")
    assert caught.value.path.name == "labs.xlsx"


def test_a_dictionary_of_other_codes_is_said_to_name_none_of_them(research, tmp_path):
    extract, _dictionary = research
    other = tmp_path / "d_other.csv"
    other.write_text("itemid,label\n90001,Absolute Neutrophil Count\n90002,White Blood Cells\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_labs(extract, dictionary_file=other)
    assert "(d_other.csv) names none of them" in caught.value.hint


@pytest.mark.parametrize("swap", [False, True])
def test_the_dictionary_and_its_extract_are_told_apart_in_either_order(swap):
    files = [RESEARCH / "labevents.csv", RESEARCH / "d_labitems.csv"]
    assert dictionary_and_extract(*(files[::-1] if swap else files)) == (files[1], files[0])


@pytest.mark.parametrize("swap", [False, True])
def test_row_numbers_that_run_through_the_codes_do_not_make_the_extract_a_dictionary(tmp_path, swap):
    """An extract that gives each test's name beside its code is itself a table of unique
    numbers (its event numbers) beside test names, and its event numbers 995-1030 include every
    code of the dictionary (1001-1006): only the extract's codes repeat, so only one reading fits."""
    names = ["White Blood Cells", "Absolute Neutrophil Count", "Neutrophils", "Hemoglobin", "Platelet Count",
             "Creatinine"]
    dictionary = tmp_path / "items.csv"
    dictionary.write_text("itemid,label\n" + "".join(f"{1001 + i},{n}\n" for i, n in enumerate(names)),
                          encoding="utf-8")
    extract = tmp_path / "events.csv"
    extract.write_text("event_id,subject_id,itemid,label,charttime,valuenum\n" + "".join(
        f"{995 + k},7,{1001 + k % 6},{names[k % 6]},2180-03-{1 + k // 6:02d} 08:00,{1 + k % 5}.5\n"
        for k in range(36)), encoding="utf-8")
    files = [extract, dictionary]
    assert dictionary_and_extract(*(files[::-1] if swap else files)) == (dictionary, extract)


@pytest.mark.parametrize("pair", [
    (RESEARCH / "labevents.csv", DATA / "ivig-mmn" / "labs.xlsx"),  # an extract and another lab export
    (DATA / "treatment" / "cerner_mar.csv", DATA / "events" / "simple.csv"),  # a record and an events table
    (RESEARCH / "d_labitems.csv", DATA / "ivig-mmn" / "labs.xlsx"),  # a dictionary of none of its codes
])
def test_two_files_that_are_no_extract_and_dictionary_are_not_paired(pair):
    assert dictionary_and_extract(*pair) is None


def test_the_project_keeps_the_dictionary_and_reopens_the_same(research, tmp_path):
    extract, dictionary = research
    case = load_case(extract, lab_dictionary=dictionary)
    path = tmp_path / "research.nadir"
    store.save_project(path, case, sources={"labs": extract})
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["import"]["labs"]["dictionary"] == str(dictionary.resolve())
    opened = store.open_project(path)
    assert opened.case.labs.observations.equals(case.labs.observations)
    assert opened.case.labs.settings == case.labs.settings
