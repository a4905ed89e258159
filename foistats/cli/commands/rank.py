"""`foistats rank`: rank forces by rise, and say who could not be ranked and why."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from foistats.cli.commands.rise import (
    RISE_KEYS,
    AllowPartial,
    Explain,
    FromPeriod,
    IncludeMisaligned,
    MinBase,
    ToPeriod,
    compare,
    explain_result,
    find_force,
    rise_columns,
    rise_row,
)
from foistats.cli.options import (
    Areas,
    Campaign,
    ExcelSafe,
    Force,
    Format,
    Measure,
    Output,
    Paths,
    YearStart,
)

By = Annotated[
    str,
    typer.Option(
        "--by",
        help="Rank by pct (percentage change), change (absolute), to (final-year figure) or rate (per 100,000; needs --population).",
    ),
]
Top = Annotated[
    Optional[int],
    typer.Option("--top", min=1, help="Show only the first N places (joint places kept; unranked forces still listed).", show_default=False),
]
Descending = Annotated[bool, typer.Option("--desc/--asc", help="Biggest first (default) or smallest first.")]
Population = Annotated[
    Optional[Path],
    typer.Option(
        "--population",
        help="CSV of force and population (e.g. ONS mid-year estimates by police force area) for --by rate.",
        show_default=False,
    ),
]


def rank_command(
    paths: Paths = None,
    from_: FromPeriod = None,
    to: ToPeriod = None,
    by: By = "pct",
    min_base: MinBase = 10,
    top: Top = None,
    force: Force = None,
    descending: Descending = True,
    population: Population = None,
    measure: Measure = None,
    year_start: YearStart = None,
    allow_partial: AllowPartial = False,
    include_misaligned: IncludeMisaligned = False,
    explain: Explain = False,
    campaign: Campaign = None,
    fmt: Format = None,
    output: Output = None,
    excel_safe: ExcelSafe = False,
    areas: Areas = "forces",
) -> None:
    """Rank forces by percentage rise (default), absolute change, final-year figure or rate.

    Ties share a place (1, 2, 2, 4: "joint 2nd"). Forces that cannot be ranked — refused,
    no answer, misaligned or partial years, a suppressed endpoint, a first-year figure
    below --min-base (for --by pct) — are listed with the reason, and appear in CSV
    with an empty rank. --force highlights one force and writes a publishable sentence.

    Example:

      foistats rank sextortion.csv --year-start jun --force Leicestershire
    """
    from foistats.analysis.rank import (
        BY,
        BY_COLUMN,
        BY_WORDS,
        rank_rises,
        read_populations,
    )
    from foistats.analysis.comparison import FORCES_ONLY, in_areas, parse_areas
    from foistats.cli.commands.inputs import exit_for_failures, report_failures
    from foistats.model.errors import UsageError
    from foistats.publish import render
    from foistats.publish.sentence import publishable as sentence

    kinds = parse_areas(areas)
    by = by.strip().lower()
    if by not in BY:
        raise UsageError(f"unknown --by {by!r}", hint="choose pct, change, to or rate")
    if by == "rate" and population is None:
        raise UsageError("--by rate needs --population FILE", hint="a CSV with force and population columns")
    populations = read_populations(population) if population is not None else None

    comparison = compare(
        paths,
        measure=measure,
        year_start=year_start,
        from_=from_,
        to=to,
        min_base=min_base,
        allow_partial=allow_partial,
        include_misaligned=include_misaligned,
        campaign_path=campaign,
    )
    report_failures(comparison.loaded)
    chosen = find_force(comparison, force) if force else None
    # Only forces are ranked; other areas are listed (never ranked) only when --areas asks for them.
    comparison.rises = [r for r in comparison.rises if in_areas(r.area_kind, kinds) or r is chosen]
    ranking = rank_rises(comparison.rises, by=by, descending=descending, min_base=min_base, populations=populations)

    order = "highest first" if descending else "lowest first"
    caption = (
        f"{comparison.measure}: {comparison.from_long} → {comparison.to_long}, by {BY_WORDS[by]} ({order}): "
        f"{ranking.summary}"
    )
    unranked = [e for e in ranking.entries if e.rank is None]
    notes = list(comparison.notes)
    if unranked:
        notes.append("Not ranked:")
        notes.extend(f"- {e.force} — {e.reason}" for e in unranked)

    if explain:
        entries = [ranking.rank_of(chosen.force)] if chosen else ranking.entries
        # One force's trail needs the caption, not the list of every unranked force.
        trail_notes = comparison.notes if chosen else notes
        result = explain_result([e.rise for e in entries if e is not None], ranking, populations, caption, trail_notes)
        render.emit(result, fmt, output, excel_safe=excel_safe)
        exit_for_failures(comparison.loaded)
        return

    chosen_format = render.resolve_format(fmt, output)
    shown = ranking.top(top) if top else ranking.ranked
    if chosen is not None:
        mine = ranking.rank_of(chosen.force)
        if mine is not None and mine not in shown and (mine.rank is not None or chosen_format in ("table", "markdown")):
            shown = shown + [mine]
    if chosen_format not in ("table", "markdown"):
        # A pipe gets every force: unrankable ones with an empty rank and their reason.
        shown = shown + [e for e in unranked if e not in shown]

    rows = [_row(e) for e in shown]
    columns = [
        render.Column("rank", table=False),
        render.Column("place", "Rank"),
        *[c for c in rise_columns(with_kind=kinds != FORCES_ONLY) if c.key in RISE_KEYS or c.key == "area_kind"],
        render.Column("joint", table=False),
        render.Column("reason", table=False),
        render.Column("pct_low", table=False),
        render.Column("pct_high", table=False),
        render.Column("rate", "Per 100k", kind="num", table=populations is not None),
        render.Column("measure", table=False),
    ]
    if chosen_format not in ("table", "markdown"):
        columns = _machine_order(columns)
    highlight = None
    if chosen is not None:
        name = chosen.force
        highlight = lambda row: row.get("force") == name  # noqa: E731
    result = render.Result(
        columns=columns,
        rows=rows,
        caption=caption,
        notes=notes,
        sentence=sentence(chosen, ranking, comparison.from_long, comparison.to_long) if chosen else None,
        highlight=highlight,
        bar=BY_COLUMN[by],
    )
    render.emit(result, chosen_format, output, excel_safe=excel_safe)
    exit_for_failures(comparison.loaded)


def _machine_order(columns: list[Any]) -> list[Any]:
    """The public order for CSV/JSON: rank, then the rise columns, then the extras, `place` last."""
    by_key = {c.key: c for c in columns}
    front = ["rank", *RISE_KEYS]
    rest = [c for c in columns if c.key not in front and c.key != "place"]
    return [by_key[k] for k in front] + rest + [by_key["place"]]


def _row(entry: Any) -> dict[str, Any]:
    r = entry.rise
    row = rise_row(r)
    flags = list(r.flags)
    if not r.is_force and "not_a_force" not in flags:
        flags.append("not_a_force")
    if entry.rank is None and entry.reason and entry.reason.startswith("no population") and "no_population" not in flags:
        flags.append("no_population")
    row.update(
        rank=entry.rank,
        place=entry.place,
        joint=entry.joint if entry.rank is not None else None,
        rate=entry.rate,
        reason=entry.reason if entry.rank is None else r.reason,
        flags=flags,
    )
    return row
