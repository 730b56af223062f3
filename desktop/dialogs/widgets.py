"""Small widgets the import dialogs share: a heading, a busy status line, a list of messages.

Kept together because each is a few lines and the dialogs should look alike: the same heading
size, the same way of saying "working…", the same icons for warnings and skipped rows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)


def heading(text: str, *, size_delta: int = 3) -> QLabel:
    """A bold title line a little larger than the body text."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() + size_delta)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def note(text: str = "") -> QLabel:
    """Secondary explanatory text, wrapped."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5a5a5a;")
    return label


class StatusLine(QWidget):
    """"Reading labs.xlsx…" with a busy bar, or the outcome of the last step in words."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the readers report no progress
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.bar.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.bar)

    def _set_icon(self, pixmap: QStyle.StandardPixmap | None) -> None:
        if pixmap is None:
            self.icon.clear()
            self.icon.hide()
            return
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size, size))
        self.icon.show()

    def busy(self, text: str) -> None:
        self._set_icon(None)
        self.text.setText(text)
        self.text.setStyleSheet("")
        self.bar.show()

    def ok(self, text: str) -> None:
        self._set_icon(QStyle.StandardPixmap.SP_DialogApplyButton)
        self.text.setText(text)
        self.text.setStyleSheet("")
        self.bar.hide()

    def problem(self, text: str) -> None:
        self._set_icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.text.setText(text)
        self.text.setStyleSheet("color: #a4262c;")
        self.bar.hide()


class MessageList(QListWidget):
    """Warnings first, then skipped rows with their reasons, each one line in words."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def show_messages(self, warnings, skipped) -> None:
        self.clear()
        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        info = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        for text in warnings:
            QListWidgetItem(warn, str(text), self)
        for row in skipped:
            quoted = f" “{row.text}”" if row.text else ""
            QListWidgetItem(info, f"Skipped {_where(row.source)}:{quoted} — {row.reason}", self)
        if not self.count():
            item = QListWidgetItem("Nothing to report: every row was read.", self)
            item.setForeground(self.palette().placeholderText())

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


def _where(source) -> str:
    """"row 10, column C": the file is the one on screen, so its name is not repeated."""
    parts = []
    if source.row is not None:
        parts.append(f"row {source.row}")
    if source.column:
        parts.append(f"column {source.column}")
    if source.sheet and not parts:
        parts.append(f"sheet {source.sheet}")
    return ", ".join(parts) or source.file


class ChoiceBanner(QFrame):
    """A highlighted box that asks the one question the reader cannot answer by itself."""

    chosen = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("choiceBanner")
        self.setStyleSheet(
            "#choiceBanner { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px; }"
            "#choiceBanner QLabel { color: #3b2f00; }"
        )
        self.question = QLabel()
        self.question.setWordWrap(True)
        font = QFont(self.question.font())
        font.setBold(True)
        self.question.setFont(font)
        self.body = QVBoxLayout()
        self.button = QPushButton("Continue")
        self.button.setDefault(True)
        self.button.clicked.connect(self.chosen.emit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.question)
        layout.addLayout(self.body)
        layout.addLayout(row)
        self.hide()

    def clear_body(self) -> None:
        while self.body.count():
            item = self.body.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
            elif item.layout() is not None:
                _delete_layout(item.layout())


def _delete_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _delete_layout(item.layout())
