"""The timeline's x coordinate, a part of ChartView (desktop.chart.view): days (floats) since
the case's origin, to and from times, and where a data point is on the canvas."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF

from . import items


class TimeCoordinates:
    """Days since ``self.origin`` and times (mixed into ChartView)."""

    def to_days(self, times) -> np.ndarray:
        t = pd.to_datetime(pd.Series(times)).to_numpy(dtype="datetime64[ns]")
        return (t - np.datetime64(self.origin, "ns")) / np.timedelta64(1, "s") / items.DAY_S

    def to_time(self, x: float) -> datetime:
        return self.origin + timedelta(days=float(x))

    def data_to_viewport(self, x: float, y: float, plot: pg.PlotItem | None = None):
        """Where data point (x, y) of the timeline is on the canvas viewport (for tests and tools)."""
        plot = plot or self.plot
        scene = plot.getViewBox().mapViewToScene(QPointF(x, y))
        return self.canvas.mapFromScene(scene)

    def visible_middle(self) -> datetime | None:
        """The day in the middle of what the timeline shows (where a new event most likely is)."""
        if self.plot is None or self.origin is None:
            return None
        (x0, x1), _ = self.plot.viewRange()
        return datetime.combine(self.to_time((x0 + x1) / 2).date(), time())

    def _window_days(self, case, x) -> tuple[float, float]:
        lo, hi = case.effective_window()
        lo = lo or self.to_time(float(x.min())).date()
        hi = hi or self.to_time(float(x.max())).date()
        day = lambda d: float(self.to_days([datetime.combine(d, time())])[0])  # noqa: E731
        return day(lo), day(hi) + 1.0
