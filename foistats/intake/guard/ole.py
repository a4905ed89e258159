"""OLE2 compound files (.xls, and the wrapper of encrypted OOXML), read just far enough.

A small, bounded CFB walker: enough to tell an encrypted workbook from an .xls, and to
hand the Workbook stream to the BIFF checks, without trusting any size the header states.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import IO, Iterator

from foistats.model.errors import InputError
from foistats.intake.guard.limits import ASK_FOR_DATA, ENCRYPTED, TRUNCATED_OLE, _CHUNK, _HEAD

# ---- OLE2 / compound file (xls, encrypted OOXML) --------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_MAXREGSECT = 0xFFFFFFFA


class _Damaged(Exception):
    """The compound file's own structure is broken."""


class _Cfb:
    """Just enough of the Compound File Binary format to list streams and read their start.

    Written here (rather than adding olefile) because we need three facts - which
    streams exist, the first records of the Workbook stream, nothing else - and every
    loop must be bounded against a hostile file whose sector chains point in circles.
    """

    def __init__(self, fh: IO[bytes], size: int) -> None:
        self.fh = fh
        header = self._read(0, 512)
        if len(header) < 512:
            raise _Damaged
        shift = struct.unpack_from("<H", header, 30)[0]
        if shift not in (9, 12):
            raise _Damaged
        self.ss = 1 << shift
        self.mini_ss = 1 << struct.unpack_from("<H", header, 32)[0]
        if self.mini_ss != 64:
            raise _Damaged
        self.nsect = max(0, (size - self.ss) // self.ss)
        (n_fat, first_dir, _, self.mini_cutoff, first_minifat, _n_minifat, first_difat, n_difat) = (
            struct.unpack_from("<IIIIIIII", header, 44)
        )
        fat_sectors = [s for s in struct.unpack_from("<109I", header, 76) if s <= _MAXREGSECT]
        per = self.ss // 4
        sect, seen = first_difat, 0
        while sect <= _MAXREGSECT and seen < min(n_difat, self.nsect) + 1:
            data = self._sector(sect)
            entries = struct.unpack(f"<{per}I", data)
            fat_sectors.extend(s for s in entries[:-1] if s <= _MAXREGSECT)
            sect, seen = entries[-1], seen + 1
        needed = -(-self.nsect // per)
        fat_sectors = fat_sectors[: max(needed, 1)]
        if n_fat and not fat_sectors:
            raise _Damaged
        self.fat: list[int] = []
        for s in fat_sectors:
            self.fat.extend(struct.unpack(f"<{per}I", self._sector(s)))
        self.entries = self._directory(first_dir)
        self.first_minifat = first_minifat

    def _read(self, offset: int, n: int) -> bytes:
        self.fh.seek(offset)
        return self.fh.read(n)

    def _sector(self, sect: int) -> bytes:
        if sect >= self.nsect:
            raise _Damaged
        data = self._read((sect + 1) * self.ss, self.ss)
        if len(data) < self.ss:
            raise _Damaged
        return data

    def chain(self, start: int) -> Iterator[int]:
        sect, steps = start, 0
        while sect != _ENDOFCHAIN:
            if sect > _MAXREGSECT or sect >= len(self.fat) or steps > self.nsect:
                raise _Damaged
            yield sect
            sect, steps = self.fat[sect], steps + 1

    def _directory(self, first: int) -> list[tuple[str, int, int, int]]:
        entries = []
        for sect in self.chain(first):
            data = self._sector(sect)
            for off in range(0, self.ss, 128):
                raw = data[off : off + 128]
                nlen = min(struct.unpack_from("<H", raw, 64)[0], 64)
                kind = raw[66]
                if kind == 0:
                    continue
                name = raw[: max(nlen - 2, 0)].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", raw, 116)
                if self.ss == 512:
                    size &= 0xFFFFFFFF
                entries.append((name, kind, start, size))
            if len(entries) > 100_000:
                raise _Damaged
        if not entries:
            raise _Damaged
        return entries

    def names(self) -> set[str]:
        return {name.lower() for name, kind, _, _ in self.entries if kind in (1, 2)}

    def stream_head(self, wanted: str, n: int) -> bytes:
        """The first n bytes of a named stream, through the FAT or the mini stream."""
        for name, kind, start, size in self.entries:
            if kind == 2 and name.lower() == wanted:
                break
        else:
            raise _Damaged
        n = min(n, size)
        out = bytearray()
        if size >= self.mini_cutoff:
            for sect in self.chain(start):
                out += self._sector(sect)
                if len(out) >= n:
                    break
            return bytes(out[:n])
        root = next((e for e in self.entries if e[1] == 5), None)
        if root is None:
            raise _Damaged
        container = list(self.chain(root[2]))
        minifat: list[int] = []
        for sect in self.chain(self.first_minifat):
            minifat.extend(struct.unpack(f"<{self.ss // 4}I", self._sector(sect)))
        msect, steps = start, 0
        while msect != _ENDOFCHAIN and len(out) < n:
            if msect >= len(minifat) or steps > len(minifat):
                raise _Damaged
            offset = msect * self.mini_ss
            index = offset // self.ss
            if index >= len(container):
                raise _Damaged
            data = self._sector(container[index])
            out += data[offset % self.ss : offset % self.ss + self.mini_ss]
            msect, steps = minifat[msect], steps + 1
        return bytes(out[:n])


_ENCRYPTED_NAME = "EncryptedPackage".encode("utf-16-le")


def _sniff_ole(p: Path) -> str:
    size = p.stat().st_size
    try:
        with p.open("rb") as fh:
            cfb = _Cfb(fh, size)
            names = cfb.names()
            if "encryptedpackage" in names or "encryptioninfo" in names:
                raise InputError(ENCRYPTED, path=p)
            for stream in ("workbook", "book"):
                if stream in names:
                    if _biff_globals(cfb.stream_head(stream, _HEAD))[0]:
                        raise InputError(ENCRYPTED, path=p)
                    return "xls"
    except _Damaged:
        # The structure is broken, but an encrypted package is still worth naming.
        with p.open("rb") as fh:
            tail = b""
            for _ in range(64):  # the first 64 MB
                chunk = fh.read(_CHUNK)
                if _ENCRYPTED_NAME in tail + chunk:
                    raise InputError(ENCRYPTED, path=p) from None
                if not chunk:
                    break
                tail = chunk[-64:]
        raise InputError(TRUNCATED_OLE, path=p) from None
    if "worddocument" in names:
        raise InputError(f"this is a Word document (.doc), not a spreadsheet; {ASK_FOR_DATA}", path=p)
    if "powerpoint document" in names:
        raise InputError(f"this is a PowerPoint file (.ppt), not a spreadsheet; {ASK_FOR_DATA}", path=p)
    raise InputError(
        f"this is an Office 97-2003 file but not an Excel workbook; {ASK_FOR_DATA}", path=p
    )


def _biff_globals(data: bytes) -> tuple[bool, bool]:
    """(encrypted, 1904 dates) from the first records of a BIFF5/8 workbook stream.

    FILEPASS (0x002F) and DATEMODE (0x0022) both sit near the top of the globals
    substream, before the first BOUNDSHEET (0x0085), so a 64 KB head is enough.
    """
    encrypted = date1904 = False
    pos = 0
    while pos + 4 <= len(data):
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == 0x002F:
            encrypted = True
        elif rtype == 0x0022 and pos + 6 <= len(data):
            date1904 = struct.unpack_from("<H", data, pos + 4)[0] == 1
        elif rtype in (0x0085, 0x000A):
            break
        pos += 4 + rlen
    return encrypted, date1904
