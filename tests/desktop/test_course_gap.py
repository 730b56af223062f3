"""The Cycles panel's "Doses within [3] days form one course": rule 1's gap as an undoable choice,
tried on bortezomib given on days 1, 4, 8 and 11 of 21-day cycles (tests/data/make_treatment_layouts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.desktop.conftest import _shown_window

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCES = {"labs": DATA / "ivig-mmn" / "labs.xlsx", "infusions": DATA / "treatment" / "bortezomib_d1_4_8_11.csv"}


@pytest.fixture(scope="module")
def bortezomib_case():
    from analysis.case import load_case

    return load_case(SOURCES["labs"], SOURCES["infusions"])


@pytest.fixture
def window(qtbot, qapp, bortezomib_case):
    yield from _shown_window(qtbot, bortezomib_case, SOURCES)


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


def test_a_saved_project_keeps_the_course_gap(window, tmp_path):
    import json

    from desktop.main_window import MainWindow

    window.cycles.course_gap.setValue(4.5)
    assert len(window.doc.case.cycles) == 4
    path = tmp_path / "bortezomib.nadir"
    assert window.session.save_to(path)
    assert json.loads(path.read_text())["rules"]["course_gap_hours"] == 108
    again = MainWindow(remember=False)
    try:
        assert again.session.open(path)
        assert again.doc.case.rules.course_gap_hours == 108 and len(again.doc.case.cycles) == 4
        assert again.cycles.course_gap.value() == 4.5
        assert "at most 108 h (4.5 days)" in again.cycles.rules.toPlainText()
    finally:
        again.doc.undo_stack.setClean()
        again.close()
