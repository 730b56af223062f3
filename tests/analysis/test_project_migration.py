"""Projects saved by Nadir 0.1 (format 1) open with the same numbers that version computed.

The fixtures in tests/data/projects/ were written by the format-1 code itself (see
make_format1.py there), with that code's ``summary --json`` numbers beside each one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.project import store as project
from analysis.project.migrate import from_version_1
from desktop.cli import summary_json

PROJECTS = Path(__file__).resolve().parents[1] / "data" / "projects"


@pytest.mark.parametrize("name", ["reference", "demo", "edited", "hand_mapping_options"])
def test_a_format_1_project_opens_with_the_numbers_it_was_saved_with(name):
    path = PROJECTS / f"{name}.nadir"
    assert json.loads(path.read_text())["version"] == 1
    opened = project.open_project(path)
    assert opened.warnings == ()
    expected = json.loads((PROJECTS / f"{name}.expected.json").read_text())
    assert json.loads(json.dumps(summary_json(opened.case))) == expected


def test_the_edits_of_a_format_1_project_survive_the_migration():
    opened = project.open_project(PROJECTS / "edited.nadir")
    case, settings = opened.case, opened.settings
    assert [e.label for e in case.events][-1] == "Fever 38.5"
    assert [x.reason for x in case.exclusions] == ["haemolysed sample"]
    assert case.administrations[1].time.hour == 11
    assert str(case.window[0]) == "2022-09-27"
    assert (settings.preset, settings.axis, settings.panel_b, settings.font_pt, settings.dpi) == (
        "blood-double", "dates", "overlay", 8.0, 300)
    assert settings.reference_range == (1.8, 7.7) and settings.log_y


def test_format_1_import_options_become_one_settings_record_per_file():
    data = json.loads((PROJECTS / "hand_mapping_options.nadir").read_text())
    migrated = from_version_1(data)
    assert migrated["version"] == 2
    assert migrated["import"]["labs"] == {"sheet": "Results", "patient": "E0000001", "mapping": {"Q-GR#": "ANC"}}
    assert migrated["import"]["infusions"] == {"product": "IVIG", "patient": "E0000001"}
    assert migrated["import"]["events"] is None  # the case had no events table
    opened = project.open_project(PROJECTS / "hand_mapping_options.nadir")
    assert opened.import_settings.labs.mapping == {"Q-GR#": "ANC"}
    assert len(opened.case.anc) == 25


def test_a_format_1_project_that_lost_its_hand_mapping_says_so_plainly():
    # What the window saved in format 1 after an ANC mapped by hand: the mapping was dropped.
    with pytest.raises(InputError) as caught:
        project.open_project(PROJECTS / "hand_mapping.nadir")
    text = str(caught.value)
    assert text.startswith("hand_mapping.nadir: was saved by an earlier version of Nadir")
    assert "local_anc_labs.xlsx" in text and "neutrophil" in text and "\n" not in text


def test_a_migrated_project_saved_again_is_format_2_and_opens_the_same(tmp_path):
    for name in ("reference.nadir", "local_anc_labs.xlsx", "hand_mapping_options.nadir"):
        shutil.copy(PROJECTS / name, tmp_path / name)
    old = project.open_project(PROJECTS / "edited.nadir")
    path = tmp_path / "edited.nadir"
    project.save_project(path, old.case, old.settings, sources=old.sources)
    assert json.loads(path.read_text())["version"] == 2
    again = project.open_project(path)
    assert summary_json(again.case) == summary_json(old.case)
    assert again.settings == old.settings
