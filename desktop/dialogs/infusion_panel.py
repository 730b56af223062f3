"""The left side of the infusion-record assistant: how the record is read (sheet, header row,
dates, which column holds what, the meaning of each action word) and what to import (the drug,
the patient). Widgets only: the assistant connects them to its options and reads again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .record_columns import ActionWords, RoleChoices
from .widgets import note

ROLE_LABELS = (
    ("drug", "Drug"), ("when", "Given at"), ("time", "Time of day"),
    ("scheduled", "Scheduled time"), ("action", "Action or status"), ("dose", "Dose"), ("unit", "Unit"),
    ("route", "Route"), ("patient", "Patient"), ("weight", "Weight"), ("bsa", "Body surface"),
    ("note", "Comment"), ("entry", "Entry status (in error)"),
)
DATE_CHOICES = ((None, "Automatic"), ("MDY", "Month first (MM/DD/YYYY)"), ("DMY", "Day first (DD/MM/YYYY)"),
                ("YMD", "Year first (YYYY-MM-DD)"))
# The widgets the assistant reaches by name (its tests and keyboard users take the same path).
WIDGETS = ("product_combo", "patient_combo", "premed_check", "sheet_combo", "header_spin", "date_combo", "roles",
           "wide_note", "action_words", "actions_note", "reset_button")


class RecordPanel(QWidget):
    """Every choice of how an infusion record is read, shown from one read."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.product_combo = QComboBox()
        self.product_combo.setToolTip("The drug whose infusions start the treatment cycles.")
        self.patient_combo = QComboBox()
        self.premed_check = QCheckBox("List premedication given with it")
        self.premed_check.setToolTip("Paracetamol, antihistamines …: shown for checking only; premedication "
                                     "does not start a cycle.")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Medication to analyse:", self.product_combo)
        form.addRow("Patient:", self.patient_combo)
        form.addRow("", self.premed_check)
        choose = QGroupBox("What to import")
        choose.setLayout(form)

        self.sheet_combo = QComboBox()
        self.header_spin = QSpinBox(minimum=0, maximum=1_000_000)
        self.header_spin.setSpecialValueText("automatic")
        self.header_spin.setToolTip("The row that names the columns (Medication, Date, Dose …), as Excel numbers rows.")
        self.date_combo = QComboBox()
        for key, text in DATE_CHOICES:
            self.date_combo.addItem(text, key)
        where_form = QFormLayout()
        where_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        where_form.addRow("Sheet:", self.sheet_combo)
        where_form.addRow("Column headings in row:", self.header_spin)
        where_form.addRow("Dates:", self.date_combo)
        self.roles = RoleChoices(ROLE_LABELS)
        self.wide_note = note()
        where_layout = QVBoxLayout()
        where_layout.addLayout(where_form)
        where_layout.addWidget(note("Which column holds what:"))
        where_layout.addWidget(self.roles)
        where_layout.addWidget(self.wide_note)
        where = QGroupBox("How the record is read")
        where.setLayout(where_layout)

        self.action_words = ActionWords()
        self.action_words.setMinimumHeight(130)
        self.actions_note = note()
        actions = QGroupBox("Actions in the record")
        actions_layout = QVBoxLayout(actions)
        actions_layout.addWidget(self.actions_note)
        actions_layout.addWidget(self.action_words, 1)

        self.reset_button = QPushButton("Undo my changes")
        self.reset_button.setToolTip("Read the record again exactly as Nadir first did.")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        for widget in (choose, where, actions):
            layout.addWidget(widget)
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def show_reading(self, read, options: dict) -> None:
        self.sheet_combo.clear()
        for name in read.sheets:
            self.sheet_combo.addItem(name or "(text file: one sheet)", name)
        self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findData(read.sheet), 0))
        self.sheet_combo.setEnabled(len(read.sheets) > 1)
        found = read.header_index + 1 if read.header_index is not None else None
        self.header_spin.setSpecialValueText(f"automatic (row {found})" if found else "automatic")
        self.header_spin.setValue(options.get("header_row") or 0)
        self.date_combo.setCurrentIndex(max(self.date_combo.findData(options.get("date_order")), 0))
        self.roles.show_roles(read.headings, read.roles, options.get("columns") or {})
        det = read.meds.detection if read.meds is not None else None
        wide = det is not None and det.layout == "wide"
        self.wide_note.setText("One column per drug: " + ", ".join(det.drug_columns) if wide and det else "")
        self.wide_note.setVisible(wide)
        words = read.meds.actions if read.meds is not None else ()
        self.action_words.show_words(words, options.get("actions") or {})
        unknown = self.action_words.unknown_words()
        if not words:
            self.actions_note.setText("No action or status column: every row of the drug is a dose, and rows "
                                      "less than 12 h apart are one dose.")
        elif unknown:
            self.actions_note.setText(f"Nadir does not know {len(unknown)} of these words (in red): their rows are "
                                      "skipped, not counted. Say what each one means.")
        else:
            self.actions_note.setText("What each action or status word of the record was read as.")
        self.action_words.setVisible(bool(words))

    def show_choices(self, read, options: dict) -> None:
        meds = read.meds
        self.product_combo.clear()
        self.patient_combo.clear()
        if meds is None:
            self.product_combo.setEnabled(False)
            self.patient_combo.setEnabled(False)
            return
        self.product_combo.setEnabled(True)
        for name, count in meds.products.items():
            self.product_combo.addItem(f"{name} — {count} dose{'s' if count != 1 else ''}", name)
        chosen = options.get("product")
        index = self.product_combo.findData(chosen) if chosen else -1
        if index < 0 and meds.administrations:
            index = self.product_combo.findData(meds.administrations[0].product)
        self.product_combo.setCurrentIndex(max(index, 0))
        if meds.patients:
            for p in meds.patients:
                self.patient_combo.addItem(p, p)
            self.patient_combo.setCurrentIndex(max(self.patient_combo.findData(meds.patient), 0))
        else:
            self.patient_combo.addItem("not named in the file", None)
        self.patient_combo.setEnabled(len(meds.patients) > 1)
