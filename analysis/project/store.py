"""The ``.nadir`` project file: everything needed to reopen a review exactly as it was left.

A project holds no copy of the lab data, only where the source files are, their SHA-256, and
the settings each file was read with (:class:`~analysis.case.ImportSettings`, the automatic
decisions included), so that reopening reads each file once, the same way, and can say plainly
when a file has changed since. What the user added by hand is stored in full: infusions (as
corrected), events, excluded values with their reasons, the analysis window, the cycle rules
and the figure settings.

The file is versioned JSON (``"format": "nadir-project"``, ``"version"``). Reading parses it
with pydantic's JSON parser, brings an older version up to date (:mod:`.migrate`) and checks it
against the schema (:mod:`.schema`) before any of it reaches the rules or the figure; every
problem is one :class:`~analysis.errors.InputError` naming the project. Keys the schema does
not know (a later version's) are ignored. Saving is atomic (:func:`atomic_write_text`); the
same writer makes the autosave recovery file (:mod:`.recovery`). Source files are only read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from analysis.errors import InputError
from analysis.files import atomic_write_bytes, note_input
from analysis.importing.limits import MAX_FILE_BYTES
from analysis.model import Administration, Event, Source
from analysis.project.limits import FORMAT, VERSION
from analysis.project.migrate import migrate
from analysis.project.recovery import SUFFIX, recovery_is_newer, recovery_path  # noqa: F401 (re-exported)

PROJECT_FORMAT = FORMAT
PROJECT_VERSION = VERSION
SOURCE_ROLES = ("labs", "infusions", "events")
MAX_BYTES = 64 << 20  # a project of 100,000 events is ~15 MB; anything larger is not one
DAMAGED_HINT = "Open the recovery copy if Nadir offers one, or start again from the lab export."


@dataclass(frozen=True)
class SourceFile:
    """A file the case was read from, as it was when the project was saved."""

    role: str  # "labs", "infusions" or "events"
    path: Path
    sha256: str
    relative: str | None = None  # from the project's folder, when the project was saved


@dataclass(frozen=True)
class OpenedProject:
    """A project read back: the case rebuilt from its sources plus what the user had added."""

    case: object  # analysis.case.Case
    settings: object  # analysis.figure.FigureSettings
    sources: dict[str, Path]
    import_settings: object  # analysis.case.ImportSettings, as saved
    warnings: tuple[str, ...] = ()
    saved_at: datetime | None = None
    origin: Path | None = None  # for a recovery file: the project it is the unsaved state of


@dataclass(frozen=True)
class ProjectData:
    """The checked contents of a project file, before its sources are read."""

    sources: dict[str, SourceFile]
    import_settings: object = None  # analysis.case.ImportSettings
    window: tuple = (None, None)
    rules: object = None  # analysis.rules.cycles.CycleRules
    administrations: tuple[Administration, ...] | None = None
    events: tuple[Event, ...] = ()
    exclusions: tuple = ()
    figure: dict = field(default_factory=dict)
    saved_at: datetime | None = None
    origin: Path | None = None
    migrated_from: int | None = None  # the version the file was written in, when older


# --- hashing and atomic writing -----------------------------------------------------------


def sha256_file(path: Path) -> str:
    """SHA-256 of a source file's bytes, read in chunks; a file too large to be an export is
    refused by its size first (hashing 20 GB would take a minute for nothing)."""
    path = Path(path)
    note_input(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"could not be read ({exc.strerror or exc})", path) from None
    if size > MAX_FILE_BYTES:
        raise InputError(f"is too large to be a lab export ({size // (1024 * 1024):,} MB)", path,
                         "Export only the patient's blood counts.")
    stamp = os.stat(path)
    key = (str(path.resolve()), stamp.st_size, stamp.st_mtime_ns, stamp.st_ino)
    if key in _HASHES:  # the recovery journal saves after every edit; the sources rarely change
        return _HASHES[key]
    digest = hashlib.sha256()
    read = 0
    try:
        with open(path, "rb") as fh:
            # Bounded by the size limit too: a file of the system's (/proc) says 0 bytes and may
            # never end; one that fails half way (EIO) is one message, not a traceback.
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                read += len(chunk)
                if read > MAX_FILE_BYTES:
                    raise InputError("is too large to be a lab export, or never ends", path,
                                     "Export only the patient's blood counts.")
                digest.update(chunk)
    except OSError as exc:
        raise InputError(f"could not be read ({exc.strerror or exc})", path) from None
    _HASHES[key] = digest.hexdigest()
    return _HASHES[key]


_HASHES: dict[tuple, str] = {}


def atomic_write_text(path: Path, text: str, what: str = "project") -> None:
    """Write ``text`` so that readers see the old file or the new one, never a mix, and never
    over a source file (analysis.files); a project may replace itself."""
    path = Path(path)
    with contextlib.suppress(OSError):  # the writer says what is wrong with the folder
        path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"), what, protect=("source",))


# --- writing -------------------------------------------------------------------------------------


def _jsonable(value):
    """Dataclasses, dates, paths and tuples as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().isoformat()
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


def _relative(path: Path, folder: Path | None) -> str | None:
    if folder is None:
        return None
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return None


def project_json(case, settings=None, *, sources: dict, origin: Path | None = None,
                 folder: Path | None = None) -> dict:
    """The project file's content for ``case`` read from ``sources`` (role -> path); source
    paths are also kept relative to ``folder``, the project's folder."""
    saved_sources = {}
    for role, path in sources.items():
        if path is None:
            continue
        path = Path(path).resolve()
        saved_sources[role] = {"path": str(path), "name": path.name, "sha256": sha256_file(path),
                               "relative": _relative(path, folder)}
    imports = case.import_settings
    # A file the case was not read from has no settings to replay (typed-in infusions).
    imports = dataclasses.replace(imports, infusions=imports.infusions if "infusions" in saved_sources else None,
                                  events=imports.events if "events" in saved_sources else None)
    return {
        "format": PROJECT_FORMAT,
        "version": PROJECT_VERSION,
        "saved": datetime.now().replace(microsecond=0).isoformat(),
        "sources": saved_sources,
        "import": _jsonable(imports),
        "window": _jsonable(list(case.window)),
        "rules": _jsonable(case.rules),
        "administrations": _jsonable(tuple(case.administrations)),
        "events": _jsonable(tuple(case.events)),
        "exclusions": _jsonable(tuple(case.exclusions)),
        "figure": _jsonable(settings) if settings is not None else {},
        "origin": str(origin) if origin is not None else None,
    }


def save_project(path: Path, case, settings=None, *, sources: dict, origin: Path | None = None) -> None:
    """Write the project atomically; the source files are hashed, never written.

    The content is checked against the schema first, so Nadir never writes a project it would
    refuse to open. ``origin`` is set only in recovery files: the project whose unsaved state
    they hold.
    """
    path = Path(path)
    data = project_json(case, settings, sources=sources, origin=origin, folder=path.resolve().parent)
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    from analysis.project import schema  # pydantic: only when a project is written or read

    schema.validate(json.loads(text), path)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise InputError(
            f"Could not save the project {path.name}: {exc.strerror or exc}.",
            path,
            "Choose another folder, or check that the disk is not full or read-only.",
        ) from exc


# --- reading -------------------------------------------------------------------------------------


def _parsed(path: Path):
    """The JSON of a project file, or InputError: missing, a folder, too big, not JSON."""
    from pydantic_core import from_json

    note_input(path, "project")
    try:
        if path.is_dir():
            raise InputError(f"{path.name} is a folder, not a Nadir project file.", path,
                             "Open the .nadir file inside it.")
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path.name} is too large to be a Nadir project file.", path, DAMAGED_HINT)
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"The project {path.name} does not exist.", path, "Check the file name and folder.") from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"Could not read the project {path.name}: {getattr(exc, 'strerror', None) or exc}.",
                         path, "Check that the file is where it was and can be read.") from exc
    try:
        return from_json(raw)  # pydantic's parser: no recursion error on deep nesting
    except ValueError as exc:
        raise InputError(f"{path.name} is not a Nadir project file or is damaged ({exc}).", path,
                         DAMAGED_HINT) from None


def _checked(data, path: Path):
    """(the checked ProjectModel, the version the file was written in)."""
    from analysis.project import schema

    if not isinstance(data, dict) or data.get("format") != PROJECT_FORMAT:
        raise InputError(f"{path.name} is not a Nadir project file.", path, "Open a .nadir file saved by Nadir.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(f"{path.name} is damaged: its version must be a whole number from 1, "
                         f"not {schema._shown(version)}.", path, DAMAGED_HINT)
    if version > PROJECT_VERSION:
        shown = str(version) if version < 10**6 else "unknown"
        raise InputError(f"{path.name} was saved by a newer version of Nadir (project version {shown}).",
                         path, "Update Nadir to open it.")
    return schema.validate(migrate(data, version, PROJECT_VERSION), path), version


def _domain(model, version: int) -> ProjectData:
    """The checked model as Nadir's own records."""
    from analysis.case import Exclusion, ImportSettings
    from analysis.importing.settings import LabImportSettings
    from analysis.rules.cycles import CycleRules
    from analysis.treatment.settings import EventImportSettings, InfusionImportSettings

    imp = model.import_
    imports = ImportSettings(
        labs=LabImportSettings(**imp.labs.model_dump()),
        infusions=InfusionImportSettings(**imp.infusions.model_dump()) if imp.infusions else None,
        events=EventImportSettings(**imp.events.model_dump()) if imp.events else None,
    )
    admins = None
    if model.administrations is not None:
        admins = tuple(
            Administration(a.time, a.product, a.dose, a.dose_unit, a.medication, a.weight_kg,
                           Source(**a.source.model_dump()) if a.source else None)
            for a in model.administrations)
    return ProjectData(
        sources={role: SourceFile(role, Path(s.path), s.sha256, s.relative) for role, s in model.sources.items()},
        import_settings=imports,
        window=tuple(model.window),
        rules=CycleRules(**model.rules.model_dump()),
        administrations=admins,
        events=tuple(Event(e.kind, e.label, e.start, e.end) for e in model.events),
        exclusions=tuple(Exclusion(x.file, x.row, x.column, x.reason) for x in model.exclusions),
        figure=model.figure.model_dump(exclude_unset=True),
        saved_at=model.saved,
        origin=Path(model.origin) if model.origin else None,
        migrated_from=version if version < PROJECT_VERSION else None,
    )


def read_project(path: Path) -> ProjectData:
    """Parse and check a project file without touching its sources."""
    path = Path(path)
    return _domain(*_checked(_parsed(path), path))


def _locate(source: SourceFile, project_path: Path) -> tuple[Path, bool]:
    """The source file where it was, else where it was relative to the project (a folder moved
    or shared whole), else next to the project; and whether it was found only by its name."""
    candidates = [(source.path, False)]
    if source.relative:
        candidates.append((project_path.parent / source.relative, False))
    candidates.append((project_path.parent / source.path.name, True))
    for candidate, by_name in candidates:
        try:
            if candidate.is_file():
                return candidate, by_name
        except (OSError, ValueError):  # a name the system cannot look up
            continue
    raise InputError(
        f"the {source.role} file {source.path.name} cannot be found (it was at {source.path}).",
        project_path,
        "Put the file back, or copy it into the project's folder, and open the project again.",
    )


def figure_settings(data: dict):
    """FigureSettings from saved values (defaults for missing ones)."""
    from analysis.figure.spec import FigureSettings

    return FigureSettings.from_dict(data) if data else FigureSettings()


def _changed(role: str, found: Path, data: ProjectData) -> str:
    when = f" on {data.saved_at:%d %b %Y %H:%M}" if data.saved_at else ""
    return f"The {role} file {found.name} has changed since the project was saved{when}."


def _not_replayed(exc: InputError, path: Path, migrated_from: int | None) -> InputError:
    """A source that cannot be read with the project's import choices, said as a problem of the
    project (the file may have been re-exported, or the project edited)."""
    what = f"{exc.path.name} " if exc.path is not None else "a source file "
    if migrated_from is not None:
        return InputError(
            f"was saved by an earlier version of Nadir that did not keep every import choice, and "
            f"{what}cannot be read the same way without them: {exc.message}", path,
            "Open the lab export again (File > Open lab export), make the same choices in the import "
            "assistant and save the project again.")
    return InputError(f"{what}cannot be read with the import choices saved in the project: {exc.message}",
                      path, exc.hint or "Open the file again (File > Open lab export) and save a new project.")


def open_project(path: Path) -> OpenedProject:
    """Read a project and rebuild its case from the source files, each read once with its
    saved settings.

    Changed sources open anyway (the physician may have re-exported on purpose) but each gives a
    warning naming the file, for the GUI to show before anything else.
    """
    path = Path(path)
    data = read_project(path)
    found: dict[str, Path] = {}
    warnings: list[str] = []
    for role, source in data.sources.items():
        found[role], by_name = _locate(source, path)
        if source.sha256 and sha256_file(found[role]) != source.sha256:
            warnings.append(_changed(role, found[role], data))
        elif by_name:
            warnings.append(f"The {role} file was found next to the project, not at {source.path}.")
    from analysis.case import load_case  # after the checks: a damaged project is refused without pandas

    try:
        case = load_case(found["labs"], found.get("infusions"), found.get("events"), window=data.window,
                         rules=data.rules, settings=data.import_settings)
    except InputError as exc:
        raise _not_replayed(exc, path, data.migrated_from) from exc
    changes = {"events": data.events, "exclusions": data.exclusions}
    if data.administrations is not None:
        changes["administrations"] = data.administrations
    case = dataclasses.replace(case, **changes)
    return OpenedProject(case, figure_settings(data.figure), found, data.import_settings, tuple(warnings),
                         data.saved_at, data.origin)
