"""`foistats import`: raw returns in, one tidy dataset out, and a report of every decision."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from foistats.cli import options as opt


def import_command(
    paths: opt.Paths = None,
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
) -> None:
    """Read FOI returns (xlsx, xls, ods, csv; files or folders) into one tidy dataset.

    Every number keeps its source file, sheet and cell; every cell that is not imported
    is counted in the report with the reason.

    Examples:

      foistats import examples/sextortion -o sextortion.csv

      foistats import "examples/sextortion/Warwickshire Police FOI 2024-0299.csv" --force Warwickshire --measure "Sextortion reports"

      foistats import examples/sextortion | foistats rank - --year-start jun

    A file the detector reads wrongly can be fixed with --recipe FILE.toml
    (see --recipe below for its keys).
    """
    from foistats.campaign.file import find_campaign
    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions
    from foistats.model.errors import EXIT_CHECK_FAILED, EXIT_INPUT, UsageError
    from foistats.publish import import_report as importreport
    from foistats.publish.render import warn
    from foistats.publish.tidy_file import write_tidy

    from foistats.model.errors import InputError

    for p in paths:
        if str(p) == "-":
            raise UsageError("import reads returns from files", hint="to use a tidy dataset piped in, give - to rank, rise, periods, explain, export or chart")
        if not p.exists():
            raise InputError("no such file or folder", path=p)
    from foistats.campaign.file import load_recipe

    found = find_campaign(paths, campaign)
    options = ImportOptions(
        recipe=load_recipe(recipe) if recipe is not None else {},
        measure=measure or (found.measure if found else None),
        measure_from="user" if measure else ("campaign" if found and found.measure else None),
        force=force,
        period=period,
        sheet=sheet,
        recipes=dict(found.recipes) if found else {},
        progress=True,
    )
    result = import_paths(paths, options)
    if importreport.found_nothing(result):
        if report is not None:
            importreport.write_json(result, report)
        if not quiet:
            for line in importreport.summary_lines(result)[:-1]:
                _say(line)
        n = sum(1 for f in result.files if f.status not in ("own_output",))
        if n:
            raise InputError(
                f"found no numbers and no reply in {n} file{'s' if n != 1 else ''}",
                hint="foistats inspect FILE shows how a file is read",
            )
        raise InputError(
            f"no returns found in {', '.join(map(str, paths))}", hint="spreadsheets (xlsx, xls, ods) or CSV files"
        )
    write_tidy(result.frame, output, fmt, excel_safe=excel_safe)
    if report is not None:
        importreport.write_json(result, report)
    if not quiet:
        for line in importreport.summary_lines(result):
            _say(line)
    if result.failures:
        raise typer.Exit(EXIT_INPUT)
    if strict and (result.skipped_or_guessed or result.warnings):
        warn(f"--strict: {result.skipped_or_guessed} cell(s) skipped or guessed, {len(result.warnings)} warning(s)")
        raise typer.Exit(EXIT_CHECK_FAILED)


def _say(line: str) -> None:
    """A report line on stderr; errors and warnings stand out (bold/yellow in a terminal)."""
    import sys

    from foistats.publish.render import sanitise

    text = sanitise(line)
    stripped = text.lstrip()
    if stripped.startswith(("error", "warning", "guess")) and _colour(sys.stderr):
        colour = "\033[1;31m" if stripped.startswith("error") else "\033[33m"
        text = f"{colour}{text}\033[0m"
    sys.stderr.write(("foistats: " if stripped.startswith("error") else "") + text + "\n")


def _colour(stream: object) -> bool:
    import os

    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
