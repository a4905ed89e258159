"""`foistats import`: raw returns in, one tidy dataset out, and a report of every decision."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from foistats.cli import options as opt


def import_command(
    paths: opt.Paths,
    output: opt.Output = None,
    fmt: opt.Format = None,
    measure: Annotated[
        Optional[str],
        typer.Option("--measure", "-m", help="Name the measure of single-measure files (default: the campaign file's).", show_default=False),
    ] = None,
    force: opt.Force = None,
    period: Annotated[
        Optional[str],
        typer.Option("--period", help="The period, when a file does not say it (e.g. '2020/21', 'June 2020 to May 2021').", show_default=False),
    ] = None,
    sheet: Annotated[Optional[str], typer.Option("--sheet", help="Only read this sheet.", show_default=False)] = None,
    recipe: Annotated[
        Optional[Path],
        typer.Option(
            "--recipe",
            help="A TOML recipe fixing how the file is read: sheet, header_rows, data_rows, label_columns, "
            "value_columns, force, period, measure, orientation.",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        Optional[Path], typer.Option("--report", help="Write the full import report as JSON to FILE.", show_default=False)
    ] = None,
    strict: opt.Strict = False,
    excel_safe: opt.ExcelSafe = False,
    campaign: opt.Campaign = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No per-file report on stderr.")] = False,
    include_hidden: opt.IncludeHidden = False,
) -> None:
    """Read FOI returns (xlsx, xls, ods, csv; files or folders) into one tidy dataset.

    Every number keeps its source file, sheet and cell; every cell that is not imported
    is counted in the report with the reason.

    Examples:

      foistats import examples/sextortion -o sextortion.csv

      foistats import return.xlsx --force Leicestershire --period 2020/21 --measure "Sextortion reports"

      foistats import odd-layout.xlsx --recipe odd-layout.toml
    """
    from foistats.campaign.file import find_campaign
    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions
    from foistats.model.errors import EXIT_CHECK_FAILED, EXIT_INPUT
    from foistats.publish import import_report as importreport
    from foistats.publish.render import warn
    from foistats.publish.tidy_file import write_tidy

    for p in paths:
        if not p.exists():
            from foistats.model.errors import InputError

            raise InputError("no such file or folder", path=p)
    from foistats.campaign.file import load_recipe

    found = find_campaign(paths, campaign)
    options = ImportOptions(
        recipe=load_recipe(recipe) if recipe is not None else {},
        measure=measure or (found.measure if found else None),
        force=force,
        period=period,
        sheet=sheet,
        recipes=dict(found.recipes) if found else {},
        progress=True,
        include_hidden=include_hidden,
    )
    result = import_paths(paths, options)
    write_tidy(result.frame, output, fmt, excel_safe=excel_safe)
    if report is not None:
        importreport.write_json(result, report)
    if not quiet:
        for line in importreport.summary_lines(result):
            warn(line) if line.startswith("error") else typer.echo(line, err=True)
    if result.failures:
        raise typer.Exit(EXIT_INPUT)
    if strict and (result.skipped_or_guessed or result.warnings):
        warn(f"--strict: {result.skipped_or_guessed} cell(s) skipped or guessed, {len(result.warnings)} warning(s)")
        raise typer.Exit(EXIT_CHECK_FAILED)
