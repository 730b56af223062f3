"""Journal figure widths, so a figure is made at the size it will be printed.

Widths are the publishers' column widths in millimetres (author guidelines as of 2025); the
height is the user's choice within the page. Making the figure at final size is what keeps
6-7 pt text 6-7 pt in print: a figure shrunk by the journal shrinks its text too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    key: str  # stable id stored in project files
    journal: str
    column: str  # "single", "1.5", "double"
    width_mm: float
    max_height_mm: float | None = None  # only where the guidelines state one

    @property
    def label(self) -> str:
        return f"{self.journal} {self.column} column ({self.width_mm:g} mm)"


PRESETS: tuple[Preset, ...] = (
    Preset("nature-single", "Nature", "single", 89, 247),
    Preset("nature-double", "Nature", "double", 183, 247),
    Preset("elsevier-single", "Elsevier", "single", 90),
    Preset("elsevier-1.5", "Elsevier", "1.5", 140),
    Preset("elsevier-double", "Elsevier", "double", 190),
    Preset("blood-single", "Blood", "single", 80),
    Preset("blood-1.5", "Blood", "1.5", 115),
    Preset("blood-double", "Blood", "double", 170),
    # eJHaem, where the reference case was published, is a Wiley journal.
    Preset("wiley-single", "Wiley", "single", 80),
    Preset("wiley-double", "Wiley", "double", 180),
    Preset("cell-single", "Cell", "single", 85),
    Preset("cell-double", "Cell", "double", 174),
)

PRESET_BY_KEY = {p.key: p for p in PRESETS}


def get_preset(key: str) -> Preset | None:
    return PRESET_BY_KEY.get(key)


def size_for(key: str, height_mm: float) -> tuple[float, float]:
    """(width, height) in mm for a preset, the height capped at the journal's page depth."""
    preset = PRESET_BY_KEY[key]
    height = height_mm if preset.max_height_mm is None else min(height_mm, preset.max_height_mm)
    return float(preset.width_mm), float(height)
