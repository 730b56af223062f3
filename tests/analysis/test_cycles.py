"""Each rule of CYCLE-RULES.md on small hand-built series, one behaviour per test."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from analysis.model import Administration
from analysis.rules.cycles import CycleRules, build_cycles, cycles_table, median_interval, point_roles
from analysis.treatment.events import make_event
from analysis.treatment.medications import group_courses


def T(text: str) -> datetime:
    return datetime.fromisoformat(text)


def anc(*draws) -> pd.DataFrame:
    """draws: (iso time, value) or (iso time, value, censored) or (iso, value, censored, date_only)."""
    rows = []
    for d in draws:
        t, v, c, donly = (list(d) + [None, False])[:4]
        rows.append({"time": T(t), "value": float(v), "censored": c, "date_only": bool(donly)})
    return pd.DataFrame(rows, columns=["time", "value", "censored", "date_only"])


def courses(*times: str, gap_hours: float = 72):
    adms = [Administration(time=T(t), product="IVIG (Privigen)", dose=80.0, dose_unit="g", weight_kg=80.0)
            for t in times]
    return group_courses(adms, gap_hours)


def one(cycles):
    assert len(cycles) >= 1
    return cycles[0]


# --- rule 1: courses -----------------------------------------------------------------------------


def test_course_gap_of_exactly_72_hours_is_one_course():
    cs = courses("2022-01-01T09:00", "2022-01-04T09:00")
    assert len(cs) == 1
    assert cs[0].start == T("2022-01-01T09:00") and cs[0].last == T("2022-01-04T09:00")


def test_course_gap_just_over_72_hours_starts_a_new_course():
    cs = courses("2022-01-01T09:00", "2022-01-04T09:01")
    assert [c.number for c in cs] == [1, 2]


def test_five_day_course_is_one_course():
    cs = courses(*(f"2022-01-0{d}T09:00" for d in range(1, 6)), "2022-01-29T09:00")
    assert [len(c.administrations) for c in cs] == [5, 1]


# --- rule 3: day -----------------------------------------------------------------------------


def test_day_is_calendar_day_difference():
    data = anc(("2022-01-01T23:59", 1.0), ("2022-01-02T00:01", 0.5), ("2022-01-08T08:00", 0.7))
    c = one(build_cycles(data, courses("2022-01-01T09:00", "2022-01-22T09:00")))
    assert [d.day for d in c.draws] == [0, 1, 7]


# --- rule 4: pre -----------------------------------------------------------------------------


def test_pre_window_start_is_inclusive():
    data = anc(("2022-01-07T09:00", 1.3))
    c = one(build_cycles(data, courses("2022-01-10T09:00")))
    assert c.pre is not None and c.pre.value == 1.3 and c.pre.day == -3


def test_pre_window_excludes_a_draw_just_over_72_hours_before():
    data = anc(("2022-01-07T08:59", 1.3))
    c = one(build_cycles(data, courses("2022-01-10T09:00")))
    assert c.pre is None


def test_pre_is_the_last_draw_before_t0_and_a_draw_at_t0_counts():
    data = anc(("2022-01-09T09:00", 1.0), ("2022-01-10T08:00", 1.1), ("2022-01-10T09:00", 1.2),
               ("2022-01-10T09:01", 0.2))
    c = one(build_cycles(data, courses("2022-01-10T09:00")))
    assert c.pre.value == 1.2 and c.pre.day == 0
    assert c.post.value == 0.2  # a draw at t0 is never post


def test_date_only_draw_on_infusion_date_is_pre_not_post():
    data = anc(("2022-01-10T00:00", 0.9, None, True), ("2022-01-11T00:00", 0.4, None, True))
    c = one(build_cycles(data, courses("2022-01-10T09:30")))
    assert c.pre.value == 0.9 and c.pre.day == 0
    assert c.post.value == 0.4 and c.post.day == 1


def test_infusion_at_midnight_is_date_only_so_same_day_draws_are_pre():
    # Date-only infusion record, timed lab: the 08:30 draw on the infusion date is pre-infusion.
    data = anc(("2022-01-10T08:30", 0.9), ("2022-01-11T08:30", 0.4))
    c = one(build_cycles(data, courses("2022-01-10T00:00")))
    assert c.pre.value == 0.9
    assert c.post.value == 0.4
    assert [d.value for d in c.draws] == [0.4]


def test_date_only_post_window_reaches_end_of_second_day():
    data = anc(("2022-01-12T17:00", 0.4))
    c = one(build_cycles(data, courses("2022-01-10T00:00")))
    assert c.post is not None and c.post.day == 2


# --- rule 5: post ----------------------------------------------------------------------------


def test_post_window_end_is_inclusive():
    data = anc(("2022-01-12T09:00", 0.5))
    c = one(build_cycles(data, courses("2022-01-10T09:00")))
    assert c.post.value == 0.5 and c.post.day == 2


def test_post_window_excludes_a_draw_just_over_48_hours_after():
    data = anc(("2022-01-12T09:01", 0.5))
    c = one(build_cycles(data, courses("2022-01-10T09:00")))
    assert c.post is None
    assert c.nadir.value == 0.5  # still a draw of the cycle


def test_post_window_counts_from_last_infusion_of_a_multi_day_course():
    times = [f"2022-01-{d:02d}T09:00" for d in range(10, 15)]  # 5 days, t_last = 14 Jan
    data = anc(("2022-01-10T08:00", 1.5), ("2022-01-16T09:00", 0.6), ("2022-01-20T09:00", 0.3))
    c = one(build_cycles(data, courses(*times, "2022-02-07T09:00")))
    assert len(c.course.administrations) == 5
    assert c.post.value == 0.6 and c.post.day == 6  # 48 h after t_last, day counted from t0
    assert c.nadir.value == 0.3 and c.nadir.day == 10


def test_changed_windows_are_used():
    data = anc(("2022-01-08T09:00", 1.3), ("2022-01-13T09:00", 0.5))
    rules = CycleRules(pre_window_hours=24, post_window_hours=72)
    c = one(build_cycles(data, courses("2022-01-10T09:00"), rules=rules))
    assert c.pre is None
    assert c.post.value == 0.5


# --- rules 2 and 6: cycle span, nadir ------------------------------------------------------------


def test_cycle_runs_to_next_t0_and_the_next_pre_draw_can_be_the_nadir():
    data = anc(("2022-01-10T08:00", 1.0), ("2022-01-11T09:00", 0.5), ("2022-01-31T08:00", 0.3),
               ("2022-01-31T10:00", 0.1))
    cs = build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00"))
    assert cs[0].end == T("2022-01-31T09:00")
    assert cs[0].nadir.value == 0.3 and cs[0].nadir.day == 21
    assert cs[1].pre.value == 0.3  # the same draw is the next cycle's pre-infusion value
    assert cs[1].nadir.value == 0.1


def test_nadir_ties_go_to_the_earliest_draw():
    data = anc(("2022-01-11T09:00", 0.4), ("2022-01-15T09:00", 0.4), ("2022-01-18T09:00", 0.6))
    c = one(build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00")))
    assert c.nadir.day == 1


def test_censored_value_counts_as_its_limit_and_keeps_the_flag():
    data = anc(("2022-01-11T09:00", 0.2), ("2022-01-14T09:00", 0.1, "<"), ("2022-01-17T09:00", 0.15))
    c = one(build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00")))
    assert c.nadir.value == 0.1 and c.nadir.censored == "<" and c.nadir.day == 4


def test_last_cycle_lasts_the_median_interval_of_the_window():
    cs = build_cycles(anc(), courses("2022-01-01T09:00", "2022-01-22T09:00", "2022-02-14T09:00",
                                     "2022-03-07T09:00"))
    # intervals 21, 23, 21 days -> median 21
    assert cs[-1].end == T("2022-03-28T09:00")


def test_last_cycle_falls_back_to_all_courses_when_window_holds_one():
    cs_all = courses("2022-01-01T09:00", "2022-01-29T09:00", "2022-02-26T09:00")
    cs = build_cycles(anc(), cs_all, window=(date(2022, 2, 26), None))
    assert len(cs) == 1 and cs[0].number == 1
    assert cs[0].end == T("2022-03-26T09:00")


def test_single_course_runs_to_the_end_of_the_last_draw_day():
    data = anc(("2022-01-11T09:00", 0.5), ("2022-02-20T09:00", 0.2))
    c = one(build_cycles(data, courses("2022-01-10T09:00")))
    assert c.end == T("2022-02-21T00:00")
    assert c.nadir.value == 0.2


def test_median_interval():
    assert median_interval(courses("2022-01-01T00:00")) is None
    assert median_interval(courses("2022-01-01T00:00", "2022-01-11T00:00", "2022-02-10T00:00")) == timedelta(days=20)


# --- rule 7: recovery ----------------------------------------------------------------------------


def test_recovery_is_first_later_day_at_or_above_pre():
    data = anc(("2022-01-10T08:00", 0.8), ("2022-01-11T09:00", 0.4), ("2022-01-18T09:00", 0.3),
               ("2022-01-22T09:00", 0.7), ("2022-01-25T09:00", 0.8), ("2022-01-28T09:00", 1.0))
    c = one(build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00")))
    assert c.nadir.day == 8
    assert c.recovery_day == 15  # equal to pre counts


def test_recovery_none_when_no_draw_reaches_pre_within_the_cycle():
    data = anc(("2022-01-10T08:00", 1.6), ("2022-01-11T09:00", 0.8), ("2022-01-31T08:00", 0.7),
               ("2022-02-02T09:00", 2.0))
    cs = build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00"))
    assert cs[0].recovery_day is None


def test_recovery_needs_a_later_day_than_the_nadir():
    data = anc(("2022-01-10T08:00", 0.8), ("2022-01-14T08:00", 0.3), ("2022-01-14T18:00", 0.9))
    c = one(build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00")))
    assert c.nadir.day == 4 and c.recovery_day is None


def test_recovery_none_without_pre():
    data = anc(("2022-01-11T09:00", 0.3), ("2022-01-20T09:00", 2.0))
    c = one(build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00")))
    assert c.pre is None and c.recovery_day is None


# --- rule 8: infection ---------------------------------------------------------------------------


def _two_cycles(events, rules=CycleRules()):
    data = anc(("2022-01-10T08:00", 1.0), ("2022-01-11T09:00", 0.5), ("2022-02-01T09:00", 0.4))
    return build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00"), events,
                        window=(None, None), rules=rules)


def test_single_day_infection_marks_its_cycle_and_excludes_it():
    cs = _two_cycles([make_event("infection", "COVID-19", date(2022, 1, 18))])
    assert [c.infection for c in cs] == [True, False]
    assert [c.included for c in cs] == [False, True]


def test_infection_range_starting_before_the_cycle_overlaps_it():
    cs = _two_cycles([make_event("infection", "pneumonia", date(2022, 1, 5), date(2022, 1, 10))])
    assert [c.infection for c in cs] == [True, False]


def test_infection_ending_the_day_before_t0_does_not_mark_the_cycle():
    cs = _two_cycles([make_event("infection", "UTI", date(2022, 1, 3), date(2022, 1, 9))])
    assert [c.infection for c in cs] == [False, False]


def test_infection_spanning_two_cycles_marks_both():
    cs = _two_cycles([make_event("infection", "sepsis", date(2022, 1, 28), date(2022, 2, 2))])
    assert [c.infection for c in cs] == [True, True]


def test_other_event_kinds_do_not_mark_a_cycle():
    cs = _two_cycles([make_event("fever", "fever", date(2022, 1, 18)),
                      make_event("gcsf", "filgrastim", date(2022, 1, 19))])
    assert not any(c.infection for c in cs)


def test_infection_can_be_kept_in_the_summary():
    cs = _two_cycles([make_event("infection", "COVID-19", date(2022, 1, 18))],
                     CycleRules(exclude_infection=False))
    assert cs[0].infection and cs[0].included


# --- rule 10: window -----------------------------------------------------------------------------


def test_window_selects_courses_by_t0_date_inclusive_and_numbers_from_one():
    cs_all = courses("2022-01-01T09:00", "2022-01-22T09:00", "2022-02-12T23:00", "2022-03-05T09:00")
    cs = build_cycles(anc(), cs_all, window=(date(2022, 1, 22), date(2022, 2, 12)))
    assert [c.number for c in cs] == [1, 2]
    assert [c.start for c in cs] == [T("2022-01-22T09:00"), T("2022-02-12T23:00")]
    # the last cycle of the window ends at the next course in the record, outside the window
    assert cs[-1].end == T("2022-03-05T09:00")


def test_draws_outside_the_window_reach_a_course_inside_it():
    data = anc(("2022-01-20T09:00", 1.4), ("2022-02-11T09:00", 0.2), ("2022-02-13T09:00", 1.5))
    cs_all = courses("2022-01-22T09:00", "2022-02-12T09:00")
    c = one(build_cycles(data, cs_all, window=(date(2022, 1, 22), date(2022, 1, 22))))
    assert c.pre.value == 1.4 and c.pre.day == -2  # drawn before the window opens
    assert c.nadir.value == 0.2 and c.nadir.day == 20  # drawn after the window closes


# --- presentation ------------------------------------------------------------------------------


def test_point_roles_precedence():
    data = anc(("2022-01-10T08:00", 1.0), ("2022-01-11T09:00", 0.5), ("2022-01-18T09:00", 2.4),
               ("2022-01-25T09:00", 0.9))
    events = [make_event("infection", "COVID-19", date(2022, 1, 18)),
              make_event("infection", "cold", date(2022, 1, 10))]
    cs = build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00"), events)
    roles = point_roles(data, cs, events)
    assert list(roles) == ["infection", "post", "infection", "other"]
    assert list(point_roles(data, cs, [])) == ["pre", "post", "other", "other"]


def test_point_roles_are_worked_out_again_only_when_their_inputs_change():
    data = anc(("2022-01-10T08:00", 1.0), ("2022-01-11T09:00", 0.5), ("2022-01-18T09:00", 2.4))
    cs = build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00"))
    first = point_roles(data, cs, [])
    g_csf = [make_event("gcsf", "filgrastim", date(2022, 1, 18))]
    assert point_roles(data, cs, g_csf) is first  # no infection, same chosen draws: the same roles
    infection = [make_event("infection", "otitis", date(2022, 1, 18))]
    assert list(point_roles(data, cs, infection)) == ["pre", "post", "infection"]
    copy = data.copy()  # another table (a re-import): worked out for it, never taken from the last
    assert point_roles(copy, cs, []) is not first and list(point_roles(copy, cs, [])) == list(first)


def test_cycles_table_columns_and_missing_values():
    data = anc(("2022-01-10T08:00", 1.0))
    table = cycles_table(build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00")))
    assert list(table.columns) == ["number", "start", "pre", "post", "post_day", "nadir", "nadir_day",
                                   "recovery_day", "infection", "included"]
    assert table.loc[0, "start"] == "2022-01-10T09:00"
    assert table.loc[0, "pre"] == 1.0
    assert pd.isna(table.loc[0, "post"]) and pd.isna(table.loc[0, "recovery_day"])


def test_describe_states_the_windows_in_words():
    text = " ".join(CycleRules().describe())
    assert "72 h" in text and "48 h" in text and "left out of the summary" in text
    changed = " ".join(CycleRules(post_window_hours=24, exclude_infection=False).describe())
    assert "24 h" in changed and "kept in the summary" in changed
    assert len(CycleRules().describe()) == 10


@pytest.mark.parametrize(("hours", "said"), [(72, "72 h (3 days)"), (24, "24 h (1 day)"), (108, "108 h (4.5 days)"),
                                             (100, "100 h after"), (12, "12 h after")])
def test_describe_says_a_course_gap_of_whole_or_half_days_in_days(hours, said):
    assert said in CycleRules(course_gap_hours=hours).describe()[0]


@pytest.mark.parametrize("frame", [anc(), pd.DataFrame(columns=["time", "value"])])
def test_no_draws_gives_cycles_without_values(frame):
    c = one(build_cycles(frame, courses("2022-01-10T09:00", "2022-01-31T09:00")))
    assert c.pre is None and c.post is None and c.nadir is None and c.draws == ()


def test_post_never_reaches_past_the_next_course():
    rules = CycleRules(course_gap_hours=12)
    data = anc(("2022-01-10T08:00", 1.0), ("2022-01-11T10:00", 0.5))
    cs = build_cycles(data, courses("2022-01-10T09:00", "2022-01-11T09:00", gap_hours=12), rules=rules)
    assert len(cs) == 2
    assert cs[0].post is None and cs[1].post.value == 0.5


def test_draws_during_an_infection_are_infection_draws_and_only_those():
    """Every draw on a date the infection covers (a one-day event: that day) is an infection
    draw, wherever it falls in the cycle; the day after the event is an ordinary draw again."""
    data = anc(("2022-01-10T08:00", 1.0), ("2022-01-11T09:00", 0.5), ("2022-01-14T09:00", 2.4),
               ("2022-01-15T23:00", 2.0), ("2022-01-16T08:00", 1.6), ("2022-01-25T09:00", 0.9))
    events = [make_event("infection", "pneumonia", date(2022, 1, 14), date(2022, 1, 15))]
    cs = build_cycles(data, courses("2022-01-10T09:00", "2022-01-31T09:00"), events)
    assert list(point_roles(data, cs, events)) == ["pre", "post", "infection", "infection", "other", "other"]
    one_day = [make_event("infection", "cold", date(2022, 1, 25))]
    assert list(point_roles(data, cs, one_day))[-1] == "infection"
    assert "taken during an annotated infection" in CycleRules().describe()[7]
