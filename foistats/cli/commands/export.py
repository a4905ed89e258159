"""`foistats export`: the ranking as a Datawrapper/Flourish CSV or an editors' workbook.

The ranking comes from `comparison.ranked()`, the same call `chart` and `explain`
make, so a published chart, its workbook and a sub-editor's explanation all come from
one call to `rank.rank_rises` and can never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from foistats.cli.commands.rise import FromPeriod, MinBase
from foistats.cli.options import Areas, Campaign, ExcelSafe, Measure, Output, Paths, YearStart

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.comparison import Ranked

ExportFormat = Annotated[
    Optional[str],
    typer.Option(
        "--format",
        "-f",
        help="datawrapper: a CSV for Datawrapper or Flourish (one row per force, one column per year, rise, rank); "
        "xlsx: a formatted workbook with a Sources sheet. Default: from the -o extension, else datawrapper.",
        show_default=False,
    ),
]
# `--to` was the format here while everywhere else it is the last year; kept for one release.
Target = Annotated[
    Optional[str],
    typer.Option("--to", hidden=True, help="Deprecated: use --format.", show_default=False),
]
Until = Annotated[
    Optional[str],
    typer.Option(
        "--until",
        help="Last year of the rise, e.g. 2022/23 (what `rank --to` calls it; default: the latest complete year).",
        show_default=False,
    ),
]
RankBy = Annotated[
    str,
    typer.Option("--by", help="Rank by pct (percentage change), change (absolute) or to (final-year figure)."),
]



def export_table(r: "Ranked", areas: "frozenset[str] | None" = None) -> Any:
    from foistats.publish.export import build_table

    c = r.comparison
    loaded = c.loaded
    tidy_rows = loaded.frame.to_dicts() if loaded is not None else []
    table = build_table(
        r.ranking,
        c.alignment.years,
        r.requested,
        r.year_start,
        measure=c.measure,
        title=r.title,
        from_label=c.from_label,
        to_label=c.to_label,
        from_long=c.from_long,
        to_long=c.to_long,
        areas=areas if areas is not None else frozenset({"force"}),
        tidy_rows=tidy_rows,
        notes=c.notes,
    )
    camp = r.campaign
    if camp is not None:
        if camp.wording:
            table.about.append(("Request", camp.wording))
        if camp.sent:
            table.about.append(("Sent", camp.sent.isoformat()))
        table.about.append(("Sent to", f"{len(camp.forces)} forces"))
    return table


def export_command(
    paths: Paths = None,
    fmt: ExportFormat = None,
    to: Target = None,
    output: Output = None,
    from_: FromPeriod = None,
    until: Until = None,
    by: RankBy = "pct",
    min_base: MinBase = 10,
    measure: Measure = None,
    year_start: YearStart = None,
    campaign: Campaign = None,
    excel_safe: ExcelSafe = False,
    areas: Areas = "forces",
) -> None:
    """The ranking for publication: a Datawrapper/Flourish CSV or a workbook.

    --format datawrapper: one row per force (canonical names), one column per
    year asked for, then Change, % change, Rank, Place and Note. A figure that
    is not an exact, whole, aligned year is left blank with the reason in
    Note, never drawn as a number. The rise runs from --from to --until.

    --format xlsx: a workbook for editors: Data (frozen header, number formats),
    Sources (the file, sheet and cell behind every figure) and About (what
    was compared). Its text is always formula-safe.

    Examples:

      foistats export examples/sextortion --format datawrapper -o sextortion-datawrapper.csv

      foistats export examples/sextortion -o sextortion.xlsx

    (--to datawrapper|xlsx, the old name of --format, still works in this release.)
    """
    from foistats.analysis.comparison import parse_areas, ranked
    from foistats.cli.commands.inputs import exit_for_failures
    from foistats.model.errors import UsageError
    from foistats.publish import render
    from foistats.publish.export import TARGETS, caption, datawrapper_result, xlsx_bytes

    if to is not None:
        if fmt is not None:
            raise UsageError("give --format, not both --format and --to")
        render.warn(f"export --to is deprecated and will be removed in the next release: use --format {to}")
    target = (fmt or to or "").strip().lower() or None
    if target is None:
        target = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "datawrapper"
    if target in ("flourish", "csv"):
        target = "datawrapper"
    if target not in TARGETS:
        raise UsageError(f"unknown --format {fmt or to!r}", hint="choose datawrapper or xlsx")
    if target == "xlsx":
        if output is None:
            raise UsageError("--format xlsx needs -o FILE.xlsx", hint="a workbook cannot go to the terminal")
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"-o {output}: a workbook must be written to a .xlsx file")
    elif output is not None and output.suffix.lower() not in (".csv", ".txt"):
        raise UsageError(f"-o {output}: the Datawrapper export is CSV", hint="name the file .csv, or use --format xlsx")

    r = ranked(
        paths,
        measure=measure,
        year_start=year_start,
        from_=from_,
        to=until,
        by=by,
        min_base=min_base,
        campaign_path=campaign,
        areas=(kinds := parse_areas(areas)),
    )
    table = export_table(r, kinds)
    if target == "xlsx":
        assert output is not None
        from foistats.publish.files import atomic_write_bytes

        atomic_write_bytes(output, xlsx_bytes(table))
        render.warn(f"wrote {output}: {len(table.rows)} forces, {len(table.sources)} source cells; {caption(table)}")
    else:
        render.emit(datawrapper_result(table), "csv", output, excel_safe=excel_safe)
    exit_for_failures(r.comparison.loaded)
