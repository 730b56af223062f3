"""Defects a physician found in the main window and the application, through real widgets:
drag and drop, the window on a laptop screen, documents opened by the system, failures in a
click, and what ``nadir --help`` says."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFileOpenEvent
from PySide6.QtWidgets import QApplication, QDialog

DATA = Path(__file__).resolve().parents[1] / "data"
LABS = DATA / "ivig-mmn" / "labs.xlsx"


@pytest.fixture
def project(tmp_path, demo_case, demo_sources):
    from analysis.project.store import save_project

    path = tmp_path / "demo.nadir"
    save_project(path, demo_case, sources=demo_sources)
    return path


@pytest.fixture
def crash_dialogs(monkeypatch, tmp_path):
    """Error dialogs shown (closed at once); crash logs written to a temporary folder."""
    from desktop import crash
    from desktop.dialogs.errors import ErrorDialog

    shown = []

    def fake_exec(dialog):
        shown.append(dialog)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ErrorDialog, "exec", fake_exec)
    monkeypatch.setattr(crash, "log_folder", lambda: tmp_path / "logs")
    return shown


def _drop(widget, path: Path) -> tuple[bool, bool]:
    """Drag ``path`` over ``widget`` and drop it; (drag accepted, drop accepted)."""
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


# --- 1. files that do not belong together -----------------------------------------------------------


def test_window_says_when_the_infusions_are_another_patients(empty_window, tmp_path):
    import openpyxl

    from analysis.case import Case
    from analysis.treatment.medications import read_administrations
    from analysis.importing.observations import import_labs

    book = openpyxl.load_workbook(DATA / "ivig-mmn" / "infusions.xlsx")
    for row in book.active.iter_rows(min_row=2):
        if row[0].value:
            row[0].value = "E0000002"
    mar = tmp_path / "other_patient.xlsx"
    book.save(mar)
    meds = read_administrations(mar)
    case = Case(labs=import_labs(LABS), administrations=meds.administrations, medication_import=meds)
    empty_window.doc.load(case, sources={"labs": LABS, "infusions": mar})
    banner = empty_window.fit_banner
    assert banner.isVisible()
    assert "infusion record is for patient E0000002" in banner.text()
    assert "infusion record is for patient E0000002" in empty_window.statusBar().currentMessage()


def test_no_banner_when_the_files_fit(window):
    assert window.doc.case.fit_warnings() == []
    assert not window.fit_banner.isVisible()


# --- 7. drag and drop -------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["window", "welcome"])
def test_dropping_a_lab_export_starts_the_import_assistant(empty_window, monkeypatch, qtbot, target):
    import desktop.dialogs

    started = []
    monkeypatch.setattr(desktop.dialogs, "import_case", lambda window, path=None: started.append((window, path)))
    widget = empty_window if target == "window" else empty_window.welcome
    assert _drop(widget, LABS) == (True, True)
    qtbot.waitUntil(lambda: started != [])  # opened once the drop has returned
    assert started == [(empty_window, LABS)]


def test_dropping_a_project_opens_it(empty_window, project, qtbot):
    assert _drop(empty_window, project) == (True, True)
    qtbot.waitUntil(lambda: empty_window.doc.path == project)
    assert empty_window.doc.case is not None


def test_other_files_are_refused(empty_window, tmp_path, monkeypatch, qtbot):
    import desktop.dialogs

    called = []
    monkeypatch.setattr(desktop.dialogs, "import_case", lambda *a: called.append(a))
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4")
    assert _drop(empty_window, letter) == (False, False)
    assert _drop(empty_window.welcome, letter) == (False, False)
    qtbot.wait(20)
    assert called == [] and empty_window.doc.case is None


# --- 8. the window on a laptop screen ---------------------------------------------------------------


def test_window_fits_a_small_screen_and_is_centred():
    from desktop.main_window import fit_to_screen

    laptop = QRect(0, 0, 1366, 728)  # 1366 x 768 less the task bar
    frame = fit_to_screen(laptop)
    assert laptop.contains(frame)
    assert (frame.width(), frame.height()) == (int(1366 * 0.92), int(728 * 0.92))
    assert abs(frame.center().x() - laptop.center().x()) <= 1 and abs(frame.center().y() - laptop.center().y()) <= 1
    big = QRect(0, 0, 2560, 1400)
    assert fit_to_screen(big).size().toTuple() == (1400, 900)


def test_new_window_is_inside_the_screen(empty_window):
    available = empty_window.screen().availableGeometry()
    assert empty_window.width() <= available.width() * 0.92 + 1
    assert empty_window.height() <= available.height() * 0.92 + 1


def test_cycles_table_shows_every_column_at_1366_by_768(window, qtbot):
    from desktop.main_window import fit_to_screen

    window.setGeometry(fit_to_screen(QRect(0, 0, 1366, 728)))
    window.cycles_dock.raise_()
    qtbot.wait(50)
    table = window.cycles.table
    header = table.horizontalHeader()
    for column in range(header.count()):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width(), header.model().headerData(column, Qt.Orientation.Horizontal)
    assert "n&nbsp;=&nbsp;5" in window.cycles.summary.text()


# --- 9. documents opened by the system (macOS) -------------------------------------------------------


def test_file_open_event_opens_the_project(empty_window, project, qapp):
    from desktop.app import open_requests

    requests = open_requests(qapp)
    requests.attach(empty_window)
    try:
        QApplication.sendEvent(qapp, QFileOpenEvent(str(project)))
        assert empty_window.doc.path == project
    finally:
        requests.attach(None)


def test_file_open_event_before_the_window_waits_for_it(empty_window, project, qapp):
    from desktop.app import open_requests

    requests = open_requests(qapp)
    requests.attach(None)
    QApplication.sendEvent(qapp, QFileOpenEvent(str(project)))
    assert empty_window.doc.case is None
    requests.attach(empty_window)
    try:
        assert empty_window.doc.path == project
    finally:
        requests.attach(None)


# --- 10. a failure in a click ------------------------------------------------------------------------


def test_a_failing_slot_is_said_in_words_and_logged(empty_window, crash_dialogs, qtbot, tmp_path):
    from desktop.crash import ExceptHook

    hook = ExceptHook(window=empty_window).install()
    try:
        def broken():
            raise ZeroDivisionError("division by zero")

        empty_window.doc.changed.connect(broken)
        empty_window.doc.changed.emit()  # PySide hands the error to sys.excepthook
        empty_window.doc.changed.disconnect(broken)
    finally:
        hook.uninstall()
    (dialog,) = crash_dialogs
    assert dialog.windowTitle() == "Nadir ran into a problem"
    assert "(ZeroDivisionError: division by zero)" in dialog.text()
    assert "Your work is kept in the recovery file" in dialog.text()
    (log,) = hook.logs
    assert log.parent == tmp_path / "logs" and "Traceback" in log.read_text(encoding="utf-8")
    assert str(log) in dialog.informativeText()


def test_screenshot_of_a_failing_window_exits_non_zero(qapp, demo_case, tmp_path, monkeypatch, crash_dialogs):
    import sys

    from desktop.app import run_demo
    from desktop.panels.cycles import CyclesPanel

    original = CyclesPanel.refresh

    def broken(self):  # fails as a slot, once the case has arrived
        if self.doc.case is not None:
            raise RuntimeError("the table could not be filled")
        original(self)

    monkeypatch.setattr(CyclesPanel, "refresh", broken)
    before = sys.excepthook
    assert run_demo(demo_case, screenshot=tmp_path / "demo.png") != 0
    assert crash_dialogs == []  # nobody is there to close a dialog
    assert sys.excepthook is before


# --- 11. nadir --help --------------------------------------------------------------------------------


def test_help_says_how_to_open_the_window(capsys):
    from desktop import cli

    with pytest.raises(SystemExit) as ended:
        cli.main(["--help"])
    assert ended.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "nadir opens the window (alone, with no command)" in text
    assert "nadir PROJECT.nadir opens a saved project in the window" in text


def test_menu_open_lab_export_asks_for_a_file(window, monkeypatch):
    # QAction.triggered passes checked=False; it must not reach open_labs as a path.
    calls = []
    monkeypatch.setattr(type(window), "_dialog", lambda self, name, *args: calls.append((name, args)))
    from PySide6.QtGui import QAction

    action = next(a for a in window.findChildren(QAction) if a.text() == "Open &lab export…")
    action.trigger()
    assert calls == [("import_case", (window,))]
