"""Write the tidy dataset: Parquet or CSV by extension, or to stdout.

Reading tidy data back is the intake's job (`foistats.intake.dataset`); writing it is
publishing, so it lives here beside the other outputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl


def write_tidy(frame: "pl.DataFrame", output: Path | None, fmt: str | None, *, excel_safe: bool = False) -> None:
    """Write the tidy dataset: Parquet or CSV by extension, or to stdout (CSV in a pipe).

    Written with polars' own writers (the fast path for a million rows) and atomically.
    """
    import sys

    import polars as pl

    from foistats.publish.files import atomic_write_with, is_stdout
    from foistats.publish.render import Column, Result, delimiter, emit, resolve_format

    if excel_safe:
        leads = r"^[=+\-@\t\r]"
        frame = frame.with_columns(
            [
                pl.when(pl.col(c).str.contains(leads)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
                for c, dtype in frame.schema.items()
                if dtype == pl.String
            ]
        )
    from foistats.publish.partitioned import named_as_folder, write_partitioned  # issue 19

    if output is not None and str(output) != "-" and named_as_folder(output):
        write_partitioned(frame, output)
        return
    if output is not None and output.suffix.lower() == ".parquet":
        atomic_write_with(output, frame.write_parquet)
        return
    chosen = resolve_format(fmt, output)
    frame = _integers_where_whole(frame)
    if chosen in ("csv", "tsv"):
        sep = delimiter(chosen)
        if output is not None and not is_stdout(output):
            atomic_write_with(
                output, lambda path: frame.write_csv(path, float_precision=None, date_format="%Y-%m-%d", separator=sep)
            )
        else:
            from foistats.publish.files import OutputError, describe_os_error

            try:
                sys.stdout.write(frame.write_csv(float_precision=None, date_format="%Y-%m-%d", separator=sep))
                sys.stdout.flush()
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise OutputError(f"cannot write to stdout: {describe_os_error(exc)}") from None
        return
    rows = frame.to_dicts()
    if chosen == "table" and (output is None or is_stdout(output)):
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
