"""Where file dialogs start: the folder last used in any of them, else the folder of the case's
lab export, else the home folder (the issue: every dialog opened in the home folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

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
