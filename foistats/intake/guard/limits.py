"""What the guard refuses, and the words it uses: size limits and the exact messages users see.

In one place so the limits can be read (and argued about) together, and tests can assert
the messages exactly.
"""

from __future__ import annotations



# What `sniff` can answer. "xlsb" is a zip too and calamine reads it.
# "csv": text under a text name (.csv/.tsv/.txt/...). "text": text under any other name
# (a CSV export saved as .xls happens); read it as delimited text, but say the name lied.
# Text under a zip-format name (.xlsx, .ods...) is refused: those are never plain text,
# so the file is not what its sender thinks it is.
KINDS = ("xlsx", "xlsb", "xls", "ods", "csv", "text", "pdf", "docx", "doc", "eml", "msg", "html", "zip")  # reply documents: issue 14
TEXT_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt", ".dat", ".psv")
_ZIP_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".ods", ".ots")

# ---- user-facing messages (tests assert these exactly) ---------------------------------
EMPTY = "the file is empty (0 bytes)"
ENCRYPTED = "this workbook is password-protected; ask the force for an unprotected copy"
TRUNCATED_ZIP = "the file is damaged or truncated (not a complete zip archive)"
TRUNCATED_OLE = "the file is damaged or truncated (not a complete Excel 97-2003 workbook)"
ENTITIES = (
    "refusing to open: the workbook contains XML entity declarations "
    "(possible entity-expansion attack)"
)
BINARY_TEXT = "this is not a text (CSV) file: it contains binary data"
NOT_A_SPREADSHEET = (
    "this is not a spreadsheet: the contents are not xlsx, xls, ods or CSV "
    "(the file is damaged, or another kind of file)"
)
ASK_FOR_DATA = "ask the force for the data as .xlsx or .csv"

# ---- limits -----------------------------------------------------------------------------
# A real FOI workbook has a handful of parts; 10,000 leaves room for workbooks with
# thousands of sheets while stopping archives built to exhaust the parser's bookkeeping.
MAX_MEMBERS = 10_000
# Excel's own ceiling (1,048,576 rows) of ~10 numeric columns is ~300 MB of sheet XML;
# 500 MB is beyond any workbook a force sends and well within a laptop's memory. The
# measured zip bomb (1.5 MB on disk -> 1.5 GB of XML) cost calamine 1.5 GB of RSS.
MAX_UNCOMPRESSED = 500 * 1024 * 1024
# XML compresses 5-20:1 and highly repetitive sheets rarely pass 100:1; a big member at
# over 200:1 is almost certainly padding made to expand.
MAX_RATIO = 200
RATIO_MIN_SIZE = 10 * 1024 * 1024
# A sheet's used rectangle: Excel stops at 1,048,576 rows x 16,384 columns; a little
# slack for CSV. calamine allocates ~32 bytes per cell of the used rectangle before any
# value is seen, so MAX_CELLS (~640 MB there) is what actually bounds memory.
MAX_ROWS = 1_100_000
MAX_COLS = 16_384
MAX_CELLS = 20_000_000
# XML parts: how much of a part may come before its root element (prolog) - a real one
# is under 1 KB; a huge prolog only serves to push a DOCTYPE past a naive scan.
_MAX_PROLOG = 1024 * 1024
_CHUNK = 1 << 20
_HEAD = 64 * 1024
