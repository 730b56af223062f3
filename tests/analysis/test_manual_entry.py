"""Infusions typed in: multi-day courses, doses questioned, and the methods text says so."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from analysis.demo import load_demo
from analysis.errors import InputError
from analysis.treatment.entry import how_entered, implausible_dose
from analysis.treatment.medications import manual_administration, regimen


@pytest.fixture(scope="module")
def demo_case():
    return load_demo()


def test_two_grams_per_kg_over_two_days_every_28_days():
    given = regimen(datetime(2022, 9, 6, 9), 28, 3, 1.0, "g/kg", days_per_course=2)
    assert [a.time for a in given] == [datetime(2022, 9, 6, 9), datetime(2022, 9, 7, 9),
                                       datetime(2022, 10, 4, 9), datetime(2022, 10, 5, 9),
                                       datetime(2022, 11, 1, 9), datetime(2022, 11, 2, 9)]
    assert "daily for 2 days, every 28 days" in given[0].medication


def test_daily_for_five_days_forms_one_course_per_cycle(demo_case):
    from analysis.case import Case

    given = regimen(datetime(2022, 9, 6, 9), 28, 4, 0.4, "g/kg", days_per_course=5)
    assert len(given) == 20
    case = Case(labs=demo_case.labs, administrations=tuple(given))
    assert len(case.courses) == 4
    assert {c.start for c in case.courses} == {datetime(2022, 9, 6, 9) + k * timedelta(days=28) for k in range(4)}


def test_a_course_longer_than_its_interval_is_refused():
    with pytest.raises(InputError, match="less than the interval"):
        regimen(datetime(2022, 9, 6), 3, 2, 1.0, "g/kg", days_per_course=3)


@pytest.mark.parametrize(("dose", "unit", "weight", "questioned"), [
    (80, "g/kg", None, True),  # the review: 80 g/kg was accepted without a word
    (1, "g/kg", None, False),
    (0.4, "g/kg", None, False),
    (0.01, "g/kg", None, True),
    (400, "mg/kg", None, False),
    (60, "g", 70, False),
    (600, "g", 70, True),
    (600, "g", None, True),
    (60, "g", None, False),
])
def test_implausible_doses_are_questioned(dose, unit, weight, questioned):
    adm = manual_administration(datetime(2022, 9, 6, 9), dose, unit, weight_kg=weight)
    reason = implausible_dose(adm)
    assert (reason is not None) == questioned
    if reason:
        assert f"{dose:g} {unit}" in reason


def test_how_the_infusions_were_entered(demo_case):
    from analysis.figure.legend import methods_paragraph

    assert how_entered(demo_case.administrations) == "infusions were read from the medication administration record"
    scheduled = regimen(datetime(2022, 9, 6, 9), 21, 6, 1.0, "g/kg")
    assert how_entered(scheduled) == ("infusions were entered by hand as a regular schedule "
                                      "(1 g/kg every 21 days)")
    typed = [manual_administration(datetime(2022, 9, 6, 9), 1.0, "g/kg")]
    assert how_entered(typed) == "infusion dates and doses were entered by hand"
    mixed = list(demo_case.administrations) + typed
    assert how_entered(mixed).endswith(f"1 of {len(mixed)} entered by hand")
    from dataclasses import replace

    text = methods_paragraph(replace(demo_case, administrations=tuple(scheduled)))
    assert "entered by hand as a regular schedule" in text
    assert "medication administration record" not in text
