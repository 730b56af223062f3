"""The .nadir project file: round trip, changed sources, damaged files, atomic save, recovery."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from datetime import date, datetime

import pytest

from analysis.project import store as project
from analysis.case import Exclusion, load_case
from analysis.errors import InputError
from analysis.figure.spec import FigureSettings, build_figure
from analysis.model import Event
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "ivig-mmn"
WINDOW = (date(2022, 9, 6), date(2022, 12, 27))


@pytest.fixture
def sources(tmp_path):
    """Copies of the reference case's files (a test may change them)."""
    out = {}
    for role, name in (("labs", "labs.xlsx"), ("infusions", "infusions.xlsx"), ("events", "events.csv")):
        out[role] = tmp_path / name
        shutil.copy(DATA / name, out[role])
    return out


@pytest.fixture
def edited_case(sources):
    case = load_case(sources["labs"], sources["infusions"], sources["events"], window=WINDOW)
    anc = case.anc
    first = anc.iloc[-1]
    case = dataclasses.replace(
        case,
        events=case.events + (Event("fever", "Fever 38.5", datetime(2022, 11, 15), datetime(2022, 11, 17)),),
        exclusions=(Exclusion(str(first["file"]), int(first["row"]), str(first["column"]), "haemolysed sample"),),
        administrations=tuple(
            dataclasses.replace(a, time=a.time.replace(hour=10)) if i == 0 else a
            for i, a in enumerate(case.administrations)
        ),
    )
    return case


def test_round_trip_gives_the_same_case_and_figure(tmp_path, sources, edited_case):
    settings = FigureSettings(axis="dates", panel_b="overlay", show_reference_range=True, reference_range=(1.8, 7.7))
    path = tmp_path / "case.nadir"
    project.save_project(path, edited_case, settings, sources=sources)
    opened = project.open_project(path)
    assert opened.warnings == ()
    assert opened.settings == settings
    case = opened.case
    assert case.events == edited_case.events
    assert case.exclusions == edited_case.exclusions
    assert case.administrations == edited_case.administrations
    assert tuple(case.window) == WINDOW
    assert build_figure(case, opened.settings) == build_figure(edited_case, settings)
    data = json.loads(path.read_text())
    assert data["format"] == "nadir-project" and data["version"] == project.PROJECT_VERSION
    assert data["sources"]["labs"]["sha256"] == project.sha256_file(sources["labs"])
    assert data["exclusions"][0]["reason"] == "haemolysed sample"


def test_saving_never_writes_the_sources_and_leaves_no_temporary_file(tmp_path, sources, edited_case):
    before = {p: p.read_bytes() for p in sources.values()}
    project.save_project(tmp_path / "a.nadir", edited_case, sources=sources)
    project.save_project(tmp_path / "a.nadir", edited_case, sources=sources)  # overwrite
    assert {p: p.read_bytes() for p in sources.values()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.nadir", *(p.name for p in sources.values())])


def test_a_failed_save_keeps_the_previous_project(tmp_path, sources, edited_case, monkeypatch):
    path = tmp_path / "a.nadir"
    project.save_project(path, edited_case, sources=sources)
    before = path.read_text()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="could not be saved: the disk is full; the previous project is unchanged"):
        project.save_project(path, edited_case.with_window(None, None), sources=sources)
    assert path.read_text() == before
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_a_changed_source_file_is_reported_by_name(tmp_path, sources, edited_case):
    path = tmp_path / "a.nadir"
    project.save_project(path, edited_case, sources=sources)
    with open(sources["events"], "a", encoding="utf-8") as fh:
        fh.write("\n")
    opened = project.open_project(path)
    assert len(opened.warnings) == 1
    assert "events.csv" in opened.warnings[0] and "changed" in opened.warnings[0]


def test_sources_moved_with_the_project_are_found_beside_it(tmp_path, sources, edited_case):
    path = tmp_path / "a.nadir"
    project.save_project(path, edited_case, sources=sources)
    moved = tmp_path / "moved"
    moved.mkdir()
    for p in [path, *sources.values()]:
        shutil.move(p, moved / p.name)
    opened = project.open_project(moved / "a.nadir")
    assert opened.sources["labs"] == moved / "labs.xlsx"
    assert opened.case.events == edited_case.events


def test_a_missing_source_names_the_file(tmp_path, sources, edited_case):
    path = tmp_path / "a.nadir"
    project.save_project(path, edited_case, sources=sources)
    sources["labs"].unlink()
    with pytest.raises(InputError, match="labs.xlsx"):
        project.open_project(path)


@pytest.mark.parametrize(
    "content, words",
    [("not json {", "damaged"), ('{"format": "something-else"}', "not a Nadir project"),
     ('{"format": "nadir-project", "version": 99}', "newer version")],
)
def test_bad_project_files_say_what_is_wrong(tmp_path, content, words):
    path = tmp_path / "bad.nadir"
    path.write_text(content)
    with pytest.raises(InputError, match=words):
        project.read_project(path)


def test_unknown_keys_from_a_later_version_are_ignored(tmp_path, sources, edited_case):
    path = tmp_path / "a.nadir"
    project.save_project(path, edited_case, FigureSettings(), sources=sources)
    data = json.loads(path.read_text())
    data["something_new"] = [1, 2]
    data["figure"]["a_later_setting"] = True
    path.write_text(json.dumps(data))
    assert project.open_project(path).case.events == edited_case.events


def test_recovery_file_is_newer_than_the_project(tmp_path, sources, edited_case):
    path = tmp_path / "a.nadir"
    project.save_project(path, edited_case, sources=sources)
    recovery = project.recovery_path(tmp_path / "recovery", path)
    assert not project.recovery_is_newer(recovery, path)
    project.save_project(recovery, edited_case, sources=sources, origin=path)
    past = path.stat().st_mtime - 10
    os.utime(path, (past, past))
    assert project.recovery_is_newer(recovery, path)
    opened = project.open_project(recovery)
    assert opened.origin == path
    assert project.recovery_path(tmp_path, None).name == "untitled.nadir"


def test_the_import_choices_are_replayed_on_reopening(tmp_path, sources):
    case = load_case(sources["labs"], sources["infusions"], sources["events"], window=WINDOW, date_order="MDY")
    path = tmp_path / "a.nadir"
    project.save_project(path, case, sources=sources)
    opened = project.open_project(path)
    assert opened.import_settings == case.import_settings
    assert opened.import_settings.labs.sheet == "Results" and opened.import_settings.labs.date_order == "MDY"
    assert opened.case.import_settings == case.import_settings
    assert opened.case.anc.equals(case.anc)
