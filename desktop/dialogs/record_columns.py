"""The column-role and action-word choices of the infusion-record and events assistants.

One combo box per role lists the file's headings: "Automatic" keeps what Nadir read (and says
what that was), "Not in this file" says the record has no such column, a heading names it.
The action words of an infusion record are listed with the rows they are on and what Nadir
read them as; a word it does not know is marked, and each can be given its meaning.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

AUTOMATIC, ABSENT = None, ""

# What an action word means (analysis.treatment.actions), in the words the assistant uses.
MEANINGS = (
    ("start", "dose given", "A dose given: counted as one infusion."),
    ("part", "part of a dose", "Part of a dose already counted (rate change, site change, completed …)."),
    ("not given", "not given", "The dose was due and not given: skipped, with the reason."),
    ("no dose", "no dose", "Workflow, no dose (due, verified, cancelled entry): left out."),
    ("return", "returned", "Returned to the cabinet or pharmacy: cancels the latest removal of the same drug "
     "in the 24 h before it."),
)
UNKNOWN_TEXT = "unknown: skipped"


def _index_of(combo: QComboBox, value) -> int:
    for i in range(combo.count()):
        if combo.itemData(i) == value and (value is not None or combo.itemData(i) is None):
            return i
    return 0


class RoleChoices(QWidget):
    """A form of role -> heading choices; ``changed(role, value)`` with None for automatic,
    "" for "not in this file", else the heading."""

    changed = Signal(str, object)

    def __init__(self, roles: tuple[tuple[str, str], ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.roles = roles
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for role, label in roles:
            combo = QComboBox()
            combo.setObjectName(f"role_{role}")
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(lambda _i, r=role, c=combo: self.changed.emit(r, c.currentData()))
            form.addRow(f"{label}:", combo)
            self.combos[role] = combo

    def show_roles(self, headings: list[str], read: dict[str, str], chosen: dict[str, str]) -> None:
        """Fill every combo with ``headings``; "Automatic" says what was ``read``; ``chosen`` are
        the user's overrides."""
        listed = list(dict.fromkeys(h for h in headings if h))
        for role, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            found = read.get(role)
            combo.addItem(f"Automatic: {found}" if found else "Automatic: none found", AUTOMATIC)
            combo.addItem("Not in this file", ABSENT)
            for heading in listed:
                combo.addItem(heading, heading)
            combo.setCurrentIndex(_index_of(combo, chosen[role]) if role in chosen else 0)
            combo.setEnabled(bool(listed))
            combo.blockSignals(False)

    def choose(self, role: str, value) -> None:
        """Pick ``value`` (a heading, "" or None) as a user would."""
        combo = self.combos[role]
        combo.setCurrentIndex(_index_of(combo, value))


class ActionWords(QTableWidget):
    """Each action word of the record: rows, and what it is read as (a choice)."""

    changed = Signal(str, object)  # word, meaning

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Action", "Rows", "Read as"])
        self.verticalHeader().setVisible(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.combos: dict[str, QComboBox] = {}

    def show_words(self, words, chosen: dict[str, str]) -> None:
        """``words``: (word, rows, meaning) from the read; ``chosen``: word -> the user's meaning."""
        self.setRowCount(len(words))
        self.combos = {}
        bold = QFont()
        bold.setBold(True)
        for row, (word, count, meaning) in enumerate(words):
            unknown = meaning == "unknown" and word not in chosen
            item = QTableWidgetItem(word)
            item.setToolTip(word)
            number = QTableWidgetItem(str(count))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if unknown:  # said, never silently counted: the word stands out until it is given a meaning
                for cell in (item, number):
                    cell.setFont(bold)
                    cell.setForeground(QBrush(QColor("#a4262c")))
                item.setToolTip(f"Nadir does not know “{word}”: its {count} row(s) are skipped until you "
                                "say what it means.")
            self.setItem(row, 0, item)
            self.setItem(row, 1, number)
            combo = QComboBox()
            if unknown:
                combo.addItem(UNKNOWN_TEXT, None)
                combo.setItemData(0, "Nadir does not know this word: say what it means.", Qt.ItemDataRole.ToolTipRole)
            for key, text, tip in MEANINGS:
                combo.addItem(text, key)
                combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            current = chosen.get(word, meaning)
            combo.setCurrentIndex(_index_of(combo, current if current != "unknown" else None))
            combo.currentIndexChanged.connect(lambda _i, w=word, c=combo: self.changed.emit(w, c.currentData()))
            self.setCellWidget(row, 2, combo)
            self.combos[word] = combo
        self.resizeColumnToContents(2)

    def unknown_words(self) -> list[str]:
        return [w for w, c in self.combos.items() if c.currentData() is None]
