"""Where the panels, the legend and the statistics block sit on the page, in mm."""

from __future__ import annotations

import math

from analysis.figure import style as S
from analysis.figure.items import Box, Text
from analysis.figure.placement import (
    PT_MM,
)


def _layout(settings, font, small, has_b, n_entries, stats_lines) -> dict:
    """Panel plot boxes, legend and statistics positions in mm.

    Wide figures (>= 120 mm) put panel A across the top and panel B bottom-left with the legend
    and statistics beside it, where they cover no data; narrow ones stack A, B and a legend strip.
    """
    W, H = float(settings.width_mm), float(settings.height_mm)
    pt = PT_MM
    left = (font * 1.25 + font * 0.62 * 3.2 + 9) * pt  # y label + tick labels + pads
    bottom = (font * 2.5 + 8) * pt  # tick labels + x label + pads
    top = max((font + S.LETTER_DELTA_PT) * 1.25, S.INFUSION_MARKER_PT + 5) * pt
    sev = settings.show_severity or settings.show_reference_range or settings.show_duffy
    right_a = (small * 0.6 * 10 + 4) * pt if sev else 2.5
    right_b = 3.0
    row_h = font * 1.55 * pt
    stat_h = small * 1.3 * pt
    out: dict = {}

    def box(x0, y0, w, h, right):
        return Box(x0 + left, y0 + top, max(w - left - right, 10.0), max(h - top - bottom, 10.0))

    if has_b and W >= 120:
        side_w = max(0.36 * W, 50.0)
        a_h = H * 0.56
        out["A"] = box(0, 0, W, a_h, right_a)
        out["B"] = box(0, a_h, W - side_w, H - a_h, right_b)
        out["legend"] = (W - side_w + 4.0, a_h + top - 1.0)
        out["ncol"] = 1
        out["stats"] = (W - side_w + 6.0, out["legend"][1] + n_entries * row_h + 3.0)
        return out
    ncol = 2
    rows = math.ceil(n_entries / ncol)
    beside = W >= 120  # statistics to the right of the legend, not under it
    legend_h = rows * row_h
    stats_h = len(stats_lines) * stat_h
    strip = (max(legend_h, stats_h) if beside else legend_h + stats_h) + 4.0
    if has_b:
        a_h = (H - strip) * 0.55
        out["A"] = box(0, 0, W, a_h, right_a)
        out["B"] = box(0, a_h, W, H - strip - a_h, right_a)
    else:
        out["A"] = box(0, 0, W, H - strip, right_a)
    out["legend"] = (left - 2.0, H - strip + 1.0)
    out["ncol"] = ncol
    if beside:
        out["stats"] = (left + 0.45 * (W - left), H - strip + 1.3)
    else:
        out["stats"] = (left, H - strip + legend_h + 2.0)
    return out


def _letter(letter: str, box: Box, font: float) -> Text:
    size = font + S.LETTER_DELTA_PT
    top = box.y - max(size * 1.25, S.INFUSION_MARKER_PT + 5) * PT_MM
    left = box.x - (font * 1.25 + font * 0.62 * 3.2 + 9) * PT_MM
    return Text(letter, max(left, 0.5), max(top, 0.0) + 0.5, coords="figure", size_pt=size,
                ha="left", va="top", bold=True, kind="letter")
