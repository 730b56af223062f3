"""The Cycles dock: one row per cycle, the summary under it and the rules in words.

Selecting a row asks the chart to show that cycle (``cycleSelected``); the button, the row's
context menu or a double-click puts it in panel B of the figure. The window fields edit the
analysis window through a command, so typing dates and dragging the overview strip are the same
undoable edit.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from analysis.model import EVENT_KINDS
from analysis.numbers import ONE_DECIMAL, LabNumbers, format_number, format_p
from analysis.project.limits import LIMITS
from analysis.session import CASE_FIELDS
from analysis.treatment.medications import course_label

from ..commands import FigureSettingCommand, SetRulesCommand, SetWindowCommand
from ..screen_fit import scrolling
from .date_field import DateField
from .events import KIND_LABEL

HEADERS = ("Cycle", "Start", "Dose", "Pre", "Day after", "Nadir (day)", "Recovery", "Note")
INFECTION_TINT = "#F0E442"


# A number as the report, the figure and the command line print it (0.45, 1.1, 21).
fmt = format_number


def _draw_text(draw, with_day: bool = True, numbers: LabNumbers = ONE_DECIMAL) -> str:
    """"<0.1" for a result the lab reported below its limit: the "<" is part of the value."""
    if draw is None:
        return "–"
    return numbers.draw(draw.value, draw.censored) + (f" (d{draw.day})" if with_day else "")


def censored_note(stat) -> str:
    """The words analysis.report.stat_text adds when limits entered a median, or ""."""
    from analysis.report import stat_text

    text = stat_text(stat)
    return text.split("; ", 1)[1] if "; " in text else ""


def wilcoxon_text(w) -> str:
    """The paired test in one line; the model's note already says "Not computed: …"."""
    if w.p is not None:
        return f"Wilcoxon pre vs day after: W = {fmt(w.statistic)}, {format_p(w.p)}, n = {w.n} ({w.method})"
    if w.note:
        reason = w.note[len("Not computed: "):] if w.note.startswith("Not computed: ") else w.note
        return f"Wilcoxon pre vs day after: not computed: {reason}"
    return ""


def _nowrap(text: str) -> str:
    return text.replace(" ", "&nbsp;")


def summary_html(case) -> str:
    s = case.summary
    numbers = case.numbers  # the lab's decimals, as in the figure and the tables
    rows = []
    notes = []
    for name, st in (("Pre-infusion", s.pre), ("Day after", s.post), ("Nadir", s.nadir)):
        # "n = 5" and the range are one unit each: never broken over two lines.
        rows.append(
            f"<tr><td>{_nowrap(name)}</td><td align='right'><b>{numbers.median(st.median)}</b></td>"
            f"<td>{_nowrap(f'({numbers.value(st.min)}–{numbers.value(st.max)})')}</td>"
            f"<td>{_nowrap(f'n = {st.n}')}</td></tr>"
        )
        note = censored_note(st)
        if note:
            notes.append(f"{name}: {note}.")
    test = wilcoxon_text(s.wilcoxon)
    lines = [_escape(line) for line in (*notes, test) if line]
    extra = f"<p style='margin-top:4px'>{'<br>'.join(lines)}</p>" if lines else ""
    return (
        "<table cellspacing='0' cellpadding='2'><tr><th align='left'>ANC&nbsp;×10³/µL</th>"
        "<th>median</th><th align='left'>range</th><th></th></tr>" + "".join(rows) + "</table>" + extra
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CyclesPanel(QWidget):
    """Per-cycle table, summary and rules; emits ``cycleSelected(start, end)``."""

    cycleSelected = Signal(object, object)

    def __init__(self, doc, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self._updating = False

        # A date is read whole when editing finishes; the window changes on the next turn of the
        # event loop, so a click on the chart that took the focus away is handled on the chart
        # as it was when clicked (its menu names the day under the mouse, not a redrawn one).
        self.start_edit = DateField()
        self.end_edit = DateField()
        for edit in (self.start_edit, self.end_edit):
            edit.dateEdited.connect(lambda _d: QTimer.singleShot(0, self._window_edited))
        window_row = QHBoxLayout()
        window_row.setContentsMargins(0, 0, 0, 0)
        window_row.addWidget(QLabel("Analyse infusions from"))
        window_row.addWidget(self.start_edit)
        window_row.addWidget(QLabel("to"))
        window_row.addWidget(self.end_edit)
        # Any cycle can be the expanded panel B of the figure: the button, the row's context
        # menu or a double-click on the row.
        self.panel_b_button = QPushButton("Show in panel B")
        self.panel_b_button.setToolTip("Expand the selected cycle in panel B of the figure.")
        self.panel_b_button.setEnabled(False)
        self.panel_b_button.clicked.connect(lambda: self.show_in_panel_b(self.selected_cycle()))

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.itemDoubleClicked.connect(lambda item: self.show_in_panel_b(self._cycle_at(item.row())))

        self.summary = QLabel(wordWrap=True, textFormat=Qt.RichText)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.rules = QTextBrowser()
        self.rules.setOpenLinks(False)

        # Every control in one row above the table and the summary (the window, rule 1's gap,
        # the leave-out kinds, panel B), so that on a short dock (1280 x 720) the table's rows and
        # the summary get the lines; a narrow dock (125 % and more) puts them on two rows.
        right = QVBoxLayout()
        right.addWidget(self.summary)
        rules_title = QLabel("<b>Rules</b> (CYCLE-RULES)")
        # Which event types leave a cycle out of the summary: infection by default, G-CSF or a
        # hospitalisation when the physician says so. A menu of checkable kinds keeps it compact.
        self.leave_out_button = QToolButton()
        self.leave_out_button.setPopupMode(QToolButton.InstantPopup)
        self.leave_out_button.setToolTip("Event types whose cycles are left out of the summary.")
        self.leave_out_menu = QMenu(self.leave_out_button)
        self.leave_out_actions = {}
        for kind in EVENT_KINDS:
            action = self.leave_out_menu.addAction(KIND_LABEL.get(kind, kind))
            action.setCheckable(True)
            action.toggled.connect(lambda on, k=kind: self.set_left_out(k, on))
            self.leave_out_actions[kind] = action
        self.leave_out_button.setMenu(self.leave_out_menu)
        # Rule 1's gap (72 h by default): a drug given on days 1, 4, 8 and 11 has a 4-day gap
        # inside its cycle, so the physician widens it to make one course a cycle.
        self.course_gap = QDoubleSpinBox()
        self.course_gap.setDecimals(1)
        self.course_gap.setRange(0.1, LIMITS["course_gap_hours"][1] / 24)
        self.course_gap.setSingleStep(0.5)
        self.course_gap.setKeyboardTracking(False)  # typing "4.5" is one edit, made on Enter
        self.course_gap.setToolTip(
            "Doses at most this many days apart form one course, and a cycle starts at each course "
            "(default 3 days, 72 h).\nWiden it for a drug given on several days of each cycle, such "
            "as days 1, 4, 8 and 11: 5 days makes one course a cycle.")
        self.course_gap.valueChanged.connect(self.set_course_gap)
        options_row = QHBoxLayout()
        options_row.setContentsMargins(0, 0, 0, 0)
        options_row.addWidget(QLabel("Doses within"))
        options_row.addWidget(self.course_gap)
        options_row.addWidget(QLabel("days form one course"))
        options_row.addSpacing(6)
        options_row.addWidget(self.leave_out_button)
        options_row.addStretch(1)
        # Any cycle can be the expanded panel B of the figure: the button, the row's context
        # menu or a double-click on the row.
        options_row.addWidget(self.panel_b_button)
        self._window_group, self._options_group = QWidget(), QWidget()
        self._window_group.setLayout(window_row)
        self._options_group.setLayout(options_row)
        self.controls = QBoxLayout(QBoxLayout.LeftToRight)
        self.controls.addWidget(self._window_group)
        self.controls.addWidget(self._options_group, 1)
        controls = QWidget()
        controls.setLayout(self.controls)
        self.controls.setContentsMargins(0, 0, 0, 0)
        # The row's width must not set the window's least width: resizeEvent stacks it first.
        controls.setMinimumWidth(1)
        controls.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self._controls_widget = controls
        right.addWidget(rules_title)
        right.addWidget(self.rules, 1)
        right.setContentsMargins(0, 0, 0, 0)
        # The summary and the rules scroll when the dock is short (a 1280 x 720 screen), so that
        # their height does not set the dock's least height and the chart keeps the room.
        side = QWidget()
        side.setLayout(right)
        self.side = scrolling(side)
        # Its headings and a row at the least, so that the controls on two rows (a narrow dock)
        # do not hold the dock taller than the chart leaves it.
        self.table.setMinimumHeight(self.fontMetrics().height() * 3)
        self.side.setMinimumHeight(self.fontMetrics().height() * 3)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(self.side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(controls)
        layout.addLayout(body, 1)
        doc.watch(CASE_FIELDS, self.refresh)  # cycles follow every case edit, not figure settings
        doc.watch({"settings"}, self._follow_panel_b)  # only the "panel B" note follows settings
        self.refresh()

    def _controls_width(self) -> int:
        """The controls' width in one row."""
        return (self._window_group.sizeHint().width() + self._options_group.sizeHint().width()
                + self.controls.spacing())

    def _place_controls(self) -> None:
        """One row where the dock is wide enough (1280 x 720 at 100 %), else two."""
        room = self.width() - 12  # the panel's margins
        direction = QBoxLayout.LeftToRight if room >= self._controls_width() else QBoxLayout.TopToBottom
        if self.controls.direction() != direction:
            self.controls.setDirection(direction)
        self._controls_widget.setFixedHeight(self.controls.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._place_controls()
        super().resizeEvent(event)

    def _follow_panel_b(self) -> None:
        if self.doc.case is not None and self.doc.settings.panel_b != getattr(self, "_panel_b_shown", None):
            self.refresh()

    def refresh(self) -> None:
        case = self.doc.case
        self._panel_b_shown = self.doc.settings.panel_b if case is not None else None
        self._updating = True
        try:
            if case is None:
                self.table.setRowCount(0)
                self._rows = []
                self.summary.clear()
                self.rules.clear()
                return
            self._fill_rows(list(case.cycles), case.numbers)
            self._show_left_out(case.rules)
            self.course_gap.setValue(case.rules.course_gap_hours / 24)  # signals off: _updating
            self.summary.setText(summary_html(case))
            self.rules.setPlainText("\n".join(f"{i}. {t}" for i, t in enumerate(case.rules.describe(), 1)))
            self._show_window()
        finally:
            self._updating = False

    def _fill_rows(self, cycles, numbers) -> None:
        """One row per cycle; rows that read as before are left alone (an edit changes a few
        cycles of a ten-year record's 170, and 1,400 new cells cost more than the edit)."""
        rows = [self._row_values(c, numbers) for c in cycles]
        if self.table.rowCount() != len(rows):
            self.table.setRowCount(len(rows))
        shown = getattr(self, "_rows", [])
        for r, row in enumerate(rows):
            if r < len(shown) and shown[r] == row:
                continue
            values, infection, included = row
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if 3 <= col <= 6 or col == 0:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if infection:
                    item.setBackground(QBrush(QColor(INFECTION_TINT)))
                    item.setForeground(QBrush(QColor("#000000")))
                    where = "left out of" if not included else "kept in"
                    item.setToolTip(f"Infection-affected cycle: {where} the summary")
                self.table.setItem(r, col, item)
        self._rows = rows

    def _row_values(self, c, numbers) -> tuple:
        note = []
        if c.infection:
            note.append("infection")
        note.extend(KIND_LABEL.get(k, k) for k in c.left_out_by if k != "infection")
        if not c.included:
            note.append("not in summary")
        if self.doc.settings.panel_b == f"cycle:{c.number}":
            note.append("panel B")
        values = (
            str(c.number),
            f"{c.start:%d %b %Y}",
            course_label(c.course),
            _draw_text(c.pre, with_day=False, numbers=numbers),
            _draw_text(c.post, with_day=False, numbers=numbers),
            _draw_text(c.nadir, numbers=numbers),
            f"day {c.recovery_day}" if c.recovery_day is not None else "–",
            ", ".join(note),
        )
        return values, bool(c.infection), bool(c.included)

    def _show_left_out(self, rules) -> None:
        kinds = rules.left_out_kinds()
        for kind, action in self.leave_out_actions.items():
            action.blockSignals(True)
            action.setChecked(kind in kinds)
            action.blockSignals(False)
        names = ", ".join(KIND_LABEL.get(k, k) for k in kinds) or "nothing"
        self.leave_out_button.setText(f"Leave out cycles with: {names}")

    def set_left_out(self, kind: str, on: bool) -> None:
        """Leave cycles with ``kind`` events out of the summary (or keep them): one undo step."""
        case = self.doc.case
        if case is None or self._updating:
            return
        kinds = [k for k in case.rules.left_out_kinds() if k != kind] + ([kind] if on else [])
        rules = dataclasses.replace(case.rules, exclude_infection="infection" in kinds,
                                    leave_out=tuple(k for k in kinds if k != "infection"))
        if rules != case.rules:
            what = KIND_LABEL.get(kind, kind).lower()
            text = f"Leave out cycles with {what}" if on else f"Keep cycles with {what}"
            self.doc.push(SetRulesCommand(self.doc, rules, text))

    def set_course_gap(self, days: float) -> None:
        """Doses at most ``days`` apart form one course (rule 1's gap): one undo step."""
        case = self.doc.case
        if case is None or self._updating:
            return
        hours = round(days * 24, 6)
        if abs(hours - case.rules.course_gap_hours) < 1e-6:
            return
        rules = dataclasses.replace(case.rules, course_gap_hours=hours)
        self.doc.push(SetRulesCommand(self.doc, rules, f"Doses within {days:g} days form one course"))

    def _show_window(self) -> None:
        lo, hi = self.doc.case.effective_window()
        lo, hi = lo or date.today(), hi or date.today()  # an empty record: any date will do
        for edit, d in ((self.start_edit, lo), (self.end_edit, hi)):
            edit.setDate(QDate(d.year, d.month, d.day))

    def _window_edited(self) -> None:
        if self._updating or self.doc.case is None:
            return
        lo, hi = (e.date().toPython() for e in (self.start_edit, self.end_edit))
        if lo > hi:
            lo, hi = hi, lo
        if tuple(self.doc.case.window) != (lo, hi):
            self.doc.push(SetWindowCommand(self.doc, (lo, hi)))

    def _cycle_at(self, row: int):
        cycles = list(self.doc.case.cycles) if self.doc.case is not None else []
        return cycles[row] if 0 <= row < len(cycles) else None

    def selected_cycle(self):
        rows = {i.row() for i in self.table.selectedItems()}
        return self._cycle_at(rows.pop()) if len(rows) == 1 else None

    def show_in_panel_b(self, cycle) -> None:
        """Put ``cycle`` in panel B of the figure, as one undoable change."""
        if cycle is None or self.doc.settings.panel_b == f"cycle:{cycle.number}":
            return
        self.doc.push(FigureSettingCommand(self.doc, f"Show cycle {cycle.number} in panel B",
                                           panel_b=f"cycle:{cycle.number}"))

    def _context_menu(self, pos) -> None:
        cycle = self._cycle_at(self.table.rowAt(pos.y()))
        if cycle is None:
            return
        menu = QMenu(self)
        menu.addAction(f"Show cycle {cycle.number} in panel B", lambda: self.show_in_panel_b(cycle))
        menu.addAction(f"Zoom the chart to cycle {cycle.number}", lambda: self.cycleSelected.emit(cycle.start, cycle.end))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _selected(self) -> None:
        cycle = self.selected_cycle() if self.doc.case is not None else None
        self.panel_b_button.setEnabled(cycle is not None)
        if self._updating or cycle is None:
            return
        self.cycleSelected.emit(cycle.start, cycle.end)
