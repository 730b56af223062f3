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

from dataclasses import replace
from datetime import datetime

import pandas as pd

from analysis.figure import style as S
from analysis.figure.draws import _draw_table
from analysis.figure.items import FigureSpec, Legend, LegendEntry, Panel, Text
from analysis.figure.labels import apply_labels
from analysis.figure.layout import _layout, minimum_height_mm
from analysis.figure.marks import label_of
from analysis.figure.numbers import lab_numbers
from analysis.figure.palette import palette_for
from analysis.figure.panel_a import _panel_a
from analysis.figure.panel_b import _panel_b_mode, _panel_cycle, _panel_overlay
from analysis.figure.placement import PT_MM
from analysis.figure.presets import get_preset
from analysis.figure.settings import FigureSettings
from analysis.memo import LastResult
from analysis.model import Cycle
from analysis.numbers import format_p
from analysis.rules.cycles import left_out_reason
from analysis.treatment.medications import course_label

# The last draw table, for the next spec of the same ANC table and roles (after most edits).
_DRAW_TABLE = LastResult()


def build_figure(case, settings: FigureSettings = FigureSettings()) -> FigureSpec:
    """The figure for ``case`` (an ``analysis.case.Case``) under ``settings``.

    Panel A: ANC over the analysis window with the cycles shaded; panel B: one cycle expanded,
    all cycles overlaid, or nothing (``settings.panel_b``).
    """
    pal = palette_for(settings)
    font = float(settings.font_pt)
    small = max(font - S.SMALL_DELTA_PT, min(font, S.MIN_FONT_PT))
    cycles: list[Cycle] = list(case.cycles)
    numbers = lab_numbers(case)
    data, origin = _draws_and_origin(case, cycles, numbers)

    mode, chosen = _panel_b_mode(settings.panel_b, cycles)
    post_days = {c.post.day for c in cycles if c.post is not None}
    labels = dict(S.ROLE_LABEL)
    if post_days and post_days != {1}:
        labels["post"] = "Post-infusion"
    stats_lines = _stats_lines(case, labels) if settings.show_stats_text else []
    entries = _legend_entries(pal, data, mode, labels, _product_label(cycles, case))
    chars = max((len(e.label) for e in entries), default=0)
    layout = _layout(settings, font, small, mode != "none", len(entries), stats_lines, chars)
    min_height = minimum_height_mm(settings, font, small, mode != "none", len(entries), stats_lines,
                                   chars)

    notes: list[str] = []
    panels = [_panel_a(case, settings, pal, font, small, data, origin, layout["A"], notes)]
    if mode == "cycle":
        panels.append(_panel_cycle(cycles, chosen, settings, pal, font, small, data, layout["B"],
                                   numbers))
    elif mode == "overlay":
        panels.append(_panel_overlay(cycles, settings, pal, font, small, data, layout["B"]))

    legend = Legend(
        entries=tuple(entries), x=layout["legend"][0], y=layout["legend"][1],
        ncol=layout["ncol"], size_pt=font,
    )
    sx, sy = layout["stats"]
    texts = [Text(line, sx, sy + i * small * 1.3 * PT_MM, coords="figure", size_pt=small,
                  colour=pal.text, ha="left", va="top", kind="stats")
             for i, line in enumerate(stats_lines)]
    panels = [_journal_letter(p, settings, font) for p in panels]
    spec = FigureSpec(
        size_mm=(float(settings.width_mm), float(settings.height_mm)),
        font_pt=font,
        palette=pal.name,
        panels=tuple(panels),
        legend=legend,
        texts=tuple(texts),
        notes=tuple(notes),
        font=settings.font,
        colour=settings.colour,
        preset=settings.preset,
        min_height_mm=min_height,
    )
    return apply_labels(spec, settings.labels)  # the user's wording and places for labels


def _draws_and_origin(case, cycles: list[Cycle], numbers):
    """(the draw table with each draw's role, day 0): the first cycle's start, else the first draw."""
    from analysis.rules.cycles import point_roles

    anc = case.anc
    roles = getattr(case, "roles", None)
    if roles is None:
        roles = point_roles(anc, cycles, tuple(case.events))
    # The same ANC table with the same roles gives the same draw table (and the same object,
    # which lets the steps after it reuse their results too; see analysis/memo.py).
    data = _DRAW_TABLE.get((anc, tuple(roles.tolist()), numbers),
                           lambda: _draw_table(anc, roles, numbers))
    origin = cycles[0].start if cycles else (data["time"].min() if len(data) else datetime(2000, 1, 1))
    if isinstance(origin, pd.Timestamp):
        origin = origin.to_pydatetime()
    return data, origin


def _journal_letter(panel: Panel, settings: FigureSettings, font: float) -> Panel:
    """The panel letter as the preset's journal sets it (Nature: lowercase bold 8 pt)."""
    preset = get_preset(settings.preset) if settings.preset else None
    if preset is None:
        return panel
    # The guide's letter size, else 2 pt over the text but within the guide's largest size.
    size = preset.letter_pt or min(font + S.LETTER_DELTA_PT, max(preset.font_pt[1], font))
    texts = tuple(
        replace(t, text=preset.letter(t.text), size_pt=size, bold=preset.letter_bold)
        if t.kind == "letter" else t
        for t in panel.texts
    )
    return replace(panel, letter=preset.letter(panel.letter), texts=texts)


def _product_label(cycles, case) -> str:
    """The infusion legend entry: "IVIG 1 g/kg" when every course shown had that dose, else
    "IVIG infusion" (the labels at the markers then say the doses)."""
    from analysis.treatment.medications import family_of

    courses = [c.course for c in cycles] or list(getattr(case, "courses", ()) or [])
    if not courses:
        return "Infusion"
    labels = {label_of(c) for c in courses}
    if len(labels) == 1:
        return labels.pop()
    return f"{family_of(courses[0].product) or 'Drug'} infusion"


def _legend_entries(pal, data, mode, labels, infusion_label) -> list[LegendEntry]:
    present, censored = _ROLES_SHOWN.get((data,), lambda: _roles_shown(data))
    entries = []
    for role in S.ROLES:
        if role in present or role in ("pre", "post"):
            entries.append(LegendEntry(labels[role], "marker", getattr(pal, role),
                                       getattr(pal, f"{role}_edge"), S.MARKER[role],
                                       S.MARKER_SIZE_PT[role]))
    if censored:
        entries.append(LegendEntry("Below/above limit", "marker", "#FFFFFF", pal.other,
                                   "o", S.MARKER_SIZE_PT["other"], filled=False))
    entries.append(LegendEntry(infusion_label, "marker", pal.infusion, pal.infusion,
                               S.INFUSION_MARKER, S.INFUSION_MARKER_PT))
    if mode == "overlay":
        entries.append(LegendEntry("Single cycle", "line", pal.cycle_line,
                                   width=S.CYCLE_LINE_LW))
        entries.append(LegendEntry("Median of cycles", "line", pal.median, width=S.MEDIAN_LW))
    return entries


_ROLES_SHOWN = LastResult()  # the roles of the last draw table (an edit seldom changes it)


def _roles_shown(data) -> tuple[set, bool]:
    """The roles among the draws, and whether any is censored (a value beyond a limit)."""
    if not len(data):
        return set(), False
    return set(data["role"].unique().tolist()), bool((data["censored"] != "").any())  # not per element: 50,000


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
    numbers = lab_numbers(case)
    for name, stat in stats:
        if stat.median is not None:
            own_n = "" if same_n else f", n = {stat.n}"
            lines.append(f"{name}: {numbers.stat(stat)}{own_n}")
            censored += stat.censored
    w = summary.wilcoxon
    if w is not None and w.p is not None:
        lines.append(f"Wilcoxon signed-rank {format_p(w.p)}")
    left_out = [c.number for c in case.cycles if not c.included]
    if left_out:
        which = ", ".join(str(n) for n in left_out)
        lines.append(f"Cycle{'s' if len(left_out) > 1 else ''} {which} left out ({left_out_reason(case.cycles)})")
    if censored:
        lines.append("Values below the reporting limit counted at the limit")
    return lines


# The names other modules and saved scripts know from ``analysis.figure.spec``.
from analysis.figure.items import (  # noqa: E402
    Axis,
    Band,
    Box,
    EventMark,
    HLine,
    HSpan,
    InfusionMark,
    Line,
    Points,
)
from analysis.figure.marks import _short_event_label  # noqa: E402
from analysis.figure.thresholds import (  # noqa: E402
    DEFAULT_REFERENCE_RANGE,
    DUFFY_NULL_RANGE,
    SEVERITY_BANDS,
    SEVERITY_THRESHOLDS,
)

__all__ = [
    "DEFAULT_REFERENCE_RANGE",
    "DUFFY_NULL_RANGE",
    "PT_MM",
    "SEVERITY_BANDS",
    "SEVERITY_THRESHOLDS",
    "Axis",
    "Band",
    "Box",
    "EventMark",
    "FigureSettings",
    "FigureSpec",
    "HLine",
    "HSpan",
    "InfusionMark",
    "Legend",
    "LegendEntry",
    "Line",
    "Panel",
    "Points",
    "Text",
    "_short_event_label",
    "build_figure",
    "course_label",
    "format_p",
]
