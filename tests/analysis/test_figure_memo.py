"""The figure's remembered steps (analysis/memo.py) give what a fresh build gives: after each
edit the spec equals the spec built with every remembered result forgotten."""

from __future__ import annotations

import dataclasses
import importlib
from datetime import timedelta

import pytest

from analysis.demo import load_demo
from analysis.figure import FigureSettings, build_figure
from analysis.memo import LastResult, PerObject
from analysis.model import Event

MODULES = ("analysis.figure.spec", "analysis.figure.panel_a", "analysis.figure.panel_b",
           "analysis.figure.draws", "analysis.figure.marks")


def _forget(monkeypatch) -> int:
    """Every remembered result of the figure's modules replaced by an empty one."""
    count = 0
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, LastResult | PerObject):
                monkeypatch.setattr(module, attr, type(value)())
                count += 1
    return count


def _fresh(case, settings):
    with pytest.MonkeyPatch.context() as mp:
        assert _forget(mp) >= 8  # the memos this test is about are all found
        return build_figure(case, settings)


@pytest.mark.parametrize("settings", [FigureSettings(), FigureSettings(panel_b="overlay", show_stats_text=False),
                                      FigureSettings(panel_b="cycle:2", height_mm=140)])
def test_each_edit_gives_the_spec_of_a_fresh_build(settings):
    case = load_demo()
    shown = case.cycles[0 if settings.panel_b != "cycle:2" else 1]  # panel B's cycle
    other = case.cycles[3]
    edits = [
        Event("gcsf", "G-CSF outside panel B", other.start + timedelta(days=3)),
        Event("gcsf", "G-CSF in panel B's cycle", shown.start + timedelta(days=2)),
        # An infection on the day of a draw: that draw's role changes, and the cycle's.
        Event("infection", "infection elsewhere", other.draws[-1].time),
        Event("infection", "infection in panel B's cycle", shown.draws[-1].time),
    ]
    before = build_figure(case, settings)  # remembered from here on
    for event in edits:
        case = case.with_event(event)
        spec = build_figure(case, settings)
        assert spec == _fresh(case, settings), event.label
    assert spec.panels[0] != before.panels[0]  # the edits show
    if settings.panel_b != "overlay":
        assert spec.panels[1] != before.panels[1]
    undone = dataclasses.replace(case, events=case.events[:1])
    assert build_figure(undone, settings) == _fresh(undone, settings)


def test_forget_all_makes_every_memo_compute_again():
    # The render benchmark's "first export of a process" relies on it: nothing remembered.
    from analysis.memo import LastResult, PerObject, forget_all

    last, per = LastResult(), PerObject()
    calls = []
    key, obj = ("a",), object()
    last.get(key, lambda: calls.append("last"))
    per.get(obj, lambda o: calls.append("per"))
    last.get(key, lambda: calls.append("last"))
    per.get(obj, lambda o: calls.append("per"))
    assert calls == ["last", "per"]
    forget_all()
    last.get(key, lambda: calls.append("last"))
    per.get(obj, lambda o: calls.append("per"))
    assert calls == ["last", "per", "last", "per"]
