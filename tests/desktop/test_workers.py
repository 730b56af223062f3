"""Background work: answers come back on the GUI thread, errors too, and a cancelled call's
answer is dropped while the call itself runs to its end."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from analysis.errors import InputError
from desktop.workers import Cancelled, Task, render_pool, run_in_background, run_with_progress


def test_result_arrives_on_the_gui_thread(qtbot, qapp):
    seen = {}

    def work(a, b):
        seen["worker"] = QThread.currentThread()
        return a + b

    def done(value):
        seen["value"] = value
        seen["receiver"] = QThread.currentThread()

    with qtbot.waitSignal(run_in_background(work, 2, b=3, on_finished=done).finished, timeout=10_000):
        pass
    assert seen["value"] == 5
    assert seen["receiver"] is qapp.thread()
    assert seen["worker"] is not qapp.thread()


def test_an_exception_is_delivered_not_raised(qtbot, qapp):
    def work():
        raise InputError("is not a spreadsheet", "x.xlsx")

    task = Task(work)
    with qtbot.waitSignal(task.failed, timeout=10_000) as blocker:
        task.start()
    assert isinstance(blocker.args[0], InputError)
    assert not task.running


def test_cancel_drops_the_answer_but_lets_the_call_finish(qtbot, qapp):
    release = threading.Event()
    got = []
    task = Task(lambda: release.wait(10) and "late")
    task.finished.connect(got.append)
    task.failed.connect(got.append)
    task.start()
    task.cancel()
    release.set()
    assert task.ended.wait(10)  # the call ran to its end in the background
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert got == []


def test_a_call_cancelled_while_it_waits_for_the_pool_never_runs(qtbot, qapp):
    """A stale preview queued behind the one drawing is dropped before it costs anything."""
    release = threading.Event()
    ran = []
    first = Task(lambda: release.wait(10) and ran.append("first"))
    stale = Task(lambda: ran.append("stale"))
    newest = Task(lambda: ran.append("newest"))
    for task in (first, stale, newest):
        task.start(render_pool())  # one thread: stale and newest wait behind first
    stale.cancel()
    release.set()
    qtbot.waitUntil(lambda: not newest.running and not stale.running, timeout=10_000)
    assert ran == ["first", "newest"]
    assert stale.ended.is_set()


def test_run_with_progress_returns_the_result_or_raises_the_error(qtbot, qapp):
    assert run_with_progress(None, "Working…", lambda x: x * 2, 21) == 42
    with pytest.raises(InputError, match="broken"):
        run_with_progress(None, "Working…", _fail)
    assert run_with_progress(None, "Rendering…", lambda: "one at a time", pool=render_pool()) == "one at a time"


def _fail():
    raise InputError("broken")


def test_cancel_in_the_progress_dialog_returns_at_once(qtbot, qapp):
    release = threading.Event()

    def press_cancel():
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if shown:
            shown[0].findChild(QPushButton).click()
        else:  # not up yet: look again shortly
            QTimer.singleShot(50, press_cancel)

    QTimer.singleShot(50, press_cancel)
    try:
        with pytest.raises(Cancelled):
            run_with_progress(None, "Reading a huge export…", release.wait, 30)
    finally:
        release.set()
