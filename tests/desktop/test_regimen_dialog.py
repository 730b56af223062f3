"""Infusions typed in: a regular schedule, or dose by dose."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QTime

from desktop.dialogs import enter_regimen
from desktop.dialogs.regimen_dialog import RegimenDialog


def test_schedule_gives_n_infusions_21_days_apart(qtbot, qapp):
    dialog = RegimenDialog(None)
    qtbot.addWidget(dialog)
    dialog.first.setDate(QDate(2022, 9, 6))  # a day from the calendar, the time beside it
    dialog.first_time.setTime(QTime(9, 30))
    dialog.every.setValue(21)
    dialog.doses.setValue(6)
    dialog.dose.setValue(1.0)
    dialog.dose_unit.setCurrentText("g/kg")
    dialog.weight.setValue(80)
    assert dialog.schedule_table.rowCount() == 6  # the list the user checks before OK
    dialog.ok_button.click()
    given = dialog.administrations()
    assert len(given) == 6
    assert given[0].time == datetime(2022, 9, 6, 9, 30)
    assert {b.time - a.time for a, b in zip(given, given[1:])} == {timedelta(days=21)}
    assert given[-1].time == datetime(2022, 12, 20, 9, 30)
    assert all(a.dose_per_kg == pytest.approx(1.0) and a.weight_kg == 80 for a in given)
    assert given[0].product.startswith("IVIG")


def test_one_by_one(qtbot, qapp):
    dialog = RegimenDialog(None, start=datetime(2023, 1, 10, 8, 0))
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    assert not dialog.ok_button.isEnabled()  # nothing entered yet
    dialog.add_manual()
    dialog.add_manual(datetime(2023, 2, 14, 10, 0), dose=60, unit="g")
    assert dialog.ok_button.isEnabled()
    given = dialog.administrations()
    assert [a.time for a in given] == [datetime(2023, 1, 10, 8, 0), datetime(2023, 2, 14, 10, 0)]
    assert (given[1].dose, given[1].dose_unit) == (60, "g")


def test_entry_point(qtbot, qapp, monkeypatch):
    def user(dialog):
        qtbot.addWidget(dialog)
        dialog.doses.setValue(3)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(RegimenDialog, "exec", user)
    given = enter_regimen(None, start=datetime(2022, 1, 1, 9, 0))
    assert isinstance(given, tuple) and len(given) == 3

    monkeypatch.setattr(RegimenDialog, "exec", lambda dialog: dialog.reject() or dialog.result())
    assert enter_regimen(None) is None


# --- manual entry that continues what was typed (issue 13, point 5) ---------------------------

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QMessageBox  # noqa: E402


def _manual(qtbot, start=datetime(2022, 9, 6, 9, 30)):
    dialog = RegimenDialog(None, start=start)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_new_rows_continue_the_pattern_above(qtbot, qapp):
    dialog = _manual(qtbot)
    dialog.add_manual(datetime(2022, 9, 6, 10, 15), dose=2.0, unit="g/kg")
    dialog.add_manual(datetime(2022, 10, 4, 10, 15))  # 28 days later; dose and unit carried on
    dialog.add_manual()
    given = dialog.administrations()
    assert given[-1].time == datetime(2022, 11, 1, 10, 15)
    assert (given[-1].dose, given[-1].dose_unit) == (2.0, "g/kg")


def test_a_generated_schedule_is_carried_into_the_list(qtbot, qapp):
    dialog = _manual(qtbot)
    dialog.tabs.setCurrentIndex(0)
    dialog.doses.setValue(3)
    dialog.to_list_button.click()
    assert dialog.tabs.currentIndex() == 1 and dialog.manual_table.rowCount() == 3
    dialog.add_manual()  # the fourth continues the 21-day schedule
    assert dialog.administrations()[-1].time - dialog.administrations()[-2].time == timedelta(days=21)


def test_the_next_row_continues_a_course_over_two_days(qtbot, qapp):
    dialog = _manual(qtbot)
    dialog.tabs.setCurrentIndex(0)
    dialog.course_days.setValue(2)
    dialog.every.setValue(28)
    dialog.doses.setValue(2)
    dialog.to_list_button.click()
    dialog.add_manual()  # the next course starts 28 days after the last one did
    dialog.add_manual()  # and lasts two days
    times = [a.time for a in dialog.administrations()]
    assert times[4] - times[2] == timedelta(days=28) and times[5] - times[4] == timedelta(days=1)


def test_courses_over_several_days(qtbot, qapp):
    dialog = _manual(qtbot)
    dialog.tabs.setCurrentIndex(0)
    dialog.first.setDate(QDate(2022, 9, 6))
    dialog.course_days.setValue(2)  # "2 g/kg over 2 days every 28 days"
    dialog.dose.setValue(2.0)
    dialog.dose_basis.setCurrentIndex(dialog.dose_basis.findData("course"))
    dialog.every.setValue(28)
    dialog.doses.setValue(3)
    given = dialog.administrations()
    assert len(given) == 6 and {a.dose for a in given} == {1.0}
    assert given[1].time - given[0].time == timedelta(days=1)
    assert given[2].time - given[0].time == timedelta(days=28)
    assert "2 g/kg over 2 days (1 g/kg a day), every 28 days" in dialog.schedule_summary.text()
    dialog.course_days.setValue(5)  # "0.4 g/kg daily x 5"
    dialog.dose.setValue(0.4)
    dialog.dose_basis.setCurrentIndex(dialog.dose_basis.findData("day"))
    assert len(dialog.administrations()) == 15 and {a.dose for a in dialog.administrations()} == {0.4}


def test_a_cell_edits_on_one_click_and_reads_the_whole_time(qtbot, qapp):
    dialog = _manual(qtbot)
    dialog.add_manual()
    table = dialog.manual_table
    rect = table.visualRect(table.model().index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState)
    editor = _editor(table)
    editor.selectAll()
    qtbot.keyClicks(editor, "06 Sep 2022 10:15")  # a QDateTimeEdit made this 10:10
    qtbot.keyClick(editor, Qt.Key_Return)  # the delegate commits on the next turn of the loop
    qtbot.waitUntil(lambda: dialog.administrations()[0].time == datetime(2022, 9, 6, 10, 15))
    # Typing into a dose cell replaces what it holds.
    qtbot.waitUntil(lambda: _editor(table) is None)
    rect = table.visualRect(table.model().index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: _editor(table) is not None)
    editor = _editor(table)
    editor.selectAll()
    qtbot.keyClicks(editor, "0.4")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: dialog.administrations()[0].dose == pytest.approx(0.4))


def _editor(table):
    from PySide6.QtWidgets import QLineEdit

    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    return editors[0] if editors else None


def test_an_implausible_dose_is_questioned(qtbot, qapp, monkeypatch):
    dialog = _manual(qtbot)
    dialog.add_manual(datetime(2022, 9, 6, 9, 0), dose=80, unit="g/kg")
    asked = []

    def answer(parent, title, text, buttons, default):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    dialog.ok_button.click()
    assert asked and "80 g/kg" in asked[0]
    assert dialog.result() != RegimenDialog.DialogCode.Accepted  # not used without a yes
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
    dialog.ok_button.click()
    assert dialog.result() == RegimenDialog.DialogCode.Accepted


def test_a_block_pasted_from_excel(qtbot, qapp):
    dialog = _manual(qtbot)
    block = ("Date\tTime\tDose\tUnit\n"  # a heading row is skipped
             "2022-09-06\t09:30\t1\tg/kg\n"
             "27 Sep 2022\t10:15\t0,4\n"
             "2022-10-18 08:00:00\t60\tg\n")
    QGuiApplication.clipboard().setText(block)
    dialog.manual_table.setFocus()
    qtbot.keyClick(dialog.manual_table, Qt.Key_V, Qt.ControlModifier)
    given = dialog.administrations()
    assert [a.time for a in given] == [datetime(2022, 9, 6, 9, 30), datetime(2022, 9, 27, 10, 15),
                                       datetime(2022, 10, 18, 8, 0)]
    assert [(a.dose, a.dose_unit) for a in given] == [(1.0, "g/kg"), (0.4, "g/kg"), (60.0, "g")]
    # Day and month that could be swapped are not guessed; a block whose other dates decide it is read.
    assert dialog.manual_table.paste("06/09/2022\t09:00\t1") == ["06/09/2022\t09:00\t1"]
    assert dialog.manual_table.paste("08/11/2022\t09:00\t1\n29/11/2022\t09:00\t1") == []
    assert [a.time for a in dialog.administrations()][-2:] == [datetime(2022, 11, 8, 9, 0),
                                                               datetime(2022, 11, 29, 9, 0)]


def test_infusions_entered_by_hand_in_the_window_are_said_so_in_the_methods_text(window, qtbot, monkeypatch):
    """Infusions ▸ by hand ▸ a generated schedule, then the export dialog's methods text: it said
    the infusions were read "from the medication administration record"."""
    from desktop.dialogs import case_import
    from desktop.dialogs.export_dialog import ExportDialog

    def user(dialog):
        dialog.tabs.setCurrentIndex(0)  # the schedule
        dialog.doses.setValue(4)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(case_import, "ask_infusion_source", lambda parent: "hand")
    monkeypatch.setattr(RegimenDialog, "exec", user)
    window.infusions_action.trigger()
    assert len(window.doc.case.administrations) == 4
    export = ExportDialog(window, window.doc.case, window.doc.settings)
    qtbot.addWidget(export)
    QGuiApplication.clipboard().clear()
    export.legend_button.click()
    text = QGuiApplication.clipboard().text()
    assert "entered by hand as a regular schedule" in text, text[-600:]
    assert "medication administration record" not in text
    export.done(0)
