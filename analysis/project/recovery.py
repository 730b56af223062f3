"""Where the autosave of a project goes, and whether it holds later work than the project.

The recovery file is an ordinary project file (written by :func:`analysis.project.store.save_project`
with ``origin`` set to the project whose unsaved state it holds) in the application's recovery
folder, named after the project and a hash of its full path so two ``case.nadir`` in different
folders do not share one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SUFFIX = ".nadir"


def recovery_path(folder: Path, project_path: Path | None) -> Path:
    """The autosave file of a project (or of an unsaved case) in the recovery ``folder``."""
    if project_path is None:
        return Path(folder) / f"untitled{SUFFIX}"
    key = hashlib.sha256(str(Path(project_path).resolve()).encode()).hexdigest()[:12]
    return Path(folder) / f"{Path(project_path).stem}-{key}{SUFFIX}"


def recovery_is_newer(recovery: Path, project_path: Path | None) -> bool:
    """True when a recovery file exists and holds later work than the saved project."""
    recovery = Path(recovery)
    if not recovery.is_file():
        return False
    if project_path is None or not Path(project_path).is_file():
        return True
    return recovery.stat().st_mtime > Path(project_path).stat().st_mtime
