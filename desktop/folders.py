"""Where file dialogs start: the folder last used in any of them, else the folder of the case's
lab export, else the home folder (the issue: every dialog opened in the home folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices

KEY = "lastFolder"


def start_folder(sources: dict | None = None) -> Path:
    remembered = QSettings().value(KEY, "")
    if remembered and Path(str(remembered)).is_dir():
        return Path(str(remembered))
    labs = (sources or {}).get("labs")
    if labs and Path(labs).parent.is_dir():
        return Path(labs).parent
    return Path.home()


def remember(path: str | Path) -> None:
    """Remember the folder of ``path`` (a file chosen or written) for the next dialog."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    QSettings().setValue(KEY, str(folder))


def show_in_folder(path: str | Path) -> None:
    """The file manager at ``path``: selected in Explorer and the Finder, its folder elsewhere
    (Linux file managers have no common way to select a file)."""
    path = Path(path)
    if sys.platform == "win32":
        subprocess.Popen(["explorer", "/select,", str(path)])
    elif sys.platform == "darwin":
        subprocess.Popen(["open", "-R", str(path)])
    else:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
