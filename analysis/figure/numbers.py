"""Numbers and p values as the figure prints them: the one format of analysis.numbers."""

from __future__ import annotations

from analysis.numbers import LabNumbers, format_number
from analysis.numbers import format_p as format_p  # the figure's modules import it from here

# The figure's name for the clinician number format (axis ticks, settings' thresholds).
_num = format_number


def lab_numbers(case) -> LabNumbers:
    """How ``case`` prints its lab values (draws, cycle values, medians and ranges)."""
    numbers = getattr(case, "numbers", None)
    return numbers if isinstance(numbers, LabNumbers) else LabNumbers()
