"""Run one fuzz case the way a user would meet it and classify what happened.

A case ends in one of:

* ``read``: Nadir read it (whatever it made of the contents);
* ``refused``: one InputError, a plain sentence naming the file;
* ``crash``: anything else: another exception (a traceback for the user), a "internal error"
  line or a message that echoes control characters raw.

Workbooks are opened with the same functions the window and the command line use (the
lab importer, the infusion-record and events readers); projects with ``open_project`` and the
figure built from them; command lines through ``desktop.cli.main``. Each case is timed; the
peak memory of the workbook-reading process is tracked by ``analysis.importing.sandbox``.
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


def _classify(target: str, label: str, run) -> Outcome:
    start = time.perf_counter()
    try:
        run()
    except InputError as exc:
        text = str(exc)
        verdict = "crash" if RAW_CONTROL.search(text) else "refused"
        return Outcome(target, label, verdict, time.perf_counter() - start, text[:300])
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a panic is a BaseException: exactly what we look for
        tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
        return Outcome(target, label, "crash", time.perf_counter() - start, "".join(tb[-3:])[-800:])
    return Outcome(target, label, "read", time.perf_counter() - start)


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
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:  # noqa: BLE001
        return Outcome("cli", " ".join(argv)[:300], "crash", time.perf_counter() - start,
                       "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:])[-800:])
    seconds = time.perf_counter() - start
    text = err.getvalue()
    if code == 1 or "Traceback" in text or "internal error" in text or RAW_CONTROL.search(text):
        return Outcome("cli", " ".join(argv)[:300], "crash", seconds, text[-800:])
    return Outcome("cli", " ".join(argv)[:300], "read" if code == 0 else "refused", seconds, text[-300:])


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
    for device in ("/dev/full", "/dev/zero", "/dev/null"):
        if Path(device).exists():
            paths[device] = device
    return paths
