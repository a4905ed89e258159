"""Read a tidy dataset from disk: the one reader of foistats' own format.

Its own module so both the loader (`dataset`) and the import's own-output screening
(`own_outputs`, called from the pipeline) can read tidy data without an import circle.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from foistats.model.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl


def read_tidy(path: Path) -> "pl.DataFrame":
    """Read a tidy dataset written by `foistats import` (CSV or Parquet)."""
    import polars as pl

    from foistats.model.schema import conform

    try:
        if path.suffix.lower() == ".parquet":
            frame = pl.read_parquet(path)
        else:
            with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
                first = fh.readline(65536)
            sep = "\t" if first.count("\t") > first.count(",") else ","
            frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy", separator=sep)
    except Exception as exc:  # polars raises many types; all mean "cannot read"
        raise InputError(f"cannot read tidy dataset: {exc}", path=path) from None
    try:
        return conform(frame)
    except KeyError as exc:
        raise InputError(f"not a tidy dataset: column {exc.args[0]!r} is missing", path=path) from None
