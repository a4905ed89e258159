"""Record-level files (one row per crime, search or incident) counted per force, month and category.

These files are big (data.police.uk extracts run to millions of rows), so they are
scanned lazily with polars, reading only the columns needed, and streamed: memory
stays flat however long the file. Counts come back as UInt32 from polars and are
cast to Int64 at once, so a later subtraction can never wrap round.
Timestamps with an offset are converted to UK local time before the month is taken:
a stop and search at 2020-07-31T23:30+00:00 happened in August in London.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foistats.intake.report import FileReport, ImportOptions, SheetReport
from foistats.model import schema
from foistats.model.errors import InputError
from foistats.model.schema import TidyRow

_FORCE_COLUMNS = ("Falls within", "Reported by", "Force", "Police force", "PFA", "force")
_MONTH_COLUMNS = ("Month",)
_TIME_COLUMNS = ("Date", "Datetime", "Date/time", "Timestamp")
_CATEGORY_COLUMNS = ("Crime type", "Type", "Object of search", "Outcome type", "Category")


@dataclass
class RecordLayout:
    kind: str  # street | search | outcomes | records
    force_col: str | None
    month_col: str | None
    time_col: str | None
    category_col: str | None
    columns: list[str]


def _header(path: Path) -> list[str]:
    with path.open("rb") as fh:
        head = fh.read(8192)
    from foistats.intake import guard

    try:
        text, _ = guard.decode_text(head, partial=True)
    except InputError:
        return []
    first = text.splitlines()[0] if text else ""
    return [c.strip() for c in next(csv.reader(io.StringIO(first)), [])]


def layout_of(header: list[str]) -> RecordLayout | None:
    """Recognise data.police.uk street/outcomes/stop-and-search extracts by their header."""
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
    return None


def is_record_level(path: Path) -> bool:
    return layout_of(_header(path)) is not None


_MEASURE = {"street": "Street-level crime records", "outcomes": "Outcome records", "search": "Stop and search records"}


def import_records(path: Path, options: ImportOptions) -> tuple[list[TidyRow], FileReport]:
    import polars as pl

    from foistats.model.forces import registry

    layout = layout_of(_header(path))
    assert layout is not None
    display = str(path)
    report = FileReport(path=display, status="imported")
    sheet = SheetReport(sheet=None, status="counted", orientation="records")
    report.sheets.append(sheet)
    context_force = None
    if options.force:
        context_force = registry().resolve(options.force)
        sheet.force_source = "--force"
    if context_force is None:
        slug = path.stem
        context_force = registry().find_in_text(slug.replace("-", " "))
        if context_force is not None:
            sheet.force_source = "file name"
    wanted = [c for c in (layout.force_col, layout.month_col, layout.time_col, layout.category_col) if c]
    try:
        lf = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy").select([pl.col(c) for c in wanted])
        if layout.time_col:
            ts = pl.col(layout.time_col).str.to_datetime(time_zone="UTC", strict=False)
            month = ts.dt.convert_time_zone("Europe/London").dt.strftime("%Y-%m")
        else:
            month = pl.col(layout.month_col)  # trimmed after the group_by: once per group, not per row
        force = pl.col(layout.force_col).fill_null("") if layout.force_col else pl.lit("")
        category = pl.col(layout.category_col).fill_null("(none)") if layout.category_col else pl.lit("(all)")
        counts = (
            lf.select(force.alias("force"), month.alias("month"), category.alias("category"))
            .group_by("force", "month", "category")
            .agg(pl.len().cast(pl.Int64).alias("n"))
            .collect(engine="streaming")
        )
        if not layout.time_col:
            counts = (
                counts.with_columns(pl.col("month").str.strip_chars().str.slice(0, 7))
                .group_by("force", "month", "category")
                .agg(pl.col("n").sum())
            )
        counts = counts.sort("force", "month", "category")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # polars errors, and Rust panics (a BaseException in pyo3)
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise InputError(f"cannot read record-level CSV: {first}", path=path) from None
    measure_base = options.measure or _MEASURE.get(layout.kind, "Records")
    names = _Names(context_force, sheet)
    rows: list[TidyRow] = []
    totals: dict[tuple[str, str], int] = {}
    for force_text, month_text, category, n in counts.iter_rows():
        totals[(force_text, month_text)] = totals.get((force_text, month_text), 0) + int(n)
        rows.append(names.row(force_text, month_text, f"{measure_base}: {category}", int(n), display))
    for (force_text, month_text), n in sorted(totals.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")):
        rows.append(names.row(force_text, month_text, f"{measure_base}: all categories", n, display))
    sheet.rows_imported = len(rows)
    sheet.measure = f"{measure_base}: all categories"
    sheet.data_range = f"{sum(totals.values()):,} records"
    return rows, report


class _Names:
    """Force names and months resolved once per distinct value: 43 forces × 36 months
    label tens of thousands of (force, month, category) counts."""

    def __init__(self, context_force: Any, sheet: SheetReport) -> None:
        self.context_force = context_force
        self.sheet = sheet
        self._forces: dict[str, Any] = {}
        self._months: dict[str, Any] = {}

    def force(self, text: str) -> Any:
        if text not in self._forces:
            from foistats.model.forces import registry

            match = registry().resolve(text) if text else None
            if match is None:
                match = self.context_force
                if text and match is None:
                    self.sheet.warnings.append(f"force {text!r} not recognised")
            if self.sheet.force is None and match is not None:
                self.sheet.force = match.area.name
                self.sheet.force_source = self.sheet.force_source or f"column value {text!r}"
            self._forces[text] = match
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

    def row(self, force_text: str, month_text: str, measure: str, n: int, display: str) -> TidyRow:
        match = self.force(force_text)
        period = self.month(month_text)
        return TidyRow(
            force=match.area.name if match else (force_text or ""),
            force_code=match.area.code if match else None,
            area_kind=match.area.kind if match else schema.OTHER,
            measure=measure,
            period_start=period.start if period else None,
            period_end=period.end if period else None,
            period_label=month_text or "",
            value=n,
            status=schema.OK,
            value_low=None,
            value_high=None,
            source_file=display,
            source_sheet=None,
            source_cell=None,
            note="counted from records",
        )
