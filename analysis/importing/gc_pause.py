"""Reading a file without the cyclic garbage collector's pauses.

Reading a record creates tens of thousands of small objects (cells, rows, one record per dose)
and almost no reference cycles; CPython's collector runs every few hundred allocations and, as
the parsed workbook grows old, walks all of it again and again. Measured on the 5,000-row
treatment record of benchmarks/treatment_record.py, those walks were a third of the first
read's processor time. Reference counting still frees everything as usual; the collector runs
again, with its usual thresholds, when the read ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested blocks keep it paused)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
