"""What the user drags on the chart, a part of ChartView (desktop.chart.view): an event, an
infusion or the analysis window moved, and a range chosen for a new event. Each edit is an
undoable command pushed to the document, deferred so that the dragged item is replaced after
the gesture is over."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pyqtgraph as pg
from PySide6.QtCore import QTimer

from ..commands import EditEventCommand, MoveEventCommand, MoveInfusionCommand, SetWindowCommand


class ChartEdits:
    """Drags on the chart made into commands (mixed into ChartView)."""

    def range_selected(self, x0: float, x1: float) -> None:
        start = datetime.combine(self.to_time(x0).date(), time())
        end = datetime.combine(self.to_time(x1).date(), time())
        self.addEventRequested.emit(start, end if end > start else None)

    def _connect_events(self, drawn) -> None:
        for mark, item in drawn.events:
            if getattr(item, "drags_connected", False):  # kept from the last drawing
                continue
            item.drags_connected = True
            if isinstance(item, pg.InfiniteLine):
                item.sigPositionChangeFinished.connect(lambda it, m=mark: self._event_dragged(m, it.value(), None))
            else:
                item.sigRegionChangeFinished.connect(lambda it, m=mark: self._event_dragged(m, *it.getRegion()))

    def _event_index(self, mark) -> int | None:
        from analysis.treatment.events import event_span

        best = None
        for i, ev in enumerate(self.doc.case.events):
            d = abs((event_span(ev)[0] - self.to_time(mark.x0)).total_seconds())
            if ev.label == mark.label and (best is None or d < best[0]):
                best = (d, i)
        return best[1] if best and best[0] < 3600 else None

    def _event_dragged(self, mark, x0: float, x1: float | None) -> None:
        index = self._event_index(mark)
        shift = round(x0 - mark.x0)
        if index is None:
            return QTimer.singleShot(0, self.rebuild)
        if x1 is not None and mark.x1 is not None and round(x1 - mark.x1) != shift:
            ev = self.doc.case.events[index]
            start = ev.start + timedelta(days=round(x0 - mark.x0))
            end = (ev.end or ev.start) + timedelta(days=round(x1 - mark.x1))
            if end < start:
                start, end = end, start
            edited = type(ev)(kind=ev.kind, label=ev.label, start=start, end=end)
            return QTimer.singleShot(0, lambda: self.doc.push(EditEventCommand(self.doc, index, edited, f"Change dates of “{ev.label}”")))
        if shift == 0:
            return QTimer.singleShot(0, self.rebuild)
        # Deferred: the dragged item is replaced when the document changes.
        QTimer.singleShot(0, lambda: self.doc.push(MoveEventCommand(self.doc, index, timedelta(days=shift))))

    def _infusion_dragged(self, line: pg.InfiniteLine) -> None:
        shift = round(line.value() - line.mark.x)
        target = self.to_time(line.mark.x)
        admins = self.doc.case.administrations
        index = min(range(len(admins)), key=lambda i: abs((admins[i].time - target).total_seconds()), default=None)
        if shift == 0 or index is None:
            return QTimer.singleShot(0, self.rebuild)
        when = admins[index].time + timedelta(days=shift)
        QTimer.singleShot(0, lambda: self.doc.push(MoveInfusionCommand(self.doc, index, when)))

    def _window_dragged(self, region) -> None:
        x0, x1 = region.getRegion()
        lo = self.to_time(x0 + 0.5).date()
        hi = self.to_time(x1 - 0.5).date()
        if hi < lo or (lo, hi) == tuple(self.doc.case.window):
            return
        QTimer.singleShot(0, lambda: self.doc.push(SetWindowCommand(self.doc, (lo, hi))))
