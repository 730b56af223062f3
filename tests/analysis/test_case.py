"""Acceptance: the seed case (ivig-mmn) reproduces expected.json and the article's numbers."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.case import Case, Exclusion, cycles_table, load_case
from analysis.rules.cycles import CycleRules
from analysis.treatment.events import make_event
from analysis.model import OBSERVATION_COLUMNS, LabImport
from analysis.treatment.medications import course_label

DATA = Path(__file__).resolve().parents[1] / "data" / "ivig-mmn"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
WINDOW = (date.fromisoformat(EXPECTED["window"]["from"]), date.fromisoformat(EXPECTED["window"]["to"]))


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case(DATA / "labs.xlsx", DATA / "infusions.xlsx", DATA / "events.csv", window=WINDOW)


def test_six_cycles(case):
    assert len(case.cycles) == EXPECTED["paper"]["cycles"] == 6
    assert [c.number for c in case.cycles] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("k", range(6))
def test_every_expected_cycle_value(case, k):
    want = EXPECTED["rules"]["cycles"][k]
    c = case.cycles[k]
    got = {
        "number": c.number,
        "start": c.start.isoformat(timespec="minutes"),
        "pre": c.pre.value,
        "post": c.post.value,
        "post_day": c.post.day,
        "nadir": c.nadir.value,
        "nadir_day": c.nadir.day,
        "recovery_day": c.recovery_day,
        "infection": c.infection,
    }
    assert got == want


def test_expected_summary(case):
    s = case.summary
    for name in ("pre", "post", "nadir"):
        want = EXPECTED["rules"]["summary"][name]
        got = getattr(s, name)
        assert {"median": got.median, "min": got.min, "max": got.max, "n": got.n} == want, name


def test_the_article_numbers(case):
    paper = EXPECTED["paper"]
    s = case.summary
    assert (s.pre.median, s.pre.min, s.pre.max) == (paper["pre_median"], paper["pre_min"], paper["pre_max"])
    assert (s.post.median, s.post.min, s.post.max) == (paper["post_median"], paper["post_min"],
                                                       paper["post_max"])
    c1 = case.cycles[0]
    assert (c1.pre.value, c1.post.value, c1.nadir.value, c1.nadir.day, c1.recovery_day) == (
        paper["cycle1"]["pre"], paper["cycle1"]["post"], paper["cycle1"]["nadir"],
        paper["cycle1"]["nadir_day"], paper["cycle1"]["recovery_day"])
    c3 = case.cycles[paper["infection_cycle"] - 1]
    assert c3.infection and not c3.included
    assert [c.number for c in case.cycles if c.infection] == [3]
    # the COVID-19 draw: 2.4, 42 days after the first monitored infusion
    covid = case.anc[case.roles == "infection"]
    assert list(covid["value"]) == [paper["infection_anc"]]
    assert (covid["time"].iloc[0].date() - case.cycles[0].start.date()).days == paper["infection_day"]


def test_wilcoxon_over_five_pairs(case):
    w = case.summary.wilcoxon
    assert w.n == 5 and w.method == "exact" and w.p == pytest.approx(0.0625)


def test_one_administration_per_infusion(case):
    monitored = [a for a in case.administrations if a.time.date() >= WINDOW[0]]
    assert len(monitored) == 6
    assert all(a.product == "IVIG (Privigen)" for a in case.administrations)
    assert [len(c.course.administrations) for c in case.cycles] == [1] * 6
    assert course_label(case.cycles[0].course) == "IVIG 1 g/kg"


def test_roles_for_the_figure(case):
    counts = case.roles.value_counts().to_dict()
    # six pre-infusion draws (red), five day-after draws (purple), the COVID-19 draw (yellow)
    assert counts["pre"] == 6 and counts["post"] == 5 and counts["infection"] == 1


def test_cycles_table_matches(case):
    table = case.table()
    assert table.equals(cycles_table(case.cycles))
    assert list(table["nadir_day"]) == [8, 1, 22, 21, 1, 1]
    assert list(table["included"]) == [True, True, False, True, True, True]
    assert table["recovery_day"].isna().tolist() == [False, False, True, True, False, True]


def test_whole_record_without_window(case):
    everything = case.with_window(None, None)
    assert len(everything.cycles) == 155
    # the cycle numbers restart in the window; the window's first cycle is course 150 (155 - 6 + 1)
    assert case.cycles[0].course.number == 150


def test_case_is_immutable_and_updates_make_new_cases(case):
    with pytest.raises(FrozenInstanceError):
        case.window = (None, None)  # type: ignore[misc]
    no_events = case.with_events(())
    assert not any(c.infection for c in no_events.cycles)
    assert no_events.summary.pre.n == 6
    assert case.summary.pre.n == 5  # the original is untouched
    kept = case.with_rules(CycleRules(exclude_infection=False))
    assert kept.summary.post.max == 2.4
    added = no_events.with_event(make_event("infection", "flu", date(2022, 12, 22)))
    assert [c.infection for c in added.cycles] == [False] * 5 + [True]


def test_exclusion_removes_a_value_and_changes_the_cycle(case):
    anc = case.anc
    row = anc[(anc["time"] == datetime(2022, 9, 14, 9, 0))].iloc[0]  # the cycle-1 nadir 0.3
    changed = case.excluding(row["file"], int(row["row"]), reason="haemolysed sample")
    assert len(changed.anc) == len(anc) - 1
    assert changed.cycles[0].nadir.value == 0.4 and changed.cycles[0].nadir.day == 1
    assert changed.exclusions == (Exclusion("labs.xlsx", int(row["row"]), "", "haemolysed sample"),)
    assert len(case.anc) == len(anc)


def test_case_without_infusions_has_no_cycles():
    labs = LabImport(observations=pd.DataFrame(columns=list(OBSERVATION_COLUMNS)))
    c = Case(labs=labs)
    assert c.cycles == [] and c.summary.pre.n == 0 and c.summary.wilcoxon.p is None


def test_load_case_keeps_the_mar_report_and_works_without_optional_files(case):
    assert case.medication_import is not None
    assert case.medication_import.products["Acetaminophen"] == 155
    labs_only = load_case(DATA / "labs.xlsx")
    assert labs_only.cycles == [] and len(labs_only.anc) == len(case.anc)
    assert labs_only.medication_import is None
