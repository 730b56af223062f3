"""Copies of the figure's fonts without the OpenType positioning table, for fast embedding.

To embed a font in PDF or EPS, matplotlib subsets it with fontTools, and subsetting Liberation
Sans's or Arial's GPOS table (kerning and mark positioning for every script the font covers)
took about two thirds of a PDF export. A PDF viewer never reads an embedded font's GPOS: the
glyph positions are written in the page. The layout does read it, so a copy is used only
where the font also has the legacy ``kern`` table, from which HarfBuzz takes the same
kerning: the figure is drawn pixel for pixel as from the original (tests check the advances).

The copy is made once per machine in matplotlib's cache folder, named by the original's
content hash, and registered in front of the original so that matplotlib finds it for the
same family and style. The files shipped in ``resources/fonts`` stay unmodified (the SIL OFL
reserves the name Liberation for unmodified versions); the copy is a local working file, as
the subset embedded in each figure is. Whenever a copy cannot be made (a read-only cache, a
font collection, no ``kern`` table) the original is used: slower, the same figure.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

DROPPED = ("GPOS",)
SUFFIXES = (".ttf", ".otf")


def lean_family(family: str) -> None:
    """Put a lean copy of each of ``family``'s font files in front of matplotlib's list."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    for entry in list(manager.ttflist):
        if entry.name == family and str(entry.fname).lower().endswith(SUFFIXES):
            lean = lean_copy(str(entry.fname))
            if lean is not None and lean != str(entry.fname):
                _register_first(manager, lean)


def _register_first(manager, path: str) -> None:
    if any(str(e.fname) == path for e in manager.ttflist):
        return
    manager.addfont(path)  # appends and clears findfont's cache
    # findfont keeps the first of equally good matches: the copy must come before the original.
    manager.ttflist.insert(0, manager.ttflist.pop())


@lru_cache(maxsize=16)
def lean_copy(path: str) -> str | None:
    """The path of ``path``'s copy without GPOS (made on first use); None when there is none."""
    try:
        data = Path(path).read_bytes()
        target = _cache_folder() / f"{Path(path).stem}-{hashlib.sha1(data).hexdigest()[:16]}.ttf"
        if target.is_file():
            return str(target)
        return _write_copy(data, target)
    except (OSError, ValueError):  # unreadable font, cache not writable: use the original
        return None


def _write_copy(data: bytes, target: Path) -> str | None:
    import io

    from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]  # no stubs

    try:
        font = TTFont(io.BytesIO(data))
    except TTLibError:
        return None
    if "kern" not in font or not any(tag in font for tag in DROPPED):
        return None  # kerning only in GPOS (or nothing to drop): keep the original
    for tag in DROPPED:
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(f".{os.getpid()}.tmp")
    temp.write_bytes(out.getvalue())
    os.replace(temp, target)  # atomic: another process making the same copy finds it whole
    return str(target)


def _cache_folder() -> Path:
    import matplotlib

    return Path(matplotlib.get_cachedir()) / "nadir-fonts"
