"""Hypothesis strategies that turn the test corpus into hostile inputs.

Every seed is a real file from ``tests/data`` (all formats: xlsx, xlsm, xls, ods, csv, tsv). A
case is one seed and one mutation, chosen to reach what once broke Nadir or could: byte flips and
truncation (a download cut off, a disk error); zip and XML edits (a cell far beyond the data or
beyond Excel's grid, dimension references and shared-string counts that declare huge sizes,
deleted or duplicated parts, long text, control characters, impossible numbers and dates); BIFF
record edits in .xls files (DIMENSIONS, SST, cell positions, record lengths); and for text
exports, odd encodings, unbalanced quotes, very long fields, NUL bytes and impossible values.
"""

from __future__ import annotations

import re
import struct
import zipfile
from io import BytesIO
from pathlib import Path

from hypothesis import strategies as st

DATA = Path(__file__).resolve().parents[1] / "data"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv")
SEEDS = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
SEED_BYTES = {p: p.read_bytes() for p in SEEDS}

HOSTILE_TEXT = st.sampled_from([
    "\x00", "\x00" * 50, "\x1b[31mred\x1b[0m", "\r", "\u202eevil", "'; DROP", "=cmd|' /C calc'!A0", "\ufeff",
    "-inf", "inf", "NaN", "1e400", "-1e308", "1e300", "-5", "0x1F", "9" * 400, "²", "٣", "0001-01-01",
    "9999-12-31", "3023-01-01", "1677-09-21", "2262-04-12", "31/02/2022", "99999999", "-99999", "",
])
BIG = st.sampled_from([2**16, 2**20, 1_048_576, 1_048_577, 2**31 - 1, 2**31, 2**32 - 1, 10**9, 10**12])
COLUMNS = st.sampled_from(["A", "Z", "XFD", "XFE", "ZZZ", "AAAA", "XFDA", "ZZZZZZ"])


def zip_members(data: bytes) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            return {info.filename: zf.read(info) for info in zf.infolist()}
    except Exception:  # noqa: BLE001 - already damaged: byte mutations only
        return None


def rezip(members: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name == "mimetype":
                zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_STORED)
            else:
                zf.writestr(name, data)
    return out.getvalue()


@st.composite
def byte_flips(draw, data: bytes) -> bytes:
    out = bytearray(data)
    if not out:  # an empty seed (tests/data/layouts/bad/empty.csv) has no byte to flip
        return data
    for _ in range(draw(st.integers(1, 16))):
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    return bytes(out)


@st.composite
def truncation(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(1, max(1, len(data) - 1)))]


@st.composite
def xml_edit(draw, data: bytes) -> bytes:
    members = zip_members(data)
    if not members:
        return draw(byte_flips(data))
    names = sorted(members)
    sheets = [n for n in names if re.search(r"(worksheets/.*\.xml|content\.xml)$", n)] or names
    target = draw(st.sampled_from(sheets if draw(st.booleans()) else names))
    xml = members[target]
    edit = draw(st.sampled_from(["far_cell", "dimension", "sst_count", "long_text", "hostile_values",
                                 "delete_part", "duplicate_rows", "encoding", "ods_repeat", "garbage"]))
    if edit == "far_cell":
        row, col = draw(BIG), draw(COLUMNS)
        cell = f'<row r="{row}"><c r="{col}{row}" t="n"><v>1</v></c></row>'.encode()
        xml = xml.replace(b"</sheetData>", cell + b"</sheetData>", 1)
    elif edit == "dimension":
        xml = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:{draw(COLUMNS)}{draw(BIG)}"'.encode(), xml)
    elif edit == "sst_count":
        sst = next((n for n in names if n.endswith("sharedStrings.xml")), None)
        if sst is not None:
            target, xml = sst, re.sub(rb'(count|uniqueCount)="\d+"', f'\\1="{draw(BIG)}"'.encode(), members[sst])
        else:  # no table yet: add one that declares far more than it holds
            n = draw(BIG)
            members["xl/sharedStrings.xml"] = (f'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                                               f'spreadsheetml/2006/main" count="{n}" uniqueCount="{n}"><si><t>x</t>'
                                               f'</si></sst>').encode()
    elif edit == "long_text":
        text = (draw(HOSTILE_TEXT) or "x") * draw(st.sampled_from([1000, 40_000, 200_000]))
        xml = re.sub(rb"<t>[^<]*</t>", f"<t>{text}</t>".encode(), xml, count=1) if b"<t>" in xml else \
            xml.replace(b"</sheetData>", f'<row r="3"><c r="B3" t="inlineStr"><is><t>{text}</t></is></c></row>'
                        f"</sheetData>".encode(), 1)
    elif edit == "hostile_values":
        value = draw(HOSTILE_TEXT).encode("utf-8")
        xml = re.sub(rb"<v>[^<]*</v>", b"<v>" + value + b"</v>", xml, count=draw(st.integers(1, 50)))
        xml = re.sub(rb"<t>[^<]*</t>", b"<t>" + value + b"</t>", xml, count=draw(st.integers(0, 20)))
    elif edit == "delete_part":
        del members[target]
        return rezip(members)
    elif edit == "duplicate_rows":
        rows = re.findall(rb"<row\b.*?</row>", xml, flags=re.S)
        if rows:
            xml = xml.replace(b"</sheetData>", rows[-1] * draw(st.integers(2, 2000)) + b"</sheetData>", 1)
    elif edit == "encoding":
        codec = draw(st.sampled_from(["utf-16", "latin-1", "cp1252"]))
        xml = xml.decode("utf-8", "replace").replace('encoding="UTF-8"', f'encoding="{codec}"').encode(codec, "replace")
    elif edit == "ods_repeat":
        xml = re.sub(rb'number-(rows|columns)-repeated="\d+"', f'number-\\1-repeated="{draw(BIG)}"'.encode(), xml)
        xml = xml.replace(b"<table:table-cell ", f'<table:table-cell table:number-columns-repeated="{draw(BIG)}" '
                          .encode(), 1)
    else:
        at = draw(st.integers(0, len(xml)))
        xml = xml[:at] + draw(st.binary(min_size=1, max_size=64)) + xml[at:]
    members[target] = xml
    return rezip(members)


_BIFF_SIZED = (0x0200, 0x00FC, 0x0203, 0x027E, 0x00FD, 0x0204, 0x0201, 0x00BD, 0x0006, 0x0809, 0x0085)


@st.composite
def biff_edit(draw, data: bytes) -> bytes:
    """Overwrite the numbers of a BIFF record found in the file (positions, counts, lengths)."""
    out = bytearray(data)
    spots = [m.start() for kind in _BIFF_SIZED for m in re.finditer(re.escape(struct.pack("<H", kind)), data)]
    if not spots:
        return draw(byte_flips(data))
    at = draw(st.sampled_from(spots))
    fmt = draw(st.sampled_from(["<H", "<I"]))
    offset = at + draw(st.integers(2, 12))
    if offset + struct.calcsize(fmt) <= len(out):
        limit = 0xFFFF if fmt == "<H" else 0xFFFFFFFF
        value = draw(st.sampled_from([0, 1, limit, limit // 2, 256, 65535, 65536 % (limit + 1)]))
        struct.pack_into(fmt, out, offset, value)
    return bytes(out)


@st.composite
def text_edit(draw, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    lines = text.splitlines(keepends=True) or [""]
    edit = draw(st.sampled_from(["long_field", "encoding", "nul", "quote", "values", "many_rows", "bom"]))
    if edit == "long_field":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i].rstrip("\r\n") + "," + "x" * draw(st.sampled_from([131_073, 500_000, 1_000_001])) + "\n"
    elif edit == "encoding":
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "shift_jis", "cp437"]))
        return "".join(lines).encode(codec, "replace")
    elif edit == "nul":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = "\x00".join(lines[i]) if draw(st.booleans()) else lines[i] + "\x00\x00\x00"
    elif edit == "quote":
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = '"' + lines[i]
    elif edit == "values":
        for _ in range(draw(st.integers(1, 10))):
            i = draw(st.integers(0, len(lines) - 1))
            cells = lines[i].rstrip("\r\n").split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(HOSTILE_TEXT)
            lines[i] = ",".join(cells) + "\n"
    elif edit == "many_rows":
        lines = lines + lines[-1:] * draw(st.integers(10, 20_000))
    else:
        return b"\xef\xbb\xbf\xef\xbb\xbf" + "".join(lines).encode()
    return "".join(lines).encode("utf-8", "surrogatepass")


@st.composite
def workbook_cases(draw) -> tuple[str, bytes, str]:
    """(seed name, mutated bytes, what was done)."""
    seed = draw(st.sampled_from(SEEDS))
    data = SEED_BYTES[seed]
    is_zip, is_ole = data[:2] == b"PK", data[:4] == b"\xd0\xcf\x11\xe0"
    kinds = ["flips", "truncate"] + (["xml"] * 3 if is_zip else []) + (["biff"] * 3 if is_ole else []) + \
        (["text"] * 3 if not (is_zip or is_ole) else [])
    kind = draw(st.sampled_from(kinds))
    mutate = {"flips": byte_flips, "truncate": truncation, "xml": xml_edit, "biff": biff_edit, "text": text_edit}[kind]
    return seed.name, draw(mutate(data)), kind
