"""Projects in the window: a hand-mapped ANC survives save and reopen; a damaged project is a
plain dialog, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from analysis.model import ANC
from desktop.cli import summary_json

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def errors(monkeypatch):
    """Every error dialog shown (the real widget, shown and hidden again)."""
    from desktop.dialogs.errors import ErrorDialog

    shown = []

    def fake_exec(dialog):
        dialog.show()
        shown.append((dialog.title_label.text(), dialog.message_label.text(), dialog.hint_label.text()))
        dialog.hide()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    return shown


def _import_with_hand_mapping(qtbot, window, monkeypatch, labs: Path, mar: Path):
    """The import assistant as a user drives it: map the local code Q-GR# to ANC, import,
    then open the infusion record."""
    from desktop.dialogs import case_import
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant
    from desktop.dialogs.lab_import_dialog import LabImportAssistant

    files = iter([mar])
    monkeypatch.setattr(case_import, "ask_open", lambda parent, title, *filters: next(files))
    monkeypatch.setattr(case_import, "ask_infusion_source", lambda parent: "file")

    def wait(dialog):
        qtbot.waitUntil(lambda: not dialog.busy, timeout=20000)

    def map_and_import(dialog):
        wait(dialog)
        dialog.map_test("Q-GR#", ANC)
        wait(dialog)
        dialog.import_button.click()
        return dialog.result()

    def accept(dialog):
        wait(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LabImportAssistant, "exec", map_and_import)
    monkeypatch.setattr(InfusionImportAssistant, "exec", accept)
    return case_import.import_case(window, labs)


def test_a_hand_mapped_anc_is_saved_and_reopened_with_the_same_numbers_and_figure(
        qtbot, empty_window, tmp_path, monkeypatch, errors, capsys):
    from desktop.main_window import MainWindow

    labs, mar = tmp_path / "local_anc_labs.xlsx", tmp_path / "infusions.xlsx"
    shutil.copy(DATA / "projects" / "local_anc_labs.xlsx", labs)
    shutil.copy(DATA / "ivig-mmn" / "infusions.xlsx", mar)
    case = _import_with_hand_mapping(qtbot, empty_window, monkeypatch, labs, mar)
    assert case is not None and len(case.anc) == 25
    assert empty_window.doc.case is case
    numbers, spec = summary_json(case), empty_window.doc.spec()
    path = tmp_path / "mapped.nadir"
    assert empty_window.session.save_to(path)
    assert json.loads(path.read_text())["import"]["labs"]["mapping"]["Q-GR#"] == "ANC"

    # The same project on the command line: the window's numbers, and the window's figure.
    from analysis.figure import render_case
    from desktop.cli import main

    capsys.readouterr()
    assert main(["summary", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(numbers))
    render_case(case, empty_window.doc.settings, tmp_path / "window.pdf")
    assert main(["render", str(path), "-o", str(tmp_path / "cli.pdf")]) == 0
    assert (tmp_path / "cli.pdf").read_bytes() == (tmp_path / "window.pdf").read_bytes()

    again = MainWindow(remember=False)
    try:
        assert again.session.open(path)
        assert errors == []
        assert summary_json(again.doc.case) == numbers
        assert again.doc.spec() == spec
        assert again.chart.drawn_a.panel == spec.panels[0]
    finally:
        again.doc.undo_stack.setClean()
        again.close()


@pytest.mark.parametrize("content, words", [
    ('{"format": "nadir-project", "version": 2, "sources": {"labs": {"path": "labs.xlsx"}}, '
     '"figure": {"width_mm": "wide"}}', "figure.width_mm must be a number, not 'wide'"),
    ("[" * 50_000, "is not a Nadir project file or is damaged"),
    ('{"format": "nadir-project", "version": ' + "7" * 5000 + "}", "is not a Nadir project file or is damaged"),
])
def test_a_damaged_project_is_a_plain_dialog(qtbot, empty_window, tmp_path, errors, content, words):
    path = tmp_path / "damaged.nadir"
    path.write_text(content)
    assert not empty_window.session.open(path)  # how fast: benchmarks/bench_refusals.py
    (title, message, hint), = errors
    assert "damaged.nadir" in message and words in message
    assert "Traceback" not in title + message + hint and "internal error" not in message.lower()
    assert empty_window.doc.case is None
