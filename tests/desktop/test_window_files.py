"""Files reaching the window: dropped on it, opened by the system (macOS), chosen from the
menu, and an infusion record that belongs to another patient than the labs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFileOpenEvent
from PySide6.QtWidgets import QApplication

DATA = Path(__file__).resolve().parents[1] / "data"


LABS = DATA / "ivig-mmn" / "labs.xlsx"
RESEARCH = DATA / "research"


@pytest.fixture
def project(tmp_path, demo_case, demo_sources):
    from analysis.project.store import save_project

    path = tmp_path / "demo.nadir"
    save_project(path, demo_case, sources=demo_sources)
    return path


def _drop(widget, *paths: Path) -> tuple[bool, bool]:
    """Drag ``paths`` (together) over ``widget`` and drop them; (drag accepted, drop accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    centre = widget.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def _when_modal(kind, act, timeout_ms=20000):
    """Call ``act(dialog)`` once a modal dialog of ``kind`` is on top and ``act`` does not say False."""
    from PySide6.QtCore import QTimer

    timer, waited = QTimer(), [0]

    def poll():
        waited[0] += 50
        top = QApplication.activeModalWidget()
        if (isinstance(top, kind) and act(top) is not False) or waited[0] > timeout_ms:
            timer.stop()
    timer.timeout.connect(poll)
    timer.start(50)
    return timer


def test_window_says_when_the_infusions_are_another_patients(empty_window, tmp_path):
    import openpyxl

    from analysis.case import Case
    from analysis.importing.observations import import_labs
    from analysis.treatment.medications import read_administrations

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


@pytest.mark.parametrize("target", ["window", "welcome"])
def test_dropping_a_lab_export_starts_the_import_assistant(empty_window, monkeypatch, qtbot, target):
    import desktop.dialogs

    started = []
    monkeypatch.setattr(desktop.dialogs, "import_case", lambda window, path=None: started.append((window, path)))
    widget = empty_window if target == "window" else empty_window.welcome
    assert _drop(widget, LABS) == (True, True)
    qtbot.waitUntil(lambda: started != [])  # opened once the drop has returned
    assert started == [(empty_window, LABS)]


@pytest.mark.parametrize("target", ["window", "welcome"])
@pytest.mark.parametrize("swap", [False, True])
def test_an_extract_dropped_with_its_codes_dictionary_is_read_with_it(empty_window, monkeypatch, qtbot, target,
                                                                      swap):
    """Told apart by what the files hold, in either order: the extract opens in the assistant
    with the dictionary chosen."""
    import desktop.dialogs

    started = []
    monkeypatch.setattr(desktop.dialogs, "import_case", lambda *args: started.append(args))
    files = [RESEARCH / "labevents.csv", RESEARCH / "d_labitems.csv"]
    widget = empty_window if target == "window" else empty_window.welcome
    assert _drop(widget, *(files[::-1] if swap else files)) == (True, True)
    qtbot.waitUntil(lambda: started != [], timeout=30_000)
    assert started == [(empty_window, files[0], files[1])]


def test_two_files_that_are_no_extract_and_dictionary_are_sorted_as_in_the_first_dialog(empty_window, monkeypatch,
                                                                                         qtbot):
    """Not an extract with its dictionary: both go to the import, which sorts them by what they
    hold (and says which one it cannot tell), as when chosen together in the first dialog."""
    import desktop.dialogs

    started = []
    monkeypatch.setattr(desktop.dialogs, "import_case", lambda *args: started.append(args))
    assert _drop(empty_window, LABS, RESEARCH / "d_labitems.csv") == (True, True)
    qtbot.waitUntil(lambda: started != [], timeout=30_000)
    assert started == [(empty_window, [LABS, RESEARCH / "d_labitems.csv"])]


@pytest.mark.real_modals  # the test closes the real dialogs from timers
@pytest.mark.parametrize("target", ["window", "welcome"])
def test_the_three_files_dropped_at_once_open_one_case_with_its_infusions_and_events(empty_window, qtbot,
                                                                                     monkeypatch, target):
    """Lab export, infusion record and events table dragged together from the file manager (in
    the folder's order, not by role): the lab assistant, the infusion assistant and the case with
    its events, no question and no file dialog, as when the three are chosen in the first dialog
    (before, only the first file dropped was opened)."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from analysis.demo import demo_paths
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant
    from desktop.dialogs.lab_import_dialog import LabImportAssistant

    labs, infusions, events = demo_paths()
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: asked.append(a) or ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: asked.append(a) or ([], "")))

    def press(button):
        def act(dialog):
            if not getattr(dialog, button).isEnabled():
                return False
            qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
        return act

    def no_question(box):
        asked.append(box.text())
        box.reject()

    timers = [_when_modal(LabImportAssistant, press("import_button")),  # noqa: F841 - kept running
              _when_modal(InfusionImportAssistant, press("ok_button")),
              _when_modal(QMessageBox, no_question, timeout_ms=3000)]
    widget = empty_window if target == "window" else empty_window.welcome
    assert _drop(widget, events, labs, infusions) == (True, True)
    qtbot.waitUntil(lambda: empty_window.doc.case is not None and len(empty_window.doc.case.events) > 0,
                    timeout=60_000)
    assert asked == []
    assert empty_window.doc.sources == {"labs": labs, "infusions": infusions, "events": events}
    assert len(empty_window.doc.case.administrations) >= 6


def test_an_infusion_record_and_an_events_table_dropped_on_an_open_case_are_both_added(window, qtbot, monkeypatch):
    """With a case open, the two dropped together (events first) change its infusions (through
    the record's assistant) and load its events: both, not only the first."""
    import desktop.dialogs
    from analysis.demo import demo_paths

    _labs, infusions, events = demo_paths()
    done = []
    monkeypatch.setattr(desktop.dialogs, "change_infusions", lambda *args: done.append(("infusions", args[2])))
    monkeypatch.setattr(window.events, "load_events_file", lambda path: done.append(("events", path)))
    assert _drop(window, events, infusions) == (True, True)
    qtbot.waitUntil(lambda: len(done) == 2, timeout=30_000)
    assert done == [("infusions", infusions), ("events", events)]  # the cycles first, then the events on them


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


def test_menu_open_lab_export_asks_for_a_file(window, monkeypatch):
    # QAction.triggered passes checked=False; it must not reach open_labs as a path.
    calls = []
    monkeypatch.setattr(type(window), "_dialog", lambda self, name, *args: calls.append((name, args)))
    from PySide6.QtGui import QAction

    action = next(a for a in window.findChildren(QAction) if a.text() == "Open &lab export…")
    action.trigger()
    assert calls == [("import_case", (window,))]
