"""Opening exports: kinds by content, CSV decoding and delimiters, the 1904 flag, refusals."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from analysis.errors import InputError
from analysis.importing.workbook import decode_text, open_workbook, sniff_delimiter

DATA = Path(__file__).resolve().parents[1] / "data"


def test_xlsx_sheets_and_raw_cells():
    book = open_workbook(DATA / "formats" / "messy_export.xlsx")
    assert book.kind == "xlsx"
    assert book.sheet_names == ["Summary", "Results"]
    rows = book.rows("Results")
    assert rows[0] == ["Collected", "Component", "Result", "Units", "Status"]
    assert rows[1][0] == datetime(2023, 3, 1, 8, 0)
    assert rows[1][2] == "1.2 L"  # text stays text
    assert book.head("Results", 2) == rows[:2]


def test_rows_start_at_a1_so_row_numbers_match_excel(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["C3"] = "Component"
    wb.save(tmp_path / "offset.xlsx")
    rows = open_workbook(tmp_path / "offset.xlsx").rows("Sheet")
    assert rows[2][2] == "Component"


def test_xls_and_csv_kinds():
    assert open_workbook(DATA / "formats" / "legacy.xls").kind == "xls"
    book = open_workbook(DATA / "formats" / "portal_cells_per_ul.csv")
    assert book.kind == "csv" and book.sheet_names == [""]
    rows = book.rows("")
    assert rows[0][0] == "Test Name"
    assert all(isinstance(v, str) for r in rows for v in r)


def test_date_system_1904(tmp_path):
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.append(["x"])
    wb.save(tmp_path / "mac.xlsx")
    assert open_workbook(tmp_path / "mac.xlsx").date_system == 1904
    assert open_workbook(DATA / "formats" / "wide_flowsheet.xlsx").date_system == 1900


def test_real_workbook_misnamed_csv_is_read_as_workbook(tmp_path):
    target = tmp_path / "export.csv"
    target.write_bytes((DATA / "formats" / "wide_flowsheet.xlsx").read_bytes())
    assert open_workbook(target).kind == "xlsx"


@pytest.mark.parametrize(
    "data, encoding",
    [
        ("Prélèvement;µmol\n".encode("utf-8-sig"), "utf-8-sig"),
        ("Prélèvement;µmol\n".encode("utf-8"), "utf-8"),
        ("Prélèvement;µmol\n".encode("cp1252"), "cp1252"),
        ("Prélèvement;µmol\n".encode("utf-16"), "utf-16"),
    ],
)
def test_decode_text(data, encoding):
    assert decode_text(data) == "Prélèvement;µmol\n"


def test_decode_falls_back_to_latin1():
    assert decode_text(b"caf\xe9 \x81") == "café \x81"


@pytest.mark.parametrize(
    "text, delimiter",
    [
        ("a,b,c\n1,2,3\n", ","),
        ("Datum;Wert;Einheit\n01.03.2023;1,2;G/l\n02.03.2023;0,45;G/l\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ('Patient,Test,Result\n"DOE, JANE",ANC,1.2\n"DOE, JANE",WBC,2\n', ","),
        ("Lab report for a patient, printed today\n\nTest;Result;Unit\nANC;1,2;G/l\nWBC;2,0;G/l\n", ";"),
    ],
)
def test_sniff_delimiter(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_semicolon_csv_with_decimal_commas(tmp_path):
    path = tmp_path / "fr.csv"
    path.write_bytes("Date;Examen;Résultat\n01/03/2023;PNN;1,2\n".encode("cp1252"))
    rows = open_workbook(path).rows("")
    assert rows == [["Date", "Examen", "Résultat"], ["01/03/2023", "PNN", "1,2"]]


def _refusal(path) -> str:
    with pytest.raises(InputError) as info:
        open_workbook(path)
    message = str(info.value)
    assert Path(path).name in message
    return message


def test_missing_file_directory_and_empty_file(tmp_path):
    assert "was not found" in _refusal(tmp_path / "nothing.xlsx")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert "is a folder" in _refusal(folder)
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "is empty" in _refusal(tmp_path / "empty.csv")


def test_text_named_xlsx():
    message = _refusal(DATA / "broken" / "not_really_excel.xlsx")
    assert "is not an Excel workbook (it looks like a text file)" in message


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text("<html><body><table><tr><td>ANC</td></tr></table></body></html>")
    assert "web page" in _refusal(path)


def test_pdf_is_refused(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert "PDF" in _refusal(path)


def test_password_protected_workbook(tmp_path):
    # An encrypted .xlsx is an OLE2 compound file holding an "EncryptedPackage" stream.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "locked.xlsx"
    path.write_bytes(header + directory + b"\x00" * 1024)
    assert "password-protected" in _refusal(path)


def test_word_document_and_plain_zip(tmp_path):
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    assert "Word document" in _refusal(docx)
    plain = tmp_path / "bundle.xlsx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("labs.csv", "a,b\n")
    assert "zip archive" in _refusal(plain)


def test_xml_doctype_is_refused_before_parsing(tmp_path):
    source = DATA / "formats" / "wide_flowsheet.xlsx"
    target = tmp_path / "doctype.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + data.split(b"?>", 1)[-1]
            zout.writestr(info, data)
    assert "XML entity expansion" in _refusal(target)


def test_inflating_part_is_refused(tmp_path):
    target = tmp_path / "big.xlsx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (12 * 1024 * 1024))
    assert "could harm the computer" in _refusal(target)


def test_truncated_zip_is_damaged(tmp_path):
    data = (DATA / "formats" / "wide_flowsheet.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "is damaged or incomplete" in _refusal(path)


def test_opening_does_not_change_the_file():
    path = DATA / "formats" / "two_patients.xlsx"
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    book = open_workbook(path)
    book.rows(book.sheet_names[0])
    book.close()
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_part_larger_than_its_declared_size_is_damaged(tmp_path):
    """A zip whose headers understate a part's size (to slip past the size check) is refused
    when read, not inflated: the declared sizes the check relies on are enforced."""
    import io
    import struct

    source = DATA / "formats" / "wide_flowsheet.xlsx"
    name = b"xl/worksheets/sheet1.xml"
    buf = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == name.decode():
                rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(20, 5000))
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
            zout.writestr(info.filename, data)
    raw = bytearray(buf.getvalue())
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        i = raw.find(signature)
        while i != -1:
            n = struct.unpack("<H", raw[i + name_len_at : i + name_len_at + 2])[0]
            if raw[i + name_at : i + name_at + n] == name:
                raw[i + size_at : i + size_at + 4] = struct.pack("<I", 2000)
            i = raw.find(signature, i + 4)
    path = tmp_path / "understated.xlsx"
    path.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="damaged or incomplete"):
        book = open_workbook(path)
        book.rows(book.sheet_names[0])


def test_apple_numbers_file_gets_its_own_sentence(tmp_path):
    path = tmp_path / "labs.numbers"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Index/Document.iwa", b"\x00")
    with pytest.raises(InputError, match="Apple Numbers") as info:
        open_workbook(path)
    assert "Export To > Excel" in str(info.value)
    package = tmp_path / "old.numbers"  # older Numbers files are folders
    package.mkdir()
    with pytest.raises(InputError, match="Apple Numbers"):
        open_workbook(package)


def test_hidden_sheets_and_csv_delimiter_are_reported(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active.sheet_state = "hidden"
    wb.create_sheet("Results").append(["x"])
    wb.save(tmp_path / "h.xlsx")
    book = open_workbook(tmp_path / "h.xlsx")
    assert book.hidden_sheets == {"Cover"} and book.sheet_names == ["Cover", "Results"]
    (tmp_path / "s.csv").write_text("Datum;Wert\n01.03.2023;1,2\n")
    assert open_workbook(tmp_path / "s.csv").delimiter == ";"


def test_csv_cells_written_as_excel_text_formulas(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text('MRN,Result\n="000482913",="0.42"\n')
    assert open_workbook(path).rows()[1] == ["000482913", "0.42"]


def test_reading_process_gives_calamine_cells_with_empty_rows_shared(tmp_path):
    """The cells come back as calamine reads them (texts not merged or changed), and every
    empty row of a width is one shared object, which the long reader knows runs by."""
    from python_calamine import CalamineWorkbook

    path = tmp_path / "gaps.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Test", "Result"])
    ws.append([datetime(2022, 1, 3, 9, 0), "ANC", 1.5])
    for _ in range(3):
        ws.append([None, None, None])
    ws.append([datetime(2022, 1, 10, 9, 0), "ANC", 0.0])  # a falsy value in a row that is not empty
    ws.append([None, None, None])
    ws.append([None, "ANC", False])
    wb.save(path)
    rows = open_workbook(path).rows(wb.active.title)
    assert rows == CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    empty = [r for r in rows if r == ["", "", ""]]
    assert len(empty) == 4 and all(r is empty[0] for r in empty)
    assert rows[5][2] == 0.0 and rows[7][2] is False
