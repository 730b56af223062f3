"""The figure settings a newly read case starts with (the window's import, ``nadir project``
and ``nadir render`` without --panel-b agree on them)."""

from __future__ import annotations

from dataclasses import replace

from analysis.figure.spec import FigureSettings


def first_followed_cycle(case) -> str:
    """Panel B's default as a concrete choice (what a project file stores): the rule of
    ``panel_b.default_panel_b``, the first cycle of typical length with more than two draws
    after its infusion (else the first with such draws)."""
    from analysis.figure.panel_b import default_panel_b

    return default_panel_b(case.cycles)


def default_settings(case, settings: FigureSettings | None = None) -> FigureSettings:
    return replace(settings or FigureSettings(), panel_b=first_followed_cycle(case))


# A figure shows at most this many cycles apart by default (the case report shows six; 150
# bands of a ten-year record become a barcode); the user widens the window at will.
READABLE_CYCLES = 12


def readable_window(case):
    """``case`` with a window of the last run of cycles that have counts (at most
    ``READABLE_CYCLES``), when the user gave no window and the record holds more cycles; else
    ``case`` itself. An infusion record often reaches years before or past the lab export, and
    its cycles without draws have nothing to show."""
    if case.window != (None, None):
        return case
    cycles = case.cycles
    last = max((i for i, c in enumerate(cycles) if c.draws), default=None)
    if len(cycles) <= READABLE_CYCLES or last is None:
        return case
    first = last  # back through the cycles with counts next to it, at most READABLE_CYCLES
    while first > 0 and last - first + 1 < READABLE_CYCLES and cycles[first - 1].draws:
        first -= 1
    return case.with_window(cycles[first].start.date(), cycles[last].start.date())


def window_for_new_infusions(case) -> tuple:
    """The analysis window after the infusions were replaced (another record, or typed by hand):
    the user's window while at least one of the new courses starts in it; else the window a newly
    read case gets (:func:`readable_window`). A window that held the old record's courses and none
    of the new ones would leave the analysis empty without a word."""
    if case.window == (None, None) or case.cycles or not case.courses:
        return case.window
    return readable_window(case.with_window(None, None)).window


def window_note(before, after) -> str:
    """What :func:`readable_window` did, in a sentence ("" when it left the case as it was)."""
    if after is before:
        return ""
    start, end = after.window
    return (f"the record holds {len(before.cycles)} cycles; the figure shows the last "
            f"{len(after.cycles)} with counts, {start:%Y-%m-%d} to {end:%Y-%m-%d} (--from and "
            "--to choose another window)")
