"""check_biff: is this .xls safe to hand to calamine?

calamine sizes its grid from the DIMENSIONS record and far cells; a lying header once
asked for 858 GB and aborted the process. Checked here first, from the records.
"""

from __future__ import annotations

import struct
from pathlib import Path

from foistats.model.errors import InputError
from foistats.intake.guard.limits import MAX_CELLS, TRUNCATED_OLE
from foistats.intake.guard.ole import _Cfb, _Damaged

# A BIFF8 sheet has at most 65,536 rows and 256 columns.
_BIFF_MAX_ROWS = 65_536
_BIFF_MAX_COLS = 256
_BIFF_MAX_STREAM = 256 * 1024 * 1024


def check_biff(path: str | Path, *, max_cells: int = MAX_CELLS) -> None:
    """Refuse an .xls whose DIMENSIONS records are impossible, before calamine sizes a grid.

    Found by the fuzz run (bench/fuzz.py): one flipped byte made a sheet's first row
    larger than its last, calamine computed the row count by unsigned subtraction and
    the process died asking for 858 GB. A damaged file must be an error, not a crash.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            cfb = _Cfb(fh, size)
            names = cfb.names()
            stream = "workbook" if "workbook" in names else "book"
            data = cfb.stream_head(stream, _BIFF_MAX_STREAM)
    except _Damaged:
        raise InputError(TRUNCATED_OLE, path=p) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=p) from None
    _walk(data, p, max_cells)


# Cell records calamine turns into values (BLANK/MULBLANK are skipped by it, so they do
# not size its grid): FORMULA, NUMBER, LABEL, BOOLERR, STRING, RK, LABELSST, RSTRING.
_CELLS = frozenset({0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6})
_MULRK, _BOF, _EOF, _BOUNDSHEET, _SST, _CONTINUE = 0x00BD, 0x0809, 0x000A, 0x0085, 0x00FC, 0x003C


def _walk(data: bytes, p: Path, max_cells: int) -> None:
    """Every record of the Workbook stream: sizes, cell extents per sheet, and the SST count.

    calamine builds every sheet when the file is opened, each as the rectangle from A1
    to its furthest value cell (32 bytes a cell), so the extents are checked per sheet
    (the sparse rule: a stray far cell) and for all sheets together.
    """
    from foistats.intake.guard.extent import _check_extent
    from foistats.intake.guard.limits import MAX_WORKBOOK_CELLS

    names = _sheet_names(data)
    pos = 0
    sheet: str | None = None
    in_sheet = False
    max_row = max_col = cells = total = 0
    while pos + 4 <= len(data):
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + rlen]
        if rtype == _BOF:
            in_sheet = bool(names) and pos in names
            sheet = names.get(pos)
            max_row = max_col = cells = 0
        elif rtype == _EOF and in_sheet:
            _check_extent(max_row, max_col, p, sheet, max_cells, cells)
            total += max_row * max_col
            if total > MAX_WORKBOOK_CELLS:
                raise InputError(
                    f"refusing to read: the sheets together span {total:,} cells (the limit is "
                    f"{MAX_WORKBOOK_CELLS:,}); delete stray cells far below or to the right of the tables",
                    path=p,
                )
            in_sheet = False
        elif rtype == 0x0200 and rlen >= 14 and len(body) >= 14:  # DIMENSIONS (BIFF8)
            first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", body)
            if (
                first_row > last_row
                or first_col > last_col
                or last_row > _BIFF_MAX_ROWS
                or last_col > _BIFF_MAX_COLS
                or (last_row - first_row) * (last_col - first_col) > max_cells
            ):
                raise InputError(
                    "the file is damaged (a sheet's size record is impossible: "
                    f"rows {first_row}–{last_row}, columns {first_col}–{last_col})",
                    path=p,
                )
        elif rtype == 0x00E5:  # MERGECELLS: a count, then 8 bytes per range
            count = struct.unpack_from("<H", body)[0] if len(body) >= 2 else -1
            if count < 0 or len(body) < 2 + 8 * count:
                raise InputError("the file is damaged (a merged-cells record is cut short)", path=p)
        elif rtype in _CELLS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            cells += 1
            max_row, max_col = max(max_row, row + 1), max(max_col, col + 1)
        elif rtype == _MULRK:
            # row, first column, n x 6-byte RK values, last column; calamine trusts the
            # columns (an unsigned underflow there is a panic)
            if len(body) < 12 or (len(body) - 6) % 6:
                raise InputError("the file is damaged (a cell record is cut short)", path=p, sheet=sheet)
            row, first = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            if last < first or len(body) != 6 + 6 * (last - first + 1):
                raise InputError("the file is damaged (a cell record is malformed)", path=p, sheet=sheet)
            cells += last - first + 1
            max_row, max_col = max(max_row, row + 1), max(max_col, last + 1)
        elif rtype == _SST:
            _check_sst(data, pos, p)
        pos += 4 + rlen


def _check_sst(data: bytes, pos: int, p: Path) -> None:
    """SST: calamine reserves room for its declared string count before reading one.

    A count of 2 billion asked for ~50 GB. Each string takes at least 3 bytes, so the
    count can be no more than the record and its CONTINUE records hold.
    """
    rlen = struct.unpack_from("<H", data, pos + 2)[0]
    if rlen < 8 or pos + 12 > len(data):
        raise InputError("the file is damaged (its shared-strings record is cut short)", path=p)
    unique = struct.unpack_from("<i", data, pos + 8)[0]
    room = rlen - 8
    at = pos + 4 + rlen
    while at + 4 <= len(data):
        rtype, clen = struct.unpack_from("<HH", data, at)
        if rtype != _CONTINUE:
            break
        room += clen
        at += 4 + clen
    if unique < 0 or unique > room // 3 + 1:
        raise InputError(
            f"the file is damaged (its shared-strings table claims {unique:,} strings in {room:,} bytes)", path=p
        )


def _sheet_names(data: bytes) -> dict[int, str]:
    """Stream offset of each sheet's BOF -> sheet name, from the BOUNDSHEET records (BIFF8)."""
    out: dict[int, str] = {}
    pos = 0
    while pos + 4 <= len(data):
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == _BOUNDSHEET and rlen >= 8 and pos + 4 + rlen <= len(data):
            body = data[pos + 4 : pos + 4 + rlen]
            offset, dtype, cch, high = struct.unpack_from("<I", body)[0], body[5], body[6], body[7]
            raw = body[8 : 8 + (cch * 2 if high & 1 else cch)]
            name = raw.decode("utf-16-le" if high & 1 else "latin-1", "replace")
            if dtype == 0:  # worksheets; chart and macro sheets hold no cells for us
                out[offset] = name
        elif rtype == _EOF:
            break
        pos += 4 + rlen
    return out
