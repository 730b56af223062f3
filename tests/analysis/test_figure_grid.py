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


@pytest.mark.parametrize("key", ["blood-single", "nature-single"])
def test_a_long_event_label_near_the_right_edge_stays_on_the_page(cases, key):
    """'Kontrolle Neurologie' three days before the window's end, no draw that day: at single
    column it ran off the page over 'Mild' with its leader across a marker (h6's trial)."""
    case = cases["reference"]
    base = FigureSettings(panel_b="auto").with_preset(key)
    minimum = build_figure(case, base).min_height_mm
    for height in (minimum, base.height_mm, 240.0):
        s = FigureSettings(width_mm=base.width_mm, height_mm=height, panel_b="auto", preset=key)
        spec = build_figure(case, s)
        assert any(t.text == grid.LONG_LABEL[0] for t in spec.panels[0].texts)
        assert layout_problems(spec) == [], (key, height)


def test_render_refuses_a_figure_whose_labels_collide_naming_the_label(cases, tmp_path):
    from dataclasses import replace

    from analysis.figure.items import Text

    spec = build_figure(cases["reference"], FigureSettings().with_preset("blood-single"))
    a = spec.panels[0]
    off = Text("Kontrolle Neurologie", a.x_axis.hi - 1, 0.3, size_pt=6, ha="left", va="bottom", kind="event")
    spec = replace(spec, panels=(replace(a, texts=(*a.texts, off)), *spec.panels[1:]))
    with pytest.raises(InputError, match="'Kontrolle Neurologie' runs off the page") as err:
        render(spec, tmp_path / "f.pdf")
    assert "--height-mm" in str(err.value) and not (tmp_path / "f.pdf").exists()


def test_the_check_finds_a_reference_line_through_a_label(cases):
    from dataclasses import replace

    from analysis.figure.items import Text

    spec = build_figure(cases["reference"], FigureSettings(width_mm=180, height_mm=120))
    a = spec.panels[0]
    on_line = Text("On the line", a.x_axis.lo + 5, 1.0, size_pt=6, ha="left", va="center")
    spec = replace(spec, panels=(replace(a, texts=(*a.texts, on_line)), *spec.panels[1:]))
    assert any("reference line runs through 'On the line'" in p for p in layout_problems(spec))


def test_a_note_pushed_far_from_its_point_gets_a_leader_line(cases):
    """At single-column width the 1.0 line pushes "Recovered, day 15" ~4 mm above its draw: a
    thin line from the note to the draw says which point it names; a note beside its point
    has none."""
    spec = build_figure(cases["reference"], FigureSettings().with_preset("blood-single"))
    notes = {t.text: t for t in spec.panels[1].texts if t.kind == "annotation"}
    assert notes["Recovered, day 15"].arrow and not notes["Pre 0.8"].arrow
    assert layout_problems(spec) == []


def _in_plot_mm(panel):
    """(x, y) in data units -> mm of ``panel``'s plot box, for labels set at a chosen offset."""
    def mm(x, y):
        return ((x - panel.x_axis.lo) / (panel.x_axis.hi - panel.x_axis.lo) * panel.box.w,
                (y - panel.y_axis.lo) / (panel.y_axis.hi - panel.y_axis.lo) * panel.box.h)
    return mm


def test_the_check_finds_a_leader_line_over_another_marker(cases):
    from dataclasses import replace

    from analysis.figure.items import Text

    spec = build_figure(cases["reference"], FigureSettings(width_mm=180, height_mm=120))
    b = spec.panels[1]
    pt_mm = 25.4 / 72
    mm = _in_plot_mm(b)

    # A label for the nadir (day 8, 0.3) set beyond the day-1 draw (0.4), on the line through
    # both: its leader runs over that draw.
    (x8, y8), (x1, y1) = mm(8.0, 0.3), mm(1.0, 0.4)
    dx, dy = (x1 - x8) * 1.6 / pt_mm, (y1 - y8) * 1.6 / pt_mm  # 1.6 times as far as day 1
    across = Text("Far", 8.0, 0.3, size_pt=6, ha="center", va="center", dx_pt=dx, dy_pt=dy, arrow=True)
    spec = replace(spec, panels=(spec.panels[0], replace(b, texts=(*b.texts, across))))
    assert any("leader line of 'Far' runs over a marker" in p for p in layout_problems(spec))


def test_the_check_finds_two_leader_lines_that_cross(cases, tmp_path):
    """Two labels each set above the other's point, their leaders in an X (h6's trial: the
    leaders of 'Filgrastim 30 Mio. IE s.c.' and 'Harnwegsinfekt, Fieber 38,6 °C'); the same
    labels above their own points: no crossing found."""
    from dataclasses import replace

    from analysis.figure.items import Text

    spec = build_figure(cases["reference"], FigureSettings(width_mm=180, height_mm=120))
    b = spec.panels[1]
    pt_mm = 25.4 / 72
    mm = _in_plot_mm(b)

    def label(name, day, over_day):
        (x, y), (lx, ly) = mm(day, 0.1), mm(over_day, 0.75)  # between the 0.5 and 1.0 lines
        return Text(name, day, 0.1, size_pt=6, ha="center", va="center",
                    dx_pt=(lx - x) / pt_mm, dy_pt=(ly - y) / pt_mm, arrow=True)

    def problems(*texts):
        return layout_problems(replace(spec, panels=(spec.panels[0], replace(b, texts=(*b.texts, *texts)))))

    crossed = problems(label("Left", 4.0, 12.0), label("Right", 12.0, 4.0))
    assert "the leader lines of 'Left' and 'Right' cross" in crossed
    assert not any("cross" in p for p in problems(label("Left", 4.0, 4.5), label("Right", 12.0, 12.5)))

    # a crossing covers nothing: render writes the figure and warns; the grid above still counts it
    from analysis.figure.layout_check import is_blemish
    from analysis.figure.render import render

    assert [p for p in crossed if "cross" in p and is_blemish(p)]
    texts = (label("Left", 4.0, 12.0), label("Right", 12.0, 4.0))
    crossed_spec = replace(spec, panels=(spec.panels[0], replace(b, texts=(*b.texts, *texts))))
    out = tmp_path / "crossed.pdf"
    report = render(crossed_spec, out)
    assert out.exists() and any("the leader lines of 'Left' and 'Right' cross" in w for w in report.warnings)


# h6's trial rebuilt (grid.trial_case): (preset, first day, gap, infection first, height) where
# the labels, placed one at a time, crossed their leader lines in an X (and most ran a leader
# through a label too); placed as a run, each is clean.
TRIAL_CLEAN = [("blood-single", 33, 2, True, "default"), ("blood-single", 36, 2, True, "default"),
               ("blood-single", 33, 3, False, "default"), ("blood-single", 33, 4, False, 140.0),
               ("blood-single", 36, 5, False, 140.0), ("blood-single", 36, 6, True, 140.0)]


def _trial(cases, key, first, gap, infection_first, height):
    from analysis.figure.presets import get_preset

    case = grid.trial_case(cases["reference"], first, gap, infection_first)
    preset = get_preset(key)
    h = FigureSettings().with_preset(key).height_mm if height == "default" else height
    return build_figure(case, grid._settings(preset, h, "auto", "days"))


@pytest.mark.parametrize("key, first, gap, infection_first, height", TRIAL_CLEAN)
def test_two_long_event_labels_days_apart_are_placed_together_without_collisions(
        cases, key, first, gap, infection_first, height):
    spec = _trial(cases, key, first, gap, infection_first, height)
    assert {t.text for t in spec.panels[0].texts} >= {name for _, name in grid.TRIAL_EVENTS}
    assert layout_problems(spec) == []


@pytest.mark.parametrize("infection_first", [True, False])
def test_leader_lines_of_event_labels_two_to_six_days_apart_never_cross(cases, infection_first):
    """The trial's two events two to six days apart, either first, at the Blood single column's
    usual height: no two leader lines cross (they did in all ten figures, placed one at a time)."""
    from analysis.figure.layout_check import is_blemish

    for gap in range(2, 7):
        problems = layout_problems(_trial(cases, "blood-single", 33, gap, infection_first, "default"))
        assert not [p for p in problems if is_blemish(p)], (gap, problems)


def test_the_check_finds_a_leader_line_through_a_label_with_the_same_words(cases):
    """Two events both called "G-CSF": one label's leader struck through the other's text and
    the check, telling the labels apart by their words, took it for the label's own."""
    from dataclasses import replace

    from analysis.figure.items import Text

    spec = build_figure(cases["reference"], FigureSettings(width_mm=180, height_mm=120))
    b = spec.panels[1]
    pt_mm = 25.4 / 72
    mm = _in_plot_mm(b)
    (x4, _), (x12, _) = mm(4.0, 0.75), mm(12.0, 0.75)
    plain = Text("G-CSF", 8.0, 0.75, size_pt=6, ha="center", va="center")
    far = Text("G-CSF", 4.0, 0.75, size_pt=6, ha="center", va="center", dx_pt=(x12 - x4) / pt_mm, arrow=True)

    def problems(*texts):
        return layout_problems(replace(spec, panels=(spec.panels[0], replace(b, texts=(*b.texts, *texts)))))

    assert "the leader line of 'G-CSF' runs through 'G-CSF'" in problems(plain, far)
    assert not any("leader line of 'G-CSF'" in p for p in problems(far))  # not through its own text


def test_event_labels_at_the_foot_of_panel_a_keep_off_the_draws(cases):
    """The grid's G-CSF days (one with a draw, one without, beside cycle 1's nadir) at every
    single-column preset's minimum height: their labels cover no marker, and the one at the
    foot stands over its tick or points to it."""
    for preset in (p for p in PRESETS if p.key.endswith("single")):
        base = FigureSettings().with_preset(preset.key)
        s = grid._settings(preset, build_figure(cases["reference"], base).min_height_mm, "auto", "days")
        spec = build_figure(cases["reference"], s)
        gcsf = [t for t in spec.panels[0].texts if t.text == "G-CSF"]
        assert len(gcsf) == len(grid.GCSF_DAYS), preset.key
        assert layout_problems(spec) == [], preset.key
