"""Run one fuzz case the way a user would meet it and classify what happened.

A case ends in one of:

* ``read``: Nadir read it (whatever it made of the contents);
* ``refused``: one InputError, a plain sentence naming the file;
* ``crash``: anything else: another exception (a traceback for the user), a "internal error"
  line or a message that echoes control characters raw.

Workbooks are opened with the same functions the window and the command line use (the
lab importer, the infusion-record and events readers); projects with ``open_project`` and the
figure built from them; command lines through ``desktop.cli.main``. Each case is measured in
wall-clock time and in processor time (this process and the workbook-reading one together: on a
shared machine the wall clock mostly measures the other work), and on Linux in the peak resident
size of this process and of the reading process during that case.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import InputError

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class Outcome:
    target: str  # "labs", "infusions", "events", "project", "cli"
    label: str  # seed and mutation, or the command line
    verdict: str  # "read", "refused", "crash"
    seconds: float
    detail: str = ""
    cpu: float = 0.0  # processor seconds, this process and the reading process
    peak_mb: float = 0.0  # this process's peak resident size during the case (Linux)
    reader_mb: float = 0.0  # the reading process's peak during the case (Linux)


def _status_kb(pid: int | str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _reader_cpu() -> float:
    """Processor time of every reading process so far: the ones that ended (waited for, so in
    RUSAGE_CHILDREN) and the one alive (its /proc stat)."""
    import resource

    from analysis.importing import sandbox

    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = done.ru_utime + done.ru_stime
    worker = sandbox._worker
    if worker is not None:
        try:
            with open(f"/proc/{worker.proc.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass
    return total


class _Measure:
    """Wall, processor time and peaks of one case."""

    def __enter__(self):
        from analysis.importing import sandbox

        with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # this case's own peak resident size from here
        sandbox.LAST_PEAK_BYTES[0] = 0
        self.start, self.cpu0, self.reader0 = time.perf_counter(), time.process_time(), _reader_cpu()
        return self

    def __exit__(self, *exc):
        from analysis.importing import sandbox

        self.seconds = time.perf_counter() - self.start
        self.cpu = time.process_time() - self.cpu0 + max(0.0, _reader_cpu() - self.reader0)
        self.peak_mb = _status_kb("self", "VmHWM:") / 1024
        self.reader_mb = sandbox.LAST_PEAK_BYTES[0] / 2**20
        return False

    def outcome(self, target: str, label: str, verdict: str, detail: str = "") -> Outcome:
        return Outcome(target, label, verdict, self.seconds, detail, self.cpu, self.peak_mb, self.reader_mb)


def _classify(target: str, label: str, run) -> Outcome:
    verdict, detail = "read", ""
    with _Measure() as measure:
        try:
            run()
        except InputError as exc:
            detail = str(exc)[:300]
            verdict = "crash" if RAW_CONTROL.search(str(exc)) else "refused"
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - a panic is a BaseException: exactly what we look for
            tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
            verdict, detail = "crash", "".join(tb[-3:])[-800:]
    return measure.outcome(target, label, verdict, detail)


def reader_for(seed_name: str) -> str:
    name = seed_name.lower()
    return "infusions" if "infusion" in name or "mar" in name.split(".")[0] else "events" if "event" in name else "labs"


def run_workbook(path: Path, seed_name: str, what: str) -> Outcome:
    target = reader_for(seed_name)

    def run():
        if target == "infusions":
            from analysis.treatment.medications import read_administrations

            read_administrations(path)
        elif target == "events":
            from analysis.treatment.events import read_events

            read_events(path)
        else:
            from analysis.importing.observations import import_labs

            import_labs(path)

    return _classify(target, f"{seed_name} / {what}", run)


def run_project(path: Path, what: str) -> Outcome:
    def run():
        from analysis.figure.spec import build_figure
        from analysis.project.store import open_project

        opened = open_project(path)
        build_figure(opened.case, opened.settings)

    return _classify("project", what, run)


def run_cli(argv: list[str]) -> Outcome:
    from desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    label = " ".join(argv)[:300]
    with _Measure() as measure:
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:  # noqa: BLE001
            code = None
            crash = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:])[-800:]
    if code is None:
        return measure.outcome("cli", label, "crash", crash)
    text = err.getvalue()
    if code == 1 or "Traceback" in text or "internal error" in text or RAW_CONTROL.search(text):
        return measure.outcome("cli", label, "crash", text[-800:])
    return measure.outcome("cli", label, "read" if code == 0 else "refused", text[-300:])


def special_paths(folder: Path) -> dict[str, str]:
    """Files a command line or a project may name: the reference case, a folder, devices, a
    missing file, a symlink loop and a sparse 20 GB file (size-checked before it is hashed)."""
    from tests.fuzz.projects import CASE

    folder.mkdir(parents=True, exist_ok=True)
    huge = folder / "huge.xlsx"
    if not huge.exists():
        with open(huge, "wb") as fh:
            fh.truncate(20 * 1024**3)  # sparse: no disk used
    loop = folder / "loop.xlsx"
    if not loop.is_symlink():
        os.symlink(loop, loop)
    paths = {"labs": str(CASE / "labs.xlsx"), "infusions": str(CASE / "infusions.xlsx"),
             "events": str(CASE / "events.csv"), "folder": str(folder), "missing": str(folder / "missing.xlsx"),
             "huge": str(huge), "loop": str(loop)}
    for device in ("/dev/full", "/dev/zero", "/dev/null", "/proc/self/mem"):  # the last: size 0, reading fails
        if Path(device).exists():
            paths[device] = device
    return paths
