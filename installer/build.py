"""Build the frozen Nadir app for the platform this runs on, then prove it starts.

    python installer/build.py               # tests, PyInstaller, smoke test -> dist/Nadir/ (or Nadir.app)
    python installer/build.py --installer   # ... then the platform's installer: .exe setup, .dmg, .tar.gz
    python installer/build.py --skip-tests  # when the same commit's tests already passed (CI, iterations)

Run it from anywhere; it works on the checkout it lives in. Without PyInstaller in the current
interpreter it re-runs itself through ``uv run --locked --group build``: PyInstaller is pinned in
pyproject.toml's ``build`` dependency group and locked in ``uv.lock`` with everything else.

The smoke test runs the frozen ``Nadir demo --screenshot PATH`` and checks that it draws the same
demo window as the source checkout, then has the frozen ``Nadir render`` write the figure in every
format. It prints the bundle's unpacked size and the time from launch to the written screenshot
(the README quotes both; targets: under 250 MB and 2 s).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "nadir.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_NAME = "Nadir"

# The build tool comes from pyproject.toml's locked "build" dependency group.
UV_BUILD = ("run", "--locked", "--group", "build")

SIZE_TARGET_MB = 250
MAX_DIFFERENT_PIXELS = 0.005  # anti-aliasing may differ by a few pixels between Qt builds; a broken chart by 30 %
START_TARGET_S = 2.0

sys.path.insert(0, str(ROOT / "installer"))
import bundle_rules as rules  # noqa: E402


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1)


def say(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(cmd: list[str], **kwargs) -> None:
    say(" ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, cwd=kwargs.pop("cwd", ROOT), **kwargs)


def _ensure_pyinstaller(argv: list[str]) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        uv = shutil.which("uv")
        if uv is None or os.environ.get("NADIR_BUILD_REEXEC"):
            raise SystemExit(
                "PyInstaller is not installed here. Run: uv " + " ".join(UV_BUILD) + " python installer/build.py"
            )
        cmd = [uv, *UV_BUILD, "python", __file__, *argv]
        say("PyInstaller not in this environment; re-running with uv: " + " ".join(cmd[1:]))
        env = dict(os.environ, NADIR_BUILD_REEXEC="1")
        raise SystemExit(subprocess.call(cmd, cwd=ROOT, env=env))


def _headless_env() -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def run_tests() -> None:
    run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], env=_headless_env())


def freeze() -> Path:
    """Run PyInstaller on the spec; return the folder holding the frozen app."""
    shutil.rmtree(DIST / APP_NAME, ignore_errors=True)
    shutil.rmtree(DIST / f"{APP_NAME}.app", ignore_errors=True)
    run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", DIST, "--workpath", WORK, SPEC]
    )
    return DIST / (f"{APP_NAME}.app" if sys.platform == "darwin" else APP_NAME)


def executable(bundle: Path) -> Path:
    if sys.platform == "darwin":
        return bundle / "Contents" / "MacOS" / APP_NAME
    return bundle / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def bundle_size(bundle: Path) -> int:
    """Bytes on disk, each file once (a macOS .app links folders between Resources and Frameworks)."""
    total = 0
    for folder, _dirs, names in os.walk(bundle, followlinks=False):
        paths = (os.path.join(folder, n) for n in names)
        total += sum(os.lstat(p).st_size for p in paths if not os.path.islink(p))
    return total


def check_contents(bundle: Path) -> None:
    """Fail when a test or dev tool slipped into the bundle (loose files or the module archive)."""
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    from PyInstaller.archive.readers import NotAnArchiveError, ZlibArchiveReader, pkg_archive_contents

    modules: list[str] = []
    try:  # the executable carries the module archive (PYZ) in its appended package
        modules += pkg_archive_contents(str(executable(bundle)))
    except (NotAnArchiveError, ValueError, OSError):
        pass
    for pyz in bundle.rglob("*.pyz"):  # or beside it, on layouts that keep it apart
        modules += list(ZlibArchiveReader(str(pyz)).toc)
    if not any(m.startswith("desktop") for m in modules):
        raise SystemExit("could not read the bundle's module archive (no 'desktop' package found in it)")
    bad = [f for f in files if rules.FORBIDDEN.search(f)]
    bad += [m for m in modules if rules.FORBIDDEN.search(m.replace(".", "/"))]
    if bad:
        raise SystemExit("the bundle contains test or dev code: " + ", ".join(sorted(set(bad))[:20]))
    say("bundle holds no tests or dev tools")
    check_links(bundle)


def check_links(bundle: Path) -> None:
    """Fail when a shipped binary links to a library that bundle_rules dropped.

    Qt's hooks collect plugins generously; bundle_rules removes some plugins and the libraries
    only they needed. This proves the second half right: a kept file that still needs a dropped
    library would fail to load on the user's machine, perhaps only on a platform plugin the
    smoke test does not exercise (X11, Wayland, Cocoa, Windows).
    """
    from PyInstaller.depend.bindepend import get_imports

    suffixes = (".so", ".dll", ".pyd", ".dylib")
    binaries = [
        p for p in bundle.rglob("*")
        if p.is_file() and not p.is_symlink()
        and (
            p.name.endswith(suffixes) or ".so." in p.name
            or (".framework/Versions/" in p.as_posix() and "." not in p.name)
        )
    ]
    shipped = {p.name for p in bundle.rglob("*")}
    broken, missing = [], []
    for path in binaries:
        try:
            imports = get_imports(str(path), [str(path.parent), str(bundle)])
        except Exception:  # not a binary PyInstaller can parse (resource files inside frameworks)
            continue
        for name, resolved in imports:
            base = name.replace("\\", "/").rsplit("/", 1)[-1]
            if rules.dropped_library(name):
                broken.append(f"{path.relative_to(bundle).as_posix()} needs {name}")
            elif sys.platform.startswith("linux") and resolved is None and base not in shipped:
                # Neither bundled nor on the build machine: PyInstaller could not collect it.
                missing.append(f"{path.relative_to(bundle).as_posix()} needs {name}")
    if broken:
        raise SystemExit("the bundle misses libraries its files link to:\n  " + "\n  ".join(broken[:30]))
    if missing:
        raise SystemExit(
            "libraries the bundle needs are missing on this build machine, so PyInstaller could not "
            "collect them (on Debian/Ubuntu: apt-get install libxcb-icccm4 libxcb-keysyms1 "
            "libxcb-cursor0 ...):\n  " + "\n  ".join(sorted(set(missing))[:30])
        )
    say(f"{len(binaries)} binaries link only to shipped or system libraries")


def _load_png(path: Path):
    """The picture as an (height, width) array of 32-bit pixels; fails when missing or unreadable."""
    if not path.is_file() or path.stat().st_size == 0:
        raise SystemExit(f"smoke test failed: no screenshot was written at {path}")
    import numpy as np
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull():
        raise SystemExit(f"smoke test failed: {path} is not a readable PNG")
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    rows = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.height() * image.bytesPerLine() // 4)
    return rows.reshape(image.height(), image.bytesPerLine() // 4)[:, : image.width()].copy()


def reference_screenshot(path: Path) -> None:
    """The demo window as the source checkout draws it, to hold the frozen app's picture against."""
    code = "import sys; from desktop.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "demo", "--screenshot", str(path)],
        cwd=ROOT, env=_headless_env(), capture_output=True, text=True, timeout=120,
    )
    if result.returncode != 0 or "Traceback" in result.stderr:
        raise SystemExit(f"the source checkout cannot draw the demo window:\n{result.stdout}\n{result.stderr}")


def compare(frozen: Path, reference: Path) -> float:
    """Share of pixels in which the frozen app's window differs from the source checkout's."""
    a, b = _load_png(frozen), _load_png(reference)
    if a.shape != b.shape:
        return 1.0
    return float((a != b).mean())


def smoke_test(bundle: Path, runs: int = 3, keep: Path | None = None) -> float:
    """Run the frozen ``demo --screenshot`` ``runs`` times; return the median seconds to the picture.

    Passing means: exit status 0, no Python traceback on stderr (the GUI reports errors raised
    in Qt slots there and carries on), and a picture that matches, pixel for pixel within
    MAX_DIFFERENT_PIXELS, the one the source checkout draws on the same machine. A window whose
    chart failed to draw is mostly blank and differs in a third of its pixels.
    """
    exe = executable(bundle)
    env = _headless_env()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "reference.png"
        reference_screenshot(reference)
        for i in range(runs):
            shot = Path(tmp) / f"demo-{i}.png"
            start = time.perf_counter()
            result = subprocess.run(
                [str(exe), "demo", "--screenshot", str(shot)], env=env, capture_output=True, text=True, timeout=120
            )
            elapsed = time.perf_counter() - start
            if result.returncode != 0 or "Traceback" in result.stderr:
                raise SystemExit(
                    f"smoke test failed: {exe.name} demo --screenshot exited {result.returncode}\n"
                    f"{result.stdout}\n{result.stderr}"
                )
            different = compare(shot, reference)
            if different > MAX_DIFFERENT_PIXELS:
                if keep is not None:
                    shutil.copyfile(shot, keep)
                raise SystemExit(
                    f"smoke test failed: the frozen app's demo window differs from the source checkout's "
                    f"in {different:.1%} of its pixels" + (f" (kept at {keep})" if keep else "")
                )
            times.append(elapsed)
            h, w = _load_png(shot).shape
            say(f"run {i + 1}: demo window {w}x{h} in {elapsed:.2f} s, {different:.2%} of pixels differ from source")
        if keep is not None:
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / "demo-0.png", keep)
            say(f"screenshot kept at {keep}")
    # The first run pays for a cold disk cache; the median is what a physician sees on the second day.
    return statistics.median(times)


# First bytes of each figure format the app writes (export uses matplotlib's backends, fontTools
# and Pillow, none of which the demo window touches).
FIGURE_MAGIC = {"pdf": b"%PDF", "svg": b"<?xml", "eps": b"%!PS", "tiff": (b"II*\0", b"MM\0*"), "png": b"\x89PNG"}


def export_test(bundle: Path) -> None:
    """The frozen ``Nadir render`` writes the demo case's figure in every format."""
    demo = ROOT / "resources" / "demo"
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, magic in FIGURE_MAGIC.items():
            out = Path(tmp) / f"figure.{suffix}"
            result = subprocess.run(
                [str(executable(bundle)), "render", str(demo / "labs.xlsx"),
                 "--infusions", str(demo / "infusions.xlsx"), "--events", str(demo / "events.csv"),
                 "--from", "2022-09-06", "--to", "2022-12-27", "-o", str(out)],
                env=_headless_env(), capture_output=True, text=True, timeout=120,
            )
            if result.returncode != 0 or not out.is_file() or not out.read_bytes().startswith(magic):
                raise SystemExit(
                    f"export test failed for .{suffix} (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
                )
    say("frozen app exports the figure as " + ", ".join(FIGURE_MAGIC).upper())


def package(bundle: Path) -> Path:
    """Wrap the bundle into the platform's installer in dist/."""
    ver = version()
    if sys.platform == "win32":
        iscc = shutil.which("iscc") or next(
            (str(p) for p in (Path(os.environ.get(v, "")) / "Inno Setup 6" / "ISCC.exe"
                              for v in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA")) if p.is_file()),
            None,
        )
        if iscc is None:
            raise SystemExit("Inno Setup's ISCC.exe not found: install Inno Setup 6 (choco install innosetup)")
        cmd = [iscc, f"/DAppVersion={ver}"]
        # e.g. signtool sign /fd sha256 /tr URL /td sha256 /f cert.pfx /p PASSWORD $f
        signtool = os.environ.get("NADIR_SIGNTOOL")
        if signtool:
            # The app itself first, then Inno Setup signs the setup and the uninstaller with the same command.
            say(f"signing {executable(bundle).name}")
            subprocess.run(signtool.replace("$f", f'"{executable(bundle)}"'), shell=True, check=True)
            cmd += ["/DSign", f"/Snadirsign={signtool}"]
        run([*cmd, ROOT / "installer" / "windows" / "nadir.iss"])
        out = DIST / f"{APP_NAME}-{ver}-windows-x64-setup.exe"
    elif sys.platform == "darwin":
        run(["bash", ROOT / "installer" / "macos" / "make_dmg.sh", bundle, ver])
        out = DIST / f"{APP_NAME}-{ver}-macos-{os.uname().machine}.dmg"
    else:
        base = DIST / f"{APP_NAME}-{ver}-linux-{os.uname().machine}"
        out = Path(shutil.make_archive(str(base), "gztar", root_dir=DIST, base_dir=bundle.name))
    if not out.is_file():
        raise SystemExit(f"packaging produced no {out}")
    say(f"installer: {out.relative_to(ROOT)} ({out.stat().st_size / 1e6:.1f} MB)")
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description="Build, smoke-test and optionally package the frozen Nadir app.")
    parser.add_argument("--skip-tests", action="store_true", help="do not run the test suite first")
    parser.add_argument("--skip-freeze", action="store_true", help="reuse the bundle already in dist/")
    parser.add_argument("--installer", action="store_true", help="also build the platform's installer")
    parser.add_argument("--runs", type=int, default=3, help="smoke-test runs to time (default 3)")
    parser.add_argument("--screenshot", type=Path, help="keep the frozen app's demo screenshot here")
    args = parser.parse_args(argv)
    _ensure_pyinstaller(argv)

    if not args.skip_tests:
        run_tests()
    bundle = DIST / (f"{APP_NAME}.app" if sys.platform == "darwin" else APP_NAME)
    if not args.skip_freeze:
        started = time.perf_counter()
        bundle = freeze()
        say(f"PyInstaller took {time.perf_counter() - started:.0f} s")
    if not executable(bundle).is_file():
        raise SystemExit(f"no frozen app at {executable(bundle)}")
    check_contents(bundle)
    size_mb = bundle_size(bundle) / 2**20  # MiB, as du -sh counts
    seconds = smoke_test(bundle, runs=max(1, args.runs), keep=args.screenshot)
    export_test(bundle)
    target_mib = SIZE_TARGET_MB * 1e6 / 2**20
    say(f"{bundle.relative_to(ROOT)}: {size_mb:.0f} MiB unpacked (target < {SIZE_TARGET_MB} MB = "
        f"{target_mib:.0f} MiB); demo window in {seconds:.2f} s, median of {args.runs} (target < {START_TARGET_S:g} s)")
    if size_mb * 2**20 > SIZE_TARGET_MB * 1e6:
        say(f"WARNING: the bundle is over the {SIZE_TARGET_MB} MB target")
    if args.installer:
        package(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
