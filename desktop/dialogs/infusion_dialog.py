"""The import assistant for an infusion record (a medication-administration export).

A MAR lists every drug given and every pump event; Nadir needs one line per dose of the drug
under study. The assistant shows which drugs were found, lets the user pick one, lists the
doses that will be used (date, dose, dose per kg, row in the file) and says in words what was
left out. Doses missing from the record can be added by hand. Nothing reaches the case until
"Use these infusions".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from analysis.errors import ChoiceRequired, InputError
from analysis.model import Administration

from .background import BackgroundReader
from .widgets import ChoiceBanner, MessageList, StatusLine, heading, note

COLUMNS = ("#", "Date and time", "Medication as recorded", "Dose", "Per kg", "Row in file")


@dataclass
class InfusionRead:
    path: Path
    options: dict
    meds: object = None  # MedicationImport
    error: InputError | None = None
    extra: list = field(default_factory=list)


def read_infusions(path: Path, options: dict) -> InfusionRead:
    """Worker thread: read the MAR with the user's choices; InputError kept for the dialog."""
    from analysis.medications import read_administrations

    keys = ("product", "include_premedication", "patient", "date_order")
    kwargs = {k: options[k] for k in keys if options.get(k) is not None}
    try:
        return InfusionRead(path, dict(options), meds=read_administrations(path, **kwargs))
    except ChoiceRequired as exc:
        return InfusionRead(path, dict(options), error=exc)


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.3g}" if x < 10 else f"{x:.4g}"


class InfusionImportAssistant(BackgroundReader):
    """``administrations`` holds the chosen doses after accept (imported plus hand-entered)."""

    def __init__(self, parent: QWidget | None, path: str | Path, first: InfusionRead | None = None,
                 *, patient: str | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.options: dict = {"patient": patient} if patient else {}
        self.administrations: tuple[Administration, ...] = ()
        self.medication_import = None
        self.manual: list[Administration] = []
        self._read: InfusionRead | None = None
        self._updating = False
        self.setWindowTitle(f"Import infusions – {self.path.name}")
        self.setSizeGripEnabled(True)
        self.resize(980, 700)
        self.setMinimumSize(820, 560)

        self.banner = ChoiceBanner()
        self.banner.chosen.connect(self._answer_choice)
        self._choice_combo: QComboBox | None = None

        self.product_combo = QComboBox()
        self.product_combo.setMinimumWidth(280)
        self.product_combo.setToolTip("The drug whose infusions start the treatment cycles.")
        self.patient_combo = QComboBox()
        self.premed_check = QCheckBox("List premedication given with it (paracetamol, antihistamines …)")
        self.premed_check.setToolTip("Shown for checking only; premedication does not start a cycle.")
        form = QFormLayout()
        form.addRow("Medication to analyse:", self.product_combo)
        form.addRow("Patient:", self.patient_combo)
        form.addRow("", self.premed_check)
        choose = QGroupBox("What to import")
        choose.setLayout(form)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
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
        layout.addWidget(note("Each line below is one dose; pump events (new bag, rate change, stopped) of the "
                              "same infusion count once. Nothing is added to the case until you click "
                              "“Use these infusions”."))
        layout.addWidget(self.banner)
        layout.addWidget(choose)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self.product_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("product", self.product_combo.currentData()))
        self.patient_combo.currentIndexChanged.connect(
            lambda _i: self._set_option("patient", self.patient_combo.currentData()))
        self.premed_check.toggled.connect(lambda on: self._set_option("include_premedication", on or None))

        if first is not None:
            self.show_result(first)
        else:
            self.start_read(self.options, f"Reading {self.path.name}…")

    # --- reading -------------------------------------------------------------------------------

    def read(self, options: dict) -> InfusionRead:  # worker thread
        return read_infusions(self.path, options)

    def _set_option(self, key: str, value) -> None:
        if self._updating:
            return
        if value is None:
            self.options.pop(key, None)
        else:
            self.options[key] = value
        self.start_read(self.options, f"Reading {self.path.name} again…")

    def choose_product(self, product: str) -> None:
        self._set_option("product", product)

    def choose_patient(self, patient: str) -> None:
        self._set_option("patient", patient)

    # --- showing -------------------------------------------------------------------------------

    def set_busy(self, what: str) -> None:
        self.status.busy(what)
        self.ok_button.setEnabled(False)

    def show_problem(self, text: str) -> None:
        self.status.problem(text)
        self.ok_button.setEnabled(bool(self.manual))

    def show_result(self, read: InfusionRead) -> None:
        self._read = read
        if isinstance(read.error, ChoiceRequired):
            self.show_choice(read.error)
            return
        self.banner.hide()
        meds = read.meds
        self._updating = True
        try:
            self.product_combo.clear()
            for name, count in meds.products.items():
                self.product_combo.addItem(f"{name} — {count} dose{'s' if count != 1 else ''}", name)
            chosen = self.options.get("product")
            index = self.product_combo.findData(chosen) if chosen else -1
            if index < 0 and meds.administrations:
                index = self.product_combo.findData(meds.administrations[0].product)
            self.product_combo.setCurrentIndex(max(index, 0))
            self.patient_combo.clear()
            if meds.patients:
                for p in meds.patients:
                    self.patient_combo.addItem(p, p)
                self.patient_combo.setCurrentIndex(max(self.patient_combo.findData(meds.patient), 0))
            else:
                self.patient_combo.addItem("not named in the file", None)
            self.patient_combo.setEnabled(len(meds.patients) > 1)
        finally:
            self._updating = False
        self._fill_table()
        self.messages.show_messages(meds.warnings, meds.skipped)
        n_msg = len(meds.warnings) + len(meds.skipped)
        self.tabs.setTabText(1, f"Warnings and skipped rows ({n_msg})" if n_msg else "Warnings and skipped rows")

    def _doses(self) -> list[Administration]:
        imported = list(self._read.meds.administrations) if self._read is not None and self._read.meds else []
        return sorted(imported + self.manual, key=lambda a: a.time)

    def _fill_table(self) -> None:
        meds = self._read.meds if self._read is not None else None
        doses = self._doses()
        premeds = list(meds.premedication) if meds is not None and self.options.get("include_premedication") else []
        rows = sorted([(a, False) for a in doses] + [(a, True) for a in premeds], key=lambda r: r[0].time)
        self.table.setRowCount(len(rows))
        grey = QBrush(QColor("#808080"))
        italic = QFont()
        italic.setItalic(True)
        number = 0
        for row, (adm, is_premed) in enumerate(rows):
            if not is_premed:
                number += 1
            per_kg = adm.dose_per_kg
            source = f"row {adm.source.row}" if adm.source is not None and adm.source.row else "entered by hand"
            values = (
                "" if is_premed else str(number),
                f"{adm.time:%a %d %b %Y  %H:%M}",
                adm.medication or adm.product,
                f"{_fmt(adm.dose)} {adm.dose_unit}".strip(),
                f"{_fmt(per_kg)} g/kg" if per_kg is not None and not is_premed else "",
                "premedication, not analysed" if is_premed else source,
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col in (0, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if is_premed:
                    item.setForeground(grey)
                    item.setFont(italic)
                self.table.setItem(row, col, item)
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
        combo.addItems(exc.options)
        combo.setMinimumWidth(240)
        self.banner.body.addWidget(combo)
        self._choice_combo = combo
        self._choice_kind = exc.kind
        self.banner.show()
        self.status.problem("Nadir needs your answer to the question above.")
        self.ok_button.setEnabled(False)

    def _answer_choice(self) -> None:
        if self._choice_combo is None:
            return
        self._set_option(self._choice_kind, self._choice_combo.currentText())

    def _add_by_hand(self) -> None:
        from .regimen_dialog import enter_regimen

        doses = self._doses()
        start = doses[-1].time if doses else None
        added = enter_regimen(self, start=start)
        if added:
            self.manual.extend(added)
            self._fill_table()

    def accept(self) -> None:
        doses = self._doses()
        if self.busy or not doses:
            return
        self.administrations = tuple(doses)
        self.medication_import = self._read.meds if self._read is not None else None
        super().accept()


# --- entry point -----------------------------------------------------------------------------------


def import_infusions_interactively(parent: QWidget | None, path: str | Path, *,
                                   patient: str | None = None) -> tuple[Administration, ...] | None:
    """Read an infusion record, let the user choose the drug and check the doses; None = cancelled."""
    dialog = infusion_assistant(parent, path, patient=patient)
    if dialog is None:
        return None
    try:
        if dialog.exec() != InfusionImportAssistant.DialogCode.Accepted:
            return None
        return dialog.administrations
    finally:
        dialog.deleteLater()


def infusion_assistant(parent: QWidget | None, path: str | Path, *,
                       patient: str | None = None) -> InfusionImportAssistant | None:
    """The assistant after a first read behind a busy indicator, or None (error shown, or cancelled)."""
    from ..workers import Cancelled, run_with_progress
    from .errors import show_error

    path = Path(path)
    options = {"patient": patient} if patient else {}
    try:
        first = run_with_progress(parent, f"Reading {path.name}…", read_infusions, path, options)
    except Cancelled:
        return None
    except Exception as exc:  # noqa: BLE001 - shown in words, never as a traceback
        if patient and isinstance(exc, InputError):
            # The lab and MAR exports may spell the identifier differently: try without it.
            return infusion_assistant(parent, path)
        show_error(parent, exc)
        return None
    return InfusionImportAssistant(parent, path, first, patient=patient)
