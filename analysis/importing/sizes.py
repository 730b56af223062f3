"""Checks of everything in a workbook that sizes an allocation, made before calamine sees it.

python-calamine trusts a workbook's own numbers: it builds each sheet as one rectangle from A1
to the last cell, reserves the shared-strings table at the size the file declares, and so a
12 KB file with one cell at XFD1048576, or a table that declares a billion strings, asks for
hundreds of gigabytes and aborts the process. These checks read those numbers first (streaming,
never inflating a whole part at once) and refuse what no real export holds. The child process
in ``sandbox`` is the second line for whatever slips past them.
"""

from __future__ import annotations

import functools
import re
import struct
import zipfile
import zlib
from pathlib import Path

from analysis.errors import InputError
from analysis.importing.cells import column_letter
from analysis.importing.limits import EXCEL_COLUMNS, EXCEL_ROWS, MAX_CELLS

CHUNK = 4 * 1024 * 1024
STEP = 256 * 1024  # inflated at a time by the sheet screen (see _inflated)
COMPRESSED_STEP = 1024 * 1024
TAIL = 1024  # the end of each piece whose rows are taken as its largest before the search
OVERLAP = 64  # longer than any r="XFD1048576" attribute, so no match is lost at a chunk edge
# A sheet part inflating to more is screened by its <dimension> rather than measured before
# parsing (check_xlsx): measuring takes about 2 ms a MB (inflating it, searching the references).
SCREEN_BYTES = 512 * 1024
MIN_SHARED_STRING_BYTES = 4  # "<si/>" is the shortest entry a shared-strings table can hold

_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d{1,12})"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Za-z]{1,8})(\d{1,12})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref="([^"]{1,40})"')
_SST_COUNTS = re.compile(rb'\b(count|uniqueCount)="(\d{1,20})"')
_REF = re.compile(r"([A-Za-z]{1,8})(\d{1,12})$")
HINT = "Open it in Excel, copy the results into a new workbook and save that as .xlsx."


def column_number(letters: str | bytes) -> int:
    """1-based column number of spreadsheet column letters (A -> 1, XFD -> 16384)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def check_grid(path: Path, where: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose last cell lies beyond Excel's grid or makes too large a rectangle."""
    if rows > EXCEL_ROWS or columns > EXCEL_COLUMNS:
        raise InputError(
            f"is damaged: {where} has a cell at row {rows:,}, column {column_letter(min(columns, 10**6) - 1)}, "
            f"beyond the last row ({EXCEL_ROWS:,}) and column (XFD) a spreadsheet can have",
            path,
            HINT,
        )
    if rows * columns > MAX_CELLS:
        raise InputError(
            f"is too large to read: {where} reaches cell {column_letter(columns - 1)}{rows}, "
            f"{rows * columns:,} cells from A1 (Nadir reads up to {MAX_CELLS:,}). "
            "A stray value far from the results does this",
            path,
            "Delete the rows and columns beyond the results in Excel, save, and open it again.",
        )


# --- xlsx, xlsm ----------------------------------------------------------------------------


def check_xlsx(zf: zipfile.ZipFile, path: Path, *, screen: bool = False) -> bool:
    """Refuse a workbook whose shared strings or sheets would make calamine allocate too much.

    With ``screen``, a sheet part of more than SCREEN_BYTES is measured whole only when the
    ``<dimension>`` at its head says it could pass a limit; one that says it fits, or has none
    (openpyxl's write-only mode writes none), is left to the reading process, which checks the
    grid calamine built before any cell becomes a Python object (``sandbox.parse``,
    ``max_cells``), and is measured here only when reading it fails, to word the refusal
    (``workbook``). Returns whether a sheet was left so. Smaller parts, where a stray far cell
    usually is, are measured before parsing (under a millisecond), as is the shared-strings
    table: calamine reserves it at its declared size before anything else."""
    unmeasured = False
    for info in zf.infolist():
        name = info.filename.lower()
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            if screen and info.file_size > SCREEN_BYTES and _screen_sheet_part(zf, info, path):
                unmeasured = True
            else:
                _check_sheet_part(zf, info, path)
        elif name.endswith("sharedstrings.xml"):
            _check_shared_strings(zf, info, path)
    return unmeasured


def _screen_sheet_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bool:
    """True when the part's head gives no sign that it is large (a ``<dimension>`` within the
    limits, or none): it is then not measured now. A dimension beyond Excel's grid is refused,
    one that could pass a limit has the part measured whole (it may be wrong either way: the
    reading process checks the grid itself). Inflates at most HEAD bytes, about 0.1 ms."""
    head = _head(zf, info)
    where = f"one of its sheets ({Path(info.filename).stem})"
    _check_dimension(head, where, path)
    declared = _declared_size(head)
    if declared is None or _fits(*declared):
        return True
    _check_sheet_part(zf, info, path)
    return False


HEAD = 8192  # where a sheet part's <dimension> is looked for


def _head(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The part's first HEAD bytes (fewer if it is shorter), inflated straight from the file."""
    fh = _deflated_data(zf, info)
    if fh is None:
        with zf.open(info) as part:
            return part.read(HEAD)
    with fh:
        # deflate never takes more than a few bytes per block beyond what it holds: HEAD inflated
        # bytes come from at most about as many compressed ones
        data = fh.read(min(info.compress_size, 2 * HEAD + 1024))
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, min(HEAD, info.file_size))


def _declared_size(head: bytes) -> tuple[int, int] | None:
    """(rows, columns) from A1 to the last cell of the ``<dimension>`` in ``head``, or None."""
    match = _DIMENSION.search(head)
    if not match:
        return None
    last = match.group(1).decode("ascii", "replace").split(":")[-1].replace("$", "")
    ref = _REF.match(last)
    return (int(ref.group(2)), column_number(ref.group(1))) if ref else None


def _check_sheet_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """Refuse a sheet part whose references reach beyond Excel's grid or MAX_CELLS from A1.

    One pass over the inflated part: each piece is searched only for a reference beyond the
    largest column seen so far, or beyond the top of the largest row's leading digit (row 1,234
    seen: rows from 2,000), with a pattern built for those numbers, after taking the piece's
    last rows first. A legitimate sheet, whose rows come in order, then gives one search per
    piece and a handful of matches in all; a file whose references jump about gives one match
    per jump, each checked against the limits at once, so a cell past them is refused as soon as
    it is read. The largest row then lies between the largest seen and that top: when the top
    could pass a limit and the largest seen does not, a second pass finds it exactly (sheets
    within a factor of two of a limit only). ``<dimension ref>`` is only checked, never trusted."""
    where = f"one of its sheets ({Path(info.filename).stem})"
    max_row, max_col = _scan(zf, info, where, path, 0, 0, exact=False)
    if not _fits(_leading_digit_top(max_row), max_col):
        max_row, max_col = _scan(zf, info, where, path, max_row, max_col, exact=True)
    check_grid(path, where, max_row, max_col)


def _fits(rows: int, columns: int) -> bool:
    return rows <= EXCEL_ROWS and columns <= EXCEL_COLUMNS and rows * columns <= MAX_CELLS


def _leading_digit_top(row: int) -> int:
    """The largest number with ``row``'s digits and leading digit (1,234 -> 1,999; 0 -> 0)."""
    digits = str(row)
    return int(digits[0] + "9" * (len(digits) - 1))


def _scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, path: Path,
          max_row: int, max_col: int, *, exact: bool) -> tuple[int, int]:
    """The largest row and column referenced in the part (the row up to its leading digit's top
    unless ``exact``), refusing as soon as the references seen pass a limit."""
    first = True
    for data in _chunks(zf, info):
        if first:
            _check_dimension(data[:8192], where, path)
            first = False
        for row, col in _references(data[-TAIL:]):
            max_row, max_col = max(max_row, row), max(max_col, col)
        check_grid(path, where, max_row, max_col)
        pos = 0
        while match := _beyond(max_row if exact else _leading_digit_top(max_row), max_col).search(data, pos):
            pos = match.start() + 1
            ref = _reference_at(data, match.start())
            if ref is None:
                continue
            max_row, max_col = max(max_row, ref[0]), max(max_col, ref[1])
            check_grid(path, where, max_row, max_col)
    return max_row, max_col


def _references(data: bytes):
    """(row, column) of every row and cell reference in ``data`` (column 0 for a row's)."""
    for row in _ROW_REF.findall(data):
        yield int(row), 0
    for letters, row in _CELL_REF.findall(data):
        yield int(row), column_number(letters)


_SPACE = frozenset(b" \t\n\r\f\v")
_ELEMENT = re.compile(rb"<(?:\w+:)?(row|c)\b")
_AT_REF = re.compile(rb'r="([A-Za-z]{0,8})(\d{1,12})"')


def _reference_at(data: bytes, at: int) -> tuple[int, int] | None:
    """The (row, column) of the r="..." attribute starting at ``at`` when it is the reference
    of a row or cell element that starts in ``data`` (what _ROW_REF and _CELL_REF read), else None."""
    if at == 0 or data[at - 1] not in _SPACE:
        return None
    start = data.rfind(b"<", 0, at)
    if start < 0 or data.find(b">", start, at) >= 0:
        return None
    element = _ELEMENT.match(data, start)
    ref = _AT_REF.match(data, at)
    if element is None or ref is None:
        return None
    letters, row = ref.groups()
    if (element.group(1) == b"c") != bool(letters):
        return None
    return int(row), column_number(letters) if letters else 0


@functools.lru_cache(maxsize=256)
def _beyond(max_row: int, max_col: int) -> re.Pattern[bytes]:
    """A pattern finding r="..." with a row number above ``max_row`` or column letters beyond
    ``max_col`` (a candidate: _reference_at says whether it is a reference)."""
    rows = _greater(str(max_row), "0123456789", r"\d")
    letters = column_letter(max_col - 1) if max_col > 0 else ""
    columns = _greater(letters, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "[A-Za-z]")
    # the letters before a row number are taken whole (possessive): no backtracking into them
    return re.compile(f'r="(?:{columns}|[A-Za-z]{{0,8}}+(?:{rows})")'.encode())


def _greater(text: str, alphabet: str, any_one: str) -> str:
    """A regular expression for the strings of ``alphabet`` (letters matched in either case)
    that sort after ``text`` as numbers or column letters do: longer, or as long and greater at
    the first place they differ. A number with leading zeros may match; it is read and compared."""
    def one(ch: str) -> str:
        return f"[{ch}{ch.lower()}]" if ch.isalpha() else ch

    parts = [f"{any_one}{{{len(text) + 1},}}"]
    for i, ch in enumerate(text):
        above = alphabet[alphabet.index(ch.upper()) + 1:]
        if not above:
            continue
        chars = "".join(f"{c}{c.lower()}" if c.isalpha() else c for c in above)
        rest = f"{any_one}{{{len(text) - i - 1}}}" if i < len(text) - 1 else ""
        parts.append("".join(one(c) for c in text[:i]) + f"[{chars}]" + rest)
    return "|".join(parts)


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The inflated part in pieces, each starting with the last OVERLAP bytes of the one before."""
    tail = b""
    for chunk in _inflated(zf, info):
        data = tail + chunk
        yield data
        tail = data[-OVERLAP:]


def _inflated(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The part's bytes, at most its declared size, as ``zipfile`` would give them. A deflated
    part (every real workbook's) is inflated here STEP bytes at a time, straight from the file:
    each piece is searched while it is still in the processor's cache, and the checksum is left
    to the parser, which verifies it when it reads the part (together 2 ms of the 7 ms the check
    took on a 2.3 MB sheet). Anything else (stored, encrypted, a local header that does not
    match) goes through ``zipfile``, which also says what is wrong with it."""
    fh = _deflated_data(zf, info)
    if fh is None:
        with zf.open(info) as part:
            while chunk := part.read(CHUNK):
                yield chunk
        return
    with fh:
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        compressed, left, pending = info.compress_size, info.file_size, b""
        while left > 0:
            if not pending:
                pending = fh.read(min(COMPRESSED_STEP, compressed))
                compressed -= len(pending)
                if not pending:
                    return
            out = inflate.decompress(pending, min(STEP, left))
            pending = inflate.unconsumed_tail
            if out:
                left -= len(out)
                yield out
            elif inflate.eof:
                return


def _deflated_data(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A file positioned at the part's deflated data, or None when ``zipfile`` should read it."""
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1 or not isinstance(zf.filename, str):
        return None
    fh = open(zf.filename, "rb")  # noqa: SIM115 - closed by the caller
    try:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            fh.close()
            return None
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_length + extra_length)
    except BaseException:
        fh.close()
        raise
    return fh


def _check_dimension(head: bytes, where: str, path: Path) -> None:
    match = _DIMENSION.search(head)
    if not match:
        return
    last = match.group(1).decode("ascii", "replace").split(":")[-1].replace("$", "")
    ref = _REF.match(last)
    if ref and (int(ref.group(2)) > EXCEL_ROWS or column_number(ref.group(1)) > EXCEL_COLUMNS):
        check_grid(path, where, int(ref.group(2)), column_number(ref.group(1)))


def _check_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    with zf.open(info) as part:
        head = part.read(4096)
    root = re.search(rb"<(?:\w+:)?sst\b[^>]*>", head)
    if not root:
        return
    most = info.file_size // MIN_SHARED_STRING_BYTES + 1
    for attribute, value in _SST_COUNTS.findall(root.group(0)):
        declared = int(value)
        if declared > most:
            raise InputError(
                f"is damaged: its table of text cells declares {declared:,} entries "
                f"({attribute.decode()}), more than its {info.file_size:,} bytes can hold",
                path,
                HINT,
            )


# --- xls (BIFF8 inside an OLE2 container) ------------------------------------------------------

# Records whose first four bytes are the row and column of a cell (BIFF8).
_CELL_RECORDS = {0x0006, 0x00BD, 0x00BE, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0207}
_DIMENSIONS, _SST, _BOF = 0x0200, 0x00FC, 0x0809
XLS_ROWS, XLS_COLUMNS = 65_536, 256


def check_xls(path: Path) -> None:
    """Read the BIFF records that size allocations: DIMENSIONS, SST counts and cell positions."""
    try:
        import olefile  # type: ignore[import-untyped]
    except ImportError:  # the child process still bounds what the parser may take
        return
    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return  # not a BIFF workbook: calamine says what it is
            size = ole.get_size(name)
            data = ole.openstream(name).read()
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - a container olefile cannot read; calamine judges it, boxed
        return
    _check_biff(data, size, path)


def _check_biff(data: bytes, size: int, path: Path) -> None:
    sheet, max_row, max_col = -1, 0, 0  # the first BOF opens the workbook globals, then sheet 1, 2...
    pos, end = 0, len(data)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", data, pos)
        body = pos + 4
        if kind == _BOF:
            if max_row or max_col:
                check_grid(path, f"sheet {sheet}", max_row, max_col)
            sheet, max_row, max_col = sheet + 1, 0, 0
        elif kind in _CELL_RECORDS and length >= 4 and body + 4 <= end:
            row, col = struct.unpack_from("<HH", data, body)
            last = col
            if kind in (0x00BD, 0x00BE) and length >= 6:  # MULRK, MULBLANK: last column at the end
                last = struct.unpack_from("<H", data, body + length - 2)[0]
            max_row, max_col = max(max_row, row + 1), max(max_col, last + 1)
        elif kind == _DIMENSIONS and length >= 14 and body + 14 <= end:
            _, row_end, _, col_end = struct.unpack_from("<IIHH", data, body)
            if row_end > XLS_ROWS or col_end > XLS_COLUMNS:
                raise InputError(
                    f"is damaged: sheet {sheet} declares {row_end:,} rows and {col_end:,} columns, "
                    f"more than an .xls file can have ({XLS_ROWS:,} by {XLS_COLUMNS})",
                    path,
                    HINT,
                )
        elif kind == _SST and length >= 8 and body + 8 <= end:
            total, unique = struct.unpack_from("<II", data, body)
            most = size // 3 + 1  # a string takes at least its length (2 bytes) and flags (1)
            if max(total, unique) > most:
                raise InputError(
                    f"is damaged: its table of text cells declares {max(total, unique):,} entries, "
                    f"more than its {size:,} bytes can hold",
                    path,
                    HINT,
                )
        pos = body + length
    if max_row or max_col:
        check_grid(path, f"sheet {sheet}", max_row, max_col)
