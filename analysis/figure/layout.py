"""Where the panels, the legend and the statistics block sit on the page, in mm, and the smallest
height at which they all fit.

Below :func:`minimum_height_mm` a plot box would shrink under ``MIN_PLOT_MM`` (too short for
its tick labels, lines and point notes to stay apart) or the legend and statistics would run
off the page; the export dialog then warns and ``render`` refuses, saying the height that works.
"""

from __future__ import annotations

import math

from analysis.figure import style as S
from analysis.figure.items import Box, Text
from analysis.figure.placement import (
    PT_MM,
)

# The shortest plot boxes whose notes, severity labels and ticks still stay apart, in mm.
MIN_PLOT_MM = {"A": 22.0, "B": 20.0}


def minimum_height_mm(settings, font, small, has_b, n_entries, stats_lines, legend_chars=20) -> float:
    """The smallest figure height (whole mm) at the settings' width at which every box is at
    least ``MIN_PLOT_MM`` high and the legend and statistics end on the page."""
    from dataclasses import replace

    for height in range(20, 501):
        trial = _layout(replace(settings, height_mm=float(height)), font, small, has_b, n_entries,
                        stats_lines, legend_chars)
        if _fits(trial, float(height)):
            return float(height)
    return 500.0


def _fits(out: dict, height: float) -> bool:
    return (out["A"].h >= MIN_PLOT_MM["A"] and ("B" not in out or out["B"].h >= MIN_PLOT_MM["B"])
            and out["end"] <= height - 0.5)


def _layout(settings, font, small, has_b, n_entries, stats_lines, legend_chars=20) -> dict:
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
        return Box(x0 + left, y0 + top, max(w - left - right, 10.0), max(h - top - bottom, 1.0))

    if has_b and W >= 120:
        side_w = max(0.36 * W, 50.0)
        a_h = H * 0.56
        out["A"] = box(0, 0, W, a_h, right_a)
        out["B"] = box(0, a_h, W - side_w, H - a_h, right_b)
        out["legend"] = (W - side_w + 4.0, a_h + top - 1.0)
        out["ncol"] = 1
        out["stats"] = (W - side_w + 6.0, out["legend"][1] + n_entries * row_h + 3.0)
        out["end"] = out["stats"][1] + len(stats_lines) * stat_h  # the lowest text, mm
        return out
    ncol = 2
    rows = math.ceil(n_entries / ncol)
    # The legend's width as render.py sets it (handle 1.6 em, pad 0.5 em, column gap 1.2 em;
    # text about 0.55 em a character), and the statistics' widest line.
    legend_w = (ncol * ((1.6 + 0.5) * font + legend_chars * 0.55 * font) + 1.2 * font) * pt
    stats_w = max((len(t) for t in stats_lines), default=0) * 0.55 * small * pt
    stats_x = left - 2.0 + legend_w + 4.0
    beside = stats_x + stats_w <= W - 1.0  # statistics to the right of the legend, not under it
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
        out["stats"] = (stats_x, H - strip + 1.3)
    else:
        out["stats"] = (left, H - strip + legend_h + 2.0)
    out["end"] = max(out["legend"][1] + legend_h, out["stats"][1] + stats_h)
    return out


def _letter(letter: str, box: Box, font: float) -> Text:
    size = font + S.LETTER_DELTA_PT
    top = box.y - max(size * 1.25, S.INFUSION_MARKER_PT + 5) * PT_MM
    left = box.x - (font * 1.25 + font * 0.62 * 3.2 + 9) * PT_MM
    return Text(letter, max(left, 0.5), max(top, 0.0) + 0.5, coords="figure", size_pt=size,
                ha="left", va="top", bold=True, kind="letter")
