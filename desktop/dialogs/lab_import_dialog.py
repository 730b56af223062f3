"""The import assistant for lab results: see the file as Nadir read it, correct what is wrong,
then import.

Left, how the file is read (sheet, header row, layout, date order, patient, the dictionary that
names a research extract's test codes, and which test in the file is which analyte); right,
the file itself with the detection painted on it, the results that would be imported, and
every warning and skipped row in words. Each change reads the file
again in the background with the user's overrides. When the importer cannot decide (two
patients, dates that read both ways) the question appears at the top. Nothing reaches the case
until Import.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from analysis.errors import ChoiceRequired
from analysis.model import ANALYTES, ANC, DISPLAY_NAME, LabImport

from ..display import unit_nowrap
from ..screen_fit import fit_window, scrolling
from .lab_choice import LabChoice
from .lab_reader import LabRead, read_labs
from .record_assistant import RecordAssistant
from .results_model import ObservationsModel
from .sheet_page import SheetPage
from .widgets import ChoiceBanner, MessageList, StatusLine, heading, note

LAYOUT_CHOICES = (
    (None, "Automatic"),
    ("long", "One row per result"),
    ("wide", "One column per test"),
    ("transposed", "One column per draw"),
)
LAYOUT_WORDS = {key: text.lower() for key, text in LAYOUT_CHOICES if key}
DATE_CHOICES = (
    (None, "Automatic"),
    ("MDY", "Month first (MM/DD/YYYY)"),
    ("DMY", "Day first (DD/MM/YYYY)"),
    ("YMD", "Year first (YYYY-MM-DD)"),
)
DATE_WORDS = {"MDY": "month first", "DMY": "day first", "YMD": "year first"}
IGNORE = "ignore"
ANALYTE_CHOICES = tuple((code, f"{DISPLAY_NAME[code]}" + (" (absolute neutrophil count)" if code == ANC else ""))
                        for code in ANALYTES) + ((IGNORE, "Not imported"),)

class LabImportAssistant(RecordAssistant):
    """Shows one lab export as Nadir reads it; ``lab_import`` holds the result after Import."""

    SHEET_RESETS = ("header_row", "layout")  # what was found on one sheet says nothing about another

    def __init__(self, parent: QWidget | None, path: str | Path, first: LabRead | None = None,
                 options: dict | None = None):
        super().__init__(parent)
        self.path = Path(path)
        # ``options``: what the assistant opens with (a dictionary dropped with the extract);
        # "Undo my changes" goes back to them.
        self.options: dict = dict(options or {})
        self._first_options = dict(self.options)
        self.lab_import: LabImport | None = None
        self._read: LabRead | None = None
        self._start_rereading()
        self.setWindowTitle(f"Import lab results – {self.path.name}")
        self.setSizeGripEnabled(True)
        fit_window(self, (1240, 800), (980, 640))

        self.banner = ChoiceBanner()
        self.banner.chosen.connect(self._answer_choice)
        self.choice = LabChoice(self.banner)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        # The settings scroll when the screen is short, so the Import button stays on screen.
        splitter.addWidget(scrolling(self._settings_panel()))
        splitter.addWidget(self._tabs_panel())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 820])
        splitter.setChildrenCollapsible(False)

        self.status = StatusLine()
        self.buttons = QDialogButtonBox()
        # ok_button: the name RecordAssistant knows it by.
        self.import_button = self.ok_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.import_button.setEnabled(False)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Import lab results from {self.path.name}"))
        layout.addWidget(note(
            "Check what Nadir found in this file. If something is wrong, change it on the left and "
            "the file is read again. Nothing is added to the case until you click Import."
        ))
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        if first is not None:
            self.show_result(first)
        else:
            self.start_read(self.options, f"Reading {self.path.name}…")
        self.tabs.setFocus()

    # --- building ----------------------------------------------------------------------------

    def _settings_panel(self) -> QWidget:
        panel = QWidget()
        self.reset_button = QPushButton("Undo my changes")
        self.reset_button.setToolTip("Read the file again exactly as Nadir first did.")
        self.reset_button.clicked.connect(self.reset_options)
        self.reset_button.setEnabled(False)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self._how_read_box())
        layout.addWidget(self._tests_box(), 1)
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)
        return panel

    def _how_read_box(self) -> QGroupBox:
        """Sheet, header row, layout, date order and patient, each an override when chosen."""
        self.sheet_combo = QComboBox()
        self.header_spin = QSpinBox(minimum=0, maximum=1_000_000)
        self.header_spin.setSpecialValueText("automatic")
        self.header_spin.setToolTip("The row that names the columns (Date, Test, Result …), as Excel numbers rows.")
        self.layout_combo = QComboBox()
        for key, text in LAYOUT_CHOICES:
            self.layout_combo.addItem(text, key)
        self.date_combo = QComboBox()
        for key, text in DATE_CHOICES:
            self.date_combo.addItem(text, key)
        self.date_combo.setToolTip("How dates written as text are to be read; dates stored as dates need no choice.")
        self.patient_combo = QComboBox()
        self.patient_combo.setToolTip("The file holds results for more than one patient.")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Sheet:", self.sheet_combo)
        form.addRow("Column headings in row:", self.header_spin)
        form.addRow("Layout:", self.layout_combo)
        form.addRow("Dates:", self.date_combo)
        form.addRow("Patient:", self.patient_combo)
        form.addRow("Test codes:", self._dictionary_row())
        where = QGroupBox("How the file is read")
        where.setLayout(form)

        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        self.header_spin.valueChanged.connect(lambda v: self._set_option("header_row", v or None, delay=True))
        self.layout_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("layout", self.layout_combo.currentData()))
        self.date_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("date_order", self.date_combo.currentData()))
        self.patient_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("patient", self.patient_combo.currentData()))
        return where

    def _dictionary_row(self) -> QWidget:
        """The file that names a research extract's test codes (MIMIC's d_labitems.csv): chosen
        here, read with the extract, kept in the project's lab import settings."""
        self.dictionary_label = QLabel()
        self.dictionary_label.setWordWrap(True)  # takes the width left, so the panel keeps its own
        self.dictionary_button = QPushButton("Codes dictionary…")
        self.dictionary_button.setToolTip(
            "A research extract names its tests by code (such as MIMIC's itemid). Choose the file that "
            "lists each code with its test name (such as d_labitems.csv).")
        self.dictionary_button.clicked.connect(self._pick_dictionary)
        self.no_dictionary_button = QPushButton("None")
        self.no_dictionary_button.setToolTip("Read the test codes without a dictionary.")
        self.no_dictionary_button.clicked.connect(lambda: self.choose_dictionary(None))
        # The buttons, and the file chosen under them: in one line they would widen the panel.
        buttons = QHBoxLayout()
        buttons.addWidget(self.dictionary_button)
        buttons.addWidget(self.no_dictionary_button)
        buttons.addStretch(1)
        row = QWidget()
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.dictionary_label)
        self._show_dictionary()
        return row

    def _tests_box(self) -> QGroupBox:
        """The tests in the file and the analyte each is read as (or not imported)."""
        self.mapping_table = QTableWidget(0, 2)
        self.mapping_table.setHorizontalHeaderLabels(["Name in the file", "Read as"])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.mapping_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.units_label = note()
        tests = QGroupBox("Tests in the file")
        tests_layout = QVBoxLayout(tests)
        tests_layout.addWidget(note("Choose “Not imported” for a test Nadir matched wrongly, or pick the "
                                    "analyte for a test it did not recognise."))
        tests_layout.addWidget(self.mapping_table, 1)
        tests_layout.addWidget(self.units_label)
        return tests

    def _tabs_panel(self) -> QWidget:
        self.file_page = SheetPage()
        self.sheet_model = self.file_page.sheet_model

        self.results_model = ObservationsModel(self)
        self.results_view = QTableView()
        self.results_view.setModel(self.results_model)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.verticalHeader().setDefaultSectionSize(22)
        header = self.results_view.horizontalHeader()
        header.setDefaultSectionSize(120)
        header.setStretchLastSection(True)

        self.messages = MessageList()

        tabs = QTabWidget()
        tabs.addTab(self.file_page, "The file")
        tabs.addTab(self.results_view, "Results to import")
        tabs.addTab(self.messages, "Warnings and skipped rows")
        panel = self._results_panel(tabs)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        return panel

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        QTimer.singleShot(0, self, self.file_page.scroll_to_used_columns)  # the view has its real width now

    # --- reading -----------------------------------------------------------------------------

    def read(self, options: dict) -> LabRead:  # worker thread
        return read_labs(self.path, options)

    def _pick_dictionary(self) -> None:
        from .case_import import LAB_FILTER, ask_open

        chosen = ask_open(self, "Choose the dictionary of test codes", LAB_FILTER, {"labs": self.path})
        if chosen is not None:
            self.choose_dictionary(chosen)

    # --- programmatic choices (the tests and keyboard users take the same path) ----------------

    def choose_patient(self, patient: str) -> None:
        self._set_option("patient", patient)

    def choose_date_order(self, order: str) -> None:
        self._set_option("date_order", order)

    def choose_dictionary(self, path: str | Path | None) -> None:
        """Read the test codes with the dictionary file ``path`` (None: without a dictionary)."""
        self._set_option("dictionary", str(path) if path else None)
        self._show_dictionary()

    def map_test(self, name: str, analyte: str) -> None:
        """Read the test ``name`` as ``analyte`` (a code, or "ignore")."""
        self._set_option("mapping", {**(self.options.get("mapping") or {}), name: analyte})

    # --- showing -----------------------------------------------------------------------------

    def show_problem(self, text: str) -> None:
        self.status.problem(text)
        self.import_button.setEnabled(False)

    def show_result(self, read: LabRead) -> None:
        self._read = read
        self._updating = True
        try:
            self._show_file(read)
            self._show_settings(read)
            self._show_names(read)
            lab = read.lab
            self.results_model.set_frame(lab.observations if lab is not None else None)
            self.results_view.resizeColumnsToContents()
            if lab is not None:
                self.messages.show_messages(lab.warnings, lab.skipped)
            else:
                self.messages.clear()
            count = self.messages.count() if lab and (lab.warnings or lab.skipped) else 0
            self.tabs.setTabText(2, f"Warnings and skipped rows ({count})" if count else "Warnings and skipped rows")
            self.tabs.setTabText(1, f"Results to import ({len(lab.observations)})" if lab else "Results to import")
        finally:
            self._updating = False
        self.reset_button.setEnabled(self.options != self._first_options)
        if lab is not None:
            self._hide_choice()
            self.summary.setText(self._summary_html(lab))
            n_anc = int((lab.observations["analyte"] == ANC).sum())
            self.status.ok(f"Ready: {n_anc} neutrophil count{'s' if n_anc != 1 else ''} (ANC) will be imported.")
            self.import_button.setEnabled(True)
        elif isinstance(read.error, ChoiceRequired):
            self.summary.setText("")
            self.show_choice(read.error)
        else:
            self.summary.setText("")
            self._hide_choice()
            from .errors import describe

            _title, what, todo = describe(read.error) if read.error else ("", "Nothing was read.", "")
            self.show_problem(f"{what} {todo}".strip())

    def _show_dictionary(self) -> None:
        chosen = self.options.get("dictionary")
        name = Path(chosen).name if chosen else "none chosen"
        # A long name is cut, so that the settings panel keeps its width.
        self.dictionary_label.setText(name if len(name) <= 28 else name[:26] + "…")
        self.dictionary_label.setToolTip(str(chosen) if chosen else "")
        self.no_dictionary_button.setEnabled(bool(chosen))

    def _show_file(self, read: LabRead) -> None:
        self.file_page.show_sheet(read.rows, read.header_index, read.tints, read.sheet)

    def _show_settings(self, read: LabRead) -> None:
        self.sheet_combo.clear()
        for name in read.sheets:
            self.sheet_combo.addItem(name or "(CSV file: one sheet)", name)
        self.sheet_combo.setCurrentIndex(max(read.sheets.index(read.sheet), 0) if read.sheet in read.sheets else 0)
        self.sheet_combo.setEnabled(len(read.sheets) > 1)

        det = read.lab.detection if read.lab is not None else None
        found_header = det.header_row if det is not None else (
            read.header_index + 1 if read.header_index is not None else None)
        self.header_spin.setSpecialValueText(f"automatic (row {found_header})" if found_header else "automatic")
        self.header_spin.setValue(self.options.get("header_row") or 0)

        layout = det.layout if det is not None else read.layout
        self.layout_combo.setItemText(0, f"Automatic: {LAYOUT_WORDS[layout]}" if layout else "Automatic")
        self.layout_combo.setCurrentIndex(self.layout_combo.findData(self.options.get("layout")))

        order = det.date_order if det is not None else None
        self.date_combo.setItemText(0, f"Automatic: {DATE_WORDS[order]}" if order in DATE_WORDS
                                    else "Automatic")
        self.date_combo.setCurrentIndex(self.date_combo.findData(self.options.get("date_order")))

        self.patient_combo.clear()
        lab = read.lab
        patients = list(lab.patients) if lab is not None else []
        if isinstance(read.error, ChoiceRequired) and read.error.kind == "patient":
            patients = list(read.error.options)
        if not patients:
            self.patient_combo.addItem("not named in the file", None)
        for p in patients:
            self.patient_combo.addItem(p, p)
        chosen = lab.patient if lab is not None else None
        index = self.patient_combo.findData(chosen) if chosen else -1
        self.patient_combo.setCurrentIndex(max(index, 0))
        self.patient_combo.setEnabled(len(patients) > 1)
        self._show_dictionary()

    def _show_names(self, read: LabRead) -> None:
        table = self.mapping_table
        table.setRowCount(len(read.names))
        for row, (name, code) in enumerate(read.names):
            # A code is shown with the name its dictionary gives it: "52075 – Absolute Neutrophil Count".
            shown = f"{name} – {read.code_names[name]}" if name in read.code_names else name
            item = QTableWidgetItem(shown)
            item.setToolTip(shown)
            table.setItem(row, 0, item)
            combo = QComboBox()
            for key, text in ANALYTE_CHOICES:
                combo.addItem(text, key)
            combo.setCurrentIndex(combo.findData(code or IGNORE))
            combo.currentIndexChanged.connect(lambda _i, n=name, c=combo: self.map_test(n, c.currentData()))
            table.setCellWidget(row, 1, combo)
        table.resizeColumnToContents(1)
        units = read.lab.detection.units if read.lab is not None and read.lab.detection else {}
        if units:
            # Each unit is one unbreakable word: "10³/" and "µL" never end up on two lines.
            parts = [f"{DISPLAY_NAME.get(code, code)} in\u00a0{unit_nowrap(unit)}" for code, unit in units.items() if unit]
            self.units_label.setText("Units in the file: " + "; ".join(parts)
                                     + f". Counts are shown in\u00a0{unit_nowrap('10^3/uL')}.")
        else:
            self.units_label.setText("")

    def _summary_html(self, lab: LabImport) -> str:
        obs = lab.observations
        parts = []
        for code in ANALYTES:
            rows = obs[obs["analyte"] == code]
            if len(rows):
                parts.append(f"{len(rows)} {DISPLAY_NAME[code]}")
        anc = obs[obs["analyte"] == ANC]
        span = ""
        if len(anc):
            span = f" from {anc['time'].min():%d %b %Y} to {anc['time'].max():%d %b %Y}"
        who = f" for patient {lab.patient}" if lab.patient and len(lab.patients) > 1 else ""
        derived = int(anc["derived"].sum()) if len(anc) else 0
        derived_note = f" ({derived} calculated from WBC and the differential)" if derived else ""
        return (f"<b>{len(anc)} neutrophil counts{derived_note}{span}{who}.</b> "
                f"All results: {', '.join(parts)}.")

    # --- choices -----------------------------------------------------------------------------

    def show_choice(self, exc: ChoiceRequired) -> None:
        self.choice.ask(exc, self._read.rows if self._read else [])
        self.status.problem("Nadir needs your answer to the question above before it can import.")
        self.import_button.setEnabled(False)

    def _hide_choice(self) -> None:
        self.choice.hide()

    def _answer_choice(self) -> None:
        answer = self.choice.answer()
        if answer is not None:
            key, value = answer
            self._set_option(key, value)

    def choice_buttons(self) -> list[QRadioButton]:
        return self.choice.buttons()

    # --- result ------------------------------------------------------------------------------

    def accept(self) -> None:
        read = self._read
        if self.busy or read is None or read.lab is None:
            return
        self.lab_import = read.lab
        super().accept()

    def import_options(self) -> dict:
        """The overrides in force at Import (for the project file: patient, date order …)."""
        return dict(self._read.options) if self._read is not None else {}


# --- entry point -------------------------------------------------------------------------------


def _worth_assisting(read: LabRead) -> bool:
    """Open the assistant for a failed read only when the user can fix it there."""
    if read.lab is not None or isinstance(read.error, ChoiceRequired):
        return True
    return any(code is None for _name, code in read.names)  # a test the user could map by hand


def import_labs_interactively(parent: QWidget | None, path: str | Path,
                              dictionary: str | Path | None = None) -> LabImport | None:
    """Read a lab export, let the user check and correct it, and return the import (None = cancelled).

    ``dictionary`` is the file that names its test codes, when it came with the export (both
    dropped together). A file that cannot be read at all (damaged, not a spreadsheet, no
    results) gets the plain error message instead of the assistant.
    """
    from ..workers import Cancelled, run_with_progress
    from .errors import show_error

    path = Path(path)
    options = {"dictionary": str(dictionary)} if dictionary is not None else {}
    try:
        first = run_with_progress(parent, f"Reading {path.name}…", read_labs, path, options)
    except Cancelled:
        return None
    except Exception as exc:  # noqa: BLE001 - shown in words, never as a traceback
        show_error(parent, exc)
        return None
    if not _worth_assisting(first):
        show_error(parent, first.error)
        return None
    dialog = LabImportAssistant(parent, path, first, options)
    try:
        if dialog.exec() != LabImportAssistant.DialogCode.Accepted:
            return None
        return dialog.lab_import
    finally:
        dialog.deleteLater()
