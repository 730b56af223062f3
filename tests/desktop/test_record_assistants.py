"""The infusion-record and events assistants, driven as a user would on the corpus files: a
record the automatic read refuses is fixed by choosing a column, unknown action words are shown
and can be given a meaning, and the choices survive saving and reopening the project."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from analysis.project import store

DATA = Path(__file__).resolve().parents[1] / "data"
TREATMENT, EVENTS, CASE = DATA / "treatment", DATA / "events", DATA / "ivig-mmn"
WAIT_MS = 30_000
IVIG_DAYS = [datetime(2022, 9, 6, 9, 30), datetime(2022, 9, 27, 9, 30), datetime(2022, 10, 18, 9, 30),
             datetime(2022, 11, 8, 9, 30), datetime(2022, 11, 29, 9, 30), datetime(2022, 12, 20, 9, 30)]


def _wait(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)


@pytest.fixture
def accepted(monkeypatch, qtbot):
    """Replace exec() of a dialog class with ``user(dialog)`` then the dialog's result."""
    def install(cls, user):
        def run(dialog):  # the code that opened the dialog deletes it afterwards
            _wait(qtbot, dialog)
            user(dialog)
            return dialog.result()
        monkeypatch.setattr(cls, "exec", run)
    return install


# --- the infusion-record assistant -----------------------------------------------------------------


def test_a_record_refused_automatically_is_read_once_the_user_names_the_drug_column(qtbot, qapp):
    from desktop.dialogs.infusion_dialog import infusion_assistant

    dialog = infusion_assistant(None, TREATMENT / "two_text_columns.csv")
    assert dialog is not None  # not the error message: the assistant shows the file and its columns
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog._read.error is not None and not dialog.ok_button.isEnabled()
    assert "Choose the columns on the left" in dialog.status.text.text()
    drug = dialog.roles.combos["drug"]
    offered = [drug.itemText(i) for i in range(drug.count())]
    assert offered == ["Automatic: none found", "Not in this file", "Stamp", "Ward", "Preparation", "Qty"]
    assert dialog.sheet_model.header_index == 0  # the headings are painted even though nothing was read

    dialog.roles.choose("drug", "Preparation")
    _wait(qtbot, dialog)
    assert dialog.table.rowCount() == 6 and dialog.ok_button.isEnabled()
    assert dialog.tabs.tabText(0) == "Infusions (6)"
    dialog.ok_button.click()
    assert [a.time for a in dialog.administrations] == IVIG_DAYS
    assert dialog.medication_import.settings.columns == {"drug": "Preparation"}


def _record_with_unknown_words(tmp_path) -> Path:
    path = tmp_path / "mar.csv"
    lines = ["Medication,Administered,Action,Dose"]
    for k, t in enumerate(IVIG_DAYS):
        word = "Appliz. extern" if k == 2 else "Erledigt" if k == 4 else "Given"
        lines.append(f"Privigen 10%,{t:%Y-%m-%d %H:%M},{word},80 g")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_unknown_action_words_are_shown_and_given_a_meaning(qtbot, qapp, tmp_path):
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant

    dialog = InfusionImportAssistant(None, _record_with_unknown_words(tmp_path))
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    words = dialog.action_words
    assert {words.item(r, 0).text(): words.item(r, 1).text() for r in range(words.rowCount())} == {
        "Given": "4", "Appliz. extern": "1", "Erledigt": "1"}
    assert sorted(words.unknown_words()) == ["Appliz. extern", "Erledigt"]  # never silently counted
    assert "does not know 2 of these words" in dialog.actions_note.text()
    assert "2 action words Nadir does not know were skipped" in dialog.status.text.text()
    assert dialog.table.rowCount() == 4
    assert any("'Erledigt'" in m for m in dialog.messages.texts())

    for word in list(words.unknown_words()):
        combo = words.combos[word]
        combo.setCurrentIndex(combo.findData("start"))
        _wait(qtbot, dialog)
    assert words.unknown_words() == []
    assert dialog.table.rowCount() == 6
    dialog.ok_button.click()
    assert [a.time for a in dialog.administrations] == IVIG_DAYS
    assert set(dialog.medication_import.settings.actions.values()) == {"start"}


def test_numeric_action_codes_refused_automatically_are_offered_in_the_assistant(qtbot, qapp):
    """Epic's MAR_ACTION_C numbers: the read refuses, the assistant still lists the codes and
    reads the record once the user says what each means."""
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant

    dialog = InfusionImportAssistant(None, TREATMENT / "clarity_numeric_action.csv")
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    words = dialog.action_words
    assert sorted(words.unknown_words()) == ["5", "6", "8", "9"]
    assert not dialog.ok_button.isEnabled()
    for word, meaning in (("6", "start"), ("9", "part"), ("8", "part"), ("5", "not given")):
        combo = words.combos[word]
        combo.setCurrentIndex(combo.findData(meaning))
        _wait(qtbot, dialog)
    assert words.unknown_words() == []
    dialog.ok_button.click()
    assert [a.time for a in dialog.administrations] == IVIG_DAYS
    assert [a.dose for a in dialog.administrations] == [80.0] * 6


def test_a_wrongly_read_column_can_be_set_to_none(qtbot, qapp):
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant

    dialog = InfusionImportAssistant(None, TREATMENT / "cerner_mar.csv")
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog._read.roles.get("route")
    dialog.roles.choose("route", "")
    _wait(qtbot, dialog)
    assert "route" not in dialog._read.roles
    assert dialog.roles.combos["route"].currentText() == "Not in this file"
    dialog.reset_button.click()
    _wait(qtbot, dialog)
    assert dialog._read.roles.get("route") and "columns" not in dialog.options


def test_the_choices_are_kept_in_the_project_and_replayed_on_reopening(window, qtbot, tmp_path, accepted):
    from analysis.case import Case
    from analysis.importing.observations import import_labs
    from desktop.dialogs.case_import import infusion_record_assistant
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant, infusion_assistant

    record = tmp_path / "two_text_columns.csv"
    record.write_bytes((TREATMENT / "two_text_columns.csv").read_bytes())
    dialog = infusion_assistant(None, record)
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    dialog.roles.choose("drug", "Preparation")
    _wait(qtbot, dialog)
    dialog.ok_button.click()
    labs = import_labs(CASE / "labs.xlsx")
    case = Case(labs=labs, administrations=dialog.administrations, medication_import=dialog.medication_import)
    project = tmp_path / "case.nadir"
    store.save_project(project, case, None, sources={"labs": CASE / "labs.xlsx", "infusions": record})

    opened = store.open_project(project)
    assert [a.time for a in opened.case.administrations] == IVIG_DAYS
    assert opened.case.import_settings.infusions.columns == {"drug": "Preparation"}
    assert len(opened.case.cycles) == 6

    # Infusions > Import assistant opens on the record with the choices made before.
    doc = window.doc
    doc.load(opened.case, opened.settings, sources=opened.sources)
    seen = {}

    def user(dialog):
        seen["drug"] = dialog.roles.combos["drug"].currentText()
        dialog.ok_button.click()

    accepted(InfusionImportAssistant, user)
    assert infusion_record_assistant(None, doc)
    assert seen["drug"] == "Preparation"
    assert doc.case.import_settings.infusions.columns == {"drug": "Preparation"}


# --- the events assistant ------------------------------------------------------------------------


def test_an_events_table_refused_automatically_opens_the_assistant(window, qtbot, accepted, tmp_path):
    from desktop.dialogs.events_dialog import EventImportAssistant

    table = tmp_path / "long_preamble.csv"
    table.write_bytes((EVENTS / "long_preamble.csv").read_bytes())
    shown = {}

    def user(dialog):
        shown["problem"] = dialog.status.text.text()
        shown["ok_before"] = dialog.ok_button.isEnabled()
        dialog.header_spin.setValue(33)
        _wait(qtbot, dialog)
        shown["roles"] = {r: c.currentText() for r, c in dialog.roles.combos.items()}
        dialog.ok_button.click()

    accepted(EventImportAssistant, user)
    before, settings_before = len(window.doc.case.events), window.doc.case.event_settings
    assert window.events.load_events_file(table)
    assert "The headings look to be in row 33" in shown["problem"] and not shown["ok_before"]
    assert shown["roles"]["start"] == "Automatic: Date" and shown["roles"]["kind"] == "Automatic: Type"
    added = [e for e in window.doc.case.events if e.label in ("Pneumonia", "Temperature 38.6")]
    assert sorted(e.kind for e in added) == ["fever", "infection"]
    assert window.doc.case.event_settings.header_row == 33
    window.doc.undo_stack.undo()  # one step: the events and how the table was read
    assert len(window.doc.case.events) == before and window.doc.case.event_settings == settings_before
    window.doc.undo_stack.redo()

    project = tmp_path / "case.nadir"
    store.save_project(project, window.doc.case, window.doc.settings, sources=window.doc.sources)
    opened = store.open_project(project)
    assert opened.case.import_settings.events.header_row == 33
    assert {e.label for e in opened.case.events} >= {"Pneumonia", "Temperature 38.6"}


def test_an_events_column_is_chosen_from_the_columns_found(qtbot, qapp):
    from desktop.dialogs.events_dialog import EventImportAssistant

    dialog = EventImportAssistant(None, EVENTS / "problem_list.csv")
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog.table.rowCount() == 3
    assert dialog.roles.combos["label"].currentText() == "Automatic: Problem"
    dialog.roles.choose("end", "")  # the resolved date is not the end of the event here
    _wait(qtbot, dialog)
    assert all(dialog.table.item(r, 3).text() == "" for r in range(3))
    dialog.ok_button.click()
    assert dialog.settings.columns == {"end": ""} and all(e.end is None for e in dialog.events)


def test_a_choice_of_sheet_or_column_drops_the_options_it_makes_stale(qtbot, qapp):
    # RecordAssistant's _sheet_changed and choose_column, with each assistant's own resets.
    from desktop.dialogs.events_dialog import EventImportAssistant
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant

    infusions = InfusionImportAssistant(None, CASE / "infusions.xlsx")
    qtbot.addWidget(infusions)
    _wait(qtbot, infusions)
    infusions.options.update(product="IVIG", header_row=1, actions={"Given": "start"}, date_order="dmy")
    infusions.choose_column("dose", "Dose")
    _wait(qtbot, infusions)
    assert "product" not in infusions.options and infusions.options["columns"] == {"dose": "Dose"}
    infusions.options["product"] = "IVIG"
    infusions._sheet_changed(0)
    _wait(qtbot, infusions)
    assert {"product", "header_row", "actions", "columns"}.isdisjoint(infusions.options)
    assert infusions.options["sheet"] == "MAR" and infusions.options["date_order"] == "dmy"

    events = EventImportAssistant(None, CASE / "events.csv")
    qtbot.addWidget(events)
    _wait(qtbot, events)
    events.choose_column("label", "Event")
    _wait(qtbot, events)
    events.options.update(header_row=1, date_order="dmy")
    events._sheet_changed(0)
    _wait(qtbot, events)
    assert {"header_row", "columns"}.isdisjoint(events.options) and events.options["date_order"] == "dmy"


# --- files dropped on the window -----------------------------------------------------------------


def _drop(widget, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = widget.rect().center()
    QApplication.sendEvent(widget, QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime,
                                                   Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    QApplication.sendEvent(widget, QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime,
                                              Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


def test_an_events_table_dropped_on_the_window_is_added_not_opened_as_labs(window, qtbot, monkeypatch):
    from desktop.dialogs.lab_import_dialog import LabImportAssistant

    monkeypatch.setattr(LabImportAssistant, "exec", lambda d: pytest.fail("opened as lab results"))
    labs_before = window.doc.case.labs
    _drop(window, EVENTS / "eventi_it.xlsx")
    qtbot.waitUntil(lambda: getattr(window.doc.sources.get("events"), "name", "") == "eventi_it.xlsx",
                    timeout=WAIT_MS)
    assert window.doc.case.labs is labs_before
    assert window.doc.case.event_settings is not None


def test_an_infusion_record_dropped_on_the_window_opens_its_assistant(window, qtbot, accepted, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.dialogs.infusion_dialog import InfusionImportAssistant

    asked = []  # this record (2023) lies after the demo's labs: the assistant asks before using it
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Yes))
    accepted(InfusionImportAssistant, lambda d: d.ok_button.click())
    _drop(window, TREATMENT / "scig_weekly.csv")
    qtbot.waitUntil(lambda: getattr(window.doc.sources.get("infusions"), "name", "") == "scig_weekly.csv",
                    timeout=WAIT_MS)
    assert len(window.doc.case.administrations) == 8
    assert len(asked) == 1 and "None of these infusions" in asked[0]


def test_the_assistants_are_in_the_file_menu(window):
    from PySide6.QtGui import QAction

    texts = {a.text().replace("&", "") for a in window.findChildren(QAction)}
    assert {"Infusion record assistant…", "Events table assistant…"} <= texts


@pytest.mark.parametrize("which", ["infusions", "events"])
def test_both_assistants_fit_a_small_laptop_screen(qtbot, qapp, which):
    from desktop.dialogs.events_dialog import EventImportAssistant
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant

    if which == "infusions":
        dialog = InfusionImportAssistant(None, TREATMENT / "vista_bcma.csv")
    else:
        dialog = EventImportAssistant(None, EVENTS / "title_block.xlsx")
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720 - 40  # a 1280 x 720 screen with a task bar


def test_dates_that_read_both_ways_are_asked_in_words(qtbot, qapp, tmp_path):
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant

    path = tmp_path / "mar.csv"
    path.write_text("Medication,Given,Dose\nPrivigen 10%,06/09/2022 09:30,80 g\nPrivigen 10%,07/10/2022 09:30,80 g\n",
                    encoding="utf-8")
    dialog = InfusionImportAssistant(None, path)
    qtbot.addWidget(dialog)
    _wait(qtbot, dialog)
    assert dialog.banner.isVisibleTo(dialog) and "read two ways" in dialog.banner.question.text()
    combo = dialog._choice_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Month first (MM/DD/YYYY)", "Day first (DD/MM/YYYY)"]
    combo.setCurrentIndex(combo.findData("DMY"))
    dialog.banner.button.click()
    _wait(qtbot, dialog)
    assert [a.time for a in dialog._doses()] == [datetime(2022, 9, 6, 9, 30), datetime(2022, 10, 7, 9, 30)]
    assert dialog.date_combo.currentData() == "DMY"


def test_the_events_assistant_on_demand_replays_the_tables_choices(window, qtbot, accepted, tmp_path):
    from PySide6.QtGui import QAction

    from desktop.dialogs.events_dialog import EventImportAssistant

    table = tmp_path / "long_preamble.csv"
    table.write_bytes((EVENTS / "long_preamble.csv").read_bytes())

    def first(dialog):
        dialog.header_spin.setValue(33)
        _wait(qtbot, dialog)
        dialog.ok_button.click()

    accepted(EventImportAssistant, first)
    assert window.events.load_events_file(table)
    seen = {}

    def again(dialog):
        seen["row"] = dialog.header_spin.value()
        seen["events"] = dialog.table.rowCount()
        dialog.reject()

    accepted(EventImportAssistant, again)
    action = next(a for a in window.findChildren(QAction) if a.text().replace("&", "") == "Events table assistant…")
    action.trigger()
    assert seen == {"row": 33, "events": 2}


def test_an_events_table_dropped_with_no_case_open_says_to_open_the_labs_first(empty_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.dialogs.lab_import_dialog import LabImportAssistant

    said = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a: said.append(a[2])))
    monkeypatch.setattr(LabImportAssistant, "exec", lambda d: pytest.fail("opened as lab results"))
    _drop(empty_window, EVENTS / "simple.csv")
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)
    assert said == ["simple.csv is an events table. Open the lab results first (File > Open lab export), "
                    "then drop it on the window again."]
    assert empty_window.doc.case is None
