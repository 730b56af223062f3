"""An events table loads into the open case from the Events dock, the File menu and by drag and
drop onto the dock: one undo step, the same events the command line reads, a plain message for
a file that is no events table."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog

from analysis.treatment.events import read_events

DATA = Path(__file__).resolve().parents[1] / "data" / "events"


def _drop(widget, path: Path) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = widget.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_load_button_adds_the_tables_events_in_one_undo_step(window, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    panel = window.events
    before = tuple(window.doc.case.events)
    path = DATA / "ereignisse_de.csv"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    panel.load_button.click()
    added = [e for e in window.doc.case.events if e not in before]
    assert added == list(read_events(path))
    model = panel.table.model()
    assert model.rowCount() == len(before) + 3
    assert {model.index(r, 0).data() for r in range(model.rowCount())} >= {"Infection", "Fever", "Hospital stay"}
    window.doc.undo_stack.undo()
    assert tuple(window.doc.case.events) == before
    window.doc.undo_stack.redo()
    panel.load_events_file(path)  # the same file again adds nothing twice
    assert len(window.doc.case.events) == len(before) + 3


def test_file_menu_offers_the_events_table(window, monkeypatch):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog

    action = next(a for a in window.findChildren(QAction) if "events table" in a.text().replace("&", "").lower())
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(DATA / "incidental_words.csv"), ""))
    action.trigger()
    kinds = {e.label: e.kind for e in window.doc.case.events}
    assert kinds["Vaccine against influenza given"] == "medication"
    assert kinds["COVID-19, positive PCR"] == "infection"


def test_an_events_table_dropped_on_the_dock_is_loaded(window, qtbot):
    before = len(window.doc.case.events)
    accepted, dropped = _drop(window.events, DATA / "eventi_it.xlsx")
    assert accepted and dropped
    qtbot.waitUntil(lambda: len(window.doc.case.events) == before + 3)


def test_a_file_that_is_no_events_table_is_said_plainly(window, monkeypatch, tmp_path):
    from desktop.dialogs.errors import ErrorDialog

    shown = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda d: shown.append(d) or int(QDialog.DialogCode.Accepted))
    bad = tmp_path / "numbers.csv"
    bad.write_text("1,2\n3,4\n", encoding="utf-8")
    before = tuple(window.doc.case.events)
    assert window.events.load_events_file(bad) is False
    assert tuple(window.doc.case.events) == before and len(shown) == 1
