"""Writing the files Nadir makes (figures, tables): whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from analysis.errors import InputError


def atomic_write_bytes(path: Path, data: bytes, what: str = "file") -> None:
    """Replace ``path`` in one step (temporary file in the same folder, then ``os.replace``),
    so a failed export never leaves half a file behind; permissions as for any new file."""
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(f"the folder to save the {what} in does not exist", path, "Choose another folder.")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
