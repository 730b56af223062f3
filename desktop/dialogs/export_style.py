"""The export dialog's typeface and colour controls, and the note that dates identify a patient.

The same choices as ``nadir render --font/--colour/--palette``: the font families the figure
can be set in (``fonts.available_fonts``), RGB, CMYK (TIFF only) or greyscale output, and the
colour-blind-safe palette or the case report's. Kept apart from ``export_dialog.py`` so that
the dialog only places the group and passes settings through it.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel

from analysis.figure.colour import CMYK_HINT, colour_refusal
from analysis.figure.settings import FigureSettings

COLOURS = (("rgb", "RGB (screen and most journals)"), ("cmyk", "CMYK (print; TIFF only)"),
           ("grey", "Greyscale"))
PALETTES = (("okabe-ito", "Colour-blind safe (Okabe–Ito)"), ("case-report", "Case report (published look)"))
DATES_NOTE = ("Calendar dates identify a patient: journals and consent forms usually ask for days "
              "since the first infusion.")


class StyleControls:
    """Font, colour mode and palette combos in one group box, plus the dates note label."""

    def __init__(self):
        from analysis.figure.fonts import available_fonts, resolve_font

        self.font_combo = QComboBox()
        # "Automatic" is Arial or Helvetica where installed, else the bundled Liberation Sans.
        self.font_combo.addItem(f"Automatic ({resolve_font('')})", "")
        for family in available_fonts():
            self.font_combo.addItem(family, family)
        self.font_combo.setToolTip("The font of every text in the figure. Automatic: Arial or Helvetica where "
                                   "installed, else the bundled Liberation Sans.")
        self.colour_combo = QComboBox()
        for key, label in COLOURS:
            self.colour_combo.addItem(label, key)
        self.colour_combo.setToolTip("CMYK is written as TIFF only; greyscale draws roles apart by "
                                     "shape and lightness.")
        self.palette_combo = QComboBox()
        for key, label in PALETTES:
            self.palette_combo.addItem(label, key)
        self.palette_combo.setToolTip("The colours of the values and lines: colour-blind safe, or the look of "
                                      "published case reports.")
        # Said before Export: a format that cannot carry the colour mode (CMYK as PDF, SVG, EPS
        # or PNG) would only be refused once a file name was chosen.
        self.format_note = QLabel()
        self.format_note.setWordWrap(True)
        self.format_note.setStyleSheet("QLabel { color: #7a4a00; }")
        self.format_note.hide()
        form = QFormLayout()
        form.addRow("Font:", self.font_combo)
        form.addRow("Colour:", self.colour_combo)
        form.addRow(self.format_note)
        form.addRow("Palette:", self.palette_combo)
        self.box = QGroupBox("Type and colour")
        self.box.setLayout(form)
        self.dates_note = QLabel(DATES_NOTE)
        self.dates_note.setWordWrap(True)
        self.dates_note.setStyleSheet("QLabel { color: #7a4a00; }")
        self.dates_note.hide()

    def check_format(self, fmt: str) -> str:
        """Show under the colour choice why ``fmt`` cannot carry it; the reason, "" when it can."""
        refusal = colour_refusal(self.colour_combo.currentData() or "rgb", fmt)
        self.format_note.setText(f"{refusal[:1].upper()}{refusal[1:]}. {CMYK_HINT}" if refusal else "")
        self.format_note.setVisible(bool(refusal))
        return refusal

    def combos(self) -> tuple[QComboBox, ...]:
        return (self.font_combo, self.colour_combo, self.palette_combo)

    def show(self, s: FigureSettings) -> None:
        for combo, value in zip(self.combos(), (s.font, s.colour, s.palette), strict=True):
            index = combo.findData(value)
            combo.setCurrentIndex(index if index >= 0 else 0)
        self.palette_combo.setEnabled(s.colour != "grey")  # greyscale has its own palette
        self.dates_note.setVisible(s.axis == "dates")

    def apply(self, s: FigureSettings) -> FigureSettings:
        out = dataclasses.replace(s, font=self.font_combo.currentData() or "",
                                  colour=self.colour_combo.currentData() or "rgb",
                                  palette=self.palette_combo.currentData() or "okabe-ito")
        self.palette_combo.setEnabled(out.colour != "grey")
        self.dates_note.setVisible(out.axis == "dates")
        return out
