"""The ANC axis's scale on screen: where a value sits in a view box.

pyqtgraph's log mode transforms only PlotDataItems and expects every other item (markers,
threshold lines, labels) and the view range in log10 units; this module is the one place that
turns a spec value into the view's y, so all of them agree with the printed log axis.
"""

from __future__ import annotations

import math

import numpy as np

# The smallest value a log axis places (a count of 0 cannot be drawn on a log axis; the printed
# figure clips it at the axis floor, the screen at this value).
LOG_FLOOR = 1e-3


def view_y(axis, y):
    """The view's y for value(s) ``y`` on the spec's ``axis`` (log10 on a log axis)."""
    if not axis.log:
        return y
    if np.ndim(y):
        return np.log10(np.maximum(np.asarray(y, dtype=float), LOG_FLOOR))
    return math.log10(max(float(y), LOG_FLOOR))


def view_span(axis, headroom: float = 0.0) -> tuple[float, float]:
    """The view's y range for ``axis`` with ``headroom`` (a fraction of the range) above its top."""
    lo, hi = view_y(axis, axis.lo), view_y(axis, axis.hi)
    return lo, hi + headroom * (hi - lo)


def at_fraction(axis, fraction: float) -> float:
    """The view's y at ``fraction`` of the axis height (the spec's axes coordinates)."""
    lo, hi = view_span(axis)
    return lo + fraction * (hi - lo)


def ticks(axis) -> list[tuple[float, str]]:
    """The spec's ticks at their places in the view."""
    return [(float(view_y(axis, t)), label) for t, label in zip(axis.ticks, axis.tick_labels, strict=True)]
