"""Parse a workbook in a child process that may crash, run out of memory or hang without harm.

python-calamine is Rust: a damaged file can make it panic (``PanicException`` derives from
``BaseException``, not ``Exception``) or request an allocation so large that the allocator
aborts the whole process, which in the window would take the user's unsaved work with it. So,
as a browser treats untrusted content, the parse runs in a separate process:

* started with ``multiprocessing``'s *spawn* method, the same on Linux, Windows and macOS (no
  fork of a process that holds Qt), importing nothing but python-calamine, and kept for the
  next file (a fresh one after any failure, and a retry in a fresh one when a reused one fails);
* its address space capped (``RLIMIT_AS``) where the system enforces that (Linux, the BSDs);
  everywhere the parent kills it when its resident size passes the same cap
  (``memory_watch.py``: macOS and Windows have no working rlimit) or after ``PARSE_SECONDS``,
  and refuses a result larger than ``PARSE_RESULT_BYTES``;
* every sheet read in the child and sent back as plain cells, unpickled with a loader that
  builds nothing but lists, text, numbers and dates, so even a subverted child cannot hand the
  application an object of its choosing.

Whatever happens in the child comes back as ``(kind, text)`` of the error or as the exit code of
a dead process; ``workbook`` turns both into one ``InputError`` naming the file.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import io
import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable
from itertools import compress, repeat
from operator import not_, setitem
from typing import Any

from analysis.importing.limits import (
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    PARSE_CPU_SECONDS,
    PARSE_MEMORY_BYTES,
    PARSE_RESULT_BYTES,
    PARSE_SECONDS,
)
from analysis.importing.memory_watch import INTERVAL, MemoryWatch


class Parsed:
    """What the child read: sheet names, hidden sheets, each sheet's cells or its error.

    A plain class, not a dataclass: the child imports this module, and ``dataclasses`` (with
    ``inspect``) would add a fifth to its start-up."""

    def __init__(self, sheets=None, hidden=None, rows=None, sheet_errors=None, error=None):
        self.sheets: list[str] = sheets or []
        self.hidden: set[str] = hidden or set()
        self.rows: dict[str, list[list]] = rows or {}
        self.sheet_errors: dict[str, tuple[str, str]] = sheet_errors or {}
        self.error: tuple[str, str] | None = error  # the workbook could not be opened at all


class ReaderError(Exception):
    """The child died, hung or answered too much; ``reason`` says which in a few words."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# --- in the child ------------------------------------------------------------------------------


def _limit(memory: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the watchdog and the result cap apply
        return
    for which, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _, hard = resource.getrlimit(which)
            cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(which, (cap, hard))
        except (ValueError, OSError):  # macOS refuses RLIMIT_AS: the watchdog applies
            pass


def _error(exc: BaseException) -> tuple[str, str]:
    return type(exc).__name__, str(exc)[:500]


# The names python-calamine reads each kind under; it picks the reader by the name's suffix.
_SUFFIXES = {"xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam"), "xlsb": (".xlsb",), "ods": (".ods",),
             "xls": (".xls", ".xla", ".xlt")}


def _open(calamine, path: str, kind: str | None):
    """The workbook, read as ``kind`` (what its first bytes are: the parent checked them). A
    misnamed file (an .xlsx saved as .xls, an .ods as .xlsx, any workbook as .csv) goes
    through a file object, where calamine tells the format from the content, not the name."""
    if kind is None or path.lower().endswith(_SUFFIXES.get(kind, ())):
        return calamine.CalamineWorkbook.from_path(path)
    with open(path, "rb") as fh:
        return calamine.CalamineWorkbook.from_filelike(fh)


GRID_TOO_LARGE = "GridTooLarge"  # a sheet error: the grid calamine built passes a limit ("rows columns")


def parse(path: str, kind: str | None = None, max_cells: int | None = None) -> Parsed:
    """Open ``path`` with python-calamine and read every worksheet, catching everything it raises.

    With ``max_cells``, a sheet whose grid (A1 to its last cell, as calamine built it) passes
    Excel's rows or columns or ``max_cells`` is not made into Python objects: its error is
    (GRID_TOO_LARGE, "rows columns"). calamine has then allocated the grid (within this
    process's memory cap, or it would have died): the objects would take several times more."""
    out = Parsed()
    try:
        import python_calamine as calamine

        book = _open(calamine, path, kind)
        metas = book.sheets_metadata
        out.sheets = [m.name for m in metas if m.typ == calamine.SheetTypeEnum.WorkSheet] or list(book.sheet_names)
        out.hidden = {m.name for m in metas if m.visible != calamine.SheetVisibleEnum.Visible}
    except BaseException as exc:  # noqa: BLE001 - a panic included: it is the file's fault
        out.error = _error(exc)
        return out
    for name in out.sheets:
        try:
            sheet = book.get_sheet_by_name(name)
            if max_cells is not None and (grid := _too_large(sheet.end, max_cells)) is not None:
                out.sheet_errors[name] = (GRID_TOO_LARGE, grid)
                continue
            out.rows[name] = _shared_texts(_shared_blanks(sheet.to_python(skip_empty_area=False)))
        except BaseException as exc:  # noqa: BLE001
            out.sheet_errors[name] = _error(exc)
    with contextlib.suppress(BaseException):
        book.close()
    return out


def _too_large(end: tuple[int, int] | None, max_cells: int) -> str | None:
    """"rows columns" of a grid from A1 to ``end`` (0-based) that passes a limit, else None."""
    if end is None:
        return None
    rows, columns = end[0] + 1, end[1] + 1
    if rows > EXCEL_ROWS or columns > EXCEL_COLUMNS or rows * columns > max_cells:
        return f"{rows} {columns}"
    return None


def _shared_blanks(rows: list[list]) -> list[list]:
    """The rows with every empty row one shared object per width: a stray cell far below the
    results leaves thousands of empty rows, and pickle then sends each once (the long reader
    also knows them by it). Nothing downstream changes a row in place.

    Texts are sent as they are, not made one object each: a pass over every cell in Python
    here cost more than pickle then saved in sending them (``benchmarks/treatment_record.py``)."""
    blank: dict[int, list] = {}
    # any() in C finds the rows with no truthy cell (few); only those are looked at in Python
    for i in compress(range(len(rows)), map(not_, map(any, rows))):
        row = rows[i]
        if row.count("") == len(row):
            rows[i] = blank.setdefault(len(row), row)
    return rows


def _shared_texts(rows: list[list]) -> list[list]:
    """The rows with each distinct text of a column made only of texts one object (a record
    repeats its patient, drug names, actions, units and routes thousands of times): pickle then
    sends each once and the application builds it once. Done column by column in C (``map``),
    not cell by cell in Python, which cost more than it saved (see _shared_blanks); a column
    with any other kind of cell is left as it is, so no number or date is ever made another
    (1 == 1.0 == True as keys)."""
    if len(rows) < 2 or len(set(map(len, rows))) != 1:
        return rows
    for i, column in enumerate(zip(*rows, strict=True)):
        try:  # of the cells calamine gives only texts have a length: a quicker test than their types
            sum(map(len, column))
        except TypeError:
            continue
        seen: dict[str, str] = {}
        canonical = list(map(seen.setdefault, column, column))
        if len(seen) < len(canonical):
            any(map(setitem, rows, repeat(i), canonical))  # each row in place: shared rows stay shared
    return rows


def _silence_stderr() -> None:
    """A Rust panic prints a backtrace on stderr; the user gets one plain message instead."""
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
    except OSError:
        pass


def _budget_cpu(seconds: int) -> None:
    """Allow ``seconds`` more processor time from now (the worker lives across many files)."""
    try:
        import resource
    except ImportError:
        return
    try:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = int(usage.ru_utime + usage.ru_stime) + seconds + 1
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
    except (ValueError, OSError):
        pass


def _reset_peak() -> None:
    """Linux: start this parse's peak resident size afresh (the worker outlives many files), so
    the fuzz run sees each file's own peak; elsewhere the peak is the worker's lifetime one."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def _peak_bytes() -> int:
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB on Linux


def _worker_main(conn, memory: int, result_cap: int, cpu_seconds: int = PARSE_CPU_SECONDS) -> None:
    """Parse each path the parent sends until the pipe closes (the parent quit or died)."""
    _silence_stderr()
    _limit(memory, cpu_seconds)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        _budget_cpu(cpu_seconds)
        _reset_peak()
        gc.disable()  # a sheet is thousands of rows and no cycles: no collector walks (see gc_pause)
        try:
            path, kind, max_cells = request
            parsed = parse(path, kind, max_cells)
            data = _dumps((*_plain(parsed), _peak_bytes()))
            del parsed
            if len(data) > result_cap:
                data = pickle.dumps(("too-large", len(data)))
        except MemoryError:
            data = pickle.dumps(("memory", 0))
        finally:
            gc.enable()
        conn.send_bytes(data)
        del data


# How pickle reduces calamine's date types, given directly: without it pickle looks up and calls
# ``__reduce_ex__`` on each (via copyreg), 1.8 of the 6.4 ms that pickling a 5,000-row
# treatment record's cells took (9,400 datetimes). The bytes are the same: ``__reduce__`` is
# what ``__reduce_ex__`` returns for them, apart from the ``fold`` of an ambiguous local time,
# which calamine never sets.
_DATES = (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)
_DATE_REDUCERS: dict[type, Callable[[Any], Any]] = {kind: kind.__reduce__ for kind in _DATES}


def _dumps(message: tuple) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DATE_REDUCERS
    pickler.dump(message)
    return out.getvalue()


def _plain(parsed: Parsed) -> tuple:
    return ("ok", parsed.sheets, sorted(parsed.hidden), parsed.rows, parsed.sheet_errors, parsed.error)


# --- in the parent -----------------------------------------------------------------------------


class _CellsOnly(pickle.Unpickler):
    """Builds lists, dicts, text, numbers and the date types calamine returns; nothing else."""

    ALLOWED = frozenset({("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"),
                         ("datetime", "timedelta")})

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} from the reading process")


class _Worker:
    """One reading process, kept for the next file: starting a Python process costs more than
    reading most lab exports. It is replaced after any failure."""

    def __init__(self, memory: int, result_cap: int):
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, memory, result_cap), daemon=True,
                                name="nadir-workbook-reader")
        with _MAIN_LOCK, _QuietMain():
            self.proc.start()
        child.close()
        self.files = 0
        self.watch = MemoryWatch(self.proc.pid, memory)

    def ask(self, path: str, seconds: float, result_cap: int, kind: str | None = None,
            max_cells: int | None = None) -> bytes:
        self.files += 1
        try:
            self.conn.send((path, kind, max_cells))
        except (OSError, ValueError):
            raise ReaderError(_death(self.proc.exitcode)) from None
        return _receive(self.conn, self.proc, seconds, result_cap, self.watch)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        _reap(self.proc)


_worker: _Worker | None = None
_WORKER_LOCK = threading.Lock()  # one parse at a time per worker: background imports queue here
PEAK_BYTES = [0]  # the largest resident size a reading process reached (the fuzz run reports it)
LAST_PEAK_BYTES = [0]  # the peak of the last parse (on Linux that parse's own, see _reset_peak)


def read_isolated(path: str, *, kind: str | None = None, seconds: float = PARSE_SECONDS,
                  memory: int = PARSE_MEMORY_BYTES, result_cap: int = PARSE_RESULT_BYTES,
                  max_cells: int | None = None, on_failure: Callable[[], None] | None = None) -> Parsed:
    """Parse ``path`` (a workbook of ``kind``: xlsx, xlsb, ods or xls, whatever its name) in the
    reading process; raise ReaderError if it dies, hangs or over-answers. ``max_cells``: see
    ``parse``. ``on_failure`` is called when a reading process fails on the file, before it is
    tried again or the error raised (what it raises ends the reading instead)."""
    global _worker
    default = (memory, result_cap) == (PARSE_MEMORY_BYTES, PARSE_RESULT_BYTES)
    with _WORKER_LOCK:
        for attempt in (1, 2):
            reusable = _worker if default and _worker is not None and _worker.proc.is_alive() else None
            fresh = reusable is None
            worker = reusable if reusable is not None else _Worker(memory, result_cap)
            try:
                data = worker.ask(path, seconds, result_cap, kind, max_cells)
            except ReaderError:
                worker.close()
                if worker is _worker:
                    _worker = None
                if on_failure is not None:
                    on_failure()
                if fresh or attempt == 2:
                    raise
                continue  # a worker that had read other files: try once in a fresh one
            if default:
                _worker = worker
            else:
                worker.close()
            break
    message = _CellsOnly(io.BytesIO(data)).load()
    if message[0] == "too-large":
        raise ReaderError(f"its cells take {message[1] // (1024 * 1024)} MB, more than Nadir reads "
                          f"({result_cap // (1024 * 1024)} MB)")
    if message[0] == "memory":
        if default:
            _drop_worker()
        raise ReaderError(_too_much_memory(memory))
    _, sheets, hidden, rows, sheet_errors, error, peak = message
    PEAK_BYTES[0] = max(PEAK_BYTES[0], peak)
    LAST_PEAK_BYTES[0] = peak
    return Parsed(list(sheets), set(hidden), dict(rows), dict(sheet_errors), error)


def _drop_worker() -> None:
    global _worker
    with _WORKER_LOCK:
        if _worker is not None:
            _worker.close()
            _worker = None


def _receive(receiver, proc, seconds: float, result_cap: int, watch: MemoryWatch | None = None) -> bytes:
    """The child's answer; ReaderError when it dies, hangs past ``seconds`` or grows past the
    watch's memory cap (it is then killed: the parent decides, whatever the system allows)."""
    deadline = time.monotonic() + seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ReaderError(f"reading it took longer than {seconds:g} seconds")
        if watch is not None and watch.over():
            proc.kill()
            proc.join(2)
            raise ReaderError(_too_much_memory(watch.cap))
        if receiver.poll(min(remaining, INTERVAL if watch is not None else 0.5)):
            try:
                return receiver.recv_bytes(maxlength=result_cap + 1024)
            except EOFError:
                break
            except OSError:  # more than maxlength
                raise ReaderError(f"its cells take more than {result_cap // (1024 * 1024)} MB") from None
        if not proc.is_alive() and not receiver.poll(0):
            break
    proc.join(2)
    raise ReaderError(_death(proc.exitcode))


def _too_much_memory(cap: int) -> str:
    return f"reading it needs more than the {cap // (1024 * 1024)} MB of memory Nadir allows"


def _death(code: int | None) -> str:
    if code == -24:  # SIGXCPU: RLIMIT_CPU reached
        return f"reading it took more than {PARSE_CPU_SECONDS} seconds of processor time"
    if code is not None and code < 0 and code in (-6, -9, -11):  # SIGABRT (allocation failed), KILL, SEGV
        return "the spreadsheet reader gave up on it (it asked for more memory than Nadir allows)"
    if code in (134, 3, -1073740791, 0xC0000409):  # abort on Linux/macOS shells and Windows
        return "the spreadsheet reader gave up on it (it asked for more memory than Nadir allows)"
    return f"the spreadsheet reader stopped unexpectedly (exit status {code})"


def _reap(proc) -> None:
    proc.join(1)
    if proc.is_alive():
        proc.kill()
        proc.join(5)
    with contextlib.suppress(ValueError):
        proc.close()


_MAIN_LOCK = threading.Lock()  # background imports may start children at the same time


class _QuietMain:
    """Spawn re-imports the parent's ``__main__`` script in the child; a script that is not a
    module of Nadir (pytest, a benchmark) would slow every parse, so the child is told there is
    none. The child needs only this module and python-calamine."""

    def __enter__(self):
        main = sys.modules.get("__main__")
        self._main, self._file = main, getattr(main, "__file__", None)
        self._spec = getattr(main, "__spec__", None)
        if main is not None and self._file is not None and not getattr(sys, "frozen", False):
            main.__file__ = None
            main.__spec__ = None
        return self

    def __exit__(self, *exc):
        if self._main is not None and self._file is not None and not getattr(sys, "frozen", False):
            self._main.__file__ = self._file
            self._main.__spec__ = self._spec
        return False

