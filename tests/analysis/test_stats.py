"""Rule 9 summary, the paired Wilcoxon test and time below thresholds."""

from __future__ import annotations

import math
import sys
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from analysis.model import Administration, Course, Cycle, Draw
from analysis.rules.stats import stat, summarise, time_below, wilcoxon

T0 = datetime(2022, 1, 10, 9, 0)


def cycle(number, pre, post, nadir=None, included=True):
    course = Course(number, (Administration(time=T0 + timedelta(days=21 * number), product="IVIG"),))
    d = lambda v, day: None if v is None else Draw(time=course.start + timedelta(days=day), value=v, day=day)  # noqa: E731
    return Cycle(number=number, course=course, start=course.start, end=course.start + timedelta(days=21),
                 pre=d(pre, 0), post=d(post, 1), nadir=d(nadir if nadir is not None else post, 1),
                 infection=not included, included=included)


def test_stat_median_range_n():
    assert stat([0.8, 1.1, 1.6, 0.7, 1.1]) == stat([1.1, 0.7, 1.6, 1.1, 0.8])
    s = stat([0.8, 1.1, 1.6, 0.7, 1.1])
    assert (s.median, s.min, s.max, s.n) == (1.1, 0.7, 1.6, 5)
    assert stat([0.4, 0.5]).median == 0.45  # float noise rounded away
    assert stat([None, float("nan")]).n == 0 and stat([]).median is None


def test_summary_uses_only_included_cycles():
    cs = [cycle(1, 0.8, 0.4, 0.3), cycle(2, 1.2, 2.4, 1.6, included=False), cycle(3, 1.6, 0.8, 0.7)]
    s = summarise(cs)
    assert (s.pre.median, s.pre.n) == (1.2, 2)
    assert (s.post.min, s.post.max) == (0.4, 0.8)
    assert (s.nadir.median, s.nadir.n) == (0.5, 2)
    assert s.wilcoxon.n == 2


def test_summary_counts_each_value_separately():
    s = summarise([cycle(1, None, 0.4), cycle(2, 1.0, 0.5)])
    assert s.pre.n == 1 and s.post.n == 2


def test_wilcoxon_exact_for_the_seed_case_pairs():
    pairs = [(0.8, 0.4), (1.1, 0.4), (1.6, 0.8), (0.7, 0.4), (1.1, 0.5)]
    w = wilcoxon([cycle(i + 1, a, b) for i, (a, b) in enumerate(pairs)])
    assert w.n == 5 and w.method == "exact"
    assert w.statistic == 0.0
    assert w.p == pytest.approx(0.0625)  # 2 / 2**5: all five fell


def test_wilcoxon_needs_two_pairs():
    w = wilcoxon([cycle(1, 1.0, 0.5), cycle(2, None, 0.4)])
    assert w.p is None and w.n == 1 and "at least 2" in w.note


def test_wilcoxon_all_differences_zero():
    w = wilcoxon([cycle(1, 1.0, 1.0), cycle(2, 0.5, 0.5)])
    assert w.p is None and w.n == 2 and "equals" in w.note


def test_wilcoxon_ties_use_the_approximation():
    # 1.1-0.4 and 1.2-0.5 are both 0.7 once float noise is removed: a tie.
    w = wilcoxon([cycle(1, 1.1, 0.4), cycle(2, 1.2, 0.5), cycle(3, 0.9, 0.6)])
    assert w.method == "approx" and 0 < w.p <= 1


def test_wilcoxon_zero_difference_is_dropped_and_said():
    w = wilcoxon([cycle(1, 1.0, 1.0), cycle(2, 1.1, 0.4), cycle(3, 0.9, 0.6), cycle(4, 1.5, 0.7)])
    assert w.n == 4 and w.method == "exact" and "no change" in w.note
    assert w.p == pytest.approx(0.25)  # 3 non-zero, all falling: 2 / 2**3


def test_scipy_is_not_imported_by_the_module():
    code = "import sys, analysis.rules.stats, analysis.case; print('scipy' in sys.modules)"
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _series(*points):
    return pd.DataFrame({"time": [datetime(2022, 1, 1) + timedelta(days=d) for d, _ in points],
                         "value": [v for _, v in points]})


def test_time_below_interpolates_linearly():
    frac = time_below(_series((0, 2.0), (10, 0.0)))
    assert frac[1.0] == pytest.approx(0.5)
    assert frac[0.5] == pytest.approx(0.25)
    assert frac[1.5] == pytest.approx(0.75)


def test_time_below_is_clipped_to_the_period():
    frac = time_below(_series((0, 2.0), (10, 0.0)), thresholds=(1.0,),
                      start=datetime(2022, 1, 6), end=datetime(2022, 1, 11))
    assert frac[1.0] == pytest.approx(1.0)


def test_time_below_rises_and_plateaus():
    frac = time_below(_series((0, 0.2), (2, 0.2), (4, 1.8), (8, 1.8)), thresholds=(1.0,))
    assert frac[1.0] == pytest.approx(3 / 8)


def test_time_below_needs_two_draws():
    assert math.isnan(time_below(_series((0, 0.2)))[0.5])


@pytest.mark.parametrize("seed", range(40))
def test_exact_signed_rank_matches_scipy(seed):
    from scipy.stats import wilcoxon as scipy_wilcoxon

    from analysis.rules.stats import _exact_signed_rank

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    # distinct magnitudes (no ties), random signs: the case the exact method serves
    diffs = rng.permutation(np.arange(1, n + 1) * 0.1) * rng.choice([-1.0, 1.0], size=n)
    expected = scipy_wilcoxon(diffs, zero_method="wilcox", alternative="two-sided", method="exact")
    statistic, p = _exact_signed_rank(diffs)
    assert statistic == expected.statistic
    assert p == pytest.approx(expected.pvalue, rel=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_approximate_signed_rank_matches_scipy(seed):
    from scipy.stats import wilcoxon as scipy_wilcoxon

    from analysis.rules.stats import _approx_signed_rank

    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 200))
    # one decimal, as lab values are: plenty of tied magnitudes
    diffs = np.round(rng.normal(0.2, 0.5, n), 1)
    diffs = diffs[diffs != 0]
    expected = scipy_wilcoxon(diffs, zero_method="wilcox", alternative="two-sided", method="approx",
                              correction=True)
    statistic, p = _approx_signed_rank(diffs)
    assert statistic == pytest.approx(expected.statistic)
    assert p == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-15)
