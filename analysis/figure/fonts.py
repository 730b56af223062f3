"""Which typeface the figure is set in, and where its file is.

Nature, Elsevier and Cell name Arial or Helvetica. Windows and macOS always have Arial, so a
figure made there uses it; elsewhere Nadir embeds Liberation Sans 2, which has Arial's metrics
(every label takes the same room) and is under the SIL Open Font License
(``resources/fonts/OFL.txt``), so it may be shipped and embedded. DejaVu Sans, matplotlib's own
font, is the last resort only. The labels use × µ ³ – ≥, which every font chosen here must have.

matplotlib is imported inside the functions, as in ``render.py``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analysis.errors import InputError

PREFERRED = ("Arial", "Helvetica")
BUNDLED = "Liberation Sans"
FALLBACK = "DejaVu Sans"
GLYPHS = "×µ³–≥"  # in the axis label (×10³/µL), ranges (2.0–2.6) and notes (≥)


def _fonts_folder() -> Path:
    here = Path(__file__).resolve().parent.parent  # analysis/
    for candidate in (here.parent / "resources" / "fonts", here / "_resources" / "fonts"):
        if candidate.is_dir():  # a checkout, then an installed wheel
            return candidate
    return here.parent / "resources" / "fonts"


@lru_cache(maxsize=1)
def _register_bundled() -> bool:
    """Make the bundled font known to matplotlib (once per process)."""
    from matplotlib import font_manager

    files = sorted(_fonts_folder().glob("LiberationSans-*.ttf"))
    for f in files:
        font_manager.fontManager.addfont(str(f))
    return bool(files)


@lru_cache(maxsize=32)
def font_file(family: str) -> str | None:
    """The file matplotlib would use for ``family`` (regular weight), None when not installed."""
    from matplotlib import font_manager

    from analysis.figure.lean_fonts import lean_family

    _register_bundled()
    lean_family(family)  # embedding a copy without GPOS is fast; the figure is the same
    try:
        return font_manager.findfont(font_manager.FontProperties(family=family),
                                     fallback_to_default=False)
    except ValueError:
        return None


@lru_cache(maxsize=32)
def missing_glyphs(family: str) -> str:
    """The characters of GLYPHS the family's font lacks ("" when it has them all)."""
    from matplotlib.ft2font import FT2Font

    path = font_file(family)
    if path is None:
        return GLYPHS
    charmap = FT2Font(path).get_charmap()
    return "".join(ch for ch in GLYPHS if ord(ch) not in charmap)


def text_width_mm(text: str, size_pt: float, name: str = "") -> float:
    """The width matplotlib lays ``text`` out in, in the figure's font (``name`` as in
    :func:`resolve_font`) at ``size_pt``: the glyph advances and kerning of the regular face."""
    from matplotlib.font_manager import get_font

    path = font_file(resolve_font(name))
    if path is None:  # only DejaVu Sans is left; its glyphs are about as wide
        return len(text) * 0.6 * size_pt * 25.4 / 72
    font = get_font(path)  # matplotlib's own cached copy (one per thread)
    font.set_size(size_pt, 72)
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64 * 25.4 / 72


def available_fonts() -> list[str]:
    """The families offered in the export dialog: the preferred ones installed, then the bundled."""
    return [f for f in (*PREFERRED, BUNDLED) if font_file(f) is not None and not missing_glyphs(f)]


def resolve_font(name: str = "") -> str:
    """The family to draw with. ``""``: Arial or Helvetica when installed, else the bundled font.
    A named family must be installed and have the glyphs the labels use."""
    if not name:
        for family in (*PREFERRED, BUNDLED):
            if font_file(family) is not None and not missing_glyphs(family):
                return family
        return FALLBACK
    if font_file(name) is None:
        offered = ", ".join(available_fonts()) or FALLBACK
        raise InputError(f"the font {name!r} is not installed",
                         hint=f"Use one of {offered}, or leave the font unset to use the first of them.")
    lacking = missing_glyphs(name)
    if lacking:
        raise InputError(f"the font {name!r} has no {' '.join(lacking)}, which the figure's labels use",
                         hint=f"Use one of {', '.join(available_fonts())}.")
    return name
