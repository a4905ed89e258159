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

# Where a force, period or measure came from (the *_source columns). The table's own
# labels first; then the user; then context around the table, used only when the table
# says nothing. docs/tidy-dataset.md explains each.
FROM_TABLE = "table"  # the row label, column header or header cell of the table itself
FROM_RECORDS = "records"  # fields of a record-level file (a force or date column)
FROM_USER = "user"  # --force / --period / --measure
FROM_RECIPE = "recipe"  # a recipe (--recipe FILE or the campaign file's [recipes])
FROM_CAMPAIGN = "campaign"  # the campaign file (e.g. its measure name)
FROM_TITLE = "title"  # a title or caption above the table
FROM_SHEET_NAME = "sheet_name"
FROM_FILE_NAME = "file_name"
FROM_LETTERHEAD = "letterhead"  # the reply letter's letterhead or signature (PDF, Word, email)
SOURCES = (
    FROM_TABLE, FROM_RECORDS, FROM_USER, FROM_RECIPE, FROM_CAMPAIGN, FROM_TITLE, FROM_SHEET_NAME,
    FROM_FILE_NAME, FROM_LETTERHEAD,
)


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
    # Evidence: where this row's force, period and measure came from (one of SOURCES), and
    # why the attribution is only a guess (None when it is not one). A guess fails --strict.
    force_source: str | None = None
    period_source: str | None = None
    measure_source: str | None = None
    guess: str | None = None
    # A printed total (a "Total" row or column): kept so it can be quoted and checked against
    # its parts, never added again when periods are summed or forces ranked.
    is_total: bool = False
    unit: str | None = None  # "count", "thousands", "£m", "per 1,000 population", "%" ... None = not stated


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
        "force_source": pl.String,
        "period_source": pl.String,
        "measure_source": pl.String,
        "guess": pl.String,
        "is_total": pl.Boolean,
        "unit": pl.String,
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
            elif dtype == pl.Boolean and frame.schema[name] == pl.String:
                exprs.append(col.str.strip_chars().str.to_lowercase().is_in(["true", "1", "yes"]).fill_null(False).alias(name))
            else:
                exprs.append(col.cast(dtype, strict=False).alias(name))
        elif name == "is_total":
            exprs.append(pl.lit(False).alias(name))  # a dataset from before totals were kept had none
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(exprs)


def is_tidy_header(header: list[str]) -> bool:
    """A CSV whose header carries the tidy columns is a foistats dataset, not a raw return."""
    wanted = {"force", "measure", "value", "status", "period_start", "period_end"}
    return wanted.issubset({h.strip() for h in header})
