"""The chart's secondary analytes carry their units in the window's spelling."""

from __future__ import annotations


def test_other_analytes_carry_their_units(window):
    from analysis.model import HGB, WBC

    window.chart.set_secondary((WBC, HGB))
    labels = {code: plot.unit_label.textItem.toPlainText() for code, plot in window.chart.secondary_plots.items()}
    assert labels == {WBC: "WBC, ×10³/µL", HGB: "Hb, g/dL"}
