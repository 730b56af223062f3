"""Plain-text reports for the terminal: what an import found, and the cycle table.

Kept apart from the command line so the GUI can show the same words (the import assistant's
summary, the "copy table" text).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

from analysis.model import DISPLAY_NAME, LabImport
from analysis.numbers import LabNumbers, format_number, format_p
from analysis.rules.cycles import kind_words
from analysis.treatment.medications import course_label

MAX_LISTED = 12  # skipped rows and warnings listed one by one before summarising


_ASCII = LabNumbers(missing="-")  # plain ASCII for any terminal


def _fmt(value) -> str:
    return format_number(value, missing="-")  # plain ASCII for any terminal


def import_report(labs: LabImport, path: str | Path) -> str:
    obs = labs.observations
    lines = [f"{Path(path).name}"]
    if labs.patient:
        lines.append(f"  patient: {labs.patient}")
    det = labs.detection
    if det is not None:
        sheet = f"sheet {det.sheet!r}, " if det.sheet else ""
        header = f"header on row {det.header_row}, " if det.header_row else ""
        lines.append(f"  read: {sheet}{header}{det.layout} layout")
    lines.append("  analytes:")
    for analyte, group in obs.groupby("analyte", sort=False):
        first, last = group["time"].min(), group["time"].max()
        derived = int(group["derived"].sum())
        note = f", {derived} derived" if derived else ""
        unit = group["unit"].iloc[0]
        results = "result " if len(group) == 1 else "results"
        lines.append(
            f"    {DISPLAY_NAME.get(analyte, analyte):<14} {len(group):>6} {results}{note}  "
            f"{first:%Y-%m-%d} to {last:%Y-%m-%d}  ({unit})"
        )
    if labs.skipped:
        lines.append(f"  skipped rows ({len(labs.skipped)}):")
        in_file_order = sorted(labs.skipped, key=lambda s: (s.source.sheet, s.source.row or 0))
        for s in in_file_order[:MAX_LISTED]:
            text = f" {s.text!r} -" if s.text else ""
            lines.append(f"    {s.source.describe()}:{text} {s.reason}")
        if len(labs.skipped) > MAX_LISTED:
            reasons = Counter(s.reason for s in in_file_order[MAX_LISTED:])
            more = "; ".join(f"{n} {reason}" for reason, n in reasons.most_common())
            lines.append(f"    ... and {len(labs.skipped) - MAX_LISTED} more ({more})")
    if labs.warnings:
        lines.append("  warnings:")
        lines.extend(f"    {w}" for w in labs.warnings)
    return "\n".join(lines)


def _draw(draw, numbers: LabNumbers) -> str:
    """A cycle's value as the lab reported it: "0.4", or "<0.1" for a result below the limit."""
    if draw is None:
        return "-"
    return numbers.draw(draw.value, draw.censored)


def stat_text(stat, numbers: LabNumbers = _ASCII) -> str:
    """"1.1 (0.7-1.6), n = 5", saying when limits ("<0.1") entered the median at their value."""
    if stat.n == 0:
        return "no values"
    text = f"{numbers.stat(stat, sep='-')}, n = {stat.n}"
    if stat.censored:
        text += (f"; {stat.censored} value{'s' if stat.censored > 1 else ''} below the reporting "
                 "limit counted at the limit")
    return text


def window_text(case) -> str:
    lo, hi = case.effective_window()
    return f"{lo or 'start'} to {hi or 'end'}"


def summary_report(case) -> str:
    cycles = case.cycles
    numbers = LabNumbers(case.decimals, missing="-")
    lines = [f"{len(cycles)} cycle{'s' if len(cycles) != 1 else ''} ({window_text(case)})", ""]
    header = f"{'cycle':>5}  {'start':<16}  {'dose':<16} {'pre':>5}  {'post':>5} {'day':>3}  {'nadir':>5} {'day':>3}  {'recovery':>8}  note"
    lines.append(header)
    lines.append("-" * len(header))
    for c in cycles:
        note = []
        if c.infection:
            note.append("infection")
        note.extend(kind_words([k], short=True) for k in c.left_out_by if k != "infection")
        if not c.included:
            note.append("left out of summary")
        lines.append(
            f"{c.number:>5}  {c.start:%Y-%m-%d %H:%M}  {course_label(c.course):<16} "
            f"{_draw(c.pre, numbers):>5}  "
            f"{_draw(c.post, numbers):>5} {c.post.day if c.post else '-':>3}  "
            f"{_draw(c.nadir, numbers):>5} {c.nadir.day if c.nadir else '-':>3}  "
            f"{('day ' + str(c.recovery_day)) if c.recovery_day is not None else '-':>8}  {', '.join(note)}"
        )
    s = case.summary
    lines.append("")
    for name, stat in (("pre-infusion", s.pre), ("day after", s.post), ("nadir", s.nadir)):
        lines.append(f"{name + ' median':<20} {stat_text(stat, numbers)}")
    w = s.wilcoxon
    if w.p is not None:
        lines.append(f"{'Wilcoxon pre vs post':<20} W = {_fmt(w.statistic)}, {format_p(w.p)}, n = {w.n} ({w.method})")
    else:
        reason = w.note[len("Not computed: "):] if w.note.startswith("Not computed: ") else w.note
        lines.append(f"{'Wilcoxon pre vs post':<20} not computed: {reason}")
    lines.append("")
    lines.append("ANC in 10^3/uL. How the values were taken:")
    for number, rule in enumerate(case.rules.describe(), start=1):
        lines.extend(textwrap.wrap(rule, width=96, initial_indent=f"{number:>3}. ", subsequent_indent="     "))
    return "\n".join(lines)
