"""Help inside the app: the bundled user guide, read offline, and the list of keyboard shortcuts.

The guide is ``docs/user-guide.md`` with its screenshots: in a checkout it is the repository's
``docs/``, in the frozen app the copy PyInstaller bundles (installer/bundle_rules.DATAS), in a
wheel ``desktop/_docs``. QTextBrowser renders the Markdown and its images itself, so nothing is
opened in a browser and no network is needed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .screen_fit import fit_window

GUIDE = "user-guide.md"


def docs_folder() -> Path | None:
    """Where the user guide is: checkout or frozen bundle (``docs/``), or a wheel (``_docs``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "docs", here / "_docs"):
        if (candidate / GUIDE).is_file():
            return candidate
    return None


class GuideWindow(QDialog):
    """The user guide in a window of its own, beside the main window (not modal)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Nadir user guide")
        self.setModal(False)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._link)
        folder = docs_folder()
        if folder is not None:
            self.browser.setSearchPaths([str(folder)])
            self.browser.setSource(QUrl.fromLocalFile(str(folder / GUIDE)))
        else:
            self.browser.setPlainText("The user guide is not included in this copy of Nadir. It is "
                                      "docs/user-guide.md in the source code.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        fit_window(self, (900, 820), (480, 360))

    def _link(self, url: QUrl) -> None:
        # Links inside the guide (sections, CYCLE-RULES.md) stay here; a web address is the only
        # thing handed to the system, and only when the user clicks it.
        if url.scheme() in ("http", "https", "mailto"):
            self.browser.setSource(self.browser.source())  # stay on the page
            QDesktopServices.openUrl(url)


def shortcut_rows(window) -> list[tuple[str, str]]:
    """(what, keys) for every menu action of ``window`` that has a shortcut, in menu order, and
    the chart's own keys: read from the actions, so the list is never out of date."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        for action in menu.actions():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if keys and action.text():
                rows.append((f"{menu_action.text().replace('&', '')} › {action.text().replace('&', '')}",
                             ", ".join(keys)))
    rows += [
        ("Chart › Pan", "Arrow keys, or drag"),
        ("Chart › Zoom in and out", "+ and −, or the mouse wheel"),
        ("Chart › Add an event lasting several days", "Shift+drag across the days"),
    ]
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Undo and Redo work wherever the keyboard focus is, also in a date field."))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        fit_window(self, (620, 560), (360, 300))
