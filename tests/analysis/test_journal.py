"""The recovery journal's writer thread: the newest state is written, one waiting state is
replaced by a newer one, a failure is counted and not raised, and cancel makes a removal stick."""

from __future__ import annotations

import threading
from pathlib import Path

from analysis.project.journal import JournalWriter


class _Disk:
    """A write that can be held half-way, recording what was written in order."""

    def __init__(self):
        self.written: list[str] = []
        self.hold = threading.Event()
        self.hold.set()
        self.started = threading.Event()

    def write(self, path, case, settings, *, sources, origin):
        self.started.set()
        assert self.hold.wait(10)
        if case == "bad":
            raise OSError("disk full")
        self.written.append(case)


def test_only_the_newest_waiting_state_is_written_after_the_one_under_way():
    disk = _Disk()
    journal = JournalWriter(disk.write)
    disk.hold.clear()
    journal.submit(Path("r.nadir"), "edit 1", None, sources={}, origin=None)
    assert disk.started.wait(10)  # edit 1 is being written, held half-way
    journal.submit(Path("r.nadir"), "edit 2", None, sources={}, origin=None)
    journal.submit(Path("r.nadir"), "edit 3", None, sources={}, origin=None)
    assert not journal.idle
    assert not journal.flush(timeout=0.05)  # not on disk yet
    disk.hold.set()
    assert journal.flush()
    assert disk.written == ["edit 1", "edit 3"] and journal.written == 2 and journal.idle


def test_a_failed_write_is_counted_not_raised_and_the_next_one_goes_through():
    disk = _Disk()
    journal = JournalWriter(disk.write)
    journal.submit(Path("r.nadir"), "bad", None, sources={}, origin=None)
    assert journal.flush()
    assert journal.failures == 1 and isinstance(journal.last_error, OSError)
    journal.submit(Path("r.nadir"), "good", None, sources={}, origin=None)
    assert journal.flush() and disk.written == ["good"]


def test_cancel_drops_the_waiting_state_and_waits_for_the_write_under_way():
    disk = _Disk()
    journal = JournalWriter(disk.write)
    disk.hold.clear()
    journal.submit(Path("r.nadir"), "edit 1", None, sources={}, origin=None)
    assert disk.started.wait(10)
    journal.submit(Path("r.nadir"), "edit 2", None, sources={}, origin=None)
    threading.Timer(0.1, disk.hold.set).start()
    assert journal.cancel()  # returns once edit 1 is written: a file removed now stays removed
    assert disk.written == ["edit 1"] and journal.idle
