"""``nadir project``, and ``nadir summary``/``render`` on a project, as a user runs them."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from analysis.model import Event
from analysis.project import store
from desktop.cli import main

DATA = Path(__file__).parent / "data"
CASE = DATA / "ivig-mmn"
PROJECTS = DATA / "projects"
WINDOW = ["--from", "2022-09-06", "--to", "2022-12-27"]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def mapped(tmp_path, capsys):
    """A project of the export whose ANC only a hand mapping finds, written by `nadir project`."""
    labs, mar = tmp_path / "local_anc_labs.xlsx", tmp_path / "infusions.xlsx"
    shutil.copy(PROJECTS / "local_anc_labs.xlsx", labs)
    shutil.copy(CASE / "infusions.xlsx", mar)
    files = [labs, "--infusions", mar, "--map", "Q-GR#=ANC", *WINDOW]
    code, out, err = run(capsys, "project", tmp_path / "mapped.nadir", *files)
    assert code == 0, err
    assert out.strip() == "wrote mapped.nadir (6 cycles, 25 neutrophil counts)"
    return tmp_path / "mapped.nadir", files


def test_a_hand_mapped_project_gives_the_numbers_of_its_files(capsys, mapped):
    path, files = mapped
    saved = json.loads(path.read_text())
    assert saved["import"]["labs"]["mapping"]["Q-GR#"] == "ANC"
    assert saved["window"] == ["2022-09-06", "2022-12-27"]
    code, from_project, err = run(capsys, "summary", path, "--json")
    assert code == 0, err
    code, from_files, _ = run(capsys, "summary", *files, "--json")
    assert json.loads(from_project) == json.loads(from_files)
    assert len(json.loads(from_project)["cycles"]) == 6
    code, text, _ = run(capsys, "summary", path)
    assert code == 0 and "pre-infusion median  1.1 (0.7-1.6), n = 6" in text


def test_the_same_project_gives_the_same_figure_bytes(capsys, mapped, tmp_path):
    path, files = mapped
    for name in ("a.pdf", "b.pdf"):
        assert run(capsys, "render", path, "-o", tmp_path / name)[0] == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    # ... and the figure the files give with the same choices
    assert run(capsys, "render", *files, "-o", tmp_path / "files.pdf")[0] == 0
    assert (tmp_path / "files.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()


def test_the_projects_edits_and_figure_settings_are_used_and_options_override(capsys, mapped, tmp_path):
    path, _ = mapped
    opened = store.open_project(path)
    case = opened.case.with_event(Event("infection", "Pneumonia", datetime(2022, 11, 10)))
    anc = case.anc
    pre = anc[anc["time"] == case.cycles[0].pre.time].iloc[0]  # cycle 1's pre-infusion count
    case = case.excluding(str(pre["file"]), int(pre["row"]), str(pre["column"]), "clotted")
    settings = dataclasses.replace(opened.settings, axis="dates", width_mm=89, height_mm=110)
    store.save_project(path, case, settings, sources=opened.sources)

    code, out, _ = run(capsys, "summary", path, "--json")
    got = json.loads(out)
    assert [c["infection"] for c in got["cycles"]] == [False, False, False, True, False, False]  # the event
    assert got["cycles"][0]["pre"] is None  # the excluded count, and no other in its window
    assert got["summary"]["pre"]["n"] == 4
    code, out, _ = run(capsys, "render", path, "-o", tmp_path / "project.png", "--dpi", "300")
    assert code == 0 and "89 x 110 mm" in out
    code, out, _ = run(capsys, "render", path, "-o", tmp_path / "wider.png", "--dpi", "300", "--width-mm", "120")
    assert code == 0 and "120 x 110 mm" in out
    code, out, _ = run(capsys, "summary", path, "--from", "2022-10-01", "--json")
    assert code == 0 and len(json.loads(out)["cycles"]) == 4


def test_a_format_1_project_works_on_the_command_line(capsys):
    code, out, err = run(capsys, "summary", PROJECTS / "reference.nadir", "--json")
    assert code == 0, err
    assert json.loads(out) == json.loads((PROJECTS / "reference.expected.json").read_text())


@pytest.mark.parametrize("content, words", [
    ('{"format": "nadir-project", "version": 2, "sources": {"labs": {"path": "x.xlsx"}}, '
     '"rules": {"post_window_hours": 1e308}}', "the post-infusion window (rules.post_window_hours) must be between"),
    ('{"format": "nadir-project", "version": 2}', "sources is missing"),
    ('{"format": "nadir-project", "version": ' + "1" * 5000 + "}", "is not a Nadir project file or is damaged"),
    ("{" * 100_000, "is not a Nadir project file or is damaged"),
])
def test_a_damaged_project_is_one_line_and_exit_2(capsys, tmp_path, content, words):
    path = tmp_path / "case.nadir"
    path.write_text(content)
    for command in (["summary", path], ["render", path, "-o", tmp_path / "f.pdf"]):
        code, out, err = run(capsys, *command)
        assert code == 2 and out == ""
        assert err.startswith("nadir: case.nadir: ") and words in err and err.count("\n") == 1


def test_a_damaged_project_is_refused_before_the_case_reader_is_imported(tmp_path):
    # pandas is a second or more of a fresh process's start-up: `nadir summary` checks the
    # project (JSON, schema) first, so a refusal does not wait for it.
    path = tmp_path / "case.nadir"
    path.write_text('{"format": "nadir-project", "version": 2}')
    probe = ("import sys; from desktop.cli import main; code = main(['summary', sys.argv[1]]); "
             "print(code, 'pandas' in sys.modules, 'analysis.case' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", probe, str(path)], cwd=Path(__file__).parents[1],
                          capture_output=True, text=True, timeout=120)
    assert "sources is missing" in proc.stderr
    assert proc.stdout.split() == ["2", "False", "False"]


def test_a_project_that_lost_its_mapping_says_so(capsys):
    code, _, err = run(capsys, "summary", PROJECTS / "hand_mapping.nadir")
    assert code == 2 and err.startswith("nadir: hand_mapping.nadir: was saved by an earlier version")


def test_file_options_with_a_project_are_refused(capsys, mapped):
    path, _ = mapped
    code, _, err = run(capsys, "summary", path, "--map", "X=ANC", "--patient", "1")
    assert code == 2 and "--map and --patient cannot be used with a project" in err
    # The column overrides are file options too: a project has already said which column is which.
    for option, value in (("--lab-column", "test=Q2"), ("--infusion-column", "drug=Drug"),
                          ("--event-column", "label=Problem")):
        code, _, err = run(capsys, "summary", path, option, value)
        assert code == 2 and f"{option} cannot be used with a project" in err


def test_project_refuses_a_bad_name_or_writing_over_an_input(capsys, tmp_path):
    code, _, err = run(capsys, "project", tmp_path / "case.json", CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx")
    assert code == 2 and "a project file's name ends with .nadir" in err
    fake = tmp_path / "labs.nadir"
    fake.write_bytes((CASE / "labs.xlsx").read_bytes())
    code, _, err = run(capsys, "project", fake, fake, "--infusions", CASE / "infusions.xlsx")
    assert code == 2 and "never writes over its inputs" in err
    code, _, err = run(capsys, "summary", CASE / "labs.xlsx")
    assert code == 2 and "--infusions is required with a lab export" in err
