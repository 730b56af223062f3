"""The Events dock's table is a model over the case's events: many events, selection, edit and
remove through it (its speed is in benchmarks/bench_gui.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt

from analysis.model import Event
from desktop.commands import AddEventsCommand


def test_the_table_shows_thousands_of_events_and_removes_the_selected_one(window, qtbot):
    doc, panel = window.doc, window.events
    many = [Event("fever", f"fever {i}", datetime(2022, 9, 6) + timedelta(hours=3 * i)) for i in range(5000)]
    doc.push(AddEventsCommand(doc, many, "many.csv"))
    model = panel.table.model()
    assert model.rowCount() == len(doc.case.events) > 5000
    shown = [e.label for e in doc.case.events]
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == shown
    row = shown.index("fever 1234")
    assert model.index(row, 0).data() == "Fever"
    assert model.index(row, 2).data() == f"{doc.case.events[row].start:%d %b %Y}"
    assert model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole) == "fever 1234"
    assert not panel.remove_button.isEnabled()
    panel.table.selectRow(row)
    assert panel.selected_index() == row
    assert panel.remove_button.isEnabled() and panel.edit_button.isEnabled()
    panel.remove_button.click()
    assert "fever 1234" not in [e.label for e in doc.case.events]
    assert model.rowCount() == len(shown) - 1
    doc.undo_stack.undo()
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == shown


def test_a_double_click_on_a_row_edits_that_event(window, qtbot, monkeypatch):
    from desktop.panels import events

    opened = []
    monkeypatch.setattr(events.EventDialog, "exec", lambda self: opened.append(self.label.text()) or 0)
    panel = window.events
    rect = panel.table.visualRect(panel.table.model().index(0, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert opened == [window.doc.case.events[0].label]
