"""The case import's defaults (desktop/dialogs/case_import.py)."""

from __future__ import annotations

from datetime import datetime, timedelta


def test_panel_b_of_an_import_is_the_first_cycle_with_draws():
    from types import SimpleNamespace

    from desktop.dialogs.case_import import default_settings

    from analysis.figure.panel_b import resolve_panel_b

    t0, later = datetime(2024, 1, 1), SimpleNamespace(time=datetime(2024, 1, 2))
    end = t0 + timedelta(days=21)  # cycles of one length: the typical-length preference keeps them all
    cycles = [SimpleNamespace(number=1, start=t0, end=end, draws=()),
              SimpleNamespace(number=2, start=t0, end=end, draws=(later, later)),
              SimpleNamespace(number=3, start=t0, end=end, draws=(later, later, later))]
    # More than two draws after the infusion: the rule the figure's "auto" and `nadir render` use.
    assert default_settings(SimpleNamespace(cycles=cycles)).panel_b == "cycle:3"
    assert resolve_panel_b("auto", cycles) == "cycle:3"
    assert default_settings(SimpleNamespace(cycles=cycles[:2])).panel_b == "none"
