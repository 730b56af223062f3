"""Colour modes of the output files: RGB, CMYK for print, greyscale for black-and-white journals.

What each format can carry faithfully:

* TIFF holds RGB, CMYK or greyscale pixels; Pillow converts the RGB drawing. Its CMYK is the
  plain device conversion (no ICC profile): what a journal's preflight asks for is a CMYK file,
  and the colours are the opaque flat ones of the palette, which convert without surprises.
* PDF, EPS and SVG are drawn by matplotlib, which writes RGB only. Greyscale is faithful there:
  the figure is drawn with the greyscale palette, every colour has R = G = B. CMYK is not: it is
  refused for vector files with the advice to write a TIFF (or to send RGB, which every
  journal's printer converts with its own profile).
* PNG is RGB or greyscale, never CMYK; no format gets an alpha channel.
"""

from __future__ import annotations

from analysis.errors import InputError

COLOUR_MODES = ("rgb", "cmyk", "grey")
PIL_MODE = {"rgb": "RGB", "cmyk": "CMYK", "grey": "L"}


def check_colour(mode: str, fmt: str) -> str:
    """``mode`` normalised, or an InputError when ``fmt`` cannot carry it faithfully."""
    mode = (mode or "rgb").strip().lower()
    if mode in ("gray", "greyscale", "grayscale"):
        mode = "grey"
    if mode not in COLOUR_MODES:
        raise InputError(f"the colour mode {mode!r} is not known", hint="Use rgb, cmyk or grey.")
    refusal = colour_refusal(mode, fmt)
    if refusal:
        raise InputError(refusal, hint=CMYK_HINT)
    return mode


CMYK_HINT = ("Write a .tif for CMYK, or keep RGB: journals convert RGB vector files with their "
             "printer's own profile.")


def colour_refusal(mode: str, fmt: str) -> str:
    """Why ``fmt`` cannot carry ``mode`` faithfully, "" when it can. One sentence for
    ``render`` (which refuses with it) and for the export dialog (which says it before Export)."""
    if mode == "cmyk" and fmt != "tiff":
        return f"a CMYK figure can be written as TIFF only, not as {fmt.upper()}"
    return ""


def screen_colour(mode: str) -> str:
    """The mode the clipboard's PNG and SVG of a ``mode`` figure are drawn in. Neither carries
    CMYK, and the CMYK TIFF is the plain device conversion of the same RGB drawing (no
    profile), so its RGB picture is what the TIFF holds; greyscale stays greyscale."""
    return "rgb" if mode == "cmyk" else mode


def relative_luminance_grey(hex_colour: str) -> int:
    """The grey level (0-255) a colour becomes in greyscale print (ITU-R BT.601 weights, as
    Pillow's "L" conversion)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return round((r * 299 + g * 587 + b * 114) / 1000)


def cie_lightness(hex_colour: str) -> float:
    """CIE L* (0 black - 100 white) of an sRGB colour: the lightness difference a reader sees
    between two greys (about 15-20 L* apart reads as clearly different)."""
    h = hex_colour.lstrip("#")

    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(h[i : i + 2], 16)) for i in (0, 2, 4))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27
