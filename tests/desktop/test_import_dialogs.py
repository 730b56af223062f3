"""Defects a physician found in the import and message dialogs, driven through real widgets.

One patient's labs must never be combined with another patient's infusions without the user
being told; numbers read the same in every view; messages are never cut off and never speak of
command-line options; a typed-in schedule starts near the labs, not today.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDateEdit, QDialog, QFileDialog, QMessageBox, QWidget

from analysis.errors import InputError
from analysis.model import ANC, Draw, Stat, Summary, Wilcoxon
from analysis.numbers import LabNumbers

DATA = Path(__file__).resolve().parents[1] / "data"
LABS = DATA / "ivig-mmn" / "labs.xlsx"
MAR = DATA / "ivig-mmn" / "infusions.xlsx"
BROKEN = DATA / "broken"
WAIT_MS = 30_000


def _wait(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)


def _mar_of(tmp_path: Path, patient: str) -> Path:
    """The reference infusion record, rewritten as the record of ``patient``."""
    book = openpyxl.load_workbook(MAR)
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value:
            row[0].value = patient
    path = tmp_path / f"infusions_{patient}.xlsx"
    book.save(path)
    return path


@pytest.fixture
def questions(monkeypatch):
    """QMessageBox.question answered from ``questions.answer``; every question kept."""
    asked = SimpleNamespace(asked=[], answer=QMessageBox.StandardButton.No)

    def question(parent, title, text, buttons=None, default=None):
        asked.asked.append(SimpleNamespace(title=title, text=text, default=default))
        return asked.answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


@pytest.fixture
def errors(monkeypatch):
    """Every error dialog shown (the real widget, laid out and visible), closed again."""
    from desktop.dialogs.errors import ErrorDialog

    shown = []

    def fake_exec(dialog):
        dialog.show()
        shown.append(dialog)
        dialog.hide()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    return shown


# --- 1. another patient's infusion record ---------------------------------------------------------


def test_infusion_record_of_another_patient_is_said_plainly_and_asked(qtbot, qapp, tmp_path, questions):
    from desktop.dialogs.infusion_dialog import infusion_assistant

    span = (datetime(2012, 10, 22, 10, 5), datetime(2022, 12, 21, 9, 0))
    dialog = infusion_assistant(None, _mar_of(tmp_path, "E0000002"), patient="E0000001", lab_span=span)
    assert dialog is not None  # shown, so the user sees whose record it is
    qtbot.addWidget(dialog)
    dialog.show()
    _wait(qtbot, dialog)
    assert dialog.fit_warning.isVisible()
    assert "This infusion record is for patient E0000002, the lab results for E0000001" in dialog.fit_warning.text()

    dialog.ok_button.click()  # the safe answer (No) is the default: nothing is used
    (asked,) = questions.asked
    assert "This infusion record is for patient E0000002, the lab results for E0000001" in asked.text
    assert asked.text.endswith("Use it anyway?")
    assert asked.default == QMessageBox.StandardButton.No
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.administrations == ()

    questions.answer = QMessageBox.StandardButton.Yes
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.administrations and dialog.medication_import.patient == "E0000002"


def test_same_patient_written_differently_is_not_a_warning(qtbot, qapp, tmp_path, questions):
    from desktop.dialogs.infusion_dialog import infusion_assistant

    dialog = infusion_assistant(None, _mar_of(tmp_path, "0000001"), patient="E0000001")
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert not dialog.fit_warning.isVisibleTo(dialog)
    dialog.ok_button.click()
    assert questions.asked == [] and dialog.result() == QDialog.DialogCode.Accepted


def test_infusions_outside_the_lab_dates_are_said_too(qtbot, qapp, questions):
    from desktop.dialogs.infusion_dialog import infusion_assistant

    span = (datetime(2030, 1, 5, 8, 0), datetime(2030, 6, 1, 8, 0))
    dialog = infusion_assistant(None, MAR, patient="E0000001", lab_span=span)
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog.fit_warning.isVisibleTo(dialog)
    assert "None of these infusions" in dialog.fit_warning.text()
    assert "05 Jan 2030 to 01 Jun 2030" in dialog.fit_warning.text()
    dialog.ok_button.click()
    assert len(questions.asked) == 1 and "None of these infusions" in questions.asked[0].text
    assert dialog.result() != QDialog.DialogCode.Accepted


# --- 2. numbers as the report and the figure print them -------------------------------------------


class _Doc(QObject):
    changed = Signal()

    def __init__(self, case):
        from analysis.figure import FigureSettings

        super().__init__()
        self.case = case
        self.settings = FigureSettings()  # the panel marks the cycle in panel B

    def watch(self, fields, slot):  # CaseDocument.watch: a view subscribes to its fields
        self.changed.connect(slot)


def test_cycles_table_and_statistics_use_the_report_numbers(qtbot, qapp, demo_case):
    from desktop.panels.cycles import CyclesPanel

    first = demo_case.cycles[0]
    cycle = dataclasses.replace(
        first,
        pre=Draw(first.start, 0.45, 0),
        post=Draw(first.start, 0.35, 1),
        nadir=Draw(first.start, 0.1, 8, censored="<"),
    )
    summary = Summary(
        pre=Stat(1.1, 0.7, 1.6, 5),
        post=Stat(0.4, 0.35, 0.45, 5, censored=2),
        nadir=Stat(0.25, 0.1, 0.5, 5),
        wilcoxon=Wilcoxon(None, None, 3, note="Not computed: fewer than 6 pairs."),
    )
    case = SimpleNamespace(cycles=[cycle], summary=summary, rules=demo_case.rules, window=(None, None),
                           numbers=LabNumbers(2),
                           effective_window=lambda: (first.start.date(), first.start.date()))
    panel = CyclesPanel(_Doc(case))
    qtbot.addWidget(panel)
    row = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    assert row[3:6] == ["0.45", "0.35", "<0.1 (d8)"]

    text = panel.summary.text()
    assert "<b>0.40</b>" in text and "(0.35–0.45)" in text  # the lab's two decimals
    assert "n&nbsp;=&nbsp;5" in text  # one unit, never wrapped
    assert "2 values below the reporting limit counted at the limit" in text
    assert "not computed: fewer than 6 pairs" in text
    assert "not computed (Not computed" not in text


# --- 3 and 6. messages in full, without command-line options ---------------------------------------


@pytest.mark.parametrize("name, words", [
    ("truncated.xlsx", "was the download cut off?"),
    ("no_neutrophils.xlsx", "no white cell count with a neutrophil percentage"),
])
def test_error_message_is_shown_in_full(qtbot, qapp, errors, monkeypatch, name, words):
    from desktop.dialogs.lab_import_dialog import LabImportAssistant, import_labs_interactively

    monkeypatch.setattr(LabImportAssistant, "exec", lambda self: pytest.fail("no assistant for this file"))
    assert import_labs_interactively(None, BROKEN / name) is None
    (dialog,) = errors
    label = dialog.message_label
    assert words in label.text() and name in label.text()
    assert label.wordWrap() and label.width() <= 520
    # Every wrapped line fits in the label, and the label in the dialog.
    assert label.height() >= label.heightForWidth(label.width())
    assert dialog.rect().contains(label.geometry().bottomRight())
    hint = dialog.hint_label
    assert hint.text() and hint.height() >= hint.heightForWidth(hint.width())
    everything = label.text() + hint.text()
    assert "--" not in everything and "command" not in everything


def test_unrecognised_test_name_opens_the_assistant_to_map_it(qtbot, qapp, tmp_path, errors, monkeypatch):
    from desktop.dialogs.lab_import_dialog import LabImportAssistant, import_labs_interactively

    book = openpyxl.load_workbook(BROKEN / "no_neutrophils.xlsx")
    sheet = book.active
    for row in list(sheet.iter_rows(min_row=2, values_only=True)):
        sheet.append([row[0], "Q-GR#", 2.5, "x10^3/uL"])
    path = tmp_path / "local_name.xlsx"
    book.save(path)

    def user(dialog):
        qtbot.addWidget(dialog)
        _wait(qtbot, dialog)
        dialog.map_test("Q-GR#", ANC)
        _wait(qtbot, dialog)
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(LabImportAssistant, "exec", user)
    lab = import_labs_interactively(None, path)
    assert errors == []
    assert lab is not None and len(lab.series()) == 8


def test_command_line_hint_is_left_out_in_the_window():
    from desktop.dialogs.errors import describe

    exc = InputError("has no neutrophil counts (ANC).", Path("x.xlsx"),
                     "If the ANC is there under another name, map that name to ANC (import assistant, "
                     "or --map NAME=ANC).")
    _title, what, todo = describe(exc)
    assert todo == "If the ANC is there under another name, map that name to ANC."
    assert what == "x.xlsx has no neutrophil counts (ANC)."


# --- 4 and 5. the first infusion and the open dialog's filter --------------------------------------


def test_typed_in_schedule_starts_on_the_first_lab_day(qtbot, qapp, monkeypatch):
    from desktop.dialogs import case_import
    from desktop.dialogs.lab_import_dialog import LabImportAssistant
    from desktop.dialogs.regimen_dialog import RegimenDialog

    monkeypatch.setattr(case_import, "ask_infusion_source", lambda parent: "hand")

    def accept(dialog):  # deleted by import_case once read
        _wait(qtbot, dialog)
        dialog.accept()
        return dialog.result()

    seen = []

    def enter(dialog):
        qtbot.addWidget(dialog)
        seen.append((dialog.first_datetime(), dialog.first))
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(LabImportAssistant, "exec", accept)
    monkeypatch.setattr(RegimenDialog, "exec", enter)
    window = QWidget()
    qtbot.addWidget(window)
    case = case_import.import_case(window, LABS)
    ((first, edit),) = seen
    assert first == datetime(2012, 10, 22, 9, 0)  # the day of the first neutrophil count
    assert isinstance(edit, QDateEdit) and edit.calendarPopup()
    assert case.administrations[0].time == first


def test_open_dialog_lists_every_readable_format(qapp, monkeypatch):
    from desktop.dialogs import case_import

    filters = []

    def fake(parent, title, folder, file_filter, *args):
        filters.append(file_filter)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
    assert case_import.ask_open(None, "Open lab results") is None
    assert filters[0].startswith("Lab exports (*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv *.tsv *.txt)")
