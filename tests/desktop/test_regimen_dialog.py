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
