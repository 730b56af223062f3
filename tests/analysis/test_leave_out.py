"""Which event types leave a cycle out of the summary: infection by default, G-CSF or a
hospitalisation when chosen; said in the rules, the methods text and the figure's statistics."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.demo import load_demo
from analysis.figure.legend import methods_paragraph
from analysis.model import Event
from analysis.rules.cycles import CycleRules


@pytest.fixture(scope="module")
def gcsf_case():
    case = load_demo()
    second = case.cycles[1]
    gcsf = Event(kind="gcsf", label="Filgrastim", start=second.start.replace(hour=12) + (second.end - second.start) / 3)
    return case.with_events((*case.events, gcsf))


def test_infection_alone_is_left_out_by_default(gcsf_case):
    left = [c.number for c in gcsf_case.cycles if not c.included]
    assert left == [3]
    assert gcsf_case.cycles[2].left_out_by == ("infection",)


def test_g_csf_cycles_can_be_left_out_too(gcsf_case):
    case = gcsf_case.with_rules(CycleRules.leaving_out(["infection", "gcsf"]))
    assert [c.number for c in case.cycles if not c.included] == [2, 3]
    assert case.cycles[1].left_out_by == ("gcsf",)
    assert case.summary.pre.n == len(case.cycles) - 2
    rules_text = " ".join(case.rules.describe())
    assert "Cycles containing G-CSF are left out of the summary as well." in rules_text
    methods = methods_paragraph(case)
    assert "cycles 2, 3 (infection, G-CSF) left out of the summary" in methods


def test_only_g_csf(gcsf_case):
    case = gcsf_case.with_rules(CycleRules.leaving_out(["gcsf"]))
    assert [c.number for c in case.cycles if not c.included] == [2]
    assert case.cycles[2].infection and case.cycles[2].included  # marked, kept


def test_rules_compare_equal_whatever_the_order(gcsf_case):
    assert CycleRules(leave_out=["hospitalisation", "gcsf"]) == CycleRules(leave_out=("gcsf", "hospitalisation"))
    assert CycleRules().left_out_kinds() == ("infection",)


def test_the_choice_is_kept_in_the_project(gcsf_case, tmp_path):
    from analysis.demo import demo_paths
    from analysis.project.store import open_project, save_project

    labs, infusions, events = demo_paths()
    case = gcsf_case.with_rules(dataclasses.replace(gcsf_case.rules, leave_out=("gcsf",)))
    path = tmp_path / "case.nadir"
    save_project(path, case, sources={"labs": labs, "infusions": infusions, "events": events})
    assert open_project(path).case.rules.leave_out == ("gcsf",)


def test_the_command_line_takes_leave_out(tmp_path, capsys):
    from analysis.demo import demo_paths
    from desktop.cli import main

    labs, infusions, events = demo_paths()
    base = ["summary", str(labs), "--infusions", str(infusions), "--events", str(events)]
    assert main([*base, "--leave-out", "none"]) == 0
    kept = capsys.readouterr().out
    assert "kept in the summary" in kept
    assert main([*base, "--leave-out", "infection", "hospitalisation"]) == 0
    both = capsys.readouterr().out
    assert "Cycles containing a hospitalisation are left out of the summary as well." in " ".join(both.split())
    with pytest.raises(SystemExit) as refused:  # a usage mistake: one line and status 2
        main([*base, "--leave-out", "coffee"])
    assert refused.value.code == 2
    assert "invalid choice: 'coffee'" in capsys.readouterr().err
