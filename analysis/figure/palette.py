"""Colours of the figure, by name of what they mark.

Okabe-Ito (Okabe & Ito 2008, "Color Universal Design") is the palette journals recommend for
colour-blind readers; the roles keep the case report's reading (pre-infusion red, day after
purple, other draws blue, infection yellow) in its colour-blind-safe shades. Every colour is a
hex string so the on-screen chart (pyqtgraph) and the printed figure (matplotlib) use the same
values. Shaded cycle bands are opaque greys, never transparency: EPS cannot store alpha, and
two greys at least 20 % apart in lightness stay distinct when a journal prints in greyscale.

Printed in greyscale, roles that share a marker shape (pre-infusion and other draws are both
circles) must differ in lightness by at least 15 CIE L* (``colour.cie_lightness``); roles of
different shapes are told apart by the shape. Other draws are therefore sky blue rather than
Okabe-Ito's dark blue, which is within 8 L* of vermillion. The "case-report" palette is the
published case report's own look (blue and white cycle bands, red pre-infusion, purple day
after, blue other draws, yellow infection), for authors who reproduce it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe-Ito, by the names its authors gave them.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)


@dataclass(frozen=True)
class Palette:
    """Colours by role. ``*_edge`` colours outline markers so light fills show on white."""

    name: str
    pre: str
    post: str
    other: str
    infection: str
    pre_edge: str
    post_edge: str
    other_edge: str
    infection_edge: str
    line: str  # the thin line joining draws
    band: tuple[str, str]  # alternating cycle tints, opaque
    severity: str  # threshold lines and their labels
    reference: str  # the lab's reference range
    duffy: str  # Duffy-null associated interval
    infusion: str  # infusion markers
    event: str  # event labels and spans
    cycle_line: str  # per-cycle lines in the overlay
    median: str  # median curve in the overlay
    text: str
    # Words for the figure legend text: the Okabe-Ito names, which say what a reader sees
    # (the case report's "red" and "purple" are vermillion and reddish-purple here).
    words: tuple[tuple[str, str], ...] = ()

    def word(self, role: str) -> str:
        return dict(self.words).get(role, role)


OKABE_ITO_PALETTE = Palette(
    name="okabe-ito",
    pre=VERMILLION,
    post=REDDISH_PURPLE,
    other=SKY_BLUE,
    infection=YELLOW,
    pre_edge="#8A3C00",
    post_edge="#8C3F6A",
    other_edge="#1F6E9C",
    infection_edge="#6B6400",  # dark olive: yellow alone vanishes on white
    line="#7F7F7F",
    band=("#BFBFBF", "#F2F2F2"),
    severity="#404040",
    reference=BLUISH_GREEN,
    duffy=SKY_BLUE,
    infusion=BLACK,
    event="#6B6400",
    cycle_line="#8C8C8C",
    median=BLACK,
    text=BLACK,
    words=(("pre", "vermillion"), ("post", "reddish-purple"), ("other", "sky blue"), ("infection", "yellow")),
)

# The case report's look: saturated red, purple, blue and yellow on blue-and-white bands.
CASE_REPORT_PALETTE = Palette(
    name="case-report",
    pre="#E31A1C",
    post="#7B2D8E",
    other="#6BAED6",
    infection="#FFD92F",
    pre_edge="#8E0F10",
    post_edge="#4A1656",
    other_edge="#2F6C94",
    infection_edge="#7A6400",
    line="#7F7F7F",
    band=("#C6DBEF", "#FFFFFF"),
    severity="#404040",
    reference="#1B7837",
    duffy="#2171B5",
    infusion=BLACK,
    event="#7A6400",
    cycle_line="#8C8C8C",
    median=BLACK,
    text=BLACK,
    words=(("pre", "red"), ("post", "purple"), ("other", "light blue"), ("infection", "yellow")),
)

# For journals that print in black and white: roles told apart by marker shape and fill.
GREYSCALE_PALETTE = Palette(
    name="greyscale",
    pre=BLACK,
    post="#808080",
    other="#FFFFFF",
    infection="#D0D0D0",
    pre_edge=BLACK,
    post_edge=BLACK,
    other_edge=BLACK,
    infection_edge=BLACK,
    line="#7F7F7F",
    band=("#BFBFBF", "#F2F2F2"),
    severity="#404040",
    reference="#404040",
    duffy="#404040",
    infusion=BLACK,
    event=BLACK,
    cycle_line="#8C8C8C",
    median=BLACK,
    text=BLACK,
    words=(("pre", "black"), ("post", "grey"), ("other", "white"), ("infection", "light grey")),
)

PALETTES = {p.name: p for p in (OKABE_ITO_PALETTE, CASE_REPORT_PALETTE, GREYSCALE_PALETTE)}


def get_palette(name: str) -> Palette:
    """The palette called ``name``; unknown names fall back to Okabe-Ito (a saved project
    from a later version must still open)."""
    return PALETTES.get(name, OKABE_ITO_PALETTE)


def palette_for(settings) -> Palette:
    """The palette a figure is drawn with: greyscale output is always drawn with the greyscale
    palette (a colour palette converted to grey loses the roles' lightness steps)."""
    if getattr(settings, "colour", "rgb") == "grey":
        return GREYSCALE_PALETTE
    return get_palette(settings.palette)


def hsl_lightness(hex_colour: str) -> float:
    """HSL lightness in [0, 1], to check that band tints survive greyscale printing."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (max(r, g, b) + min(r, g, b)) / 2
