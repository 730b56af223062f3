"""The Cycles panel's "Doses within [3] days form one course": rule 1's gap as an undoable choice,
tried on bortezomib given on days 1, 4, 8 and 11 of 21-day cycles (tests/data/make_treatment_layouts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.desktop.conftest import _shown_window

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def bortezomib_case():
    from analysis.case import load_case

    return load_case(DATA / "ivig-mmn" / "labs.xlsx", DATA / "treatment" / "bortezomib_d1_4_8_11.csv")


@pytest.fixture
def window(qtbot, qapp, bortezomib_case):
    yield from _shown_window(qtbot, bortezomib_case)


def test_a_wider_course_gap_makes_one_course_a_cycle_and_ctrl_z_restores(window, qtbot):
    panel = window.cycles
    assert panel.course_gap.value() == 3 and "days 1, 4, 8 and 11" in panel.course_gap.toolTip()
    assert len(window.doc.case.cycles) == 8 and panel.table.rowCount() == 8
    panel.course_gap.setFocus()
    qtbot.waitUntil(panel.course_gap.hasFocus)
    qtbot.keyClick(panel.course_gap, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(panel.course_gap, "5")
    assert len(window.doc.case.cycles) == 8  # no edit while typing
    qtbot.keyClick(panel.course_gap, Qt.Key_Return)
    qtbot.waitUntil(lambda: len(window.doc.case.cycles) == 4)
    assert window.doc.case.rules.course_gap_hours == 120 and panel.table.rowCount() == 4
    assert "at most 120 h (5 days)" in panel.rules.toPlainText()
    assert window.undo_action.text().endswith("Doses within 5 days form one course")
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: len(window.doc.case.cycles) == 8)
    assert window.doc.case.rules.course_gap_hours == 72 and panel.course_gap.value() == 3
    assert "at most 72 h (3 days)" in panel.rules.toPlainText() and panel.table.rowCount() == 8


def test_the_arrows_step_half_a_day_each_an_undo_step(window, qtbot):
    """Days 4 -> 8 are 96 h apart: 3.5 days keeps two courses a cycle, 4 days (at most) makes one."""
    panel = window.cycles
    depth = window.doc.undo_stack.index()
    panel.course_gap.stepUp()
    assert window.doc.case.rules.course_gap_hours == 84 and window.doc.undo_stack.index() == depth + 1
    assert len(window.doc.case.cycles) == 8
    panel.course_gap.stepUp()
    assert window.doc.case.rules.course_gap_hours == 96 and window.doc.undo_stack.index() == depth + 2
    assert len(window.doc.case.cycles) == 4
    panel.course_gap.setFocus()
    qtbot.waitUntil(panel.course_gap.hasFocus)
    qtbot.keyClick(panel.course_gap, Qt.Key_Z, Qt.ControlModifier)  # the focus in the field
    qtbot.waitUntil(lambda: window.doc.case.rules.course_gap_hours == 84)
    assert panel.course_gap.value() == 3.5 and len(window.doc.case.cycles) == 8
