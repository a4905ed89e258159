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
    pos = 0
    while pos + 4 <= len(data):
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == 0x0200 and rlen >= 14 and pos + 4 + 14 <= len(data):  # DIMENSIONS (BIFF8)
            first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", data, pos + 4)
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
            count = struct.unpack_from("<H", data, pos + 4)[0] if rlen >= 2 and pos + 6 <= len(data) else -1
            if count < 0 or rlen < 2 + 8 * count:
                raise InputError("the file is damaged (a merged-cells record is cut short)", path=p)
        pos += 4 + rlen
