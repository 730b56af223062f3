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
"""

from __future__ import annotations

import io
from collections import OrderedDict
from contextlib import contextmanager
from functools import lru_cache

MAX_SUBSETS = 32  # a few fonts x a few glyph sets; each is some tens of kB
# (font file, face, glyphs) -> (the subset's bytes, matplotlib's glyph index map); the
# benchmark clears it to time a first export.
SUBSETS: OrderedDict = OrderedDict()


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
        key = (str(fontfile), getattr(fontfile, "face_index", 0), frozenset(glyphs))
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


class _Subset:
    def __init__(self, font, glyph_index_map):
        self.font = font
        self.glyph_index_map = glyph_index_map


@contextmanager
def _results(font, glyph_index_map):
    with font:
        yield _Subset(font, glyph_index_map)
