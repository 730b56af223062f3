"""Axis ranges and ticks: the ANC axis, and days or calendar dates along the time axis."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np

from analysis.figure import style as S
from analysis.figure.draws import _day
from analysis.figure.items import Axis
from analysis.numbers import format_number


def _value_axis(values, settings, extra=()) -> Axis:
    """The ANC axis: from 0 (or a log floor) to a round number above the data and the lines."""
    finite = np.asarray([np.nan if v is None else v for v in values] if isinstance(values, (list, tuple))
                        else values, dtype=float)
    vals = finite[np.isfinite(finite)].tolist() + list(extra)
    top = max(vals) if vals else 2.0
    if settings.log_y:
        positive = [v for v in vals if v > 0]
        low = min(positive) if positive else 0.1
        steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
        lo = max([s for s in steps if s <= low * 0.8] or [0.01])
        hi = min([s for s in steps if s >= top * 1.25] or [100])
        ticks = tuple(s for s in steps if lo <= s <= hi)
        labels = tuple(format_number(t) for t in ticks)
        return Axis(settings.y_title or S.ANC_LABEL, lo, hi, ticks, labels, "value", True)
    hi, step = _nice_top(top * 1.12)
    hi, step = _formatted_range(settings, hi, step)
    ticks = tuple(round(i * step, 6) for i in range(int(math.floor(hi / step + 1e-9)) + 1))
    decimals = max(0, -int(math.floor(math.log10(step)))) if step < 1 else 0
    if decimals == 0 and any(abs(t - round(t)) > 1e-9 for t in ticks):
        decimals = 1 if all(abs(t * 10 - round(t * 10)) < 1e-6 for t in ticks) else 2
    labels = tuple(f"{t:.{decimals}f}" for t in ticks)
    chosen = step if getattr(settings, "y_step", None) else None  # the screen keeps it when zoomed
    return Axis(settings.y_title or S.ANC_LABEL, 0.0, hi, ticks, labels, "value", False, step=chosen)


def _formatted_range(settings, hi: float, step: float) -> tuple[float, float]:
    """The user's axis top and tick interval (Format graph) where set; a step that would give
    more than 20 ticks is widened so that the labels stay readable."""
    y_max = getattr(settings, "y_max", None)
    y_step = getattr(settings, "y_step", None)
    if y_max:
        hi = float(y_max)
        if not y_step:
            _top, step = _nice_top(hi)
    if y_step:
        step = float(y_step)
    while hi / step > 20:
        step *= 2
    return hi, step


def _nice_top(x: float) -> tuple[float, float]:
    """A round axis top >= x and a tick step giving 4-8 ticks."""
    x = max(x, 0.1)
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        hi = math.ceil(x / step - 1e-9) * step
        if hi / step <= 7:
            return hi, step
    step = 10 ** math.ceil(math.log10(x / 5))
    return math.ceil(x / step) * step, step


def _day_axis(lo, hi, origin, settings, width_mm, interval_days) -> Axis:
    max_ticks = max(3, int(width_mm / 11))
    if settings.axis == "dates":
        ticks, labels = _date_ticks(lo, hi, origin, max_ticks)
        return Axis(settings.x_title or S.DATES_LABEL, lo, hi, ticks, labels, "dates", origin=origin.isoformat())
    step = day_step(hi - lo, max_ticks, interval_days)
    ticks = tuple(float(t) for t in range(int(math.ceil(lo / step)) * step, int(hi) + 1, step))
    return Axis(settings.x_title or S.DAYS_LABEL, lo, hi, ticks, tuple(format_number(t) for t in ticks), "days",
                origin=origin.isoformat(), interval=interval_days)


# Multiples tried for the tick step, smallest first: of the dosing interval (ticks where each
# cycle should start: 0, 21, 42, ...), else of a week (0, 7, 14, ...; 52 weeks for years).
INTERVAL_MULTIPLES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 30, 40, 50, 60, 80, 100)
WEEK_MULTIPLES = (1, 2, 4, 8, 13, 26, 52, 104, 156, 260, 520, 1040)


def day_step(span: float, max_ticks: int, interval_days: int | None) -> int:
    """The tick step in days: the smallest multiple of the dosing interval (7-42 days) giving
    at most ``max_ticks`` intervals, else the smallest such multiple of 7; 1 or 2 for spans of
    a few days. Every tick label is then a day a caption can cite (0, 21, 42, not 0, 56, 112)."""
    if span <= 2 * max_ticks:
        return 1 if span <= max_ticks else 2
    if interval_days and 7 <= interval_days <= 42:
        for k in INTERVAL_MULTIPLES:
            if span / (interval_days * k) <= max_ticks:
                return interval_days * k
    for k in WEEK_MULTIPLES:
        if span / (7 * k) <= max_ticks:
            return 7 * k
    return 7 * WEEK_MULTIPLES[-1]


def cycle_day_ticks(hi: float, width_mm: float) -> tuple[float, ...]:
    """Panel B's day ticks from 0: every week (0, 7, 14, 21) for a cycle of up to five weeks or
    so, every 1 for a few days; a longer cycle (a gap in the record makes a 224-day cycle 1)
    steps by a multiple of a week that keeps about 9 mm a label, where 33 weekly labels in a
    60-mm panel would overlap."""
    if hi <= 10:
        return tuple(float(t) for t in range(int(hi) + 1))
    max_ticks = max(5, int(width_mm / 9))
    step = next((7 * k for k in WEEK_MULTIPLES if hi / (7 * k) <= max_ticks), 7 * WEEK_MULTIPLES[-1])
    return tuple(float(t) for t in range(0, int(hi) + 1, step))


def _date_ticks(lo, hi, origin, max_ticks) -> tuple[tuple[float, ...], tuple[str, ...]]:
    first = origin + timedelta(days=lo)
    last = origin + timedelta(days=hi)
    span = hi - lo
    if span <= 60:
        step = 7 if span / 7 <= max_ticks else 14
        d = datetime.combine(first.date() + timedelta(days=1), datetime.min.time())
        days = []
        while d <= last:
            days.append(d)
            d += timedelta(days=step)
        return tuple(_day(d, origin) for d in days), tuple(f"{d.day} {d:%b}" for d in days)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((m for m in (1, 2, 3, 6, 12, 24, 60) if months / m <= max_ticks), 120)
    y, m = first.year, first.month + 1
    ticks = []
    while True:
        if m > 12:
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        d = datetime(y, m, 1)
        if d > last:
            break
        # Every ``step`` months: for steps of a year or more, the Januaries of every
        # (step / 12)th year (2014, 2016, ...), not every January.
        if (d.month == 1 and y % (step // 12) == 0) if step >= 12 else (d.month - 1) % step == 0:
            ticks.append(d)
        m += 1
    fmt = "%Y" if step >= 12 else "%b %Y"
    return tuple(_day(d, origin) for d in ticks), tuple(d.strftime(fmt) for d in ticks)
