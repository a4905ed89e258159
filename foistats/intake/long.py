"""Long tables: one row per (area, period, dimension values...) and a column or two of numbers.

Detection judges a column by its cells, and two kinds of column in a long table fool it:

- a dimension column whose values look like numbers: an `Age group` of `10-17`, `18-24`,
  `Under 10` reads as suppressed ranges. Such a column is a label column, so its value
  is part of each number's key (`... — 10-17`) instead of a skipped "value" while the
  numbers beside it share one key;
- a lone value column headed `Total` (`Region | Police force | Total`): there is nothing
  in the table for it to be the total of, so it is the data itself.

`refine(grid, table)` corrects a detected Table in place; tidy.py calls it for every
table it did not get from a recipe.
"""

from __future__ import annotations

import re
from foistats.intake.detect import SheetGrid, Table, header_pieces, sample
from foistats.intake.grid import col_letter
from foistats.model.values import parse_value

# Header words of a dimension: what a long table's label columns are called.
_DIMENSION_WORDS = frozenset(
    {
        "age", "ages", "age group", "age groups", "age band", "age bands", "age range", "age ranges", "age bracket",
        "sex", "gender", "ethnicity", "ethnic group", "ethnic groups", "ethnic origin", "ethnic appearance",
        "self-defined ethnicity", "officer-defined ethnicity", "offence", "offence group", "offence type",
        "offence category", "offence subgroup", "offence description", "crime type", "crime group", "category",
        "type", "value type", "measure", "measure type", "unit", "units", "group", "band", "rank", "outcome",
        "outcome type", "disposal", "disposal type", "legislation", "object of search", "worker type", "role",
        "religion", "disability", "nationality",
    }
)
_BAND = re.compile(r"^\s*(?:\d{1,3}\s*(?:-|–|to)\s*\d{1,3}|\d{1,3}\s*\+|under\s+\d{1,3}|\d{1,3}\s+and\s+(?:over|under)|over\s+\d{1,3})\s*$", re.I)


def refine(grid: SheetGrid, table: Table) -> Table:
    """Move dimension columns out of the values; make a lone Total column the data."""
    _dimension_columns(grid, table)
    _lone_total(table)
    return table


def _header_words(grid: SheetGrid, table: Table, c: int) -> str:
    text = " ".join(str(p) for p in header_pieces(grid, table, c) if isinstance(p, str))
    return " ".join(text.replace("_", " ").lower().split()).strip(" :")


def _dimension_columns(grid: SheetGrid, table: Table) -> None:
    if len(table.value_cols) < 2:
        return
    rows = sample(table.body_rows)
    moved = []
    for c in list(table.value_cols):
        if c == max(table.value_cols):
            continue  # the numbers themselves are in the last value column at least
        cells = [grid.raw(r, c) for r in rows]
        cells = [v for v in cells if v is not None and not (isinstance(v, str) and not v.strip())]
        if not cells:
            continue
        texts = [v for v in cells if isinstance(v, str)]
        bands = [v for v in texts if _BAND.match(v)]
        plain_numbers = len(cells) - len(texts) + sum(1 for v in texts if _plain_number(v))
        words = _header_words(grid, table, c)
        named = words in _DIMENSION_WORDS
        repeated = len(set(map(str, cells))) <= max(12, len(cells) // 3)
        if named and bands and plain_numbers < len(cells):
            pass  # "Age group" holding 10-17, 18+: a dimension
        elif bands and len(bands) >= 0.8 * len(cells) and repeated and len(cells) >= 2:
            pass  # a column of repeated bands beside a column of numbers: a dimension
        else:
            continue
        moved.append(c)
    for c in moved:
        table.value_cols.remove(c)
        for group in (table.total_cols, table.derived_cols):
            if c in group:
                group.remove(c)
        table.label_cols.append(c)
        table.rejected.append(
            f"column {col_letter(c)}: bands such as '10-17' in a long table's dimension column: labels, not values"
        )
    table.label_cols.sort()


def _plain_number(text: str) -> bool:
    v = parse_value(text)
    return v is not None and v.value is not None and v.low is None


def _lone_total(table: Table) -> None:
    """`Region | Police force | Total`: a Total column with no parts beside it is the data."""
    if not table.total_cols:
        return
    parts = [c for c in table.value_cols if c not in table.total_cols and c not in table.derived_cols]
    if parts:
        return
    for c in table.total_cols:
        table.rejected.append(f"column {col_letter(c)}: headed Total but the only column of numbers: read as the data")
    table.total_cols.clear()

