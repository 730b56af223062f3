"""The parent's memory watch kills a reading process that grows past the cap: the cap that holds
on macOS and Windows, where the child's own rlimit does not. Tried here with a real child that
allocates without end (its rlimit set far above the watch's cap, so only the watch can stop it)."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from analysis.importing import sandbox
from analysis.importing.memory_watch import MemoryWatch

MB = 1024 * 1024


def _greedy_child(conn) -> None:
    """Allocate and touch 20 MB at a time up to 900 MB (never answering), then hang."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1200 * MB, resource.RLIM_INFINITY))  # a safety net only
    except (ImportError, ValueError, OSError):
        pass
    held = []
    for _ in range(45):
        held.append(bytearray(20 * MB))  # zero-filled: every page is touched
        time.sleep(0.02)
    conn.recv()  # hang: only being killed ends it


def test_a_child_growing_past_the_cap_is_killed_and_that_is_a_message():
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_greedy_child, args=(child,), daemon=True)
    proc.start()
    child.close()
    watch = MemoryWatch(proc.pid, 200 * MB)
    # The watch's own words: the 60-s watchdog would say it took too long instead.
    with pytest.raises(sandbox.ReaderError, match="more than the 200 MB of memory Nadir allows"):
        sandbox._receive(parent, proc, 60, 100 * MB, watch)
    assert not proc.is_alive()
    assert 200 * MB < watch.peak < 600 * MB  # stopped soon after it passed the cap, long before 900 MB


def test_the_watch_lets_a_small_child_answer():
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_answer, args=(child,), daemon=True)
    proc.start()
    child.close()
    assert sandbox._receive(parent, proc, 60, 100 * MB, MemoryWatch(proc.pid, 200 * MB)) == b"cells"
    proc.join(5)


def _answer(conn) -> None:
    conn.send_bytes(b"cells")


def test_a_process_that_is_gone_is_never_over():
    assert MemoryWatch(None, 1).over() is False
