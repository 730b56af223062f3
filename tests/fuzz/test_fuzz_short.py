"""A short fuzz run in every test run: hostile workbooks of every format, projects and command
lines (the long run is tests/fuzz/run_long.py). No case may crash. How long each takes is
measured by the long run, which reports the slowest cases, not asserted here (no timed tests)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import harness
from tests.fuzz.mutations import workbook_cases
from tests.fuzz.projects import FILE_EDITS, cli_cases, project_cases, seed_project

FAST = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def check(outcome: harness.Outcome) -> None:
    assert outcome.verdict != "crash", f"{outcome.label}: {outcome.detail}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@FAST
@given(case=workbook_cases())
def test_hostile_workbooks_are_read_or_refused(case, folder):
    seed, data, what = case
    path = folder / f"case{seed[seed.rfind('.'):]}"
    path.write_bytes(data)
    check(harness.run_workbook(path, seed, what))


@pytest.fixture(scope="module")
def project_seed(folder):
    return seed_project(folder), harness.special_paths(folder / "paths")


@settings(FAST, max_examples=25)
@given(data=st.data())
def test_hostile_projects_are_opened_or_refused(data, project_seed, folder):
    seed, paths = project_seed
    text, what = data.draw(project_cases(seed, paths, FILE_EDITS))
    path = folder / "case.nadir"
    path.write_bytes(text)
    check(harness.run_project(path, what))


@settings(FAST, max_examples=25)
@given(data=st.data())
def test_hostile_command_lines_end_in_a_plain_line(data, project_seed, folder):
    _, paths = project_seed
    out = folder / "out"
    out.mkdir(exist_ok=True)
    argv = [a.replace("OUT/", f"{out}/") for a in data.draw(cli_cases(paths))]
    check(harness.run_cli(argv))
