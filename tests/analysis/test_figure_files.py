"""The figure files a journal receives: size, fonts, resolution, and nothing that identifies the patient.

Rendered once per module in every format from the reference case (tests/data/ivig-mmn) at the
case report's size, 180 x 120 mm.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.figure import FigureSettings, build_figure, render, render_case
from analysis.figure.render import render_bytes

DATA = Path(__file__).resolve().parents[1] / "data"
W_MM, H_MM = 180.0, 120.0
FORMATS = ("pdf", "svg", "eps", "tiff", "png")
IDENTIFIERS = (b"E0000001", b"TEST, PATIENT", b"TEST_PATIENT", b"labs.xlsx", b"infusions.xlsx", b"ivig-mmn")




@pytest.fixture(scope="module")
def spec(case):
    return build_figure(case, FigureSettings(width_mm=W_MM, height_mm=H_MM, panel_b="cycle:1"))


@pytest.fixture(scope="module")
def files(spec, tmp_path_factory):
    # A folder name holding identifiers, as a physician's folders often do: none may leak.
    folder = tmp_path_factory.mktemp("TEST, PATIENT E0000001")
    out = {}
    for fmt in FORMATS:
        path = folder / f"TEST_PATIENT_E0000001.{fmt}"
        report = render(spec, path, dpi=600)
        assert report.path == path and path.exists()
        assert report.warnings == ()
        out[fmt] = path
    return out


def test_pdf_page_is_the_exact_size(files):
    from pypdf import PdfReader

    page = PdfReader(files["pdf"]).pages[0]
    assert float(page.mediabox.width) == pytest.approx(W_MM / 25.4 * 72, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(H_MM / 25.4 * 72, abs=0.01)


def _font_dicts(reader):
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                for d in font["/DescendantFonts"]:
                    yield d.get_object()
            else:
                yield font


def test_pdf_fonts_are_embedded_truetype(files):
    from pypdf import PdfReader

    reader = PdfReader(files["pdf"])
    fonts = list(_font_dicts(reader))
    assert fonts, "the PDF has no fonts: text was converted to paths"
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.get("/BaseFont")
        assert re.search(r"\+(Arial|Helvetica|LiberationSans)", str(font["/BaseFont"])), font["/BaseFont"]


def test_pdf_metadata_is_fixed(files):
    from pypdf import PdfReader

    meta = PdfReader(files["pdf"]).metadata
    assert meta.get("/Creator") == "Nadir"
    assert meta.get("/Producer") == "Nadir"
    assert meta.get("/Title") == "Nadir"
    assert "/CreationDate" not in meta


def test_pdf_text_is_text(files):
    from pypdf import PdfReader

    text = PdfReader(files["pdf"]).pages[0].extract_text()
    assert "ANC" in text and "Day of cycle" in text


def test_tiff_is_lzw_rgb_with_its_dpi(files):
    from PIL import Image

    with Image.open(files["tiff"]) as im:
        assert im.mode == "RGB"
        assert im.info["compression"] == "tiff_lzw"
        assert tuple(round(v) for v in im.info["dpi"]) == (600, 600)
        assert im.size == (int(W_MM / 25.4 * 600), int(H_MM / 25.4 * 600))


@pytest.mark.parametrize("dpi", [300, 1200])
def test_tiff_other_resolutions(spec, tmp_path, dpi):
    from PIL import Image

    report = render(spec, tmp_path / "f.tif", dpi=dpi)
    assert report.format == "tiff" and report.dpi == dpi
    with Image.open(report.path) as im:
        assert im.size == report.pixels == (int(W_MM / 25.4 * dpi), int(H_MM / 25.4 * dpi))
        assert tuple(round(v) for v in im.info["dpi"]) == (dpi, dpi)


def test_png_size_and_dpi(files):
    from PIL import Image

    with Image.open(files["png"]) as im:
        assert im.size == (int(W_MM / 25.4 * 600), int(H_MM / 25.4 * 600))
        assert tuple(round(v) for v in im.info["dpi"]) == (600, 600)
        assert im.info.get("Software") == "Nadir"


def test_svg_keeps_text_as_text(files):
    svg = files["svg"].read_text(encoding="utf-8")
    texts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)
    assert any("ANC" in t for t in texts)
    assert any("COVID-19" in t for t in texts)
    assert re.search(r'width="510\.2\d*pt"', svg) and re.search(r'height="340\.1\d*pt"', svg)


def test_eps_bounding_box_and_no_transparency(files):
    eps = files["eps"].read_bytes()
    assert eps.startswith(b"%!PS-Adobe-3.0 EPSF-3.0")
    box = re.search(rb"%%BoundingBox: (\d+) (\d+) (\d+) (\d+)", eps)
    assert box is not None
    x0, y0, x1, y1 = (int(v) for v in box.groups())
    assert (x0, y0) == (0, 0)
    assert abs(x1 - W_MM / 25.4 * 72) <= 1 and abs(y1 - H_MM / 25.4 * 72) <= 1
    assert b"%%Creator: Nadir" in eps
    assert b"Type 42" in eps or b"/sfnts" in eps  # TrueType kept as Type 42, not outlines


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_identifies_the_patient(files, fmt):
    data = files[fmt].read_bytes()
    for needle in IDENTIFIERS:
        assert needle not in data, (fmt, needle)


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_twice_gives_identical_bytes(spec, files, fmt):
    again, _ = render_bytes(spec, fmt, 600)
    assert again == files[fmt].read_bytes()


def test_calendar_dates_only_when_asked(case, tmp_path):
    """The default x axis is days; the date axis is an explicit choice."""
    days = render_case(case, FigureSettings(dpi=300), tmp_path / "days.svg")
    dates = render_case(case, FigureSettings(axis="dates", dpi=300), tmp_path / "dates.svg")
    assert "2022" not in days.path.read_text(encoding="utf-8").split("</metadata>")[-1]
    assert "Oct 2022" in dates.path.read_text(encoding="utf-8")


def test_unknown_format_is_an_input_error(spec, tmp_path):
    with pytest.raises(InputError) as err:
        render(spec, tmp_path / "figure.jpg")
    assert "PDF" in str(err.value)
    assert not (tmp_path / "figure.jpg").exists()


def test_missing_folder_is_an_input_error(spec, tmp_path):
    with pytest.raises(InputError):
        render(spec, tmp_path / "no such folder" / "figure.pdf")


def test_failed_write_leaves_no_partial_file(spec, tmp_path, monkeypatch):
    import analysis.files as files  # every output file is written by files.atomic_write_bytes

    target = tmp_path / "figure.pdf"
    target.write_bytes(b"previous figure")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(InputError, match="could not be saved: disk full; the previous figure is unchanged"):
        render(spec, target)
    assert target.read_bytes() == b"previous figure"
    assert list(tmp_path.iterdir()) == [target]
