"""The import assistant for an events table (infections, fever, G-CSF, hospital stays).

Left, how the table is read: sheet, header row, date order, and which column holds the date
(or the start and the end), the description and the category, each correctable from the
columns found. Right, the events that will be added with the type each was given, and the file
with the columns read painted on it. It opens when the automatic read fails and on demand;
nothing reaches the case until "Add these events". The choices travel with the events
(``settings``) so that a project reads the table again the same way.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from analysis.errors import ChoiceRequired

from ..screen_fit import fit_window, scrolling
from .events_reader import EventRead, options_of, read_event_table  # noqa: F401 (re-exported)
from .record_assistant import RecordAssistant
from .record_columns import RoleChoices
from .sheet_preview import RawSheetModel, TintLegend
from .widgets import StatusLine, heading, note

ROLE_LABELS = (("start", "Date (or start)"), ("end", "End"), ("duration", "Duration"), ("label", "Description"),
               ("kind", "Category"))
TINT_LABELS = (("header", "Column headings"), ("time", "Dates"), ("test", "Description"), ("result", "Category"))
DATE_CHOICES = ((None, "Automatic"), ("MDY", "Month first (MM/DD/YYYY)"), ("DMY", "Day first (DD/MM/YYYY)"),
                ("YMD", "Year first (YYYY-MM-DD)"))
COLUMNS = ("Type", "Description", "Start", "End")


def _when(value) -> str:
    if value is None:
        return ""
    return f"{value:%d %b %Y}" if (value.hour, value.minute) == (0, 0) else f"{value:%d %b %Y %H:%M}"


def what_to_choose(header_index: int | None, options: dict, searched: int) -> str:
    """What the user can do about a table Nadir could not read, pointing at the row that looks
    like the headings when it lies below the ``searched`` rows and the user has not said it."""
    if header_index is not None and header_index >= searched and not options.get("header_row"):
        return (f"The headings look to be in row {header_index + 1}: set “Column headings in row” to "
                f"{header_index + 1}, or choose the columns on the left (the file is under “The file”).")
    return "Choose the columns on the left: the file is shown under “The file”."


class EventImportAssistant(RecordAssistant):
    """``events`` and ``settings`` hold the table's events and how it was read after accept."""

    def __init__(self, parent: QWidget | None, path: str | Path, first: EventRead | None = None,
                 *, options: dict | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.options: dict = dict(options or {})
        self._first_options = dict(self.options)
        self.events: tuple = ()
        self.settings = None
        self._read: EventRead | None = None
        self.setWindowTitle(f"Import events – {self.path.name}")
        self.setSizeGripEnabled(True)
        fit_window(self, (1100, 700), (900, 560))
        self._start_rereading()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scrolling(self._settings_panel()))
        splitter.addWidget(self._tabs_panel())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 720])
        splitter.setChildrenCollapsible(False)

        self.status = StatusLine()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("Add these events", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Import events from {self.path.name}"))
        layout.addWidget(note("Check the events Nadir found and the type each was given (an infection leaves its "
                              "cycle out of the summary). If a column was read wrongly, choose the right one on "
                              "the left. Nothing is added until you click “Add these events”."))
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        if first is not None:
            self.show_result(first)
        else:
            self.start_read(self.options, f"Reading {self.path.name}…")

    def _settings_panel(self) -> QWidget:
        self.sheet_combo = QComboBox()
        self.header_spin = QSpinBox(minimum=0, maximum=1_000_000)
        self.header_spin.setSpecialValueText("automatic")
        self.header_spin.setToolTip("The row that names the columns (Date, Event, Type …), as Excel numbers rows.")
        self.date_combo = QComboBox()
        for key, text in DATE_CHOICES:
            self.date_combo.addItem(text, key)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Sheet:", self.sheet_combo)
        form.addRow("Column headings in row:", self.header_spin)
        form.addRow("Dates:", self.date_combo)
        self.roles = RoleChoices(ROLE_LABELS)
        box_layout = QVBoxLayout()
        box_layout.addLayout(form)
        box_layout.addWidget(note("Which column holds what:"))
        box_layout.addWidget(self.roles)
        box = QGroupBox("How the table is read")
        box.setLayout(box_layout)
        self.reset_button = QPushButton("Undo my changes")
        self.reset_button.clicked.connect(self.reset_options)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(box)
        layout.addWidget(note("Without a category column the type comes from the description's words "
                              "(“Pneumonie” is an infection); a type Nadir cannot tell is “other”."))
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        self.header_spin.valueChanged.connect(lambda v: self._set_option("header_row", v or None, delay=True))
        self.date_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("date_order", self.date_combo.currentData()))
        self.roles.changed.connect(self.choose_column)
        return panel

    def _tabs_panel(self) -> QWidget:
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.sheet_model = RawSheetModel(self)
        self.sheet_view = QTableView()
        self.sheet_view.setModel(self.sheet_model)
        self.sheet_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sheet_view.verticalHeader().setDefaultSectionSize(22)
        file_page = QWidget()
        file_layout = QVBoxLayout(file_page)
        file_layout.addWidget(self.sheet_view, 1)
        file_layout.addWidget(TintLegend(labels=TINT_LABELS))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "Events")
        self.tabs.addTab(file_page, "The file")
        return self._results_panel(self.tabs)

    # --- reading -------------------------------------------------------------------------------

    def read(self, options: dict) -> EventRead:  # worker thread
        return read_event_table(self.path, options)

    # --- showing -------------------------------------------------------------------------------

    def show_problem(self, text: str) -> None:
        self.status.problem(text)
        self.ok_button.setEnabled(False)

    def show_choice(self, exc: ChoiceRequired) -> None:
        self.show_problem(f"{exc.message} Choose how the dates are written under “Dates” on the left.")

    def show_result(self, read: EventRead) -> None:
        self._read = read
        self._updating = True
        try:
            self.sheet_model.set_rows(read.rows, read.header_index, read.tints)
            self.sheet_view.resizeColumnsToContents()
            if read.header_index is not None:  # the headings in view, below a long letterhead too
                self.sheet_view.scrollTo(self.sheet_model.index(max(read.header_index - 2, 0), 0),
                                         QAbstractItemView.ScrollHint.PositionAtTop)
            self.sheet_combo.clear()
            for name in read.sheets:
                self.sheet_combo.addItem(name or "(text file: one sheet)", name)
            self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findData(read.sheet), 0))
            self.sheet_combo.setEnabled(len(read.sheets) > 1)
            found = read.header_index + 1 if read.header_index is not None else None
            self.header_spin.setSpecialValueText(f"automatic (row {found})" if found else "automatic")
            self.header_spin.setValue(self.options.get("header_row") or 0)
            self.date_combo.setCurrentIndex(max(self.date_combo.findData(self.options.get("date_order")), 0))
            self.roles.show_roles(read.headings, read.roles, self.options.get("columns") or {})
        finally:
            self._updating = False
        self.reset_button.setEnabled(self.options != self._first_options)
        events = tuple(read.table) if read.table is not None else ()
        self._fill_table(events)
        if read.error is None:
            if self.tabs.currentIndex() == 1 and len(events):
                self.tabs.setCurrentIndex(0)  # read at last: the events are what to check now
            kinds = sorted({e.kind for e in events})
            self.summary.setText(f"<b>{len(events)} event{'s' if len(events) != 1 else ''}</b>"
                                 + (f": {', '.join(kinds)}." if kinds else "."))
            self.status.ok("Ready to add these events." if events else "The table holds no events.")
            self.ok_button.setEnabled(bool(events))
            return
        self.summary.setText("")
        if isinstance(read.error, ChoiceRequired):
            self.show_choice(read.error)
            return
        from .errors import describe

        _title, what, _todo = describe(read.error)
        from analysis.treatment.events import HEADER_SEARCH_ROWS

        self.show_problem(f"{what} {what_to_choose(read.header_index, self.options, HEADER_SEARCH_ROWS)}")
        self.tabs.setCurrentIndex(1)

    def _fill_table(self, events) -> None:
        from ..panels.events import KIND_LABEL

        self.table.setRowCount(len(events))
        for row, event in enumerate(events):
            values = (KIND_LABEL.get(event.kind, event.kind), event.label, _when(event.start), _when(event.end))
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.tabs.setTabText(0, f"Events ({len(events)})" if events else "Events")

    def accept(self) -> None:
        read = self._read
        if self.busy or read is None or read.table is None or not len(read.table):
            return
        self.events = tuple(read.table)
        self.settings = read.table.settings
        super().accept()


def events_assistant(parent: QWidget | None, path: str | Path, options: dict | None = None):
    """The assistant after a first read, or None when the file cannot be opened (said in words)."""
    from ..workers import Cancelled, run_with_progress
    from .errors import show_error

    path = Path(path)
    try:
        first = run_with_progress(parent, f"Reading {path.name}…", read_event_table, path, dict(options or {}))
    except Cancelled:
        return None
    except Exception as exc:  # noqa: BLE001 - shown in words, never as a traceback
        show_error(parent, exc)
        return None
    if first.error is not None and not first.headings:
        show_error(parent, first.error)
        return None
    return EventImportAssistant(parent, path, first, options=options)
