"""What is drawn in a plot: draws grouped by role, infusion markers with their labels, events
and the cycle numbers along the top."""

from __future__ import annotations

import math
import re
from datetime import timedelta

import numpy as np
import pandas as pd

from analysis.figure import style as S
from analysis.figure.draws import _day
from analysis.figure.items import Box, CourseMark, EventMark, InfusionMark, Points, Text
from analysis.figure.palette import Palette
from analysis.figure.placement import (
    ABOVE,
    BELOW,
    LEFT_ABOVE,
    LEFT_BELOW,
    PT_MM,
    RIGHT_ABOVE,
    RIGHT_BELOW,
    TICK_FRAC,
    Placer,
)
from analysis.memo import PerObject
from analysis.treatment.medications import course_label


def _points(view: pd.DataFrame, x: np.ndarray, pal: Palette, width_mm: float = 0.0,
            marker_scale: float = 1.0) -> tuple[Points, ...]:
    """One group per role and fill. Markers shrink when draws crowd (years of weekly counts)
    so that single values still show where they sit; ``marker_scale`` is the user's size."""
    groups = []
    density = len(view) / width_mm if width_mm else 0.0  # draws per mm of axis
    scale = max(0.45, math.sqrt(1.0 / density)) if density > 1.0 else 1.0
    scale *= marker_scale
    roles = view["role"].to_numpy(dtype=object)
    censored = view["censored"].to_numpy(dtype=object) != ""
    values = view["value"].to_numpy(dtype=float)
    keys = view["key"].to_numpy(dtype=object)
    tips = view["tip"].to_numpy(dtype=object)
    for role in S.ROLES:
        for filled in (True, False):
            mask = (roles == role) & (censored != filled)
            if not mask.any():
                continue
            groups.append(
                Points(
                    role=role,
                    x=tuple(float(v) for v in x[mask]),
                    y=tuple(float(v) for v in values[mask]),
                    colour=getattr(pal, role),
                    edge=getattr(pal, f"{role}_edge"),
                    marker=S.MARKER[role],
                    size_pt=round(S.MARKER_SIZE_PT[role] * scale, 2),
                    filled=filled,
                    keys=tuple(keys[mask].tolist()),
                    tips=tuple(tips[mask].tolist()),
                )
            )
    return tuple(groups)


_COURSE_LABELS = PerObject()  # a course's label, for the same course after an edit


def label_of(course) -> str:
    """``course_label(course)``, worked out once per course object (an edit keeps the courses)."""
    return _COURSE_LABELS.get(course, course_label)


def _infusions(courses, xpos, lo, hi, box: Box, small, pal):
    """A handle per infusion in view (the screen's), a mark per course (the print's), and the
    course's label ("IVIG 1 g/kg") after its last infusion, at the first course and wherever the
    dose changes, when it fits before the next marker (the legend carries the dose when every
    course had the same). ``xpos`` maps a time to x."""
    marks, course_marks, texts = [], [], []
    mm_per_day = box.w / max(hi - lo, 1e-9)
    y = 1.0 + (S.INFUSION_MARKER_PT / 2 + 1.0) * PT_MM / box.h
    ends = []
    for course in sorted(courses, key=lambda c: c.start):
        label = label_of(course)
        xs = [xpos(a.time) for a in course.administrations]
        marks += [InfusionMark(x, label, y) for x in xs if lo <= x <= hi]
        shown = [x for x in xs if lo <= x <= hi]
        if shown:
            course_marks.append(CourseMark(min(shown), max(shown), label, y))
        if lo <= xs[0] <= hi:
            ends.append((max(x for x in xs if x <= hi), label))
    xs = sorted(m.x for m in marks)
    previous = None
    for x_end, label in ends:
        if label != previous:
            later = [x for x in xs if x > x_end + 1e-6]
            room = ((later[0] if later else hi) - x_end) * mm_per_day
            need = (len(label) * 0.6 * small + S.INFUSION_MARKER_PT + 3) * PT_MM
            if room >= need:
                texts.append(Text(label, x_end, y, coords="xdata", size_pt=small, colour=pal.text,
                                  ha="left", va="center", dx_pt=S.INFUSION_MARKER_PT / 2 + 1.5,
                                  kind="infusion"))
        previous = label
    return tuple(marks), tuple(course_marks), texts


def course_marker_pt(course_marks, lo, hi, box: Box) -> float:
    """The triangle size for a panel's course marks: the standard size, smaller only when the
    courses are crowded as a whole (the median gap, not one close pair, decides), so every
    course keeps the same triangle the legend shows."""
    starts = sorted(m.x0 for m in course_marks)
    if len(starts) < 2:
        return S.INFUSION_MARKER_PT
    gap_mm = float(np.median(np.diff(starts))) * box.w / max(hi - lo, 1e-9)
    fits = gap_mm / PT_MM / 1.2
    return round(max(S.MIN_INFUSION_MARKER_PT, min(S.INFUSION_MARKER_PT, fits)), 2)


def _short_event_label(label: str) -> str:
    """"COVID-19 infection (PCR positive)" -> "COVID-19 infection": the figure has no room for
    the detail, the legend text has."""
    return re.sub(r"\s*\(.*?\)\s*", " ", label).strip() or label


# A figure shows a few events legibly; a project can hold thousands (a whole record's clinic
# visits), and drawing each as a line and a label takes the window minutes. Beyond this many
# in view, the first ones are drawn and a note says how many were left out.
MAX_EVENTS_DRAWN = 60


def _events(case, origin, lo, hi, view, xv, small, pal, placer: Placer, notes: list | None = None):
    from analysis.treatment.events import event_span

    marks = []
    values = view["value"].to_numpy(dtype=float) if len(view) else np.array([])
    shown = []
    for ev in getattr(case, "events", ()) or ():
        start, stop = event_span(ev)
        x0, x1 = _day(start, origin), _day(stop, origin)
        if not (x1 < lo or x0 > hi):
            shown.append((x0, x1, start, stop, ev))
    if len(shown) > MAX_EVENTS_DRAWN:
        shown.sort(key=lambda item: item[0])
        if notes is not None:
            notes.append(f"Only the first {MAX_EVENTS_DRAWN} of the {len(shown):,} events in view are drawn; "
                         "narrow the window or remove events to show the others.")
        shown = shown[:MAX_EVENTS_DRAWN]
    labels = []
    for x0, x1, start, stop, ev in shown:
        single = ev.end is None or (stop - start) <= timedelta(days=1)
        marks.append(EventMark(x0, None if single else x1, ev.label, ev.kind, pal.event))
        near = (xv >= x0 - 0.01) & (xv <= x1 + 0.01) if len(xv) else np.array([], bool)
        centre = x0 + 0.5 if single else (max(x0, lo) + min(x1, hi)) / 2  # a day: its tick
        draw = int(np.argmax(np.where(near, values, -np.inf))) if near.any() else None
        labels.append((_short_event_label(ev.label), centre, draw, single))
    return tuple(marks), _event_texts(labels, xv, values, small, pal, placer)


# How many more orders a run of event labels is placed in when the events' own order, the
# order of their days and its reverse all leave a label on something.
EVENT_RETRIES = 3


def _event_texts(labels, xv, values, small, pal, placer: Placer) -> list[Text]:
    """The events' labels, placed as a run: one label at a time in the events' order, and when
    that leaves any label on something (two leader lines in an X, above all: the first label
    took the place its neighbour needed), again in the order of their days and in the reverse
    order, then with the label that fared worst placed first; the order whose labels collide
    least wins (the events' own order on a tie). The texts keep the events' order (their ids
    number repeated labels in it)."""
    def place(order):
        texts: dict[int, Text] = {}
        costs: dict[int, float] = {}
        for i in order:
            label, centre, draw, _ = labels[i]
            placer.set_ticks(ticks, own=centre)
            if draw is None:
                texts[i] = _foot_text(label, centre, placer.place_foot(centre, label, small), small, pal)
            else:
                texts[i] = _event_text(placer, label, float(xv[draw]), float(values[draw]), centre, small, pal)
            costs[i] = placer.last_cost()
        return [texts[i] for i in range(len(labels))], sum(costs.values()), costs, placer.state()

    ticks = [centre for _, centre, _, single in labels if single]
    start = placer.state()
    own = list(range(len(labels)))
    best, best_order = place(own), own
    if best[1] > 0 and len(labels) > 1:
        tried = [own]

        def attempt(order: list[int]) -> None:
            """Place the labels in ``order`` from the same start; keep it if it collides less."""
            nonlocal best, best_order
            tried.append(order)
            placer.restore(start)
            result = place(order)
            if result[1] < best[1]:
                best, best_order = result, order

        by_day = sorted(own, key=lambda i: labels[i][1])
        for order in (by_day, by_day[::-1]):
            if order not in tried:
                attempt(order)
        for _ in range(EVENT_RETRIES):
            if best[1] == 0:
                break
            worst = max(best_order, key=lambda i: best[2][i])
            order = [worst, *(i for i in best_order if i != worst)]
            if order in tried:
                break
            attempt(order)
        placer.restore(best[3])
    placer.set_ticks(())
    return best[0]


EVENT_PLACES = (RIGHT_ABOVE, LEFT_ABOVE, RIGHT_BELOW, LEFT_BELOW, ABOVE, BELOW)


def _event_text(placer: Placer, label: str, x: float, y: float, centre: float, small, pal) -> Text:
    """An event's label beside its highest draw (x, y); where that is crowded, the first free
    place at the foot of the plot over the event's tick (``centre``), else further from the
    draw with a leader line; when none is free, the one that collides least (in that order)."""
    options = [(placer.place(x, y, label, small, EVENT_PLACES, commit=False), "draw", placer.last_cost(),
                placer.last_choice())]
    if placer.last_cost() > 0:
        options.append((placer.place_foot(centre, label, small, commit=False), "foot", placer.last_cost(),
                        placer.last_choice()))
        if placer.last_cost() > 0:
            options.append((placer.place_far(x, y, label, small, commit=False), "far", placer.last_cost(),
                            placer.last_choice()))
    place, where, _, choice = min(options, key=lambda o: o[2])
    placer.choose(choice)
    placer.commit()
    if where == "foot":
        return _foot_text(label, centre, place, small, pal)
    dx, dy, ha, va = place
    return Text(label, x, y, coords="data", size_pt=small, colour=pal.text, ha=ha, va=va,
                dx_pt=dx, dy_pt=dy, arrow=placer.needs_leader(), kind="event")


def _foot_text(label, x, place, small, pal) -> Text:
    """An event's label at the foot of the plot, placed from the top of its tick at day ``x``
    (a leader line down to the tick when it had to slide along the foot)."""
    dx, dy, ha, leader = place
    return Text(label, x, TICK_FRAC, coords="xdata", size_pt=small, colour=pal.text, ha=ha,
                va="bottom", dx_pt=dx, dy_pt=dy, arrow=leader, kind="event")


def _cycle_labels(bands, lo, hi, box: Box, small, pal) -> list[Text]:
    """"C1".."Cn" at the top of each band; with many narrow bands only every k-th, so that
    labels never touch (a ten-year record has ~170 cycles)."""
    mm_per_day = box.w / max(hi - lo, 1e-9)
    label_mm = small * 0.62 * (len(f"C{bands[-1].cycle}") + 1.2) * PT_MM
    widths = [(b.x1 - b.x0) * mm_per_day for b in bands]
    narrowest = max(min(widths), 1e-6)
    every = max(1, math.ceil(label_mm / narrowest))
    if every > 1:
        every = next(s for s in (2, 5, 10, 20, 50, 100, 200, 500, 10**6) if s >= every)
    out = []
    for i, b in enumerate(bands):
        if (b.cycle - 1) % every:
            continue
        centre = (max(b.x0, lo) + min(b.x1, hi)) / 2
        half = label_mm / 2 / mm_per_day  # keep the label inside the plot
        centre = min(max(centre, lo + half), hi - half)
        out.append(Text(f"C{b.cycle}", centre, 0.985, coords="xdata", size_pt=small,
                        colour=pal.text, ha="center", va="top", kind="cycle"))
    return out
