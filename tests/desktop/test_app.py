"""Start-up: the screenshot mode, the icon, and no heavy imports before they are needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_demo_screenshot_is_written(qapp, demo_case, tmp_path):
    from desktop.app import run_demo

    path = tmp_path / "demo.png"
    assert run_demo(demo_case, screenshot=path) == 0
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() >= 1400 * 0.99 and image.height() >= 900 * 0.99


def test_project_screenshot(qapp, demo_case, demo_sources, tmp_path):
    from analysis.project.store import save_project
    from desktop.app import run_gui

    project = tmp_path / "demo.nadir"
    save_project(project, demo_case, sources=demo_sources)
    path = tmp_path / "project.png"
    assert run_gui([project], screenshot=path) == 0
    assert not QImage(str(path)).isNull()


def test_icon_renders_from_the_svg(qapp):
    from desktop.app import app_icon, icon_path

    assert icon_path().is_file()
    pixmap = app_icon().pixmap(64, 64)
    assert not pixmap.isNull() and pixmap.width() == 64
    assert qapp.applicationName() == "Nadir"


def test_the_gui_does_not_import_matplotlib_at_start():
    code = (
        "import sys\n"
        "import desktop.app, desktop.main_window\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('matplotlib', 'scipy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


def test_cli_opens_a_project_for_a_screenshot(qapp, demo_case, demo_sources, tmp_path, capsys):
    from analysis.project.store import save_project
    from desktop import cli

    project = tmp_path / "demo.nadir"
    save_project(project, demo_case, sources=demo_sources)
    assert cli.main([str(project), "--screenshot", str(tmp_path / "cli.png")]) == 0
    assert (tmp_path / "cli.png").is_file()
    assert cli.main([str(tmp_path / "missing.nadir"), "--screenshot", str(tmp_path / "x.png")]) == cli.EXIT_INPUT
    assert "missing.nadir" in capsys.readouterr().err
