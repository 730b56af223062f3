"""A crash loses no edit: a real Nadir window is killed (SIGKILL) a second after an edit, and the
next start offers the work back with the edit in it.

Both runs are separate processes with the same settings and application-data folders (a
temporary HOME and XDG folders), so the second finds what the first left, as a user's next
start would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRELUDE = textwrap.dedent(
    """
    import json, os, sys
    from datetime import datetime
    from PySide6.QtCore import QSettings, QTimer
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, os.environ["NADIR_TEST_SETTINGS"])
    from desktop.app import make_app
    app = make_app([])
    from desktop.main_window import MainWindow
    """
)

EDIT = PRELUDE + textwrap.dedent(
    """
    from analysis.demo import demo_paths, load_demo
    from analysis.model import Event
    from desktop.commands import AddEventCommand
    win = MainWindow(remember=False)
    labs, infusions, events = demo_paths()
    win.doc.load(load_demo(), sources={"labs": labs, "infusions": infusions, "events": events})
    win.show()
    def edit():
        win.doc.push(AddEventCommand(win.doc, Event("fever", "Fever before the kill", datetime(2022, 10, 1))))
        print("edited", flush=True)
    QTimer.singleShot(100, edit)
    app.exec()
    """
)

RESTART = PRELUDE + textwrap.dedent(
    """
    from PySide6.QtWidgets import QMessageBox
    asked = []
    def yes(*args, **kwargs):
        asked.append(args[2] if len(args) > 2 else "")
        return QMessageBox.Yes
    QMessageBox.question = yes  # the user answers "Restore"
    win = MainWindow(remember=False)
    restored = win.session.offer_restore(any_project=True)  # what the start-up does
    labels = [e.label for e in win.doc.case.events] if win.doc.case is not None else []
    print(json.dumps({"asked": asked, "restored": restored, "labels": labels, "modified": win.doc.modified}))
    win.doc.undo_stack.setClean(); win.doc.mark_saved(); win.session.discard_recovery()
    """
)


def environment(tmp_path: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               NADIR_TEST_SETTINGS=str(tmp_path / "settings"))
    for folder in ("home", "data", "config", "settings"):
        (tmp_path / folder).mkdir()
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_9_a_second_after_an_edit_and_the_next_start_restores_it(tmp_path):
    env = environment(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", EDIT], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 180
        line = ""
        while time.monotonic() < deadline and "edited" not in line:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                pytest.fail("the window process ended before the edit")
        assert "edited" in line
        time.sleep(1.5)  # the promise: every edit is in the journal within a second or two
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    recovery = list((tmp_path / "data").rglob("*.nadir"))
    assert recovery, "no recovery file was written"
    assert not list((tmp_path / "data").rglob("*.tmp"))

    again = subprocess.run([sys.executable, "-c", RESTART], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=180)
    assert again.returncode == 0, again.stderr[-2000:]
    result = json.loads(again.stdout.strip().splitlines()[-1])
    assert result["restored"] and result["asked"]
    assert "Fever before the kill" in result["labels"]
    assert result["modified"]
