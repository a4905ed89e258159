"""`foistats periods`: what each force's figures cover once aligned, or how a label is read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from foistats.cli import options as opt

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.align import AlignedYear, Alignment
    from foistats.publish.render import Result

DataPaths = Annotated[
    Optional[list[Path]],
    typer.Argument(
        help="Spreadsheets, folders of them or a tidy dataset (not needed with --label).",
        show_default=False,
    ),
]
Labels = Annotated[
    Optional[list[str]],
    typer.Option(
        "--label",
        "-l",
        help="Show how a period label is read (repeat for several), e.g. --label \"Apr '11 to Mar '12\".",
        show_default=False,
    ),
]
AllowPartial = Annotated[
    bool, typer.Option("--allow-partial", help="Let years with months missing count as comparable (still marked partial).")
]
IncludeMisaligned = Annotated[
    bool,
    typer.Option(
        "--include-misaligned",
        help="Let years that start in another month (e.g. April–March) count as comparable (still marked misaligned).",
    ),
]

PERIOD_KEYS = (
    "force", "force_code", "measure", "year", "period", "period_start", "period_end",
    "value", "value_low", "value_high", "status", "coverage", "sources", "flags",
)
LABEL_KEYS = ("label", "start", "end", "granularity")
_MAX_NOTES = 25


def periods_command(
    paths: DataPaths = None,
    label: Labels = None,
    year_start: opt.YearStart = None,
    force: opt.Force = None,
    measure: opt.Measure = None,
    allow_partial: AllowPartial = False,
    include_misaligned: IncludeMisaligned = False,
    fmt: opt.Format = None,
    output: opt.Output = None,
    campaign: opt.Campaign = None,
) -> None:
    """Show each force's figures per comparison year: value (or range), status, months covered.

    Monthly and quarterly figures are summed into years that start in the --year-start
    month; a year with months missing is 'partial', and a force that answered in years
    starting in another month is 'misaligned' (with the months of overlap). With --label,
    show how period labels are read instead (a bare 2020/21 in a source is the April–March
    financial year).

    Examples:

      foistats periods sextortion.csv --year-start jun

      foistats periods sextortion.csv --year-start jun --force Leicestershire --format csv

      foistats periods --label "2020/21" --label "Apr '11 to Mar '12" --label "YE May 2023"
    """
    from foistats.publish.render import emit

    if label:
        if paths:
            from foistats.model.errors import UsageError

            raise UsageError("give either data to align or --label, not both")
        emit(label_result(label), fmt, output)
        return
    if not paths:
        from foistats.model.errors import UsageError

        raise UsageError("no input given", hint="pass a tidy dataset or spreadsheets, or --label TEXT to test a label")

    from foistats.cli.commands.inputs import (
        exit_for_failures,
        load_data,
        year_start_for,
    )
    from foistats.intake.dataset import select_measure

    loaded, found = load_data(list(paths), campaign_file=campaign)
    frame = loaded.frame
    if measure or (found is not None and found.measure):
        frame, _ = select_measure(frame, measure or (found.measure if found else None))
    start, source = year_start_for(year_start, found, frame)
    if force:
        frame = _only_force(frame, force)
    from foistats.analysis.align import align

    alignment = align(frame, start, allow_partial=allow_partial, include_misaligned=include_misaligned)
    alignment.year_start_source = source
    emit(alignment_result(alignment), fmt, output)
    exit_for_failures(loaded)


def _only_force(frame: Any, text: str) -> Any:
    """Rows of one force, matched by canonical name, GSS code or however the data spells it."""
    import polars as pl

    from foistats.model.errors import UsageError
    from foistats.model.forces import registry, resolve_force_option

    area = resolve_force_option(text)
    names = [
        n for n in frame.get_column("force").unique().to_list()
        if n is not None and (n == area.name or _resolves_to(registry(), n, area.name))
    ]
    mask = pl.col("force").is_in(names)
    if area.code:
        mask = mask | (pl.col("force_code") == area.code)
    picked = frame.filter(mask)
    if picked.height == 0:
        raise UsageError(f"the data has no rows for {area.name}")
    return picked


def _resolves_to(reg: Any, name: str, wanted: str) -> bool:
    match = reg.resolve(name, fuzzy=False)
    return match is not None and match.area.name == wanted


def label_result(labels: list[str]) -> "Result":
    """One row per label: the dates foistats will take it to mean."""
    from foistats.model.errors import UsageError
    from foistats.model.periods import PeriodError, parse_period
    from foistats.publish.render import Column, Result

    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for text in labels:
        try:
            period = parse_period(text)
        except PeriodError as exc:
            raise UsageError(f"--label {text!r}: {exc}") from None
        rows.append({"label": text, "start": period.start, "end": period.end, "granularity": period.granularity})
        if period.footnote:
            notes.append(f"{text!r}: footnote marker {period.footnote!r} ignored")
        if period.note:
            notes.append(f"{text!r}: {period.note}")
    return Result(
        columns=[Column("label"), Column("start", kind="date"), Column("end", kind="date"), Column("granularity")],
        rows=rows,
        notes=notes,
    )


def _flags(y: "AlignedYear", alignment: "Alignment") -> list[str]:
    flags: list[str] = []
    if y.area_kind != "force":
        flags.append(f"not a force ({y.area_kind.replace('_', ' ')})")
    if y.misaligned:
        verdict = "included (--include-misaligned)" if y.usable else "excluded from comparisons"
        flags.append(f"misaligned, {verdict}")
    elif y.status == "partial":
        verdict = "included (--allow-partial)" if y.usable else "excluded from comparisons"
        flags.append(f"partial: {y.months_covered}/{y.months_expected} months, {verdict}")
    flags.extend(note for note in y.notes if not note.startswith("only "))
    return flags


def _sources(labels: list[str]) -> str:
    """All labels when few; first … last when a year was summed from many months."""
    if len(labels) <= 4:
        return "; ".join(labels)
    return f"{labels[0]} … {labels[-1]} ({len(labels)} periods)"


def alignment_result(alignment: "Alignment") -> "Result":
    """Rows per force and aligned year, with a caption that spells the comparison year out."""
    from foistats.model.periods import (
        MONTH_FULL,
        aligned_label,
        aligned_period,
        long_label,
    )
    from foistats.publish.render import Column, Result

    ys = alignment.year_start
    rows: list[dict[str, Any]] = []
    for y in alignment.years:
        rows.append(
            {
                "force": y.force,
                "force_code": y.force_code,
                "measure": y.measure,
                "year": y.label,
                "period": long_label(aligned_period(y.year, ys)),
                "period_start": y.start,
                "period_end": y.end,
                "value": y.value,
                "value_low": y.low,
                "value_high": y.high,
                "status": y.status,
                "coverage": f"{y.months_covered}/{y.months_expected}",
                "sources": _sources(y.source_labels),
                "flags": "; ".join(_flags(y, alignment)),
            }
        )
    where = {
        "option": "--year-start",
        "campaign": "the campaign file",
        "data": "the start month the data's own years share",
    }.get(alignment.year_start_source, alignment.year_start_source)
    example = min((y.year for y in alignment.years), default=None)
    caption = f"Comparison years run {MONTH_FULL[ys]}–{MONTH_FULL[(ys + 10) % 12 + 1]} (from {where})"
    if example is not None:
        caption += f"; {aligned_label(example, ys)} = {long_label(aligned_period(example, ys))}"
    caption += "."
    if alignment.allow_partial:
        caption += " Partial years count as comparable (--allow-partial)."
    if alignment.include_misaligned:
        caption += " Misaligned years count as comparable (--include-misaligned), marked misaligned."
    notes = [f"warning: {w}" for w in alignment.warnings[:_MAX_NOTES]]
    if len(alignment.warnings) > _MAX_NOTES:
        notes.append(f"… and {len(alignment.warnings) - _MAX_NOTES} more warnings")
    if not rows:
        notes.append("no rows to show")
    columns = [
        Column("force"),
        Column("force_code", table=False),
        Column("measure"),
        Column("year"),
        Column("period", table=False),
        Column("period_start", kind="date", table=False),
        Column("period_end", kind="date", table=False),
        Column("value", kind="num"),
        Column("value_low", "low", kind="num"),
        Column("value_high", "high", kind="num"),
        Column("status"),
        Column("coverage", justify="right"),
        Column("sources"),
        Column("flags"),
    ]
    return Result(columns=columns, rows=rows, caption=caption, notes=notes)
