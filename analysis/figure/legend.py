"""The words that go with the figure: a figure legend and a methods paragraph, as plain text.

Both are generated from the same case and settings as the figure, so the numbers in the text
are the numbers in the picture, and the definitions are the rules the numbers were computed
with (``CycleRules.describe``). No dates, names or file names: the text goes into a manuscript.
"""

from __future__ import annotations

from analysis.figure.numbers import lab_numbers
from analysis.figure.palette import palette_for
from analysis.figure.spec import (
    SEVERITY_THRESHOLDS,
    FigureSettings,
    FigureSpec,
    _short_event_label,
    build_figure,
    course_label,
    format_p,
)
from analysis.model import Cycle, Summary
from analysis.numbers import format_number
from analysis.rules.cycles import left_out_reason

UNIT = "×10³/µL"
SHAPE = {"o": "circles", "s": "squares", "D": "diamonds", "^": "triangles", "v": "triangles"}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


def _infusion_words(panel) -> str:
    """What the course marks are, as drawn: a triangle per course, a bar for a multi-day one."""
    if any(m.x1 > m.x0 for m in panel.courses):
        return "triangles, the first infusion of each course, with a bar to its last infusion"
    return "triangles, infusions"


def _count(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def figure_legend(case, settings: FigureSettings = FigureSettings(), spec: FigureSpec | None = None,
                  number: int = 1) -> str:
    """"Figure 1. ..." describing what each panel, colour, shape and line shows."""
    spec = spec or build_figure(case, settings)
    cycles: list[Cycle] = list(case.cycles)
    a = spec.panels[0]
    parts = [_title(number, cycles), _panel_a_sentence(a, cycles, settings)]
    parts += _marker_sentences(spec, cycles, palette_for(settings))
    parts += _line_sentences(a, settings)
    if len(spec.panels) > 1:
        parts.append(_panel_b_sentence(spec.panels[1], case, cycles))
    summary: Summary | None = getattr(case, "summary", None)
    if summary is not None and summary.pre.n:
        parts.append(_summary_sentence(summary, cycles, lab_numbers(case)))
    parts.extend(_exclusions(case))
    return " ".join(parts)


def _title(number: int, cycles: list[Cycle]) -> str:
    if not cycles:
        return f"Figure {number}. Absolute neutrophil count (ANC, {UNIT})."
    doses = sorted({course_label(c.course) for c in cycles})
    regimen = doses[0] if len(doses) == 1 else " / ".join(doses)
    return (f"Figure {number}. Absolute neutrophil count (ANC, {UNIT}) during "
            f"{_count(len(cycles))} treatment cycle{'s' if len(cycles) != 1 else ''} of {regimen}.")


def _panel_a_sentence(a, cycles: list[Cycle], settings: FigureSettings) -> str:
    axis = "calendar date" if settings.axis == "dates" else "days since the first infusion"
    a_text = f"{_panel_ref(a.letter)} ANC over the analysis window ({axis})"
    if cycles:
        a_text += (f"; shaded bands, treatment cycles C{cycles[0].number}–C{cycles[-1].number}; "
                   + _infusion_words(a))
    return a_text + "."


def _marker_sentences(spec: FigureSpec, cycles: list[Cycle], pal) -> list[str]:
    """What each marker colour and shape is, the annotated events, the open markers."""
    a = spec.panels[0]
    parts = []
    roles = {p.role: p for panel in spec.panels for p in panel.points}
    described = []
    names = {
        "pre": "pre-infusion draws",
        "post": ("draws on the day after the infusion" if _day_after(cycles)
                 else "first draws after the infusion"),
        "other": "other draws",
        "infection": "draws during an infection",
    }
    events = sorted({_short_event_label(e.label) for p in spec.panels for e in p.events
                     if e.kind == "infection"})
    for role in ("pre", "post", "other", "infection"):
        if role not in roles:
            continue
        n = sum(len(p.x) for p in a.points if p.role == role)
        shape = SHAPE.get(roles[role].marker, "markers")
        name = names[role]
        if n == 1:  # "yellow diamond, draw during an infection"
            shape = shape[:-1]
            name = name.replace("draws", "draw")
        if role == "infection" and events:
            name += f" ({', '.join(events)})"
        described.append(f"{pal.word(role)} {shape}, {name}")
    if described:
        text = "; ".join(described)
        parts.append(text[0].upper() + text[1:] + ".")
    labels = sorted({_short_event_label(e.label) for p in spec.panels for e in p.events
                     if e.kind != "infection" or not events or "infection" not in roles})
    if labels:
        parts.append(f"Annotated event{'s' if len(labels) > 1 else ''}: {', '.join(labels)}.")
    if any(not p.filled for panel in spec.panels for p in panel.points):
        parts.append("Open markers: results reported below or above the measuring limit, drawn at the limit.")
    return parts


def _line_sentences(a, settings: FigureSettings) -> list[str]:
    """The severity thresholds and the reference ranges drawn in panel A."""
    parts = []
    if settings.show_severity and a.hlines:
        shown = [t for t in SEVERITY_THRESHOLDS if any(abs(h.y - t) < 1e-9 for h in a.hlines)]
        parts.append(
            f"Dashed lines at {_and([f'{t:.1f}' for t in shown])} {UNIT} separate severe, moderate "
            "and mild neutropenia."
        )
    for span in a.hspans:
        if span.kind == "reference":
            parts.append(
                f"Dotted lines: laboratory reference range {format_number(span.y0)}–{format_number(span.y1)} {UNIT}."
            )
        elif span.kind == "duffy":
            parts.append(
                f"Dash-dotted lines: Duffy-null associated neutrophil count reference interval "
                f"{format_number(span.y0)}–{format_number(span.y1)} {UNIT}."
            )
    return parts


def _panel_b_sentence(b, case, cycles: list[Cycle]) -> str:
    if b.kind == "cycle":
        number_b = next((bd.cycle for bd in b.bands), 1)
        cycle = next((c for c in cycles if c.number == number_b), cycles[0])
        return _cycle_sentence(cycle, lab_numbers(case), _panel_ref(b.letter))
    return (f"{_panel_ref(b.letter)} All cycles overlaid on days since their infusion (thin lines; dashed, "
            "infection-affected cycles) with the median of the cycles kept (thick line).")


def _exclusions(case) -> list[str]:
    notes = getattr(case, "exclusion_notes", None)
    return [n.replace("x10^3/uL", UNIT) for n in notes()] if notes else []


def _day_after(cycles) -> bool:
    days = {c.post.day for c in cycles if c.post is not None}
    return not days or days == {1}


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _panel_ref(letter: str) -> str:
    """How the text names a panel, in the letters' style: "(A)" for capitals; Nature's
    lowercase letters as its legends write them, "a,"."""
    return f"{letter}," if letter.islower() else f"({letter})"


def _cycle_sentence(c: Cycle, numbers, ref: str = "(B)") -> str:
    length = (c.end.date() - c.start.date()).days
    bits = []
    if c.pre is not None:
        bits.append(f"pre-infusion ANC {numbers.value(c.pre.value)}")
    if c.post is not None:
        bits.append(f"day {c.post.day} {numbers.value(c.post.value)}")
    if c.nadir is not None:
        bits.append(f"nadir {numbers.value(c.nadir.value)} on day {c.nadir.day}")
    if c.recovery_day is not None:
        bits.append(f"back to the pre-infusion value by day {c.recovery_day}")
    detail = f": {', '.join(bits)}" if bits else ""
    return f"{ref} Cycle {c.number} expanded, day 0 to {length}{detail}."


def _summary_sentence(s: Summary, cycles, numbers) -> str:
    post = "day after" if _day_after(cycles) else "post-infusion"
    text = (
        f"Pre-infusion median {numbers.median(s.pre.median)} (range {numbers.value(s.pre.min)}–"
        f"{numbers.value(s.pre.max)}); {post} {numbers.stat(s.post)}; "
        f"n = {s.pre.n} cycles"
    )
    left_out = [c for c in cycles if not c.included]
    if left_out:
        which = ", ".join(str(c.number) for c in left_out)
        text += f" (cycle{'s' if len(left_out) > 1 else ''} {which} left out: {left_out_reason(cycles)})"
    return text + "."


def methods_paragraph(case) -> str:
    """How pre, post and nadir were defined, the numbers, and the test, in a few sentences."""
    rules = case.rules
    cycles: list[Cycle] = list(case.cycles)
    summary: Summary = case.summary
    from ..treatment.entry import how_entered

    parts = [
        "Absolute neutrophil counts (ANC, reported in 10³/µL = 10⁹/L) were read from the "
        f"laboratory export; {how_entered(case.administrations)}.",
    ]
    parts.extend(s if s.endswith(".") else s + "." for s in rules.describe())
    kept = [c for c in cycles if c.included]
    left_out = [c for c in cycles if not c.included]
    text = f"{_count(len(cycles)).capitalize()} cycle{'s' if len(cycles) != 1 else ''} were analysed"
    if left_out:
        which = ", ".join(str(c.number) for c in left_out)
        text += f"; cycle{'s' if len(left_out) > 1 else ''} {which} ({left_out_reason(cycles)}) left out of the summary"
    parts.append(text + ".")
    if kept and summary.pre.n:
        numbers = lab_numbers(case)
        parts.append(
            f"Median (range) ANC over {summary.pre.n} cycles: pre-infusion {numbers.stat(summary.pre)}, "
            f"post-infusion {numbers.stat(summary.post)}, nadir {numbers.stat(summary.nadir)} {UNIT}."
        )
    w = summary.wilcoxon
    if w is not None and w.p is not None:
        method = f"{w.method}, " if w.method else ""
        parts.append(
            "Pre- and post-infusion values of the same cycle were compared with the paired "
            f"Wilcoxon signed-rank test ({method}n = {w.n}): {format_p(w.p)}."
        )
    elif w is not None and w.note:
        parts.append(f"The paired Wilcoxon signed-rank test was not computed: {w.note.rstrip('.')}.")
    parts.extend(_exclusions(case))
    parts.append("Figures were made with Nadir.")
    return " ".join(parts)


__all__ = ["figure_legend", "methods_paragraph"]
