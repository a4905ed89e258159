"""Record-level files (one row per crime, search, collision or incident) counted per force, month and category.

Not only data.police.uk: any CSV or sheet with a force (a force column of names, GSS
codes or STATS19 police-force codes; one 0/1 column per force; or the force named by
the file, the sheet or --force) and a date or month column is a file of records, unless
it has a column of counts (then it is a long table, and tidy.py reads it). Headerless
data.police.uk extracts are recognised by their first line.

The rows are never values: IDs, coordinates, codes and ages only describe one record.
What comes out is a count per force per month (per category where a category column
exists, plus all categories), by UK local time: data.police.uk timestamps are UTC, and
a search at 2020-07-31T23:30+00:00 happened on 1 August in London.

These files are big (data.police.uk extracts run to millions of rows), so CSVs are
scanned lazily with polars, reading only the columns needed, and streamed: memory
stays flat however long the file. Counts come back as UInt32 from polars and are cast
to Int64 at once, so a later subtraction can never wrap round.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foistats.intake.report import FileReport, ImportOptions, SheetReport
from foistats.model import schema
from foistats.model.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

_FORCE_COLUMNS = ("Falls within", "Reported by", "Force", "Police force", "PFA", "force")
_MONTH_COLUMNS = ("Month",)
_TIME_COLUMNS = ("Date", "Datetime", "Date/time", "Timestamp")
_CATEGORY_COLUMNS = ("Crime type", "Type", "Object of search", "Outcome type", "Category")

# data.police.uk's own headers, for extracts saved without their header line.
STREET_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
    "LSOA name", "Crime type", "Last outcome category", "Context",
]
OUTCOMES_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
    "LSOA name", "Outcome type",
]
SEARCH_HEADER = [
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
    "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search",
    "Outcome", "Outcome linked to object of search", "Removal of more than just outer clothing",
]
_SEARCH_TYPES = ("person search", "vehicle search", "person and vehicle search")

# STATS19 (road collisions, Department for Transport) police-force codes.
STATS19_FORCES = {
    1: "Metropolitan Police", 3: "Cumbria", 4: "Lancashire", 5: "Merseyside", 6: "Greater Manchester",
    7: "Cheshire", 10: "Northumbria", 11: "Durham", 12: "North Yorkshire", 13: "West Yorkshire",
    14: "South Yorkshire", 16: "Humberside", 17: "Cleveland", 20: "West Midlands", 21: "Staffordshire",
    22: "West Mercia", 23: "Warwickshire", 30: "Derbyshire", 31: "Nottinghamshire", 32: "Lincolnshire",
    33: "Leicestershire", 34: "Northamptonshire", 35: "Cambridgeshire", 36: "Norfolk", 37: "Suffolk",
    40: "Bedfordshire", 41: "Hertfordshire", 42: "Essex", 43: "Thames Valley", 44: "Hampshire", 45: "Surrey",
    46: "Kent", 47: "Sussex", 48: "City of London", 50: "Devon and Cornwall", 52: "Avon and Somerset",
    53: "Gloucestershire", 54: "Wiltshire", 55: "Dorset", 60: "North Wales", 61: "Gwent", 62: "South Wales",
    63: "Dyfed-Powys", 91: "Police Scotland", 92: "Police Scotland", 93: "Police Scotland", 94: "Police Scotland",
    95: "Police Scotland", 96: "Police Scotland", 97: "Police Scotland", 98: "Police Scotland", 99: "Police Scotland",
}


def _words(header: str) -> str:
    """'Police_Force' -> 'police force': headers compared as lower-case words."""
    return " ".join(header.replace("_", " ").replace("-", " ").replace(".", " ").lower().split())


_FORCE_WORDS = {
    "force", "police force", "force name", "force code", "police force name", "police force code", "pfa",
    "pfa name", "pfa code", "police force area", "police force area name", "police force area code", "force area",
    "falls within", "reported by", "constabulary", "police",
}
_CATEGORY_WORDS = {
    "crime type", "type", "object of search", "outcome type", "category", "offence", "offence type",
    "offence group", "crime category", "incident type", "offence description", "crime", "classification",
}
# A case list's outcome (misconduct hearings, complaints): its category only when none of
# the words above heads a column, so a file that already had a category keeps it.
_CASE_CATEGORY_WORDS = {
    "outcome", "outcomes", "hearing outcome", "outcome of hearing", "sanction", "result", "finding", "disposal",
}


def _is_force_header(words: str) -> bool:
    if words in _FORCE_WORDS:
        return True
    return words.startswith("pfa") and words[3:].strip().rstrip("cdnm").strip().isdigit() if len(words) <= 9 else False


def _is_date_header(words: str) -> bool:
    if words in ("date", "month", "datetime", "date/time", "date time", "timestamp", "date and time", "occurred", "reported"):
        return True
    parts = words.split()
    return bool(parts) and (parts[0] in ("date", "month") and len(parts) <= 4 or parts[-1] in ("date", "datetime", "timestamp"))


def _is_id_header(words: str) -> bool:
    parts = words.split()
    if not parts:
        return False
    if words == "case":  # a case list's own numbering ("Case" 1, 2, 3…): one row per case
        return True
    return parts[-1] in ("id", "index", "ref", "reference", "urn") or (
        len(parts) >= 2 and parts[-1] in ("number", "no") and parts[0] in ("crime", "incident", "accident", "case", "occurrence", "record", "collision")
    )


def _is_count_header(words: str) -> bool:
    """A column of counts makes a table long, not a file of records."""
    parts = words.split()
    if not parts:
        return False
    if words in ("count", "counts", "number", "no", "n", "total", "value", "values", "frequency", "sum", "amount", "rate"):
        return True
    return parts[0] in ("number", "total", "count", "rate") or parts[-1] in ("total", "count", "counts") or "headcount" in words or "fte" in parts


def _is_attribute_header(words: str) -> bool:
    """Numbers that describe one record: coordinates, codes, ages, ids, counts within it.

    A case list describes a person or a case too: length of service (years), a suspension
    in days, a date of birth. Those are never counts of anything, so a day-level list of
    them is records, not a table whose every age becomes a value."""
    parts = [p.strip("()[]") for p in words.split()]
    keys = {"latitude", "longitude", "lat", "lon", "lng", "long", "easting", "northing", "x", "y", "age", "code",
            "cd", "id", "index", "speed", "limit", "week", "day", "hour", "minute", "time", "lsoa", "oa", "ward",
            "year", "class", "number", "vehicles", "casualties", "severity", "type", "road", "location", "conditions",
            "service", "tenure", "years", "months", "days", "length", "duration", "dob", "birth", "height", "weight"}
    return any(p in keys or p.endswith("code") or p.endswith("cd") for p in parts) or _is_id_header(words)


@dataclass
class RecordLayout:
    kind: str  # street | search | outcomes | records
    force_col: str | None
    month_col: str | None
    time_col: str | None
    category_col: str | None
    columns: list[str]
    headerless: bool = False
    force_codes: str | None = None  # "stats19": the force column holds STATS19 police-force codes
    onehot: list[tuple[str, str]] = field(default_factory=list)  # (column, force name): one 0/1 column per force
    separator: str = ","
    time_formats: list[str] | None = None  # how the time column is written (from a sample)
    titles: list[list[str]] = field(default_factory=list)  # a CSV's title lines above its header (skipped when read)


def _head(path: Path, lines: int = 200) -> tuple[list[str], list[list[str]]]:
    """The first line's fields and a sample of the following records."""
    return _head_and_separator(path, lines)[:2]


def _head_and_separator(path: Path, lines: int = 200) -> tuple[list[str], list[list[str]], str]:
    with path.open("rb") as fh:
        head = fh.read(65536)
    from foistats.intake import guard

    try:
        text, _ = guard.decode_text(head, partial=True)
    except InputError:
        return [], [], ","
    if len(head) == 65536:
        text = text[: text.rfind("\n") + 1] or text
    delimiter = "\t" if text.count("\t") > text.count(",") else ","
    try:
        rows = [r for _, r in zip(range(lines + 1), csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))]
    except csv.Error:
        return [], [], delimiter
    if not rows:
        return [], [], delimiter
    return [c.strip() for c in rows[0]], [[c.strip() for c in r] for r in rows[1:]], delimiter


def _header(path: Path) -> list[str]:
    return _head(path, 0)[0]


def layout_of(header: list[str], sample: list[list[str]] | None = None, context_force: bool = False) -> RecordLayout | None:
    """Recognise a file of records by its header (and, for the general case, a sample of rows)."""
    cols = set(header)
    force = next((c for c in _FORCE_COLUMNS if c in cols), None)
    month = next((c for c in _MONTH_COLUMNS if c in cols), None)
    time = next((c for c in _TIME_COLUMNS if c in cols), None)
    category = next((c for c in _CATEGORY_COLUMNS if c in cols), None)
    if "Crime ID" in cols and month:
        kind = "outcomes" if "Outcome type" in cols else "street"
        return RecordLayout(kind, force, month, None, category, header)
    if time and ("Part of a policing operation" in cols or "Object of search" in cols):
        return RecordLayout("search", force, None, time, category, header)
    headerless = _headerless(header)
    if headerless is not None:
        return headerless
    if sample is None:
        return None
    return _general_layout(header, sample, context_force)


def _headerless(first: list[str]) -> RecordLayout | None:
    """A data.police.uk extract whose header line was cut off: its first line is a record."""
    if len(first) in (len(STREET_HEADER), len(OUTCOMES_HEADER)) and _is_month_text(first[1]) and _force_like(first[3] or first[2]):
        header = STREET_HEADER if len(first) == len(STREET_HEADER) else OUTCOMES_HEADER
        kind = "street" if header is STREET_HEADER else "outcomes"
        return RecordLayout(kind, "Falls within", "Month", None, header[-3] if kind == "street" else "Outcome type", header, headerless=True)
    if len(first) in (len(SEARCH_HEADER), len(SEARCH_HEADER) - 1) and first[0].strip().lower() in _SEARCH_TYPES and _is_timestamp_text(first[1]):
        header = SEARCH_HEADER if len(first) == len(SEARCH_HEADER) else [h for h in SEARCH_HEADER if h != "Policing operation"]
        return RecordLayout("search", None, None, "Date", "Object of search", header, headerless=True)
    return None


def _is_month_text(text: str) -> bool:
    t = text.strip()
    return len(t) == 7 and t[4] == "-" and t[:4].isdigit() and t[5:].isdigit()


def _is_timestamp_text(text: str) -> bool:
    t = text.strip()
    return len(t) >= 10 and t[4] == "-" and t[7] == "-" and t[:4].isdigit() and t[5:7].isdigit() and t[8:10].isdigit()


def _is_date_text(text: str) -> bool:
    t = text.strip()
    if _is_timestamp_text(t):
        return True
    if len(t) >= 8 and t[2:3] in ("/", "-", ".") and t[5:6] == t[2:3]:
        return t[:2].isdigit() and t[3:5].isdigit() and t[6:10].isdigit()
    return False


def _force_like(text: str) -> bool:
    from foistats.model.forces import registry

    return bool(text.strip()) and registry().resolve(text.strip(), fuzzy=False) is not None


def _general_layout(header: list[str], sample: list[list[str]], context_force: bool) -> RecordLayout | None:
    if len(header) < 2 or len(sample) < 1:
        return None
    words = [_words(h) for h in header]
    from foistats.model.forces import registry

    def column(i: int) -> list[str]:
        return [r[i] for r in sample if i < len(r) and r[i].strip()]

    # An identifier column (mostly distinct values) says one row is one thing: records,
    # whatever other numbers (vehicles, casualties) each row carries.
    has_id = any(_is_id_header(w) and len(set(column(i))) >= 0.9 * max(1, len(column(i))) for i, w in enumerate(words))
    if not has_id and any(_is_count_header(w) for w in words):
        return None

    force_col = None
    codes = None
    for i, w in enumerate(words):
        if not _is_force_header(w):
            continue
        values = column(i)
        if not values:
            continue
        if all(v.isdigit() and int(v) in STATS19_FORCES for v in values):
            force_col, codes = header[i], "stats19"
            break
        hits = sum(1 for v in values if registry().resolve(v, v if v[:1].isalpha() and v[1:].isdigit() else None) is not None)
        if hits >= max(1, len(values) * 0.8):
            force_col = header[i]
            break
    onehot: list[tuple[str, str]] = []
    if force_col is None:
        for i, h in enumerate(header):
            match = registry().resolve(h, fuzzy=False) if h.strip() else None
            if match is None or match.area.kind != schema.FORCE:
                continue
            if all(v.strip().lower() in ("0", "1", "true", "false", "y", "n", "yes", "no") for v in column(i)):
                onehot.append((h, match.area.name))
        if len(onehot) < 2:
            onehot = []
    if force_col is None and not onehot and not context_force:
        return None
    date_col = None
    day_level = False
    for i, w in enumerate(words):
        if not _is_date_header(w):
            continue
        values = column(i)
        if values and all(_is_date_text(v) or _is_month_text(v) for v in values):
            date_col = header[i]
            day_level = all(_is_date_text(v) for v in values)
            break
    if date_col is None:
        return None
    counted = any(_is_count_header(w) for w in words)
    if not day_level and (not has_id or counted):
        return None  # months and a column of counts (or no ID): a long table, read by tidy.py
    if not has_id:
        # Without an ID, the numbers in the file must all describe a record (no measurements).
        taken = {force_col, date_col, *(h for h, _ in onehot)}
        for i, h in enumerate(header):
            if h in taken or _is_attribute_header(words[i]):
                continue
            values = column(i)
            if values and sum(1 for v in values if v.replace(".", "", 1).replace(",", "").lstrip("-").isdigit()) >= len(values) * 0.8:
                return None
    category = next((header[i] for i, w in enumerate(words) if w in _CATEGORY_WORDS and header[i] not in (force_col, date_col)), None)
    if category is None:
        category = next((header[i] for i, w in enumerate(words) if w in _CASE_CATEGORY_WORDS and header[i] not in (force_col, date_col)), None)
    month_col, time_col = (None, date_col) if day_level else (date_col, None)  # "2021-06": a month column
    return RecordLayout("records", force_col, month_col, time_col, category, header, force_codes=codes, onehot=onehot)


@dataclass
class _Context:
    """The force a sheet of records is filed under when a record does not name one: where it
    came from (`source`, a schema word; `where`, for the report) and why it is only a guess
    (two places naming different forces), as the evidence rules say for tables."""

    match: Any = None
    source: str | None = None
    where: str | None = None
    guess: str | None = None


def _title_force(above: list[list[Any]], sheet_name: str | None) -> tuple[Any, str] | None:
    """The force a title above the header names ("Kent Police - Misconduct hearings"): a text
    alone in its row, as tidy.py reads a table's title. A case list names its force there
    and nowhere else, so without it the list was never counted as records."""
    from foistats.intake.grid import cell_ref
    from foistats.model.forces import registry

    for r, row in enumerate(above):
        cells = [(c, v) for c, v in enumerate(row) if v not in (None, "")]
        if len(cells) != 1 or not isinstance(cells[0][1], str):
            continue
        match = registry().find_in_text(cells[0][1])
        if match is not None:
            where = f"title cell {cell_ref(r, cells[0][0])}"
            return match, f"{where} of sheet {sheet_name!r}" if sheet_name else where
    return None


def _context_force(path: Path, options: ImportOptions, sheet_name: str | None = None, above: list[list[Any]] | None = None) -> _Context:
    """The force of records that do not name one, from around them: --force, then a title
    above the header (`above`: a sheet's rows, a CSV's title lines), the sheet name, the file
    name (the order tidy.py gives a table). A case list names its force only in its title.
    The first wins; another naming a different force makes it a guess, never a silent choice."""
    from foistats.model.forces import registry

    if options.force:
        match = registry().resolve(options.force)
        if match is not None:
            return _Context(match, schema.FROM_USER, "--force")
    candidates: list[tuple[Any, str, str]] = []
    title = _title_force(above or [], sheet_name)
    if title is not None:
        candidates.append((title[0], schema.FROM_TITLE, title[1]))
    if sheet_name:
        match = registry().find_in_text(sheet_name)
        if match is not None:
            candidates.append((match, schema.FROM_SHEET_NAME, f"sheet name {sheet_name!r}"))
    match = registry().find_in_text(path.stem.replace("-", " ").replace("_", " "))
    if match is not None:
        candidates.append((match, schema.FROM_FILE_NAME, "file name"))
    if not candidates:
        return _Context()
    match, source, where = candidates[0]
    others = [(m, w) for m, _, w in candidates[1:] if m.area.name != match.area.name]
    guess = f"force from context: {where} names {match.area.name} but {others[0][1]} names {others[0][0].area.name}" if others else None
    return _Context(match, source, where, guess)


def _title_lines(header: list[str], sample: list[list[str]]) -> tuple[list[list[str]], list[str], list[list[str]]]:
    """(title lines, header, sample): a CSV saved from a titled sheet starts with its title
    ("Kent Police - Misconduct hearings,,,,") and perhaps a blank line, then its header. Those
    lines (one text field at most each, on one line each, five at most) are set aside, so the
    header is found and the title can name the force; without a header after them, nothing is."""
    rows = [header, *sample]
    n = 0
    while n < min(5, len(rows) - 1) and sum(1 for c in rows[n] if c) <= 1:
        n += 1
    if n == 0 or sum(1 for c in rows[n] if c) < 2:
        return [], header, sample
    titles = rows[:n]
    if any("\n" in c or "\r" in c for row in titles for c in row):
        return [], header, sample  # a title over several lines: the lines to skip are not its rows
    return titles, rows[n], rows[n + 1 :]


def record_layout(path: Path, options: ImportOptions | None = None) -> RecordLayout | None:
    header, sample, separator = _head_and_separator(path)
    if not header:
        return None
    titles, header, sample = _title_lines(header, sample)
    context = _context_force(path, options or ImportOptions(), None, titles).match
    layout = layout_of(header, sample, context is not None)
    if layout is not None and titles and layout.headerless:
        return None  # a title over a data.police.uk extract without its header: not guessed at
    if layout is not None:
        layout.separator = separator
        layout.titles = titles
        layout.time_formats = _formats_for(layout, header, sample)
    return layout


def is_record_level(path: Path, options: ImportOptions | None = None) -> bool:
    return record_layout(path, options) is not None


def import_if_records(path: Path, options: ImportOptions) -> "tuple[pl.DataFrame, FileReport] | None":
    """A record-level CSV counted (`import_records`), or None when the file is not one.
    Asked before the table machinery is imported (tidy.py and its detection: ~40 ms),
    which a file of records never needs: `rank` on a data.police.uk extract starts sooner."""
    if path.suffix.lower() in (".csv", ".tsv", ".txt") and is_record_level(path, options):
        return import_records(path, options)
    return None


_MEASURE = {"street": "Street-level crime records", "outcomes": "Outcome records", "search": "Stop and search records"}


def import_records(path: Path, options: ImportOptions) -> "tuple[pl.DataFrame, FileReport]":
    """Count a record-level CSV (streamed from disk)."""
    import polars as pl

    layout = record_layout(path, options)
    assert layout is not None
    display = str(path)
    report = FileReport(path=display, status="imported")
    sheet = SheetReport(sheet=None, status="counted", orientation="records")
    report.sheets.append(sheet)
    context = _context_force(path, options, None, layout.titles)
    totals_only = _totals_only(layout, options)
    counted = replace(layout, category_col=None) if totals_only else layout  # what is grouped by
    wanted = _wanted(counted)
    newlines = _NewlineCount(path)  # counted in a thread while polars parses (it releases the GIL)
    # Columns grouped as they are (force, month, category) are parsed straight to
    # categoricals: a few dozen distinct values in millions of rows group by their codes,
    # faster and in less memory than as strings (cast back once per group in _count).
    categorical = {c: pl.Categorical for c in (layout.force_col, layout.month_col, layout.category_col) if c and c != layout.time_col}
    try:
        if layout.headerless:
            lf = pl.scan_csv(
                path, has_header=False, new_columns=layout.columns, infer_schema=False, encoding="utf8-lossy",
                truncate_ragged_lines=True, separator=layout.separator, schema_overrides=categorical,
            )
        else:
            lf = pl.scan_csv(
                path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True, separator=layout.separator,
                schema_overrides=categorical, skip_lines=len(layout.titles),
            )
        counts = _count(lf.select([pl.col(c) for c in wanted]), counted, counted.time_formats)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # polars errors, and Rust panics (a BaseException in pyo3)
        # Most often a quote never closed: read it again line by line, undoing the runaway field.
        counts = _count_line_by_line(path, counted, sheet)
        if counts is None:
            first = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
            raise InputError(f"cannot read record-level CSV: {first}", path=path) from None
    if layout.headerless:
        sheet.warnings.append(
            f"no header line: read as a data.police.uk {layout.kind} extract by its columns ({', '.join(layout.columns[:4])}…); check it"
        )
    rows = _rows(counts, layout, options, context, sheet, display, None, totals_only)
    if newlines.result() is not None or not newlines.unquoted:
        _check_lines(path, layout, int(counts["n"].sum()) if counts.height else 0, sheet, newlines.result())
    return rows, report


def _totals_only(layout: RecordLayout, options: ImportOptions) -> bool:
    """Whether the command keeps only this file's all-categories total (`options.keep_measure`
    is its name, compared as `dataset.select_measure` compares first: trimmed, any case).
    Then the records are counted by force and month alone: one column fewer to parse and
    group (about a tenth of `rank` on a 6 M-row extract), and the per-category rows, which
    the command would drop unread, are never made. Any other wish (a category, a part of a
    name that `select_measure` would match loosely) counts everything, as without it."""
    if layout.category_col is None or not options.keep_measure:
        return False
    total = f"{options.measure or _MEASURE.get(layout.kind, 'Records')}: all categories"
    return options.keep_measure.strip().lower() == total.lower()


class _NewlineCount:
    """Newlines in the file, for _check_lines, counted in a thread while polars parses (it
    releases the GIL). A record can only swallow lines through a quote, so the thread first
    looks for a quote character (`_has_quote`, a fraction of the cost of counting newlines)
    and counts newlines only in a file that has one; a file without quotes has nothing to
    check (`unquoted`)."""

    def __init__(self, path: Path) -> None:
        import threading

        self.path = path
        self.count: int | None = None
        self.unquoted = False  # read to the end and found no quote character
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self.path.open("rb") as fh:
                if not _has_quote(fh):
                    self.unquoted = True  # no quote anywhere: polars' records are the file's lines
                    return
                fh.seek(0)
                n = 0
                while chunk := fh.read(1 << 22):
                    n += chunk.count(b"\n")
        except OSError:
            return
        self.count = n

    def result(self) -> int | None:
        self._thread.join()
        return self.count


def _has_quote(fh: Any) -> bool:
    """Whether the file holds a quote character: searched in 16 MB memory-mapped windows, with
    no copy into Python (about 40% less CPU than reading it), each window unmapped before
    the next, so the pages mapped never add up to more than one window."""
    import mmap
    import os

    window = 16 << 20  # a multiple of mmap.ALLOCATIONGRANULARITY everywhere
    try:
        size = os.fstat(fh.fileno()).st_size
        offset = 0
        while offset < size:
            n = min(window, size - offset)
            with mmap.mmap(fh.fileno(), n, access=mmap.ACCESS_READ, offset=offset) as view:
                if view.find(b'"') >= 0:
                    return True
            offset += n
        return False
    except (OSError, ValueError):  # no mmap here (a pipe, a special file): read it
        fh.seek(0)
        while chunk := fh.read(1 << 22):
            if b'"' in chunk:
                return True
        return False


def _check_lines(path: Path, layout: RecordLayout, counted: int, sheet: SheetReport, newlines: int | None = None) -> None:
    """Records counted against lines in the file: fewer records than lines means a field ran
    over several lines, which in an extract of records is a quote never closed (class 16):
    records were swallowed, so say so with the line, and --strict fails. One pass counting
    newlines in C; blank lines are only told apart when the first count disagrees."""
    header = (0 if layout.headerless else 1) + len(layout.titles)
    if newlines is None:
        newlines = 0
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                newlines += chunk.count(b"\n")
    if counted >= newlines - header:
        return
    data = path.read_bytes()
    lines = sum(1 for line in data.splitlines() if line.strip(b" \t\r,"))
    expected = lines - header + sum(1 for row in layout.titles if not any(row))  # blank title lines are not in `lines`
    if counted >= expected:
        return
    where = _first_runaway_line(path, layout.separator)
    sheet.warnings.append(
        f"{expected - counted:,} line(s) were not counted as records"
        + (f": a quote (\") opened at line {where} is not closed as it should be, so one field ran over later lines" if where else "")
        + "; check the file (the counts may be too low)"
    )


def _first_runaway_line(path: Path, separator: str) -> int | None:
    from foistats.intake import guard

    try:
        text, _ = guard.decode_text(path.read_bytes(), path=path)
    except InputError:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    previous = 0
    try:
        for record in reader:
            if reader.line_num - previous > 1 and any("\n" in f or "\r" in f for f in record):
                return previous + 1
            previous = reader.line_num
    except csv.Error:
        return previous + 1
    return None


def _count_line_by_line(path: Path, layout: RecordLayout, sheet: SheetReport) -> Any:
    """The slow, forgiving read (Python's csv, with the text reader's repair of runaway quotes);
    its warnings name the lines. None when even that cannot read the file."""
    import polars as pl

    from foistats.intake import guard
    from foistats.intake.readers.text import parse_rows

    try:
        text, _ = guard.decode_text(path.read_bytes(), path=path)
        warnings: list[str] = []
        grid = parse_rows(text, layout.separator, warnings)
    except (InputError, csv.Error, OSError):
        return None
    body = grid if layout.headerless else grid[1 + len(layout.titles) :]
    index = {h: i for i, h in enumerate(layout.columns)}
    wanted = _wanted(layout)
    data = {c: [("" if index[c] >= len(row) or row[index[c]] is None else str(row[index[c]])) for row in body if row] for c in wanted}
    sheet.warnings.extend(warnings)
    return _count(pl.DataFrame(data, schema={c: pl.String for c in wanted}).lazy(), layout, layout.time_formats)


def _wanted(layout: RecordLayout) -> list[str]:
    out = [c for c in (layout.force_col, layout.month_col, layout.time_col, layout.category_col) if c]
    out.extend(h for h, _ in layout.onehot)
    return list(dict.fromkeys(out))


_AWARE = "%Y-%m-%dT%H:%M:%S%z"
_NAIVE = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _time_formats(values: list[str]) -> list[str]:
    """The date formats a sample of the time column is written in (usually one), so each record
    is parsed once, not ten times."""
    from datetime import datetime

    found: list[str] = []
    for v in values[:200]:
        v = v.strip()
        for fmt in (_AWARE, *_NAIVE):
            try:
                datetime.strptime(v if fmt == _AWARE else v[:19], fmt)
            except ValueError:
                continue
            if fmt not in found:
                found.append(fmt)
            break
    found.sort(key=lambda f: f != _AWARE)  # an offset first: a UTC time is never read as local
    return found or [_AWARE, *_NAIVE]


def _formats_for(layout: RecordLayout, first: list[str], sample: list[list[str]]) -> list[str] | None:
    if not layout.time_col or layout.time_col not in layout.columns:
        return None
    i = layout.columns.index(layout.time_col)
    rows = ([first] if layout.headerless else []) + sample
    return _time_formats([r[i] for r in rows if i < len(r) and r[i].strip()])


def _month_expr(layout: RecordLayout, formats: list[str]) -> Any:
    """The record's month as "YYYY-MM", in UK local time (timestamps with an offset are converted;
    naive ones are UK local already: STATS19, force extracts); null when not understood."""
    import polars as pl

    text = pl.col(layout.time_col).str.strip_chars()
    tries = []
    for fmt in formats:
        if fmt == _AWARE:
            tries.append(
                text.str.to_datetime(_AWARE, time_zone="UTC", strict=False).dt.convert_time_zone("Europe/London").dt.strftime("%Y-%m")
            )
        else:
            tries.append(text.str.slice(0, 19).str.to_datetime(fmt, strict=False).dt.strftime("%Y-%m"))
    return tries[0] if len(tries) == 1 else pl.coalesce(tries)


def _force_expr(layout: RecordLayout) -> Any:
    import polars as pl

    if layout.onehot:
        expr = None
        for col, name in layout.onehot:
            cond = pl.col(col).str.strip_chars().str.to_lowercase().is_in(["1", "true", "y", "yes"])
            expr = pl.when(cond).then(pl.lit(name)) if expr is None else expr.when(cond).then(pl.lit(name))
        return expr.otherwise(pl.lit(""))
    if layout.force_col:
        return pl.col(layout.force_col)
    return pl.lit("")


def _count(lf: Any, layout: RecordLayout, formats: list[str] | None = None) -> Any:
    """Counts per (force, month, category). Raw values are grouped first and tidied (trimmed,
    months cut to YYYY-MM) once per group, not once per record."""
    import polars as pl

    if layout.time_col:
        month = _month_expr(layout, formats or [_AWARE, *_NAIVE])
    else:
        month = pl.col(layout.month_col)
    category = pl.col(layout.category_col) if layout.category_col else pl.lit("(all)")
    raw = (
        lf.select(_force_expr(layout).alias("force"), month.alias("month"), category.alias("category"))
        .group_by("force", "month", "category")
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .collect(engine="streaming")
    )
    return (
        raw.with_columns(
            pl.col("force").cast(pl.String).fill_null("").str.strip_chars(),
            pl.col("month").cast(pl.String).fill_null("").str.strip_chars().str.slice(0, 7),
            pl.col("category").cast(pl.String).fill_null("").str.strip_chars().replace("", "(none)"),
        )
        .group_by("force", "month", "category")
        .agg(pl.col("n").sum())
        .sort("force", "month", "category")
    )


def _rows(
    counts: Any, layout: RecordLayout, options: ImportOptions, context: _Context,
    sheet: SheetReport, display: str, sheet_name: str | None, totals_only: bool = False,
) -> "pl.DataFrame":
    """The tidy frame of the counts: a row per (force, month, category) and, after them, a row
    per (force, month) over all categories. Built column-wise: each distinct force and month
    is resolved once (`_Names`, in the order the rows first name them, so warnings and
    guesses come in that order) and joined on, rather than a Python object per row."""
    import polars as pl

    measure_base = options.measure or _MEASURE.get(layout.kind, "Records")
    names = _Names(context, sheet, layout, bool(options.measure))
    by_category = layout.category_col is not None
    # Each force, then its month, resolved in the order the rows name them (the counts are
    # sorted by force and month), so warnings and guesses come in the order they always have.
    for force_text, month_text in counts.select("force", "month").unique(maintain_order=True).iter_rows():
        names.force(force_text)
        names.month(month_text)
    forces = counts.get_column("force").unique(maintain_order=True).to_list()
    months = counts.get_column("month").unique(maintain_order=True).to_list()
    resolved = [names.force(text) for text in forces]  # (match, source, guess), remembered above
    periods = {text: names.month(text) for text in months}
    force_table = pl.DataFrame(
        {
            "force_text": forces,
            "force": [m.area.name if m else (t or "") for t, (m, _, _) in zip(forces, resolved)],
            "force_code": [m.area.code if m else None for m, _, _ in resolved],
            "area_kind": [m.area.kind if m else schema.OTHER for m, _, _ in resolved],
            "force_source": [src for _, src, _ in resolved],
            "guess": [g for _, _, g in resolved],
        },
        schema={"force_text": pl.String, "force": pl.String, "force_code": pl.String, "area_kind": pl.String, "force_source": pl.String, "guess": pl.String},
    )
    month_table = pl.DataFrame(
        {
            "month_text": months,
            "period_start": [periods[t].start if periods[t] else None for t in months],
            "period_end": [periods[t].end if periods[t] else None for t in months],
            "period_source": [schema.FROM_RECORDS if periods[t] is not None else None for t in months],
        },
        schema={"month_text": pl.String, "period_start": pl.Date, "period_end": pl.Date, "period_source": pl.String},
    )
    totals = (
        counts.group_by("force", "month", maintain_order=True)
        .agg(pl.col("n").sum())
        .sort(pl.col("force").fill_null(""), pl.col("month").fill_null(""), maintain_order=True)
        .with_columns(pl.lit(f"{measure_base}: all categories").alias("measure"), pl.lit(by_category).alias("is_total"))
    )
    parts = [totals.select("force", "month", "measure", "n", "is_total")]
    if by_category and not totals_only:  # (with totals_only the counts hold no categories)
        per_category = counts.select(
            "force", "month", (pl.lit(f"{measure_base}: ") + pl.col("category")).alias("measure"), "n", pl.lit(False).alias("is_total")
        )
        parts.insert(0, per_category)
    tidy = (
        pl.concat(parts, how="vertical")
        .rename({"force": "force_text", "month": "month_text"})
        .join(force_table, on="force_text", how="left", maintain_order="left", nulls_equal=True)
        .join(month_table, on="month_text", how="left", maintain_order="left", nulls_equal=True)
        .select(
            [
                pl.col("force"), pl.col("force_code"), pl.col("area_kind"), pl.col("measure"),
                pl.col("period_start"), pl.col("period_end"), pl.col("month_text").fill_null("").alias("period_label"),
                pl.col("n").alias("value"), pl.lit(schema.OK).alias("status"), pl.lit(None).alias("value_low"),
                pl.lit(None).alias("value_high"), pl.lit(display).alias("source_file"), pl.lit(sheet_name, dtype=pl.String).alias("source_sheet"),
                pl.lit(None).alias("source_cell"), pl.lit("counted from records").alias("note"), pl.col("force_source"),
                pl.col("period_source"), pl.lit(names.measure_source).alias("measure_source"), pl.col("guess"),
                pl.col("is_total"), pl.lit("count").alias("unit"),
            ]
        )
    )
    tidy = tidy.select([pl.col(name).cast(dtype) for name, dtype in schema.polars_schema().items()])
    undated = int(totals.filter(pl.col("month").fill_null("") == "").get_column("n").sum())
    if undated:
        sheet.warnings.append(f"{undated:,} record(s) with no date or month this tool understands: counted with no period")
    if layout.force_codes:
        sheet.message = f"column {layout.force_col!r} read as STATS19 police-force codes (e.g. 33 = Leicestershire)"
    sheet.rows_imported = tidy.height
    sheet.areas = [f for f in tidy.get_column("force").unique(maintain_order=True).to_list() if f]
    sheet.measure = f"{measure_base}: all categories"
    sheet.data_range = f"{int(totals.get_column('n').sum()):,} records"
    if sheet.force is None and context.match is not None:
        sheet.force = context.match.area.name
        sheet.force_source = context.where
    return tidy


def is_record_sheet(path: Path, sheet_name: str | None, grid: list[list[Any]], options: ImportOptions) -> bool:
    """Whether `count_sheet` would count this sheet as records (its header and first rows
    only: nothing is counted)."""
    return _sheet_layout(path, sheet_name, grid, options) is not None


def _sheet_layout(
    path: Path, sheet_name: str | None, grid: list[list[Any]], options: ImportOptions
) -> tuple[int, list[str], list[list[str]], RecordLayout, _Context] | None:
    start = next((i for i, row in enumerate(grid[:30]) if sum(1 for v in row if v not in (None, "")) >= 2), None)
    if start is None or len(grid) - start < 2:
        return None
    header = [_cell_text(v) for v in grid[start]]
    sample = [[_cell_text(v) for v in row] for row in grid[start + 1 : start + 201]]
    context = _context_force(path, options, sheet_name, grid[:start])
    layout = layout_of(header, sample, context.match is not None)
    if layout is None or layout.headerless or len(set(h for h in header if h)) != len([h for h in header if h]):
        return None
    return start, header, sample, layout, context


def count_sheet(path: Path, sheet_name: str | None, grid: list[list[Any]], options: ImportOptions) -> "tuple[pl.DataFrame, SheetReport] | None":
    """A sheet of records in a workbook (an xlsx export of a force's incident log): counted
    like a CSV of records, or None when the sheet is not one."""
    found = _sheet_layout(path, sheet_name, grid, options)
    if found is None:
        return None
    start, header, sample, layout, context = found
    import polars as pl

    wanted = _wanted(layout)
    index = {h: i for i, h in enumerate(header)}
    data = {c: [_cell_text(row[index[c]]) if index[c] < len(row) else "" for row in grid[start + 1 :]] for c in wanted}
    layout.time_formats = _formats_for(layout, header, sample)
    counts = _count(pl.DataFrame(data, schema={c: pl.String for c in wanted}).lazy(), layout, layout.time_formats)
    sheet = SheetReport(sheet=sheet_name, status="counted", orientation="records", header_rows=[start + 1])
    rows = _rows(counts, layout, options, context, sheet, str(path), sheet_name)
    return rows, sheet


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v).strip()


class _Names:
    """Force names and months resolved once per distinct value: 43 forces × 36 months
    label tens of thousands of (force, month, category) counts."""

    def __init__(self, context: _Context, sheet: SheetReport, layout: RecordLayout, user_measure: bool) -> None:
        self.context = context  # the force of records that name none (a guess when the places naming one disagree)
        self.sheet = sheet
        self.layout = layout
        self.measure_source = schema.FROM_USER if user_measure else schema.FROM_RECORDS
        self._forces: dict[str, tuple[Any, str | None, str | None]] = {}
        self._months: dict[str, Any] = {}

    def force(self, text: str) -> tuple[Any, str | None, str | None]:
        """(match, source, guess) for one force cell."""
        if text not in self._forces:
            from foistats.model.forces import registry

            match, source, guess = None, None, None
            if text:
                if self.layout.force_codes == "stats19" and text.isdigit():
                    name = STATS19_FORCES.get(int(text))
                    match = registry().resolve(name, fuzzy=False) if name else None
                elif self.layout.onehot:
                    match = registry().resolve(text, fuzzy=False)
                else:
                    code = text.upper() if text[:1].isalpha() and text[1:].isdigit() and len(text) == 9 else None
                    match = registry().resolve(text, code)
                    if match is not None and match.is_guess:
                        guess = f"{text!r} read as {match.area.name} (closest name; check it)"
                source = schema.FROM_RECORDS
                if match is None:
                    # Never filed under the file's force: an unknown name stays its own area.
                    warning = f"force {text!r} not recognised: kept under that name (area_kind other)"
                    if warning not in self.sheet.warnings:
                        self.sheet.warnings.append(warning)
            else:
                match, source = self.context.match, self.context.source
                guess = self.context.guess if match is not None else None
            if guess and guess not in self.sheet.guesses:
                self.sheet.guesses.append(guess)
            if self.sheet.force is None and match is not None:
                self.sheet.force = match.area.name
                self.sheet.force_source = f"column value {text!r}" if source == schema.FROM_RECORDS else None
            self._forces[text] = (match, source, guess)
        return self._forces[text]

    def month(self, text: str) -> Any:
        if text not in self._months:
            from foistats.model.periods import PeriodError, parse_period

            period = None
            if text:
                try:
                    period = parse_period(text)
                except PeriodError:
                    self.sheet.warnings.append(f"month {text!r} not understood")
            self._months[text] = period
        return self._months[text]
