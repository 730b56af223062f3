"""Values the user left out of the analysis: the one place that says which rows an exclusion hits.

An exclusion is keyed by where the value came from (file, row and, for layouts with one column
per draw, the column; "" matches any column of that row), never by its time or value, so it
survives a re-import of the same file. The Case, the chart, the Data table and the disclosures
in the legend and the methods all ask :func:`exclusion_reasons` or :func:`excluded_mask`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Exclusion:
    """An ANC value the user left out, with the reason (shown in the methods and the exports)."""

    file: str
    row: int
    column: str = ""
    reason: str = ""

    def matches(self, file: str, row: int, column: str) -> bool:
        return self.file == file and self.row == row and (not self.column or self.column == column)


def exclusion_reasons(frame: pd.DataFrame, exclusions: Iterable[Exclusion]) -> list[str | None]:
    """For each row of ``frame`` (with file, row and column), the reason of the first exclusion
    that matches it, or None. A handful of exclusions over 50,000 rows: one numpy pass each."""
    exclusions = tuple(exclusions)
    reasons: list[str | None] = [None] * len(frame)
    if not exclusions or frame.empty:
        return reasons
    files = frame["file"].astype(str).to_numpy()
    rows = pd.to_numeric(frame["row"], errors="coerce").to_numpy()
    columns = frame["column"].astype(str).to_numpy()
    taken = np.zeros(len(frame), bool)
    for x in exclusions:
        hit = (files == x.file) & (rows == x.row) & ~taken
        if x.column:
            hit &= columns == x.column
        for i in np.flatnonzero(hit):
            reasons[i] = x.reason or "excluded"
        taken |= hit
    return reasons


def excluded_mask(frame: pd.DataFrame, exclusions: Iterable[Exclusion]) -> np.ndarray:
    """True for the rows of ``frame`` an exclusion matches."""
    return np.array([r is not None for r in exclusion_reasons(frame, exclusions)], bool)


def exclusion_at(exclusions: Iterable[Exclusion], file: str, row: int, column: str) -> Exclusion | None:
    """The exclusion that matches one source cell, or None."""
    return next((x for x in exclusions if x.matches(file, row, column)), None)
