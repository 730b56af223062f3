"""Result cells as lab systems export them, and what Nadir makes of them."""

from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.importing.values import (
    CANCELLED,
    COMMENT,
    EMPTY,
    PENDING,
    Result,
    infer_decimal,
    parse_result,
    parse_results,
)


@pytest.mark.parametrize(
    "raw, value, censored, flag",
    [
        ("1.2", 1.2, None, None),
        (" 1.2 ", 1.2, None, None),
        ("0", 0.0, None, None),
        ("+1.2", 1.2, None, None),
        ("1.2e3", 1200.0, None, None),
        (".5", 0.5, None, None),
        ("<0.1", 0.1, "<", None),
        ("< 0.1", 0.1, "<", None),
        ("<=0.1", 0.1, "<", None),
        ("≤0.1", 0.1, "<", None),
        ("<0,1", 0.1, "<", None),
        (">50", 50.0, ">", None),
        (">= 50", 50.0, ">", None),
        ("≥50", 50.0, ">", None),
        ("less than 0.5", 0.5, "<", None),
        ("0.3 L", 0.3, None, "L"),
        ("0.3L", 0.3, None, "L"),
        ("0.3 (L)", 0.3, None, "L"),
        ("0.3 [L]", 0.3, None, "L"),
        ("0.3 *L", 0.3, None, "L"),
        ("0.3 L*", 0.3, None, "L"),
        ("1.2 H", 1.2, None, "H"),
        ("0.3 LL", 0.3, None, "LL"),
        ("25 HH", 25.0, None, "HH"),
        ("0.1 C", 0.1, None, "C"),
        ("0.1 A", 0.1, None, "A"),
        ("LL 0.1", 0.1, None, "LL"),
        ("(H) 12", 12.0, None, "H"),
        ("0.3 Low", 0.3, None, "L"),
        ("0.3 ↓", 0.3, None, "L"),
        ("0,3 -", 0.3, None, "L"),
        ("12 +", 12.0, None, "H"),
        ("0.3 *", 0.3, None, "*"),
        ("<0.1 L", 0.1, "<", "L"),
        ("1,2", 1.2, None, None),
        ("0,45", 0.45, None, None),
        ("1.200,5", 1200.5, None, None),
        ("1,200.5", 1200.5, None, None),
        ("1 200", 1200.0, None, None),
        ("1\u00a0200", 1200.0, None, None),
        ("1'200", 1200.0, None, None),
        ("1,234,567", 1234567.0, None, None),
        ("−0.5", -0.5, None, None),
    ],
)
def test_numbers_comparators_and_flags(raw, value, censored, flag):
    r = parse_result(raw)
    assert r.value == pytest.approx(value)
    assert r.censored == censored
    assert r.flag == flag
    assert r.text == raw
    assert r.reason is None


def test_glued_unit_is_kept_aside():
    r = parse_result("1.2 K/uL")
    assert (r.value, r.unit_text, r.flag) == (1.2, "K/uL", None)
    r = parse_result("450 cells/uL L")
    assert (r.value, r.unit_text, r.flag) == (450.0, "cells/uL", "L")
    r = parse_result("12,9 g/dl")
    assert (r.value, r.unit_text) == (12.9, "g/dl")


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("CANCELLED", CANCELLED),
        ("Canceled", CANCELLED),
        ("Test not performed", CANCELLED),
        ("TNP", CANCELLED),
        ("Annulé", CANCELLED),
        ("storniert", CANCELLED),
        ("See comment", COMMENT),
        ("see note", COMMENT),
        ("Siehe Kommentar", COMMENT),
        ("Voir commentaire", COMMENT),
        ("Pending", PENDING),
        ("in progress", PENDING),
        ("", EMPTY),
        ("   ", EMPTY),
        ("---", EMPTY),
        ("n/a", EMPTY),
    ],
)
def test_non_numbers_get_a_reason(raw, reason):
    r = parse_result(raw)
    assert r.value is None
    assert r.reason == reason
    assert r.text == raw


@pytest.mark.parametrize("raw", ["Hemolyzed", "Specimen clotted", "QNS", "insufficient sample",
                                 "Probe hämolytisch"])
def test_unusable_specimen(raw):
    r = parse_result(raw)
    assert r.value is None
    assert r.reason.startswith("specimen not usable (")
    assert raw in r.reason


@pytest.mark.parametrize("raw", ["banana", "HH", "C", "2-3", "3,9 - 10,2", "1.2.3", "inf",
                                 "1_000", "0.3 banana", "positive", "1e999"])
def test_other_text_is_not_a_number(raw):
    r = parse_result(raw)
    assert r.value is None
    assert r.reason == f"not a number: {raw!r}"


def test_cells_that_are_already_numbers():
    assert parse_result(1.5) == Result(1.5, text="1.5")
    assert parse_result(3) == Result(3.0, text="3")
    assert parse_result(1200.0).text == "1200"
    assert parse_result(np.float64(0.45)).value == 0.45
    assert parse_result(np.int64(7)).value == 7.0
    assert parse_result(Decimal("0.3")).value == 0.3


@pytest.mark.parametrize("raw", [None, math.nan, np.nan])
def test_empty_cells(raw):
    r = parse_result(raw)
    assert r.value is None and r.reason == EMPTY


@pytest.mark.parametrize("raw", [True, False, datetime(2023, 3, 1), date(2023, 3, 1),
                                 time(8, 0), math.inf])
def test_booleans_dates_and_infinity_are_not_numbers(raw):
    r = parse_result(raw)
    assert r.value is None
    assert r.reason and "number" in r.reason


def test_ambiguous_thousands_depend_on_the_column():
    assert parse_result("1,200").value == 1200.0  # comma + exactly 3 digits: thousands
    assert parse_result("1,200", decimal=".").value == 1200.0
    assert parse_result("1,200", decimal=",").value == 1.2
    assert parse_result("1.200").value == 1.2
    assert parse_result("1.200", decimal=",").value == 1200.0
    assert parse_result("0,300").value == 0.3  # a leading zero cannot start a thousands group
    assert parse_result("1,25").value == 1.25
    assert parse_result("1.5", decimal=",").value == 1.5  # not 3 digits: still a decimal


def test_parse_results_matches_parse_result():
    raws = ["1.2", "0.3 L", None, 4.0, "CANCELLED", "1.2", "<0,1"]
    assert parse_results(raws) == [parse_result(r) for r in raws]
    assert parse_results(["1,200"], decimal=",")[0].value == 1.2


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["0,45", "1,2", "2"], ","),
        (["3,9 - 10,2"], ","),
        (["1.200,5"], ","),
        (["0.45", "1.2"], "."),
        (["1,200.5"], "."),
        (["1,200", "2,500"], None),  # could be either
        (["2", "3", 4.5], None),
        ([], None),
        (["<0,1", "CANCELLED"], ","),
    ],
)
def test_infer_decimal(texts, expected):
    assert infer_decimal(texts) == expected


def test_infer_decimal_on_the_german_export_column():
    column = ["2", "1,2", "1,5", "0,45", "2", "0,6", "<0,1", "1,4", "1,1"]
    assert infer_decimal(column) == ","
    decimal = infer_decimal(column)
    assert [r.value for r in parse_results(column, decimal)] == [
        2.0, 1.2, 1.5, 0.45, 2.0, 0.6, 0.1, 1.4, 1.1]


# --- properties -----------------------------------------------------------------------------

finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


def _render(value: float, places: int, comma: bool) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if comma else text


@settings(max_examples=200, deadline=None)
@given(
    value=finite,
    places=st.integers(min_value=0, max_value=4),
    comma=st.booleans(),
    comparator=st.sampled_from(["", "<", ">", "< ", "<=", "≤", ">= "]),
    flag=st.sampled_from(["", " L", "L", " H", " (L)", " *L", " LL", " HH", " C", " A", "*"]),
    pad=st.sampled_from(["", " ", "  "]),
)
def test_formatted_numbers_parse_back(value, places, comma, comparator, flag, pad):
    number = _render(value, places, comma)
    expected = float(_render(value, places, False))
    text = f"{pad}{comparator}{number}{flag}{pad}"
    r = parse_result(text, decimal="," if comma else ".")
    assert r.value == pytest.approx(expected, rel=1e-12, abs=1e-12)
    expected_censored = {"": None, "<": "<", "<=": "<", "≤": "<", ">": ">", ">=": ">"}
    assert r.censored == expected_censored[comparator.strip()]
    assert r.reason is None
    assert (r.flag is None) == (flag == "")


@settings(max_examples=200, deadline=None)
@given(value=st.integers(min_value=1000, max_value=10**9),
       style=st.sampled_from([(",", "."), (".", ","), (" ", ","), (" ", "."), ("'", ".")]),
       frac=st.integers(min_value=0, max_value=99))
def test_thousands_separators_parse_back(value, style, frac):
    thousands, decimal = style
    grouped = f"{value:,}".replace(",", thousands)
    text = f"{grouped}{decimal}{frac:02d}"
    assert parse_result(text, decimal=decimal).value == pytest.approx(value + frac / 100)
    assert parse_result(text).value == pytest.approx(value + frac / 100)


@settings(max_examples=200, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_repr_of_any_float_parses_back(value):
    assert parse_result(repr(value)).value == value
    assert parse_result(value).value == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.sampled_from([None, ",", "."]))
def test_parse_result_never_raises_on_text(text, decimal):
    r = parse_result(text, decimal=decimal)
    assert isinstance(r, Result)
    assert (r.value is None) == (r.reason is not None)
    assert r.value is None or math.isfinite(r.value)
    assert r.censored in (None, "<", ">")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=20))
def test_infer_decimal_never_raises(texts):
    assert infer_decimal(texts) in (None, ",", ".")


@pytest.mark.parametrize(
    "text, value, flag, unit",
    [
        ("0.42 (Corrected)", 0.42, None, None),
        ("0.42 L (rpt)", 0.42, "L", None),
        ("0.42 (repeated) L", 0.42, "L", None),
        ("0.42 G/L (confirmed)", 0.42, None, "G/L"),  # the unit keeps its case: G/L is not g/L
        ("0,42 (kontrolliert)", 0.42, None, None),
    ],
)
def test_notes_on_how_a_value_was_obtained_leave_the_value(text, value, flag, unit):
    result = parse_result(text)
    assert (result.value, result.flag, result.unit_text) == (value, flag, unit)


def test_unknown_words_after_a_number_are_still_not_a_number():
    assert parse_result("0.42 something").value is None
    assert parse_result("0.42 (corrected result)").value is None
