"""Where a label goes next to its point, so that labels touch no line, marker or other label.

Works in millimetres of a plot box (x from the left edge, y up from the bottom), from the same
numbers the spec holds, so the on-screen chart and the printed figure agree on every place.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from analysis.figure.style import PT_MM, TICK_FRAC


def axis_pos(axis, values: np.ndarray) -> np.ndarray:
    """Positions of ``values`` as fractions (0 bottom, 1 top) of an axis with lo, hi and log."""
    values = np.asarray(values, dtype=float)
    if axis.log:
        return (np.log10(values) - math.log10(axis.lo)) / (math.log10(axis.hi) - math.log10(axis.lo))
    return (values - axis.lo) / (axis.hi - axis.lo)


# Candidate places for a label next to its point: (dx, dy) in points, ha, va.
RIGHT_ABOVE = (5.0, 2.0, "left", "bottom")
LEFT_ABOVE = (-5.0, 2.0, "right", "bottom")
RIGHT_BELOW = (5.0, -2.0, "left", "top")
LEFT_BELOW = (-5.0, -2.0, "right", "top")
ABOVE = (0.0, 4.5, "center", "bottom")
BELOW = (0.0, -4.5, "center", "top")
RIGHT = (5.0, 0.0, "left", "center")
LEFT = (-5.0, 0.0, "right", "center")


# A foot label (an event's, at its tick) starts at this fraction of the plot's height, may
# climb this many rows or slide along the foot this many steps to get clear of the draws
# there; the event's tick reaches up to TICK_FRAC (style; render.py draws it).
FOOT_FRAC = 0.04
FOOT_ROWS = 3
FOOT_SLIDES = 12
FOOT_STEP_MM = 1.5
FOOT_CLEAR_MM = 0.61  # the lowest a label's bottom goes (_cost keeps 0.6 mm off the axis)
FAR_KEY = 1000.0  # sorts the foot's further places after its usual ones
FAR_MM = 15.0  # how far from its point a label with a leader line may go
FAR_STEP_MM = 0.5
# A leader line passes no draw closer than this (a marker's radius is ~0.75 mm).
LEADER_CLEAR_MM = 0.9


class Placer:
    """Chooses, for each label, the first candidate place that stays inside the plot and
    touches no line, no marker, no other label and not the strip of cycle numbers along the
    top. Works in mm of the plot box, so the answer holds for both renderers."""

    def __init__(self, box, x_axis_lo, x_axis_hi, y_axis, xs, ys, top_strip_mm=0.0,
                 hlines=(), font=""):
        self.box, self.lo, self.hi, self.y_axis = box, x_axis_lo, x_axis_hi, y_axis
        self.font = font  # the figure's font setting, measured only when no place is free
        self.lines_y = [float(v) for v in self._y(np.array([h.y for h in hlines]))] if hlines else []
        self.px = self._x(np.asarray(xs, dtype=float))
        self.py = self._y(np.asarray(ys, dtype=float))
        # Draws come in time order: a label's neighbours are then one slice of the arrays, not
        # a pass over all 50,000 draws of a long record per candidate position.
        self.sorted = bool(len(self.px) < 2 or np.all(np.diff(self.px) >= 0))
        self.rects: list[tuple[float, float, float, float]] = []
        # Leader lines drawn (from a label's centre to its point, as matplotlib draws them):
        # no later label may sit on one.
        self.leaders: list[tuple[float, float, float, float]] = []
        self.last_leader: tuple[float, float, float, float] | None = None
        self.top = box.h - top_strip_mm
        # The last label placed: its point (mm), its rectangle and what its place cost.
        self.last: tuple[float, float, tuple[float, float, float, float], float] | None = None
        self._widths: dict[tuple[str, float], float] = {}
        # The placed labels' rectangles as drawn (their text's own width): what a leader line
        # must not run through (``rects`` holds the generous estimates other labels keep off).
        self.drawn: list[tuple[float, float, float, float]] = []
        self.last_drawn: tuple[float, float, float, float] | None = None
        # The events' ticks along the foot (mm) and the one of the label being placed: a label
        # over another event's tick hides it, and that event's leader line would run through it.
        self.ticks: list[float] = []
        self.own_tick: float | None = None

    def _x(self, x):
        return (x - self.lo) / (self.hi - self.lo) * self.box.w

    def _y(self, y):
        return axis_pos(self.y_axis, y) * self.box.h if len(np.atleast_1d(y)) else np.array([])

    def place(self, x, y, text, size_pt, candidates, commit: bool = True):
        """The free candidate listed first, next to its point; then the same places further
        out (a label pushed clear of a reference line still points at its draw); when none is
        free, the one that collides least (another label or a marker costs most).

        A label's width is first taken as 0.6 em a character, wider than most text in Arial
        and its metric twins, so that the places chosen hold for any of them; when that
        leaves no place free, the text's own width in the figure's font decides (in a short
        panel B the generous width can rule out every place)."""
        X, Y = float(self._x(np.array([x]))[0]), float(self._y(np.array([y]))[0])
        h = size_pt * 1.2 * PT_MM
        drawn = self._drawn_width(text, size_pt)
        best = self._best(X, Y, len(text) * 0.6 * size_pt * PT_MM, h, candidates, drawn)
        if best[2] > 0:
            measured = self._best(X, Y, drawn, h, candidates, drawn)
            best = measured if measured[2] < best[2] else best
        self.last = (X, Y, best[1], best[2])
        self.last_drawn = _as_drawn(best[1], best[0][2], drawn)
        self.last_leader = _centre_to(self.last_drawn, X, Y) if self.needs_leader() else None
        if commit:
            self.commit()
        return best[0]

    def _drawn_width(self, text: str, size_pt: float) -> float:
        """The width ``text`` is drawn in (the figure's font), where its leader line starts."""
        key = (text, size_pt)
        if key not in self._widths:
            from analysis.figure.fonts import text_width_mm

            self._widths[key] = text_width_mm(text, size_pt, self.font)
        return self._widths[key]

    def _leader_cost(self, seg) -> float:
        """What the leader line ``seg`` runs through (a label, as drawn: the label over the
        point itself too, which hides that point) or crosses (another label's leader: the
        layout check flags two leaders in an X)."""
        xa, ya, xb, yb = seg
        hits = sum(1 for q in self.drawn if _segment_hits(xa, ya, xb, yb, q))
        crossed = sum(1 for other in self.leaders if segments_cross(xa, ya, xb, yb, *other))
        return LEADER_CROSS_COST * hits + LEADERS_CROSS_COST * crossed

    def set_ticks(self, days, own=None) -> None:
        """The days of the events' ticks at the foot (labels keep off them but for the tick of
        the label placed next, at day ``own``)."""
        self.ticks = [float(t) for t in self._x(np.asarray(days, dtype=float))] if len(days) else []
        self.own_tick = None if own is None else float(self._x(np.array([own]))[0])

    def last_choice(self):
        """The place the last :meth:`place` (or foot, or far) call chose, for :meth:`choose`."""
        return (self.last, self.last_drawn, self.last_leader)

    def choose(self, choice) -> None:
        """Make ``choice`` (a :meth:`last_choice`) the last place again, to :meth:`commit`."""
        self.last, self.last_drawn, self.last_leader = choice

    def state(self):
        """What later labels avoid (the labels and leader lines placed), for :meth:`restore`."""
        return (list(self.rects), list(self.drawn), list(self.leaders), self.last, self.last_drawn,
                self.last_leader)

    def restore(self, state) -> None:
        """Back to a :meth:`state`: the labels placed since are forgotten (a run placed again in
        another order)."""
        rects, drawn, leaders, self.last, self.last_drawn, self.last_leader = state
        self.rects, self.drawn, self.leaders = list(rects), list(drawn), list(leaders)

    def commit(self) -> None:
        """Keep the last place :meth:`place` chose with ``commit=False`` (later labels avoid it)."""
        if self.last is not None and (not self.rects or self.rects[-1] is not self.last[2]):
            self.rects.append(self.last[2])
            self.drawn.append(self.last_drawn or self.last[2])
            if self.last_leader is not None:
                self.leaders.append(self.last_leader)

    def last_cost(self) -> float:
        """What the last place collides with (0: nothing)."""
        return self.last[3] if self.last is not None else 0.0

    def needs_leader(self) -> bool:
        """Whether the last label sits so far from its point (more than ``LEADER_MM``, pushed
        out of a line's way) that a thin line from it to the point must say which point it
        names."""
        if self.last is None:
            return False
        X, Y, rect, _ = self.last  # noqa: N806 - X, Y: the point in mm
        return _distance(rect, X, Y) > LEADER_MM

    def place_foot(self, x, text, size_pt, y_frac: float = FOOT_FRAC, commit: bool = True):
        """(dx, dy in points from the top of the event tick at day ``x``, ha, leader) for a label
        at the foot of the plot (an event with no draw to stand next to, whose tick marks its
        day): over the tick, else beside it, a row higher, or slid along the foot with a leader
        line down to the tick; the nearest place that covers no marker, no join, no line and no
        other label, and when none is free, the one that collides least."""
        X = float(self._x(np.array([x]))[0])  # noqa: N806 - X: the day in mm
        h = size_pt * 1.2 * PT_MM
        drawn = self._drawn_width(text, size_pt)
        best = self._foot_best(X, len(text) * 0.6 * size_pt * PT_MM, h, y_frac, drawn)
        if best[3] > 0:
            measured = self._foot_best(X, drawn, h, y_frac, drawn)
            best = measured if measured[3] < best[3] else best
        x0, y0, cost, rect, leader = best[0], best[1], best[3], best[4], best[5]
        tick_top = TICK_FRAC * self.box.h
        self.last = (X, rect[1], rect, cost)
        self.last_drawn = _as_drawn(rect, best[2], drawn)
        self.last_leader = _centre_to(self.last_drawn, X, tick_top) if leader else None
        if commit:
            self.commit()
        return (x0 - X) / PT_MM, (y0 - tick_top) / PT_MM, best[2], leader

    def place_far(self, x, y, text, size_pt, commit: bool = True):
        """(dx, dy, ha, va) in points for a label that found no free place next to its point:
        further above or below it (up to ``FAR_MM``), nearest first, with a leader line back to
        the point that passes no other draw; when none is free, the one that collides least."""
        X, Y = float(self._x(np.array([x]))[0]), float(self._y(np.array([y]))[0])  # noqa: N806
        h = size_pt * 1.2 * PT_MM
        w = len(text) * 0.6 * size_pt * PT_MM
        drawn = self._drawn_width(text, size_pt)
        places = []
        for k in range(1, int(FAR_MM / FAR_STEP_MM) + 1):
            lift = 1.5 + k * FAR_STEP_MM  # fine steps: a band between two lines has little slack
            for sign in (1, -1):
                for dx, ha in ((0.0, "center"), (5.0, "left"), (-5.0, "right")):
                    places.append((lift + abs(dx) * PT_MM, dx, sign * lift, ha))
        best = None
        for _, dx, lift, ha in sorted(places, key=lambda p: p[0]):
            va = "bottom" if lift > 0 else "top"
            rect = self._rect(X, Y, w, h, (dx, lift / PT_MM, ha, va))
            cost = self._cost(rect)
            near_y = rect[1] if lift > 0 else rect[3]
            near_x = min(max(X, rect[0]), rect[2])
            cost += 5 * max(_points_near_segment(near_x, near_y, X, Y, self.px, self.py, LEADER_CLEAR_MM) - 1, 0)
            cost += self._leader_cost(_centre_to(_as_drawn(rect, ha, drawn), X, Y))
            if best is None or cost < best[2]:
                best = ((dx, lift / PT_MM, ha, va), rect, cost)
            if cost == 0:
                break
        assert best is not None  # places is never empty
        self.last = (X, Y, best[1], best[2])
        self.last_drawn = _as_drawn(best[1], best[0][2], drawn)
        self.last_leader = _centre_to(self.last_drawn, X, Y)
        if commit:
            self.commit()
        return best[0]

    def _foot_best(self, X, w, h, y_frac, drawn):  # noqa: N803 - X: the day in mm
        """(x of the anchor, y of the bottom, ha, cost, rectangle, leader) of the foot place."""
        gap = 0.7  # mm between a label beside the tick and the tick
        places = []
        for row in range(FOOT_ROWS):
            lift = row * (h + 0.3)
            high = lift > LEADER_MM  # a row this far above its tick points down to it
            # Over the tick, from its top; beside it, as low as the axis allows (in a short
            # panel the lowest reference line lies only a label's height above the axis).
            over, low = max(y_frac * self.box.h, FOOT_CLEAR_MM) + lift, FOOT_CLEAR_MM + lift
            places += [(lift, X, over, "center", high), (lift + gap, X + gap, low, "left", high),
                       (lift + gap, X - gap, low, "right", high)]
            for k in range(1, FOOT_SLIDES + 1):
                shift = w / 2 + gap + k * FOOT_STEP_MM
                places += [(lift + shift, X + shift, low, "center", True),
                           (lift + shift, X - shift, low, "center", True)]
        # When all of those are taken: every row up to the top of the plot, the label anywhere
        # inside the plot within the slides' reach of its tick, with its leader (a short panel
        # A's lowest reference lines leave no row at the foot free, and a long label near the
        # panel's right edge has no room beside its tick). Tried after the places above, nearest
        # first, and never past the plot's edges (the severity labels stand outside it).
        reach = w / 2 + gap + FOOT_SLIDES * FOOT_STEP_MM
        rows = int((self.top - FOOT_CLEAR_MM) / (h + 0.3))
        lo_c, hi_c = w / 2 + 0.1, self.box.w - w / 2 - 0.1
        for row in range(rows):
            lift = row * (h + 0.3)
            for k in range(-int(reach / FOOT_STEP_MM), int(reach / FOOT_STEP_MM) + 1):
                centre = X + k * FOOT_STEP_MM
                if lo_c <= centre <= hi_c:
                    places.append((FAR_KEY + lift + abs(k) * FOOT_STEP_MM, centre, FOOT_CLEAR_MM + lift,
                                   "center", True))
        best = None
        for _, ax, y0, ha, leader in sorted(places, key=lambda p: p[0]):
            x0 = ax if ha == "left" else ax - w if ha == "right" else ax - w / 2
            rect = (x0, y0, x0 + w, y0 + h)
            cost = self._cost(rect)
            if leader:  # the leader line, from the label down to the tick, passes no draw
                tick_top = TICK_FRAC * self.box.h
                # (from the label's centre, as matplotlib draws it, clipped at the label)
                start = (x0 + w / 2, y0 + h / 2)
                cost += 5 * _points_near_segment(*start, X, tick_top, self.px, self.py, LEADER_CLEAR_MM)
                cost += self._leader_cost(_centre_to(_as_drawn(rect, ha, drawn), X, tick_top))
            if best is None or cost < best[3]:
                best = (ax, y0, ha, cost, rect, leader)
            if cost == 0:
                break
        return best

    def _best(self, X, Y, w, h, candidates, drawn):  # noqa: N803 - X, Y: the point in mm
        """(candidate, its rectangle, its cost) of the first free or else the cheapest place; a
        place far enough out to need a leader line also pays for what that line runs through
        or crosses (``drawn``: the text's width in its font, where the line starts)."""
        best, best_cost = None, math.inf
        for cand in (*_further(candidates), *self._between_lines(Y, h)):
            rect = self._rect(X, Y, w, h, cand)
            cost = self._cost(rect)
            if _distance(rect, X, Y) > LEADER_MM:
                cost += self._leader_cost(_centre_to(_as_drawn(rect, cand[2], drawn), X, Y))
            if cost < best_cost:
                best, best_cost = (cand, rect), cost
            if cost == 0:
                break
        return best[0], best[1], best_cost

    def _between_lines(self, Y, h):  # noqa: N803 - Y: the point in mm
        """Places beside the point, slid up or down into the nearest band between two
        reference lines (or a line and the plot's edge) that the label fits in: in a short
        plot the fixed places above and below all cross a line when the lines lie closer
        than a label's height plus its offset. Nearest first, at most ``SLIDE_MM`` away."""
        edges = sorted({0.6, *self.lines_y, self.top})
        out = []
        for lo, hi in itertools.pairwise(edges):
            lo, hi = lo + LINE_CLEAR_MM, hi - LINE_CLEAR_MM
            if hi - lo < h:
                continue
            y0 = min(max(Y - h / 2, lo), hi - h)
            if abs(y0 + h / 2 - Y) > SLIDE_MM:
                continue
            for dx, ha in ((5.0, "left"), (-5.0, "right")):
                out.append((dx, (y0 - Y) / PT_MM, ha, "bottom"))
        return sorted(out, key=lambda c: abs(c[1]))

    @staticmethod
    def _rect(X, Y, w, h, cand):  # noqa: N803 - X, Y: the point in mm
        dx, dy, ha, va = cand
        ax, ay = X + dx * PT_MM, Y + dy * PT_MM
        x0 = ax if ha == "left" else ax - w if ha == "right" else ax - w / 2
        y0 = ay if va == "bottom" else ay - h if va == "top" else ay - h / 2
        return (x0, y0, x0 + w, y0 + h)

    def _cost(self, r) -> float:
        x0, y0, x1, y1 = r
        cost = 0.0
        if x0 < 0 or x1 > self.box.w or y0 < 0.6 or y1 > self.box.h:
            cost += 8
        if y1 > self.top:
            cost += 3
        cost += 4 * sum(1 for ly in self.lines_y if y0 - 0.4 < ly < y1 + 0.4)
        cost += 10 * sum(1 for q in self.rects if x0 < q[2] and q[0] < x1 and y0 < q[3] and q[1] < y1)
        cost += LEADER_CROSS_COST * sum(1 for seg in self.leaders if _segment_hits(*seg, r))
        if self.ticks and y0 < TICK_FRAC * self.box.h:  # a handful of events: no numpy
            # The label's own tick only under it when it stands over the tick (from the height
            # place_foot sets it at), not when slid along the foot across it.
            over_own = y0 >= max(FOOT_FRAC * self.box.h, FOOT_CLEAR_MM) - 1e-6
            own = self.own_tick if self.own_tick is not None and over_own else math.inf
            cost += TICK_COVER_COST * sum(1 for t in self.ticks if x0 < t < x1 and abs(t - own) > 0.05)
        pad = 1.2  # marker radius, mm
        px, py = self.px, self.py
        if self.sorted and len(px) > 1:  # only the draws (and the joins) that reach the label
            lo = max(int(np.searchsorted(px, min(x0 - pad, x0), "left")) - 1, 0)
            hi = min(int(np.searchsorted(px, x1 + pad, "right")) + 1, len(px))
            px, py = px[lo:hi], py[lo:hi]
        if len(px):
            inside = (px > x0 - pad) & (px < x1 + pad) & (py > y0 - pad) & (py < y1 + pad)
            cost += 5 * int(inside.sum())
        if len(px) > 1:
            xa, xb, ya, yb = px[:-1], px[1:], py[:-1], py[1:]
            near = ~((np.maximum(xa, xb) < x0) | (np.minimum(xa, xb) > x1)
                     | (np.maximum(ya, yb) < y0) | (np.minimum(ya, yb) > y1))
            if near.any():
                cost += 2 * int(_segments_hit(xa[near], ya[near], xb[near], yb[near], r).sum())
        return cost


# A label slid between two reference lines keeps this far from each (the cost's line margin
# plus a little), and goes at most this far from its point.
LINE_CLEAR_MM = 0.45
SLIDE_MM = 5.0
# A label further than this from its point (its nearest edge) gets a leader line to it: the
# places next to a point leave at most ~1.8 mm.
LEADER_MM = 2.2

# How much further out a label may go, in steps: its own place, then 1.8 and 2.6 times as far
# vertically (a label above or below may slide clear of a line), then the sides.
FURTHER = (1.0, 1.8, 2.6)


def _further(candidates):
    seen = []
    for k in FURTHER:
        for dx, dy, ha, va in (*candidates, RIGHT, LEFT):
            cand = (dx, dy * k, ha, va)
            if cand not in seen:
                seen.append(cand)
    return seen


def _points_near_segment(xa, ya, xb, yb, px, py, reach) -> int:
    """How many of the points (px, py) lie within ``reach`` of the segment from a to b."""
    if not len(px):
        return 0
    dx, dy = xb - xa, yb - ya
    t = np.clip(((px - xa) * dx + (py - ya) * dy) / max(dx * dx + dy * dy, 1e-12), 0.0, 1.0)
    return int((np.hypot(px - (xa + t * dx), py - (ya + t * dy)) < reach).sum())


# What a leader line through another label costs (the layout check flags it): less than a
# reference line through a label (4), so that in a crowded foot a label keeps the place beside
# its neighbour that it had before leaders were weighed at all, rather than moving onto a line.
LEADER_CROSS_COST = 3.5
# render.py stops a leader line this far short of its point (matplotlib's shrinkB, 3 pt).
LEADER_SHRINK_MM = 3 * PT_MM


# What a label over another event's tick costs: that tick is hidden and its label's leader line
# would have to run through this one (the check flags that).
TICK_COVER_COST = 3.0
# What a leader line across another label's leader costs: a blemish the layout check warns of
# (each label still names its point), so less than a leader through a label (LEADER_CROSS_COST)
# or a line through one (4), but never free: a run of nearby labels keeps their leaders apart.
LEADERS_CROSS_COST = 3.0


def _distance(rect, x, y) -> float:
    """How far the point (x, y) lies from the rectangle ``rect`` (0 inside it)."""
    x0, y0, x1, y1 = rect
    return math.hypot(max(x0 - x, 0.0, x - x1), max(y0 - y, 0.0, y - y1))


def _as_drawn(rect, ha: str, width: float) -> tuple[float, float, float, float]:
    """The part of the label rectangle ``rect`` (its width estimated) that text ``width`` mm
    wide covers, anchored as ``ha`` says: a leader starts at the drawn text's centre."""
    x0, y0, x1, y1 = rect
    if ha == "left":
        return (x0, y0, x0 + width, y1)
    if ha == "right":
        return (x1 - width, y0, x1, y1)
    mid = (x0 + x1) / 2
    return (mid - width / 2, y0, mid + width / 2, y1)


def _centre_to(rect, x, y) -> tuple[float, float, float, float]:
    """The leader line from the centre of ``rect`` towards the point (x, y), as drawn: ending
    ``LEADER_SHRINK_MM`` short of the point."""
    cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
    d = math.hypot(x - cx, y - cy)
    k = max(d - LEADER_SHRINK_MM, 0.0) / d if d > 0 else 0.0
    return (cx, cy, cx + (x - cx) * k, cy + (y - cy) * k)


def segments_cross(xa, ya, xb, yb, xc, yc, xd, yd) -> bool:
    """Whether the segments a-b and c-d cross each other (touching ends or lying on one line
    do not count: two leaders to neighbouring ticks may meet only at an end)."""
    def side(px, py, qx, qy, rx, ry):
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    d1, d2 = side(xc, yc, xd, yd, xa, ya), side(xc, yc, xd, yd, xb, yb)
    d3, d4 = side(xa, ya, xb, yb, xc, yc), side(xa, ya, xb, yb, xd, yd)
    return d1 * d2 < 0 and d3 * d4 < 0


def _segment_hits(xa, ya, xb, yb, r) -> bool:
    """Liang-Barsky: does the segment (a, b) cross the rectangle r?"""
    x0, y0, x1, y1 = r
    if max(xa, xb) < x0 or min(xa, xb) > x1 or max(ya, yb) < y0 or min(ya, yb) > y1:
        return False
    t0, t1 = 0.0, 1.0
    dx, dy = xb - xa, yb - ya
    for p, q in ((-dx, xa - x0), (dx, x1 - xa), (-dy, ya - y0), (dy, y1 - ya)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _segments_hit(xa, ya, xb, yb, r) -> np.ndarray:
    """:func:`_segment_hits` for arrays of segments at once (a long record's label crosses
    thousands of joins): the same clipping, one numpy pass per rectangle side."""
    x0, y0, x1, y1 = r
    t0 = np.zeros(len(xa))
    t1 = np.ones(len(xa))
    ok = ~((np.maximum(xa, xb) < x0) | (np.minimum(xa, xb) > x1)
           | (np.maximum(ya, yb) < y0) | (np.minimum(ya, yb) > y1))
    dx, dy = xb - xa, yb - ya
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, xa - x0), (dx, x1 - xa), (-dy, ya - y0), (dy, y1 - ya)):
            parallel = p == 0
            ok &= ~(parallel & (q < 0))
            t = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
            t0 = np.where(~parallel & (p < 0), np.maximum(t0, t), t0)
            t1 = np.where(~parallel & (p > 0), np.minimum(t1, t), t1)
            ok &= t0 <= t1
    return ok

