"""What the bounded reading process costs (analysis/importing/sandbox.py).

    uv run python benchmarks/bench_sandbox.py [--runs 7]

Start-up: a fresh reading process from its start to its first answer (a small lab export read
and handed back), against the floor in the same run: a bare Python interpreter started with the
same *spawn* method that does nothing and answers at once. Warm read: the same export read by
the kept process (send, parse, pickle, check, unpickle) against parsing it in this process with
the same function. Each figure is the median of --runs, wall clock and, for the children, their
processor time (Linux, macOS); on a shared machine the wall clock carries the other work's load.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SMALL = ROOT / "tests" / "data" / "ivig-mmn" / "labs.xlsx"


def _nothing(conn) -> None:
    conn.send_bytes(b"ready")


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_spawn() -> tuple[float, float]:
    """(wall seconds to the answer, the child's processor seconds)."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = ctx.Process(target=_nothing, args=(child,), daemon=True)
    proc.start()
    parent.recv_bytes()
    seconds = time.perf_counter() - start
    proc.join()
    return seconds, _children_cpu() - cpu


def reader_start() -> tuple[float, float]:
    """A new reading process's first file: (wall seconds, the child's processor seconds)."""
    from analysis.importing import sandbox

    cpu = _children_cpu()
    start = time.perf_counter()
    worker = sandbox._Worker(sandbox.PARSE_MEMORY_BYTES, sandbox.PARSE_RESULT_BYTES)
    worker.ask(str(SMALL), 60, sandbox.PARSE_RESULT_BYTES)
    seconds = time.perf_counter() - start
    worker.close()
    return seconds, _children_cpu() - cpu


def warm_reads(runs: int) -> tuple[list[float], list[float]]:
    from analysis.importing import sandbox

    sandbox.read_isolated(str(SMALL))  # the kept process, started
    isolated, direct = [], []
    for _ in range(runs):
        t = time.perf_counter()
        sandbox.read_isolated(str(SMALL))
        isolated.append(time.perf_counter() - t)
        t = time.perf_counter()
        sandbox.parse(str(SMALL))
        direct.append(time.perf_counter() - t)
    return isolated, direct


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bare = [bare_spawn() for _ in range(args.runs)]
    starts = [reader_start() for _ in range(args.runs)]
    isolated, direct = warm_reads(args.runs * 3)
    med = statistics.median
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; medians of {args.runs}")
    floor, floor_cpu = med(b[0] for b in bare), med(b[1] for b in bare)
    start, start_cpu = med(s[0] for s in starts), med(s[1] for s in starts)
    print(f"  bare spawned interpreter, start to answer (floor)   {floor * 1000:7.0f} ms "
          f"(processor time {floor_cpu * 1000:.0f} ms)")
    print(f"  reading process, start to first file read           {start * 1000:7.0f} ms "
          f"(processor time {start_cpu * 1000:.0f} ms: {start_cpu / floor_cpu:.2f}x the floor's)")
    print(f"  warm read of {SMALL.name} in the kept process          {med(isolated) * 1000:7.1f} ms")
    print(f"  the same parse in this process                       {med(direct) * 1000:7.1f} ms "
          f"(isolation adds {(med(isolated) - med(direct)) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
