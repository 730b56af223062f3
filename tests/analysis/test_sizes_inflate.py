"""The sheet screen's own inflater gives exactly zipfile's bytes, and no more than declared."""

from __future__ import annotations

import zipfile

import pytest

from analysis.errors import InputError
from analysis.importing import sizes


def _sheet_xml(rows: int) -> bytes:
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="n"><v>{r * 7}</v></c><c r="B{r}" t="inlineStr">'
                    f"<is><t>dose {r % 13}</t></is></c></row>" for r in range(1, rows + 1))
    return f"<worksheet><sheetData>{cells}</sheetData></worksheet>".encode()


def test_inflated_parts_equal_zipfile_reading_them(tmp_path, monkeypatch):
    monkeypatch.setattr(sizes, "STEP", 4096)  # many pieces, so the piece edges are exercised
    path = tmp_path / "book.zip"
    big = _sheet_xml(20_000)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", big, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("xl/worksheets/sheet2.xml", _sheet_xml(50), compress_type=zipfile.ZIP_STORED)
        zf.writestr("xl/worksheets/empty.xml", b"", compress_type=zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as zf:
        assert sizes._deflated_data(zf, zf.getinfo("xl/worksheets/sheet1.xml")) is not None
        for info in zf.infolist():
            pieces = list(sizes._inflated(zf, info))
            assert b"".join(pieces) == zf.read(info)
        assert len(list(sizes._inflated(zf, zf.getinfo("xl/worksheets/sheet1.xml")))) > 100


def test_inflating_stops_at_the_declared_size(tmp_path):
    path = tmp_path / "book.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", _sheet_xml(5000), compress_type=zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        info.file_size = 1000  # a part that inflates to more than its entry says
        assert len(b"".join(sizes._inflated(zf, info))) == 1000


def test_a_reference_at_a_piece_edge_is_still_found(tmp_path, monkeypatch):
    """The scan finds a cell beyond the grid wherever it falls against a piece edge."""
    monkeypatch.setattr(sizes, "STEP", 1000)
    body = _sheet_xml(300).replace(b"</sheetData>", b'<row r="301"><c r="XFE301"><v>1</v></c></row></sheetData>')
    path = tmp_path / "book.zip"
    at = body.index(b'r="XFE')
    for cut in range(1, 8):  # the far reference split after each of its first seven bytes
        pad = (1000 - cut - at) % 1000
        data = body.replace(b"<worksheet>", b"<worksheet>" + b" " * pad)
        assert data.index(b'r="XFE') % 1000 == 1000 - cut
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("xl/worksheets/sheet1.xml", data, compress_type=zipfile.ZIP_DEFLATED)
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/worksheets/sheet1.xml")
            with pytest.raises(InputError, match="row 301, column XFE"):
                sizes._check_sheet_part(zf, info, path)


def _book(tmp_path, body: bytes):
    path = tmp_path / "long.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", body, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _check(path):
    with zipfile.ZipFile(path) as zf:
        sizes._check_sheet_part(zf, zf.getinfo("xl/worksheets/sheet1.xml"), path)


def test_a_100000_row_sheet_passes_and_one_cell_past_the_limit_is_refused(tmp_path):
    """100,001 rows: a last cell in column AW (49 columns, 4.9 million cells from A1) fits the
    5,000,000-cell limit, in AX (50 columns, 5,000,050) it does not, wherever that cell is."""
    from analysis.importing.limits import MAX_CELLS

    assert 49 * 100_001 <= MAX_CELLS < 50 * 100_001
    body = _sheet_xml(100_000)
    last = b'<row r="100001"><c r="AW100001"><v>1</v></c></row></sheetData>'
    _check(_book(tmp_path, body.replace(b"</sheetData>", last)))
    with pytest.raises(InputError, match=r"AX100001, 5,000,050 cells"):
        _check(_book(tmp_path, body.replace(b"</sheetData>", last.replace(b"AW", b"AX"))))
    # the far column early in the sheet and the far row at its end: the rectangle still counts
    early = body.replace(b'<c r="B10"', b'<c r="AX10"><v>1</v></c><c r="B10"')
    with pytest.raises(InputError, match=r"AX100000, 5,000,000|AX100001"):
        _check(_book(tmp_path, early.replace(b"</sheetData>", b'<row r="100001"></row></sheetData>')))
    # a cell far down in a row near the top, and a row reference out of order
    with pytest.raises(InputError, match=r"beyond the last row"):
        _check(_book(tmp_path, body.replace(b'<c r="A7"', b'<c r="A2000000"><v>1</v></c><c r="A7"')))
    with pytest.raises(InputError, match=r"row 1,048,577"):
        _check(_book(tmp_path, body.replace(b'<row r="20"', b'<row r="1048577"></row><row r="20"')))


def test_attributes_that_only_look_like_references_are_not_counted(tmp_path):
    """Only a row's or a cell's own r attribute counts, as before: not another attribute ending
    in r, nor an r attribute of another element."""
    body = _sheet_xml(100).replace(b'<c r="A7"', b'<c xr="XFD9000000" r="A7"')
    body = body.replace(b"</sheetData>", b'</sheetData><x:mergeCell r="XFE1048577"/>')
    _check(_book(tmp_path, body))


def test_a_sheet_near_the_limit_is_measured_exactly(tmp_path, monkeypatch):
    """Rows to 150,000 and a cell in AD (30 columns): 4.5 million cells fit, although the first
    pass only bounds the rows by 199,999 (6 million): the second pass finds the exact row. With
    the rows to 170,000 (5.1 million) it is refused, and a row far out of order still counts."""
    passes = []
    scan = sizes._scan
    monkeypatch.setattr(sizes, "_scan", lambda *a, **k: passes.append(k["exact"]) or scan(*a, **k))
    body = _sheet_xml(150_000).replace(b'<c r="B10"', b'<c r="AD10"><v>1</v></c><c r="B10"')
    _check(_book(tmp_path, body))
    assert passes == [False, True]
    with pytest.raises(InputError, match=r"AD170000, 5,100,000 cells"):
        _check(_book(tmp_path, body.replace(b'<row r="20"', b'<row r="170000"></row><row r="20"')))
