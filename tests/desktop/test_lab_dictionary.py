"""The lab import assistant's "Codes dictionary…": a research extract names its tests by code,
and the file that names them is chosen in the assistant, read with the extract, and kept in the
import settings. Real widgets, driven as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop.dialogs.lab_import_dialog import LabImportAssistant, import_labs_interactively

DATA = Path(__file__).resolve().parents[1] / "data"
RESEARCH = DATA / "research"
EXTRACT, DICTIONARY = RESEARCH / "labevents.csv", RESEARCH / "d_labitems.csv"
WAIT_MS = 30_000


def _wait(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)


@pytest.fixture
def assistant(qtbot, qapp):
    dialog = LabImportAssistant(None, EXTRACT)
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    return dialog


def _pick(monkeypatch, path: Path) -> list:
    """The file dialog answers ``path``; the titles it was opened with are returned."""
    asked = []

    def answer(parent, title, folder, filters):
        asked.append(title)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(answer))
    return asked


def _names(dialog) -> list[str]:
    return [dialog.mapping_table.item(r, 0).text() for r in range(dialog.mapping_table.rowCount())]


def test_without_its_dictionary_the_extract_says_to_choose_one(assistant):
    assert not assistant.import_button.isEnabled()
    assert "“Codes dictionary…”" in assistant.status.text.text()
    assert "--lab-dictionary" not in assistant.status.text.text()  # the window user has no command line
    assert assistant.dictionary_label.text() == "none chosen" and not assistant.no_dictionary_button.isEnabled()
    assert "52075" in _names(assistant)  # the codes are listed (columns found by content), none known


def test_the_chosen_dictionary_is_read_with_the_extract_and_kept(assistant, qtbot, monkeypatch):
    asked = _pick(monkeypatch, DICTIONARY)
    qtbot.mouseClick(assistant.dictionary_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, assistant)
    assert asked == ["Choose the dictionary of test codes"]
    assert assistant.dictionary_label.text() == "d_labitems.csv"
    assert "52075 – Absolute Neutrophil Count" in _names(assistant)
    assert assistant.import_button.isEnabled()
    assistant.import_button.click()
    lab = assistant.lab_import
    assert len(lab.series("ANC")) == 5
    assert lab.settings.dictionary == str(DICTIONARY.resolve())  # the project keeps it


def test_a_file_that_is_no_dictionary_is_said_plainly_and_none_undoes_it(assistant, qtbot, monkeypatch):
    _pick(monkeypatch, DATA / "ivig-mmn" / "labs.xlsx")
    qtbot.mouseClick(assistant.dictionary_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, assistant)
    assert assistant.status.text.text().startswith("labs.xlsx is not a dictionary of test codes")
    assert not assistant.import_button.isEnabled()
    qtbot.mouseClick(assistant.no_dictionary_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, assistant)
    assert assistant.dictionary_label.text() == "none chosen"
    assert "“Codes dictionary…”" in assistant.status.text.text()


def test_a_dictionary_that_came_with_the_extract_is_chosen_and_stays_on_undo(qtbot, qapp, monkeypatch):
    seen = {}

    def user(dialog):
        qtbot.addWidget(dialog)
        _wait(qtbot, dialog)
        seen["label"] = dialog.dictionary_label.text()
        dialog.choose_dictionary(None)
        _wait(qtbot, dialog)
        seen["without"] = dialog.import_button.isEnabled()
        qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)  # "Undo my changes"
        _wait(qtbot, dialog)
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(LabImportAssistant, "exec", user)
    lab = import_labs_interactively(None, EXTRACT, DICTIONARY)
    assert seen == {"label": "d_labitems.csv", "without": False}
    assert lab is not None and len(lab.series("ANC")) == 5
