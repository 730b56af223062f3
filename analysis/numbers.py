"""Numbers and p values as a clinician writes them, wherever Nadir shows one: figure, legend,
Cycles panel, status bar and the command line's reports.

One home for the rule, so that the same value never reads two ways ("0.45" on the figure,
"0.450" in the table). It sits at the bottom of the layers so that every stage may use it.
"""

from __future__ import annotations

MISSING = "–"  # an en dash: no value (no draw in the window, no statistic)


def format_number(value, *, missing: str = MISSING, digits: int = 2) -> str:
    """Up to ``digits`` decimals, trailing zeros dropped: 1.1, 0.45, 21, 0 (never "-0").

    ``None`` gives ``missing``. Any real number works (int, float, numpy scalars).
    """
    if value is None:
        return missing
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_p(p: float) -> str:
    """"p = 0.06", "p = 0.004", "p < 0.001": the comparison sign is part of the text."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"
