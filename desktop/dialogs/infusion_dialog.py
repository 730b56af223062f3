"""The import assistant for an infusion record (a medication-administration export).

A MAR lists every drug given and every pump event; Nadir needs one line per dose of the drug
under study. Left, how the record is read: sheet, header row, which column holds what (every
role can be corrected from the columns found), what each action word means (the words Nadir
does not know are marked), and the drug to analyse. Right, the file with the columns read
painted on it, the doses that will be used and every warning and skipped row with its reason.
Each change reads the record again in the background. It opens also when the automatic read
fails, since that is when the columns need choosing. Doses missing from the record can be added
by hand. Nothing reaches the case until "Use these infusions".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from analysis.errors import ChoiceRequired
from analysis.model import Administration

from ..screen_fit import fit_window, scrolling
from .events_dialog import what_to_choose
from .infusion_panel import DATE_CHOICES, WIDGETS, RecordPanel
from .infusion_reader import (  # noqa: F401 (re-exported)
    InfusionRead,
    dose_lines,
    fit_problems,
    options_of,
    read_infusions,
    same_patient,
)
from .record_assistant import RecordAssistant
from .sheet_preview import RawSheetModel, TintLegend
from .widgets import ChoiceBanner, MessageList, StatusLine, heading, note

COLUMNS = ("#", "Date and time", "Medication as recorded", "Dose", "Per kg", "Row in file")
TINT_LABELS = (("header", "Column headings"), ("time", "Date and time"), ("test", "Drug"), ("result", "Dose"),
               ("unit", "Other columns read"))
DATE_WORDS = {key: text for key, text in DATE_CHOICES if key}


class InfusionImportAssistant(RecordAssistant):
    """``administrations`` holds the chosen doses after accept (imported plus hand-entered)."""

    SHEET_RESETS = ("header_row", "columns", "actions", "product")
    COLUMN_RESETS = ("product",)  # other columns may name other drugs

    def __init__(self, parent: QWidget | None, path: str | Path, first: InfusionRead | None = None,
                 *, patient: str | None = None, lab_patient: str | None = None,
                 lab_span: tuple[datetime, datetime] | None = None, options: dict | None = None):
        """``patient`` filters the record; ``lab_patient`` and ``lab_span`` (first and last lab
        result) are those of the case being built, to say when the record does not fit them;
        ``options`` are choices made before (a project's settings, replayed)."""
        super().__init__(parent)
        self.path = Path(path)
        self.options: dict = dict(options or {})
        if patient:
            self.options["patient"] = patient
        self._first_options = dict(self.options)
        self.lab_patient = lab_patient or patient
        self.lab_span = lab_span
        self._confirmed: set[str] = set()  # problems the user chose to accept
        self.administrations: tuple[Administration, ...] = ()
        self.medication_import = None
        self.manual: list[Administration] = []
        self._read: InfusionRead | None = None
        self.setWindowTitle(f"Import infusions – {self.path.name}")
        self.setSizeGripEnabled(True)
        fit_window(self, (1240, 800), (980, 640))
        self._start_rereading()

        self.banner = ChoiceBanner()
        self.banner.chosen.connect(self._answer_choice)
        self._choice_combo: QComboBox | None = None
        # Another patient's record, or other dates than the labs: said at the top, not buried in
        # the warnings tab, and asked again before the infusions are used.
        self.fit_warning = QLabel()
        self.fit_warning.setObjectName("fitWarning")
        self.fit_warning.setWordWrap(True)
        self.fit_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.fit_warning.setStyleSheet(
            "#fitWarning { background: #fde7e9; color: #a4262c; border: 1px solid #a4262c; "
            "border-radius: 4px; padding: 8px; font-weight: 600; }")
        self.fit_warning.hide()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scrolling(self._settings_panel()))  # scrolls on a short screen
        splitter.addWidget(self._tabs_panel())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 810])
        splitter.setChildrenCollapsible(False)

        self.add_button = QPushButton("Add infusions by hand…")
        self.add_button.setToolTip("For doses given elsewhere or missing from this record.")
        self.add_button.clicked.connect(self._add_by_hand)
        self.status = StatusLine()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("Use these infusions", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Import infusions from {self.path.name}"))
        layout.addWidget(note("Each line of Infusions is one dose; pump events (new bag, rate change, stopped) of "
                              "the same infusion count once. If a column was read wrongly, choose the right one "
                              "on the left and the record is read again. Nothing is added to the case until "
                              "you click “Use these infusions”."))
        layout.addWidget(self.banner)
        layout.addWidget(self.fit_warning)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        if first is not None:
            self.show_result(first)
        else:
            self.start_read(self.options, f"Reading {self.path.name}…")

    # --- building ----------------------------------------------------------------------------

    def _settings_panel(self) -> QWidget:
        self.panel = RecordPanel()
        for name in WIDGETS:
            setattr(self, name, getattr(self.panel, name))
        self.reset_button.clicked.connect(self.reset_options)
        self.product_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("product", self.product_combo.currentData()))
        self.patient_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("patient", self.patient_combo.currentData()))
        self.premed_check.toggled.connect(lambda on: self._set_option("include_premedication", on or None))
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        self.header_spin.valueChanged.connect(lambda v: self._set_option("header_row", v or None, delay=True))
        self.date_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("date_order", self.date_combo.currentData()))
        self.roles.changed.connect(self.choose_column)
        self.action_words.changed.connect(self.choose_action)
        return self.panel

    def _tabs_panel(self) -> QWidget:
        self.sheet_model = RawSheetModel(self)
        self.sheet_view = QTableView()
        self.sheet_view.setModel(self.sheet_model)
        self.sheet_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sheet_view.horizontalHeader().setDefaultSectionSize(120)
        self.sheet_view.verticalHeader().setDefaultSectionSize(22)
        self.sheet_view.setWordWrap(False)
        file_page = QWidget()
        file_layout = QVBoxLayout(file_page)
        file_layout.addWidget(self.sheet_view, 1)
        file_layout.addWidget(TintLegend(labels=TINT_LABELS))

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.messages = MessageList()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "Infusions")
        self.tabs.addTab(self.messages, "Warnings and skipped rows")
        self.tabs.addTab(file_page, "The file")

        return self._results_panel(self.tabs)

    # --- reading -------------------------------------------------------------------------------

    def read(self, options: dict) -> InfusionRead:  # worker thread
        return read_infusions(self.path, options)

    def choose_product(self, product: str) -> None:
        self._set_option("product", product)

    def choose_patient(self, patient: str) -> None:
        self._set_option("patient", patient)

    def choose_action(self, word: str, meaning) -> None:
        """Read the action ``word`` as ``meaning`` ("start", "part", "not given", "no dose")."""
        if self._updating:
            return
        actions = dict(self.options.get("actions") or {})
        if meaning is None:
            actions.pop(word, None)
        else:
            actions[word] = meaning
        self._set_option("actions", actions or None)

    # --- showing -------------------------------------------------------------------------------

    def show_problem(self, text: str) -> None:
        self.status.problem(text)
        self.ok_button.setEnabled(bool(self.manual))

    def show_result(self, read: InfusionRead) -> None:
        self._read = read
        self._updating = True
        try:
            self._show_file(read)
            self.panel.show_reading(read, self.options)
            self.panel.show_choices(read, self.options)
        finally:
            self._updating = False
        self.reset_button.setEnabled(self.options != self._first_options)
        meds = read.meds
        self.banner.hide()
        if meds is not None:
            self.messages.show_messages(meds.warnings, meds.skipped)
            n_msg = len(meds.warnings) + len(meds.skipped)
        else:
            self.messages.clear()
            n_msg = 0
        self.tabs.setTabText(1, f"Warnings and skipped rows ({n_msg})" if n_msg else "Warnings and skipped rows")
        self._fill_table()
        if meds is not None and meds.administrations and self.tabs.currentIndex() == 2:
            self.tabs.setCurrentIndex(0)  # read at last: the doses are what to check now
        unknown = self.action_words.unknown_words()
        if unknown and self.ok_button.isEnabled():  # said where the user looks, not only in a tab
            self.status.ok(f"Ready to use these infusions; rows with {len(unknown)} action word"
                           f"{'s' if len(unknown) != 1 else ''} Nadir does not know were skipped (in red on "
                           "the left: say what they mean).")
        if isinstance(read.error, ChoiceRequired):
            self.show_choice(read.error)
        elif read.error is not None:
            from .errors import describe

            _title, what, _todo = describe(read.error)
            from analysis.treatment.columns import HEADER_SEARCH_ROWS

            self.show_problem(f"{what} {what_to_choose(read.header_index, self.options, HEADER_SEARCH_ROWS)}")
            self.tabs.setCurrentIndex(2)

    def _show_file(self, read: InfusionRead) -> None:
        self.sheet_model.set_rows(read.rows, read.header_index, read.tints)
        for col in range(self.sheet_model.columnCount()):
            self.sheet_view.resizeColumnToContents(col)
            self.sheet_view.setColumnWidth(col, min(self.sheet_view.columnWidth(col), 240))
        if read.header_index is not None:
            self.sheet_view.scrollTo(self.sheet_model.index(max(read.header_index - 2, 0), 0),
                                     QAbstractItemView.ScrollHint.PositionAtTop)

    def _doses(self) -> list[Administration]:
        imported = list(self._read.meds.administrations) if self._read is not None and self._read.meds else []
        return sorted(imported + self.manual, key=lambda a: a.time)

    def _fill_table(self) -> None:
        meds = self._read.meds if self._read is not None else None
        doses = self._doses()
        premeds = list(meds.premedication) if meds is not None and self.options.get("include_premedication") else []
        rows = dose_lines(doses, premeds)
        self.table.setRowCount(len(rows))
        grey = QBrush(QColor("#808080"))
        italic = QFont()
        italic.setItalic(True)
        for row, (values, is_premed) in enumerate(rows):
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col in (0, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if is_premed:
                    item.setForeground(grey)
                    item.setFont(italic)
                self.table.setItem(row, col, item)
        self.tabs.setTabText(0, f"Infusions ({len(doses)})" if doses else "Infusions")
        if doses:
            label = meds.product if meds is not None and meds.product else doses[0].product
            span = f"from {doses[0].time:%d %b %Y} to {doses[-1].time:%d %b %Y}"
            hand = f", {len(self.manual)} of them entered by hand" if self.manual else ""
            self.summary.setText(f"<b>{len(doses)} infusion{'s' if len(doses) != 1 else ''} of {label}</b> "
                                 f"{span}{hand}.")
            self.status.ok("Ready to use these infusions.")
        else:
            self.summary.setText("")
            self.status.problem("No infusions of this medication were found.")
        self.ok_button.setEnabled(bool(doses))
        self._show_fit()

    def fit_problems(self) -> list[str]:
        """What does not fit the lab results, for the doses on screen."""
        meds = self._read.meds if self._read is not None else None
        return fit_problems(meds, self._doses(), self.lab_patient, self.lab_span)

    def _show_fit(self) -> None:
        problems = self.fit_problems()
        if problems:
            self.fit_warning.setText(" ".join(problems) + " Check that the two files belong together "
                                     "before you use these infusions.")
        self.fit_warning.setVisible(bool(problems))

    def show_choice(self, exc: ChoiceRequired) -> None:
        self.banner.clear_body()
        if exc.kind == "patient":
            self.banner.question.setText(
                f"This record lists infusions for {len(exc.options)} patients. Whose infusions should Nadir use?")
            self.banner.button.setText("Use this patient")
        else:
            self.banner.question.setText(exc.message)
            self.banner.button.setText("Continue")
        combo = QComboBox()
        for option in exc.options:  # a date order in words ("Day first (DD/MM/YYYY)"), not its code
            combo.addItem(DATE_WORDS.get(option, option) if exc.kind == "date_order" else option, option)
        combo.setMinimumWidth(240)
        if exc.kind == "date_order":
            self.banner.question.setText("The dates of this record can be read two ways (day or month first). "
                                         "How are they written?")
            self.banner.button.setText("Use this date order")
        if exc.kind == "patient" and self.lab_patient:  # the lab patient first, when listed
            match = [i for i, p in enumerate(exc.options) if same_patient(p, self.lab_patient)]
            if match:
                combo.setCurrentIndex(match[0])
            else:
                self.fit_warning.setText(f"None of these patients is the patient of the lab results "
                                         f"({self.lab_patient}).")
                self.fit_warning.show()
        self.banner.body.addWidget(combo)
        self._choice_combo = combo
        self._choice_kind = exc.kind
        self.banner.show()
        self.status.problem("Nadir needs your answer to the question above.")
        self.ok_button.setEnabled(False)

    def _answer_choice(self) -> None:
        if self._choice_combo is None:
            return
        self._set_option(self._choice_kind, self._choice_combo.currentData())

    def _add_by_hand(self) -> None:
        from .regimen_dialog import enter_regimen

        doses = self._doses()
        if doses:
            start = doses[-1].time
        elif self.lab_span is not None:
            start = self.lab_span[0].replace(hour=9, minute=0, second=0, microsecond=0)
        else:
            start = None
        added = enter_regimen(self, start=start)
        if added:
            self.manual.extend(added)
            self._fill_table()

    def accept(self) -> None:
        doses = self._doses()
        if self.busy or not doses:
            return
        if not self._confirm_fit():
            return
        self.administrations = tuple(doses)
        self.medication_import = self._read.meds if self._read is not None else None
        super().accept()


    def _confirm_fit(self) -> bool:
        """Ask before using infusions that do not fit the labs; the safe answer is the default."""
        problems = [p for p in self.fit_problems() if p not in self._confirmed]
        if not problems:
            return True
        answer = QMessageBox.question(
            self, "Use this infusion record?", " ".join(problems) + " Use it anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self._confirmed.update(problems)
        return True


# The entry points live in infusion_entry.py; importable from here as before.
from .infusion_entry import import_infusions_interactively, infusion_assistant  # noqa: E402, F401
