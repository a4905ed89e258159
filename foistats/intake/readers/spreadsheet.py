"""xlsx, xlsm, xlsb, xls and ods through python-calamine (Rust).

calamine reads these about 20x faster than openpyxl and is the only reader here for
.xls/.ods; openpyxl adds nothing we need for reading (calamine reports merged ranges
too). Rust panics on damaged files are caught here and become one-line input errors.
"""

from __future__ import annotations

from pathlib import Path

from foistats.intake.grid import Cell, Sheet, Workbook, col_index
from foistats.model.errors import InputError


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
