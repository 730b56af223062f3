"""ANC from the differential, for draws that have no measured ANC.

ANC = WBC x (neutrophil % + band %) / 100, bands counted as 0 when that draw has none. It is
done for every such draw, also when other draws of the file have a measured ANC; the derived
row is marked ``derived`` and sourced to the WBC cell, and a warning says for how many draws.
A draw whose inputs are censored in different directions ("<" and ">") gives no ANC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.model import ANC, BAND_PCT, CANONICAL_UNIT, NEUT_PCT, WBC

_INPUTS = (WBC, NEUT_PCT, BAND_PCT)


def derive_anc(obs: pd.DataFrame):
    """The observations with derived ANC rows added, and the warnings that say so."""
    part = obs[obs["analyte"].isin([ANC, *_INPUTS])].drop_duplicates(["time", "analyte"])
    if part.empty:
        return obs, []
    wide = part.pivot(index="time", columns="analyte", values="value")
    for code in (ANC, *_INPUTS):
        if code not in wide:
            wide[code] = np.nan
    todo = wide[wide[ANC].isna() & wide[WBC].notna() & wide[NEUT_PCT].notna()]
    if todo.empty:
        return obs, []
    keep, direction, texts = _censoring_and_texts(part, todo)
    if not keep.any():
        return obs, []
    band = todo[BAND_PCT].fillna(0.0)
    values = np.round(todo[WBC] * (todo[NEUT_PCT] + band) / 100.0, 6)
    added = part[part["analyte"] == WBC].set_index("time").loc[todo.index].copy().reset_index()
    added["analyte"] = ANC
    added["value"] = values.to_numpy()
    added["unit"] = CANONICAL_UNIT[ANC]
    added["censored"] = pd.Series(direction, dtype=object)
    added["flag"] = pd.Series([None] * len(added), dtype=object)
    added["derived"] = True
    added["text"] = pd.Series(texts, dtype=object)
    added["source_unit"] = ""
    added = added[keep].loc[:, list(obs.columns)]
    return pd.concat([obs, added], ignore_index=True), [_message(len(added), bool(wide[ANC].notna().any()))]


def _censoring_and_texts(part: pd.DataFrame, todo: pd.DataFrame):
    """Per draw to derive: whether it can be (inputs censored one way at most), the censoring
    the ANC takes, and the text that shows how it was computed."""
    cens = part.pivot(index="time", columns="analyte", values="censored").reindex(index=todo.index)
    band = todo[BAND_PCT].fillna(0.0)
    keep, direction, texts = [], [], []
    for when, wbc, neut, band_value, has_band in zip(
        todo.index, todo[WBC], todo[NEUT_PCT], band, todo[BAND_PCT].notna(), strict=True
    ):
        marks = {
            c for c in (cens.at[when, code] if code in cens else None for code in _INPUTS) if isinstance(c, str) and c
        }
        keep.append(len(marks) <= 1)
        direction.append(marks.pop() if marks else None)
        texts.append(f"derived: WBC {wbc:g} x ({neut:g}%" + (f" + {band_value:g}%)" if has_band else ")"))
    return np.array(keep, dtype=bool), direction, texts


def _message(n: int, had_anc: bool) -> str:
    draws = f"{n} draw{'s' if n != 1 else ''}"
    if had_anc:
        return f"ANC was missing for {draws}; it was derived from WBC and the differential for those"
    return f"ANC was not in the file; it was derived from WBC and the differential for {draws}"
