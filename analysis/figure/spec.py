"""What a figure shows, described once for two renderers.

:func:`build_figure` turns a case (an ANC series, courses, cycles, events, a summary) and the
user's :class:`FigureSettings` into a :class:`FigureSpec`: plain frozen dataclasses holding
numbers, strings and hex colours only. matplotlib draws it for publication (``render.py``) and
the GUI draws the same spec on screen with pyqtgraph, so every decision (what is shaded, which
label is shown, where a panel sits, which font size) is taken here and the renderers only
translate. Sizes are millimetres at the final printed size, text sizes points.

Coordinates: panel boxes are millimetres from the figure's top-left corner. Inside a panel, x is
in days (since the first infusion of the window for panel A, since the cycle's infusion for
panel B) and y in ANC units. A :class:`Text` says which coordinates it uses: ``"data"``,
``"axes"`` (fractions of the plot box), ``"xdata"`` (x in data, y as a fraction), ``"ydata"``
(x as a fraction, y in data) or ``"figure"`` (mm from the figure's top-left).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from analysis.model import Course, Cycle, Draw
from analysis.treatment.medications import course_label
from analysis.figure import style as S
from analysis.figure.palette import Palette, get_palette
from analysis.figure.placement import (
    ABOVE,
    BELOW,
    LEFT_ABOVE,
    LEFT_BELOW,
    PT_MM,
    RIGHT_ABOVE,
    RIGHT_BELOW,
    Placer,
    axis_pos,
)

DAY = 86400.0

# Neutropenia severity (clinical convention; CYCLE-RULES.md): below 0.5 severe, 0.5-1.0
# moderate, 1.0-1.5 mild, in 10^3/uL.
SEVERITY_THRESHOLDS = (0.5, 1.0, 1.5)
SEVERITY_BANDS = (("Severe", 0.0, 0.5), ("Moderate", 0.5, 1.0), ("Mild", 1.0, 1.5))
# Duffy-null associated neutrophil count reference interval (Blood 2025), 10^3/uL.
DUFFY_NULL_RANGE = (1.21, 5.39)
DEFAULT_REFERENCE_RANGE = (1.5, 7.7)


# --- settings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureSettings:
    """The user's choices for a figure. Plain values only, so that ``dataclasses.asdict`` gives
    JSON for the project file and :meth:`from_dict` reads it back."""

    width_mm: float = 180.0
    height_mm: float = 120.0
    dpi: int = 600  # raster output (TIFF, PNG)
    preset: str = ""  # a presets.PRESETS key, "" for a custom size
    panel_b: str = "cycle:1"  # "cycle:N", "overlay" or "none"
    axis: str = "days"  # "days" (default: calendar dates identify a patient) or "dates"
    show_severity: bool = True
    show_reference_range: bool = False
    reference_range: tuple[float, float] | None = None  # the lab's range, 10^3/uL
    show_duffy: bool = False
    show_stats_text: bool = True
    show_cycle_numbers: bool = True
    log_y: bool = False
    font_pt: float = S.DEFAULT_FONT_PT
    palette: str = "okabe-ito"

    def to_dict(self) -> dict:
        return asdict(self)

    def with_preset(self, key: str) -> "FigureSettings":
        """The same settings at a journal preset's column width (height capped at its page)."""
        from dataclasses import replace

        from analysis.figure.presets import size_for

        width, height = size_for(key, self.height_mm)
        return replace(self, preset=key, width_mm=width, height_mm=height)

    @classmethod
    def from_dict(cls, data: dict) -> "FigureSettings":
        """Settings from a project file; unknown keys (a newer version's) are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("reference_range") is not None:
            values["reference_range"] = tuple(float(v) for v in values["reference_range"])
        return cls(**values)


# --- the description --------------------------------------------------------------------------


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
    infusions: tuple[InfusionMark, ...] = ()
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

    def text_items(self) -> list[tuple[str, str, float]]:
        """Every printed text as (where, text, size in pt), for the minimum-size check."""
        items: list[tuple[str, str, float]] = []
        for p in self.panels:
            for axis, name in ((p.x_axis, "x"), (p.y_axis, "y")):
                items.append((f"panel {p.letter} {name} label", axis.label, self.font_pt))
                for t in axis.tick_labels:
                    items.append((f"panel {p.letter} {name} tick", t, self.font_pt))
            for t in p.texts:
                items.append((f"panel {p.letter} {t.kind}", t.text, t.size_pt))
        if self.legend is not None:
            for e in self.legend.entries:
                items.append(("legend", e.label, self.legend.size_pt))
        for t in self.texts:
            items.append((t.kind, t.text, t.size_pt))
        return items


# --- building ---------------------------------------------------------------------------------


def build_figure(case, settings: FigureSettings = FigureSettings()) -> FigureSpec:
    """The figure for ``case`` (an ``analysis.case.Case``) under ``settings``.

    Panel A: ANC over the analysis window with the cycles shaded; panel B: one cycle expanded,
    all cycles overlaid, or nothing (``settings.panel_b``).
    """
    from analysis.rules.cycles import point_roles

    pal = get_palette(settings.palette)
    font = float(settings.font_pt)
    small = max(font - S.SMALL_DELTA_PT, min(font, S.MIN_FONT_PT))
    cycles: list[Cycle] = list(case.cycles)
    anc = case.anc
    roles = getattr(case, "roles", None)
    if roles is None:
        roles = point_roles(anc, cycles, tuple(case.events))
    data = _draw_table(anc, roles)
    origin = cycles[0].start if cycles else (data["time"].min() if len(data) else datetime(2000, 1, 1))
    if isinstance(origin, pd.Timestamp):
        origin = origin.to_pydatetime()

    mode, chosen = _panel_b_mode(settings.panel_b, cycles)
    post_days = {c.post.day for c in cycles if c.post is not None}
    labels = dict(S.ROLE_LABEL)
    if post_days and post_days != {1}:
        labels["post"] = "Post-infusion"
    stats_lines = _stats_lines(case, labels) if settings.show_stats_text else []
    entries = _legend_entries(pal, data, mode, labels, _product_label(cycles, case))
    layout = _layout(settings, font, small, mode != "none", len(entries), stats_lines)

    notes: list[str] = []
    panels = [_panel_a(case, settings, pal, font, small, data, origin, layout["A"], notes)]
    if mode == "cycle":
        panels.append(_panel_cycle(cycles, chosen, settings, pal, font, small, data, layout["B"]))
    elif mode == "overlay":
        panels.append(_panel_overlay(cycles, settings, pal, font, small, data, layout["B"]))

    legend = Legend(
        entries=tuple(entries), x=layout["legend"][0], y=layout["legend"][1],
        ncol=layout["ncol"], size_pt=font,
    )
    texts = []
    sx, sy = layout["stats"]
    for i, line in enumerate(stats_lines):
        texts.append(
            Text(line, sx, sy + i * small * 1.3 * PT_MM, coords="figure", size_pt=small,
                 colour=pal.text, ha="left", va="top", kind="stats")
        )
    return FigureSpec(
        size_mm=(float(settings.width_mm), float(settings.height_mm)),
        font_pt=font,
        palette=pal.name,
        panels=tuple(panels),
        legend=legend,
        texts=tuple(texts),
        notes=tuple(notes),
    )


# --- data ---------------------------------------------------------------------------------------


def _draw_table(anc: pd.DataFrame, roles: pd.Series) -> pd.DataFrame:
    """Time, value, censoring, role and a tooltip per ANC draw, in time order."""
    if anc is None or len(anc) == 0:
        return pd.DataFrame({"time": pd.Series([], dtype="datetime64[ns]"), "value": [],
                             "censored": [], "role": [], "key": [], "tip": []})
    times = pd.to_datetime(anc["time"])
    values = pd.to_numeric(anc["value"], errors="coerce").astype(float)
    cens = anc["censored"] if "censored" in anc.columns else pd.Series(None, index=anc.index)
    cens = cens.map(lambda c: c if isinstance(c, str) and c in ("<", ">") else "")
    files = anc["file"] if "file" in anc.columns else pd.Series("", index=anc.index)
    rows = anc["row"] if "row" in anc.columns else pd.Series(None, index=anc.index)
    # Plain lists and one _num per distinct value: a 10-year record has 50,000 draws, and
    # iterating pandas columns element by element cost a fifth of a second.
    value_list = values.tolist()
    numbers = {v: _num(v) for v in set(value_list)}
    tips = [
        f"{t}  ANC {c}{numbers[v]}" + (f" - {f}, row {r}" if f else "")
        for t, v, c, f, r in zip(_minutes(times), value_list, cens.tolist(), files.tolist(), rows.tolist())
    ]
    table = pd.DataFrame(
        {
            "time": times.to_numpy(),
            "value": values.to_numpy(),
            "censored": cens.to_numpy(dtype=object),
            "role": roles.reindex(anc.index).fillna("other").to_numpy(dtype=object),
            "key": list(anc.index),
            "tip": tips,
        }
    )
    table = table[table["value"].notna() & table["time"].notna()]
    return table.sort_values("time", kind="stable").reset_index(drop=True)


def _days(times, origin: datetime) -> np.ndarray:
    """Fractional days since ``origin`` (so a pre-infusion draw at 08:30 sits just before an
    09:30 infusion at day 0)."""
    t = pd.to_datetime(pd.Series(times)).to_numpy(dtype="datetime64[ns]")
    return (t - np.datetime64(origin, "ns")) / np.timedelta64(1, "s") / DAY


def _day(t: datetime, origin: datetime) -> float:
    return (t - origin).total_seconds() / DAY


# --- layout -----------------------------------------------------------------------------------


def _layout(settings, font, small, has_b, n_entries, stats_lines) -> dict:
    """Panel plot boxes, legend and statistics positions in mm.

    Wide figures (>= 120 mm) put panel A across the top and panel B bottom-left with the legend
    and statistics beside it, where they cover no data; narrow ones stack A, B and a legend strip.
    """
    W, H = float(settings.width_mm), float(settings.height_mm)
    pt = PT_MM
    left = (font * 1.25 + font * 0.62 * 3.2 + 9) * pt  # y label + tick labels + pads
    bottom = (font * 2.5 + 8) * pt  # tick labels + x label + pads
    top = max((font + S.LETTER_DELTA_PT) * 1.25, S.INFUSION_MARKER_PT + 5) * pt
    sev = settings.show_severity or settings.show_reference_range or settings.show_duffy
    right_a = (small * 0.6 * 10 + 4) * pt if sev else 2.5
    right_b = 3.0
    row_h = font * 1.55 * pt
    stat_h = small * 1.3 * pt
    out: dict = {}

    def box(x0, y0, w, h, right):
        return Box(x0 + left, y0 + top, max(w - left - right, 10.0), max(h - top - bottom, 10.0))

    if has_b and W >= 120:
        side_w = max(0.36 * W, 50.0)
        a_h = H * 0.56
        out["A"] = box(0, 0, W, a_h, right_a)
        out["B"] = box(0, a_h, W - side_w, H - a_h, right_b)
        out["legend"] = (W - side_w + 4.0, a_h + top - 1.0)
        out["ncol"] = 1
        out["stats"] = (W - side_w + 6.0, out["legend"][1] + n_entries * row_h + 3.0)
        return out
    ncol = 2
    rows = math.ceil(n_entries / ncol)
    beside = W >= 120  # statistics to the right of the legend, not under it
    legend_h = rows * row_h
    stats_h = len(stats_lines) * stat_h
    strip = (max(legend_h, stats_h) if beside else legend_h + stats_h) + 4.0
    if has_b:
        a_h = (H - strip) * 0.55
        out["A"] = box(0, 0, W, a_h, right_a)
        out["B"] = box(0, a_h, W, H - strip - a_h, right_a)
    else:
        out["A"] = box(0, 0, W, H - strip, right_a)
    out["legend"] = (left - 2.0, H - strip + 1.0)
    out["ncol"] = ncol
    if beside:
        out["stats"] = (left + 0.45 * (W - left), H - strip + 1.3)
    else:
        out["stats"] = (left, H - strip + legend_h + 2.0)
    return out


def _letter(letter: str, box: Box, font: float) -> Text:
    size = font + S.LETTER_DELTA_PT
    top = box.y - max(size * 1.25, S.INFUSION_MARKER_PT + 5) * PT_MM
    left = box.x - (font * 1.25 + font * 0.62 * 3.2 + 9) * PT_MM
    return Text(letter, max(left, 0.5), max(top, 0.0) + 0.5, coords="figure", size_pt=size,
                ha="left", va="top", bold=True, kind="letter")


# --- axes -------------------------------------------------------------------------------------


def _value_axis(values, settings, extra=()) -> Axis:
    """The ANC axis: from 0 (or a log floor) to a round number above the data and the lines."""
    finite = np.asarray([np.nan if v is None else v for v in values] if isinstance(values, (list, tuple))
                        else values, dtype=float)
    vals = finite[np.isfinite(finite)].tolist() + list(extra)
    top = max(vals) if vals else 2.0
    if settings.log_y:
        positive = [v for v in vals if v > 0]
        low = min(positive) if positive else 0.1
        steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
        lo = max([s for s in steps if s <= low * 0.8] or [0.01])
        hi = min([s for s in steps if s >= top * 1.25] or [100])
        ticks = tuple(s for s in steps if lo <= s <= hi)
        return Axis(S.ANC_LABEL, lo, hi, ticks, tuple(_num(t) for t in ticks), "value", True)
    hi, step = _nice_top(top * 1.12)
    ticks = tuple(round(i * step, 6) for i in range(int(round(hi / step)) + 1))
    decimals = max(0, -int(math.floor(math.log10(step)))) if step < 1 else 0
    labels = tuple(f"{t:.{decimals}f}" for t in ticks)
    return Axis(S.ANC_LABEL, 0.0, hi, ticks, labels, "value", False)


def _nice_top(x: float) -> tuple[float, float]:
    """A round axis top >= x and a tick step giving 4-8 ticks."""
    x = max(x, 0.1)
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        hi = math.ceil(x / step - 1e-9) * step
        if hi / step <= 7:
            return hi, step
    step = 10 ** math.ceil(math.log10(x / 5))
    return math.ceil(x / step) * step, step


def _day_axis(lo, hi, origin, settings, width_mm, interval_days) -> Axis:
    max_ticks = max(3, int(width_mm / 11))
    if settings.axis == "dates":
        ticks, labels = _date_ticks(lo, hi, origin, max_ticks)
        return Axis(S.DATES_LABEL, lo, hi, ticks, labels, "dates", origin=origin.isoformat())
    step = None
    if interval_days and 7 <= interval_days <= 42 and (hi - lo) / interval_days <= max_ticks:
        step = interval_days  # ticks on the dosing interval show where each cycle should start
    if step is None:
        for s in (1, 2, 7, 14, 28, 56, 91, 182, 365, 730, 1461, 3652):
            if (hi - lo) / s <= max_ticks:
                step = s
                break
        else:
            step = 3652
    ticks = tuple(float(t) for t in range(int(math.ceil(lo / step)) * step, int(hi) + 1, step))
    return Axis(S.DAYS_LABEL, lo, hi, ticks, tuple(_num(t) for t in ticks), "days",
                origin=origin.isoformat())


def _date_ticks(lo, hi, origin, max_ticks) -> tuple[tuple[float, ...], tuple[str, ...]]:
    first = origin + timedelta(days=lo)
    last = origin + timedelta(days=hi)
    span = hi - lo
    if span <= 60:
        step = 7 if span / 7 <= max_ticks else 14
        d = datetime.combine(first.date() + timedelta(days=1), datetime.min.time())
        days = []
        while d <= last:
            days.append(d)
            d += timedelta(days=step)
        return tuple(_day(d, origin) for d in days), tuple(f"{d.day} {d:%b}" for d in days)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((m for m in (1, 2, 3, 6, 12, 24, 60) if months / m <= max_ticks), 120)
    y, m = first.year, first.month + 1
    ticks = []
    while True:
        if m > 12:
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        d = datetime(y, m, 1)
        if d > last:
            break
        if (d.month - 1) % step == 0 or step < 12 and (y * 12 + m) % step == 0:
            ticks.append(d)
        m += 1
    fmt = "%Y" if step >= 12 else "%b %Y"
    return tuple(_day(d, origin) for d in ticks), tuple(d.strftime(fmt) for d in ticks)


# --- panel A ----------------------------------------------------------------------------------


def _panel_a(case, settings, pal: Palette, font, small, data, origin, box: Box, notes) -> Panel:
    cycles: list[Cycle] = list(case.cycles)
    x_all = _days(data["time"], origin) if len(data) else np.array([])
    if cycles:
        lo = -3.5
        first_pre = cycles[0].pre
        if first_pre is not None:
            lo = min(lo, _day(first_pre.time, origin) - 1.0)
        hi = _day(cycles[-1].end, origin)
    elif len(x_all):
        window = getattr(case, "window", (None, None)) or (None, None)
        mask = np.ones(len(x_all), bool)
        if window[0] is not None:
            mask &= x_all >= _day(_as_datetime(window[0]), origin)
        if window[1] is not None:
            mask &= x_all < _day(_as_datetime(window[1]) + timedelta(days=1), origin)
        xs = x_all[mask] if mask.any() else x_all
        lo, hi = float(xs.min()) - 2.0, float(xs.max()) + 2.0
        notes.append("No infusion in the window: no cycles to shade.")
    else:
        lo, hi = -1.0, 21.0
        notes.append("No ANC values to plot.")
    in_view = (x_all >= lo) & (x_all <= hi) if len(x_all) else np.array([], bool)
    view = data[in_view]
    xv = x_all[in_view]

    extra = []
    if settings.show_severity:
        extra.append(SEVERITY_THRESHOLDS[-1])
    ref = _reference_range(settings)
    if ref:
        extra.append(ref[1])
    if settings.show_duffy:
        extra.append(DUFFY_NULL_RANGE[1])
    y_axis = _value_axis(view["value"], settings, extra)
    interval = _interval_days(cycles)
    x_axis = _day_axis(lo, hi, origin, settings, box.w, interval)

    bands = tuple(
        Band(_day(c.start, origin), _day(c.end, origin), pal.band[i % 2], c.number)
        for i, c in enumerate(cycles)
    )
    texts: list[Text] = [_letter("A", box, font)]
    if settings.show_cycle_numbers and bands:
        texts += _cycle_labels(bands, lo, hi, box, small, pal)

    hlines, hspans, right = _reference_lines(settings, pal, y_axis)
    texts += _right_labels(right, y_axis, box, small)

    lines = []
    if len(view) > 1:
        lines.append(Line(tuple(xv.tolist()), tuple(view["value"].tolist()), pal.line,
                          width=S.JOIN_LW, kind="join", z=2))
    points = _points(view, xv, pal, box.w)

    courses: list[Course] = list(getattr(case, "courses", ()) or [c.course for c in cycles])
    infusions, inf_texts = _infusions(courses, lambda t: _day(t, origin), lo, hi, box, small, pal)
    texts += inf_texts
    strip = (small * 1.4 + 2.0) * PT_MM if settings.show_cycle_numbers and bands else 0.0
    placer = Placer(box, lo, hi, y_axis, xv, view["value"].to_numpy(dtype=float), strip,
                     (*hlines, *[HLine(v, "") for sp in hspans for v in (sp.y0, sp.y1)]))
    events, ev_texts = _events(case, origin, lo, hi, view, xv, small, pal, placer)
    texts += ev_texts
    marker, marker_pt = S.INFUSION_MARKER, S.INFUSION_MARKER_PT
    xs = sorted(m.x for m in infusions)
    if len(xs) > 1 and min(np.diff(xs)) * box.w / (hi - lo) < marker_pt * PT_MM * 1.2:
        marker, marker_pt = "|", 3.0  # triangles would merge into a bar: thin ticks instead
    return Panel(
        letter="A", box=box, x_axis=x_axis, y_axis=y_axis, bands=bands, hlines=hlines,
        hspans=hspans, lines=tuple(lines), points=points, infusions=infusions,
        events=events, texts=tuple(texts), infusion_colour=pal.infusion,
        infusion_marker=marker, infusion_size_pt=marker_pt, kind="timeline",
    )


def _as_datetime(d) -> datetime:
    if isinstance(d, datetime):
        return d
    if isinstance(d, date):
        return datetime(d.year, d.month, d.day)
    return pd.Timestamp(d).to_pydatetime()


def _interval_days(cycles: list[Cycle]) -> int | None:
    if len(cycles) < 2:
        return None
    gaps = [(b.start - a.start).total_seconds() / DAY for a, b in zip(cycles, cycles[1:])]
    return int(round(float(np.median(gaps))))


def _cycle_labels(bands, lo, hi, box: Box, small, pal) -> list[Text]:
    """"C1".."Cn" at the top of each band; with many narrow bands only every k-th, so that
    labels never touch (a ten-year record has ~170 cycles)."""
    mm_per_day = box.w / max(hi - lo, 1e-9)
    label_mm = small * 0.62 * (len(f"C{bands[-1].cycle}") + 1.2) * PT_MM
    widths = [(b.x1 - b.x0) * mm_per_day for b in bands]
    narrowest = max(min(widths), 1e-6)
    every = max(1, math.ceil(label_mm / narrowest))
    if every > 1:
        every = next(s for s in (2, 5, 10, 20, 50, 100, 200, 500, 10**6) if s >= every)
    out = []
    for i, b in enumerate(bands):
        if (b.cycle - 1) % every:
            continue
        centre = (max(b.x0, lo) + min(b.x1, hi)) / 2
        half = label_mm / 2 / mm_per_day  # keep the label inside the plot
        centre = min(max(centre, lo + half), hi - half)
        out.append(Text(f"C{b.cycle}", centre, 0.985, coords="xdata", size_pt=small,
                        colour=pal.text, ha="center", va="top", kind="cycle"))
    return out


def _reference_range(settings) -> tuple[float, float] | None:
    if not settings.show_reference_range:
        return None
    return tuple(settings.reference_range or DEFAULT_REFERENCE_RANGE)


def _reference_lines(settings, pal, y_axis: Axis):
    """Severity thresholds, the lab's reference range and the Duffy-null interval, with the
    labels each wants at the right edge as (y, text, colour, kind)."""
    hlines, hspans, right = [], [], []
    lo, hi = y_axis.lo, y_axis.hi
    if settings.show_severity:
        for t in SEVERITY_THRESHOLDS:
            if lo < t < hi:
                hlines.append(HLine(t, pal.severity, S.DASHED, S.THRESHOLD_LW, "severity"))
        for name, a, b in SEVERITY_BANDS:
            a = max(a, lo)
            if b <= lo or a >= hi:
                continue
            mid = math.sqrt(a * b) if y_axis.log else (a + b) / 2
            right.append((mid, name, pal.severity, "severity"))
    ref = _reference_range(settings)
    if ref:
        hspans.append(HSpan(ref[0], ref[1], pal.reference, S.DOTTED, 0.7, kind="reference"))
        right.append((ref[0], f"Ref. {_num(ref[0])}", pal.reference, "reference"))
        right.append((ref[1], f"Ref. {_num(ref[1])}", pal.reference, "reference"))
    if settings.show_duffy:
        d0, d1 = DUFFY_NULL_RANGE
        hspans.append(HSpan(d0, d1, pal.duffy, S.DASHDOT, 0.7, kind="duffy"))
        right.append((d0, "Duffy-null", pal.duffy, "duffy"))
        right.append((d1, "Duffy-null", pal.duffy, "duffy"))
    return tuple(hlines), tuple(hspans), right


def _right_labels(right, y_axis: Axis, box: Box, small) -> list[Text]:
    """Labels beyond the right edge, nudged apart so that none overlap."""
    if not right:
        return []
    right = sorted(right, key=lambda r: r[0])
    span = axis_pos(y_axis, np.array([r[0] for r in right]))  # 0..1 of the box height
    gap = small * 1.15 * PT_MM / box.h
    pos = list(span)
    for i in range(1, len(pos)):
        pos[i] = max(pos[i], pos[i - 1] + gap)
    overflow = pos[-1] - 1.0
    if overflow > 0:
        pos = [p - overflow for p in pos]
    out = []
    for p, (_, text, colour, kind) in zip(pos, right):
        out.append(Text(text, 1.0, float(p), coords="axes", size_pt=small, colour=colour,
                        ha="left", va="center", dx_pt=3.0, kind=kind))
    return out


def _points(view: pd.DataFrame, x: np.ndarray, pal: Palette, width_mm: float = 0.0) -> tuple[Points, ...]:
    """One group per role and fill. Markers shrink when draws crowd (years of weekly counts)
    so that single values still show where they sit."""
    groups = []
    density = len(view) / width_mm if width_mm else 0.0  # draws per mm of axis
    scale = max(0.45, math.sqrt(1.0 / density)) if density > 1.0 else 1.0
    roles = view["role"].to_numpy(dtype=object)
    censored = view["censored"].to_numpy(dtype=object) != ""
    values = view["value"].to_numpy(dtype=float)
    keys = view["key"].to_numpy(dtype=object)
    tips = view["tip"].to_numpy(dtype=object)
    for role in S.ROLES:
        for filled in (True, False):
            mask = (roles == role) & (censored != filled)
            if not mask.any():
                continue
            groups.append(
                Points(
                    role=role,
                    x=tuple(float(v) for v in x[mask]),
                    y=tuple(float(v) for v in values[mask]),
                    colour=getattr(pal, role),
                    edge=getattr(pal, f"{role}_edge"),
                    marker=S.MARKER[role],
                    size_pt=round(S.MARKER_SIZE_PT[role] * scale, 2),
                    filled=filled,
                    keys=tuple(keys[mask].tolist()),
                    tips=tuple(tips[mask].tolist()),
                )
            )
    return tuple(groups)


def _infusions(courses, xpos, lo, hi, box: Box, small, pal):
    """A marker per infusion in view, and the course's label ("IVIG 1 g/kg") after its last
    infusion, at the first course and wherever the dose changes, when it fits before the next
    marker (the legend carries the dose when every course had the same). ``xpos`` maps a time
    to x."""
    marks, texts = [], []
    mm_per_day = box.w / max(hi - lo, 1e-9)
    y = 1.0 + (S.INFUSION_MARKER_PT / 2 + 1.0) * PT_MM / box.h
    ends = []
    for course in sorted(courses, key=lambda c: c.start):
        label = course_label(course)
        xs = [xpos(a.time) for a in course.administrations]
        marks += [InfusionMark(x, label, y) for x in xs if lo <= x <= hi]
        if lo <= xs[0] <= hi:
            ends.append((max(x for x in xs if x <= hi), label))
    xs = sorted(m.x for m in marks)
    previous = None
    for x_end, label in ends:
        if label != previous:
            later = [x for x in xs if x > x_end + 1e-6]
            room = ((later[0] if later else hi) - x_end) * mm_per_day
            need = (len(label) * 0.6 * small + S.INFUSION_MARKER_PT + 3) * PT_MM
            if room >= need:
                texts.append(Text(label, x_end, y, coords="xdata", size_pt=small, colour=pal.text,
                                  ha="left", va="center", dx_pt=S.INFUSION_MARKER_PT / 2 + 1.5,
                                  kind="infusion"))
        previous = label
    return tuple(marks), texts


def _short_event_label(label: str) -> str:
    """"COVID-19 infection (PCR positive)" -> "COVID-19 infection": the figure has no room for
    the detail, the legend text has."""
    return re.sub(r"\s*\(.*?\)\s*", " ", label).strip() or label


def _events(case, origin, lo, hi, view, xv, small, pal, placer: Placer):
    from analysis.treatment.events import event_span

    marks, texts = [], []
    values = view["value"].to_numpy(dtype=float) if len(view) else np.array([])
    for ev in getattr(case, "events", ()) or ():
        start, stop = event_span(ev)
        x0, x1 = _day(start, origin), _day(stop, origin)
        if x1 < lo or x0 > hi:
            continue
        single = ev.end is None or (stop - start) <= timedelta(days=1)
        marks.append(EventMark(x0, None if single else x1, ev.label, ev.kind, pal.event))
        label = _short_event_label(ev.label)
        near = (xv >= x0 - 0.01) & (xv <= x1 + 0.01) if len(xv) else np.array([], bool)
        if near.any():
            i = int(np.argmax(np.where(near, values, -np.inf)))
            x, y = float(xv[i]), float(values[i])
            place = placer.place(x, y, label, small, (RIGHT_ABOVE, LEFT_ABOVE, RIGHT_BELOW,
                                                      LEFT_BELOW, ABOVE, BELOW))
            dx, dy, ha, va = place
            texts.append(Text(label, x, y, coords="data", size_pt=small, colour=pal.text,
                              ha=ha, va=va, dx_pt=dx, dy_pt=dy, kind="event"))
        else:
            texts.append(Text(label, (max(x0, lo) + min(x1, hi)) / 2, 0.04, coords="xdata",
                              size_pt=small, colour=pal.text, ha="center", va="bottom",
                              kind="event"))
    return tuple(marks), texts


# --- panel B ----------------------------------------------------------------------------------


def _panel_b_mode(value: str, cycles: list[Cycle]) -> tuple[str, int]:
    value = (value or "none").strip().lower()
    if not cycles or value == "none":
        return "none", 0
    if value == "overlay":
        return ("overlay", 0) if len(cycles) >= 2 else ("cycle", 0)
    if value.startswith("cycle"):
        try:
            n = int(value.split(":", 1)[1])
        except (IndexError, ValueError):
            n = 1
        numbers = [c.number for c in cycles]
        index = numbers.index(n) if n in numbers else (0 if n < numbers[0] else len(cycles) - 1)
        return "cycle", index
    return "none", 0


def _cycle_draws(cycle: Cycle) -> list[Draw]:
    draws = list(cycle.draws)
    if cycle.pre is not None and all(d.time != cycle.pre.time for d in draws):
        draws.insert(0, cycle.pre)
    return sorted(draws, key=lambda d: d.time)


def _minutes(times: pd.Series) -> list[str]:
    """Each time as "YYYY-MM-DD HH:MM" (numpy formats naive times at once; strftime per draw
    was most of the cost of a long record's tooltips)."""
    if isinstance(times.dtype, np.dtype) and times.dtype.kind == "M" and times.notna().any() \
            and 1000 <= times.min().year and times.max().year <= 9999:
        iso = np.datetime_as_string(times.to_numpy(dtype="datetime64[m]"), unit="m").tolist()
        return [f"{t[:10]} {t[11:]}" for t in iso]  # NaT rows are dropped by the caller
    return [f"{t:%Y-%m-%d %H:%M}" for t in times.dt.to_pydatetime()]


def _role_lookup(data: pd.DataFrame) -> dict:
    times = data["time"]
    if isinstance(times.dtype, np.dtype) and times.dtype.kind == "M":  # naive datetime64: numpy makes the datetimes (as to_pydatetime)
        times = times.to_numpy(dtype="datetime64[us]").tolist()
    else:
        times = [pd.Timestamp(t).to_pydatetime() for t in times]
    return {
        (t, float(v)): (r, k, tip, c)
        for t, v, r, k, tip, c in zip(times, data["value"].tolist(), data["role"].tolist(),
                                      data["key"].tolist(), data["tip"].tolist(), data["censored"].tolist())
    }


def _draw_frame(draws: list[Draw], x: list[float], lookup: dict) -> tuple[pd.DataFrame, np.ndarray]:
    rows = []
    for d in draws:
        role, key, tip, cens = lookup.get((d.time, float(d.value)), ("other", None, "", ""))
        rows.append({"time": d.time, "value": float(d.value), "role": role, "key": key,
                     "tip": tip, "censored": cens or (d.censored or "")})
    frame = pd.DataFrame(rows, columns=["time", "value", "role", "key", "tip", "censored"])
    return frame, np.asarray(x, dtype=float)


def _panel_cycle(cycles, index, settings, pal, font, small, data, box: Box) -> Panel:
    """One cycle expanded on calendar days of the cycle (rule 3), as the case report's panel B."""
    cycle = cycles[index]
    draws = _cycle_draws(cycle)
    frame, x = _draw_frame(draws, [d.day for d in draws], _role_lookup(data))
    length = (cycle.end.date() - cycle.start.date()).days
    lo = min(-1.0, float(x.min()) - 1.0) if len(x) else -1.0
    hi = max(float(length) + 1.0, float(x.max()) + 1.0) if len(x) else length + 1.0
    extra = [SEVERITY_THRESHOLDS[-1]] if settings.show_severity else []
    y_axis = _value_axis(frame["value"], settings, extra)
    ticks = tuple(float(t) for t in range(0, int(hi) + 1, 7 if hi > 10 else 1))
    x_axis = Axis(S.CYCLE_DAY_LABEL, lo, hi, ticks, tuple(_num(t) for t in ticks), "cycle-days")

    bands = [Band(0.0, float(length), pal.band[index % 2], cycle.number)]
    if index + 1 < len(cycles):
        bands.append(Band(float(length), hi, pal.band[(index + 1) % 2], cycles[index + 1].number))
    elif length < hi:
        bands.append(Band(float(length), hi, pal.band[(index + 1) % 2], 0))
    hlines, _, _ = _reference_lines(
        FigureSettings(show_severity=settings.show_severity), pal, y_axis
    )
    texts = [_letter("B", box, font)]
    texts.append(Text(f"Cycle {cycle.number}", length / 2, 0.985, coords="xdata", size_pt=small,
                      colour=pal.text, ha="center", va="top", kind="cycle"))
    lines = [Line(tuple(x.tolist()), tuple(frame["value"].tolist()), pal.line, kind="join")] \
        if len(x) > 1 else []
    shown = [cycle.course] + ([cycles[index + 1].course] if index + 1 < len(cycles) else [])
    day0 = cycle.start.date()
    infusions, inf_texts = _infusions(shown, lambda t: float((t.date() - day0).days), lo, hi, box,
                                      small, pal)
    texts += inf_texts
    strip = (small * 1.4 + 2.0) * PT_MM
    placer = Placer(box, lo, hi, y_axis, x, frame["value"].to_numpy(dtype=float), strip, hlines)
    texts += _cycle_annotations(cycle, placer, small, pal)
    return Panel(
        letter="B", box=box, x_axis=x_axis, y_axis=y_axis, bands=tuple(bands),
        hlines=hlines, lines=tuple(lines), points=_points(frame, x, pal, box.w),
        infusions=infusions, texts=tuple(texts), infusion_colour=pal.infusion, kind="cycle",
    )


def _cycle_annotations(cycle: Cycle, placer: Placer, small, pal) -> list[Text]:
    """Pre, post, nadir and recovery written next to their points: pre above, post to the
    right, nadir below, recovery above (the places the line from point to point leaves free)."""
    notes: dict[tuple[int, float], tuple[str, list[str]]] = {}

    def add(d: Draw | None, kind: str, text: str):
        if d is None:
            return
        key = (d.day, float(d.value))
        if key in notes:
            notes[key][1].append(text)
        else:
            notes[key] = (kind, [text])

    if cycle.pre is not None:
        add(cycle.pre, "pre", f"Pre {_num(cycle.pre.value)}")
    if cycle.post is not None:
        add(cycle.post, "post", f"Day {cycle.post.day}: {_num(cycle.post.value)}")
    if cycle.nadir is not None:
        if cycle.post is not None and cycle.nadir.time == cycle.post.time:
            notes[(cycle.post.day, float(cycle.post.value))][1][-1] += " (nadir)"
        else:
            add(cycle.nadir, "nadir", f"Nadir {_num(cycle.nadir.value)} (day {cycle.nadir.day})")
    if cycle.recovery_day is not None:
        rec = next((d for d in cycle.draws if d.day == cycle.recovery_day), None)
        add(rec, "recovery", f"Recovered, day {cycle.recovery_day}")
    preferences = {
        "pre": (ABOVE, RIGHT_ABOVE, LEFT_ABOVE, RIGHT_BELOW, BELOW),
        "post": (RIGHT_BELOW, BELOW, RIGHT_ABOVE, LEFT_BELOW, ABOVE),
        "nadir": (BELOW, RIGHT_BELOW, LEFT_BELOW, ABOVE, RIGHT_ABOVE),
        "recovery": (ABOVE, LEFT_ABOVE, RIGHT_ABOVE, BELOW, RIGHT_BELOW),
    }
    out = []
    for (day, value), (kind, parts) in notes.items():
        text = "; ".join(parts)
        dx, dy, ha, va = placer.place(day, value, text, small, preferences[kind])
        out.append(Text(text, day, value, size_pt=small, colour=pal.text, ha=ha, va=va,
                        dx_pt=dx, dy_pt=dy, kind="annotation"))
    return out


def _panel_overlay(cycles, settings, pal, font, small, data, box: Box) -> Panel:
    """Every cycle on days since its own infusion, with the median curve: shows whether the
    fall follows the infusion or an intrinsic rhythm (cyclic neutropenia runs ~21 days)."""
    lookup = _role_lookup(data)
    frames, xs, lines = [], [], []
    curves = []
    for c in cycles:
        draws = _cycle_draws(c)
        x = [_day(d.time, c.start) for d in draws]
        frame, xa = _draw_frame(draws, x, lookup)
        frames.append(frame)
        xs.append(xa)
        if len(xa) > 1:
            lines.append(Line(tuple(xa.tolist()), tuple(frame["value"].tolist()), pal.cycle_line,
                              S.DASHED if c.infection else S.SOLID, S.CYCLE_LINE_LW,
                              kind="cycle", z=2))
            if c.included:
                curves.append((xa, frame["value"].to_numpy(dtype=float)))
    allx = np.concatenate(xs) if xs else np.array([0.0])
    lo = min(-1.0, float(allx.min()) - 1.0)
    hi = max(float(allx.max()) + 1.0, 7.0)
    grid = np.arange(math.ceil(lo), math.floor(hi) + 1, 1.0)
    if curves:
        stack = np.full((len(curves), len(grid)), np.nan)
        for i, (cx, cy) in enumerate(curves):
            order = np.argsort(cx, kind="stable")
            cx, cy = cx[order], cy[order]
            inside = (grid >= cx[0]) & (grid <= cx[-1])
            stack[i, inside] = np.interp(grid[inside], cx, cy)
        enough = np.sum(~np.isnan(stack), axis=0) >= 2
        if enough.any():
            with np.errstate(all="ignore"):
                med = np.nanmedian(np.where(enough, stack, 0.0), axis=0)
            lines.append(Line(tuple(grid[enough].tolist()), tuple(med[enough].tolist()),
                              pal.median, S.SOLID, S.MEDIAN_LW, kind="median", z=4))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    x = np.concatenate(xs) if xs else np.array([])
    extra = [SEVERITY_THRESHOLDS[-1]] if settings.show_severity else []
    y_axis = _value_axis(frame["value"] if len(frame) else [], settings, extra)
    step = 7 if hi - lo > 10 else 1
    ticks = tuple(float(t) for t in range(0, int(hi) + 1, step))
    x_axis = Axis(S.SINCE_INFUSION_LABEL, lo, hi, ticks, tuple(_num(t) for t in ticks),
                  "cycle-days")
    hlines, _, _ = _reference_lines(FigureSettings(show_severity=settings.show_severity), pal, y_axis)
    y = 1.0 + (S.INFUSION_MARKER_PT / 2 + 1.0) * PT_MM / box.h
    texts = [_letter("B", box, font),
             Text(course_label(cycles[0].course), 0.0, y, coords="xdata", size_pt=small,
                  colour=pal.text, ha="left", va="center", dx_pt=S.INFUSION_MARKER_PT / 2 + 1.5,
                  kind="infusion"),
             Text(f"Cycles {cycles[0].number}–{cycles[-1].number} overlaid", 0.99, 0.985,
                  coords="axes", size_pt=small,
                  colour=pal.text, ha="right", va="top", kind="cycle")]
    return Panel(
        letter="B", box=box, x_axis=x_axis, y_axis=y_axis, hlines=hlines, lines=tuple(lines),
        points=_points(frame, x, pal, box.w) if len(frame) else (),
        infusions=(InfusionMark(0.0, course_label(cycles[0].course), y),),
        texts=tuple(texts), infusion_colour=pal.infusion, kind="overlay",
    )


# --- legend and statistics ----------------------------------------------------------------------


def _product_label(cycles, case) -> str:
    """The infusion legend entry: "IVIG 1 g/kg" when every course shown had that dose, else
    "IVIG infusion" (the labels at the markers then say the doses)."""
    from analysis.treatment.medications import family_of

    courses = [c.course for c in cycles] or list(getattr(case, "courses", ()) or [])
    if not courses:
        return "Infusion"
    labels = {course_label(c) for c in courses}
    if len(labels) == 1:
        return labels.pop()
    return f"{family_of(courses[0].product) or 'Drug'} infusion"


def _legend_entries(pal, data, mode, labels, infusion_label) -> list[LegendEntry]:
    present = set(data["role"]) if len(data) else set()
    entries = []
    for role in S.ROLES:
        if role in present or role in ("pre", "post"):
            entries.append(LegendEntry(labels[role], "marker", getattr(pal, role),
                                       getattr(pal, f"{role}_edge"), S.MARKER[role],
                                       S.MARKER_SIZE_PT[role]))
    if len(data) and (data["censored"] != "").any():
        entries.append(LegendEntry("Below/above limit", "marker", "#FFFFFF", pal.other,
                                   "o", S.MARKER_SIZE_PT["other"], filled=False))
    entries.append(LegendEntry(infusion_label, "marker", pal.infusion, pal.infusion,
                               S.INFUSION_MARKER, S.INFUSION_MARKER_PT))
    if mode == "overlay":
        entries.append(LegendEntry("Single cycle", "line", pal.cycle_line,
                                   width=S.CYCLE_LINE_LW))
        entries.append(LegendEntry("Median of cycles", "line", pal.median, width=S.MEDIAN_LW))
    return entries


def _stats_lines(case, labels) -> list[str]:
    summary = getattr(case, "summary", None)
    if summary is None or summary.pre.n == 0:
        return []
    stats = (("Pre-infusion", summary.pre), (labels["post"], summary.post), ("Nadir", summary.nadir))
    counts = {stat.n for _, stat in stats if stat.n}
    same_n = len(counts) == 1  # else some cycles lack a pre or post draw: each line gives its n
    if same_n:
        n = next(iter(counts))
        lines = [f"Median (range), ×10³/µL; n = {n} cycle{'s' if n != 1 else ''}"]
    else:
        lines = ["Median (range), ×10³/µL"]
    censored = 0
    for name, stat in stats:
        if stat.median is not None:
            own_n = "" if same_n else f", n = {stat.n}"
            lines.append(f"{name}: {_num(stat.median)} ({_num(stat.min)}–{_num(stat.max)}){own_n}")
            censored += stat.censored
    w = summary.wilcoxon
    if w is not None and w.p is not None:
        lines.append(f"Wilcoxon signed-rank {format_p(w.p)}")
    left_out = [c.number for c in case.cycles if not c.included]
    if left_out:
        which = ", ".join(str(n) for n in left_out)
        lines.append(f"Cycle{'s' if len(left_out) > 1 else ''} {which} left out (infection)")
    if censored:
        lines.append("Values below the reporting limit counted at the limit")
    return lines


def format_p(p: float) -> str:
    """"p = 0.06", "p = 0.004", "p < 0.001": the comparison sign is part of the text."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def _num(v) -> str:
    """Numbers as a clinician writes them: 1.1, 0.45, 21 (no trailing zeros)."""
    if v is None:
        return "–"
    text = f"{float(v):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
