"""Remember the last result of a costly step, for inputs that did not change.

After an edit the roles and the spec are worked out again from a new Case, but most of their
inputs are the very same objects (Case.evolve hands on the ANC table when the edit leaves it
alone). A ten-year record's
tooltips, marker groups and role lookup cost a few hundred milliseconds to rebuild; comparing
their inputs costs a fraction of one. Inputs are compared by identity for tables (kept alive
here, so an identity is never reused) and by value for everything else.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import pandas as pd


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (pd.DataFrame, pd.Series)) or isinstance(b, (pd.DataFrame, pd.Series)):
        return a is b
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and other values without one truth value
        return a is b


_ALL: weakref.WeakSet = weakref.WeakSet()  # every memo, for forget_all


def forget_all() -> None:
    """Every memo of this module forgets its results: the next call computes as a fresh process
    would (the render benchmark's first export of a process; tests of a cold start)."""
    for memo in list(_ALL):
        memo.forget()


class LastResult:
    """``get(key, compute)``: the result for ``key`` when it equals the last key, else
    ``compute()`` (remembered for next time). ``key`` is a tuple of inputs."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._value: Any = None
        _ALL.add(self)

    def forget(self) -> None:
        self._key, self._value = None, None

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        last = self._key
        if last is not None and len(last) == len(key) and all(_same(a, b) for a, b in zip(key, last, strict=True)):
            return self._value
        value = compute()
        self._key, self._value = key, value
        return value


class PerObject:
    """``get(obj, compute)``: the result remembered for this very object (by identity; the object
    is kept alive here, so its identity is never reused), else ``compute(obj)``. For results
    of objects an edit hands on unchanged, as a case's courses: a long record's ~170 course
    labels are worked out once, not at every edit. At most ``size`` objects are remembered."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._results: dict[int, tuple[Any, Any]] = {}
        _ALL.add(self)

    def forget(self) -> None:
        self._results.clear()

    def get(self, obj: Any, compute: Callable[[Any], Any]) -> Any:
        found = self._results.get(id(obj))
        if found is not None and found[0] is obj:
            return found[1]
        if len(self._results) >= self._size:
            self._results.clear()  # a new record: the old objects are gone
        value = compute(obj)
        self._results[id(obj)] = (obj, value)
        return value
