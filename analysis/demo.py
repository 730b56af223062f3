"""The bundled demo case: where its files are and how to open it.

The three files in ``resources/demo/`` are written by ``resources/demo/make_demo.py`` (run
``uv run python resources/demo/make_demo.py`` to regenerate them) so that nobody has to trust a
binary blob. They follow the published case (IVIG-induced chronic severe neutropenia, eJHaem 2025)
with invented identifiers, times and filler values.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

DEMO_WINDOW = (date(2022, 9, 6), date(2022, 12, 27))


def _resources() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", here / "_resources"):  # checkout, then wheel
        if (candidate / "demo").is_dir():
            return candidate
    return here.parent / "resources"


def demo_paths() -> tuple[Path, Path, Path]:
    folder = _resources() / "demo"
    return folder / "labs.xlsx", folder / "infusions.xlsx", folder / "events.csv"


def load_demo():
    """The demo case, set up as the case report analysed it."""
    from analysis.case import load_case

    labs, infusions, events = demo_paths()
    return load_case(labs, infusions, events, window=DEMO_WINDOW)
