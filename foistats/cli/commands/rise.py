"""`foistats rise`: each force's change between two aligned years.

Also holds the plumbing `rank` shares (load → measure → year start → align → rises),
so the two commands can never disagree about what was compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

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

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.change import Rise
    from foistats.publish.render import Column

FromPeriod = Annotated[
    Optional[str],
    typer.Option("--from", help="First year to compare, e.g. 2020/21 (default: the earliest complete year).", show_default=False),
]
ToPeriod = Annotated[
    Optional[str],
    typer.Option("--to", help="Last year to compare, e.g. 2022/23 (default: the latest complete year).", show_default=False),
]
MinBase = Annotated[
    int,
    typer.Option("--min-base", min=0, help="Flag forces whose first-year figure is below N (1 → 10 is +900%, which is noise); rank --by pct leaves them out."),
]
AllowPartial = Annotated[
    bool, typer.Option("--allow-partial", help="Compare years with months missing (still flagged 'partial').")
]
IncludeMisaligned = Annotated[
    bool,
    typer.Option(
        "--include-misaligned",
        help="Compare forces whose years start in another month (e.g. April–March); still flagged 'misaligned'.",
    ),
]
Explain = Annotated[
    bool,
    typer.Option("--explain", help="Show the source file, sheet and cells behind each number, and the arithmetic."),
]

# The public column order: CI scripts read these names (rank adds `rank` in front).
RISE_KEYS = (
    "force", "force_code", "from_period", "to_period", "from_value", "to_value",
    "change", "pct_change", "ratio", "flags",
)


from foistats.analysis.comparison import Comparison, compare, find_force  # noqa: E402,F401  (shared with rank)


def rise_columns(with_kind: bool = False) -> "list[Column]":
    """The rise columns; `with_kind` adds area_kind after the name (whenever --areas lists more than forces)."""
    from foistats.publish.render import Column

    return [
        Column("force", "Force"),
        *([Column("area_kind", "Area kind")] if with_kind else []),
        Column("force_code", table=False),
        Column("from_period", table=False),
        Column("to_period", table=False),
        Column("from_value", "From", kind="num"),
        Column("to_value", "To", kind="num"),
        Column("change", "Change", kind="signed"),
        Column("pct_change", "% change", kind="pct"),
        Column("ratio", "Ratio", kind="ratio"),
        Column("flags", "Flags"),
        Column("reason", "Note"),
        Column("pct_low", table=False),
        Column("pct_high", table=False),
        Column("measure", table=False),
    ]


def rise_row(r: "Rise") -> dict[str, Any]:
    return {
        "force": r.force,
        "area_kind": r.area_kind,
        "force_code": r.force_code,
        "from_period": r.from_period,
        "to_period": r.to_period,
        "from_value": r.from_value,
        "to_value": r.to_value,
        "change": r.change,
        "pct_change": r.pct_change,
        "ratio": r.ratio,
        "flags": list(r.flags),
        "reason": r.reason,
        "pct_low": r.pct_low,
        "pct_high": r.pct_high,
        "measure": r.measure,
    }


def explain_result(rises: "list[Rise]", ranking: Any, populations: Any, caption: str, notes: list[str]) -> Any:
    from foistats.analysis.rank import explain
    from foistats.publish.render import Column, Result

    rows: list[dict[str, Any]] = []
    for r in rises:
        rows.extend(explain(r, ranking, populations))
    return Result(
        columns=[
            Column("force", "Force"),
            Column("item", "Figure"),
            Column("period", "Year"),
            Column("value", "Value", kind="num"),
            Column("working", "Working"),
            Column("source", "Source (file | sheet | cell)"),
        ],
        rows=rows,
        caption=caption,
        notes=notes,
    )


def rise_command(
    paths: Paths = None,
    from_: FromPeriod = None,
    to: ToPeriod = None,
    force: Force = None,
    min_base: MinBase = 10,
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
    """Each force's change between two years: from, to, change, % change, ratio and flags.

    Percentages are computed on exact values and rounded only for display (CSV and JSON
    carry full precision). A change from zero has no percentage ("new: 0 → 14"); a
    suppressed endpoint ("<5") gives a range or "not computable", never a guess; a
    first-year figure below --min-base is flagged small_base.

    Example:

      foistats rise sextortion.csv --year-start jun --from 2020/21 --to 2022/23 --force Leicestershire
    """
    from foistats.analysis.comparison import FORCES_ONLY, in_areas, parse_areas
    from foistats.publish.sentence import publishable as sentence
    from foistats.cli.commands.inputs import exit_for_failures, report_failures
    from foistats.publish import render

    kinds = parse_areas(areas)
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
    rises = [r for r in comparison.rises if in_areas(r.area_kind, kinds)]
    chosen = None
    if force:
        chosen = find_force(comparison, force)
        rises = [chosen]
    comparable = sum(1 for r in comparison.rises if r.comparable and r.is_force)
    forces = sum(1 for r in comparison.rises if r.is_force)
    caption = (
        f"{comparison.measure}: {comparison.from_long} → {comparison.to_long}; "
        f"{comparable} of {forces} forces comparable"
    )
    if explain:
        result = explain_result(rises, None, None, caption, comparison.notes)
    else:
        # Forces by name, then regions and other areas, so a reader finds a force at once.
        ordered = sorted(rises, key=lambda r: (not r.is_force, r.force))
        rows = [rise_row(r) for r in ordered]
        result = render.Result(
            columns=rise_columns(with_kind=kinds != FORCES_ONLY),
            rows=rows,
            caption=caption,
            notes=comparison.notes,
            sentence=sentence(chosen, None, comparison.from_long, comparison.to_long) if chosen else None,
        )
    render.emit(result, fmt, output, excel_safe=excel_safe)
    exit_for_failures(comparison.loaded)
