"""Reference lines: neutropenia severity thresholds, the lab's reference range and the
Duffy-null interval, with their labels beyond the right edge."""

from __future__ import annotations

import math

import numpy as np

from analysis.figure import style as S
from analysis.figure.items import Axis, Box, HLine, HSpan, Text
from analysis.figure.placement import (
    PT_MM,
    axis_pos,
)
from analysis.numbers import format_number

# Neutropenia severity (clinical convention; CYCLE-RULES.md): below 0.5 severe, 0.5-1.0
# moderate, 1.0-1.5 mild, in 10^3/uL.
SEVERITY_THRESHOLDS = (0.5, 1.0, 1.5)


SEVERITY_BANDS = (("Severe", 0.0, 0.5), ("Moderate", 0.5, 1.0), ("Mild", 1.0, 1.5))


# Duffy-null associated neutrophil count reference interval (Blood 2025), 10^3/uL.
DUFFY_NULL_RANGE = (1.21, 5.39)


DEFAULT_REFERENCE_RANGE = (1.5, 7.7)


def _reference_range(settings) -> tuple[float, float] | None:
    if not settings.show_reference_range:
        return None
    return tuple(settings.reference_range or DEFAULT_REFERENCE_RANGE)


def _reference_lines(settings, pal, y_axis: Axis):
    """Severity thresholds, the lab's reference range and the Duffy-null interval, with the
    labels each wants at the right edge as (y, text, colour, kind)."""
    hlines, hspans, right = [], [], []
    lo, hi = y_axis.lo, y_axis.hi
    if settings.show_severity:
        for t in SEVERITY_THRESHOLDS:
            if lo < t < hi:
                hlines.append(HLine(t, pal.severity, S.DASHED, S.THRESHOLD_LW, "severity"))
        for name, a, b in SEVERITY_BANDS:
            a = max(a, lo)
            if b <= lo or a >= hi:
                continue
            mid = math.sqrt(a * b) if y_axis.log else (a + b) / 2
            right.append((mid, name, pal.severity, "severity"))
    ref = _reference_range(settings)
    if ref:
        hspans.append(HSpan(ref[0], ref[1], pal.reference, S.DOTTED, 0.7, kind="reference"))
        right.append((ref[0], f"Ref. {format_number(ref[0])}", pal.reference, "reference"))
        right.append((ref[1], f"Ref. {format_number(ref[1])}", pal.reference, "reference"))
    if settings.show_duffy:
        d0, d1 = DUFFY_NULL_RANGE
        hspans.append(HSpan(d0, d1, pal.duffy, S.DASHDOT, 0.7, kind="duffy"))
        right.append((d0, "Duffy-null", pal.duffy, "duffy"))
        right.append((d1, "Duffy-null", pal.duffy, "duffy"))
    return tuple(hlines), tuple(hspans), right


def _right_labels(right, y_axis: Axis, box: Box, small) -> list[Text]:
    """Labels beyond the right edge, nudged apart so that none overlap."""
    if not right:
        return []
    right = sorted(right, key=lambda r: r[0])
    span = axis_pos(y_axis, np.array([r[0] for r in right]))  # 0..1 of the box height
    gap = small * 1.15 * PT_MM / box.h
    pos = list(span)
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + gap)
    overflow = pos[-1] - 1.0
    if overflow > 0:
        pos = [p - overflow for p in pos]
    out = []
    for p, (_, text, colour, kind) in zip(pos, right):
        out.append(Text(text, 1.0, float(p), coords="axes", size_pt=small, colour=colour,
                        ha="left", va="center", dx_pt=3.0, kind=kind))
    return out
