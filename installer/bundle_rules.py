"""What goes into the frozen app and what stays out: one list, read by the PyInstaller spec,
by ``build.py`` (which checks the finished bundle against it) and by ``tests/test_installer.py``.

The app imports QtCore, QtGui, QtWidgets, QtSvg (pyqtgraph's SVG export) and QtOpenGL(Widgets)
(pyqtgraph imports them, though the app draws in software) and nothing else from Qt, and
matplotlib draws through Agg and the vector backends only. Everything excluded here is a dev
tool or something no code path of the app reaches; the dropped Qt files are plugins and
libraries that PyInstaller's hooks collect "just in case" for a widgets app drawing in software.
Plain Python with no imports beyond ``re``, so tests can read it without PyInstaller.
"""

from __future__ import annotations

import re

APP_NAME = "Nadir"
BUNDLE_ID = "org.nadir-chart.Nadir"
DOCUMENT_UTI = "org.nadir-chart.project"
DOCUMENT_EXTENSION = "nadir"

# (source relative to the repository, destination folder inside the bundle). Placed at
# <bundle>/resources/ so that analysis/demo.py's "<package>/../resources" lookup finds the demo
# exactly as in a checkout.
DATAS = [
    ("resources/demo", "resources/demo"),
    ("resources/fonts", "resources/fonts"),  # the figure's font where Arial is missing, and its licence
    ("resources/icon.svg", "resources"),
    ("resources/icons/nadir-256.png", "resources/icons"),
    ("resources/icons/nadir-32.png", "resources/icons"),
    # Help > User guide reads these offline (desktop/help.py)
    ("docs/user-guide.md", "docs"),
    ("docs/CYCLE-RULES.md", "docs"),
    ("docs/images", "docs/images"),
]

# Imported by name at run time (savefig picks a backend module from the file suffix), so the
# import scan cannot see them. The spec adds every module of analysis/ and desktop/ as well.
HIDDEN_IMPORTS = [
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_pdf",
    "matplotlib.backends.backend_svg",
    "matplotlib.backends.backend_ps",
]

DEV_TOOLS = [
    "tests", "pytest", "_pytest", "pytestqt", "hypothesis", "importlinter", "grimp", "pypdf",
    "IPython", "jupyter", "jupyter_client", "ipykernel", "notebook", "pip", "setuptools",
    "PyInstaller",
]

UNUSED_QT_MODULES = [
    # pyqtgraph 0.14 imports QtOpenGL and QtOpenGLWidgets unconditionally (PlotCurveItem), so
    # those stay; it imports QtTest inside try/except and works without it.
    "QtNetwork", "QtTest", "QtQml", "QtQuick", "QtQuickWidgets",
    "QtQuickControls2", "QtQuickTest", "QtQuick3D", "QtPdf", "QtPdfWidgets", "QtMultimedia",
    "QtMultimediaWidgets", "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick",
    "QtWebChannel", "QtWebSockets", "QtWebView", "Qt3DCore", "Qt3DRender", "Qt3DInput",
    "Qt3DLogic", "Qt3DExtras", "Qt3DAnimation", "QtCharts", "QtDataVisualization", "QtGraphs",
    "QtGraphsWidgets", "QtDesigner", "QtHelp", "QtUiTools", "QtSql", "QtXml", "QtConcurrent",
    "QtDBus", "QtPrintSupport", "QtBluetooth", "QtNfc", "QtPositioning", "QtLocation",
    "QtSensors", "QtSerialPort", "QtSerialBus", "QtRemoteObjects", "QtScxml", "QtStateMachine",
    "QtTextToSpeech", "QtSpatialAudio", "QtHttpServer", "QtNetworkAuth", "QtAxContainer",
]

EXCLUDES = [
    *DEV_TOOLS,
    "lib2to3", "idlelib", "turtle", "turtledemo",
    # GUI toolkits other than Qt 6 through PySide6
    "tkinter", "_tkinter", "PyQt5", "PyQt6", "PySide2", "wx", "gi", "cairo", "cairocffi",
    # matplotlib backends the app does not use
    "matplotlib.backends.backend_qt", "matplotlib.backends.backend_qtagg",
    "matplotlib.backends.backend_qtcairo", "matplotlib.backends.backend_qt5",
    "matplotlib.backends.backend_qt5agg", "matplotlib.backends.qt_compat",
    "matplotlib.backends.backend_tkagg", "matplotlib.backends.backend_tkcairo",
    "matplotlib.backends._backend_tk", "matplotlib.backends.backend_gtk3",
    "matplotlib.backends.backend_gtk3agg", "matplotlib.backends.backend_gtk3cairo",
    "matplotlib.backends.backend_gtk4", "matplotlib.backends.backend_gtk4agg",
    "matplotlib.backends.backend_gtk4cairo", "matplotlib.backends.backend_wx",
    "matplotlib.backends.backend_wxagg", "matplotlib.backends.backend_wxcairo",
    "matplotlib.backends.backend_webagg", "matplotlib.backends.backend_webagg_core",
    "matplotlib.backends.backend_nbagg", "matplotlib.backends.backend_macosx",
    "matplotlib.backends.backend_cairo", "matplotlib.backends.backend_template",
    # pyqtgraph parts the app does not use
    "pyqtgraph.opengl", "pyqtgraph.examples", "pyqtgraph.jupyter",
    "cupy", "numba", "h5py", "OpenGL", "metaarray", "colorcet",
    # pandas' optional engines: the app reads spreadsheets with calamine and openpyxl only
    "pyarrow", "fastparquet", "tables", "sqlalchemy", "xlrd", "odf", "pyxlsb", "xlsxwriter",
    "bs4", "lxml", "html5lib", "jinja2", "fsspec", "s3fs", "gcsfs", "numexpr", "bottleneck",
    "pandas.io.formats.style", "pandas.plotting._matplotlib",
    # scipy is a test-only dependency (70 MB with its OpenBLAS); pandas mentions it inside
    # functions the app never calls, so PyInstaller would collect it unless told not to.
    "scipy", "pooch",
    # Pillow's Tk bridge, and image codecs nothing here reads or writes (Image.init() skips a
    # plugin whose codec module is missing; libavif alone is 5 MB)
    "PIL.ImageTk", "PIL._tkinter_finder", "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp",
    "PIL.WebPImagePlugin",
    # no network, no database: urllib and http.client import ssl only if it is there, hashlib
    # falls back to its built-in digests, pandas imports sqlite3 only in read_sql/to_sql
    "ssl", "_ssl", "_hashlib", "sqlite3", "_sqlite3",
    *(f"PySide6.{m}" for m in UNUSED_QT_MODULES),
]

DROP_PLUGINS = re.compile(
    # matched against the destination inside the bundle (forward slashes, lower case); the
    # Windows wheel has no Qt/ level
    r"pyside6/(qt/)?plugins/("
    r"platforminputcontexts|virtualkeyboard|egldeviceintegrations|networkinformation|tls|sqldrivers"
    r"|multimedia|position|sensors|webview|qmltooling|qmllint|designer|printsupport|generic"
    r"|xcbglintegrations|wayland-graphics-integration-(client|server)"
    r"|platformthemes/[^/]*gtk"
    # Wayland: the plugin links libwayland-cursor, absent on a fresh Debian, so PyInstaller
    # could not collect it there and the build failed. The app runs through XWayland on every
    # Wayland desktop: Qt falls back to xcb when the wayland plugin is not there.
    r"|wayland-(shell-integration|decoration-client)/"
    r"|platforms/[^/]*(eglfs|linuxfb|minimal|vnc|vkkhrdisplay|direct2d|wayland)"
    r"|imageformats/[^/]*(pdf|tga|wbmp|webp|tiff|icns|heif|jp2|mng)"
    r")"
)

DROP_LIBS = re.compile(
    # Qt libraries of modules the app does not use: .so, .dll, .dylib or a macOS framework
    r"(^|/)(lib)?qt6?(eglfs|network|quick|qml|pdf|virtualkeyboard|wlshell|wayland"
    r"|test|sql|designer|help|multimedia|webengine|3d|charts|datavis|graphs|printsupport"
    r"|concurrent|uitools|labs|xml)[^/]*(\.so[.\d]*$|\.dll$|\.dylib$|\.framework/)"
    # Qt's software OpenGL for Windows machines without a GPU driver: only OpenGL users need it
    r"|(^|/)opengl32sw\.dll$"
    # the build machine's GTK stack, pulled in only by the GTK platform theme (Linux)
    r"|(^|/)lib(gtk-3|gdk-3|atk-1\.0|atk-bridge-2\.0|atspi|cairo|cairo-gobject|pango-1\.0|pangocairo-1\.0"
    r"|pangoft2-1\.0|gdk_pixbuf-2\.0|harfbuzz|gio-2\.0|epoxy|fribidi|thai|datrie|pixman-1|graphite2)"
    r"\.so[.\d]*$"
    # the cursor library only Qt's Wayland plugin (dropped above) loads
    r"|(^|/)libwayland-cursor\.so[.\d]*$"
    # matplotlib's example data (only cbook.get_sample_data reads it)
    r"|(^|/)matplotlib/mpl-data/sample_data/"
    # Qt's translations: the app installs no QTranslator (its interface is English), so Qt never
    # loads them. Remove this line when the app translates Qt's own dialogs.
    r"|pyside6/(qt/)?translations/"
    # QML (no Qt Quick here)
    r"|(^|/)qml/"
)
# Kept on purpose: libQt6DBus (libQt6Gui links it on Linux), libQt6XcbQpa (the X11 platform
# plugin, also used under XWayland), Qt's ICU libraries (libQt6Core links them), the
# offscreen platform plugin (headless smoke tests and screenshots).

# Nothing under these names may be inside the finished bundle, as a file or a module.
FORBIDDEN = re.compile(
    r"(^|/)(tests|pytest|_pytest|pytestqt|hypothesis|importlinter|pypdf|IPython|tkinter|PyInstaller)(/|$|\.)"
)


def keep(dest: str) -> bool:
    """Whether a file PyInstaller collected for ``dest`` (its path inside the bundle) is shipped."""
    path = dest.replace("\\", "/").lower()
    return not (DROP_PLUGINS.search(path) or DROP_LIBS.search(path))


def dropped_library(name: str) -> bool:
    """Whether a library a binary links to (``libQt6Network.so.6``, ``Qt6Network.dll``) was dropped.

    build.py uses it to prove that no kept file needs something the rules above removed.
    """
    path = name.replace("\\", "/").lower()
    return bool(DROP_LIBS.search(path) or DROP_LIBS.search(path.rsplit("/", 1)[-1]))
