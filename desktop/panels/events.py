"""The Events dock: the annotated events, with Add, Edit, Remove and Load from a file (each an
undoable command). An events table dropped on the dock is loaded the same way.

``EventDialog`` is also what the chart opens after a click or a drag, pre-filled with the
clicked day or the dragged range.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from analysis.model import EVENT_KINDS, Event

from .. import folders
from ..commands import AddEventCommand, AddEventsTableCommand, EditEventCommand, RemoveEventCommand
from ..drops import LAB_SUFFIXES, FileDropTarget

EVENTS_FILTER = "Events tables (" + " ".join(f"*{s}" for s in LAB_SUFFIXES) + ");;All files (*)"

KIND_LABEL = {
    "infection": "Infection",
    "fever": "Fever",
    "gcsf": "G-CSF",
    "medication": "Medication",
    "hospitalisation": "Hospital stay",
    "other": "Other",
}


def _qdate(d) -> QDate:
    return QDate(d.year, d.month, d.day)


class EventDialog(QDialog):
    """Choose the kind, a label and the day (or range of days) of an event."""

    def __init__(self, parent=None, event: Event | None = None, *, start=None, end=None):
        super().__init__(parent)
        self.setWindowTitle("Edit event" if event else "Add event")
        self.kind = QComboBox()
        for kind in EVENT_KINDS:
            self.kind.addItem(KIND_LABEL.get(kind, kind), kind)
        self.label = QLineEdit(placeholderText="e.g. COVID-19 (PCR positive)")
        self.start = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.end = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.has_end = QCheckBox("lasted until")
        start = event.start if event else (start or datetime.now())
        end = (event.end if event else end) or None
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end or start))
        self.has_end.setChecked(end is not None and end.date() != start.date())
        self.end.setEnabled(self.has_end.isChecked())
        self.has_end.toggled.connect(self.end.setEnabled)
        # "Lasted until" is never before the start and follows it while it is not set apart.
        self.end.setMinimumDate(self.start.date())
        self.start.dateChanged.connect(self._start_changed)
        if event:
            self.kind.setCurrentIndex(max(0, self.kind.findData(event.kind)))
            self.label.setText(event.label)
        self._time = start.time() if isinstance(start, datetime) else time()

        ends = QHBoxLayout()
        ends.addWidget(self.has_end)
        ends.addWidget(self.end, 1)
        form = QFormLayout(self)
        form.addRow("Kind", self.kind)
        form.addRow("Label", self.label)
        form.addRow("Date", self.start)
        form.addRow("", ends)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _start_changed(self, qdate: QDate) -> None:
        if not self.has_end.isChecked() or self.end.date() < qdate:
            self.end.setDate(qdate)
        self.end.setMinimumDate(qdate)

    def event_value(self) -> Event:
        kind = self.kind.currentData()
        label = self.label.text().strip() or KIND_LABEL.get(kind, kind)
        start = datetime.combine(self.start.date().toPython(), self._time)
        end = None
        if self.has_end.isChecked():
            end = datetime.combine(self.end.date().toPython(), time())
            if end < start.replace(hour=0, minute=0):
                start, end = end, start
        return Event(kind=kind, label=label, start=start, end=end)


class EventsModel(QAbstractTableModel):
    """The case's events as a table model: the view asks for the rows it shows, so a project of
    20,000 events opens without building 80,000 table items (that took about 17 s)."""

    HEADERS = ("Kind", "Label", "From", "To")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.events: tuple[Event, ...] = ()

    def set_events(self, events) -> None:
        self.beginResetModel()
        self.events = tuple(events)
        self.endResetModel()

    def rowCount(self, parent=None) -> int:  # noqa: N802 - Qt's name
        return 0 if parent is not None and parent.isValid() else len(self.events)

    def columnCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.events):
            return None
        e = self.events[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return e.label
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return KIND_LABEL.get(e.kind, e.kind)
        if column == 1:
            return e.label
        if column == 2:
            return f"{e.start:%d %b %Y}"
        return f"{e.end:%d %b %Y}" if e.end else ""

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class EventsPanel(FileDropTarget, QWidget):
    def __init__(self, doc, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.setAcceptDrops(True)
        # Where a new event starts when no day was clicked: the window sets it to the middle of
        # the chart's visible range; without it, the last draw of the record (never "today").
        self.default_day = None
        self.model = EventsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.horizontalHeader().setResizeContentsPrecision(200)  # columns sized from 200 rows, not all
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())

        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        self.load_button = QPushButton("Load file…")
        self.load_button.setToolTip("Add the events of a table (date or start and end, description, category)")
        self.load_button.clicked.connect(lambda: self.load_events_file(None))
        self.add_button.clicked.connect(lambda: self.add_event())
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button, self.load_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        doc.watch({"events"}, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_events(self.doc.case.events if self.doc.case is not None else ())
        self.add_button.setEnabled(self.doc.case is not None)
        self.load_button.setEnabled(self.doc.case is not None)
        self._update_buttons()

    def _update_buttons(self, *_selection) -> None:
        has = self.selected_index() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def selected_index(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if len(rows) == 1 else None

    def add_event(self, start=None, end=None, kind: str | None = None) -> None:
        if self.doc.case is None:
            return
        if start is None:
            start = self._default_start()
        dialog = EventDialog(self, start=start, end=end)
        if kind:
            dialog.kind.setCurrentIndex(max(0, dialog.kind.findData(kind)))
        if dialog.exec() == QDialog.Accepted:
            self.doc.push(AddEventCommand(self.doc, dialog.event_value()))

    def _default_start(self) -> datetime | None:
        day = self.default_day() if self.default_day is not None else None
        if day is None:
            anc = self.doc.case.anc
            if anc is not None and not anc.empty:
                day = anc["time"].max().to_pydatetime()
        return datetime.combine(day.date(), time()) if day is not None else None

    def edit_selected(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        dialog = EventDialog(self, self.doc.case.events[index])
        if dialog.exec() == QDialog.Accepted:
            self.doc.push(EditEventCommand(self.doc, index, dialog.event_value()))

    def remove_selected(self) -> None:
        index = self.selected_index()
        if index is not None:
            self.doc.push(RemoveEventCommand(self.doc, index))

    def load_events_file(self, path: Path | None = None, columns: dict[str, str] | None = None) -> bool:
        """Add the events of a table file (``path``, or one the user chooses), with how it was
        read, in one undo step. A table Nadir cannot read by itself opens the events assistant
        on it; a file that cannot be opened is said in the one error dialog. True when events
        were added."""
        from analysis.errors import InputError
        from analysis.treatment.events import read_events
        from analysis.treatment.settings import EventImportSettings

        if self.doc.case is None:
            return False
        path = path or self._ask_events_file()
        if path is None:
            return False
        try:
            table = read_events(path, settings=EventImportSettings(columns=dict(columns)) if columns else None)
        except InputError:
            # The columns or the date order need choosing: the assistant shows the file (a file
            # that cannot be opened, or holds no table, gets the plain message from it instead).
            return self.events_assistant(path)
        self._add_table(path, table.events, table.settings)
        return True

    def events_assistant(self, path: Path | None = None) -> bool:
        """The events assistant on ``path`` (default: the case's events table, read with the
        choices made before, else a file the user chooses). True when events were added."""
        from ..dialogs.events_dialog import events_assistant, options_of

        if self.doc.case is None:
            return False
        current = self.doc.sources.get("events")
        path = Path(path) if path is not None else (Path(current) if current else self._ask_events_file())
        if path is None:
            return False
        same = current is not None and Path(current) == path
        dialog = events_assistant(self, path, options_of(self.doc.case.event_settings) if same else None)
        if dialog is None:
            return False
        try:
            if dialog.exec() != dialog.DialogCode.Accepted:
                return False
            self._add_table(path, dialog.events, dialog.settings)
            return True
        finally:
            dialog.deleteLater()

    def _ask_events_file(self) -> Path | None:
        # Where the lab export and the infusion record were (the friction: this one
        # dialog opened in the home folder, a walk through the folders for the third file).
        start = str(folders.start_folder(self.doc.sources))
        name, _ = QFileDialog.getOpenFileName(self, "Load events table", start, EVENTS_FILTER)
        if not name:
            return None
        folders.remember(Path(name))
        return Path(name)

    def _add_table(self, path: Path, events, settings) -> None:
        self.doc.push(AddEventsTableCommand(self.doc, events, Path(path).name, settings))
        self.doc.sources = {**self.doc.sources, "events": Path(path)}

    def file_dropped(self, path) -> None:
        # After the drop returns: an error dialog is modal, the program dragged from waits.
        QTimer.singleShot(0, self, lambda: self.load_events_file(Path(path)))
