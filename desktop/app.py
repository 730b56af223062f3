"""Start the GUI: the QApplication (name, icon, chart defaults) and the two entry points.

``run_gui(paths)`` is what a bare ``nadir`` (or ``nadir PROJECT``) runs; ``run_demo(case)`` opens
the demo case. Both take ``screenshot``: render the window to a PNG and exit, for documentation
and tests (works with QT_QPA_PLATFORM=offscreen). Only Qt, pyqtgraph and the analysis core are
imported here; matplotlib and scipy load when an export or a statistic first needs them.

``NADIR_EXIT_WHEN_SHOWN=1`` (benchmarks/bench_gui.py): leave right after the window's first
paint, printing ``shown <seconds since the process started>``.

The application object also takes the documents the system hands over (macOS: a ``.nadir``
file double-clicked in the Finder arrives as a QFileOpenEvent, not on the command line), and
while the window runs an error in a click is shown in words and logged (desktop.crash).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

APP_NAME = "Nadir"
ORGANISATION = "Nadir"
DEFAULT_SIZE = (1400, 900)  # screenshots; the window itself fits the screen (main_window.fit_to_screen)


def icon_path() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources" / "icon.svg", here.parent / "analysis" / "_resources" / "icon.svg"):
        if candidate.is_file():
            return candidate
    return here.parent / "resources" / "icon.svg"


def app_icon() -> QIcon:
    """The icon from the SVG, rendered by Qt at every size the platform asks for."""
    return QIcon(str(icon_path()))


class _OpenRequests(QObject):
    """Documents the system asks Nadir to open (QFileOpenEvent), given to the window; those that
    arrive before the window exists (macOS sends them while the app starts) wait for it."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.window = None
        self.pending: list[Path] = []

    def attach(self, window) -> None:
        """Send requests to ``window`` (None: keep them); the waiting ones are opened now."""
        self.window = window
        if window is not None:
            waiting, self.pending = self.pending, []
            for path in waiting:
                window.open_path(path)

    def request(self, path: Path) -> None:
        if self.window is None:
            self.pending.append(path)
        else:
            self.window.open_path(path)

    def take(self, event) -> bool:
        """Handle ``event`` if it is a request to open a file; True when it was."""
        if event.type() != QEvent.Type.FileOpen:
            return False
        name = event.file() or event.url().toLocalFile()
        if name:
            self.request(Path(name))
        return True

    def eventFilter(self, obj, event):  # noqa: N802 - only when the app is not a NadirApplication
        return obj is QApplication.instance() and self.take(event)


class NadirApplication(QApplication):
    """QApplication that opens the documents the system hands over (see :func:`open_requests`)."""

    def event(self, event):  # noqa: D102 - Qt API
        if event.type() == QEvent.Type.FileOpen:
            return open_requests(self).take(event)
        return super().event(event)


def open_requests(app: QApplication | None = None) -> _OpenRequests:
    """The application's queue of documents to open."""
    app = app or QApplication.instance()
    requests = getattr(app, "_open_requests", None)
    if requests is None:
        requests = app._open_requests = _OpenRequests()  # no parent: kept by the attribute
        if not isinstance(app, NadirApplication):  # made elsewhere (a test runner): filter instead
            app.installEventFilter(requests)
    return requests


class _GuiThreadCollector(QObject):
    """Python's cyclic garbage collector, run on the GUI thread only.

    CPython collects in whichever thread's allocations cross the threshold: the journal's
    writer, the render thread, a background read. A closed window, a closed dialog and the
    chart items a redraw replaces are held by reference cycles (a closed MainWindow, its chart
    and its session are freed by the collector alone), so a collection on one of those threads
    destroyed Qt objects off the GUI thread, which Qt does not allow and which can deadlock: a
    Qt lock taken there while the GUI thread, holding it, waits for the interpreter. So the
    automatic collector is off in the GUI process, and this timer on the GUI thread collects each
    generation once its count passes the interpreter's own threshold (as pyqtgraph's
    GarbageCollector does). Reference counting frees everything else at once, on any thread, as
    before. Before the event loop runs nothing is collected, which is also what the start-up
    wants (imports and reading the case allocate many objects and almost no garbage)."""

    INTERVAL_MS = 1000

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.collections = 0
        gc.disable()
        self.timer = QTimer(self, interval=self.INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        if gc.isenabled():  # turned back on by a block that paused it (gc_pause) before we started
            gc.disable()
        counts = gc.get_count()
        generation = -1
        for g in range(3):
            if counts[g] <= self.threshold[g]:
                break
            generation = g
        if generation >= 0:
            gc.collect(generation)
            self.collections += 1


def make_app(argv: list[str] | None = None) -> QApplication:
    """The application object (created once), named and with its icon; from here on the cyclic
    garbage collector runs on the GUI thread only (:class:`_GuiThreadCollector`)."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = NadirApplication(argv if argv is not None else sys.argv[:1])
    open_requests(app)
    if getattr(app, "_collector", None) is None:
        app._collector = _GuiThreadCollector(app)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("nadir")
    app.setWindowIcon(app_icon())
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, background="w", foreground="#202020")
    return app


class _AfterFirstPaint(QObject):
    """Runs ``callbacks`` once the window has been painted for the first time (after the whole
    paint pass: a zero timer started from the first paint event)."""

    def __init__(self, callbacks):
        super().__init__()
        self.callbacks = list(callbacks)
        self.seen = False

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        QApplication.instance().removeEventFilter(self)
        for callback in self.callbacks:
            callback()


def _exit_when_shown() -> None:
    """For the start-up benchmark (``NADIR_EXIT_WHEN_SHOWN=1``): print ``shown <seconds since
    the process started>`` and leave at once. The benchmark times the whole process from
    outside; Python's tear-down is skipped with ``os._exit``."""
    print(f"shown {_seconds_since_start():.3f}", flush=True)
    os._exit(0)


def _seconds_since_start() -> float:
    """Age of this process (Linux: from /proc, 10 ms resolution); -1 where unknown."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start
    except (OSError, ValueError, IndexError):
        return -1.0


def _start(screenshot: Path | None):
    """The application, and the hook that shows and logs errors in clicks (installed before
    the window is built, so that a failure while the case loads is caught too)."""
    from .crash import ExceptHook

    app = make_app()
    return app, ExceptHook(screenshot=screenshot is not None).install()


def _finish(app: QApplication, window, screenshot: Path | None, hook=None) -> int:
    """Show ``window`` and run it (or save the screenshot); non-zero when a click failed in
    screenshot mode, so that a blank chart never passes for a good one."""
    if hook is not None:
        hook.window = window
    if screenshot is not None:
        window.resize(*DEFAULT_SIZE)  # documentation images: the same size on every machine
    requests = open_requests(app)
    if screenshot is None:
        QTimer.singleShot(0, window, lambda: requests.attach(window))
    try:
        status = _show(app, window, screenshot)
    except Exception:  # noqa: BLE001 - PySide re-raises a slot's error from processEvents
        if hook is None:
            raise
        hook(*sys.exc_info())
        window.doc.undo_stack.setClean()  # nothing to ask about: the run has failed
        window.close()
        status = 1
    finally:
        if requests.window is window:
            requests.attach(None)
        if hook is not None:
            hook.uninstall()
    if hook is not None and hook.failed and screenshot is not None:
        print(f"nadir: the window could not be drawn ({len(hook.failures)} error"
              f"{'s' if len(hook.failures) > 1 else ''}; details in {hook.logs[-1] if hook.logs else 'stderr'})",
              file=sys.stderr)
        return max(status, 1)
    return status


def _show(app: QApplication, window, screenshot: Path | None) -> int:
    # The cyclic collector: off during the start-up (the command line paused it; make_app's
    # collector keeps it off) and run from the GUI thread's timer once the event loop runs.
    if screenshot is None and os.environ.get("NADIR_EXIT_WHEN_SHOWN"):
        app._after_first_paint = _AfterFirstPaint([_exit_when_shown])
        app.installEventFilter(app._after_first_paint)
    window.show()
    if screenshot is None:
        return app.exec()
    return save_screenshot(app, window, screenshot)


def save_screenshot(app: QApplication, window, path: Path) -> int:
    """Let the window lay itself out, grab it to ``path`` and close it."""
    for _ in range(3):
        app.processEvents()
    window.chart.canvas.repaint()
    app.processEvents()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path))
    window.doc.undo_stack.setClean()
    window.close()
    if not ok:
        print(f"nadir: could not write the screenshot to {path}", file=sys.stderr)
        return 1
    return 0


def run_demo(case, screenshot: Path | None = None) -> int:
    """Open ``case`` (the bundled demo) fully set up; with ``screenshot``, save the window and exit."""
    from analysis.demo import demo_paths

    from .main_window import MainWindow

    app, hook = _start(screenshot)
    try:
        window = MainWindow(remember=screenshot is None)
        labs, infusions, events = demo_paths()
        window.doc.load(case, sources={"labs": labs, "infusions": infusions, "events": events})
    except BaseException:
        hook.uninstall()
        raise
    if screenshot is None:
        QTimer.singleShot(0, lambda: window.session.offer_restore(None))
    return _finish(app, window, screenshot, hook)


def run_gui(paths: list, screenshot: Path | None = None) -> int:
    """The main window: the welcome page, the project given on the command line, or the import
    assistant for a lab export given there."""
    from analysis.errors import InputError

    from .drops import kind_of
    from .main_window import MainWindow

    app, hook = _start(screenshot)
    try:
        window = MainWindow(remember=screenshot is None)
        projects = [Path(p) for p in paths or ()]
        if projects and kind_of(projects[0]) == "labs":
            # A lab export on the command line starts the import assistant, as a drop does.
            if screenshot is not None:
                raise InputError("is a lab export; --screenshot needs a .nadir project.", projects[0],
                                 "Import it in the window and save the project, then take the screenshot.")
            QTimer.singleShot(0, lambda: window.open_path(projects[0]))
        elif projects:
            if screenshot is not None:  # no questions in screenshot mode
                from analysis.project.store import open_project

                opened = open_project(projects[0])
                window.doc.load(opened.case, opened.settings, path=projects[0], sources=opened.sources)
            else:
                QTimer.singleShot(0, lambda: window.open_project(projects[0]))
        elif screenshot is None:
            QTimer.singleShot(0, lambda: window.session.offer_restore(any_project=True))
    except BaseException:
        hook.uninstall()
        raise
    return _finish(app, window, screenshot, hook)
