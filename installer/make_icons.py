"""Generate every platform's icon files from the one drawing, ``resources/icon.svg``.

Run ``uv run --group dev python installer/make_icons.py`` after changing the SVG and commit what
it writes to ``resources/icons/``: the installers and the frozen app use those files, and
``tests/test_installer.py`` fails while they are older than the SVG (the manifest records the
SVG's SHA-256).

Each size is rasterised from the vector drawing by Qt's SVG renderer rather than scaled down from a
large bitmap, so the 16 px and 32 px icons stay crisp. Pillow (a dev dependency) packs the
bitmaps into the Windows ``.ico`` and the macOS ``.icns``; Linux uses the PNGs directly.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icon.svg"
OUT = ROOT / "resources" / "icons"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # the freedesktop hicolor set
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)  # Explorer, taskbar and Start at 100-250 % scaling
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)  # what Pillow's ICNS writer stores (16 px comes from 32)
MANIFEST = "icons.json"


def png_name(size: int) -> str:
    return f"nadir-{size}.png"


def source_digest(source: Path = SOURCE) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def _qt():
    # Headless machines (CI, build servers) have no display; rasterising needs none.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:  # an existing QApplication (e.g. pytest-qt's) will do
        _qt.app = QGuiApplication(sys.argv[:1])


def render_png(size: int, source: Path = SOURCE) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels on a transparent background, as PNG bytes."""
    _qt()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"{source} is not an SVG that Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def make_icons(source: Path = SOURCE, out: Path = OUT) -> list[Path]:
    """Write the PNG set, ``nadir.ico``, ``nadir.icns`` and the manifest; return the files written."""
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    images = {s: Image.open(io.BytesIO(render_png(s, source))).convert("RGBA") for s in sizes}
    written = []

    for s in PNG_SIZES:
        path = out / png_name(s)
        path.write_bytes(render_png(s, source))
        written.append(path)

    ico = out / "nadir.ico"
    largest = images[max(ICO_SIZES)]
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=[images[s] for s in ICO_SIZES])
    written.append(ico)

    icns = out / "nadir.icns"
    images[max(ICNS_SIZES)].save(icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES])
    written.append(icns)

    manifest = out / MANIFEST
    manifest.write_text(
        json.dumps(
            {
                "source": source.relative_to(ROOT).as_posix() if source.is_relative_to(ROOT) else str(source),
                "source_sha256": source_digest(source),
                "generator": "installer/make_icons.py",
                "png": {str(s): png_name(s) for s in PNG_SIZES},
                "ico": {"file": ico.name, "sizes": list(ICO_SIZES)},
                "icns": {"file": icns.name, "sizes": list(ICNS_SIZES)},
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    written.append(manifest)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the SVG drawing (default resources/icon.svg)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default resources/icons)")
    args = parser.parse_args(argv)
    for path in make_icons(args.source.resolve(), args.out.resolve()):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
