"""Numbers and p values as the figure prints them."""

from __future__ import annotations


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
