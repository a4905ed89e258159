"""`foistats rise`: each force's change between two aligned years.

Also holds the plumbing `rank` shares (load → measure → year start → align → rises),
so the two commands can never disagree about what was compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from foistats.options import Campaign, ExcelSafe, Force, Format, Measure, Output, Paths, YearStart

if TYPE_CHECKING:  # pragma: no cover
    from foistats.align import Alignment
    from foistats.change import Rise
    from foistats.render import Column

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


@dataclass
class Comparison:
    """What was compared: one measure, two aligned years, one Rise per force."""

    measure: str
    rises: "list[Rise]"
    alignment: "Alignment"
    from_year: int
    to_year: int
    from_label: str
    to_label: str
    from_long: str
    to_long: str
    defaulted: bool  # years chosen by foistats rather than --from/--to
    loaded: Any = None  # dataset.Loaded: the command exits 3 after output if an input failed
    notes: list[str] = field(default_factory=list)


def _long_label(year: int, start_month: int) -> str:
    """ "Jun 2020–May 2021": the window spelt out, so nobody guesses what "2020/21" meant."""
    from foistats.periods import aligned_period, long_label

    return long_label(aligned_period(year, start_month))


def _parse_year(option: str, label: str | None, start_month: int) -> int | None:
    from foistats.errors import UsageError
    from foistats.periods import parse_aligned

    if label is None:
        return None
    try:
        return int(parse_aligned(label, start_month))
    except Exception as exc:  # noqa: BLE001 - PeriodError/ValueError: a period the user typed
        raise UsageError(f"{option}: {exc}") from None


def _answers(frame: Any, measure: str, campaign: Any) -> dict:
    """Who replied and how: refusals in the data, plus the campaign's roster and responses."""
    import polars as pl

    from foistats.change import Answer
    from foistats.forces import registry
    from foistats.rank import answers_from_frame

    rows = frame.filter(pl.col("measure").is_null() | (pl.col("measure") == measure))
    answers = answers_from_frame(rows)
    if campaign is None:
        return answers
    responses = getattr(campaign, "responses", {}) or {}
    present = {_canonical(name, a.force_code) for name, a in answers.items()}
    for name in getattr(campaign, "forces", []) or []:
        if name in answers or name in present:
            continue
        info = responses.get(name, {})
        status = str(info.get("status", "")).lower()
        note = info.get("exemption") or None
        area = registry().by_name(name)
        code = area.code if area is not None else None
        if status == "refused":
            answers[name] = Answer(force=name, force_code=code, refused=True, note=str(note) if note else None)
        elif status in ("no_data", "no data", "not held"):
            answers[name] = Answer(force=name, force_code=code, no_data=True)
        else:
            answers[name] = Answer(force=name, force_code=code, answered=False)
    return answers


def compare(
    paths: list[Path],
    *,
    measure: str | None,
    year_start: str | None,
    from_: str | None,
    to: str | None,
    min_base: int,
    allow_partial: bool,
    include_misaligned: bool,
    campaign_path: Path | None,
) -> Comparison:
    """Load, pick the measure, align the years and build one Rise per force."""
    import calendar

    from foistats import align as align_mod
    from foistats import dataset
    from foistats.change import default_years, rises_between
    from foistats.commands.inputs import load_data, year_start_for
    from foistats.errors import UsageError
    from foistats.periods import aligned_label

    loaded, campaign = load_data(list(paths), campaign_file=campaign_path)
    frame, chosen = dataset.select_measure(loaded.frame, measure or (campaign.measure if campaign else None))
    start, start_source = year_start_for(year_start, campaign, frame)
    alignment = align_mod.align(frame, start, allow_partial=allow_partial, include_misaligned=include_misaligned)
    alignment.year_start_source = start_source
    ys = alignment.year_start
    notes = list(alignment.warnings)

    from_year = _parse_year("--from", from_, ys)
    to_year = _parse_year("--to", to, ys)
    defaulted = from_year is None or to_year is None
    if defaulted:
        found = default_years(alignment.years)
        if found is None:
            have = sorted({y.year for y in alignment.years if y.area_kind == "force"})
            listed = ", ".join(aligned_label(y, ys) for y in have) or "none"
            raise UsageError(
                f"need two complete years to compare; the data has: {listed}",
                hint="pass --from and --to, or try --allow-partial or another --year-start",
            )
        from_year = found[0] if from_year is None else from_year
        to_year = found[1] if to_year is None else to_year
    assert from_year is not None and to_year is not None
    if from_year >= to_year:
        raise UsageError(
            f"--from {aligned_label(from_year, ys)} must be before --to {aligned_label(to_year, ys)}"
        )
    present = {y.year for y in alignment.years if y.area_kind == "force"}
    for option, year in (("--from", from_year), ("--to", to_year)):
        if year not in present:
            listed = ", ".join(aligned_label(y, ys) for y in sorted(present)) or "none"
            raise UsageError(f"no force has figures for {option} {aligned_label(year, ys)}", hint=f"years in the data: {listed}")

    from_label, to_label = aligned_label(from_year, ys), aligned_label(to_year, ys)
    rises = rises_between(
        alignment.years,
        from_year,
        to_year,
        min_base,
        from_label=from_label,
        to_label=to_label,
        allow_partial=allow_partial,
        allow_misaligned=include_misaligned,
        answers=_answers(loaded.frame, chosen, campaign),
    )
    for r in rises:
        r.measure = r.measure or chosen
    source = {"option": "--year-start", "campaign": "the campaign file", "data": "the data"}.get(
        alignment.year_start_source, alignment.year_start_source
    )
    comparison = Comparison(
        measure=chosen,
        rises=rises,
        alignment=alignment,
        from_year=from_year,
        to_year=to_year,
        from_label=from_label,
        to_label=to_label,
        from_long=_long_label(from_year, ys),
        to_long=_long_label(to_year, ys),
        defaulted=defaulted,
        loaded=loaded,
        notes=notes,
    )
    if defaulted:
        comparison.notes.append(
            f"Compared {comparison.from_long} with {comparison.to_long} (years start in {calendar.month_name[ys]}, "
            f"from {source}); unless given, --from/--to are the earliest and latest complete years."
        )
    return comparison


def _canonical(name: str, code: str | None = None) -> str:
    """The registry's name for however the data spells a force (the name itself if unknown)."""
    from foistats.forces import registry

    match = registry().resolve(name, code, fuzzy=False)
    return match.area.name if match is not None else name


def find_force(comparison: Comparison, text: str) -> "Rise":
    """The --force row, or a usage error: unknown names get "did you mean", absent forces the list."""
    from foistats.errors import UsageError
    from foistats.forces import resolve_force_option

    area = resolve_force_option(text)
    for r in comparison.rises:
        if r.force == area.name or (area.code and r.force_code == area.code):
            return r
    for r in comparison.rises:
        if _canonical(r.force, r.force_code) == area.name:
            return r
    raise UsageError(f"{area.name} is not in the data for {comparison.measure!r}")


def rise_columns() -> "list[Column]":
    from foistats.render import Column

    return [
        Column("force", "Force"),
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
    from foistats.rank import explain
    from foistats.render import Column, Result

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
    paths: Paths,
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
) -> None:
    """Each force's change between two years: from, to, change, % change, ratio and flags.

    Percentages are computed on exact values and rounded only for display (CSV and JSON
    carry full precision). A change from zero has no percentage ("new: 0 → 14"); a
    suppressed endpoint ("<5") gives a range or "not computable", never a guess; a
    first-year figure below --min-base is flagged small_base.

    Example:

      foistats rise sextortion.csv --year-start jun --from 2020/21 --to 2022/23 --force Leicestershire
    """
    from foistats import render
    from foistats.commands.inputs import exit_for_failures
    from foistats.rank import sentence

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
    rises = comparison.rises
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
            columns=rise_columns(),
            rows=rows,
            caption=caption,
            notes=comparison.notes,
            sentence=sentence(chosen, None, comparison.from_long, comparison.to_long) if chosen else None,
        )
    render.emit(result, fmt, output, excel_safe=excel_safe)
    exit_for_failures(comparison.loaded)
