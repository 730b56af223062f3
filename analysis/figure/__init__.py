"""The publication figure: what it shows (``spec``), how it is drawn to a file (``render``),
and the words that go with it (``legend``).

``analysis.figure`` imports no matplotlib at import time; only rendering does.
"""

from __future__ import annotations

from analysis.figure.presets import PRESETS, get_preset
from analysis.figure.render import RenderReport, layout_problems, render
from analysis.figure.spec import FigureSettings, FigureSpec, build_figure


def render_case(case, settings: FigureSettings, path, *, fmt: str | None = None) -> RenderReport:
    """Build the figure for ``case`` and write it to ``path`` in one call."""
    spec = build_figure(case, settings)
    return render(spec, path, fmt=fmt, dpi=settings.dpi)


__all__ = [
    "PRESETS",
    "FigureSettings",
    "FigureSpec",
    "RenderReport",
    "build_figure",
    "get_preset",
    "layout_problems",
    "render",
    "render_case",
]
