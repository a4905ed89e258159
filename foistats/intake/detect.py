"""Find the table(s) in a sheet: title, header, label columns, value columns, totals, notes.

Forces lay the same answer out in dozens of ways, so detection does not look for a
layout by name. It finds the block of rows that hold numbers, the columns that hold
them, the header rows above (merged cells and two-row headers included), and the
label columns to the left. Every value cell then has a row key and a column key;
`tidy.py` decides which parts of those keys are the force, the period and the measure.
The result records what it rejected and why, so `foistats inspect` can explain it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from foistats.intake.grid import col_index, col_letter
from foistats.model.values import parse_value

Grid = list[list[Any]]

# A label that starts as a total does: "Total", "Grand total", "Sum", "Overall", "All years",
# and a sub-total ("Sub-total", "Subtotal", "Sub total", "Sub-total North"), which sums some
# rows above it: read as a part, it was added to its own parts again. Column headers are
# judged on this start alone, with `_looks_like_measure_total` keeping "Total recorded crime".
_TOTAL_START = re.compile(
    r"^\s*(?:(?:grand\s+)?(?:total|totals|sum|overall(?:\s+total)?|all(?:\s+years|\s+months|\s+periods)?)|sub[\s-]*totals?)\b",
    re.I,
)
# A row label that ends as a total does: "North total", "North sub-total", "Blackmail total",
# "Blackmail subtotal". The rows above it are its parts, so it is a (sub-)total, never one
# more part. Not "% of total" or "share of the total", which are proportions. Row labels
# only: column headers keep `_TOTAL_START`, so no column is newly read as a total.
# Possessive repeats: a long cell of spaces cannot make it backtrack.
_TOTAL_END = re.compile(r"^.*(?<!\bof )(?<!\bthe )\b(?:sub)?totals?(?:\s*+[:.])?\s*+$", re.I | re.S)
# Either: what `columnar.py` asks of each row's first label, so that a long sheet's body
# with a total below its sample goes down the path that marks it.
_TOTAL_LABEL = re.compile(f"{_TOTAL_START.pattern}|{_TOTAL_END.pattern}", re.I | re.S)
_DERIVED_HEADER = re.compile(
    r"(%|per\s*cent|percent|percentage|proportion|change|difference|Δ|\bdiff\b|increase|decrease|ratio|share)", re.I
)
_RATE_HEADER = re.compile(r"\brate\b|per\s+(?:1,?000|100,?000|head|capita)", re.I)
# Numbers that say where a force stands or which way it moved, never how many: a rank
# ("Rank", "Ranking", "Position", "Rank (1 = highest)", "National rank"), a movement, a
# variance, a "+/-" or "Up/down" column. They are worked out from the counts beside them,
# like a change, so they are derived columns: skipped, with the reason, and recomputed
# with `foistats rank`/`rise` when wanted. A rank word is matched as the whole header
# (qualifiers allowed), because "Officers by rank" and "Movements in custody" count things.
_RANK_HEADER = re.compile(
    r"^\s*(?:(?:national|regional|force|overall|league|current|previous|new|old|msg|most\s+similar\s+group)\s+)?"
    r"(?:rank(?:ing|ed)?|position|movement)(?:\s*\([^)]*\)\s*|\s+(?:in|within|among|amongst|out\s+of|by|on|from|since|vs\.?)\b[^()]*|\s*)$",
    re.I,
)
_SIGNED_HEADER = re.compile(
    r"\bvariance\b|^\s*var\.?\s*$|\+\s*/\s*[-\u2212\u2013]|[-\u2212\u2013]\s*/\s*\+|\u00b1|\bup\s*/\s*down\b|\bup\s+or\s+down\b", re.I
)
# Averages and rates that state no base: "Avg per month", "Average", "Mean", "Detection
# rate". Not counts, and nothing in the header says what unit they are in, so read as
# values they would pass for counts. They are derived from the counts (recompute them),
# so they are skipped as derived columns. A rate that states its base ("Rate per 1,000
# population", "per head") or is a percentage ("Charge rate (%)", cells of "12%") stays a
# value: tidy.py gives it its unit, as `_RATE_HEADER` has always allowed.
_AVERAGE_HEADER = re.compile(
    r"\baverage\b|\bavg\b|\bmean\b|\bmedian\b|\bper\s+(?:day|week|month|quarter|year|annum|officer|head\s+of\s+staff)\b|\brate\b",
    re.I,
)
_STATED_UNIT = re.compile(r"per\s+(?:[\d,]{3,}|\d+\s*k\b|head\b|capita\b|population\b)|%|per\s*cent|percentage", re.I)
_FLAG_TEXT = re.compile(r"^\s*(?:\[?[rRpPeE]\]?|\*{1,3}|†|‡|[*]?[↑↓])\s*$")
_CONTENTS_SHEET = re.compile(r"^(?:index|contents|cover(?:\s*sheet)?|notes?|metadata|definitions|about|read\s*me)$", re.I)
# Identifier columns hold numbers that are not measurements: ids, references, and codes
# ("Force code" 46, "Offence code" 8, "HO offence code", "area_code": a code names a
# category or an area; it never counts anything), and the numbers that name one thing
# in police records ("Collar number" 1234, "Crime number", "Incident no.", "URN"). Only
# the singular, after a noun that is never counted that way: "Crime numbers" and
# "Number of crimes" are counts ("Number of custody records" too, while "Custody number"
# names one record). "Officer number" or "Staff number" may be a headcount, and a bare
# "Log", "Occurrence", "Serial" or "Line" says little: `_ID_IF_VALUES_SAY` has the values
# decide those.
_ID_HEADER = re.compile(
    r"^\s*(?:fid|id|objectid|object_id|oid|row|row\s*no\.?|index|ref(?:erence)?|\w+_?id|\w+\s+id|codes?|\w+cd"
    r"|(?:[\w-]+\s+){1,3}codes?|\w+_codes?|urn|(?:unique\s+)?reference\s+(?:number|no\.?)"
    r"|(?:[\w-]+\s+){0,2}(?:collar|warrant|shoulder|badge|payroll|incident|crime|case|occurrence|log|cad|complaint|file|serial"
    r"|account|telephone|phone|registration|ticket|custody|call|iopc|ipcc|foi|foia|foisa|request|disclosure|line|pnc|pnd"
    r"|storm|niche|athena|docket|job|exhibit|property)(?:\s+ref(?:erence)?)?\s+(?:number|no\.?|num|ref(?:erence)?))\s*$",
    re.I,
)
# Headers that name an identifier only when the values look like one (see `_looks_like_ids`).
_ID_IF_VALUES_SAY = re.compile(
    r"^\s*(?:(?:staff|officer|employee|personnel|member|pay)\s+(?:number|no\.?|num)|log|occurrence|serial|line)\s*$", re.I
)
# Columns that describe each person or case in a list of them: an age, a length of
# service, a year or date of birth. Never counts; in a long table a dimension at most.
# Whole headers only: "Age 10-17" over counts is a band of a dimension, and "Age" over
# "10-14 | 15-17" is a spanning label, whose columns are headed by their bands.
_AGE_HEADER = re.compile(
    r"^\s*(?:(?:current|officer'?s?|victim'?s?|suspect'?s?|offender'?s?)\s+)?age(?:\s+at\s+[\w\s'-]{1,40}?)?"
    r"(?:\s*\((?:in\s+)?(?:years?|yrs)\))?\s*$",
    re.I,
)
_SERVICE_HEADER = re.compile(
    r"^\s*(?:length\s+of\s+service|years?\s+(?:of|in)\s+service|service\s+length|time\s+in\s+service|time\s+served)"
    r"(?:\s*\((?:in\s+)?(?:years?|yrs)\))?\s*$",
    re.I,
)
_BIRTH_HEADER = re.compile(r"^\s*(?:year\s+of\s+birth|birth\s+year|yob|date\s+of\s+birth|birth\s+date|d\.?o\.?b\.?)\s*$", re.I)
# A row label that says the row's number is the reply's own reference or an identifier:
# "Reference number | 20240123" under a table, "Our ref", "FOI reference", "Request ID",
# "Disclosure ID". Never data, wherever it sits; under a table it is a note. Whole labels
# only, so "Referrals" and "Requests received" stay the counts they are.
_REFERENCE_LABEL = re.compile(
    r"^\s*(?:(?:(?:our|your|my|the|unique|foi|foia|foisa|eir|foi\s+request|information\s+request|request|disclosure|iopc"
    r"|ipcc|case|complaint|crime|incident|log|file|urn)\s+)?(?:ref(?:erence)?\.?|ref\.?\s+no\.?)(?:\s+(?:number|no\.?|num|id))?"
    r"|(?:foi|foia|foisa|eir|foi\s+request|information\s+request|request|disclosure|iopc|ipcc)\s+(?:id|number|no\.?|num))"
    r"(?:\s*[:.#])?\s*$",
    re.I,
)
_YEAR_WORD = re.compile(r"^\s*(?:year|years|period|month|months|date|financial\s+year|calendar\s+year|fy|quarter)\b", re.I)


@lru_cache(maxsize=131072)  # issue 17: a 100,000-column header fits (8,192 thrashed: every call missed)
def period_of(text: str) -> Any:
    """The Period a label means, or None. Cached: the same header text repeats a lot."""
    from foistats.model.periods import PeriodError, parse_period

    try:
        return parse_period(text)
    except (PeriodError, ValueError, TypeError, OverflowError):
        return None


def is_year_number(cell: Any) -> bool:
    return (
        isinstance(cell, (int, float))
        and not isinstance(cell, bool)
        and float(cell).is_integer()
        and 1800 <= cell <= 2100
    )


def as_year(cell: Any) -> int | None:
    """A year written as a number or as four digits of text ("2020" in a CSV)."""
    if is_year_number(cell):
        return int(cell)
    if isinstance(cell, str) and re.fullmatch(r"\s*(1[89]|20)\d\d\s*", cell):
        return int(cell)
    return None


def is_period_cell(cell: Any) -> bool:
    if isinstance(cell, (datetime, date)):
        return True
    if is_year_number(cell):
        return True
    if isinstance(cell, str) and cell.strip():
        text = cell.strip()
        if len(text) > 60:
            return False
        return period_of(text) is not None
    return False


def is_value_cell(cell: Any) -> bool:
    return parse_value(cell) is not None


@dataclass
class Table:
    """Where one table sits on a sheet (0-based row/col indexes)."""

    title_rows: list[int]
    header_rows: list[int]
    body_rows: list[int]  # rows between the first and last data row that hold values
    label_cols: list[int]
    value_cols: list[int]
    flag_cols: list[int] = field(default_factory=list)  # e.g. a column of "R" (revised) markers
    total_rows: list[int] = field(default_factory=list)
    total_cols: list[int] = field(default_factory=list)
    derived_cols: list[int] = field(default_factory=list)  # % change, change, proportion
    section_rows: list[int] = field(default_factory=list)  # label-only rows inside the body
    note_rows: list[int] = field(default_factory=list)
    orientation: str = "wide"  # wide: periods across columns; long: periods down rows; crosstab: none
    rejected: list[str] = field(default_factory=list)
    period_label_cols: list[int] = field(default_factory=list)  # label columns that hold periods
    spacer_cols: list[int] = field(default_factory=list)  # no header, zeros only: layout, not values

    @property
    def first_row(self) -> int:
        return min(self.header_rows or self.body_rows)

    @property
    def last_row(self) -> int:
        return max(self.body_rows)


class SheetGrid:
    """A grid with merged ranges resolved on demand (only header and label lookups use them)."""

    def __init__(
        self, rows: Grid, merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None, name: str | None = None
    ) -> None:
        self.rows = rows
        # "Index", "Contents", "Notes": a symbol-only block there is a listing, not a nil return.
        self.contents_sheet = bool(name and _CONTENTS_SHEET.match(name.strip()))
        self.height = len(rows)
        self.width = max((len(r) for r in rows), default=0)
        self._merge_owner: dict[tuple[int, int], tuple[int, int]] = {}
        self.year_shapes: dict[int, Any] = {}  # row -> `_year_shape`, asked of the same rows again and again
        for (r0, c0), (r1, c1) in merged or []:
            if (r1 - r0 + 1) * (c1 - c0 + 1) > 5000:
                continue  # a whole-row title merge; never needed for lookups
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self._merge_owner[(r, c)] = (r0, c0)

    @property
    def has_merges(self) -> bool:
        return bool(self._merge_owner)

    def raw(self, r: int, c: int) -> Any:
        if 0 <= r < self.height and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def merged_value(self, r: int, c: int) -> Any:
        v = self.raw(r, c)
        if v is None and (r, c) in self._merge_owner:
            return self.raw(*self._merge_owner[(r, c)])
        return v

    def is_merged_child(self, r: int, c: int) -> bool:
        return (r, c) in self._merge_owner

    def spans_columns(self, r: int, c: int) -> bool:
        """The cell at (r, c) is part of a merge across columns (a spanning header)."""
        owner = self._merge_owner.get((r, c), (r, c))
        return owner[1] != c or self._merge_owner.get((r, c + 1)) == owner

    def row_cells(self, r: int) -> list[tuple[int, Any]]:
        return [(c, v) for c, v in enumerate(self.rows[r]) if v is not None]


def detect_tables(grid: SheetGrid, overrides: dict[str, Any] | None = None) -> list[Table]:
    """All tables on the sheet, top to bottom. An empty list means: no numbers here."""
    overrides = overrides or {}
    if overrides.get("header_rows") or overrides.get("data_rows"):
        return [_table_from_recipe(grid, overrides)]
    kinds = _row_kinds(grid)
    blocks = _data_blocks(grid, kinds)
    tables: list[Table] = []
    previous_end = -1
    shared: list[int] | None = None  # a header written once above several stacked blocks
    for block in blocks:
        lead = _header_like_lead(grid, block, kinds)
        if lead:
            for r in lead:
                kinds[r] = "label"  # "Under 10 | Aged 10-17 | Total": a lower header row, not data
            block = block[len(lead):]
            cols = sorted({c for r in lead for c, _ in grid.row_cells(r)} - {0})
            above, _, _ = _header_rows(grid, lead[-1] + 1, cols, kinds, previous_end)
            shared = sorted(set(above) | set(lead))
            if not block:
                previous_end = lead[-1]
                continue
        table = _build_table(grid, block, kinds, previous_end, shared)
        if table is not None:
            tables.append(table)
            previous_end = table.last_row
            if table.header_rows:
                shared = table.header_rows
    for i, table in enumerate(tables):
        stop = tables[i + 1].first_row if i + 1 < len(tables) else grid.height
        table.note_rows = [
            r for r in range(table.last_row + 1, stop) if kinds[r] in ("text", "label") and r not in table.header_rows
        ]
    return tables


# ------------------------------------------------------------------ row profiling

# Sheets longer than this are profiled on their head and tail only: the layout is
# decided in the first rows and the last ones (totals, notes), and a 200,000-row body
# need not be classified cell by cell to know it is data. Every body cell is still
# read, parsed and reconciled by tidy.py.
BIG_SHEET_ROWS = 20_000
_HEAD_ROWS = 2_000
_TAIL_ROWS = 500


def _row_kinds(grid: SheetGrid) -> list[str]:
    if grid.height <= BIG_SHEET_ROWS:
        kinds = [_row_kind(grid, r) for r in range(grid.height)]
    else:
        kinds = [_row_kind(grid, r) for r in range(_HEAD_ROWS)]
        for row in grid.rows[_HEAD_ROWS : grid.height - _TAIL_ROWS]:
            kinds.append("data" if any(v is not None for v in row) else "blank")
        kinds.extend(_row_kind(grid, r) for r in range(grid.height - _TAIL_ROWS, grid.height))
    _counts_that_look_like_years(grid, kinds)
    _single_year_headers(grid, kinds)
    _reference_rows(grid, kinds)
    return kinds


def _single_year_headers(grid: SheetGrid, kinds: list[str]) -> None:
    """Header rows of one period ("Offence | 2023" over "Blackmail | 12") read as the
    header they are, not as data.

    `_row_kind` counts a lone year written as text as a value (in "Kent,1877" it is one),
    so a header with one year column read as a data row: the year became a count under
    the measure "Offence" (or a force called "Force"), and nothing warned. A header of two
    or more years reads as periods already. Judged after `_counts_that_look_like_years`,
    which may have read such a row as data for the rows it heads. Only the profiled rows
    of a long sheet are asked, as for every other judgement."""
    rows: Any = range(len(kinds))
    if grid.height > BIG_SHEET_ROWS:
        rows = [*range(_HEAD_ROWS), *range(grid.height - _TAIL_ROWS, grid.height)]
    for r in rows:
        if kinds[r] == "data" and _is_single_year_header(grid, kinds, r):
            kinds[r] = "periods"


def _is_single_year_header(grid: SheetGrid, kinds: list[str], r: int) -> bool:
    """Row r is a header of one year: its cells are labels that each head their label
    column ("Offence", "Force", "Crime type", or a word naming no area over rows that
    name areas; see `_heads_label_column`) and then one year, as a number or as text,
    right above data rows whose cells under the year are counts.

    A data row "Kent | 2023" (2023 offences) among forces stays data: "Kent" names an area,
    so it heads nothing. A word that merely names no area might be a row's name, so only a
    label that says it is a heading ("Force", "Offence": `_LABEL_HEADING`) decides where the
    row sits under other data rows (the header of a second table stacked with no blank
    row between, as a header of two years splits them) or where every count under the
    year is itself year-like; a row at the top of its block (only titles or header rows
    above it, up to a blank row or the sheet's top) may also head forces with any word."""
    cells = grid.row_cells(r)
    if len(cells) < 2:
        return False
    *labels, (year_col, year) = cells
    if as_year(year) is None:
        return False
    if any(not isinstance(v, str) or as_year(v) is not None for _, v in labels):
        return False
    above = r - 1
    inside = False
    while above >= 0 and kinds[above] != "blank":
        if kinds[above] == "data":
            inside = True  # under other rows: a header only where its words say so (below)
            break
        above -= 1
    below: list[int] = []
    n = r + 1
    while n < len(kinds) and kinds[n] == "data" and len(below) < 50:
        below.append(n)
        n += 1
    if not below:
        return False
    if not all(_heads_label_column(grid, below, r, c) for c, _ in labels):
        return False
    counts = [v for n in below if (v := grid.raw(n, year_col)) is not None and is_value_cell(v)]
    if not counts:
        return False
    if inside or all(as_year(v) is not None for v in counts):
        return all(_LABEL_HEADING.match(v) for _, v in labels)
    return True


def _reference_rows(grid: SheetGrid, kinds: list[str]) -> None:
    """Rows labelled as a reference or an identifier ("Reference number | 20240123") hold
    no data: the number names the request or the case. Read as a label row (a note under
    the table, a title above it), so it is never imported as a count."""
    rows: Any = range(len(kinds))
    if grid.height > BIG_SHEET_ROWS:  # only the rows `_row_kinds` profiled, as for every other judgement
        rows = [*range(_HEAD_ROWS), *range(grid.height - _TAIL_ROWS, grid.height)]
    for r in rows:
        if kinds[r] == "data" and _is_reference_row(grid, r):
            kinds[r] = "label" if len(grid.row_cells(r)) > 1 else "text"


def _is_reference_row(grid: SheetGrid, r: int) -> bool:
    """The row's first text cell, before any number, says it is a reference or an id, and
    a number follows it (a header "Reference | Date | Offence" over a list has none)."""
    labelled = False
    for v in grid.rows[r] if 0 <= r < grid.height else ():
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if labelled:
            if is_value_cell(v):
                return True
            continue
        if isinstance(v, str):
            if len(v) >= 60 or _REFERENCE_LABEL.match(v) is None:
                return False
            labelled = True
        elif is_value_cell(v):
            return False
    return False


def _counts_that_look_like_years(grid: SheetGrid, kinds: list[str]) -> None:
    """Rows whose numbers are counts between 1800 and 2100, read as data, not as headers.

    `_row_kind` takes a whole number in that range for a year, so a row whose only numbers
    are such counts reads as a header of periods (`2022 | 2010`: 2010 offences in 2022) or
    as a label (`Kent | 1850`). Then the row's numbers were lost, and the rows below were
    dated by them: `Year,Offences / 2021,2500 / 2022,2010 / 2023,2600` gave 2021 = 2500 and
    "2010" = 2600. A row is data after all when every such number sits in a column where
    an adjacent data row holds a count that is no year (a column of values), or in the
    row's first year column where that row holds a year too (years down the rows), and
    at least one number is of the first kind. It must also sit in the run of data: the
    row above is data, or is the header (words over those columns) of the data below,
    so that a block heading ("Kent Police | 2021" above its rows) stays a heading. And
    a header of years that reads like one (two or more, in order, a step of at most ten:
    `2021 | 2022 | 2023`) stays a header. Rows turned to data open the way for the rows
    after them, so this runs until nothing changes."""
    candidates = [r for r, kind in enumerate(kinds) if kind in ("periods", "label") and _year_shape(grid, r) is not None]
    for _ in range(3):  # a row turned to data opens the way for the next; three passes settle real tables
        changed = False
        for r in candidates:
            if kinds[r] in ("periods", "label") and _reads_as_counts(grid, kinds, r):
                kinds[r] = "data"
                changed = True
        if not changed:
            break


def _reads_as_counts(grid: SheetGrid, kinds: list[str], r: int) -> bool:
    shape = _year_shape(grid, r)
    if shape is None:
        return False  # no year-like number here, or a period that is no bare year ("2020/21", a date)
    year_cols, text_cols = shape
    top, bottom = _block(kinds, r)
    data = [n for n in range(top, bottom + 1) if kinds[n] == "data"]
    label_col = _years_down_column(grid, r, year_cols, data, [n for n in range(top, bottom + 1) if _year_shape(grid, n) == shape])
    counts = [c for c in year_cols if c != label_col]
    if not counts:
        return False
    values = [as_year(grid.raw(r, c)) for c in counts]
    if label_col is None and _years_in_order(values):
        return False  # "2021 | 2022 | 2023": a header of years, as it reads

    # Where it sits: inside the body (the run of rows like it is entered from a data row,
    # or from the header of the data below), never at the top of a block, where a heading
    # such as "Kent Police | 2021" sits above its rows.
    def alike(n: int) -> bool:
        return kinds[n] in ("periods", "label") and _year_shape(grid, n) == shape and not (
            label_col is None and _years_in_order([as_year(grid.raw(n, c)) for c in counts])
        )

    up, down = _run(kinds, r, alike, top, bottom)
    above = up if up >= top else None
    below = down if down <= bottom and kinds[down] == "data" else None
    if above is None:
        return False
    head = above  # the table's header: up through its data and rows like this one
    while head > top and (kinds[head] == "data" or alike(head)):
        head -= 1
    header_years = _header_years(grid, kinds, head, counts, text_cols)
    if header_years == values:
        return False  # the same years again: a header repeated over the next block
    if kinds[above] == "data" or header_years is not None:
        pass
    elif kinds[above] == "label" and below is not None and all(isinstance(grid.raw(above, c), str) for c in counts):
        pass  # the first rows of a body, under a header with words over their numbers
    else:
        return False
    # What it says: a column of counts, shown by a number in it that is no year, in this
    # block's data (or by a header of other years over it); a table of years as values
    # (the year each force first issued TASER) has none, and stays no table.
    for c in counts:
        if header_years is None and not any(
            (v := grid.raw(n, c)) is not None and as_year(v) is None and is_value_cell(v) for n in data
        ):
            return False
    # and labels of the same kind as the rows beside it: a force among forces, a word
    # among words (a heading "Kent Police | 2022" among offences is a heading)
    beside = [n for n in (above, below) if n is not None and kinds[n] == "data"]
    for c in text_cols:
        mine = _names_an_area(grid.raw(r, c))
        if any(isinstance(grid.raw(n, c), str) and _names_an_area(grid.raw(n, c)) != mine for n in beside):
            return False
    return True


# How far from a row its block is looked at: the evidence for a row is in the rows near it,
# and a sheet of thousands of year-like rows must not be walked once per row.
_NEAR = 60


def _block(kinds: list[str], r: int) -> tuple[int, int]:
    """The first and last rows of the run of non-blank rows holding r, within `_NEAR` rows."""
    top = r
    while top > 0 and top > r - _NEAR and kinds[top - 1] != "blank":
        top -= 1
    bottom = r
    while bottom + 1 < len(kinds) and bottom < r + _NEAR and kinds[bottom + 1] != "blank":
        bottom += 1
    return top, bottom


def _years_down_column(grid: SheetGrid, r: int, year_cols: tuple[int, ...], data: list[int], alike: list[int]) -> int | None:
    """The row's first column when it is the table's years down the rows: the data rows of
    its block have their year there too, and with the rows shaped like this one the years
    run one by one."""
    if len(year_cols) < 2:
        return None
    first = year_cols[0]
    rows = [n for n in data if as_year(grid.raw(n, first)) is not None]
    if not rows:
        return None
    years = [as_year(grid.raw(n, first)) for n in sorted({*rows, *alike, r})]
    return first if _one_by_one(years) else None


def _header_years(grid: SheetGrid, kinds: list[str], above: int, counts: list[int], text_cols: tuple[int, ...]) -> list[int | None] | None:
    """The years of a header of periods right above the run, over the same columns, when it
    is a header: its label cells name no area ("Force", or nothing), unlike a data row."""
    if kinds[above] != "periods":
        return None
    years = [as_year(grid.raw(above, c)) for c in counts]
    if any(y is None for y in years):
        return None
    # its label cells say what the column is ("Force", "Area", nothing): a row naming
    # anything else ("Cleveland", "Area 5") is a row of the table, whose years are values
    if any(
        (v := grid.raw(above, c)) is not None and not (isinstance(v, str) and _LABEL_HEADING.match(v)) for c in text_cols
    ):
        return None
    return years


def _one_by_one(years: list[int | None]) -> bool:
    """Years running one at a time, up or down: a column of years, not of counts."""
    if len(years) < 2 or any(y is None for y in years):
        return False
    steps = {b - a for a, b in zip(years, years[1:])}  # type: ignore[operator]
    return steps == {1} or steps == {-1}


def _run(kinds: list[str], r: int, alike: Any, top: int = 0, bottom: int | None = None) -> tuple[int, int]:
    """(the row before, the row after) the run of rows around r, within top..bottom, for
    which alike(n) holds."""
    last = len(kinds) - 1 if bottom is None else bottom
    up = r - 1
    while up >= top and alike(up):
        up -= 1
    down = r + 1
    while down <= last and alike(down):
        down += 1
    return up, down


def _names_an_area(v: Any) -> bool:
    from foistats.model.forces import registry

    return isinstance(v, str) and registry().resolve(v, fuzzy=False) is not None


def _year_shape(grid: SheetGrid, r: int) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """(columns holding year-like whole numbers or four-digit years, columns holding other
    text) of a row; None when it has no year-like number, or has a period that is not a
    bare year (a date, "2020/21", "Jan 2021"): such a row is a header as it reads."""
    if r in grid.year_shapes:
        return grid.year_shapes[r]
    grid.year_shapes[r] = shape = _shape_of_row(grid, r)
    return shape


def _shape_of_row(grid: SheetGrid, r: int) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    year_cols: list[int] = []
    text_cols: list[int] = []
    for c, v in grid.row_cells(r):
        if as_year(v) is not None:
            year_cols.append(c)
        elif isinstance(v, (datetime, date)) or (isinstance(v, str) and is_period_cell(v)):
            return None
        elif isinstance(v, str):
            text_cols.append(c)
        else:
            return None  # another number (not year-like): _row_kind would have called it data
    return (tuple(year_cols), tuple(text_cols)) if year_cols else None


def _years_in_order(values: list[int | None]) -> bool:
    """Two or more years, each a step of one to ten from the last, all one way: a header."""
    if len(values) < 2 or any(v is None for v in values):
        return False
    steps = [b - a for a, b in zip(values, values[1:])]  # type: ignore[operator]
    return all(1 <= s <= 10 for s in steps) or all(-10 <= s <= -1 for s in steps)


def sample(rows: list[int]) -> list[int]:
    """The rows a column is judged on: all of them, or the head and tail of a long body."""
    if len(rows) <= _HEAD_ROWS + _TAIL_ROWS:
        return rows
    return rows[:_HEAD_ROWS] + rows[-_TAIL_ROWS:]


_PERIOD, _TEXT_YEAR, _VALUE, _TEXT = range(4)
# What each distinct cell value counts as in `_row_kind`, by (type, value): a long table's
# sample repeats the same force names, months and measure words in every row, and each
# was asked up to four questions (year? year as text? a value? a period?) every time.
# Bounded: a sheet of distinct values stops adding once it is full.
_CELL_KINDS: dict[tuple[type, Any], int] = {}
_CELL_KINDS_MAX = 65536


def _cell_kind(v: Any) -> int:
    key = (v.__class__, v)  # the type too: True == 1 and 1.0 == 1, but they read differently
    try:
        kind = _CELL_KINDS.get(key)
    except TypeError:  # a value that cannot be a key: asked afresh, never kept
        key, kind = None, None
    if kind is None:
        if is_year_number(v) or isinstance(v, (datetime, date)):
            kind = _PERIOD
        elif isinstance(v, str) and as_year(v) is not None:
            kind = _TEXT_YEAR
        elif is_value_cell(v):
            kind = _VALUE
        elif isinstance(v, str) and is_period_cell(v):
            kind = _PERIOD
        else:
            kind = _TEXT
        if key is not None and len(_CELL_KINDS) < _CELL_KINDS_MAX:
            _CELL_KINDS[key] = kind
    return kind


def _row_kind(grid: SheetGrid, r: int) -> str:
    """blank | data | periods (a header of period labels) | text (one cell, e.g. a title) | label."""
    cells = grid.row_cells(r)
    if not cells:
        return "blank"
    counts = [0, 0, 0, 0]
    for _, v in cells:
        counts[_cell_kind(v)] += 1
    periods, text_years, values, texts = counts
    # ("2022" written as text, text_years: a header in "Force,2022,2023", a count in "...,1877")
    if text_years >= 2 and values == 0:
        return "periods"
    values += text_years
    if values == 0 and periods >= 2:
        return "periods"
    if values > 0:
        return "data"
    if periods == 1 and texts == 0:
        # A lone year or date: a long-layout row with a suppressed/empty value, or a title.
        return "label"
    if len(cells) == 1:
        return "text"
    return "label"


def _data_blocks(grid: SheetGrid, kinds: list[str]) -> list[list[int]]:
    """Runs of data rows; label-only rows and single blanks inside a run do not break it."""
    blocks: list[list[int]] = []
    current: list[int] = []
    gap: list[int] = []
    for r, kind in enumerate(kinds):
        if kind == "data":
            if current and gap and _gap_breaks(grid, gap, kinds):
                blocks.append(current)
                current = []
            current.append(r)
            gap = []
        elif current:
            gap.append(r)
            if len([g for g in gap if kinds[g] == "blank"]) >= 3:
                blocks.append(current)
                current, gap = [], []
    if current:
        blocks.append(current)
    return blocks


def _gap_breaks(grid: SheetGrid, gap: list[int], kinds: list[str]) -> bool:
    """A gap ends a table when it holds a new header (a row of periods) or 2+ blank rows."""
    if any(kinds[g] == "periods" for g in gap):
        return True
    blanks = sum(1 for g in gap if kinds[g] == "blank")
    if blanks >= 2:
        return True
    # A note row ("Source: ...", "* = fewer than 3") right under a table, then data again:
    # treat as a new table only if a multi-cell label row (a header) precedes the data.
    multi = [g for g in gap if kinds[g] == "label" and len(grid.row_cells(g)) >= 2]
    return bool(multi) and blanks >= 1


# ------------------------------------------------------------------ table building


_PLAIN_NUMBER = re.compile(r"^\s*[£$€]?\s*-?\d[\d,]*(?:\.\d+)?\s*%?\s*$")


def _is_plain_number(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    return isinstance(v, str) and len(v) < 40 and bool(_PLAIN_NUMBER.match(v))


_BAND = re.compile(r"^\s*\d{1,3}\s*(?:-|–|to)\s*\d{1,3}\s*$|^\s*\d{1,3}\s*\+\s*$")
_WORD = re.compile(r"[A-Za-z]{3,}")


def _is_header_word(v: Any) -> bool:
    """A header's words or bands ("Females", "Under 10", "10 - 14", "17+"), not a symbol ("n/a", "*", "nil")."""
    if not isinstance(v, str) or _is_plain_number(v) or len(v) > 80:
        return False
    if _BAND.match(v):
        return True
    if not _WORD.search(v):
        return False
    parsed = parse_value(v)
    return not (parsed is not None and not any(ch.isdigit() for ch in v))


# What a label column is called: "Force", "Police force area", "Offence type". A row whose
# first cell says one of these names the columns; a data row names a force or an offence.
_LABEL_HEADING = re.compile(
    r"^\s*(?:(?:police\s+)?force(?:\s+(?:name|area))?|police\s+force\s+area|pfa|area(?:\s+name)?|region"
    r"|offen[cs]es?(?:\s+(?:type|group|category|description|name))?|crimes?(?:\s+(?:type|category|group))?"
    r"|category|type)\s*:?\s*$",
    re.I,
)


def _header_like_lead(grid: SheetGrid, block: list[int], kinds: list[str]) -> list[int]:
    """Leading rows of a block that are a lower header row, not data: cells that are words or
    bands ("Under 10", "10 - 14", "17+", "Females") over columns that hold plain numbers below.

    A band such as "10-17" or "Under 10" also reads as a suppressed range, so a header row of
    bands is taken for data. A lower header row normally has no row label (a data row has
    one, and "Kent | Under 5 | Under 5" is data), but the label column's own heading may sit
    on the band row ("Force | 10-17 | 18+" under a spanning "Age"): then the first count row
    was read as the last header row and its numbers became part of the measure names. So a
    row label is allowed when it is the label column's heading (`_heads_label_column`); and
    a row of whole-number ages ("Force | 10 | 18") is a header only under an age heading
    that spans its columns (`_ages_as_headings`), since numbers alone are data."""
    lead: list[int] = []
    for i, r in enumerate(block[:3]):
        nxt = next((b for b in block[i + 1:] if b not in lead), None)
        if nxt is None:
            nxt = next((x for x in range(r + 1, min(grid.height, r + 12)) if kinds[x] == "data"), None)
        if nxt is None:
            break
        first_col = min((c for c, _ in grid.row_cells(nxt)), default=0)
        labelled = grid.raw(r, first_col) is not None
        if labelled and not _heads_label_column(grid, block[i + 1:], r, first_col):
            break  # a data row has its row label; a lower header row has none
        cells = [(c, v) for c, v in grid.row_cells(r) if c > first_col]
        wordy = [c for c, v in cells if _is_header_word(v) and _is_plain_number(grid.raw(nxt, c))]
        numbers = [c for c, v in cells if _is_plain_number(v)]
        if len(wordy) >= 2 and len(wordy) > len(numbers) and not (labelled and numbers):
            lead.append(r)  # (a labelled row with a number in it is data: "Force | Under 5 | 12")
            continue
        if labelled and _ages_as_headings(grid, r, nxt, first_col, cells):
            lead.append(r)
            continue
        break
    return lead if len(lead) < len(block) or len(block) <= 2 else []


def _heads_label_column(grid: SheetGrid, below: list[int], r: int, c: int) -> bool:
    """Row r's cell in the label column c is that column's heading, not a row's name: it
    says what the column is ("Force", "Offence type"), or it is a word that names no area
    over a column whose rows below all name areas ("Police force (PFA)" over forces)."""
    v = grid.raw(r, c)
    if not isinstance(v, str) or not _is_header_word(v) or _TOTAL_LABEL.match(v) or _names_an_area(v):
        return False
    if _LABEL_HEADING.match(v):
        return True
    labels = [grid.raw(n, c) for n in below[:20] if grid.raw(n, c) is not None]
    return len(labels) >= 2 and all(_names_an_area(x) for x in labels)


def _ages_as_headings(grid: SheetGrid, r: int, nxt: int, first_col: int, cells: list[tuple[int, Any]]) -> bool:
    """A labelled row of whole-number ages ("Force | 10 | 18", "Force | 10 | 18 | Total")
    is the band row of a header when an age heading ("Age") stands right above it, over
    those columns and not over the label column: the ages start each band, rising left to
    right, with plain numbers below every one. Without that heading numbers are data."""
    ages = [(c, v) for c, v in cells if _is_plain_number(v)]
    if len(ages) < 2 or any(not _is_header_word(v) for c, v in cells if (c, v) not in ages):
        return False
    starts: list[int] = []
    for _, v in ages:
        parsed = parse_value(v)
        if parsed is None or parsed.value is None or parsed.low is not None or not float(parsed.value).is_integer():
            return False
        starts.append(int(parsed.value))
    if not all(0 <= a <= 120 for a in starts) or any(b <= a for a, b in zip(starts, starts[1:])):
        return False
    if not all(_is_plain_number(grid.raw(nxt, c)) for c, _ in cells):
        return False
    above = next((x for x in range(r - 1, max(-1, r - 4), -1) if grid.row_cells(x)), None)
    if above is None or grid.merged_value(above, first_col) is not None:
        return False
    heading = [(c, v) for c, v in grid.row_cells(above) if c > first_col]
    return (
        len(heading) == 1
        and heading[0][0] <= ages[0][0]
        and isinstance(heading[0][1], str)
        and bool(_AGE_HEADER.match(heading[0][1]))
    )


def _header_above_titles(grid: SheetGrid, first: int, value_cols: list[int], kinds: list[str], previous_end: int) -> list[int] | None:
    """A header separated from its first block by the block's own title ("Wales", blank, data):
    the nearest rows above that label most of the value columns."""
    found: list[int] = []
    for r in range(first - 1, max(previous_end, first - 8), -1):
        if kinds[r] in ("label", "periods") and len(grid.row_cells(r)) >= 2 and _covers(grid, [r], value_cols):
            found.insert(0, r)
        elif found:
            break
    return found or None


def _covers(grid: SheetGrid, header: list[int], value_cols: list[int]) -> bool:
    hits = sum(1 for c in value_cols if any(grid.merged_value(h, c) is not None for h in header))
    return hits >= max(1, len(value_cols) * 0.6)


def _numeric_label_column(grid: SheetGrid, body: list[int], value_cols: list[int], label_cols: list[int], rejected: list[str]) -> None:
    """The first numeric column is the row labels when nothing stands left of it and it holds a
    "Total"/"Grand Total" row label, or it counts up one by one (ages 17, 18, 19 …)."""
    if len(value_cols) < 2 or any(c < value_cols[0] for c in label_cols):
        return
    c0 = value_cols[0]
    above = [grid.raw(r, c0) for r in range(max(0, body[0] - 3), body[0]) if grid.raw(r, c0) is not None]
    if above and (is_period_cell(above[-1]) or is_year_number(above[-1])):
        return  # headed by a year: a column of numbers for that year
    cells = [grid.raw(r, c0) for r in sample(body) if grid.raw(r, c0) is not None]
    totals = any(isinstance(v, str) and _TOTAL_LABEL.match(v) for v in cells)
    ints = [int(v) for v in cells if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer()]
    counting = len(ints) >= 3 and all(b == a + 1 for a, b in zip(ints, ints[1:]))
    if totals or counting:
        value_cols.remove(c0)
        label_cols.append(c0)
        label_cols.sort()
        rejected.append(f"column {_col(c0)}: row labels (a {'total label' if totals else 'count-up'} among numbers), not values")


def _build_table(
    grid: SheetGrid, block: list[int], kinds: list[str], previous_end: int, shared: list[int] | None = None
) -> Table | None:
    first, last = block[0], block[-1]
    body = [r for r in range(first, last + 1) if kinds[r] == "data"]
    value_cols, label_cols, flag_cols, rejected = _columns(grid, body)
    if not value_cols:
        return None
    _numeric_label_column(grid, body, value_cols, label_cols, rejected)
    header_rows, title_rows, header_rejected = _header_rows(grid, first, value_cols, kinds, previous_end)
    rejected.extend(header_rejected)
    if not header_rows and not shared:
        shared = _header_above_titles(grid, first, value_cols, kinds, previous_end)
    if not header_rows and shared and _covers(grid, shared, value_cols):
        # Stacked blocks under one header ("Age | Gender | Ethnicity" once, then a block per area).
        header_rows = list(shared)
        start = max(previous_end, max(shared)) + 1
        title_rows = [t for t in range(start, first) if kinds[t] != "blank"]
        rejected.append(f"no header above row {first + 1}: the header in row(s) {', '.join(str(h + 1) for h in shared)} is shared")
    period_label_cols = _period_label_cols(grid, body, label_cols, header_rows)
    _case_columns(grid, body, header_rows, value_cols, label_cols, period_label_cols, rejected)
    # A leading column of bare years is a label column (years as rows), not data.
    lowest = min(value_cols, default=10**6)  # issue 17: kept, not rebuilt per column (was quadratic)
    for c in list(value_cols):
        # (a column under a header of periods holds that period's counts, whatever they look like)
        headed_by_period = any(is_period_cell(grid.merged_value(h, c)) for h in header_rows)
        if c < lowest + 1 and not headed_by_period and _column_is_years(grid, body, c) and len(value_cols) > 1:
            value_cols.remove(c)
            label_cols.append(c)
            period_label_cols.append(c)
            rejected.append(f"column {_col(c)}: years down the rows, read as period labels not values")
            lowest = min(value_cols, default=10**6)
    for c in list(value_cols):
        words = " ".join(str(grid.merged_value(h, c) or "") for h in header_rows)
        if words.strip() and _ID_HEADER.match(words):
            value_cols.remove(c)
            rejected.append(f"column {_col(c)}: headed {words.strip()!r}, an identifier, not a measurement")
            continue
        if _YEAR_WORD.match(words) and _column_is_years(grid, body, c, allow_symbols=True):
            value_cols.remove(c)
            label_cols.append(c)
            period_label_cols.append(c)
            rejected.append(f"column {_col(c)}: headed {words.strip()!r} and holding years: labels, not values")
    if not value_cols:
        return None
    if not header_rows and not label_cols:
        return None  # numbers with nothing to say what they are: a numbered list of footnotes
    label_cols.sort()
    section_rows = [r for r in range(first, last + 1) if kinds[r] != "data" and kinds[r] != "blank"]
    table = Table(
        title_rows=title_rows,
        header_rows=header_rows,
        body_rows=body,
        label_cols=label_cols,
        value_cols=value_cols,
        flag_cols=flag_cols,
        section_rows=section_rows,
        rejected=rejected,
        period_label_cols=period_label_cols,
    )
    _mark_totals_and_derived(grid, table)
    table.orientation = _orientation(grid, table)
    if _only_symbols(grid, table) and (table.orientation == "crosstab" or grid.contents_sheet):
        return None  # an index or contents sheet: "-" and "*" with no numbers in it
    return table


def _own_header(grid: SheetGrid, header_rows: list[int], c: int) -> str:
    """The lowest header text written over column c ("Age" in `Age` over nothing; "10-14"
    or 15 under a spanning "Age"): what the column's own cells are. "" when that lowest
    header is not words (a number: an age band of 15, a year) or is merged across
    columns: a spanning "Age" groups columns of counts, it never heads one list's ages."""
    for h in reversed(header_rows):
        v = grid.merged_value(h, c)
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if grid.spans_columns(h, c):
            return ""
        return " ".join(v.split()) if isinstance(v, str) else ""
    return ""


def _whole_numbers(grid: SheetGrid, body: list[int], c: int) -> list[int] | None:
    """The column's numbers when every filled cell is a whole number (symbols and blanks
    aside), else None."""
    out: list[int] = []
    for r in sample(body):
        raw = grid.raw(r, c)
        if raw is None or isinstance(raw, bool):
            continue
        v = parse_value(raw)
        if v is None or v.value is None:
            continue
        if v.low is not None or v.note == "%" or not float(v.value).is_integer():
            return None
        out.append(int(v.value))
    return out


def _looks_like_ids(grid: SheetGrid, body: list[int], c: int, period_cols: list[int]) -> bool:
    """Numbers that name one thing each: every one distinct, and either long (five digits
    or more, as staff, log and occurrence numbers are) or counting up one by one (a
    "Line" or "Serial" numbering the rows). A headcount headed "Staff number" is also
    distinct and can run to five digits, but only in a series of periods or areas whose
    rows each hold one period: so where a label column holds a different period on every
    row, long numbers are read as counts."""
    numbers = _whole_numbers(grid, body, c)
    if not numbers or len(numbers) < 2 or len(set(numbers)) != len(numbers):
        return False
    if all(b == a + 1 for a, b in zip(numbers, numbers[1:])):
        return True
    if any(n < 10_000 for n in numbers):
        return False
    for p in period_cols:
        if p == c:
            continue
        labels = [grid.raw(r, p) for r in sample(body) if grid.raw(r, p) is not None]
        if len(labels) >= 2 and len({str(x) for x in labels}) == len(labels):
            return False  # one row per period: a headcount over time
    return True


def _case_columns(
    grid: SheetGrid,
    body: list[int],
    header_rows: list[int],
    value_cols: list[int],
    label_cols: list[int],
    period_label_cols: list[int],
    rejected: list[str],
) -> None:
    """Columns of numbers that describe each case or name it, never counts: taken out of
    the values before anything reads them as counts or periods.

    - identifiers whose header alone is ambiguous ("Staff number", "Log", "Serial"),
      when the values look like ids: dropped, like `_ID_HEADER`'s columns;
    - an age or a length of service with plausible values (0-120, 0-70 years): a
      dimension of a list of people, so a label column (its value joins each number's key,
      as an "Age group" band does); when nothing else in the table is a number, the table
      is a list of cases with no counts in it, and detection finds none;
    - a year or date of birth: dropped, from the values and from the labels, because as a
      label its years and dates would be read as each number's period.
    Values decide where a header could be a count: "Age" over 3467 is no age."""
    for c in list(value_cols):
        words = _own_header(grid, header_rows, c)
        if not words or not (
            _ID_IF_VALUES_SAY.match(words) or _AGE_HEADER.match(words) or _SERVICE_HEADER.match(words) or _BIRTH_HEADER.match(words)
        ):
            continue  # (the cells are read only for a header that asks: issue 17's wide sheets stay linear)
        if _ID_IF_VALUES_SAY.match(words):
            # (years down the rows are still value columns here: they are periods all the same)
            periods = period_label_cols + [v for v in value_cols if v != c and _column_is_years(grid, body, v)]
            if _looks_like_ids(grid, body, c, periods):
                value_cols.remove(c)
                rejected.append(f"column {_col(c)}: headed {words!r} and holding distinct id-like numbers: an identifier, not a count")
            continue
        numbers = _whole_numbers(grid, body, c)
        if not numbers:
            continue
        if (_AGE_HEADER.match(words) and all(0 <= n <= 120 for n in numbers)) or (
            _SERVICE_HEADER.match(words) and all(0 <= n <= 70 for n in numbers)
        ):
            value_cols.remove(c)
            label_cols.append(c)
            rejected.append(f"column {_col(c)}: headed {words!r}, describing each person or case: a dimension, not a count")
        elif _BIRTH_HEADER.match(words) and all(1880 <= n <= 2030 for n in numbers):
            value_cols.remove(c)
            rejected.append(f"column {_col(c)}: headed {words!r}, a year of birth: neither a count nor the period")
    for c in list(label_cols):
        words = _own_header(grid, header_rows, c)
        if words and _BIRTH_HEADER.match(words):
            label_cols.remove(c)
            if c in period_label_cols:
                period_label_cols.remove(c)
            rejected.append(f"column {_col(c)}: headed {words!r}, a date of birth: neither a label nor the period")


def _only_symbols(grid: SheetGrid, table: Table) -> bool:
    for r in sample(table.body_rows):
        for c in table.value_cols:
            v = parse_value(grid.raw(r, c))
            if v is not None and v.value is not None:
                return False
    return True


def _columns(grid: SheetGrid, body: list[int]) -> tuple[list[int], list[int], list[int], list[str]]:
    body = sample(body)
    value_cols: list[int] = []
    text_cols: list[int] = []
    flag_cols: list[int] = []
    rejected: list[str] = []
    for c in range(grid.width):
        values = texts = flags = 0
        for r in body:
            v = grid.raw(r, c)
            if v is None:
                continue
            if isinstance(v, str) and _FLAG_TEXT.match(v) and v.strip() not in ("*",):
                flags += 1
            elif is_value_cell(v):
                values += 1
            else:
                texts += 1
        if values == 0 and texts == 0 and flags == 0:
            continue
        if flags and not values and not texts:
            flag_cols.append(c)
        elif values >= max(1, texts):
            value_cols.append(c)
        else:
            text_cols.append(c)
            if values:
                rejected.append(f"column {_col(c)}: mostly text ({texts} text, {values} numbers), read as labels")
    first_value = min(value_cols) if value_cols else grid.width
    label_cols = [c for c in text_cols if c < first_value]
    trailing_text = [c for c in text_cols if c > first_value]
    for c in trailing_text:
        # Text columns among the numbers: labels too (a long layout's category column) unless
        # they sit right of every value column, where they are notes.
        if c < max(value_cols):
            label_cols.append(c)
        else:
            rejected.append(f"column {_col(c)}: text to the right of the numbers, read as notes")
    return value_cols, sorted(label_cols), flag_cols, rejected


def _column_is_years(grid: SheetGrid, body: list[int], c: int, allow_symbols: bool = False) -> bool:
    """Every cell a year. Without a header saying so, the years must also run in order or
    not repeat (a column of counts that happen to look like years does neither);
    under a "Year" header, repeats are fine (one row per force per year)."""
    cells = [grid.raw(r, c) for r in sample(body) if grid.raw(r, c) is not None]
    if allow_symbols:
        cells = [v for v in cells if not (isinstance(v, str) and (parse_value(v) is None or parse_value(v).value is None))]
    years = [as_year(v) for v in cells]
    if len(cells) < 1 or any(y is None for y in years):
        return False
    if allow_symbols:
        return True
    return len(set(years)) == len(years) or years == sorted(years)


def _period_label_cols(grid: SheetGrid, body: list[int], label_cols: list[int], header_rows: list[int]) -> list[int]:
    out = []
    for c in label_cols:
        cells = [grid.raw(r, c) for r in sample(body) if grid.raw(r, c) is not None]
        if cells and sum(1 for v in cells if is_period_cell(v)) >= max(1, len(cells) * 0.6):
            out.append(c)
    return out


def _header_rows(
    grid: SheetGrid, first_data: int, value_cols: list[int], kinds: list[str], previous_end: int
) -> tuple[list[int], list[int], list[str]]:
    """Rows above the data that label the value columns; the text rows above them are titles.

    Also returns why the nearest rejected candidate was not taken, for `inspect`.
    """
    headers: list[int] = []
    rejected: list[str] = []
    r = first_data - 1
    blanks = 0
    vset = set(value_cols)
    while r > previous_end and len(headers) < 5:
        kind = kinds[r]
        if kind == "blank":
            blanks += 1
            if blanks > 1 or not headers:
                if not headers:
                    r -= 1
                    if blanks > 2:
                        break
                    continue
                break
            r -= 1
            continue
        cells = grid.row_cells(r)
        covers = [c for c, _ in cells if c in vset] or [
            c for c in vset if grid.merged_value(r, c) is not None and grid.is_merged_child(r, c)
        ]
        if kind in ("label", "text") and _is_reference_row(grid, r):
            rejected.append(f"row {r + 1}: a reference or identifier, read as a title, not a header")
            break
        if kind == "periods" or (covers and kind in ("label", "text", "data")):
            if kind == "text" and headers and len(cells) == 1 and cells[0][0] == 0:
                rejected.append(f"row {r + 1}: one text cell in column A above the header, read as a title")
                break
            if kind == "data":
                rejected.append(f"row {r + 1}: holds numbers, so it belongs to a table above, not this header")
                break
            headers.insert(0, r)
            blanks = 0
            r -= 1
            continue
        if not covers and len(cells) >= 2 and not headers:
            # "Area Code | Area Name" style header over label columns only.
            headers.insert(0, r)
            r -= 1
            continue
        rejected.append(
            f"row {r + 1}: nothing above the value columns ({', '.join(_col(c) for c in value_cols[:4])}…), read as a title"
        )
        break
    titles = [t for t in range(previous_end + 1, (headers[0] if headers else first_data)) if kinds[t] != "blank"]
    return headers, titles, rejected


def _mark_totals_and_derived(grid: SheetGrid, table: Table) -> None:
    for c in table.value_cols:
        text = " ".join(str(x) for x in header_pieces(grid, table, c)).strip()
        if not text:
            if table.header_rows and len(table.value_cols) > 1 and _zeros_only(grid, table, c):
                table.spacer_cols.append(c)
            continue
        pieces = header_pieces(grid, table, c)
        last = str(pieces[-1]).strip() if pieces else ""
        if (_TOTAL_START.match(text) and not _looks_like_measure_total(text)) or (
            len(pieces) > 1 and _TOTAL_START.match(last) and not _looks_like_measure_total(last)
        ):
            # "Total", or a spanning label above it ("Year of Test Pass" / "Grand Total").
            table.total_cols.append(c)
        elif (why := _ranks_or_moves(pieces, text)) is not None:
            table.derived_cols.append(c)
            table.rejected.append(f"column {_col(c)}: headed {text!r}, {why}: skipped as a derived column")
        elif _DERIVED_HEADER.search(text) and not _RATE_HEADER.search(text):
            if is_period_cell(text) and "change" not in text.lower():
                continue
            table.derived_cols.append(c)
        elif _AVERAGE_HEADER.search(text) and not _STATED_UNIT.search(text) and not _percent_cells(grid, table, c):
            table.derived_cols.append(c)
            table.rejected.append(
                f"column {_col(c)}: headed {text!r}, an average or a rate with no base stated, not a count: skipped as a derived column"
            )
    seen: dict[tuple[Any, ...], bool] = {}
    cols = table.label_cols
    plain = not grid.has_merges
    for r in table.body_rows:
        if plain:
            row = grid.rows[r]
            labels = tuple(row[c] if c < len(row) else None for c in cols)
        else:
            labels = tuple(grid.merged_value(r, c) for c in cols)
        is_total = seen.get(labels)
        if is_total is None:
            is_total = seen[labels] = _is_total_row_label(labels)
        if is_total:
            table.total_rows.append(r)


def _is_total_row_label(labels: tuple[Any, ...]) -> bool:
    """A body row whose labels say it sums other rows: they start as a total does ("Total",
    "Grand total", "Sub-total North"; the labels read together, so "Grand | Total" is one),
    or one of them ends as one ("North sub-total", "Kent | Blackmail total"). Such a row is
    marked a total so that nothing adds it to its own parts again."""
    label = " ".join(str(v) for v in labels if v is not None).strip()
    if not label:
        return False
    if _starts_as_total(label):
        return True
    return any(isinstance(v, str) and _ends_as_total(v) for v in labels)


# The same few labels fill a long table's rows: each is read against the patterns once.
@lru_cache(maxsize=65536)
def _starts_as_total(label: str) -> bool:
    return _TOTAL_START.match(label) is not None


@lru_cache(maxsize=65536)
def _ends_as_total(label: str) -> bool:
    return _TOTAL_END.match(label) is not None


def _ranks_or_moves(pieces: list[Any], text: str) -> str | None:
    """Why a column headed so holds no counts (a rank, a variance, a +/-), or None.

    The column's own (lowest) header says it, or a spanning header does over a period
    ("Rank" over "2022 | 2023" ranks both years). A spanning header over words is a group
    of counts: "Rank" over "Constable | Sergeant" counts officers, "Movement" over
    "Joiners | Leavers" counts people. A variance or "+/-" over anything ("+/-" over
    "Number | %") is differences all the same."""
    own = pieces[-1] if pieces else text
    spoken = [p for p in pieces if isinstance(p, str)]
    ranked = [own] if isinstance(own, str) and not is_period_cell(own) else spoken
    if any(_RANK_HEADER.match(w) for w in ranked):
        return "a rank or position (where a force stands, not how many)"
    if any(_SIGNED_HEADER.search(w) for w in [*spoken, text]):
        return "a variance or +/- (a difference between counts, not a count)"
    return None


def _percent_cells(grid: SheetGrid, table: Table, c: int) -> bool:
    """Every number in the column is written with "%": tidy.py gives it the unit "%",
    so a "Detection rate" of "23%" comes in as the percentage it is, never as a count."""
    seen = False
    for r in sample(table.body_rows):
        v = parse_value(grid.raw(r, c))
        if v is None or v.value is None:
            continue
        if v.note != "%":
            return False
        seen = True
    return seen


def _zeros_only(grid: SheetGrid, table: Table, c: int) -> bool:
    for r in sample(table.body_rows):
        v = parse_value(grid.raw(r, c))
        if v is not None and v.value not in (None, 0):
            return False
    return True


def _looks_like_measure_total(text: str) -> bool:
    """"Total recorded crime" is a measure; "Total" and "Total (2020-23)" are sums."""
    rest = _TOTAL_START.sub("", text, count=1).strip(" :-–()")
    if not rest:
        return False
    return period_of(rest) is None and not re.match(r"^\d", rest)


def _orientation(grid: SheetGrid, table: Table) -> str:
    if table.period_label_cols:
        return "long"
    for c in table.value_cols:
        for piece in header_pieces(grid, table, c):
            if is_period_cell(piece) if not isinstance(piece, str) else period_of(piece) is not None:
                return "wide"
    if any(_month_and_year(header_pieces(grid, table, c)) for c in table.value_cols[:3]):
        return "wide"
    return "crosstab"


def _month_and_year(pieces: list[Any]) -> bool:
    from foistats.model.periods import PeriodError, month_from_name

    has_month = has_year = False
    for p in pieces:
        if is_year_number(p) or (isinstance(p, str) and re.fullmatch(r"\s*(19|20)\d\d\s*", p)):
            has_year = True
        elif isinstance(p, str):
            try:
                month_from_name(p.strip())
                has_month = True
            except (PeriodError, ValueError):
                pass
    return has_month and has_year


def header_pieces(grid: SheetGrid, table: Table, c: int) -> list[Any]:
    """The header texts above column c, top to bottom, with merges and spanning labels filled."""
    pieces: list[Any] = []
    for i, h in enumerate(table.header_rows):
        v = grid.merged_value(h, c)
        if v is None and i < len(table.header_rows) - 1:
            # A spanning label written once ("2020" over Jun..Dec, "As at:" over three dates).
            for left in range(c - 1, -1, -1):
                lv = grid.raw(h, left)
                if lv is not None:
                    if left in table.value_cols or left in table.flag_cols or left > max(table.label_cols, default=-1):
                        v = lv
                    break
                if left in table.label_cols:
                    break
        if v is not None and not (isinstance(v, str) and not v.strip()):
            if not pieces or pieces[-1] != v:
                pieces.append(v)
    return pieces


def label_pieces(grid: SheetGrid, table: Table, r: int) -> list[tuple[int, Any]]:
    """The row labels of row r, per label column, with vertical merges and period fill-down."""
    out: list[tuple[int, Any]] = []
    for c in table.label_cols:
        v = grid.merged_value(r, c)
        if v is None and c in table.period_label_cols:
            # A year written once above its months: fill down within the table.
            for up in range(r - 1, table.body_rows[0] - 1, -1):
                uv = grid.raw(up, c)
                if uv is not None:
                    v = uv
                    break
        if v is not None and not (isinstance(v, str) and not v.strip()):
            out.append((c, v))
    return out


def _table_from_recipe(grid: SheetGrid, o: dict[str, Any]) -> Table:
    """A table laid down by a recipe: 1-based rows, letter columns, as a user reads the sheet."""
    header_rows = [int(x) - 1 for x in o.get("header_rows", [])]
    if o.get("data_rows"):
        a, _, b = str(o["data_rows"]).partition(":")
        start = int(a) - 1
        end = int(b) - 1 if b else grid.height - 1
    else:
        start = max(header_rows) + 1
        end = grid.height - 1
    body = [r for r in range(start, min(end, grid.height - 1) + 1) if grid.row_cells(r)]
    value_cols, label_cols, flag_cols, rejected = _columns(grid, body)
    if o.get("label_columns"):
        label_cols = [col_index(x) for x in o["label_columns"]]
    if o.get("value_columns"):
        value_cols = [col_index(x) for x in o["value_columns"]]
    table = Table(
        title_rows=[r for r in range(0, min(header_rows or [start])) if grid.row_cells(r)],
        header_rows=header_rows,
        body_rows=body,
        label_cols=label_cols,
        value_cols=value_cols,
        flag_cols=flag_cols,
        rejected=rejected + ["layout set by recipe"],
    )
    table.period_label_cols = _period_label_cols(grid, body, label_cols, header_rows)
    _mark_totals_and_derived(grid, table)
    table.orientation = o.get("orientation") or _orientation(grid, table)
    return table


def _col(c: int) -> str:
    return col_letter(c)


def sheet_texts(grid: SheetGrid) -> list[str]:
    """Every text cell, for refusal detection and keys."""
    out = []
    for row in grid.rows:
        for v in row:
            if isinstance(v, str) and v.strip():
                out.append(v.strip())
    return out
