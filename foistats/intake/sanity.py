"""Checks over the whole import, once every file is read: numbers that cannot be what they claim.

Two things no single sheet can see, warned at import (not only later by `periods` or
`rank`), each warning attached to the sheet the number came from so `--strict` fails:

- the same force, measure and period given twice with different values (two replies
  for the same request, a revised return beside the original, a sheet repeated with
  a typo) - which one a chart uses would otherwise be an accident of file order;
- a negative count: counts of crimes, officers or requests cannot fall below zero, so
  a minus sign is a typing slip, a "change" column read as a count, or an export bug.

And one check of a dataset rather than an import: `validate_tidy`, for a tidy CSV
or Parquet given back as input (it may have been edited by hand since foistats wrote it).

Reads the tidy frame and the report records only; imports polars lazily.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from foistats.intake.report import FileReport, SheetReport

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

# At most this many duplicate warnings per file; the rest are counted in one line.
_MAX_PER_FILE = 5
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
    # The cheap test first, alone: polars evaluates every part of one predicate over every
    # row, and lower-casing 200,000 measures to find the rare negative costs 20 ms.
    neg = frame.filter(pl.col("value") < 0).filter(
        pl.col("status").is_in(_NUMERIC)
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
    rows = (
        frame.lazy()
        .select([*keys, "value", "source_file", "source_sheet", "source_cell", "period_label", "is_total"])
        .filter(
            pl.col("value").is_not_null()
            & pl.col("force").is_not_null()
            & (pl.col("force") != "")
            & pl.col("period_start").is_not_null()
            & ~pl.col("is_total").fill_null(False)
        )
        .collect()
    )
    if rows.is_empty() or rows.select(keys).hash_rows().is_unique().all():
        return []  # every key once (one 64-bit hash per row): no group-by of lists of every row
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
    per_file: dict[str, int] = {}
    first_key: dict[str, tuple[str, str | None]] = {}
    within: dict[tuple[str, str | None], list[dict]] = {}
    for c in clashes.iter_rows(named=True):
        places = set(zip(c["source_file"], c["source_sheet"]))
        if len(places) == 1:
            # one sheet saying two things for one key: usually a breakdown (age band, outcome)
            # the tidy rows cannot tell apart - one line per sheet, not one per key
            within.setdefault(next(iter(places)), []).append(c)
            continue
        first, second = _where(c, 0), _where(c, _other(c["value"]))
        key = (c["source_file"][_other(c["value"])], c["source_sheet"][_other(c["value"])])
        first_key.setdefault(key[0], key)
        per_file[key[0]] = per_file.get(key[0], 0) + 1
        if per_file[key[0]] > _MAX_PER_FILE:
            continue
        out.append(
            (
                key,
                f"{c['force']}, {c['measure']}, {c['period_label']} is given twice with different values: "
                f"{_num(c['value'][0])} ({first}) and {_num(c['value'][_other(c['value'])])} ({second}); "
                "keep one (a revised return?) before publishing",
            )
        )
    for source, n in per_file.items():
        if n > _MAX_PER_FILE:
            out.append((first_key[source], f"… and {n - _MAX_PER_FILE} more force/measure/period given twice with different values"))
    for key, group in within.items():
        c = group[0]
        i = _other(c["value"])
        out.append(
            (
                key,
                f"{len(group):,} force/measure/period combination(s) appear more than once in this sheet with "
                f"different values (e.g. {c['force']}, {c['measure']}, {c['period_label']}: "
                f"{_num(c['value'][0])} in {c['source_cell'][0] or '?'} and {_num(c['value'][i])} in "
                f"{c['source_cell'][i] or '?'}); a breakdown the rows cannot tell apart? Check before summing or ranking",
            )
        )
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


# ---- a tidy dataset given back as input ------------------------------------------------

# Text that a spreadsheet would run: =, +, - or @ followed by something formula-like, or
# a leading tab/CR (Excel's other injection doors). "-" alone, "-5" and "+5%" are not.
_FORMULA = re.compile(r"^\s*(?:[=@]|[+\-]\s*[A-Za-z(])|^[\t\r]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_tidy(frame: "pl.DataFrame", path: Path) -> "pl.DataFrame":
    """Check a tidy dataset read from disk as strictly as a return: it may have been hand-edited.

    Refused with one line naming the row: a force name or code that is a formula
    (=HYPERLINK(...) is no police force) or holds control characters, a
    force the registry does not know where area_kind says "force", a status outside
    the schema's, a value that is not a plausible number, a period that ends before it
    starts. Force names the registry knows under another spelling are put right.
    """
    import polars as pl

    from foistats.model import schema
    from foistats.model.errors import InputError
    from foistats.model.forces import registry

    if frame.is_empty():
        return frame
    indexed = frame.with_row_index("_row", offset=2)  # row 1 is the header
    # Sheet names and notes may legitimately start with "=" (outputs are made formula-safe);
    # an area's name and code never do.
    for column in ("force", "force_code"):
        bad = indexed.filter(
            pl.col(column).str.contains(_FORMULA.pattern) | pl.col(column).str.contains(_CONTROL.pattern)
        ).head(1)
        if bad.height:
            row = bad.row(0, named=True)
            raise InputError(
                f"row {row['_row']}: the {column} {_short(row[column])} is a formula or holds control characters, "
                "not a name; this tidy dataset was edited by hand - fix or remove the row",
                path=path,
            )
    bad = indexed.filter(pl.col("status").is_null() | ~pl.col("status").is_in(list(schema.STATUSES))).head(1)
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(f"row {row['_row']}: status {_short(row['status'])} is not one foistats writes", path=path)
    bad = indexed.filter(pl.col("value").is_not_null() & (pl.col("value").is_nan() | (pl.col("value").abs() > 1e15))).head(1)
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(f"row {row['_row']}: value {row['value']} is not a plausible number", path=path)
    bad = indexed.filter(pl.col("period_end") < pl.col("period_start")).head(1)
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(f"row {row['_row']}: the period ends ({row['period_end']}) before it starts ({row['period_start']})", path=path)
    reg = registry()
    names: dict[str, str] = {}
    for name, kind in indexed.select("force", "area_kind").unique().iter_rows():
        if name is None or kind not in (None, schema.FORCE):
            continue
        if reg.by_name(name) is not None:
            continue
        match = reg.resolve(name, fuzzy=False)
        if match is None or match.area.kind != schema.FORCE:
            row = indexed.filter(pl.col("force") == name).row(0, named=True)
            raise InputError(
                f"row {row['_row']}: {_short(name)} is not a police force foistats knows (area_kind says force); "
                "fix the name or set area_kind to other",
                path=path,
            )
        names[name] = match.area.name
    if names:
        frame = frame.with_columns(pl.col("force").replace(names))
    return frame


def _short(text: object, n: int = 60) -> str:
    s = repr(str(text))
    return s if len(s) <= n else s[: n - 2] + "…'"
