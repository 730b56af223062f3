"""A long record starts on a readable window: its last twelve cycles, not 150 bands."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from analysis.figure import FigureSettings, build_figure
from analysis.figure.defaults import READABLE_CYCLES, readable_window, window_note

GRID = Path(__file__).resolve().parents[1] / "figure_grid.py"


def _grid():
    spec = importlib.util.spec_from_file_location("figure_grid", GRID)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_ten_year_record_defaults_to_its_last_twelve_cycles():
    record = _grid().ten_year_case()
    assert len(record.cycles) > 150
    shown = readable_window(record)
    assert len(shown.cycles) == READABLE_CYCLES
    assert shown.cycles[-1].start == record.cycles[-1].start
    bands = build_figure(shown, FigureSettings(width_mm=89, height_mm=110)).panels[0].bands
    assert len({b.cycle for b in bands if b.cycle}) <= READABLE_CYCLES + 1
    assert f"holds {len(record.cycles)} cycles; the figure shows the last 12 with counts" in window_note(record, shown)


def test_an_infusion_record_longer_than_the_labs_defaults_to_the_cycles_with_counts():
    """The reference infusion record runs years beyond the lab export's run of counts: the window
    is the last run of cycles with draws (around the case report's six), not twelve infusions of which
    five have nothing to show."""
    from datetime import date

    from analysis.case import load_case

    folder = Path(__file__).resolve().parents[1] / "data" / "ivig-mmn"
    whole = load_case(folder / "labs.xlsx", folder / "infusions.xlsx", folder / "events.csv")
    assert len(whole.cycles) > READABLE_CYCLES
    shown = readable_window(whole)
    assert 1 <= len(shown.cycles) <= READABLE_CYCLES and all(c.draws for c in shown.cycles)
    start, end = shown.window  # the run of counts that holds the case report's six cycles
    assert date(2022, 8, 1) <= start <= date(2022, 9, 6) and end == date(2022, 12, 20)


def test_a_short_record_or_a_chosen_window_is_left_alone(case):
    assert readable_window(case) is case  # the reference case: its window was chosen
    long = _grid().ten_year_case()
    chosen = long.with_window(long.cycles[0].start.date(), long.cycles[-1].start.date())
    assert readable_window(chosen) is chosen


def test_panel_b_defaults_to_a_cycle_of_typical_length_not_the_gap_the_window_opens_with():
    """The demo record's readable window opens with a cycle of 224 days (a gap in the treatment
    record) that has three draws after its infusion: panel B expands the first cycle of the
    record's usual length with that many draws instead, on screen, in the dialog and in render."""
    from analysis.case import load_case
    from analysis.demo import demo_paths
    from analysis.figure.defaults import default_settings, first_followed_cycle
    from analysis.figure.panel_b import resolve_panel_b

    shown = readable_window(load_case(*demo_paths()))
    first = shown.cycles[0]
    assert (first.end - first.start).days > 200 and sum(d.time > first.start for d in first.draws) >= 3
    typical = next(c for c in shown.cycles if 14 <= (c.end - c.start).days <= 28
                   and sum(d.time > c.start for d in c.draws) >= 3)
    expected = f"cycle:{typical.number}"
    assert typical.number > first.number
    assert first_followed_cycle(shown) == expected == default_settings(shown).panel_b
    assert resolve_panel_b("auto", shown.cycles) == expected
    spec = build_figure(shown, FigureSettings(panel_b="auto"))
    assert any(t.text == f"Cycle {typical.number}" for t in spec.panels[1].texts)
