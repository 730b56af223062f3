"""One result per time and analyte where an export repeats or corrects itself.

A result with a "Corrected"/"Amended" status replaces the other results of that analyte at
that time, and a final result replaces a preliminary one. The same value twice (an export that
lists a result under two orders) is counted once. Two different final values for the same time
are both kept and named in a warning: Nadir cannot know which is right.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.importing.cells import rows_phrase
from analysis.model import SkippedRow, Source

_KEY = ["time", "analyte"]


def resolve_repeats(obs: pd.DataFrame, path, sheet: str):
    """The observations without superseded and repeated results, what was skipped, warnings.

    ``obs`` carries the helper columns ``_status`` and ``_index`` of the first frame; the
    result has neither.
    """
    skipped: list[SkippedRow] = []
    obs = obs.drop(columns=["_index"])
    if obs.empty or not obs.duplicated(_KEY).any():
        return obs.drop(columns=["_status"]), skipped, []
    file = Path(path).name
    obs = _drop_superseded(obs, file, sheet, skipped)
    obs = _drop_repeated(obs, file, sheet, skipped)
    return obs.drop(columns=["_status"]), skipped, _conflict_warnings(obs)


def _drop_superseded(obs: pd.DataFrame, file: str, sheet: str, skipped: list) -> pd.DataFrame:
    rank = obs["_status"].map({"corrected": 3, "final": 2, "preliminary": 1}).fillna(2)
    best = rank.groupby([obs["time"], obs["analyte"]]).transform("max")
    superseded = rank < best
    for row, column, text, analyte, top in obs.loc[superseded, ["row", "column", "text", "analyte"]].assign(
        top=best[superseded]
    ).itertuples(index=False):
        why = "superseded by a corrected result" if top == 3 else "superseded by the final result"
        skipped.append(SkippedRow(Source(file, sheet, int(row), column), text, why, analyte))
    return obs[~superseded]


def _drop_repeated(obs: pd.DataFrame, file: str, sheet: str, skipped: list) -> pd.DataFrame:
    same = ["time", "analyte", "value", "censored"]
    censored = obs["censored"].fillna("")
    grouping = [obs["time"], obs["analyte"], obs["value"], censored]
    first_row = obs["row"].groupby(grouping).transform("first")
    repeated = obs.assign(censored=censored).duplicated(same, keep="first")
    for row, column, text, analyte, first in obs.loc[repeated, ["row", "column", "text", "analyte"]].assign(
        first=first_row[repeated]
    ).itertuples(index=False):
        why = f"the same result as row {int(first)} (exported twice)"
        skipped.append(SkippedRow(Source(file, sheet, int(row), column), text, why, analyte))
    return obs[~repeated]


def _conflict_warnings(obs: pd.DataFrame) -> list[str]:
    """Different results for the same time and test: all are kept, the first five named."""
    warnings = []
    conflicts = obs[obs.duplicated(_KEY, keep=False)]
    groups = list(conflicts.groupby(_KEY, sort=True))
    for (when, analyte), group in groups[:5]:
        warnings.append(
            f"{rows_phrase(group['row'].tolist())}: {len(group)} different {analyte} results for "
            f"{pd.Timestamp(when):%Y-%m-%d %H:%M}; all are kept"
        )
    if len(groups) > 5:
        warnings.append(f"{len(groups) - 5} more times have different results for the same test; all are kept")
    return warnings
