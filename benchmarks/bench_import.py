"""Import speed: Nadir's whole import against pandas+openpyxl and a bare calamine parse.

    uv run python benchmarks/bench_import.py [--rows 100000] [--repeat 3]

Each contender runs as its own fresh process (interpreter start, imports, reading, and for
Nadir the whole detection and normalisation), so the figures are what a user waits for.
The best of --repeat runs is reported; all three run in this one invocation on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CONTENDERS = {
    "nadir import_labs": (
        "from analysis.importing.observations import import_labs\n"
        "labs = import_labs(r'{path}')\n"
        "assert len(labs.observations) > 0\n"
    ),
    "pandas.read_excel(openpyxl)": (
        "import pandas as pd\n"
        "df = pd.read_excel(r'{path}', engine='openpyxl', header=None)\n"
        "assert len(df) > 0\n"
    ),
    "bare python-calamine parse": (
        "from python_calamine import CalamineWorkbook\n"
        "wb = CalamineWorkbook.from_path(r'{path}')\n"
        "rows = wb.get_sheet_by_index(0).to_python()\n"
        "assert len(rows) > 0\n"
    ),
}


def run_once(code: str) -> tuple[float, float]:
    """(wall seconds, processor seconds) of one fresh process; the processor time is the child's
    and its own children's (Nadir's reading process, which it ends and waits for on exit), from
    the system's accounting of waited-for children (Linux, macOS; 0 on Windows)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start, _children_cpu() - cpu


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--treatment-rows", type=int, default=5000, help="0 leaves the treatment record out")
    parser.add_argument("--without-pandas", action="store_true",
                        help="leave out pandas+openpyxl (minutes on a loaded machine)")
    args = parser.parse_args()

    from exports import write_long_export

    with tempfile.TemporaryDirectory() as tmp:
        path = write_long_export(Path(tmp) / "long_export.xlsx", args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"{args.rows:,}-row long export ({size_mb:.1f} MB), best of {args.repeat}, whole process:")
        best, cpu = {}, {}
        for name, code in CONTENDERS.items():
            if args.without_pandas and name.startswith("pandas"):
                continue
            runs = [run_once(code.format(path=path)) for _ in range(args.repeat)]
            times = [r[0] for r in runs]
            best[name], cpu[name] = min(times), min(r[1] for r in runs)
            print(f"  {name:<30} {best[name]:7.2f} s   (median {statistics.median(times):.2f} s; "
                  f"processor time {cpu[name]:.2f} s)")
    nadir = best["nadir import_labs"]
    if "pandas.read_excel(openpyxl)" in best:
        vs_pandas = best["pandas.read_excel(openpyxl)"] / nadir
        print(f"  Nadir is {vs_pandas:.1f}x faster than pandas+openpyxl (target >= 6x)")
    vs_bare = nadir / best["bare python-calamine parse"]
    print(f"  Nadir takes {vs_bare:.2f}x the bare calamine parse (target <= 2.5x); in processor time "
          f"{cpu['nadir import_labs'] / max(cpu['bare python-calamine parse'], 1e-9):.2f}x")
    if args.treatment_rows <= 0:
        return

    from treatment_record import bench_treatment

    with tempfile.TemporaryDirectory() as tmp:
        bench_treatment(Path(tmp), args.treatment_rows, args.repeat)


if __name__ == "__main__":
    main()
