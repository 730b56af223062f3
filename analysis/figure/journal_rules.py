"""A figure checked against its journal preset's rules (``presets.py``): text sizes, the
thinnest line and the raster resolution.

Text outside the preset's size range and lines thinner than its minimum are warnings (the
export dialog lists them next to the preview, ``render`` prints them): a production office
asks for a new file, but the author may know the journal allows it. A raster file below the
preset's resolution for combination art (Nadir's shaded bands make its figures that) is a
warning too; below 300 dpi, which every journal's upload check rejects, ``render`` refuses it
and says the dpi that works.
"""

from __future__ import annotations

from analysis.figure import style
from analysis.figure.items import FigureSpec
from analysis.figure.presets import Preset, get_preset

TOLERANCE = 1e-6


def journal_warnings(spec: FigureSpec) -> list[str]:
    """One sentence per rule of the spec's preset that the figure breaks ([] without a preset)."""
    preset = get_preset(spec.preset) if spec.preset else None
    if preset is None:
        return []
    return _text_sizes(spec, preset) + _line_widths(spec, preset)


REJECTED_BELOW_DPI = 300  # no journal's upload check takes a raster figure below this


def raster_warning(spec: FigureSpec, dpi: int) -> str:
    """A sentence when a raster file at ``dpi`` is below the preset's resolution for
    combination art (at or above the 300 dpi every journal takes), else ""."""
    preset = get_preset(spec.preset) if spec.preset else None
    if preset is None or dpi >= preset.combination_dpi or dpi < REJECTED_BELOW_DPI:
        return ""
    return (f"{preset.journal} asks for {preset.combination_dpi} dpi in figures with shading "
            f"(this figure's bands); {dpi} dpi was chosen.")


def raster_refusal(spec: FigureSpec, dpi: int) -> str:
    """A sentence when the preset's journal would reject a raster file at ``dpi``, else ""."""
    preset = get_preset(spec.preset) if spec.preset else None
    if preset is None or dpi >= REJECTED_BELOW_DPI:
        return ""
    return (f"{preset.journal} does not accept raster figures below {REJECTED_BELOW_DPI} dpi "
            f"({dpi} dpi was chosen)")


def _text_sizes(spec: FigureSpec, preset: Preset) -> list[str]:
    lo, hi = preset.font_pt
    letter = preset.letter_pt  # the panel letters have a size of their own where the guide says
    out = []
    small = sorted({size for where, _t, size in spec.text_items()
                    if size < lo - TOLERANCE and not where.endswith("letter")})
    large = sorted({size for where, _t, size in spec.text_items()
                    if size > hi + TOLERANCE and not (where.endswith("letter") and letter)})
    if small:
        out.append(f"{preset.journal} asks for text of at least {lo:g} pt; some text is {small[0]:g} pt. "
                   "Increase the text size.")
    if large:
        out.append(f"{preset.journal} asks for text of at most {hi:g} pt; some text is {large[-1]:g} pt. "
                   "Decrease the text size.")
    return out


def _line_widths(spec: FigureSpec, preset: Preset) -> list[str]:
    widths = [style.AXIS_LW, style.MARKER_EDGE_LW]
    for p in spec.panels:
        widths += [line.width for line in p.lines] + [h.width for h in p.hlines]
        widths += [h.width for h in p.hspans]
    thinnest = min(widths)
    if thinnest >= preset.min_line_pt - TOLERANCE:
        return []
    return [f"{preset.journal} asks for lines of at least {preset.min_line_pt:g} pt; the thinnest line "
            f"is {thinnest:g} pt. Increase the line width (Format graph) or leave the preset."]
