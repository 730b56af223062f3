"""What telling a research extract from its codes dictionary costs, when both are dropped together.

    uv run python benchmarks/bench_dictionary.py [--rows 100000] [--repeat 5]

The window decides which of two dropped files is the dictionary by what they hold
(analysis.importing.code_dictionary.dictionary_and_extract) before the import assistant opens.
Measured against opening and reading the same two files (open_workbook, every row), which the
decision cannot do without; the two are timed in turn in one run, best of --repeat, in
processor time (this process and any reading process it starts), as our rules ask on a shared
machine. The files are generated: a MIMIC-style labevents extract of --rows results (its event
numbers run through the range of the test codes) and a d_labitems dictionary of 1,600 codes.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = ["labevent_id", "subject_id", "hadm_id", "specimen_id", "itemid", "order_provider_id", "charttime",
          "storetime", "value", "valuenum", "valueuom", "ref_range_lower", "ref_range_upper", "flag", "priority",
          "comments"]


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = random.Random(1)
    items = [(60000 + i, f"Test {i}", "Blood" if i % 7 else "Urine", "Chemistry") for i in range(1600)]
    items[5] = (60005, "Absolute Neutrophil Count", "Blood", "Hematology")
    items[6] = (60006, "White Blood Cells", "Blood", "Hematology")
    dictionary, extract = folder / "d_labitems.csv", folder / "labevents.csv"
    with dictionary.open("w", newline="") as f:
        csv.writer(f).writerows([["itemid", "label", "fluid", "category"], *items])
    start = datetime(2180, 1, 1, 7, 0)
    with extract.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for n in range(rows):
            t = start + timedelta(hours=6 * (n // 20))
            value = round(rng.uniform(0.1, 20), 1)
            out.writerow([59000 + n, 10004321, 20001234, 70000 + n // 20, rng.choice(items)[0], "",
                          f"{t:%Y-%m-%d %H:%M:%S}", f"{t + timedelta(hours=1):%Y-%m-%d %H:%M:%S}", value, value,
                          "K/uL", 1.0, 10.0, "", "ROUTINE", ""])
    return extract, dictionary


def cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from analysis.importing.code_dictionary import dictionary_and_extract
    from analysis.importing.workbook import open_workbook

    with tempfile.TemporaryDirectory() as tmp:
        extract, dictionary = write_files(Path(tmp), args.rows)

        def bare() -> None:
            for path in (extract, dictionary):
                book = open_workbook(path)
                book.rows(book.sheet_names[0])
                book.close()

        def decide() -> None:
            assert dictionary_and_extract(extract, dictionary) == (dictionary, extract)

        best = {"open and read both files": float("inf"), "dictionary_and_extract": float("inf")}
        for _ in range(args.repeat):
            for name, run in (("open and read both files", bare), ("dictionary_and_extract", decide)):
                before = cpu()
                run()
                best[name] = min(best[name], cpu() - before)
    for name, seconds in best.items():
        print(f"{name:28s} {seconds:6.2f} s processor time (best of {args.repeat})")
    print(f"ratio: {best['dictionary_and_extract'] / best['open and read both files']:.2f}x the bare read")


if __name__ == "__main__":
    main()
