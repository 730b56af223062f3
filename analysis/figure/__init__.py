"""The publication figure: what it shows (``spec``), how it is drawn to a file (``render``),
and the words that go with it (``legend``).

``analysis.figure`` imports no matplotlib at import time; only rendering does. Nor does it
import pandas: ``build_figure`` (``spec``, which needs it) is loaded the first time it is asked
for, so that reading a project's figure settings (``settings``, for the project schema) costs
no pandas before the project is known to be sound.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.figure.items import FigureSpec
from analysis.figure.presets import PRESETS, get_preset
from analysis.figure.render import RenderReport, layout_problems, render
from analysis.figure.settings import FigureSettings

if TYPE_CHECKING:
    from analysis.figure.spec import build_figure


def __getattr__(name: str):
    if name == "build_figure":
        from analysis.figure.spec import build_figure

        globals()["build_figure"] = build_figure
        return build_figure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_case(case, settings: FigureSettings, path, *, fmt: str | None = None) -> RenderReport:
    """Build the figure for ``case`` and write it to ``path`` in one call."""
    from analysis.figure.spec import build_figure

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
