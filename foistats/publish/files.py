"""Writing files: atomically, so an interrupted run never leaves half an output behind.

Separate from the renderer because writing a file is not rendering: the tidy dataset,
the import report's JSON, exports, charts and the campaign template all land through here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from foistats.model.errors import UsageError


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves half a file."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    atomic_write_with(path, write)


def atomic_write_with(path: Path, write: Callable[[str], Any]) -> None:
    """Let `write` fill a temporary file beside `path`, then rename it into place.

    The writer gets a path, so polars can stream a million rows straight to disk
    rather than building the whole file in memory first.
    """
    import tempfile

    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise UsageError(f"cannot write {path}: folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
