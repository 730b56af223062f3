"""A date field that reads what was typed as a whole ("06 Sep 2022", "2022-09-06", "13/9/2022").

QDateEdit edits a date section by section: after Ctrl+A, "06 Sep 2022" typed in one go becomes
14 Sep 2022 (the digits are refused, the month and year land), which a physician does not see.
Here the text is a plain line edit read only when editing finishes (Enter, focus out) or a day
is picked in the calendar, so a date arrives whole or not at all (unreadable text is put back).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QStyle, QToolTip, QWidgetAction

DISPLAY = "%d %b %Y"
# Unambiguous spellings: the month as a word, or year first.
FORMATS = (DISPLAY, "%d %B %Y", "%d-%b-%Y", "%b %d %Y", "%B %d %Y", "%Y-%m-%d", "%d %b %y")
AMBIGUOUS = ("Write the month as a word (06 Sep 2022) or the year first (2022-09-06): "
             "{text} could be read day first or month first.")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


def parse_date(text: str) -> date | None:
    """The date the text names, or None when it names none or could be two dates.

    Numbers only ("6/9/2022") are read only when one of them cannot be a month (13/9/2022 is
    day first, 9/13/2022 month first): as in the importer, day/month order is never guessed.
    """
    text = " ".join(text.replace(",", " ").split())
    for fmt in FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    match = _NUMERIC.match(text)
    if match is None:
        return None
    a, b, y = int(match[1]), int(match[2]), int(match[3])
    y += 2000 if y < 100 else 0
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    elif a == b:
        day = month = a
    else:
        return None
    try:
        return date(y, month, day)
    except ValueError:
        return None


class DateField(QLineEdit):
    """``dateEdited(date)`` once per finished edit that names a new date."""

    dateEdited = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._date = date.today()
        self.setText(f"{self._date:{DISPLAY}}")
        self.setPlaceholderText("06 Sep 2022")
        self.setToolTip("Type a date (06 Sep 2022 or 2022-09-06) and press Enter, or pick it in the calendar")
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00 Sep 00000") + 40)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        self.calendar_action = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip("Pick the date in a calendar")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.popup = QMenu(self)
        holder = QWidgetAction(self.popup)
        holder.setDefaultWidget(self.calendar)
        self.popup.addAction(holder)
        self.editingFinished.connect(self._finished)

    def date(self) -> QDate:
        return QDate(self._date.year, self._date.month, self._date.day)

    def setDate(self, value) -> None:  # noqa: N802 - the QDateEdit name, so callers read alike
        self._date = value.toPython() if isinstance(value, QDate) else value
        self.setText(f"{self._date:{DISPLAY}}")

    def show_calendar(self) -> None:
        self.calendar.setSelectedDate(self.date())
        self.popup.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _picked(self, qdate: QDate) -> None:
        self.popup.close()
        self._set_and_emit(qdate.toPython())

    def _finished(self) -> None:
        text = self.text()
        typed = parse_date(text)
        if typed is None:
            self.setText(f"{self._date:{DISPLAY}}")  # unreadable: the last good date comes back
            if text.strip() and text.strip() != f"{self._date:{DISPLAY}}":
                QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()),
                                  AMBIGUOUS.format(text=text.strip()) if _NUMERIC.match(text.strip())
                                  else f"{text.strip()!r} is not a date; write it as 06 Sep 2022.", self)
            return
        self._set_and_emit(typed)

    def _set_and_emit(self, value: date) -> None:
        changed = value != self._date
        self.setDate(value)
        if changed:
            self.dateEdited.emit(value)
