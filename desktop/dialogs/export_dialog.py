"""Export the publication figure: choose the journal size and what to show, see the result as
the publication renderer draws it, then save it, copy it, or copy the words that go with it.

The preview is the matplotlib figure itself drawn at screen resolution (not the on-screen
chart), so what is seen here is what the journal gets; it is drawn in the background after a
pause in typing, on one thread (matplotlib's style settings are global), and its collision
check follows the picture (``export_preview.py``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from analysis.figure.presets import PRESETS, get_preset
from analysis.figure.spec import FigureSettings

from .. import folders
from ..screen_fit import fit_window, scrolling
from ..workers import Cancelled, render_pool, run_with_progress
from .errors import show_error
from .export_preview import ExportPreview
from .export_style import StyleControls
from .figure_render import export_file, render_to_clipboard
from .table_export import export_table
from .widgets import StatusLine, heading

FORMATS = (  # key, suffix, label, file-dialog filter
    ("pdf", ".pdf", "PDF – vector, accepted by most journals", "PDF document (*.pdf)"),
    ("svg", ".svg", "SVG – vector, editable in Illustrator or Inkscape", "SVG image (*.svg)"),
    ("eps", ".eps", "EPS – vector, for older submission systems", "EPS file (*.eps)"),
    ("tiff", ".tif", "TIFF – image at the chosen resolution", "TIFF image (*.tif *.tiff)"),
    ("png", ".png", "PNG – image at the chosen resolution", "PNG image (*.png)"),
)
RASTER = ("tiff", "png")
FORMAT_KEY = "export/format"  # the format last exported or chosen, offered next time
DPI_CHOICES = (300, 600, 1200)


# --- the dialog ------------------------------------------------------------------------------------


class ExportDialog(QDialog):
    """``settings`` holds the user's choices; ``used`` is True once something was exported or copied."""

    def __init__(self, parent: QWidget | None, case, settings: FigureSettings | None = None,
                 *, start_folder: str | Path | None = None):
        super().__init__(parent)
        self.case = case
        self.settings = settings or FigureSettings()
        self.used = False
        self.exported_path: Path | None = None  # the last figure written
        self.last_saved: Path | None = None  # the last file written, figure or table
        self.start_folder = Path(start_folder) if start_folder else folders.start_folder()
        self._updating = False

        self.setWindowTitle("Export figure")
        self.setSizeGripEnabled(True)
        fit_window(self, (1180, 780), (960, 640))

        controls = self._controls()
        preview = self.preview = ExportPreview()
        preview.shown.connect(lambda: self.status.busy("Checking the layout…"))
        preview.shown.connect(self._show_warnings)
        preview.checked.connect(self._checked)
        preview.searched.connect(self._searched)
        preview.failed.connect(self._preview_failed)
        body = QHBoxLayout()
        # The controls scroll on a short screen: the buttons below them stay visible.
        body.addWidget(scrolling(controls), 0)
        body.addWidget(preview, 1)

        self.status = StatusLine()
        buttons = self._buttons()

        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self._show_settings(self.settings)
        remembered = QSettings().value(FORMAT_KEY, "")
        if remembered and self.format_combo.findData(remembered) >= 0:
            self.set_format(str(remembered))
        self._sync_export()
        self.format_combo.currentIndexChanged.connect(
            lambda _i: QSettings().setValue(FORMAT_KEY, self.format_key))
        self._schedule()

    def _buttons(self) -> QHBoxLayout:
        """Export, copy, the table and the legend text; Show in folder once a file is written."""
        self.export_button = QPushButton("Export…")
        self.export_button.setDefault(True)
        self.export_button.setToolTip("Save the figure as a file in the chosen format.")
        self.copy_button = QPushButton("Copy to clipboard")
        self.copy_button.setToolTip("Paste into Word or PowerPoint (image at the chosen resolution, and SVG).")
        self.table_button = QPushButton("Export table…")
        self.table_button.setToolTip("The per-cycle values as an Excel or CSV table.")
        self.legend_button = QPushButton("Copy legend and methods text")
        self.legend_button.setToolTip("A figure legend and a methods paragraph for the manuscript.")
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close the export dialog; the files already saved stay where they are.")
        # After an export: the file manager at the file, so the user sees where it went.
        self.show_button = QPushButton("Show in folder")
        self.show_button.setToolTip("Open the folder of the file just saved in the file manager.")
        self.show_button.hide()
        self.show_button.clicked.connect(lambda: self.last_saved and folders.show_in_folder(self.last_saved))
        self.export_button.clicked.connect(self.export)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.table_button.clicked.connect(self.export_table)
        self.legend_button.clicked.connect(self.copy_legend)
        self.close_button.clicked.connect(self._close)

        buttons = QHBoxLayout()
        buttons.addWidget(self.table_button)
        buttons.addWidget(self.legend_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        return buttons

    # --- controls ------------------------------------------------------------------------------

    def _controls(self) -> QWidget:
        panel = QWidget()
        panel.setFixedWidth(380)
        self.style = StyleControls()  # font, colour mode, palette; the dates note
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Export figure"))
        # Warnings sit with the controls, not under the preview, so they never change the
        # preview's size; at their top, as the controls scroll on a short screen (at the foot
        # a label running off the page went unseen at 1280 x 720).
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(
            "QLabel { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px; padding: 6px;"
            " color: #3b2f00; }")
        self.warning_label.hide()
        layout.addWidget(self.warning_label)
        layout.addWidget(self._size_box())
        layout.addWidget(self._file_box())
        layout.addWidget(self._content_box())
        layout.addWidget(self.style.box)
        layout.addStretch(1)

        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        for spin in (self.width_spin, self.height_spin, self.font_spin):
            spin.valueChanged.connect(self._controls_changed)
        for combo in (self.dpi_combo, self.panel_b_combo, self.axis_combo, *self.style.combos()):
            combo.currentIndexChanged.connect(self._controls_changed)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        for box in (self.severity_check, self.reference_check, self.duffy_check, self.stats_check,
                    self.cycles_check):
            box.toggled.connect(self._controls_changed)
        return panel

    def _size_box(self) -> QGroupBox:
        """Journal preset, width, height and text size at the printed size."""
        self.preset_combo = QComboBox()
        self.preset_combo.addItem("Custom size", "")
        for preset in PRESETS:
            self.preset_combo.addItem(preset.label, preset.key)
        self.width_spin = QDoubleSpinBox(decimals=0, minimum=30, maximum=400, suffix=" mm")
        self.height_spin = QDoubleSpinBox(decimals=0, minimum=30, maximum=400, suffix=" mm")
        self.font_spin = QDoubleSpinBox(decimals=1, minimum=4, maximum=14, singleStep=0.5, suffix=" pt")
        self.preset_combo.setToolTip("A journal's figure size and rules (column width, text size, resolution); "
                                     "Custom size for a size of your own.")
        self.width_spin.setToolTip("The figure's width at the printed size.")
        self.height_spin.setToolTip("The figure's height at the printed size.")
        self.font_spin.setToolTip("Text size at the printed size. Most journals ask for 6–8 pt.")
        size_form = QFormLayout()
        size_form.addRow("Journal:", self.preset_combo)
        size_form.addRow("Width:", self.width_spin)
        size_form.addRow("Height:", self.height_spin)
        size_form.addRow("Text size:", self.font_spin)
        size_box = QGroupBox("Size at print")
        size_box.setLayout(size_form)
        return size_box

    def _file_box(self) -> QGroupBox:
        """Format and resolution."""
        self.format_combo = QComboBox()
        for key, _suffix, label, _filter in FORMATS:
            self.format_combo.addItem(label, key)
        self.format_combo.setToolTip("The file Export writes: PDF, SVG or EPS (vector) or TIFF or PNG (an image "
                                     "at the resolution below). The last format used is offered next time.")
        self.dpi_combo = QComboBox()
        for dpi in DPI_CHOICES:
            self.dpi_combo.addItem(f"{dpi} dpi", dpi)
        self.dpi_combo.setToolTip("For TIFF and PNG files and for the clipboard. 600 dpi suits most journals; "
                                  "1200 dpi for line art.")
        file_form = QFormLayout()
        file_form.addRow("Format:", self.format_combo)
        file_form.addRow("Resolution:", self.dpi_combo)
        file_box = QGroupBox("File")
        file_box.setLayout(file_form)
        return file_box

    def _content_box(self) -> QGroupBox:
        """Panel B, the time axis, reference lines and labels."""
        self.panel_b_combo = QComboBox()
        for cycle in self.case.cycles:
            self.panel_b_combo.addItem(f"Cycle {cycle.number} expanded", f"cycle:{cycle.number}")
        if len(self.case.cycles) >= 2:
            self.panel_b_combo.addItem("All cycles overlaid", "overlay")
        self.panel_b_combo.addItem("No panel B", "none")
        self.panel_b_combo.setToolTip("What panel B shows: one cycle expanded, all cycles overlaid, or no panel B.")
        self.axis_combo = QComboBox()
        self.axis_combo.addItem("Days since first infusion", "days")
        self.axis_combo.addItem("Calendar dates", "dates")
        self.axis_combo.setToolTip("Calendar dates can identify a patient; journals prefer days.")
        self.severity_check = QCheckBox("Neutropenia severity (0.5, 1.0, 1.5)")
        self.reference_check = QCheckBox("Laboratory reference range")
        self.duffy_check = QCheckBox("Duffy-null reference range")
        self.duffy_check.setToolTip("The reference interval for people with the Duffy-null phenotype (1.21–5.39).")
        self.severity_check.setToolTip("Lines at 0.5, 1.0 and 1.5 ×10³/µL: severe, moderate and mild neutropenia.")
        self.reference_check.setToolTip("The laboratory's ANC reference range in the figure.")
        self.stats_check = QCheckBox("Medians and test result in the figure")
        self.stats_check.setToolTip("The medians of the cycles kept and the paired test's result, printed "
                                    "in the figure (the methods text says them too).")
        self.cycles_check = QCheckBox("Cycle numbers")
        self.cycles_check.setToolTip("Each cycle's number on the chart.")
        content_form = QFormLayout()
        content_form.addRow("Panel B:", self.panel_b_combo)
        content_form.addRow("Time axis:", self.axis_combo)
        content_form.addRow(self.style.dates_note)
        checks = QVBoxLayout()
        checks.setSpacing(4)
        checks.addWidget(QLabel("Reference lines:"))
        for box in (self.severity_check, self.reference_check, self.duffy_check):
            checks.addWidget(box)
        checks.addSpacing(4)
        checks.addWidget(QLabel("Labels:"))
        checks.addWidget(self.stats_check)
        checks.addWidget(self.cycles_check)
        content_layout = QVBoxLayout()
        content_layout.addLayout(content_form)
        content_layout.addLayout(checks)
        content_box = QGroupBox("What the figure shows")
        content_box.setLayout(content_layout)
        return content_box

    def _show_settings(self, s: FigureSettings) -> None:
        self._updating = True
        try:
            self.preset_combo.setCurrentIndex(max(self.preset_combo.findData(s.preset or ""), 0))
            self.width_spin.setValue(s.width_mm)
            self.height_spin.setValue(s.height_mm)
            self.font_spin.setValue(s.font_pt)
            self.dpi_combo.setCurrentIndex(max(self.dpi_combo.findData(int(s.dpi)), 0))
            from analysis.figure.panel_b import resolve_panel_b

            index = self.panel_b_combo.findData(resolve_panel_b(s.panel_b, self.case.cycles))
            self.panel_b_combo.setCurrentIndex(index if index >= 0 else self.panel_b_combo.count() - 1)
            self.axis_combo.setCurrentIndex(max(self.axis_combo.findData(s.axis), 0))
            self.severity_check.setChecked(s.show_severity)
            self.reference_check.setChecked(s.show_reference_range)
            self.duffy_check.setChecked(s.show_duffy)
            self.stats_check.setChecked(s.show_stats_text)
            self.cycles_check.setChecked(s.show_cycle_numbers)
            self.style.show(s)
            self._sync_enabled()
        finally:
            self._updating = False

    def _sync_enabled(self) -> None:
        preset = get_preset(self.preset_combo.currentData() or "")
        self.width_spin.setEnabled(preset is None)
        self.width_spin.setToolTip("Set by the journal; choose “Custom size” to change it." if preset
                                   else "The figure's width at the printed size.")
        if preset is not None and preset.max_height_mm:
            self.height_spin.setMaximum(preset.max_height_mm)
        else:
            self.height_spin.setMaximum(400)
        self.dpi_combo.setEnabled(True)  # also used for the clipboard image

    def _preset_changed(self, _index: int) -> None:
        if self._updating:
            return
        preset = get_preset(self.preset_combo.currentData() or "")
        self._updating = True
        try:
            self._sync_enabled()
            if preset is not None:
                self.width_spin.setValue(preset.width_mm)
        finally:
            self._updating = False
        self._controls_changed()

    def _format_changed(self, _index: int) -> None:
        self._sync_enabled()
        self._sync_export()

    def _sync_export(self) -> None:
        """Export only in a format that carries the colour mode; the note under Colour says why."""
        refusal = self.style.check_format(self.format_key)
        self.export_button.setEnabled(not refusal)
        self.export_button.setToolTip("Choose TIFF or another colour mode first: see the note under Colour."
                                      if refusal else "Save the figure as a file in the chosen format.")
        if not self.preview.busy and self.preview.has_picture:
            self._say_ready()  # a format change redraws nothing: the status line follows it here

    def _controls_changed(self, *_args) -> None:
        if self._updating:
            return
        self.settings = self.current_settings()
        self._sync_export()
        self._schedule()

    def current_settings(self) -> FigureSettings:
        return self.style.apply(dataclasses.replace(
            self.settings,
            preset=self.preset_combo.currentData() or "",
            width_mm=float(self.width_spin.value()),
            height_mm=float(self.height_spin.value()),
            font_pt=float(self.font_spin.value()),
            dpi=int(self.dpi_combo.currentData()),
            panel_b=self.panel_b_combo.currentData(),
            axis=self.axis_combo.currentData(),
            show_severity=self.severity_check.isChecked(),
            show_reference_range=self.reference_check.isChecked(),
            show_duffy=self.duffy_check.isChecked(),
            show_stats_text=self.stats_check.isChecked(),
            show_cycle_numbers=self.cycles_check.isChecked(),
        ))

    def set_preset(self, key: str) -> None:
        """Choose a journal preset by key, as the combo box does."""
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(key))

    @property
    def format_key(self) -> str:
        return self.format_combo.currentData()

    def set_format(self, key: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(key))

    # --- preview -------------------------------------------------------------------------------

    @property
    def rendering(self) -> bool:
        """A preview is waiting, drawing or being checked."""
        return self.preview.busy

    @property
    def preview_count(self) -> int:
        return self.preview.count

    @property
    def preview_warnings(self) -> list[str]:
        return self.preview.warnings

    @property
    def preview_label(self):
        return self.preview.label

    @property
    def preview_caption(self):
        return self.preview.caption

    def _preview_dpi(self) -> tuple[float, float]:
        return self.preview.dpi(self.settings)

    def _schedule(self) -> None:
        self.status.busy("Updating the preview…")
        self.preview.schedule(self.case, self.settings)

    def _show_warnings(self, warnings: list[str] | None = None) -> None:
        """Next to the controls: every warning of the figure (the collisions once checked), and
        for a figure Export refuses, the height at which it would not."""
        warnings = self.preview.shown_warnings() if warnings is None else warnings
        refusal = self._refusal_note()
        if warnings:
            self.warning_label.setText("⚠  " + "\n⚠  ".join(warnings) + (f"\n{refusal}" if refusal else ""))
            self.warning_label.show()
        else:
            self.warning_label.hide()

    def _refusal_note(self) -> str:
        """What Export does with the figure on show, when it refuses it."""
        from analysis.figure import UNKNOWN

        check = self.preview.check
        if check is None or not check.refused or self.preview.searching:
            return ""
        w, h = check.spec.size_mm
        if check.works is UNKNOWN:
            return ""
        if check.works is None:
            return (f"Export refuses the figure at {w:g} × {h:g} mm, and no height Nadir tried clears the "
                    "labels: hide or move the label in the window (right-click it).")
        return f"Export refuses the figure at {w:g} × {h:g} mm; at {w:g} × {check.works:g} mm the labels are clear."

    def _checked(self, warnings: list[str]) -> None:
        self._show_warnings(warnings)
        if self.preview.searching:
            self.status.busy("Looking for a height at which the labels are clear…")
        elif not self.preview.busy:
            self._say_ready()

    def _say_ready(self) -> None:
        """The status line once the preview is up to date: why Export is off, if it is (the note
        under Colour is scrolled out of view on a 1280 x 720 screen), else the warnings."""
        shown = self.preview.shown_warnings()
        refusal = self.style.check_format(self.format_key)
        if refusal:
            self.status.problem(f"Export is off: {refusal}. Choose TIFF, or RGB or greyscale.")
        elif shown:  # said beside the buttons too, which are always in view
            self.status.problem(f"Preview up to date, with {len(shown)} warning{'s' if len(shown) > 1 else ''}: "
                                "see the top of the controls.")
        else:
            self.status.ok("Preview up to date.")

    def _searched(self, _height) -> None:
        self._checked(self.preview.warnings)

    def _preview_failed(self, exc: BaseException) -> None:
        from .errors import describe

        _title, what, todo = describe(exc)
        self.status.problem(f"The preview could not be drawn: {what} {todo}")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.preview.has_picture:
            self._schedule()

    # --- actions -------------------------------------------------------------------------------

    def _suffix(self) -> tuple[str, str]:
        for key, suffix, _label, filt in FORMATS:
            if key == self.format_key:
                return suffix, filt
        return ".pdf", "PDF document (*.pdf)"

    def export(self) -> Path | None:
        """Ask where to save and write the file; None if the user cancelled. The dialog stays
        open (a TIFF and a PDF of one figure are one visit) and says where the file went."""
        self.settings = self.current_settings()
        if self.style.check_format(self.format_key):
            return None  # the button is disabled and the note says why
        suffix, filt = self._suffix()
        default = self.start_folder / f"figure-1{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(self, "Export figure", str(default), filt)
        if not chosen:
            return None
        path = Path(chosen)
        valid = {s for k, s, _l, _f in FORMATS if k == self.format_key} | ({".tiff"} if self.format_key == "tiff" else set())
        if path.suffix.lower() not in valid:
            path = path.with_name(path.name + suffix)
        try:
            # The preview's check (and clean height) of this figure, if it is this figure:
            # export_file compares the specs, so a check of an earlier figure is not used.
            report = run_with_progress(self, f"Writing {path.name}…", export_file, self.case, self.settings, path,
                                       self.format_key, self.preview.check, pool=render_pool())
        except Cancelled:
            return None
        except Exception as exc:  # noqa: BLE001 - shown in words
            show_error(self, exc)
            return None
        self.used = True
        self.exported_path = self.last_saved = path
        self.start_folder = path.parent
        folders.remember(path)
        self.export_warnings = list(getattr(report, "warnings", ()))
        self.status.ok(f"Saved {path.name} in {path.parent}.")
        self.show_button.show()
        return path

    def copy_to_clipboard(self) -> bool:
        self.settings = self.current_settings()
        dpi = int(self.dpi_combo.currentData())
        image = render_to_clipboard(self, self.case, self.settings, dpi)
        if image is None:
            return False
        self.used = True
        self.status.ok(f"Copied the figure ({image.width()} × {image.height()} pixels at {dpi} dpi, and as SVG).")
        return True

    def export_table(self) -> Path | None:
        path = export_table(self, self.case, dates=self.current_settings().axis == "dates",
                            start_folder=self.start_folder)
        if path is not None:
            self.last_saved = path
            self.start_folder = path.parent
            self.status.ok(f"Saved the cycle table as {path.name} in {path.parent}.")
            self.show_button.show()
        return path

    def copy_legend(self) -> str:
        from analysis.figure.legend import figure_legend, methods_paragraph

        self.settings = self.current_settings()
        try:
            text = f"{figure_legend(self.case, self.settings)}\n\n{methods_paragraph(self.case)}\n"
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return ""
        QGuiApplication.clipboard().setText(text)
        self.used = True
        self.status.ok("Copied the figure legend and the methods paragraph. Paste them into the manuscript.")
        return text

    def _close(self) -> None:
        self.settings = self.current_settings()
        if self.used:
            self.accept()
        else:
            self.reject()

    def stop_preview(self) -> None:
        """No preview arrives after this (the dialog is closing or about to be deleted)."""
        self.preview.stop()

    def done(self, result: int) -> None:
        self.stop_preview()
        super().done(result)


# --- entry points ------------------------------------------------------------------------------


def export_figure(parent: QWidget | None, case, settings: FigureSettings | None = None,
                  *, start_folder: str | Path | None = None) -> FigureSettings | None:
    """Open the export dialog; the settings used when something was exported or copied, else None.

    ``case`` may also be the window's document (anything with ``case``, ``settings`` and
    ``push``): its settings are then the starting point, and the settings used are pushed back
    as one undoable change.
    """
    doc = None
    if hasattr(case, "undo_stack") and hasattr(case, "case"):
        doc, case = case, case.case
        settings = settings or doc.settings
    if case is None:
        QMessageBox.information(parent, "Export figure", "Open a case first: there is no figure to export yet.")
        return None
    if start_folder is None and doc is not None:
        start_folder = folders.start_folder(doc.sources)
    dialog = ExportDialog(parent, case, settings, start_folder=start_folder)
    try:
        dialog.exec()
        used = dialog.settings if dialog.used else None
        saved = dialog.exported_path
    finally:
        dialog.stop_preview()
        dialog.deleteLater()
    # Said in the dialog too; the window's status bar keeps it once the dialog is closed.
    status = getattr(parent, "statusBar", None)
    if saved is not None and callable(status):
        status().showMessage(f"Figure saved: {saved}", 15000)
    if doc is not None and used is not None and used != doc.settings:
        _remember(doc, used)
    return used


def _remember(doc, settings: FigureSettings) -> None:
    from ..commands import FigureSettingCommand

    changes = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
               if getattr(settings, f.name) != getattr(doc.settings, f.name)}
    doc.push(FigureSettingCommand(doc, "Change the figure's export settings", **changes))
