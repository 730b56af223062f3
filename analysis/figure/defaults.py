"""The figure settings a newly read case starts with (the window's import, ``nadir project``
and ``nadir render`` without --panel-b agree on them)."""

from __future__ import annotations

from dataclasses import replace

from analysis.figure.spec import FigureSettings


def first_followed_cycle(case) -> str:
    """Panel B's default as a concrete choice (what a project file stores): the rule of
    ``panel_b.default_panel_b``, the first cycle with more than two draws after its infusion."""
    from analysis.figure.panel_b import default_panel_b

    return default_panel_b(case.cycles)


def default_settings(case, settings: FigureSettings | None = None) -> FigureSettings:
    return replace(settings or FigureSettings(), panel_b=first_followed_cycle(case))
