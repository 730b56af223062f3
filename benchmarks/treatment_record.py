"""A 10-year treatment record for the import benchmark, and its timing against a bare parse.

IVIG every 3 weeks for ten years (premedication, new bag, rate changes, stop: six rows a dose)
plus a daily oral drug, about 5,000 rows, as an Epic-style MAR .xlsx. Each contender runs in a
fresh process (cold caches) and is timed around the reading only, after its imports: the
question is what reading costs next to parsing the same workbook, not how long Python starts.
Times are CPU time, so that other work on the machine does not blur the ratio. Nadir parses
workbooks in a reading process of its own (``analysis.importing.sandbox``), started once per
session: it is started on a one-cell workbook before the clock starts, and the CPU time it then
spends on the record counts with the application's (Linux: /proc/PID/schedstat, in ns).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

IVIG = "IMMUNE GLOBULIN (HUMAN) 10% (PRIVIGEN) IV SOLN"
READERS = {
    "nadir read_administrations": (
        "import time\n"
        "import analysis.importing.dates, analysis.importing.workbook  # imports are not reading\n"
        "from analysis.importing import sandbox\n"
        "from analysis.treatment.medications import read_administrations\n"
        "sandbox.read_isolated(r'{tiny}')  # the reading process, started once per session\n"
        "def reader():\n"
        "    with open(f'/proc/{{sandbox._worker.proc.pid}}/schedstat') as f:\n"
        "        return int(f.read().split()[0]) / 1e9\n"
        "c = reader()\n"
        "t = time.process_time()\n"
        "m = read_administrations(r'{path}')\n"
        "print(time.process_time() - t, reader() - c)\n"
        "assert len(m.administrations) > 100\n"
    ),
    "bare python-calamine parse": (
        "import time\n"
        "from python_calamine import CalamineWorkbook\n"
        "t = time.process_time()\n"
        "rows = CalamineWorkbook.from_path(r'{path}').get_sheet_by_index(0).to_python()\n"
        "print(time.process_time() - t, 0.0)\n"
        "assert len(rows) > 100\n"
    ),
}


def treatment_rows(n_rows: int) -> list[list]:
    rows = [["MRN", "Medication", "Scheduled Time", "Taken Time", "MAR Action", "Dose", "Unit", "Route",
             "Weight (kg)"]]
    start = datetime(2013, 1, 7, 9, 30)
    day = 0
    while len(rows) < n_rows:
        t = start + timedelta(days=day)
        rows.append(["E1", "AZATHIOPRINE 50 MG TABLET", t - timedelta(hours=1), t - timedelta(hours=1, minutes=5),
                     "Given", 100, "mg", "Oral", 80])
        if day % 21 == 0:
            apap = "ACETAMINOPHEN 500 MG TABLET"
            rows += [["E1", apap, t, t - timedelta(minutes=20), "Given", 1000, "mg", "Oral", 80],
                     ["E1", IVIG, t, t, "New Bag", 80, "g", "Intravenous", 80],
                     ["E1", IVIG, None, t + timedelta(minutes=30), "Rate Change", 80, "g", "Intravenous", 80],
                     ["E1", IVIG, None, t + timedelta(hours=1), "Rate Change", 80, "g", "Intravenous", 80],
                     ["E1", IVIG, None, t + timedelta(hours=4), "Stopped", None, None, "Intravenous", 80]]
        day += 1
    return rows[:n_rows]


def write_treatment_record(path: Path, n_rows: int = 5000) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("MAR")
    for row in treatment_rows(n_rows):
        ws.append(row)
    wb.save(path)
    return path


def _timed(code: str) -> tuple[float, float]:
    """(CPU seconds of the process, of its reading process) for one fresh run of ``code``."""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    own, reader = out.strip().splitlines()[-1].split()
    return float(own), float(reader)


def bench_treatment(folder: Path, n_rows: int = 5000, repeat: int = 3) -> float:
    """Print the timings; return Nadir's reading time (both processes) as a multiple of the bare parse."""
    path = write_treatment_record(folder / "treatment_record.xlsx", n_rows)
    tiny = folder / "one_cell.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["x"])
    book.save(tiny)
    print(f"{n_rows:,}-row 10-year treatment record, best of {repeat}, CPU time of the reading (fresh process each):")
    best = {}
    # In turn, a run of each per round: a busy moment of the shared machine falls on both alike
    # (run all of one first and a few seconds of other work land on one side only).
    rounds = [[_timed(code.format(path=path, tiny=tiny)) for code in READERS.values()] for _ in range(repeat)]
    for i, name in enumerate(READERS):
        runs = [r[i] for r in rounds]
        own, reader = min(runs, key=sum)
        best[name] = own + reader
        split = f"  (application {own * 1000:.0f} + reading process {reader * 1000:.0f})" if reader else ""
        print(f"  {name:<30} {best[name] * 1000:7.0f} ms{split}   "
              f"(median {statistics.median(map(sum, runs)) * 1000:.0f} ms)")
    ratio = best["nadir read_administrations"] / best["bare python-calamine parse"]
    # Each round's two runs are seconds apart, under the same load: their ratio's median moves
    # least between runs of the benchmark.
    paired = statistics.median(sum(r[0]) / sum(r[1]) for r in rounds)
    print(f"  Nadir takes {ratio:.2f}x the bare calamine parse (target <= 2x); "
          f"median of the rounds' ratios {paired:.2f}")
    return ratio
