"""CSV, TSV and other delimited text, in any common encoding and line ending.

What a CSV carries besides its table is read as words, never as numbers:
- comment lines (`# ...`) become blank rows (their row numbers are kept, so every cell
  keeps its provenance);
- a sentence above or below the table ("Figures are provisional, and may change, 2021")
  is one text cell, not three cells of which one is a number;
- a quote that is never closed swallows every later line into one field: the lines it
  swallowed are read again as plain fields and the file gets a warning naming the line,
  so `--strict` fails instead of seven numbers vanishing.
`.csv.gz` files are decompressed in a stream to a temporary file (bounded memory, and a
bounded size so a gzip bomb is refused), then read like any CSV.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from foistats.intake.grid import Cell, Sheet, Workbook
from foistats.model.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
# A decompressed CSV larger than this is refused: 4 GB of text is ~40 million records,
# more than any force's extract; a gzip bomb stops here, having used only disk, not memory.
MAX_GUNZIPPED = 4 * 1024**3
_CHUNK = 1 << 20


def read_text(path: Path, data: bytes | None = None) -> Workbook:
    """Read a CSV/TSV of any common encoding and line ending into one grid of strings
    (`data`: the file's bytes when already in hand, e.g. decompressed from a .csv.gz)."""
    from foistats.intake import guard

    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
    if not data:
        raise InputError("the file is empty (0 bytes)", path=path)
    text, encoding = guard.decode_text(data, path=path)
    delimiter = guard.sniff_delimiter(text)
    warnings: list[str] = []
    try:
        rows = parse_rows(text, delimiter, warnings)
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
        warnings=warnings,
    )


def parse_rows(text: str, delimiter: str, warnings: list[str]) -> list[list[Cell]]:
    """Rows of cells ("" -> None): comments blanked, prose kept whole, runaway quotes undone."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Cell]] = []
    starts: list[int] = []  # 1-based physical line each row starts on
    previous = 0
    runaway: list[tuple[int, int]] = []
    for record in reader:
        first = previous + 1
        last = reader.line_num
        previous = last
        if last > first and _swallowed(record, delimiter):
            # One field ran over several lines holding the delimiter: a quote never closed.
            runaway.append((first, last))
            for n in range(first, last + 1):
                rows.append(_plain_fields(lines[n - 1], delimiter))
                starts.append(n)
            continue
        if record and _is_comment(record):
            rows.append([])  # a comment line: not data, but its row number is kept
            starts.append(first)
            continue
        rows.append([c if c != "" else None for c in record])
        starts.append(first)
    for first, last in runaway:
        warnings.append(
            f"line {first}: a quote (\") opened there is not closed as it should be, so one field ran over "
            f"lines {first}–{last}; those lines were read as plain fields (quotes ignored): check them against the file"
        )
    _prose_to_text(rows, lines, starts, delimiter)
    return rows


def _is_comment(record: list[str]) -> bool:
    """`# Source: ...` or `## notes`: a comment line. A first column headed "#" (row numbers) or a
    cell such as "#1" is not one."""
    t = record[0].lstrip()
    if t[:1] != "#":
        return False
    nxt = t[1:2]
    if nxt in (" ", "#", "!", "\t"):
        return True
    rest_empty = not any(c.strip() for c in record[1:])
    return rest_empty and (nxt == "" or nxt.isalpha())


def _swallowed(record: list[str], delimiter: str) -> bool:
    """A field holding line breaks whose lines themselves hold the delimiter: later records
    swallowed by an unbalanced quote (a genuine multi-line header cell has no delimiters)."""
    for field in record:
        if "\n" in field or "\r" in field:
            inner = field.splitlines()[1:]
            if sum(1 for line in inner if delimiter in line) >= 1:
                return True
    return False


def _plain_fields(line: str, delimiter: str) -> list[Cell]:
    cells: list[Cell] = []
    for part in line.rstrip("\r\n").split(delimiter):
        part = part.strip().strip('"').strip()
        cells.append(part if part else None)
    return cells


def _is_number(cell: Cell) -> bool:
    if not isinstance(cell, str):
        return False
    s = cell.strip().replace(",", "").lstrip("£$-+").rstrip("%")
    if not s or len(s) > 40:
        return False
    head, _, tail = s.partition(".")
    return head.isdigit() and (not tail or tail.isdigit())


def _numeric_row(row: list[Cell]) -> bool:
    return any(_is_number(c) for c in row) and not _is_prose(row)


def _prose_to_text(rows: list[list[Cell]], lines: list[str], starts: list[int], delimiter: str) -> None:
    """A sentence above the first row of numbers or below the last, split at its commas,
    becomes one text cell again (in place)."""
    top = next((i for i, row in enumerate(rows) if _numeric_row(row)), None)
    if top is None:
        return
    bottom = next(i for i in range(len(rows) - 1, -1, -1) if _numeric_row(rows[i]))
    width = len(rows[top])
    for i in list(range(top)) + list(range(bottom + 1, len(rows))):
        row = rows[i]
        cells = [c for c in row if c is not None]
        if len(cells) < 2 or not _is_prose(row):
            continue
        if i == top - 1 and len(row) == width:
            continue  # right above the numbers and as wide as them: the header ("Force, arrests in 2020, ...")
        n = starts[i]
        raw = lines[n - 1].rstrip("\r\n") if 0 < n <= len(lines) else delimiter.join(str(c) for c in cells)
        rows[i] = [raw.strip().strip(delimiter).strip()]


def _is_prose(row: list[Cell]) -> bool:
    """Fields after the first that go on in lower case after a space (", and may change"):
    a sentence cut at its commas. A header writes each field as a name ("Force, Year")."""
    texts = [c for c in row if isinstance(c, str)]
    if len(texts) < 2:
        return False
    words = sum(len(t.split()) for t in texts)
    if words < 4:
        return False
    rest = texts[1:]
    continued = sum(1 for t in rest if len(t) > 1 and t[0] == " " and t.lstrip()[:1].islower())
    return continued >= 1 and continued >= len(rest) / 2


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


# ------------------------------------------------------------------ .csv.gz


def is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(2) == GZIP_MAGIC
    except OSError:
        return False


def gunzip_to(path: Path, folder: Path, limit: int = MAX_GUNZIPPED) -> Path:
    """Decompress `path` into `folder` in 1 MB chunks, keeping the inner name
    ("2020-07-kent-street.csv.gz" -> "2020-07-kent-street.csv": the force and month in
    the name still count as context). Refuses past `limit` bytes and damaged archives."""
    import gzip
    import zlib

    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name + ".csv"
    if not name.lower().endswith((".csv", ".tsv", ".txt")):
        name += ".csv"
    out = folder / name
    written = 0
    try:
        with gzip.open(path, "rb") as src, out.open("wb") as dst:
            while True:
                chunk = src.read(_CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                if written > limit:
                    raise InputError(
                        f"refusing to decompress: more than {limit // 1024**3} GB of text (possible gzip bomb)", path=path
                    )
                dst.write(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"the gzip file is damaged or truncated ({exc})", path=path) from None
    if written == 0:
        raise InputError("the file is empty once decompressed", path=path)
    return out


MAX_GUNZIPPED_IN_MEMORY = 512 * 1024**2


def read_gzip_text(path: Path) -> Workbook:
    """A .csv.gz read whole into memory (for `inspect`, which shows a grid; `import` streams it
    to a temporary file instead, so a big extract never has to fit in memory)."""
    import gzip
    import zlib

    chunks: list[bytes] = []
    size = 0
    try:
        with gzip.open(path, "rb") as src:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > MAX_GUNZIPPED_IN_MEMORY:
                    raise InputError("too big to show whole once decompressed; `foistats import` reads it streamed", path=path)
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"the gzip file is damaged or truncated ({exc})", path=path) from None
    return read_text(path, b"".join(chunks))
