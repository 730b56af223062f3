"""The case import's defaults (desktop/dialogs/case_import.py)."""

from __future__ import annotations


def test_panel_b_of_an_import_is_the_first_cycle_with_draws():
    from types import SimpleNamespace

    from desktop.dialogs.case_import import default_settings

    cycles = [SimpleNamespace(number=1, draws=()), SimpleNamespace(number=2, draws=(1,)),
              SimpleNamespace(number=3, draws=(1, 2, 3))]
    assert default_settings(SimpleNamespace(cycles=cycles)).panel_b == "cycle:3"
    assert default_settings(SimpleNamespace(cycles=cycles[:1])).panel_b == "none"
