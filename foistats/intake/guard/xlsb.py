"""xlsb: the binary workbook's sheet records, measured before calamine sizes anything from them.

An .xlsb is a zip of binary record streams (MS-XLSB): each record is a type and a
length (both 7-bit varints) and a body. calamine reads a sheet's cells into a list and
then allocates the whole rectangle from the furthest row and column it met; a cell
record's column is a 32-bit field it never bounds, so a 1.3 KB file with a cell in
column 4,294,967,280 made it ask for 137 GB and the process aborted (not an exception:
the process died, and a folder import with it). This module walks the records,
streaming, and hands the true rectangle and cell count to the same extent rules as
xlsx (`extent._check_extent`); an impossible BrtWsDim is refused as damage.

Standard library only; nothing here trusts a length it has not checked against the
bytes actually present.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import Iterator

from foistats.model.errors import InputError

# Record types (MS-XLSB 2.3.2).
BRT_ROW_HDR = 0x0000
BRT_WS_DIM = 0x0094
BRT_BEGIN_SHEET_DATA = 0x0091
BRT_END_SHEET_DATA = 0x0092
BRT_BUNDLE_SH = 0x009C
# Cell records calamine turns into values: CellRk, CellError, CellBool, CellReal,
# CellSt, CellIsst, FmlaString, FmlaNum, FmlaBool, FmlaError. Each starts with a u32
# column. (CellBlank, 0x0001, is skipped by calamine and so does not size its grid.)
CELL_RECORDS = frozenset(range(0x0002, 0x000C))
# calamine stops reading a sheet at a row above this (its own sanity check).
_CALAMINE_LAST_ROW = 0x0010_0000
# Excel's grid: 1,048,576 rows x 16,384 columns.
XLSB_MAX_ROWS = 1_048_576
XLSB_MAX_COLS = 16_384
# A record longer than this is damage (a sheet's largest real record, a long string, is
# well under 100 KB); refusing it keeps one lying length from holding the whole part.
_MAX_RECORD = 16 * 1024 * 1024


class _Truncated(Exception):
    """The stream ended inside a record."""


def records(chunks: Iterator[bytes], *, want: frozenset[int] | None = None) -> Iterator[tuple[int, bytes]]:
    """(type, body) of each record in a stream of chunks, holding at most one record and one chunk.

    With `want`, bodies of other record types are skipped (returned as b"") without being
    joined together, which keeps a long sheet cheap to walk.
    """
    buf = bytearray()
    pos = 0
    source = iter(chunks)
    ended = False

    def more() -> bool:
        nonlocal buf, pos, ended
        if ended:
            return False
        try:
            chunk = next(source)
        except StopIteration:
            ended = True
            return False
        if pos:
            del buf[:pos]
            pos = 0
        buf += chunk
        return True

    def varint(limit: int) -> int | None:
        nonlocal pos
        value = shift = 0
        for i in range(limit):
            while pos + i >= len(buf):
                if not more():
                    if i == 0:
                        return None
                    raise _Truncated
            byte = buf[pos + i]
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                pos += i + 1
                return value
        raise _Truncated  # a varint longer than the format allows

    while True:
        rtype = varint(2)
        if rtype is None:
            return
        size = varint(4)
        if size is None:
            raise _Truncated
        if size > _MAX_RECORD:
            raise _Truncated
        while pos + size > len(buf):
            if not more():
                raise _Truncated
        if want is None or rtype in want:
            body = bytes(buf[pos : pos + size])
        else:
            body = b""
        pos += size
        yield rtype, body


def sheet_extent(chunks: Iterator[bytes], p: Path, sheet: str) -> tuple[int, int, int, list[int]]:
    """(rows, columns, value cells, hidden rows) of one worksheet part, as calamine would size it.

    Rows and columns are 1-based extents from A1 (python-calamine pads to A1). Hidden
    rows (BrtRowHdr fDyZero) are returned 0-based for the hidden-content audit.
    """
    row = -1
    max_row = max_col = cells = 0
    hidden: list[int] = []
    in_data = False
    wanted = CELL_RECORDS | {BRT_ROW_HDR, BRT_WS_DIM, BRT_BEGIN_SHEET_DATA, BRT_END_SHEET_DATA}
    try:
        for rtype, body in records(chunks, want=wanted):
            if rtype == BRT_WS_DIM:
                _check_dim(body, p, sheet)
            elif rtype == BRT_BEGIN_SHEET_DATA:
                in_data = True
            elif rtype == BRT_END_SHEET_DATA:
                in_data = False
            elif not in_data:
                continue
            elif rtype == BRT_ROW_HDR:
                if len(body) < 4:
                    raise InputError(_DAMAGED, path=p, sheet=sheet)
                row = struct.unpack_from("<I", body)[0]
                if row > _CALAMINE_LAST_ROW:
                    in_data = False  # calamine stops here; so do we
                    continue
                if len(body) >= 12 and body[11] & 0x10:
                    hidden.append(row)
            elif rtype in CELL_RECORDS:
                if len(body) < 8 or row < 0:
                    raise InputError(_DAMAGED, path=p, sheet=sheet)
                col = struct.unpack_from("<I", body)[0]
                cells += 1
                max_row = max(max_row, row + 1)
                max_col = max(max_col, col + 1)
    except _Truncated:
        raise InputError(_DAMAGED, path=p, sheet=sheet) from None
    return max_row, max_col, cells, hidden


_DAMAGED = "the file is damaged (a sheet's binary records are cut short or malformed)"


def _check_dim(body: bytes, p: Path, sheet: str) -> None:
    """BrtWsDim: first row, last row, first column, last column. Excel never writes an impossible one."""
    if len(body) < 16:
        raise InputError(_DAMAGED, path=p, sheet=sheet)
    r1, r2, c1, c2 = struct.unpack_from("<IIII", body)
    if r1 > r2 or c1 > c2 or r2 >= XLSB_MAX_ROWS or c2 >= XLSB_MAX_COLS:
        raise InputError(
            "the file is damaged (a sheet's size record is impossible: "
            f"rows {r1:,}–{r2:,}, columns {c1:,}–{c2:,})",
            path=p,
            sheet=sheet,
        )


def workbook_sheets(zf: zipfile.ZipFile, p: Path) -> list[tuple[str, str, int]]:
    """(sheet name, zip member, visibility 0/1/2) for each sheet in xl/workbook.bin, in order.

    Visibility is BrtBundleSh.hsState: 0 visible, 1 hidden, 2 very hidden. A sheet whose
    relationship cannot be resolved is named after its part, so no part escapes the checks.
    """
    import posixpath

    names = {n.lower(): n for n in zf.namelist()}
    rels = _rels(zf, names.get("xl/_rels/workbook.bin.rels"))
    out: list[tuple[str, str, int]] = []
    wb = names.get("xl/workbook.bin")
    if wb is not None:
        try:
            with zf.open(wb) as fh:
                data = fh.read(_MAX_RECORD)
        except Exception:  # noqa: BLE001 - the archive check reports a damaged part itself
            data = b""
        try:
            for rtype, body in records(iter([data]), want=frozenset({BRT_BUNDLE_SH})):
                if rtype != BRT_BUNDLE_SH or len(body) < 12:
                    continue
                state = body[0] & 0x03
                rel, at = _wide(body, 8)
                name, _ = _wide(body, at)
                target = rels.get(rel or "")
                part = names.get(posixpath.normpath(posixpath.join("xl", target)).lower()) if target else None
                if part is not None:
                    out.append((name or part, part, state))
        except (_Truncated, struct.error):
            pass
    listed = {part for _, part, _ in out}
    for lower, real in sorted(names.items()):
        if lower.startswith("xl/worksheets/") and lower.endswith(".bin") and real not in listed:
            out.append((real.rsplit("/", 1)[-1], real, 0))
    return out


def _wide(body: bytes, at: int) -> tuple[str | None, int]:
    """An XLWideString (u32 character count, UTF-16LE) at `at`: (text, next offset)."""
    if at + 4 > len(body):
        return None, len(body)
    n = struct.unpack_from("<I", body, at)[0]
    end = at + 4 + 2 * n
    if n == 0xFFFFFFFF or end > len(body):
        return None, len(body)
    return body[at + 4 : end].decode("utf-16-le", "replace"), end


def _rels(zf: zipfile.ZipFile, member: str | None) -> dict[str, str]:
    """Id -> Target of a .rels part, parsed with defusedxml (entity-safe)."""
    if member is None:
        return {}
    try:
        from defusedxml import ElementTree as ET

        with zf.open(member) as fh:
            root = ET.fromstring(fh.read(4 * 1024 * 1024))
    except Exception:  # noqa: BLE001 - damaged rels: the sheets are still found by part name
        return {}
    return {el.get("Id", ""): el.get("Target", "") for el in root if el.tag.endswith("Relationship")}
