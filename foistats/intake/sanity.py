"""Checks over the whole import, once every file is read: numbers that cannot be what they claim.

Two things no single sheet can see, warned at import (not only later by `periods` or
`rank`), each warning attached to the sheet the number came from so `--strict` fails:

- the same force, measure and period given twice with different values (two replies
  for the same request, a revised return beside the original, a sheet repeated with
  a typo) - which one a chart uses would otherwise be an accident of file order;
- a negative count: counts of crimes, officers or requests cannot fall below zero, so
  a minus sign is a typing slip, a "change" column read as a count, or an export bug.

Reads the tidy frame and the report records only; imports polars lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foistats.intake.report import FileReport, SheetReport

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

# At most this many warnings of one kind per sheet; the rest are counted in one line.
_MAX_PER_SHEET = 5
_NUMERIC = ("ok", "estimated", "provisional", "revised", "nil")


def check_import(frame: "pl.DataFrame", reports: list[FileReport]) -> None:
    """Add duplicate and negative-count warnings to the sheet reports the rows came from."""
    if frame.is_empty():
        return
    notes: dict[tuple[str, str | None], list[str]] = {}
    for key, text in _negatives(frame) + _duplicates(frame):
        notes.setdefault(key, []).append(text)
    if notes:
        _attach(notes, reports)


def _negatives(frame: "pl.DataFrame") -> list[tuple[tuple[str, str | None], str]]:
    import polars as pl

    unit_ok = pl.col("unit").is_null() | pl.col("unit").str.to_lowercase().is_in(["count", "number", "thousands"])
    neg = frame.filter(
        (pl.col("value") < 0)
        & pl.col("status").is_in(_NUMERIC)
        & unit_ok
        & ~pl.col("measure").str.to_lowercase().str.contains("change|difference|net |balance|variance")
    )
    out: list[tuple[tuple[str, str | None], str]] = []
    for (source, sheet), group in neg.group_by(["source_file", "source_sheet"], maintain_order=True):
        first = group.row(0, named=True)
        out.append(
            (
                (source, sheet),
                f"{group.height} negative count(s) (e.g. {first['source_cell'] or '?'} = {_num(first['value'])} "
                f"for {first['force']}): a count cannot be below zero; check the source before using it",
            )
        )
    return out


def _duplicates(frame: "pl.DataFrame") -> list[tuple[tuple[str, str | None], str]]:
    import polars as pl

    keys = ["force", "measure", "period_start", "period_end"]
    rows = frame.filter(
        pl.col("value").is_not_null()
        & pl.col("force").is_not_null()
        & (pl.col("force") != "")
        & pl.col("period_start").is_not_null()
        & ~pl.col("is_total").fill_null(False)
    )
    if rows.is_empty():
        return []
    clashes = (
        rows.group_by(keys, maintain_order=True)
        .agg(
            pl.col("value").n_unique().alias("n"),
            pl.col("value"),
            pl.col("source_file"),
            pl.col("source_sheet"),
            pl.col("source_cell"),
            pl.col("period_label").first(),
        )
        .filter(pl.col("n") > 1)
    )
    out: list[tuple[tuple[str, str | None], str]] = []
    per_sheet: dict[tuple[str, str | None], int] = {}
    for c in clashes.iter_rows(named=True):
        first, second = _where(c, 0), _where(c, _other(c["value"]))
        key = (c["source_file"][_other(c["value"])], c["source_sheet"][_other(c["value"])])
        per_sheet[key] = per_sheet.get(key, 0) + 1
        if per_sheet[key] > _MAX_PER_SHEET:
            continue
        out.append(
            (
                key,
                f"{c['force']}, {c['measure']}, {c['period_label']} is given twice with different values: "
                f"{_num(c['value'][0])} ({first}) and {_num(c['value'][_other(c['value'])])} ({second}); "
                "keep one (a revised return?) before publishing",
            )
        )
    for key, n in per_sheet.items():
        if n > _MAX_PER_SHEET:
            out.append((key, f"… and {n - _MAX_PER_SHEET} more force/measure/period given twice with different values"))
    return out


def _other(values: list[float]) -> int:
    """Index of the first value that differs from the first."""
    return next(i for i, v in enumerate(values) if v != values[0])


def _where(c: dict, i: int) -> str:
    sheet = f" [{c['source_sheet'][i]}]" if c["source_sheet"][i] else ""
    cell = f" {c['source_cell'][i]}" if c["source_cell"][i] else ""
    return f"{c['source_file'][i]}{sheet}{cell}"


def _num(value: float | int | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _attach(notes: dict[tuple[str, str | None], list[str]], reports: list[FileReport]) -> None:
    by_path = {r.path: r for r in reports}
    for (source, sheet), texts in notes.items():
        report = by_path.get(source)
        if report is None:
            report = next((r for r in reports if source.endswith(r.path) or r.path.endswith(source)), None)
        if report is None:
            continue
        target = next((s for s in report.sheets if s.sheet == sheet), None)
        if target is None:
            target = report.sheets[0] if report.sheets else None
        if target is None:
            target = SheetReport(sheet=sheet, status="imported")
            report.sheets.append(target)
        target.warnings.extend(t for t in texts if t not in target.warnings)
