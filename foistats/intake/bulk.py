"""Tidy a long table column by column: the same answers as tidy.py, at polars speed.

A 200,000-row monthly sheet has perhaps ten thousand distinct row keys (month ×
force × category) and three value columns. Describing each (row key, column) once —
with tidy.py's own rules, passed in as a function, so there is one set of rules — and
joining that small description onto the column of values in polars avoids building
600,000 Python objects. Cells that are not plain numbers (symbols, text) are rare and
go through the same `parse_value` as everywhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from foistats.intake.detect import SheetGrid, Table, label_pieces
from foistats.intake.grid import cell_ref, col_letter
from foistats.intake.report import SheetReport
from foistats.model import schema
from foistats.model.values import MAX_PLAUSIBLE, SymbolKey, parse_value

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

# Tables with more body rows than this (and no totals or marker columns to reconcile
# cell by cell) take this path.
BULK_ROWS = 5_000

# describe(row key, column) -> (force, code, area kind, measure, period, period label, area[, evidence]).
# The optional 8th element is a dict of the evidence columns (force_source, period_source,
# measure_source, guess, is_total, unit), built by tidy.py's _describe.
Describe = Callable[[tuple[Any, ...], int], tuple[Any, ...]]
EVIDENCE = ("force_source", "period_source", "measure_source", "guess", "is_total", "unit")


def report_force_source(described: tuple[Any, ...], describe: Any) -> str | None:
    """The sheet report's force source for its first force, as tidy's cell loop words it:
    "table" when the table named it, else where the file's context found it."""
    context = getattr(describe, "context_force", None)
    if context is not None and described[6] is context:
        return getattr(describe, "context_force_source", None)
    return "table"


def can_bulk(table: Table) -> bool:
    return len(table.body_rows) > BULK_ROWS and not (table.total_rows or table.total_cols or table.flag_cols or table.spacer_cols)


def tidy_bulk(
    grid: SheetGrid,
    table: Table,
    key: SymbolKey,
    describe: Describe,
    report: SheetReport,
    source: str,
    sheet: str | None,
) -> "pl.DataFrame":
    """Tidy rows for every value cell of `table`, as a frame in the tidy schema."""
    import polars as pl

    body = table.body_rows
    rows = grid.rows
    simple = not grid.has_merges
    key_ids: dict[tuple[Any, ...], int] = {}
    keys: list[tuple[Any, ...]] = []
    row_key: list[int] = []
    label_cols = table.label_cols
    fill = set(table.period_label_cols)
    last: dict[int, Any] = {}
    for r in body:
        row = rows[r]
        if simple:
            # label_pieces() without merges: a year written once above its months fills down.
            found = []
            for c in label_cols:
                v = row[c] if c < len(row) else None
                if v is None and c in fill:
                    v = last.get(c)
                elif c in fill:
                    last[c] = v
                if v is not None:
                    found.append((c, v))
            pieces = tuple(found)
        else:
            pieces = tuple(label_pieces(grid, table, r))
        kid = key_ids.get(pieces)
        if kid is None:
            kid = key_ids[pieces] = len(keys)
            keys.append(pieces)
        row_key.append(kid)

    # A blank among a row's numbers is a number the reply did not give: a row with no value
    # (status not_available), as tidy's cell loop keeps it, so nothing vanishes.
    has_values = [any(c < len(rows[r]) and rows[r][c] is not None for c in table.value_cols) for r in body]
    frames: list[pl.DataFrame] = []
    for c in table.value_cols:
        letter = col_letter(c)
        column = [rows[r][c] if c < len(rows[r]) else None for r in body]
        if c in table.derived_cols:
            for r, v in zip(body, column):
                if v is not None:
                    report.cells_in_region += 1
                    report.skipped.append(
                        {"cell": cell_ref(r, c), "text": str(v), "reason": "derived column (a change or percentage): recompute it with foistats rise"}
                    )
            continue
        # One tuple a cell taken: (row, row key, value, status, low, high, note), made
        # into columns once below.
        taken: list[tuple[int, int, Any, str, Any, Any, str | None]] = []
        numerals = _plain_numerals(column)
        for i, v in enumerate(column):
            if v is None:
                if has_values[i] and (simple or not grid.is_merged_child(body[i], c)):
                    report.cells_in_region += 1
                    taken.append((body[i], row_key[i], None, schema.NOT_AVAILABLE, None, None, "blank cell"))
                continue
            report.cells_in_region += 1
            t = type(v)
            if t is str and numerals:
                x = numerals.get(i)
                if x is not None:
                    v, t = x, float
            if (t is float or t is int) and v == v and abs(v) <= MAX_PLAUSIBLE:  # else parse_value says why not
                taken.append((body[i], row_key[i], v, schema.OK, None, None, None))
                continue
            parsed = parse_value(v, key)
            if parsed is None:
                report.skipped.append({"cell": f"{letter}{body[i] + 1}", "text": str(v)[:60], "reason": "text in a value column"})
                continue
            # the note "%" too: it makes the unit, as in the cell loop
            taken.append((body[i], row_key[i], parsed.value, parsed.status, parsed.low, parsed.high, parsed.note))
        if not taken:
            continue
        take_rows, take_keys, values, statuses, lows, highs, notes = (list(col) for col in zip(*taken))
        used = sorted(set(take_keys))
        described = {k: describe(keys[k], c) for k in used}
        desc = describe_frame(used, described)
        cells = pl.DataFrame(
            {
                "_r": take_rows,
                "_k": take_keys,
                "value": [None if v is None else float(v) for v in values],
                "status": statuses,
                "value_low": [None if v is None else float(v) for v in lows],
                "value_high": [None if v is None else float(v) for v in highs],
                "note": notes,
            },
            schema_overrides={"_r": pl.Int64, "_k": pl.Int64, "value": pl.Float64, "value_low": pl.Float64, "value_high": pl.Float64, "note": pl.String},
        )
        row_notes = getattr(describe, "row_notes", None)
        if row_notes is not None:
            desc = desc.with_columns(pl.Series("_rn", ["; ".join(row_notes(keys[k])) or None for k in used], dtype=pl.String))
        joined = with_cell_notes(cells.join(desc, on="_k", how="left", maintain_order="left")).with_columns(
            pl.lit(source).alias("source_file"),
            pl.lit(sheet, dtype=pl.String).alias("source_sheet"),
            (pl.lit(letter) + (pl.col("_r") + 1).cast(pl.String)).alias("source_cell"),
            pl.lit(c, dtype=pl.Int64).alias("_c"),
        )
        frames.append(joined)
        report.rows_imported += len(take_rows)
        note_described(report, used, described, describe)
        if report.measure is None and used:
            report.measure = described[used[0]][3]
    if not frames:
        return schema.empty_frame()
    out = pl.concat(frames, how="vertical").sort(["_r", "_c"], maintain_order=True)
    warn_no_period(out, report)
    _clashes(out, report)
    return in_tidy_schema(out)


_PLAIN_NUMERAL = r"^\s*-?\d{1,15}(?:\.\d{1,15})?\s*$"


def _plain_numerals(column: list[Any]) -> dict[int, float]:
    """Cells of text that are plain numerals ("123", " 4.5 "; every value of a CSV), read in
    polars at once instead of one parse_value call each: the same number parse_value gives.
    Anything else ("1,234", "<5", "[c]", a 26-digit reference) still goes through parse_value."""
    import polars as pl

    at = [i for i, v in enumerate(column) if type(v) is str]
    if len(at) < 64:
        return {}
    texts = pl.Series([column[i] for i in at], dtype=pl.String)
    plain = texts.str.contains(_PLAIN_NUMERAL)
    numbers = texts.str.strip_chars().cast(pl.Float64, strict=False)
    return {at[j]: x for j, (ok, x) in enumerate(zip(plain.to_list(), numbers.to_list())) if ok and x is not None}


def _clashes(frame: "pl.DataFrame", report: SheetReport) -> None:
    """Two different numbers under one (force, period, measure) key: a dimension was lost
    somewhere. Never silent: the same warning, naming the same cells, as tidy's cell loop
    (each cell, in row order, that differs from the first under its key; a blank differs
    from a number). `frame` is in row order, with `_r` and `_c` (row and column numbers)."""
    import polars as pl

    key = ["force", "period_start", "period_end", "measure", "is_total"]
    if frame.height < 2:
        return
    # One 64-bit hash per row first (no copy of the key columns): all different means no key
    # holds two cells, so nothing to compare (and no group-by's memory). Equal hashes are
    # then checked on the keys themselves.
    if frame.select(key).hash_rows().is_unique().all() or frame.select(pl.struct(key).is_unique().all()).item():
        return
    numbered = frame.select([*key, "value", "source_cell"]).with_row_index("_i")
    first = numbered.group_by(key, maintain_order=True).agg(
        pl.col("source_cell").first().alias("_first_cell"), pl.col("value").first().alias("_first_value")
    )
    clash = (
        numbered.join(first, on=key, how="left", nulls_equal=True)
        .filter(pl.col("value").ne_missing(pl.col("_first_value")))
        .sort("_i")
        .head(200)
    )
    if clash.height == 0:
        return
    pairs = [
        f"{cell0} ({_show(v0)}) and {cell} ({_show(v)})"
        for cell0, v0, cell, v in clash.select("_first_cell", "_first_value", "source_cell", "value").head(5).iter_rows()
    ]
    report.warnings.append(
        f"{clash.height} number(s) share a force, period and measure with another that differs: "
        + "; ".join(pairs) + (" …" if clash.height > 5 else "")
        + " — the table has a dimension the import did not tell apart; check it, or set a recipe"
    )


def with_cell_notes(joined: "pl.DataFrame") -> "pl.DataFrame":
    """Each cell's note and unit as tidy's cell loop makes them: the row's notes (`_rn`, when
    there) before the value's own note, and a value written with % has the unit % when the
    labels gave none."""
    import polars as pl

    out = joined.with_columns(
        pl.when(pl.col("unit").is_null() & (pl.col("note") == "%")).then(pl.lit("%")).otherwise(pl.col("unit")).alias("unit")
    )
    if "_rn" in out.columns:
        both = pl.concat_str([pl.col("_rn"), pl.col("note")], separator="; ", ignore_nulls=True)
        out = out.with_columns(
            pl.when(pl.col("_rn").is_null() & pl.col("note").is_null()).then(None).otherwise(both).alias("note")
        ).drop("_rn")
    return out


def note_described(report: SheetReport, used: list[int], described: dict[int, tuple[Any, ...]], describe: Any) -> None:
    """What the sheet report learns from one value column's described row keys: their
    guesses and areas (in key order, once each), and the first force with its source."""
    for k in used:
        g = (described[k][7] if len(described[k]) > 7 else {}).get("guess")
        if g and g not in report.guesses:
            report.guesses.append(g)
    for k in used:
        name = described[k][0]
        if name and name not in report.areas:
            report.areas.append(name)
    if report.force is None:
        first = next((described[k] for k in used if described[k][0]), None)
        if first is not None:
            report.force = first[0]
            report.force_source = report_force_source(first, describe)


def in_tidy_schema(frame: "pl.DataFrame") -> "pl.DataFrame":
    """The tidy schema's columns, in order and type, from a frame of some of them (helper
    columns such as `_r`, `_k`, `_c` dropped; missing ones null, is_total false)."""
    import polars as pl

    return frame.select(
        [
            pl.col(name).cast(dtype) if name in frame.columns else pl.lit(False if name == "is_total" else None, dtype=dtype).alias(name)
            for name, dtype in schema.polars_schema().items()
        ]
    )


def describe_frame(used: list[int], described: dict[int, tuple[Any, ...]]) -> "pl.DataFrame":
    """One row per row key (`_k`) with its tidy description: what each key's value cells
    are joined to (here and in columnar.py), so every label is described once."""
    import polars as pl

    extra = {name: [(described[k][7] if len(described[k]) > 7 else {}).get(name) for k in used] for name in EVIDENCE}
    extra["is_total"] = [bool(v) for v in extra["is_total"]]
    return pl.DataFrame(
        {
            **extra,
            "_k": used,
            "force": [described[k][0] for k in used],
            "force_code": [described[k][1] for k in used],
            "area_kind": [described[k][2] for k in used],
            "measure": [described[k][3] for k in used],
            "period_start": [described[k][4].start if described[k][4] is not None else None for k in used],
            "period_end": [described[k][4].end if described[k][4] is not None else None for k in used],
            "period_label": [described[k][5] or "" for k in used],
        },
        schema_overrides={
            "_k": pl.Int64, "force_code": pl.String, "period_start": pl.Date, "period_end": pl.Date,
            "force_source": pl.String, "period_source": pl.String, "measure_source": pl.String, "guess": pl.String,
            "is_total": pl.Boolean, "unit": pl.String,
        },
    )


def warn_no_period(frame: "pl.DataFrame", report: SheetReport) -> None:
    """Numbers with no period: the warning tidy's cell loop gives (count, first…last cell).
    `frame` is in row order."""
    import polars as pl

    cells = frame.filter(pl.col("period_start").is_null()).get_column("source_cell")
    if cells.len():
        first, last = cells[0], cells[-1]
        report.warnings.append(
            f"no period found for {cells.len()} number(s) ({first}{'…' + last if cells.len() > 1 else ''}): "
            "nothing in the table, title or file name says when; pass --period or set it in a recipe"
        )


def _show(v: float | None) -> str:
    return "blank" if v is None else _num(v)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
