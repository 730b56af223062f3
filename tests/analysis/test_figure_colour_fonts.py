"""Typeface and colour of the figure files: the font journals name, embedded; RGB, CMYK and grey
output without alpha or transparency; palettes whose roles survive greyscale printing."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess

import pytest

from analysis.errors import InputError
from analysis.figure import PRESETS, FigureSettings, build_figure, render
from analysis.figure import style as S
from analysis.figure.colour import cie_lightness
from analysis.figure.fonts import BUNDLED, GLYPHS, missing_glyphs, resolve_font
from analysis.figure.palette import PALETTES, palette_for


@pytest.fixture(scope="module")
def spec(case):
    return build_figure(case, FigureSettings(width_mm=89, height_mm=110, panel_b="cycle:1"))


def test_the_default_font_is_arial_helvetica_or_the_bundled_one_with_every_glyph():
    family = resolve_font("")
    assert family in ("Arial", "Helvetica", BUNDLED)
    assert missing_glyphs(family) == ""
    assert missing_glyphs(BUNDLED) == "", f"the bundled font lacks some of {GLYPHS}"


def test_an_unknown_font_is_refused_with_the_fonts_that_work():
    with pytest.raises(InputError, match="not installed.*Liberation Sans"):
        resolve_font("No Such Font Family")


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_shows_the_font_embedded_at_every_preset(case, spec, tmp_path):
    """Every journal preset (their panel letters differ: Nature's lowercase bold 8 pt) and a
    custom size: Arial, Helvetica or the bundled Liberation Sans, each font embedded."""
    specs = [("custom", spec)] + [(p.key, build_figure(case, FigureSettings(panel_b="cycle:1")
                                                       .with_preset(p.key))) for p in PRESETS]
    for key, each in specs:
        path = render(each, tmp_path / f"{key}.pdf").path
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, (key, out)
        for row in rows:
            assert re.search(r"\+(Arial|Helvetica|LiberationSans)", row), (key, row)
            assert row.split()[-5] == "yes", f"{key}: not embedded: {row}"  # the "emb" column


def test_eps_embeds_and_svg_names_the_font(spec, tmp_path):
    family = resolve_font("")
    eps = render(spec, tmp_path / "f.eps").path.read_bytes()
    assert family.replace(" ", "").encode() in eps and b"/sfnts" in eps  # Type 42: the font inside
    svg = render(spec, tmp_path / "f.svg").path.read_text()
    assert f"font-family: '{family}'" in svg


def test_pdf_has_no_transparency(spec, tmp_path):
    data = render(spec, tmp_path / "f.pdf").path.read_bytes()
    alphas = [float(v) for v in re.findall(rb"/(?:CA|ca) ([\d.]+)", data)]
    assert all(a == 1.0 for a in alphas), alphas
    assert b"/SMask" not in data and b"/Transparency" not in data


@pytest.mark.parametrize("colour, mode", [("rgb", "RGB"), ("cmyk", "CMYK"), ("grey", "L")])
def test_tiff_in_each_colour_mode(case, tmp_path, colour, mode):
    from PIL import Image

    spec = build_figure(case, FigureSettings(width_mm=89, height_mm=110, colour=colour))
    report = render(spec, tmp_path / "f.tif", dpi=300)
    with Image.open(report.path) as im:
        assert im.mode == mode
        assert "A" not in im.getbands()


def test_png_has_no_alpha_channel(spec, tmp_path):
    from PIL import Image

    with Image.open(render(spec, tmp_path / "f.png", dpi=150).path) as im:
        assert im.mode == "RGB"


@pytest.mark.parametrize("suffix", ["pdf", "eps", "svg", "png"])
def test_cmyk_is_refused_where_it_cannot_be_written_faithfully(case, tmp_path, suffix):
    spec = build_figure(case, FigureSettings(colour="cmyk"))
    with pytest.raises(InputError, match="CMYK.*TIFF only"):
        render(spec, tmp_path / f"f.{suffix}")


def test_grey_output_is_drawn_with_the_greyscale_palette(case):
    spec = build_figure(case, FigureSettings(colour="grey", palette="okabe-ito"))
    assert spec.palette == "greyscale"
    colours = {p.colour for panel in spec.panels for p in panel.points}
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_roles_of_the_same_shape_differ_in_lightness(name):
    pal = PALETTES[name]
    for a, b in itertools.combinations(S.ROLES, 2):
        if S.MARKER[a] == S.MARKER[b]:
            gap = abs(cie_lightness(getattr(pal, a)) - cie_lightness(getattr(pal, b)))
            assert gap >= 15, f"{name}: {a} and {b} are both {S.MARKER[a]!r} and {gap:.0f} L* apart"


def test_case_report_palette_has_the_case_reports_look():
    pal = palette_for(FigureSettings(palette="case-report"))
    assert pal.name == "case-report"
    assert pal.band[1] == "#FFFFFF" and cie_lightness(pal.band[0]) < 95  # blue and white bands
    assert pal.word("pre") == "red" and pal.word("post") == "purple" and pal.word("infection") == "yellow"


def test_the_embedding_copy_has_no_gpos_and_draws_the_same_advances():
    """The bundled font is found as its copy without GPOS (fast to subset), and that copy lays
    out text exactly as the shipped file does (kerning from its kern table)."""
    from pathlib import Path

    from fontTools.ttLib import TTFont
    from matplotlib.ft2font import FT2Font

    from analysis.figure.fonts import _fonts_folder, font_file

    found = font_file(BUNDLED)
    shipped = _fonts_folder() / "LiberationSans-Regular.ttf"
    assert Path(found) != shipped and "GPOS" not in TTFont(found) and "kern" in TTFont(found)
    text = "AVATAR To Wa Ty 1.35 (0.9–1.8) ×10³/µL ≥"
    widths = []
    for path in (found, str(shipped)):
        ft = FT2Font(path)
        ft.set_size(7, 600)
        ft.set_text(text)
        widths.append(ft.get_width_height())
    assert widths[0] == widths[1]


def test_the_subset_cache_is_in_place_and_changes_no_byte(spec, tmp_path):
    """The pinned matplotlib has the subsetting function the cache wraps; a PDF and an EPS
    written with the cache warm are byte for byte the ones written cold, fonts embedded."""
    from matplotlib.backends import _backend_pdf_ps

    from analysis.figure.render import render_bytes

    first_pdf, _ = render_bytes(spec, "pdf")
    first_eps, _ = render_bytes(spec, "eps")
    assert getattr(_backend_pdf_ps.get_glyphs_subset, "nadir_cached", False)
    assert render_bytes(spec, "pdf")[0] == first_pdf and render_bytes(spec, "eps")[0] == first_eps
    assert b"/FontFile2" in first_pdf and b"/sfnts" in first_eps


def _page_contents(pdf: bytes) -> list[bytes]:
    import io

    from pypdf import PdfReader

    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def subset_folder(tmp_path, monkeypatch):
    """A fresh cache folder and a process with no subset kept: a first export on a new machine."""
    import matplotlib

    from analysis.figure import subset_cache

    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path / "cache"))
    subset_cache.SUBSETS.clear()
    yield tmp_path / "cache" / "nadir-fonts" / "subsets"
    subset_cache.SUBSETS.clear()


def test_a_latin_figure_embeds_the_fixed_subset_made_from_the_font_alone(spec, case, subset_folder, monkeypatch):
    """The first export of a process reads each font's subset of COMMON_TEXT from the cache
    folder: the file is the same whatever the figure says (nothing of its text on disk), the
    page is the one the figure's own subset gives (the same glyph codes at the same places)
    and every glyph it draws is in the embedded font."""
    from analysis.figure import subset_cache
    from analysis.figure.render import render_bytes

    pdf, _ = render_bytes(spec, "pdf")
    files = {p.name: p.read_bytes() for p in subset_folder.iterdir()}
    assert len(files) == 2 and all(name.endswith(".ttf-subset") for name in files)  # regular, bold
    other = build_figure(case, FigureSettings(width_mm=180, height_mm=60, panel_b="none", preset="nature-double"))
    subset_cache.SUBSETS.clear()
    assert render_bytes(other, "pdf")[0] != pdf
    assert {p.name: p.read_bytes() for p in subset_folder.iterdir()} == files  # read, not rewritten
    subset_cache.SUBSETS.clear()
    monkeypatch.setattr(subset_cache, "_common_subset", lambda original, fontfile: None)
    own, _ = render_bytes(spec, "pdf")  # subset for this figure's glyphs, as before
    assert own != pdf and _page_contents(own) == _page_contents(pdf)
    assert b"/FontFile2" in pdf and len(pdf) < len(own) + 80_000


def test_a_glyph_outside_the_fixed_set_gets_the_figures_own_subset(subset_folder):
    """Greek (say) is not among COMMON_TEXT: that figure's glyphs are subset for it alone,
    and a Latin glyph set of the same font still gets the fixed subset."""
    from fontTools.ttLib import TTFont
    from matplotlib.backends import _backend_pdf_ps
    from matplotlib.font_manager import FontPath

    from analysis.figure.fonts import font_file
    from analysis.figure.subset_cache import install

    assert install()
    path = font_file(BUNDLED)
    font = TTFont(path)
    cmap, ids = font.getBestCmap(), font.getReverseGlyphMap()
    alpha, a = ids[cmap[ord("α")]], ids[cmap[ord("A")]]
    with _backend_pdf_ps.get_glyphs_subset(FontPath(path, 0), {a, alpha}) as own:
        assert set(own.glyph_index_map) >= {a, alpha} and len(own.glyph_index_map) < 10
    with _backend_pdf_ps.get_glyphs_subset(FontPath(path, 0), {a}) as common:
        assert len(common.glyph_index_map) > 200 and "α" not in "".join(
            chr(c) for c in common.font.getBestCmap())
    assert len(list(subset_folder.iterdir())) == 1


def test_a_cache_folder_that_cannot_be_written_changes_no_byte(spec, subset_folder, tmp_path, monkeypatch):
    import matplotlib

    from analysis.figure import subset_cache
    from analysis.figure.render import render_bytes

    written, _ = render_bytes(spec, "pdf")
    (tmp_path / "a file").write_text("")
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path / "a file"))
    subset_cache.SUBSETS.clear()
    assert render_bytes(spec, "pdf")[0] == written
