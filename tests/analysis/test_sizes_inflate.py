"""The sheet screen's own inflater gives exactly zipfile's bytes, and no more than declared."""

from __future__ import annotations

import zipfile

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
    """The screen sends a part with a cell beyond Z99999 to the full scan wherever it falls."""
    monkeypatch.setattr(sizes, "STEP", 1000)
    body = _sheet_xml(300).replace(b"</sheetData>", b'<row r="301"><c r="XFD301"><v>1</v></c></row></sheetData>')
    path = tmp_path / "book.zip"
    at = body.index(b'r="XFD')
    for cut in range(1, 8):  # the far reference split after each of its first seven bytes
        pad = (1000 - cut - at) % 1000
        data = body.replace(b"<worksheet>", b"<worksheet>" + b" " * pad)
        assert data.index(b'r="XFD') % 1000 == 1000 - cut
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("xl/worksheets/sheet1.xml", data, compress_type=zipfile.ZIP_DEFLATED)
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/worksheets/sheet1.xml")
            assert sizes._screen_sheet_part(zf, info, "sheet1", path) is False
