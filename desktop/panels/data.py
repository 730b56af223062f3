"""The Data dock: every observation with where it came from, and the values left out.

The model reads the observations DataFrame column by column (numpy arrays) and formats a cell
only when the view asks for it, so a ten-year record of 50,000 rows opens at once. Excluding a
value asks for a reason, which is kept with the exclusion in the project and shown here.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from analysis.model import DISPLAY_NAME

from analysis.rules.exclusions import Exclusion, exclusion_at
from analysis.rules.exclusions import exclusion_reasons as analysis_exclusion_reasons

from ..commands import ExcludeCommand, IncludeCommand
from ..display import unit_text


class ReasonDialog(QDialog):
    """Asks why a value is left out. OK stays disabled, with a hint saying so, until a reason is
    typed: an exclusion without a reason cannot be defended in a review of the analysis."""

    def __init__(self, parent, what: str):
        super().__init__(parent)
        self.setWindowTitle("Exclude value")
        self.question = QLabel(f"Why leave {what} out of the analysis?\n(The reason is kept in the project.)")
        self.question.setWordWrap(True)
        self.reason = QLineEdit(placeholderText="e.g. clotted sample, repeated the same day")
        self.hint = QLabel("Type a reason to enable OK.")
        self.hint.setStyleSheet("color: #8a5a00")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok = self.buttons.button(QDialogButtonBox.Ok)
        self.reason.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        for w in (self.question, self.reason, self.hint, self.buttons):
            layout.addWidget(w)
        self._update()

    def _update(self) -> None:
        has = bool(self.reason.text().strip())
        self.ok.setEnabled(has)
        self.hint.setVisible(not has)

    def value(self) -> str:
        return self.reason.text().strip()


def ask_reason(parent, what: str) -> str | None:
    """The reason typed in a ReasonDialog, or None if cancelled."""
    dialog = ReasonDialog(parent, what)
    return dialog.value() if dialog.exec() == QDialog.Accepted else None


def exclusion_reasons(case, frame: pd.DataFrame) -> dict[int, str]:
    """Row number in ``frame`` -> the reason it was excluded, for the rows an exclusion matches."""
    reasons = analysis_exclusion_reasons(frame, case.exclusions)
    return {i: reason for i, reason in enumerate(reasons) if reason is not None}


def exclusion_for_row(case, frame: pd.DataFrame, row: int, reason: str | None) -> Exclusion | None:
    """A new exclusion of ``frame`` row ``row`` (``reason`` given) or the existing one (None)."""
    f, r, c = str(frame["file"].iat[row]), int(frame["row"].iat[row]), str(frame["column"].iat[row])
    if reason is not None:
        return Exclusion(f, r, c, reason)
    return exclusion_at(case.exclusions, f, r, c)


COLUMNS = (
    ("time", "Time"),
    ("analyte", "Analyte"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("flag", "Flag"),
    ("text", "As exported"),
    ("file", "File"),
    ("sheet", "Sheet"),
    ("row", "Row"),
    ("column", "Column"),
    ("excluded", "Excluded because"),
)


class ObservationsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._frame = pd.DataFrame()
        self._n = 0
        self._cols: dict = {}
        self._reasons: dict[int, str] = {}

    def set_frame(self, frame: pd.DataFrame, reasons: dict[int, str]) -> None:
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        self._n = len(self._frame)
        names = [name for name, _ in COLUMNS] + ["date_only", "censored", "derived"]
        self._cols = {name: self._frame[name].to_numpy() for name in names if name in self._frame}
        self._reasons = reasons
        self.endResetModel()

    def frame(self) -> pd.DataFrame:
        return self._frame

    def reason(self, row: int) -> str | None:
        return self._reasons.get(row)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._n

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section][1]
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row, name = index.row(), COLUMNS[index.column()][0]
        if role == Qt.DisplayRole:
            return self._text(row, name)
        if role == Qt.UserRole:  # sort key
            if name == "excluded":
                return self._reasons.get(row, "")
            value = self._cols[name][row]
            return "" if value is None or (isinstance(value, float) and value != value) else (
                str(value) if name == "time" else value
            )
        if role == Qt.TextAlignmentRole and name in ("value", "row"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole and row in self._reasons:
            return QBrush(QColor("#808080"))
        if role == Qt.ToolTipRole and row in self._reasons:
            return f"Left out of the analysis: {self._reasons[row]}"
        return None

    def _text(self, row: int, name: str) -> str:
        if name == "excluded":
            return self._reasons.get(row, "")
        value = self._cols[name][row]
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if name == "time":
            ts = pd.Timestamp(value)
            date_only = bool(self._cols.get("date_only", [False] * (row + 1))[row])
            return f"{ts:%d %b %Y}" if date_only else f"{ts:%d %b %Y %H:%M}"  # as everywhere else
        if name == "analyte":
            return DISPLAY_NAME.get(value, value)
        if name == "value":
            censored = self._cols["censored"][row] if "censored" in self._cols else None
            prefix = censored if isinstance(censored, str) else ""
            derived = " (derived)" if "derived" in self._cols and bool(self._cols["derived"][row]) else ""
            return f"{prefix}{value:g}{derived}"
        if name == "unit":
            return unit_text(value)
        return str(value)


class _SortProxy(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(Qt.UserRole)
        self.analyte: str | None = None

    def filterAcceptsRow(self, source_row, source_parent):  # noqa: N802
        if self.analyte is None:
            return True
        return self.sourceModel()._cols["analyte"][source_row] == self.analyte


class DataPanel(QWidget):
    """Every observation with provenance; context menu and button to exclude or include."""

    rowActivated = Signal(int)  # source row, for the chart to show it

    def __init__(self, doc, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.model = ObservationsModel(self)
        self.proxy = _SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.view.horizontalHeader().setResizeContentsPrecision(200)  # sample rows: 50,000 stay fast
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.view.doubleClicked.connect(lambda i: self.rowActivated.emit(self.proxy.mapToSource(i).row()))

        self.analyte = QComboBox()
        self.analyte.addItem("All analytes", None)
        self.analyte.currentIndexChanged.connect(self._filter)
        self.exclude_button = QPushButton("Exclude…")
        self.exclude_button.setToolTip("Leave the selected value out of the analysis (you will be asked why)")
        self.exclude_button.clicked.connect(self.exclude_selected)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.analyte)
        top.addWidget(self.count, 1)
        top.addWidget(self.exclude_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._sized = False
        doc.watch({"exclusions"}, self.refresh)  # the observations change only with a new case
        self.refresh()

    def refresh(self) -> None:
        case = self.doc.case
        if case is None:
            self.model.set_frame(pd.DataFrame(columns=[c for c, _ in COLUMNS]), {})
            self.count.clear()
            return
        frame = case.labs.observations
        self.model.set_frame(frame, exclusion_reasons(case, frame))
        present = list(dict.fromkeys(frame["analyte"].tolist()))
        if [self.analyte.itemData(i) for i in range(1, self.analyte.count())] != present:
            self.analyte.blockSignals(True)
            current = self.analyte.currentData()
            self.analyte.clear()
            self.analyte.addItem("All analytes", None)
            for code in present:
                self.analyte.addItem(DISPLAY_NAME.get(code, code), code)
            self.analyte.setCurrentIndex(max(0, self.analyte.findData(current)))
            self.analyte.blockSignals(False)
        self._size_columns()
        n_ex = len(self.model._reasons)
        self.count.setText(f"{len(frame):,} values" + (f", {n_ex} excluded" if n_ex else ""))

    def _size_columns(self, seen: bool = False) -> None:
        """Fit the columns to their contents once, when the table is first seen (``seen``: its
        dock says so): measuring asks the model for thousands of cells, which a tab behind
        another one need not pay for at start-up. (Qt keeps such a tab "visible" but off-screen.)"""
        if self._sized or not self.model.rowCount():
            return
        if seen or (self.isVisible() and not self.visibleRegion().isEmpty()):
            self.view.resizeColumnsToContents()
            self._sized = True

    def showEvent(self, event) -> None:  # noqa: N802 - a panel used outside a dock
        super().showEvent(event)
        QTimer.singleShot(0, self._size_columns)  # after layout: is it really on screen?

    def seen(self, visible: bool = True) -> None:
        """The dock became visible (or its tab current): the table is on screen now."""
        if visible:
            self._size_columns(seen=True)

    def _filter(self) -> None:
        self.proxy.analyte = self.analyte.currentData()
        self.proxy.invalidateFilter()

    def selected_rows(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        return sorted(rows)

    def select_row(self, source_row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.view.selectRow(index.row())
            self.view.scrollTo(index)

    def exclude_selected(self) -> None:
        for row in self.selected_rows():
            if self.model.reason(row) is None:
                self.exclude_row(row)

    def exclude_row(self, row: int, reason: str | None = None) -> bool:
        """Exclude one observation; asks for the reason unless given. False if cancelled."""
        if reason is None:
            frame = self.model.frame()
            what = f"{DISPLAY_NAME.get(frame['analyte'].iat[row], '')} {frame['text'].iat[row]} on {pd.Timestamp(frame['time'].iat[row]):%d %b %Y}"
            reason = ask_reason(self, what)
            if not reason:
                return False
        exclusion = exclusion_for_row(self.doc.case, self.model.frame(), row, reason.strip())
        self.doc.push(ExcludeCommand(self.doc, exclusion))
        return True

    def include_row(self, row: int) -> None:
        exclusion = exclusion_for_row(self.doc.case, self.model.frame(), row, None)
        if exclusion is not None:
            self.doc.push(IncludeCommand(self.doc, exclusion))

    def _menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        row = self.proxy.mapToSource(index).row()
        menu = QMenu(self)
        if self.model.reason(row) is None:
            menu.addAction("Exclude from analysis…", lambda: self.exclude_row(row))
        else:
            menu.addAction("Include in analysis again", lambda: self.include_row(row))
        menu.exec(self.view.viewport().mapToGlobal(pos))
