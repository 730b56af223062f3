"""The import assistant for an infusion record (a medication-administration export).

A MAR lists every drug given and every pump event; Nadir needs one line per dose of the drug
under study. The assistant shows which drugs were found, lets the user pick one, lists the
doses that will be used (date, dose, dose per kg, row in the file) and says in words what was
left out. Doses missing from the record can be added by hand. Nothing reaches the case until
"Use these infusions".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from analysis.errors import ChoiceRequired, InputError
from analysis.model import Administration
from analysis.treatment.drugs import format_dose

from ..screen_fit import fit_window
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
    from analysis.treatment.medications import read_administrations

    keys = ("product", "include_premedication", "patient", "date_order")
    kwargs = {k: options[k] for k in keys if options.get(k) is not None}
    try:
        return InfusionRead(path, dict(options), meds=read_administrations(path, **kwargs))
    except ChoiceRequired as exc:
        return InfusionRead(path, dict(options), error=exc)


def same_patient(a: str, b: str) -> bool:
    """One patient written by two systems ("E0000001" and "0000001") counts as the same."""
    from analysis.case import _id_key

    return _id_key(a) == _id_key(b)


def fit_problems(meds, doses, lab_patient: str | None, lab_span) -> list[str]:
    """Why these infusions may not belong with the lab results, in words (empty: they fit).

    The same two checks as :meth:`analysis.case.Case.fit_warnings`, made before the case exists so
    that the user can still choose another file: the record is of another patient, or none of
    its infusions falls within the dates of the lab results.
    """
    problems = []
    record_patient = getattr(meds, "patient", None)
    if lab_patient and record_patient and not same_patient(lab_patient, record_patient):
        problems.append(f"This infusion record is for patient {record_patient}, "
                        f"the lab results for {lab_patient}.")
    if lab_span is not None and doses:
        first, last = lab_span
        times = [a.time for a in doses]
        if max(times) < first or min(times) > last:
            problems.append(f"None of these infusions ({min(times):%d %b %Y} to {max(times):%d %b %Y}) falls "
                            f"within the lab results ({first:%d %b %Y} to {last:%d %b %Y}).")
    return problems


class InfusionImportAssistant(BackgroundReader):
    """``administrations`` holds the chosen doses after accept (imported plus hand-entered)."""

    def __init__(self, parent: QWidget | None, path: str | Path, first: InfusionRead | None = None,
                 *, patient: str | None = None, lab_patient: str | None = None,
                 lab_span: tuple[datetime, datetime] | None = None):
        """``patient`` filters the record; ``lab_patient`` and ``lab_span`` (first and last lab
        result) are those of the case being built, to say when the record does not fit them."""
        super().__init__(parent)
        self.path = Path(path)
        self.options: dict = {"patient": patient} if patient else {}
        self.lab_patient = lab_patient or patient
        self.lab_span = lab_span
        self._confirmed: set[str] = set()  # problems the user chose to accept
        self.administrations: tuple[Administration, ...] = ()
        self.medication_import = None
        self.manual: list[Administration] = []
        self._read: InfusionRead | None = None
        self._updating = False
        self.setWindowTitle(f"Import infusions – {self.path.name}")
        self.setSizeGripEnabled(True)
        fit_window(self, (980, 700), (820, 560))

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
        layout.addWidget(self.fit_warning)
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
                format_dose(adm.dose, adm.dose_unit),
                format_dose(per_kg, "g/kg") if not is_premed else "",
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
        combo.addItems(exc.options)
        combo.setMinimumWidth(240)
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
        self._set_option(self._choice_kind, self._choice_combo.currentText())

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


# --- entry point -----------------------------------------------------------------------------------


def import_infusions_interactively(parent: QWidget | None, path: str | Path, *,
                                   patient: str | None = None,
                                   lab_span: tuple[datetime, datetime] | None = None,
                                   ) -> tuple[Administration, ...] | None:
    """Read an infusion record, let the user choose the drug and check the doses; None = cancelled."""
    dialog = infusion_assistant(parent, path, patient=patient, lab_span=lab_span)
    if dialog is None:
        return None
    try:
        if dialog.exec() != InfusionImportAssistant.DialogCode.Accepted:
            return None
        return dialog.administrations
    finally:
        dialog.deleteLater()


def infusion_assistant(parent: QWidget | None, path: str | Path, *,
                       patient: str | None = None,
                       lab_span: tuple[datetime, datetime] | None = None) -> InfusionImportAssistant | None:
    """The assistant after a first read behind a busy indicator, or None (error shown, or cancelled).

    ``patient`` is the patient of the lab results. When the record has no infusions for that
    patient it is read as it is, and the assistant says plainly that it is another patient's
    record (and asks before it is used): never one patient's labs with another's infusions
    without the user knowing.
    """
    from ..workers import Cancelled, run_with_progress
    from .errors import show_error

    path = Path(path)
    options = {"patient": patient} if patient else {}
    try:
        first = run_with_progress(parent, f"Reading {path.name}…", read_infusions, path, options)
    except Cancelled:
        return None
    except Exception as exc:  # noqa: BLE001 - shown in words, never as a traceback
        if not (patient and isinstance(exc, InputError)):
            show_error(parent, exc)
            return None
        # The record names another patient (or spells the identifier differently): read it
        # without the filter; the assistant compares the two and warns.
        try:
            first = run_with_progress(parent, f"Reading {path.name}…", read_infusions, path, {})
        except Cancelled:
            return None
        except Exception as again:  # noqa: BLE001
            show_error(parent, again)
            return None
        return InfusionImportAssistant(parent, path, first, lab_patient=patient, lab_span=lab_span)
    return InfusionImportAssistant(parent, path, first, patient=patient, lab_span=lab_span)
