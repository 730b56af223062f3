"""Regenerate the reference images the figure tests compare against.

    uv run python tests/data/make_references.py

Run it after an intended change to the figure, look at every image it writes (they are the
figure a reader sees), and commit them with the change. The tests render the same cases with
the same settings (they import REFERENCES from here) and compare pixels with a small tolerance.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "reference"
CASE_DIR = HERE / "ivig-mmn"
WINDOW = (date(2022, 9, 6), date(2022, 12, 27))
DPI = 150  # enough to see every label; small enough to keep in git

# name -> FigureSettings keyword arguments
REFERENCES = {
    "ivig-mmn-figure1": dict(width_mm=180, height_mm=120, panel_b="cycle:1"),
    "ivig-mmn-overlay": dict(width_mm=180, height_mm=120, panel_b="overlay"),
    "ivig-mmn-single-column": dict(width_mm=89, height_mm=110, panel_b="cycle:1"),
}


def reference_case():
    from analysis.case import load_case

    return load_case(CASE_DIR / "labs.xlsx", CASE_DIR / "infusions.xlsx", CASE_DIR / "events.csv",
                     window=WINDOW)


def render_reference(name: str, path: Path, case=None) -> Path:
    from analysis.figure import FigureSettings, build_figure, render

    case = case or reference_case()
    spec = build_figure(case, FigureSettings(**REFERENCES[name]))
    render(spec, path, fmt="png", dpi=DPI)
    return path


def main() -> int:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(exist_ok=True)
    case = reference_case()
    for name in REFERENCES:
        path = render_reference(name, OUT / f"{name}.png", case)
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
