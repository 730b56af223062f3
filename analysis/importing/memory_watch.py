"""The reading process's memory cap, enforced from the parent on every system.

``RLIMIT_AS`` caps the child's address space where the system enforces it (Linux, the BSDs);
macOS accepts no such limit and ignores ``RLIMIT_RSS``, and Windows has no rlimits at all. So
the parent also watches the child's resident size (psutil, the same call on Linux, macOS and
Windows) while it waits for the answer, and kills it the moment it passes the cap. An allocation
that grows faster than the watch looks (every ``INTERVAL`` seconds) can overshoot by what it
grows in that time; the system's own cap, where there is one, has no such gap.
"""

from __future__ import annotations

import contextlib

INTERVAL = 0.05  # seconds between looks: a runaway parser grows by ~100 MB in that time at most


class MemoryWatch:
    """``over()`` is true once the process ``pid`` holds more than ``cap`` bytes resident."""

    def __init__(self, pid: int | None, cap: int):
        self.cap = cap
        self.peak = 0
        self._proc = None
        if pid is None:
            return
        try:
            import psutil  # type: ignore[import-untyped]  # no stubs ship with it

            self._proc = psutil.Process(pid)
            self._error: type[BaseException] = psutil.Error
        except Exception:  # noqa: BLE001 - no psutil or no such process: the other limits apply
            self._proc = None

    def rss(self) -> int:
        if self._proc is None:
            return 0
        with contextlib.suppress(self._error, OSError):
            return int(self._proc.memory_info().rss)
        return 0

    def over(self) -> bool:
        rss = self.rss()
        self.peak = max(self.peak, rss)
        return rss > self.cap
