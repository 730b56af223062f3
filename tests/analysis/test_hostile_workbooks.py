"""Workbooks that once aborted or stalled the process: refused before calamine, or boxed in its child.

The sizes that make python-calamine allocate (the last cell of a sheet, the declared size of the
shared-strings table, an .xls file's DIMENSIONS and SST records) are checked first; whatever gets
past them is parsed in a child process whose crash, hang or oversized answer comes back as one
InputError naming the file.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.importing import sandbox, sizes
from analysis.importing.workbook import open_workbook

DATA = Path(__file__).resolve().parents[1] / "data"
WIDE = DATA / "formats" / "wide_flowsheet.xlsx"
LEGACY = DATA / "formats" / "legacy.xls"


def rewrite(source: Path, target: Path, edit) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info)))
    return target


def with_cell(ref: str, row: int):
    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            cell = f'<row r="{row}"><c r="{ref}" t="n"><v>1</v></c></row></sheetData>'.encode()
            data = data.replace(b"</sheetData>", cell)
        return data

    return edit


def with_shared_strings(count: int):
    def edit(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        return data

    return edit, (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                  b'count="%d" uniqueCount="%d"><si><t>x</t></si></sst>' % (count, count))


def test_a_cell_at_the_last_row_and_column_is_refused_before_parsing(tmp_path, monkeypatch):
    path = rewrite(WIDE, tmp_path / "far.xlsx", with_cell("XFD1048576", 1048576))

    def parse(*args, **kwargs):
        raise AssertionError("the workbook reached the parser")

    monkeypatch.setattr(sandbox, "read_isolated", parse)  # how fast: benchmarks/bench_refusals.py
    with pytest.raises(InputError, match=r"far\.xlsx: is too large to read: .*XFD1048576.*5,000,000"):
        open_workbook(path)


# A sheet part of more than sizes.SCREEN_BYTES is measured before parsing only when its <dimension>
# says it could be too large; else the reading process checks the grid calamine built, and the part
# is measured when reading fails, to word the refusal.


def long_sheet(*edits, dimension: str | None = None):
    """Edits of WIDE's sheet part: 15,000 more rows (about 700 KB), then ``edits``; the
    <dimension> set to ``dimension`` (A1:F9 kept when None, removed when "")."""
    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        rows = "".join(f'<row r="{i}"><c r="A{i}" t="n"><v>{i}</v></c></row>' for i in range(10, 15_010))
        data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
        for more in edits:
            data = more(name, data)
        if dimension is not None:
            data = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>'.encode()
                          if dimension else b"", data)
        return data

    return edit


def test_a_long_sheet_whose_dimension_says_it_is_too_large_is_refused_before_parsing(tmp_path, monkeypatch):
    path = rewrite(WIDE, tmp_path / "far.xlsx", long_sheet(with_cell("XFD1048576", 1048576),
                                                           dimension="A1:XFD1048576"))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size > sizes.SCREEN_BYTES

    def parse(*args, **kwargs):
        raise AssertionError("the workbook reached the parser")

    monkeypatch.setattr(sandbox, "read_isolated", parse)
    with pytest.raises(InputError, match=r"far\.xlsx: is too large to read: .*XFD1048576.*5,000,000"):
        open_workbook(path)


def test_a_long_sheet_is_not_measured_before_parsing(tmp_path, monkeypatch):
    path = rewrite(WIDE, tmp_path / "long.xlsx", long_sheet())
    monkeypatch.setattr(sizes, "_check_sheet_part", lambda *a: pytest.fail("measured before parsing"))
    assert open_workbook(path).rows("Flowsheet")[15_008][0] == 15_009


def parses(monkeypatch) -> list:
    """The paths that reach the reading process from here on."""
    paths, read = [], sandbox.read_isolated
    monkeypatch.setattr(sandbox, "read_isolated", lambda path, **kw: paths.append(path) or read(path, **kw))
    return paths


def test_a_far_cell_under_a_dimension_that_hides_it_is_refused_in_the_same_words(tmp_path, monkeypatch):
    """The dimension still says A1:F9: calamine's grid of 17 billion cells kills the reading
    process at its memory cap, and the part, measured then, words the refusal as before."""
    path = rewrite(WIDE, tmp_path / "far.xlsx", long_sheet(with_cell("XFD1048576", 1048576)))
    reached = parses(monkeypatch)
    with pytest.raises(InputError, match=r"far\.xlsx: is too large to read: .*XFD1048576.*5,000,000"):
        open_workbook(path)
    assert reached == [str(path)]
    assert open_workbook(WIDE).rows("Flowsheet")[0][0] == "Date"  # the next file reads


def test_a_grid_past_the_cell_limit_that_calamine_can_build_is_refused_in_the_same_words(tmp_path, monkeypatch):
    """Z200000 is 5.2 million cells from A1, within the reading process's memory as calamine
    holds them: the process checks the grid before making Python objects of it."""
    path = rewrite(WIDE, tmp_path / "wide.xlsx", long_sheet(with_cell("Z200000", 200_000), dimension=""))
    reached = parses(monkeypatch)
    with pytest.raises(InputError, match=r"wide\.xlsx: is too large to read: one of its sheets \(sheet1\) "
                                         r"reaches cell Z200000, 5,200,000 cells"):
        open_workbook(path)
    assert reached == [str(path)]


def test_the_reading_process_checks_the_grid_calamine_built():
    parsed = sandbox.read_isolated(str(WIDE), max_cells=53)  # A1:F9 is 54 cells
    assert parsed.sheet_errors == {"Flowsheet": (sandbox.GRID_TOO_LARGE, "9 6")} and not parsed.rows
    assert sandbox.read_isolated(str(WIDE), max_cells=54).rows["Flowsheet"][0][0] == "Date"


def test_a_grid_of_cells_without_references_past_the_limit_is_refused(tmp_path, monkeypatch):
    """Cells without r="..." are placed by their order: measuring the references finds nothing,
    and the grid the reading process saw is refused in the same words."""
    from analysis.importing import workbook

    def unreferenced(name: str, data: bytes) -> bytes:
        return re.sub(rb'\sr="[A-Z]*\d+"', b"", data)

    path = rewrite(WIDE, tmp_path / "plain.xlsx", long_sheet(unreferenced, dimension=""))
    assert open_workbook(path).rows("Flowsheet")[15_008][0] == 15_009  # calamine reads them in place
    monkeypatch.setattr(workbook, "MAX_CELLS", 90_000)
    monkeypatch.setattr(sizes, "MAX_CELLS", 90_000)
    with pytest.raises(InputError, match=r"plain\.xlsx: is too large to read: one of its sheets \(Flowsheet\) "
                                         r"reaches cell F15009, 90,054 cells from A1 \(Nadir reads up to 90,000\)"):
        open_workbook(path)


def test_the_quick_screen_lets_through_only_what_fits(tmp_path):
    """Sheets whose references stay within Z99999 skip the full scan: that rectangle is within
    the cell limit. A sheet that reaches beyond it anywhere is measured whole, so a far column
    on one row and a far row in another column still make too large a rectangle together."""
    from analysis.importing.limits import MAX_CELLS

    assert 99_999 * 26 <= MAX_CELLS
    fits = rewrite(WIDE, tmp_path / "fits.xlsx", with_cell("Z99999", 99_999))
    assert open_workbook(fits).sheet_names

    def far_apart(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            cells = b'<row r="99990"><c r="A99990" t="n"><v>1</v></c></row>' \
                    b'<row r="99991"><c r="ZZ99991" t="n"><v>1</v></c></row></sheetData>'
            data = data.replace(b"</sheetData>", cells)
        return data

    with pytest.raises(InputError, match=r"is too large to read: .*ZZ99991"):
        open_workbook(rewrite(WIDE, tmp_path / "apart.xlsx", far_apart))


def test_a_cell_beyond_excels_last_column_is_refused(tmp_path):
    path = rewrite(WIDE, tmp_path / "beyond.xlsx", with_cell("XFE5", 5))
    with pytest.raises(InputError, match=r"beyond the last row .* and column \(XFD\)"):
        open_workbook(path)


def test_a_dimension_beyond_excels_grid_is_refused(tmp_path):
    def edit(name, data):
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:ZZZZ99999999"', data)

    with pytest.raises(InputError, match="beyond the last row"):
        open_workbook(rewrite(WIDE, tmp_path / "dim.xlsx", edit))


def test_a_shared_strings_table_declaring_a_billion_entries_is_refused(tmp_path):
    edit, part = with_shared_strings(1_000_000_000)
    path = rewrite(WIDE, tmp_path / "sst.xlsx", edit)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", part)
    with pytest.raises(InputError, match="declares 1,000,000,000 entries"):
        open_workbook(path)


def test_an_honest_shared_strings_table_is_read(tmp_path):
    edit, part = with_shared_strings(1)
    path = rewrite(WIDE, tmp_path / "sst.xlsx", edit)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", part)
    assert open_workbook(path).rows("Flowsheet")[0][0] == "Date"


def patched(source: Path, target: Path, offset: int, fmt: str, *values) -> Path:
    data = bytearray(source.read_bytes())
    struct.pack_into(fmt, data, offset, *values)
    target.write_bytes(bytes(data))
    return target


def test_xls_dimensions_beyond_biff_limits_are_refused(tmp_path):
    data = LEGACY.read_bytes()
    record = data.find(b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes
    path = patched(LEGACY, tmp_path / "dims.xls", record + 4, "<IIHH", 0, 0xFFFFFFF0, 0, 0xFFF0)
    with pytest.raises(InputError, match=r"dims\.xls: is damaged: sheet 1 declares"):
        open_workbook(path)


def test_xls_shared_string_count_beyond_the_file_is_refused(tmp_path):
    data = LEGACY.read_bytes()
    record = data.find(b"\xfc\x00")  # SST: total and unique counts first
    path = patched(LEGACY, tmp_path / "sst.xls", record + 4, "<II", 400_000_000, 400_000_000)
    with pytest.raises(InputError, match="declares 400,000,000 entries"):
        open_workbook(path)


@pytest.mark.parametrize("cut", range(3000, 5632, 263))
def test_truncated_xls_is_a_message_not_a_panic(tmp_path, cut):
    path = tmp_path / "cut.xls"
    path.write_bytes(LEGACY.read_bytes()[:cut])
    try:  # a cut in the padding at the end still reads; any other cut is one plain message
        book = open_workbook(path)
        book.rows(book.sheet_names[0])
    except InputError as exc:
        assert str(exc).startswith("cut.xls: ")


def test_a_child_that_runs_out_of_memory_is_a_message(tmp_path):
    """The pre-check bypassed: the parse itself hits the child's memory cap and the child dies."""
    path = rewrite(WIDE, tmp_path / "far.xlsx", with_cell("XFD1048576", 1048576))
    with pytest.raises(sandbox.ReaderError, match="memory"):
        sandbox.read_isolated(str(path), memory=400 * 1024 * 1024)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_reader_that_hangs_is_stopped_and_the_next_file_still_reads(tmp_path):
    hang = tmp_path / "hang.xlsx"
    os.mkfifo(hang)  # opening it blocks until someone writes: the reader hangs for real
    with pytest.raises(sandbox.ReaderError, match="longer than 2 seconds"):  # the watchdog's words
        sandbox.read_isolated(str(hang), seconds=2)
    assert sandbox.read_isolated(str(WIDE)).sheets == ["Flowsheet"]


def test_an_answer_larger_than_the_cap_is_refused():
    with pytest.raises(sandbox.ReaderError, match="more than Nadir reads"):
        sandbox.read_isolated(str(WIDE), result_cap=100)


def test_the_child_hands_back_only_cells():
    parsed = sandbox.read_isolated(str(DATA / "formats" / "messy_export.xlsx"))
    assert parsed.sheets == ["Summary", "Results"]
    kinds = {type(v).__name__ for row in parsed.rows["Results"] for v in row}
    assert kinds <= {"str", "float", "int", "bool", "datetime", "date", "time", "timedelta"}


def test_control_characters_are_never_echoed_raw():
    text = str(InputError("has \x00 and \x1b[2J in a cell", "lab\x07s.csv", "Retry\r."))
    assert "\x00" not in text and "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "\\x00" in text and "\\x1b" in text


def test_the_reading_process_pickles_dates_as_the_standard_pickler_does():
    """Its pickler reduces calamine's date types directly (faster); the bytes, and so what the
    application's loader builds, are the standard pickler's."""
    import datetime as dt
    import pickle

    cells = [[dt.datetime(2021, 3, 28, 2, 30, 0, 15), dt.date(1900, 1, 1), dt.time(23, 59, 59, 999_999),
              dt.timedelta(days=-2, seconds=5, microseconds=3), "x", 1.5, True, ""]] * 2
    message = ("ok", ["S"], [], {"S": cells}, {}, None, 0)
    data = sandbox._dumps(message)
    assert data == pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    assert sandbox._CellsOnly(io.BytesIO(data)).load() == message


def test_the_reading_process_sends_each_text_of_a_text_column_once():
    """A column made only of texts has each distinct text one object (pickle sends it once);
    a column with numbers, booleans or dates is left as it is (1.0 and True are equal keys),
    and empty rows shared stay shared."""
    blank = ["", "", ""]
    rows = [["Given", 1.0, "x"], [str.lower("GIVEN").title(), True, "y"], blank, blank, ["Held", 1.0, ""]]
    assert rows[0][0] is not rows[1][0]
    out = sandbox._shared_texts(rows)
    assert out == [["Given", 1.0, "x"], ["Given", True, "y"], blank, blank, ["Held", 1.0, ""]]
    assert out[0][0] is out[1][0] and out[2] is out[3]
    assert type(out[1][1]) is bool and type(out[4][1]) is float
    parsed = sandbox.read_isolated(str(DATA / "formats" / "messy_export.xlsx"))
    texts = [row[1] for row in parsed.rows["Results"]]  # a column of texts, 3 distinct in 15
    assert len(texts) > len(set(texts)) == len({id(t) for t in texts})  # through the reading process too
