"""The figure's legend drawn directly: its keys and texts at the positions matplotlib's ``Legend``
would give them, without ``Legend``'s packing boxes.

``fig.legend(...)`` builds a tree of offset boxes (a handle box and a text area per entry, a
packer per entry, per column and for the whole) and lays it out again at every draw; with the
proxy handles and their legend handlers that was about 10 ms of a 600-dpi export, more than
drawing the legend's texts. Here the layout is the same arithmetic done once per draw, from the
same text metrics (``Text._get_layout``, cached by matplotlib), and only the keys and texts are
drawn. The rules reproduced (matplotlib 3.11, ``legend.py`` and ``offsetbox.py``), for the
settings ``render.py`` used (loc "upper left" at an anchor point, no frame, no title, no pads):

* a key box is ``handlelength`` x 0.7 em with no descent; a text's box reaches down to its last
  line's descent and up to at least the ascent of "lp" (``TextArea.get_bbox``);
* key and text sit on one baseline, ``handletextpad`` apart; the rows of a column are
  ``labelspacing`` apart from box to box; columns (first ``n % ncol`` columns one entry longer,
  as ``np.array_split`` deals them) are ``columnspacing`` apart with their first baselines level;
* the whole block's top-left corner is the anchor.

Importing this module imports matplotlib: ``render.py`` imports it only when it draws a legend.
"""

from __future__ import annotations

from matplotlib import text as mtext
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D, Bbox, IdentityTransform

HANDLE_LENGTH = 1.6  # em, as render.py's fig.legend had them
HANDLE_HEIGHT = 0.7  # em, matplotlib's legend.handleheight (no descent at 0.7)
HANDLE_TEXT_PAD = 0.5
LABEL_SPACING = 0.45
COLUMN_SPACING = 1.2


class DirectLegend(Artist):
    """Keys and labels of a legend whose top-left corner is at ``anchor`` (figure fraction)."""

    zorder = 5  # matplotlib's Legend's

    def __init__(self, fig, keys, labels, anchor, ncol: int, fontsize: float):
        super().__init__()
        self.set_figure(fig)
        self._keys = list(keys)  # Line2D or Rectangle, in points about the key box's origin
        self._texts = [mtext.Text(0, 0, label, fontsize=fontsize, va="baseline", ha="left")
                       for label in labels]
        for artist in (*self._keys, *self._texts):
            artist.set_figure(fig)
        self._anchor = anchor
        self._ncol = max(1, int(ncol))
        self._fontsize = fontsize

    @property
    def texts(self):
        return list(self._texts)

    def get_children(self):
        return [*self._keys, *self._texts]

    def _layout(self, renderer):
        """(bbox in display pixels, [(x, baseline y, the text's shift up) of each entry])."""
        fig = self.get_figure(root=True)
        dpicor = renderer.points_to_pixels(1.0)
        em = self._fontsize * dpicor
        key_w, key_h = HANDLE_LENGTH * em, HANDLE_HEIGHT * em
        rows = []  # (width, top above the baseline, descent, text's shift) of each entry
        for text in self._texts:
            _, lp_h, lp_d = mtext._get_text_metrics_with_cache(
                renderer, "lp", text.get_fontproperties(), ismath=False, dpi=fig.dpi)
            box, info, _ = text._get_layout(renderer)
            descent = info[-1][1][2]
            w, h = box.size
            shift = 0.0
            if len(info) > 1:  # several lines: centred on the key (multilinebaseline)
                centred = 0.5 * h - 0.5 * (lp_h - lp_d)
                shift, descent = descent - centred, centred
                top = h - descent
            else:
                top = max(lp_h - lp_d, h - descent)
            rows.append((key_w + HANDLE_TEXT_PAD * em + w, max(key_h, top), descent, shift))
        n, k = len(rows), self._ncol
        sizes = [n // k + (1 if c < n % k else 0) for c in range(k)]
        x0, y0 = fig.transFigure.transform(self._anchor)
        origins, columns, start = [], [], 0
        for size in filter(None, sizes):
            column = rows[start:start + size]
            start += size
            y, baselines = 0.0, []  # from the column's top, downwards
            for _, top, descent, _ in column:
                baselines.append(y + top)
                y += top + descent + LABEL_SPACING * em
            columns.append((max(r[0] for r in column), column[0][1], baselines,
                            y - LABEL_SPACING * em))
        top = max(c[1] for c in columns)  # the columns' first baselines are level
        x, bottom = x0, y0
        for width, first_top, baselines, height in columns:
            shift = top - first_top  # a column with a lower first row starts lower
            origins += [(x, y0 - shift - b) for b in baselines]
            bottom = min(bottom, y0 - shift - height)
            x += width + COLUMN_SPACING * em
        right = x - COLUMN_SPACING * em if columns else x0
        shifts = [r[3] for r in rows]
        return Bbox.from_extents(x0, bottom, right, y0), [(x, y, s) for (x, y), s in zip(origins, shifts, strict=True)]

    def get_window_extent(self, renderer=None):
        if renderer is None:
            renderer = self.get_figure(root=True)._get_renderer()
        return self._layout(renderer)[0]

    def draw(self, renderer):
        if not self.get_visible():
            return
        renderer.open_group("legend", gid=self.get_gid())
        _, origins = self._layout(renderer)
        dpicor = renderer.points_to_pixels(1.0)
        em = self._fontsize * dpicor
        for key, text, (x, y, shift) in zip(self._keys, self._texts, origins, strict=True):
            key.set_transform(Affine2D().scale(dpicor).translate(x, y))
            key.draw(renderer)
            text.set_transform(IdentityTransform())
            text.set_position((x + (HANDLE_LENGTH + HANDLE_TEXT_PAD) * em, y + shift))
            text.draw(renderer)
        renderer.close_group("legend")
        self.stale = False


def marker_key(fontsize: float, **props) -> Line2D:
    """A marker key, at the middle of its box as HandlerLine2D puts a single point."""
    return Line2D([HANDLE_LENGTH * fontsize / 2], [HANDLE_HEIGHT * fontsize / 2], linestyle="none", **props)


def line_key(fontsize: float, **props) -> Line2D:
    """A line key across its box at half its height (HandlerLine2D's three points)."""
    w = HANDLE_LENGTH * fontsize
    y = HANDLE_HEIGHT * fontsize / 2
    return Line2D([0, w / 2, w], [y, y, y], **props)


def patch_key(fontsize: float, **props) -> Rectangle:
    """A filled key the size of its box (HandlerPatch's rectangle)."""
    return Rectangle((0, 0), HANDLE_LENGTH * fontsize, HANDLE_HEIGHT * fontsize, **props)
