"""The items a figure spec is made of: plain frozen dataclasses of numbers, strings and hex
colours, which both renderers translate (matplotlib for files, pyqtgraph on screen)."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.figure import style as S


@dataclass(frozen=True)
class Box:
    """A rectangle in mm from the figure's top-left corner."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Axis:
    label: str
    lo: float
    hi: float
    ticks: tuple[float, ...] = ()
    tick_labels: tuple[str, ...] = ()
    kind: str = "value"  # "days", "dates", "cycle-days" or "value"
    log: bool = False
    origin: str = ""  # ISO time of x = 0 for day axes (lets the GUI show dates in tooltips)
    # The dosing interval (days) a day axis ticks on multiples of, also when the screen zooms.
    interval: int | None = None
    # The tick interval the user chose (Format graph) on a linear value axis; None: automatic.
    step: float | None = None


@dataclass(frozen=True)
class Band:
    """A treatment cycle's span, shaded with an opaque tint."""

    x0: float
    x1: float
    fill: str
    cycle: int = 0


@dataclass(frozen=True)
class HLine:
    y: float
    colour: str
    style: str = S.DASHED
    width: float = S.THRESHOLD_LW
    kind: str = "severity"


@dataclass(frozen=True)
class HSpan:
    """A horizontal range (a reference interval). Printed as its two edges in ``style``; the
    screen may fill it with ``fill`` when that is not empty."""

    y0: float
    y1: float
    colour: str
    style: str = S.DOTTED
    width: float = S.THRESHOLD_LW
    fill: str = ""
    kind: str = "reference"


@dataclass(frozen=True)
class Line:
    x: tuple[float, ...]
    y: tuple[float, ...]
    colour: str
    style: str = S.SOLID
    width: float = S.JOIN_LW
    kind: str = "join"  # "join", "cycle", "median"
    z: int = 2


@dataclass(frozen=True)
class Points:
    """The draws of one role, drawn with one marker style (one artist per group)."""

    role: str  # "pre", "post", "other", "infection"
    x: tuple[float, ...]
    y: tuple[float, ...]
    colour: str
    edge: str
    marker: str
    size_pt: float
    filled: bool = True  # False: censored values, drawn open at the limit
    keys: tuple[object, ...] = ()  # index labels in case.anc, for tooltips and tracing
    tips: tuple[str, ...] = ()  # tooltip text per point (screen only, never printed)


@dataclass(frozen=True)
class InfusionMark:
    x: float
    label: str  # the full label ("IVIG 1 g/kg"), for tooltips; printed labels are Texts
    y: float = 1.0  # axes fraction of the marker's centre (just above the plot box)


@dataclass(frozen=True)
class CourseMark:
    """One course of treatment as printed: a triangle at its first infusion and, for a course
    given over several days, a bar from the first to the last infusion (its span)."""

    x0: float
    x1: float  # == x0 for a one-day course
    label: str
    y: float = 1.0  # axes fraction of the marker's centre


@dataclass(frozen=True)
class EventMark:
    x0: float
    x1: float | None  # None: a single day
    label: str
    kind: str
    colour: str


@dataclass(frozen=True)
class Text:
    text: str
    x: float
    y: float
    coords: str = "data"  # "data", "axes", "xdata", "ydata", "figure"
    size_pt: float = S.DEFAULT_FONT_PT
    colour: str = "#000000"
    ha: str = "center"
    va: str = "center"
    dx_pt: float = 0.0  # offset from (x, y) in points
    dy_pt: float = 0.0
    bold: bool = False
    arrow: bool = False  # draw a thin line from the text back to (x, y)
    kind: str = "annotation"  # "letter", "cycle", "severity", "reference", "infusion", ...
    id: str = ""  # a stable name for the user's edits of the label (labels.py gives the rest)


@dataclass(frozen=True)
class Panel:
    letter: str
    box: Box  # the plot area
    x_axis: Axis
    y_axis: Axis
    bands: tuple[Band, ...] = ()
    hlines: tuple[HLine, ...] = ()
    hspans: tuple[HSpan, ...] = ()
    lines: tuple[Line, ...] = ()
    points: tuple[Points, ...] = ()
    infusions: tuple[InfusionMark, ...] = ()  # one per infusion: the screen's draggable handles
    courses: tuple[CourseMark, ...] = ()  # one per course: what the printed figure draws
    events: tuple[EventMark, ...] = ()
    texts: tuple[Text, ...] = ()
    infusion_colour: str = "#000000"
    infusion_marker: str = S.INFUSION_MARKER
    infusion_size_pt: float = S.INFUSION_MARKER_PT
    kind: str = "timeline"  # "timeline", "cycle", "overlay"


@dataclass(frozen=True)
class LegendEntry:
    label: str
    kind: str  # "marker", "line", "patch"
    colour: str
    edge: str = ""
    marker: str = ""
    size_pt: float = 4.0
    filled: bool = True
    style: str = S.SOLID
    width: float = 1.0


@dataclass(frozen=True)
class Legend:
    entries: tuple[LegendEntry, ...]
    x: float  # mm, the legend's top-left corner
    y: float
    ncol: int = 1
    size_pt: float = S.DEFAULT_FONT_PT


@dataclass(frozen=True)
class FigureSpec:
    size_mm: tuple[float, float]
    font_pt: float
    palette: str
    panels: tuple[Panel, ...]
    legend: Legend | None
    texts: tuple[Text, ...] = ()  # figure-level text (printed statistics)
    title: str = "Nadir"  # the only title metadata an output file gets
    notes: tuple[str, ...] = field(default=())  # what was left out and why, for the user
    font: str = ""  # the family asked for; "" = fonts.resolve_font's choice (at render time)
    colour: str = "rgb"  # output colour mode (colour.COLOUR_MODES)
    preset: str = ""  # the journal preset whose rules the figure follows (presets.PRESETS)
    min_height_mm: float = 0.0  # below this height the layout cannot keep its texts apart

    def too_short(self) -> str:
        """A sentence when the figure is below its minimum height, else ""."""
        w, h = self.size_mm
        if h >= self.min_height_mm - 1e-6:
            return ""
        return (f"At {w:g} mm wide this figure needs a height of at least {self.min_height_mm:g} mm "
                f"(it is {h:g} mm): below that its panels, labels and legend collide.")

    def text_items(self) -> list[tuple[str, str, float]]:
        """Every printed text as (where, text, size in pt), for the minimum-size check."""
        items: list[tuple[str, str, float]] = []
        for p in self.panels:
            for axis, name in ((p.x_axis, "x"), (p.y_axis, "y")):
                items.append((f"panel {p.letter} {name} label", axis.label, self.font_pt))
                for tick in axis.tick_labels:
                    items.append((f"panel {p.letter} {name} tick", tick, self.font_pt))
            for t in p.texts:
                items.append((f"panel {p.letter} {t.kind}", t.text, t.size_pt))
        if self.legend is not None:
            for e in self.legend.entries:
                items.append(("legend", e.label, self.legend.size_pt))
        for t in self.texts:
            items.append((t.kind, t.text, t.size_pt))
        return items
