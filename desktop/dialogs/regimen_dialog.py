"""Enter infusions by hand: a regular schedule ("1 g/kg every 21 days from a date, 6 doses")
or dose by dose, for patients whose administration record is on paper or in another hospital.

The dialog only collects numbers; the schedule itself is made by
:func:`analysis.treatment.medications.regimen`, the same function the command line would use, so a
hand-entered course is cut into cycles exactly like an imported one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from analysis.model import Administration

from ..screen_fit import fit_window
from .widgets import heading, note

DOSE_UNITS = ("g/kg", "mg/kg", "g", "mg")
PRODUCTS = ("IVIG", "SCIG", "Rituximab", "Eculizumab")
DATE_FORMAT = "d MMM yyyy  HH:mm"
DAY_FORMAT = "d MMM yyyy"
DEFAULT_HOUR = 9  # infusions start in the morning, after the morning draw
MANUAL_SOURCE = "entered by hand"


def _to_datetime(value: QDateTime) -> datetime:
    return value.toPython().replace(second=0, microsecond=0)


def _fmt_dose(dose: float | None, unit: str) -> str:
    return "-" if dose is None else f"{dose:g} {unit}".strip()


class RegimenDialog(QDialog):
    """Schedule or dose-by-dose entry; ``administrations()`` gives the result after accept."""

    def __init__(self, parent: QWidget | None = None, *, start: datetime | None = None):
        """``start``: the first infusion offered, normally the day of the first lab result (the
        case being built); today only when nothing better is known."""
        super().__init__(parent)
        self.setWindowTitle("Enter infusions")
        fit_window(self, (700, 680), (640, 560))
        start = start or datetime.combine(datetime.now().date(), datetime.min.time()).replace(hour=DEFAULT_HOUR)

        intro = note(
            "Enter the infusions when there is no administration record to import. "
            "Use a regular schedule, or add each infusion on its own."
        )

        # What was given, shared by both ways of entering.
        self.product = QComboBox(editable=True)
        self.product.addItems(PRODUCTS)
        self.product.setToolTip("The medication as it should appear in the figure legend.")
        self.weight = QDoubleSpinBox(decimals=1, minimum=0.0, maximum=400.0, singleStep=0.5, suffix=" kg")
        self.weight.setSpecialValueText("not known")
        self.weight.setToolTip("Needed to show doses in g/kg when doses are entered in grams.")
        common = QFormLayout()
        common.addRow("Medication:", self.product)
        common.addRow("Patient weight:", self.weight)
        common_box = QGroupBox("What was given")
        common_box.setLayout(common)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._schedule_page(start), "Regular schedule")
        self.tabs.addTab(self._manual_page(start), "One by one")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Use these infusions")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Enter infusions"))
        layout.addWidget(intro)
        layout.addWidget(common_box)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        for signal in (
            self.product.currentTextChanged,
            self.weight.valueChanged,
            self.tabs.currentChanged,
        ):
            signal.connect(self._refresh)
        self._refresh()

    # --- pages ---------------------------------------------------------------------------------

    def _schedule_page(self, start: datetime) -> QWidget:
        page = QWidget()
        # The day from a calendar, the time on its own: typing "6 Sep 2022  09:30" in one box is
        # fiddly, and most users only pick a day.
        self.first = QDateEdit(QDate(start.year, start.month, start.day), calendarPopup=True)
        self.first.setDisplayFormat(DAY_FORMAT)
        self.first.setToolTip("The day of the first infusion; click the arrow for a calendar.")
        self.first_time = QTimeEdit(QTime(start.hour, start.minute))
        self.first_time.setDisplayFormat("HH:mm")
        self.first_time.setToolTip("The time the first infusion started (cycles begin then).")
        first_row = QHBoxLayout()
        first_row.addWidget(self.first, 1)
        first_row.addWidget(QLabel("at"))
        first_row.addWidget(self.first_time)
        self.every = QSpinBox(minimum=1, maximum=365, value=21, suffix=" days")
        self.doses = QSpinBox(minimum=1, maximum=500, value=6)
        self.dose = QDoubleSpinBox(decimals=3, minimum=0.001, maximum=10000.0, value=1.0, singleStep=0.1)
        self.dose_unit = QComboBox()
        self.dose_unit.addItems(DOSE_UNITS)
        dose_row = QHBoxLayout()
        dose_row.addWidget(self.dose, 1)
        dose_row.addWidget(self.dose_unit)

        form = QFormLayout()
        form.addRow("First infusion:", first_row)
        form.addRow("Given every:", self.every)
        form.addRow("Number of infusions:", self.doses)
        form.addRow("Dose each time:", dose_row)

        self.schedule_summary = QLabel()
        self.schedule_summary.setWordWrap(True)
        self.schedule_table = self._table()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.schedule_summary)
        layout.addWidget(self.schedule_table, 1)
        for signal in (
            self.first.dateChanged,
            self.first_time.timeChanged,
            self.every.valueChanged,
            self.doses.valueChanged,
            self.dose.valueChanged,
            self.dose_unit.currentTextChanged,
        ):
            signal.connect(self._refresh)
        return page

    def _manual_page(self, start: datetime) -> QWidget:
        page = QWidget()
        self._next_manual = start
        self.manual_table = QTableWidget(0, 3)
        self.manual_table.setHorizontalHeaderLabels(["Date and time", "Dose", "Unit"])
        self.manual_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.manual_table.verticalHeader().setVisible(False)
        self.manual_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add = QPushButton("Add infusion")
        add.clicked.connect(lambda: self.add_manual())
        remove = QPushButton("Remove selected")
        remove.clicked.connect(self._remove_manual)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        hint = note("Each new row starts 21 days after the one above; change any value in place.")
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.manual_table, 1)
        layout.addLayout(buttons)
        return page

    def _table(self) -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setHorizontalHeaderLabels(["#", "Date and time", "Dose"])
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(24)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        return table

    # --- manual rows -------------------------------------------------------------------------

    def add_manual(self, when: datetime | None = None, dose: float = 1.0, unit: str = "g/kg") -> None:
        """Append one infusion row (the test and the Add button both use it)."""
        rows = self.manual_table.rowCount()
        if when is None:
            when = self._next_manual
            if rows:
                last = self.manual_table.cellWidget(rows - 1, 0)
                when = _to_datetime(last.dateTime()) + timedelta(days=21)
        self.manual_table.insertRow(rows)
        edit = QDateTimeEdit(QDateTime(when))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setFrame(False)
        amount = QDoubleSpinBox(decimals=3, minimum=0.0, maximum=10000.0, value=dose, singleStep=0.1)
        amount.setFrame(False)
        units = QComboBox()
        units.addItems(DOSE_UNITS)
        units.setCurrentText(unit)
        self.manual_table.setCellWidget(rows, 0, edit)
        self.manual_table.setCellWidget(rows, 1, amount)
        self.manual_table.setCellWidget(rows, 2, units)
        edit.dateTimeChanged.connect(self._refresh)
        self._refresh()

    def show_existing(self, administrations) -> None:
        """Put ``administrations`` in the one-by-one list and show that page."""
        for adm in sorted(administrations, key=lambda a: a.time):
            self.add_manual(adm.time, adm.dose or 0.0, adm.dose_unit or "g/kg")
        if administrations and administrations[0].weight_kg:
            self.weight.setValue(administrations[0].weight_kg)
        if administrations:
            self.product.setCurrentText(administrations[0].product)
        self.tabs.setCurrentIndex(1)

    def _remove_manual(self) -> None:
        rows = sorted({i.row() for i in self.manual_table.selectedIndexes()}, reverse=True)
        if not rows and self.manual_table.rowCount():
            rows = [self.manual_table.rowCount() - 1]
        for row in rows:
            self.manual_table.removeRow(row)
        self._refresh()

    # --- result ------------------------------------------------------------------------------

    def _weight(self) -> float | None:
        return self.weight.value() or None

    def _product(self) -> str:
        return self.product.currentText().strip() or "IVIG"

    def first_datetime(self) -> datetime:
        """The first scheduled infusion: the chosen day at the chosen time."""
        return datetime.combine(self.first.date().toPython(), self.first_time.time().toPython()).replace(
            second=0, microsecond=0)

    def set_first(self, when: datetime) -> None:
        self.first.setDate(QDate(when.year, when.month, when.day))
        self.first_time.setTime(QTime(when.hour, when.minute))

    def scheduled(self) -> list[Administration]:
        from analysis.treatment.medications import regimen

        return list(
            regimen(
                self.first_datetime(),
                self.every.value(),
                self.doses.value(),
                self.dose.value(),
                self.dose_unit.currentText(),
                product=self._product(),
                weight_kg=self._weight(),
            )
        )

    def manual(self) -> list[Administration]:
        from analysis.treatment.medications import manual_administration

        given = []
        for row in range(self.manual_table.rowCount()):
            when = _to_datetime(self.manual_table.cellWidget(row, 0).dateTime())
            dose = self.manual_table.cellWidget(row, 1).value()
            unit = self.manual_table.cellWidget(row, 2).currentText()
            given.append(
                manual_administration(
                    when, dose or None, unit, product=self._product(), weight_kg=self._weight(), note=MANUAL_SOURCE
                )
            )
        return sorted(given, key=lambda a: a.time)

    def administrations(self) -> tuple[Administration, ...]:
        """The infusions on the page the user is looking at."""
        return tuple(self.scheduled() if self.tabs.currentIndex() == 0 else self.manual())

    def _refresh(self) -> None:
        if self.tabs.currentIndex() == 0:
            given = self.scheduled()
            table = self.schedule_table
            table.setRowCount(len(given))
            for row, adm in enumerate(given):
                for col, text in enumerate(
                    (str(row + 1), f"{adm.time:%a %d %b %Y  %H:%M}", _fmt_dose(adm.dose, adm.dose_unit))
                ):
                    item = QTableWidgetItem(text)
                    if col != 1:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    table.setItem(row, col, item)
            if given:
                self.schedule_summary.setText(
                    f"{len(given)} infusion{'s' if len(given) != 1 else ''} of {self._product()}, "
                    f"from {given[0].time:%d %b %Y} to {given[-1].time:%d %b %Y}."
                )
            self.ok_button.setEnabled(bool(given))
        else:
            self.ok_button.setEnabled(self.manual_table.rowCount() > 0)


def enter_regimen(parent: QWidget | None = None, *, start: datetime | None = None,
                  existing=()) -> tuple[Administration, ...] | None:
    """Ask for infusions by schedule or one by one; None when the user cancels. ``existing``
    infusions (the case's, when they are being changed) fill the one-by-one list to edit."""
    dialog = RegimenDialog(parent, start=start)
    if existing:
        dialog.show_existing(existing)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.administrations() or None
    finally:
        dialog.deleteLater()
