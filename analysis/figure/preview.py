"""The export preview: the publication figure drawn once at screen resolution, as pixels.

The preview is what the file will be (the same matplotlib figure as ``render.py`` writes), drawn
at the resolution that fits the dialog rather than the export's. Its figure is handed back with
the pixels so that the collision check (``layout_check.layout_problems(spec, drawn=...)``) can
lay the same figure out again instead of building a second one, after the picture is shown.
The pixels stay raw (no PNG between the drawing and the screen): encoding and decoding a PNG
would only cost time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analysis.figure import style
from analysis.figure.colour import PIL_MODE, check_colour
from analysis.figure.fonts import resolve_font
from analysis.figure.items import FigureSpec

MIN_DPI = 30  # below this a preview shows nothing legible


@dataclass(frozen=True)
class PreviewImage:
    """Pixels row by row, ``mode`` "RGB" (3 bytes a pixel) or "L" (greyscale, 1 byte)."""

    pixels: bytes
    width: int
    height: int
    mode: str
    dpi: int
    figure: Any  # the matplotlib Figure drawn, for the collision check


def draw_preview(spec: FigureSpec, dpi: float) -> PreviewImage:
    """``spec`` drawn at ``dpi`` as the file's colours show on a screen.

    A greyscale figure is shown in grey; a CMYK figure as its plain device conversion back to
    RGB (what a screen can show of it; the file itself is written as TIFF only).
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from analysis.figure.render import build_matplotlib, check_pixels, drawn_image

    dpi = max(round(dpi), MIN_DPI)
    check_pixels(spec.size_mm, dpi)
    mode = check_colour(spec.colour, "tiff")  # the modes a file can have: tiff carries all three
    with matplotlib.rc_context(style.rc_params(spec.font_pt, resolve_font(spec.font))):
        fig = build_matplotlib(spec, dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        image = drawn_image(canvas)
    if mode == "grey":
        image = image.convert(PIL_MODE["grey"])
    elif mode == "cmyk":
        image = image.convert(PIL_MODE["cmyk"]).convert("RGB")
    return PreviewImage(image.tobytes(), image.width, image.height, image.mode, dpi, fig)
