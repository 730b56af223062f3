"""Opening a project of many events in the window (issue 11: 20,000 events took ~17 s in the
Events dock alone).

    uv run python benchmarks/bench_events.py [--events 20000] [--runs 3]

A project of the reference case with --events events is written, then, in this process and
offscreen: the project read alone (``open_project``: schema check, files read with their saved
settings), and the window opening it (``session.open``: the read, the case in every view, one
repaint of the window). Two baselines in the same run: the window opening the reference
project with its own few events, and what the Events dock did before it had a table model (one
QTableWidgetItem per cell for the same events). Each figure is wall-clock and
processor time, best of --runs; on a shared machine the processor time is the steadier one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def best(runs: int, action) -> tuple[float, float]:
    results = [timed(action) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results)


def old_table_fill(events) -> None:
    """The Events dock before its model: four items per event (the baseline)."""
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    table = QTableWidget(0, 4)
    table.setRowCount(len(events))
    for r, e in enumerate(events):
        values = (e.kind, e.label, f"{e.start:%d %b %Y}", f"{e.end:%d %b %Y}" if e.end else "")
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setToolTip(e.label)
            table.setItem(r, c, item)
    table.deleteLater()


def data_events(project: Path) -> list:
    return json.loads(project.read_text())["events"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from analysis.project.store import open_project
    from desktop.app import make_app
    from desktop.main_window import MainWindow
    from tests.fuzz.projects import many_events, seed_project

    app = make_app([])
    with tempfile.TemporaryDirectory() as tmp:
        data = seed_project(Path(tmp))
        data["events"] = many_events(args.events)
        few = Path(tmp) / "reference.nadir"
        few.write_text(json.dumps(seed_project(Path(tmp))))
        path = Path(tmp) / "many-events.nadir"
        path.write_text(json.dumps(data))
        window = MainWindow(remember=False)
        window.show()
        app.processEvents()

        def in_window(project: Path, n: int):
            assert window.session.open(project)
            app.processEvents()
            window.repaint()
            assert window.events.table.model().rowCount() == n

        read = best(args.runs, lambda: open_project(path))
        reference = best(args.runs, lambda: in_window(few, len(data_events(few))))
        shown = best(args.runs, lambda: in_window(path, args.events))
        events = window.doc.case.events
        baseline = best(args.runs, lambda: old_table_fill(events))
        window.doc.undo_stack.setClean()
        window.doc.mark_saved()
        window.session.discard_recovery()
        window.close()

    print(f"{args.events:,} events, best of {args.runs} (wall / processor time):")
    print(f"  project read (open_project)                 {read[0]:6.2f} s / {read[1]:6.2f} s")
    print(f"  opened in the window (read, views, repaint) {shown[0]:6.2f} s / {shown[1]:6.2f} s")
    print(f"  baseline: the reference project opened      {reference[0]:6.2f} s / {reference[1]:6.2f} s")
    print(f"  baseline: the old Events table fill alone   {baseline[0]:6.2f} s / {baseline[1]:6.2f} s")
    print(f"  (processor time) opening is {shown[1] / reference[1]:.2f}x the reference project's, "
          f"{shown[1] / baseline[1]:.2f}x the old table fill alone")


if __name__ == "__main__":
    main()
