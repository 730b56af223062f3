"""The embedded font subset kept in the process, per font file and glyph set.

Every PDF or EPS matplotlib writes subsets its fonts with fontTools again, even when the same
figure was written a moment ago: the export dialog's PDF after a change of height, a second
format, the same figure at another preset. The subset of one font file for one set of glyphs
is always the same bytes, so it is made once per process and read back from memory after.

This wraps ``matplotlib.backends._backend_pdf_ps.get_glyphs_subset``, a private function (the
one place both the PDF and the PostScript backend subset through). :func:`install` checks that
it has the shape this code knows (matplotlib 3.10-3.11: ``(fontfile, glyphs)`` giving a context
manager of an object with ``font`` and ``glyph_index_map``) and leaves matplotlib alone
otherwise: exports are then as slow as before and byte for byte the same. A test fails when the
wrapper is not in place with the matplotlib the lock file pins.

The first PDF or EPS of a process (every ``nadir render``) still subset each font, about a
fifth of that export. So a figure whose glyphs are all among :data:`COMMON_TEXT` (printable
ASCII, Latin-1 and the few symbols the labels use: every figure of a lab record in a Latin
script) embeds one subset per font of that whole fixed set instead, made once per machine and
kept as a file next to the fonts' lean copies (``lean_fonts.py``). That file is made from the
font and the fixed list alone, the same for every figure and every patient: nothing of a
figure's text, not even which letters it uses, is written to disk. The embedded font then holds
a few hundred glyphs more than the page draws (some 30 kB per font in the PDF); the page, its
glyph positions and its text are the same. A figure with any other glyph (Greek, CJK) is
subset for its own glyphs as before; so is every figure when that file cannot be read or
written (the subset is then made in memory: the same bytes).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections import OrderedDict
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

MAX_SUBSETS = 32  # a few fonts x a few glyph sets; each is some tens of kB
# (font file, face, glyphs) -> (the subset's bytes, matplotlib's glyph index map), and
# ("common", font file, face) -> the same for COMMON_TEXT's glyphs (or None: not available);
# the benchmark clears it to time a first export.
SUBSETS: OrderedDict = OrderedDict()
# The characters of the fixed subset: printable ASCII, Latin-1 (µ ³ × ° é ö ...) and the
# punctuation and signs of the figure's labels, numbers and statistics.
COMMON_TEXT = (
    "".join(map(chr, range(0x20, 0x7F))) + "".join(map(chr, range(0xA0, 0x100)))
    + "\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2032\u2212\u2264\u2265\u2248\u2192"
)
COMMON_VERSION = 1  # part of the file's name: a change of COMMON_TEXT or of the format


@lru_cache(maxsize=1)
def install() -> bool:
    """Wrap matplotlib's subsetting once per process; False when its shape is unknown."""
    import inspect

    try:
        from matplotlib.backends import _backend_pdf_ps as pdf_ps
    except ImportError:
        return False
    original = getattr(pdf_ps, "get_glyphs_subset", None)
    if original is None or getattr(original, "nadir_cached", False):
        return bool(original)
    if list(inspect.signature(original).parameters) != ["fontfile", "glyphs"]:
        return False
    pdf_ps.get_glyphs_subset = _cached(original)
    return True


def _cached(original):
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # no stubs

    subsets = SUBSETS

    def get_glyphs_subset(fontfile, glyphs):
        glyphs = frozenset(glyphs)
        face = getattr(fontfile, "face_index", 0)
        common_key = ("common", str(fontfile), face)
        if common_key not in subsets:
            subsets[common_key] = _common_subset(original, fontfile)
        subsets.move_to_end(common_key)
        common = subsets[common_key]
        if common is not None and glyphs <= common[1].keys():
            font = TTFont(io.BytesIO(common[0]), recalcTimestamp=False, recalcBBoxes=False)
            return _results(font, dict(common[1]))
        key = (str(fontfile), face, glyphs)
        hit = subsets.get(key)
        if hit is None:
            with original(fontfile, glyphs) as subset:
                out = io.BytesIO()
                subset.font.save(out, reorderTables=False)
                hit = (out.getvalue(), dict(subset.glyph_index_map))
            subsets[key] = hit
            if len(subsets) > MAX_SUBSETS:
                subsets.popitem(last=False)
        else:
            subsets.move_to_end(key)
        # Read back as saved: no new timestamp or bounds, so matplotlib writes the same bytes.
        font = TTFont(io.BytesIO(hit[0]), recalcTimestamp=False, recalcBBoxes=False)
        return _results(font, dict(hit[1]))

    get_glyphs_subset.nadir_cached = True  # type: ignore[attr-defined]
    return get_glyphs_subset


def _common_subset(original, fontfile) -> tuple[bytes, dict[int, int]] | None:
    """The subset of ``fontfile`` for COMMON_TEXT's glyphs, from its file (made when missing);
    None when the font cannot be read or has none of them."""
    try:
        path = Path(os.fspath(fontfile))
        data = path.read_bytes()
    except (OSError, TypeError, ValueError):
        return None
    face = getattr(fontfile, "face_index", 0)
    target = _common_file(path, data, face)
    try:
        return _read_common(target.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not made yet (or damaged): made again
    made = _make_common(original, fontfile, data, face)
    if made is not None:
        try:
            header = json.dumps({str(k): v for k, v in sorted(made[1].items())}).encode()
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_suffix(f".{os.getpid()}.tmp")
            temp.write_bytes(len(header).to_bytes(4, "big") + header + made[0])
            os.replace(temp, target)  # atomic: another process making the same file finds it whole
        except OSError:
            pass  # a read-only cache: made in memory for this process only
    return made


def _common_file(path: Path, data: bytes, face: int) -> Path:
    import fontTools  # type: ignore[import-untyped]  # no stubs
    import matplotlib

    key = hashlib.sha1(data)
    key.update(f"{face} {COMMON_TEXT} {fontTools.version} {matplotlib.__version__}".encode())
    return (Path(matplotlib.get_cachedir()) / "nadir-fonts" / "subsets"
            / f"{path.stem}-{key.hexdigest()[:16]}-v{COMMON_VERSION}.ttf-subset")


def _read_common(blob: bytes) -> tuple[bytes, dict[int, int]]:
    n = int.from_bytes(blob[:4], "big")
    mapping = {int(k): int(v) for k, v in json.loads(blob[4:4 + n]).items()}
    font = blob[4 + n:]
    if not mapping or not font:
        raise ValueError("empty subset file")
    return font, mapping


def _make_common(original, fontfile, data: bytes, face: int) -> tuple[bytes, dict[int, int]] | None:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(io.BytesIO(data), fontNumber=face, lazy=True)
        cmap, ids = font.getBestCmap() or {}, font.getReverseGlyphMap()
    except (TTLibError, OSError, ValueError, AssertionError, KeyError):
        return None
    glyphs = {0} | {ids[cmap[ord(ch)]] for ch in COMMON_TEXT if cmap.get(ord(ch)) in ids}
    if len(glyphs) < 2:
        return None
    with original(fontfile, glyphs) as subset:
        out = io.BytesIO()
        subset.font.save(out, reorderTables=False)
        return out.getvalue(), {int(k): int(v) for k, v in subset.glyph_index_map.items()}


class _Subset:
    def __init__(self, font, glyph_index_map):
        self.font = font
        self.glyph_index_map = glyph_index_map


@contextmanager
def _results(font, glyph_index_map):
    with font:
        yield _Subset(font, glyph_index_map)
