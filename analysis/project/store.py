"""The ``.nadir`` project file: everything needed to reopen a review exactly as it was left.

A project holds no copy of the lab data, only where the source files are and their SHA-256, so
that reopening re-reads them with the saved import choices and can say plainly when a file has
changed since. What the user added by hand is stored in full: infusions (as corrected), events,
excluded values with their reasons, the analysis window, the cycle rules and the figure settings.

The file is versioned JSON (``"format": "nadir-project"``, ``"version"``); later versions add
keys, and a reader ignores keys it does not know. Saving is atomic (write a temporary file in the
same folder, flush, fsync, ``os.replace``) so a crash never leaves half a project behind. The
same writer makes the autosave recovery file. Source files are only ever read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from analysis.errors import InputError
from analysis.model import Administration, Event, Source

PROJECT_FORMAT = "nadir-project"
PROJECT_VERSION = 1
SUFFIX = ".nadir"
SOURCE_ROLES = ("labs", "infusions", "events")
_POSITIONAL = ("labs_path", "infusions_path", "events_path", "window", "rules")
_LAB_ONLY = ("sheet", "mapping", "layout", "header_row")  # lab import choices load_case does not take


@dataclass(frozen=True)
class SourceFile:
    """A file the case was read from, as it was when the project was saved."""

    role: str  # "labs", "infusions" or "events"
    path: Path
    sha256: str


@dataclass(frozen=True)
class OpenedProject:
    """A project read back: the case rebuilt from its sources plus what the user had added."""

    case: object  # analysis.case.Case
    settings: object  # analysis.figure.FigureSettings
    sources: dict[str, Path]
    import_options: dict
    warnings: tuple[str, ...] = ()
    saved_at: datetime | None = None
    origin: Path | None = None  # for a recovery file: the project it is the unsaved state of


@dataclass(frozen=True)
class ProjectData:
    """The parsed contents of a project file, before its sources are read."""

    sources: dict[str, SourceFile]
    import_options: dict = field(default_factory=dict)
    window: tuple = (None, None)
    rules: dict = field(default_factory=dict)
    administrations: tuple[Administration, ...] | None = None
    events: tuple[Event, ...] = ()
    exclusions: tuple = ()
    figure: dict = field(default_factory=dict)
    saved_at: datetime | None = None
    origin: Path | None = None


# --- hashing and atomic writing -----------------------------------------------------------


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (lab exports can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- to and from JSON ------------------------------------------------------------------------


def _iso(value):
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().isoformat()
    return value


def _jsonable(value):
    """Dataclasses, dates, paths and tuples as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (datetime, date)) or hasattr(value, "to_pydatetime"):
        return _iso(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _datetime(text) -> datetime | None:
    return None if text in (None, "") else datetime.fromisoformat(text)


def _date(text) -> date | None:
    if text in (None, ""):
        return None
    return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)


def _source(data) -> Source | None:
    if not data:
        return None
    return Source(data.get("file", ""), data.get("sheet", ""), data.get("row"), data.get("column", ""))


def _administration(data: dict) -> Administration:
    return Administration(
        time=_datetime(data["time"]),
        product=data.get("product", ""),
        dose=data.get("dose"),
        dose_unit=data.get("dose_unit", ""),
        medication=data.get("medication", ""),
        weight_kg=data.get("weight_kg"),
        source=_source(data.get("source")),
    )


def _event(data: dict) -> Event:
    return Event(kind=data["kind"], label=data.get("label", ""), start=_datetime(data["start"]),
                 end=_datetime(data.get("end")))


def _build(cls, data: dict):
    """An instance of dataclass ``cls`` from a JSON dict: unknown keys ignored, lists as tuples,
    dates parsed by the annotation's name, so files from later versions still open."""
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        hint = str(f.type)
        if isinstance(value, str) and "datetime" in hint:
            value = _datetime(value)
        elif isinstance(value, str) and "date" in hint:
            value = _date(value)
        elif isinstance(value, dict) and "Source" in hint:
            value = _source(value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        kwargs[f.name] = value
    return cls(**kwargs)


def _exclusion(data: dict):
    from analysis.case import Exclusion

    return Exclusion(str(data["file"]), int(data["row"]), str(data.get("column", "")), str(data.get("reason", "")))


def project_json(case, settings=None, *, sources: dict, import_options: dict | None = None,
                 origin: Path | None = None) -> dict:
    """The project file's content for ``case`` read from ``sources`` (role -> path)."""
    saved_sources = {}
    for role, path in sources.items():
        if path is None:
            continue
        path = Path(path)
        saved_sources[role] = {"path": str(path.resolve()), "name": path.name, "sha256": sha256_file(path)}
    lo, hi = case.window
    return {
        "format": PROJECT_FORMAT,
        "version": PROJECT_VERSION,
        "saved": datetime.now().replace(microsecond=0).isoformat(),
        "sources": saved_sources,
        "import": _jsonable(import_options or {}),
        "window": [_iso(lo), _iso(hi)],
        "rules": _jsonable(case.rules),
        "administrations": _jsonable(tuple(case.administrations)),
        "events": _jsonable(tuple(case.events)),
        "exclusions": _jsonable(tuple(case.exclusions)),
        "figure": _jsonable(settings) if settings is not None else {},
        "origin": str(origin) if origin is not None else None,
    }


def save_project(path: Path, case, settings=None, *, sources: dict, import_options: dict | None = None,
                 origin: Path | None = None) -> None:
    """Write the project atomically; the source files are hashed, never written.

    ``origin`` is set only in recovery files: the project whose unsaved state they hold.
    """
    path = Path(path)
    data = project_json(case, settings, sources=sources, import_options=import_options, origin=origin)
    try:
        atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(
            f"Could not save the project {path.name}: {exc.strerror or exc}.",
            path,
            "Choose another folder, or check that the disk is not full or read-only.",
        ) from exc


def read_project(path: Path) -> ProjectData:
    """Parse a project file without touching its sources."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"The project {path.name} does not exist.", path, "Check the file name and folder.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{path.name} is not a Nadir project file or is damaged.",
            path,
            "Open the recovery copy if Nadir offers one, or start again from the lab export.",
        ) from exc
    if not isinstance(data, dict) or data.get("format") != PROJECT_FORMAT:
        raise InputError(f"{path.name} is not a Nadir project file.", path, "Open a .nadir file saved by Nadir.")
    version = data.get("version")
    if not isinstance(version, int) or version > PROJECT_VERSION:
        raise InputError(
            f"{path.name} was saved by a newer version of Nadir (project version {version}).",
            path,
            "Update Nadir to open it.",
        )
    try:
        sources = {
            role: SourceFile(role, Path(s["path"]), s.get("sha256", ""))
            for role, s in (data.get("sources") or {}).items()
        }
        window = tuple(_date(v) for v in (data.get("window") or [None, None]))
        admins = data.get("administrations")
        return ProjectData(
            sources=sources,
            import_options=dict(data.get("import") or {}),
            window=(window + (None, None))[:2],
            rules=dict(data.get("rules") or {}),
            administrations=None if admins is None else tuple(_administration(a) for a in admins),
            events=tuple(_event(e) for e in data.get("events") or ()),
            exclusions=tuple(_exclusion(e) for e in data.get("exclusions") or ()),
            figure=dict(data.get("figure") or {}),
            saved_at=_datetime(data.get("saved")),
            origin=Path(data["origin"]) if data.get("origin") else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"{path.name} is damaged: {exc}.", path, "Open the recovery copy if Nadir offers one."
        ) from exc


def _locate(source: SourceFile, project_path: Path) -> Path:
    """The source file where it was, or next to the project (a folder moved or shared)."""
    if source.path.is_file():
        return source.path
    beside = project_path.parent / source.path.name
    if beside.is_file():
        return beside
    raise InputError(
        f"The {source.role} file {source.path.name} of project {project_path.name} cannot be found "
        f"(it was at {source.path}).",
        source.path,
        "Put the file back, or copy it into the project's folder, and open the project again.",
    )


def figure_settings(data: dict):
    """FigureSettings from saved values (unknown keys ignored, defaults for missing ones)."""
    from analysis.figure.spec import FigureSettings

    return FigureSettings.from_dict(data) if data else FigureSettings()


def open_project(path: Path) -> OpenedProject:
    """Read a project and rebuild its case from the source files.

    Changed sources open anyway (the physician may have re-exported on purpose) but each gives a
    warning naming the file, for the GUI to show before anything else.
    """
    from analysis.case import load_case
    from analysis.rules.cycles import CycleRules

    path = Path(path)
    data = read_project(path)
    if "labs" not in data.sources:
        raise InputError(f"{path.name} names no lab export.", path, "Start again from the lab export.")
    found: dict[str, Path] = {}
    warnings: list[str] = []
    for role, source in data.sources.items():
        found[role] = _locate(source, path)
        if source.sha256 and sha256_file(found[role]) != source.sha256:
            warnings.append(
                f"The {role} file {found[role].name} has changed since the project was saved "
                f"on {data.saved_at:%d %b %Y %H:%M}." if data.saved_at else
                f"The {role} file {found[role].name} has changed since the project was saved."
            )
        elif found[role] != source.path:
            warnings.append(f"The {role} file was found next to the project, not at {source.path}.")
    rules = _build(CycleRules, data.rules) if data.rules else CycleRules()
    options = data.import_options
    accepted = inspect.signature(load_case).parameters
    kwargs = {k: v for k, v in options.items() if k in accepted and k not in _POSITIONAL and v is not None}
    case = load_case(found["labs"], found.get("infusions"), found.get("events"), window=data.window,
                     rules=rules, **kwargs)
    lab_choices = {k: v for k, v in options.items() if k in _LAB_ONLY and v is not None}
    if lab_choices:  # the import assistant's overrides (sheet, layout, header row, mapping)
        from analysis.importing.observations import import_labs

        labs_kwargs = {k: v for k, v in options.items() if k in inspect.signature(import_labs).parameters
                       and k != "path" and v is not None}
        case = dataclasses.replace(case, labs=import_labs(found["labs"], **labs_kwargs))
    changes = {"events": data.events, "exclusions": data.exclusions}
    if data.administrations is not None:
        changes["administrations"] = data.administrations
    case = dataclasses.replace(case, **changes)
    return OpenedProject(case, figure_settings(data.figure), found, options, tuple(warnings), data.saved_at,
                         data.origin)


# --- recovery -------------------------------------------------------------------------------


def recovery_path(folder: Path, project_path: Path | None) -> Path:
    """The autosave file of a project (or of an unsaved case) in the recovery ``folder``."""
    if project_path is None:
        return Path(folder) / f"untitled{SUFFIX}"
    key = hashlib.sha256(str(Path(project_path).resolve()).encode()).hexdigest()[:12]
    return Path(folder) / f"{Path(project_path).stem}-{key}{SUFFIX}"


def recovery_is_newer(recovery: Path, project_path: Path | None) -> bool:
    """True when a recovery file exists and holds later work than the saved project."""
    recovery = Path(recovery)
    if not recovery.is_file():
        return False
    if project_path is None or not Path(project_path).is_file():
        return True
    return recovery.stat().st_mtime > Path(project_path).stat().st_mtime
