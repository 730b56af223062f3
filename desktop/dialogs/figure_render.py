"""The publication figure rendered for the export dialog and the clipboard.

The render functions run on a worker thread (no widgets): the preview at screen resolution with
every warning worth showing, the PNG and SVG for the clipboard, the file itself. The clipboard
entry points put the figure where Word and PowerPoint paste it at its printed size.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from analysis.figure.spec import FigureSettings

from ..workers import Cancelled, render_pool, run_with_progress
from .errors import show_error


def preview_picture(case, settings: FigureSettings, dpi: float):
    """(spec, the figure drawn at ``dpi``, the warnings listed before the collisions, those after).

    The collisions come from :func:`preview_layout` once the picture is shown; the dialog lists
    the first list (small text, the journal's rules), the collisions, then the second (the
    spec's own notes)."""
    from analysis.figure import build_figure
    from analysis.figure.journal_rules import journal_warnings
    from analysis.figure.preview import draw_preview

    spec = build_figure(case, settings)
    image = draw_preview(spec, dpi)
    return spec, image, small_text_warnings(spec) + journal_warnings(spec), list(spec.notes)


def preview_layout(spec, image) -> list[str]:
    """The collision check of the preview's own figure (laid out again, not built again)."""
    from analysis.figure.layout_check import layout_problems

    return list(layout_problems(spec, drawn=image.figure))


def find_clean_height(case, settings: FigureSettings, check, stop):
    """On the render thread, for a figure Export would refuse: the smallest taller height at
    which its labels are clear, kept in ``check`` (``LayoutCheck.works``) unless ``stop()``
    said nobody wants it any more; returns ``check``."""
    from analysis.figure import clean_height

    works = clean_height(case, settings, stop=stop)
    if not stop():
        check.works = works
    return check


def small_text_warnings(spec) -> list[str]:
    """One sentence for all text under the journals' minimum (the renderer lists each place)."""
    from analysis.figure.style import MIN_FONT_PT

    small = {(where, size) for where, _text, size in spec.text_items() if size < MIN_FONT_PT}
    if not small:
        return []
    smallest = min(size for _w, size in small)
    places = sorted({where.split(" ")[0] if where.startswith("panel") is False else " ".join(where.split()[:2])
                     for where, _s in small})
    return [
        f"Some text is only {smallest:g} pt at the printed size (in {', '.join(places)}); journals ask for at "
        f"least {MIN_FONT_PT:g} pt. Increase the text size or choose a larger figure."
    ]


def clipboard_payload(case, settings: FigureSettings, dpi: int) -> tuple[bytes, bytes]:
    """(PNG at ``dpi``, SVG) for the clipboard: Word and PowerPoint take either. PNG and SVG
    carry no CMYK: a CMYK figure is copied in the RGB its TIFF is converted from."""
    from dataclasses import replace

    from analysis.figure import build_figure
    from analysis.figure.colour import screen_colour
    from analysis.figure.render import render_bytes

    spec = build_figure(case, settings)
    spec = replace(spec, colour=screen_colour(spec.colour))
    png, _ = render_bytes(spec, "png", dpi=dpi)
    svg, _ = render_bytes(spec, "svg", dpi=dpi)
    return png, svg


def export_file(case, settings: FigureSettings, path: Path, fmt: str, checked=None):
    """The file, with the preview's ``checked`` collision check and clean height where they
    are of this very figure (``render_case`` compares the specs)."""
    from analysis.figure import render_case

    return render_case(case, settings, path, fmt=fmt, checked=checked)


# --- the clipboard -------------------------------------------------------------------------------


def copy_figure(parent: QWidget | None, doc) -> bool:
    """Edit > Copy figure: the publication figure as the export dialog would copy it (PNG at the
    figure's resolution, and SVG), from the window without opening the dialog."""
    case, settings = doc.case, doc.settings
    if case is None:
        return False
    dpi = int(settings.dpi)
    image = render_to_clipboard(parent, case, settings, dpi)
    if image is None:
        return False
    status = getattr(parent, "statusBar", None)
    if callable(status):
        status().showMessage(f"Copied the figure ({image.width()} × {image.height()} pixels at {dpi} dpi, "
                             "and as SVG): paste it into Word or PowerPoint.", 10000)
    return True


def render_to_clipboard(parent: QWidget | None, case, settings, dpi: int) -> QImage | None:
    """Render the publication figure in the background and put it on the clipboard (PNG and
    SVG); None when cancelled or refused (the refusal is shown to the user)."""
    try:
        png, svg = run_with_progress(parent, f"Preparing the figure at {dpi} dpi…", clipboard_payload, case,
                                     settings, dpi, pool=render_pool())
    except Cancelled:
        return None
    except Exception as exc:  # noqa: BLE001 - shown in words
        show_error(parent, exc)
        return None
    return put_on_clipboard(png, svg, dpi)


def put_on_clipboard(png: bytes, svg: bytes, dpi: int) -> QImage:
    image = QImage.fromData(QByteArray(png), "PNG")
    dots_per_metre = int(round(dpi / 0.0254))
    image.setDotsPerMeterX(dots_per_metre)  # Word then pastes it at the printed size
    image.setDotsPerMeterY(dots_per_metre)
    mime = QMimeData()
    mime.setImageData(image)
    mime.setData("image/svg+xml", QByteArray(svg))
    QGuiApplication.clipboard().setMimeData(mime)
    return image
