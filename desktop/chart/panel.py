"""Draw one FigureSpec panel on a pyqtgraph PlotItem: bands, lines, points, events, texts.

The interactive timeline (panel A) and the static cycle panel (B) go through the same function,
so both show exactly what the printed figure shows. Texts the spec places in axes coordinates
are kept at the view's edge (they label the view, not a moment), data texts move with the data.
"""

from __future__ import annotations

import pyqtgraph as pg

from . import items, scale
from .curves import timeline_line
from .labels import offset_px, shift_anchor
from .markers import MarkerGroup

# Fraction of the plot height kept above the y axis top in a static panel, for infusion marks.
HEADROOM = 0.10


class DrawnPanel:
    """What was drawn for one panel: the items tests and interactions need to find again."""

    def __init__(self, panel):
        self.panel = panel
        self.bands: items.BandsItem | None = None
        self.scatters: list[pg.ScatterPlotItem] = []
        self.lines: list[pg.PlotDataItem] = []
        self.hlines: list[pg.InfiniteLine] = []
        self.texts: list = []
        self.events: list = []  # (EventMark, item)
        self.infusions: list = []  # (InfusionMark, item)

    def merge(self, part: DrawnPanel) -> None:
        """Add what ``part`` (one layer of the same panel) drew."""
        self.bands = part.bands if part.bands is not None else self.bands
        for name in ("scatters", "lines", "hlines", "texts", "events", "infusions"):
            getattr(self, name).extend(getattr(part, name))


def text_px(size_pt: float, spec_font_pt: float, base_px: float) -> float:
    """Screen size of a spec text: the spec's proportions scaled to the screen's base font."""
    return max(10.0, base_px * size_pt / max(spec_font_pt, 1.0))


def _make(key, make, adapt=None):
    return make()


def draw_panel(plot: pg.PlotItem, panel, spec, base_px: float, *, interactive: bool, tip=None,
               reuse=_make, labels=None, layers=None, keep_range: bool = False) -> DrawnPanel:
    """Add the panel's items to ``plot`` and set its axes; returns what was drawn.

    ``reuse(key, make)`` gives the item for a spec element (the chart hands back the one it drew
    for an equal element before, instead of ``make()``): a line or a marker group of 50,000
    draws costs a tenth of a second to build, and most edits leave them as they were.
    ``layers`` (a ``layers.Layers``), given when ``plot`` was kept from the last drawing, keeps
    the items of every part of the panel the spec did not change (an edit in place), and
    ``keep_range`` leaves the view where the user put it (else it shows the panel's axes)."""
    out = DrawnPanel(panel)
    x_axis, y_axis = panel.x_axis, panel.y_axis
    # Log mode makes the lines and the axis log10; every other y goes through scale.view_y.
    plot.setLogMode(y=bool(y_axis.log))
    y_lo, y_hi = scale.view_span(y_axis, 0.0 if interactive else HEADROOM)
    parts = (
        ("bands", panel.bands, lambda part: _bands(plot, panel, part)),
        ("spans", (panel.hspans, panel.hlines, y_axis), lambda part: _spans(plot, panel, part)),
        ("lines", (panel.lines, interactive), lambda part: _lines(plot, panel, part, interactive, reuse)),
        ("points", (panel.points, tip is not None, y_axis.log),
         lambda part: _points(plot, panel, part, tip, reuse)),
        ("courses", (panel.courses, panel.infusions, y_axis, panel.infusion_colour, panel.infusion_marker,
                     panel.infusion_size_pt, interactive),
         lambda part: None if interactive else _static_courses(plot, panel, part)),
        *_event_parts(plot, panel, interactive),
        *_text_parts(plot, panel, spec, base_px, interactive, y_hi, labels),
    )
    for name, key, draw in parts:
        def make(draw=draw):
            part = DrawnPanel(panel)
            draw(part)
            return part
        out.merge(layers.draw(name, plot, key, make) if layers is not None else make())

    if not keep_range:
        plot.setXRange(x_axis.lo, x_axis.hi, padding=0)
        plot.setYRange(y_lo, y_hi, padding=0)
    left = plot.getAxis("left")
    left.setLabel(y_axis.label)
    # A static panel, and any log axis, shows the printed ticks (pyqtgraph's own log ticks read
    # 10^-1 where the figure says 0.1).
    if y_axis.ticks and (y_axis.log or not interactive):
        left.setTicks([scale.ticks(y_axis), []])
    elif interactive:
        # The tick interval chosen in Format graph, kept at every zoom as the print has it (no
        # arguments: pyqtgraph's own spacing again, on a plot kept from the last drawing).
        left.setTickSpacing(*((y_axis.step, y_axis.step) if y_axis.step else ()))
    bottom = plot.getAxis("bottom")
    bottom.setLabel(x_axis.label)
    if not interactive and x_axis.ticks:
        bottom.setTicks([list(zip(x_axis.ticks, x_axis.tick_labels)), []])
    return out


def _label_overrides(labels) -> tuple:
    """The user's label edits the screen applies itself (an edge label's offset)."""
    settings = getattr(getattr(labels, "doc", None), "settings", None)
    return tuple(getattr(settings, "labels", ()) or ()) if settings is not None else ()


def _bands(plot, panel, out) -> None:
    if panel.bands:
        out.bands = items.BandsItem(panel.bands)
        plot.addItem(out.bands, ignoreBounds=True)


def _spans(plot, panel, out) -> None:
    y_axis = panel.y_axis
    for span in panel.hspans:
        region = pg.LinearRegionItem((scale.view_y(y_axis, span.y0), scale.view_y(y_axis, span.y1)),
                                     orientation="horizontal", movable=False,
                                     brush=pg.mkBrush(items.colour(span.fill or span.colour, 0.10)),
                                     pen=items.pen(span.colour, span.width, span.style))
        region.setZValue(-50)
        plot.addItem(region, ignoreBounds=True)
    for h in panel.hlines:
        line = pg.InfiniteLine(scale.view_y(y_axis, h.y), angle=0, pen=items.pen(h.colour, h.width, h.style),
                               movable=False)
        line.setZValue(-10)
        plot.addItem(line, ignoreBounds=True)
        out.hlines.append(line)


def _lines(plot, panel, out, interactive: bool, reuse) -> None:
    for ln in panel.lines:
        # A long line is drawn in the view's units (log10 on a log axis), so the axis is in its key.
        curve = reuse(("line", interactive, panel.y_axis.log, ln),
                      lambda ln=ln: _line(ln, interactive, panel.y_axis))
        plot.addItem(curve)
        # Once, in its view box (a long line is a LongCurve, drawn lightly by itself).
        if isinstance(curve, pg.PlotDataItem) and interactive and not getattr(curve, "lightened", False):
            items.lighten(curve)
            curve.lightened = True
        out.lines.append(curve)


def _points(plot, panel, out, tip, reuse) -> None:
    y_axis = panel.y_axis
    for pts in panel.points:
        key = ("points", tip is not None, y_axis.log, pts)
        scatter = reuse(key, lambda pts=pts: _scatter(pts, tip, y_axis), adapt=_adapt(key, y_axis))
        plot.addItem(scatter)
        out.scatters.append(scatter)


def _line(ln, interactive: bool, y_axis) -> pg.GraphicsObject:
    pen = items.pen(ln.colour, ln.width, ln.style)
    if interactive:
        curve = timeline_line(ln.x, ln.y, pen, y_axis)
    else:
        curve = pg.PlotDataItem(ln.x, ln.y, pen=pen, skipFiniteCheck=True)
    curve.setZValue(ln.z)
    return curve


def _scatter(pts, tip, y_axis) -> pg.ScatterPlotItem:
    pen, brush = items.point_brushes(pts)
    scatter = MarkerGroup(
        x=list(pts.x), y=list(scale.view_y(y_axis, pts.y)) if y_axis.log else list(pts.y), data=list(pts.keys) if pts.keys else None,
        symbol=items.symbol(pts.marker), size=items.marker_px(pts.size_pt), pen=pen, brush=brush,
        pxMode=True, hoverable=tip is not None, hoverSize=items.marker_px(pts.size_pt) * 1.5,
        tip=(lambda x, y, data, role=pts.role: tip(data, role)) if tip else None,
    )
    scatter.role = pts.role
    scatter.filled = pts.filled
    scatter.setZValue(10)
    return scatter


_STYLE = ("role", "colour", "edge", "marker", "size_pt", "filled")


def _adapt(key, y_axis):
    """``adapt(old_key, old_item)`` for the reuse registry: whether the marker group drawn for
    ``old_key`` (the same role and style) can show ``key``'s draws by hiding or showing some of
    its own. An infection event moves one cycle's draws between roles: the 50,000 others stay."""
    pts = key[3]

    def adapt(old_key, old) -> bool:
        if not (isinstance(old, MarkerGroup) and isinstance(old_key, tuple) and len(old_key) == 4
                and old_key[:3] == key[:3]):
            return False
        was = old_key[3]
        if not all(getattr(was, f, None) == getattr(pts, f) for f in _STYLE):
            return False
        y = scale.view_y(y_axis, pts.y) if y_axis.log else pts.y
        return old.show_only(pts.keys, pts.x, y)

    return adapt


def _static_courses(plot, panel, out) -> None:
    """The print's course marks: a triangle at each course's first infusion, a bar to its last."""
    if not panel.courses:
        return
    y = scale.view_span(panel.y_axis, HEADROOM * 0.5)[1]
    colour = items.colour(panel.infusion_colour)
    scatter = pg.ScatterPlotItem(
        x=[m.x0 for m in panel.courses], y=[y] * len(panel.courses),
        symbol=items.symbol(panel.infusion_marker), size=items.marker_px(panel.infusion_size_pt),
        pen=pg.mkPen(colour), brush=pg.mkBrush(colour),
    )
    scatter.setZValue(20)
    plot.addItem(scatter)
    for m in panel.courses:
        if m.x1 > m.x0:
            bar = pg.PlotDataItem([m.x0, m.x1], [y, y], pen=pg.mkPen(colour, width=2))
            bar.setZValue(20)
            plot.addItem(bar)
    out.infusions.append((panel.infusions, scatter))


def _event_parts(plot, panel, interactive: bool):
    """One part per event: adding one to a record of hundreds draws one line."""
    seen: dict = {}
    for mark in panel.events:
        n = seen[mark] = seen.get(mark, -1) + 1
        yield ("event", mark, n), interactive, lambda part, mark=mark: _event(plot, mark, part, interactive)


def _event(plot, mark, out, interactive: bool) -> None:
    tip = f"{mark.label} ({mark.kind})"
    if mark.x1 is None:
        item = pg.InfiniteLine(mark.x0, angle=90, movable=interactive,
                               pen=items.pen(mark.colour, 1.0, "--"),
                               hoverPen=pg.mkPen(items.colour(mark.colour), width=3))
    else:
        item = pg.LinearRegionItem((mark.x0, mark.x1), movable=interactive,
                                   brush=pg.mkBrush(items.colour(mark.colour, 0.18)),
                                   hoverBrush=pg.mkBrush(items.colour(mark.colour, 0.30)),
                                   pen=items.pen(mark.colour, 0.8, "--"))
    item.setToolTip(tip + ("\nDrag to correct the date." if interactive else ""))
    item.setZValue(-5)
    plot.addItem(item, ignoreBounds=True)
    out.events.append((mark, item))


def _shown_texts(panel, interactive: bool) -> list:
    """The panel's texts the plot shows itself."""
    shown = []
    for t in panel.texts:
        if t.coords == "figure" or t.kind == "letter":
            continue  # panel letters and figure-level text are laid out by the chart view
        if interactive and t.kind == "infusion":
            continue  # drawn on the infusion track above the timeline
        if not interactive and t.kind == "cycle":
            continue  # the static panel's title says it
        shown.append(t)
    return shown


def _text_parts(plot, panel, spec, base_px, interactive: bool, y_hi: float, labels):
    """One part per text, so that an edit redraws only the labels it changed (an added event's,
    not the 170 cycle numbers); a text is placed from the axes and the screen's font, and an
    edge label carries the user's offset."""
    context = (panel.x_axis, panel.y_axis, y_hi, spec.font_pt, base_px, interactive, _label_overrides(labels))
    seen: dict = {}
    for t in _shown_texts(panel, interactive):
        n = seen[t] = seen.get(t, -1) + 1  # the same text twice is two labels
        yield (("text", t, n), context,
               lambda part, t=t: _text(plot, t, panel, spec, base_px, part, interactive, y_hi, labels))


def _text(plot, t, panel, spec, base_px, out, interactive: bool, y_hi: float, labels) -> None:
    x_axis, y_axis = panel.x_axis, panel.y_axis
    px = text_px(t.size_pt, spec.font_pt, base_px)
    if interactive and t.coords == "axes":
        y = scale.at_fraction(y_axis, t.y)
        right = t.x >= 0.5
        item = items.edge_label_line(y, t.text, t.colour, px, position=0.995 if right else 0.005,
                                     anchor=(1, 0.5) if right else (0, 0.5))
        if labels is not None:
            labels.attach(item.label, t, edge=True)
    elif interactive and t.coords == "xdata":
        item = items.edge_label_line(t.x, t.text, t.colour, px, position=min(max(t.y, 0.02), 0.985), angle=90,
                                     anchor=(0.5, 0) if t.y > 0.5 else (0.5, 1))
        if labels is not None:
            labels.attach(item.label, t, edge=True)
    else:
        x, y = t.x, scale.view_y(y_axis, t.y)
        if t.coords in ("axes", "ydata"):
            x = x_axis.lo + t.x * (x_axis.hi - x_axis.lo)
        if t.coords in ("axes", "xdata"):
            lo = scale.view_span(y_axis)[0]
            y = lo + t.y * (y_hi - lo) if t.y <= 1 else scale.view_span(y_axis, HEADROOM * 0.5)[1]
        item = items.text_item(t.text, t.colour, px, t.ha, t.va, t.bold,
                               leader=t.arrow if t.coords == "data" else None)
        _offset(item, t)
        item.setPos(x, y)
        if labels is not None:
            labels.attach(item, t)
    item.setZValue(30)
    plot.addItem(item, ignoreBounds=True)
    out.texts.append(item)


def _offset(item: pg.TextItem, t) -> None:
    """Turn the spec's offset in points into an anchor shift (TextItem anchors are fractions)."""
    if not (t.dx_pt or t.dy_pt):
        return
    shift_anchor(item, *offset_px(t.dx_pt, t.dy_pt))
