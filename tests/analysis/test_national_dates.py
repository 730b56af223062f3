"""Date notations of national systems: VA VistA FileMan dates and Japanese (era) dates.

FileMan stores CYYMMDD.HHMMSS with CYY = year - 1700 (3221006.093 = 2022-10-06 09:30); the
examples of the FileMan-to-ISO conversion in YottaDB's VistA Octo mapping (3220712.182851 =
2022-07-12 18:28:51, 3220712.1 = 10:00, 3220700 = a month without a day) are the reference.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.importing.cell_kinds import looks_like_date
from analysis.importing.date_serials import fileman_date
from analysis.importing.date_text import parse_date_text
from analysis.importing.dates import parse_datetime_column
from analysis.importing.observations import import_labs


@pytest.mark.parametrize(("value", "expected"), [
    (3221006.093, (datetime(2022, 10, 6, 9, 30), True)),
    ("3221006.0930", (datetime(2022, 10, 6, 9, 30), True)),
    ("3220712.182851", (datetime(2022, 7, 12, 18, 28, 51), True)),
    (3220712.1, (datetime(2022, 7, 12, 10, 0), True)),
    (3220712.18, (datetime(2022, 7, 12, 18, 0), True)),
    (3220712, (datetime(2022, 7, 12), False)),
    (2991231.2359, (datetime(1999, 12, 31, 23, 59), True)),
    (3220712.24, (datetime(2022, 7, 13), True)),  # .24: the midnight that ends the day
])
def test_fileman_dates_decode_as_the_vista_documentation_says(value, expected):
    assert fileman_date(value) == expected


@pytest.mark.parametrize("value", [3220700, 3220000, 3221306, 3221032, 3220712.2460, 3220712.0961,
                                   1234567, 45000.5, 20221006, "322-1006", True, "3221006.1234567"])
def test_not_fileman_dates(value):
    assert fileman_date(value) is None


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2099, 12, 31)))
def test_fileman_round_trip(when):
    when = when.replace(microsecond=0)
    text = f"{when.year - 1700}{when:%m%d}.{when:%H%M%S}"
    assert fileman_date(text) == (when, True)
    # As a number, a time of 00:00:00 is no fraction at all: the day alone
    assert fileman_date(float(text)) == (when, when.time() != datetime.min.time())


def test_a_column_of_fileman_dates_is_read_by_content():
    column = parse_datetime_column([3221006.093, "3221007.0815", 3221008, None, "x"])
    assert column.times[:4] == [datetime(2022, 10, 6, 9, 30), datetime(2022, 10, 7, 8, 15),
                                datetime(2022, 10, 8), None]
    assert column.date_only[2] and not column.date_only[0]
    assert column.bad == [4]


def test_a_fileman_date_with_a_time_looks_like_a_date_and_a_bare_seven_digit_id_does_not():
    assert looks_like_date(3221006.093) and looks_like_date("3221006.0930")
    assert not looks_like_date(3221006)  # as well a medical record number


def test_a_vista_lab_extract_with_fileman_dates_is_read(tmp_path):
    path = tmp_path / "vista_lab.csv"
    path.write_text("PATIENT,SPECIMEN DATE,TEST,RESULT,UNITS\n"
                    "1001,3220906.0815,NEUTROPHILS #,1.2,K/uL\n"
                    "1001,3220907.083,NEUTROPHILS #,0.4,K/uL\n"
                    "1001,3220908.24,WBC,3.1,K/uL\n")
    labs = import_labs(path)
    anc = labs.observations[labs.observations["analyte"] == "ANC"]
    assert list(anc["time"]) == [datetime(2022, 9, 6, 8, 15), datetime(2022, 9, 7, 8, 30)]
    assert list(anc["value"]) == [1.2, 0.4]


@pytest.mark.parametrize(("text", "expected", "has_time"), [
    ("2022年10月6日 9:30", datetime(2022, 10, 6, 9, 30), True),
    ("２０２２年１０月６日", datetime(2022, 10, 6), False),  # full-width digits
    ("令和4年10月6日", datetime(2022, 10, 6), False),
    ("令和元年5月1日 10時30分", datetime(2019, 5, 1, 10, 30), True),  # 元年: the era's first year
    ("平成30年1月5日(金)", datetime(2018, 1, 5), False),
    ("昭和64年1月7日", datetime(1989, 1, 7), False),
    ("R4.10.6", datetime(2022, 10, 6), False),
    ("H30/01/05 08:15", datetime(2018, 1, 5, 8, 15), True),
])
def test_japanese_dates(text, expected, has_time):
    assert parse_date_text(text) == ("fixed", expected, has_time)


@pytest.mark.parametrize("text", ["S1.2.3", "H45.1.1", "R4.13.6", "平成32年1月1日"])
def test_not_japanese_dates(text):
    assert parse_date_text(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("SEP 06, 2022@09:30", datetime(2022, 9, 6, 9, 30)),
    ("Oct 6,2022@09:30:15", datetime(2022, 10, 6, 9, 30, 15)),
    ("SEP 06, 2022@0930", datetime(2022, 9, 6, 9, 30)),
])
def test_vista_external_dates_with_the_time_after_an_at_sign(text, expected):
    """VistA prints dates as 'SEP 06, 2022@09:30' (a BCMA medication log, a lab report): an h18
    trial's BCMA log was refused as having no column of dates."""
    assert parse_date_text(text) == ("fixed", expected, True)
    assert looks_like_date(text)


def test_a_numeric_vista_date_with_an_at_sign_keeps_its_order_open():
    assert parse_date_text("10/06/22@0930")[:4] == ("numeric", 10, 6, 2022)
