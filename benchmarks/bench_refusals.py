"""How long a refusal takes: broken files, damaged projects and oversized workbooks.

    uv run python benchmarks/bench_refusals.py [--repeat 3]

The promise (issues 9 and 11): a file or project Nadir cannot use is refused with one plain line
in under 5 s. The tests check that each is refused, and with which words; the time is measured
here, as our rules ask, each against a baseline in the same run so that a loaded machine shows
as a slow baseline rather than as a failure:

- every file in tests/data/broken through the real command (`nadir import`, a fresh process),
  against `nadir import` of a good export of the same size class;
- damaged and tampered projects through `nadir summary` (fresh process), and opened in process
  with `analysis.project.open_project` (what the window calls), against a valid project;
- a workbook with one cell at Excel's last row and column, refused before parsing, against
  opening the untouched workbook.

Each row is the best of --repeat runs, in processor time (the process's own and its children's,
so that other sessions on a shared machine do not count). The command rows also give the ratio to
the command's own start-up (`nadir --help`): what the refusal itself costs. The 5-s target is for
the idle 2-core development machine; on a loaded machine read the ratios.

    uv run python benchmarks/bench_refusals.py --projects --against ../main

times only the projects' rows, each also with the command of another checkout (the same
environment), in turn with this one's, so that a change and main are compared in one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
LIMIT_S = 5.0

# (name, text): the damaged projects of tests/test_cli_project.py and tests/desktop/test_project_window.py
DAMAGED_PROJECTS = [
    ("huge post window", '{"format": "nadir-project", "version": 2, "sources": {"labs": {"path": "x.xlsx"}}, '
                         '"rules": {"post_window_hours": 1e308}}'),
    ("text for a number", '{"format": "nadir-project", "version": 2, "sources": {"labs": {"path": "labs.xlsx"}}, '
                          '"figure": {"width_mm": "wide"}}'),
    ("no sources", '{"format": "nadir-project", "version": 2}'),
    ("5,000-digit version", '{"format": "nadir-project", "version": ' + "1" * 5000 + "}"),
    ("100,000 nested objects", "{" * 100_000),
    ("50,000 nested lists", "[" * 50_000),
]


def cpu_seconds() -> float:
    """Processor time of this process and of the children it has waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = cpu_seconds()
        run()
        times.append(cpu_seconds() - start)
    return min(times)


def nadir(*args, root: Path = ROOT) -> Callable[[], int]:
    def run() -> int:
        proc = subprocess.run([sys.executable, "-m", "desktop.cli", *map(str, args)], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return proc.returncode
    return run


def expect_code(expected: int, run: Callable[[], int]) -> Callable[[], None]:
    def checked() -> None:
        code = run()
        if code != expected:
            raise SystemExit(f"expected exit {expected}, got exit {code}")
    return checked


def expect_refusal(run: Callable[[], int]) -> Callable[[], None]:
    return expect_code(2, run)


def far_cell_workbook(source: Path, target: Path) -> Path:
    """``source`` with one cell at XFD1048576 (the sizes check refuses it before calamine)."""
    cell = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", cell)
            zout.writestr(info.filename, data)
    return target


def refused_in_process(call: Callable[[], object]) -> Callable[[], None]:
    from analysis.errors import InputError

    def run() -> None:
        try:
            call()
        except InputError:
            return
        raise SystemExit("expected an InputError")
    return run


def row(label: str, seconds: float, baseline: float, startup: float | None = None) -> tuple[str, float]:
    extra = f", {seconds / startup:5.2f}x start-up" if startup else ""
    print(f"  {label:<44} {seconds * 1000:8.0f} ms   {seconds / baseline:5.2f}x the baseline{extra}")
    return label, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--projects", action="store_true", help="only the damaged projects' rows")
    parser.add_argument("--against", type=Path, help="another checkout to time the same commands with")
    args = parser.parse_args()
    rows = []
    print(f"processor time, best of {args.repeat}; load average {os.getloadavg()[0]:.1f}")

    startup = best_of(args.repeat, expect_code(0, nadir("--help")))
    print(f"nadir --help, fresh process (the command's start-up): {startup * 1000:.0f} ms")
    if not args.projects:
        good = DATA / "ivig-mmn" / "labs.xlsx"
        base = best_of(args.repeat, expect_code(0, nadir("import", good)))
        print(f"nadir import, fresh process (baseline: a good export, {good.name}): {base * 1000:.0f} ms")
        for path in sorted((DATA / "broken").iterdir()):
            rows.append(row(path.name, best_of(args.repeat, expect_refusal(nadir("import", path))), base, startup))

    from analysis.project import store

    valid = DATA / "projects" / "reference.nadir"
    base = best_of(args.repeat, expect_code(0, nadir("summary", valid)))
    print(f"nadir summary, fresh process (baseline: a valid project, {valid.name}): {base * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        damaged = []
        for i, (label, text) in enumerate(DAMAGED_PROJECTS):
            path = Path(tmp) / f"damaged{i}.nadir"
            path.write_text(text)
            damaged.append((label, path))
        for label, path in damaged:
            if args.against:
                other = expect_refusal(nadir("summary", path, root=args.against.resolve()))
                ours = expect_refusal(nadir("summary", path))
                theirs, mine = [], []
                for _ in range(args.repeat):  # in turn, so that a change of load hits both
                    theirs.append(best_of(1, other))
                    mine.append(best_of(1, ours))
                print(f"  {label:<44} {min(theirs) * 1000:8.0f} ms in {args.against}")
                rows.append(row(label, min(mine), base, startup))
            else:
                rows.append(row(label, best_of(args.repeat, expect_refusal(nadir("summary", path))), base, startup))
        if args.projects:
            label, seconds = max(rows, key=lambda r: r[1])
            print(f"slowest refusal: {label}, {seconds:.2f} s")
            return 0

        store.open_project(valid)  # imports and the reading process started: not part of a refusal
        base = best_of(args.repeat, lambda: store.open_project(valid))
        print(f"open_project, in process (baseline: {valid.name}): {base * 1000:.0f} ms")
        for label, path in damaged:
            run = refused_in_process(lambda path=path: store.open_project(path))
            rows.append(row(label, best_of(args.repeat, run), base))

        from analysis.importing.workbook import open_workbook

        wide = DATA / "formats" / "wide_flowsheet.xlsx"
        far = far_cell_workbook(wide, Path(tmp) / "far.xlsx")
        base = best_of(args.repeat, lambda: open_workbook(wide).rows(open_workbook(wide).sheet_names[0]))
        print(f"open_workbook, in process (baseline: {wide.name} opened and read): {base * 1000:.0f} ms")
        rows.append(row("a cell at XFD1048576, refused before parsing",
                        best_of(args.repeat, refused_in_process(lambda: open_workbook(far))), base))

    label, seconds = max(rows, key=lambda r: r[1])
    print(f"slowest refusal: {label}, {seconds:.2f} s (target under {LIMIT_S:.0f} s on the idle machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
