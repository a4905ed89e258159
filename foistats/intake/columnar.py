"""Big xlsx sheets, columnar: detect on a sample, then read the body with fastexcel.

A 200,000-row long sheet read cell by cell into Python is a million objects (hundreds of
megabytes) before detection starts. Detection judges a long body on its first
`detect._HEAD_ROWS` and last `detect._TAIL_ROWS` rows (`detect.sample`), so here each big
sheet is cut to those rows (with room for titles above and notes below) straight from
its XML, and only that sample goes through the normal reader (calamine: the same Python
values as always). Detection, context and every rule of tidy.py then see what they would
have judged on the whole sheet. Once the table is found, the body is read as Arrow
columns by fastexcel into polars, each distinct row key is described once by tidy.py's
own `_describe` (passed in, so there is one set of rules), and the tidy frame is built
with polars expressions; every value keeps its own cell reference.

Anything this path cannot promise to read exactly as the normal path would sends the file
down the normal path (`Fallback`): hidden rows, columns or sheets, merged cells on a long sheet, formulas
without saved values, the 1904 date system, a body that does not fill the sample, types
that change down a column, text, notes or blank rows below the sample, totals (a row or a
column, anywhere in the body), flag, derived or spacer columns, a column that may number
the rows, notes on row labels, and any cell the two readers disagree on.
`tests/test_columnar_differential.py` holds it to the normal path's answer.

FOISTATS_COLUMNAR=0 turns this path off; =1 takes it for any xlsx (the tests use that,
with detect's judged rows and this module's margins made small); FOISTATS_COLUMNAR_DEBUG=1
says on stderr which path each sheet took and why.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from foistats.intake.grid import Sheet, Workbook, col_letter
from foistats.model import schema

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from foistats.intake.detect import SheetGrid, Table
    from foistats.intake.report import SheetReport
    from foistats.model.values import SymbolKey

MIN_BYTES = 4_000_000  # smaller files are read whole (in the reader worker)
# The sample: the sheet's first rows and its last ones, as detection judges a long body on
# its first detect._HEAD_ROWS and last detect._TAIL_ROWS rows (`detect.sample`). The head
# adds room for titles and headers above the body, the tail for notes below it.
HEAD_MARGIN = 200
TAIL_MARGIN = 100
_PLAIN_NUMERAL = r"^\s*-?\d{1,15}(?:\.\d{1,15})?\s*$"
_NUMBERISH = r"^\s*-?[\d.]+(?:[eE][-+]?\d+)?\s*$"
_DATEISH = re.compile(r"^\d{4}-\d\d-\d\d")


class Fallback(Exception):
    """The columnar path cannot promise the normal path's answer: take the normal path."""


@dataclass
class Plan:
    """A big xlsx read as a sample: the workbook tidy.py detects on, and what was cut."""

    path: Path
    workbook: Workbook  # every sheet; the sampled ones hold their head rows, then their tail rows
    sampled: dict[str, int] = field(default_factory=dict)  # sheet -> rows in the head of the sample
    offsets: dict[str, int] = field(default_factory=dict)  # sheet -> how far the tail rows were moved up
    done: set[str] = field(default_factory=set)  # sampled sheets read columnar so far
    checked: bool = False  # the formula and hidden-content checks have passed
    # Started early (`prefetch`): sheet -> the grid and tables detected on its sample, and
    # the body's read already under way with its parameters (first body row, value columns).
    detected: dict[str, tuple[Any, list[Any]]] = field(default_factory=dict)
    reads: dict[str, tuple[tuple[int, tuple[int, ...]], Callable[..., Any]]] = field(default_factory=dict)

    def drop_reads(self) -> None:
        """Wait for any read started early and not used (the import fell back, or failed),
        so that it never runs beside the normal reader."""
        while self.reads:
            _, (_, pending) = self.reads.popitem()
            pending(wait_only=True)

    def true_row(self, sheet: str, r: int) -> int:
        """The sheet's own row index of row r of the sample grid (head rows keep theirs)."""
        return r if r < self.sampled[sheet] else r + self.offsets[sheet]


def mode() -> str:
    """FOISTATS_COLUMNAR: "0" never, "1" for any xlsx, else ("auto") for files over MIN_BYTES."""
    return os.environ.get("FOISTATS_COLUMNAR", "auto").lower()


def _sample_rows() -> tuple[int, int]:
    """(head rows, tail rows) of the sample."""
    from foistats.intake import detect

    return detect._HEAD_ROWS + HEAD_MARGIN, detect._TAIL_ROWS + TAIL_MARGIN


def plan(path: Path, options: Any) -> Plan | None:
    """The sampled workbook when the columnar path may apply, else None.

    The guard's checks run here with the archive the import already holds open
    (`read.handed`), so a big xlsx is opened once for all of them; if the columnar path
    is not taken, the normal reader runs them again, as it always has."""
    try:
        return _plan(path, options)
    except Fallback as exc:
        debug(exc)
        return None


def _plan(path: Path, options: Any) -> Plan | None:
    m = mode()
    if m in ("0", "off", "no") or options.include_hidden or options.recipe or options.recipes:
        return None
    try:
        if m not in ("1", "on", "yes", "always") and path.stat().st_size <= MIN_BYTES:
            return None
        import fastexcel  # noqa: F401  (a missing fastexcel means the normal path)
    except (OSError, ImportError):
        return None
    import zipfile

    from foistats.intake import guard
    from foistats.intake.read import handed

    held = handed(path)
    try:
        if held is None:
            if guard.sniff(path) != "xlsx":
                raise Fallback("not an xlsx")
            zf = zipfile.ZipFile(path)
        elif held[0] != "xlsx":
            raise Fallback("not an xlsx")
        else:
            zf = held[1]
    except Fallback:
        raise
    except Exception as exc:  # the normal path reports whatever is wrong with the file, its own way
        raise Fallback(f"the file: {type(exc).__name__}") from None
    try:
        # Each worksheet is cut to its sample as the guard's pass inflates it (one inflate for both).
        cuts = _cuts(path, zf)
        guard.check_archive(path, zf=zf, taps=cuts)  # sizes and rectangles: before anything allocates a sheet
        if guard.is_1904(path, zf=zf):
            raise Fallback("the 1904 date system")
        # The formula and hidden-content checks come later (`_later_checks`), while fastexcel
        # reads the body in another thread: they only decide whether this path may be taken.
        return _sample(path, zf, cuts)
    except Fallback:
        raise
    except Exception as exc:  # the guard's refusals too: the normal path words them
        raise Fallback(f"{type(exc).__name__}: {exc}") from None
    finally:
        if held is None:
            zf.close()


def _cuts(path: Path, zf: Any) -> dict[str, "SheetCut"]:
    """A `SheetCut` for each worksheet part, knowing the size and CRC the archive lists."""
    from foistats.intake.guard.extent import _xlsx_sheets

    n, n_tail = _sample_rows()
    out: dict[str, SheetCut] = {}
    for _, member in _xlsx_sheets(zf, path):
        try:
            info = zf.getinfo(member)
        except KeyError:
            continue
        out[member] = SheetCut(n, n_tail, size=info.file_size, crc=info.CRC)
    return out


def _sample(path: Path, zf: Any, cuts: dict[str, "SheetCut"] | None = None) -> Plan | None:
    """The workbook with each big sheet cut to its sample, read by calamine as usual."""
    import io

    import python_calamine as pc

    from foistats.intake import guard
    from foistats.intake.readers.spreadsheet import _before_march_1900, quiet_stderr

    n, n_tail = _sample_rows()
    head = _head_workbook(path, zf, n, n_tail, cuts or {})
    if head is None:
        raise Fallback("rows without numbers, rows out of order, or a sheet whose cells never end")
    data, cut = head
    with quiet_stderr():
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    del data
    sheets: list[Sheet] = []
    sampled: dict[str, int] = {}
    for name in book.sheet_names:
        with quiet_stderr():
            sheet = book.get_sheet_by_name(name)
            merged = list(sheet.merged_cell_ranges or [])
            if merged and name in cut:
                raise Fallback("merged cells on a long sheet")
            rows = sheet.to_python(skip_empty_area=False)
        del sheet
        if name in cut:
            sampled[name] = n
        rows = guard.trim_grid(rows)
        if _before_march_1900(rows):
            raise Fallback("a date before March 1900")
        # a sheet left whole (a cover or notes sheet, merged titles and all) is the sheet the
        # normal reader gives: its XML was copied as it is
        sheets.append(Sheet(name=name, rows=rows, merged=merged))
    if not sampled:
        raise Fallback(f"no sheet over {n} rows")
    from foistats.intake.hidden import HiddenContent, audit

    if audit(path, "xlsx", book, archive=HiddenContent()):  # sheet visibility, from the copied workbook part
        raise Fallback("a hidden sheet")
    del book
    _give_back_memory()
    return Plan(path=path, workbook=Workbook(path=path, kind="xlsx", sheets=sheets, hidden=HiddenContent()), sampled=sampled, offsets=cut)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*>")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_SHEETDATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_TAIL_LIMIT = 16 * 1024 * 1024  # what follows a sheet's cells (merges, formats, margins) is small


def _head_workbook(path: Path, zf: Any, n: int, n_tail: int, cuts: dict[str, "SheetCut"]) -> tuple[bytes, dict[str, int]] | None:
    """An in-memory copy of the xlsx whose long worksheets keep only their first n rows and
    their last n_tail, and for each sheet cut, how far its last rows were moved up.

    python-calamine has no partial read: giving it the whole file to take a sample parses
    every cell of a 200,000-row sheet (0.7 s). Here each worksheet's XML is inflated once:
    the rows up to the first one numbered above n are copied, then the last n_tail rows,
    renumbered to follow on (so the grid has no gap of blank rows, which detection would
    read as the end of the table), then everything after the cells (merges, hidden-column
    records, margins). Every other part is copied as it is, so calamine reads the same
    styles, shared strings and workbook as the real file. Rows without numbers, rows out
    of order, or cells that never end are unusual: None, and the normal path reads the file.
    A sheet already cut from the guard's pass (`cuts`, complete to its listed size and CRC)
    is not read again."""
    import io
    import zipfile

    from foistats.intake.guard.extent import _xlsx_sheets

    by_member = {member: name for name, member in _xlsx_sheets(zf, path)}
    out = io.BytesIO()
    cut: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as new:
        for info in zf.infolist():
            if info.is_dir():
                continue
            if info.filename in by_member:
                done = cuts.get(info.filename)
                got = done.result() if done is not None and done.complete() else _head_of_sheet(zf, info.filename, n, n_tail)
                if got is None:
                    return None
                data, offset = got
                if offset is not None:
                    cut[by_member[info.filename]] = offset
            else:
                data = zf.read(info.filename)
            new.writestr(info.filename, data)
    return out.getvalue(), cut


_CELL_REF = re.compile(rb"""(<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\sr\s*=\s*["'][A-Za-z]{1,3})(\d+)""")
_ROW_REF = re.compile(rb"""(<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr\s*=\s*["'])(\d+)""")
_WINDOW = 8 * 1024 * 1024  # the last bytes of a sheet's cells kept while inflating, for its last rows


def _sheetdata_end(buf: bytes) -> int:
    """Where the end tag of the cells (`</sheetData>`, any prefix) starts in buf, or -1.
    A literal search first: the word appears twice in a sheet, `<` a million times."""
    at = buf.find(b"sheetData")
    while at >= 0:
        m = _SHEETDATA_END.match(buf, max(0, buf.rfind(b"<", 0, at)))
        if m is not None and m.end() > at:
            return m.start()
        at = buf.find(b"sheetData", at + 1)
    return -1


def _last_row_tags(window: bytearray, want: int) -> list[re.Match[bytes]]:
    """The row start tags in window, at least the last `want` of them when there are so many:
    found in a growing suffix (a regex over `<` is slow on megabytes, and only the end matters)."""
    size = 64 * 1024
    while True:
        start = max(0, len(window) - size)
        tags = list(_ROW_TAG.finditer(window, start))
        if len(tags) > want or start == 0:  # one spare: the first may begin before `start`'s tag
            return tags
        size *= 4


class SheetCut:
    """A worksheet's XML cut as it streams past: its first n rows, then its last n_tail rows
    renumbered to follow them, then what comes after the cells. Fed chunk by chunk, either
    by the guard's own pass over the archive (`guard.check_archive(taps=...)`, so the sheet
    is inflated once for both) or by `_head_of_sheet` reading the member itself.
    `result()`: (XML, how far the last rows were moved up; None for a short sheet kept
    whole), or None for rows without numbers or out of order, or cells that never end."""

    def __init__(self, n: int, n_tail: int, size: int = -1, crc: int = -1) -> None:
        self.n, self.n_tail = n, n_tail
        self.size, self.crc = size, crc  # the member's own, when known: a tap checks it got all of it
        self.head = bytearray()
        self.pos = 0
        self.cut_at = -1
        self.pieces: list[bytes] = []  # the window while streaming: the chunks as fed, oldest first
        self.held = 0  # bytes in pieces
        self.window = bytearray()  # the pieces joined, once the end of the cells is found
        self.whole = True  # the window still holds every row after the head
        self.end = -1
        self.after = bytearray()
        self.failed = False
        self.fed = 0
        self.crc_seen = 0
        self.closed = False

    def feed(self, chunk: bytes) -> None:
        import zlib

        self.fed += len(chunk)
        if self.crc >= 0:
            self.crc_seen = zlib.crc32(chunk, self.crc_seen)
        if self.failed:
            return
        if self.cut_at < 0:
            self._feed_head(chunk)
        elif self.end < 0:
            self._feed_window(chunk)
        else:
            self.after += chunk
            if len(self.after) > _TAIL_LIMIT:
                self.failed = True

    def close(self) -> None:
        """The stream has ended (a tap's stream that is abandoned is never closed)."""
        self.closed = True

    def complete(self) -> bool:
        """Whether every byte of the member was fed, as the archive lists it."""
        return self.closed and (self.size < 0 or self.fed == self.size) and (self.crc < 0 or self.crc_seen == self.crc)

    def _feed_head(self, chunk: bytes) -> None:
        self.head += chunk
        for m in _ROW_TAG.finditer(self.head, self.pos):
            number = _ROW_NUMBER.search(m.group(0))
            if number is None:
                self.failed = True
                return
            if int(number.group(1)) > self.n:
                self.cut_at = m.start()
                break
            self.pos = m.end()
        if self.cut_at >= 0:
            rest = bytes(self.head[self.cut_at:])  # the cells after the head
            del self.head[self.cut_at:]
            self._feed_window(rest, first=True)

    def _feed_window(self, chunk: bytes, first: bool = False) -> None:
        """Keep the last chunks (at least _WINDOW bytes of them) without copying them, and
        look for the end of the cells only where its name appears: in this chunk, or across
        the seam with the one before (the end tag may straddle two chunks)."""
        prev = b"" if first or not self.pieces else self.pieces[-1][-64:]
        self.pieces.append(chunk)
        self.held += len(chunk)
        if b"sheetData" in chunk or (prev and b"sheetData" in prev + chunk[:64]):
            end = _sheetdata_end(prev + chunk)
            if end >= 0:
                window = bytearray().join(self.pieces)
                self.pieces, self.held = [], 0
                self.end = len(window) - len(chunk) - len(prev) + end
                self.after = bytearray(window[self.end:])
                del window[self.end:]
                self.window = window
                if len(self.after) > _TAIL_LIMIT:
                    self.failed = True
                return
        while self.held - len(self.pieces[0]) >= _WINDOW:  # only the last _WINDOW bytes are needed
            self.held -= len(self.pieces.pop(0))
            self.whole = False

    def result(self) -> tuple[bytes, int | None] | None:
        if self.failed:
            return None
        if self.cut_at < 0:
            return bytes(self.head), None
        if self.end < 0:
            return None
        n, n_tail = self.n, self.n_tail
        tags = _last_row_tags(self.window, n_tail + 1)
        numbers = []
        for m in tags[-(n_tail + 1):]:
            number = _ROW_NUMBER.search(m.group(0))
            if number is None:
                return None
            numbers.append(int(number.group(1)))
        if any(b <= a for a, b in zip(numbers, numbers[1:])):
            return None
        if len(tags) <= n_tail:
            if self.whole:  # a short sheet: every row after the head is in view, keep it whole
                return bytes(self.head) + bytes(self.window) + bytes(self.after), None
            return None
        start = tags[-n_tail].start()
        offset = numbers[-n_tail] - (n + 1)
        if offset <= 0:
            return None
        rows = _ROW_REF.sub(lambda m: m.group(1) + str(int(m.group(2)) - offset).encode(), bytes(self.window[start:]))
        rows = _CELL_REF.sub(lambda m: m.group(1) + str(int(m.group(2)) - offset).encode(), rows)
        return bytes(self.head) + rows + bytes(self.after), offset


def _head_of_sheet(zf: Any, member: str, n: int, n_tail: int) -> tuple[bytes, int | None] | None:
    """A worksheet's XML cut to its first n rows and last n_tail rows (renumbered), and how
    far those were moved up (None: the sheet is short and kept whole), reading the member."""
    from foistats.intake.guard.limits import _CHUNK

    cut = SheetCut(n, n_tail)
    with zf.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            cut.feed(chunk)
            if cut.failed:
                return None
    return cut.result()


def _give_back_memory() -> None:
    """Return the freed calamine range to the system (glibc keeps freed heap otherwise), so
    the sample's read and the columnar read do not add up in peak memory."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def tidy_columnar(
    plan_: Plan,
    grid: "SheetGrid",
    table: "Table",
    key: "SymbolKey",
    describe: Callable[[tuple[Any, ...], int], tuple[Any, ...]],
    report: "SheetReport",
    source: str,
    sheet: str,
) -> "pl.DataFrame":
    """The tidy frame of a table whose body runs past the sample, or Fallback (also on any
    error of this path's own: the normal path then reads the file as it always has)."""
    try:
        frame = _tidy_columnar(plan_, grid, table, key, describe, report, source, sheet)
        debug_taken(sheet, frame.height)
        return frame
    except Fallback:
        raise
    except Exception as exc:  # noqa: BLE001
        raise Fallback(f"{type(exc).__name__}: {exc}") from None


def debug(reason: object) -> None:
    """FOISTATS_COLUMNAR_DEBUG=1: say on stderr why a big sheet took the normal path."""
    if os.environ.get("FOISTATS_COLUMNAR_DEBUG"):
        import sys

        print(f"foistats: columnar path not taken: {reason}", file=sys.stderr)


def debug_taken(sheet: str, rows: int) -> None:
    """FOISTATS_COLUMNAR_DEBUG=1: say on stderr which sheet was read columnar."""
    if os.environ.get("FOISTATS_COLUMNAR_DEBUG"):
        import sys

        print(f"foistats: columnar path taken: sheet {sheet!r}, {rows:,} tidy rows", file=sys.stderr)


def prefetch(plan_: Plan, sheets: list[Any], recipe: dict[str, Any], options: Any) -> None:
    """Detect each sampled sheet's table now and, when it is one plain long body, start
    reading that body at once, before the rest of the workbook's context is worked out.
    The detection is kept for the sheet loop (`Plan.detected`), which would run it on the
    same grid; the read is used by `_tidy_columnar` only if it asks for the same first row
    and value columns (`_take_read`), else it is waited for and dropped. Whatever keeps
    the body from being read here raises nothing: the sheet loop meets it again in order."""
    from foistats.intake import records
    from foistats.intake.detect import SheetGrid
    from foistats.intake.grid import normalise_grid
    from foistats.intake.long import tables_of

    for sheet in sheets:
        name = sheet.name
        if name not in plan_.sampled or name in plan_.detected:
            continue
        if records.is_record_sheet(plan_.path, name, sheet.rows, options):
            continue  # the sheet loop counts it as records, which sends the file down the normal path
        grid = SheetGrid(normalise_grid(sheet.rows), sheet.merged, name)
        if grid.height == 0 or grid.width == 0:
            continue
        tables = tables_of(grid, recipe)
        plan_.detected[name] = (grid, tables)
        if not tables:
            continue
        try:
            b0, _, value_cols = _body_read(plan_, grid, tables[0], name)
        except Fallback:
            continue
        plan_.reads[name] = ((b0, tuple(value_cols)), _start_body(plan_.path, name, b0, value_cols))


def _body_read(plan_: Plan, grid: "SheetGrid", table: "Table", sheet: str) -> tuple[int, list[int], list[int]]:
    """Whether the sampled sheet's table may be read columnar, judged on the sample alone:
    (first body row, label columns, value columns), or Fallback."""
    from foistats.intake import detect
    from foistats.intake.long import ROW_NUMBER_HEADERS, _header_words

    n = plan_.sampled[sheet]
    body = table.body_rows
    if (
        table.total_rows or table.total_cols or table.flag_cols or table.derived_cols or table.spacer_cols or grid.has_merges
        or not body or any("row numbers" in str(x) for x in table.rejected)
    ):
        raise Fallback("the table is not one plain long body running past the sample")
    b0 = body[0]
    # Detection judged the body on its first detect._HEAD_ROWS and last detect._TAIL_ROWS
    # rows (detect.sample): the sample must hold exactly those, head rows and tail rows.
    if sum(r < n for r in body) < detect._HEAD_ROWS or sum(r >= n for r in body) < detect._TAIL_ROWS:
        raise Fallback("the body does not fill the sample's head and tail")
    in_body = set(body)
    for r in range(b0, len(grid.rows)):
        # Rows of the sample left out of the body must be rows without a number (a blank
        # count): they give no tidy row either way.
        if r not in in_body and any(c < len(grid.rows[r]) and grid.rows[r][c] is not None for c in table.value_cols):
            raise Fallback("the table is not one plain long body running past the sample")
    label_cols = list(table.label_cols)
    value_cols = list(table.value_cols)
    if not value_cols or set(label_cols) & set(value_cols):
        raise Fallback("no value columns")
    if len(value_cols) >= 2 and any(_header_words(grid, table, c) in ROW_NUMBER_HEADERS for c in value_cols):
        # long.py drops a "#" column counting 1, 2, 3 down the whole body; the sample's rows
        # do not count on (its head and tail are apart), so it cannot judge that
        raise Fallback("a column that may number the rows")
    return b0, label_cols, value_cols


def _take_read(plan_: Plan, sheet: str, b0: int, value_cols: list[int]) -> Callable[..., "pl.DataFrame"]:
    """The body's read: the one `prefetch` started when it asked for these rows and
    columns; else (waiting for that one first, so two never run at once) a new one."""
    early = plan_.reads.pop(sheet, None)
    if early is not None:
        params, pending = early
        if params == (b0, tuple(value_cols)):
            return pending
        pending(wait_only=True)
    return _start_body(plan_.path, sheet, b0, value_cols)


def _tidy_columnar(
    plan_: Plan,
    grid: "SheetGrid",
    table: "Table",
    key: "SymbolKey",
    describe: Callable[[tuple[Any, ...], int], tuple[Any, ...]],
    report: "SheetReport",
    source: str,
    sheet: str,
) -> "pl.DataFrame":
    """The tidy frame of a table whose body runs past the sample, or Fallback."""
    import polars as pl

    from foistats.intake.bulk import _clashes, describe_frame, in_tidy_schema, note_described, warn_no_period, with_cell_notes
    from foistats.model.values import parse_value

    if sheet in plan_.done:
        raise Fallback("a second table on a sampled sheet")
    plan_.done.add(sheet)
    n = plan_.sampled[sheet]

    def true(r: int) -> int:
        return plan_.true_row(sheet, r)

    body = table.body_rows
    b0, label_cols, value_cols = _body_read(plan_, grid, table, sheet)
    pending = _take_read(plan_, sheet, b0, value_cols)
    try:
        _later_checks(plan_)
    except BaseException:
        pending(wait_only=True)
        raise
    frame = pending()
    height = frame.height
    from foistats.intake.guard import MAX_ROWS

    if b0 + height > MAX_ROWS:
        raise Fallback("more rows than the reader takes (the normal path says so)")
    if b0 + height < true(len(grid.rows) - 1) + 1:
        raise Fallback("fastexcel read fewer rows than the sample")
    names = frame.columns
    width = len(names)
    known = set(label_cols) | set(value_cols)
    # Blank strings are empty cells, as normalise_grid makes them.
    frame = frame.with_columns(
        [pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c) for c in names if frame.schema[c] == pl.String]
    )
    tail = frame.slice(n - b0)
    for i in range(width):
        if i not in known and tail.get_column(names[i]).null_count() != tail.height:
            raise Fallback("cells below the sample outside the table's columns")
    if any(c >= width for c in known):
        # a column the sample has but fastexcel did not read: only if empty everywhere
        if any(c >= width and any(row[c] is not None for row in grid.rows[b0:] if c < len(row)) for c in known):
            raise Fallback("columns disagree")
        frame = frame.with_columns([pl.lit(None, dtype=pl.String).alias(f"_empty{c}") for c in known if c >= width])
        names = frame.columns
    col = {c: names[c] if c < width else f"_empty{c}" for c in known}
    valueless = ~pl.any_horizontal([pl.col(col[c]).is_not_null() for c in value_cols])
    if tail.height and label_cols:
        if tail.filter(valueless & ~pl.all_horizontal([pl.col(col[c]).is_not_null() for c in label_cols])).height:
            raise Fallback("a row below the sample with no numbers and not every label (a note, a blank line, a section)")
    elif tail.height and tail.filter(valueless).height:
        raise Fallback("a row below the sample with no numbers")
    blank_row = frame.select(valueless.alias("_b")).get_column("_b")
    if label_cols:
        # detect marks every body row whose labels read as a total ("Total", "All forces", "Grand
        # total"); the sample saw only its own rows, so the whole body is asked here. The
        # pattern is anchored at the start of the row's labels: the first one decides, but
        # for "Grand" on its own.
        from foistats.intake.detect import _TOTAL_END, _TOTAL_LABEL

        if any(f is not None and (_TOTAL_LABEL.match(f) or f.strip().lower() == "grand") for f in _first_labels(frame.filter(~valueless), [col[c] for c in label_cols])):
            raise Fallback("a row of totals in the body (detection marks those)")
        # A label in any column that ends as a total does ("Kent | Blackmail total"): detection
        # marks that row too. One pass asks whether any label holds the word at all (usually
        # none does); only then are the labels holding it read against the exact pattern.
        texts = [col[c] for c in label_cols if frame.schema[col[c]] == pl.String]
        if texts and any(frame.select([pl.col(x).str.contains("(?i)total").any() for x in texts]).row(0)):
            for x in texts:
                holding = frame.filter(~valueless & pl.col(x).str.contains("(?i)total")).get_column(x).unique().to_list()
                if any(v is not None and _TOTAL_END.match(v) for v in holding):
                    raise Fallback("a label ending as a total in the body (detection marks those)")

    # Labels: as calamine gives them (str, float, date or datetime), checked against the sample.
    label_exprs = []
    for c in label_cols:
        dtype = frame.schema[col[c]]
        seen = {type(row[c]) for row in grid.rows[b0:] if c < len(row) and row[c] is not None}
        expr = pl.col(col[c])
        if dtype == pl.Datetime or dtype == pl.Date:
            first = frame.get_column(col[c]).min()
            if first is not None and (first.date() if isinstance(first, datetime) else first) < date(1900, 3, 1):
                raise Fallback("a date before March 1900 (the reader blanks those)")
            if seen <= {date}:
                expr = expr.cast(pl.Date)
            elif not seen <= {datetime}:
                raise Fallback("dates of two kinds in a label column")
        elif dtype not in (pl.String, pl.Float64, pl.Null):
            raise Fallback(f"label column of type {dtype}")
        if c in table.period_label_cols:
            # filled down from the last row with a number, as bulk.py fills over body rows
            expr = pl.when(pl.lit(blank_row)).then(None).otherwise(expr).forward_fill()
        label_exprs.append(expr.alias(f"_l{c}"))
    labels = frame.select(label_exprs) if label_exprs else pl.DataFrame({"_none": [0] * height})
    lab_names = labels.columns
    # The two readers must agree on every cell they both read.
    at = [true(r) - b0 for r in body]  # where the sample's body rows are in fastexcel's frame
    for c, name in zip(label_cols, lab_names):
        mine = labels.get_column(name).gather(at).to_list()
        theirs = _filled([grid.rows[r][c] if c < len(grid.rows[r]) else None for r in body], c in table.period_label_cols)
        if mine != theirs:
            raise Fallback("the readers disagree on a label column")
    # Label columns of plain measure words ("Crime type", "Outcome") are described once per
    # word: each row key is described with a placeholder in their place, and the word is put
    # back into the measure in polars.
    pure_cols, words = _pure_columns(labels, label_cols, lab_names, describe)
    key_names = [name for c, name in zip(label_cols, lab_names) if c not in pure_cols] or [lab_names[0]]
    placeholder = {c: f"Zqxplaceholder{c}q" for c in pure_cols}
    if any(describe.pure_word(c, placeholder[c]) != placeholder[c] for c in pure_cols):  # type: ignore[attr-defined]
        pure_cols, words, placeholder = [], {}, {}
        key_names = lab_names
    if not pure_cols:
        key_names = lab_names
    keys = labels.select(key_names).unique(maintain_order=True).with_row_index("_k")
    row_key = labels.select(key_names).join(keys, on=key_names, how="left", nulls_equal=True, maintain_order="left").get_column("_k")
    key_tuples = []
    for row in keys.select(key_names).iter_rows():
        got = dict(zip(key_names, row))
        key_tuples.append(
            tuple(
                (c, placeholder[c] if c in placeholder else got[name])
                for c, name in zip(label_cols, lab_names)
                if c in placeholder or got.get(name) is not None
            )
            if label_exprs else ()
        )
    word_frame = labels.select(
        [pl.col(lab_names[label_cols.index(c)]).replace_strict(words[c], return_dtype=pl.String).alias(f"_w{c}") for c in pure_cols]
    )
    all_words = {w for c in pure_cols for w in words[c].values()}
    if any(placeholder[c] in w for c in pure_cols for w in all_words):
        raise Fallback("a measure word holding a placeholder")
    value_texts = {c: frame.get_column(col[c]).cast(pl.String) for c in value_cols}
    n_keys = keys.height
    del frame, tail, labels, keys  # the sheet's cells are not needed past this point

    frames: list[pl.DataFrame] = []
    parsed_memo: dict[str, Any] = {}
    for c in value_cols:
        letter = col_letter(c)
        texts = value_texts.pop(c)
        rows_seen = range(b0, len(grid.rows))
        head_texts = texts.gather([true(r) - b0 for r in rows_seen]).to_list()
        for r, t in zip(rows_seen, head_texts):
            g = grid.rows[r][c] if c < len(grid.rows[r]) else None
            if not _agrees(g, t):
                raise Fallback("the readers disagree on a value cell")
        cells = pl.DataFrame({"_r": pl.int_range(b0, b0 + height, eager=True, dtype=pl.Int64), "_k": row_key, "_t": texts, "_b": blank_row})
        if pure_cols:
            cells = pl.concat([cells, word_frame], how="horizontal")
        # a blank among a row's numbers is kept as a row with no value (tidy's cell loop, bulk.py)
        cells = cells.filter(pl.col("_t").is_not_null() | ~pl.col("_b")).drop("_b")
        report.cells_in_region += cells.height
        plain = cells.get_column("_t").str.contains(_PLAIN_NUMERAL)
        others = cells.filter(~plain)
        odd = others.get_column("_t").unique(maintain_order=True).to_list()
        table_of: dict[str, tuple[Any, ...]] = {}
        skip_texts: set[str] = set()
        for t in odd:
            if t not in parsed_memo:
                if _DATEISH.match(t) or re.match(_NUMBERISH, t):
                    raise Fallback("a date or a long number in a value column")
                parsed_memo[t] = parse_value(t, key)
            p = parsed_memo[t]
            if p is None:
                skip_texts.add(t)
                continue
            table_of[t] = (
                None if p.value is None else float(p.value), p.status,
                None if p.low is None else float(p.low), None if p.high is None else float(p.high),
                p.note,  # "%" too: with_cell_notes makes it the unit, as the cell loop does
            )
        if skip_texts:
            bad = others.filter(pl.col("_t").is_in(list(skip_texts)))
            if bad.get_column("_r").max() >= n:
                raise Fallback("text in a value column below the sample")
            for r, t in bad.select("_r", "_t").iter_rows():
                report.skipped.append({"cell": f"{letter}{r + 1}", "text": str(t)[:60], "reason": "text in a value column"})
            cells = cells.filter(~pl.col("_t").is_in(list(skip_texts)))
            plain = cells.get_column("_t").str.contains(_PLAIN_NUMERAL)
        if cells.height == 0:
            continue
        odd_frame = pl.DataFrame(
            {
                "_t": list(table_of),
                "_v": [v[0] for v in table_of.values()],
                "_s": [v[1] for v in table_of.values()],
                "_lo": [v[2] for v in table_of.values()],
                "_hi": [v[3] for v in table_of.values()],
                "_n": [v[4] for v in table_of.values()],
            },
            schema={"_t": pl.String, "_v": pl.Float64, "_s": pl.String, "_lo": pl.Float64, "_hi": pl.Float64, "_n": pl.String},
        )
        cells = cells.with_columns(plain.alias("_p")).join(odd_frame, on="_t", how="left", maintain_order="left")
        cells = cells.select(
            "_r", "_k",
            pl.when(pl.col("_p")).then(pl.col("_t").str.strip_chars().cast(pl.Float64, strict=False)).otherwise(pl.col("_v")).alias("value"),
            pl.when(pl.col("_t").is_null()).then(pl.lit(schema.NOT_AVAILABLE)).when(pl.col("_p")).then(pl.lit(schema.OK)).otherwise(pl.col("_s")).alias("status"),
            pl.when(pl.col("_p")).then(None).otherwise(pl.col("_lo")).alias("value_low"),
            pl.when(pl.col("_p")).then(None).otherwise(pl.col("_hi")).alias("value_high"),
            pl.when(pl.col("_t").is_null()).then(pl.lit("blank cell")).when(pl.col("_p")).then(None).otherwise(pl.col("_n")).alias("note"),
            *[pl.col(f"_w{c}") for c in pure_cols],
        )
        # Every row has its key, and every key is some row's: with no row left out, every key
        # is used, and the distinct keys need not be sought among 200,000 cells.
        used = list(range(n_keys)) if cells.height == height else cells.get_column("_k").unique().sort().to_list()
        described = {k: describe(key_tuples[k], c) for k in used}
        if any((d[7] if len(d) > 7 else {}).get("is_total") for d in described.values()):
            raise Fallback("a total among the labels")
        if pure_cols:
            for d in described.values():
                parts_ = str(d[3]).split(" — ")
                if any(parts_.count(placeholder[c]) != 1 for c in pure_cols) or all_words & set(parts_):
                    raise Fallback("a measure word repeated between label columns")
                if any(placeholder[c] in str(x) for c in pure_cols for i, x in enumerate(d) if i != 3 and isinstance(x, str)):
                    raise Fallback("a placeholder outside the measure")
        row_notes = getattr(describe, "row_notes", None)
        if row_notes is not None and any(row_notes(key_tuples[k]) for k in used):
            raise Fallback("notes on the row labels (a footnote, a sub-area's force)")
        desc = describe_frame(used, described)
        templates = _split_templates(desc, pure_cols, placeholder) if pure_cols else None
        if templates is not None:
            desc = templates[0]
        joined = with_cell_notes(cells.with_columns(pl.col("_k").cast(pl.Int64)).join(desc, on="_k", how="left", maintain_order="left")).with_columns(
            pl.lit(source).alias("source_file"),
            pl.lit(sheet, dtype=pl.String).alias("source_sheet"),
            (pl.lit(letter) + (pl.col("_r") + 1).cast(pl.String)).alias("source_cell"),
            pl.lit(c, dtype=pl.Int64).alias("_c"),
        )
        if templates is not None:
            joined = joined.with_columns(templates[1].alias("measure")).drop(templates[2])
        else:
            for pc in pure_cols:
                joined = joined.with_columns(pl.col("measure").str.replace(placeholder[pc], pl.col(f"_w{pc}"), literal=True))
        joined = joined.drop([f"_w{pc}" for pc in pure_cols])
        frames.append(joined)
        report.rows_imported += cells.height
        note_described(report, used, described, describe)
        if report.measure is None and used:
            report.measure = joined.get_column("measure")[0]
    if report.data_range:
        report.data_range = re.sub(rf"{body[-1] + 1}$", str(true(body[-1]) + 1), report.data_range)
    if not frames:
        return schema.empty_frame()
    # One column of numbers is in row order already; several are interleaved as bulk.py does.
    out = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical").sort(["_r", "_c"], maintain_order=True)
    del frames
    warn_no_period(out, report)
    _clashes(out, report)  # a group-by only when some key holds two cells
    return in_tidy_schema(out)


def _first_labels(body: "pl.DataFrame", names: list[str]) -> set[str]:
    """The distinct first labels of the rows (each row's first label column that is not
    empty), as text: what coalescing the label columns would give, column by column so
    that only the rows whose earlier labels are empty reach the next column, and each
    column's distinct values are turned into text rather than every cell (a date column
    behind a force column is never formatted 200,000 times)."""
    import polars as pl

    firsts: set[str] = set()
    for name in names:
        column = body.get_column(name)
        firsts.update(column.drop_nulls().unique().cast(pl.String).to_list())
        body = body.filter(pl.col(name).is_null())
        if body.height == 0:
            break
    return firsts


def _split_templates(desc: "pl.DataFrame", pure_cols: list[int], placeholder: dict[int, str]) -> tuple["pl.DataFrame", Any, list[str]] | None:
    """Each row key's measure is a template holding one placeholder per pure column; the
    word goes in its place. Rather than search and replace in every row's measure, each of
    the few templates is cut once at its placeholders (their first occurrences, which is
    what replacing one after another would find), and the rows' measures are joined from
    the pieces and the words. (desc with the pieces, the measure's expression, the piece
    columns to drop), or None when the placeholders do not come in one order in every
    template (or a template is missing): then they are replaced row by row."""
    import polars as pl

    order: list[int] | None = None
    pieces: list[list[str]] = [[] for _ in range(len(pure_cols) + 1)]
    for measure in desc.get_column("measure").to_list():
        if measure is None:
            return None
        found = sorted((measure.find(placeholder[pc]), pc) for pc in pure_cols)
        if found[0][0] < 0 or (order is not None and [pc for _, pc in found] != order):
            return None
        order = [pc for _, pc in found]
        at = 0
        for i, (pos, pc) in enumerate(found):
            pieces[i].append(measure[at:pos])
            at = pos + len(placeholder[pc])
        pieces[-1].append(measure[at:])
    if order is None:
        return None
    names = [f"_m{i}" for i in range(len(pieces))]
    with_pieces = desc.with_columns([pl.Series(name, piece, dtype=pl.String) for name, piece in zip(names, pieces)])
    parts: list[Any] = [pl.col(names[0])]
    for i, pc in enumerate(order):
        parts += [pl.col(f"_w{pc}"), pl.col(names[i + 1])]
    return with_pieces, pl.concat_str(parts), names


def _pure_columns(labels: "pl.DataFrame", label_cols: list[int], lab_names: list[str], describe: Any) -> tuple[list[int], dict[int, dict[str, str]]]:
    """Label columns whose every value is a plain measure word (tidy._pure_word_of), with
    each value's word; only when no word is also an area's name or another such column's word."""
    import polars as pl

    pure_word = getattr(describe, "pure_word", None)
    if pure_word is None:
        return [], {}
    area_cols = set(getattr(describe, "area_cols", []))
    names: set[str] = set()
    for c, name in zip(label_cols, lab_names):
        if c in area_cols:
            for v in labels.get_column(name).unique().to_list():
                n = describe.area_name(v)
                if n is not None:
                    names.add(n)
    pure: list[int] = []
    words: dict[int, dict[str, str]] = {}
    taken: set[str] = set(names)
    for c, name in zip(label_cols, lab_names):
        column = labels.get_column(name)
        if column.dtype != pl.String or column.null_count():
            continue
        values = column.unique().to_list()
        if len(values) > 10_000:
            continue
        got = {v: pure_word(c, v) for v in values}
        if any(w is None for w in got.values()):
            continue
        mine = set(got.values())
        if mine & taken:
            continue
        taken |= mine
        pure.append(c)
        words[c] = got  # type: ignore[assignment]
    return pure, words


def _later_checks(plan_: Plan) -> None:
    """The guard's checks that only decide whether this path may be taken: formulas with no
    saved value, and hidden rows, columns or parts (which the normal path withholds). Run
    while fastexcel reads (it lets go of the GIL), with the archive the import holds open."""
    if plan_.checked:
        return
    import zipfile
    from contextlib import nullcontext

    from foistats.intake import guard
    from foistats.intake.hidden import audit_archive
    from foistats.intake.read import handed

    held = handed(plan_.path)
    with nullcontext(held[1]) if held is not None else zipfile.ZipFile(plan_.path) as zf:
        if guard.check_formula_cache(plan_.path, zf=zf):
            raise Fallback("formulas without saved values")
        if audit_archive(plan_.path, "xlsx", zf):
            raise Fallback("hidden rows, columns or parts")
    plan_.checked = True


def _start_body(path: Path, sheet: str, b0: int, value_cols: list[int]) -> Callable[..., "pl.DataFrame"]:
    """Start reading the body in a thread; the function returned waits for it and gives the
    frame (or raises what the read raised). `wait_only=True`: wait, and drop the frame."""
    import threading

    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["frame"] = _read_body(path, sheet, b0, value_cols)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    thread = threading.Thread(target=work, name="foistats-columnar-read", daemon=True)
    thread.start()

    def result(wait_only: bool = False) -> "pl.DataFrame":
        thread.join()
        if wait_only:
            box.clear()
            return None  # type: ignore[return-value]
        if "error" in box:
            raise box.pop("error")
        return box.pop("frame")

    return result


def _read_body(path: Path, sheet: str, b0: int, value_cols: list[int]) -> "pl.DataFrame":
    import fastexcel

    from foistats.intake.readers.spreadsheet import quiet_stderr

    try:
        with quiet_stderr():
            reader = fastexcel.read_excel(str(path))
            loaded = reader.load_sheet(
                sheet, header_row=None, skip_rows=b0, schema_sample_rows=None, dtype_coercion="strict",
                dtypes={c: "string" for c in value_cols},
            )
            return loaded.to_polars()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # mixed types down a column, or anything fastexcel cannot do
        raise Fallback(f"fastexcel: {type(exc).__name__}") from None


def _filled(values: list[Any], fill: bool) -> list[Any]:
    if not fill:
        return values
    out, last = [], None
    for v in values:
        if v is None:
            v = last
        else:
            last = v
        out.append(v)
    return out


def _agrees(grid_value: Any, text: str | None) -> bool:
    if grid_value is None:
        return text is None
    if text is None:
        return False
    if type(grid_value) is str:
        return grid_value == text
    if type(grid_value) is float:
        if not re.match(_PLAIN_NUMERAL, text):
            return False
        return float(text) == grid_value
    return False  # dates, booleans, times in a value column: the normal path decides
