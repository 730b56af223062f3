"""The imported results as a table: what Nadir will plot, each value traced to its cell.

A model over the observations DataFrame (formatting on demand, so a 100k-row export shows at
once); ANC rows are bold because they are the ones the analysis uses.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from analysis.model import ANC, DISPLAY_NAME

from ..display import unit_text

COLUMNS = ("Collected", "Test", "Value", "Unit", "As exported", "Flag", "From")


def _value_text(value: float, censored) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    prefix = censored if isinstance(censored, str) else ""
    return f"{prefix}{value:.4g}"


class ObservationsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._cols: dict[str, list] = {}
        self._n = 0
        self._bold = QFont()
        self._bold.setBold(True)

    def set_frame(self, frame) -> None:
        self.beginResetModel()
        # Plain lists once: pandas row access per cell would make a 70k-row table crawl.
        self._cols = {} if frame is None else {name: frame[name].tolist() for name in frame.columns}
        self._n = 0 if frame is None else len(frame)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else self._n

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not self._n:
            return None
        c, i, col = self._cols, index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return c["time"][i].strftime("%d %b %Y" if c["date_only"][i] else "%d %b %Y %H:%M")
            if col == 1:
                name = DISPLAY_NAME.get(c["analyte"][i], c["analyte"][i])
                return f"{name} (derived)" if c["derived"][i] else name
            if col == 2:
                return _value_text(c["value"][i], c["censored"][i])
            if col == 3:
                return unit_text(c["unit"][i])  # display only: the data keep "10^3/uL"
            if col == 4:
                text, unit = str(c["text"][i]), c["source_unit"][i]
                return f"{text} {unit}" if isinstance(unit, str) and unit and unit not in text else text
            if col == 5:
                return c["flag"][i] if isinstance(c["flag"][i], str) else ""
            if col == 6:
                sheet = f"{c['sheet'][i]}!" if c["sheet"][i] else ""
                return f"{sheet}{c['column'][i]}{int(c['row'][i])}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and c["analyte"][i] == ANC:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and col == 6:
            return f"Row {int(c['row'][i])}, column {c['column'][i]} of {c['file'][i]}"
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return COLUMNS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)
