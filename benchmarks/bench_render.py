"""Figure export speed, whole process: ``nadir render`` as a user runs it.

    uv run python benchmarks/bench_render.py [--repeat 3]

Targets (issue 4): the two-panel reference figure to PDF and to 600-dpi TIFF each under 2 s,
and a 10-year record of 5,000 draws under 3 s, on the 2-core development machine. The same
record from its ``.nadir`` project (checked against the schema, each file read once with its
saved settings) is timed too, with its ratio to the files (issue 9: a project costs no re-import).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
CASE = ROOT / "tests" / "data" / "ivig-mmn"


def nadir(*args) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desktop.cli", "render", *map(str, args)], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from exports import write_long_record

    reference = [CASE / "labs.xlsx", "--infusions", CASE / "infusions.xlsx", "--events", CASE / "events.csv",
                 "--from", "2022-09-06", "--to", "2022-12-27", "--width-mm", "180", "--height-mm", "120"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        labs, mar = write_long_record(tmp)
        subprocess.run([sys.executable, "-m", "desktop.cli", "project", str(tmp / "record.nadir"), str(labs),
                        "--infusions", str(mar)], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        runs = {
            ("reference figure, PDF", 2.0): [*reference, "-o", tmp / "fig.pdf"],
            ("reference figure, TIFF 600 dpi", 2.0): [*reference, "--dpi", "600", "-o", tmp / "fig.tif"],
            ("10-year record, 5,000 draws, PDF", 3.0): [labs, "--infusions", mar, "--panel-b", "overlay",
                                                        "-o", tmp / "record.pdf"],
            ("10-year record from its project, PDF", 3.0): [tmp / "record.nadir", "--panel-b", "overlay",
                                                            "-o", tmp / "project.pdf"],
        }
        best = {}
        print(f"nadir render, whole process, best of {args.repeat}:")
        for (name, target), argv in runs.items():
            times = [nadir(*argv) for _ in range(args.repeat)]
            best[name] = min(times)
            verdict = "ok" if min(times) < target else "OVER TARGET"
            print(f"  {name:<36} {min(times):5.2f} s  (median {statistics.median(times):.2f} s; "
                  f"target < {target:g} s: {verdict})")
        ratio = best["10-year record from its project, PDF"] / best["10-year record, 5,000 draws, PDF"]
        print(f"  the project takes {ratio:.2f}x the time of its files")


if __name__ == "__main__":
    main()
