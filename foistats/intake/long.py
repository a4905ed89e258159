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
from typing import Any
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


def tables_of(grid: SheetGrid, recipe: dict[str, Any]) -> list[Table]:
    """A sheet's tables as the import reads them: detected (with a recipe's overrides),
    then each refined as above, unless the recipe fixes the header or data rows itself.
    One place for tidy.py's sheet loop and columnar.prefetch, which detect the same grid."""
    from foistats.intake.detect import detect_tables

    tables = detect_tables(grid, recipe)
    if recipe.get("header_rows") or recipe.get("data_rows"):
        return tables
    return [refine(grid, t) for t in tables]


def refine(grid: SheetGrid, table: Table) -> Table:
    """Move dimension columns out of the values; drop coordinates; make a lone Total column the data."""
    _coordinates(grid, table)
    _row_numbers(grid, table)
    _dimension_columns(grid, table)
    _lone_total(table)
    return table


# Numbers that say where, not how many: never values (like detect's identifier columns).
_COORDINATE_WORDS = frozenset(
    {
        "latitude", "longitude", "lat", "lon", "lng", "long", "easting", "northing", "eastings", "northings",
        "x coordinate", "y coordinate", "grid reference", "grid ref", "os grid reference",
        "location easting osgr", "location northing osgr", "postcode",
    }
)


ROW_NUMBER_HEADERS = ("#", "no", "no.", "row", "item", "s/n")


def _row_numbers(grid: SheetGrid, table: Table) -> None:
    """A column headed "#" (or "No.", "Row", "Item") counting 1, 2, 3 down the rows numbers the rows."""
    for c in list(table.value_cols):
        if len(table.value_cols) < 2 or _header_words(grid, table, c) not in ROW_NUMBER_HEADERS:
            continue
        cells = [grid.raw(r, c) for r in table.body_rows]
        numbers = [parse_value(v).value if isinstance(v, str) and parse_value(v) else v for v in cells]
        if numbers and all(isinstance(x, (int, float)) for x in numbers) and [int(x) for x in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers))):
            table.value_cols.remove(c)
            table.rejected.append(f"column {col_letter(c)}: row numbers (1, 2, 3...), not a measurement")


def _coordinates(grid: SheetGrid, table: Table) -> None:
    for c in list(table.value_cols):
        words = _header_words(grid, table, c)
        if words in _COORDINATE_WORDS and len(table.value_cols) > 1:
            table.value_cols.remove(c)
            for group in (table.total_cols, table.derived_cols):
                if c in group:
                    group.remove(c)
            table.rejected.append(f"column {col_letter(c)}: headed {words!r}, a coordinate, not a measurement")


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



# ------------------------------------------------------------------ areas below a force

# Header words of an area column below the force: ONS and Home Office long tables list each
# force's Community Safety Partnerships and local authorities under its own total row.
_SUB_AREA_WORDS = (
    "community safety partnership", "csp", "local authority", "local authority district", "lad", "district",
    "borough", "ward", "lsoa", "msoa", "neighbourhood", "unitary authority", "youth offending team", "yot",
    "basic command unit", "bcu", "local policing area", "lpa", "council",
)


def _level(text: str) -> tuple[str, str] | None:
    """("community safety partnership", "name"|"code") for a header naming a sub-area column."""
    words = " ".join(text.replace("\n", " ").replace("_", " ").lower().split())
    for w in _SUB_AREA_WORDS:
        if f" {w} " in f" {words} ":
            return w, "code" if " code" in f" {words}" or words.endswith(" cd") else "name"
    return None


def sub_area_levels(grid: SheetGrid, table: Table) -> list[tuple[int, int | None]]:
    """(name column, code column) of each level of area below the force, coarsest first.

    A row's area is its finest filled level: the figure for the CSP "Wiltshire" is not
    Wiltshire Police's (the force's own row says that), so it is never filed under the force.
    """
    found: dict[str, dict[str, int]] = {}
    for c in table.label_cols:
        text = " ".join(str(grid.merged_value(h, c) or "") for h in table.header_rows)
        level = _level(text)
        if level is not None:
            found.setdefault(level[0], {}).setdefault(level[1], c)
    return sorted(((cols["name"], cols.get("code")) for cols in found.values() if "name" in cols), key=lambda nc: nc[0])


def sub_area_of(pieces: "list[tuple[int, object]]", levels: list[tuple[int, int | None]]) -> "tuple[object, set[int]] | None":
    """The Match for a row's finest filled sub-area level (area kind other, its own code), and
    every sub-area column (names and codes, which are then not part of the measure); None for
    a row that fills none (the force's own row)."""
    from foistats.model import schema
    from foistats.model.forces import Area, Match

    cells = {c: v for c, v in pieces}
    columns = {c for name, code in levels for c in (name, code) if c is not None}
    for name_col, code_col in reversed(levels):
        name = cells.get(name_col)
        if isinstance(name, str) and name.strip():
            code = cells.get(code_col) if code_col is not None else None
            code = code.strip() if isinstance(code, str) and code.strip() else None
            area = Area(name=" ".join(name.split()), code=code, kind=schema.OTHER, territorial=False, country="", aliases=())
            return Match(area, "sub_area", name.strip()), columns
    return None
