"""The chart's items by the part of the figure description they show, for edits in place.

After an edit the chart is given a whole new FigureSpec, but most of it equals the last one:
adding a G-CSF day on a ten-year record changes the events and their labels, not the 173 bands,
the 50,000 markers or panel B. ``Layers`` keeps, for each named part drawn on a plot, the spec
part it was drawn from (its key) and the items it added; drawing the part again with an equal
key keeps the items where they are, else they are taken out and the part is drawn anew. Keys
are compared with ``==`` (spec elements are frozen values; unchanged ones are mostly the same
objects, which tuples compare by identity first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyqtgraph as pg


@dataclass
class _Layer:
    key: Any
    plot: pg.PlotItem
    items: list
    part: Any  # what the drawing returned (the DrawnPanel of its items, for instance)
    handles: dict = field(default_factory=dict)  # label id -> handle it attached


def same(a, b) -> bool:
    try:
        return a is b or bool(a == b)
    except (TypeError, ValueError):  # arrays, tables: only the same object is the same
        return False


class Layers:
    """Parts of the chart drawn on plots that outlive an edit; ``labels`` (a LabelEditor) has
    the label handles of a kept part registered again, as a drawing would."""

    def __init__(self, labels=None):
        self.labels = labels
        self._layers: dict[str, _Layer] = {}
        self._seen: set[str] = set()
        self.drawn: list[str] = []  # the parts drawn anew by the last update (for tests)

    def begin(self) -> None:
        self._seen = set()
        self.drawn = []

    def draw(self, name: str, plot: pg.PlotItem, key, make: Callable[[], Any]) -> Any:
        """The part ``name`` on ``plot`` for ``key``: kept when drawn last for an equal key on
        the same plot, else drawn by ``make()`` (which adds its items to ``plot`` and returns
        what the chart needs of them). Returns ``make``'s result."""
        self._seen.add(name)
        old = self._layers.get(name)
        if old is not None and old.plot is plot and same(old.key, key):
            if self.labels is not None:
                self.labels.handles.update(old.handles)
            return old.part
        if old is not None:
            self._remove(old)
        before = dict(self.labels.handles) if self.labels is not None else {}
        start = len(plot.items)
        part = make()
        added = plot.items[start:]
        handles = {}
        if self.labels is not None:
            handles = {k: h for k, h in self.labels.handles.items() if before.get(k) is not h}
        self._layers[name] = _Layer(key, plot, list(added), part, handles)
        self.drawn.append(name)
        return part

    def end(self) -> None:
        """Take out the parts this update did not draw (a layer the new spec no longer has)."""
        for name in [n for n in self._layers if n not in self._seen]:
            self._remove(self._layers.pop(name))

    def forget(self) -> None:
        """The plots are about to be cleared with their items: nothing is kept."""
        self._layers = {}

    def items(self, name: str) -> list:
        layer = self._layers.get(name)
        return list(layer.items) if layer is not None else []

    @staticmethod
    def _remove(layer: _Layer) -> None:
        # The label handles first, while the texts they are children of still exist: a handle
        # let go after its text was deleted would be deleted twice.
        layer.handles.clear()
        for item in layer.items:
            if getattr(item, "lightened", False):
                # pyqtgraph 0.14 fails when a clipped curve enters a scene outside a view box
                # (as ViewBox.addItem does first): unclipped until items.lighten runs again.
                item.setClipToView(False)
                item.lightened = False
            if item in layer.plot.items:
                layer.plot.removeItem(item)
