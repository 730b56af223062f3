"""GUI speed (issue 5): start-up to the demo window, and chart redraw while panning a long record.

    uv run python benchmarks/bench_gui.py [--starts 7] [--frames 60] [--draws 50000] [--changes 9]
                                          [--only start|pan|edit|preview] [--axis days|dates]

Start-up: each run is a fresh process, timed from the parent around the whole subprocess (the
honest figure: interpreter start, imports, reading the demo files, building the window, first
paint). The process leaves right after the window's first paint (``NADIR_EXIT_WHEN_SHOWN=1``,
handled in desktop/app.py), so Python's tear-down is not counted. The same is done for an empty
PySide6 + pyqtgraph window in the same run, as the floor nothing can beat on this machine.

Panning: in this process, a ten-year record of --draws ANC values (plus as many WBC) is read
from generated xlsx files, shown in the main window, and panned a few % at a time; each frame is
the range change plus the one repaint of the chart the event loop then does. Offscreen painting is raster, as a
real window without OpenGL.

Editing: in the same window, an event is added (and undone) on the ten-year record; each
time is the command, the chart and tables it updates, and the repaint. The baseline in the same
run is a fresh copy of the case loaded into the window: cycles, roles and the figure computed
again and every view redrawn (what every edit cost while all views rebuilt on one signal and
the case recomputed everything). An infection event, which changes
cycles, roles and markers, is timed apart.

Export preview: a change in the export dialog (the figure height; the cycle panel B expands)
until the new picture is shown and until its collision warnings are, in a real ExportDialog,
against drawing the same preview alone in the same run. The dialog is modal and previews its own
copy of the case, so no edit in the main window can reach it while it is open.

Panning frames and edits are also given in this thread's processor time: on a shared machine the
wall time holds the time other processes had the cores. To compare with older code in the same
conditions, run this script with that code first on the path (a ``git worktree`` of it:
``PYTHONPATH=/tmp/old python benchmarks/bench_gui.py --only pan``), in turn with the current code.

Targets: start-up under 1 s; a panning frame under 16 ms of processor time with the whole record
in view (and with one year in view); adding
an event under 100 ms; the export preview within 0.5 s of a change.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

from PySide6.QtCore import QEvent, QObject

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

EMPTY_WINDOW = """
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg

class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, lambda: (sys.stdout.write("shown\\n"), sys.stdout.flush(), os._exit(0)))
        return False

app = QApplication(sys.argv[:1])
hook = FirstPaint()
app.installEventFilter(hook)
window = QMainWindow()
window.setCentralWidget(pg.GraphicsLayoutWidget())
window.resize(1400, 900)
window.show()
app.exec()
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def _run_once(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0 or "shown" not in done.stdout:
        raise SystemExit(f"start-up run failed ({done.returncode}): {' '.join(argv)}\n{done.stdout}\n{done.stderr}")
    return wall


def bench_startup(runs: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        # Fresh settings: no remembered geometry, recent files or recovery offers.
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NADIR_EXIT_WHEN_SHOWN": "1",
               "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home, "XDG_CACHE_HOME": home, "HOME": home}
        contenders = {
            "empty PySide6+pyqtgraph window": [sys.executable, "-c", EMPTY_WINDOW],
            "nadir demo (window shown)": [sys.executable, "-m", "desktop.cli", "demo"],
        }
        _run_once(contenders["nadir demo (window shown)"], env)  # warm the file cache and .pyc files
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(runs):  # interleaved, so machine noise hits both alike
            for name, argv in contenders.items():
                times[name].append(_run_once(argv, env))
    print(f"Start-up, whole process until the window is painted ({runs} fresh processes each):")
    for name, values in times.items():
        print(f"  {name:<34} best {min(values):5.3f} s   median {statistics.median(values):5.3f} s")
    base, demo = (min(v) for v in times.values())
    verdict = "ok" if min(times["nadir demo (window shown)"]) < 1.0 else "OVER TARGET"
    print(f"  nadir demo / empty window: {demo / base:.2f}x (best); target < 1 s: {verdict}")


def bench_pan(frames: int, draws: int, pan: bool = True, axis: str = "days") -> None:
    from exports import write_long_record

    from desktop.app import make_app

    app = make_app([])
    with tempfile.TemporaryDirectory() as tmp:
        labs, mar = write_long_record(Path(tmp), draws=draws)
        from analysis.case import load_case
        from desktop.main_window import MainWindow

        t0 = time.perf_counter()
        case = load_case(labs, mar)
        t1 = time.perf_counter()
        cycles = case.cycles  # computed on first use
        t2 = time.perf_counter()
        window = MainWindow(remember=False)
        t3 = time.perf_counter()
        window.doc.load(case, sources={"labs": labs, "infusions": mar})
        t4 = time.perf_counter()
        window.resize(1400, 900)
        window.show()
        for _ in range(3):
            app.processEvents()
        window.chart.canvas.viewport().repaint()
        t5 = time.perf_counter()
        spec_s = _time_spec(case, window.doc.settings)
        if axis != "days":  # the x axis in calendar dates (View > Dates), as the user switches it
            window.axis_actions[axis].trigger()
            app.processEvents()
    print(f"\nLoading a 10-year record of {len(case.anc):,} ANC values, {len(cycles)} cycles:")
    print(f"  read files {t1 - t0:5.2f} s   cycles {t2 - t1:5.2f} s   spec (again, alone) {spec_s:5.2f} s")
    print(f"  empty window {t3 - t2:5.2f} s   document + views {t4 - t3:5.2f} s   first paint {t5 - t4:5.2f} s")
    print(f"  total from files to painted window: {t5 - t0:5.2f} s")

    if not pan:  # --only edit
        bench_edit(app, window, case, frames)
        window.doc.undo_stack.setClean()
        window.close()
        return
    chart = window.chart
    vb = chart.plot.getViewBox()
    paints = _PaintCounter()
    chart.canvas.viewport().installEventFilter(paints)
    x = chart.to_days(case.anc["time"])
    lo, hi = float(x.min()), float(x.max())
    print(f"\nPanning, x axis in {axis} ({frames} frames each; frame = x range change + the chart's one repaint):")
    for name, width in (("one year visible", 365.25), ("whole record visible", hi - lo)):
        start = lo + (hi - lo) / 3 if width < hi - lo else lo
        step = width * 0.01
        vb.setXRange(start, start + width, padding=0)
        chart.canvas.viewport().repaint()
        app.processEvents()
        times, cpu = [], []
        for k in range(frames):
            direction = 1 if (k // 4) % 2 == 0 else -1  # zig-zag: stays inside the pan limits
            (x0, x1), _ = vb.viewRange()
            t, c = time.perf_counter(), time.thread_time()
            before = paints.count
            vb.setXRange(x0 + direction * step, x1 + direction * step, padding=0)
            app.processEvents()  # what the event loop does after a mouse move: one paint
            if paints.count == before:  # Qt deferred it: paint now, inside this frame
                chart.canvas.viewport().repaint()
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
        # Judged on this thread's processor time: on a shared machine the wall time also holds
        # the time other processes had the cores.
        verdict = "ok" if statistics.median(cpu) < 16 else "OVER TARGET"
        print(f"  {name:<22} median {statistics.median(times):6.1f} ms   p95 {_percentile(times, 0.95):6.1f} ms"
              f"   processor {statistics.median(cpu):6.1f} ms   (target < 16 ms processor: {verdict})")
    bench_edit(app, window, case, frames)
    window.doc.undo_stack.setClean()
    window.close()


def bench_edit(app, window, case, runs: int) -> None:
    import dataclasses
    from datetime import timedelta

    from analysis.model import Event
    from desktop.commands import AddEventCommand

    doc = window.doc
    middle = case.anc["time"].iloc[len(case.anc) // 2].to_pydatetime()
    runs = max(5, min(runs, 15))

    cpu: list[float] = []
    process: list[float] = []
    journal = getattr(window.session, "journal", None)  # written on its own thread since 2 Dec

    def timed(action) -> float:
        t, c, p = time.perf_counter(), time.thread_time(), time.process_time()
        action()
        app.processEvents()
        window.chart.canvas.viewport().repaint()
        cpu.append((time.thread_time() - c) * 1000)
        wall = (time.perf_counter() - t) * 1000
        if journal is not None:
            journal.flush()  # the whole process's work for the edit, the journal's write included
        process.append((time.process_time() - p) * 1000)
        return wall

    def add(kind: str, k: int) -> float:
        event = Event(kind, f"{kind} {k}", middle + timedelta(days=k))
        ms = timed(lambda: doc.push(AddEventCommand(doc, event)))
        assert window.events.table.model().rowCount() == len(doc.case.events)  # the table followed
        doc.undo_stack.undo()
        app.processEvents()
        return ms

    def run(action, n):
        del cpu[:], process[:]
        values = [action(k) for k in range(n)]
        return values, (list(cpu), list(process))

    results = {
        # A fresh Case of the same files: cycles, roles and spec computed again, as every edit did.
        "case computed, window drawn (baseline)": run(
            lambda _k: timed(lambda: doc.load(dataclasses.replace(doc.case), doc.settings, sources=doc.sources)), 3),
        "add an event (G-CSF)": run(lambda k: add("gcsf", k), runs),
        "add an infection event": run(lambda k: add("infection", k), max(3, runs // 3)),
    }
    print("\nEditing the 10-year record (command + chart, Cycles and Events tables + repaint):")
    for name, (values, (spent, whole)) in results.items():
        print(f"  {name:<36} median {statistics.median(values):7.1f} ms   best {min(values):7.1f} ms"
              f"   processor {statistics.median(spent):7.1f} ms (this thread), {statistics.median(whole):7.1f} ms"
              " (process)")
    results = {name: values for name, (values, _spent) in results.items()}
    base = statistics.median(results["case computed, window drawn (baseline)"])
    edit = statistics.median(results["add an event (G-CSF)"])
    verdict = "ok" if edit < 100 else "OVER TARGET"
    print(f"  add an event / whole window: {edit / base:.2f}x; target < 100 ms: {verdict}")


class _PaintCounter(QObject):
    """Counts the chart's paint events, so each frame holds exactly the paint its change asked for
    (a ``repaint()`` followed by the event loop would paint twice: the change's queued update
    comes after it)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Paint:
            self.count += 1
        return False


def bench_preview(changes: int) -> None:
    """Export preview: from a change in the export dialog to the new picture on screen, and to its
    collision warnings, against the floor in the same run (building and drawing the same preview
    with no dialog around it). Processor time counts every thread of this process: the drawing
    happens on the render thread."""
    from PySide6.QtTest import QTest

    from analysis.demo import load_demo
    from desktop.app import make_app
    from desktop.dialogs.export_dialog import ExportDialog

    try:  # the code of 2 Dec drew and checked in one call (for runs of older code on the path)
        from desktop.dialogs.figure_render import preview_picture as floor_render
    except ImportError:
        from desktop.dialogs.figure_render import preview_png as floor_render

    app = make_app([])
    case = load_demo()
    dialog = ExportDialog(None, case)
    dialog.resize(1180, 780)
    dialog.show()
    while dialog.rendering or dialog.preview_count == 0:
        QTest.qWait(5)
    combo = dialog.panel_b_combo
    cycles = [i for i in range(combo.count()) if str(combo.itemData(i)).startswith("cycle:")]
    changes_made = {  # changes the user makes, as they make them
        "figure height": lambda k: dialog.height_spin.setValue(120 if k % 2 else 110),
        "panel B cycle": lambda k: combo.setCurrentIndex(cycles[k % len(cycles)]
                                                         if cycles[k % len(cycles)] != combo.currentIndex()
                                                         else cycles[(k + 1) % len(cycles)]),
    }
    if len(cycles) < 2:
        del changes_made["panel B cycle"]
    med = statistics.median
    print(f"\nExport preview ({changes} changes of each kind, demo case; {floor_render.__name__}):")
    for what, change in changes_made.items():
        shown, done, cpu_shown, cpu_done, floors = [], [], [], [], []
        for k in range(changes):
            before = dialog.preview_count
            t, c = time.perf_counter(), time.process_time()
            change(k)
            while dialog.preview_count == before:
                app.processEvents()
                time.sleep(0.002)
            shown.append(time.perf_counter() - t)
            cpu_shown.append(time.process_time() - c)
            while dialog.rendering:  # the warnings: with the picture before, after it since
                app.processEvents()
                time.sleep(0.002)
            done.append(time.perf_counter() - t)
            cpu_done.append(time.process_time() - c)
            dpi, _scale = dialog._preview_dpi()
            c = time.process_time()
            floor_render(case, dialog.settings, dpi)
            floors.append(time.process_time() - c)
        verdict = "ok" if med(shown) < 0.5 else "OVER TARGET"
        print(f"  {what}: change to new picture  median {med(shown):5.2f} s wall (best {min(shown):5.2f})"
              f"   processor {med(cpu_shown):5.2f} s   (target < 0.5 s: {verdict})")
        print(f"  {what}: change to warnings     median {med(done):5.2f} s wall (best {min(done):5.2f})"
              f"   processor {med(cpu_done):5.2f} s")
        print(f"  {what}: drawing alone (floor)  median processor {med(floors):5.2f} s   best {min(floors):5.2f} s")
    dialog.done(0)


def _time_spec(case, settings) -> float:
    from analysis.figure.spec import build_figure

    t = time.perf_counter()
    build_figure(case, settings)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=7, help="fresh processes per start-up contender")
    parser.add_argument("--frames", type=int, default=60, help="pan steps per zoom level")
    parser.add_argument("--draws", type=int, default=50_000, help="ANC values in the long record")
    parser.add_argument("--changes", type=int, default=9, help="export-dialog changes to time")
    parser.add_argument("--axis", choices=["days", "dates"], default="days",
                        help="the timeline's x axis while panning (days since the first infusion, or dates)")
    parser.add_argument("--only", choices=["start", "pan", "edit", "preview"],
                        help="pan includes the editing benchmark; edit is that alone")
    args = parser.parse_args()
    if args.only in (None, "start"):
        bench_startup(args.starts)
    if args.only in (None, "pan", "edit"):
        bench_pan(args.frames, args.draws, pan=args.only != "edit", axis=args.axis)
    if args.only in (None, "preview"):
        bench_preview(args.changes)


if __name__ == "__main__":
    main()
