"""build_cycles + summarise against a brute-force oracle written straight from CYCLE-RULES.md.

The oracle below shares no code with analysis/rules/cycles.py (only the input records): it groups the
administrations itself, scans every draw for every rule, and computes the summary by sorting. Where
the rules are silent it follows the decisions documented in analysis/rules/cycles.py:

* "before t0" (rule 4's side of t0): at or before t0, or on t0's date when the draw is date-only or
  t0 is exactly midnight (an infusion at midnight is a date-only record);
* post and nadir never reach past the next course's t0 (a draw on the "before" side of the next
  t0 belongs to this cycle, never to the next one's post-infusion side);
* post window of an infusion at midnight: up to the end of the calendar day of t_last + 48 h;
* cycle end: the next course's t0 in the whole record; the last cycle lasts the median interval
  between consecutive courses inside the window (all courses when the window holds fewer than
  two); with a single course, up to the end of the day of the last ANC draw;
* equal draw times keep the record's order ("last" pre = the later row, "first" post = the earlier);
  nadir ties go to the earliest draw; recovery needs a later calendar day than the nadir and a value
  at or above the pre-infusion value (no pre -> no recovery);
* an infection event by date covers its whole days; it marks a cycle when it overlaps [t0, end).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.rules.cycles import CycleRules, build_cycles
from analysis.treatment.medications import group_courses
from analysis.model import Administration, Event
from analysis.rules.stats import summarise

H = timedelta(hours=1)
DAY = timedelta(days=1)


# --- the oracle ------------------------------------------------------------------------------------


def _before(draw, t0: datetime) -> bool:
    t, _, _, date_only = draw
    return t <= t0 or (t.date() == t0.date() and (date_only or t0.time() == time(0)))


def _median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def oracle(adm_times, draws, events, window, rules):
    """draws: [(time, value, censored, date_only)] in record order. Returns (cycles, summary)."""
    courses = []  # rule 1: [t0, ..., t_last]
    for t in sorted(adm_times):
        if courses and t - courses[-1][-1] <= rules.course_gap_hours * H:
            courses[-1].append(t)
        else:
            courses.append([t])
    draws = sorted(draws, key=lambda d: d[0])  # stable: equal times keep record order
    lo, hi = window
    chosen = [k for k, c in enumerate(courses)
              if (lo is None or c[0].date() >= lo) and (hi is None or c[0].date() <= hi)]

    def intervals(ks):
        return [courses[b][0] - courses[a][0] for a, b in zip(ks, ks[1:])]

    gaps = intervals(chosen) or intervals(list(range(len(courses))))
    cycles = []
    for number, k in enumerate(chosen, start=1):
        t0, t_last = courses[k][0], courses[k][-1]
        nxt = courses[k + 1][0] if k + 1 < len(courses) else None
        if nxt is not None:
            end = nxt
        elif gaps:
            end = t0 + _median(gaps)
        else:
            end = datetime.combine(max([t0] + [d[0] for d in draws]).date() + DAY, time(0))

        def day(d):
            return (d[0].date() - t0.date()).days

        inside = [d for d in draws if not _before(d, t0)
                  and (_before(d, nxt) if nxt is not None else d[0] < end)]
        pres = [d for d in draws if d[0] >= t0 - rules.pre_window_hours * H and _before(d, t0)]
        pre = pres[-1] if pres else None
        limit = t_last + rules.post_window_hours * H
        posts = [d for d in inside
                 if (d[0].date() <= limit.date() if t_last.time() == time(0) else d[0] <= limit)]
        post = posts[0] if posts else None
        nadir = None
        for d in inside:
            if nadir is None or d[1] < nadir[1]:
                nadir = d
        recovery = None
        if nadir is not None and pre is not None:
            days = [day(d) for d in inside if day(d) > day(nadir) and d[1] >= pre[1]]
            recovery = min(days) if days else None
        infection = any(
            e.kind == "infection"
            and datetime.combine(e.start.date(), time(0)) < end
            and datetime.combine((e.end or e.start).date(), time(0)) + DAY > t0
            for e in events
        )

        def as_draw(d):
            return None if d is None else (d[0], d[1], day(d), d[2])

        cycles.append(dict(
            number=number, start=t0, end=end, administrations=tuple(courses[k]),
            pre=as_draw(pre), post=as_draw(post), nadir=as_draw(nadir), recovery_day=recovery,
            infection=infection, included=not (infection and rules.exclude_infection),
            draws=[as_draw(d) for d in inside],
        ))
    kept = [c for c in cycles if c["included"]]
    summary = {}
    for key in ("pre", "post", "nadir"):
        ds = [c[key] for c in kept if c[key] is not None]
        vals = [d[1] for d in ds]
        summary[key] = dict(
            median=_median(vals) if vals else None, min=min(vals, default=None),
            max=max(vals, default=None), n=len(vals), censored=sum(1 for d in ds if d[3]),
        )
    summary["pairs"] = sum(1 for c in kept if c["pre"] is not None and c["post"] is not None)
    return cycles, summary


# --- the implementation, in the oracle's terms -----------------------------------------------------


def _draw_tuple(d):
    return None if d is None else (d.time, d.value, d.day, d.censored)


def implementation(adm_times, draws, events, window, rules):
    adms = [Administration(time=t, product="IVIG (Privigen)", dose=70.0, dose_unit="g", weight_kg=70.0)
            for t in adm_times]
    frame = pd.DataFrame(
        [{"time": t, "value": v, "censored": c, "date_only": donly} for t, v, c, donly in draws],
        columns=["time", "value", "censored", "date_only"],
    )
    cycles = build_cycles(frame, group_courses(adms, rules.course_gap_hours), events, window, rules)
    got = [dict(
        number=c.number, start=c.start, end=c.end,
        administrations=tuple(a.time for a in c.course.administrations),
        pre=_draw_tuple(c.pre), post=_draw_tuple(c.post), nadir=_draw_tuple(c.nadir),
        recovery_day=c.recovery_day, infection=c.infection, included=c.included,
        draws=[_draw_tuple(d) for d in c.draws],
    ) for c in cycles]
    s = summarise(cycles)
    summary = {key: dict(median=s_.median, min=s_.min, max=s_.max, n=s_.n, censored=s_.censored)
               for key, s_ in (("pre", s.pre), ("post", s.post), ("nadir", s.nadir))}
    summary["pairs"] = s.wilcoxon.n
    return got, summary


def check(scenario):
    expected_cycles, expected_summary = oracle(*scenario)
    got_cycles, got_summary = implementation(*scenario)
    assert len(got_cycles) == len(expected_cycles)
    for got, expected in zip(got_cycles, expected_cycles):
        for field, value in expected.items():
            assert got[field] == value, f"cycle {expected['number']} {field}"
    for key in ("pre", "post", "nadir"):
        got, expected = got_summary[key], expected_summary[key]
        assert got["n"] == expected["n"] and got["censored"] == expected["censored"], key
        assert got["min"] == expected["min"] and got["max"] == expected["max"], key
        if expected["median"] is None:
            assert got["median"] is None, key
        else:
            assert got["median"] == pytest.approx(expected["median"], abs=1e-9), key
    assert got_summary["pairs"] == expected_summary["pairs"]


# --- random records -----------------------------------------------------------------------------

BASE = datetime(2022, 1, 3)
TIMES_OF_DAY = [time(0), time(9, 0), time(8, 30), time(14, 15), time(23, 30)]


@st.composite
def scenarios(draw):
    rules = draw(st.one_of(
        st.just(CycleRules()),
        # Changed windows; a course gap shorter than the post window puts the next t0 inside it.
        st.builds(CycleRules,
                  course_gap_hours=st.sampled_from([72, 48, 36, 96]),
                  pre_window_hours=st.sampled_from([72, 24, 48, 96]),
                  post_window_hours=st.sampled_from([48, 24, 72, 96]),
                  exclude_infection=st.booleans()),
    ))
    # Administrations: 1-8 courses 14-35 days apart, each of 1-5 doses 24-72 h apart (73 h now and
    # then: the course splits in two, and the next t0 falls inside the previous post window).
    adm_times = []
    t0 = BASE + draw(st.integers(0, 3)) * DAY
    for _ in range(draw(st.integers(1, 8))):
        tod = draw(st.sampled_from(TIMES_OF_DAY) | st.times().map(lambda t: t.replace(second=0, microsecond=0)))
        t = datetime.combine(t0.date(), tod)
        adm_times.append(t)
        for _ in range(draw(st.integers(0, 4))):
            hours = draw(st.sampled_from([24, 48, 72, 73]) | st.integers(24, 72))
            t = t + hours * H + draw(st.sampled_from([0, 0, 0, 1, -1, 30])) * timedelta(minutes=1)
            adm_times.append(t)
        t0 = datetime.combine(t0.date(), time(0)) + draw(st.integers(14, 35)) * DAY
    first, last = min(adm_times), max(adm_times)

    # Draws: the boundaries of every administration, midnights, and random times.
    anchors = []
    for a in adm_times:
        late = datetime.combine((a + 48 * H).date(), time(23, 59))  # end of a midnight post window
        anchors += [a, a - 72 * H, a + 48 * H, a - 24 * H, a + 24 * H, late]
    minute = timedelta(minutes=1)
    draws = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.sampled_from(["anchor", "anchor", "date_only", "random", "random"]))
        if kind == "random":
            t = first - 5 * DAY + draw(st.integers(0, int((last - first) / minute) + 45 * 24 * 60)) * minute
        else:
            t = draw(st.sampled_from(anchors)) + draw(st.sampled_from([0, 0, 0, -1, 1])) * minute
        date_only = kind == "date_only" or (kind == "random" and draw(st.integers(0, 4)) == 0)
        if date_only:
            t = datetime.combine(t.date() + draw(st.integers(-1, 2)) * DAY, time(0))
        value = draw(st.integers(1, 30)) / 10
        censored = draw(st.sampled_from([None] * 6 + ["<", ">"]))
        draws.append((t, value, censored, date_only))

    events = []
    for _ in range(draw(st.integers(0, 3))):
        start = datetime.combine(
            (first - 3 * DAY + draw(st.integers(0, (last - first).days + 40)) * DAY).date(), time(0))
        length = draw(st.none() | st.integers(0, 10))
        kind = draw(st.sampled_from(["infection", "infection", "fever"]))
        events.append(Event(kind=kind, label=kind, start=start,
                            end=None if length is None else start + length * DAY))

    def bound():
        pick = st.none() | st.builds(
            lambda a, shift: (a + shift * DAY).date(), st.sampled_from(adm_times), st.integers(-2, 2))
        return draw(pick)

    window = (bound(), bound())
    return adm_times, draws, events, window, rules


# --- boundary cases, in the oracle's terms ---------------------------------------------------------


def T(text: str) -> datetime:
    return datetime.fromisoformat(text)


def S(adms, draws=(), events=(), window=(None, None), rules=CycleRules()):
    rows = [(T(d[0]), d[1], (list(d) + [None, False])[2], (list(d) + [None, False])[3]) for d in draws]
    return [T(a) for a in adms], rows, list(events), window, rules


def inf(start: str, end: str | None = None) -> Event:
    return Event(kind="infection", label="infection", start=T(start), end=None if end is None else T(end))


TWO = ["2022-01-10T09:00", "2022-01-31T09:00"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
# A draw at t0 is pre and never post; the next course's t0 draw is this cycle's nadir and next pre.
@example(S(TWO, [("2022-01-10T09:00", 1.2), ("2022-01-31T09:00", 0.3, "<"), ("2022-01-31T09:00", 0.3)]))
# Pre window closed at t0 - 72 h; one minute earlier is out.
@example(S(TWO, [("2022-01-07T09:00", 1.3), ("2022-01-28T08:59", 1.1)]))
# Post window closed at t_last + 48 h of a three-day course, one minute later is only the nadir.
@example(S(["2022-01-10T09:00", "2022-01-11T09:00", "2022-01-12T09:00", "2022-02-01T09:00"],
           [("2022-01-10T08:00", 1.0), ("2022-01-14T09:00", 0.6), ("2022-02-05T09:01", 0.2)]))
# Date-only draws: on the infusion date they are pre, the next day post.
@example(S(TWO, [("2022-01-10T00:00", 0.9, None, True), ("2022-01-11T00:00", 0.4, None, True),
                 ("2022-01-31T00:00", 0.5, None, True)]))
# Infusions at midnight: every draw on their date is before them, post runs to the end of day 2.
@example(S(["2022-01-10T00:00", "2022-01-31T00:00"],
           [("2022-01-10T23:00", 0.9), ("2022-01-12T23:59", 0.5), ("2022-01-31T18:00", 0.2),
            ("2022-02-02T20:00", 0.4)]))
# Doses exactly 72 h apart are one course; 73 h apart start a new one inside the post window.
@example(S(["2022-01-10T09:00", "2022-01-13T09:00", "2022-01-16T10:00"],
           [("2022-01-10T08:00", 1.0), ("2022-01-15T09:00", 0.5), ("2022-01-16T11:00", 0.4)]))
# With a 12-h course gap the next course starts inside the post window: post stops at its t0.
@example(S(["2022-01-10T09:00", "2022-01-11T09:00"], [("2022-01-10T08:00", 1.0), ("2022-01-11T10:00", 0.5)],
           rules=CycleRules(course_gap_hours=12)))
# An infection on the next t0's date touches both cycles; with a midnight t0 only the later one.
@example(S(TWO, [("2022-01-11T09:00", 0.5)], [inf("2022-01-31T00:00")]))
@example(S(["2022-01-10T00:00", "2022-01-31T00:00"], [("2022-01-11T09:00", 0.5)], [inf("2022-01-31T00:00")]))
# Infection range ending the day before t0 does not mark it; keeping infected cycles.
@example(S(TWO, [("2022-01-11T09:00", 0.5)], [inf("2022-01-03T00:00", "2022-01-09T00:00")],
           rules=CycleRules(exclude_infection=False)))
# Window with one course: the last cycle lasts the median interval of all courses.
@example(S(["2022-01-01T09:00", "2022-01-29T09:00", "2022-02-20T09:00"], [("2022-03-10T09:00", 0.3)],
           window=(date(2022, 2, 20), None)))
# Window with two courses (median of an even count of intervals) ending before the record does.
@example(S(["2022-01-01T09:00", "2022-01-22T09:00", "2022-02-14T09:00", "2022-03-01T09:00"],
           [("2022-02-13T09:00", 1.0), ("2022-02-28T09:00", 0.2)], window=(None, date(2022, 1, 22))))
# A single course runs to the end of the day of the last draw; a draw before t0 does not shorten it.
@example(S(["2022-01-10T09:00"], [("2022-01-09T09:00", 1.0), ("2022-02-20T09:00", 0.2)]))
@example(S(["2022-01-10T09:00"], [("2022-01-05T09:00", 1.0)]))
# Recovery: a later day at or above pre; the same day as the nadir does not count.
@example(S(TWO, [("2022-01-10T08:00", 0.8), ("2022-01-14T08:00", 0.3), ("2022-01-14T18:00", 0.9),
                 ("2022-01-20T09:00", 0.8)]))
def test_build_cycles_and_summary_agree_with_the_oracle(scenario):
    check(scenario)
