"""What makes the window findable: the toolbar, the standard shortcuts, Help with the user guide
and the shortcut list, and Undo/Redo that work wherever the keyboard focus is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]


def _keys(action) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)


def test_toolbar_has_the_everyday_actions_with_icons_and_tooltips(window):
    actions = [a for a in window.toolbar.actions() if not a.isSeparator()]
    labels = [a.iconText() for a in actions]
    assert labels == ["Open", "Infusions", "Events", "Add event", "Undo", "Redo", "Export", "Copy"]
    for action in actions:
        assert not action.icon().isNull(), action.iconText()
        assert action.toolTip() and action.toolTip() != action.iconText(), action.iconText()
    assert "(Ctrl+E)" in window.export_action.toolTip()
    assert window.toolbar.isVisible()


def test_standard_shortcuts(window):
    assert _keys(window.open_action) == "Ctrl+O"
    assert _keys(window.save_action) == "Ctrl+S"
    assert _keys(window.save_as_action) == "Ctrl+Shift+S"
    assert _keys(window.export_action) == "Ctrl+E"
    assert _keys(window.copy_action) == "Ctrl+C"
    # Ctrl+N opened a lab export: no action may take "new" for something else.
    from PySide6.QtGui import QAction

    assert not [a.text() for a in window.findChildren(QAction) if _keys(a) == "Ctrl+N"]


def test_ctrl_z_in_a_date_field_undoes_the_window_change(window, qtbot):
    edit = window.cycles.start_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClick(edit, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(edit, "21 Oct 2022")
    qtbot.keyClick(edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.doc.case.window[0] == date(2022, 10, 21))
    assert edit.hasFocus()
    qtbot.keyClick(edit, Qt.Key_Z, Qt.ControlModifier)  # focus still in the field
    qtbot.waitUntil(lambda: window.doc.case.window[0] == date(2022, 9, 6))
    assert edit.text() == "06 Sep 2022"
    redo = window.redo_action.shortcut()[0]  # Ctrl+Shift+Z or Ctrl+Y, as the platform has it
    qtbot.keyClick(edit, redo.key(), redo.keyboardModifiers())
    qtbot.waitUntil(lambda: window.doc.case.window[0] == date(2022, 10, 21))


def test_ctrl_z_while_typing_still_undoes_the_typing(window, qtbot):
    edit = window.cycles.start_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "x")
    assert edit.text().endswith("x")
    depth = window.doc.undo_stack.index()
    qtbot.keyClick(edit, Qt.Key_Z, Qt.ControlModifier)
    assert not edit.text().endswith("x")
    assert window.doc.undo_stack.index() == depth


def test_help_opens_the_bundled_user_guide_inside_the_app(window, qtbot):
    from desktop.help import docs_folder

    assert docs_folder() == ROOT / "docs"
    window.show_guide()
    guide = window.guide
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    assert "From an Excel export to a submitted figure" in text
    assert "Export the data from the hospital record" in text
    assert guide.browser.source().isLocalFile()  # read from disk, no network
    guide.close()


def test_the_frozen_app_bundles_the_guide_and_its_pictures():
    import sys

    sys.path.insert(0, str(ROOT / "installer"))
    import bundle_rules

    bundled = {src for src, _dest in bundle_rules.DATAS}
    assert "docs/user-guide.md" in bundled and "docs/images" in bundled
    assert dict(bundle_rules.DATAS)["docs/user-guide.md"] == "docs"


def test_the_shortcut_list_names_every_shortcut(window, qtbot):
    from desktop.help import ShortcutsDialog, shortcut_rows

    rows = dict(shortcut_rows(window))
    assert rows["File › Export figure…"] == QKeySequence("Ctrl+E").toString(QKeySequence.SequenceFormat.NativeText)
    assert any(k.startswith(QKeySequence("Ctrl+Z").toString(QKeySequence.SequenceFormat.NativeText))
               for k in rows.values())
    dialog = ShortcutsDialog(window)
    assert dialog.table.rowCount() == len(rows)
    dialog.deleteLater()


def test_copy_figure_puts_the_publication_figure_on_the_clipboard(window, qtbot):
    QGuiApplication.clipboard().clear()
    window.copy_action.trigger()
    mime = QApplication.clipboard().mimeData()
    assert mime.hasImage()
    assert bytes(mime.data("image/svg+xml")).lstrip().startswith(b"<?xml")
    assert "Copied the figure" in window.statusBar().currentMessage()
    QGuiApplication.clipboard().clear()  # an image left on the offscreen clipboard crashes Qt at exit


def test_changed_infusions_are_one_undoable_step(window, monkeypatch):
    from datetime import datetime

    from analysis.treatment.medications import regimen
    from desktop.dialogs import case_import

    before = window.doc.case.administrations
    new = tuple(regimen(datetime(2022, 9, 6, 9), 28, 4, 2.0, "g/kg"))
    seen = {}

    def choose(win, labs, sources, *, current=()):
        seen["current"] = current
        return new, None, None

    monkeypatch.setattr(case_import, "choose_infusions", choose)
    window.infusions_action.trigger()
    assert seen["current"] == before  # the hand-entry list starts from the case's infusions
    assert window.doc.case.administrations == new
    assert len(window.doc.case.cycles) == 4
    window.undo_action.trigger()
    assert window.doc.case.administrations == before


def test_any_cycle_in_the_table_can_be_put_in_panel_b(window, qtbot):
    panel = window.cycles
    assert window.doc.settings.panel_b != "cycle:4"
    panel.table.selectRow(3)
    assert panel.panel_b_button.isEnabled()
    panel.panel_b_button.click()
    assert window.doc.settings.panel_b == "cycle:4"
    assert "panel B" in panel.table.item(3, 7).text()
    window.undo_action.trigger()
    assert window.doc.settings.panel_b != "cycle:4"
    panel.table.scrollToItem(panel.table.item(1, 0))
    rect = panel.table.visualItemRect(panel.table.item(1, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.doc.settings.panel_b == "cycle:2")


def test_the_cycles_panel_chooses_which_events_leave_a_cycle_out(window):
    panel = window.cycles
    assert panel.leave_out_actions["infection"].isChecked()
    assert "Infection" in panel.leave_out_button.text()
    panel.leave_out_actions["gcsf"].trigger()
    assert window.doc.case.rules.leave_out == ("gcsf",)
    assert "G-CSF" in panel.leave_out_button.text()
    panel.leave_out_actions["infection"].trigger()
    assert not window.doc.case.rules.exclude_infection
    assert all(c.included for c in window.doc.case.cycles)  # the demo has no G-CSF
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.doc.case.rules.left_out_kinds() == ("infection",)
    assert panel.leave_out_actions["infection"].isChecked() and not panel.leave_out_actions["gcsf"].isChecked()


@pytest.mark.real_modals  # the test closes the real dialogs from timers
def test_the_help_menu_opens_the_guide_and_the_shortcut_list(window, qtbot):
    """Help's own items, triggered as the menu does: the guide inside the app (F1 too), the list
    of shortcuts in a dialog."""
    from PySide6.QtCore import QTimer

    from desktop.help import GuideWindow, ShortcutsDialog

    menus = window.menuBar().actions()
    help_menu = next(a for a in menus if a.text().replace("&", "") == "Help").menu()
    items = {a.text().replace("&", ""): a for a in help_menu.actions() if not a.isSeparator()}
    guide = items["User guide"]
    assert guide.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    guide.trigger()
    qtbot.waitUntil(lambda: isinstance(getattr(window, "guide", None), GuideWindow) and window.guide.isVisible())
    assert "From an Excel export to a submitted figure" in window.guide.browser.toPlainText()
    window.guide.close()
    seen = []

    def look() -> None:
        top = QApplication.activeModalWidget()
        if isinstance(top, ShortcutsDialog):
            seen.append(top.table.rowCount())
            top.reject()
        else:
            QTimer.singleShot(30, look)

    QTimer.singleShot(30, look)
    items["Keyboard shortcuts"].trigger()
    assert seen and seen[0] >= 10
