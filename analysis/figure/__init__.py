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
from analysis.figure.render import UNKNOWN, LayoutCheck, RenderReport, layout_problems, render
from analysis.figure.settings import FigureSettings

if TYPE_CHECKING:
    from analysis.figure.spec import build_figure


def __getattr__(name: str):
    if name == "build_figure":
        from analysis.figure.spec import build_figure

        globals()["build_figure"] = build_figure
        return build_figure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_case(case, settings: FigureSettings, path, *, fmt: str | None = None,
                checked: LayoutCheck | None = None) -> RenderReport:
    """Build the figure for ``case`` and write it to ``path`` in one call. When its labels
    collide at the height asked for, the refusal names the smallest taller height that is clean
    (the issue's "the smallest height in mm that works"), found by building it again.

    ``checked``: a :class:`LayoutCheck` made earlier (the export dialog's preview); when its
    spec equals the one built here, its findings and its clean height (if it has one yet) are
    used instead of checking and searching again."""
    from analysis.figure.render import LabelCollisionError
    from analysis.figure.spec import build_figure

    spec = build_figure(case, settings)
    if checked is not None and not checked.applies_to(spec):
        checked = None
    try:
        return render(spec, path, fmt=fmt, dpi=settings.dpi, checked=checked)
    except LabelCollisionError as refusal:
        known = checked.works if checked is not None else UNKNOWN
        works = clean_height(case, settings) if known is UNKNOWN else known
        if works is None:
            raise
        raise LabelCollisionError(refusal.message, refusal.path,
                            f"At {settings.width_mm:g} x {works:g} mm they do not (--height-mm "
                            f"{works:g}); or hide or move the label in Nadir's window "
                            "(right-click it).") from None


# How far above the height asked for a clean height is looked for, and in what steps: each try
# builds and checks the figure again (about 0.15 s), only after a refusal.
TALLER_MM, STEP_MM = 40, 2


def clean_height(case, settings: FigureSettings, *, stop=None) -> float | None:
    """The smallest height above ``settings.height_mm`` (in ``STEP_MM`` steps, at most
    ``TALLER_MM`` more and never past the journal's page depth) at which the figure's texts do
    not collide; None when there is none. ``stop()`` is asked before each height: when it
    says True (nobody wants the answer any more) the search ends, returning None."""
    from dataclasses import replace

    from analysis.figure.layout_check import is_blemish
    from analysis.figure.spec import build_figure

    preset = get_preset(settings.preset) if settings.preset else None
    top = settings.height_mm + TALLER_MM
    if preset is not None and preset.max_height_mm:
        top = min(top, preset.max_height_mm)
    height = settings.height_mm + STEP_MM
    while height <= top:
        if stop is not None and stop():
            return None
        found = layout_problems(build_figure(case, replace(settings, height_mm=height)))
        if all(is_blemish(p) for p in found):
            return height
        height += STEP_MM
    return None


__all__ = [
    "PRESETS",
    "FigureSettings",
    "FigureSpec",
    "LayoutCheck",
    "RenderReport",
    "build_figure",
    "get_preset",
    "layout_problems",
    "render",
    "render_case",
]
