"""Get a tidy frame from whatever the user pointed at: a tidy dataset, or raw returns.

Every data-taking command (periods, rise, rank, check --data, explain, status, export)
goes through `load()`, so a tidy CSV written by `foistats import` and the folder of
spreadsheets it came from give the same answers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foistats.errors import InputError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from foistats.importer import ImportOptions, ImportResult


@dataclass
class Loaded:
    """A tidy frame plus the import report when raw returns were read on the fly."""

    frame: "pl.DataFrame"
    imported: "ImportResult | None" = None
    sources: list[Path] = field(default_factory=list)
    failures_reported: bool = False  # set by the CLI once it has told the user

    @property
    def failures(self) -> list[Any]:
        return [] if self.imported is None else self.imported.failures


def is_tidy_file(path: Path) -> bool:
    """A .parquet file, or a CSV whose header holds the tidy columns."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return True
    if suffix not in (".csv", ".tsv", ".txt"):
        return False
    from foistats.schema import is_tidy_header

    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline()
    except OSError:
        return False
    return is_tidy_header(next(csv.reader([first]), []))


def read_tidy(path: Path) -> "pl.DataFrame":
    """Read a tidy dataset written by `foistats import` (CSV or Parquet)."""
    import polars as pl

    from foistats.schema import conform

    try:
        if path.suffix.lower() == ".parquet":
            frame = pl.read_parquet(path)
        else:
            frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    except Exception as exc:  # polars raises many types; all mean "cannot read"
        raise InputError(f"cannot read tidy dataset: {exc}", path=path) from None
    try:
        return conform(frame)
    except KeyError as exc:
        raise InputError(f"not a tidy dataset: column {exc.args[0]!r} is missing", path=path) from None


def load(paths: list[Path], options: "ImportOptions | None" = None) -> Loaded:
    """Load tidy files as they are and import everything else on the fly."""
    import polars as pl

    from foistats.importer import ImportOptions, import_paths

    if not paths:
        raise UsageError("no input given", hint="pass spreadsheets, a folder, or a tidy dataset")
    for p in paths:
        if not p.exists():
            raise InputError("no such file or folder", path=p)
    tidy_files = [p for p in paths if p.is_file() and is_tidy_file(p)]
    raw = [p for p in paths if p not in tidy_files]
    frames = [read_tidy(p) for p in tidy_files]
    imported = None
    if raw:
        imported = import_paths(raw, options or ImportOptions())
        frames.append(imported.frame)
    frame = pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]
    return Loaded(frame=frame, imported=imported, sources=list(paths))


def load_with_campaign(
    paths: list[Path],
    *,
    campaign_file: Path | None = None,
    force: str | None = None,
    period: str | None = None,
    measure_name: str | None = None,
    progress: bool = True,
) -> "tuple[Loaded, Any]":
    """Load with the campaign file's measure name and recipes applied (it is found beside the inputs)."""
    from foistats.campaign import find_campaign
    from foistats.importer import ImportOptions

    campaign = find_campaign(paths, campaign_file)
    options = ImportOptions(
        measure=measure_name or (campaign.measure if campaign else None),
        force=force,
        period=period,
        recipes=dict(campaign.recipes) if campaign else {},
        progress=progress,
    )
    return load(paths, options), campaign


def measures(frame: "pl.DataFrame") -> list[str]:
    return sorted(m for m in frame.get_column("measure").unique().to_list() if m is not None)


def select_measure(frame: "pl.DataFrame", measure: str | None) -> "tuple[pl.DataFrame, str]":
    """Keep one measure. Several measures and no choice is a usage error that lists them."""
    import polars as pl

    names = measures(frame)
    if not names:
        raise InputError("the data holds no measures at all")
    if measure is None:
        if len(names) == 1:
            return frame, names[0]
        listed = "; ".join(repr(n) for n in names[:12]) + (" …" if len(names) > 12 else "")
        raise UsageError(f"the data holds {len(names)} measures: {listed}", hint="choose one with --measure")
    wanted = measure.strip().lower()
    exact = [n for n in names if n.lower() == wanted]
    if not exact:
        exact = [n for n in names if wanted in n.lower()]
    if len(exact) == 1:
        return frame.filter(pl.col("measure") == exact[0]), exact[0]
    if not exact:
        raise UsageError(f"no measure matches {measure!r}", hint="measures: " + "; ".join(names[:12]))
    raise UsageError(f"--measure {measure!r} matches several measures: " + "; ".join(exact[:12]))


def write_tidy(frame: "pl.DataFrame", output: Path | None, fmt: str | None, *, excel_safe: bool = False) -> None:
    """Write the tidy dataset: Parquet or CSV by extension, or to stdout (CSV in a pipe).

    Written with polars' own writers (the fast path for a million rows) and atomically.
    """
    import sys

    import polars as pl

    from foistats.render import Column, Result, atomic_write_with, emit, resolve_format

    if excel_safe:
        leads = r"^[=+\-@\t\r]"
        frame = frame.with_columns(
            [
                pl.when(pl.col(c).str.contains(leads)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
                for c, dtype in frame.schema.items()
                if dtype == pl.String
            ]
        )
    if output is not None and output.suffix.lower() == ".parquet":
        atomic_write_with(output, frame.write_parquet)
        return
    chosen = resolve_format(fmt, output)
    frame = _integers_where_whole(frame)
    if chosen == "csv":
        if output is not None:
            atomic_write_with(output, lambda path: frame.write_csv(path, float_precision=None, date_format="%Y-%m-%d"))
        else:
            sys.stdout.write(frame.write_csv(float_precision=None, date_format="%Y-%m-%d"))
            sys.stdout.flush()
        return
    rows = frame.to_dicts()
    if chosen == "table" and output is None:
        shown = ("force", "measure", "period_label", "period_start", "period_end", "value", "status", "source_sheet", "source_cell")
        columns = [Column(k, kind="num" if k == "value" else "text") for k in shown]
        emit(Result(columns=columns, rows=rows, caption=f"{len(rows):,} tidy rows (pipe or -o FILE.csv for all columns)"), "table")
        return
    emit(Result(columns=[Column(k) for k in frame.columns], rows=rows), chosen, output)


def _integers_where_whole(frame: "pl.DataFrame") -> "pl.DataFrame":
    """Counts print as 28, not 28.0; FTEs and rates keep their decimals.

    A column of whole numbers (the usual case: counts) is cast to Int64, which polars
    writes at full speed; only a column that mixes counts and decimals is formatted
    value by value.
    """
    import polars as pl

    exprs = []
    for name in ("value", "value_low", "value_high"):
        if name not in frame.columns:
            continue
        c = frame.get_column(name)
        non_null = c.drop_nulls()
        if non_null.len() == 0 or bool(((non_null == non_null.round(0)) & (non_null.abs() < 2**53)).all()):
            exprs.append(pl.col(name).cast(pl.Int64))
        else:
            exprs.append(_whole_numbers_as_integers(name))
    return frame.with_columns(exprs) if exprs else frame


def _whole_numbers_as_integers(name: str) -> "pl.Expr":
    """Counts print as 28, not 28.0; FTEs and rates keep their decimals."""
    import polars as pl

    c = pl.col(name)
    whole = c.is_not_null() & (c == c.round(0)) & (c.abs() < 2**53)
    return pl.when(whole).then(c.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(c.cast(pl.String)).alias(name)
