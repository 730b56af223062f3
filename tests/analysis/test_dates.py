"""Collection times: Excel serials, datetimes, text in either day/month order, split columns."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from analysis.importing.dates import (
    looks_like_date_text,
    DMY,
    MDY,
    YMD,
    DateColumn,
    combine_date_time,
    from_excel_serial,
    parse_datetime_column,
    parse_time_text,
)
from analysis.errors import ChoiceRequired, InputError


def dt(*args) -> datetime:
    return datetime(*args)


# --- Excel serials --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "serial, expected",
    [
        (1, dt(1900, 1, 1)),
        (59, dt(1900, 2, 28)),
        (61, dt(1900, 3, 1)),
        (44986, dt(2023, 3, 1)),
        (44986.34375, dt(2023, 3, 1, 8, 15)),
        (45000.5, dt(2023, 3, 15, 12)),
    ],
)
def test_excel_1900_serials(serial, expected):
    assert from_excel_serial(serial) == expected


def test_excel_1904_serials():
    assert from_excel_serial(0, 1904) == dt(1904, 1, 1)
    assert from_excel_serial(43524.34375, 1904) == dt(2023, 3, 1, 8, 15)


def test_serials_round_to_the_second():
    # 08:15 as Excel stores it is not exact in binary; it must still land on 08:15:00.
    assert from_excel_serial(44986 + 8.25 / 24) == dt(2023, 3, 1, 8, 15)
    assert from_excel_serial(44986 + 0.4999 / 86400) == dt(2023, 3, 1, 0, 0, 0)


def test_unknown_date_system():
    with pytest.raises(ValueError):
        from_excel_serial(1.0, 2000)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=61, max_value=80000, allow_nan=False))
def test_1900_serials_agree_with_openpyxl(serial):
    ours = from_excel_serial(serial)
    theirs = from_excel(serial, CALENDAR_WINDOWS_1900)
    assert abs(ours - theirs) <= timedelta(seconds=0.5)
    assert ours.microsecond == 0


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1, max_value=80000, allow_nan=False))
def test_1904_serials_agree_with_openpyxl(serial):
    ours = from_excel_serial(serial, 1904)
    theirs = from_excel(serial, CALENDAR_MAC_1904)
    assert abs(ours - theirs) <= timedelta(seconds=0.5)


@pytest.mark.parametrize("serial", [1, 2, 59, 60, 61, 62])
def test_serials_around_the_lotus_leap_day_agree_with_openpyxl(serial):
    assert from_excel_serial(serial) == from_excel(serial, CALENDAR_WINDOWS_1900)


# --- typed cells ----------------------------------------------------------------------------


def test_typed_cells():
    col = parse_datetime_column(
        [dt(2023, 3, 1, 8, 0), date(2023, 3, 2), pd.Timestamp("2023-03-03 09:30"),
         44989.5, 44990, None, np.nan, np.datetime64("2023-03-08T10:00"), pd.NaT]
    )
    assert col.times == [
        dt(2023, 3, 1, 8), dt(2023, 3, 2), dt(2023, 3, 3, 9, 30), dt(2023, 3, 4, 12),
        dt(2023, 3, 5), None, None, dt(2023, 3, 8, 10), None,
    ]
    assert col.date_only == [False, True, False, False, False, False, False, False, False]
    assert col.bad == []
    assert col.order is None


def test_midnight_datetimes_are_date_only_when_the_column_has_no_times():
    col = parse_datetime_column([dt(2023, 3, 1), dt(2023, 3, 2), 44987])
    assert col.date_only == [True, True, True]
    col = parse_datetime_column([dt(2023, 3, 1), dt(2023, 3, 2, 8, 15)])
    assert col.date_only == [False, False]  # a real midnight draw among timed draws


def test_implausible_numbers_and_other_junk_are_bad():
    col = parse_datetime_column([0, -5, 1e9, True, time(8, 0), "garbage", "", "2023-03-01"])
    assert col.bad == [0, 1, 2, 3, 4, 5]
    assert col.times[6] is None and col.times[7] == dt(2023, 3, 1)


def test_compact_dates_and_serials_written_as_numbers_or_text():
    col = parse_datetime_column([20230301, 20231399, "44986.34375", "2023"])
    assert col.times == [dt(2023, 3, 1), None, dt(2023, 3, 1, 8, 15), None]
    assert col.bad == [1, 3]


def test_1904_system_column():
    col = parse_datetime_column([43524.34375], system=1904)
    assert col.times == [dt(2023, 3, 1, 8, 15)]


def test_timezone_aware_values_keep_wall_clock_time():
    aware = pd.Timestamp("2023-03-01 08:00", tz="Europe/Berlin")
    assert parse_datetime_column([aware]).times == [dt(2023, 3, 1, 8)]


# --- text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected, has_time",
    [
        ("2023-03-01", dt(2023, 3, 1), False),
        ("2023-03-01T08:00", dt(2023, 3, 1, 8), True),
        ("2023-03-01 08:00:00", dt(2023, 3, 1, 8), True),
        ("2023-03-01T08:00:00.000Z", dt(2023, 3, 1, 8), True),
        ("2023/03/01 8:05", dt(2023, 3, 1, 8, 5), True),
        ("20230301", dt(2023, 3, 1), False),
        ("01-Mar-2023 08:00", dt(2023, 3, 1, 8), True),
        ("01-MAR-23", dt(2023, 3, 1), False),
        ("Mar 1, 2023", dt(2023, 3, 1), False),
        ("March 1st 2023 8:00 PM", dt(2023, 3, 1, 20), True),
        ("1 Mar 2023", dt(2023, 3, 1), False),
        ("Wed 01 Mar 2023 08:00", dt(2023, 3, 1, 8), True),
        ("1. März 2023", dt(2023, 3, 1), False),
        ("1er mars 2023 à 08h15", dt(2023, 3, 1, 8, 15), True),
        ("3 de marzo de 2023", None, None),  # not supported: must be bad, never a wrong date
        ("15 dic 2023", dt(2023, 12, 15), False),
        ("2023-02-30", None, None),
    ],
)
def test_unambiguous_text(text, expected, has_time):
    col = parse_datetime_column([text])
    assert col.times == [expected]
    if expected is None:
        assert col.bad == [0]
    else:
        assert col.date_only == [not has_time]


def test_us_export_decided_by_a_day_above_12():
    col = parse_datetime_column(["03/01/2023 08:00 AM", "3/1/23 8:00", "03/13/2023 1:00 PM"])
    assert col.order == MDY
    assert col.times == [dt(2023, 3, 1, 8), dt(2023, 3, 1, 8), dt(2023, 3, 13, 13)]
    assert col.date_only == [False, False, False]


def test_day_first_export_decided_by_a_day_above_12():
    col = parse_datetime_column(["01/03/2023", "02/03/2023", "13/03/2023"])
    assert col.order == DMY
    assert col.times == [dt(2023, 3, 1), dt(2023, 3, 2), dt(2023, 3, 13)]
    assert col.date_only == [True, True, True]


def test_dotted_dates_are_day_first():
    col = parse_datetime_column(["01.03.2023 08:00", "02.03.23"])
    assert col.order == DMY
    assert col.times == [dt(2023, 3, 1, 8), dt(2023, 3, 2)]


def test_dotted_dates_yield_to_evidence():
    col = parse_datetime_column(["03.13.2023", "03.01.2023"])
    assert col.order == MDY
    assert col.times == [dt(2023, 3, 13), dt(2023, 3, 1)]


def test_truly_ambiguous_column_asks_the_user():
    with pytest.raises(ChoiceRequired) as info:
        parse_datetime_column(["01/03/2023", "02/03/2023", "12/11/2023"])
    err = info.value
    assert isinstance(err, InputError)
    assert err.kind == "date_order"
    assert err.options == [MDY, DMY]
    # the question quotes a date of the file and spells out both readings
    assert "01/03/2023" in err.message
    assert "January 3" in err.message and "1 March" in err.message


def test_explicit_order_settles_an_ambiguous_column():
    values = ["01/03/2023", "02/03/2023"]
    assert parse_datetime_column(values, order="DMY").times == [dt(2023, 3, 1), dt(2023, 3, 2)]
    assert parse_datetime_column(values, order="MDY").times == [dt(2023, 1, 3), dt(2023, 2, 3)]
    assert parse_datetime_column(values, order="mdy").order == MDY


def test_explicit_order_makes_contradicting_dates_bad():
    col = parse_datetime_column(["01/03/2023", "13/03/2023"], order="MDY")
    assert col.times == [dt(2023, 1, 3), None]
    assert col.bad == [1]


def test_contradicting_column_asks_the_user():
    with pytest.raises(ChoiceRequired) as info:
        parse_datetime_column(["13/03/2023", "03/14/2023"])
    assert info.value.kind == "date_order"
    assert "mix" in info.value.message


def test_dates_that_read_the_same_both_ways_need_no_choice():
    col = parse_datetime_column(["03/03/2023", "2023-03-04"])
    assert col.times == [dt(2023, 3, 3), dt(2023, 3, 4)]


def test_iso_only_column_reports_ymd():
    assert parse_datetime_column(["2023-03-01", "2023-03-02"]).order == YMD


def test_two_digit_years_follow_strptime():
    col = parse_datetime_column(["13/03/68", "13/03/69", "13/03/00"])
    assert [t.year for t in col.times] == [2068, 1969, 2000]


def test_repeated_strings_parse_the_same():
    values = ["13/03/2023 08:00", "14/03/2023 09:00"] * 5000 + [None]
    col = parse_datetime_column(values)
    assert col.times[0] == dt(2023, 3, 13, 8) and col.times[-2] == dt(2023, 3, 14, 9)
    assert col.times[-1] is None
    assert len(col.times) == len(col.date_only) == 10001


# --- split date and time ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("08:15", time(8, 15)), ("8:15", time(8, 15)), ("8:15 AM", time(8, 15)),
        ("8:15 pm", time(20, 15)), ("12:00 AM", time(0, 0)), ("12:30 PM", time(12, 30)),
        ("08:15:30", time(8, 15, 30)), ("0815", time(8, 15)), ("8h15", time(8, 15)),
        ("8.15 Uhr", time(8, 15)), ("8 AM", time(8, 0)), ("25:00", None), ("13:00 PM", None),
        ("banana", None), ("", None), ("2460", None),
    ],
)
def test_time_text(text, expected):
    assert parse_time_text(text) == expected


def test_combine_date_time():
    dates = parse_datetime_column(
        [date(2023, 3, 1), date(2023, 3, 2), date(2023, 3, 3), date(2023, 3, 4),
         date(2023, 3, 5), date(2023, 3, 6), None, dt(2023, 3, 8)]
    )
    col = combine_date_time(
        dates, [time(8, 0), "08:15", 0.34375, "8:15 PM", None, "soon", "09:00", 44993.25]
    )
    assert col.times == [
        dt(2023, 3, 1, 8), dt(2023, 3, 2, 8, 15), dt(2023, 3, 3, 8, 15), dt(2023, 3, 4, 20, 15),
        dt(2023, 3, 5), dt(2023, 3, 6), None, dt(2023, 3, 8, 6),
    ]
    assert col.date_only == [False, False, False, False, True, True, False, False]
    assert col.bad_times == [5]


def test_combine_checks_lengths():
    with pytest.raises(ValueError):
        combine_date_time(DateColumn([None], [False]), [None, None])


# --- properties -----------------------------------------------------------------------------

draws = st.datetimes(min_value=dt(1970, 1, 1), max_value=dt(2060, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


def _render(d: datetime, order: str, sep: str, year_digits: int, with_time: bool) -> str:
    a, b = (d.month, d.day) if order == MDY else (d.day, d.month)
    year = d.year if year_digits == 4 else d.year % 100
    text = f"{a:02d}{sep}{b:02d}{sep}{year:0{year_digits}d}"
    return f"{text} {d:%H:%M}" if with_time else text


@settings(max_examples=150, deadline=None)
@given(
    days=st.lists(draws, min_size=1, max_size=15),
    order=st.sampled_from([MDY, DMY]),
    sep=st.sampled_from(["/", "-"]),
    year_digits=st.sampled_from([2, 4]),
    with_time=st.booleans(),
)
def test_text_dates_parse_back_when_the_column_decides(days, order, sep, year_digits, with_time):
    assume(any(d.day > 12 for d in days))
    if year_digits == 2:
        assume(all(2000 <= d.year <= 2068 or 1969 <= d.year <= 1999 for d in days))
    texts = [_render(d, order, sep, year_digits, with_time) for d in days]
    col = parse_datetime_column(texts)
    expected = [d if with_time else d.replace(hour=0, minute=0) for d in days]
    assert col.times == expected
    assert col.order == order
    assert col.date_only == [not with_time] * len(days)


early_days = st.builds(
    datetime, st.integers(1970, 2060), st.integers(1, 12), st.integers(1, 12)
)


@settings(max_examples=100, deadline=None)
@given(days=st.lists(early_days, min_size=1, max_size=10))
def test_ambiguous_columns_are_never_guessed(days):
    assume(any(d.day != d.month for d in days))
    texts = [_render(d, MDY, "/", 4, False) for d in days]
    with pytest.raises(ChoiceRequired):
        parse_datetime_column(texts)


@settings(max_examples=100, deadline=None)
@given(draws)
def test_iso_text_parses_back(d):
    assert parse_datetime_column([d.isoformat()]).times == [d]
    assert parse_datetime_column([d.strftime("%d-%b-%Y %H:%M")]).times == [d]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.none(), st.floats(), st.integers()), max_size=10))
def test_parse_never_fails_unexpectedly(values):
    try:
        col = parse_datetime_column(values)
    except ChoiceRequired:
        return
    assert len(col.times) == len(values) == len(col.date_only)
    assert all(0 <= i < len(values) for i in col.bad)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03/01/2023 08:00 EST", datetime(2023, 3, 1, 8, 0)),
        ("2023-03-01T08:00:00-05:00", datetime(2023, 3, 1, 8, 0)),
        ("01.03.2023 08:00 MEZ", datetime(2023, 3, 1, 8, 0)),
        ("2023-03-01 08:00:00.000", datetime(2023, 3, 1, 8, 0)),
        ("3/1/23 0800", datetime(2023, 3, 1, 8, 0)),
        ("01.03.2023\n08:00", datetime(2023, 3, 1, 8, 0)),
        ("01MAR2023:08:00:00", datetime(2023, 3, 1, 8, 0)),  # SAS DATETIME format
        ("01.03.2023 kl. 08.00", datetime(2023, 3, 1, 8, 0)),  # Norwegian, Danish
    ],
)
def test_zones_are_dropped_and_wrapped_cells_read(text, expected):
    # the wall-clock time printed is the one the ward saw; one export is in one zone
    column = parse_datetime_column([text], order="MDY" if "/" in text else "DMY")
    assert column.times[0] == expected


def test_looks_like_date_text_agrees_with_the_parser():
    for text in ("3/1/23 0800", "1-Mar-2023", "Mar 1, 2023 8:00 AM", "2023-03-01T08:00:00Z", "01.03.2023\n08:00"):
        assert looks_like_date_text(text), text
    for text in ("0800", "12.5", "4,0 - 10,0", "150-400", "2023", "12/11", "", "Page 2 of 5", "32/13/2023"):
        assert not looks_like_date_text(text), text


def test_the_date_order_question_takes_its_example_from_the_file():
    from analysis.importing.date_order import ambiguous_example

    assert ambiguous_example(["Date", 45000.5, "13/01/2023", "03/01/2023 08:00 AM"]) == (
        "03/01/2023", date(2023, 3, 1), date(2023, 1, 3))
    assert ambiguous_example(["1.2.23 08:00"]) == ("01.02.2023", date(2023, 1, 2), date(2023, 2, 1))
    assert ambiguous_example(["05/05/2023", "2023-03-01", "13/01/2023", None]) is None


@pytest.mark.parametrize(("text", "day"), [("20 febbraio 2024", date(2024, 2, 20)), ("3 giu 2024", date(2024, 6, 3)),
                                           ("15-mei-2024", date(2024, 5, 15)), ("3-mrt-2023", date(2023, 3, 3)),
                                           ("1 maart 2023", date(2023, 3, 1)), ("18 ottobre 2022", date(2022, 10, 18))])
def test_italian_and_dutch_month_names(text, day):
    assert parse_datetime_column([text]).times[0] == datetime.combine(day, time(0))


@pytest.mark.parametrize("midnights_only", [False, True])
def test_typed_datetimes_read_as_the_cell_by_cell_reading_does(midnights_only):
    """Plain datetime cells (calamine's) are taken as they are; the same moments as pandas
    Timestamps go through the cell-by-cell reading, and both give the same column."""
    from datetime import UTC

    values = [dt(2023, 3, 1), dt(2023, 3, 2), None, dt(2023, 3, 4)]
    if not midnights_only:
        values += [dt(2023, 3, 5, 8, 15), dt(2023, 3, 6, 8, 15, 30, 600_000),
                   dt(2023, 3, 7, 23, 59, 59, 400_000), datetime(2023, 3, 8, 9, tzinfo=UTC)]
    fast = parse_datetime_column(values)
    slow = parse_datetime_column([pd.Timestamp(v) if v is not None else None for v in values])
    assert fast.times == slow.times
    assert fast.date_only == slow.date_only
    assert all(fast.date_only[:2]) == midnights_only
