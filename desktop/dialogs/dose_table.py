"""The one-by-one list of the manual infusion entry: plain cells that edit on a single click or
on typing, new rows that continue the pattern above, and a block pasted from Excel.

Dates are typed whole ("06 Sep 2022 10:15", "2022-09-06 10:15") and read when the cell is left,
never section by section (a QDateTimeEdit turned "10:15" typed into its minutes into 10:10).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
)

from analysis.treatment.pasted import DOSE_UNITS, parse_dose, parse_pasted_block

from ..panels.date_field import parse_date

SHOWN = "%d %b %Y  %H:%M"
DEFAULT_INTERVAL = timedelta(days=21)
DEFAULT_DOSE = (1.0, "g/kg")
_TIME = re.compile(r"(?:^|\s|T)(\d{1,2})[:.h](\d{2})(?::\d{2})?\s*$")
DATE, DOSE, UNIT = range(3)


def parse_when(text: str, default_time: time = time(9, 0)) -> datetime | None:
    """"06 Sep 2022 10:15", "2022-09-06T10:15", "13/9/2022 10.15", a date alone (at
    ``default_time``); None when no date can be read or day and month could be swapped."""
    text = " ".join(text.strip().split())
    at = default_time
    match = _TIME.search(text)
    if match and not re.fullmatch(r"\d{1,2}[:.]\d{2}", text):
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            return None
        at = time(hour, minute)
        text = text[: match.start()].strip()
    day = parse_date(text.removesuffix(" 00:00:00"))
    return datetime.combine(day, at) if day is not None else None


class _DateDelegate(QStyledItemDelegate):
    """Cells edited as text; what cannot be read is refused with a tooltip, the old value kept."""

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 - Qt API
        column = index.column()
        text = editor.text()
        old = model.data(index, Qt.ItemDataRole.UserRole)
        if column == DATE:
            when = parse_when(text, old.time() if isinstance(old, datetime) else time(9, 0))
            if when is None:
                QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()),
                                  f"{text!r} is not a date and time; write it as 06 Sep 2022 10:15.", editor)
                return
            model.setData(index, when, Qt.ItemDataRole.UserRole)
            model.setData(index, f"{when:{SHOWN}}", Qt.ItemDataRole.DisplayRole)
        elif column == DOSE:
            dose = parse_dose(text)
            if dose is None:
                QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()),
                                  f"{text!r} is not a dose; write a number such as 1 or 0.4.", editor)
                return
            model.setData(index, dose[0], Qt.ItemDataRole.UserRole)
            model.setData(index, f"{dose[0]:g}", Qt.ItemDataRole.DisplayRole)
            if dose[1]:
                unit = index.siblingAtColumn(UNIT)
                model.setData(unit, dose[1], Qt.ItemDataRole.DisplayRole)


class _UnitDelegate(QStyledItemDelegate):
    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        combo = QComboBox(parent)
        combo.addItems(DOSE_UNITS)
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: N802
        editor.setCurrentText(index.data() or DEFAULT_DOSE[1])

    def setModelData(self, editor, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class DoseTable(QTableWidget):
    """Rows of (date and time, dose, unit). ``rowsChanged`` after every change."""

    rowsChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Date and time", "Dose", "Unit"])
        self.horizontalHeader().setSectionResizeMode(DATE, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        # One click on a cell edits it, as does typing into it.
        self.setEditTriggers(QAbstractItemView.EditTrigger.CurrentChanged
                             | QAbstractItemView.EditTrigger.SelectedClicked
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setItemDelegateForColumn(DATE, _DateDelegate(self))
        self.setItemDelegateForColumn(DOSE, _DateDelegate(self))
        self.setItemDelegateForColumn(UNIT, _UnitDelegate(self))
        self.setToolTip("Click a cell to change it. Paste rows copied from Excel (date, time, dose, unit) "
                        "with Ctrl+V.")
        self.itemChanged.connect(lambda _item: self.rowsChanged.emit())

    # --- rows ------------------------------------------------------------------------------------

    def rows(self) -> list[tuple[datetime, float | None, str]]:
        out = []
        for row in range(self.rowCount()):
            when = self.item(row, DATE).data(Qt.ItemDataRole.UserRole)
            dose = self.item(row, DOSE).data(Qt.ItemDataRole.UserRole)
            out.append((when, dose if dose else None, self.item(row, UNIT).text() or DEFAULT_DOSE[1]))
        return out

    def add_row(self, when: datetime, dose: float | None, unit: str) -> None:
        row = self.rowCount()
        self.blockSignals(True)
        try:
            self.insertRow(row)
            date_item = QTableWidgetItem(f"{when:{SHOWN}}")
            date_item.setData(Qt.ItemDataRole.UserRole, when)
            dose_item = QTableWidgetItem("" if dose is None else f"{dose:g}")
            dose_item.setData(Qt.ItemDataRole.UserRole, dose)
            dose_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, DATE, date_item)
            self.setItem(row, DOSE, dose_item)
            self.setItem(row, UNIT, QTableWidgetItem(unit or DEFAULT_DOSE[1]))
        finally:
            self.blockSignals(False)
        self.rowsChanged.emit()

    def next_row(self, start: datetime, interval: timedelta = DEFAULT_INTERVAL) -> tuple[datetime, float, str]:
        """The row after the last one, continuing the pattern above (:func:`next_step`; else
        ``interval``), with the last dose, unit and time of day."""
        rows = self.rows()
        if not rows:
            return start, *DEFAULT_DOSE
        last_when, last_dose, last_unit = rows[-1]
        step = next_step([r[0] for r in rows]) or interval
        return last_when + step, last_dose if last_dose is not None else DEFAULT_DOSE[0], last_unit

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(rows, reverse=True):
            self.removeRow(row)
        self.rowsChanged.emit()

    # --- pasting from Excel -----------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def paste(self, text: str) -> list[str]:
        """Add a block of rows copied from a spreadsheet (a date or date and time, optionally a
        time cell, a dose and a unit, tab-separated; read by analysis.treatment.pasted, the dates
        as one column). Returns the lines that were not read (a heading, a line without a date,
        a block whose dates read both ways) and says so in a tooltip."""
        block = parse_pasted_block(text, default_unit=DEFAULT_DOSE[1])
        for when, dose, unit in block.rows:
            self.add_row(when, dose, unit)
        skipped = list(block.unread)
        if skipped:
            added = len(block.rows)
            why = block.reason or "no date and dose"
            QToolTip.showText(self.mapToGlobal(self.rect().center()),
                              f"Added {added} row{'s' if added != 1 else ''}; {len(skipped)} line"
                              f"{'s' if len(skipped) != 1 else ''} not read ({why}): "
                              f"{skipped[0][:60]!r}", self)
        return skipped


def next_step(times: list[datetime], longest: int = 5) -> timedelta | None:
    """The gap after the last time that continues the pattern: a repeating run of gaps (1, 27,
    1, 27 days for 2-day courses every 28 days gives 27 next), else the last gap; None for
    fewer than two times."""
    gaps = [b - a for a, b in zip(times, times[1:])]
    if not gaps or gaps[-1] <= timedelta(0):
        return None
    recent = gaps[-4 * longest:]  # the pattern of the latest rows, not of the whole history
    for period in range(1, min(longest, len(recent) - 1) + 1):
        if all(recent[i] == recent[i + period] for i in range(len(recent) - period)):
            return recent[len(recent) - period]
    return gaps[-1]
