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
    from analysis.figure import axes, legend, panel_b, thresholds
    from desktop.panels.cycles import fmt

    for module in (axes, legend, panel_b, thresholds):
        assert module.format_number is format_number, module.__name__
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


def test_the_labs_decimals_come_from_its_own_results():
    from analysis.numbers import lab_decimals

    assert lab_decimals([1.0, 0.9, 2.6], ["1.0", "0.9 L", "2.6"]) == 1
    assert lab_decimals([1.0, 2.0], ["1.00", "2,00"]) == 2  # the text keeps the lab's zeros
    assert lab_decimals([1.2, 0.45], ["1200", "450"]) == 2  # cells/uL: from the value in 10^3/uL
    assert lab_decimals([0.5, 1.5, 0.45], [None] * 3) == 1  # the most common count wins
    assert lab_decimals([], []) == 1


@pytest.mark.parametrize(("values", "median", "text"), [
    ((0.9, 1.0), 0.95, "0.95 (0.9–1.0)"),  # between two reported steps: one more decimal
    ((2.0, 2.5), 2.25, "2.25 (2.0–2.5)"),
    ((0.9, 1.1), 1.0, "1.0 (0.9–1.1)"),  # a reported step: the lab's decimals, zero kept
    ((2.0, 2.6, 2.2), 2.2, "2.2 (2.0–2.6)"),
])
def test_values_at_the_labs_decimals_and_medians_one_more_only_between_steps(values, median, text):
    from analysis.model import Stat
    from analysis.numbers import LabNumbers

    n = LabNumbers(1)
    assert n.stat(Stat(median, min(values), max(values), len(values))) == text
    assert n.value(2) == "2.0" and n.value(-0.01) == "0.0" and n.value(None) == "–"


def test_figure_legend_methods_report_and_panel_print_the_same_numbers(case):
    """The reference lab reports one decimal: every place prints the summary the same way."""
    from analysis.figure import FigureSettings, build_figure
    from analysis.figure.legend import figure_legend, methods_paragraph
    from analysis.report import summary_report
    from desktop.panels.cycles import summary_html

    assert case.decimals == 1
    pre = case.numbers.stat(case.summary.pre)
    spec = build_figure(case, FigureSettings(width_mm=180, height_mm=120))
    assert f"Pre-infusion: {pre}" in [t.text for t in spec.texts]
    assert f"pre-infusion {pre}" in methods_paragraph(case)
    assert pre.replace("–", "-") in summary_report(case)
    assert case.numbers.median(case.summary.pre.median) in summary_html(case)
    legend = figure_legend(case)
    assert f"Pre-infusion median {case.numbers.median(case.summary.pre.median)} (range" in legend
    notes = [t.text for p in spec.panels for t in p.texts if t.kind == "annotation"]
    assert any(t.startswith("Pre ") and t[4:7].count(".") == 1 and len(t.split()[1]) == 3 for t in notes)
