"""xlsx, xlsm, xlsb, xls and ods through python-calamine (Rust).

calamine reads these about 20x faster than openpyxl and is the only reader here for
.xls/.ods; openpyxl adds nothing we need for reading (calamine reports merged ranges
too). Rust panics on damaged files are caught here and become one-line input errors,
and the panic message Rust itself prints on stderr (with a backtrace when
RUST_BACKTRACE is set) is kept off the user's terminal: calamine runs with file
descriptor 2 pointed at a scratch file, which is dropped unless it is needed.
Aborts (an allocation Rust cannot make) cannot be caught at all; the guard
(`guard.check_archive`, `guard.check_biff`) measures every size calamine would
allocate from before it runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

from foistats.intake.grid import Cell, Sheet, Workbook, col_index
from foistats.model.errors import InputError


def _read_calamine(path: Path, kind: str, checked: Checked | None = None) -> Workbook:
    """Read a workbook with calamine - in the long-lived reader worker (`readers.worker`), so
    an abort on a file nobody foresaw costs that file, not the whole import.

    `checked`: what the guard already read from the archive it had open (cells with a formula
    but no saved value, and the hidden-content audit of the parts), so calamine's own open is
    the only other one; without it the reader finds both itself."""
    from foistats.intake.readers import worker

    if worker.enabled(path):
        return worker.read(path, kind, worker.CALAMINE, *(() if checked is None else (checked,)))
    return _read_calamine_here(path, kind, checked)


# (formula cells with no saved value as (sheet, ref), the hidden-content audit of the parts)
Checked = tuple[list[tuple[str, str]], Any]


def _read_calamine_here(path: Path, kind: str, checked: Checked | None = None) -> Workbook:
    import python_calamine as pc

    from foistats.intake import guard

    try:
        with quiet_stderr():
            book = pc.CalamineWorkbook.from_path(str(path))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's own errors, and Rust panics (pyo3 PanicException is a BaseException)
        raise InputError(_calamine_message(exc), path=path) from None
    sheets: list[Sheet] = []
    unreadable: list[tuple[str, str, str]] = []
    missing_cache: dict[str, list[str]] = {}
    if kind == "xlsx":
        for sheet_name, ref in guard.check_formula_cache(path) if checked is None else checked[0]:
            missing_cache.setdefault(sheet_name, []).append(ref)
    for name in book.sheet_names:
        try:
            with quiet_stderr():
                sheet = book.get_sheet_by_name(name)
            height = sheet.height if hasattr(sheet, "height") else 0
            if height > guard.MAX_ROWS:
                raise InputError(
                    f"sheet has {height:,} rows, more than the {guard.MAX_ROWS:,} this tool reads", path=path, sheet=name
                )
            with quiet_stderr():
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
        for ref in _before_march_1900(rows):
            unreadable.append((name, ref, BEFORE_1900_03))
        sheets.append(Sheet(name=name, rows=rows, merged=merged))
    from foistats.intake.hidden import audit

    return Workbook(path=path, kind=kind, sheets=sheets, unreadable_cells=unreadable, hidden=audit(path, kind, book, None if checked is None else checked[1]))


BEFORE_1900_03 = (
    "a date before 1 March 1900 (Excel serial 1-60, where Excel counts a 29 February 1900 that never "
    "was): not read as a date; if it is a count, format the cell as a number"
)
_MARCH_1900 = date(1900, 3, 1)


def _before_march_1900(rows: list[list[Cell]]) -> list[str]:
    """Blank dates before 1 March 1900 and return their cells.

    Excel's serial 60 is 29 February 1900, a day that did not exist (Lotus 1-2-3's leap
    year bug, kept for compatibility); calamine reads serials 59 and 60 both as 28
    February. No FOI period starts in January or February 1900: a date there is a small
    number wearing a date format, or serial 60 itself - never a period.
    """
    from foistats.intake.grid import cell_ref

    found: list[str] = []
    for r, row in enumerate(rows):
        kinds = set(map(type, row))
        if date not in kinds and datetime not in kinds:
            continue  # most rows: no date at all, decided at C speed
        for c, value in enumerate(row):
            if type(value) in (date, datetime) and (value.date() if type(value) is datetime else value) < _MARCH_1900:
                row[c] = None
                found.append(cell_ref(r, c))
    return found


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


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null while Rust code runs, then put it back.

    A Rust panic is turned into a Python exception by pyo3, but the panic hook has
    already written "thread panicked at ..." (and, with RUST_BACKTRACE=1, a
    backtrace) straight to fd 2, past sys.stderr. The user gets foistats' one-line
    message instead. Costs a few system calls; nothing is written by a healthy read.
    """
    try:
        fd = sys.__stderr__.fileno() if sys.__stderr__ is not None else 2
        saved = os.dup(fd)
    except (OSError, ValueError, AttributeError):
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        try:
            sys.__stderr__.flush()
        except (OSError, ValueError, AttributeError):
            pass
        os.dup2(null, fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
    finally:
        os.close(null)
        os.close(saved)
