"""matplotlib output of the figure: pixels against the reference images, a clean layout,
size warnings, and the import discipline that keeps start-up fast.

Reference images live in tests/data/reference/ and are regenerated with
``uv run python tests/data/make_references.py`` after an intended change (look at them first).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.figure import FigureSettings, build_figure, layout_problems, render, render_case
from analysis.figure.presets import size_for
from analysis.figure.spec import Text

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = DATA.parent.parent
# RMS over 0-255 grey levels. Removing one point or changing one cycle label measures ~1.0;
# matplotlib's wheels bundle their own FreeType, so the same version renders the same pixels.
TOLERANCE = 0.5


def test_matches_reference_image(refs, case, reference_name, tmp_path):
    # reference_name: one per image in make_references.REFERENCES (see conftest.py)
    from matplotlib.testing.compare import compare_images

    name = reference_name
    expected = DATA / "reference" / f"{name}.png"
    assert expected.exists(), "run: uv run python tests/data/make_references.py"
    actual = refs.render_reference(name, tmp_path / f"{name}.png", case)
    result = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert result is None, result


def test_reference_comparison_can_fail(refs, case, tmp_path):
    """A figure without the COVID-19 point must not pass as the reference."""
    from matplotlib.testing.compare import compare_images

    spec = build_figure(case, FigureSettings(**refs.REFERENCES["ivig-mmn-figure1"]))
    a = spec.panels[0]
    a = dataclasses.replace(a, points=tuple(p for p in a.points if p.role != "infection"))
    spec = dataclasses.replace(spec, panels=(a, *spec.panels[1:]))
    path = render(spec, tmp_path / "wrong.png", dpi=refs.DPI).path
    assert compare_images(str(DATA / "reference" / "ivig-mmn-figure1.png"), str(path),
                          tol=TOLERANCE) is not None


@pytest.mark.parametrize(
    "settings",
    [
        FigureSettings(),
        FigureSettings(panel_b="overlay"),
        FigureSettings(panel_b="none", height_mm=80),
        FigureSettings(axis="dates"),
        FigureSettings(show_reference_range=True, reference_range=(1.8, 7.7), show_duffy=True),
        FigureSettings(width_mm=size_for("nature-single", 110)[0], height_mm=110),
        FigureSettings(width_mm=size_for("blood-1.5", 110)[0], height_mm=110),
        FigureSettings(width_mm=size_for("elsevier-double", 120)[0], height_mm=120, panel_b="cycle:3"),
        FigureSettings(width_mm=80, height_mm=110, panel_b="overlay"),
    ],
    ids=["default", "overlay", "no-b", "dates", "ranges", "nature-1", "blood-1.5", "elsevier-2", "wiley-1"],
)
def test_layout_is_clean(case, settings):
    """No overlapping labels, nothing off the page, no label or legend over a data point."""
    assert layout_problems(build_figure(case, settings)) == []


def test_layout_check_finds_an_overlap(case):
    spec = build_figure(case, FigureSettings())
    a = spec.panels[0]
    covid = next(t for t in a.texts if t.kind == "event")
    clash = Text("C3 covered", covid.x, covid.y, coords="data", size_pt=7)
    spec = dataclasses.replace(spec, panels=(dataclasses.replace(a, texts=(*a.texts, clash)),
                                             *spec.panels[1:]))
    problems = layout_problems(spec)
    assert any("overlaps" in p for p in problems)
    assert any("covers a marker" in p for p in problems)


@pytest.mark.parametrize("dpi", [77, 220])
def test_the_check_of_a_drawn_preview_finds_what_a_fresh_check_finds(case, dpi):
    """The export preview's figure, drawn at its own resolution, is laid out again at the check's:
    the same text extents, markers and findings as a figure built for the check alone."""
    from analysis.figure import layout_check
    from analysis.figure.preview import draw_preview

    spec = build_figure(case, FigureSettings())
    a = spec.panels[0]
    covid = next(t for t in a.texts if t.kind == "event")
    clash = Text("C3 covered", covid.x, covid.y, coords="data", size_pt=7)
    spec = dataclasses.replace(spec, panels=(dataclasses.replace(a, texts=(*a.texts, clash)), *spec.panels[1:]))
    image = draw_preview(spec, dpi)
    assert image.dpi == dpi and image.width == int(spec.size_mm[0] / 25.4 * dpi)  # Agg truncates
    assert len(image.pixels) == image.width * image.height * 3
    found = layout_problems(spec, drawn=image.figure)
    assert found == layout_problems(spec) and any("overlaps" in p for p in found)
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from analysis.figure import style
    from analysis.figure.fonts import resolve_font
    from analysis.figure.render import build_matplotlib

    with matplotlib.rc_context(style.rc_params(spec.font_pt, resolve_font(spec.font))):  # as the check measures
        renderer = image.figure.canvas.get_renderer()
        again = [(n, b.bounds) for n, b in layout_check._text_boxes(image.figure, renderer)]
        fig = build_matplotlib(spec, layout_check.DPI)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()  # every pixel painted, as the check did before it skipped the painting
        painted = [(n, b.bounds) for n, b in layout_check._text_boxes(fig, canvas.get_renderer())]
    assert again == painted


def test_the_preview_shows_greyscale_in_grey_and_cmyk_as_a_screen_can(case):
    from analysis.figure.preview import draw_preview

    grey = draw_preview(build_figure(case, FigureSettings(colour="grey")), 60)
    assert grey.mode == "L" and len(grey.pixels) == grey.width * grey.height
    cmyk = draw_preview(build_figure(case, FigureSettings(colour="cmyk")), 60)
    assert cmyk.mode == "RGB" and len(cmyk.pixels) == cmyk.width * cmyk.height * 3


def test_small_text_is_warned_about(case, tmp_path):
    report = render_case(case, FigureSettings(font_pt=5, dpi=300), tmp_path / "small.pdf")
    assert report.warnings and all("pt" in w for w in report.warnings)
    report = render_case(case, FigureSettings(dpi=300), tmp_path / "ok.pdf")
    assert report.warnings == ()


def test_low_resolution_raster_is_warned_about(case, tmp_path):
    report = render_case(case, FigureSettings(dpi=150), tmp_path / "low.tiff")
    assert any("dpi" in w for w in report.warnings)


def test_render_case_writes_the_requested_size(case, tmp_path):
    report = render_case(case, FigureSettings(width_mm=89, height_mm=110, dpi=300), tmp_path / "f.png")
    assert report.format == "png" and report.size_mm == (89.0, 110.0)
    assert report.pixels == (int(89 / 25.4 * 300), int(110 / 25.4 * 300))


def test_greyscale_palette_renders(case, tmp_path):
    from PIL import Image

    report = render_case(case, FigureSettings(palette="greyscale", dpi=100), tmp_path / "g.png")
    with Image.open(report.path) as im:
        rgb = im.convert("RGB")
        colours = {c for _, c in rgb.getcolors(1 << 20)}
    assert all(abs(r - g) <= 2 and abs(g - b) <= 2 for r, g, b in colours)


def test_importing_the_figure_package_loads_no_matplotlib_and_rendering_no_pyplot(tmp_path):
    code = (
        "import sys\n"
        "import analysis.figure, analysis.figure.legend, analysis.figure.tables\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported at start-up'\n"
        "sys.path.insert(0, 'tests/data')\n"
        "import make_references as r\n"
        f"r.render_reference('ivig-mmn-figure1', __import__('pathlib').Path({str(tmp_path / 'f.png')!r}))\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
        "assert not any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("mapped", [True, False], ids=["mapped", "copied"])
@pytest.mark.parametrize("mode", ["rgb", "grey", "cmyk"])
def test_the_drawn_image_is_the_pixels_converted_the_long_way(case, mode, mapped, monkeypatch):
    # drawn_image maps Agg's buffer as Pillow's RGB layout (or, on a Pillow without the mapping,
    # reads it as RGBX in one copy); the pixels must be those of Pillow's per-pixel conversion
    # of the RGBA drawing, alpha dropped, then to the mode.
    import matplotlib
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from analysis.figure import style
    from analysis.figure.colour import PIL_MODE
    from analysis.figure.render import build_matplotlib, drawn_image

    spec = build_figure(case, FigureSettings(width_mm=89, height_mm=110))
    with matplotlib.rc_context(style.rc_params(spec.font_pt)):
        canvas = FigureCanvasAgg(build_matplotlib(spec, 120))
        canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    rgba[::7, ::5, 3] = 0  # an alpha the fast path must drop as convert does, not composite
    expected = Image.fromarray(rgba, "RGBA").convert("RGB").convert(PIL_MODE[mode])
    if not mapped:
        monkeypatch.delattr(Image.core, "map_buffer")
    image = drawn_image(canvas, mode)
    assert image.mode == PIL_MODE[mode] and image.size == expected.size
    assert image.tobytes() == expected.tobytes()
    if mode == "rgb":  # mapped means no copy: a pixel drawn again shows in the image
        rgba[0, 0, :3] = (1, 2, 3)
        assert (image.getpixel((0, 0)) == (1, 2, 3)) is mapped
