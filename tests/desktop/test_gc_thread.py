"""The cyclic garbage collector runs on the GUI thread only (desktop.app._GuiThreadCollector).

A closed window is freed by the collector alone (its chart, session and panels hold each other
in cycles); a collection on the journal's or the render thread would destroy its Qt objects
there, which Qt does not allow and which can deadlock."""

from __future__ import annotations

import gc
import threading


class _Cycle:
    """Garbage that only the cyclic collector frees; says on which thread it was."""

    def __init__(self, freed: list):
        self.me = self
        self.freed = freed

    def __del__(self):
        self.freed.append(threading.current_thread() is threading.main_thread())


def test_a_worker_thread_allocating_does_not_collect_the_gui_threads_garbage(qapp, qtbot):
    freed: list[bool] = []
    _Cycle(freed)
    held = []
    # Far past the threshold at which CPython would collect in the thread that allocates.
    worker = threading.Thread(target=lambda: held.append([[] for _ in range(20_000)]), name="allocating")
    worker.start()
    worker.join()
    assert freed == []  # not on the worker
    qtbot.waitUntil(lambda: bool(freed), timeout=5000)  # the GUI thread's timer
    assert freed == [True]
    assert not gc.isenabled()  # and the interpreter's own collections stay off

