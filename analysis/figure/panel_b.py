"""Panel B: one cycle expanded, or every cycle overlaid on days since its infusion."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.figure import style as S
from analysis.figure.axes import _value_axis, cycle_day_ticks
from analysis.figure.draws import _cycle_draws, _day, _draw_frame, _role_lookup
from analysis.figure.items import Axis, Band, Box, CourseMark, InfusionMark, Line, Panel, Text
from analysis.figure.layout import _letter
from analysis.figure.marks import _infusions, _points
from analysis.figure.placement import (
    ABOVE,
    BELOW,
    LEFT_ABOVE,
    LEFT_BELOW,
    PT_MM,
    RIGHT_ABOVE,
    RIGHT_BELOW,
    Placer,
)
from analysis.figure.settings import FigureSettings
from analysis.figure.thresholds import SEVERITY_THRESHOLDS, _reference_lines
from analysis.memo import LastResult
from analysis.model import Cycle, Draw
from analysis.numbers import ONE_DECIMAL, LabNumbers, format_number
from analysis.treatment.medications import course_label

# Panel B's default, the one rule for the window, the export dialog, its preview and `render`:
# the first cycle of typical length with more than two draws after its infusion (the case
# report's cycle 1; a long record's first cycles often have one draw or none, and two points
# show no course), else the first with such draws at all. A cycle is of typical length within
# half its window's median cycle length either way: a gap in the treatment record makes one
# cycle months long (the demo record's readable window opens with a 224-day cycle 1), and
# expanding it shows the gap, not a course.
MIN_DRAWS_AFTER_INFUSION = 3
TYPICAL_LENGTH = (0.5, 1.5)  # of the median cycle length


def default_panel_b(cycles) -> str:
    """"cycle:N" for the first cycle in the window of typical length with more than two draws
    after its infusion, else the first with more than two such draws, "none" when no cycle has
    them."""
    followed = [c for c in cycles if sum(1 for d in c.draws if d.time > c.start) >= MIN_DRAWS_AFTER_INFUSION]
    if not followed:
        return "none"
    typical = typical_length(cycles)
    usual = [c for c in followed if typical is not None and typical[0] <= _length_days(c) <= typical[1]]
    return f"cycle:{(usual or followed)[0].number}"


def typical_length(cycles) -> tuple[float, float] | None:
    """(shortest, longest) length in days of a cycle of typical length in ``cycles``: within
    ``TYPICAL_LENGTH`` of their median length; None with fewer than three cycles (no usual
    length to tell a gap by)."""
    lengths = [_length_days(c) for c in cycles]
    if len(lengths) < 3:
        return None
    median = float(np.median(lengths))
    return TYPICAL_LENGTH[0] * median, TYPICAL_LENGTH[1] * median


def _length_days(cycle: Cycle) -> float:
    return (cycle.end - cycle.start).total_seconds() / 86400.0


def resolve_panel_b(value: str, cycles) -> str:
    """What panel B shows for the setting ``value`` ("auto", "cycle:N", "overlay", "none"), as
    a concrete choice: "cycle:N" of a cycle in the window, "overlay" or "none". The dialog
    selects this, so it says what its preview draws."""
    mode, index = _panel_b_mode(value, list(cycles))
    if mode == "cycle":
        return f"cycle:{cycles[index].number}"
    return mode


def _panel_b_mode(value: str, cycles: list[Cycle]) -> tuple[str, int]:
    value = (value or "auto").strip().lower()
    if value == "auto":
        value = default_panel_b(cycles)
    if not cycles or value == "none":
        return "none", 0
    if value == "overlay":
        return ("overlay", 0) if len(cycles) >= 2 else ("cycle", 0)
    if value.startswith("cycle"):
        try:
            n = int(value.split(":", 1)[1])
        except (IndexError, ValueError):
            n = 1
        numbers = [c.number for c in cycles]
        index = numbers.index(n) if n in numbers else (0 if n < numbers[0] else len(cycles) - 1)
        return "cycle", index
    return "none", 0


_PANEL_CYCLE = LastResult()  # the last panel B, for an edit that leaves its cycle and draws alone


def _panel_cycle(cycles, index, settings, pal, font, small, data, box: Box,
                 numbers: LabNumbers = ONE_DECIMAL) -> Panel:
    """One cycle expanded on calendar days of the cycle (rule 3), as the case report's panel B."""
    cycle = cycles[index]
    following = cycles[index + 1] if index + 1 < len(cycles) else None
    draws = _cycle_draws(cycle)
    frame, x = _draw_frame(draws, [d.day for d in draws], _role_lookup(data))
    # What the panel is drawn from: an event elsewhere in a long record (or one that changes
    # roles in other cycles only) gives the same panel, placement of its notes included.
    inputs = (cycle, following, index, settings, pal, font, small, box, numbers,
              tuple(frame.itertuples(index=False, name=None)), tuple(x.tolist()))
    return _PANEL_CYCLE.get(inputs, lambda: _cycle_panel(cycle, following, index, settings, pal, font, small,
                                                         box, numbers, frame, x))


def _cycle_panel(cycle, following, index, settings, pal, font, small, box: Box, numbers: LabNumbers,
                 frame: pd.DataFrame, x: np.ndarray) -> Panel:
    length = (cycle.end.date() - cycle.start.date()).days
    lo = min(-1.0, float(x.min()) - 1.0) if len(x) else -1.0
    hi = max(float(length) + 1.0, float(x.max()) + 1.0) if len(x) else length + 1.0
    extra = [SEVERITY_THRESHOLDS[-1]] if settings.show_severity else []
    y_axis = _value_axis(frame["value"], settings, extra)
    ticks = cycle_day_ticks(hi, box.w)
    x_axis = Axis(S.CYCLE_DAY_LABEL, lo, hi, ticks, tuple(format_number(t) for t in ticks), "cycle-days")

    bands = [Band(0.0, float(length), pal.band[index % 2], cycle.number)]
    if following is not None:
        bands.append(Band(float(length), hi, pal.band[(index + 1) % 2], following.number))
    elif length < hi:
        bands.append(Band(float(length), hi, pal.band[(index + 1) % 2], 0))
    hlines, _, _ = _reference_lines(
        FigureSettings(show_severity=settings.show_severity), pal, y_axis
    )
    texts = [_letter("B", box, font)]
    texts.append(Text(f"Cycle {cycle.number}", length / 2, 0.985, coords="xdata", size_pt=small,
                      colour=pal.text, ha="center", va="top", kind="cycle"))
    lines = [Line(tuple(x.tolist()), tuple(frame["value"].tolist()), pal.line,
                  width=round(S.JOIN_LW * settings.line_scale, 3), kind="join")] if len(x) > 1 else []
    shown = [cycle.course] + ([following.course] if following is not None else [])
    day0 = cycle.start.date()
    infusions, course_marks, inf_texts = _infusions(
        shown, lambda t: float((t.date() - day0).days), lo, hi, box, small, pal)
    texts += inf_texts
    placer = Placer(box, lo, hi, y_axis, x, frame["value"].to_numpy(dtype=float), _note_strip_mm(small),
                    hlines, settings.font)
    texts += _cycle_annotations(cycle, placer, small, pal, numbers)
    return Panel(
        letter="B", box=box, x_axis=x_axis, y_axis=y_axis, bands=tuple(bands),
        hlines=hlines, lines=tuple(lines), points=_points(frame, x, pal, box.w, settings.marker_scale),
        infusions=infusions, courses=course_marks, texts=tuple(texts),
        infusion_colour=pal.infusion, kind="cycle",
    )


def _course_span(cycle: Cycle) -> float:
    """Days from a cycle's first infusion to its last (0 for a one-day course)."""
    times = [a.time for a in cycle.course.administrations]
    return float((max(times).date() - min(times).date()).days) if times else 0.0


# Where each note of panel B goes first: pre above, post to the right, nadir below, recovery
# above (the places the line from point to point leaves free).
NOTE_PLACES = {
    "pre": (ABOVE, RIGHT_ABOVE, LEFT_ABOVE, RIGHT_BELOW, BELOW),
    "post": (RIGHT_BELOW, BELOW, RIGHT_ABOVE, LEFT_BELOW, ABOVE),
    "nadir": (BELOW, RIGHT_BELOW, LEFT_BELOW, ABOVE, RIGHT_ABOVE),
    "recovery": (ABOVE, LEFT_ABOVE, RIGHT_ABOVE, BELOW, RIGHT_BELOW),
}


def _note_strip_mm(small: float) -> float:
    """The strip along the top of panel B that its notes keep clear of (the cycle's title)."""
    return (small * 1.4 + 2.0) * PT_MM


def place_notes(panel: Panel, w_mm: float, h_mm: float, font: str = "") -> dict[str, Text]:
    """Panel B's point notes placed again, by the same placer and the same preferences, for a
    plot of ``w_mm`` x ``h_mm`` (the screen's panel B, measured in the points its text is
    drawn at): {label id: the note with its new offset, alignment and leader}. The screen
    draws the one description at its own size; at the printed size it gives the printed
    places. Notes the user reworded are placed with their words; the user's own offsets are
    the caller's to add."""
    notes = [t for t in panel.texts if t.kind == "annotation" and t.id.split(":")[-1] in NOTE_PLACES]
    if not notes:
        return {}
    join = next((ln for ln in panel.lines if ln.kind == "join"), None)
    if join is not None:
        xs, ys = np.asarray(join.x, dtype=float), np.asarray(join.y, dtype=float)
    else:  # one draw: no line, its point
        pts = sorted((x, y) for p in panel.points for x, y in zip(p.x, p.y, strict=True))
        xs, ys = np.array([x for x, _ in pts], dtype=float), np.array([y for _, y in pts], dtype=float)
    small = notes[0].size_pt
    placer = Placer(Box(0.0, 0.0, w_mm, h_mm), panel.x_axis.lo, panel.x_axis.hi, panel.y_axis, xs, ys,
                    _note_strip_mm(small), panel.hlines, font)
    out = {}
    for t in notes:
        dx, dy, ha, va = placer.place(t.x, t.y, t.text, t.size_pt, NOTE_PLACES[t.id.split(":")[-1]])
        out[t.id] = replace(t, dx_pt=dx, dy_pt=dy, ha=ha, va=va, arrow=placer.needs_leader())
    return out


def _cycle_annotations(cycle: Cycle, placer: Placer, small, pal, numbers: LabNumbers) -> list[Text]:
    """Pre, post, nadir and recovery written next to their points: pre above, post to the
    right, nadir below, recovery above (the places the line from point to point leaves free)."""
    notes: dict[tuple[int, float], tuple[str, list[str]]] = {}

    def add(d: Draw | None, kind: str, text: str):
        if d is None:
            return
        key = (d.day, float(d.value))
        if key in notes:
            notes[key][1].append(text)
        else:
            notes[key] = (kind, [text])

    if cycle.pre is not None:
        add(cycle.pre, "pre", f"Pre {numbers.value(cycle.pre.value)}")
    if cycle.post is not None:
        add(cycle.post, "post", f"Day {cycle.post.day}: {numbers.value(cycle.post.value)}")
    if cycle.nadir is not None:
        if cycle.post is not None and cycle.nadir.time == cycle.post.time:
            notes[(cycle.post.day, float(cycle.post.value))][1][-1] += " (nadir)"
        else:
            add(cycle.nadir, "nadir", f"Nadir {numbers.value(cycle.nadir.value)} (day {cycle.nadir.day})")
    if cycle.recovery_day is not None:
        rec = next((d for d in cycle.draws if d.day == cycle.recovery_day), None)
        add(rec, "recovery", f"Recovered, day {cycle.recovery_day}")
    out = []
    for (day, value), (kind, parts) in notes.items():
        text = "; ".join(parts)
        dx, dy, ha, va = placer.place(day, value, text, small, NOTE_PLACES[kind], commit=False)
        if placer.last_cost() > 0:  # no free place next to the draw: further, with a leader
            near, near_cost = placer.last_choice(), placer.last_cost()
            far = placer.place_far(day, value, text, small, commit=False)
            if placer.last_cost() < near_cost:
                dx, dy, ha, va = far
            else:
                placer.choose(near)
        placer.commit()
        # Pushed far from its point (out of a reference line's way): a leader line names it.
        out.append(Text(text, day, value, size_pt=small, colour=pal.text, ha=ha, va=va,
                        dx_pt=dx, dy_pt=dy, arrow=placer.needs_leader(), kind="annotation",
                        id=f"B:cycle{cycle.number}:{kind}"))
    return out


def _panel_overlay(cycles, settings, pal, font, small, data, box: Box) -> Panel:
    """Every cycle on days since its own infusion, with the median curve: shows whether the
    fall follows the infusion or an intrinsic rhythm (cyclic neutropenia runs ~21 days)."""
    lookup = _role_lookup(data)
    frames, xs, lines = [], [], []
    curves = []
    for c in cycles:
        draws = _cycle_draws(c)
        x = [_day(d.time, c.start) for d in draws]
        frame, xa = _draw_frame(draws, x, lookup)
        frames.append(frame)
        xs.append(xa)
        if len(xa) > 1:
            lines.append(Line(tuple(xa.tolist()), tuple(frame["value"].tolist()), pal.cycle_line,
                              S.DASHED if c.infection else S.SOLID, S.CYCLE_LINE_LW,
                              kind="cycle", z=2))
            if c.included:
                curves.append((xa, frame["value"].to_numpy(dtype=float)))
    allx = np.concatenate(xs) if xs else np.array([0.0])
    lo = min(-1.0, float(allx.min()) - 1.0)
    hi = max(float(allx.max()) + 1.0, 7.0)
    grid = np.arange(math.ceil(lo), math.floor(hi) + 1, 1.0)
    if curves:
        stack = np.full((len(curves), len(grid)), np.nan)
        for i, (cx, cy) in enumerate(curves):
            order = np.argsort(cx, kind="stable")
            cx, cy = cx[order], cy[order]
            inside = (grid >= cx[0]) & (grid <= cx[-1])
            stack[i, inside] = np.interp(grid[inside], cx, cy)
        enough = np.sum(~np.isnan(stack), axis=0) >= 2
        if enough.any():
            with np.errstate(all="ignore"):
                med = np.nanmedian(np.where(enough, stack, 0.0), axis=0)
            lines.append(Line(tuple(grid[enough].tolist()), tuple(med[enough].tolist()),
                              pal.median, S.SOLID, S.MEDIAN_LW, kind="median", z=4))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    x = np.concatenate(xs) if xs else np.array([])
    extra = [SEVERITY_THRESHOLDS[-1]] if settings.show_severity else []
    y_axis = _value_axis(frame["value"] if len(frame) else [], settings, extra)
    ticks = cycle_day_ticks(hi, box.w)
    x_axis = Axis(S.SINCE_INFUSION_LABEL, lo, hi, ticks, tuple(format_number(t) for t in ticks),
                  "cycle-days")
    hlines, _, _ = _reference_lines(FigureSettings(show_severity=settings.show_severity), pal, y_axis)
    y = 1.0 + (S.INFUSION_MARKER_PT / 2 + 1.0) * PT_MM / box.h
    texts = [_letter("B", box, font),
             Text(course_label(cycles[0].course), 0.0, y, coords="xdata", size_pt=small,
                  colour=pal.text, ha="left", va="center", dx_pt=S.INFUSION_MARKER_PT / 2 + 1.5,
                  kind="infusion"),
             Text(f"Cycles {cycles[0].number}–{cycles[-1].number} overlaid", 0.99, 0.985,
                  coords="axes", size_pt=small,
                  colour=pal.text, ha="right", va="top", kind="cycle")]
    return Panel(
        letter="B", box=box, x_axis=x_axis, y_axis=y_axis, hlines=hlines, lines=tuple(lines),
        points=_points(frame, x, pal, box.w, settings.marker_scale) if len(frame) else (),
        infusions=(InfusionMark(0.0, course_label(cycles[0].course), y),),
        courses=(CourseMark(0.0, _course_span(cycles[0]), course_label(cycles[0].course), y),),
        texts=tuple(texts), infusion_colour=pal.infusion, kind="overlay",
    )
