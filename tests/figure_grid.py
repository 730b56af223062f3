"""The figure's self-test grid: render every journal preset at heights from its layout's minimum
to 240 mm, with each panel B mode and both time axes, for three records, and check every text
against every other text, the markers and the reference lines (``layout_check``).

    uv run python tests/figure_grid.py                  # the whole grid, with a summary
    nice -n 5 uv run python tests/figure_grid.py --shard 2/4   # the second of four processes
    uv run python tests/figure_grid.py --quick          # the sample the test suite runs

The records: the reference case (tests/data/ivig-mmn, six 21-day cycles, with two G-CSF days
added where cycle 1's draws crowd the foot of panel A and a long event label near the right
edge), a record of 2-day
courses (1 g/kg on two consecutive days every 28 days, draws before and after each course),
and a 10-year record (weekly draws, three-weekly infusions, a five-year gap in the counts).
The suite runs a fixed sample of the grid (:func:`sample`, tests/analysis/test_figure_grid.py):
every preset at its layout's minimum height and at one taller height of the grid, with the 18
(record, panel B mode, axis) combinations dealt out so that each appears at a minimum height and
at a taller one. The whole grid (about 5,200 figures) is this script, as veusz's self-test is.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
MODES = ("auto", "overlay", "none")
AXES = ("days", "dates")
TALLEST_MM = 240.0


def _case(values, infusions, per_infusion_g=80.0):
    from analysis.case import Case
    from analysis.model import OBSERVATION_COLUMNS, Administration, LabImport

    n = len(values)
    obs = pd.DataFrame({
        "time": pd.to_datetime([t for t, _ in values]), "analyte": "ANC",
        "value": [float(v) for _, v in values], "unit": "10^3/uL", "censored": [None] * n,
        "flag": [None] * n, "derived": False, "text": [str(v) for _, v in values],
        "source_unit": "K/uL", "date_only": False, "file": "labs.xlsx", "sheet": "Results",
        "row": list(range(2, n + 2)), "column": "G",
    })[list(OBSERVATION_COLUMNS)]
    adms = tuple(Administration(t, "IVIG (Privigen)", per_infusion_g, "g", "IVIG", 80.0) for t in infusions)
    return Case(labs=LabImport(observations=obs), administrations=adms)


def reference_case():
    from dataclasses import replace
    from datetime import date

    from analysis.case import load_case
    from analysis.model import Event

    folder = DATA / "ivig-mmn"
    case = load_case(folder / "labs.xlsx", folder / "infusions.xlsx", folder / "events.csv",
                     window=(date(2022, 9, 6), date(2022, 12, 27)))
    # Two G-CSF days added (GCSF_DAYS): labels that must find room among cycle 1's low draws;
    # and a long label on a day without a draw near the panel's right edge (LONG_LABEL).
    return replace(case, events=(*case.events, *(Event("gcsf", "G-CSF", day) for day in GCSF_DAYS),
                                 Event("other", *LONG_LABEL)))


# The day after cycle 1's infusion (a draw, 0.4, beside the pre-infusion 0.8 and the nadir 0.3)
# and a day without a draw just before the nadir: at single-column width the label beside the
# draw, or at the foot of panel A over the event's tick, sat on a marker.
GCSF_DAYS = (datetime(2022, 9, 7), datetime(2022, 9, 13))
# Three days before the window's end, after the last draw: at single-column width the label
# beside its tick ran off the page over the severity labels (h6's physician trial, a German
# events sheet), with its leader line across a marker.
LONG_LABEL = ("Kontrolle Neurologie", datetime(2022, 12, 24))


# h6's physician trial (a German events sheet): an infection and a Filgrastim dose a few days
# apart, on days without a draw, their long labels at single-column width. Each label was
# placed alone, and the second's leader line crossed the first's in an X.
TRIAL_EVENTS = (("infection", "Harnwegsinfekt, Fieber 38,6 °C"), ("gcsf", "Filgrastim 30 Mio. IE s.c."))


def trial_case(case, first_day: int, gap_days: int, infection_first: bool = True):
    """``case`` (the grid's reference case) with the trial's two events, the first
    ``first_day`` days after 6 September 2022 (33-51: around cycle 3's infusion, beside the
    highest draws), the second ``gap_days`` later; the infection first or the Filgrastim."""
    from dataclasses import replace

    from analysis.model import Event

    first = datetime(2022, 9, 6) + timedelta(days=first_day)
    kinds = TRIAL_EVENTS if infection_first else TRIAL_EVENTS[::-1]
    return replace(case, events=(*case.events, Event(*kinds[0], first),
                                 Event(*kinds[1], first + timedelta(days=gap_days))))


def two_day_courses_case():
    start = datetime(2024, 1, 8, 10)
    infusions, values = [], []
    for c in range(6):
        day0 = start + timedelta(days=28 * c)
        infusions += [day0, day0 + timedelta(days=1)]
        for d, v in ((-0.05, 1.2), (2, 0.5), (7, 0.4), (14, 0.9), (21, 1.4)):
            values.append((day0 + timedelta(days=d, hours=-2), v + 0.05 * c))
    return _case(values, infusions, per_infusion_g=40.0)


def ten_year_case():
    start = datetime(2013, 1, 7, 9)
    days = [d for d in range(0, 3650, 7) if not 700 <= d < 2500]  # five years without a count
    # Two decimals, as a lab reports a count.
    values = [(start + timedelta(days=d, hours=-1), round(0.6 + (d * 37 % 100) / 60, 2)) for d in days]
    infusions = [start + timedelta(days=d, hours=1) for d in range(0, 3650, 21)]
    return _case(values, infusions)


CASES = {"reference": reference_case, "2-day courses": two_day_courses_case, "10-year record": ten_year_case}


def heights(minimum: float, cap: float = TALLEST_MM) -> list[float]:
    """From the layout's minimum to 240 mm every 10 mm (and 240), none above the journal's page
    depth ``cap``."""
    hs = [minimum + 10.0 * i for i in range(int((TALLEST_MM - minimum) // 10) + 1)]
    hs += [TALLEST_MM] if hs and hs[-1] < TALLEST_MM else []
    return [h for h in hs if h <= cap + 1e-6]


def _heights_for(case, preset, mode: str, axis: str) -> list[float]:
    from analysis.figure import FigureSettings, build_figure

    base = FigureSettings(panel_b=mode, axis=axis).with_preset(preset.key)
    return heights(build_figure(case, base).min_height_mm, preset.max_height_mm or TALLEST_MM)


def _settings(preset, height: float, mode: str, axis: str):
    from analysis.figure import FigureSettings

    return FigureSettings(width_mm=preset.width_mm, height_mm=height, panel_b=mode, axis=axis,
                          preset=preset.key)


def figures(cases: dict, presets=None):
    """Yield (case name, settings) for every figure of the whole grid (cheap: no drawing)."""
    from analysis.figure.presets import PRESETS

    for name, case in cases.items():
        for preset in presets or PRESETS:
            for mode in MODES:
                for axis in AXES:
                    for h in _heights_for(case, preset, mode, axis):
                        yield name, _settings(preset, h, mode, axis)


def sample(cases: dict, presets=None):
    """The suite's sample: (case name, settings) for every preset at its layout's minimum height
    and at one taller height of the grid. The 18 (record, mode, axis) combinations are dealt out
    over the presets twice, the second deal half a turn on, so that each combination appears at
    a minimum height and at a taller one; the taller height walks through each grid's range."""
    from analysis.figure.presets import PRESETS

    combos = [(name, mode, axis) for name in cases for mode in MODES for axis in AXES]
    out = []
    for i, preset in enumerate(presets or PRESETS):
        for turn in (0, len(combos) // 2):
            name, mode, axis = combos[(i + turn) % len(combos)]
            hs = _heights_for(cases[name], preset, mode, axis)
            assert hs, f"{preset.key}: the layout's minimum height is above the journal's page depth"
            h = hs[0] if turn == 0 or len(hs) == 1 else hs[1 + (7 * i) % (len(hs) - 1)]
            out.append((name, _settings(preset, h, mode, axis)))
    return out


def grid(cases: dict, presets=None, quick: bool = False, shard: tuple[int, int] = (1, 1)):
    """Yield (case name, preset key, height, mode, axis, problems) over the grid (``quick``: the
    suite's sample); ``shard`` (k, n) checks every n-th figure from the k-th, so that n
    processes share the grid."""
    from analysis.figure import build_figure, layout_problems

    k, n = shard
    todo = sample(cases, presets) if quick else figures(cases, presets)
    for i, (name, s) in enumerate(todo):
        if i % n == k - 1:
            yield name, s.preset, s.height_mm, s.panel_b, s.axis, layout_problems(build_figure(cases[name], s))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the suite's sample only")
    parser.add_argument("--shard", default="1/1", help="K/N: the K-th of N processes sharing the grid")
    args = parser.parse_args(argv)
    k, n = (int(v) for v in args.shard.split("/"))
    sys.path.insert(0, str(ROOT))
    cases = {name: make() for name, make in CASES.items()}
    started, cpu, total, failed = time.perf_counter(), time.process_time(), 0, 0
    for name, key, h, mode, axis, problems in grid(cases, quick=args.quick, shard=(k, n)):
        total += 1
        if total % 100 == 0:  # a long run's progress in its log
            print(f"... {total} figures, {failed} with collisions, {time.process_time() - cpu:.0f} s "
                  "of processor time", flush=True)
        if problems:
            failed += 1
            print(f"{name:15} {key:16} {h:5.0f} mm  panel B {mode:7} {axis:5}: {'; '.join(problems)}",
                  flush=True)
    print(f"{total - failed} of {total} figures clean ({time.perf_counter() - started:.0f} s on the clock, "
          f"{time.process_time() - cpu:.0f} s of processor time)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
