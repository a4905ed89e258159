"""Cell grids: the one shape every reader produces and detection reads.

Every grid starts at A1 so that a (row, col) index is also the provenance of the number
in it; a PDF page's table or a Word table becomes a grid of the same kind, so detection
and tidying are written once for all formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Cell = Any  # str | float | int | bool | datetime | date | time | timedelta | None


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    rows: list[list[Cell]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Workbook:
    path: Path
    kind: str  # xlsx | xls | ods | csv
    sheets: list[Sheet]
    encoding: str | None = None
    delimiter: str | None = None
    decimal_comma: bool = False  # "1,5" read as 1.5 (semicolon-separated files)
    unreadable_cells: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, cell, reason)
    # Context outside any table that may name the force (used only when a table says nothing):
    # the letterhead or signature of a reply letter (PDF, Word, email). None for spreadsheets.
    letterhead: str | None = None
    # What the reader noticed and the user must hear (an unbalanced quote that swallowed
    # lines, say): each becomes a warning on the file's report, so --strict fails on it.
    warnings: list[str] = field(default_factory=list)


def col_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26: the inverse of col_letter."""
    n = 0
    for ch in str(letters).strip().upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def cell_ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row + 1}"


def normalise_grid(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Empty strings become None and rows get one width, so detection can index freely.

    Done in place: a 200,000-row sheet is a million Python objects already, and a
    second copy of it would double the memory an import needs.
    """
    width = max((len(r) for r in rows), default=0)
    for i, row in enumerate(rows):
        if any(type(c) is str and not c.strip() for c in row):
            row = rows[i] = [None if (type(c) is str and not c.strip()) else c for c in row]
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return rows
