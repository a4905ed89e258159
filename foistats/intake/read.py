"""Read a file into plain cell grids, one per sheet, with A1 coordinates intact.

python-calamine (Rust) reads xlsx, xlsm, xls and ods about 20x faster than openpyxl
and is the only reader here for .xls/.ods; openpyxl adds nothing we need for reading
(calamine reports merged ranges too). Every grid starts at A1 so that a (row, col)
index is also the provenance of the number in it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foistats.model.errors import InputError

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


def read_workbook(path: Path) -> Workbook:
    """Check the file with the guard, then read it with the right reader."""
    from foistats.intake import guard

    kind = guard.sniff(path)
    if kind in ("xlsx", "xlsb", "ods"):
        guard.check_archive(path)
    elif kind == "xls":
        guard.check_biff(path)
    if kind in ("xlsx", "xlsb", "xls", "ods"):
        return _read_calamine(path, kind)
    if kind in ("csv", "text"):
        return read_text(path)
    if kind == "html":
        raise InputError(
            "this is a web page (HTML) saved with a spreadsheet name; open it in a spreadsheet and save as .xlsx",
            path=path,
        )
    raise InputError(f"not a spreadsheet this tool can read ({kind})", path=path)


def _read_calamine(path: Path, kind: str) -> Workbook:
    import python_calamine as pc

    from foistats.intake import guard

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's own errors, and Rust panics (pyo3 PanicException is a BaseException)
        raise InputError(_calamine_message(exc), path=path) from None
    sheets: list[Sheet] = []
    unreadable: list[tuple[str, str, str]] = []
    missing_cache: dict[str, list[str]] = {}
    if kind == "xlsx":
        for sheet_name, ref in guard.check_formula_cache(path):
            missing_cache.setdefault(sheet_name, []).append(ref)
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            height = sheet.height if hasattr(sheet, "height") else 0
            if height > guard.MAX_ROWS:
                raise InputError(
                    f"sheet has {height:,} rows, more than the {guard.MAX_ROWS:,} this tool reads", path=path, sheet=name
                )
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except (InputError, KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # including a Rust panic on a damaged sheet
            raise InputError(f"cannot read sheet: {_calamine_message(exc)}", path=path, sheet=name) from None
        rows = guard.trim_grid(rows)
        for ref in missing_cache.get(name, []):
            unreadable.append((name, ref, "formula with no saved value (open and save the file in Excel to compute it)"))
            _blank_ref(rows, ref)
        sheets.append(Sheet(name=name, rows=rows, merged=merged))
    return Workbook(path=path, kind=kind, sheets=sheets, unreadable_cells=unreadable)


def _blank_ref(rows: list[list[Cell]], ref: str) -> None:
    """Calamine reads a formula with no cached value as empty or 0; never let that 0 through."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    r, c = int(digits) - 1, col_index(letters)
    if 0 <= r < len(rows) and 0 <= c < len(rows[r]):
        rows[r][c] = None


def _calamine_message(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    name = type(exc).__name__
    low = text.lower()
    if "password" in name.lower() or "password" in low or "encrypt" in low:
        return "this workbook is password-protected; ask the force for an unprotected copy"
    if "panic" in name.lower() or "out of range" in low or "index" in low:
        return "the file is damaged (the spreadsheet reader could not make sense of it)"
    if "zip" in low or "eof" in low or "invalid" in low or "corrupt" in low:
        return f"the file is damaged or not a valid spreadsheet ({text.splitlines()[0][:120]})"
    return text.splitlines()[0][:200]


def read_text(path: Path) -> Workbook:
    """Read a CSV/TSV of any common encoding and line ending into one grid of strings."""
    from foistats.intake import guard

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
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
