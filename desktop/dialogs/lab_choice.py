"""The question the lab import assistant asks when the importer cannot decide: whose results
(several patients), which date order (dates that read both ways), or another choice.

The question is put in the assistant's :class:`~desktop.dialogs.widgets.ChoiceBanner`, with an
example from the file for the date order so that the user answers from what they see.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QRadioButton

from analysis.errors import ChoiceRequired
from analysis.importing.date_order import MONTH_NAMES, ambiguous_example

from .widgets import ChoiceBanner


def _long_date(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


class LabChoice:
    """Asks one ChoiceRequired in ``banner``; :meth:`answer` gives the option it settles."""

    def __init__(self, banner: ChoiceBanner):
        self.banner = banner
        self.asked: ChoiceRequired | None = None
        self.combo: QComboBox | None = None  # the options to choose from (patients ...)
        self.group: QButtonGroup | None = None  # the date orders, as radio buttons

    def ask(self, exc: ChoiceRequired, rows: list[list]) -> None:
        """Show the question for ``exc``; ``rows`` are the sheet's cells (for a date example)."""
        self.asked = exc
        self.banner.clear_body()
        self.combo = None
        self.group = None
        if exc.kind == "patient":
            self._ask_patient(exc)
        elif exc.kind == "date_order":
            self._ask_date_order(exc, rows)
        else:
            self.banner.question.setText(exc.message)
            self.combo = QComboBox()
            self.combo.addItems(exc.options)
            self.banner.body.addWidget(self.combo)
            self.banner.button.setText("Continue")
        if exc.kind != "date_order":
            self.banner.button.setEnabled(True)
        self.banner.show()

    def _ask_patient(self, exc: ChoiceRequired) -> None:
        self.banner.question.setText(
            f"This file holds results for {len(exc.options)} patients. Whose results should Nadir import?")
        combo = QComboBox()
        combo.addItems(exc.options)
        combo.setMinimumWidth(240)
        row = QHBoxLayout()
        row.addWidget(QLabel("Patient identifier:"))
        row.addWidget(combo)
        row.addStretch(1)
        self.banner.body.addLayout(row)
        self.combo = combo
        self.banner.button.setText("Import this patient")

    def _ask_date_order(self, exc: ChoiceRequired, rows: list[list]) -> None:
        example = ambiguous_example(value for row in rows for value in row)
        group = QButtonGroup(self.banner)
        if example is not None:
            text, month_first, day_first = example
            self.banner.question.setText(
                f"The dates in this file can be read two ways: does {text} mean {_long_date(month_first)} "
                f"or {_long_date(day_first)}?")
            mdy = QRadioButton(f"{text} is {_long_date(month_first)}  (month first, as in the US)")
            dmy = QRadioButton(f"{text} is {_long_date(day_first)}  (day first, as in most of Europe)")
        else:
            self.banner.question.setText("The dates in this file can be read two ways. How are they written?")
            mdy = QRadioButton("Month first: MM/DD/YYYY (as in the US)")
            dmy = QRadioButton("Day first: DD/MM/YYYY (as in most of Europe)")
        for button, key in ((mdy, "MDY"), (dmy, "DMY")):
            if key in exc.options or not exc.options:
                group.addButton(button)
                button.setProperty("order", key)
                self.banner.body.addWidget(button)
        self.group = group
        self.banner.button.setText("Use this date order")
        self.banner.button.setEnabled(False)  # no answer, no guess
        group.buttonClicked.connect(lambda _b: self.banner.button.setEnabled(True))

    def hide(self) -> None:
        self.asked = None
        self.banner.hide()

    def answer(self) -> tuple[str, str] | None:
        """(option, value) the user's answer sets ("date_order", "DMY"); None without an answer."""
        exc = self.asked
        if exc is None:
            return None
        if exc.kind == "date_order" and self.group is not None:
            button = self.group.checkedButton()
            return None if button is None else ("date_order", button.property("order"))
        if self.combo is not None:
            return ("patient" if exc.kind == "patient" else exc.kind), self.combo.currentText()
        return None

    def buttons(self) -> list[QRadioButton]:
        return list(self.group.buttons()) if self.group is not None else []
