"""The tidy dataset: the one table every command reads and writes.

The column names below are a public interface (scripts select them by name), so
they are defined once here and documented in docs/tidy-dataset.md. Polars is only
imported inside functions: `foistats check` must not pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

# Row statuses. A symbol is never turned into a number: the value stays null and
# the status says why (GSS "Using symbols and shorthand", 2022, plus FOI usage).
OK = "ok"
SUPPRESSED = "suppressed"  # [c], *, <5 and friends: a real value withheld
NOT_AVAILABLE = "not_available"  # [x], .., n/a, :
NOT_APPLICABLE = "not_applicable"  # [z]
NIL = "nil"  # nil, "-": reported as none (may be a true zero)
LOW = "low"  # [low], ~: rounds to zero but is not zero
ESTIMATED = "estimated"  # [e]
PROVISIONAL = "provisional"  # [p]
REVISED = "revised"  # [r], "R"
REFUSED = "refused"  # the request was refused (s12 cost, s40 personal data ...)
NO_DATA = "no_data"  # the force answered that it holds no information

STATUSES = (
    OK, SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE, NIL, LOW, ESTIMATED, PROVISIONAL,
    REVISED, REFUSED, NO_DATA,
)
# Statuses whose value, when present, is a real published number.
NUMERIC_STATUSES = frozenset({OK, ESTIMATED, PROVISIONAL, REVISED, NIL})

# What a row's area is. Only "force" rows are ever ranked.
FORCE = "force"
REGION = "region"
COUNTRY = "country"
NATIONAL = "national"
OTHER_BODY = "other_body"
COMBINED = "combined"
OTHER = "other"
AREA_KINDS = (FORCE, REGION, COUNTRY, NATIONAL, OTHER_BODY, COMBINED, OTHER)


@dataclass(slots=True)
class TidyRow:
    """One number (or one reasoned absence of a number) and where it came from."""

    force: str
    force_code: str | None
    area_kind: str
    measure: str
    period_start: date | None
    period_end: date | None
    period_label: str
    value: float | int | None
    status: str
    value_low: float | int | None
    value_high: float | int | None
    source_file: str
    source_sheet: str | None
    source_cell: str | None
    note: str | None = None


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(TidyRow))


def polars_schema() -> "dict[str, Any]":
    """Column dtypes for the tidy frame; value columns are Float64 so FTEs and counts share them."""
    import polars as pl

    return {
        "force": pl.String,
        "force_code": pl.String,
        "area_kind": pl.String,
        "measure": pl.String,
        "period_start": pl.Date,
        "period_end": pl.Date,
        "period_label": pl.String,
        "value": pl.Float64,
        "status": pl.String,
        "value_low": pl.Float64,
        "value_high": pl.Float64,
        "source_file": pl.String,
        "source_sheet": pl.String,
        "source_cell": pl.String,
        "note": pl.String,
    }


def to_frame(rows: "list[TidyRow]") -> "pl.DataFrame":
    """Build the tidy frame from rows in one go (column-wise, so it stays fast)."""
    from operator import attrgetter

    import polars as pl

    schema = polars_schema()
    if not rows:
        return empty_frame()
    getter = attrgetter(*COLUMNS)
    transposed = list(zip(*map(getter, rows)))
    columns = dict(zip(COLUMNS, (list(col) for col in transposed)))
    return pl.DataFrame(columns, schema=schema, strict=False)


def empty_frame() -> "pl.DataFrame":
    import polars as pl

    return pl.DataFrame(schema=polars_schema())


def conform(frame: "pl.DataFrame") -> "pl.DataFrame":
    """Bring a frame read from disk to the tidy schema (missing optional columns become null).

    Raises KeyError naming the first required column that is absent.
    """
    import polars as pl

    schema = polars_schema()
    required = ("force", "measure", "value", "status")
    for name in required:
        if name not in frame.columns:
            raise KeyError(name)
    exprs = []
    for name, dtype in schema.items():
        if name in frame.columns:
            col = pl.col(name)
            if dtype == pl.Date and frame.schema[name] == pl.String:
                exprs.append(col.str.to_date("%Y-%m-%d", strict=False).alias(name))
            else:
                exprs.append(col.cast(dtype, strict=False).alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(exprs)


def is_tidy_header(header: list[str]) -> bool:
    """A CSV whose header carries the tidy columns is a foistats dataset, not a raw return."""
    wanted = {"force", "measure", "value", "status", "period_start", "period_end"}
    return wanted.issubset({h.strip() for h in header})
