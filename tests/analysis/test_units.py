"""Units: every spelling labs use for a count, percent or hemoglobin unit, and the checks that
catch a value whose size contradicts its unit."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.model import ANC, BAND_PCT, HGB, LYMPH, NEUT_PCT, PLT, WBC
from analysis.importing.units import (
    COUNT,
    FRACTION,
    MASS_CONC,
    PERCENT,
    Unit,
    check_magnitude,
    guess_unit,
    parse_unit,
    to_canonical,
)

THOUSANDS_PER_UL = [
    "K/uL", "k/µL", "K/μL", "10^3/uL", "10³/µL", "x10E3/uL", "x10^3/uL", "X10E3/UL",
    "10*3/uL", "10e3/ul", "thou/uL", "Thousand/uL", "TH/uL", "10^9/L", "10*9/L", "x10^9/l",
    "× 10^9/L", "x 10^3 /µL", "G/L", "G/l", "Gpt/L", "GPT/l", "Giga/l", "/nL", "10^6/mL",
    "(K/uL)", "[10*3/uL]", "10⁹/L", "x10**9/L", "10^3 cells/uL", "Tsd/µl",
    # from exports of other systems: UK brackets for the exponent, Canadian and German words
    "x10(9)/L", "10(3)/uL", "bil/L", "Mrd/l", "10exp9/L", "x10⁹/L", "THOU/uL", "x109/L",
]
PER_UL = ["cells/uL", "cells/µL", "/uL", "/µl", "/μL", "/mm3", "/mm³", "cells/mm3", "#/uL",
          "10^6/L", "/cmm"]
PER_NANOLITRE_X1000 = ["10^6/uL", "Mio/µl", "10^12/L", "T/L", "x10E6/uL"]
PERCENTS = ["%", "percent", "/100 WBC", "/100 leukocytes", "% of WBC", "Prozent"]


@pytest.mark.parametrize("text", THOUSANDS_PER_UL)
def test_thousands_per_microlitre_spellings(text):
    unit = parse_unit(text)
    assert unit is not None, text
    assert unit.kind == COUNT
    assert unit.factor == pytest.approx(1.0)
    assert unit.text == text


@pytest.mark.parametrize("text", PER_UL)
def test_per_microlitre_spellings_are_a_thousandth(text):
    unit = parse_unit(text)
    assert unit is not None and unit.kind == COUNT
    assert unit.factor == pytest.approx(0.001)
    assert unit.per_microlitre


@pytest.mark.parametrize("text", PER_NANOLITRE_X1000)
def test_red_cell_scale_units_are_a_thousand_times_larger(text):
    unit = parse_unit(text)
    assert unit is not None and unit.kind == COUNT
    assert unit.factor == pytest.approx(1000.0)


@pytest.mark.parametrize("text", PERCENTS)
def test_percent_spellings(text):
    unit = parse_unit(text)
    assert unit is not None and unit.kind == PERCENT and unit.factor == 1.0


@pytest.mark.parametrize(
    "text, factor",
    [("g/dL", 1.0), ("g/dl", 1.0), ("G/DL", 1.0), ("gm/dL", 1.0), ("g/L", 0.1), ("g/l", 0.1),
     ("mmol/L", 1.611), ("mg/dL", 0.001), ("g/100 mL", 1.0)],
)
def test_hemoglobin_units(text, factor):
    unit = parse_unit(text)
    assert unit is not None and unit.kind == MASS_CONC
    assert unit.factor == pytest.approx(factor)


def test_case_separates_giga_per_litre_from_grams_per_litre():
    assert parse_unit("G/L").kind == COUNT
    assert parse_unit("g/L").kind == MASS_CONC


@pytest.mark.parametrize("text", [None, "", "  ", "foo", "mg", "1", "10", "K", "uL", "per",
                                  "mmHg", "s", "fL", "pg", "x" * 100, "/", "10^3/"])
def test_unknown_units_are_none(text):
    assert parse_unit(text) is None


def test_fraction_unit_converts_to_percent():
    unit = parse_unit("fraction")
    assert unit.kind == FRACTION
    assert to_canonical(0.45, unit, NEUT_PCT) == pytest.approx(45.0)


def test_to_canonical_counts():
    assert to_canonical(1200, parse_unit("cells/uL"), ANC) == pytest.approx(1.2)
    assert to_canonical(1.2, parse_unit("G/l"), ANC) == pytest.approx(1.2)
    assert to_canonical(250000, parse_unit("/mm3"), PLT) == pytest.approx(250.0)
    assert to_canonical(4.5, parse_unit("10^6/uL"), WBC) == pytest.approx(4500.0)
    assert to_canonical(0.8, None, LYMPH) == 0.8  # no unit: taken as canonical


def test_to_canonical_hemoglobin():
    assert to_canonical(129, parse_unit("g/L"), HGB) == pytest.approx(12.9)
    assert to_canonical(8.0, parse_unit("mmol/L"), HGB) == pytest.approx(12.888)
    assert to_canonical(12.9, parse_unit("g/dL"), HGB) == 12.9
    # "G/L" written in capitals next to a hemoglobin is grams, not giga
    assert to_canonical(129, parse_unit("G/L"), HGB) == pytest.approx(12.9)


def test_lower_case_g_per_litre_next_to_a_count_is_giga():
    # Some German exports write "g/l" for leukocytes; the analyte settles it.
    assert to_canonical(2.0, parse_unit("g/l"), WBC) == pytest.approx(2.0)


@pytest.mark.parametrize(
    "analyte, unit",
    [(ANC, "%"), (WBC, "g/dL"), (NEUT_PCT, "K/uL"), (BAND_PCT, "cells/uL"), (HGB, "%"),
     (PLT, "%"), (HGB, "K/uL")],
)
def test_unit_that_cannot_belong_to_the_analyte_raises(analyte, unit):
    with pytest.raises(ValueError, match="does not fit"):
        to_canonical(1.0, parse_unit(unit), analyte)


def test_unknown_analyte_raises():
    with pytest.raises(ValueError):
        to_canonical(1.0, None, "CRP")


# --- magnitude ------------------------------------------------------------------------------


def test_cells_per_microlitre_labelled_thousands_is_flagged():
    warning = check_magnitude(ANC, 1200.0, "K/uL")
    assert warning is not None
    assert "cells/uL" in warning and "1200" in warning


def test_thousands_labelled_cells_per_microlitre_is_flagged():
    value = to_canonical(1.2, parse_unit("cells/uL"), ANC)
    warning = check_magnitude(ANC, value, "cells/uL")
    assert warning is not None and "10^3/uL" in warning


@pytest.mark.parametrize(
    "analyte, value, unit",
    [(ANC, 1.2, "K/uL"), (ANC, 0.0, "K/uL"), (ANC, 0.01, "K/uL"), (ANC, 0.45, "cells/uL"),
     (ANC, 0.01, "cells/uL"), (WBC, 350.0, "K/uL"), (PLT, 1500.0, "10^9/L"),
     (PLT, 12.0, "/uL"), (HGB, 7.2, "g/dL"), (HGB, 12.9, "g/L"), (NEUT_PCT, 55.0, "%"),
     (BAND_PCT, 0.0, "%"), (LYMPH, 0.3, None), (ANC, 1.2, None)],
)
def test_plausible_values_are_not_flagged(analyte, value, unit):
    assert check_magnitude(analyte, value, unit) is None


@pytest.mark.parametrize(
    "analyte, value, unit",
    [(WBC, 2000.0, "K/uL"), (PLT, 150000.0, "K/uL"), (LYMPH, 800.0, None),
     (HGB, 129.0, "g/dL"), (HGB, 0.5, "g/dL"), (NEUT_PCT, 150.0, "%"), (BAND_PCT, -1.0, "%"),
     (ANC, -0.5, "K/uL"), (PLT, 0.15, "/uL")],
)
def test_impossible_values_are_flagged(analyte, value, unit):
    assert check_magnitude(analyte, value, unit)


def test_hemoglobin_in_g_per_litre_labelled_g_per_dl_says_so():
    assert "g/L" in check_magnitude(HGB, 129.0, "g/dL")


def test_guess_unit():
    assert guess_unit(ANC, [1200, 450, 600]).factor == pytest.approx(0.001)
    assert guess_unit(ANC, [1.2, 0.45, 0.6]).factor == 1.0
    assert guess_unit(WBC, [2.0, 1.5, 300.0]).factor == 1.0  # median decides, not the maximum
    assert guess_unit(PLT, [150000, 200000]).factor == pytest.approx(0.001)
    assert guess_unit(PLT, [150, 200]).factor == 1.0
    assert guess_unit(HGB, [129, 130]).factor == pytest.approx(0.1)
    assert guess_unit(NEUT_PCT, [55, 60]).kind == PERCENT
    # a series of neutrophil "percentages" that never exceeds 1 is a series of fractions
    assert guess_unit(NEUT_PCT, [0.28, 0.32, 0.05, 0.6]).kind == FRACTION
    assert guess_unit(NEUT_PCT, [0.05, 0.08, 0.02]).kind == PERCENT  # nothing above 0.1: no evidence
    assert guess_unit(NEUT_PCT, [0.5, 30, 40]).kind == PERCENT
    assert guess_unit(ANC, []) is None
    assert guess_unit(ANC, [math.nan]) is None


# --- properties -----------------------------------------------------------------------------

values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(value=values, text=st.sampled_from(THOUSANDS_PER_UL))
def test_every_thousands_spelling_gives_the_same_canonical_value(value, text):
    assert to_canonical(value, parse_unit(text), ANC) == pytest.approx(value)
    assert to_canonical(value, parse_unit(text), ANC) == to_canonical(
        value, parse_unit("10^9/L"), ANC
    )


@settings(max_examples=150, deadline=None)
@given(value=values, text=st.sampled_from(PER_UL), analyte=st.sampled_from([ANC, WBC, LYMPH, PLT]))
def test_every_per_microlitre_spelling_divides_by_a_thousand(value, text, analyte):
    assert to_canonical(value, parse_unit(text), analyte) == pytest.approx(value / 1000)


@settings(max_examples=100, deadline=None)
@given(value=values)
def test_ten_to_the_nine_per_litre_is_the_identity(value):
    assert to_canonical(value, parse_unit("10^9/L"), WBC) == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_parse_unit_never_raises(text):
    unit = parse_unit(text)
    assert unit is None or isinstance(unit, Unit)


@settings(max_examples=100, deadline=None)
@given(text=st.sampled_from(THOUSANDS_PER_UL + PER_UL + PERCENTS),
       pad=st.sampled_from(["", " ", "  "]))
def test_spacing_and_case_of_micro_do_not_matter(text, pad):
    a = parse_unit(text)
    b = parse_unit(pad + text.replace("/", pad + "/" + pad).replace("u", "µ") + pad)
    assert b is not None and (a.kind, a.factor) == (b.kind, b.factor)
