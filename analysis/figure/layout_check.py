"""The collision check of a drawn figure: every text against every other text, the page, the
markers and the reference lines, and the legend against the plots.

It measures what matplotlib actually drew (text extents from the renderer, marker centres and
sizes from the collections), so it checks the placement rules in ``placement.py`` and
``layout.py`` rather than repeating them. The export dialog lists what it finds next to the
preview; the self-test grid (``tests/figure_grid.py``) runs it over every preset, height, panel B
mode and axis.
"""

from __future__ import annotations

from analysis.figure import style
from analysis.figure.fonts import resolve_font
from analysis.figure.items import FigureSpec

DPI = 100
TOUCH_PX2 = 1.0  # overlaps smaller than this (a hair at 100 dpi) are not collisions
LINE_PAD_PX = 0.5  # a reference line within this of a text's box runs through it
MARKER_SHARE = 0.6  # a marker whose centre is within this share of its radius of a text covers it


def layout_problems(spec: FigureSpec, drawn=None) -> list[str]:
    """Every collision as a sentence ("'Pre 0.8' overlaps 'Day 1: 0.4'"); [] when clean.

    ``drawn`` is a matplotlib figure already built from ``spec`` (the export preview's, at
    whatever resolution it was drawn): the check lays it out again at ``DPI`` instead of
    building a second figure, so its findings are those of a fresh figure.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from analysis.figure.render import build_matplotlib

    with matplotlib.rc_context(style.rc_params(spec.font_pt, resolve_font(spec.font))):
        fig = build_matplotlib(spec, DPI) if drawn is None else drawn
        fig.set_dpi(DPI)
        canvas = FigureCanvasAgg(fig)
        # Lays every artist out as a draw does (the same text extents) without painting a
        # pixel: painting was a third of the check's cost, and nothing here looks at pixels.
        fig.draw_without_rendering()
        renderer = canvas.get_renderer()
        boxes = _text_boxes(fig, renderer)
        problems = [spec.too_short()] if spec.too_short() else []
        problems += _off_page(fig.bbox, boxes)
        problems += _text_overlaps(boxes)
        problems += _covered_markers(fig, boxes)
        problems += _crossed_lines(fig, boxes)
        problems += _crossed_leaders(fig, _leaders(fig, renderer), boxes)
        problems += _legend_problems(fig, renderer)
        return problems


def _text_boxes(fig, renderer) -> list[tuple[str, object]]:
    import matplotlib

    boxes = []
    for text in fig.findobj(matplotlib.text.Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        # The text's own extent: an annotation's would take in its leader line, which runs
        # to the point on purpose (it is checked on its own, in _crossed_leaders).
        bb = matplotlib.text.Text.get_window_extent(text, renderer)
        if bb.width > 0:
            boxes.append((text.get_text(), bb))
    return boxes


def _leaders(fig, renderer) -> list[tuple]:
    """(text, its centre, its point, its extent) in display pixels for every label with a
    leader line."""
    import matplotlib

    out = []
    for text in fig.findobj(matplotlib.text.Annotation):
        if text.arrow_patch is None or not text.get_visible() or not text.get_text().strip():
            continue
        transform = text.xycoords  # render.py gives every annotation its point's transform
        if not hasattr(transform, "transform"):
            continue
        bb = matplotlib.text.Text.get_window_extent(text, renderer)
        point = transform.transform(text.xy)
        out.append((text.get_text(), ((bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2),
                    (float(point[0]), float(point[1])), bb))
    return out


CROSSED_LEADERS = "the leader lines of {!r} and {!r} cross"


def is_blemish(problem: str) -> bool:
    """A finding that spoils the look but covers nothing: two leader lines that cross (each label
    still names its own point). ``render`` writes such a figure with a warning and refuses only
    the rest; the self-test grid counts both."""
    return problem.startswith(CROSSED_LEADERS.split("{")[0])


def _crossed_leaders(fig, leaders, boxes) -> list[str]:
    """Leader lines that run through another label, over a marker other than their own
    point's, or across another leader line (a leader must say which point a label names, not
    pass another)."""
    import numpy as np

    from analysis.figure.placement import _segment_hits, segments_cross

    xy, r = _markers(fig)
    out = []
    drawn = [(name, a, _shrunk(a, b)) for name, a, b, _ in leaders]  # as drawn: 3 pt short of the point
    for i, (name, (xa, ya), (xb, yb)) in enumerate(drawn):
        for other, (xc, yc), (xd, yd) in drawn[i + 1:]:
            if segments_cross(xa, ya, xb, yb, xc, yc, xd, yd) and not _inside_a_label(
                    _crossing(xa, ya, xb, yb, xc, yc, xd, yd), boxes, (name, other)):
                out.append(CROSSED_LEADERS.format(name, other))
    for name, (xa, ya), (xb, yb), own in leaders:
        # Every text but the label's own (told by its extent, not its words: two events both
        # called "G-CSF", one's leader struck through the other's label unseen).
        for other, bb in boxes:
            if _same_box(bb, own):
                continue
            if _segment_hits(xa, ya, xb, yb, (bb.x0, bb.y0, bb.x1, bb.y1)):
                out.append(f"the leader line of {name!r} runs through {other!r}")
        if len(xy):
            dx, dy = xb - xa, yb - ya
            t = np.clip(((xy[:, 0] - xa) * dx + (xy[:, 1] - ya) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
            off = np.hypot(xy[:, 0] - (xa + t * dx), xy[:, 1] - (ya + t * dy))
            own = np.hypot(xy[:, 0] - xb, xy[:, 1] - yb) < r + 1.0
            if ((off < r * MARKER_SHARE) & ~own).any():
                out.append(f"the leader line of {name!r} runs over a marker")
    return out


def _same_box(a, b) -> bool:
    return abs(a.x0 - b.x0) < 1e-6 and abs(a.y0 - b.y0) < 1e-6 and abs(a.x1 - b.x1) < 1e-6 and abs(a.y1 - b.y1) < 1e-6


def _shrunk(a, b) -> tuple[float, float]:
    """The end of the leader from ``a`` to ``b`` as render.py draws it: 3 pt short of ``b``."""
    import math

    d = math.hypot(b[0] - a[0], b[1] - a[1])
    k = max(d - 3 * DPI / 72, 0.0) / d if d > 0 else 0.0
    return a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k


def _crossing(xa, ya, xb, yb, xc, yc, xd, yd) -> tuple[float, float]:
    """Where the lines through a-b and c-d meet (called only for segments that cross)."""
    den = (xb - xa) * (yd - yc) - (yb - ya) * (xd - xc)
    t = ((xc - xa) * (yd - yc) - (yc - ya) * (xd - xc)) / den
    return xa + t * (xb - xa), ya + t * (yb - ya)


def _inside_a_label(point, boxes, names) -> bool:
    """Whether ``point`` lies in the text of one of ``names``: matplotlib draws a leader from
    the edge of its label, so two leaders measured from the labels' centres may meet inside a
    label, where nothing of them is drawn."""
    x, y = point
    return any(name in names and bb.x0 <= x <= bb.x1 and bb.y0 <= y <= bb.y1 for name, bb in boxes)


def _off_page(page, boxes) -> list[str]:
    return [f"{name!r} runs off the page" for name, bb in boxes
            if bb.x0 < page.x0 - 0.5 or bb.x1 > page.x1 + 0.5
            or bb.y0 < page.y0 - 0.5 or bb.y1 > page.y1 + 0.5]


def _text_overlaps(boxes) -> list[str]:
    out = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            (a, ba), (b, bb) = boxes[i], boxes[j]
            if ba.overlaps(bb) and _area(ba, bb) > TOUCH_PX2:
                out.append(f"{a!r} overlaps {b!r}")
    return out


def _markers(fig):
    """(centres, radii) in display pixels of every marker drawn (draws and infusion marks)."""
    import numpy as np

    centres, radii = [], []
    for ax in fig.axes:
        for coll in ax.collections:
            offsets = np.asarray(coll.get_offsets())
            sizes = coll.get_sizes() if hasattr(coll, "get_sizes") else []
            if not len(offsets) or not len(sizes):
                continue
            centres.append(coll.get_offset_transform().transform(offsets))
            r = np.sqrt(np.asarray(sizes, dtype=float)) / 2 * DPI / 72
            radii.append(np.resize(r, len(offsets)))
    if not centres:
        return np.empty((0, 2)), np.empty(0)
    return np.concatenate(centres), np.concatenate(radii)


def _covered_markers(fig, boxes) -> list[str]:
    xy, r = _markers(fig)
    if not len(xy):
        return []
    out = []
    reach = r * MARKER_SHARE
    for name, bb in boxes:
        inside = ((xy[:, 0] > bb.x0 - reach) & (xy[:, 0] < bb.x1 + reach)
                  & (xy[:, 1] > bb.y0 - reach) & (xy[:, 1] < bb.y1 + reach))
        if inside.any():
            out.append(f"{name!r} covers a marker")
    return out


def _crossed_lines(fig, boxes) -> list[str]:
    """Texts that a horizontal reference line (severity, reference range) runs through."""
    out = []
    for ax in fig.axes:
        frame = ax.get_window_extent()
        for line in ax.get_lines():
            if not getattr(line, "nadir_hline", False):  # render.py tags the reference lines
                continue
            y = ax.transData.transform((0, line.get_ydata()[0]))[1]
            for name, bb in boxes:
                if (bb.y0 - LINE_PAD_PX < y < bb.y1 + LINE_PAD_PX
                        and bb.x1 > frame.x0 and bb.x0 < frame.x1):
                    out.append(f"a reference line runs through {name!r}")
    return out


def _legend_problems(fig, renderer) -> list[str]:
    out = []
    direct = getattr(fig, "nadir_legend", None)  # render.py's directly drawn legend
    for legend in [*fig.legends, *([direct] if direct is not None else [])]:
        lb = legend.get_window_extent(renderer)
        for ax in fig.axes:
            if lb.overlaps(ax.get_window_extent()) and _area(lb, ax.get_window_extent()) > TOUCH_PX2:
                out.append("the legend covers a plot")
    return out


def _area(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0) * max(h, 0)
