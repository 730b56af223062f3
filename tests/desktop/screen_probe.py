"""Open every window and dialog on a screen of a given size and scale, and say what does not fit.

Run by ``test_screen_fit.py`` in a fresh process per screen: Qt fixes the screen's size and
scale factor when it starts, so each size needs its own QApplication. Prints one JSON object:
for each window, its frame, the available screen area and the action buttons that lie outside
the screen or outside their window (empty lists mean everything fits).
"""

from __future__ import annotations

import json
import sys
import tempfile
from itertools import pairwise
from pathlib import Path

from PySide6.QtWidgets import QTabBar


def _buttons_outside(widget, available) -> list[str]:
    """Visible push buttons not inside a scroll area that lie (partly) off the screen or off the
    window: the buttons a user must always be able to reach."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractScrollArea, QDockWidget, QPushButton

    outside = []
    inner = widget.rect()
    for button in widget.findChildren(QPushButton):
        if not button.isVisibleTo(widget) or button.width() <= 1:
            continue
        parent, scrolled = button.parentWidget(), False
        while parent is not None and parent is not widget:
            # Buttons in a scroll area can be scrolled to; a dock behind another dock's tab is
            # one click away.
            if isinstance(parent, QAbstractScrollArea) or (
                    isinstance(parent, QDockWidget) and parent.visibleRegion().isEmpty()):
                scrolled = True
                break
            parent = parent.parentWidget()
        if scrolled:
            continue
        local = QRect(button.mapTo(widget, button.rect().topLeft()), button.size())
        on_screen = QRect(button.mapToGlobal(button.rect().topLeft()), button.size())
        if not inner.contains(local) or not available.contains(on_screen):
            outside.append(f"{button.text().replace('&', '')} at {on_screen.getRect()}")
    return outside


def _room(window) -> dict:
    """How the main window shares its height (the chart, the docked tables with their tabs)
    and which of panel B's notes touch each other or leave its plot."""
    chart, dock = window.chart, window.cycles_dock
    tabs = max((bar.height() for bar in window.findChildren(QTabBar) if bar.isVisible()), default=0)
    labels = [(item.toPlainText(), item.textItem.sceneBoundingRect()) for item in chart.drawn_b.texts
              if hasattr(item, "textItem") and item.isVisible()] if chart.drawn_b is not None else []
    box = chart.plot_b.getViewBox().sceneBoundingRect() if chart.plot_b is not None else None
    table, summary = window.cycles.table, window.cycles.summary
    shown = table.viewport().height()
    return {
        "plot_a_height": chart.plot.getViewBox().sceneBoundingRect().height(),
        # Rows of the Cycles table in full view, and the summary beside it not scrolled or cut.
        "cycle_rows": sum(1 for r in range(table.rowCount())
                          if 0 <= table.rowViewportPosition(r) <= shown - table.rowHeight(r)),
        "summary_cut": summary.visibleRegion().boundingRect().size() != summary.size(),
        "window_height": window.height(),
        "chart_height": chart.height(),
        "tables_height": dock.height() + tabs,
        "panel_b_height": box.height() if box is not None else 0,
        "notes": len(labels),
        "notes_touching": [f"{a} / {b}" for i, (a, ra) in enumerate(labels) for b, rb in labels[i + 1:]
                           if ra.intersects(rb)],
        "notes_outside": [a for a, r in labels if box is not None and not box.contains(r)],
        # The Cycles panel's controls in full view as the window opens, not scrolled out of it.
        "controls_cut": [w.text() for w in (window.cycles.panel_b_button, window.cycles.leave_out_button)
                         if w.visibleRegion().boundingRect().size() != w.size()],
    }


def _report(name, widget, app) -> dict:
    from PySide6.QtTest import QTest

    widget.show()
    for _ in range(5):
        app.processEvents()
        QTest.qWait(20)
    screen = widget.screen() or app.primaryScreen()
    available = screen.availableGeometry()
    frame = widget.frameGeometry()
    return {
        "name": name,
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "available": [available.x(), available.y(), available.width(), available.height()],
        "fits": available.contains(frame),
        "buttons_outside": _buttons_outside(widget, available),
        "panes_overlap": _panes_overlap(widget),
    }


def _panes_overlap(widget) -> list[str]:
    """Side-by-side panes of a splitter that lie over each other or are narrower than they need
    (at 853 x 480 the assistants' results pane lay over the settings pane's scroll bar)."""
    from PySide6.QtWidgets import QSplitter

    found = []
    for splitter in widget.findChildren(QSplitter):
        if not splitter.isVisibleTo(widget):
            continue
        panes = [splitter.widget(i) for i in range(splitter.count()) if splitter.widget(i).isVisibleTo(widget)]
        vertical = splitter.orientation().name == "Vertical"
        for pane in panes:
            need = pane.minimumSizeHint()
            if (pane.height() < need.height()) if vertical else (pane.width() < need.width()):
                found.append(f"{type(pane).__name__} {pane.geometry().getRect()} needs {need.toTuple()}")
        for first, second in pairwise(panes):
            if first.geometry().intersects(second.geometry()):
                found.append(f"{first.geometry().getRect()} and {second.geometry().getRect()} overlap")
    return found


def _modal_report(name, open_modal, app) -> dict:
    """Report on the modal dialog ``open_modal()`` shows (a QMessageBox.about or a dialog's
    exec()), read while it is open, then close it: the real menu path, not a copy of the box."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    seen: dict = {}

    def look() -> None:
        dialog = app.activeModalWidget()
        if not isinstance(dialog, QDialog):
            if seen.get("tries", 0) < 100:
                seen["tries"] = seen.get("tries", 0) + 1
                QTimer.singleShot(30, look)
            return
        seen["report"] = _report(name, dialog, app)
        dialog.done(0)

    QTimer.singleShot(30, look)
    open_modal()
    app.processEvents()
    return seen.get("report") or {"name": name, "frame": None, "available": [0, 0, 0, 0], "fits": False,
                                  "buttons_outside": ["the dialog never opened"]}


def main() -> int:
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tempfile.mkdtemp())

    from analysis.demo import demo_paths, load_demo
    from desktop.app import make_app
    from desktop.dialogs.errors import ErrorDialog
    from desktop.dialogs.events_dialog import EventImportAssistant
    from desktop.dialogs.export_dialog import ExportDialog
    from desktop.dialogs.format_dialog import FormatDialog
    from desktop.dialogs.infusion_dialog import InfusionImportAssistant
    from desktop.dialogs.lab_import_dialog import LabImportAssistant
    from desktop.dialogs.label_dialog import LabelDialog
    from desktop.dialogs.regimen_dialog import RegimenDialog
    from desktop.help import GuideWindow
    from desktop.main_window import MainWindow
    from desktop.panels.data import ReasonDialog
    from desktop.panels.events import EventDialog

    app = make_app([])
    case = load_demo()
    labs, infusions, events = demo_paths()
    reports = []

    empty = MainWindow(remember=False)
    reports.append(_report("welcome window", empty, app))
    empty.close()

    window = MainWindow(remember=False)
    window.doc.load(case, sources={"labs": labs, "infusions": infusions, "events": events})
    reports.append(_report("main window", window, app))
    reports[-1]["room"] = _room(window)

    dialogs = [
        ("export dialog", lambda: ExportDialog(window, case, window.doc.settings)),
        ("lab import assistant", lambda: LabImportAssistant(window, labs)),
        ("infusion import assistant", lambda: InfusionImportAssistant(window, infusions)),
        ("events import assistant", lambda: EventImportAssistant(window, events)),
        ("manual infusion entry", lambda: RegimenDialog(window)),
        ("event dialog", lambda: EventDialog(window)),
        ("error dialog", lambda: ErrorDialog(window, "Title", "What happened. " * 12, "What to do. " * 8)),
        ("format graph dialog", lambda: FormatDialog(window, window.doc.settings, window.doc.spec())),
        ("label dialog", lambda: LabelDialog(window, "Nadir 0.42", "Nadir 0.42")),
        ("statistics label dialog", lambda: LabelDialog(window, "Median nadir\nday 12", "", multiline=True)),
        ("exclude value dialog", lambda: ReasonDialog(window, "the ANC of 12 Sep 2022")),
        ("user guide", lambda: GuideWindow(window)),
    ]
    for name, make in dialogs:
        dialog = make()
        reports.append(_report(name, dialog, app))
        dialog.done(0)
        dialog.deleteLater()
        app.processEvents()

    # The boxes the menus open with exec() or a static QMessageBox call, opened as the menus do.
    reports.append(_modal_report("keyboard shortcuts", window.show_shortcuts, app))
    reports.append(_modal_report("about box", window.about, app))
    reports.append(_modal_report("chart controls box", window.show_controls, app))

    window.doc.undo_stack.setClean()
    window.doc.mark_saved()
    window.session.discard_recovery()
    window.close()
    json.dump(reports, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    raise SystemExit(main())
