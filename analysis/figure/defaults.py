"""The figure settings a newly read case starts with (the window's import, ``nadir project``
and ``nadir render`` without --panel-b agree on them)."""

from __future__ import annotations

from dataclasses import replace

from analysis.figure.spec import FigureSettings


def first_followed_cycle(case) -> str:
    """Panel B's default: the first cycle with draws after its infusion, as the case report's
    cycle 1 (a long record's first cycles often have none, and an empty box says nothing)."""
    followed = [c.number for c in case.cycles if len(c.draws) >= 2]
    return f"cycle:{followed[0]}" if followed else "none"


def default_settings(case, settings: FigureSettings | None = None) -> FigureSettings:
    return replace(settings or FigureSettings(), panel_b=first_followed_cycle(case))
