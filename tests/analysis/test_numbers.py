"""The clinician number format (analysis.numbers) and the places that must print with it."""

import numpy as np
import pytest

from analysis.numbers import format_number


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.45, "0.45"),
        (0.35, "0.35"),
        (1.10, "1.1"),
        (21, "21"),
        (21.0, "21"),
        (0.004, "0"),
        (-0.001, "0"),  # rounds to zero: never "-0"
        (-1.25, "-1.25"),
        (2.675, "2.67"),  # binary 2.67499..., as Python rounds it
        (1234.5, "1234.5"),
        (np.float64(0.5), "0.5"),
        (np.int64(3), "3"),
    ],
)
def test_format_number_drops_trailing_zeros(value, text):
    assert format_number(value) == text


def test_missing_and_digits():
    assert format_number(None) == "–"
    assert format_number(None, missing="-") == "-"
    assert format_number(0.1234, digits=3) == "0.123"


def test_the_figure_and_the_cycles_panel_use_this_format():
    # One home for the rule: the figure's and the window's formatters are this function.
    from analysis.figure.numbers import _num
    from desktop.panels.cycles import fmt

    assert _num is format_number
    assert fmt is format_number


def test_p_values():
    from analysis.numbers import format_p

    assert format_p(0.0625) == "p = 0.06"
    assert format_p(0.004) == "p = 0.004"
    assert format_p(0.0004) == "p < 0.001"


def test_the_report_and_the_figure_give_the_same_p(case):
    # The command line's summary and the figure's legend used to print p = 0.0625 and p = 0.06.
    from analysis.figure.legend import methods_paragraph
    from analysis.numbers import format_p
    from analysis.report import summary_report

    p = format_p(case.summary.wilcoxon.p)
    assert p == "p = 0.06"
    assert p in summary_report(case)
    assert p in methods_paragraph(case)
