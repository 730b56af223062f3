"""Numbers and p values as the figure prints them."""

from __future__ import annotations

from analysis.numbers import format_number


def format_p(p: float) -> str:
    """"p = 0.06", "p = 0.004", "p < 0.001": the comparison sign is part of the text."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


# The figure's name for the one clinician number format (analysis.numbers).
_num = format_number
