"""The installer sources, checked without building anything (PyInstaller is too slow for the test
suite; ``python installer/build.py`` builds and smoke-tests the real bundle).

What a physician relies on: the icons are there in every platform's format and drawn from the
one SVG; the bundle keeps tests and dev tools out and the Qt parts the app needs in; the Windows
setup installs per user with a Start-menu entry, an uninstaller and the .nadir association; the
macOS app declares the .nadir document type; CI builds both installers on a tag after the tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import plistlib
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
ICONS = ROOT / "resources" / "icons"
sys.path.insert(0, str(INSTALLER))

import bundle_rules as rules  # noqa: E402
import make_icons  # noqa: E402

PIL = pytest.importorskip("PIL.Image")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- icons ----------------------------------------------------------------------------------


def test_icons_were_generated_from_the_current_svg():
    manifest = json.loads(read(ICONS / make_icons.MANIFEST))
    assert manifest["source"] == "resources/icon.svg"
    digest = hashlib.sha256((ROOT / "resources" / "icon.svg").read_bytes()).hexdigest()
    assert manifest["source_sha256"] == digest, (
        "resources/icon.svg changed since the icons were made: run installer/make_icons.py and commit resources/icons/"
    )


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_linux_png_set_has_every_size(size):
    with PIL.open(ICONS / make_icons.png_name(size)) as image:
        assert image.size == (size, size)
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] < 64, "the rounded corners should be transparent"


def test_windows_ico_holds_16_to_256_pixels():
    with PIL.open(ICONS / "nadir.ico") as image:
        sizes = {w for w, h in image.info["sizes"]}
    assert {16, 24, 32, 48, 64, 128, 256} <= sizes


def test_macos_icns_holds_retina_sizes():
    with PIL.open(ICONS / "nadir.icns") as image:
        sizes = {(w * scale) for w, h, scale in image.info["sizes"]}
    assert {32, 64, 128, 256, 512, 1024} <= sizes


def test_committed_png_is_what_the_svg_draws():
    # Re-rasterise one size with Qt, as make_icons does, and hold it against the committed file:
    # the icons cannot have been drawn by hand or from another picture.
    from PySide6.QtWidgets import QApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QApplication.instance() or QApplication([])
    import io

    fresh = PIL.open(io.BytesIO(make_icons.render_png(48))).convert("RGBA")
    with PIL.open(ICONS / make_icons.png_name(48)) as committed:
        committed = committed.convert("RGBA")
    a, b = fresh.tobytes(), committed.tobytes()
    pixels = [(a[i : i + 4], b[i : i + 4]) for i in range(0, len(a), 4)]
    close = sum(all(abs(x - y) <= 8 for x, y in zip(p, q)) for p, q in pixels)
    assert close / len(pixels) > 0.99


# --- what goes into the bundle ---------------------------------------------------------------


def test_tests_and_dev_tools_are_excluded():
    for name in ("tests", "pytest", "_pytest", "pytestqt", "hypothesis", "importlinter", "pypdf", "PyInstaller"):
        assert name in rules.EXCLUDES
    for name in ("tkinter", "IPython", "PyQt5", "PyQt6", "matplotlib.backends.backend_qtagg",
                 "matplotlib.backends.backend_tkagg", "pyqtgraph.opengl", "PySide6.QtWebEngineCore",
                 "PySide6.QtQml", "PySide6.QtQuick", "PySide6.Qt3DCore", "PySide6.QtMultimedia", "PySide6.QtPdf"):
        assert name in rules.EXCLUDES


def test_modules_the_app_imports_are_not_excluded():
    needed = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg",
              "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",  # pyqtgraph 0.14 imports both
              "matplotlib.backends.backend_agg", "matplotlib.backends.backend_pdf", "pyqtgraph",
              "numpy", "pandas", "openpyxl", "python_calamine", "PIL", "analysis", "desktop"}
    assert not needed & set(rules.EXCLUDES)


def test_the_finished_bundle_check_spots_tests_and_dev_tools():
    for bad in ("tests/test_cli.py", "_internal/pytest/__init__.pyc", "_pytest.python", "hypothesis",
                "pytestqt/qtbot", "PyInstaller/loader"):
        assert rules.FORBIDDEN.search(bad), bad
    for fine in ("_internal/numpy/testing/__init__.pyc", "attestation", "_internal/analysis/rules/stats.pyc",
                 "_internal/resources/demo/labs.xlsx"):
        assert not rules.FORBIDDEN.search(fine), fine


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "libQt6Core.so.6",
        "libQt6DBus.so.6",
        "libQt6XcbQpa.so.6",
        "libQt6OpenGL.so.6",
        "libQt6Svg.so.6",
        "libicudata.so.73",
        "PySide6/Qt6Widgets.dll",
        "PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui",
        "pillow.libs/libharfbuzz-fb49c9fc.so.0.61450.0",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf",
    ],
)
def test_qt_parts_the_app_needs_are_kept(dest):
    assert rules.keep(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        # Wayland needs libwayland-cursor, missing on a fresh Debian; XWayland runs the xcb plugin
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/plugins/wayland-decoration-client/libbradient.so",
        "libQt6WaylandClient.so.6",
        "libwayland-cursor.so.0",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/plugins/sqldrivers/qsqlite.dll",
        "libQt6Network.so.6",
        "libQt6Quick.so.6",
        "libQt6Pdf.so.6",
        "libQt6EglFSDeviceIntegration.so.6",
        "PySide6/Qt6Network.dll",
        "PySide6/opengl32sw.dll",
        "PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork",
        "PySide6/Qt/lib/QtQml.framework/Resources/Info.plist",
        "PySide6/Qt/translations/qtwebengine_de.qm",
        "PySide6/Qt/translations/qtbase_de.qm",  # no QTranslator in the app
        "PySide6/translations/qtbase_fr.qm",
        "libgtk-3.so.0",
        "libpango-1.0.so.0",
        "libcairo.so.2",
        "matplotlib/mpl-data/sample_data/goog.npz",
    ],
)
def test_unused_qt_parts_are_dropped(dest):
    assert not rules.keep(dest)


def test_a_kept_file_needing_a_dropped_library_is_recognised():
    # build.py fails the build when a shipped binary links to one of these.
    assert rules.dropped_library("libQt6Network.so.6")
    assert rules.dropped_library("Qt6Network.dll")
    assert rules.dropped_library("@rpath/QtNetwork.framework/Versions/A/QtNetwork")
    assert not rules.dropped_library("libQt6DBus.so.6")
    assert not rules.dropped_library("@rpath/QtGui.framework/Versions/A/QtGui")


def test_scipy_stays_out_of_the_bundle_and_the_app():
    # scipy only checks analysis/rules/stats.py in the tests; the frozen app must not need it.
    assert "scipy" in rules.EXCLUDES
    for package in ("analysis", "desktop"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from\s+scipy[\s.]|import\s+scipy\b)", text, re.M), path


def test_runtime_data_exists():
    for source, dest in rules.DATAS:
        assert (ROOT / source).exists(), source
        assert dest.startswith(("resources", "docs"))  # the demo and icons; the user guide
    assert (ROOT / "resources" / "demo" / "labs.xlsx").is_file()


def test_spec_builds_one_windowed_folder_from_the_rules():
    spec = read(INSTALLER / "nadir.spec")
    assert "exclude_binaries=True" in spec  # one-folder
    assert "console=False" in spec  # windowed
    assert "excludes=rules.EXCLUDES" in spec
    assert "rules.keep(" in spec
    assert "nadir.ico" in spec and "nadir.icns" in spec
    assert "nadir_app.py" in spec
    assert "upx=False" in spec
    assert "CFBundleDocumentTypes" in spec and "rules.DOCUMENT_EXTENSION" in spec
    assert rules.DOCUMENT_EXTENSION == "nadir"
    assert "tests" not in re.findall(r"datas=\[(.*?)\]", spec, re.S)[0]


def test_entitlements_are_a_valid_plist():
    with open(INSTALLER / "macos" / "entitlements.plist", "rb") as fh:
        entitlements = plistlib.load(fh)
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


def test_dmg_script_signs_notarises_and_smoke_tests():
    script = INSTALLER / "macos" / "make_dmg.sh"
    text = read(script)
    for needle in ("hdiutil create", "codesign", "--options runtime", "notarytool submit", "stapler staple",
                   "CFBundleDocumentTypes", "Applications", "demo --screenshot"):
        assert needle in text, needle
    if os.name == "posix":
        assert os.access(script, os.X_OK)


# --- the Windows installer -----------------------------------------------------------------


@pytest.fixture(scope="module")
def iss() -> str:
    return read(INSTALLER / "windows" / "nadir.iss")


def _setting(iss: str, key: str) -> str:
    match = re.search(rf"^{key}=(.*)$", iss, re.M)
    assert match, key
    return match.group(1).strip()


def test_setup_installs_per_user_without_admin_rights(iss):
    assert _setting(iss, "PrivilegesRequired") == "lowest"
    assert _setting(iss, "DefaultDirName").startswith("{autopf}")
    assert re.search(r"^Root: HKA;", iss, re.M), "registry entries must follow the install mode (HKCU per user)"
    assert not re.search(r"^Root: HKLM", iss, re.M)


def test_setup_associates_nadir_files(iss):
    assert _setting(iss, "ChangesAssociations") == "yes"
    assert 'Subkey: "Software\\Classes\\.nadir"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"' in iss
    command = re.search(r'Subkey: "Software\\Classes\\\{#ProgId\}\\shell\\open\\command".*ValueData: (.*)$', iss, re.M)
    assert command and '{app}\\{#AppExe}' in command.group(1) and '%1' in command.group(1)
    assert "DefaultIcon" in iss
    assert '#define ProgId "Nadir.Project"' in iss


def test_setup_has_start_menu_entry_uninstaller_and_icon(iss):
    assert re.search(r'^Name: "\{autoprograms\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"', iss, re.M)
    assert _setting(iss, "UninstallDisplayIcon") == "{app}\\{#AppExe}"
    assert "Uninstallable=no" not in iss
    icon = _setting(iss, "SetupIconFile").replace("{#Root}", "..\\..").replace("\\", "/")
    assert (INSTALLER / "windows" / icon).resolve() == (ICONS / "nadir.ico").resolve()
    assert re.search(r'^Source: "\{#Root\}\\dist\\Nadir\\\*"', iss, re.M)
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", _setting(iss, "AppId"))


def test_setup_is_checked_by_installing_and_uninstalling():
    text = read(INSTALLER / "windows" / "check_setup.ps1")
    for needle in ("/CURRENTUSER", "HKCU:\\Software\\Classes\\.nadir", "Start Menu", "unins000.exe", "demo"):
        assert needle in text, needle


# --- build script and entry point --------------------------------------------------------------


def test_build_script_names_the_platform_bundles():
    import build

    assert build.version() == re.search(r'^version = "(.+)"', read(ROOT / "pyproject.toml"), re.M).group(1)
    exe = build.executable(Path("dist/Nadir.app" if sys.platform == "darwin" else "dist/Nadir"))
    assert exe.name in {"Nadir", "Nadir.exe"}
    assert build.SIZE_TARGET_MB == 250 and build.START_TARGET_S == 2.0


def test_entry_point_opens_the_window_for_no_arguments_or_a_file(tmp_path, monkeypatch):
    import nadir_app

    opened, ran = [], []
    monkeypatch.setattr(nadir_app, "_open_window", lambda path: opened.append(path) or 0)
    monkeypatch.setattr("desktop.cli.main", lambda args: ran.append(args) or 0)
    project = tmp_path / "case.nadir"
    project.write_text("{}")
    for argv in ([], [str(project)], ["-psn_0_12345"], ["demo", "--screenshot", "x.png"], ["summary", "--help"]):
        monkeypatch.setattr(sys, "argv", ["Nadir", *argv])
        assert nadir_app.main() == 0
    assert opened == [None, str(project), None]
    assert ran == [["demo", "--screenshot", "x.png"], ["summary", "--help"]]


# --- CI --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> str:
    return read(ROOT / ".github" / "workflows" / "ci.yml")


def test_ci_tests_on_three_systems_then_builds_installers_on_a_tag(workflow):
    assert "os: [ubuntu-latest, windows-latest, macos-latest]" in workflow
    assert "uv sync --locked" in workflow and "uv run --locked pytest" in workflow
    installers = workflow[workflow.index("  installers:"): workflow.index("  release:")]
    assert "needs: test" in installers
    assert "startsWith(github.ref, 'refs/tags/v')" in installers
    assert "os: windows-latest" in installers and "os: macos-latest" in installers
    assert "choco install innosetup" in installers
    assert "installer/build.py --skip-tests --installer" in installers
    assert "check_setup.ps1" in installers
    assert "actions/upload-artifact" in installers
    release = workflow[workflow.index("  release:"):]
    assert "needs: installers" in release and "contents: write" in release


def test_ci_signs_only_when_the_secrets_exist(workflow):
    # A fork or a repository without certificates still builds (unsigned) installers.
    for secret in ("WINDOWS_CERTIFICATE", "MACOS_CERTIFICATE"):
        assert f"env.{secret} != ''" in workflow
    assert "secrets." not in "".join(line for line in workflow.splitlines() if line.strip().startswith("if:"))


def test_ci_and_build_script_take_pyinstaller_from_the_lock(workflow):
    import tomllib

    import build

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(r.startswith("pyinstaller==") for r in pyproject["dependency-groups"]["build"])
    assert build.UV_BUILD == ("run", "--locked", "--group", "build")
    assert "uv run --locked --group build" in workflow
    assert "--with" not in workflow
