"""Open a lab export (xlsx, xlsm, xlsb, xls, ods or csv) safely and hand out its raw cells.

Files come from EHR download folders and e-mail attachments, so they are checked before any
parser sees them: the first bytes must match the claimed kind (a CSV renamed to .xlsx, an HTML
page saved as .xls and a truncated download each get their own sentence), zip containers are
measured before they are inflated (a small file that inflates to gigabytes is refused), and XML
parts that declare entities are refused rather than expanded. Everything the user can cause is
raised as :class:`~analysis.errors.InputError`; nothing here writes to the file.

Cells come back exactly as python-calamine gives them (str, float, bool, datetime, date, time,
timedelta; "" for empty cells) so that identifiers and result text are not reinterpreted; CSV
cells are all text.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

from analysis.errors import InputError
from analysis.files import note_input
from analysis.importing import sandbox, sizes
from analysis.importing.limits import MAX_CELLS, MAX_CSV_FIELD, MAX_FILE_BYTES, MAX_UNPACKED_BYTES

MAX_MEMBER_RATIO = 100  # compression ratio above which a large part is refused
MAX_RATIO_CHECKED_SIZE = 10 * 1024 * 1024  # parts smaller than this may compress as they like
MAX_MEMBERS = 20_000
XML_SNIFF_BYTES = 4096  # where a DOCTYPE would have to be

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

EXPORT_AGAIN = "Export it again from the EHR as .xlsx or .csv."
CUT_OFF = "the file ends too early or its table of contents is broken; was the download cut off?"
WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".xlt", ".ods"}
CSV_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Workbook:
    """An opened export: sheet names, the Excel date system, and each sheet's cells on demand."""

    path: Path
    kind: str  # "xlsx", "xlsb", "xls", "ods" or "csv"
    sheet_names: list[str]
    date_system: int = 1900  # 1904 for workbooks made with the old Mac epoch
    hidden_sheets: set[str] = field(default_factory=set)  # hidden in Excel; read all the same
    delimiter: str = ""  # of a CSV file: ";" says a European export, where "," is the decimal mark
    _csv_rows: list[list[str]] | None = None
    _cache: dict[str, list[list]] = field(default_factory=dict)  # each sheet's cells, read at opening
    _errors: dict[str, tuple[str, str]] = field(default_factory=dict)  # sheets the reader failed on

    def rows(self, sheet: str = "") -> list[list]:
        """Every row of ``sheet`` from A1 on (row i is spreadsheet row i + 1), as raw cells."""
        if self.kind == "csv":
            return self._csv_rows or []
        return self._read(sheet)

    def head(self, sheet: str = "", nrows: int = 200) -> list[list]:
        """The first ``nrows`` rows, for choosing the sheet that holds the results."""
        if self.kind == "csv":
            return (self._csv_rows or [])[:nrows]
        return self._read(sheet)[:nrows]

    def _read(self, sheet: str) -> list[list]:
        if sheet not in self.sheet_names:
            raise InputError(
                f"has no sheet named {sheet!r} (its sheets are {', '.join(map(repr, self.sheet_names))})",
                self.path,
            )
        if sheet in self._errors:
            raise _calamine_error(*self._errors[sheet], self.path)
        return self._cache.get(sheet, [])

    def close(self) -> None:
        self._cache.clear()


def open_workbook(path: str | Path) -> Workbook:
    """Check ``path`` and open it for reading; raise InputError with a plain reason if it cannot be.

    The kind is decided by the file's first bytes, not its name: EHR downloads are often
    misnamed, and a real workbook called ``.csv`` is still read as a workbook.
    """
    path = Path(path)
    head = _first_bytes(path)
    if head.startswith(ZIP_MAGIC):
        kind, date_system, unmeasured = _inspect_zip(path)
        return _open_calamine(path, kind, date_system, unmeasured)
    if head.startswith(OLE2_MAGIC):
        _refuse_encrypted_ole(path)
        sizes.check_xls(path)
        return _open_calamine(path, "xls", 1900)
    suffix = path.suffix.lower()
    looks = _describe_non_workbook(head)
    if looks != "text":
        raise InputError(f"is not a spreadsheet (it looks like {looks})", path, EXPORT_AGAIN)
    if suffix in WORKBOOK_EXTENSIONS:
        what = "an Excel workbook" if suffix.startswith(".xl") else "an OpenDocument spreadsheet"
        raise InputError(
            f"is not {what} (it looks like a text file)",
            path,
            "Export it again from the EHR as .xlsx or .csv; if it is a CSV file, rename it to end in .csv.",
        )
    rows, delimiter = read_csv_table(path)
    return Workbook(path=path, kind="csv", sheet_names=[""], delimiter=delimiter, _csv_rows=rows)


# --- checks before opening -------------------------------------------------------------------


def _first_bytes(path: Path, n: int = 2048) -> bytes:
    try:
        if not path.exists():
            if path.is_symlink():  # exists() follows the link: it points nowhere, or round in a loop
                raise InputError("is a shortcut (symbolic link) to a file that does not exist, or to itself",
                                 path, "Choose the exported file itself.")
            raise InputError("was not found (check the folder and the file name)", path)
        note_input(path)  # from here on no output may be written over it
        if path.is_dir():
            if path.suffix.lower() == ".numbers":
                raise _numbers(path)
            raise InputError("is a folder, not a file; choose the lab export inside it", path)
        if not path.is_file():  # a device (/dev/zero) or a named pipe would block or never end
            raise InputError("is a device or a pipe, not a file", path, "Choose the exported file itself.")
        size = path.stat().st_size
        if size == 0:
            raise InputError("is empty (0 bytes)", path, EXPORT_AGAIN)
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"is too large to be a lab export ({size // (1024 * 1024)} MB)",
                path,
                "Export only the patient's blood counts.",
            )
        with path.open("rb") as handle:
            return handle.read(n)
    except PermissionError:
        raise InputError(
            "could not be read: permission denied (is it open in another program?)",
            path,
            "Close it in Excel and try again.",
        ) from None
    except OSError as exc:
        raise InputError(f"could not be read ({exc.strerror or exc})", path) from None
    except ValueError:  # a NUL in the name: no file system has such a file
        raise InputError("is not a possible file name (it holds a NUL character)", path,
                         "Check the file name.") from None


def _describe_non_workbook(head: bytes) -> str:
    """'text' for something a CSV reader can try, else a few words saying what it looks like."""
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1") or head[:3] == b"GIF":
        return "a picture"
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return "a compressed archive"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(head):
        return "text"
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in stripped[:512]:
        return "a web page (HTML); open it in Excel and save it as .xlsx"
    if stripped.startswith(b"<?xml"):
        return "an XML document (perhaps an Excel 2003 XML file); open it in Excel and save it as .xlsx"
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    if control > len(head) // 20:
        return "a binary file of an unknown kind"
    return "text"


def _inspect_zip(path: Path) -> tuple[str, int, bool]:
    """Measure a zip container before anything inflates it; return its kind, its date system
    and whether a sheet was left unmeasured (``sizes.check_xlsx``: the reading process checks
    its grid)."""
    with _zip_errors(path), zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _harmful(path, f"{len(infos)} parts")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_RATIO_CHECKED_SIZE and ratio > MAX_MEMBER_RATIO:
                raise _harmful(path, f"a part that inflates {ratio:.0f}-fold")
        if total > MAX_UNPACKED_BYTES:
            raise _harmful(path, f"{total // (1024 * 1024)} MB once unpacked")
        names = {info.filename for info in infos}
        kind = _zip_kind(zf, names, path)
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels")) and info.file_size:
                with zf.open(info) as member:
                    start = member.read(XML_SNIFF_BYTES)
                if _declares_entities(start):
                    raise InputError(
                        "contains content that could harm the computer (XML entity expansion); "
                        "it was not opened",
                        path,
                        EXPORT_AGAIN,
                    )
        unmeasured = kind == "xlsx" and sizes.check_xlsx(zf, path, screen=True)
        date_system = _xlsx_date_system(zf, names) if kind in ("xlsx", "xlsb") else 1900
        return kind, date_system, unmeasured


def _zip_kind(zf: zipfile.ZipFile, names: set[str], path: Path) -> str:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "mimetype" in names:
        with zf.open("mimetype") as member:
            mimetype = member.read(200).strip()
        if mimetype == ODS_MIMETYPE:
            return "ods"
        if b"opendocument.text" in mimetype:
            raise InputError("is a text document, not a spreadsheet", path, EXPORT_AGAIN)
    if any(name.endswith(".iwa") for name in names):
        raise _numbers(path)
    if "word/document.xml" in names:
        raise InputError("is a Word document, not a spreadsheet", path, EXPORT_AGAIN)
    if "[Content_Types].xml" in names:
        raise _damaged(path, "the workbook part is missing")
    raise InputError("is a zip archive, not an Excel workbook", path, "Unpack it and choose the lab export inside.")


def _declares_entities(start: bytes) -> bool:
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = start.decode("utf-16", errors="ignore")
    else:
        text = start.decode("utf-8", errors="ignore")
    text = text.lower()
    return "<!doctype" in text or "<!entity" in text


def _xlsx_date_system(zf: zipfile.ZipFile, names: set[str]) -> int:
    """1904 when xl/workbook.xml says ``<workbookPr date1904="1"/>`` (serials then count from 1904)."""
    if "xl/workbook.xml" not in names or zf.getinfo("xl/workbook.xml").file_size > 20 * 1024 * 1024:
        return 1900
    try:
        root = SafeET.fromstring(zf.read("xl/workbook.xml"))
    except Exception:  # calamine will judge the part; the date system alone is not worth a refusal
        return 1900
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "workbookPr":
            return 1904 if element.get("date1904", "").lower() in ("1", "true") else 1900
    return 1900


def _refuse_encrypted_ole(path: Path) -> None:
    """A password-protected .xlsx is an OLE2 container holding an EncryptedPackage stream."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle:
        data = handle.read()
    if marker in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise _password(path)


# --- opening ---------------------------------------------------------------------------------


def _open_calamine(path: Path, kind: str, date_system: int, unmeasured: bool = False) -> Workbook:
    """Read every sheet in a child process (``sandbox``): a reader crash or a runaway allocation
    there ends the child, never the application, and comes back as one InputError.

    ``unmeasured``: an xlsx sheet was not measured before (``sizes.check_xlsx``). The reading
    process then checks each grid calamine built against the limits, and whenever reading
    fails (the process died, a grid passed a limit, a sheet or the workbook could not be read)
    every sheet is measured whole first, so that a file the measure refuses is refused in its
    words, as when it ran before the parse."""
    measure = functools.partial(_measure_sheets, path) if unmeasured else None
    try:
        parsed = sandbox.read_isolated(str(path), kind=kind, max_cells=MAX_CELLS if unmeasured else None,
                                       on_failure=measure)
    except sandbox.ReaderError as exc:
        raise InputError(f"could not be read: {exc.reason}", path,
                         "If it opens in Excel, copy the results into a new workbook and save that as .xlsx.") from None
    if measure is not None and (parsed.error is not None or parsed.sheet_errors):
        measure()
        for name, (error, grid) in parsed.sheet_errors.items():
            if error == sandbox.GRID_TOO_LARGE:  # the measure found no reference that far
                rows, columns = map(int, grid.split())
                sizes.check_grid(path, f"one of its sheets ({name})", rows, columns)
    if parsed.error is not None:
        raise _calamine_error(*parsed.error, path)
    if not parsed.sheets:
        raise InputError("has no sheets", path, EXPORT_AGAIN)
    return Workbook(path=path, kind=kind, sheet_names=parsed.sheets, date_system=date_system,
                    hidden_sheets=parsed.hidden, _cache=parsed.rows, _errors=parsed.sheet_errors)


def _measure_sheets(path: Path) -> None:
    """Every sheet part of the xlsx at ``path`` measured whole (``sizes``): raises the refusal
    of one too large, as the check before parsing would have."""
    with _zip_errors(path), zipfile.ZipFile(path) as zf:
        sizes.check_xlsx(zf, path)


@contextmanager
def _zip_errors(path: Path) -> Iterator[None]:
    """What reading a zip container can raise, as the refusal of a damaged or cut-off file
    (a refusal raised inside passes as it is)."""
    try:
        yield
    except InputError:
        raise
    except zipfile.BadZipFile:
        raise _damaged(path, CUT_OFF) from None
    except (EOFError, ValueError, KeyError, NotImplementedError, OSError, zlib.error) as exc:
        raise _damaged(path, exc) from None


def _calamine_error(kind: str, text: str, path: Path) -> InputError:
    """One InputError for what the reader raised (its exception's type name and text)."""
    lowered = text.lower()
    if kind == "PasswordError" or "password" in lowered or "encrypt" in lowered:
        return _password(path)
    if "entity" in lowered or "doctype" in lowered:
        return InputError(
            "contains content that could harm the computer (XML entity expansion); it was not opened",
            path,
            EXPORT_AGAIN,
        )
    if kind == "MemoryError" or "memory allocation" in lowered:
        return _harmful(path, "more content than the computer's memory holds")
    if kind == "PanicException":  # calamine met something it did not expect: the file is damaged
        return _damaged(path, "the spreadsheet reader could not make sense of it")
    return _damaged(path, text)


def _damaged(path: Path, detail: object) -> InputError:
    detail = str(detail).strip().splitlines()[0][:160] if str(detail).strip() else "unreadable"
    return InputError(
        f"is damaged or incomplete ({detail})",
        path,
        "Download or export it again; if it opens in Excel, save a new copy as .xlsx.",
    )


def _harmful(path: Path, what: str) -> InputError:
    return InputError(
        f"contains content that could harm the computer ({what}); it was not opened",
        path,
        EXPORT_AGAIN,
    )


def _numbers(path: Path) -> InputError:
    return InputError(
        "is an Apple Numbers spreadsheet, which Nadir cannot read",
        path,
        "In Numbers, choose File > Export To > Excel and open the .xlsx file it writes.",
    )


def _password(path: Path) -> InputError:
    return InputError(
        "is password-protected",
        path,
        "Open it in Excel, enter the password and save an unprotected copy.",
    )


# --- CSV -------------------------------------------------------------------------------------


def read_csv_rows(path: Path) -> list[list[str]]:
    """Read a delimited text export: decode it, find its delimiter, return every row as text."""
    return read_csv_table(path)[0]


def read_csv_table(path: Path) -> tuple[list[list[str]], str]:
    """Every row of a delimited text export as text, and the delimiter found."""
    note_input(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"could not be read ({exc.strerror or exc})", path) from None
    text = decode_text(data)
    if not text.strip():
        raise InputError("is empty (it holds no text)", path, EXPORT_AGAIN)
    if csv.field_size_limit() < MAX_CSV_FIELD:
        csv.field_size_limit(MAX_CSV_FIELD)  # Python's 131,072 is an arbitrary default, not a rule
    try:
        delimiter = sniff_delimiter(text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(
                f"has a cell longer than {MAX_CSV_FIELD:,} characters, which no lab result is "
                "(often a quote mark that is never closed)",
                path,
                EXPORT_AGAIN,
            ) from None
        raise _damaged(path, exc) from None
    if '="' in text:  # ="000482913": how exports keep Excel from dropping leading zeros
        rows = [[_excel_text(v) if v.startswith('="') else v for v in row] for row in rows]
    return rows, delimiter


def _excel_text(cell: str) -> str:
    return cell[2:-1] if cell.endswith('"') and len(cell) >= 3 else cell


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 text written without its byte-order mark (some
    export tools do), told by the zero byte of every Latin character: in nine of ten
    characters of the sample the high byte is 0 and the low byte is not. Else None."""
    n = len(head) // 2
    if n < 8:
        return None
    even, odd = head[0 : 2 * n : 2], head[1 : 2 * n : 2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        latin = sum(1 for h, lo in zip(high, low, strict=True) if h == 0 and lo != 0)
        if latin * 10 >= n * 9:
            return codec
    return None


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM, UTF-16 without one, else
    Windows-1252, else Latin-1.

    Windows-1252 before Latin-1 because European EHRs write "µ" and "°" in it; Latin-1 never
    fails, so it is the last resort.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE starts both
        return data.decode("utf-32", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    bare = utf16_without_bom(data[:4096])
    if bare:
        return data.decode(bare, errors="replace")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(text: str, sample_lines: int = 60) -> str:
    """The delimiter that splits the sample into the most rows of one consistent width.

    csv.Sniffer is confused by title lines and by decimal commas inside ';'-separated files;
    counting fields with a real CSV reader (quotes respected) is not.
    """
    lines = [line for line in text.splitlines()[: sample_lines * 2] if line.strip()][:sample_lines]
    sample = "\n".join(lines)
    best, best_score = ",", -1.0
    for delimiter in CSV_DELIMITERS:
        widths: dict[int, int] = {}
        for row in csv.reader(io.StringIO(sample), delimiter=delimiter):
            if len(row) > 1:
                widths[len(row)] = widths.get(len(row), 0) + 1
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = count + width / 1000.0  # equal consistency: the split giving more columns wins
        if score > best_score:
            best, best_score = delimiter, score
    return best
