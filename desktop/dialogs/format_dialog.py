"""Format the figure, as Prism's Format Axis and Format Graph dialogs do: the ANC axis top and
tick interval, the axis titles, the marker size and the line width.

The choices are FigureSettings fields: one undoable change on OK, kept in the project, and drawn
alike by the screen chart and the publication renderer (both draw the same FigureSpec).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from analysis.figure import style as S

from ..screen_fit import fit_window
from .widgets import heading, note

FIELDS = ("y_max", "y_step", "y_title", "x_title", "marker_scale", "line_scale", "labels")


def _automatic(spin: QDoubleSpinBox, text: str) -> tuple[QCheckBox, QHBoxLayout]:
    box = QCheckBox(text)
    box.toggled.connect(lambda on: spin.setEnabled(not on))
    row = QHBoxLayout()
    row.addWidget(spin, 1)
    row.addWidget(box)
    return box, row


class FormatDialog(QDialog):
    """``changes()`` after accept: the FigureSettings fields that differ from ``settings``."""

    def __init__(self, parent: QWidget | None, settings, spec=None):
        super().__init__(parent)
        self.setWindowTitle("Format graph")
        self.settings = settings
        axis = spec.panels[0].y_axis if spec is not None and spec.panels else None

        self.y_max = QDoubleSpinBox(decimals=2, minimum=0.1, maximum=1000, singleStep=0.5, suffix=" ×10³/µL")
        self.y_max.setValue(settings.y_max or (axis.hi if axis else 3.0))
        self.y_max_auto, y_max_row = _automatic(self.y_max, "automatic")
        self.y_max_auto.setChecked(settings.y_max is None)
        self.y_step = QDoubleSpinBox(decimals=2, minimum=0.05, maximum=500, singleStep=0.25)
        auto_step = axis.ticks[1] - axis.ticks[0] if axis and len(axis.ticks) > 1 else 0.5
        self.y_step.setValue(settings.y_step or auto_step)
        self.y_step_auto, y_step_row = _automatic(self.y_step, "automatic")
        self.y_step_auto.setChecked(settings.y_step is None)
        self.y_title = QLineEdit(settings.y_title, placeholderText=S.ANC_LABEL)
        self.x_title = QLineEdit(settings.x_title, placeholderText=S.DAYS_LABEL if settings.axis == "days"
                                 else S.DATES_LABEL)
        for edit in (self.y_title, self.x_title):
            edit.setToolTip("Leave empty for Nadir's title.")
        axes = QFormLayout()
        axes.addRow("ANC axis up to:", y_max_row)
        axes.addRow("Tick every:", y_step_row)
        axes.addRow("ANC axis title:", self.y_title)
        axes.addRow("Time axis title:", self.x_title)
        axes_box = QGroupBox("Axes")
        axes_box.setLayout(axes)

        self.marker = QSpinBox(minimum=20, maximum=500, singleStep=10, suffix=" %")
        self.marker.setValue(round(settings.marker_scale * 100))
        self.line = QSpinBox(minimum=20, maximum=500, singleStep=10, suffix=" %")
        self.line.setValue(round(settings.line_scale * 100))
        graph = QFormLayout()
        graph.addRow("Marker size:", self.marker)
        graph.addRow("Line width:", self.line)
        graph_box = QGroupBox("Symbols and lines")
        graph_box.setLayout(graph)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).setText("Automatic")
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.reset)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Format graph"))
        layout.addWidget(note("The chart and the exported figure change together; Undo takes the change back."))
        layout.addWidget(axes_box)
        layout.addWidget(graph_box)
        # Labels are edited on the chart itself (double-click, drag); here they all go back at once.
        edited = len(settings.labels)
        self.reset_labels = QCheckBox(f"Put back the {edited} label{'s' if edited != 1 else ''} changed on the chart "
                                      "(wording, place, hidden)")
        self.reset_labels.setVisible(edited > 0)
        layout.addWidget(self.reset_labels)
        layout.addStretch(1)
        layout.addWidget(buttons)
        fit_window(self, (520, 460), (380, 320))

    def reset(self) -> None:
        self.y_max_auto.setChecked(True)
        self.y_step_auto.setChecked(True)
        self.y_title.clear()
        self.x_title.clear()
        self.marker.setValue(100)
        self.line.setValue(100)
        self.reset_labels.setChecked(True)

    def chosen(self):
        """The settings with the dialog's choices."""
        return dataclasses.replace(
            self.settings,
            y_max=None if self.y_max_auto.isChecked() else float(self.y_max.value()),
            y_step=None if self.y_step_auto.isChecked() else float(self.y_step.value()),
            y_title=self.y_title.text().strip(),
            x_title=self.x_title.text().strip(),
            marker_scale=self.marker.value() / 100,
            line_scale=self.line.value() / 100,
            labels=() if self.reset_labels.isChecked() else self.settings.labels,
        )

    def changes(self) -> dict:
        new = self.chosen()
        return {f: getattr(new, f) for f in FIELDS if getattr(new, f) != getattr(self.settings, f)}


def format_figure(parent: QWidget | None, doc) -> bool:
    """Open the dialog for the window's document; the changes are one undoable command."""
    from ..commands import FigureSettingCommand

    if doc.case is None:
        return False
    dialog = FormatDialog(parent, doc.settings, doc.spec())
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        changes = dialog.changes()
    finally:
        dialog.deleteLater()
    if changes:
        doc.push(FigureSettingCommand(doc, "Format the graph", **changes))
    return bool(changes)
