"""Keeping work in the GUI: commands, save and reopen, autosave and recovery, exclusions."""

from __future__ import annotations

from datetime import datetime, timedelta

from analysis.model import Event
from desktop.commands import (
    AddEventCommand,
    EditEventCommand,
    FigureSettingCommand,
    MoveEventCommand,
    RemoveEventCommand,
)
from desktop.main_window import MainWindow


def test_event_commands_undo_to_the_exact_previous_case(window):
    doc = window.doc
    original = doc.case.events
    doc.push(AddEventCommand(doc, Event("fever", "Fever", datetime(2022, 9, 20))))
    assert [e.label for e in doc.case.events] == ["Fever", "COVID-19 infection (PCR positive)"]
    assert window.events.table.model().rowCount() == 2
    doc.push(EditEventCommand(doc, 0, Event("gcsf", "Filgrastim", datetime(2022, 9, 21))))
    doc.push(RemoveEventCommand(doc, 1))
    assert [e.kind for e in doc.case.events] == ["gcsf"]
    for _ in range(3):
        doc.undo_stack.undo()
    assert doc.case.events == original


def test_consecutive_moves_of_one_event_are_one_undo_step(window):
    doc = window.doc
    start = doc.case.events[0].start
    doc.push(MoveEventCommand(doc, 0, timedelta(days=1)))
    doc.push(MoveEventCommand(doc, 0, timedelta(days=1)))
    assert doc.case.events[0].start == start + timedelta(days=2)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.case.events[0].start == start


def test_excluding_a_value_asks_for_a_reason_and_keeps_it(window, monkeypatch):
    from desktop.panels import data as data_panel

    doc, panel = window.doc, window.data
    frame = panel.model.frame()
    row = int(frame.index[(frame["analyte"] == "ANC") & (frame["text"] == "2.4")][0])
    n = len(doc.case.anc)
    monkeypatch.setattr(data_panel, "ask_reason", lambda parent, what: "clotted sample")
    assert panel.exclude_row(row)
    assert len(doc.case.anc) == n - 1
    assert [x.reason for x in doc.case.exclusions] == ["clotted sample"]
    assert panel.model.reason(row) == "clotted sample"
    assert panel.model.data(panel.model.index(row, len(data_panel.COLUMNS) - 1)) == "clotted sample"
    assert "1 excluded" in panel.count.text()
    crosses = window.chart.excluded  # still on the chart, greyed, with the reason
    assert crosses is not None and "clotted sample" in crosses.points()[0].data()
    doc.undo_stack.undo()
    assert doc.case.exclusions == () and len(doc.case.anc) == n


def test_cancelling_the_reason_excludes_nothing(window, monkeypatch):
    from desktop.panels import data as data_panel

    monkeypatch.setattr(data_panel, "ask_reason", lambda parent, what: None)
    assert not window.data.exclude_row(0)
    assert window.doc.case.exclusions == ()


def test_save_close_reopen_gives_the_same_chart(window, qtbot, tmp_path):
    doc = window.doc
    doc.push(AddEventCommand(doc, Event("infection", "Pneumonia", datetime(2022, 11, 15))))
    doc.push(FigureSettingCommand(doc, axis="dates"))
    spec = doc.spec()
    path = tmp_path / "review.nadir"
    assert window.session.save_to(path)
    assert not doc.modified and not window.isWindowModified()

    again = MainWindow(remember=False)
    try:
        assert again.session.open(path)
        assert again.doc.path == path
        assert again.doc.spec() == spec
        assert again.chart.drawn_a.panel == spec.panels[0]
        assert path in again.session.recent()
        assert not again.doc.modified
    finally:
        again.close()


def test_autosave_and_restore_after_a_crash(window, qtbot):
    doc = window.doc
    assert not window.session.autosave()  # nothing unsaved yet
    doc.push(AddEventCommand(doc, Event("hospitalisation", "Admitted", datetime(2022, 10, 1), datetime(2022, 10, 4))))
    assert window.session.autosave()
    recovery = window.session.recovery_file()
    assert recovery.is_file()

    # A new session after the "crash" finds the recovery file and restores the work.
    fresh = MainWindow(remember=False)
    try:
        found = fresh.session.pending_recovery(None)
        assert found == recovery
        assert fresh.session.newest_recovery() == (recovery, None)
        assert fresh.session.restore(found)
        assert fresh.doc.case.events == doc.case.events
        assert fresh.doc.modified and fresh.isWindowModified()
        assert fresh.stack.currentWidget() is fresh.chart
    finally:
        fresh.doc.mark_saved()
        fresh.close()
    window.session.discard_recovery()
    assert not recovery.exists()


def test_an_edit_is_journalled_off_the_window_thread_and_undoing_it_removes_the_journal(window, qtbot,
                                                                                     monkeypatch):
    """The edit returns before its recovery file is written; the file then holds the edit, and
    undoing back to the saved state removes it even while a write was under way."""
    import json
    import threading

    from analysis.project import store

    doc, session = window.doc, window.session
    release, writing = threading.Event(), []
    real = store.save_project

    def slow_save(path, *args, **kwargs):
        writing.append(threading.current_thread() is not threading.main_thread())
        assert release.wait(10)
        real(path, *args, **kwargs)

    monkeypatch.setattr(session.journal, "_write", slow_save)
    session._last_write = 0.0  # the first edit after a pause is journalled at once
    doc.push(AddEventCommand(doc, Event("gcsf", "G-CSF", datetime(2022, 10, 1))))
    qtbot.waitUntil(lambda: bool(writing), timeout=10_000)  # under way while the window goes on
    assert writing == [True] and not session.journal.idle
    release.set()
    assert session.journal.flush()
    recovery = session.recovery_file()
    assert recovery.is_file()
    assert "G-CSF" in [e["label"] for e in json.loads(recovery.read_text(encoding="utf-8"))["events"]]

    session.timer.stop()  # the first edit's follow-up write (half a second on) is not this test's
    assert session.journal.flush()
    release.clear()
    session._last_write = 0.0
    before = len(writing)
    doc.push(AddEventCommand(doc, Event("gcsf", "G-CSF again", datetime(2022, 10, 8))))
    qtbot.waitUntil(lambda: len(writing) > before, timeout=10_000)
    threading.Timer(0.2, release.set).start()
    doc.undo_stack.undo()
    doc.undo_stack.undo()  # back to the saved state, a write still under way
    assert not doc.modified
    assert session.journal.idle and not recovery.exists()


def test_welcome_page_when_nothing_is_open(qtbot, qapp):
    win = MainWindow(remember=False)
    try:
        assert win.stack.currentWidget() is win.welcome
        assert not win.save_action.isEnabled()
        win.welcome.open_demo.click()
        assert win.stack.currentWidget() is win.chart
        assert len(win.doc.case.cycles) == 6
    finally:
        win.close()
