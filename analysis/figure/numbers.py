"""Numbers and p values as the figure prints them: the one format of analysis.numbers."""

from __future__ import annotations

from analysis.numbers import format_number
from analysis.numbers import format_p as format_p  # the figure's modules import it from here

# The figure's name for the clinician number format.
_num = format_number
