"""The interactive chart: the figure description of the open case, drawn with pyqtgraph.

Rows, top to bottom, sharing one x axis (days since the first infusion of the window): the
infusion track (draggable markers with dose labels), the ANC timeline (panel A of the spec),
optional small panels of other analytes, and an overview of the whole record whose shaded region
is the analysis window. Panel B of the spec, the legend and the printed statistics sit in a
narrow column at the right, so the screen shows the same Figure 1 the export writes.

The chart never edits the case: gestures become signals or commands on the document.

ChartView is this module's drawing of the spec (the timeline, the infusion track, panel B and
the labels), the gestures and the view; the rows around the timeline (``rows``), the drags made
into commands (``edits``), the day coordinates (``coords``) and the draws' tooltips
(``tooltips``) are mixed into it from modules of their own.
"""

from __future__ import annotations

from datetime import datetime, time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QCursor, QFontInfo
from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget

from analysis.model import HGB, LYMPH, PLT, WBC
from analysis.session import FIELDS

from . import items
from .coords import TimeCoordinates
from .edits import ChartEdits
from .labels import KeepInside, LabelEditor, ScreenNotes
from .layers import Layers
from .layers import same as layers_same
from .panel import draw_panel, text_px
from .rows import RecordRows
from .scale import view_span
from .tooltips import DrawTooltips

SECONDARY = (WBC, LYMPH, HGB, PLT)
AXIS_WIDTH = 64
TRACK_HEIGHT = 30
TIMELINE_MIN_HEIGHT = 200
CLICK_RADIUS_PX = 8


def _detach(item) -> None:
    """Take a drawn item out of its view box and scene, so that it outlives the plot it was in
    (Qt deletes a plot's children with it) and can be added to the next one."""
    if getattr(item, "lightened", False):
        # pyqtgraph 0.14 fails when a clipped curve enters a scene outside a view box (as
        # ViewBox.addItem does first): unclipped until items.lighten runs again in the new box.
        item.setClipToView(False)
        item.lightened = False
    box = item.getViewBox()
    if isinstance(box, pg.ViewBox):
        box.removeItem(item)
    elif item.scene() is not None:
        item.scene().removeItem(item)
    item.setParentItem(None)


def _shown(kept) -> bool:
    """Whether an item (or a tuple holding items) of the reuse registry is still on a plot."""
    return any(isinstance(i, pg.GraphicsObject) and i.scene() is not None
               for i in (kept if isinstance(kept, tuple) else (kept,)))


class _TimelineBox(pg.ViewBox):
    """The timeline's view box: a left click asks to annotate, Shift+drag marks a range."""

    def __init__(self, chart: "ChartView"):
        super().__init__(enableMenu=False)  # the chart's own menu replaces pyqtgraph's
        self.chart = chart
        self._range: pg.LinearRegionItem | None = None

    def mouseClickEvent(self, ev):  # noqa: N802
        # Left or right click: the annotation menu (pyqtgraph's technical menu is switched off).
        if ev.button() in (Qt.LeftButton, Qt.RightButton):
            ev.accept()
            self.chart.clicked_at(self.mapSceneToView(ev.scenePos()), ev.screenPos())
        else:
            super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802
        if ev.button() != Qt.LeftButton or not (ev.modifiers() & Qt.ShiftModifier):
            return super().mouseDragEvent(ev, axis)
        ev.accept()
        x0 = self.mapSceneToView(ev.buttonDownScenePos()).x()
        x1 = self.mapSceneToView(ev.scenePos()).x()
        if self._range is None:
            self._range = pg.LinearRegionItem((x0, x1), movable=False,
                                              brush=pg.mkBrush(items.colour("#0072B2", 0.15)))
            self.addItem(self._range, ignoreBounds=True)
        self._range.setRegion((x0, x1))
        if ev.isFinish():
            self.removeItem(self._range)
            self._range = None
            self.chart.range_selected(min(x0, x1), max(x0, x1))


class _Canvas(pg.GraphicsLayoutWidget):
    """Keyboard pan and zoom: arrows pan, +/- (or up/down) zoom, Home shows the whole window."""

    def __init__(self, chart: "ChartView"):
        super().__init__()
        self.chart = chart
        self.setFocusPolicy(Qt.StrongFocus)

    def keyPressEvent(self, ev):  # noqa: N802
        if not self.chart.handle_key(ev.key()):
            super().keyPressEvent(ev)


class ChartView(RecordRows, ChartEdits, TimeCoordinates, DrawTooltips, QWidget):
    """Draws ``doc.spec()`` and turns gestures on it into requests and commands."""

    addEventRequested = Signal(object, object)  # start, end (datetime; end None for one day)
    excludeRequested = Signal(object)  # index label of the value in case.anc
    dayClicked = Signal(object)  # datetime of the clicked day (midnight)
    hovered = Signal(str)

    def __init__(self, doc, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.canvas = _Canvas(self)
        self.canvas.setBackground("w")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.secondary: tuple[str, ...] = ()
        self.origin: datetime | None = None
        self.plot = self.track = self.plot_b = self.overview = None
        self.drawn_a = self.drawn_b = None
        self.context: pg.ScatterPlotItem | None = None
        self.excluded: pg.ScatterPlotItem | None = None
        self.infusion_lines: list[items.InfusionMarker] = []
        self.infusion_track: items.InfusionTrack | None = None
        self.window_region: pg.LinearRegionItem | None = None
        self.secondary_plots: dict[str, pg.PlotItem] = {}
        self.menu: QMenu | None = None
        self._where: dict | None = None  # draw time -> (cycle, day), made for the first tooltip
        self._spec = None
        self._press: tuple[datetime, float] | None = None
        # The heavy items of the last drawing, by what they show (see _reuse).
        self._items: dict = {}
        self._next_items: dict = {}
        self._taken: set[int] = set()  # ids of the items the drawing under way took or made
        self.labels = LabelEditor(doc, self)  # the labels' gestures (double-click, drag, menu)
        self.layers = Layers(self.labels)  # the drawn parts of the spec, for edits in place
        self._structure_key = None
        self._side = self._side_key = None
        self._side_handles: dict = {}
        self._last_row = 2
        self.canvas.viewport().installEventFilter(self)
        # Everything the chart draws follows from the case and the figure settings.
        doc.watch(FIELDS, self.rebuild)
        self.rebuild()

    # --- building -------------------------------------------------------------------------------

    def base_px(self) -> float:
        return float(QFontInfo(self.font()).pixelSize() or 13)

    def set_secondary(self, analytes) -> None:
        self.secondary = tuple(a for a in SECONDARY if a in set(analytes))
        self.rebuild(keep_view=True)

    def rebuild(self, keep_view: bool = True) -> None:
        """Draw the current spec. When the plots it needs are the ones on screen (an edit: the
        same case, axes and panels), only the parts of the spec that changed are drawn again
        (``layers.py``); else the canvas is built anew."""
        spec = self.doc.spec()
        previous = ((self.origin, self.drawn_a.panel.y_axis.log), self.plot.viewRange()) \
            if (keep_view and self.plot is not None and self.drawn_a is not None) else None
        structure = self._structure(spec)
        in_place = spec is not None and self.plot is not None and structure == self._structure_key
        if not in_place:
            self._clear_canvas()
        self.labels.clear()
        self._spec = spec
        if in_place:
            self._items = self._next_items  # one dict: what is reused stays registered
        else:
            self._items, self._next_items = self._next_items, {}
        self.layers.begin()
        self._taken = set()
        try:
            if spec is not None:
                self._draw(spec, previous, in_place)
        finally:
            self.layers.end()
            self._structure_key = structure if spec is not None else None
            if in_place:  # drop the heavy items of parts drawn anew (an infection's new roles)
                self._next_items = {k: v for k, v in self._next_items.items() if _shown(v)}
            self._items = {}  # what this drawing did not take again is dropped

    def _structure(self, spec) -> tuple | None:
        """What the plots on the canvas depend on: an edit that keeps it is drawn in place."""
        if spec is None:
            return None
        panel_a = next(p for p in spec.panels if p.kind == "timeline")
        has_b = any(p.kind != "timeline" for p in spec.panels)
        x = panel_a.x_axis
        return (self.secondary, has_b, x.kind, x.origin, x.interval, panel_a.y_axis.log, spec.palette,
                id(self.doc.case.labs), self.base_px())

    def _clear_canvas(self) -> None:
        for kept in self._next_items.values():  # out of the old plots before Qt deletes them
            for item in kept if isinstance(kept, tuple) else (kept,):
                if isinstance(item, pg.GraphicsObject):
                    _detach(item)
        self.layers.forget()
        self.canvas.clear()
        self.plot = self.track = self.plot_b = self.overview = None
        self.drawn_a = self.drawn_b = self.context = self.window_region = None
        self.infusion_lines, self.secondary_plots = [], {}
        self.infusion_track = None
        self._side = self._side_key = self.legend = None

    def _reuse(self, key, make, adapt=None):
        """The item drawn last time for an equal ``key`` (a spec element, or the identity of the
        table it shows), else one drawn last time that ``adapt(old_key, item)`` made show
        ``key`` (a marker group with a few draws hidden or shown again), else ``make()``.
        Rebuilding after an edit then re-creates only what the edit changed: an added event
        leaves the 50,000 markers of a long record alone."""
        try:
            item = self._items.pop(key, None)
        except TypeError:  # an unhashable key: nothing to compare with
            return make()
        if item is None and adapt is not None:
            item = self._adapted(adapt)
        if item is None:
            item = make()
        self._next_items[key] = item
        self._taken.add(id(item))
        return item

    def _adapted(self, adapt):
        """An item of the last drawing, not taken by this one, that ``adapt`` made fit."""
        for old_key, old in list(self._items.items()):
            if id(old) not in self._taken and adapt(old_key, old):
                del self._items[old_key]
                return old
        return None

    def _draw(self, spec, previous, in_place: bool = False) -> None:
        case = self.doc.case
        panel_a = next(p for p in spec.panels if p.kind == "timeline")
        panel_b = next((p for p in spec.panels if p.kind != "timeline"), None)
        self.origin = datetime.fromisoformat(panel_a.x_axis.origin) if panel_a.x_axis.origin else datetime(2000, 1, 1)
        self._where = None  # 50,000 draws: worked out when a tooltip first asks, not per edit
        if not in_place:
            self._add_plots(panel_a, case)
        self._fill_track(panel_a, spec)
        same_units = bool(previous) and previous[0] == (self.origin, panel_a.y_axis.log)
        # An edit in place leaves the view as it is (moving it away and back would cost two frames).
        self.drawn_a = draw_panel(self.plot, panel_a, spec, self.base_px(), interactive=True, tip=self.tooltip,
                                  reuse=self._reuse, labels=self.labels, layers=self.layers,
                                  keep_range=in_place and same_units)
        self.context = self.layers.draw(
            "context", self.plot, (id(case.anc), self.origin, panel_a.x_axis.lo, panel_a.x_axis.hi, spec.palette,
                                   panel_a.y_axis.log), lambda: self._add_context(case, panel_a))
        self.excluded = self.layers.draw(
            "excluded", self.plot, (id(case.labs), case.exclusions, self.origin, panel_a.y_axis.log),
            lambda: self._add_excluded(case))
        self._connect_events(self.drawn_a)
        for scatter in self.drawn_a.scatters + ([self.context] if self.context else []):
            if not getattr(scatter, "clicks_connected", False):  # a reused item is connected
                scatter.sigClicked.connect(self._scatter_clicked)
                scatter.clicks_connected = True
        self.window_region = self.layers.draw(
            "window", self.overview, (id(case.anc), self.origin, spec.palette, case.effective_window()),
            lambda: self._fill_overview(case))
        self._side_in_place(spec, panel_b)
        self._limits(case, panel_a)
        if same_units and not in_place:  # the same x and y units: the user's view again
            (x0, x1), (y0, y1) = previous[1]
            self.plot.setXRange(x0, x1, padding=0)
            self.plot.setYRange(y0, y1, padding=0)

    def _add_plots(self, panel_a, case) -> None:
        """The canvas's plots, empty: infusion track, timeline, other analytes, overview."""
        ci = self.canvas.ci
        ci.setSpacing(2)
        ci.setContentsMargins(6, 6, 10, 6)
        self.track = self._add_track()
        axis = self._x_axis(panel_a)
        self.plot = ci.addPlot(row=1, col=0, viewBox=_TimelineBox(self), axisItems={"bottom": axis})
        self._style(self.plot)
        self.plot.setMinimumHeight(TIMELINE_MIN_HEIGHT)
        self.plot.setMenuEnabled(False)
        self.track.setXLink(self.plot)
        row = 2
        for code in self.secondary:
            plot = self._add_secondary(code, case, row)
            if plot is not None:
                self.secondary_plots[code] = plot
                row += 1
        self.overview = self._add_overview(row)
        self._last_row = row
        ci.layout.setRowStretchFactor(1, 10)

    def _side_in_place(self, spec, panel_b) -> None:
        """Panel B, the legend and the statistics: kept when none of them changed."""
        key = (panel_b, spec.legend, tuple(t for t in spec.texts if t.kind == "stats"), self.base_px(),
               getattr(self.doc.settings, "labels", ()))
        if self._side_key is not None and layers_same(self._side_key, key):
            self.labels.handles.update(self._side_handles)
            return
        if self._stats_in_place(key):
            self.labels.handles.update(self._side_handles)
            self._side_key = key
            return
        self._remove_side()
        before = dict(self.labels.handles)
        self._add_side(spec, panel_b, self._last_row)
        self._side_handles = {k: h for k, h in self.labels.handles.items() if before.get(k) is not h}
        self._side_key = key

    def _stats_in_place(self, key) -> bool:
        """When only the statistics changed (an infection leaves its cycle out of them), their
        text is set again and its handle follows it; panel B and the legend stay as drawn."""
        old = self._side_key
        if old is None or self._side is None or getattr(self, "stats", None) is None:
            return False
        if not layers_same(old[:2] + old[3:], key[:2] + key[3:]):
            return False
        was, now = old[2], key[2]
        if not was or not now or was[0].id != now[0].id:
            return False
        handle = self._side_handles.get(now[0].id)
        if handle is None or handle.block is not self.stats:
            return False
        handle.prepareGeometryChange()
        self.stats.setText("<br>".join(t.text for t in now))
        handle.text = now[0]
        return True

    def _remove_side(self) -> None:
        if self._side is not None:
            self.canvas.ci.removeItem(self._side)
        elif getattr(self, "legend", None) is not None and self.legend.scene() is not None:
            self.legend.scene().removeItem(self.legend)
        self._side = None
        self.plot_b = self.drawn_b = None

    def _style(self, plot: pg.PlotItem) -> None:
        plot.getAxis("left").setWidth(AXIS_WIDTH)
        for name in ("left", "bottom"):
            ax = plot.getAxis(name)
            ax.setPen(pg.mkPen("#404040"))
            ax.setTextPen(pg.mkPen("#202020"))
        for name in ("top", "bottom"):
            # Days and dates take no SI prefix; pyqtgraph would otherwise set the axis title's
            # HTML again at every step of a pan (and repaint the strip of the plot below it).
            plot.getAxis(name).enableAutoSIPrefix(False)
        plot.hideButtons()

    def _x_axis(self, panel) -> pg.AxisItem:
        if panel.x_axis.kind == "dates":
            return items.DaysAsDatesAxis(self.origin)
        return items.DaysAxis(panel.x_axis.interval)

    def _add_track(self) -> pg.PlotItem:
        track = self.canvas.ci.addPlot(row=0, col=0, enableMenu=False)
        self._style(track)
        track.hideAxis("bottom")
        left = track.getAxis("left")
        left.setStyle(showValues=False, tickLength=0)
        left.setPen(pg.mkPen(None))
        track.setMouseEnabled(x=True, y=False)
        track.setMenuEnabled(False)
        track.setYRange(0, 1, padding=0)
        track.setFixedHeight(TRACK_HEIGHT)
        track.getViewBox().sigTransformChanged.connect(self._fit_track_labels)
        return track

    def _fit_track_labels(self, *_args) -> None:
        """A dose label ("IVIG 1 g/kg") shows only where it clears the next infusion's marker:
        in a narrow window (150 % on a 1280 x 720 screen) it ran over the second triangle. The
        printed figure decides the same in millimetres (analysis.figure.marks)."""
        track = self.infusion_track
        if self.track is None or track is None or not track.labels:
            return
        vb = self.track.getViewBox()
        marks = track.marker_xs()  # in days, sorted; panning a long record maps two points per label
        half = track.size_px / 2
        for label, x in track.labels:
            later = marks[np.searchsorted(marks, x + 1e-6):]
            if not len(later):
                label.setVisible(True)
                continue
            start = vb.mapViewToScene(QPointF(x, 0.3)).x()
            next_left = vb.mapViewToScene(QPointF(float(later[0]), 0.3)).x() - half
            right = start + label.textItem.boundingRect().width()  # px: the text ignores the zoom
            label.setVisible(right < next_left)

    def _fill_track(self, panel, spec) -> None:
        """The infusion markers and their dose labels on the track (kept while unchanged)."""
        texts = tuple(t for t in panel.texts if t.kind == "infusion")
        key = (panel.infusions, texts, panel.infusion_colour, panel.infusion_size_pt, self.origin, spec.font_pt,
               self.base_px(), getattr(self.doc.settings, "labels", ()))
        self.infusion_track, self.infusion_lines = self.layers.draw(
            "infusions", self.track, key, lambda: self._draw_infusions(self.track, panel, spec, texts))
        self._fit_track_labels()

    def _draw_infusions(self, track, panel, spec, texts):
        lines = []
        size = items.marker_px(panel.infusion_size_pt) * 1.5
        infusion_track = items.InfusionTrack(panel.infusion_colour, size, position=0.3)
        for mark in panel.infusions:
            when = self.to_time(mark.x)
            line = items.InfusionMarker(mark.x, f"{mark.label}\n{when:%d %b %Y %H:%M}\nDrag to correct the date.")
            line.mark = mark
            line.sigPositionChangeFinished.connect(self._infusion_dragged)
            infusion_track.add(line)
            lines.append(line)
        track.addItem(infusion_track)
        for t in texts:
            label = items.text_item("   " + t.text, t.colour, text_px(t.size_pt, spec.font_pt, self.base_px()),
                                    "left", "center")
            label.setPos(t.x, 0.3)
            track.addItem(label, ignoreBounds=True)
            self.labels.attach(label, t, edge=True)
            infusion_track.labels.append((label, t.x))
        return infusion_track, lines

    def _add_side(self, spec, panel_b, last_row: int) -> None:
        """Panel B, the legend and the printed statistics, in one column at the right that spans
        every row (so its height never stretches the rows of the timeline)."""
        ci = self.canvas.ci
        base = self.base_px()
        legend = pg.LegendItem(labelTextSize=f"{int(base)}px", labelTextColor="#202020", verSpacing=-2)
        for entry in spec.legend.entries if spec.legend else ():
            legend.addItem(self._legend_sample(entry), entry.label)
        self.legend = legend
        stats_lines = [t.text for t in spec.texts if t.kind == "stats"]
        if panel_b is None:
            legend.setParentItem(self.plot.getViewBox())
            legend.anchor((1, 0), (1, 0), offset=(-10, 24))
            return
        side = self._side = ci.addLayout(row=0, col=1, rowspan=last_row + 1)
        side.setSpacing(4)
        self.plot_b = side.addPlot(row=0, col=0, enableMenu=False)
        self._style(self.plot_b)
        self.plot_b.getAxis("left").setWidth(48)
        self.plot_b.setMouseEnabled(x=False, y=False)
        self.plot_b.setMenuEnabled(False)
        self.drawn_b = draw_panel(self.plot_b, panel_b, spec, base, interactive=False, tip=self.tooltip,
                                  labels=self.labels)
        # The small panel's notes placed for its size on screen, then kept in view and apart.
        notes = self._screen_notes(spec, panel_b, base)
        self.keep_b = KeepInside(self.plot_b, self.drawn_b.texts, notes, first=notes.items.values() if notes else ())
        title = next((t for t in panel_b.texts if t.kind == "cycle"), None)  # drawn as the title
        self.plot_b.setTitle(f"<b>B</b>&nbsp;&nbsp;{title.text if title else ''}", justify="left",
                             size=f"{int(base)}px")
        if title is not None:
            self.labels.attach_block(self.plot_b.titleLabel, title)  # reworded or hidden like a label
        # Two columns: the legend takes half the height it would, which panel B needs on a
        # 1280 x 720 screen (its notes otherwise lie on top of each other).
        legend.setColumnCount(2)
        side.addItem(legend, row=1, col=0)
        stats = pg.LabelItem("<br>".join(stats_lines), size=f"{int(base * 0.95)}px", color="#202020",
                             justify="left")
        side.addItem(stats, row=2, col=0)
        self.stats = stats
        first = next((t for t in spec.texts if t.kind == "stats"), None)
        if first is not None:
            self.labels.attach_block(stats, first, movable=True)  # dragged as one block
        side.layout.setRowStretchFactor(0, 5)
        side.layout.setRowStretchFactor(1, 1)
        side.layout.setRowStretchFactor(2, 1)
        ci.layout.setColumnStretchFactor(0, 7)
        ci.layout.setColumnStretchFactor(1, 3)

    def _screen_notes(self, spec, panel_b, base: float) -> ScreenNotes | None:
        """Panel B's notes placed again at the size the screen draws them (ScreenNotes)."""
        notes = [t for t in panel_b.texts if t.kind == "annotation" and t.id]
        by_id = {t.id: self.labels.handles[t.id].label for t in notes if t.id in self.labels.handles}
        if not by_id:
            return None
        small = notes[0].size_pt
        px_per_pt = text_px(small, spec.font_pt, base) / max(small, 1e-6)
        return ScreenNotes(panel_b, by_id, px_per_pt, spec.font, getattr(self.doc.settings, "labels", ()))

    def _legend_sample(self, entry):
        colour = items.colour(entry.colour)
        if entry.kind == "line":
            return pg.PlotDataItem(pen=items.pen(entry.colour, entry.width, entry.style))
        edge = items.colour(entry.edge or entry.colour)
        return pg.ScatterPlotItem(symbol=items.symbol(entry.marker if entry.kind == "marker" else "s"),
                                  size=items.marker_px(entry.size_pt), pen=pg.mkPen(edge, width=1.2),
                                  brush=pg.mkBrush(colour) if entry.filled else pg.mkBrush(None))

    def _limits(self, case, panel) -> None:
        anc = case.anc
        lo, hi = panel.x_axis.lo, panel.x_axis.hi
        if anc is not None and not anc.empty:
            x = self.to_days(anc["time"])
            lo, hi = min(lo, float(x.min())), max(hi, float(x.max()))
        pad = max((hi - lo) * 0.05, 10.0)
        self.plot.setLimits(xMin=lo - pad, xMax=hi + pad, minXRange=1.0)

    # --- gestures -------------------------------------------------------------------------------

    def point_at(self, pos: QPointF):
        """(key, role) of the ANC draw under ``pos`` (view coordinates), or None."""
        vb = self.plot.getViewBox()
        scene = vb.mapViewToScene(pos)
        for scatter in list(self.drawn_a.scatters) + ([self.context] if self.context else []):
            best = None
            for spot in scatter.points():
                if not spot.isVisible():  # a draw its group hides (it moved to another role)
                    continue
                d = (vb.mapViewToScene(spot.pos()) - scene).manhattanLength()
                if d <= CLICK_RADIUS_PX * 1.5 and (best is None or d < best[0]):
                    best = (d, spot)
            if best is not None:
                return best[1].data(), scatter.role
        return None

    def _scatter_clicked(self, scatter, points, ev) -> None:
        # A click on a draw reaches the scatter item, not the view box.
        if len(points):
            self.clicked_at(points[0].pos(), ev.screenPos())

    def eventFilter(self, obj, ev):  # noqa: N802
        # The time under the mouse when the button goes down, in absolute terms: if the chart is
        # redrawn before the button comes up (a date field losing the focus changes the window),
        # the click still means the day the user pointed at.
        if ev.type() == QEvent.Type.MouseButtonPress and self.plot is not None:
            scene = self.canvas.mapToScene(ev.position().toPoint())
            vb = self.plot.getViewBox()
            if vb.sceneBoundingRect().contains(scene):
                p = vb.mapSceneToView(scene)
                self._press = (self.to_time(p.x()), p.y())
            else:
                self._press = None
        return super().eventFilter(obj, ev)

    def clicked_at(self, pos: QPointF, screen_pos) -> None:
        if self._press is not None:
            when, y = self._press
            self._press = None
            pos = QPointF(float(self.to_days([when])[0]), y)
        day = datetime.combine(self.to_time(pos.x()).date(), time())
        self.dayClicked.emit(day)
        hit = self.point_at(pos)
        menu = QMenu(self)
        if hit is not None:
            key, role = hit
            head = menu.addAction(self.tooltip(key, role).split("\n")[0] + f" — {day:%d %b %Y}")
            head.setEnabled(False)
        menu.addAction(f"Add event on {day:%d %b %Y}…", lambda: self.addEventRequested.emit(day, None))
        if hit is not None:
            menu.addAction("Exclude this value…", lambda: self.excludeRequested.emit(hit[0]))
        menu.addSeparator()
        if self.labels.hidden_count():
            menu.addAction(f"Show hidden labels ({self.labels.hidden_count()})", self.labels.show_hidden)
        menu.addAction("Show the whole window", self.reset_view)
        self.menu = menu
        menu.popup(screen_pos.toPoint() if hasattr(screen_pos, "toPoint") else QCursor.pos())

    # --- view -----------------------------------------------------------------------------------

    def reset_view(self) -> None:
        if self._spec is None:
            return
        panel = self.drawn_a.panel
        self.plot.setXRange(panel.x_axis.lo, panel.x_axis.hi, padding=0)
        self.plot.setYRange(*view_span(panel.y_axis), padding=0)

    def zoom_to(self, start: datetime, end: datetime) -> None:
        """Show one cycle (from the Cycles table): a day before its infusion to its end."""
        if self.plot is None:
            return
        x0, x1 = self.to_days([start, end])
        self.plot.setXRange(float(x0) - 1.5, float(x1) + 0.5, padding=0)

    def handle_key(self, key: int) -> bool:
        if self.plot is None:
            return False
        vb = self.plot.getViewBox()
        (x0, x1), _ = vb.viewRange()
        width = x1 - x0
        if key in (Qt.Key_Left, Qt.Key_Right):
            step = width * 0.15 * (-1 if key == Qt.Key_Left else 1)
            vb.setXRange(x0 + step, x1 + step, padding=0)
        elif key in (Qt.Key_Plus, Qt.Key_Equal, Qt.Key_Up):
            vb.scaleBy(x=0.8, y=1)
        elif key in (Qt.Key_Minus, Qt.Key_Down):
            vb.scaleBy(x=1.25, y=1)
        elif key == Qt.Key_Home:
            self.reset_view()
        else:
            return False
        return True
