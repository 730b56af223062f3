"""The lab number format a figure prints with (values at the lab's precision: analysis.numbers)."""

from __future__ import annotations

from analysis.numbers import LabNumbers


def lab_numbers(case) -> LabNumbers:
    """How ``case`` prints its lab values (draws, cycle values, medians and ranges)."""
    numbers = getattr(case, "numbers", None)
    return numbers if isinstance(numbers, LabNumbers) else LabNumbers()
