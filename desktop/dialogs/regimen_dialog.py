"""Enter infusions by hand: a regular schedule ("1 g/kg every 21 days from a date, 6 doses")
or dose by dose, for patients whose administration record is on paper or in another hospital.

The dialog only collects numbers; the schedule itself is made by
:func:`analysis.treatment.medications.regimen`, the same function the command line would use, so a
hand-entered course is cut into cycles exactly like an imported one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
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
from analysis.treatment.drugs import format_dose

from ..screen_fit import fit_window
from .dose_table import DOSE_UNITS, DoseTable
from .widgets import heading, note

PRODUCTS = ("IVIG", "SCIG", "Rituximab", "Eculizumab")
DATE_FORMAT = "d MMM yyyy  HH:mm"
DAY_FORMAT = "d MMM yyyy"
DEFAULT_HOUR = 9  # infusions start in the morning, after the morning draw
MANUAL_SOURCE = "entered by hand"


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
        form = self._schedule_form(start)
        self.schedule_summary = QLabel()
        self.schedule_summary.setWordWrap(True)
        self.schedule_table = self._table()
        self.to_list_button = QPushButton("Change single infusions…")
        self.to_list_button.setToolTip("Copy this schedule to the one-by-one list, to move a date or change a dose.")
        self.to_list_button.clicked.connect(self.schedule_to_list)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.schedule_summary)
        layout.addWidget(self.schedule_table, 1)
        layout.addWidget(self.to_list_button, 0, Qt.AlignmentFlag.AlignLeft)
        for signal in (
            self.first.dateChanged,
            self.first_time.timeChanged,
            self.every.valueChanged,
            self.doses.valueChanged,
            self.course_days.valueChanged,
            self.dose.valueChanged,
            self.dose_unit.currentTextChanged,
            self.dose_basis.currentIndexChanged,
        ):
            signal.connect(self._refresh)
        return page

    def _schedule_form(self, start: datetime) -> QFormLayout:
        """First infusion (day and time), the course, the dose, the interval and the number of courses."""
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
        self.doses.setToolTip("How many courses (a course over several days counts once).")
        # A course may run over several days: "2 g/kg over 2 days", "0.4 g/kg daily x 5".
        self.course_days = QSpinBox(minimum=1, maximum=14, value=1)
        self.course_days.setSpecialValueText("1 day")
        self.course_days.setSuffix(" days in a row")
        self.course_days.setToolTip("A course given over several consecutive days, one infusion a day.")
        self.dose = QDoubleSpinBox(decimals=3, minimum=0.001, maximum=10000.0, value=1.0, singleStep=0.1)
        self.dose_unit = QComboBox()
        self.dose_unit.addItems(DOSE_UNITS)
        self.dose_basis = QComboBox()
        self.dose_basis.addItem("each day", "day")
        self.dose_basis.addItem("for the whole course", "course")
        self.dose_basis.setToolTip("2 g/kg over 2 days is 1 g/kg each day; 0.4 g/kg daily for 5 days "
                                   "is 0.4 g/kg each day.")
        dose_row = QHBoxLayout()
        dose_row.addWidget(self.dose, 1)
        dose_row.addWidget(self.dose_unit)
        dose_row.addWidget(self.dose_basis)

        form = QFormLayout()
        form.addRow("First infusion:", first_row)
        form.addRow("Each course:", self.course_days)
        form.addRow("Dose:", dose_row)
        form.addRow("Courses every:", self.every)
        form.addRow("Number of courses:", self.doses)
        return form

    def _manual_page(self, start: datetime) -> QWidget:
        page = QWidget()
        self._next_manual = start
        self.manual_table = DoseTable()
        self.manual_table.rowsChanged.connect(self._refresh)
        add = QPushButton("Add infusion")
        add.setToolTip("A new row continues the rows above: the same interval, dose and time of day.")
        add.clicked.connect(lambda: self.add_manual())
        remove = QPushButton("Remove selected")
        remove.clicked.connect(self._remove_manual)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        hint = note("Each new row continues the pattern above (interval, dose, time). Click a cell to "
                    "change it; paste rows copied from Excel (date, time, dose, unit) with Ctrl+V.")
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

    def add_manual(self, when: datetime | None = None, dose: float | None = None, unit: str | None = None) -> None:
        """Append one infusion row; what is not given continues the rows above."""
        interval = timedelta(days=self.every.value())
        next_when, next_dose, next_unit = self.manual_table.next_row(self._next_manual, interval)
        self.manual_table.add_row(when or next_when, next_dose if dose is None else dose, unit or next_unit)

    def show_existing(self, administrations) -> None:
        """Put ``administrations`` in the one-by-one list and show that page."""
        for adm in sorted(administrations, key=lambda a: a.time):
            self.manual_table.add_row(adm.time, adm.dose, adm.dose_unit or "g/kg")
        if administrations and administrations[0].weight_kg:
            self.weight.setValue(administrations[0].weight_kg)
        if administrations:
            self.product.setCurrentText(administrations[0].product)
        self.tabs.setCurrentIndex(1)

    def schedule_to_list(self) -> None:
        """The generated schedule becomes the one-by-one list (replacing it), to adjust."""
        self.manual_table.setRowCount(0)
        for adm in self.scheduled():
            self.manual_table.add_row(adm.time, adm.dose, adm.dose_unit)
        self.tabs.setCurrentIndex(1)

    def _remove_manual(self) -> None:
        rows = sorted({i.row() for i in self.manual_table.selectedIndexes()})
        if not rows and self.manual_table.rowCount():
            rows = [self.manual_table.rowCount() - 1]
        self.manual_table.remove_rows(rows)

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

    def daily_dose(self) -> float:
        """The dose of one day: a dose for the whole course is split over its days."""
        if self.dose_basis.currentData() == "course":
            return self.dose.value() / self.course_days.value()
        return self.dose.value()

    def scheduled(self) -> list[Administration]:
        from analysis.errors import InputError
        from analysis.treatment.medications import regimen

        try:
            return list(
                regimen(
                    self.first_datetime(),
                    self.every.value(),
                    self.doses.value(),
                    self.daily_dose(),
                    self.dose_unit.currentText(),
                    product=self._product(),
                    weight_kg=self._weight(),
                    days_per_course=self.course_days.value(),
                )
            )
        except InputError as exc:
            self.schedule_summary.setText(str(exc))
            return []

    def manual(self) -> list[Administration]:
        from analysis.treatment.medications import manual_administration

        given = []
        for when, dose, unit in self.manual_table.rows():
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
                    (str(row + 1), f"{adm.time:%a %d %b %Y  %H:%M}", format_dose(adm.dose, adm.dose_unit, missing="-"))
                ):
                    item = QTableWidgetItem(text)
                    if col != 1:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    table.setItem(row, col, item)
            if given:
                self.schedule_summary.setText(self._schedule_text(given))
            self.dose_basis.setEnabled(self.course_days.value() > 1)
            self.to_list_button.setEnabled(bool(given))
            self.ok_button.setEnabled(bool(given))
        else:
            self.ok_button.setEnabled(self.manual_table.rowCount() > 0)


    def _schedule_text(self, given) -> str:
        days, unit = self.course_days.value(), self.dose_unit.currentText()
        courses = self.doses.value()
        what = format_dose(self.daily_dose(), unit)
        if days > 1:
            what = f"{format_dose(self.daily_dose() * days, unit)} over {days} days ({what} a day)"
        return (f"{courses} course{'s' if courses != 1 else ''} of {self._product()} {what}, every "
                f"{self.every.value()} days, from {given[0].time:%d %b %Y} to {given[-1].time:%d %b %Y}: "
                f"{len(given)} infusion{'s' if len(given) != 1 else ''}.")

    def accept(self) -> None:
        """Question doses that look like a typing slip (80 g/kg) before they are used."""
        from analysis.treatment.entry import implausible_dose

        reasons = list(dict.fromkeys(r for r in map(implausible_dose, self.administrations()) if r))
        if reasons:
            shown = reasons[:5] + ([f"… and {len(reasons) - 5} more."] if len(reasons) > 5 else [])
            answer = QMessageBox.question(
                self, "Check the doses", "\n".join(shown) + "\n\nUse these doses anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().accept()


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
