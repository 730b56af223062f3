"""Defects from the physician's review of the window: dates typed whole, clicks that keep their
day while the window changes, event defaults, the exclusion reason, the command line, units."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication


def _click(qtbot, chart, x, y):
    pos = chart.data_to_viewport(x, y)
    qtbot.mouseClick(chart.canvas.viewport(), Qt.LeftButton, pos=pos)


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


def _capture_event_dialog(monkeypatch):
    from desktop.panels import events

    seen = []

    def fake_exec(dialog):
        seen.append(dialog)
        return 0  # cancelled: nothing pushed

    monkeypatch.setattr(events.EventDialog, "exec", fake_exec)
    return seen


def test_add_event_starts_in_the_visible_range_and_until_follows(window, monkeypatch):
    seen = _capture_event_dialog(monkeypatch)
    chart = window.chart
    chart.plot.setXRange(40, 50, padding=0)
    window.add_event_action.trigger()
    dialog, = seen
    assert dialog.start.date().toPython() == (chart.origin + timedelta(days=45)).date()
    assert dialog.end.date() == dialog.start.date()
    # "lasted until" follows the start and is never before it
    dialog.start.setDate(QDate(2022, 11, 1))
    assert dialog.end.date().toPython() == date(2022, 11, 1)
    dialog.has_end.setChecked(True)
    dialog.end.setDate(QDate(2022, 11, 5))
    dialog.start.setDate(QDate(2022, 11, 3))
    assert dialog.end.date().toPython() == date(2022, 11, 5)  # a chosen end stays when still after
    dialog.start.setDate(QDate(2022, 11, 9))
    assert dialog.end.date().toPython() == date(2022, 11, 9)
    dialog.end.setDate(QDate(2022, 11, 2))
    assert dialog.end.date().toPython() == date(2022, 11, 9)  # not before the start
    assert dialog.event_value().start.year == 2022


def test_add_event_without_a_chart_starts_at_the_last_draw(window, monkeypatch):
    seen = _capture_event_dialog(monkeypatch)
    window.events.default_day = None
    window.events.add_event()
    last = window.doc.case.anc["time"].max()
    assert seen[0].start.date().toPython() == last.date()


def test_exclusion_needs_a_reason_and_says_so(window, qtbot, monkeypatch):
    from desktop.panels import data

    dialog = data.ReasonDialog(window, "ANC 0.4 on 06 Sep 2022")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    assert dialog.hint.isVisible() and "reason" in dialog.hint.text()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.reason, "clotted")
    assert dialog.ok.isEnabled() and not dialog.hint.isVisible()
    assert dialog.value() == "clotted"

    # The panel uses it: a reason given is kept with the exclusion.
    monkeypatch.setattr(data, "ask_reason", lambda parent, what: "haemolysed sample")
    assert window.data.exclude_row(0)
    assert "haemolysed sample" in {x.reason for x in window.doc.case.exclusions}
    monkeypatch.setattr(data, "ask_reason", lambda parent, what: None)
    assert not window.data.exclude_row(1)


def test_a_lab_export_on_the_command_line_opens_the_import_assistant(qapp, monkeypatch, tmp_path):
    from desktop import app, cli
    from desktop.main_window import MainWindow

    labs = tmp_path / "two_patients.xlsx"
    labs.write_bytes(b"")
    args = cli._gui_args([str(labs)])
    assert args.project == labs
    opened = []
    monkeypatch.setattr(MainWindow, "open_labs", lambda self, path=None: opened.append(("labs", path)))
    monkeypatch.setattr(MainWindow, "open_project", lambda self, path: opened.append(("project", path)))
    monkeypatch.setattr(app, "_finish", lambda app_, window, screenshot, hook: (QApplication.processEvents(),
                                                                               hook.uninstall(), window.close(), 0)[-1])
    assert app.run_gui([labs]) == 0
    assert opened == [("labs", labs)]
    opened.clear()
    project = tmp_path / "case.nadir"
    assert app.run_gui([project]) == 0
    assert opened == [("project", project)]


def test_an_error_names_the_file_once():
    from analysis.errors import InputError
    from desktop.dialogs.errors import describe

    _, what, _ = describe(InputError("two_patients.xlsx is not a Nadir project file.", "/x/two_patients.xlsx"))
    assert what.count("two_patients.xlsx") == 1
    _, what, _ = describe(InputError("has no dates", "/x/labs.xlsx"))
    assert what.startswith("labs.xlsx has no dates")


def test_panel_b_of_an_import_is_the_first_cycle_with_draws():
    from types import SimpleNamespace

    from desktop.dialogs.case_import import default_settings

    cycles = [SimpleNamespace(number=1, draws=()), SimpleNamespace(number=2, draws=(1,)),
              SimpleNamespace(number=3, draws=(1, 2, 3))]
    assert default_settings(SimpleNamespace(cycles=cycles)).panel_b == "cycle:3"
    assert default_settings(SimpleNamespace(cycles=cycles[:1])).panel_b == "none"


def test_units_and_dates_read_as_in_the_rest_of_the_window(window):
    from desktop.display import unit_nowrap, unit_text

    assert unit_text("10^3/uL") == "×10³/µL"
    assert unit_text("g/dL") == "g/dL"
    assert "\n" not in unit_nowrap("10^3/uL") and unit_nowrap("10^3/uL").replace("\u2060", "") == "×10³/µL"
    model = window.data.model
    cols = [name for name, _ in __import__("desktop.panels.data", fromlist=["COLUMNS"]).COLUMNS]
    frame = model.frame()
    row = int((frame["unit"] == "10^3/uL").to_numpy().argmax())
    assert model.data(model.index(row, cols.index("unit"))) == "×10³/µL"
    assert frame["unit"].iat[row] == "10^3/uL"  # the data keep their spelling
    when = model.data(model.index(row, cols.index("time")))
    assert when[2] == " " and when[3:6].isalpha(), when  # "06 Sep 2022 …", not "2022-09-06"


def test_other_analytes_carry_their_units(window):
    from analysis.model import HGB, WBC

    window.chart.set_secondary((WBC, HGB))
    labels = {code: plot.unit_label.textItem.toPlainText() for code, plot in window.chart.secondary_plots.items()}
    assert labels == {WBC: "WBC, ×10³/µL", HGB: "Hb, g/dL"}
