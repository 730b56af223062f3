"""Numbers and p values as a clinician writes them, wherever Nadir shows one: figure, legend,
Cycles panel, status bar and the command line's reports.

One home for the rule, so that the same value never reads two ways ("0.45" on the figure,
"0.450" in the table). It sits at the bottom of the layers so that every stage may use it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

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


# --- lab values at the lab's precision ------------------------------------------------------
#
# A journal wants a count as the lab reported it: "2.0–2.6", not "2–2.6". Lab values (each
# draw, a cycle's pre, post and nadir, a range's ends) are printed with the lab's own number of
# decimals, trailing zeros kept. A median of an even number of values is the mean of the middle
# two; when that falls between two reported steps (the median of 0.9 and 1.0 is 0.95) it keeps
# one more decimal rather than being rounded to a value nobody measured (docs/CYCLE-RULES.md).

MAX_DECIMALS = 3  # 10^3/uL counts: a cell per microlitre
_NUMBER = re.compile(r"(\d+)(?:[.,](\d+))?")


def lab_decimals(values, texts=(), default: int = 1) -> int:
    """The decimals the lab writes its results with: the most common count among them (the
    larger of two equally common), from the exported text where the text is the value itself
    ("1.00" has two), else from the value in the canonical unit (1200 cells/µL is 1.2)."""
    counts: Counter = Counter()
    texts = list(texts) or [None] * len(values)
    for value, text in zip(values, texts, strict=False):
        if value is None or value != value:  # NaN
            continue
        counts[_decimals_of(float(value), text)] += 1
    if not counts:
        return default
    top = max(counts.values())
    return max(d for d, n in counts.items() if n == top)


def _decimals_of(value: float, text) -> int:
    if isinstance(text, str):
        m = _NUMBER.search(text)
        if m is not None:
            written = float(f"{m.group(1)}.{m.group(2) or 0}")
            if abs(written - abs(value)) <= 1e-9 * max(1.0, abs(value)):
                return min(len(m.group(2) or ""), MAX_DECIMALS)
    for d in range(MAX_DECIMALS + 1):
        scaled = value * 10**d
        if abs(scaled - round(scaled)) < 1e-6 * max(1.0, abs(scaled)):
            return d
    return MAX_DECIMALS


@dataclass(frozen=True)
class LabNumbers:
    """Lab values printed at ``decimals`` decimals (see the rule above)."""

    decimals: int = 1
    missing: str = MISSING

    def value(self, value) -> str:
        """A reported value: exactly ``decimals`` decimals ("1.0", "0.4")."""
        if value is None:
            return self.missing
        text = f"{float(value):.{self.decimals}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text

    def draw(self, value, censored: str | None = "") -> str:
        """A result as the lab gave it: "0.4", or a limit with its sign as written ("<0.1",
        not "<0.10": a limit is not a measurement and has no precision of its own)."""
        if censored and value is not None:
            return f"{censored}{format_number(value, digits=MAX_DECIMALS)}"
        return self.value(value)

    def median(self, value) -> str:
        """A median: the lab's decimals, one more when it falls between two reported steps."""
        if value is None:
            return self.missing
        scaled = float(value) * 10**self.decimals
        extra = 0 if abs(scaled - round(scaled)) < 1e-6 * max(1.0, abs(scaled)) else 1
        return LabNumbers(self.decimals + extra, self.missing).value(value)

    def stat(self, stat, sep: str = "–") -> str:
        """A median with its range: "0.95 (0.9–1.8)"."""
        return f"{self.median(stat.median)} ({self.value(stat.min)}{sep}{self.value(stat.max)})"


# For callers that are not told the lab's decimals (a table of cycles built in code).
ONE_DECIMAL = LabNumbers()
