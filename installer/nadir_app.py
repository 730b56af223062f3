"""Entry point of the frozen app (``Nadir.exe``, ``Nadir.app``, ``dist/Nadir/Nadir``).

A physician starts the installed app by double-clicking it, or by double-clicking a ``.nadir``
file; neither passes a subcommand. So this script opens the window when it gets no arguments or
a file, and hands everything else (``Nadir demo --screenshot x.png``, ``Nadir summary ...``) to the
same ``nadir`` command-line interface the source install has, so the frozen app can be smoke-tested
and scripted exactly like ``uv run nadir``.
"""

from __future__ import annotations

import os
import sys


def _quiet_streams() -> None:
    # A windowed Windows build has no console: sys.stdout/stderr are None and any print() would
    # raise. Sending them to the null device keeps the command-line paths usable (their exit
    # status and output files still tell the caller what happened).
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def _arguments(argv: list[str]) -> list[str]:
    # Finder on older macOS adds a process serial number argument; it is not the user's.
    return [a for a in argv if not a.startswith("-psn_")]


def _open_window(path: str | None) -> int:
    """Start the GUI: the welcome page, or ``path`` (a .nadir project) opened in it."""
    from desktop.app import run_gui

    return int(run_gui([path] if path else []) or 0)


def main() -> int:
    # Workbooks are parsed in a spawned child process (analysis.importing.sandbox); a frozen
    # executable must recognise that it was started as that child and run it instead of the app.
    import multiprocessing

    multiprocessing.freeze_support()
    _quiet_streams()
    args = _arguments(sys.argv[1:])
    from desktop.cli import COMMANDS
    from desktop.cli import main as cli_main

    if not args:
        return _open_window(None)
    first = args[0]
    if len(args) == 1 and first not in COMMANDS and not first.startswith("-") and os.path.exists(first):
        return _open_window(first)
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
