"""The ANC draws as the figure needs them: a time-ordered table with roles and tooltips, and
days since an origin."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from analysis.memo import LastResult
from analysis.model import Cycle, Draw
from analysis.numbers import ONE_DECIMAL, LabNumbers

DAY = 86400.0


def _draw_table(anc: pd.DataFrame, roles: pd.Series, numbers: LabNumbers = ONE_DECIMAL) -> pd.DataFrame:
    """Time, value, censoring, role and a tooltip per ANC draw, in time order."""
    if anc is None or len(anc) == 0:
        return pd.DataFrame({"time": pd.Series([], dtype="datetime64[ns]"), "value": [],
                             "censored": [], "role": [], "key": [], "tip": []})
    # An event that changes roles (an infection) leaves the times, values and tooltips as they
    # were: a ten-year record's tooltips cost most of a tenth of a second to write again.
    base = _BASE.get((anc, numbers), lambda: _base_table(anc, numbers))
    table = base.copy(deep=False)  # a new frame sharing the columns; the role column is its own
    table.insert(3, "role", roles.reindex(base["key"].to_numpy()).fillna("other").to_numpy(dtype=object))
    return table


_BASE = LastResult()  # the last draw table without roles, for the same ANC table and lab numbers


def _base_table(anc: pd.DataFrame, numbers: LabNumbers) -> pd.DataFrame:
    """Time, value, censoring, key and tooltip per ANC draw with a value and a time, in time order."""
    times = pd.to_datetime(anc["time"])
    values = pd.to_numeric(anc["value"], errors="coerce").astype(float)
    cens = anc["censored"] if "censored" in anc.columns else pd.Series(None, index=anc.index)
    cens = cens.map(lambda c: c if isinstance(c, str) and c in ("<", ">") else "")
    files = anc["file"] if "file" in anc.columns else pd.Series("", index=anc.index)
    rows = anc["row"] if "row" in anc.columns else pd.Series(None, index=anc.index)
    # Plain lists and one format per distinct value: a 10-year record has 50,000 draws, and
    # iterating pandas columns element by element cost a fifth of a second.
    value_list = values.tolist()
    texts = {v: numbers.value(v) for v in set(value_list)}
    tips = [
        f"{t}  ANC {c}{texts[v]}" + (f" - {f}, row {r}" if f else "")
        for t, v, c, f, r in zip(_minutes(times), value_list, cens.tolist(), files.tolist(), rows.tolist())
    ]
    table = pd.DataFrame(
        {
            "time": times.to_numpy(),
            "value": values.to_numpy(),
            "censored": cens.to_numpy(dtype=object),
            "key": list(anc.index),
            "tip": tips,
        }
    )
    table = table[table["value"].notna() & table["time"].notna()]
    return table.sort_values("time", kind="stable").reset_index(drop=True)


def _days(times, origin: datetime) -> np.ndarray:
    """Fractional days since ``origin`` (so a pre-infusion draw at 08:30 sits just before an
    09:30 infusion at day 0)."""
    t = pd.to_datetime(pd.Series(times)).to_numpy(dtype="datetime64[ns]")
    return (t - np.datetime64(origin, "ns")) / np.timedelta64(1, "s") / DAY


def _day(t: datetime, origin: datetime) -> float:
    return (t - origin).total_seconds() / DAY


def _minutes(times: pd.Series) -> list[str]:
    """Each time as "YYYY-MM-DD HH:MM" (numpy formats naive times at once; strftime per draw
    was most of the cost of a long record's tooltips)."""
    if isinstance(times.dtype, np.dtype) and times.dtype.kind == "M" and times.notna().any() \
            and times.min().year >= 1000 and times.max().year <= 9999:
        iso = np.datetime_as_string(times.to_numpy(dtype="datetime64[m]"), unit="m").tolist()
        return [f"{t[:10]} {t[11:]}" for t in iso]  # NaT rows are dropped by the caller
    return [f"{t:%Y-%m-%d %H:%M}" for t in times.dt.to_pydatetime()]


def _role_lookup(data: pd.DataFrame) -> RoleLookup:
    return _ROLE_LOOKUP.get((data,), lambda: RoleLookup(data))


_ROLE_LOOKUP = LastResult()  # one lookup per draw table (spec.py hands on an unchanged one)
_POSITIONS = LastResult()  # (time, value) -> row, for draw tables of the same draws in the same order


class RoleLookup:
    """``get((time, value), default)``: (role, key, tooltip, censoring) of the draw at that time
    with that value. Where to find a draw is kept for the next table of the same draws: an
    event that changes roles changes only the role column."""

    def __init__(self, data: pd.DataFrame):
        times = data["time"]
        if isinstance(times.dtype, np.dtype) and times.dtype.kind == "M":
            # The draws themselves, compared by content (not by the table, which is new).
            key: tuple = (times.to_numpy().tobytes(), data["value"].to_numpy(dtype=float).tobytes())
        else:
            key = (data,)
        self._rows = _POSITIONS.get(key, lambda: _positions(data))
        self._columns = [data[c].to_numpy(dtype=object) for c in ("role", "key", "tip", "censored")]

    def get(self, draw: tuple, default=None):
        i = self._rows.get(draw)
        return default if i is None else tuple(column[i] for column in self._columns)


def _positions(data: pd.DataFrame) -> dict:
    times = data["time"]
    if isinstance(times.dtype, np.dtype) and times.dtype.kind == "M":  # naive datetime64: numpy makes the datetimes (as to_pydatetime)
        times = times.to_numpy(dtype="datetime64[us]").tolist()
    else:
        times = [pd.Timestamp(t).to_pydatetime() for t in times]
    return {(t, float(v)): i for i, (t, v) in enumerate(zip(times, data["value"].tolist(), strict=True))}


def _draw_frame(draws: list[Draw], x: list[float], lookup: RoleLookup) -> tuple[pd.DataFrame, np.ndarray]:
    rows = []
    for d in draws:
        role, key, tip, cens = lookup.get((d.time, float(d.value)), ("other", None, "", ""))
        rows.append({"time": d.time, "value": float(d.value), "role": role, "key": key,
                     "tip": tip, "censored": cens or (d.censored or "")})
    frame = pd.DataFrame(rows, columns=["time", "value", "role", "key", "tip", "censored"])
    return frame, np.asarray(x, dtype=float)


def _cycle_draws(cycle: Cycle) -> list[Draw]:
    draws = list(cycle.draws)
    if cycle.pre is not None and all(d.time != cycle.pre.time for d in draws):
        draws.insert(0, cycle.pre)
    return sorted(draws, key=lambda d: d.time)


def _as_datetime(d) -> datetime:
    if isinstance(d, datetime):
        return d
    if isinstance(d, date):
        return datetime(d.year, d.month, d.day)
    return pd.Timestamp(d).to_pydatetime()


def _interval_days(cycles: list[Cycle]) -> int | None:
    if len(cycles) < 2:
        return None
    gaps = [(b.start - a.start).total_seconds() / DAY for a, b in zip(cycles, cycles[1:])]
    return int(round(float(np.median(gaps))))
