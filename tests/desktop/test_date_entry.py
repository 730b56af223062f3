"""Dates typed into the window: applied whole (on Enter, never half-typed), never guessing
day/month, and a click on the chart that keeps its day while a typed date is pending."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt


def test_a_typed_date_arrives_whole(window, qtbot):
    edit = window.cycles.start_edit
    assert window.doc.case.window[0] == date(2022, 9, 6)
    edit.setFocus()
    pushed = []
    window.doc.changed.connect(lambda *a: pushed.append(window.doc.case.window))
    qtbot.keyClick(edit, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(edit, "21 Oct 2022")
    assert pushed == []  # nothing applied while typing
    qtbot.keyClick(edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: len(pushed) > 0)
    assert edit.date().toPython() == date(2022, 10, 21)
    assert window.doc.case.window[0] == date(2022, 10, 21)
    # Numbers are read only when day and month cannot be swapped; 6/9/2022 could be either.
    edit.setText("13/9/2022")
    qtbot.keyClick(edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.doc.case.window[0] == date(2022, 9, 13))
    edit.setText("6/9/2022")
    qtbot.keyClick(edit, Qt.Key_Return)
    assert edit.text() == "13 Sep 2022" and window.doc.case.window[0] == date(2022, 9, 13)
    edit.setText("2022-09-06")
    qtbot.keyClick(edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.doc.case.window[0] == date(2022, 9, 6))
    edit.setText("the sixth")
    qtbot.keyClick(edit, Qt.Key_Return)
    assert edit.text() == "06 Sep 2022"
    # A day picked in the calendar applies as well.
    edit.show_calendar()
    edit.calendar.clicked.emit(QDate(2022, 9, 27))
    qtbot.waitUntil(lambda: window.doc.case.window[0] == date(2022, 9, 27))
    assert not edit.popup.isVisible()


def test_a_pending_date_does_not_move_the_clicked_day(window, qtbot):
    chart = window.chart
    origin = chart.origin
    edit = window.cycles.start_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setText("01 Aug 2022")  # typed, Enter not pressed
    pos = chart.data_to_viewport(42.3, 0.2)
    with qtbot.waitSignal(chart.dayClicked, timeout=2000) as clicked:
        qtbot.mousePress(chart.canvas.viewport(), Qt.LeftButton, pos=pos)
        qtbot.wait(50)  # the event loop turns between press and release, as with a real hand
        qtbot.mouseRelease(chart.canvas.viewport(), Qt.LeftButton, pos=pos)
    assert clicked.args[0].date() == date(2022, 10, 18), origin
    texts = [a.text() for a in chart.menu.actions()]
    assert any(t.startswith("Add event on 18 Oct 2022") for t in texts), texts
    chart.menu.close()
    qtbot.waitUntil(lambda: window.doc.case.window[0] == date(2022, 8, 1))  # the edit still applies
