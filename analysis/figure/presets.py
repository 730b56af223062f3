"""Journals' artwork rules as data, so a figure is made at the size and in the style it will be printed.

Each :class:`Preset` is one column width of one journal, with the rules its artwork guide
states: the width and the greatest height in millimetres, the typeface and the range of text
sizes at final size, how panel letters are set, the thinnest line, and the raster resolution
for line art (graphs: text and lines only) and for combination art (line art with shading or
photographs; Nadir's shaded bands make its figures that). Where a guide states nothing, the
field holds the common practice of the others and the ``notes`` say so.

Sources (the journals' author guides as read in 2025-2026; they change, check before
submitting): Nature research figure guide ("Building and exporting figure panels",
"Preparing figures - our specifications"); Elsevier artwork and media instructions; Cell
Press figure guidelines; Blood and Wiley (eJHaem) author guides; JAMA Network's technical
requirements for figures; NEJM's and The Lancet's instructions for authors. Making the figure at
final size keeps 6-7 pt text 6-7 pt in print: a figure shrunk by the journal shrinks its text too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    key: str  # stable id stored in project files
    journal: str
    column: str  # "single", "1.5", "double"
    width_mm: float
    max_height_mm: float | None = None  # the guide's page depth for figures
    fonts: tuple[str, ...] = ("Arial", "Helvetica")
    font_pt: tuple[float, float] = (6.0, 8.0)  # smallest and largest text at final size
    letter_case: str = "upper"  # panel letters "A", "B" or "a", "b"
    letter_pt: float | None = None  # None: the text size + 2 pt
    letter_bold: bool = True
    min_line_pt: float = 0.5
    line_art_dpi: int = 1000
    combination_dpi: int = 600
    notes: str = ""

    @property
    def label(self) -> str:
        return f"{self.journal} {self.column} column ({self.width_mm:g} mm)"

    def letter(self, letter: str) -> str:
        return letter.lower() if self.letter_case == "lower" else letter.upper()


def _journal(journal: str, columns: dict[str, float], key: str | None = None, **rules) -> tuple[Preset, ...]:
    key = key or journal.lower().replace(" ", "")
    return tuple(Preset(f"{key}-{col}", journal, col, width, **rules) for col, width in columns.items())


PRESETS: tuple[Preset, ...] = (
    # Nature: 89 / 120-136 / 183 mm, at most 170 mm high (room for the legend), Arial or
    # Helvetica 5-7 pt, panel letters lowercase bold 8 pt, fonts embedded as TrueType.
    # Resolution, from the Nature research figure guide ("Preparing figures - our
    # specifications", research-figure-guide.nature.com, read Dec 2026): images "at a minimum of
    # 300 dpi"; online proofs show at most 450 dpi, so 450 dpi or more gives the sharpest proof.
    # It names no higher resolution for shaded or line art (graphs go as vector files): 300 is
    # what Nature asks for, and line_art_dpi keeps the others' 1200 (see notes).
    *_journal("Nature", {"single": 89, "1.5": 120, "double": 183}, max_height_mm=170,
              font_pt=(5.0, 7.0), letter_case="lower", letter_pt=8.0, min_line_pt=0.25,
              line_art_dpi=1200, combination_dpi=300,
              notes="Nature asks for 300 dpi at least; its online proofs show up to 450 dpi, so 450 dpi "
                    "or more gives the sharpest proof. Its guide states no line-art resolution (graphs "
                    "go as vector files); 1200 dpi is the other journals' rule."),
    # Elsevier: 90 / 140 / 190 mm, 240 mm page depth; line art 1000 dpi, combination 500 dpi.
    *_journal("Elsevier", {"single": 90, "1.5": 140, "double": 190}, max_height_mm=240,
              font_pt=(6.0, 8.0), min_line_pt=0.25, line_art_dpi=1000, combination_dpi=500),
    # Blood (ASH): 8.0 / 11.5 / 17.0 cm, Arial or Helvetica, 6-8 pt; line art 1200 dpi.
    *_journal("Blood", {"single": 80, "1.5": 115, "double": 170}, max_height_mm=230,
              line_art_dpi=1200, combination_dpi=600),
    # eJHaem, where the reference case was published, is a Wiley journal: 80 / 180 mm.
    *_journal("Wiley", {"single": 80, "double": 180}, max_height_mm=230, line_art_dpi=1200,
              combination_dpi=600),
    # Cell Press: 85 / 114 / 174 mm, Arial or Helvetica 6-8 pt, uppercase letters; line art
    # 1000 dpi, combination 500 dpi.
    *_journal("Cell", {"single": 85, "1.5": 114, "double": 174}, max_height_mm=225,
              line_art_dpi=1000, combination_dpi=500),
    # JAMA Network ("Guidelines for Figures", checked Dec 2026): one column at least 3.3 in
    # (8.4 cm), two columns 5-7 in (12.7-17.8 cm), at most 9 in (22.9 cm) high; Arial,
    # Helvetica, Times; line art 1200 dpi, colour or grey with text 600 dpi.
    *_journal("JAMA", {"single": 84, "double": 178}, max_height_mm=229, font_pt=(6.0, 9.0),
              line_art_dpi=1200, combination_dpi=600),
    # NEJM: redraws figures in house style; accepts vector files, line art 1200 dpi. Its
    # instructions state no column widths: the JAMA-like 84 / 178 mm are a working size.
    *_journal("NEJM", {"single": 84, "double": 178}, max_height_mm=229, font_pt=(6.0, 9.0),
              line_art_dpi=1200, combination_dpi=600,
              notes="NEJM's illustrators redraw figures and state no column widths; send an editable "
                    "vector file (PDF, EPS or SVG)."),
    # The Lancet: redraws figures in house style; its information for authors states no column
    # widths (75 / 154 mm are its printed columns as measured, not a stated rule) and asks for
    # images of at least 300 dpi and 107 mm wide.
    *_journal("The Lancet", {"single": 75, "double": 154}, key="lancet", max_height_mm=230,
              font_pt=(6.0, 9.0), line_art_dpi=1000, combination_dpi=600,
              notes="The Lancet redraws figures in its house style and states no column widths; an "
                    "editable SVG or PDF helps, images at least 107 mm wide at 300 dpi."),
)

PRESET_BY_KEY = {p.key: p for p in PRESETS}


def get_preset(key: str) -> Preset | None:
    return PRESET_BY_KEY.get(key)


def size_for(key: str, height_mm: float) -> tuple[float, float]:
    """(width, height) in mm for a preset, the height capped at the journal's page depth."""
    preset = PRESET_BY_KEY[key]
    height = height_mm if preset.max_height_mm is None else min(height_mm, preset.max_height_mm)
    return float(preset.width_mm), float(height)
