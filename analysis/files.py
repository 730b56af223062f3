"""Writing the files Nadir makes (figures, tables, legend text, projects): whole, and never over an input.

Three promises live here, for every writer:

* **Never over an input.** Every file Nadir reads is noted (``note_input``) by its identity on
  disk (device and inode) and by its real path. An output that is the same file, through any
  name, hard link, symbolic link or, on Windows and macOS, a different case of the same name,
  is refused before anything is written. Projects may be saved over themselves, never over a
  source; figures and tables over neither.
* **Whole or not at all.** Data goes to a temporary file in the same folder (``.nadir.*.tmp``),
  is flushed to disk and moved over the target in one step; on any failure the temporary file
  is removed and the previous file is untouched. A symbolic link as the output is written
  *through*: its target is replaced, the link stays a link.
* **Faults are messages.** A full disk, a read-only folder, a denied permission, a name longer
  than the system allows, a device or a folder as the output: one ``InputError`` that says so.

Temporary files left by a process that was killed mid-write are removed by
``remove_stale_temporaries`` the next time Nadir starts or writes in that folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from analysis.errors import InputError

TEMP_PREFIX = ".nadir."
TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 600  # older than any save in progress in another Nadir window
MAX_NAME_BYTES = 255  # one path component on every system Nadir runs on
CASE_INSENSITIVE = sys.platform in ("win32", "darwin")  # the default file systems there
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

_lock = threading.Lock()
_inputs: dict[tuple[int, int], tuple[str, str]] = {}  # (st_dev, st_ino) -> (kind, name)
_input_paths: dict[str, tuple[str, str]] = {}  # normalised real path -> (kind, name)


def _key(path: Path) -> str:
    real = os.path.realpath(path)
    return os.path.normcase(real).casefold() if CASE_INSENSITIVE else real


def note_input(path: str | Path, kind: str = "source") -> None:
    """Remember that ``path`` was read: ``source`` (a lab export, infusion record, events table)
    or ``project``. Outputs are checked against everything noted in this process. Only regular
    files are noted."""
    path = Path(path)
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # missing, unreadable, or a name no file can have
        return
    if not stat.S_ISREG(st.st_mode):
        # A folder, device or pipe offered as an input is refused by the reader, and no output is
        # ever written over one (check_output says what it is); noting it would make that message
        # "one of the files this review was read from" for the rest of the process.
        return
    entry = (kind, path.name)
    with _lock:
        if kind == "source" or (st.st_dev, st.st_ino) not in _inputs:
            _inputs[(st.st_dev, st.st_ino)] = entry
        if kind == "source" or _key(path) not in _input_paths:
            _input_paths[_key(path)] = entry


def input_matching(path: str | Path, kinds: Iterable[str] = ("source", "project"),
                   also: Iterable[str | Path | None] = ()) -> str | None:
    """The name under which ``path`` was read, if it is (the same file as) an input of a kind in
    ``kinds`` or one of ``also``; None otherwise."""
    path = Path(path)
    kinds = set(kinds)
    for other in also:
        if other is not None and _same_file(path, Path(other)):
            return Path(other).name
    try:
        st = os.stat(path)
    except OSError:
        st = None
    with _lock:
        if st is not None:
            found = _inputs.get((st.st_dev, st.st_ino))
            if found and found[0] in kinds:
                return found[1]
        found = _input_paths.get(_key(path))
        return found[1] if found and found[0] in kinds else None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # missing, or a name no file can have (a NUL in it)
        try:
            return _key(a) == _key(b)
        except ValueError:
            return False


def check_output(path: str | Path, what: str = "file", *, protect: Iterable[str] = ("source", "project"),
                 inputs: Iterable[str | Path | None] = ()) -> Path:
    """Refuse an output Nadir must not write; return the file to write (a link's target)."""
    path = Path(path)
    name = path.name
    if len(os.fsencode(name)) > MAX_NAME_BYTES:
        raise InputError(
            f"the name of the {what} is {len(name)} characters long; a file name can have at most "
            f"{MAX_NAME_BYTES}", None, "Choose a shorter name.")
    if os.name == "nt" and path.stem.upper().split(".")[0] in WINDOWS_DEVICES:
        raise InputError(f"{name} is the name of a Windows device, not a file", None, "Choose another name.")
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    clash = input_matching(target, protect, inputs)
    if clash is not None:
        raise InputError(
            f"is one of the files this review was read from ({clash}); Nadir never writes over its inputs",
            path, f"Save the {what} under another name.")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _fault(exc, path, what, existed=False) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device or a pipe"
        raise InputError(f"is {kind}, not a file; the {what} was not written", path, "Choose a file name.")
    if not target.parent.is_dir():
        raise InputError(f"the folder to save the {what} in does not exist", path, "Choose another folder.")
    return target


def atomic_write_bytes(path: str | Path, data: bytes, what: str = "file", *,
                       protect: Iterable[str] = ("source", "project"),
                       inputs: Iterable[str | Path | None] = (), fsync: bool = True) -> Path:
    """Write ``data`` as ``path`` in one step, after ``check_output``; return the file written."""
    path = Path(path)
    target = check_output(path, what, protect=protect, inputs=inputs)
    existed = target.exists()
    remove_stale_temporaries(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name[:32]}.", suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise _fault(exc, path, what, existed) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.chmod(tmp, _mode(target, existed))
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _fault(exc, path, what, existed) from None
        raise
    return target


def _mode(target: Path, existed: bool) -> int:
    """Keep a replaced file's permissions; a new one gets what any new file would (mkstemp: 0600)."""
    if existed:
        try:
            return stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _fault(exc: OSError, path: Path, what: str, existed: bool) -> InputError:
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        why = "the disk is full"
        hint = "Free some space or choose another disk."
    elif code == errno.EROFS:
        why = "the disk or folder is read-only"
        hint = "Choose another folder."
    elif code in (errno.EACCES, errno.EPERM):
        why = "permission denied (the folder or file is protected, or open in another program)"
        hint = "Close it in other programs, or choose another folder."
    elif code == errno.ENAMETOOLONG:
        why = "the name or the folder path is too long"
        hint = "Choose a shorter name or a folder nearer the top of the disk."
    elif code == errno.EISDIR:
        why = "a folder has that name"
        hint = "Choose another name."
    else:
        why = exc.strerror or str(exc) or type(exc).__name__
        hint = "Choose another folder, or check the disk."
    kept = f"; the previous {what} is unchanged" if existed else ""
    return InputError(f"the {what} could not be saved: {why}{kept}", path, hint)


def _is_temporary(name: str) -> bool:
    """Ours: ``.nadir.<name>.<random>.tmp``, and ``.<name>.nadir.<random>.tmp`` from versions
    that named a project's temporary file after the project."""
    return name.endswith(TEMP_SUFFIX) and (name.startswith(TEMP_PREFIX) or
                                           (name.startswith(".") and ".nadir." in name))


def remove_stale_temporaries(folder: str | Path, older_than: float = STALE_SECONDS) -> int:
    """Delete ``.nadir.*.tmp`` files left in ``folder`` by a process killed while writing;
    return how many. Recent ones may belong to a save in progress and are kept."""
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not _is_temporary(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > older_than:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
