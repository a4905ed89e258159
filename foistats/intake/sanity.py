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

    from foistats.model.forces import Area, Registry

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
    force the registry does not know where area_kind says "force", a region, country,
    total or other body the registry knows where area_kind says "force" (ranked as a
    force, "England and Wales" would come top of every table), an area_kind or status
    outside the schema's, a value that is not a plausible number, a period that ends
    before it starts. Force names the registry knows under another spelling are put
    right, and a blank area_kind is filled from the registry (see `_settle_areas`).
    """
    import polars as pl

    from foistats.model import schema
    from foistats.model.errors import InputError

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
    bad = indexed.filter(
        pl.col("area_kind").is_not_null()
        & (pl.col("area_kind").str.strip_chars() != "")
        & ~pl.col("area_kind").is_in(list(schema.AREA_KINDS))
    ).head(1)
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(
            f"row {row['_row']}: area_kind {_short(row['area_kind'])} is not one foistats writes "
            f"({', '.join(schema.AREA_KINDS)}); fix it, or leave it blank to have it filled from the force registry",
            path=path,
        )
    return _settle_areas(frame, indexed, path)


# What each kind of area is, in words, for the refusal of one that area_kind calls a force.
_KIND_WORDS = {
    "region": "a region",
    "country": "a country",
    "national": "a national total",
    "other_body": "a body that is not a police force",
    "combined": "merged forces",
    "other": "not a police force",
}


def _settle_areas(frame: "pl.DataFrame", indexed: "pl.DataFrame", path: Path) -> "pl.DataFrame":
    """Make every row's area_kind true before anything ranks it: only "force" rows are ranked.

    Every later step reads a blank area_kind as "force" (`in_areas`, the alignment), so a
    hand-written dataset that left it blank, or typed "force" on every row, once ranked
    "England and Wales" 1st of the forces. So, for rows whose area_kind is "force" or blank:

    - "force" and a name the registry knows (exactly, never a fuzzy guess) as something
      else - a region, a country, a total, Action Fraud - is refused naming the row: the
      file contradicts itself, and only its author knows which half is wrong;
    - "force" and a name the registry does not know is refused (a typo would otherwise
      be ranked as a 44th force);
    - blank takes the registry's kind for a known name, and `other` for an unknown one
      (docs/tidy-dataset.md: names that are not registered are their own area, `other`),
      the same kind `foistats import` would have written;
    - a known name spelt another way ("Kent", "England & Wales") becomes the canonical one.
    """
    import polars as pl

    from foistats.model import schema
    from foistats.model.errors import InputError
    from foistats.model.forces import registry

    reg = registry()
    kind = pl.col("area_kind")
    blank = kind.is_null() | (kind.str.strip_chars() == "")
    checked = blank | (kind == schema.FORCE)
    names: dict[str, str] = {}
    filled: dict[str, str] = {}
    pairs = indexed.filter(checked & pl.col("force").is_not_null()).select("force", "area_kind").unique(maintain_order=True)
    for name, given in pairs.iter_rows():
        area = _known_area(reg, name)
        if given == schema.FORCE:
            if area is None or area.kind != schema.FORCE:
                row = indexed.filter((pl.col("force") == name) & (kind == schema.FORCE)).row(0, named=True)
                if area is None:
                    raise InputError(
                        f"row {row['_row']}: {_short(name)} is not a police force foistats knows (area_kind says force); "
                        "fix the name or set area_kind to other",
                        path=path,
                    )
                raise InputError(
                    f"row {row['_row']}: {_short(name)} is {_KIND_WORDS.get(area.kind, 'not a police force')} "
                    f"(area_kind {area.kind}), not a police force, but area_kind says force; set area_kind to "
                    f"{area.kind} (or leave it blank) so it is never ranked as a force",
                    path=path,
                )
        else:
            filled[name] = area.kind if area is not None else schema.OTHER
        if area is not None and area.name != name:
            names[name] = area.name
    if not names and not filled and frame.select(blank.any()).item() is not True:
        return frame
    return frame.with_columns(
        # A blank name cannot be looked up, and a nameless row is no force to rank.
        pl.when(blank)
        .then(pl.col("force").replace_strict(filled, default=schema.OTHER, return_dtype=pl.String))
        .otherwise(kind)
        .alias("area_kind"),
        pl.when(checked).then(pl.col("force").replace(names)).otherwise(pl.col("force")).alias("force"),
    )


def _known_area(reg: "Registry", name: str) -> "Area | None":
    """The registry's area for a name as written, or None: an exact name, an alias or a
    certain spelling ("Kent", "Total Wales"), or a plain total ("Grand Total"). Never a fuzzy
    guess or a county read as its force - a guess has no place in a check."""
    area = reg.by_name(name)
    if area is not None:
        return area
    match = reg.resolve(name, fuzzy=False) or reg.resolve_special(name)
    return match.area if match is not None else None


def _short(text: object, n: int = 60) -> str:
    s = repr(str(text))
    return s if len(s) <= n else s[: n - 2] + "…'"
