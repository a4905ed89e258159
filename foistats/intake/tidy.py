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
    header_pieces,
    is_year_number,
    label_pieces,
    period_of,
)
from foistats.intake.grid import Workbook, cell_ref, col_letter, normalise_grid
from foistats.intake.long import sub_area_levels, sub_area_of, tables_of
from foistats.intake.read import read_workbook
from foistats.intake.report import FileReport, ImportOptions, SheetReport
from foistats.model import schema
from foistats.model.errors import InputError
from foistats.model.forces import Area, Match, registry, strip_footnotes
from foistats.model.schema import TidyRow
from foistats.model.values import Value, key_from_notes, parse_value

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

_GSS = re.compile(r"^[EWSNK]\d{8}$")
_UNIT_WORDS = {
    "numbers", "number", "count", "counts", "no.", "no", "n", "value", "values", "total number", "frequency",
    "as at:", "as at", "financial year", "year", "years", "period", "month", "months", "calendar year",
    "date", "fy", "quarter", "number of", "figures", "figure", "data", "volume",
}
# A section's number ends where its digits end ("section 12(1)" is section 12, "section 121"
# is not), and "s12" / "s. 40" starts a word (the "s 12" in "records 12" is no citation).
_REFUSAL = [
    (re.compile(r"section\s*12(?!\d)|\bs\.?\s*12\b|appropriate\s+limit|cost\s+limit|exceed\w*\s+the\s+(?:cost|appropriate)", re.I), "section 12 (cost limit)"),
    (re.compile(r"section\s*40(?!\d)|\bs\.?\s*40\b|personal\s+(?:data|information)", re.I), "section 40 (personal data)"),
    (re.compile(r"section\s*14(?!\d)|vexatious", re.I), "section 14 (vexatious/repeated)"),
    (re.compile(r"section\s*31(?!\d)|\bs\.?\s*31\b|law\s+enforcement", re.I), "section 31 (law enforcement)"),
    (re.compile(r"neither\s+confirm\s+nor\s+deny|\bNCND\b", re.I), "neither confirm nor deny"),
    (re.compile(r"section\s*21(?!\d)|reasonably\s+accessible", re.I), "section 21 (accessible by other means)"),
    (re.compile(r"section\s*22(?!\d)|intended\s+for\s+future\s+publication", re.I), "section 22 (future publication)"),
]
_REFUSE_WORDS = re.compile(r"refus|exempt|unable to (?:provide|comply)|not (?:be )?(?:able|obliged) to|will not be", re.I)
_NOT_HELD = re.compile(
    r"no (?:information|records?|data) (?:is |are )?held|does not hold|do not hold|holds no|nil return|information (?:is )?not held",
    re.I,
)
_NUMBER_TEXT = re.compile(r"^\s*-?[\d,]{1,15}(?:\.\d+)?\s*$")
_TITLE_PREFIX = re.compile(r"^\s*(?:table|figure|chart)\s*[\w.]*\s*[:.\-–]\s*", re.I)
_FOOTNOTE_IN_WORD = re.compile(r"(?<=[A-Za-z)])\d{1,2}(?:,\s?\d{1,2})*+(?=\)|$|\s)")  # possessive: no nested backtracking
# Titles and file names full of reference numbers ("FOI 2024-0123", "IM-FOI-2024-0034")
# are never searched for a period: a reference is not a year.
_REFERENCE_TEXT = re.compile(
    r"freedom\s+of\s+information|\bfoi\b|\bfoir?\d|\bfoi[a-z]?\s*[-/]?\s*\d|\brequest\b|\bref(?:erence)?\b|disclosure|\breply\b|"
    r"\bresponse\b|\bour\s+ref|\battachment\b|\bannex\b|\benclosure\b",
    re.I,
)
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
    force_guess: str | None = None  # why the context force is only a guess (candidates disagree)
    markers: frozenset[str] = frozenset()  # footnote numbers a notes sheet defines
    measure_source: str = "user"  # schema word for ctx.measure: user, recipe or campaign
    period_guess: str | None = None


@lru_cache(maxsize=4096)
def source_kind(where: str | None) -> str | None:
    """The fixed vocabulary (schema.SOURCES) for a context's human description."""
    if not where:
        return None
    w = where.lower()
    if w.startswith("--"):
        return schema.FROM_USER
    for prefix, kind in (
        ("recipe", schema.FROM_RECIPE), ("campaign", schema.FROM_CAMPAIGN), ("title", schema.FROM_TITLE),
        ("sheet name", schema.FROM_SHEET_NAME), ("file name", schema.FROM_FILE_NAME),
        ("letterhead", schema.FROM_LETTERHEAD), ("table", schema.FROM_TABLE), ("records", schema.FROM_RECORDS),
    ):
        if w.startswith(prefix):
            return kind
    return schema.FROM_TABLE


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
    unit: str | None = None  # "count", "%", "per 1,000 population", "thousands", "£m" ...
    guess: str | None = None  # why this key's period or area is only a guess
    quarter: str | None = None  # "Q3" or "3" under a Quarter header: combined with the year
    total: bool = False  # a "Total"/"Grand Total" label
    fuzzy_text: list[str] = field(default_factory=list)  # a label read as a force only by a close spelling
    open_label: str | None = None  # "2024 (to date)": a part period with no end, so the number is left undated


def import_file(path: Path, options: ImportOptions) -> "tuple[pl.DataFrame, FileReport]":
    """Read, detect and tidy one file into a tidy frame. Raises InputError when it cannot be read at all."""
    from foistats.intake import records

    counted = records.import_if_records(path, options)
    if counted is not None:
        return counted
    return import_tables(path, options)


def import_tables(path: Path, options: ImportOptions) -> "tuple[pl.DataFrame, FileReport]":
    """`import_file` for a file that is not a CSV of records: its tables found and tidied."""
    from foistats.intake import columnar

    plan = columnar.plan(path, options)  # a big xlsx: detect on a head sample, read the body columnar
    if plan is not None:
        try:
            return _import_workbook(path, options, plan.workbook, plan)
        except columnar.Fallback as exc:
            columnar.debug(exc)
        finally:
            plan.drop_reads()  # a body read started early and not used ends before anything else reads
    return _import_workbook(path, options, read_workbook(path), None)


def _import_workbook(path: Path, options: ImportOptions, workbook: Workbook, plan: Any) -> "tuple[pl.DataFrame, FileReport]":
    from foistats.intake import columnar, records
    from foistats.intake import hidden  # issue 17: hidden sheets/rows/columns withheld unless --include-hidden

    held = hidden.withhold(workbook, options.include_hidden)
    recipe = recipe_for(path, options)
    if plan is not None and not (recipe.get("sheet") or options.sheet):
        # The long sheet's body starts reading now, while the file's context is worked out.
        columnar.prefetch(plan, workbook.sheets, recipe, options)
    ctx = _file_context(path, workbook, options, recipe)
    if workbook.decimal_comma:
        ctx.warnings.append("decimal commas read as decimal points (1,5 = 1.5): a semicolon-separated file")
    ctx.warnings.extend(workbook.warnings)  # what the reader noticed (an unbalanced quote...)
    rows: list[TidyRow] = []
    frames: list[pl.DataFrame] = []

    def add_frame(frame: "pl.DataFrame") -> None:
        """A table or sheet already a frame: after the rows of those before it, so the
        output keeps sheet order."""
        if rows:
            frames.append(schema.to_frame(rows))
            rows.clear()
        frames.append(frame)

    report = FileReport(path=ctx.display, status="imported")
    sheets = workbook.sheets
    wanted_sheet = recipe.get("sheet") or options.sheet
    if wanted_sheet:
        sheets = [s for s in sheets if s.name == wanted_sheet]
        if not sheets:
            raise InputError(f"no sheet named {wanted_sheet!r}", path=path, hint=f"sheets: {', '.join(str(s.name) for s in workbook.sheets)}")
    texts_without_tables: list[tuple[str | None, list[str]]] = []
    ctx.markers = frozenset(_notes_sheet_markers(workbook))
    neighbours = {"sheet_regions": _sheet_names_are_regions(workbook), "columnar": plan}
    for sheet in sheets:
        counted = records.count_sheet(path, sheet.name, sheet.rows, options) if workbook.kind != "csv" else None
        if counted is not None and plan is not None and sheet.name in plan.sampled:
            raise columnar.Fallback("a sheet of records")
        if counted is not None:  # a sheet of records (one row per incident): counted, not read as a table
            add_frame(counted[0])
            report.sheets.append(counted[1])
            continue
        sheet_ctx = _sheet_context(ctx, sheet, len(sheets) > 1)
        if neighbours["sheet_regions"] and sheet_ctx.force is not None and sheet_ctx.force_source and sheet_ctx.force_source.startswith("sheet name"):
            twin = registry().twin(sheet.name or "")
            if twin is not None:
                sheet_ctx.force = Match(twin, "exact", sheet.name or "")

        early = plan.detected.pop(sheet.name, None) if plan is not None else None
        grid = early[0] if early is not None else SheetGrid(normalise_grid(sheet.rows), sheet.merged, sheet.name)
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
        # long tables refined: dimension columns, a lone Total column (detected on this same
        # grid already when columnar.prefetch started the body's read)
        tables = early[1] if early is not None else tables_of(grid, recipe)
        if not tables:
            from foistats.intake.detect import sheet_texts

            texts = sheet_texts(grid)
            sheet_report.status = "not_a_table"
            sheet_report.message = "no numbers found: not a table" + (" (text only)" if texts else "")
            texts_without_tables.append((sheet.name, texts))
            continue
        block_areas = _block_areas(grid, tables, sheet.name, neighbours, sheet_report)
        for table, block in zip(tables, block_areas):
            table_ctx = sheet_ctx
            if block is not None and sheet_ctx.force_source not in ("--force", "recipe"):
                from dataclasses import replace

                table_ctx = replace(sheet_ctx, force=block[0], force_source=block[1], force_guess=None)
            table_rows = _tidy_table(grid, table, sheet.name, table_ctx, sheet_report, options, neighbours)
            if isinstance(table_rows, list):
                rows.extend(table_rows)
            else:
                add_frame(table_rows)

    if plan is not None and any(name not in plan.done for name in plan.sampled if any(s.name == name for s in sheets)):
        raise columnar.Fallback("a sampled sheet was not read as one long table")
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

        frame = pl.concat([*frames, frame], how="vertical") if rows else pl.concat(frames, how="vertical")
    frame = _name_single_measure(frame, ctx.measure, report, ctx.measure_source)
    _count_sources(frame, report)
    return frame, report


def _count_sources(frame: "pl.DataFrame", report: FileReport) -> None:
    """Per sheet: how many rows took their force, period and measure from each kind of evidence.

    Counted in plain Python over three columns: a polars group-by per file costs more than
    a small reply's whole import."""
    if frame.height == 0:
        return
    from collections import Counter

    by_sheet = {s.sheet: s for s in report.sheets}
    whats = ("force", "period", "measure")
    if frame.height > 50_000:  # a big sheet: one group-by in polars, not Python lists of every row
        grouped = frame.group_by(["source_sheet", *(f"{w}_source" for w in whats)], maintain_order=True).len().rows()
    else:
        grouped = None
        sheets = frame.get_column("source_sheet").to_list()
    for i, what in enumerate(whats):
        if grouped is not None:
            counts: Counter[tuple[Any, Any]] = Counter()
            for row in grouped:
                counts[(row[0], row[1 + i])] += row[-1]
        else:
            counts = Counter(zip(sheets, frame.get_column(f"{what}_source").to_list()))
        for (sheet, source), n in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), -kv[1])):
            s = by_sheet.get(sheet)
            if s is not None:
                s.sources.setdefault(what, {})[source or "none"] = int(n)


# ------------------------------------------------------------------ context


def recipe_for(path: Path, options: ImportOptions) -> dict[str, Any]:
    """The recipe that fixes how this file is read: the campaign's for its name, else --recipe's."""
    for key in (str(path), path.name):
        if key in options.recipes:
            return dict(options.recipes[key])
    return dict(options.recipe)


_COVER_SHEET = re.compile(
    r"^(?:index|contents|cover(?:ing)?(?:\s*(?:sheet|note|letter))?|notes?|metadata|definitions|about|read\s*me|"
    r"interpretation|guidance|background|key|glossary|information|introduction|front\s*page)\b",
    re.I,
)


def _context_sheets(workbook: Workbook) -> list[Any]:
    """Sheets whose titles may give context: never a covering, notes or interpretation sheet."""
    return [s for s in workbook.sheets if not (s.name and _COVER_SHEET.match(s.name.strip()))]


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
    ctx.measure_source = (
        schema.FROM_RECIPE if recipe.get("measure") else (schema.FROM_CAMPAIGN if options.measure_from == "campaign" else schema.FROM_USER)
    )
    sheets = _context_sheets(workbook)
    if ctx.force is None:
        # Every place that names a force, in order of precedence: the title, the sheet name,
        # the file name, the letterhead. The first wins; a disagreement makes it a guess.
        candidates: list[tuple[Match, str]] = []
        for sheet in sheets:
            for r, text in _top_texts(sheet.rows):
                match = registry().find_in_text(text)
                if match is not None:
                    where = f"title cell {cell_ref(r[0], r[1])}"
                    candidates.append((match, f"{where} of sheet {sheet.name!r}" if sheet.name else where))
                    break
            if candidates:
                break
        for sheet in sheets:
            if sheet.name:
                match = registry().find_in_text(sheet.name)
                if match is not None:
                    candidates.append((match, f"sheet name {sheet.name!r}"))
                    break
        match = registry().find_in_text(path.stem.replace("_", " "))
        if match is not None:
            candidates.append((match, "file name"))
        if workbook.letterhead:
            match = registry().find_in_text(workbook.letterhead)
            if match is not None:
                candidates.append((match, "letterhead"))
        if candidates:
            ctx.force, ctx.force_source = candidates[0]
            others = [(m, w) for m, w in candidates[1:] if m.area.name != ctx.force.area.name]
            if others:
                ctx.force_guess = (
                    f"{ctx.force_source} names {ctx.force.area.name} but {others[0][1]} names {others[0][0].area.name}"
                )
    if ctx.force is None:
        for sheet in sheets:
            for r, text in _top_texts(sheet.rows):
                match = registry().find_area_in_text(text)
                if match is not None:
                    ctx.force, ctx.force_source = match, f"title cell {cell_ref(r[0], r[1])}"
                    break
            if ctx.force is not None:
                break
    if ctx.period is None:
        for sheet in sheets:
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
        for sheet in sheets:
            if sheet.name and not _REFERENCE_TEXT.search(sheet.name):
                found = find_period_in_text(sheet.name)
                if found is not None:
                    ctx.period, ctx.period_source = found, f"sheet name {sheet.name!r}"
                    break
    if ctx.period is None and not _REFERENCE_TEXT.search(path.stem.replace("_", " ").replace("-", " ")):
        found = find_period_in_text(path.stem)
        if found is not None:
            ctx.period, ctx.period_source = found, "file name"
    elif ctx.period is not None and ctx.period_source not in ("--period", "recipe") and not _REFERENCE_TEXT.search(
        path.stem.replace("_", " ").replace("-", " ")
    ):
        # The title says one period and the file name another: the title is used, as a guess.
        found = find_period_in_text(path.stem)
        if found is not None and (found.start, found.end) != (ctx.period.start, ctx.period.end) and not (
            found.start <= ctx.period.start and ctx.period.end <= found.end
        ):
            from foistats.model.periods import long_label

            ctx.period_guess = (
                f"period read as {long_label(ctx.period)} from the {ctx.period_source}, "
                f"but the file name says {long_label(found)}"
            )
    return ctx


def _notes_sheet_markers(workbook: Workbook) -> set[str]:
    """Footnote numbers defined on a notes sheet ("1 Police recorded crime ...")."""
    out: set[str] = set()
    for sheet in workbook.sheets:
        if sheet.name and _COVER_SHEET.match(sheet.name.strip()):
            texts = []
            for row in sheet.rows[:300]:
                cells = [v for v in row if v is not None and str(v).strip()]
                if cells:
                    texts.append(" ".join(str(v) for v in cells[:2]))
            out |= _note_markers(texts)
    return out


def _sheet_names_are_regions(workbook: Workbook) -> bool:
    """Sibling sheets named for regions ("East Midlands", "London", "North East" …)."""
    kinds = []
    for sheet in workbook.sheets:
        if sheet.name:
            m = registry().resolve(sheet.name, fuzzy=False)
            if m is not None and registry().twin(sheet.name) is None:
                kinds.append(m.area.kind)
    return kinds.count(schema.REGION) >= 3 and kinds.count(schema.REGION) > kinds.count(schema.FORCE)


def _block_areas(
    grid: SheetGrid, tables: list[Table], sheet: str | None, neighbours: dict[str, Any], report: SheetReport
) -> list[tuple[Match, str] | None]:
    """Tables stacked on one sheet, each under a one-cell title naming its area ("Wales", then
    "Blaenau Gwent and Caerphilly", "Bridgend" …). When at least one block title is a known
    area, every block title is read as its block's area (unknown names kept as area kind other)."""
    out: list[tuple[Match, str] | None] = [None] * len(tables)
    if len(tables) < 2:
        return out
    titles: list[tuple[int, int, str] | None] = []
    for t in tables:
        candidates = []
        for r in t.title_rows:
            cells = grid.row_cells(r)
            if len(cells) == 1 and isinstance(cells[0][1], str) and 0 < len(cells[0][1].strip()) <= 120:
                candidates.append((r, cells[0][0], cells[0][1].strip()))
        # The block's name: a title that names an area, else its first one-cell title
        # (a section heading such as "Pre-court" may follow it).
        named_area = [x for x in candidates if registry().resolve(x[2].partition(" - ")[0].strip(), fuzzy=False) is not None]
        titles.append(named_area[0] if named_area else (candidates[0] if candidates else None))
    named = [x for x in titles if x is not None]
    if len(named) < 2:
        return out
    known = [registry().resolve(x[2], fuzzy=False) for x in named]
    if not any(k is not None for k in known):
        return out
    regions = sum(1 for k in known if k is not None and k.area.kind == schema.REGION)
    for i, x in enumerate(titles):
        if x is None:
            continue
        r, c, text = x
        name, _, rest = text.partition(" - ")
        if len(name.split()) > 6 or any(ch.isdigit() for ch in name) or ":" in name:
            continue  # a sentence or a numbered title, not the name of a block's area
        match = registry().resolve(name.strip(), fuzzy=False)
        if match is not None and registry().twin(name) is not None and (regions >= 1 or neighbours.get("sheet_regions")):
            twin = registry().twin(name)
            match = Match(twin, "exact", name)
            g = f"{name.strip()!r} read as the region {twin.name}, not the force: the names beside it are regions"
            if g not in report.guesses:
                report.guesses.append(g)
        if match is None:
            label, marker = strip_footnotes(name.strip())
            match = Match(Area(name=label, code=None, kind=schema.OTHER, territorial=False, country="", aliases=()), "unknown", name.strip(), rest.strip() or None)
            _note_unknown(report, name.strip())
        out[i] = (match, f"title cell {cell_ref(r, c)}")
    return out


def _sheet_context(ctx: Context, sheet: Any, several: bool) -> Context:
    """In a workbook with one sheet per year (or per force), a sheet's own title or name wins
    over what the first sheet said, unless the user or a recipe fixed it."""
    if not several:
        return ctx
    from dataclasses import replace

    from foistats.model.periods import find_period_in_text

    local = replace(ctx)
    if sheet.name and _COVER_SHEET.match(sheet.name.strip()):
        return local
    if ctx.period_source not in ("--period", "recipe"):
        for (r, c), text in _top_texts(sheet.rows):
            if _REFERENCE_TEXT.search(text):
                continue
            found = find_period_in_text(text)
            if found is not None:
                local.period, local.period_source, local.period_guess = found, f"title cell {cell_ref(r, c)}", None
                break
        else:
            found = find_period_in_text(sheet.name or "") if sheet.name else None
            if found is not None:
                local.period, local.period_source, local.period_guess = found, f"sheet name {sheet.name!r}", None
    if ctx.force_source not in ("--force", "recipe"):
        for (r, c), text in _top_texts(sheet.rows):
            match = registry().find_in_text(text)
            if match is not None:
                if local.force is None or match.area.name != local.force.area.name:
                    local.force_guess = None
                local.force, local.force_source = match, f"title cell {cell_ref(r, c)} of sheet {sheet.name!r}"
                break
        else:
            # One sheet per force: the sheet's name says whose figures these are.
            match = registry().find_in_text(sheet.name or "")
            if match is not None:
                if local.force is None or match.area.name != local.force.area.name:
                    local.force_guess = None
                local.force, local.force_source = match, f"sheet name {sheet.name!r}"
    return local


def _top_texts(rows: list[list[Any]], limit: int = 8) -> list[tuple[tuple[int, int], str]]:
    """Title cells above the first row that holds a number.

    A title is a text alone in its row, or a sentence (four words or more) in column A
    (the corner of a header row, "Offences resulting in a disposal 2012/13"). The other
    cells of a header row are the table's own labels ("Leicestershire | Kent" over
    numbers, "Arrests 2020/21"): they are never context.
    """
    out = []
    for r, row in enumerate(rows[:40]):
        if any(
            (isinstance(v, (int, float)) and not isinstance(v, bool)) or (isinstance(v, str) and _NUMBER_TEXT.match(v))
            for v in row
        ):
            break  # the table has begun (a CSV's numbers are text)
        cells = [(c, v) for c, v in enumerate(row) if v is not None and not (isinstance(v, str) and not v.strip())]
        for c, v in cells:
            if not (isinstance(v, str) and len(v) < 400):
                continue
            text = v.strip()
            if len(cells) == 1 or (c == 0 and len(text.split()) >= 4):
                out.append(((r, c), text))
        if len(out) >= limit:
            break
    return out


def _title_measure(grid: SheetGrid, table: Table) -> str | None:
    for r in table.title_rows:
        for _, v in grid.row_cells(r):
            if isinstance(v, str) and len(v.strip()) > 3 and not _REFERENCE_TEXT.search(v):
                text = _TITLE_PREFIX.sub("", v.strip())
                text = re.split(r"\s+by\s+|,\s+|\s+for\s+|\s+in\s+(?=\d)", text, maxsplit=1)[0]
                text = _clean_measure(text, frozenset())
                if text and registry().find_in_text(text) is None and period_of(text) is None:
                    return text
    return None


def _pivot_measure(grid: SheetGrid, table: Table) -> str | None:
    """A pivot table's data field in its corner ("Sum of Arrests", "Count of Drivers"): the measure."""
    for r in table.header_rows + table.title_rows:
        for c in table.label_cols or [0]:
            v = grid.raw(r, c)
            if isinstance(v, str) and _PIVOT_AGG.match(v):
                return _clean_measure(_PIVOT_AGG.sub("", v.strip()))
    return None


def _sheet_measure(sheet: str | None) -> str:
    """Last resort for a measure's name: a descriptive sheet name ("Sextortion U18"), else "value"."""
    if sheet and not re.fullmatch(r"(?i)(sheet|table|data|tab|page)\s*\d*|\d+", sheet.strip()):
        if not _REFERENCE_TEXT.search(sheet) and registry().find_in_text(sheet) is None and period_of(sheet) is None:
            return sheet.strip()
    return "value"


_SUPERSCRIPT = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+")
_TRAILING_DIGITS = re.compile(r"(?<=[A-Za-z)])(\d{1,2}(?:,\s?\d{1,2})*+)(?=\)|$|\s)")  # possessive
_PERIOD_DIMENSION = re.compile(
    r"^\s*(?:financial\s+|calendar\s+|fiscal\s+)?(?:year|years|month|months|quarter|period|date|week)\b(?!\s+(?:on|to)\s+(?:year|date))",
    re.I,
)
# "Crime and Policing Act 2014", "Order 2005", "ISO 9001": a year that names a law, not a period.
_LAW_YEAR = re.compile(r"\b(?:act|order|regulations?|rules|code|iso|bill|directive)\s+(?:of\s+)?(?:19|20)\d\d\b", re.I)
_QUARTER = re.compile(r"^\s*(?:q|quarter\s*|qtr\.?\s*)([1-4])\s*$", re.I)
_PURE_TOTAL = re.compile(r"^\s*(?:grand\s+)?totals?\s*[:.]?\s*$|^\s*sum\s*$|^\s*overall\s+total\s*$", re.I)
_PIVOT_WORDS = re.compile(r"^\s*(?:row\s+labels|column\s+labels|values|\((?:multiple\s+items|all|blank)\))\s*$", re.I)
_PIVOT_AGG = re.compile(r"^\s*(?:sum|count|average|max|min)\s+of\s+(?=\S)", re.I)
_EMBEDDED_YEAR = re.compile(
    r"\s*(?:\b(?:in|for|during)\s+)?\(?\b(?:fy\s*)?(?:19|20)\d\d(?:\s*[/-]\s*(?:19|20)?\d\d)?\b\)?\s*", re.I
)


@lru_cache(maxsize=65536)
def _clean_measure(text: str, markers: frozenset[str] = frozenset()) -> str:
    """A measure's name as written, less footnote markers.

    Trailing digits are part of a name by default ("S1", "S60", "Q3", "KS2", "A0" stay
    distinct). They are stripped only when superscript, or when the table's notes define
    them ("1 Figures include ...") and what is left is a word, not a code ("Police officers1").
    """
    text = _SUPERSCRIPT.sub("", str(text))
    if markers:

        def strip(m: re.Match[str]) -> str:
            numbers = {n.strip() for n in m.group(1).split(",")}
            base = text[: m.start()].split()[-1] if text[: m.start()].split() else ""
            word = len(base.strip("()")) >= 4 and any(ch.islower() for ch in base) or base.endswith(")")
            return "" if word and numbers <= markers else m.group(0)

        text = _TRAILING_DIGITS.sub(strip, text)
    text = text.strip()
    return re.sub(r"\s+", " ", text).strip(" :")


_UNIT_PATTERNS = (
    (re.compile(r"rate\s+per\s+([\d,]+(?:\s+[A-Za-z]+)?)|per\s+([\d,]{3,}(?:\s+[A-Za-z]+)?)", re.I), None),
    (re.compile(r"%|\bper\s*cent|\bpercentage\b|\bproportion\b", re.I), "%"),
    (re.compile(r"£\s*m\b|£\s*million|£\s*\(?m(?:illion)?s?\)?", re.I), "£m"),
    (re.compile(r"£\s*0{3}s?\b|£\s*k\b|£\s*thousands?", re.I), "£000"),
    (re.compile(r"\bthousands\b|\(0{3}s?\)|\b0{3}s\b", re.I), "thousands"),
    (re.compile(r"\bmillions\b", re.I), "millions"),
    (re.compile(r"£", re.I), "£"),
    (re.compile(r"^\s*(?:numbers?|counts?|no\.?|frequency|volume)\s*$", re.I), "count"),
)


@lru_cache(maxsize=8192)
def _unit_of(text: str) -> str | None:
    """The unit a header, units row or label states, or None."""
    if len(text) > 120:
        return None
    for pattern, unit in _UNIT_PATTERNS:
        m = pattern.search(text)
        if m:
            if unit is None:
                base = (m.group(1) or m.group(2) or "").strip()
                return f"per {base}" if base else "rate"
            return unit
    return None


def _classify(
    pieces: list[tuple[int | None, Any]],
    split_start: int | None,
    monthly_dates: bool = False,
    markers: frozenset[str] = frozenset(),
) -> _Parts:
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
            elif isinstance(piece, (int, float)) and not isinstance(piece, bool):
                # A number that is not a year is a label ("15" under "Age"), never dropped:
                # two columns headed 15 and 16 must not share a measure.
                parts.measure.append(_label_text(int(piece) if float(piece).is_integer() else piece))
            continue
        text = piece.strip()
        if not text:
            continue
        kind, payload = _piece(text, split_start, markers)
        if kind == "code":
            parts.code = payload
        elif kind in ("area", "fuzzy_area"):
            if kind == "fuzzy_area":
                # Kept as words too: if another label names the area, this one ("Staff",
                # close to "Staffs") is part of the measure, never swallowed.
                parts.fuzzy_text.append(_clean_measure(text, markers))
                if parts.area is not None:
                    continue
            if parts.area is None or _more_specific(payload, parts.area):
                parts.area, parts.area_col = payload, col
        elif kind == "month":
            parts.months.append(text)
        elif kind == "period":
            parts.period, parts.period_text = payload, text
            if re.fullmatch(r"(1[89]|20)\d\d", text):
                parts.years.append(text)
        elif kind == "measure_period":
            # "Arrests 2020/21", "2020/21 arrests", "Arrests (2020/21)": each column its own period.
            name, period = payload
            if parts.period is None or period.end - period.start < parts.period.end - parts.period.start:
                parts.period, parts.period_text = period, text
            if name:
                parts.measure.append(name)
        elif kind == "open_period":
            # Never the whole year, never its first day: no period, and the row says why.
            parts.open_label = text
            parts.guess = f"{parts.guess}; {payload}" if parts.guess else payload
        elif kind == "quarter":
            parts.quarter = payload
        elif kind == "total":
            parts.total = True
            parts.measure.append(payload)
        elif kind == "measure":
            parts.measure.append(payload)
            unit = _unit_of(text)
            if unit is not None and unit != "count":
                parts.unit = unit
        elif kind == "unit":
            parts.units.append(text)
            unit = _unit_of(text)
            if unit is not None:
                parts.unit = parts.unit or unit
        elif kind == "pivot":
            pass
    if parts.months and parts.years:
        period = _parse_label(f"{parts.months[-1]} {parts.years[-1]}", split_start)
        if period is not None:
            parts.period, parts.period_text = period, f"{parts.months[-1]} {parts.years[-1]}"
    if parts.period is not None and parts.measure:
        # "Year of Test Pass" over 2012 … 2016 names the period's dimension, not a measure.
        parts.measure = [m for m in parts.measure if not _PERIOD_DIMENSION.match(m)]
    if parts.quarter and parts.period is not None and parts.period.is_year_long:
        q = _quarter_inside(parts.period, parts.quarter)
        if q is not None:
            parts.period, parts.period_text = q, f"Q{parts.quarter} {parts.period_text}"
            parts.quarter = None
    if parts.code:
        # A GSS code beats a name shared by two areas: ONS tables call the region and the force
        # "West Midlands". A name that is one force only, beside another force's code, wins
        # and the disagreement is reported ("Unassigned Gwent" carrying South Wales's code).
        by_code = registry().resolve(parts.area.text if parts.area else parts.code, parts.code)
        if by_code is not None:
            named = parts.area
            if (
                named is not None
                and by_code.method == "code"
                and by_code.area.name != named.area.name
                and named.method == "exact"
                and registry().twin(named.text) is None
            ):
                # Two forces: the name wins ("Unassigned Gwent" carrying South Wales's code);
                # regions and countries: the code wins (a mislabelled row in a coded list).
                if named.area.kind == schema.FORCE and by_code.area.kind == schema.FORCE:
                    parts.guess = f"{named.text!r} carries the code {parts.code} of {by_code.area.name}; read as {named.area.name}"
                else:
                    parts.guess = f"{named.text!r} carries the code {parts.code} of {by_code.area.name}; read as {by_code.area.name}"
                    parts.area = by_code
            else:
                parts.area = by_code
    return parts


def _quarter_inside(period: Any, q: str) -> Any:
    """Quarter q (1-4) of a year-long period: Q1 of 2018/19 is April–June 2018."""
    from foistats.model.periods import Period, add_years, month_end  # noqa: F401

    if not period.whole_months:
        return None
    first = period.start.year * 12 + period.start.month - 1 + 3 * (int(q) - 1)
    last = first + 2
    y0, m0 = divmod(first, 12)
    y1, m1 = divmod(last, 12)
    try:
        return Period(date(y0, m0 + 1, 1), month_end(y1, m1 + 1), "quarter")
    except Exception:  # noqa: BLE001
        return None


@lru_cache(maxsize=65536)
def _piece(text: str, split_start: int | None, markers: frozenset[str] = frozenset()) -> tuple[str, Any]:
    """What one label means. Cached: long files repeat the same few hundred labels."""
    if _GSS.match(text.upper()):
        return "code", text.upper()
    if _PURE_TOTAL.match(text):
        return "total", _clean_measure(text)
    if _PIVOT_WORDS.match(text):
        return "pivot", None
    q = _QUARTER.match(text)
    if q:
        return "quarter", q.group(1)
    match = registry().resolve(text, fuzzy=False)
    if match is not None:
        return "area", match
    if _is_month_name(text):
        return "month", None
    period = _parse_label(text, split_start)
    if period is not None:
        return "period", period
    if re.search(r"\d", text):
        from foistats.model.periods import partial_reason

        reason = partial_reason(text, default_year_start=split_start) if len(text) <= 80 else None
        if reason is not None:
            return "open_period", reason
    if text.lower().strip(" :") in _UNIT_WORDS or text.lower() in _UNIT_WORDS:
        return "unit", None
    fuzzy = registry().resolve(text) if len(text) > 5 else None
    if fuzzy is not None and fuzzy.area.kind == schema.FORCE:
        return "fuzzy_area", fuzzy
    text = _PIVOT_AGG.sub("", text)
    if len(text) <= 80 and _EMBEDDED_YEAR.search(text) and not _LAW_YEAR.search(text):
        from foistats.model.periods import find_period_in_text

        found = find_period_in_text(text, default_year_start=split_start)
        if found is not None:
            name = _clean_measure(_EMBEDDED_YEAR.sub(" ", text), markers)
            if name and not re.search(r"[A-Za-z]", name):
                name = ""
            return "measure_period", (name[:1].upper() + name[1:] if name else "", found)
    return "measure", _clean_measure(text, markers)


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
    grid: SheetGrid,
    table: Table,
    sheet: str | None,
    ctx: Context,
    report: SheetReport,
    options: ImportOptions,
    neighbours: dict[str, Any] | None = None,
) -> "list[TidyRow] | pl.DataFrame":
    neighbours = neighbours or {}
    header_text = " ".join(
        str(v) for r in table.title_rows + table.header_rows for _, v in grid.row_cells(r) if isinstance(v, str)
    )
    note_texts = [str(v) for r in table.note_rows for _, v in grid.row_cells(r) if isinstance(v, str)]
    financial = bool(_FINANCIAL_CONTEXT.search(header_text + " " + " ".join(note_texts)))
    split_start: int | None = 4 if financial else None
    key = key_from_notes(note_texts + [header_text])
    markers = frozenset(ctx.markers | _note_markers(note_texts))
    header_dates = [p for c in table.value_cols for p in header_pieces(grid, table, c) if isinstance(p, (datetime, date))]
    from foistats.intake.detect import sample

    label_dates = [v for r in sample(table.body_rows) for _, v in label_pieces(grid, table, r) if isinstance(v, (datetime, date))]

    def classify_columns(split: int | None) -> dict[int, _Parts]:
        return {
            c: _classify([(None, p) for p in header_pieces(grid, table, c)], split, _are_months(header_dates), markers)
            for c in table.value_cols
        }

    col_parts = classify_columns(split_start)
    months_from = _months_run_from(grid, table)
    if not financial and months_from not in (None, 4) and any(
        p.period is not None and _default_split_year(p.period) for p in col_parts.values()
    ):
        # Months listed June to May under "2020/21" columns: those years run June–May.
        split_start = months_from
        col_parts = classify_columns(split_start)
        labels = sorted({p.period_text for p in col_parts.values() if p.period is not None and p.period_text})
        report.warnings.append(
            f"{', '.join(repr(x) for x in labels[:3])}{'…' if len(labels) > 3 else ''} read as years starting in "
            f"{_month_name(months_from)}, because the months are listed from {_month_name(months_from)}; "
            "set the period in a recipe if that is wrong"
        )
    _area_header_row(grid, table, col_parts, report)
    _dates_as_year_endings(table, col_parts, header_text)
    title_texts = [str(v) for r in table.title_rows for _, v in grid.row_cells(r) if isinstance(v, str)]
    _bare_year_columns(grid, table, col_parts, title_texts, note_texts)
    _unit_rows(grid, table, col_parts)
    rows_are_months = _are_months(label_dates)
    # Year-long periods written out in full ("June 2020 - May 2021") tell how a bare
    # "2020-21" elsewhere in the same sheet should probably be read.
    for parts in col_parts.values():
        if parts.period is not None and parts.period.is_year_long and not _default_split_year(parts.period):
            ctx.year_starts.add(parts.period.start.month)
    row_hint = _period_hint(" ".join(str(grid.merged_value(h, c) or "") for h in table.header_rows for c in table.period_label_cols))
    area_cols = _area_columns(grid, table)
    sub_area_cols = {c for c in area_cols if _SUB_AREA_HEADER.search(_header_text(grid, table, c))}
    quarter_cols = _quarter_columns(grid, table)
    sub_levels = sub_area_levels(grid, table)
    # Force rows each followed by their BCUs in one label column: the BCUs are areas under the
    # force above them, and that column names areas even when most of its names are unknown.
    parents = {} if sub_levels else _areas_under_forces(grid, table, sub_area_cols | quarter_cols, split_start, markers)
    area_cols.extend(sorted({c for c, _ in parents} - set(area_cols)))
    info = _TableInfo(
        sub_area_cols=sub_area_cols,
        area_cols=area_cols,
        quarter_cols=quarter_cols,
        label_headers=_label_headers(grid, table, area_cols),
        markers=markers,
        bare_years=_bare_year_rows(grid, table, title_texts, note_texts),
        parents=parents,
        carried=_carried_forces(grid, table, sub_levels) if sub_levels else {},
    )
    _regions_from_neighbours(grid, table, info, col_parts, neighbours, report)
    region_rows = _twin_rows(grid, table, info, report)
    data_cols = [c for c in table.value_cols if c not in table.derived_cols]
    if data_cols and all(col_parts[c].total and c not in table.total_cols for c in data_cols):
        # `Region | Police force | Total`: the only column of numbers, headed Total, is the data
        # (long.refine took it out of the totals); it is not a total of anything.
        for c in data_cols:
            col_parts[c].total = False
    multi_area = bool(area_cols) or any(p.area is not None for p in col_parts.values())
    periodic = [c for c in table.value_cols if c not in table.total_cols and c not in table.derived_cols]
    if not all(col_parts[c].period is not None or col_parts[c].months for c in periodic):
        periodic = []
    for c in table.total_cols:
        # A "Total" column: kept and marked. Over period columns it is the same measure over
        # their span; over other columns (Male | Female | Total) it is its own measure.
        parts = col_parts[c]
        parts.total = True
        over_periods = bool(periodic) and all(col_parts[cc].area is None for cc in periodic)
        if over_periods and parts.period is None:
            parts.measure = list(col_parts[periodic[0]].measure)
            periods = [col_parts[cc].period for cc in periodic if col_parts[cc].period is not None]
            if periods and len(periods) == len(periodic):
                from foistats.model.periods import Period

                parts.period = Period(min(p.start for p in periods), max(p.end for p in periods))
                parts.period_text = None  # labelled by its dates
        elif not parts.measure:
            parts.measure.append("Total")
    if any(p.area is not None for p in col_parts.values()):
        total_area = registry().by_name("Total")
        for c in table.value_cols:
            if col_parts[c].total and col_parts[c].area is None and total_area is not None:
                col_parts[c].area = Match(total_area, "exact", "Total")
    title_measure = _title_measure(grid, table) or _pivot_measure(grid, table)
    rows: list[TidyRow] = []
    source = ctx.display
    total_checks: list[tuple[int, int, float]] = []
    report.orientation = report.orientation or table.orientation
    report.header_rows = report.header_rows or [h + 1 for h in table.header_rows]
    span = f"{col_letter(min(table.label_cols + table.value_cols))}{table.body_rows[0] + 1}:{col_letter(max(table.value_cols + table.flag_cols))}{table.body_rows[-1] + 1}"
    report.data_range = span if not report.data_range else f"{report.data_range}, {span}"
    from foistats.intake.bulk import can_bulk, tidy_bulk

    row_memo: dict[tuple[Any, ...], _Parts] = {}

    def describe(pieces: tuple[Any, ...], c: int) -> tuple[Any, ...]:
        parts = row_memo.get(pieces)
        if parts is None:
            parts = row_memo[pieces] = _row_parts(list(pieces), split_start, rows_are_months, row_hint, area_cols, info, sub_levels)
        return _describe(parts, col_parts[c], ctx, title_measure, sheet, report)

    # The notes a row's labels carry ("within Dorset Police", a footnote), as the cell loop
    # below puts them before each cell's own note (a row is described before it is asked).
    describe.row_notes = lambda pieces: row_memo[pieces].notes  # type: ignore[attr-defined]
    # What the sheet report says the force came from, as the cell-by-cell loop below says it.
    describe.context_force = ctx.force  # type: ignore[attr-defined]
    describe.context_force_source = ctx.force_source  # type: ignore[attr-defined]
    plan = neighbours.get("columnar")
    if plan is not None and sheet in plan.sampled:  # a big xlsx sheet read from a head sample
        from foistats.intake.columnar import Fallback, tidy_columnar

        if info.parents or info.carried:
            # Which force a row sits under is read from the rows above it: a sample of the
            # sheet cannot say that for the rows it left out.
            raise Fallback("areas under the force named in a row above")

        describe.pure_word = _pure_word_of(info, sub_levels, split_start)  # type: ignore[attr-defined]
        describe.area_name = _area_name  # type: ignore[attr-defined]
        describe.area_cols = area_cols  # type: ignore[attr-defined]
        return tidy_columnar(plan, grid, table, key, describe, report, source, sheet)
    if can_bulk(table):
        return tidy_bulk(grid, table, key, describe, report, source, sheet)
    body_values: dict[tuple[int, int], Any] = {}
    no_period: list[str] = []
    row_cache: dict[tuple[Any, ...], _Parts] = {}
    cell_cache: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    spacer_set = set(getattr(table, "spacer_cols", []))
    region_cols = table.value_cols + table.flag_cols
    flag_set, derived_set, total_set = set(table.flag_cols), set(table.derived_cols), set(table.total_cols)
    total_row_set = set(table.total_rows)
    seen_keys: dict[tuple[Any, ...], tuple[str, Any]] = {}
    clashes: list[str] = []
    section_periods: list[tuple[Any, str]] = []
    for r in table.body_rows:
        pieces = label_pieces(grid, table, r)
        row_key = tuple(pieces)
        row_parts = row_cache.get(row_key)
        if row_parts is None:
            row_parts = _row_parts(pieces, split_start, rows_are_months, row_hint, area_cols, info, sub_levels)
            row_cache[row_key] = row_parts
        if r in region_rows and row_parts.area is not None:
            from dataclasses import replace as _replace

            row_parts = _replace(row_parts, area=region_rows[r])
            row_key = (*row_key, ("region", r))
        is_total_row = r in total_row_set
        if is_total_row and not row_parts.total and not (row_parts.area is not None and row_parts.area.area.name == "Total"):
            row_parts.total = True
        if is_total_row:
            if row_parts.period is None and len(section_periods) >= 2 and table.period_label_cols:
                # A total under years down the rows is the same measure over their span.
                from dataclasses import replace as _replace

                from foistats.model.periods import Period

                row_parts = _replace(
                    row_parts,
                    period=Period(min(p.start for p, _ in section_periods), max(p.end for p, _ in section_periods)),
                    period_text=None,
                    measure=[m for m in row_parts.measure if not _PURE_TOTAL.match(m)],
                )
                row_key = (*row_key, ("span", r))
            section_periods = []
        elif row_parts.period is not None:
            section_periods.append((row_parts.period, row_parts.period_text or ""))
        row = grid.rows[r]
        has_values = any(row[c] is not None for c in table.value_cols if c < len(row))
        for c in region_cols:
            raw = row[c] if c < len(row) else None
            if raw is None:
                if not has_values or c in flag_set or c in derived_set or c in spacer_set or grid.is_merged_child(r, c):
                    continue
                # A blank inside the table is a number the reply did not give: kept as a row
                # with no value, so nothing vanishes from the reconciliation.
                value = _BLANK
            else:
                value = None
            report.cells_in_region += 1
            if c in flag_set:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw), "reason": "marker cell (e.g. R = revised) applied to the number on its left"})
                continue
            if c in derived_set:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw), "reason": "derived column (a change or percentage): recompute it with foistats rise"})
                continue
            if c in spacer_set:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw), "reason": "spacer column (no header, zeros only)"})
                continue
            if value is None:
                value = parse_value(raw, key)
            if value is None:
                report.skipped.append({"cell": cell_ref(r, c), "text": str(raw)[:60], "reason": "text in a value column"})
                continue
            ref = cell_ref(r, c)
            if c in total_set or is_total_row:
                if value.value is not None:
                    total_checks.append((r, c, value.value))
            else:
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
            force_name, code, kind, measure, period, period_label, _, ev = described[:8]
            unit, is_total = ev["unit"], ev["is_total"]
            if period is None:
                no_period.append(ref)
            note = value.note if (value.status != schema.OK or value.note not in (None, "%")) else value.note
            if row_parts.notes:
                note = "; ".join([*row_parts.notes, *([note] if note else [])])
            if value.note == "%" and unit is None:
                unit = "%"
            key_tuple = (force_name, period, measure, is_total)
            previous = seen_keys.get(key_tuple)
            if previous is None:
                seen_keys[key_tuple] = (ref, value.value)
            elif previous[1] != value.value and len(clashes) < 200:
                clashes.append(f"{previous[0]} ({_show(previous[1])}) and {ref} ({_show(value.value)})")
            rows.append(
                TidyRow(
                    force_name, code, kind, measure,
                    period.start if period is not None else None,
                    period.end if period is not None else None,
                    period_label or "", value.value, status, value.low, value.high,
                    source, sheet, ref, note or None,
                    ev["force_source"], ev["period_source"], ev["measure_source"], ev["guess"], bool(is_total), unit,
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
    if clashes:
        report.warnings.append(
            f"{len(clashes)} number(s) share a force, period and measure with another that differs: "
            + "; ".join(clashes[:5]) + (" …" if len(clashes) > 5 else "")
            + " — the table has a dimension the import did not tell apart; check it, or set a recipe"
        )
    _check_totals(grid, table, body_values, total_checks, report, periodic, multi_area)
    return rows


_BLANK = Value(None, schema.NOT_AVAILABLE, note="blank cell")


def _show(v: Any) -> str:
    return "blank" if v is None else _num(v)


def _note_markers(texts: list[str]) -> set[str]:
    """Footnote numbers a notes block defines: "1 Figures ...", "2. Excludes ...", "Note 3: ..."."""
    out = set()
    for t in texts:
        m = re.match(r"\s*(?:notes?\s*)?(\d{1,2})\s*[.:)\-–]?\s+[A-Za-z]", t, re.I)
        if m:
            out.add(str(int(m.group(1))))
    return out


_AREA_HEADER = re.compile(
    r"\b(?:force|pfa|police\s+force\s+area|area\s+name|partnership|csp|local\s+authority|authority|district|borough|"
    r"council|region|county|ward|lsoa|msoa|constituency|yot|youth\s+offending|neighbourhood)\b",
    re.I,
)
_SUB_AREA_HEADER = re.compile(
    r"\b(?:partnership|csp|local\s+authority|district|borough|council|ward|lsoa|msoa|constituency|yot|"
    r"youth\s+offending|neighbourhood|beat|sector)\b",
    re.I,
)
_AS_AT_WORDS = re.compile(r"\bas\s+(?:at|of|on)\b|\bsnapshot\b|\bposition\s+at\b|\bheadcount\b|\bstrength\b", re.I)


def _header_text(grid: SheetGrid, table: Table, c: int) -> str:
    return " ".join(str(grid.merged_value(h, c)) for h in table.header_rows if grid.merged_value(h, c) is not None)


def _area_columns(grid: SheetGrid, table: Table) -> list[int]:
    """Label columns that name areas, the most specific (most distinct names) first.

    A column is an area column when most of its names are registered, or when its header
    says so ("Community Safety Partnership name", "Local authority"). Codes are not names.
    """
    from foistats.intake.detect import sample

    found: list[tuple[int, int]] = []
    for c in table.label_cols:
        if c in table.period_label_cols:
            continue
        cells = [grid.merged_value(r, c) for r in sample(table.body_rows)]
        texts = [v for v in cells if isinstance(v, str) and v.strip() and not _GSS.match(v.strip().upper())]
        if len(texts) < 2:
            continue
        hits = sum(1 for t in texts if registry().resolve(t, fuzzy=False) is not None)
        header = _header_text(grid, table, c)
        by_header = bool(header) and bool(_AREA_HEADER.search(header)) and not re.search(r"\bcode\b|\btype\b|\bkind\b", header, re.I)
        if hits >= max(2, len(texts) * 0.5) or (by_header and hits >= 1):
            found.append((c, len(set(texts))))
    found.sort(key=lambda cn: -cn[1])
    return [c for c, _ in found]


def _quarter_columns(grid: SheetGrid, table: Table) -> set[int]:
    out = set()
    for c in table.label_cols:
        if re.match(r"^\s*(?:financial\s+|calendar\s+|fiscal\s+)?(?:quarter|qtr)\b", _header_text(grid, table, c), re.I):
            out.add(c)
    return out


def _label_headers(grid: SheetGrid, table: Table, area_cols: list[int]) -> dict[int, str]:
    """The header of each label column that holds numbers that are labels ("Age" over 17, 18 …)."""
    out = {}
    for c in table.label_cols:
        if c in table.period_label_cols or c in area_cols:
            continue
        for h in reversed(table.header_rows):
            v = grid.raw(h, c)
            if isinstance(v, str) and v.strip() and not _PIVOT_WORDS.match(v):
                out[c] = _clean_measure(v)
                break
    return out


def _area_header_row(grid: SheetGrid, table: Table, col_parts: dict[int, _Parts], report: SheetReport) -> None:
    """Forces as columns: in a header row where most names are areas, the other names are
    areas too (unregistered, kind other), never folded into the measure or given a neighbour's force."""
    for h in table.header_rows:
        texts = {c: grid.merged_value(h, c) for c in table.value_cols}
        texts = {c: v.strip() for c, v in texts.items() if isinstance(v, str) and v.strip()}
        if len(texts) < 2:
            continue
        hits = {c for c, v in texts.items() if registry().resolve(v, fuzzy=False) is not None}
        if len(hits) < 2 or len(hits) < 0.5 * len(texts):
            continue
        for c, v in texts.items():
            parts = col_parts[c]
            if c in hits or parts.area is not None or parts.period is not None and parts.period_text == v:
                continue
            if _PURE_TOTAL.match(v):
                continue
            cleaned = _clean_measure(v)
            parts.measure = [m for m in parts.measure if m != cleaned]
            label, marker = strip_footnotes(v)
            special = registry().resolve_special(v)
            if special is None:
                fuzzy = registry().resolve(v)
                special = fuzzy if fuzzy is not None else Match(
                    Area(name=label, code=None, kind=schema.OTHER, territorial=False, country="", aliases=()), "unknown", v, marker
                )
            parts.area = special


def _dates_as_year_endings(table: Table, col_parts: dict[int, _Parts], header_text: str) -> None:
    """Column headers that are all month-end dates (2015-12-31, 2019-03-31) with nothing saying
    "as at": read as the years ending then, and marked as a guess."""
    from foistats.model.periods import long_label, year_ending

    dated = [c for c in table.value_cols if c not in table.derived_cols and col_parts[c].period is not None]
    if len(dated) < 2 or _AS_AT_WORDS.search(header_text):
        return
    periods = [col_parts[c].period for c in dated]
    if not all(p.start == p.end and (p.end + _ONE_DAY).day == 1 for p in periods):
        return
    ends = sorted(p.end for p in periods)
    if any((b - a).days < 365 for a, b in zip(ends, ends[1:])):
        return  # 31 March and 30 September: snapshots, not years that would overlap
    for c in dated:
        parts = col_parts[c]
        day = parts.period.end
        parts.period = year_ending(day)
        parts.guess = f"date header {day.isoformat()} read as the year ending then ({long_label(parts.period)})"


def _is_bare_year(parts: _Parts) -> bool:
    """The key's period is a year written as a bare number ("2021", 2021), so read as a calendar
    year only because nothing said otherwise."""
    p = parts.period
    return (
        p is not None and p.granularity == "year" and p.start.month == 1 and bool(parts.years)
        and parts.period_text is not None and re.fullmatch(r"(?:1[89]|20)\d\d", parts.period_text.strip()) is not None
    )


def _year_reading(texts: list[tuple[str, str]], years: set[int], sure_source: str | None) -> Any:
    """How the wording in `texts` ((where, text) pairs) says bare years should be read, as a
    function from a calendar-year Period to the year it names, or None when nothing says.

    "Year ending March" (or "Financial year ending 31 March") settles it: 2021 is April
    2020–March 2021. "Financial years" alone does not say which end a bare year names: the
    split years beside it decide when they match ("2020/21 to 2022/23" over 2021…2023),
    otherwise the year ending March is taken and the other reading named. Wording that is
    not `sure_source` (the table's own header) is context, so its reading is a guess.
    """
    from dataclasses import replace

    from foistats.model.periods import (
        long_label, month_end, says_financial_years, split_years_in_text, year_end_month_of, year_ending,
    )

    for where, text in texts:
        month = year_end_month_of(text)
        ambiguous = False
        if month is None:
            if not says_financial_years(text):
                continue
            named = split_years_in_text(text)
            firsts = set(range(min(named), max(named) + 1)) if named else set()  # "2020/21 to 2022/23"
            if firsts and years <= firsts:
                month = 3
                start_year = True
            else:
                month, start_year = 3, False
                ambiguous = not (firsts and years <= {f + 1 for f in firsts})
        else:
            start_year = False
        if month == 12:
            return None
        shown = text.strip() if len(text.strip()) <= 80 else text.strip()[:77] + "…"

        def read(period: Any, month: int = month, start_year: bool = start_year, ambiguous: bool = ambiguous,
                 where: str = where, shown: str = shown) -> Any:
            y = period.start.year
            year = year_ending(month_end(y + 1 if start_year else y, month))
            note = f"bare year {y} read as {long_label(year)} ({where} {shown!r})"
            guess = None
            if where != sure_source or ambiguous:
                guess = f"{note}: check it"
                if ambiguous:
                    other = year_ending(month_end(y + 1, month))
                    guess = f"{note}; it may mean {long_label(other)}: check it"
            return replace(year, note=note, guess=guess)

        return read
    return None


def _bare_year_columns(
    grid: SheetGrid, table: Table, col_parts: dict[int, _Parts], titles: list[str], notes: list[str]
) -> None:
    """Bare years across the columns ("2021 | 2022 | 2023") under, or beside, words that say
    the years are not calendar years: a header piece over them ("Financial year ending 31
    March", merged), or the table's title or notes ("financial years 2020/21 to 2022/23",
    "years are financial years"). The header is the table's own label; a title or note is
    context, so its reading is marked as a guess."""
    bare = {c: p for c, p in col_parts.items() if _is_bare_year(p)}
    if not bare:
        return
    years = {p.period.start.year for p in bare.values()}
    context = [("title", t) for t in titles] + [("note", t) for t in notes]
    for c, parts in bare.items():
        own = [("column header", p) for p in header_pieces(grid, table, c) if isinstance(p, str) and p.strip()]
        read = _year_reading(own, years, "column header") or _year_reading(context, years, None)
        if read is None:
            continue
        parts.period = read(parts.period)
        parts.years = []
        words = {_clean_measure(t, frozenset()) for _, t in own}
        parts.measure = [m for m in parts.measure if m not in words or not _year_words(m)]


def _year_words(text: str) -> bool:
    from foistats.model.periods import says_financial_years, year_end_month_of

    return year_end_month_of(text) is not None or says_financial_years(text)


def _bare_year_rows(grid: SheetGrid, table: Table, titles: list[str], notes: list[str]) -> Any:
    """The same reading for bare years down the rows: the period column's header ("Year ending
    March" over 2021, 2022 …) is the table's own label; a title or note is context (a guess)."""
    if not table.period_label_cols:
        return None
    header = " ".join(
        str(grid.merged_value(h, c)) for h in table.header_rows for c in table.period_label_cols
        if isinstance(grid.merged_value(h, c), str)
    )
    own = [("column header", header)] if header.strip() else []
    context = [("title", t) for t in titles] + [("note", t) for t in notes]
    if not any(_year_words(t) for _, t in (*own, *context)):
        return None  # nothing says the years are not calendar years: no need to look at them
    years: set[int] = set()
    from foistats.intake.detect import sample

    for r in sample(table.body_rows):
        for c, v in label_pieces(grid, table, r):
            if c in table.period_label_cols and (
                is_year_number(v) or (isinstance(v, str) and re.fullmatch(r"(?:1[89]|20)\d\d", v.strip()))
            ):
                years.add(int(v))
    if not years:
        return None
    return _year_reading(own, years, "column header") or _year_reading(context, years, None)


def _unit_rows(grid: SheetGrid, table: Table, col_parts: dict[int, _Parts]) -> None:
    """A units row in the header ("Numbers" / "Rate per 1,000 population") sets each column's unit."""
    for c in table.value_cols:
        if col_parts[c].unit is None:
            for p in header_pieces(grid, table, c):
                if isinstance(p, str):
                    u = _unit_of(p)
                    if u is not None:
                        col_parts[c].unit = u


def _regions_from_neighbours(
    grid: SheetGrid, table: Table, info: _TableInfo, col_parts: dict[int, _Parts], neighbours: dict[str, Any], report: SheetReport
) -> None:
    """Names shared by a force and a region ("West Midlands"): the region when its neighbours are
    regions (the other names in its column or header row, or the sibling sheets), and reported."""
    reg = registry()
    for c in info.area_cols:
        from foistats.intake.detect import sample

        texts = {v.strip() for r in sample(table.body_rows) for v in [grid.merged_value(r, c)] if isinstance(v, str) and v.strip()}
        twins = {t for t in texts if reg.twin(t) is not None}
        if not twins:
            continue
        kinds = [reg.resolve(t, fuzzy=False) for t in texts - twins]
        regions = sum(1 for m in kinds if m is not None and m.area.kind == schema.REGION)
        forces = sum(1 for m in kinds if m is not None and m.area.kind == schema.FORCE)
        if regions >= 2 and regions > forces:
            info.regions = frozenset(info.regions | twins)
    if info.regions:
        for t in sorted(info.regions):
            g = f"{t!r} read as the region {reg.twin(t).name}, not the force: the names beside it are regions"
            if g not in report.guesses:
                report.guesses.append(g)


def _twin_rows(grid: SheetGrid, table: Table, info: _TableInfo, report: SheetReport) -> dict[int, Match]:
    """A force list with region subtotal rows mixed in names "West Midlands" twice: the row that
    heads a group of forces is the region, the one followed by the next region is the force."""
    out: dict[int, Match] = {}
    reg = registry()
    if len(table.body_rows) > 2000:
        return out
    for c in info.area_cols:
        seq = []
        for r in table.body_rows:
            v = grid.merged_value(r, c)
            if isinstance(v, str) and v.strip():
                m = reg.resolve(v, fuzzy=False)
                seq.append((r, v.strip(), m.area.kind if m is not None else None))
        names = [t for _, t, _ in seq]
        for name in {t for t in names if names.count(t) == 2 and reg.twin(t) is not None}:
            i1, i2 = [i for i, (_, t, _) in enumerate(seq) if t == name]
            coded = any(
                isinstance(grid.raw(seq[i][0], lc), str) and _GSS.match(str(grid.raw(seq[i][0], lc)).strip().upper())
                for i in (i1, i2) for lc in table.label_cols
            )
            if coded:
                continue  # a GSS code in the row already says which it is
            after = [seq[i + 1][2] if i + 1 < len(seq) else None for i in (i1, i2)]
            group = (schema.REGION, schema.COUNTRY, schema.NATIONAL, None)
            if after[0] == schema.FORCE and after[1] in group:
                pick = seq[i1][0]
            elif after[1] == schema.FORCE and after[0] in group:
                pick = seq[i2][0]
            else:
                continue
            twin = reg.twin(name)
            out[pick] = Match(twin, "exact", name)
            g = f"{name!r} in row {pick + 1} read as the region {twin.name} (it heads a group of forces); the other is the force"
            if g not in report.guesses:
                report.guesses.append(g)
    return out


# A label that starts like a total or a catch-all is never an area listed under a force.
_NOT_A_PLACE = re.compile(r"^\s*(?:sub[\s-]*)?totals?\b|^\s*all\b|%", re.I)
_UNDER_FORCE_ROWS = 2000  # a force list with its BCUs is a few hundred rows, never a long table


def _areas_under_forces(
    grid: SheetGrid, table: Table, skip_cols: set[int], split_start: int | None, markers: frozenset[str]
) -> dict[tuple[int, str], Match]:
    """Names listed under force rows in one label column ("Greater Manchester Police", "Bolton",
    "Bury", "Merseyside Police", "Liverpool" …): (column, name) -> the force row above each.

    Without this a BCU's name, unknown to the registry, was read as part of the measure
    ("Searches — Bolton") with no force: a number filed nowhere, or under the file's force.
    Only the layout is evidence, so it must be unmistakable: at least two force rows (and at
    least half of them) each followed by names, every name under one force only (a name
    repeated under each force, "Robbery", is a breakdown of the force's figure, not a place),
    no such name before the first force, and each name a short capitalised label that is not
    a period, a unit, a total or a registered area. Anything else leaves the column as it was.
    """
    out: dict[tuple[int, str], Match] = {}
    if len(table.body_rows) > _UNDER_FORCE_ROWS:
        return out
    reg = registry()
    for c in table.label_cols:
        if c in table.period_label_cols or c in skip_cols:
            continue
        found: dict[tuple[int, str], Match] = {}
        forces = with_names = 0
        current: Match | None = None
        named = False  # the current force row has names under it
        previous = None
        fits = True
        for r in table.body_rows:
            v = grid.merged_value(r, c)
            if not isinstance(v, str) or not v.strip() or v.strip() == previous:
                continue  # a blank, or the same name again (merged down, or one row per breakdown)
            text = previous = v.strip()
            match = reg.resolve(text, fuzzy=False) if not _GSS.match(text.upper()) else None
            if match is not None and match.area.kind == schema.FORCE:
                forces += 1
                current, named = match, False
                continue
            if match is not None or not _place_like(text, split_start, markers):
                current = None  # a region, a total, a period: what follows is not under the force
                continue
            if current is None or (c, text) in found:
                fits = False  # a name before any force, or under two: not this layout
                break
            found[(c, text)] = current
            if not named:
                named = True
                with_names += 1
        if fits and with_names >= 2 and 2 * with_names >= forces:
            out.update(found)
    return out


def _place_like(text: str, split_start: int | None, markers: frozenset[str]) -> bool:
    """Could this label be the name of an area below a force ("Bolton", "Wirral", "North
    Manchester")? Words the importer reads otherwise (periods, units, totals, codes, a close
    spelling of a force) and sentences are not."""
    if len(text) > 60 or len(text.split()) > 5 or any(ch.isdigit() for ch in text) or not text[:1].isupper():
        return False
    if _NOT_A_PLACE.search(text) or registry().resolve_special(text) is not None or _unit_of(text) is not None:
        return False
    kind, payload = _piece(text, split_start, markers)
    return kind == "measure" and bool(payload) and not _PERIOD_DIMENSION.match(payload)


def _under_force(parts: _Parts, pieces: list[tuple[int, Any]], info: _TableInfo) -> bool:
    """A row labelled with a name listed under a force row (_areas_under_forces): that name is
    the row's area (kind other), never part of the measure; the force is named in `note` and,
    because only the row order says so, in `guess`. True when the row was one."""
    for c, v in pieces:
        force = info.parents.get((c, v.strip())) if isinstance(v, str) else None
        if force is None:
            continue
        text = v.strip()
        label, marker = strip_footnotes(text)
        parts.area = Match(Area(name=label, code=None, kind=schema.OTHER, territorial=False, country="", aliases=()), "sub_area", text, marker)
        parts.area_col = c
        word = _clean_measure(text, info.markers)
        parts.measure = [m for m in parts.measure if m != word]
        parts.notes.append(f"within {force.area.name}")
        # Worded per force, not per name: the report lists each guess once, and a force's
        # dozen BCUs are one reading of one layout.
        why = f"names listed under the {force.area.name} row read as areas within it (the table does not say so)"
        parts.guess = f"{parts.guess}; {why}" if parts.guess else why
        return True
    return False


def _carried_forces(grid: SheetGrid, table: Table, sub_levels: list[tuple[int, int | None]]) -> dict[tuple[Any, ...], Match]:
    """`Force | BCU` with the force written once and blank below it: each row's labels -> the
    force named above it, so every BCU under it is "within" that force, not only the first.

    Keyed by the row's labels (the rows are described by their labels alone); a key that
    sits under two forces ("Central" under each, the force left blank) is left out, never
    given one of them.
    """
    level_cols = {col for name, code in sub_levels for col in (name, code) if col is not None}
    force_cols = [c for c in table.label_cols if c not in level_cols and c not in table.period_label_cols]
    out: dict[tuple[Any, ...], Match] = {}
    clashing: set[tuple[Any, ...]] = set()
    if not force_cols:
        return out
    reg = registry()
    last: Match | None = None
    for r in table.body_rows:
        pieces = label_pieces(grid, table, r)
        written = [v for c, v in pieces if c in force_cols and isinstance(v, str) and v.strip()]
        if written:
            found = [m for m in (reg.resolve(v, fuzzy=False) for v in written) if m is not None and m.area.kind == schema.FORCE]
            last = found[0] if found else None  # a region or an unknown name ends the force above
            continue
        if last is None or sub_area_of(pieces, sub_levels) is None:
            continue
        key = tuple(pieces)
        if key in out and out[key].area.name != last.area.name:
            clashing.add(key)
        out.setdefault(key, last)
    for key in clashing:
        del out[key]
    return out


_ONE_DAY = __import__("datetime").timedelta(days=1)


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


@dataclass
class _TableInfo:
    """What one table says about how to read its row labels (computed once per table)."""

    area_cols: list[int] = field(default_factory=list)  # most specific first (most distinct names)
    quarter_cols: set[int] = field(default_factory=set)  # "Quarter" / "Financial Quarter" columns
    label_headers: dict[int, str] = field(default_factory=dict)  # label column -> its header text
    markers: frozenset[str] = frozenset()  # footnote numbers the notes define
    regions: frozenset[str] = frozenset()  # names read as the region, not the force (class 5)
    sub_area_cols: set[int] = field(default_factory=set)  # districts, CSPs, wards: never a force by name
    bare_years: Any = None  # reads a bare year down the rows as the wording around it says (_bare_year_rows)
    # (label column, name) -> the force whose row it is listed under (_areas_under_forces)
    parents: dict[tuple[int, str], Match] = field(default_factory=dict)
    # a row's labels -> the force written once above it in a blank force column (_carried_forces)
    carried: dict[tuple[Any, ...], Match] = field(default_factory=dict)


def _row_parts(
    pieces: list[tuple[int, Any]],
    split_start: int | None,
    months: bool,
    hint: Any,
    area_cols: list[int],
    info: _TableInfo | None = None,
    sub_levels: Any = (),
) -> _Parts:
    """What a row's labels say (area, period, measure parts); computed once per distinct row key."""
    info = info or _TableInfo(area_cols=list(area_cols))
    quarter = None
    numeric = False
    if (info.quarter_cols or info.label_headers) and any(
        c in info.quarter_cols or (c in info.label_headers and not isinstance(v, str)) for c, v in pieces
    ):
        kept = []
        for c, v in pieces:
            if c in info.quarter_cols:
                text = _label_text(v) if not isinstance(v, str) else v.strip()
                m = _QUARTER.match(text) or re.fullmatch(r"\s*([1-4])\s*", text)
                if m:
                    quarter = m.group(1)
                    continue
            if (
                c in info.label_headers
                and isinstance(v, (int, float))
                and not isinstance(v, bool)
                and not is_year_number(v)
            ):
                v = f"{info.label_headers[c]} {_label_text(int(v) if float(v).is_integer() else v)}"
                numeric = True
            kept.append((c, v))
        pieces = kept
    parts = _classify(pieces, split_start, months, info.markers)
    if parts.quarter is not None:
        # "Q3" in a row label outside a Quarter column, with no year beside it: a name
        # (a power, a key stage), never dropped.
        parts.measure.append(f"Q{parts.quarter}")
        parts.quarter = None
    if quarter is not None:
        base = parts.period
        q = _quarter_inside(base, quarter) if base is not None and base.is_year_long else None
        if q is not None:
            parts.period, parts.period_text = q, f"Q{quarter} {parts.period_text}"
        else:
            parts.quarter = quarter
    parts.numeric_label = numeric  # type: ignore[attr-defined]
    if hint is not None and parts.period is not None:
        parts.period = hint(parts.period)
    if info.bare_years is not None and _is_bare_year(parts):
        parts.period = info.bare_years(parts.period)
        parts.years = []  # a month beside it is placed inside the year it now is, not the calendar one
    sub = sub_area_of(pieces, sub_levels) if sub_levels else None
    if sub is not None:  # a CSP or local authority below its force: its own area (long.py)
        outer = parts.area if parts.area is not None else _force_in(pieces, area_cols)
        if outer is None:  # the force written once, on the first of its rows
            outer = info.carried.get(tuple(pieces))
        parts.area, columns = sub
        if outer is not None and outer.area.kind == schema.FORCE and outer.area.name != parts.area.area.name:
            parts.notes.append(f"within {outer.area.name}")
        parts.code = parts.area.area.code
        drop = {_clean_measure(v) for c, v in pieces if c in columns and isinstance(v, str)}
        parts.measure = [m for m in parts.measure if m not in drop]
        return parts
    if info.parents and parts.area is None and _under_force(parts, pieces, info):
        return parts
    area_texts = [
        (c, v) for c, v in pieces
        if c in info.area_cols and isinstance(v, str) and v.strip() and not _GSS.match(v.strip().upper())
    ]
    if parts.area is not None and parts.area.area.name == "Total" and parts.area_col not in info.area_cols:
        # "Total" outside an area column is a total row of this area, not a national area.
        parts.area, parts.area_col = None, None
        parts.total = True
        if not any(_PURE_TOTAL.match(m) for m in parts.measure):
            parts.measure.append("Total")
    if not area_texts:
        return parts
    # A name in the area column is never part of the measure, even when it is not in the
    # registry ("City of London / Metropolitan Police" beside the London code).
    names = {_clean_measure(v) for _, v in area_texts}
    parts.measure = [m for m in parts.measure if m not in names]
    # The most specific area column that is filled in names the row's area: a CSP row
    # ("Leicestershire | Blaby") is Blaby, not the force it sits in.
    if len(area_texts) > 1:
        area_texts.sort(key=lambda cv: info.area_cols.index(cv[0]))
    c, v = area_texts[0]
    if parts.area is not None and parts.area_col == c and c in info.sub_area_cols and parts.area.area.kind == schema.FORCE:
        parts.area, parts.area_col = None, None  # a district called "Durham" is not Durham Constabulary
    if parts.area is not None and parts.area_col == c:
        if info.regions and v.strip() in info.regions and registry().twin(v) is not None:
            parts.area = Match(registry().twin(v), "exact", v, parts.area.note)
        return parts
    found = registry().resolve(v, parts.code if parts.area is None else None, fuzzy=False)
    if found is not None and c in info.sub_area_cols and found.area.kind == schema.FORCE:
        found = None  # a local authority called "Durham" or "Wiltshire" is not the force
    if found is None:
        found = registry().resolve_special(v)
    if found is None and parts.area is None and c not in info.sub_area_cols:
        guessed = registry().resolve(v)
        if guessed is not None and guessed.is_guess and guessed.area.kind == schema.FORCE:
            found = guessed
    if found is None:
        label, marker = strip_footnotes(v)
        unknown = Area(name=label, code=parts.code if parts.area is None else None, kind=schema.OTHER, territorial=False, country="", aliases=())
        found = Match(unknown, "unknown", v, marker)
    if parts.area is not None and found.area.name == parts.area.area.name and found.area.kind == schema.FORCE:
        # A district named like its force ("Wiltshire" beside "Wiltshire"): its own area.
        label, marker = strip_footnotes(v)
        found = Match(Area(name=label, code=None, kind=schema.OTHER, territorial=False, country="", aliases=()), "unknown", v, marker)
    if parts.area is not None and found.area.name != parts.area.area.name:
        parts.notes.append(f"within {parts.area.area.name}")
    if info.regions and v.strip() in info.regions:
        twin = registry().twin(v)
        if twin is not None:
            found = Match(twin, "exact", v, found.note)
    parts.area, parts.area_col = found, c
    return parts


def _pure_word_of(info: _TableInfo, sub_levels: Any, split_start: int | None) -> Any:
    """For columnar.py: the measure word a row label adds and nothing else, or None.

    A label that _classify reads as a plain measure word (no area, period, code, unit,
    quarter or total) and that _row_parts never reconsiders (not in an area or quarter
    column; no sub-area levels) changes a row's description only by that
    word in the measure, so rows that differ only in such labels are described once."""

    def pure_word(c: int, v: Any) -> str | None:
        # (a label column's header matters to _row_parts only for numbers: never a word)
        if sub_levels or not isinstance(v, str) or c in info.area_cols or c in info.quarter_cols:
            return None
        if c in info.sub_area_cols:
            return None
        text = v.strip()
        if not text:
            return None
        kind, payload = _piece(text, split_start, info.markers)
        if kind != "measure" or not payload or _PERIOD_DIMENSION.match(payload) or _PURE_TOTAL.match(payload) or _unit_of(text) not in (None, "count"):
            return None
        return payload

    return pure_word


def _area_name(v: Any) -> str | None:
    """The name _row_parts keeps out of the measure for a value in an area column."""
    if isinstance(v, str) and v.strip() and not _GSS.match(v.strip().upper()):
        return _clean_measure(v)
    return None


def _force_in(pieces: list[tuple[int, Any]], area_cols: list[int]) -> Match | None:
    """The force a row names in its area columns (exact names only), for a sub-area's note."""
    for c, v in pieces:
        if c in area_cols and isinstance(v, str) and v.strip():
            found = registry().resolve(v, None, fuzzy=False)
            if found is not None and found.area.kind == schema.FORCE:
                return found
    return None


def _describe(
    row: _Parts, col: _Parts, ctx: Context, title_measure: str | None, sheet: str | None, report: SheetReport
) -> tuple[Any, ...]:
    """(force, code, area kind, measure, period, period label, area, evidence) of a cell, from its
    row and column keys; evidence is a dict of the tidy columns force_source, period_source,
    measure_source, guess, is_total and unit (what bulk.py copies onto its rows).
    """
    area, area_source = _pick_area(row, col, ctx)
    period, period_label, period_source = _pick_period(row, col, ctx)
    if period is not None and (period.ambiguous or _default_split_year(period)):
        _flag_period(period, period_label, ctx.year_starts, report)
    guesses: list[str] = []
    col_words = col.measure + (col.fuzzy_text if area is not col.area else [])
    row_words = row.measure + (row.fuzzy_text if area is not row.area else [])
    # A long table (periods down the rows): the row's dimensions lead ("Robbery — Rolling year total").
    ordered = row_words + col_words if row.period is not None and col.period is None else col_words + row_words
    named = " — ".join(dict.fromkeys(m for m in ordered if m))
    measure_source: str | None = schema.FROM_TABLE
    if named and not col.measure and title_measure and (getattr(row, "numeric_label", False) or row.total):
        # "Age 17" or "Grand Total" alone says nothing of what was counted: the title does.
        named = f"{title_measure} — {named}"
    if named:
        measure = named
    elif title_measure:
        measure, measure_source = title_measure, schema.FROM_TITLE
    elif ctx.measure:
        measure, measure_source = ctx.measure, ctx.measure_source
    elif col.units and not col.units[-1].lower().startswith(("as at", "year", "period", "month", "date")):
        measure = col.units[-1]
    else:
        measure = _sheet_measure(sheet)
        measure_source = schema.FROM_SHEET_NAME if measure != "value" else None
    if col.guess:
        guesses.append(col.guess)
    if row.guess:
        guesses.append(row.guess)
    if period is not None and period.guess:
        guesses.append(period.guess)  # a part year or a bare year whose months are a reading
    if period_source not in (schema.FROM_TABLE, None) and period_source == source_kind(ctx.period_source) and ctx.period_guess:
        guesses.append(ctx.period_guess)
    unit = col.unit or row.unit
    is_total = col.total or row.total
    if area is None:
        guess = "; ".join(dict.fromkeys(guesses)) or None
        return "", None, schema.OTHER, measure, period, period_label, area, _evidence(None, period_source, measure_source, guess, is_total, unit)
    if area.method == "unknown":
        _note_unknown(report, area.text)
    if area.is_guess:
        why = {"county": "a place inside that force area", "abbreviation": "an abbreviation"}.get(area.method, "closest name")
        guess = f"{area.text!r} read as {area.area.name} ({why}; check it)"
        guesses.append(guess)
        if guess not in report.guesses:
            report.guesses.append(guess)
    if area_source != schema.FROM_TABLE and area is ctx.force and ctx.force_guess:
        guesses.append(f"force from context: {ctx.force_guess}")
    if area.area.name == "Total" or (area.area.kind == schema.NATIONAL and row.total):
        is_total = True
    for g in guesses:
        if g not in report.guesses:
            report.guesses.append(g)
    guess = "; ".join(dict.fromkeys(guesses)) or None
    return (
        area.area.name, area.area.code or row.code, area.area.kind, measure, period, period_label, area,
        _evidence(area_source, period_source, measure_source, guess, is_total, unit),
    )


def _evidence(
    force_source: str | None, period_source: str | None, measure_source: str | None, guess: str | None, is_total: bool, unit: str | None
) -> dict[str, Any]:
    """The evidence of one described cell, keyed by the tidy columns (bulk.EVIDENCE reads the same keys)."""
    return {
        "force_source": force_source, "period_source": period_source, "measure_source": measure_source,
        "guess": guess, "is_total": bool(is_total), "unit": unit,
    }


def _note_unknown(report: SheetReport, text: str) -> None:
    """One warning per sheet listing every name that is not a registered force or area."""
    seen = report.__dict__.setdefault("_unknown_noted", set())
    if text in seen:
        return
    seen.add(text)
    one = " is not a known force or area; kept under that name (area_kind other)"
    many = " are not known forces or areas; kept under their own names (area_kind other)"
    for i, w in enumerate(report.warnings):
        for tail in (one, many):
            if w.endswith(tail) and w.startswith("'"):
                names = w[: -len(tail)].split(", '")
                names = [names[0]] + ["'" + n for n in names[1:]]
                if repr(text) in names or names[-1] == "'…'":
                    return
                names.append(repr(text) if len(names) < 30 else "'…'")
                report.warnings[i] = ", ".join(names) + many
                return
    report.warnings.append(repr(text) + one)


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


def _pick_area(row: _Parts, col: _Parts, ctx: Context) -> tuple[Any, str | None]:
    if row.area is not None:
        return row.area, schema.FROM_TABLE
    if col.area is not None:
        return col.area, schema.FROM_TABLE
    if ctx.force is not None:
        return ctx.force, source_kind(ctx.force_source)
    return None, None


def _pick_period(row: _Parts, col: _Parts, ctx: Context) -> tuple[Any, str | None, str | None]:
    """The period of one number (with its label and source), from its column header, its row
    labels, or the file's context.

    Month names are combined with a year written elsewhere ("2020" over "Jun") or with
    the year-long period they sit inside ("Jun 2020 - May 2021" row, "Jan" column); a
    quarter ("Q3") with the year it sits in.
    """
    table = schema.FROM_TABLE
    open_label = col.open_label or row.open_label
    if open_label is not None:
        # "2024 (to date)": the table says when it starts but not when it ends. Neither the
        # whole year nor the title's period is honest; undated, with the reason in `guess`.
        return None, open_label, None
    months = col.months + row.months
    spans = [(p, t) for p, t in ((col.period, col.period_text), (row.period, row.period_text)) if p is not None]
    if months:
        years = col.years + row.years
        if years and not any(p.months < 12 for p, _ in spans):
            text = f"{months[-1]} {years[-1]}"
            period = _parse_label(text, None)
            if period is not None:
                return period, text, table
        for p, _ in spans:
            if p.months >= 12:
                inside = _month_inside(p, months[-1])
                if inside is not None:
                    return inside, f"{months[-1]} {inside.start.year}", table
    quarter = col.quarter or row.quarter
    if quarter:
        for p, t in spans + ([(ctx.period, None)] if ctx.period is not None else []):
            if p.is_year_long:
                q = _quarter_inside(p, quarter)
                if q is not None:
                    src = table if t is not None else source_kind(ctx.period_source)
                    return q, f"Q{quarter} {t or _long(p)}", src
    if spans:
        spans.sort(key=lambda pt: (pt[0].end - pt[0].start))
        return spans[0][0], spans[0][1] or _long(spans[0][0]), table
    src = source_kind(ctx.period_source)
    if months and ctx.period is not None and ctx.period.months >= 12:
        inside = _month_inside(ctx.period, months[-1])
        if inside is not None:
            return inside, f"{months[-1]} {inside.start.year}", src
    if ctx.period is not None:
        return ctx.period, _long(ctx.period), src
    return None, None, None


@lru_cache(maxsize=4096)
def _long(period: Any) -> str:
    from foistats.model.periods import long_label

    return long_label(period)


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
    """A printed total that disagrees with the sum of its parts is a warning naming both."""
    totals = set(table.total_rows)
    for r, c, printed in checks:
        if c in table.total_cols:
            # Only a total across period columns is checked: other "Total" columns often
            # sum sub-totals too, and a false alarm teaches users to ignore warnings.
            if len(table.total_cols) != 1 or not periodic_cols:
                continue
            cells = [(r, cc) for cc in periodic_cols if (r, cc) in values]
        else:
            # One total row under plain rows; several total rows usually mean sub-totals.
            if multi_area or len(table.total_rows) != 1:
                continue
            cells = [(rr, c) for rr in table.body_rows if rr < r and rr not in totals and (rr, c) in values]
        parts = [values[k] for k in cells]
        if not parts or any(p is None for p in parts):
            continue
        total = sum(parts)
        if abs(total - printed) > 1e-6 * max(1.0, abs(printed)):
            where = f"{cell_ref(*cells[0])}:{cell_ref(*cells[-1])}" if len(cells) > 1 else cell_ref(*cells[0])
            report.warnings.append(
                f"printed total {_num(printed)} in {cell_ref(r, c)} disagrees with the sum of its parts "
                f"in {where} ({_num(total)})"
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
            force_source=source_kind(ctx.force_source) if area else None,
            measure_source=ctx.measure_source if ctx.measure else None,
            guess=f"force from context: {ctx.force_guess}" if area and ctx.force_guess else None,
        )
    ]


def _name_single_measure(
    frame: "pl.DataFrame", measure: str | None, report: FileReport, source: str = schema.FROM_USER
) -> "pl.DataFrame":
    """A file answering one question gets the campaign's (or --measure's) name for it.

    Forces label the same measure a dozen ways ("Count", "Number of reports"); the
    request is what makes them the same thing. The label as written is kept in `note`.
    """
    import polars as pl

    if not measure or frame.height == 0:
        return frame
    # Two polars calls in all (this runs once per file, and a small frame's call costs
    # about a millisecond whatever it does): the answered rows' measures, then the renaming.
    answered = ~pl.col("status").is_in([schema.REFUSED, schema.NO_DATA]) & ~pl.col("is_total").fill_null(False)
    names = frame.select(pl.col("measure").filter(answered).unique()).to_series().to_list()
    if len(names) > 1:
        return frame
    original = names[0] if names else None
    renamed: list[Any] = []
    if original and original != measure:
        labelled = pl.lit(f"labelled {original!r}")
        renamed.append(
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
    # A printed total keeps what sets it apart ("— Grand Total") after the request's name.
    name = pl.col("measure")
    total_name = (
        pl.when(name == pl.lit(original or ""))
        .then(pl.lit(measure))
        .when(name.str.starts_with(f"{original} — ") if original else pl.lit(False))
        .then(pl.lit(measure) + name.str.slice(len(original or "")))
        .otherwise(pl.lit(f"{measure} — ") + name)
    )
    return frame.with_columns(
        *renamed,
        pl.when(pl.col("is_total").fill_null(False)).then(total_name).otherwise(pl.lit(measure)).alias("measure"),
        pl.lit(source).alias("measure_source"),
    )
