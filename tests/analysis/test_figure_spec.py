"""What the figure shows (analysis.figure.spec), checked on the reference case and on made-up cases.

The spec is what both renderers draw, so these tests read it directly: one band per cycle, the
roles and colours of the points, labels with units, the infusion markers and events, panel B.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from analysis.case import Case
from analysis.figure import FigureSettings, build_figure
from analysis.figure.legend import figure_legend, methods_paragraph
from analysis.figure.palette import (
    SKY_BLUE,
    REDDISH_PURPLE,
    VERMILLION,
    YELLOW,
    hsl_lightness,
)
from analysis.figure.presets import PRESETS, size_for
from analysis.model import OBSERVATION_COLUMNS, Administration, Event, LabImport

DATA = Path(__file__).resolve().parents[1] / "data"




@pytest.fixture(scope="module")
def spec(case):
    return build_figure(case, FigureSettings(width_mm=180, height_mm=120, panel_b="cycle:1"))


def made_up_case(values, infusions, events=(), censored=None) -> Case:
    """A Case from (time, ANC) pairs and infusion times (IVIG 80 g, 80 kg)."""
    n = len(values)
    censored = censored or [None] * n
    obs = pd.DataFrame(
        {
            "time": pd.to_datetime([t for t, _ in values]),
            "analyte": "ANC",
            "value": [float(v) for _, v in values],
            "unit": "10^3/uL",
            "censored": censored,
            "flag": [None] * n,
            "derived": False,
            "text": [f"{c or ''}{v}" for (_, v), c in zip(values, censored)],
            "source_unit": "K/uL",
            "date_only": False,
            "file": "labs.xlsx",
            "sheet": "Results",
            "row": list(range(2, n + 2)),
            "column": "G",
        }
    )[list(OBSERVATION_COLUMNS)]
    adms = tuple(
        Administration(t, "IVIG (Privigen)", 80.0, "g", "IVIG", 80.0) for t in infusions
    )
    return Case(labs=LabImport(observations=obs), administrations=adms, events=tuple(events))


def _points(panel, role):
    xs, ys = [], []
    for p in panel.points:
        if p.role == role:
            xs += p.x
            ys += p.y
    return sorted(zip(xs, ys))


# --- panel A on the reference case -----------------------------------------------------------


def test_one_band_per_cycle_in_alternating_opaque_greys(case, spec):
    a = spec.panels[0]
    assert len(a.bands) == len(case.cycles) == 6
    assert [b.cycle for b in a.bands] == [1, 2, 3, 4, 5, 6]
    fills = [b.fill for b in a.bands]
    assert fills[0::2] == [fills[0]] * 3 and fills[1::2] == [fills[1]] * 3
    assert fills[0] != fills[1]
    for f in fills:  # opaque hex, no alpha channel (EPS has no transparency)
        assert len(f) == 7 and f.startswith("#")
        r, g, b = f[1:3], f[3:5], f[5:7]
        assert r == g == b, "bands are greys"
    assert abs(hsl_lightness(fills[0]) - hsl_lightness(fills[1])) >= 0.20 - 1e-9
    # bands are contiguous: cycle k ends where cycle k+1 starts
    for left, right in zip(a.bands, a.bands[1:]):
        assert left.x1 == pytest.approx(right.x0)


def test_x_axis_spans_a_few_days_before_the_first_cycle_to_the_last_ones_end(spec):
    a = spec.panels[0]
    assert -7 <= a.x_axis.lo < -1
    assert a.x_axis.hi == pytest.approx(a.bands[-1].x1)
    assert a.x_axis.label == "Days since first infusion"
    assert a.x_axis.kind == "days"
    assert not any("2022" in t for t in a.x_axis.tick_labels)


def test_points_by_role_and_colour(spec):
    a = spec.panels[0]
    colours = {p.role: p.colour for p in a.points}
    assert colours == {"pre": VERMILLION, "post": REDDISH_PURPLE, "other": SKY_BLUE, "infection": YELLOW}
    edges = {p.role: p.edge for p in a.points}
    assert edges["infection"] != YELLOW and hsl_lightness(edges["infection"]) < 0.4
    pre = _points(a, "pre")
    assert [round(y, 2) for _, y in pre] == [0.8, 1.1, 1.2, 1.6, 0.7, 1.1]
    assert [round(x) for x, _ in pre] == [0, 21, 41, 63, 84, 105]
    post = _points(a, "post")
    assert [round(y, 2) for _, y in post] == [0.4, 0.4, 0.8, 0.4, 0.5]
    assert [round(y, 2) for _, y in _points(a, "other")] == [0.3, 0.8]
    infection = _points(a, "infection")
    assert len(infection) == 1 and round(infection[0][0]) == 42 and infection[0][1] == 2.4
    markers = {p.role: p.marker for p in a.points}
    assert len(set(markers.values())) >= 3  # shapes differ too: roles survive greyscale
    assert all(p.filled for p in a.points)  # nothing censored in this case
    # tooltips trace each point back to its source row
    assert all(len(p.tips) == len(p.x) == len(p.keys) for p in a.points)
    assert any("labs.xlsx, row" in tip for p in a.points for tip in p.tips)


def test_a_thin_grey_line_joins_the_draws(spec):
    a = spec.panels[0]
    joins = [line for line in a.lines if line.kind == "join"]
    assert len(joins) == 1
    assert len(joins[0].x) == sum(len(p.x) for p in a.points) == 14
    assert list(joins[0].x) == sorted(joins[0].x)


def test_labels_carry_units(spec):
    for panel in spec.panels:
        assert panel.y_axis.label == "ANC (×10³/µL)"
    assert spec.panels[1].x_axis.label == "Day of cycle"
    assert [p.letter for p in spec.panels] == ["A", "B"]
    letters = [t for p in spec.panels for t in p.texts if t.kind == "letter"]
    assert [t.text for t in letters] == ["A", "B"] and all(t.bold for t in letters)


def test_infusion_markers_and_a_single_dose_label(spec):
    a = spec.panels[0]
    assert [round(m.x) for m in a.infusions] == [0, 21, 41, 63, 84, 105]
    assert all(m.label == "IVIG 1 g/kg" for m in a.infusions)
    assert all(m.y > 1.0 for m in a.infusions)  # above the plot, clear of the data
    labels = [t for t in a.texts if t.kind == "infusion"]
    assert [t.text for t in labels] == ["IVIG 1 g/kg"]  # labelled once: the dose never changes
    assert any(e.label == "IVIG 1 g/kg" and e.marker == "v" for e in spec.legend.entries)


def test_cycle_numbers_at_the_top_of_each_band(spec):
    a = spec.panels[0]
    labels = [t for t in a.texts if t.kind == "cycle"]
    assert [t.text for t in labels] == [f"C{i}" for i in range(1, 7)]
    for t, band in zip(labels, a.bands):
        assert band.x0 < t.x < band.x1 and t.coords == "xdata" and t.y > 0.9


def test_covid_point_is_labelled(spec):
    a = spec.panels[0]
    assert [e.kind for e in a.events] == ["infection"]
    label = next(t for t in a.texts if t.kind == "event")
    assert label.text == "COVID-19 infection"
    assert label.coords == "data" and label.y == 2.4 and round(label.x) == 42


def test_severity_thresholds_with_labels_on_the_right(spec):
    a = spec.panels[0]
    assert sorted(h.y for h in a.hlines) == [0.5, 1.0, 1.5]
    assert all(h.style == "--" for h in a.hlines)
    labels = {t.text: t for t in a.texts if t.kind == "severity"}
    assert set(labels) == {"Severe", "Moderate", "Mild"}
    assert all(t.coords == "axes" and t.x == 1.0 and t.ha == "left" for t in labels.values())
    assert labels["Severe"].y < labels["Moderate"].y < labels["Mild"].y


def test_severity_can_be_switched_off(case):
    s = build_figure(case, FigureSettings(show_severity=False))
    assert all(not p.hlines for p in s.panels)
    assert not any(t.kind == "severity" for p in s.panels for t in p.texts)


def test_reference_range_and_duffy_interval(case):
    s = build_figure(case, FigureSettings(show_reference_range=True, reference_range=(1.8, 7.7),
                                          show_duffy=True))
    a = s.panels[0]
    spans = {h.kind: (h.y0, h.y1) for h in a.hspans}
    assert spans == {"reference": (1.8, 7.7), "duffy": (1.21, 5.39)}
    assert a.y_axis.hi >= 7.7
    right = [t for t in a.texts if t.coords == "axes" and t.x == 1.0]
    ys = sorted(t.y for t in right)
    gap = min(b - c for b, c in zip(ys[1:], ys))
    assert gap > 0.02, "labels on the right edge were not pushed apart"
    default = build_figure(case, FigureSettings(show_reference_range=True))
    assert {(h.y0, h.y1) for h in default.panels[0].hspans} == {(1.5, 7.7)}


def test_dates_axis_labels_months(case):
    s = build_figure(case, FigureSettings(axis="dates"))
    a = s.panels[0]
    assert a.x_axis.kind == "dates" and a.x_axis.label == "Date"
    assert a.x_axis.tick_labels == ("Oct 2022", "Nov 2022", "Dec 2022", "Jan 2023")
    assert a.x_axis.origin.startswith("2022-09-06T09:30")


def test_log_axis(case):
    a = build_figure(case, FigureSettings(log_y=True)).panels[0]
    assert a.y_axis.log and a.y_axis.lo > 0 and a.y_axis.lo <= 0.3 and a.y_axis.hi >= 2.4


# --- panel B ------------------------------------------------------------------------------------


def test_panel_b_expands_cycle_1(spec):
    b = spec.panels[1]
    assert b.kind == "cycle"
    xy = sorted((x, y) for p in b.points for x, y in zip(p.x, p.y))
    assert xy == [(0, 0.8), (1, 0.4), (8, 0.3), (15, 0.8), (21, 1.1)]
    assert [round(y, 2) for _, y in _points(b, "pre")] == [0.8, 1.1]
    assert _points(b, "post") == [(1, 0.4)]
    assert b.x_axis.lo < 0 and b.x_axis.hi >= 21 and 21 in b.x_axis.ticks
    notes = [t.text for t in b.texts if t.kind == "annotation"]
    assert "Pre 0.8" in notes and "Day 1: 0.4" in notes
    assert "Nadir 0.3 (day 8)" in notes and "Recovered, day 15" in notes
    assert b.bands[0].x0 == 0 and b.bands[0].x1 == 21 and b.bands[0].cycle == 1
    assert [m.x for m in b.infusions] == [0.0, 21.0]


def test_panel_b_other_cycle_and_out_of_range(case):
    s = build_figure(case, FigureSettings(panel_b="cycle:3"))
    b = s.panels[1]
    assert b.bands[0].cycle == 3
    assert _points(b, "infection") == [(1, 2.4)]
    s = build_figure(case, FigureSettings(panel_b="cycle:99"))
    assert s.panels[1].bands[0].cycle == 6


def test_overlay_has_a_line_per_cycle_and_the_median(case):
    s = build_figure(case, FigureSettings(panel_b="overlay"))
    b = s.panels[1]
    assert b.kind == "overlay" and b.x_axis.label == "Days since infusion"
    cycle_lines = [line for line in b.lines if line.kind == "cycle"]
    assert len(cycle_lines) == 6
    assert sum(line.style == "--" for line in cycle_lines) == 1  # the infection cycle
    median = [line for line in b.lines if line.kind == "median"]
    assert len(median) == 1 and median[0].width > cycle_lines[0].width
    m = dict(zip(median[0].x, median[0].y))
    assert m[1.0] == pytest.approx(0.4, abs=0.01)  # the day after: every kept cycle ~0.4
    assert {e.label for e in s.legend.entries} >= {"Single cycle", "Median of cycles"}


def test_no_panel_b(case):
    s = build_figure(case, FigureSettings(panel_b="none"))
    assert [p.letter for p in s.panels] == ["A"]


# --- statistics, legend, settings -------------------------------------------------------------------


def test_medians_and_ranges_printed_on_request(case, spec):
    text = "\n".join(t.text for t in spec.texts)
    assert "Pre-infusion: 1.1 (0.7–1.6)" in text
    assert "Day after infusion: 0.4 (0.4–0.8)" in text
    assert "n = 5" in text and "Cycle 3 left out" in text
    assert build_figure(case, FigureSettings(show_stats_text=False)).texts == ()


def test_legend_lists_each_role_once(spec):
    labels = [e.label for e in spec.legend.entries]
    assert labels[:4] == ["Pre-infusion", "Day after infusion", "Other draws", "Infection-affected"]
    assert len(labels) == len(set(labels))


def test_legend_sits_beside_panel_b_not_on_data(spec):
    b = spec.panels[1]
    assert spec.legend.x > b.box.x + b.box.w
    assert spec.legend.y >= spec.panels[0].box.y + spec.panels[0].box.h


def test_font_sizes_at_least_6_pt(spec, case):
    sizes = [size for _, _, size in spec.text_items()]
    assert min(sizes) >= 6.0
    small = build_figure(case, FigureSettings(font_pt=5))
    assert min(size for _, _, size in small.text_items()) < 6.0


def test_no_identifier_in_any_printed_text(spec):
    printed = " ".join(text for _, text, _ in spec.text_items())
    for needle in ("E0000001", "TEST", "PATIENT", "labs.xlsx", "2022"):
        assert needle not in printed


def _plain(value, path="spec"):
    """Fail on anything that is not plain data (a renderer object would sneak in here)."""
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _plain(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            _plain(v, f"{path}[{i}]")
    else:
        assert value is None or isinstance(value, (str, int, float, bool)), (path, type(value))


def test_spec_is_plain_data_with_hex_colours(spec):
    _plain(spec)
    colours = [p.colour for panel in spec.panels for p in panel.points]
    colours += [b.fill for panel in spec.panels for b in panel.bands]
    colours += [line.colour for panel in spec.panels for line in panel.lines]
    assert all(len(c) == 7 and c.startswith("#") and int(c[1:], 16) >= 0 for c in colours)
    markers = {p.marker for panel in spec.panels for p in panel.points}
    assert markers <= {"o", "s", "^", "D", "v"}


def test_settings_round_trip_through_json():
    s = FigureSettings(width_mm=89, panel_b="overlay", reference_range=(1.8, 7.7), show_duffy=True)
    text = json.dumps(dataclasses.asdict(s))
    assert FigureSettings.from_dict(json.loads(text)) == s
    assert FigureSettings.from_dict({"width_mm": 80, "from_the_future": 1}).width_mm == 80


def test_presets():
    keys = {p.key: p.width_mm for p in PRESETS}
    assert keys["nature-single"] == 89 and keys["nature-double"] == 183
    assert keys["elsevier-1.5"] == 140 and keys["blood-single"] == 80
    assert keys["wiley-double"] == 180 and keys["cell-single"] == 85
    assert size_for("nature-double", 300) == (183.0, 170.0)  # Nature: at most 170 mm high
    s = FigureSettings(height_mm=100).with_preset("blood-1.5")
    assert (s.preset, s.width_mm, s.height_mm) == ("blood-1.5", 115.0, 100.0)


def test_new_journal_presets_carry_their_rules():
    from analysis.figure.presets import get_preset

    for key in ("jama-single", "nejm-single", "lancet-single", "cell-1.5", "nature-1.5"):
        p = get_preset(key)
        assert p is not None and p.max_height_mm and p.line_art_dpi >= 1000, key
        assert p.font_pt[0] <= 7 <= p.font_pt[1] and p.fonts[0] == "Arial"
    assert get_preset("cell-1.5").width_mm == 114 and get_preset("lancet-double").width_mm == 154


def test_nature_panel_letters_are_lowercase_bold_8pt(case):
    s = FigureSettings(height_mm=120).with_preset("nature-double")
    letters = [t for p in build_figure(case, s).panels for t in p.texts if t.kind == "letter"]
    assert [(t.text, t.size_pt, t.bold) for t in letters] == [("a", 8.0, True), ("b", 8.0, True)]
    cell = [t.text for p in build_figure(case, s.with_preset("cell-double")).panels
            for t in p.texts if t.kind == "letter"]
    assert cell == ["A", "B"]


def test_figure_legend_and_methods(case, spec):
    legend = figure_legend(case, FigureSettings(), spec)
    assert legend.startswith("Figure 1.")
    assert "six treatment cycles of IVIG 1 g/kg" in legend
    assert "Vermillion circles, pre-infusion draws" in legend
    assert "(B) Cycle 1 expanded, day 0 to 21" in legend and "nadir 0.3 on day 8" in legend
    assert "1.1 (range 0.7–1.6)" in legend and "0.4 (0.4–0.8)" in legend
    methods = methods_paragraph(case)
    for sentence in case.rules.describe():
        assert sentence in methods
    assert "n = 5" in methods and "p = 0.06" in methods
    for text in (legend, methods):
        for needle in ("E0000001", "TEST", "2022", ".xlsx"):
            assert needle not in text


# --- made-up cases ------------------------------------------------------------------------------------


def test_censored_values_are_open_markers_at_the_limit():
    t0 = datetime(2024, 1, 2, 10)
    values = [(t0 - timedelta(hours=2), 1.2), (t0 + timedelta(days=1), 0.1),
              (t0 + timedelta(days=7), 0.6), (t0 + timedelta(days=21, hours=-2), 1.1)]
    case = made_up_case(values, [t0, t0 + timedelta(days=21)], censored=[None, "<", None, None])
    s = build_figure(case, FigureSettings())
    open_ = [p for p in s.panels[0].points if not p.filled]
    assert len(open_) == 1 and open_[0].y == (0.1,) and open_[0].role == "post"
    assert any(not e.filled for e in s.legend.entries)
    assert "Open markers" in figure_legend(case, FigureSettings(), s)


def test_dose_change_is_labelled_where_it_happens():
    t0 = datetime(2024, 1, 2, 10)
    infusions = [t0 + timedelta(days=28 * i) for i in range(6)]
    case = made_up_case([(t + timedelta(hours=-1), 1.0) for t in infusions], infusions)
    adms = list(case.administrations)
    adms[3:] = [dataclasses.replace(a, dose=160.0) for a in adms[3:]]
    case = case.with_administrations(adms)
    s = build_figure(case, FigureSettings())
    labels = [(round(t.x), t.text) for t in s.panels[0].texts if t.kind == "infusion"]
    assert labels == [(0, "IVIG 1 g/kg"), (84, "IVIG 2 g/kg")]
    assert any(e.label == "IVIG infusion" for e in s.legend.entries)


def test_ten_years_of_draws_stay_a_few_artists():
    """5,000 draws and ~170 cycles: one group per role, one band list, thinned cycle labels."""
    start = datetime(2013, 1, 1, 9)
    n = 5000
    step = 10 * 365 * 24 / n
    values = [(start + timedelta(hours=i * step), 0.5 + (i * 37 % 100) / 50) for i in range(n)]
    infusions = [start + timedelta(days=21 * i, hours=1) for i in range(10 * 365 // 21)]
    case = made_up_case(values, infusions, events=[Event("infection", "Flu", datetime(2015, 3, 1))])
    s = build_figure(case, FigureSettings(axis="dates"))
    a = s.panels[0]
    assert len(a.bands) == len(case.cycles) > 150
    assert len(a.points) <= 8  # role x filled
    last_end = (case.cycles[-1].end - case.cycles[0].start).total_seconds() / 86400
    shown = sum(1 for t, _ in values if (t - case.cycles[0].start).total_seconds() / 86400 <= last_end)
    assert sum(len(p.x) for p in a.points) == shown > 4900
    cycle_labels = [t for t in a.texts if t.kind == "cycle"]
    assert 5 <= len(cycle_labels) <= 40
    # Crowded courses keep the triangle the legend shows, only smaller: one mark per course.
    assert a.infusion_marker == "v" and len(a.courses) == len(case.courses)
    assert 2.0 <= a.infusion_size_pt < 4.5
    assert all(p.size_pt < 3.5 for p in a.points)
    assert all(len(t) <= 8 for t in a.x_axis.tick_labels) and len(a.x_axis.ticks) <= 16


def test_a_multi_day_course_is_one_mark_with_its_span_and_close_courses_change_no_other_mark():
    start = datetime(2024, 1, 1, 9)
    values = [(start + timedelta(days=d, hours=-1), 1.0 + (d % 5) / 10) for d in range(0, 120, 3)]
    # 0.4 g/kg daily x 5 every 28 days, and one extra course two days after the third.
    infusions = [start + timedelta(days=28 * c + d, hours=1) for c in range(4) for d in range(5)]
    infusions.append(start + timedelta(days=28 * 2 + 7, hours=1))
    case = made_up_case(values, infusions)
    a = build_figure(case, FigureSettings(width_mm=89, height_mm=110)).panels[0]
    spans = [round(m.x1 - m.x0) for m in a.courses]
    assert 4 in spans and len(a.courses) == len(case.courses)
    assert a.infusion_marker == "v" and a.infusion_size_pt == 4.5  # one close pair shrinks nothing


def test_a_gap_in_the_record_is_drawn_as_a_gap():
    start = datetime(2015, 1, 1, 9)
    days = list(range(0, 200, 7)) + list(range(2000, 2200, 7))  # five years without a count
    values = [(start + timedelta(days=d, hours=-1), 1.0) for d in days]
    infusions = [start + timedelta(days=d, hours=1) for d in range(0, 2200, 21)]
    a = build_figure(made_up_case(values, infusions), FigureSettings()).panels[0]
    joins = [ln for ln in a.lines if ln.kind == "join"]
    assert len(joins) == 2 and all(max(ln.x) < 250 or min(ln.x) > 1900 for ln in joins)
    assert [t.text for t in a.texts if t.kind == "gap"] == ["//"]


def test_day_ticks_are_multiples_of_the_interval_or_of_a_week():
    from analysis.figure.axes import day_step

    assert day_step(130, 6, 21) == 42 and day_step(130, 16, 21) == 21
    assert day_step(90, 6, None) == 28 and day_step(3650, 7, 21) % 21 == 0
    assert day_step(3650, 7, None) % 7 == 0 and day_step(5, 6, 21) == 1


def test_no_infusions_still_draws_the_series():
    t = datetime(2024, 1, 1, 9)
    case = made_up_case([(t + timedelta(days=7 * i), 1.0 + i / 10) for i in range(8)], [])
    s = build_figure(case, FigureSettings())
    assert [p.letter for p in s.panels] == ["A"]
    assert s.panels[0].bands == () and s.panels[0].infusions == ()
    assert sum(len(p.x) for p in s.panels[0].points) == 8
    assert s.notes


@pytest.mark.parametrize("preset", [p.key for p in PRESETS])
def test_every_preset_builds(case, preset):
    w, h = size_for(preset, 120)
    s = build_figure(case, FigureSettings(width_mm=w, height_mm=h, preset=preset))
    for p in s.panels:
        assert p.box.x >= 0 and p.box.y >= 0
        assert p.box.x + p.box.w <= w and p.box.y + p.box.h <= h


def test_p_values_are_written_with_their_comparison_sign():
    from analysis.figure.spec import format_p

    assert format_p(0.0625) == "p = 0.06"
    assert format_p(0.004) == "p = 0.004"
    assert format_p(0.0004) == "p < 0.001"


def test_panel_b_default_is_the_first_cycle_with_more_than_two_draws_after_its_infusion(case):
    from dataclasses import replace as dc_replace

    from analysis.figure.panel_b import default_panel_b, resolve_panel_b

    cycles = list(case.cycles)
    assert default_panel_b(cycles) == "cycle:1"
    # Cycle 1 thinned to two draws after its infusion: the default moves on to the next cycle
    # that has more, and the spec, the dialog's choice and the CLI's all follow it.
    thin = [dc_replace(cycles[0], draws=cycles[0].draws[:2]), dc_replace(cycles[0], number=2)]
    assert default_panel_b(thin) == "cycle:2"
    assert resolve_panel_b("auto", thin) == "cycle:2"
    assert default_panel_b(thin[:1]) == "none"
    assert resolve_panel_b("cycle:99", cycles) == f"cycle:{cycles[-1].number}"
    assert resolve_panel_b("overlay", cycles[:1]) == "cycle:1"
    assert default_panel_b([dc_replace(c, draws=()) for c in cycles]) == "none"


def test_panel_b_default_passes_over_a_cycle_of_untypical_length_only_for_a_followed_one(case):
    """A gap in the treatment record makes cycle 1 ten times the usual length: the default is the
    next cycle of usual length with more than two draws after its infusion; when no such cycle
    has them (or there are too few cycles to tell a usual length), the long cycle as before."""
    from dataclasses import replace as dc_replace
    from datetime import timedelta

    from analysis.figure.panel_b import default_panel_b, typical_length

    cycles = list(case.cycles)
    long = dc_replace(cycles[0], start=cycles[0].end - timedelta(days=210))
    spare = [dc_replace(c, draws=c.draws[:2]) for c in cycles[1:]]  # two draws: not followed
    followed = dc_replace(cycles[0], number=cycles[1].number)  # 21 days, four draws
    low, high = typical_length([long, followed, *spare[1:]])
    assert low <= 21 <= high < 210
    assert default_panel_b([long, followed, *spare[1:]]) == f"cycle:{followed.number}"
    assert default_panel_b([long, *spare]) == f"cycle:{long.number}"  # falls back as before
    assert default_panel_b([long, followed]) == f"cycle:{long.number}"  # two cycles: no usual length
    assert default_panel_b([*spare, long]) == f"cycle:{long.number}"  # the only followed one
