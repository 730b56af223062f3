"""The main window: the chart in the middle, Cycles, Events and Data docked around it.

This module only composes: the chart, panels, welcome page and project handling live in their
own modules, and every edit they make is a command on the document's undo stack.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .chart.view import SECONDARY, ChartView
from .commands import FigureSettingCommand
from .document import CaseDocument
from .drops import FileDropTarget, kind_of, open_table, open_tables
from .folders import remember as remember_folder
from .folders import start_folder
from .help import GuideWindow, ShortcutsDialog
from .panels.cycles import CyclesPanel, fmt
from .panels.data import DataPanel
from .panels.events import EventsPanel
from .session import Session, show_error
from .toolbar import build_toolbar
from .undo_keys import WindowUndoKeys
from .welcome import WelcomePage

DEFAULT_SIZE = (1400, 900)
SCREEN_SHARE = 0.92  # of the screen's free area, so that the whole window is on a laptop screen


TABLES_MAX_PX = 300  # the docked tables' first height in a tall window (of 900 px)
CHART_KEEPS_PX = 476  # what a short window keeps for the toolbar, the chart and panel B's notes
TABLES_MIN_PX = 130  # the column headings and three rows of the Cycles table


def tables_height(window_height: int) -> int:
    """The docked tables' first height: about a third of a tall window, but on a short one (a
    1280 x 720 screen, or 1920 x 1080 at 150 %) only what the chart leaves: the chart is the
    work, the tables scroll (the user drags the dock's edge for more)."""
    return max(TABLES_MIN_PX, min(TABLES_MAX_PX, int(window_height * 0.36), window_height - CHART_KEEPS_PX))


def fit_to_screen(available: QRect, size: tuple[int, int] = DEFAULT_SIZE, share: float = SCREEN_SHARE) -> QRect:
    """The window's first frame: ``size``, or ``share`` of ``available`` where that is smaller,
    centred in ``available`` (a 1366 × 768 laptop has no room for 1400 × 900)."""
    width = min(size[0], int(available.width() * share))
    height = min(size[1], int(available.height() * share))
    frame = QRect(0, 0, width, height)
    frame.moveCenter(available.center())
    return frame


class MainWindow(FileDropTarget, QMainWindow):
    def __init__(self, doc: CaseDocument | None = None, *, remember: bool = True):
        """``remember=False`` (screenshots, tests) neither restores nor saves window geometry."""
        super().__init__()
        self.remember = remember
        self.doc = doc or CaseDocument(parent=self)
        self.session = Session(self, self.doc)
        self.setWindowTitle("Nadir")
        self.setDockOptions(QMainWindow.AnimatedDocks | QMainWindow.AllowTabbedDocks)

        self.chart = ChartView(self.doc)
        self.welcome = WelcomePage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.chart)
        # Files that do not fit together (another patient's infusions, other years): said above
        # the chart for as long as it is true, not only in a message that scrolls away.
        self.fit_banner = QLabel()
        self.fit_banner.setObjectName("fitBanner")
        self.fit_banner.setWordWrap(True)
        self.fit_banner.setTextFormat(Qt.PlainText)
        self.fit_banner.setStyleSheet("#fitBanner { background: #fde7e9; color: #a4262c; "
                                      "border-bottom: 1px solid #a4262c; padding: 6px 10px; font-weight: 600; }")
        self.fit_banner.hide()
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.fit_banner)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)  # a lab export or a project dropped anywhere on the window
        self._fit_warnings: list[str] = []

        self.cycles = CyclesPanel(self.doc)
        self.events = EventsPanel(self.doc)
        self.data = DataPanel(self.doc)
        # The chart gets the full width; the tables share the bottom as tabs, Cycles in front.
        self.cycles_dock = self._dock("Cycles", self.cycles, Qt.BottomDockWidgetArea)
        self.events_dock = self._dock("Events", self.events, Qt.BottomDockWidgetArea)
        self.data_dock = self._dock("Data", self.data, Qt.BottomDockWidgetArea)
        self.tabifyDockWidget(self.cycles_dock, self.events_dock)
        self.tabifyDockWidget(self.events_dock, self.data_dock)
        self.cycles_dock.raise_()

        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)

        self._menus()
        self.toolbar = build_toolbar(self)
        # Ctrl+Z and Ctrl+Shift+Z reach the window's undo stack also from a date field.
        self._undo_keys = WindowUndoKeys(self)
        self._undo_keys.watch(self)
        self._connect()
        self.welcome.set_recent(self.session.recent())
        self._restore_geometry()
        self._document_changed()

    # --- construction -------------------------------------------------------------------------

    def _dock(self, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        self._file_menu(bar.addMenu("&File"))
        self._edit_menu(bar.addMenu("&Edit"))
        self._view_menu(bar.addMenu("&View"))
        self._help_menu(bar.addMenu("&Help"))

    def _file_menu(self, file) -> None:
        self.open_action = self._action(file, "&Open…", self.open_any, QKeySequence.Open,
                                        "Open a lab export or a Nadir project")
        self._action(file, "Open &lab export…", lambda: self.open_labs(None), None,
                     "Read a lab export (Excel or CSV) with the import assistant")
        self._action(file, "Open &project…", lambda: self.open_project(None), "Ctrl+Shift+O")
        self._action(file, "Load e&vents table…", lambda: self.events.load_events_file(None), None,
                     "Add the events of a table (infections, fever, hospital stays) to the open case")
        self.events_assistant_action = self._action(
            file, "Events table assis&tant…", lambda: self.events.events_assistant(None), None,
            "Choose how an events table is read: sheet, header row, the date, description and category columns")
        self.recent_menu = file.addMenu("Open &recent")
        self._action(file, "Open the &demo case", self.open_demo)
        file.addSeparator()
        self.save_action = self._action(file, "&Save", self.session.save, QKeySequence.Save)
        # Spelled out: QKeySequence.SaveAs is empty on Windows.
        self.save_as_action = self._action(file, "Save &as…", self.session.save_as, "Ctrl+Shift+S")
        file.addSeparator()
        self.infusions_action = self._action(file, "Change the &infusions…", self.change_infusions, "Ctrl+I",
                                             "Replace the infusions: open an infusion record or type them in")
        self.record_assistant_action = self._action(
            file, "Infusion record assista&nt…", lambda: self._dialog("infusion_record_assistant", self, self.doc),
            None, "Check or correct how the infusion record is read: sheet, header row, columns, action words")
        file.addSeparator()
        self.export_action = self._action(file, "&Export figure…", self.export_figure, "Ctrl+E",
                                          "Export the publication figure (PDF, SVG, EPS, TIFF, PNG)")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.Quit)

    def _edit_menu(self, edit) -> None:
        self.undo_action = self.doc.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.Undo)
        self.redo_action = self.doc.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.Redo)
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        for action, tip in ((self.undo_action, "Undo the last change"), (self.redo_action, "Redo what was undone")):
            action.setStatusTip(tip)
        edit.addSeparator()
        self.copy_action = self._action(edit, "&Copy figure", self.copy_figure, QKeySequence.Copy,
                                        "Copy the publication figure, to paste into Word or PowerPoint")
        edit.addSeparator()
        self.add_event_action = self._action(edit, "Add &event…", lambda: self.events.add_event(), "Ctrl+Shift+E",
                                             "Add an infection, G-CSF, a hospitalisation or another event")
        self._action(edit, "E&xclude selected value…", self.data.exclude_selected)

    def _view_menu(self, view) -> None:
        group = QActionGroup(self)
        self.axis_actions = {}
        for key, text in (("days", "X axis in &days since first infusion"), ("dates", "X axis in calendar d&ates")):
            action = QAction(text, self, checkable=True)
            action.triggered.connect(lambda _=False, k=key: self.set_axis(k))
            group.addAction(action)
            view.addAction(action)
            self.axis_actions[key] = action
        view.addSeparator()
        self.setting_actions = {}
        for key, text in (("show_severity", "&Severity lines (mild, moderate, severe)"),
                          ("show_reference_range", "&Reference range of the lab"),
                          ("show_stats_text", "S&tatistics beside the figure")):
            action = QAction(text, self, checkable=True)
            action.triggered.connect(lambda on, k=key, t=text.replace("&", ""): self.doc.push(
                FigureSettingCommand(self.doc, f"{'Show' if on else 'Hide'} {t.lower()}", **{k: on})))
            view.addAction(action)
            self.setting_actions[key] = action
        self.format_action = self._action(view, "&Format graph…", lambda: self._dialog("format_figure", self, self.doc),
                                          "Ctrl+Shift+F", "Axis range and ticks, axis titles, marker size, line width")
        view.addSeparator()
        self.secondary_action = QAction("&Other analytes under the ANC (WBC, lymphocytes, Hb, platelets)", self, checkable=True)
        self.secondary_action.toggled.connect(self.show_secondary)
        view.addAction(self.secondary_action)
        self._action(view, "Show the whole &window", self.chart.reset_view, "Home")
        view.addSeparator()
        for dock in (self.cycles_dock, self.events_dock, self.data_dock):
            view.addAction(dock.toggleViewAction())
        self.events_action = self._action(view, "&Events", self.show_events, "Ctrl+Shift+V",
                                          "Show the list of events (infections, G-CSF, hospitalisations)")

    def _help_menu(self, help_menu) -> None:
        self._action(help_menu, "&User guide", self.show_guide, QKeySequence.HelpContents,
                     "The user guide, from an Excel export to a submitted figure")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "Ctrl+/")
        self._action(help_menu, "&Chart controls", self.show_controls)
        self._action(help_menu, "&About Nadir", self.about)

    def _connect(self) -> None:
        self.doc.changed.connect(self._document_changed)  # menus, status line, banner: cheap
        self.doc.pathChanged.connect(self._update_title)
        self.doc.modifiedChanged.connect(self.setWindowModified)
        self.session.recentChanged.connect(self._update_recent)
        self.welcome.openLabsRequested.connect(self.open_labs)
        self.welcome.openProjectRequested.connect(self.open_project)
        self.welcome.demoRequested.connect(self.open_demo)
        self.welcome.fileDropped.connect(self.open_path_later)
        self.welcome.filesDropped.connect(self.files_dropped)
        self.data_dock.visibilityChanged.connect(self.data.seen)
        self.cycles.cycleSelected.connect(self.chart.zoom_to)
        self.chart.addEventRequested.connect(lambda start, end: self.events.add_event(start, end))
        self.events.default_day = self.chart.visible_middle
        self.chart.excludeRequested.connect(self.exclude_key)
        self.chart.hovered.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._update_recent()

    # --- state ----------------------------------------------------------------------------------

    def _keep_height(self, height: int) -> None:
        self.layout().activate()  # the minimum of the moment the docks came: welcome page and docks
        if self.height() > height and not (self.isMaximized() or self.isFullScreen()):
            self.resize(self.width(), max(height, self.minimumSizeHint().height()))

    def _document_changed(self) -> None:
        has_case = self.doc.case is not None
        self.stack.setCurrentWidget(self.chart if has_case else self.welcome)
        # A stack is as large as its largest page; the hidden page must not keep the window
        # taller than a small or scaled screen (the welcome page needs 380 px, the chart 70).
        for page in (self.welcome, self.chart):
            policy = QSizePolicy.Preferred if page is self.stack.currentWidget() else QSizePolicy.Ignored
            page.setSizePolicy(policy, policy)
        if has_case != getattr(self, "_had_case", None):  # docks follow the page, then the user
            self._had_case = has_case
            height = self.height()
            for dock in (self.cycles_dock, self.events_dock, self.data_dock):
                dock.setVisible(has_case)
            if has_case and self.isVisible():
                # Each dock shown made the window taller by its height: at 150 % on a
                # 1280 x 720 screen (853 x 480 px) 474 px became 543, the tabs and the status
                # bar below the screen's edge. The window keeps its height; the docks share it.
                QTimer.singleShot(0, lambda: self._keep_height(height))
            if has_case and not self._docks_sized:
                # Sized when first shown (hidden docks keep no size); a restored state has sizes.
                self._docks_sized = True
                self.resizeDocks([self.cycles_dock], [tables_height(self.height())], Qt.Vertical)
        for action in (self.save_action, self.save_as_action, self.export_action, self.add_event_action,
                       self.copy_action, self.infusions_action, self.events_action, self.format_action,
                       self.record_assistant_action, self.events_assistant_action,
                       *self.axis_actions.values(), *self.setting_actions.values()):
            action.setEnabled(has_case)
        if has_case:
            settings = self.doc.settings
            self.axis_actions.get(settings.axis, self.axis_actions["days"]).setChecked(True)
            for key, action in self.setting_actions.items():
                action.setChecked(bool(getattr(settings, key)))
            self._update_status()
        self._show_fit_warnings()
        self._update_title()

    def _show_fit_warnings(self) -> None:
        """Case.fit_warnings in the banner, and once in the status bar when they change."""
        case = self.doc.case
        warnings = list(case.fit_warnings()) if case is not None else []
        self.fit_banner.setText("\n".join(warnings))
        self.fit_banner.setVisible(bool(warnings))
        if warnings and warnings != self._fit_warnings:
            self.statusBar().showMessage(warnings[0], 15000)
        self._fit_warnings = warnings

    def _update_title(self) -> None:
        name = self.doc.path.name if self.doc.path else (
            Path(self.doc.sources["labs"]).name if self.doc.sources.get("labs") else "")
        self.setWindowTitle(f"{name}[*] — Nadir" if name else "Nadir")
        self.setWindowModified(self.doc.modified)

    def _update_status(self) -> None:
        case = self.doc.case
        cycles = list(case.cycles)
        s = case.summary
        left_out = sum(1 for c in cycles if not c.included)
        f = fmt  # the numbers of the report, the figure and the Cycles panel

        text = (f"{len(cycles)} cycles" + (f" ({left_out} left out)" if left_out else "")
                + f"   ·   pre-infusion median {f(s.pre.median)}   ·   day after {f(s.post.median)}"
                + f"   ·   nadir {f(s.nadir.median)}  ×10³/µL")
        self.status.setText(text)

    def _update_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.session.recent()
        for path in recent:
            self.recent_menu.addAction(path.name, lambda p=path: self.open_project(p)).setToolTip(str(path))
        self.recent_menu.setEnabled(bool(recent))
        self.welcome.set_recent(recent)

    # --- actions --------------------------------------------------------------------------------

    def open_demo(self) -> None:
        from analysis.demo import demo_paths, load_demo

        try:
            case = load_demo()
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        labs, infusions, events = demo_paths()
        self.load_case(case, sources={"labs": labs, "infusions": infusions, "events": events})

    def load_case(self, case, *, sources: dict, settings=None) -> None:
        if not self.maybe_save():
            return
        self.doc.load(case, settings, sources=sources)

    def open_project(self, path: Path | None) -> None:
        if self.maybe_save():
            self.session.open(path)

    def open_labs(self, path: Path | None = None, dictionary: Path | None = None) -> None:
        """The import assistant, for ``path`` or a file the user chooses; ``dictionary`` names the
        test codes of ``path`` (the two were dropped together)."""
        if path is None:
            self._dialog("import_case", self)
        elif dictionary is None:
            self._dialog("import_case", self, Path(path))
        else:
            self._dialog("import_case", self, Path(path), Path(dictionary))

    def open_path(self, path) -> bool:
        """Open what the user dropped or the system handed over: a project, or a lab export
        (through the import assistant). False for a file Nadir does not open."""
        kind = kind_of(path)
        if kind == "project":
            self.open_project(Path(path))
        elif kind == "labs":
            open_table(self, Path(path))
        return kind is not None

    # --- drag and drop --------------------------------------------------------------------------

    def file_dropped(self, path) -> None:
        self.open_path_later(path)

    def files_dropped(self, paths) -> None:
        """Several files at once (an extract and its dictionary; the labs, infusions and events), once
        the drop has finished."""
        QTimer.singleShot(0, self, lambda: open_tables(self, list(paths)))

    def open_path_later(self, path) -> None:
        """:meth:`open_path` once the drop has finished: the assistant is modal, and the program
        the file was dragged from waits until the drop returns."""
        QTimer.singleShot(0, self, lambda: self.open_path(path))

    def export_figure(self) -> None:
        self._dialog("export_figure", self, self.doc)

    def copy_figure(self) -> None:
        if self.doc.case is not None:
            self._dialog("copy_figure", self, self.doc)

    def change_infusions(self) -> None:
        if self.doc.case is not None:
            self._dialog("change_infusions", self, self.doc)

    def show_events(self) -> None:
        self.events_dock.show()
        self.events_dock.raise_()
        self.events.setFocus()

    def open_any(self) -> None:
        """Ctrl+O: a lab export (through the import assistant) or a project, by its kind."""
        from .dialogs.case_import import open_any_filter

        chosen, _ = QFileDialog.getOpenFileName(self, "Open a lab export or a project",
                                                str(start_folder(self.doc.sources)), open_any_filter())
        if chosen:
            remember_folder(chosen)
            self.open_path(Path(chosen))

    def show_guide(self) -> None:
        if getattr(self, "guide", None) is None:
            self.guide = GuideWindow(self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self)
        dialog.exec()
        dialog.deleteLater()

    def _dialog(self, name: str, *args):
        """Call a function of ``desktop.dialogs`` (the import and export dialogs)."""
        try:
            module = importlib.import_module("desktop.dialogs")
            function = getattr(module, name)
        except (ImportError, AttributeError):
            QMessageBox.information(self, "Nadir", "This part of Nadir is not available in this version yet.")
            return None
        try:
            return function(*args)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return None

    def set_axis(self, axis: str) -> None:
        if self.doc.case is not None and self.doc.settings.axis != axis:
            self.doc.push(FigureSettingCommand(self.doc, "Change the x axis", axis=axis))

    def show_secondary(self, on: bool) -> None:
        self.chart.set_secondary(SECONDARY if on else ())
        QSettings().setValue("chart/secondary", bool(on))

    def exclude_key(self, key) -> None:
        frame = self.data.model.frame()
        anc = self.doc.case.anc
        if key not in anc.index:
            return
        row = anc.loc[key]
        match = frame.index[(frame["file"] == row["file"]) & (frame["row"] == row["row"])
                            & (frame["column"] == row["column"]) & (frame["analyte"] == row["analyte"])]
        if len(match):
            self.data_dock.show()
            self.data.select_row(int(match[0]))
            self.data.exclude_row(int(match[0]))

    def show_controls(self) -> None:
        QMessageBox.information(self, "Chart controls", (
            "Drag to pan; mouse wheel to zoom (over an axis: that axis only).\n"
            "Arrow keys pan, + and − zoom, Home shows the whole analysis window.\n"
            "Click a day or a value to add an event or exclude the value;\n"
            "Shift+drag across days to add an event lasting several days.\n"
            "Drag an infusion marker or an event line to correct its date.\n"
            "Drag the shaded region of the bottom strip to choose the analysis window."))

    def about(self) -> None:
        QMessageBox.about(self, "About Nadir", (
            "<b>Nadir</b><br>The absolute neutrophil count against drug infusions, per treatment cycle.<br><br>"
            "Source files are only read, never written."))

    # --- closing and geometry -------------------------------------------------------------------

    def maybe_save(self) -> bool:
        """Ask before discarding unsaved work; True when it is fine to go on."""
        if self.doc.case is None or not self.doc.modified:
            return True
        answer = QMessageBox.question(self, "Save changes?", "The case has unsaved changes. Save them first?",
                                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        if answer == QMessageBox.Save:
            return self.session.save()
        if answer == QMessageBox.Discard:
            self.session.discard_recovery()
            return True
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802
        """A window made shorter takes the height from the chart alone (Qt keeps a dock's
        size): docked tables taller than a window of this height would get are brought down to
        that, so the chart and panel B's notes keep their room; taller windows leave them be."""
        super().resizeEvent(event)
        dock = self.cycles_dock
        if event.size().height() < event.oldSize().height() and dock.isVisible() and not dock.isFloating():
            wanted = tables_height(event.size().height())
            if dock.height() > wanted:
                self.resizeDocks([dock], [wanted], Qt.Vertical)

    def closeEvent(self, event) -> None:  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self.session.close()
        if not self.remember:
            event.accept()
            return
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        event.accept()

    def _restore_geometry(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(fit_to_screen(screen.availableGeometry()))
        else:
            self.resize(*DEFAULT_SIZE)
        self._docks_sized = False  # the tables get their first height when they first show
        if not self.remember:
            return
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self._docks_sized = self.restoreState(state)
        self.secondary_action.setChecked(str(settings.value("chart/secondary", False)).lower() == "true")
