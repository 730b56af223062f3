"""The cycle rules of CYCLE-RULES.md, applied to an ANC series and a list of courses.

Every number a physician quotes from Nadir (pre-infusion ANC, day-after ANC, nadir, recovery)
comes from here, so the rules are written once, parameterised only where the document allows it
(the windows and whether infection-affected cycles are left out), and described in words by
:meth:`CycleRules.describe` for the statistics view, the exported tables and the methods text.

Decisions the rules leave open, made here and stated in ``describe()``:

* A draw at exactly t0 is pre-infusion (rule 4's window is closed at t0), so it is never "post"
  and never the nadir of the cycle t0 starts; it belongs to the cycle before (whose nadir may be
  it, as for any draw taken before the next infusion).
* Date-only data: a draw on the infusion date counts as before the infusion. An infusion recorded
  at exactly midnight is taken as date-only too (nobody starts IVIG at 00:00), so every draw on its
  date is pre-infusion, and its 48-h post window runs to the end of the second day after it.
* Cycle end: t0 of the next course in the whole record, even when that course lies outside the
  analysis window. With no next course the cycle lasts the median interval between consecutive
  courses inside the window, or between all courses when the window holds fewer than two; with a
  single course in the record it runs to the end of the day of the last ANC draw.
* Nadir ties go to the earliest draw. Recovery needs a draw on a later calendar day than the
  nadir, at or above the pre-infusion value; with no pre-infusion value there is no recovery day.
* A cycle is infection-affected when an infection event overlaps [t0, end). An event recorded by
  date covers that whole day.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.memo import LastResult
from analysis.model import EVENT_KINDS, Course, Cycle, Draw, Event
from analysis.treatment.events import event_dates, event_span


@dataclass(frozen=True)
class CycleRules:
    """The adjustable parameters of CYCLE-RULES.md; the defaults are the document's rules."""

    course_gap_hours: float = 72
    pre_window_hours: float = 72
    post_window_hours: float = 48
    exclude_infection: bool = True
    # Other event kinds (model.EVENT_KINDS) whose cycles are left out of the summary too, e.g.
    # ("gcsf",): G-CSF raises the ANC, so such a cycle says nothing about the drug.
    leave_out: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Read back from a project as a list; kept a sorted tuple so that equal rules compare equal.
        kinds = tuple(sorted(set(self.leave_out) - {"infection"}))
        object.__setattr__(self, "leave_out", kinds)

    def left_out_kinds(self) -> tuple[str, ...]:
        """Every event kind that leaves a cycle out of the summary, infection first."""
        return (("infection",) if self.exclude_infection else ()) + self.leave_out

    @classmethod
    def leaving_out(cls, kinds, **others) -> CycleRules:
        """Rules that leave out cycles with any of ``kinds`` (``--leave-out``; none: keep all)."""
        kinds = tuple(kinds)
        return cls(exclude_infection="infection" in kinds, leave_out=tuple(k for k in kinds if k != "infection"),
                   **others)

    def describe(self) -> tuple[str, ...]:
        """The rules as plain sentences, one per rule, in the order of CYCLE-RULES.md."""
        gap = _hours(self.course_gap_hours)
        pre = _hours(self.pre_window_hours)
        post = _hours(self.post_window_hours)
        infection = (
            "Cycles containing an annotated infection are shown, marked and left out of the summary."
            if self.exclude_infection
            else "Cycles containing an annotated infection are shown and marked, and kept in the summary."
        )
        infection += (" Draws taken during an annotated infection (on the dates it covers; for a "
                      "one-day event, that day) are drawn as infection draws.")
        if self.leave_out:
            others = kind_words(self.leave_out)
            infection += f" Cycles containing {others} are left out of the summary as well."
        return (
            f"Infusions started at most {gap} after the previous one form one course; the course "
            "starts (t0) at its first infusion.",
            "A cycle runs from t0 of one course up to t0 of the next; the last cycle lasts the "
            "median interval between courses.",
            "Day n of a cycle is the number of calendar days between the draw and t0 (infusion day "
            "= day 0).",
            f"Pre-infusion ANC: the last draw in the {pre} up to and including t0; with date-only "
            "data, a draw on the infusion date counts as pre-infusion.",
            f"Post-infusion ANC: the first draw after t0 and no later than {post} after the last "
            "infusion of the course.",
            "Nadir: the lowest draw after t0 and before the next course's t0 (the earliest if tied), "
            "with its day.",
            "Recovery day: the first day after the nadir with a draw at or above the cycle's "
            "pre-infusion ANC; none if no such draw lies within the cycle.",
            infection,
            "Summary: median, minimum, maximum and number of cycles for the pre-infusion, "
            "post-infusion and nadir values of the cycles kept.",
            "The analysis covers courses whose first infusion date lies in the chosen window; draws "
            "outside the window still count for those courses.",
        )


def _hours(h: float) -> str:
    """72 h (3 days), 108 h (4.5 days), 24 h (1 day): whole and half days said in days too, as
    a physician gives a course gap (--course-gap 4.5); 12 h or 100 h alone."""
    h = float(h)
    days = h / 24
    if h >= 24 and (2 * days).is_integer():
        return f"{h:g} h ({days:g} day{'' if days == 1 else 's'})"
    return f"{h:g} h"


# --- the ANC series --------------------------------------------------------------------------


class _Point(NamedTuple):  # a tuple: 50,000 of them are built in a few milliseconds
    index: object  # label in the caller's frame, for point_roles
    time: datetime
    value: float
    censored: str | None
    date_only: bool


def anc_points(anc: pd.DataFrame) -> list[_Point]:
    """The usable draws of an ANC frame (columns time, value, optional censored/date_only).

    Column-wise (numpy) up to the final records: a ten-year record has 50,000 draws, and pandas
    scalar access per draw (Timestamp boxing, ``pd.isna``) cost a quarter of a second."""
    if anc is None or len(anc) == 0:
        return []
    times = pd.to_datetime(anc["time"])
    values = pd.to_numeric(anc["value"], errors="coerce")
    ok = (times.notna() & values.notna()).to_numpy(dtype=bool)
    times, values = times[ok], values[ok]
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        when = list(times.dt.to_pydatetime())
    else:  # naive: numpy makes datetime objects directly (microseconds, as to_pydatetime)
        when = times.to_numpy(dtype="datetime64[us]").tolist()
    value_list = values.to_numpy(dtype=float, na_value=float("nan")).tolist()
    index = anc.index[ok]
    if "censored" in anc.columns:
        cens = [c if isinstance(c, str) and c in ("<", ">") else None for c in anc["censored"][ok]]
    else:
        cens = [None] * len(when)
    if "date_only" in anc.columns:
        donly_col = anc["date_only"][ok]
        missing = donly_col.isna().to_numpy(dtype=bool)
        donly = [False if m else bool(d) for d, m in zip(donly_col, missing)]
    else:
        donly = [False] * len(when)
    out = list(map(_Point, index, when, value_list, cens, donly))
    out.sort(key=lambda p: p.time)  # stable: equal times keep the frame's order
    return out


def _is_midnight(t: datetime) -> bool:
    return t.time() == time(0)


def _pre_side(p: _Point, t0: datetime) -> bool:
    """True when the draw was taken before (or at) the infusion starting at t0 (rule 4)."""
    if p.time <= t0:
        return True
    return p.time.date() == t0.date() and (p.date_only or _is_midnight(t0))


def _draw(p: _Point, t0: datetime) -> Draw:
    return Draw(time=p.time, value=p.value, day=(p.time.date() - t0.date()).days, censored=p.censored)


# --- courses -> cycles -------------------------------------------------------------------------


def median_interval(courses: list[Course]) -> timedelta | None:
    """Median time between consecutive course starts; None with fewer than two courses."""
    starts = sorted(c.start for c in courses)
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:])]
    if not gaps:
        return None
    return timedelta(seconds=statistics.median(gaps))


def in_window(day: date, window: tuple[date | None, date | None]) -> bool:
    lo, hi = window
    lo = lo.date() if isinstance(lo, datetime) else lo
    hi = hi.date() if isinstance(hi, datetime) else hi
    return (lo is None or day >= lo) and (hi is None or day <= hi)


def build_cycles(
    anc: pd.DataFrame,
    courses: list[Course],
    events: list[Event] | tuple[Event, ...] = (),
    window: tuple[date | None, date | None] = (None, None),
    rules: CycleRules = CycleRules(),
) -> list[Cycle]:
    """One :class:`Cycle` per course whose t0 date lies in ``window`` (rules 2-8 and 10).

    ``anc`` holds the whole ANC record (columns time, value, and censored/date_only when known);
    ``courses`` the whole course record, so that a course just after the window still ends the
    window's last cycle. Censored results take their limit as value ("<0.1" counts as 0.1) and
    keep ``censored`` on the Draw.

    Events enter only through rule 8 (infection-affected cycles), applied last by
    :func:`mark_infections`, so a case that gains an event keeps the rest (see Case.evolve).
    """
    return mark_infections(cycle_draws(anc_points(anc), courses, window, rules), events, rules)


def mark_infections(cycles: list[Cycle], events, rules: CycleRules = CycleRules()) -> list[Cycle]:
    """Rule 8: a cycle an infection event overlaps is infection-affected and, by default, left
    out of the summary. ``cycles`` come from :func:`cycle_draws` (or are re-marked)."""
    infections = [e for e in events if e.kind == "infection"]
    kinds = rules.left_out_kinds()
    leaving = [e for e in events if e.kind in kinds]  # the user's leave-out types (infection by default)
    out = []
    for c in cycles:
        infection = any(_overlaps(e, c.start, c.end) for e in infections)
        left_out_by = tuple(sorted({e.kind for e in leaving if _overlaps(e, c.start, c.end)}, key=kinds.index))
        included = not left_out_by
        same = (c.infection, c.included, c.left_out_by) == (infection, included, left_out_by)
        out.append(c if same else replace(c, infection=infection, included=included, left_out_by=left_out_by))
    return out


def cycle_draws(points: list[_Point], courses: list[Course], window, rules: CycleRules) -> list[Cycle]:
    """Rules 2-7 and 10 for the courses in ``window``: each cycle's span and draws, none marked
    infection-affected yet. ``points`` are :func:`anc_points` of the ANC record."""
    ordered = sorted(courses, key=lambda c: c.start)
    chosen = [i for i, c in enumerate(ordered) if in_window(c.start.date(), window)]
    default_length = median_interval([ordered[i] for i in chosen]) or median_interval(ordered)
    times = [p.time for p in points]
    cycles: list[Cycle] = []
    for number, i in enumerate(chosen, start=1):
        course = ordered[i]
        next_t0 = ordered[i + 1].start if i + 1 < len(ordered) else None
        end = _cycle_end(course.start, next_t0, default_length, points)
        # Only draws near this cycle can satisfy any rule; a day's margin each side covers the
        # date-only leniency of _pre_side. Slicing keeps a 10-year record linear, not quadratic.
        lo = bisect.bisect_left(times, course.start - timedelta(hours=rules.pre_window_hours, days=1))
        hi = bisect.bisect_right(times, max(end, next_t0 or end) + timedelta(days=1))
        cycles.append(_cycle(number, course, end, next_t0, points[lo:hi], rules))
    return cycles


def _cycle_end(t0: datetime, next_t0: datetime | None, default_length, points: list[_Point]) -> datetime:
    """Rule 2: a cycle ends where the next course starts; the last one after the usual interval
    or, without one, at the end of the day of the last draw."""
    if next_t0 is not None:
        return next_t0
    if default_length is not None:
        return t0 + default_length
    last_draw = max((p.time for p in points), default=t0)
    return datetime.combine(max(last_draw, t0).date() + timedelta(days=1), time(0))


def _cycle(number: int, course: Course, end: datetime, next_t0: datetime | None, near: list[_Point],
           rules: CycleRules) -> Cycle:
    """One cycle from the draws ``near`` it: pre-infusion, post-infusion, nadir and recovery."""
    t0, t_last = course.start, course.last

    def in_cycle(p: _Point) -> bool:
        if _pre_side(p, t0):
            return False
        return _pre_side(p, next_t0) if next_t0 is not None else p.time < end

    pre_from = t0 - timedelta(hours=rules.pre_window_hours)
    pre_candidates = [p for p in near if p.time >= pre_from and _pre_side(p, t0)]
    pre = _draw(pre_candidates[-1], t0) if pre_candidates else None

    post_limit = t_last + timedelta(hours=rules.post_window_hours)
    by_date = _is_midnight(t_last)  # a date-only course: the limit is a day, not an hour

    def post_ok(p: _Point) -> bool:
        return p.time.date() <= post_limit.date() if by_date else p.time <= post_limit
    inside = [p for p in near if in_cycle(p)]
    # in_cycle: with a custom short course gap, a draw after the next t0 is the next course's.
    post = next((_draw(p, t0) for p in inside if post_ok(p)), None)

    draws = tuple(_draw(p, t0) for p in inside)
    nadir = min(draws, key=lambda d: (d.value, d.time)) if draws else None
    return Cycle(number=number, course=course, start=t0, end=end, pre=pre, post=post, nadir=nadir,
                 recovery_day=_recovery_day(draws, nadir, pre), draws=draws)


def _recovery_day(draws, nadir, pre) -> int | None:
    """Rule 7: the first day after the nadir with a value back at the pre-infusion value."""
    if nadir is None or pre is None:
        return None
    return next((d.day for d in draws if d.day > nadir.day and d.value >= pre.value - 1e-9), None)


KIND_WORDS = {"infection": "an annotated infection", "fever": "fever", "gcsf": "G-CSF",
              "medication": "another annotated medication", "hospitalisation": "a hospitalisation",
              "other": "another annotated event"}
KIND_SHORT = {"gcsf": "G-CSF", "hospitalisation": "hospitalisation", "medication": "medication"}


def kind_words(kinds, short: bool = False) -> str:
    """("infection", "gcsf") -> "an annotated infection or G-CSF" (short: "infection, G-CSF")."""
    words = [KIND_SHORT.get(k, k) if short else KIND_WORDS.get(k, k) for k in kinds]
    if short:
        return ", ".join(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def left_out_reason(cycles) -> str:
    """Why the left-out cycles are left out: "infection", "infection, G-CSF" (rules' order)."""
    kinds: list[str] = []
    for c in cycles:
        if not c.included:
            for k in c.left_out_by or ("infection",):
                if k not in kinds:
                    kinds.append(k)
    order = EVENT_KINDS
    kinds.sort(key=lambda k: order.index(k) if k in order else len(order))
    return kind_words(kinds, short=True) if kinds else ""


def _overlaps(event: Event, start: datetime, end: datetime) -> bool:
    lo, hi = event_span(event)
    return lo < end and hi > start


# --- presentation helpers ------------------------------------------------------------------------

ROLES = ("infection", "pre", "post", "other")


# The last roles, for the same ANC table, chosen draws and infections (an added G-CSF day or a
# moved window that keeps the cycles leaves 50,000 roles as they were).
_ROLES = LastResult()


def point_roles(
    anc: pd.DataFrame, cycles: list[Cycle], events: list[Event] | tuple[Event, ...] = ()
) -> pd.Series:
    """A role per ANC draw for colouring the figure: "infection", "pre", "post" or "other".

    "infection" is a draw on a calendar date covered by an infection event (the COVID-19 draw of
    the seed case); "pre"/"post" are the draws the rules chose for some cycle. Precedence:
    infection > pre > post > other. The Series has ``anc``'s index (do not modify it: the same
    Series is handed out again for the same inputs).

    Column-wise: a ten-year record has 50,000 draws and a role is asked for after every edit;
    only the few draws at a chosen pre or post time are looked at one by one.
    """
    pre = tuple((c.pre.time, float(c.pre.value)) for c in cycles if c.pre is not None)
    post = tuple((c.post.time, float(c.post.value)) for c in cycles if c.post is not None)
    spans = tuple(event_dates(e) for e in events if e.kind == "infection")
    return _ROLES.get((anc, pre, post, spans), lambda: _point_roles(anc, pre, post, spans))


def _point_roles(anc: pd.DataFrame, pre: tuple, post: tuple, spans: tuple) -> pd.Series:
    roles = np.full(len(anc), "other", dtype=object)
    if len(anc) == 0:
        return pd.Series(roles, index=anc.index, dtype=object)
    times = pd.to_datetime(anc["time"])
    values = pd.to_numeric(anc["value"], errors="coerce")
    usable = (times.notna() & values.notna()).to_numpy(dtype=bool)
    for role, chosen in (("post", post), ("pre", pre)):
        keys = set(chosen)
        if not keys:
            continue
        at = np.flatnonzero(times.isin([t for t, _ in keys]).to_numpy(dtype=bool) & usable)
        for i in at:  # Timestamps hash and compare like datetimes
            if (times.iat[i], float(values.iat[i])) in keys:
                roles[i] = role
    if spans:
        wall = times.dt.tz_localize(None) if isinstance(times.dtype, pd.DatetimeTZDtype) else times
        day = wall.dt.normalize()
        hit = np.zeros(len(anc), bool)
        for lo, hi in spans:
            hit |= ((day >= pd.Timestamp(lo)) & (day <= pd.Timestamp(hi))).to_numpy(dtype=bool)
        roles[hit & usable] = "infection"
    return pd.Series(roles, index=anc.index, dtype=object)


def cycles_table(cycles: list[Cycle]) -> pd.DataFrame:
    """The per-cycle table the CLI prints and the exports write (one row per cycle)."""

    def val(d: Draw | None):
        return None if d is None else d.value

    def day(d: Draw | None):
        return None if d is None else d.day

    rows = [
        {
            "number": c.number,
            "start": c.start.isoformat(timespec="minutes"),
            "pre": val(c.pre),
            "post": val(c.post),
            "post_day": day(c.post),
            "nadir": val(c.nadir),
            "nadir_day": day(c.nadir),
            "recovery_day": c.recovery_day,
            "infection": c.infection,
            "included": c.included,
        }
        for c in cycles
    ]
    columns = ["number", "start", "pre", "post", "post_day", "nadir", "nadir_day",
               "recovery_day", "infection", "included"]
    table = pd.DataFrame(rows, columns=columns)
    for col in ("pre", "post", "nadir"):
        table[col] = table[col].astype("Float64")
    for col in ("number", "post_day", "nadir_day", "recovery_day"):
        table[col] = table[col].astype("Int64")
    for col in ("infection", "included"):
        table[col] = table[col].astype(bool)
    return table
