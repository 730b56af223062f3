"""The raw sheet as the user knows it from Excel (row numbers, column letters), with what Nadir
decided painted on it: the header row highlighted, the time, test and result columns tinted.

Seeing its own file with the detection drawn over it is how a physician checks the importer
in a glance ("yes, it took Collection Date, not Result Date").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLayoutItem, QWidget

from analysis.importing.observations import column_letter

PREVIEW_ROWS = 200
MAX_CELL_CHARS = 80

# Pale tints that keep black text readable; the header row is stronger.
TINTS = {
    "header": QColor("#bcd4f6"),
    "time": QColor("#dcefdc"),
    "test": QColor("#ece0f5"),
    "result": QColor("#fde7c8"),
    "unit": QColor("#eeeeee"),
}
TINT_LABELS = (
    ("header", "Column headings"),
    ("time", "Collection time"),
    ("test", "Test name"),
    ("result", "Result"),
    ("unit", "Unit"),
)


def cell_display(value) -> str:
    """A raw cell as text, dates in ISO order so they read the same in every country."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.strftime("%Y-%m-%d")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        return f"{value:.10g}"
    text = str(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


class RawSheetModel(QAbstractTableModel):
    """The first rows of a sheet, read-only, tinted by the detection."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[list] = []
        self._width = 0
        self._header_index: int | None = None
        self._tints: dict[int, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[list], header_index: int | None = None, tints: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows[:PREVIEW_ROWS])
        self._width = max((len(r) for r in self._rows), default=0)
        # Trailing empty columns only make the preview wider.
        while self._width and all(len(r) < self._width or r[self._width - 1] in ("", None) for r in self._rows):
            self._width -= 1
        self._header_index = header_index if header_index is not None and header_index < len(self._rows) else None
        self._tints = dict(tints or {})
        self.endResetModel()

    @property
    def header_index(self) -> int | None:
        return self._header_index

    @property
    def tints(self) -> dict[int, str]:
        return dict(self._tints)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else self._width

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            cells = self._rows[row]
            return cell_display(cells[col]) if col < len(cells) else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            if row == self._header_index:
                return QBrush(TINTS["header"])
            key = self._tints.get(col)
            if key is not None and (self._header_index is None or row > self._header_index):
                return QBrush(TINTS[key])
        if role == Qt.ItemDataRole.FontRole and row == self._header_index:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and self._header_index is not None:
            if row < self._header_index:
                return QBrush(QColor("#777777"))  # title block above the header: not data
            if row == self._header_index or col in self._tints:
                return QBrush(QColor("#000000"))  # pale tints stay readable under a dark theme
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return column_letter(section) if orientation == Qt.Orientation.Horizontal else str(section + 1)


class _FlowLayout(QLayout):
    """Items left to right, wrapped onto the next line where the width runs out: a row of
    legend chips as narrow as its widest item, not as wide as all of them."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 14, line_spacing: int = 4):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing, self._line_spacing = spacing, line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt's name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        widths = [item.sizeHint().width() for item in self._items]
        heights = [item.sizeHint().height() for item in self._items]
        return QSize(sum(widths) + self._spacing * max(len(widths) - 1, 0), max(heights, default=0))

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + self._line_spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


class TintLegend(QWidget):
    """Small coloured chips naming what each tint means, on as many lines as the width needs
    (in one row they made the import assistants 470-520 px wide at least, so that at 853 × 480
    the results pane lay over the settings' scroll bar and the names were cut: "Columr")."""

    def __init__(self, parent: QWidget | None = None, labels=TINT_LABELS):
        super().__init__(parent)
        layout = _FlowLayout(self)
        for key, text in labels:  # the infusion and events assistants name the tints their way
            chip = QLabel()
            chip.setFixedSize(14, 14)
            chip.setStyleSheet(f"background: {TINTS[key].name()}; border: 1px solid #9a9a9a;")
            label = QLabel(text)
            pair_widget = QWidget()  # a chip stays with its name when the line wraps
            pair = QHBoxLayout(pair_widget)
            pair.setContentsMargins(0, 0, 0, 0)
            pair.setSpacing(5)
            pair.addWidget(chip)
            pair.addWidget(label)
            layout.addWidget(pair_widget)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
