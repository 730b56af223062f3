"""Panel A: the ANC over the analysis window with the treatment cycles shaded."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from analysis.figure import style as S
from analysis.figure.axes import _day_axis, _value_axis
from analysis.figure.draws import _as_datetime, _day, _days, _interval_days
from analysis.figure.items import Band, Box, HLine, Line, Panel, Text
from analysis.figure.layout import _letter
from analysis.figure.marks import _cycle_labels, _events, _infusions, _points, course_marker_pt
from analysis.figure.palette import Palette
from analysis.figure.placement import (
    PT_MM,
    Placer,
)
from analysis.figure.thresholds import (
    DUFFY_NULL_RANGE,
    SEVERITY_THRESHOLDS,
    _reference_lines,
    _reference_range,
    _right_labels,
)
from analysis.memo import LastResult
from analysis.model import Course, Cycle

_PANEL_A_POINTS = LastResult()  # the last marker groups, for an unchanged draw table and view
# The days of the last draw table and the draws in view: a ten-year record's 50,000 rows,
# which an edit that keeps the table and the days shown need not select again.
_X_ALL = LastResult()
_VIEW = LastResult()


def _in_view(data, x_all, lo: float, hi: float):
    """(the draws from day ``lo`` to ``hi``, their days)."""
    in_view = (x_all >= lo) & (x_all <= hi) if len(x_all) else np.array([], bool)
    return data[in_view], x_all[in_view]


def _panel_a(case, settings, pal: Palette, font, small, data, origin, box: Box, notes) -> Panel:
    cycles: list[Cycle] = list(case.cycles)
    x_all = _X_ALL.get((data, origin), lambda: _days(data["time"], origin) if len(data) else np.array([]))
    lo, hi = _day_range(case, cycles, x_all, origin, notes)
    view, xv = _VIEW.get((data, origin, lo, hi), lambda: _in_view(data, x_all, lo, hi))

    y_axis = _value_axis(view["value"], settings, _lines_to_show(settings))
    interval = _interval_days(cycles)
    x_axis = _day_axis(lo, hi, origin, settings, box.w, interval)

    bands = tuple(
        Band(_day(c.start, origin), _day(c.end, origin), pal.band[i % 2], c.number)
        for i, c in enumerate(cycles)
    )
    texts: list[Text] = [_letter("A", box, font)]
    if settings.show_cycle_numbers and bands:
        texts += _cycle_labels(bands, lo, hi, box, small, pal)

    hlines, hspans, right = _reference_lines(settings, pal, y_axis)
    texts += _right_labels(right, y_axis, box, small)

    lines, gap_marks = _joins(xv, view["value"].to_numpy(dtype=float), interval, pal, settings, small)
    texts += gap_marks
    # A ten-year record's markers cost a tenth of a second; an edit seldom changes them.
    points = _PANEL_A_POINTS.get((data, lo, hi, origin, pal, box.w, settings.marker_scale),
                                  lambda: _points(view, xv, pal, box.w, settings.marker_scale))

    courses: list[Course] = list(getattr(case, "courses", ()) or [c.course for c in cycles])
    infusions, course_marks, inf_texts = _infusions(courses, lambda t: _day(t, origin), lo, hi,
                                                    box, small, pal)
    texts += inf_texts
    strip = (small * 1.4 + 2.0) * PT_MM if settings.show_cycle_numbers and bands else 0.0
    placer = Placer(box, lo, hi, y_axis, xv, view["value"].to_numpy(dtype=float), strip,
                    (*hlines, *[HLine(v, "") for sp in hspans for v in (sp.y0, sp.y1)]), settings.font)
    events, ev_texts = _events(case, origin, lo, hi, view, xv, small, pal, placer, notes)
    texts += ev_texts
    return Panel(
        letter="A", box=box, x_axis=x_axis, y_axis=y_axis, bands=bands, hlines=hlines,
        hspans=hspans, lines=tuple(lines), points=points, infusions=infusions,
        courses=course_marks, events=events, texts=tuple(texts), infusion_colour=pal.infusion,
        infusion_size_pt=course_marker_pt(course_marks, lo, hi, box), kind="timeline",
    )


def _day_range(case, cycles: list[Cycle], x_all, origin, notes: list[str]) -> tuple[float, float]:
    """The days panel A shows: the cycles (from the first pre-infusion draw), else the draws in
    the analysis window, else three weeks; a note says why there is nothing to shade."""
    if cycles:
        lo = -3.5
        first_pre = cycles[0].pre
        if first_pre is not None:
            lo = min(lo, _day(first_pre.time, origin) - 1.0)
        return lo, _day(cycles[-1].end, origin)
    if len(x_all):
        window = getattr(case, "window", (None, None)) or (None, None)
        mask = np.ones(len(x_all), bool)
        if window[0] is not None:
            mask &= x_all >= _day(_as_datetime(window[0]), origin)
        if window[1] is not None:
            mask &= x_all < _day(_as_datetime(window[1]) + timedelta(days=1), origin)
        xs = x_all[mask] if mask.any() else x_all
        notes.append("No infusion in the window: no cycles to shade.")
        return float(xs.min()) - 2.0, float(xs.max()) + 2.0
    notes.append("No ANC values to plot.")
    return -1.0, 21.0


def _lines_to_show(settings) -> list[float]:
    """The tops of the reference lines shown, which the value axis must reach."""
    extra = []
    if settings.show_severity:
        extra.append(SEVERITY_THRESHOLDS[-1])
    ref = _reference_range(settings)
    if ref:
        extra.append(ref[1])
    if settings.show_duffy:
        extra.append(DUFFY_NULL_RANGE[1])
    return extra


def _joins(xv, values, interval, pal: Palette, settings, small) -> tuple[list[Line], list[Text]]:
    """The line joining the draws, broken where the record has a gap, and the gap's "//" marks."""
    lines, marks = [], []
    for a, b in _segments(xv, _gap_days(interval)):
        if b - a > 1:
            lines.append(Line(tuple(xv[a:b].tolist()), tuple(values[a:b].tolist()), pal.line,
                              width=round(S.JOIN_LW * settings.line_scale, 3), kind="join", z=2))
        if b < len(xv):  # a gap in the record: no line across it, a break mark on the axis
            marks.append(Text("//", (xv[b - 1] + xv[b]) / 2, 0.0, coords="xdata", size_pt=small,
                              colour=pal.text, ha="center", va="center", kind="gap"))
    return lines, marks


def _gap_days(interval: int | None) -> float:
    """Days without a draw that make a gap in the record: two dosing intervals, at least six
    weeks (a missed cycle is no gap; years without counts are)."""
    return max(42.0, 2.0 * interval) if interval else 60.0


def _segments(x: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """[a, b) index ranges of ``x`` between gaps longer than ``gap``."""
    if not len(x):
        return []
    cuts = (np.flatnonzero(np.diff(x) > gap) + 1).tolist()
    bounds = [0, *cuts, len(x)]
    return list(zip(bounds[:-1], bounds[1:]))
