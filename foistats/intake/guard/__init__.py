"""Look at a file before any parser does, and refuse what would hurt or mislead.

FOI returns come from dozens of organisations and are opened on journalists' laptops,
so an unknown file must never crash foistats, exhaust memory, or be read as something
it is not. Parsers (calamine, openpyxl, csv) are good at reading well-formed files and
poor at saying *why* a bad one failed; some bad files are worse than unreadable:

- a 1.5 KB xlsx holding values at A1 and XFD1048576 makes calamine allocate 512 GB
  and abort the whole process (not an exception: the process dies);
- a zip bomb expands a 1.5 MB xlsx to 1.5 GB in memory;
- an encrypted workbook gives "Workbook is password protected" or "not a zip file";
- formulas saved without their results read as blanks, silently losing numbers.

So this package decides, cheaply and from the bytes, what a file really is and whether
it is safe to hand to a parser, and turns every problem into an `InputError` whose
one-line message names the file (and sheet/cell where known) and says what to do.
It uses the standard library only (plus defusedxml for the few XML parts it parses),
and never prints; polars is imported only by `fastscan`, for worksheets over 4 MB (which
only the import reads, and it loads polars anyway). One module per check: `sniff` (what
is it), `archive` (zips; other readers can tap its one inflating pass), `biff`/`ole`
(.xls), `extent` (used rectangles, with `fastscan` for big sheets), `formulas` (missing
cached values, 1904 dates), `text` (encodings, delimiters), `trim`, with the limits and
messages in `limits` and the shared XML streaming in `xmlfeed`. It may import only
`foistats.model`.

Order of use (the reader's job): `sniff(path)` -> for "xlsx"/"xlsb"/"ods" call
`check_archive(path)` before any parser touches it (or `sniff_open(path)`, which keeps
the archive open, and pass its `ZipFile` as `zf=` to `check_archive` and
`check_formula_cache`: one open and one read of the zip directory per file) -> read -> `trim_grid(rows)`;
`check_formula_cache(path)` and `is_1904(path)` for xlsx report what the cells alone
cannot say. For text files: `decode_text(bytes)` -> `sniff_delimiter(text)` ->
`csv.reader(io.StringIO(text, newline=""), delimiter=...)`.
"""

from __future__ import annotations

from foistats.intake.guard.limits import ASK_FOR_DATA, BINARY_TEXT, EMPTY, ENCRYPTED, ENTITIES, KINDS, MAX_CELLS, MAX_COLS, MAX_MEMBERS, MAX_RATIO, MAX_ROWS, MAX_UNCOMPRESSED, NOT_A_SPREADSHEET, RATIO_MIN_SIZE, TEXT_EXTENSIONS, TRUNCATED_OLE, TRUNCATED_ZIP
from foistats.intake.guard.sniff import sniff, sniff_open
from foistats.intake.guard.xmlfeed import UTF16_XML
from foistats.intake.guard.biff import check_biff
from foistats.intake.guard.archive import check_archive
from foistats.intake.guard.extent import check_extent
from foistats.intake.guard.formulas import check_formula_cache, is_1904
from foistats.intake.guard.text import DELIMITERS, TRUNCATED_TEXT, decode_text, read_text_bytes, sniff_delimiter
from foistats.intake.guard.trim import trim_grid

__all__ = [
    "ASK_FOR_DATA",
    "BINARY_TEXT",
    "EMPTY",
    "ENCRYPTED",
    "ENTITIES",
    "KINDS",
    "MAX_CELLS",
    "MAX_COLS",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "NOT_A_SPREADSHEET",
    "RATIO_MIN_SIZE",
    "TEXT_EXTENSIONS",
    "TRUNCATED_OLE",
    "TRUNCATED_ZIP",
    "sniff",
    "sniff_open",
    "UTF16_XML",
    "check_biff",
    "check_archive",
    "check_extent",
    "check_formula_cache",
    "is_1904",
    "DELIMITERS",
    "TRUNCATED_TEXT",
    "decode_text",
    "read_text_bytes",
    "sniff_delimiter",
    "trim_grid",
]
