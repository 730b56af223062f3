"""A sample of the figure's self-test grid (tests/figure_grid.py runs the whole grid): no text
overlaps another text, a marker or a reference line, from the layout's minimum height up, and
below it the figure is refused with the height that works."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.figure import PRESETS, FigureSettings, build_figure, layout_problems, render

GRID = Path(__file__).resolve().parents[1] / "figure_grid.py"


def _grid():
    spec = importlib.util.spec_from_file_location("figure_grid", GRID)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


grid = _grid()
# The places the whole grid once found collisions, checked at the minimum height and at 240 mm
# (record, preset, panel B, axis): a 10-year record's year ticks on a narrow dates axis, a nadir
# note between reference lines in a short 1.5-column panel B.
FOUND = [
    ("10-year record", "lancet-single", "overlay", "dates"), ("10-year record", "nature-1.5", "auto", "days"),
]
# The whole grid's finds at one height (record, preset, panel B, axis, height): the 0.5 line
# through "Day 1: 0.4" in a 75-mm panel B, where the generous width estimate ruled out every place.
FOUND_AT = [("reference", "lancet-single", "auto", "days", 136.0)]


@pytest.fixture(scope="module")
def cases():
    return {name: make() for name, make in grid.CASES.items()}


@pytest.fixture(scope="module")
def sample(cases):
    return grid.sample(cases)


def test_the_sample_covers_every_preset_and_every_combination(cases, sample):
    """Every preset at its minimum height and a taller one; every (record, mode, axis) at both."""
    combos = {(n, m, a) for n in grid.CASES for m in grid.MODES for a in grid.AXES}
    at_minimum, taller = set(), set()
    for name, s in sample:
        minimum = build_figure(cases[name], s).min_height_mm
        assert s.height_mm >= minimum
        (at_minimum if s.height_mm == minimum else taller).add((s.preset, (name, s.panel_b, s.axis)))
    for preset in PRESETS:
        assert any(p == preset.key for p, _ in at_minimum) and any(p == preset.key for p, _ in taller)
    assert {c for _, c in at_minimum} == combos and {c for _, c in taller} == combos


@pytest.mark.parametrize("index", range(2 * len(PRESETS)))  # grid.sample: two a preset
def test_no_collisions_in_the_sample(cases, sample, index):
    name, s = sample[index]
    assert layout_problems(build_figure(cases[name], s)) == [], (name, s.preset, s.height_mm, s.panel_b, s.axis)


@pytest.mark.parametrize("name, key, mode, axis", FOUND)
def test_no_collisions_where_the_grid_once_found_them(cases, name, key, mode, axis):
    case = cases[name]
    base = FigureSettings(panel_b=mode, axis=axis).with_preset(key)
    minimum = build_figure(case, base).min_height_mm
    for height in (minimum, 240.0):
        s = FigureSettings(width_mm=base.width_mm, height_mm=min(height, 240.0), panel_b=mode, axis=axis,
                           preset=key)
        assert layout_problems(build_figure(case, s)) == [], (name, key, mode, s.height_mm)


@pytest.mark.parametrize("name, key, mode, axis, height", FOUND_AT)
def test_no_collisions_at_the_heights_where_the_grid_found_them(cases, name, key, mode, axis, height):
    from analysis.figure.presets import get_preset

    s = grid._settings(get_preset(key), height, mode, axis)
    assert layout_problems(build_figure(cases[name], s)) == []


def test_below_the_minimum_the_figure_is_refused_with_the_height_that_works(cases, tmp_path):
    case = cases["reference"]
    spec = build_figure(case, FigureSettings(width_mm=80, height_mm=40, panel_b="auto"))
    assert spec.min_height_mm > 40
    problems = layout_problems(spec)
    assert problems and f"at least {spec.min_height_mm:g} mm" in problems[0]
    with pytest.raises(InputError, match=f"at least {spec.min_height_mm:g} mm"):
        render(spec, tmp_path / "f.pdf")
    ok = build_figure(case, FigureSettings(width_mm=80, height_mm=spec.min_height_mm, panel_b="auto"))
    assert ok.too_short() == "" and render(ok, tmp_path / "ok.pdf").path.exists()


def test_the_check_finds_a_reference_line_through_a_label(cases):
    from dataclasses import replace

    from analysis.figure.items import Text

    spec = build_figure(cases["reference"], FigureSettings(width_mm=180, height_mm=120))
    a = spec.panels[0]
    on_line = Text("On the line", a.x_axis.lo + 5, 1.0, size_pt=6, ha="left", va="center")
    spec = replace(spec, panels=(replace(a, texts=(*a.texts, on_line)), *spec.panels[1:]))
    assert any("reference line runs through 'On the line'" in p for p in layout_problems(spec))
