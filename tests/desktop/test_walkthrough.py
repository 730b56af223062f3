"""The README's promise, walked through as a new user would and counted: from the welcome page,
three exported files (labs, infusions, events) to a journal TIFF in fewer than 25 clicks.

Every button is clicked with the mouse on the real dialogs; only the system's file dialogs are
stood in for (they are native windows a test cannot drive): each counts the clicks a user makes
in it when it opens in the folder of the files (choose the file, then Open or Save), and the
test fails if it opens anywhere else, which would cost the user a walk through the folders.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QToolButton

from analysis.demo import demo_paths

BUDGET = 25  # the README's "Done means"


class Clicks:
    """The user's hand: clicks real buttons and counts every click."""

    def __init__(self, qtbot):
        self.qtbot, self.count, self.log = qtbot, 0, []

    def button(self, button, what: str) -> None:
        assert button.isEnabled() and button.isVisible(), what
        self.count += 1
        self.log.append(what)
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def file_dialog(self, what: str, start: str, wanted: Path, *, first: bool = False, save: bool = False) -> None:
        start_folder = Path(start)
        if start_folder.suffix:  # a save dialog starts with a file name in its folder
            start_folder = start_folder.parent
        if not first:  # a fresh install's first dialog opens in the home folder
            assert start_folder.resolve() == wanted.parent.resolve(), f"{what} opened in {start}"
        if save:  # the name is offered (figure-1.tif): Save
            self.count += 1
            self.log.append(f"{what}: Save")
        else:  # the file, then Open
            self.count += 2
            self.log += [f"{what}: choose the file", f"{what}: Open"]


def _when_modal(kind, act, timeout_ms=20000):
    """Call ``act(dialog)`` once a modal dialog of ``kind`` (and ready) is on top."""
    timer = QTimer()
    waited = [0]

    def poll():
        waited[0] += 50
        top = QApplication.activeModalWidget()
        if isinstance(top, kind) and act(top) is not False:
            timer.stop()
        elif waited[0] > timeout_ms:
            timer.stop()
    timer.timeout.connect(poll)
    timer.start(50)
    return timer


def _toolbar_button(window, action) -> QToolButton:
    widget = window.toolbar.widgetForAction(action)
    assert isinstance(widget, QToolButton), f"no toolbar button for {action.text()}"
    return widget


@pytest.mark.real_modals  # the test closes the real dialogs from timers
def test_three_files_to_a_journal_tiff_in_fewer_than_25_clicks(empty_window, qtbot, tmp_path, monkeypatch):
    from desktop import folders
    from desktop.dialogs.export_dialog import ExportDialog
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant
    from desktop.dialogs.lab_import_dialog import LabImportAssistant

    window = empty_window
    labs, infusions, events = demo_paths()
    hand = Clicks(qtbot)
    # A fresh install opens its first file dialog in the home folder: the user walks to the
    # exports once (not counted: it depends on where they are); from then on every dialog must
    # start in that folder.
    QSettings().remove(folders.KEY)
    opened = iter([("lab export", labs), ("infusion record", infusions), ("events table", events)])

    def open_file(parent, title, start="", *args, **kwargs):
        what, path = next(opened)
        hand.file_dialog(what, start, path, first=what == "lab export")
        return str(path), ""

    def open_files(parent, title, start="", *args, **kwargs):  # the lab export alone
        path, _ = open_file(parent, title, start)
        return [path], ""

    figure = tmp_path / "figure-1.tif"

    def save_file(parent, title, start="", *args, **kwargs):
        assert Path(start).name == "figure-1.tif"
        hand.file_dialog("export", start, labs, save=True)  # in the exports' folder
        return str(figure), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_file))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(open_files))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_file))

    def import_labs(dialog):
        if not dialog.import_button.isEnabled():
            return False  # still reading
        hand.button(dialog.import_button, "lab assistant: Import")

    def infusion_source(box):
        button = next((b for b in box.buttons() if b.text().startswith("Open the infusion record")), None)
        if button is None:
            return False
        hand.button(button, "infusions: open the record")

    def use_infusions(dialog):
        if not dialog.ok_button.isEnabled():
            return False
        hand.button(dialog.ok_button, "infusion assistant: Use these infusions")

    timers = [_when_modal(LabImportAssistant, import_labs), _when_modal(QMessageBox, infusion_source),
              _when_modal(InfusionImportAssistant, use_infusions)]
    hand.button(window.welcome.open_labs, "welcome: Open a lab export")
    qtbot.waitUntil(lambda: window.doc.case is not None, timeout=60000)
    assert len(window.doc.case.cycles) >= 6
    del timers

    # Events: the toolbar's Events, then Load file… in the panel it shows.
    hand.button(_toolbar_button(window, window.events_action), "toolbar: Events")
    qtbot.waitUntil(lambda: window.events.load_button.isVisible())
    hand.button(window.events.load_button, "events panel: Load file…")
    qtbot.waitUntil(lambda: len(window.doc.case.events) > 0)
    assert any(c.infection for c in window.doc.case.cycles)  # the chart and table show it

    # Check: the chart, the Cycles table and the summary are on screen; nothing to click.
    assert window.chart.plot_b is not None and window.cycles.table.rowCount() >= 6

    def export_tiff(dialog):
        if not dialog.isVisible():
            return False
        combo = dialog.format_combo
        hand.count += 2  # open the Format list, choose TIFF
        hand.log += ["export: Format list", "export: TIFF"]
        combo.setCurrentIndex(combo.findData("tiff"))
        hand.button(dialog.export_button, "export: Export…")
        qtbot.waitUntil(lambda: figure.exists(), timeout=60000)
        hand.button(dialog.close_button, "export: Close")

    timer = _when_modal(ExportDialog, export_tiff, timeout_ms=90000)
    hand.button(_toolbar_button(window, window.export_action), "toolbar: Export")
    qtbot.waitUntil(lambda: figure.exists(), timeout=90000)
    del timer
    from PIL import Image

    with Image.open(figure) as image:
        assert image.format == "TIFF" and image.info.get("dpi", (0, 0))[0] >= 300
    print(f"\n{hand.count} clicks:\n  " + "\n  ".join(hand.log))
    assert hand.count < BUDGET, hand.log



@pytest.mark.real_modals  # the test closes the real dialogs from timers
def test_the_three_files_chosen_at_once_skip_the_question_and_the_events_panel(empty_window, qtbot, tmp_path,
                                                                                monkeypatch):
    """The lab export, the infusion record and the events table chosen together in the first
    dialog (click, Ctrl+click, Ctrl+click, Open): no "Where are the infusion dates?", no
    second and third file dialog, no trip to the Events panel; 7 clicks fewer."""
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant
    from desktop.dialogs.lab_import_dialog import LabImportAssistant

    window = empty_window
    labs, infusions, events = demo_paths()
    hand = Clicks(qtbot)
    asked = []

    def open_files(parent, title, start="", *args, **kwargs):
        hand.count += 4
        hand.log.append("open: the three files, Open")
        return [str(events), str(labs), str(infusions)], ""  # in the folder's order, not by role

    def not_asked(*args, **kwargs):
        asked.append(args)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(open_files))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(not_asked))

    def import_labs(dialog):
        if not dialog.import_button.isEnabled():
            return False
        hand.button(dialog.import_button, "lab assistant: Import")

    def use_infusions(dialog):
        if not dialog.ok_button.isEnabled():
            return False
        hand.button(dialog.ok_button, "infusion assistant: Use these infusions")

    def no_question(box):
        asked.append(box.text())
        return False

    timers = [_when_modal(LabImportAssistant, import_labs), _when_modal(InfusionImportAssistant, use_infusions),
              _when_modal(QMessageBox, no_question, timeout_ms=3000)]
    hand.button(window.welcome.open_labs, "welcome: Open a lab export")
    qtbot.waitUntil(lambda: window.doc.case is not None and len(window.doc.case.events) > 0, timeout=60000)
    del timers
    assert asked == []  # neither the question nor another file dialog
    case = window.doc.case
    assert len(case.cycles) >= 6 and any(c.infection for c in case.cycles)
    assert set(window.doc.sources) == {"labs", "infusions", "events"}
    assert hand.count == 7, hand.log  # welcome, four in the dialog, Import, Use these infusions
    window.undo_action.trigger()  # the events are their own step, as Load file… makes them
    assert len(window.doc.case.events) == 0


def test_files_that_are_not_one_lab_export_with_its_record_are_said_so(empty_window, qtbot, monkeypatch):
    from desktop.dialogs import case_import

    labs, infusions, events = demo_paths()
    said = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text: said.append(text)))
    assert case_import.sort_inputs(empty_window, [infusions, events]) is None
    assert "None of them holds lab results" in said[-1]
    assert case_import.sort_inputs(empty_window, [labs, labs]) is None
    assert "each read as lab results" in said[-1] and labs.name in said[-1]
    assert case_import.sort_inputs(empty_window, [events, labs]) == {"labs": labs, "events": events}
    # A research extract chosen with the file naming its test codes is one lab import, as dropped.
    research = Path(__file__).resolve().parents[1] / "data" / "research"
    extract, codes = research / "labevents.csv", research / "d_labitems.csv"
    assert case_import.sort_inputs(empty_window, [codes, extract]) == {"labs": extract, "dictionary": codes}
