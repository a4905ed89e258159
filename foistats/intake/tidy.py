"""Turn a detected table into tidy rows, each with the file, sheet and cell it came from.

Every value cell gets a row key (label columns) and a column key (header rows).
Each piece of those keys is classified: a GSS code, a force or other area (via the
registry), a period (via periods.py), a unit word, or part of the measure's name.
What a table does not say itself (usually the force, sometimes the period) comes from
context: the command line, a recipe, a title cell, the sheet name or the file name;
the report records which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foistats.intake.detect import (
    SheetGrid,
    Table,
    detect_tables,
    header_pieces,
    is_year_number,
    label_pieces,
    period_of,
)
from foistats.intake.grid import Workbook, cell_ref, col_letter, normalise_grid
from foistats.intake.read import read_workbook
from foistats.intake.report import FileReport, ImportOptions, SheetReport
from foistats.model import schema
from foistats.model.errors import InputError
from foistats.model.forces import Area, Match, registry, strip_footnotes
from foistats.model.schema import TidyRow
from foistats.model.values import key_from_notes, parse_value

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

_GSS = re.compile(r"^[EWSNK]\d{8}$")
_UNIT_WORDS = {
    "numbers", "number", "count", "counts", "no.", "no", "n", "value", "values", "total number", "frequency",
    "as at:", "as at", "financial year", "year", "years", "period", "month", "months", "calendar year",
    "date", "fy", "quarter", "number of", "figures", "figure", "data", "volume",
}
_REFUSAL = [
    (re.compile(r"section\s*12|s\.?\s*12\b|appropriate\s+limit|cost\s+limit|exceed\w*\s+the\s+(?:cost|appropriate)", re.I), "section 12 (cost limit)"),
    (re.compile(r"section\s*40|s\.?\s*40\b|personal\s+(?:data|information)", re.I), "section 40 (personal data)"),
    (re.compile(r"section\s*14|vexatious", re.I), "section 14 (vexatious/repeated)"),
    (re.compile(r"section\s*31|s\.?\s*31\b|law\s+enforcement", re.I), "section 31 (law enforcement)"),
    (re.compile(r"neither\s+confirm\s+nor\s+deny|\bNCND\b", re.I), "neither confirm nor deny"),
    (re.compile(r"section\s*21|reasonably\s+accessible", re.I), "section 21 (accessible by other means)"),
    (re.compile(r"section\s*22|intended\s+for\s+future\s+publication", re.I), "section 22 (future publication)"),
]
_REFUSE_WORDS = re.compile(r"refus|exempt|unable to (?:provide|comply)|not (?:be )?(?:able|obliged) to|will not be", re.I)
_NOT_HELD = re.compile(
    r"no (?:information|records?|data) (?:is |are )?held|does not hold|do not hold|holds no|nil return|information (?:is )?not held",
    re.I,
)
_TITLE_PREFIX = re.compile(r"^\s*(?:table|figure|chart)\s*[\w.]*\s*[:.\-–]\s*", re.I)
_FOOTNOTE_IN_WORD = re.compile(r"(?<=[A-Za-z)])\d{1,2}(?:,\s?\d{1,2})*(?=\)|$|\s)")
# Titles and file names full of reference numbers ("FOI 2024-0123", "IM-FOI-2024-0034")
# are never searched for a period: a reference is not a year.
_REFERENCE_TEXT = re.compile(r"freedom\s+of\s+information|\bfoi\b|\brequest\b|\bref(?:erence)?\b|disclosure|\breply\b|\bresponse\b|\bour\s+ref", re.I)
_FINANCIAL_CONTEXT = re.compile(r"financial\s+year|april\s*(?:to|-|–)\s*march|apr\w*\s*(?:to|-|–)\s*mar", re.I)


@dataclass
class Context:
    """What the file as a whole says (or the user said) about force, period and measure."""

    path: Path
    display: str
    force: Match | None = None
    force_source: str | None = None
    period: Any = None  # periods.Period
    period_source: str | None = None
    measure: str | None = None
    warnings: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    year_starts: set[int] = field(default_factory=set)  # start months of years written out in full


@dataclass
class _Parts:
    area: Match | None = None
    area_col: int | None = None
    code: str | None = None
    period: Any = None
    period_text: str | None = None
    measure: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # "Count", "Number": a measure's name of last resort


def import_file(path: Path, options: ImportOptions) -> "tuple[pl.DataFrame, FileReport]":
    """Read, detect and tidy one file into a tidy frame. Raises InputError when it cannot be read at all."""
    from foistats.intake import records

    if path.suffix.lower() in (".csv", ".tsv", ".txt") and records.is_record_level(path):
        record_rows, record_report = records.import_records(path, options)
        return schema.to_frame(record_rows), record_report
    workbook = read_workbook(path)
    from foistats.intake import hidden  # issue 17: hidden sheets/rows/columns withheld unless --include-hidden

    held = hidden.withhold(workbook, options.include_hidden)
    recipe = _recipe_for(path, options)
    ctx = _file_context(path, workbook, options, recipe)
    if workbook.decimal_comma:
        ctx.warnings.append("decimal commas read as decimal points (1,5 = 1.5): a semicolon-separated file")
    rows: list[TidyRow] = []
    frames: list[pl.DataFrame] = []
    report = FileReport(path=ctx.display, status="imported")
    sheets = workbook.sheets
    wanted_sheet = recipe.get("sheet") or options.sheet
    if wanted_sheet:
        sheets = [s for s in sheets if s.name == wanted_sheet]
        if not sheets:
            raise InputError(f"no sheet named {wanted_sheet!r}", path=path, hint=f"sheets: {', '.join(str(s.name) for s in workbook.sheets)}")
    texts_without_tables: list[tuple[str | None, list[str]]] = []
    for sheet in sheets:
        sheet_ctx = _sheet_context(ctx, sheet, len(sheets) > 1)
        grid = SheetGrid(normalise_grid(sheet.rows), sheet.merged, sheet.name)
        sheet_report = SheetReport(sheet=sheet.name, status="imported")
        report.sheets.append(sheet_report)
        if grid.height == 0 or grid.width == 0:
            sheet_report.status = "empty"
            sheet_report.message = "empty sheet"
            continue
        uncached = [(ref, reason) for name, ref, reason in workbook.unreadable_cells if name == sheet.name]
        for ref, reason in uncached:
            # Never a silent 0: each formula without a saved result is a reasoned skip.
            sheet_report.cells_in_region += 1
            sheet_report.skipped.append({"cell": ref, "text": "", "reason": reason})
        uncached = [u for u in uncached if u[1].startswith("formula")]  # issue 17: other reasons are skips only
        if uncached:
            sheet_report.warnings.append(
                f"{len(uncached)} formula cell(s) have no saved value ({uncached[0][0]}…): "
                "open the file in Excel or LibreOffice, save it, and import again"
            )
        tables = detect_tables(grid, recipe)
        if not tables:
            from foistats.intake.detect import sheet_texts

            texts = sheet_texts(grid)
            sheet_report.status = "not_a_table"
            sheet_report.message = "no numbers found: not a table" + (" (text only)" if texts else "")
            texts_without_tables.append((sheet.name, texts))
            continue
        for table in tables:
            table_rows = _tidy_table(grid, table, sheet.name, sheet_ctx, sheet_report, options)
            if isinstance(table_rows, list):
                rows.extend(table_rows)
            else:
                frames.append(table_rows)

    if not rows and not frames:
        refusal = _refusal_rows(texts_without_tables, ctx, options)
        if refusal:
            rows.extend(refusal)
            for s in report.sheets:
                if s.status == "not_a_table":
                    s.status = "refusal" if refusal[0].status == schema.REFUSED else "no_data"
                    s.message = refusal[0].note
                    s.force = refusal[0].force or None
                    s.force_source = ctx.force_source
                    s.rows_imported = len(refusal)
                    break
            report.status = refusal[0].status
        elif all(s.status in ("empty", "not_a_table") for s in report.sheets):
            report.status = "not_a_table"
    for s in report.sheets:
        s.warnings[:0] = [w for w in ctx.warnings if w not in s.warnings] if s.rows_imported else []
        s.guesses[:0] = [g for g in ctx.guesses if g not in s.guesses] if s.rows_imported else []
    hidden.annotate(report, held)  # issue 17
    frame = schema.to_frame(rows)
    if frames:
        import polars as pl

        frame = pl.concat([frame, *frames], how="vertical") if rows else pl.concat(frames, how="vertical")
    return _name_single_measure(frame, ctx.measure, report), report


# ------------------------------------------------------------------ context


def _recipe_for(path: Path, options: ImportOptions) -> dict[str, Any]:
    for key in (str(path), path.name):
        if key in options.recipes:
            return dict(options.recipes[key])
    return dict(options.recipe)


def _file_context(path: Path, workbook: Workbook, options: ImportOptions, recipe: dict[str, Any]) -> Context:
    from foistats.model.periods import PeriodError, find_period_in_text, parse_period

    ctx = Context(path=path, display=str(path))
    force_text = recipe.get("force") or options.force
    if force_text:
        match = registry().resolve(str(force_text))
        if match is None:
            from foistats.model.forces import resolve_force_option

            resolve_force_option(str(force_text))  # raises with a "did you mean"
        ctx.force = match
        ctx.force_source = "recipe" if recipe.get("force") else "--force"
    period_text = recipe.get("period") or options.period
    if period_text:
        try:
            ctx.period = parse_period(str(period_text))
        except PeriodError as exc:
            raise InputError(f"cannot understand the period {period_text!r}: {exc}", path=path) from None
        ctx.period_source = "recipe" if recipe.get("period") else "--period"
    ctx.measure = recipe.get("measure") or options.measure
    # Titles: the text rows at the top of each sheet (before any number).
    if ctx.force is None:
        for sheet in workbook.sheets:
            for r, text in _top_texts(sheet.rows):
                match = registry().find_in_text(text)
                if match is not None:
                    ctx.force = match
                    where = f"title cell {cell_ref(r[0], r[1])}"
                    ctx.force_source = f"{where} of sheet {sheet.name!r}" if sheet.name else where
                    break
            if ctx.force is not None:
                break
    if ctx.force is None:
        for sheet in workbook.sheets:
            if sheet.name:
                match = registry().find_in_text(sheet.name)
                if match is not None:
                    ctx.force, ctx.force_source = match, f"sheet name {sheet.name!r}"
                    break
    if ctx.force is None:
        match = registry().find_in_text(path.stem)
        if match is not None:
            ctx.force, ctx.force_source = match, "file name"
    if ctx.force is None:
        for sheet in workbook.sheets:
            for r, text in _top_texts(sheet.rows):
                match = registry().find_area_in_text(text)
                if match is not None:
                    ctx.force, ctx.force_source = match, f"title cell {cell_ref(r[0], r[1])}"
                    break
            if ctx.force is not None:
                break
    if ctx.period is None:
        for sheet in workbook.sheets:
            for r, text in _top_texts(sheet.rows):
                if _REFERENCE_TEXT.search(text):
                    continue
                found = find_period_in_text(text)
                if found is not None:
                    ctx.period, ctx.period_source = found, f"title cell {cell_ref(r[0], r[1])}"
                    break
            if ctx.period is not None:
                break
    if ctx.period is None:
        for sheet in workbook.sheets:
            if sheet.name and not _REFERENCE_TEXT.search(sheet.name):
                found = find_period_in_text(sheet.name)
                if found is not None:
                    ctx.period, ctx.period_source = found, f"sheet name {sheet.name!r}"
                    break
    if ctx.period is None and not _REFERENCE_TEXT.search(path.stem.replace("_", " ").replace("-", " ")):
        found = find_period_in_text(path.stem)
        if found is not None:
            ctx.period, ctx.period_source = found, "file name"
    return ctx


def _sheet_context(ctx: Context, sheet: Any, several: bool) -> Context:
    """In a workbook with one sheet per year (or per force), a sheet's own title or name wins
    over what the first sheet said, unless the user or a recipe fixed it."""
    if not several:
        return ctx
    from dataclasses import replace

    from foistats.model.periods import find_period_in_text

    local = replace(ctx)
    if ctx.period_source not in ("--period", "recipe"):
        for (r, c), text in _top_texts(sheet.rows):
            if _REFERENCE_TEXT.search(text):
                continue
            found = find_period_in_text(text)
            if found is not None:
                local.period, local.period_source = found, f"title cell {cell_ref(r, c)}"
                break
        else:
            found = find_period_in_text(sheet.name or "") if sheet.name else None
            if found is not None:
                local.period, local.period_source = found, f"sheet name {sheet.name!r}"
    if ctx.force_source not in ("--force", "recipe"):
        for (r, c), text in _top_texts(sheet.rows):
            match = registry().find_in_text(text)
            if match is not None:
                local.force, local.force_source = match, f"title cell {cell_ref(r, c)} of sheet {sheet.name!r}"
                break
        else:
            # One sheet per force: the sheet's name says whose figures these are.
            match = registry().find_in_text(sheet.name or "")
            if match is not None:
                local.force, local.force_source = match, f"sheet name {sheet.name!r}"
    return local


def _top_texts(rows: list[list[Any]], limit: int = 8) -> list[tuple[tuple[int, int], str]]:
    """Text cells above the first row that holds a number: titles and request wording."""
    out = []
    for r, row in enumerate(rows[:40]):
        if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row):
            break
        for c, v in enumerate(row):
            if isinstance(v, str) and v.strip() and len(v) < 400:
                out.append(((r, c), v.strip()))
        if len(out) >= limit:
            break
    return out


def _title_measure(grid: SheetGrid, table: Table) -> str | None:
    for r in table.title_rows:
        for _, v in grid.row_cells(r):
            if isinstance(v, str) and len(v.strip()) > 3 and not _REFERENCE_TEXT.search(v):
                text = _TITLE_PREFIX.sub("", v.strip())
                text = re.split(r"\s+by\s+|,\s+|\s+for\s+|\s+in\s+(?=\d)", text, maxsplit=1)[0]
                text = _clean_measure(text)
                if text and registry().find_in_text(text) is None and period_of(text) is None:
                    return text
    return None


def _sheet_measure(sheet: str | None) -> str:
    """Last resort for a measure's name: a descriptive sheet name ("Sextortion U18"), else "value"."""
    if sheet and not re.fullmatch(r"(?i)(sheet|table|data|tab|page)\s*\d*|\d+", sheet.strip()):
        if not _REFERENCE_TEXT.search(sheet) and registry().find_in_text(sheet) is None and period_of(sheet) is None:
            return sheet.strip()
    return "value"


def _clean_measure(text: str) -> str:
    text = _FOOTNOTE_IN_WORD.sub("", str(text)).strip()
    return re.sub(r"\s+", " ", text).strip(" :")


# ------------------------------------------------------------------ classification


def _classify(pieces: list[tuple[int | None, Any]], split_start: int | None, monthly_dates: bool = False) -> _Parts:
    parts = _Parts()
    for col, piece in pieces:
        if piece is None:
            continue
        if monthly_dates and isinstance(piece, (datetime, date)) and piece.day == 1:
            parts.period = _parse_label(f"{piece.year}-{piece.month:02d}", None)
            parts.period_text = f"{piece.year}-{piece.month:02d}"
            continue
        if not isinstance(piece, str):
            period = _period_value(piece)
            if period is not None:
                parts.period, parts.period_text = period, _label_text(piece)
                if is_year_number(piece):
                    parts.years.append(str(int(piece)))
            continue
        text = piece.strip()
        if not text:
            continue
        kind, payload = _piece(text, split_start)
        if kind == "code":
            parts.code = payload
        elif kind in ("area", "fuzzy_area"):
            if kind == "fuzzy_area" and parts.area is not None:
                continue
            if parts.area is None or _more_specific(payload, parts.area):
                parts.area, parts.area_col = payload, col
        elif kind == "month":
            parts.months.append(text)
        elif kind == "period":
            parts.period, parts.period_text = payload, text
            if re.fullmatch(r"(1[89]|20)\d\d", text):
                parts.years.append(text)
        elif kind == "measure":
            parts.measure.append(payload)
        elif kind == "unit":
            parts.units.append(text)
    if parts.months and parts.years:
        period = _parse_label(f"{parts.months[-1]} {parts.years[-1]}", split_start)
        if period is not None:
            parts.period, parts.period_text = period, f"{parts.months[-1]} {parts.years[-1]}"
    if parts.code:
        # A GSS code beats the name: ONS tables call the region and the force "West Midlands".
        by_code = registry().resolve(parts.area.text if parts.area else parts.code, parts.code)
        if by_code is not None:
            parts.area = by_code
    return parts


@lru_cache(maxsize=65536)
def _piece(text: str, split_start: int | None) -> tuple[str, Any]:
    """What one label means. Cached: long files repeat the same few hundred labels."""
    if _GSS.match(text.upper()):
        return "code", text.upper()
    match = registry().resolve(text, fuzzy=False)
    if match is not None:
        return "area", match
    if _is_month_name(text):
        return "month", None
    period = _parse_label(text, split_start)
    if period is not None:
        return "period", period
    if text.lower().strip(" :") in _UNIT_WORDS or text.lower() in _UNIT_WORDS:
        return "unit", None
    fuzzy = registry().resolve(text) if len(text) > 5 else None
    if fuzzy is not None and fuzzy.area.kind == schema.FORCE:
        return "fuzzy_area", fuzzy
    return "measure", _clean_measure(text)


def _more_specific(new: Match, old: Match) -> bool:
    order = {schema.FORCE: 0, schema.COMBINED: 1, schema.OTHER_BODY: 2, schema.REGION: 3, schema.COUNTRY: 4, schema.NATIONAL: 5}
    return order.get(new.area.kind, 9) < order.get(old.area.kind, 9)


def _is_month_name(text: str) -> bool:
    from foistats.model.periods import PeriodError, month_from_name

    if not re.fullmatch(r"[A-Za-z]{3,9}\.?", text.strip()):
        return False
    try:
        month_from_name(text.strip().rstrip("."))
        return True
    except (PeriodError, ValueError):
        return False


@lru_cache(maxsize=65536)
def _period_value(value: Any) -> Any:
    from foistats.model.periods import PeriodError, parse_period

    try:
        if is_year_number(value):
            return parse_period(str(int(value)))
        return parse_period(value)
    except (PeriodError, ValueError, TypeError, OverflowError):
        return None


@lru_cache(maxsize=65536)
def _parse_label(text: str, split_start: int | None) -> Any:
    """A label as a Period; `split_start` is the month a bare "2020/21" starts in (None: April)."""
    from foistats.model.periods import PeriodError, parse_period

    if len(text) > 80:
        return None
    try:
        return parse_period(text, default_year_start=split_start)
    except (PeriodError, ValueError, TypeError, OverflowError):
        return None


def _label_text(value: Any) -> str:
    if is_year_number(value):
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") or len(text) > 10 and text[10:] == "T00:00:00" else text
    return str(value)


# ------------------------------------------------------------------ the table itself


def _tidy_table(
    grid: SheetGrid, table: Table, sheet: str | None, ctx: Context, report: SheetReport, options: ImportOptions
) -> "list[TidyRow] | pl.DataFrame":
    header_text = " ".join(
        str(v) for r in table.title_rows + table.header_rows for _, v in grid.row_cells(r) if isinstance(v, str)
    )
    note_texts = [str(v) for r in table.note_rows for _, v in grid.row_cells(r) if isinstance(v, str)]
    financial = bool(_FINANCIAL_CONTEXT.search(header_text + " " + " ".join(note_texts)))
    split_start: int | None = 4 if financial else None
    key = key_from_notes(note_texts + [header_text])
    header_dates = [p for c in table.value_cols for p in header_pieces(grid, table, c) if isinstance(p, (datetime, date))]
    from foistats.intake.detect import sample

    label_dates = [v for r in sample(table.body_rows) for _, v in label_pieces(grid, table, r) if isinstance(v, (datetime, date))]
    col_parts = {
        c: _classify([(None, p) for p in header_pieces(grid, table, c)], split_start, _are_months(header_dates))
        for c in table.value_cols
    }
    months_from = _months_run_from(grid, table)
    if not financial and months_from not in (None, 4) and any(
        p.period is not None and _default_split_year(p.period) for p in col_parts.values()
    ):
        # Months listed June to May under "2020/21" columns: those years run June–May.
        split_start = months_from
        col_parts = {
            c: _classify([(None, p) for p in header_pieces(grid, table, c)], split_start, _are_months(header_dates))
            for c in table.value_cols
        }
        labels = sorted({p.period_text for p in col_parts.values() if p.period is not None and p.period_text})
        report.warnings.append(
            f"{', '.join(repr(x) for x in labels[:3])}{'…' if len(labels) > 3 else ''} read as years starting in "
            f"{_month_name(months_from)}, because the months are listed from {_month_name(months_from)}; "
            "set the period in a recipe if that is wrong"
        )
    rows_are_months = _are_months(label_dates)
    # Year-long periods written out in full ("June 2020 - May 2021") tell how a bare
    # "2020-21" elsewhere in the same sheet should probably be read.
    for parts in col_parts.values():
        if parts.period is not None and parts.period.is_year_long and not _default_split_year(parts.period):
            ctx.year_starts.add(parts.period.start.month)
    row_hint = _period_hint(" ".join(str(grid.merged_value(h, c) or "") for h in table.header_rows for c in table.period_label_cols))
    area_cols = _area_columns(grid, table)
    multi_area = bool(area_cols) or any(p.area is not None for p in col_parts.values())
    title_measure = _title_measure(grid, table)
    rows: list[TidyRow] = []
    source = ctx.display
    total_checks: list[tuple[int, int, float]] = []
    report.orientation = report.orientation or table.orientation
    report.header_rows = report.header_rows or [h + 1 for h in table.header_rows]
    span = f"{col_letter(min(table.label_cols + table.value_cols))}{table.body_rows[0] + 1}:{col_letter(max(table.value_cols + table.flag_cols))}{table.body_rows[-1] + 1}"
    report.data_range = span if not report.data_range else f"{report.data_range}, {span}"
    from foistats.intake.bulk import can_bulk, tidy_bulk

    if can_bulk(table):
        row_memo: dict[tuple[Any, ...], _Parts] = {}

        def describe(pieces: tuple[Any, ...], c: int) -> tuple[str, str | None, str, str, Any, str | None, Any]:
            parts = row_memo.get(pieces)
            if parts is None:
                parts = row_memo[pieces] = _row_parts(list(pieces), split_start, rows_are_months, row_hint, area_cols)
            return _describe(parts, col_parts[c], ctx, title_measure, sheet, report)

        return tidy_bulk(grid, table, key, describe, report, source, sheet)
    body_values: dict[tuple[int, int], Any] = {}
    no_period: list[str] = []
    row_cache: dict[tuple[Any, ...], _Parts] = {}
    cell_cache: dict[tuple[Any, ...], tuple[str, str | None, str, str, Any, str | None, Any]] = {}
    region_cols = table.value_cols + table.flag_cols
    flag_set, derived_set, total_set = set(table.flag_cols), set(table.derived_cols), set(table.total_cols)
    total_row_set = set(table.total_rows)
    for r in table.body_rows:
        pieces = label_pieces(grid, table, r)
        row_key = tuple(pieces)
        row_parts = row_cache.get(row_key)
        if row_parts is None:
            row_parts = _row_parts(pieces, split_start, rows_are_months, row_hint, area_cols)
            row_cache[row_key] = row_parts
        is_total_row = r in total_row_set and not (multi_area and row_parts.area is not None)
        row = grid.rows[r]
        for c in region_cols:
            raw = row[c] if c < len(row) else None
            if raw is None:
                continue
            report.cells_in_region += 1
            if c in flag_set:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw), "reason": "marker cell (e.g. R = revised) applied to the number on its left"})
                continue
            if c in derived_set:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw), "reason": "derived column (a change or percentage): recompute it with foistats rise"})
                continue
            value = parse_value(raw, key)
            if value is None:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw)[:60], "reason": "text in a value column"})
                continue
            if c in total_set:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw), "reason": "total column (sum of the other columns)"})
                if value.value is not None:
                    total_checks.append((r, c, value.value))
                continue
            if is_total_row:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw), "reason": "total row (sum of the rows above)"})
                if value.value is not None:
                    total_checks.append((r, c, value.value))
                continue
            ref = cell_ref(r, c)
            body_values[(r, c)] = value.value if value.status == schema.OK else None
            status = value.status
            if (c + 1) in flag_set:
                flag = row[c + 1] if c + 1 < len(row) else None
                if isinstance(flag, str) and flag.strip().strip("[]").lower() == "r" and status == schema.OK:
                    status = schema.REVISED
            described = cell_cache.get((row_key, c))
            if described is None:
                described = _describe(row_parts, col_parts[c], ctx, title_measure, sheet, report)
                cell_cache[(row_key, c)] = described
            force_name, code, kind, measure, period, period_label, _ = described
            if period is None:
                no_period.append(ref)
            note = value.note if (value.status != schema.OK or value.note not in (None, "%")) else value.note
            rows.append(
                TidyRow(
                    force_name, code, kind, measure,
                    period.start if period is not None else None,
                    period.end if period is not None else None,
                    period_label or "", value.value, status, value.low, value.high,
                    source, sheet, ref, note or None,
                )
            )
            report.rows_imported += 1
            if force_name and (not report.areas or report.areas[-1] != force_name) and force_name not in report.areas:
                report.areas.append(force_name)
            if report.force is None and force_name:
                report.force = force_name
                report.force_source = "table" if not (described[6] is ctx.force) else ctx.force_source
            if report.measure is None:
                report.measure = measure
    if no_period:
        report.warnings.append(
            f"no period found for {len(no_period)} number(s) ({no_period[0]}{'…' + no_period[-1] if len(no_period) > 1 else ''}): "
            "nothing in the table, title or file name says when; pass --period or set it in a recipe"
        )
    periodic = [c for c in table.value_cols if c not in table.total_cols and c not in table.derived_cols]
    if not all(col_parts[c].period is not None or col_parts[c].months for c in periodic):
        periodic = []
    _check_totals(grid, table, body_values, total_checks, report, periodic, multi_area)
    return rows


_ENDING_HEADER = re.compile(r"(?:12|twelve)\s+months?\s+(?:ending|to)|year\s+(?:ending|to)|rolling\s+year", re.I)
_AS_AT_HEADER = re.compile(r"as\s+at\s+(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)", re.I)


def _period_hint(header: str) -> Any:
    """A period column's header can change what its labels mean.

    "12 months ending" over 31-03-2003 means Apr 2002–Mar 2003, not one day;
    "As at 31 March..." over 2003 means the snapshot on 31 March 2003, not the year.
    """
    if _ENDING_HEADER.search(header):
        from foistats.model.periods import year_ending

        def ending(period: Any) -> Any:
            return year_ending(period.end) if period.start == period.end else period

        return ending
    m = _AS_AT_HEADER.search(header)
    if m:
        from foistats.model.periods import PeriodError, month_from_name

        try:
            month = month_from_name(m.group(2))
        except (PeriodError, ValueError):
            return None
        day = int(m.group(1))

        def as_at(period: Any) -> Any:
            if period.granularity == "year" and period.start.month == 1:
                snap = _parse_label(f"{day:02d}/{month:02d}/{period.start.year}", None)
                return snap if snap is not None else period
            return period

        return as_at
    return None


def _are_months(dates: list[Any]) -> bool:
    """Date cells that are all the 1st of different months are months (formatted 'mmm-yy'),
    not snapshots: a count "as at 1 June" makes no sense, a count for June does."""
    if len(dates) < 2 or any(d.day != 1 for d in dates):
        return False
    return len({(d.year, d.month) for d in dates}) >= 2


def _row_parts(pieces: list[tuple[int, Any]], split_start: int | None, months: bool, hint: Any, area_cols: list[int]) -> _Parts:
    """What a row's labels say (area, period, measure parts); computed once per distinct row key."""
    parts = _classify(pieces, split_start, months)
    if hint is not None and parts.period is not None:
        parts.period = hint(parts.period)
    area_texts = [(c, v) for c, v in pieces if c in area_cols and isinstance(v, str) and v.strip()]
    if not area_texts:
        return parts
    # A name in the area column is never part of the measure, even when it is not in the
    # registry ("City of London / Metropolitan Police" beside the London code).
    names = {_clean_measure(v) for _, v in area_texts}
    parts.measure = [m for m in parts.measure if m not in names]
    if parts.area is None:
        c, v = area_texts[0]
        special = registry().resolve_special(v)
        if special is None:
            label, marker = strip_footnotes(v)
            unknown = Area(name=label, code=parts.code, kind=schema.OTHER, territorial=False, country="", aliases=())
            special = Match(unknown, "unknown", v, marker)
        parts.area, parts.area_col = special, c
    return parts


def _describe(
    row: _Parts, col: _Parts, ctx: Context, title_measure: str | None, sheet: str | None, report: SheetReport
) -> tuple[str, str | None, str, str, Any, str | None, Any]:
    """(force, code, area kind, measure, period, period label, area) of a cell, from its row and column keys."""
    area, _ = _pick_area(row, col, ctx)
    period, period_label = _pick_period(row, col, ctx)
    if period is not None and (period.ambiguous or _default_split_year(period)):
        _flag_period(period, period_label, ctx.year_starts, report)
    measure = (
        " — ".join(dict.fromkeys(m for m in col.measure + row.measure if m))
        or title_measure
        or ctx.measure
        or (col.units[-1] if col.units and not col.units[-1].lower().startswith(("as at", "year", "period", "month", "date")) else None)
        or _sheet_measure(sheet)
    )
    if area is None:
        return "", None, schema.OTHER, measure, period, period_label, area
    if area.method == "unknown":
        warning = f"{area.text!r} is not a known force or area; kept under that name (area_kind other)"
        if warning not in report.warnings:
            report.warnings.append(warning)
    if area.is_guess:
        guess = f"{area.text!r} read as {area.area.name} (closest name; check it)"
        if guess not in report.guesses:
            report.guesses.append(guess)
    return area.area.name, area.area.code or row.code, area.area.kind, measure, period, period_label, area


def _months_run_from(grid: SheetGrid, table: Table) -> int | None:
    """The first month named down the label columns ("June" in a June–May list), if any."""
    from foistats.model.periods import PeriodError, month_from_name

    for r in table.body_rows[:3]:
        for _, v in label_pieces(grid, table, r):
            if isinstance(v, str) and _is_month_name(v.strip()):
                try:
                    return month_from_name(v.strip().rstrip("."))
                except (PeriodError, ValueError):
                    return None
    return None


def _default_split_year(period: Any) -> bool:
    return bool(period.note and "bare split year" in period.note)


def _flag_period(period: Any, label: str | None, year_starts: set[int], report: SheetReport) -> None:
    """Never a silent guess: an ambiguous label, or a bare "2020-21" read as April–March in a
    sheet whose other years start in another month, is a warning the user sees (and --strict
    fails on)."""
    from foistats.model.periods import long_label

    if period.ambiguous:
        warning = f"period label {label!r} is ambiguous ({period.note}); read as {long_label(period)}"
    else:
        if not year_starts or year_starts <= {4}:
            return
        months = ", ".join(sorted({_month_name(m) for m in year_starts if m != 4}))
        warning = (
            f"period label {label!r} read as the financial year {long_label(period)}, but this sheet's "
            f"other years start in {months}: check it, or set the period in a recipe"
        )
    if warning not in report.warnings:
        report.warnings.append(warning)


def _month_name(month: int) -> str:
    import calendar

    return calendar.month_name[month]


def _area_columns(grid: SheetGrid, table: Table) -> list[int]:
    from foistats.intake.detect import sample

    cols = []
    for c in table.label_cols:
        if c in table.period_label_cols:
            continue
        cells = [grid.merged_value(r, c) for r in sample(table.body_rows)]
        texts = [v for v in cells if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            hits = sum(1 for t in texts if registry().resolve(t, fuzzy=False) is not None)
            if hits >= max(2, len(texts) * 0.5):
                cols.append(c)
    return cols


def _pick_area(row: _Parts, col: _Parts, ctx: Context) -> tuple[Any, str | None]:
    if row.area is not None:
        return row.area, "table"
    if col.area is not None:
        return col.area, "table"
    if ctx.force is not None:
        return ctx.force, ctx.force_source
    return None, None


def _pick_period(row: _Parts, col: _Parts, ctx: Context) -> tuple[Any, str | None]:
    """The period of one number, from its column header, its row labels, or the file's context.

    Month names are combined with a year written elsewhere ("2020" over "Jun") or with
    the year-long period they sit inside ("Jun 2020 - May 2021" row, "Jan" column).
    """
    months = col.months + row.months
    spans = [(p, t) for p, t in ((col.period, col.period_text), (row.period, row.period_text)) if p is not None]
    if months:
        years = col.years + row.years
        if years and not any(p.months < 12 for p, _ in spans):
            text = f"{months[-1]} {years[-1]}"
            period = _parse_label(text, None)
            if period is not None:
                return period, text
        for p, _ in spans:
            if p.months >= 12:
                inside = _month_inside(p, months[-1])
                if inside is not None:
                    return inside, f"{months[-1]} {inside.start.year}"
    if spans:
        spans.sort(key=lambda pt: (pt[0].end - pt[0].start))
        return spans[0]
    if months and ctx.period is not None and ctx.period.months >= 12:
        inside = _month_inside(ctx.period, months[-1])
        if inside is not None:
            return inside, f"{months[-1]} {inside.start.year}"
    if ctx.period is not None:
        from foistats.model.periods import long_label

        return ctx.period, long_label(ctx.period)
    return None, None


def _month_inside(period: Any, month_text: str) -> Any:
    from foistats.model.periods import PeriodError, month_from_name

    try:
        month = month_from_name(month_text.strip().rstrip("."))
    except (PeriodError, ValueError):
        return None
    year = period.start.year if month >= period.start.month else period.start.year + 1
    found = _parse_label(f"{year}-{month:02d}", None)
    if found is not None and period.start <= found.start <= period.end:
        return found
    return None


def _check_totals(
    grid: SheetGrid,
    table: Table,
    values: dict[tuple[int, int], Any],
    checks: list[tuple[int, int, float]],
    report: SheetReport,
    periodic_cols: list[int],
    multi_area: bool,
) -> None:
    """A printed total that disagrees with the sum of its parts is worth a warning."""
    for r, c, printed in checks:
        if c in table.total_cols:
            # Only a total across period columns is checked: other "Total" columns often
            # sum sub-totals too, and a false alarm teaches users to ignore warnings.
            if len(table.total_cols) != 1 or not periodic_cols:
                continue
            parts = [values.get((r, cc)) for cc in periodic_cols if (r, cc) in values]
        else:
            if multi_area or len(table.total_rows) != 1:
                continue
            parts = [values.get((rr, c)) for rr in table.body_rows if rr not in table.total_rows and (rr, c) in values]
        if not parts or any(p is None for p in parts):
            continue
        total = sum(parts)
        if abs(total - printed) > 1e-6 * max(1.0, abs(printed)):
            report.warnings.append(
                f"printed total {_num(printed)} in {cell_ref(r, c)} disagrees with the sum of its parts ({_num(total)})"
            )


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _refusal_rows(texts: list[tuple[str | None, list[str]]], ctx: Context, options: ImportOptions) -> list[TidyRow]:
    """A sheet with words and no numbers: a refusal or a 'not held' answer is still an answer."""
    joined = " ".join(t for _, ts in texts for t in ts)
    if not joined:
        return []
    status = None
    note = None
    if _NOT_HELD.search(joined):
        status, note = schema.NO_DATA, "no information held"
    for pattern, name in _REFUSAL:
        if pattern.search(joined) and (_REFUSE_WORDS.search(joined) or "section" in joined.lower()):
            status, note = schema.REFUSED, f"refused: {name}"
            break
    if status is None:
        return []
    area = ctx.force
    sheet = texts[0][0] if texts else None
    return [
        TidyRow(
            force=area.area.name if area else "",
            force_code=area.area.code if area else None,
            area_kind=area.area.kind if area else schema.OTHER,
            measure=ctx.measure or "(whole request)",
            period_start=None,
            period_end=None,
            period_label="",
            value=None,
            status=status,
            value_low=None,
            value_high=None,
            source_file=ctx.display,
            source_sheet=sheet,
            source_cell=None,
            note=note,
        )
    ]


def _name_single_measure(frame: "pl.DataFrame", measure: str | None, report: FileReport) -> "pl.DataFrame":
    """A file answering one question gets the campaign's (or --measure's) name for it.

    Forces label the same measure a dozen ways ("Count", "Number of reports"); the
    request is what makes them the same thing. The label as written is kept in `note`.
    """
    import polars as pl

    if not measure or frame.height == 0:
        return frame
    answered = frame.filter(~pl.col("status").is_in([schema.REFUSED, schema.NO_DATA]))
    names = answered.get_column("measure").unique().to_list()
    if len(names) > 1:
        return frame
    original = names[0] if names else None
    if original and original != measure:
        labelled = pl.lit(f"labelled {original!r}")
        frame = frame.with_columns(
            pl.when(pl.col("status").is_in([schema.REFUSED, schema.NO_DATA]))
            .then(pl.col("note"))
            .when(pl.col("note").is_null())
            .then(labelled)
            .otherwise(labelled + pl.lit("; ") + pl.col("note"))
            .alias("note")
        )
    for s in report.sheets:
        if s.measure:
            s.measure = measure
    return frame.with_columns(pl.lit(measure).alias("measure"))
