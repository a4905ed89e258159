"""Trim a grid to its used rectangle, so a stray far cell does not make a huge grid.
"""

from __future__ import annotations

from typing import Any, Sequence

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def trim_grid(rows: Sequence[Sequence[Any]], *, pad: bool = True, fill: Any = "") -> list[list[Any]]:
    """Drop trailing blank rows and columns; pad short (ragged) rows with `fill` if `pad`.

    Sheets formatted to the bottom of the grid and CSVs ending in thousands of ",,,"
    rows carry no data in their tails. Only the trailing edge is trimmed, never the
    leading one, so every kept cell keeps its row and column number (provenance).
    Blank means None, "" or whitespace; 0 is a value.
    """
    last = len(rows)
    while last and all(_blank(v) for v in rows[last - 1]):
        last -= 1
    width = 0
    for row in rows[:last]:
        for j in range(len(row) - 1, width - 1, -1):
            if not _blank(row[j]):
                width = j + 1
                break
    out: list[list[Any]] = []
    for row in rows[:last]:
        cells = list(row[:width])
        if pad and len(cells) < width:
            cells.extend([fill] * (width - len(cells)))
        out.append(cells)
    return out
