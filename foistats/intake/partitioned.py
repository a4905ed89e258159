"""Read a hive-partitioned Parquet dataset written by `foistats import … -o DIR/`, lazily.

The folder is scanned with `polars.scan_parquet(..., hive_partitioning=True)`: the force
comes back from the folder names, the `year` partition key (not a tidy column) is dropped,
and the columns are brought to the tidy schema in the lazy plan, so only what is asked for
is read. The writer is `foistats.publish.partitioned`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foistats.model.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

DESCRIPTOR = "datapackage.json"
PROFILE = "foistats-tidy-partitioned"


def is_partitioned_dataset(path: Path) -> bool:
    """A folder holding a foistats datapackage.json, or hive `force=…` folders of Parquet."""
    if not path.is_dir():
        return False
    desc = path / DESCRIPTOR
    if desc.is_file():
        try:
            data = json.loads(desc.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and isinstance(data.get("foistats"), dict) and data["foistats"].get("profile") == PROFILE
    return any(p.is_dir() for p in path.glob("force=*")) and next(path.glob("force=*/*/*.parquet"), None) is not None


def scan(path: Path) -> "pl.LazyFrame":
    """The dataset as a LazyFrame in the tidy schema (nothing is read until collected)."""
    import polars as pl

    from foistats.model.schema import polars_schema

    schema = polars_schema()
    if next(path.glob("force=*/*/*.parquet"), None) is None:
        return pl.LazyFrame(schema=schema)
    try:
        lf = pl.scan_parquet(
            str(path / "force=*" / "*" / "*.parquet"),
            hive_partitioning=True,
            hive_schema={"force": pl.String, "year": pl.Int32},
            try_parse_hive_dates=False,
        )
        present = lf.collect_schema()
    except Exception as exc:  # polars raises many types; all mean "cannot read"
        raise InputError(f"cannot read partitioned dataset: {exc}", path=path) from None
    for name in ("force", "measure", "value", "status"):
        if name not in present:
            raise InputError(f"not a tidy dataset: column {name!r} is missing", path=path)
    exprs: list[Any] = []
    for name, dtype in schema.items():
        if name in present:
            exprs.append(pl.col(name).cast(dtype, strict=False).alias(name))
        elif name == "is_total":
            exprs.append(pl.lit(False).alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return lf.select(exprs)


def read_partitioned(path: Path) -> "pl.DataFrame":
    try:
        return scan(path).collect()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot read partitioned dataset: {exc}", path=path) from None


def partitioned_frames(paths: "list[Path] | None") -> "tuple[list[pl.DataFrame], list[Path] | None]":
    """Split off the partitioned datasets among `paths`: (their frames, the other paths)."""
    if not paths:
        return [], paths
    parted = [p for p in paths if is_partitioned_dataset(p)]
    if not parted:
        return [], paths
    return [read_partitioned(p) for p in parted], [p for p in paths if p not in parted]
