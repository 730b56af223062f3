"""What the lab, infusion-record and events assistants share: the reading options the user sets,
read again after a pause in typing, and the summary line above the result tabs."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from .background import BackgroundReader

REREAD_DELAY_MS = 300  # typing "12" in the header row box is one read, not two


class RecordAssistant(BackgroundReader):
    """A BackgroundReader whose ``options`` (dict) are read again whenever the user changes one.

    Subclasses set ``self.path``, ``self.options`` (and ``self._first_options``, what the
    assistant opened with), ``self.status`` and ``self.ok_button``, and call
    ``_start_rereading()`` in their ``__init__``; ``_updating`` is True while they fill their
    controls from a read, so that the controls' own signals do not start another. A subclass
    with a sheet choice has ``self.sheet_combo``; ``choose_column`` is for those whose columns
    the user names (``options["columns"]``, role -> heading)."""

    # The options a choice of another sheet, or of a column, makes stale (each assistant its own).
    SHEET_RESETS: tuple[str, ...] = ("header_row", "columns")
    COLUMN_RESETS: tuple[str, ...] = ()

    def _start_rereading(self) -> None:
        self._updating = False
        self._timer = QTimer(self, singleShot=True, interval=REREAD_DELAY_MS)
        self._timer.timeout.connect(self._reread_now)

    def _results_panel(self, tabs: QTabWidget) -> QWidget:
        """``tabs`` under a summary line (``self.summary``)."""
        self.tabs = tabs
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(tabs, 1)
        return panel

    @property
    def busy(self) -> bool:
        return super().busy or self._timer.isActive()

    def _set_option(self, key: str, value, *, delay: bool = False) -> None:
        if self._updating:
            return
        if value is None:
            self.options.pop(key, None)
        else:
            self.options[key] = value
        if delay:
            self.set_busy("Waiting for you to finish typing…")
            self._timer.start()
        else:
            self._reread_now()

    def _reread_now(self) -> None:
        self._timer.stop()
        self.start_read(self.options, f"Reading {self.path.name} again…")

    def _sheet_changed(self, _index: int) -> None:
        if self._updating:
            return
        # What was found or chosen on one sheet says nothing about another.
        for key in self.SHEET_RESETS:
            self.options.pop(key, None)
        self._set_option("sheet", self.sheet_combo.currentData())

    def choose_column(self, role: str, heading) -> None:
        """Read ``role`` from the column ``heading`` ("" = the file has none, None = automatic)."""
        if self._updating:
            return
        columns = dict(self.options.get("columns") or {})
        if heading is None:
            columns.pop(role, None)
        else:
            columns[role] = heading
        for key in self.COLUMN_RESETS:
            self.options.pop(key, None)
        self._set_option("columns", columns or None)

    def reset_options(self) -> None:
        """Back to the options the assistant opened with."""
        self.options = dict(self._first_options)
        self._reread_now()

    def set_busy(self, what: str) -> None:
        self.status.busy(what)
        self.ok_button.setEnabled(False)
