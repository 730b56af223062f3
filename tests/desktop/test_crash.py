"""A failure in a click (desktop/crash.py): said in words, logged, and a non-zero exit when
nobody is there to read a dialog."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog


@pytest.fixture
def crash_dialogs(monkeypatch, tmp_path):
    """Error dialogs shown (closed at once); crash logs written to a temporary folder."""
    from desktop import crash
    from desktop.dialogs.errors import ErrorDialog

    shown = []

    def fake_exec(dialog):
        shown.append(dialog)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    monkeypatch.setattr(crash, "log_folder", lambda: tmp_path / "logs")
    return shown


def test_a_failing_slot_is_said_in_words_and_logged(empty_window, crash_dialogs, qtbot, tmp_path):
    from desktop.crash import ExceptHook

    hook = ExceptHook(window=empty_window).install()
    try:
        def broken():
            raise ZeroDivisionError("division by zero")

        empty_window.doc.changed.connect(broken)
        empty_window.doc.changed.emit()  # PySide hands the error to sys.excepthook
        empty_window.doc.changed.disconnect(broken)
    finally:
        hook.uninstall()
    (dialog,) = crash_dialogs
    assert dialog.windowTitle() == "Nadir ran into a problem"
    assert "(ZeroDivisionError: division by zero)" in dialog.text()
    assert "Your work is kept in the recovery file" in dialog.text()
    (log,) = hook.logs
    assert log.parent == tmp_path / "logs" and "Traceback" in log.read_text(encoding="utf-8")
    assert str(log) in dialog.informativeText()


def test_screenshot_of_a_failing_window_exits_non_zero(qapp, demo_case, tmp_path, monkeypatch, crash_dialogs):
    import sys

    from desktop.app import run_demo
    from desktop.panels.cycles import CyclesPanel

    original = CyclesPanel.refresh

    def broken(self):  # fails as a slot, once the case has arrived
        if self.doc.case is not None:
            raise RuntimeError("the table could not be filled")
        original(self)

    monkeypatch.setattr(CyclesPanel, "refresh", broken)
    before = sys.excepthook
    assert run_demo(demo_case, screenshot=tmp_path / "demo.png") != 0
    assert crash_dialogs == []  # nobody is there to close a dialog
    assert sys.excepthook is before
