"""The suite cannot wait for ever on a dialog (tests/desktop/conftest.py): a modal dialog a test
did not expect fails that test at once with its title and text, a patched one is used as
before, a real one driven from a timer still works, and each test has its own recovery folder.

The guard's failures are seen from outside: a small test file run by a pytest of its own, in a
child process (a time limit on it is the proof that nothing waited)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

INNER = textwrap.dedent(
    '''
    import pytest
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox


    def test_question_nobody_answers(qapp):
        QMessageBox.question(None, "Restore unsaved work?", "Nadir found work on a case that was never saved.")


    def test_closing_a_modified_window_asks(window):
        from datetime import datetime

        from analysis.model import Event
        from desktop.commands import AddEventCommand

        window.doc.push(AddEventCommand(window.doc, Event("fever", "Fever", datetime(2022, 10, 1))))
        window.close()  # maybe_save: "Save changes?" is asked inside closeEvent, called by Qt


    def test_dialog_exec_nobody_closes(qapp):
        dialog = QDialog()
        dialog.setWindowTitle("Export figure")
        dialog.exec()


    def test_a_patched_question_is_answered(qapp, monkeypatch):
        monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
        assert QMessageBox.question(None, "Use it?", "Use it anyway?") == QMessageBox.StandardButton.Yes


    @pytest.mark.real_modals
    def test_a_real_dialog_closed_from_a_timer(qapp):
        dialog = QDialog()
        QTimer.singleShot(50, dialog.accept)
        assert dialog.exec() == QDialog.DialogCode.Accepted


    def test_each_test_has_its_own_recovery_folder_1(window):
        from desktop.session import recovery_folder

        folder = recovery_folder()
        assert ".qttest" not in str(folder)
        pytest.shared = folder


    def test_each_test_has_its_own_recovery_folder_2(window):
        from desktop.session import recovery_folder

        assert recovery_folder() != pytest.shared
    '''
)


def test_an_unexpected_modal_fails_at_once_with_its_words(tmp_path):
    shutil.copy(ROOT / "tests" / "desktop" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_inner.py").write_text(INNER, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                          "-o", "markers=real_modals: real", "-rA", str(tmp_path / "test_inner.py")],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    took = time.monotonic() - started
    report = out.stdout + out.stderr
    results = {line.split("::")[-1].split(" ")[0]: line.split(" ")[0]
               for line in report.splitlines() if line.startswith(("PASSED", "FAILED", "ERROR"))
               and "::" in line}
    assert results.get("test_question_nobody_answers") == "FAILED", report
    assert "QMessageBox.question('Restore unsaved work?', 'Nadir found work on a case" in report
    assert results.get("test_closing_a_modified_window_asks") in ("FAILED", "ERROR"), report
    assert "QMessageBox.question('Save changes?'" in report
    assert results.get("test_dialog_exec_nobody_closes") == "FAILED", report
    assert "QDialog 'Export figure' opened with exec()" in report
    for passing in ("test_a_patched_question_is_answered", "test_a_real_dialog_closed_from_a_timer",
                    "test_each_test_has_its_own_recovery_folder_1", "test_each_test_has_its_own_recovery_folder_2"):
        assert results.get(passing) == "PASSED", report
    assert took < 120, f"the run took {took:.0f} s"
