"""Older project files brought up to the current format, as plain JSON, before validation.

Format 1 (Nadir 0.1) kept one flat dict of import options (patient, date order, sheet, product,
and, when written through the API, the lab overrides mapping, layout and header row) and
absolute source paths. Format 2 keeps one settings record per file (``import.labs``,
``import.infusions``, ``import.events``) and a path relative to the project beside the
absolute one. A migration only moves keys; the schema then checks the result, so a damaged
old file is reported like a damaged new one.
"""

from __future__ import annotations

_LAB_KEYS = ("sheet", "header_row", "layout", "mapping", "date_order", "patient")
_INFUSION_KEYS = ("product", "patient", "date_order")


def from_version_1(data: dict) -> dict:
    """A format-1 project as format 2 (``data`` is not changed)."""
    out = {**data, "version": 2}
    options = data.get("import")
    sources = data.get("sources")
    if isinstance(options, dict):
        pick = lambda keys: {k: options[k] for k in keys if options.get(k) is not None}  # noqa: E731
        has = sources if isinstance(sources, dict) else {}
        out["import"] = {
            "labs": pick(_LAB_KEYS),
            "infusions": pick(_INFUSION_KEYS) if "infusions" in has else None,
            "events": pick(("date_order",)) if "events" in has else None,
        }
    if isinstance(sources, dict):
        # Format 1 stored the path only; a relative one (as in the test fixtures) is read from
        # the project's folder, which is what format 2's "relative" means.
        out["sources"] = {
            role: ({**s, "relative": s["path"]} if isinstance(s, dict) and isinstance(s.get("path"), str)
                   and not _absolute(s["path"]) else s)
            for role, s in sources.items()
        }
    return out


def _absolute(text: str) -> bool:
    from pathlib import PurePosixPath, PureWindowsPath

    return PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute()


MIGRATIONS = {1: from_version_1}


def migrate(data: dict, version: int, current: int) -> dict:
    """``data`` of project ``version`` as the ``current`` format."""
    while version < current:
        data = MIGRATIONS[version](data)
        version += 1
    return data
