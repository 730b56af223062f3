"""Summary statistics over the kept cycles (CYCLE-RULES rule 9) and the paired test.

Small samples are the norm (a case report has five or six cycles), so the summary is median and
range, never mean and SD, and the Wilcoxon signed-rank test is exact whenever it can be.

The test is computed here with numpy rather than scipy.stats: importing scipy.stats costs half a
second on every figure export and scipy is 70 MB of the installed application, for two formulas
of a few lines. The tests check both against scipy.stats.wilcoxon.
"""

from __future__ import annotations

import math
import statistics
from datetime import datetime

import numpy as np
import pandas as pd

from analysis.model import Cycle, Stat, Summary, Wilcoxon

# Float noise (1.1 - 0.4 = 0.7000000000000001) would turn equal differences into distinct ones and
# change the ranks; lab values carry at most a few decimals.
_DECIMALS = 9


def stat(values, censored: int = 0) -> Stat:
    """Median, minimum, maximum and n of the non-missing values (``censored`` of them limits)."""
    vals = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not vals:
        return Stat(median=None, min=None, max=None, n=0)
    return Stat(
        median=round(statistics.median(vals), _DECIMALS),
        min=min(vals),
        max=max(vals),
        n=len(vals),
        censored=censored,
    )


def _draw_stat(draws) -> Stat:
    draws = [d for d in draws if d is not None]
    return stat((d.value for d in draws), censored=sum(1 for d in draws if d.censored))


def kept(cycles: list[Cycle]) -> list[Cycle]:
    return [c for c in cycles if c.included]


def summarise(cycles: list[Cycle]) -> Summary:
    """Rule 9: median, min, max and n of pre, post and nadir over the included cycles."""
    use = kept(cycles)
    return Summary(
        pre=_draw_stat(c.pre for c in use),
        post=_draw_stat(c.post for c in use),
        nadir=_draw_stat(c.nadir for c in use),
        wilcoxon=wilcoxon(cycles),
    )


def wilcoxon(cycles: list[Cycle]) -> Wilcoxon:
    """Paired two-sided Wilcoxon signed-rank test, pre against post, over the included cycles.

    Only cycles with both values are paired. Zero differences are dropped (Wilcoxon's original
    treatment). The exact distribution is used when there are at most 50 non-zero differences and
    no tied absolute differences; otherwise the normal approximation with continuity correction.
    """
    pairs = [(c.pre.value, c.post.value) for c in kept(cycles) if c.pre is not None and c.post is not None]
    n = len(pairs)
    if n < 2:
        return Wilcoxon(statistic=None, p=None, n=n,
                        note=f"Not computed: {n} cycle{'s' if n != 1 else ''} with both a pre- and a "
                             "post-infusion value; at least 2 are needed.")
    diffs = np.round(np.array([post - pre for pre, post in pairs], dtype=float), _DECIMALS)
    nonzero = diffs[diffs != 0]
    if nonzero.size == 0:
        return Wilcoxon(statistic=None, p=None, n=n,
                        note="Not computed: the post-infusion value equals the pre-infusion value in "
                             "every cycle.")
    ties = len(np.unique(np.abs(nonzero))) < nonzero.size
    method = "exact" if nonzero.size <= 50 and not ties else "approx"

    if method == "exact":
        statistic, p = _exact_signed_rank(nonzero)
    else:
        statistic, p = _approx_signed_rank(nonzero)
    note = ""
    if nonzero.size < diffs.size:
        note = f"{diffs.size - nonzero.size} pair(s) with no change were left out."
    if nonzero.size < 6:
        extra = ("With fewer than 6 pairs the smallest possible two-sided p-value is "
                 f"{2 / 2 ** nonzero.size:.4g}.")
        note = f"{note} {extra}".strip()
    return Wilcoxon(statistic=statistic, p=p, n=n, method=method, note=note)


def _approx_signed_rank(diffs: np.ndarray) -> tuple[float, float]:
    """Two-sided signed-rank test by the normal approximation, with the tie correction of the
    variance and a continuity correction, as scipy.stats.wilcoxon(method="approx", correction=True).
    """
    n = diffs.size
    _, where, counts = np.unique(np.abs(diffs), return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2)[where]  # average rank of each tie group
    w_plus = float(ranks[diffs > 0].sum())
    statistic = min(w_plus, n * (n + 1) / 2 - w_plus)
    variance = n * (n + 1) * (2 * n + 1) / 24 - float((counts**3 - counts).sum()) / 48
    d = w_plus - n * (n + 1) / 4
    d -= 0.5 * np.sign(d)
    p = math.erfc(abs(d) / math.sqrt(2 * variance)) if variance > 0 else 1.0
    return float(statistic), min(1.0, p)


def _exact_signed_rank(diffs: np.ndarray) -> tuple[float, float]:
    """Two-sided exact Wilcoxon signed-rank test for non-zero, untied differences.

    Returns (W, p) as scipy.stats.wilcoxon(method="exact") does: W = min(W+, W-), p = twice the
    lower tail, capped at 1. ``counts[w]`` is the number of sign patterns with W+ = w.
    """
    n = diffs.size
    ranks = np.argsort(np.argsort(np.abs(diffs))) + 1
    w_plus = int(ranks[diffs > 0].sum())
    total = n * (n + 1) // 2
    counts = np.zeros(total + 1, dtype=np.float64)
    counts[0] = 1.0
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[: total + 1 - k].copy()
    statistic = min(w_plus, total - w_plus)
    p = min(1.0, 2.0 * counts[: statistic + 1].sum() / 2.0**n)
    return float(statistic), float(p)


def time_below(
    anc: pd.DataFrame,
    thresholds=(0.5, 1.0, 1.5),
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[float, float]:
    """Fraction of time the ANC was below each threshold, by linear interpolation between draws.

    Linear interpolation (not last value carried forward) because the count moves continuously
    between draws; a fall from 1.2 to 0.4 over a week is counted as below 1.0 for the part of the
    week after the interpolated crossing. The period is [start, end] clipped to the first and last
    draw (nothing is extrapolated). Returns {threshold: fraction in 0..1}; with fewer than two draws,
    or an empty period, every fraction is NaN.
    """
    frame = anc[["time", "value"]].dropna().copy()
    frame["time"] = pd.to_datetime(frame["time"])
    frame = frame.sort_values("time", kind="stable")
    # Several draws at one time: their mean, so that the curve is a function of time.
    frame = frame.groupby("time", as_index=False)["value"].mean()
    t = frame["time"].to_numpy(dtype="datetime64[ns]").astype("int64") / 3.6e12  # hours
    v = frame["value"].to_numpy(dtype=float)
    lo = t[0] if len(t) else 0.0
    hi = t[-1] if len(t) else 0.0
    if start is not None:
        lo = max(lo, pd.Timestamp(start).value / 3.6e12)
    if end is not None:
        hi = min(hi, pd.Timestamp(end).value / 3.6e12)
    out: dict[float, float] = {}
    if len(t) < 2 or hi <= lo:
        return {float(th): float("nan") for th in thresholds}
    # Clip the polyline to [lo, hi] by interpolating the boundary values.
    inner = (t > lo) & (t < hi)
    tt = np.concatenate([[lo], t[inner], [hi]])
    vv = np.concatenate([[np.interp(lo, t, v)], v[inner], [np.interp(hi, t, v)]])
    total = hi - lo
    for th in thresholds:
        below = 0.0
        for (t1, v1), (t2, v2) in zip(zip(tt, vv), zip(tt[1:], vv[1:])):
            dt = t2 - t1
            if dt <= 0:
                continue
            if v1 < th and v2 < th:
                below += dt
            elif v1 < th <= v2 or v2 < th <= v1:
                cross = (th - v1) / (v2 - v1)  # fraction of the segment to the crossing
                below += dt * cross if v1 < th else dt * (1 - cross)
        out[float(th)] = float(below / total)
    return out
