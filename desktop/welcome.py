"""The welcome page shown before a case is open: open a lab export, a project or the demo.

A lab export or a project can also be dropped on it (``fileDropped``); the window decides what
to do with it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .drops import FileDropTarget


def multi_select_click(platform: str | None = None) -> str:
    """How a file dialog adds a file to the chosen ones: Command-click on a Mac, Ctrl+click elsewhere."""
    return "⌘+click" if (platform or sys.platform) == "darwin" else "Ctrl+click"


class WelcomePage(FileDropTarget, QWidget):
    openLabsRequested = Signal()
    openProjectRequested = Signal(object)  # Path, or None to choose one
    demoRequested = Signal()
    fileDropped = Signal(object)  # Path of a lab export or a .nadir project
    filesDropped = Signal(object)  # noqa: N815 - Qt's signal naming. the files dropped together

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        icon = QLabel()
        icon.setPixmap(QApplication.windowIcon().pixmap(QSize(96, 96)))
        icon.setAlignment(Qt.AlignCenter)
        title = QLabel("<span style='font-size:24pt; font-weight:600'>Nadir</span>")
        title.setAlignment(Qt.AlignCenter)
        self.blurb = blurb = QLabel(
            "The neutrophil count against drug infusions, cycle by cycle:\n"
            "open a lab export, mark the infusions and events, and export the figure.\n"
            f"Choose the infusion record and the events table with the lab export ({multi_select_click()})\n"
            "to read all three at once. You can also drop a lab export or a project file here."
        )
        blurb.setAlignment(Qt.AlignCenter)
        blurb.setWordWrap(True)

        self.open_labs = QPushButton("Open a lab export…")
        self.open_project = QPushButton("Open a project…")
        self.open_demo = QPushButton("Open the demo case")
        self.open_labs.setDefault(True)
        for b in (self.open_labs, self.open_project, self.open_demo):
            b.setMinimumHeight(36)
            b.setMinimumWidth(200)
        self.open_labs.clicked.connect(self.openLabsRequested)
        self.open_project.clicked.connect(lambda: self.openProjectRequested.emit(None))
        self.open_demo.clicked.connect(self.demoRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.open_labs, self.open_project, self.open_demo):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.recent_label = QLabel("<b>Recent projects</b>")
        self.recent = QListWidget()
        self.recent.setMaximumWidth(640)
        self.recent.setMaximumHeight(200)
        self.recent.itemActivated.connect(lambda item: self.openProjectRequested.emit(Path(item.data(Qt.UserRole))))
        recent_row = QHBoxLayout()
        recent_row.addStretch(1)
        recent_col = QVBoxLayout()
        recent_col.addWidget(self.recent_label)
        recent_col.addWidget(self.recent)
        recent_row.addLayout(recent_col, 3)
        recent_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(icon)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addSpacing(18)
        layout.addLayout(buttons)
        layout.addSpacing(24)
        layout.addLayout(recent_row)
        layout.addStretch(3)

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.clear()
        for p in paths:
            item = QListWidgetItem(f"{p.name}    —    {p.parent}")
            item.setData(Qt.UserRole, str(p))
            item.setToolTip(str(p))
            self.recent.addItem(item)
        self.recent.setVisible(bool(paths))
        self.recent_label.setVisible(bool(paths))

    # --- drag and drop -------------------------------------------------------------------------

    def file_dropped(self, path) -> None:
        self.fileDropped.emit(path)

    def files_dropped(self, paths) -> None:
        self.filesDropped.emit(list(paths))
