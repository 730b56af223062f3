"""Every importer returns the settings that read its file again the same way, and takes them back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.case import load_case
from analysis.errors import ChoiceRequired, InputError
from analysis.importing.observations import import_labs
from analysis.importing.settings import LabImportSettings
from analysis.treatment.events import read_events
from analysis.treatment.medications import read_administrations

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = DATA.parents[1]
EXPORTS = sorted(p for folder in ("layouts", "formats") for p in (DATA / folder).iterdir()
                 if p.is_file() and p.suffix not in (".json", ".py"))
EXPORTS += [DATA / "ivig-mmn" / "labs.xlsx", ROOT / "resources" / "demo" / "labs.xlsx"]


def _first_read(path: Path):
    try:
        return import_labs(path)
    except ChoiceRequired as exc:  # answer the question as a user would
        return import_labs(path, **({"patient": exc.options[0]} if exc.kind == "patient" else {"date_order": "DMY"}))


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_replaying_the_returned_settings_reads_the_export_the_same_way(path):
    lab = _first_read(path)
    settings = lab.settings
    assert settings.sheet == lab.detection.sheet and settings.layout == lab.detection.layout
    assert settings.header_row == lab.detection.header_row and settings.patient == lab.patient
    again = import_labs(path, settings=settings)
    assert again.observations.equals(lab.observations)
    assert again.skipped == lab.skipped and again.warnings == lab.warnings
    assert again.settings == settings  # a fixed point: saving and reopening twice changes nothing


def test_the_hand_mapping_is_kept_with_the_automatic_choices():
    path = DATA / "projects" / "local_anc_labs.xlsx"
    with pytest.raises(InputError, match="no neutrophil counts"):
        import_labs(path)
    lab = import_labs(path, mapping={"Q-GR#": "anc"})
    assert lab.settings.mapping["Q-GR#"] == "ANC"  # as a code, however the user wrote it
    assert lab.settings.mapping["WBC"] == "WBC"  # recognised by Nadir, recorded too
    assert lab.settings.columns["test"] == "Component"
    assert import_labs(path, settings=lab.settings).observations.equals(lab.observations)


def test_a_name_that_decides_nothing_alone_is_not_recorded_as_a_mapping():
    # Two "Neutrophils" columns, a count and a percentage, told apart by their units.
    lab = import_labs(DATA / "layouts" / "ambiguous_names_flowsheet.xlsx")
    assert "Neutrophils" not in lab.settings.mapping


def test_saved_columns_are_read_by_their_headings():
    src = DATA / "ivig-mmn" / "labs.xlsx"
    lab = import_labs(src)
    assert lab.settings.columns["time"] == "Collection Date/Time"
    result_times = LabImportSettings(**{**lab.settings.__dict__,
                                        "columns": {**lab.settings.columns, "time": "Result Date/Time"}})
    again = import_labs(src, settings=result_times)
    # The results came back 47 minutes after each draw in this export.
    delay = (again.series()["time"] - lab.series()["time"]).dt.total_seconds() / 60
    assert set(delay) == {47.0}


def test_a_saved_column_that_is_gone_is_named(tmp_path):
    lab = import_labs(DATA / "ivig-mmn" / "labs.xlsx")
    gone = LabImportSettings(**{**lab.settings.__dict__, "columns": {**lab.settings.columns, "unit": "Einheit"}})
    with pytest.raises(InputError, match="'Einheit'"):
        import_labs(DATA / "ivig-mmn" / "labs.xlsx", settings=gone)


def test_keywords_override_saved_settings():
    lab = import_labs(DATA / "ivig-mmn" / "labs.xlsx")
    with pytest.raises(InputError, match="has no sheet named 'Other'"):
        import_labs(DATA / "ivig-mmn" / "labs.xlsx", settings=lab.settings, sheet="Other")


def test_infusion_and_event_settings_are_returned_and_replayed():
    mar = DATA / "ivig-mmn" / "infusions.xlsx"
    meds = read_administrations(mar)
    assert meds.settings.product == "IVIG" and meds.settings.patient == meds.patient
    assert read_administrations(mar, settings=meds.settings).administrations == meds.administrations
    table = read_events(DATA / "ivig-mmn" / "events.csv")
    assert read_events(DATA / "ivig-mmn" / "events.csv", settings=table.settings).events == table.events
    assert list(table) == list(table.events)  # still a sequence of events for callers that want only those


def test_load_case_replays_the_settings_of_each_file(tmp_path):
    ref = DATA / "ivig-mmn"
    case = load_case(ref / "labs.xlsx", ref / "infusions.xlsx", ref / "events.csv")
    again = load_case(ref / "labs.xlsx", ref / "infusions.xlsx", ref / "events.csv", settings=case.import_settings)
    assert again.import_settings == case.import_settings
    assert again.anc.equals(case.anc) and again.administrations == case.administrations
    # A two-patient record: the patient chosen once is the patient read again.
    two = tmp_path / "two.xlsx"
    shutil.copy(DATA / "formats" / "two_patients.xlsx", two)
    with pytest.raises(ChoiceRequired):
        import_labs(two)
    chosen = _first_read(two)
    assert import_labs(two, settings=chosen.settings).patient == chosen.patient
