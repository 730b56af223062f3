"""The "The file" page of an import assistant: the sheet as in Excel, with what Nadir read
painted on it (:mod:`.sheet_preview`), the columns it reads in view and sized to their content.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QTableView, QVBoxLayout, QWidget

from .sheet_preview import RawSheetModel, TintLegend
from .widgets import note


class SheetPage(QWidget):
    """The raw rows of one sheet, the header row and the columns read tinted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.sheet_model = RawSheetModel(self)
        self.sheet_view = QTableView()
        self.sheet_view.setModel(self.sheet_model)
        self.sheet_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sheet_view.horizontalHeader().setDefaultSectionSize(110)
        self.sheet_view.verticalHeader().setDefaultSectionSize(22)
        self.sheet_view.setWordWrap(False)
        self.sheet_view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.preview_note = note()
        self._tints: dict[int, str] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.sheet_view, 1)
        layout.addWidget(TintLegend())
        layout.addWidget(self.preview_note)

    def show_sheet(self, rows: list[list], header_index: int | None, tints: dict[int, str], sheet: str) -> None:
        """Show ``rows`` (the first rows of ``sheet``) with the header row and ``tints`` painted."""
        self._tints = tints
        self.sheet_model.set_rows(rows, header_index, tints)
        self._fit_columns(rows, header_index)
        if header_index is not None:
            self.sheet_view.scrollTo(self.sheet_model.index(max(header_index - 2, 0), 0),
                                     QAbstractItemView.ScrollHint.PositionAtTop)
        shown = len(rows)
        where = f"sheet “{sheet}”" if sheet else "the file"
        more = f"the first {shown} rows of {where}" if shown >= 200 else f"all {shown} rows of {where}"
        self.preview_note.setText(f"Showing {more}, as in Excel.")

    def _fit_columns(self, rows: list[list], header_index: int | None) -> None:
        """Width from the header row down: a long title line above it must not widen column A."""
        metrics = self.sheet_view.fontMetrics()
        bold = self.sheet_view.font()
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        start = header_index or 0
        sample = rows[start : start + 80]
        for col in range(self.sheet_model.columnCount()):
            width = 48
            for i, row in enumerate(sample):
                if col < len(row):
                    text = self.sheet_model.data(self.sheet_model.index(start + i, col)) or ""
                    m = bold_metrics if i == 0 and header_index is not None else metrics
                    width = max(width, m.horizontalAdvance(text) + 14)
            # Columns Nadir does not read give way to those it does.
            cap = 240 if col in self._tints or not self._tints else 130
            self.sheet_view.setColumnWidth(col, min(width, cap))
        QTimer.singleShot(0, self, self.scroll_to_used_columns)

    def scroll_to_used_columns(self) -> None:
        """Bring the columns Nadir reads into view when the sheet is wider than the preview."""
        if not self._tints:
            return
        view = self.sheet_view
        left, right = min(self._tints), max(self._tints)
        x_left = sum(view.columnWidth(c) for c in range(left))
        x_right = sum(view.columnWidth(c) for c in range(right + 1))
        if x_right > view.viewport().width():
            view.horizontalScrollBar().setValue(min(x_left, x_right - view.viewport().width()))
