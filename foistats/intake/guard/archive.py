"""check_archive: is this zip safe to hand to a parser?

Zip bombs, absurd member counts, path tricks, entity declarations in XML prologs:
refused here, streaming, before calamine or openpyxl open the file.
"""

from __future__ import annotations

import copy
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO, Iterator, Mapping, Protocol

from foistats.model.errors import InputError
from foistats.intake.guard import xlsb
from foistats.intake.guard.extent import _check_extent, _ods_extents, _xlsx_extent, _xlsx_sheets
from foistats.intake.guard.limits import ENCRYPTED, MAX_CELLS, MAX_MEMBERS, MAX_WORKBOOK_CELLS, MAX_RATIO, MAX_UNCOMPRESSED, RATIO_MIN_SIZE, _CHUNK
from foistats.intake.guard.sniff import _damaged_member, _open_zip, _unsupported
from foistats.intake.guard.xmlfeed import _prolog_checked

class Tap(Protocol):
    """Something else that wants a member's bytes as this pass inflates them (so the file is
    inflated once): `feed` gets every chunk in order, `close` is called only when the
    member's stream ran to its end (a refused or re-read member leaves the tap unclosed)."""

    def feed(self, chunk: bytes) -> None: ...

    def close(self) -> None: ...


def check_archive(
    path: str | Path,
    *,
    max_members: int = MAX_MEMBERS,
    max_total: int = MAX_UNCOMPRESSED,
    max_cells: int = MAX_CELLS,
    max_workbook_cells: int = MAX_WORKBOOK_CELLS,
    zf: zipfile.ZipFile | None = None,
    taps: Mapping[str, Tap] | None = None,
) -> None:
    """Refuse an xlsx/xlsb/ods whose parsing would exhaust memory, expand entities or lose data.

    Cheap checks on the zip directory first: member count, member names, declared
    sizes (total and per-member ratio), entries that overlap (one compressed kernel
    listed many times). Then one streaming pass decompresses every member from its raw
    bytes, holding one chunk at a time: a member larger than its header says is refused
    (a lie the zip readers would otherwise meet mid-parse), every XML part's prolog is
    checked for a DOCTYPE, and each sheet's used rectangle is measured, because
    calamine allocates the whole rectangle up front. The caps are parameters so tests
    can exercise them without building half-gigabyte files. `zf` is the archive as
    `sniff_open` left it open (its directory already read), so the file is opened once.
    `taps`: member name -> a `Tap` fed that member's bytes from this same pass.
    """
    p = Path(path)
    try:
        file_size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=p) from None
    if zf is None:
        with _open_zip(p) as opened:
            return _check_archive(p, opened, file_size, max_members, max_total, max_cells, max_workbook_cells, taps or {})
    return _check_archive(p, zf, file_size, max_members, max_total, max_cells, max_workbook_cells, taps or {})


def _check_archive(
    p: Path, zf: zipfile.ZipFile, file_size: int, max_members: int, max_total: int, max_cells: int, max_workbook_cells: int,
    taps: Mapping[str, Tap],
) -> None:
    fh = zf.fp  # the archive's own file: raw member bytes are read with a seek before every read
    if fh is None:
        raise InputError("cannot read the file (the archive is closed)", path=p)
    infos = zf.infolist()
    if len(infos) > max_members:
        raise InputError(
            f"refusing to open: the archive holds {len(infos):,} files "
            f"(more than {max_members:,}; a zip bomb?)",
            path=p,
        )
    _check_names(infos, p)
    declared = sum(i.file_size for i in infos)
    if declared > max_total:
        raise InputError(_bomb(declared), path=p)
    for info in infos:
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise InputError(
                f"refusing to open: the archive would expand to {_mb(declared)} MB, "
                f"{ratio:,.0f} times its compressed size (a zip bomb?)",
                path=p,
            )
    if sum(i.compress_size for i in infos) > file_size:
        raise InputError("refusing to open: the archive's entries overlap (a zip bomb?)", path=p)
    lower = {i.filename.lower(): i.filename for i in infos}
    sheets: dict[str, str] = {}
    binary: dict[str, str] = {}
    if "xl/workbook.xml" in lower:
        sheets = {part: name for name, part in _xlsx_sheets(zf, p)}
    elif "xl/workbook.bin" in lower:
        binary = {part: name for name, part, _ in xlsb.workbook_sheets(zf, p)}
    ods_content = lower.get("content.xml") if not sheets and not binary else None
    total = 0  # the rectangles of all sheets together (MAX_WORKBOOK_CELLS)
    for info in infos:
        if info.is_dir():
            continue

        def stream(info: zipfile.ZipInfo = info) -> Iterator[bytes]:
            return _counted(_raw_chunks(zf, fh, info, p), info, p)

        name = info.filename
        chunks = stream()
        if name in taps:
            chunks = _tapped(chunks, taps[name])
        if name.lower().endswith((".xml", ".rels")):
            chunks = _prolog_checked(chunks, name, p, utf16_ok=not name.lower().startswith("xl/"))
        if name in sheets:
            rows, cols, _ = _xlsx_extent(chunks, stream, p, sheets[name], max_cells, info.file_size)
            total += rows * cols
        elif name in binary:
            rows, cols, cells, _ = xlsb.sheet_extent(chunks, p, binary[name])
            _check_extent(rows, cols, p, binary[name], max_cells, cells)
            total += rows * cols
        elif name == ods_content:
            total += sum(r * c for _, r, c, _ in _ods_extents(chunks, p, max_cells))
        else:
            for _ in chunks:
                pass
        if total > max_workbook_cells:
            raise InputError(_too_many_cells(total, max_workbook_cells), path=p)


def _too_many_cells(total: int, limit: int) -> str:
    return (
        f"refusing to read: the sheets together span {total:,} cells (the limit is {limit:,}); "
        "delete stray cells far below or to the right of the tables, or split the workbook"
    )


def _bomb(size: int) -> str:
    return f"refusing to open: the archive would expand to {_mb(size)} MB (a zip bomb?)"


def _mb(size: int) -> str:
    mb = size / 1_048_576
    return f"{mb:,.0f}" if mb >= 10 else f"{mb:,.1f}"


def _check_names(infos: list[zipfile.ZipInfo], p: Path) -> None:
    """Unsafe or repeated names never occur in a real workbook: call them damage."""
    seen: set[str] = set()
    for info in infos:
        name = info.orig_filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
            raise InputError(f"the file is damaged (the archive holds an unsafe file name: {name!r})", path=p)
        key = name.lower()
        if key in seen:
            raise InputError(f"the file is damaged (the archive lists {name!r} twice)", path=p)
        seen.add(key)


def _raw_chunks(zf: zipfile.ZipFile, fh: IO[bytes], info: zipfile.ZipInfo, p: Path) -> Iterator[bytes]:
    """A member's decompressed bytes, from its raw data, ignoring the declared size.

    Python's zipfile stops at the declared size (so a lie shows up only as a CRC
    error); reading the raw deflate stream lets `_counted` see the truth.
    """
    name = info.filename
    if info.flag_bits & 0x1:
        raise InputError(ENCRYPTED, path=p)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        yield from _zipfile_chunks(zf, info, p)
        return
    try:
        fh.seek(max(info.header_offset, 0))
        local = fh.read(30)
        if info.header_offset < 0 or len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise InputError(_damaged_member(name), path=p)
        nlen, xlen = struct.unpack_from("<HH", local, 26)
        pos = info.header_offset + 30 + nlen + xlen
    except OSError:
        raise InputError(_damaged_member(name), path=p) from None
    left = info.compress_size
    dec = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        while left > 0:
            try:
                fh.seek(pos)  # the file is shared with zipfile's own reads (sniff, sheet lists)
                raw = fh.read(min(left, 256 * 1024))
            except OSError:
                raise InputError(_damaged_member(name), path=p) from None
            pos += len(raw)
            if not raw:
                raise InputError(_damaged_member(name), path=p)
            left -= len(raw)
            if dec is None:
                yield raw
                continue
            out = dec.decompress(raw, _CHUNK)
            while True:
                if out:
                    yield out
                if not dec.unconsumed_tail:
                    break
                out = dec.decompress(dec.unconsumed_tail, _CHUNK)
            if dec.eof:
                break
        if dec is not None and (rest := dec.flush()):
            yield rest
    except zlib.error:
        raise InputError(_damaged_member(name), path=p) from None


def _zipfile_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, p: Path) -> Iterator[bytes]:
    """bzip2/lzma members through zipfile, with the declared size lifted so lies show."""
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    try:
        with zf.open(probe) as member:
            while chunk := member.read(_CHUNK):
                yield chunk
    except NotImplementedError:
        raise InputError(_unsupported(info.filename), path=p) from None
    except RuntimeError:
        raise InputError(ENCRYPTED, path=p) from None
    except zipfile.BadZipFile:
        return  # the CRC check at the lifted end: expected when the size was honest
    except (zlib.error, EOFError, OSError, ValueError, struct.error):
        raise InputError(_damaged_member(info.filename), path=p) from None


def _tapped(chunks: Iterator[bytes], tap: Tap) -> Iterator[bytes]:
    for chunk in chunks:
        tap.feed(chunk)
        yield chunk
    tap.close()


def _counted(chunks: Iterator[bytes], info: zipfile.ZipInfo, p: Path) -> Iterator[bytes]:
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise InputError(
                f"the file is damaged (its part '{info.filename}' is larger than the archive says)", path=p
            )
        yield chunk
