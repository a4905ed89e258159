"""CSV, TSV and other delimited text, in any common encoding and line ending."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from foistats.intake.grid import Cell, Sheet, Workbook
from foistats.model.errors import InputError


def read_text(path: Path) -> Workbook:
    """Read a CSV/TSV of any common encoding and line ending into one grid of strings."""
    from foistats.intake import guard

    data = guard.read_text_bytes(path)  # issue 17: streamed, NUL padding dropped, size-capped
    if not data:
        raise InputError("the file is empty (0 bytes)", path=path)
    text, encoding = guard.decode_text(data, path=path)
    delimiter = guard.sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows: list[list[Cell]] = [[c if c != "" else None for c in row] for row in reader]
    except csv.Error as exc:
        raise InputError(f"cannot parse as CSV: {exc}", path=path) from None
    rows = guard.trim_grid(rows, fill=None)
    decimal_comma = delimiter == ";" and _decimal_commas(rows)
    return Workbook(
        path=path,
        kind="csv",
        sheets=[Sheet(name=None, rows=rows)],
        encoding=encoding,
        delimiter=delimiter,
        decimal_comma=decimal_comma,
    )


_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,(\d{1,2}|\d{4,})\s*$")


def _decimal_commas(rows: list[list[Cell]]) -> bool:
    """A semicolon-separated file writes 1,5 for one and a half (continental convention).

    Only cells that cannot be thousands ("1,5", "3,25") are converted, in place; "1,234"
    is left to the usual reading. Returns whether any cell was converted.
    """
    converted = False
    for row in rows:
        for i, cell in enumerate(row):
            if isinstance(cell, str) and _DECIMAL_COMMA.match(cell):
                row[i] = float(cell.strip().replace(",", "."))
                converted = True
    return converted
