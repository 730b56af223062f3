"""Publication output: a :class:`~analysis.figure.spec.FigureSpec` drawn by matplotlib.

This module only translates the spec (every decision was taken in ``spec.py``, so the screen
and the file agree). What journals check, and how it is met here:

* exact size: the figure is made at ``size_mm`` and saved without ``bbox_inches="tight"``,
  which would crop it to another size;
* fonts: Arial, Helvetica or the bundled Liberation Sans (``fonts.py``) embedded as TrueType in
  PDF and EPS (``fonttype`` 42), text kept as text, with its family named, in SVG;
* no transparency anywhere: the spec uses opaque tints only, nothing is drawn with an invisible
  edge (matplotlib writes that as a stroke alpha of 0, which preflight checks flag), and raster
  files carry no alpha channel: TIFF and PNG are written by Pillow from the Agg buffer as RGB,
  CMYK or greyscale (``colour.py``) with their dpi, TIFF LZW-compressed;
* nothing identifying: fixed metadata ("Nadir") and no file name inside the file (every format
  is rendered to memory first, so not even EPS's ``%%Title`` sees the path), which also makes
  the bytes identical on every run.

matplotlib is imported inside the functions: importing it costs most of a second, which the
command line and the GUI should not pay at start-up. pyplot is never imported (it may choose a
GUI backend); a bare ``Figure`` saves through the backend of the file format.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import InputError
from analysis.figure import style
from analysis.figure.colour import PIL_MODE, check_colour
from analysis.figure.fonts import resolve_font
from analysis.figure.items import FigureSpec, Panel, Text
from analysis.figure.journal_rules import journal_warnings, raster_refusal, raster_warning
from analysis.figure.presets import get_preset
from analysis.figure.style import PT_MM, TICK_FRAC
from analysis.figure.subset_cache import install as install_subset_cache
from analysis.files import atomic_write_bytes

FORMATS = {"pdf": "pdf", "svg": "svg", "eps": "eps", "tif": "tiff", "tiff": "tiff", "png": "png"}
RASTER = ("tiff", "png")
DEFAULT_DPI = 600
# A raster figure is drawn whole in memory (4 bytes a pixel, several copies on the way to the
# file). 100 megapixels is a double-column figure at 1200 dpi with room to spare and keeps
# the drawing near a gigabyte; beyond it the time and memory grow without any journal use.
MAX_PIXELS = 100_000_000
EPS_DATE = b"%%CreationDate: Thu Jan  1 00:00:00 1970"


@dataclass(frozen=True)
class RenderReport:
    path: Path
    format: str
    size_mm: tuple[float, float]
    dpi: int | None  # raster formats only
    pixels: tuple[int, int] | None  # raster formats only
    warnings: tuple[str, ...] = ()


def render(spec: FigureSpec, path, *, fmt: str | None = None, dpi: int | None = None,
           checked: LayoutCheck | None = None) -> RenderReport:
    """Write ``spec`` to ``path`` as PDF, SVG, EPS, TIFF or PNG (from ``fmt`` or the suffix).
    ``checked``: the collision check of a spec equal to this one, already done (the export
    dialog's preview); not done again. A check of any other spec is ignored."""
    path = Path(path)
    fmt = _format(path, fmt)
    check_colour(spec.colour, fmt)
    if spec.too_short():
        raise InputError(spec.too_short(), path,
                         f"Make it {spec.min_height_mm:g} mm high or more (--height-mm "
                         f"{spec.min_height_mm:g}), or leave out panel B or the statistics.")
    dpi = int(dpi or DEFAULT_DPI)
    warnings = font_warnings(spec) + journal_warnings(spec)
    if fmt in RASTER and raster_refusal(spec, dpi):
        preset = get_preset(spec.preset)
        raise InputError(raster_refusal(spec, dpi), path,
                         f"Use --dpi {preset.combination_dpi if preset else 600}, or PDF, SVG or EPS (vector).")
    if fmt in RASTER and dpi < 300:
        warnings.append(f"{dpi} dpi is below the 300 dpi journals ask for in raster figures.")
    elif fmt in RASTER and raster_warning(spec, dpi):
        warnings.append(raster_warning(spec, dpi))
    blemishes: list[str] = []
    data, pixels = render_bytes(spec, fmt, dpi, check_path=path, notes=blemishes, checked=checked)
    warnings += [f"{b} (move or hide one of the labels in Nadir's window)" for b in blemishes]
    atomic_write_bytes(path, data, "figure")
    return RenderReport(
        path=path,
        format=fmt,
        size_mm=spec.size_mm,
        dpi=dpi if fmt in RASTER else None,
        pixels=pixels,
        warnings=tuple(warnings),
    )


class LabelCollisionError(InputError):
    """The figure's texts collide at the size asked for (:func:`check_collisions`); a caller that
    can build the figure again at other heights says which height works (``render_case``)."""


UNKNOWN = object()  # LayoutCheck.works before the search for a clean height


class LayoutCheck:
    """The collision check of one figure, kept to be used again: ``problems`` is what
    :func:`layout_problems` found in ``spec``; ``works``, once looked for, the smallest clean
    taller height (``analysis.figure.clean_height``; None when there is none). It applies to a
    spec equal to its own only (``applies_to``): an edit since makes it a check of another
    figure, never a stale answer for this one. The export dialog's preview makes one on its
    render thread; Export hands it to ``render_case``, which neither lays the figure out again
    nor searches the heights again."""

    def __init__(self, spec: FigureSpec, problems, works: object = UNKNOWN):
        self.spec = spec
        self.problems = tuple(problems)
        self.works = works  # float | None | UNKNOWN; set once by the thread that searched

    def applies_to(self, spec: FigureSpec) -> bool:
        return self.spec is spec or self.spec == spec

    @property
    def refused(self) -> bool:
        """``render`` would refuse this figure (a collision that is more than a blemish)."""
        from analysis.figure.layout_check import is_blemish

        return not all(is_blemish(p) for p in self.problems)


def check_collisions(spec: FigureSpec, path=None, drawn=None, checked: LayoutCheck | None = None) -> list[str]:
    """Refuse a figure whose texts the layout check finds colliding (a label off the page, on
    another label, a marker or a reference line), naming them: the file is not written, rather
    than written with a label a journal's production office would send back. ``checked``:
    the findings of an earlier check of an equal spec, used instead of laying it out again."""
    from analysis.figure.layout_check import is_blemish

    if checked is not None and checked.applies_to(spec):
        found = list(checked.problems)
    else:
        found = layout_problems(spec, drawn=drawn)
    problems = [p for p in found if not is_blemish(p)]
    if not problems:
        return [p for p in found if is_blemish(p)]  # written, with these as warnings
    shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
    w, h = spec.size_mm
    raise LabelCollisionError(
        f"at {w:g} x {h:g} mm the figure's labels collide: {shown}",
        path,
        f"Make the figure taller than {h:g} mm or wider (the export dialog's height or preset; "
        "--height-mm or --preset), or hide or move the label in Nadir's window (right-click it).",
    )


def _format(path: Path, fmt: str | None) -> str:
    key = (fmt or path.suffix.lstrip(".")).lower().lstrip(".")
    if key not in FORMATS:
        raise InputError(
            f"cannot write a figure as {key or 'a file without extension'!r}",
            path,
            "Choose PDF, SVG or EPS (vector) or TIFF or PNG (image).",
        )
    return FORMATS[key]


def font_warnings(spec: FigureSpec) -> list[str]:
    """A warning per distinct text smaller than the journals' minimum at final size."""
    small = sorted({(size, where) for where, _, size in spec.text_items() if size < style.MIN_FONT_PT})
    return [
        f"Text in {where} is {size:g} pt at final size; journals ask for at least "
        f"{style.MIN_FONT_PT:g} pt."
        for size, where in small
    ]


def render_bytes(spec: FigureSpec, fmt: str, dpi: int = DEFAULT_DPI, *, check_path=None,
                 notes: list | None = None, checked: LayoutCheck | None = None) -> tuple[bytes, tuple[int, int] | None]:
    """The file's bytes (and pixel size for raster formats). With ``check_path`` (the file to
    be written) the figure is refused first when its texts collide (:func:`check_collisions`,
    on the figure built here, not a second one; or ``checked``'s findings for an equal spec)."""
    import matplotlib

    if fmt in RASTER:
        check_pixels(spec.size_mm, dpi)
    mode = check_colour(spec.colour, fmt)
    if fmt in ("pdf", "eps"):
        install_subset_cache()  # the same fonts and glyphs are subset once per process
    with matplotlib.rc_context(style.rc_params(spec.font_pt, resolve_font(spec.font))):
        fig = build_matplotlib(spec, dpi)
        if check_path is not None:
            blemishes = check_collisions(spec, check_path, drawn=fig, checked=checked)
            if notes is not None:
                notes.extend(blemishes)
            fig.set_dpi(dpi)
        buf = io.BytesIO()
        if fmt == "pdf":
            meta = {"Creator": "Nadir", "Producer": "Nadir", "Title": spec.title,
                    "CreationDate": None, "ModDate": None}
            fig.savefig(buf, format="pdf", metadata=meta)
        elif fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Creator": "Nadir", "Date": None, "Title": spec.title})
        elif fmt == "eps":
            fig.savefig(buf, format="eps", metadata={"Creator": "Nadir"})
            data = re.sub(rb"%%CreationDate:[^\r\n]*", EPS_DATE, buf.getvalue(), count=1)
            return data, None
        elif fmt in RASTER:
            return _raster(fig, dpi, fmt, mode)
        else:  # pragma: no cover - _format filters
            raise ValueError(fmt)
        return buf.getvalue(), None


def check_pixels(size_mm: tuple[float, float], dpi: int) -> None:
    """Refuse a raster figure beyond MAX_PIXELS, saying the largest resolution and size possible."""
    w_mm, h_mm = size_mm
    w_px, h_px = int(w_mm / 25.4 * dpi), int(h_mm / 25.4 * dpi)
    if w_px * h_px <= MAX_PIXELS:
        return
    best_dpi = int((MAX_PIXELS / ((w_mm / 25.4) * (h_mm / 25.4))) ** 0.5)
    scale = (MAX_PIXELS / (w_px * h_px)) ** 0.5
    raise InputError(
        f"a {w_mm:g} x {h_mm:g} mm figure at {dpi} dpi would be {w_px:,} x {h_px:,} pixels; Nadir draws "
        f"images of up to {MAX_PIXELS // 1_000_000} megapixels: at this size up to {best_dpi} dpi, or at "
        f"{dpi} dpi up to {int(w_mm * scale)} x {int(h_mm * scale)} mm",
        None,
        "Lower the resolution or the size, or choose PDF, SVG or EPS, which have no pixels.",
    )


def _raster(fig, dpi: int, fmt: str, mode: str) -> tuple[bytes, tuple[int, int]]:
    """RGB, CMYK or greyscale without alpha, dpi stored (TIFF LZW-compressed): what
    production systems of journals accept."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    with matplotlib.rc_context({"text.hinting": raster_hinting(dpi)}):
        canvas.draw()
    image = drawn_image(canvas, mode)
    out = io.BytesIO()
    if fmt == "tiff":
        image.save(out, format="TIFF", compression="tiff_lzw", dpi=(dpi, dpi),
                   tiffinfo={305: "Nadir"})  # 305 = Software
    else:
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Software", "Nadir")
        image.save(out, format="PNG", dpi=(dpi, dpi), pnginfo=info, optimize=False)
    return out.getvalue(), image.size


def raster_hinting(dpi: int) -> str:
    """FreeType hinting for glyphs drawn at ``dpi``: matplotlib's default below print
    resolutions, where snapping stems to whole pixels keeps small text crisp, and none from
    300 dpi, where a 6-pt glyph is 25 pixels tall, hinting moves outlines by less than a pixel,
    and loading each glyph through the hinter was a sixth of a 600-dpi TIFF's drawing (20 ms)."""
    import matplotlib

    return "no_hinting" if dpi >= 300 else matplotlib.rcParams["text.hinting"]


def drawn_image(canvas, mode: str = "rgb"):
    """The figure an Agg canvas drew, as a Pillow image in ``mode`` ("rgb", "cmyk" or "grey"),
    without alpha. An "rgb" image shares the canvas's memory: use it before the canvas draws
    again (every caller writes or copies it at once).

    Agg draws 4 bytes a pixel, red, green, blue and alpha, which is exactly how Pillow holds an
    RGB image in memory (the fourth byte unused), so the image is mapped onto Agg's buffer
    rather than copied: at 600 dpi a copy is a new 48 MB image whose pages the system hands out
    one by one (4-23 ms of a two-panel TIFF, depending on what the process freed before).
    Pillow's public ``frombuffer`` maps only modes that read the fourth byte (RGBA, RGBX), so
    the mapping is its own ``core.map_buffer`` with the RGB layout; a Pillow without it falls
    back to the one copy. Either way the alpha byte is dropped without compositing, as
    ``convert`` from RGBA does: the pixels are the same (tests/analysis/test_figure_render.py)."""
    from PIL import Image

    renderer = canvas.get_renderer()
    size = (int(renderer.width), int(renderer.height))
    buffer = canvas.buffer_rgba()
    try:
        image = Image.Image()._new(Image.core.map_buffer(buffer, size, "raw", 0, ("RGB", 0, 1)))
    except (AttributeError, TypeError, ValueError):  # another Pillow: one copy instead
        image = Image.frombytes("RGB", size, buffer, "raw", "RGBX")
    return image if mode == "rgb" else image.convert(PIL_MODE[mode])


# --- spec -> matplotlib ----------------------------------------------------------------------------


def build_matplotlib(spec: FigureSpec, dpi: int = 100):
    """A ``matplotlib.figure.Figure`` for ``spec`` (call inside ``style.rc_params``' context)."""
    from matplotlib.figure import Figure

    W, H = spec.size_mm
    fig = Figure(figsize=(W / 25.4, H / 25.4), dpi=dpi)
    fig.set_facecolor("white")
    for panel in spec.panels:
        _panel(fig, panel, spec)
    if spec.legend is not None and spec.legend.entries:
        _legend(fig, spec)
    for t in spec.texts:
        _text(fig, None, t, W, H)
    return fig


def _panel(fig, p: Panel, spec: FigureSpec):
    from matplotlib.collections import PolyCollection

    W, H = spec.size_mm
    b = p.box
    ax = fig.add_axes((b.x / W, 1 - (b.y + b.h) / H, b.w / W, b.h / H))
    # No plot background: the figure beneath is white, and a white rectangle over it changes no
    # pixel while filling the whole plot area again at 600 dpi (about 5 ms of a two-panel TIFF);
    # in vector files it was a filled path with an invisible stroke.
    ax.patch.set_visible(False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if p.y_axis.log:
        ax.set_yscale("log")
    ax.set_xlim(p.x_axis.lo, p.x_axis.hi)
    ax.set_ylim(p.y_axis.lo, p.y_axis.hi)
    ax.set_xticks(p.x_axis.ticks, p.x_axis.tick_labels)
    ax.set_yticks(p.y_axis.ticks, p.y_axis.tick_labels)
    ax.minorticks_off()
    ax.set_xlabel(p.x_axis.label)
    ax.set_ylabel(p.y_axis.label)
    xband = ax.get_xaxis_transform()

    if p.bands:  # one collection for every cycle: a ten-year record has ~170
        verts = [[(bd.x0, 0), (bd.x1, 0), (bd.x1, 1), (bd.x0, 1)] for bd in p.bands]
        fills = [bd.fill for bd in p.bands]  # edges in the fill colour, width 0: no alpha-0 stroke
        ax.add_collection(PolyCollection(verts, facecolors=fills, edgecolors=fills, linewidths=0,
                                         transform=xband, zorder=0), autolim=False)
    for h in p.hlines:
        ax.axhline(h.y, color=h.colour, linestyle=h.style, linewidth=h.width, zorder=1).nadir_hline = True
    for s in p.hspans:
        for y in (s.y0, s.y1):
            ax.axhline(y, color=s.colour, linestyle=s.style, linewidth=s.width,
                       zorder=1).nadir_hline = True  # for layout_check
    # A one-day event gets a tick on the time axis at its day, so that it is placed even when
    # no blood was drawn that day (its label alone would float).
    for e in (e for e in p.events if e.x1 is None):
        ax.plot([e.x0 + 0.5, e.x0 + 0.5], [0, TICK_FRAC], color=e.colour, linewidth=1.6,
                solid_capstyle="butt", transform=xband, zorder=1, clip_on=False)
    spans = [e for e in p.events if e.x1 is not None]
    if spans:
        verts = [[(e.x0, 0), (e.x1, 0), (e.x1, 0.025), (e.x0, 0.025)] for e in spans]
        fills = [e.colour for e in spans]
        ax.add_collection(PolyCollection(verts, facecolors=fills, edgecolors=fills, linewidths=0,
                                         transform=xband, zorder=1), autolim=False)
    for line in p.lines:
        ax.plot(line.x, line.y, color=line.colour, linestyle=line.style, linewidth=line.width,
                zorder=line.z, solid_joinstyle="round")
    for pts in p.points:
        _scatter(ax, pts.x, pts.y, pts.size_pt**2, pts.marker,
                 face=pts.colour if pts.filled else "white",
                 edge=pts.edge if pts.filled else pts.colour,
                 width=style.MARKER_EDGE_LW if pts.filled else 0.9, zorder=3)
    _courses(ax, p)
    for t in p.texts:
        _text(fig, ax, t, W, H)
    return ax


def _scatter(ax, x, y, size: float, marker: str, *, face, edge, width: float, zorder: int, transform=None):
    """What ``ax.scatter`` makes for filled markers of one size and colour (a PathCollection of
    the marker's path at the points, drawn unclipped), without its argument handling and its
    update of the data limits: the axes' limits are set from the spec before anything is added.
    A point with a missing coordinate is masked, as scatter masks it."""
    import numpy as np
    from matplotlib import cbook
    from matplotlib.collections import PathCollection
    from matplotlib.markers import MarkerStyle
    from matplotlib.transforms import IdentityTransform

    style_ = MarkerStyle(marker)
    x, y = cbook._combine_masks(np.ma.ravel(np.asarray(x, dtype=float)), np.ma.ravel(np.asarray(y, dtype=float)))
    coll = PathCollection((style_.get_path().transformed(style_.get_transform()),), [size],
                          facecolors=face, edgecolors=edge, linewidths=width,
                          offsets=np.ma.column_stack([x, y]),
                          offset_transform=transform if transform is not None else ax.transData)
    coll.set_transform(IdentityTransform())
    coll.set_zorder(zorder)
    coll.set_clip_on(False)
    ax.add_collection(coll, autolim=False)
    return coll


def _courses(ax, p: Panel):
    """A triangle per course at its first infusion; a bar to the last for a multi-day course."""
    marks = p.courses
    if not marks:
        return
    xband = ax.get_xaxis_transform()
    _scatter(ax, [m.x0 for m in marks], [m.y for m in marks], p.infusion_size_pt**2, p.infusion_marker,
             face=p.infusion_colour, edge=p.infusion_colour, width=0, zorder=4, transform=xband)
    for m in marks:
        if m.x1 > m.x0:
            ax.plot([m.x0, m.x1], [m.y, m.y], color=p.infusion_colour, linewidth=style.COURSE_SPAN_LW,
                    solid_capstyle="butt", transform=xband, clip_on=False, zorder=4)


def _text(fig, ax, t: Text, W: float, H: float):
    kwargs = dict(fontsize=t.size_pt, color=t.colour, ha=t.ha, va=t.va,
                  fontweight="bold" if t.bold else "normal")
    if t.coords == "figure" or ax is None:
        return fig.text(t.x / W, 1 - t.y / H, t.text, **kwargs)
    transform = {
        "data": ax.transData,
        "axes": ax.transAxes,
        "xdata": ax.get_xaxis_transform(),
        "ydata": ax.get_yaxis_transform(),
    }[t.coords]
    arrow = dict(arrowstyle="-", linewidth=0.5, color=t.colour, shrinkA=0, shrinkB=3) if t.arrow else None
    return ax.annotate(t.text, xy=(t.x, t.y), xycoords=transform, xytext=(t.dx_pt, t.dy_pt),
                       textcoords="offset points", annotation_clip=False, arrowprops=arrow,
                       zorder=5, **kwargs)


def _legend(fig, spec: FigureSpec):
    """The legend's keys and labels placed directly (``legend_artist.py``: the positions
    ``fig.legend`` gave them, without its packing boxes). ``fig.nadir_legend`` is it, for the
    layout check."""
    from analysis.figure.legend_artist import DirectLegend, line_key, marker_key, patch_key

    W, H = spec.size_mm
    lg = spec.legend
    if lg is None:
        return None
    fs = lg.size_pt
    keys: list = []  # Line2D and Rectangle
    for e in lg.entries:
        if e.kind == "marker":
            keys.append(marker_key(fs, marker=e.marker, markersize=e.size_pt,
                                   markerfacecolor=e.colour if e.filled else "white",
                                   markeredgecolor=e.edge or e.colour,
                                   markeredgewidth=style.MARKER_EDGE_LW if e.filled else 0.9))
        elif e.kind == "line":
            keys.append(line_key(fs, color=e.colour, linestyle=e.style, linewidth=e.width))
        else:
            keys.append(patch_key(fs, facecolor=e.colour, edgecolor=e.edge or e.colour,
                                  linewidth=0.5 if e.edge else 0))
    legend = DirectLegend(fig, keys, [e.label for e in lg.entries], (lg.x / W, 1 - lg.y / H),
                          lg.ncol, fs)
    fig.add_artist(legend)
    fig.nadir_legend = legend
    return legend


# --- layout check (its own module; the name stays importable from here) ---------------------------

from analysis.figure.layout_check import layout_problems  # noqa: E402

__all__ = ["PT_MM", "RenderReport", "font_warnings", "layout_problems", "render", "render_bytes"]
