"""A .zip of replies (a WhatDoTheyKnow batch download): each file inside is imported on its own.

Members are listed from the central directory and checked before anything is
decompressed: at most MAX_MEMBERS replies, each at most MAX_MEMBER_BYTES, a total
budget, and no zip-bomb ratios. Nested zips are opened one level deep. Provenance is
`batch.zip › folder/reply.pdf`. Standard library only.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from foistats.model.errors import InputError

MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
_SKIP = ("__macosx/", ".ds_store", "thumbs.db", "desktop.ini")


def check_zip_sizes(path: Path) -> None:
    """Refuse a zip-based document (docx) whose parts would expand beyond reason."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError("the file is damaged or truncated (not a complete zip archive)", path=path) from None
    total = sum(i.file_size for i in infos)
    if len(infos) > 10_000 or total > MAX_TOTAL_BYTES or any(
        i.compress_size and i.file_size > 1_000_000 and i.file_size / i.compress_size > MAX_RATIO for i in infos
    ):
        raise InputError("refusing to open: the document's parts would expand far beyond its size (a zip bomb?)", path=path)


def read_zip(path: Path) -> Any:
    from foistats.intake.grid import Workbook
    from foistats.intake.readers.document import Document, Member

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError("the file is damaged or truncated (not a complete zip archive)", path=path) from None
    members: list[Member] = []
    notes: list[str] = []
    total = 0
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and not any(s in i.filename.lower() for s in _SKIP)]
        infos = [i for i in infos if not i.filename.rsplit("/", 1)[-1].startswith((".", "~$"))]
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"the zip holds {len(infos):,} files; foistats reads at most {MAX_MEMBERS} from one archive", path=path)
        for info in infos:
            name = info.filename
            if info.flag_bits & 0x1:
                members.append(Member(name, b"", error="password-protected inside the zip"))
                continue
            if info.file_size > MAX_MEMBER_BYTES or (
                info.compress_size and info.file_size > 1_000_000 and info.file_size / info.compress_size > MAX_RATIO
            ):
                raise InputError(f"refusing to open: {name!r} would expand to {info.file_size:,} bytes (a zip bomb?)", path=path)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise InputError("refusing to open: the zip's files add up to more than 1 GB", path=path)
            try:
                data = zf.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error):
                members.append(Member(name, b"", error="damaged inside the zip (cannot be decompressed)"))
                continue
            members.append(Member(name, data))
    doc = Document(path=path, kind="zip", workbook=Workbook(path=path, kind="zip", sheets=[]), members=members, notes=notes)
    return doc
