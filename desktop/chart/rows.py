"""The rows of the chart around the ANC timeline, a part of ChartView (desktop.chart.view): the
faint draws outside the analysis window, the values the user left out, the secondary counts
(WBC, lymphocytes, Hb, platelets) below it and the whole record's overview with the window on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg

from analysis.figure import style
from analysis.figure.palette import get_palette
from analysis.model import ANC, DISPLAY_NAME, HGB, LYMPH, PLT, WBC, Source
from analysis.rules.exclusions import exclusion_reasons

from ..display import unit_text
from . import items
from .curves import timeline_line
from .markers import MarkerGroup
from .scale import view_y

OVERVIEW_HEIGHT = 66
SECONDARY_HEIGHT = (46, 90)  # min, max: the timeline keeps its room when all four are shown
SHORT_NAME = {WBC: "WBC", LYMPH: "Lymph.", HGB: "Hb", PLT: "Plt"}


class RecordRows:
    """The rows around the timeline (mixed into ChartView, whose state they draw from)."""

    def _add_context(self, case, panel) -> pg.ScatterPlotItem | None:
        """ANC draws outside the window: faint, so panning shows the history around it."""
        anc = case.anc
        if anc is None or anc.empty:
            return None
        x = self.to_days(anc["time"])
        outside = (x < panel.x_axis.lo) | (x > panel.x_axis.hi)
        if not outside.any():
            return None
        pal = get_palette(self._spec.palette)
        y_axis = panel.y_axis

        def make():
            xs, ys = x[outside], anc["value"].to_numpy(dtype=float)[outside]
            curve = timeline_line(xs, ys, pg.mkPen(items.colour(pal.line, 0.5), width=1), y_axis)
            curve.setZValue(1)
            scatter = MarkerGroup(  # not log-transformed by pyqtgraph, as the curve is
                x=xs, y=view_y(y_axis, ys), data=list(anc.index[outside]), symbol="o",
                size=items.marker_px(style.MARKER_SIZE_PT["other"]) * 0.8,
                pen=pg.mkPen(items.colour(pal.other_edge, 0.5)), brush=pg.mkBrush(items.colour(pal.other, 0.35)),
                hoverable=True, tip=lambda x, y, data: self.tooltip(data, "outside"),
            )
            scatter.role = "outside"
            return anc, curve, scatter  # the table is kept with them: its id is never reused

        # The same ANC table, origin and window draw the same context.
        _, curve, context = self._reuse(
            ("context", id(anc), self.origin, panel.x_axis.lo, panel.x_axis.hi, pal.name, y_axis.log), make)
        self.plot.addItem(curve, ignoreBounds=True)
        if isinstance(curve, pg.PlotDataItem) and not getattr(curve, "lightened", False):
            items.lighten(curve)
            curve.lightened = True
        self.plot.addItem(context, ignoreBounds=True)
        return context

    def _add_excluded(self, case) -> pg.ScatterPlotItem | None:
        """Values the user left out: grey crosses, with the reason in their tooltip."""
        if not case.exclusions:
            return None
        series = case.labs.series(ANC)
        tips, xs, ys = [], [], []
        reasons = exclusion_reasons(series, case.exclusions)
        for t, v, f, sheet, r, c, reason in zip(series["time"], series["value"], series["file"], series["sheet"],
                                                series["row"], series["column"], reasons):
            if reason is not None:
                xs.append(t)
                ys.append(float(v))
                where = Source(str(f), str(sheet), int(r), str(c)).describe()
                tips.append(f"ANC {v:g} on {pd.Timestamp(t):%d %b %Y}, excluded: {reason}\nSource: {where}")
        if not xs:
            return None
        excluded = pg.ScatterPlotItem(
            x=self.to_days(xs), y=view_y(self.drawn_a.panel.y_axis, np.asarray(ys)), data=tips, symbol="x",
            size=11, pen=pg.mkPen("#7F7F7F", width=1.6),
            brush=pg.mkBrush(None), hoverable=True, tip=lambda x, y, data: data,
        )
        excluded.setZValue(9)
        self.plot.addItem(excluded, ignoreBounds=True)
        return excluded

    def _add_secondary(self, code: str, case, row: int) -> pg.PlotItem | None:
        obs = case.labs.observations
        series = obs[obs["analyte"] == code]
        if series.empty:
            return None
        plot = self.canvas.ci.addPlot(row=row, col=0)
        self._style(plot)
        plot.setMinimumHeight(SECONDARY_HEIGHT[0])
        plot.setMaximumHeight(SECONDARY_HEIGHT[1])
        self.canvas.ci.layout.setRowStretchFactor(row, 2)
        plot.hideAxis("bottom")
        plot.setXLink(self.plot)
        plot.setMouseEnabled(x=True, y=False)
        pal = get_palette(self._spec.palette)
        x = self.to_days(series["time"])
        y = series["value"].to_numpy(dtype=float)
        items.lighten(plot.plot(x, y, pen=pg.mkPen(items.colour(pal.line), width=1), symbol="o", symbolSize=5,
                                symbolPen=pg.mkPen(items.colour(pal.other_edge)),
                                symbolBrush=pg.mkBrush(items.colour(pal.other)), skipFiniteCheck=True))
        unit = str(series["unit"].iat[0])
        plot.getAxis("left").setLabel(SHORT_NAME.get(code, code))
        # The unit, written across in the panel's top-left corner: a value without its unit
        # (Hb 11: g/dL or g/L?) is not readable, and the panel is too low for a turned label
        # to hold it. Not setLabel(units=…), which would rescale with SI prefixes.
        plot.unit_label = pg.TextItem(f"{SHORT_NAME.get(code, code)}, {unit_text(unit)}", color="#404040",
                                      fill=pg.mkBrush(255, 255, 255, 190),
                                      anchor=(0, 0))
        plot.unit_label.setParentItem(plot.getViewBox())  # pixels of the box: stays put on pan/zoom
        plot.unit_label.setPos(2, -2)
        plot.getAxis("left").setTickDensity(0.5)
        plot.getAxis("left").setToolTip(f"{DISPLAY_NAME.get(code, code)} ({unit_text(unit)})")
        plot.enableAutoRange(axis="y")
        plot.setAutoVisible(y=True)
        return plot

    def _add_overview(self, row: int) -> pg.PlotItem:
        plot = self.canvas.ci.addPlot(row=row, col=0, axisItems={"bottom": items.DaysAsDatesAxis(self.origin)},
                                      enableMenu=False)
        self._style(plot)
        plot.setFixedHeight(OVERVIEW_HEIGHT)
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.getAxis("left").setLabel("Record")
        plot.getAxis("left").setStyle(showValues=False)
        return plot

    def _fill_overview(self, case) -> pg.LinearRegionItem | None:
        """The whole record's ANC and the analysis window on it, which the user drags."""
        plot = self.overview
        anc = case.anc
        pal = get_palette(self._spec.palette)
        if anc is None or anc.empty:
            return None
        x = self.to_days(anc["time"])
        _, curve = self._reuse(("overview", id(anc), self.origin, pal.name), lambda: (anc, pg.PlotDataItem(
            x, anc["value"].to_numpy(dtype=float), pen=pg.mkPen(items.colour(pal.other), width=1),
            skipFiniteCheck=True)))
        plot.addItem(curve)
        if not getattr(curve, "lightened", False):
            items.lighten(curve)
            curve.lightened = True
        lo, hi = self._window_days(case, x)
        self.window_region = pg.LinearRegionItem((lo, hi), brush=pg.mkBrush(items.colour("#0072B2", 0.18)),
                                                 hoverBrush=pg.mkBrush(items.colour("#0072B2", 0.28)),
                                                 pen=pg.mkPen(items.colour("#0072B2"), width=2))
        self.window_region.setToolTip("Analysis window: drag it or its edges to choose which infusions are analysed")
        self.window_region.sigRegionChangeFinished.connect(self._window_dragged)
        plot.addItem(self.window_region)
        span = max(x.max() - x.min(), 30.0)
        plot.setXRange(x.min() - 0.02 * span, x.max() + 0.02 * span, padding=0)
        return self.window_region
