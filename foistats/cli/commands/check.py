"""`foistats check`: verify a quoted rise, fall or multiple in the time it takes to type it.

A sub-editor runs this on one figure before publication and a CI script runs it on a
CSV of them, so it must start instantly: it imports only the standard-library claim
checker (`foistats.claims`), never polars or the spreadsheet readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from foistats.cli.options import ExcelSafe, Format, Output

if TYPE_CHECKING:  # pragma: no cover
    pass

ClaimWords = Annotated[
    Optional[list[str]],
    typer.Argument(
        help="BEFORE AFTER CLAIM (e.g. 28 152 443%), or a quoted sentence or paragraph as written in copy.",
        metavar="CLAIM",
        show_default=False,
    ),
]
ClaimsFile = Annotated[
    Optional[Path],
    typer.Option(
        "--file",
        help="A CSV of claims: columns before, after, claim — or a sentence column. '-' reads stdin.",
        show_default=False,
    ),
]
PassageFile = Annotated[
    Optional[Path],
    typer.Option(
        "--text",
        help="A passage of copy (a paragraph or a whole article) in a text file; '-' reads stdin. "
        "Every claim in it is checked against the figures it is about.",
        show_default=False,
    ),
]
DataPaths = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--data",
        help="Check the sentence's force, values, change and rank against this data (spreadsheets, folder or tidy dataset). Repeatable.",
        show_default=False,
    ),
]


def check_command(
    claim: ClaimWords = None,
    file: ClaimsFile = None,
    text: PassageFile = None,
    data: DataPaths = None,
    measure: Annotated[Optional[str], typer.Option("--measure", "-m", help="With --data: the measure.", show_default=False)] = None,
    year_start: Annotated[
        Optional[str], typer.Option("--year-start", help="With --data: first month of the comparison year.", show_default=False)
    ] = None,
    fmt: Format = None,
    output: Output = None,
    excel_safe: ExcelSafe = False,
) -> None:
    """Check a quoted percentage change, multiple or percentage-point change against its figures.

    Allows for rounding at the claim's own precision (443% means 442.5% to 443.5%), reads
    qualifiers (nearly, more than, about) and names the classic mistakes: the ratio
    reported as a rise, 'times more', points for per cent, the wrong base, a zero base.

    A sentence, paragraph or article (quoted, or with --text) is read as a list of
    claims, each paired with the figures it is about; years, dates, durations and ages
    are not figures. Every number no claim used is listed as "not checked".

    [bold]Examples[/bold]

      foistats check 28 152 443%
      foistats check 20 560 28x
      foistats check 10% 11% +1pp
      foistats check 152 28 -82%
      foistats check "Reports rose from 28 to 152, a rise of 443 per cent"
      foistats check 100 125 "rose by a quarter"
      foistats check 47 110 ">x2"
      foistats check --text story.txt
      pbpaste | foistats check --text -
      foistats check --file claims.csv -o verdicts.csv
      foistats check --data examples/sextortion "Leicestershire rose 443% between 2021 and 2023, ninth highest"

    Exit codes: 0 at least one claim checked, every claim consistent and no figure left
    unexplained; 1 any claim inconsistent; 2 a claim could not be read; 4 nothing
    inconsistent, but something could not be checked.
    """
    from foistats.cli.commands.check_run import run_check

    tokens = list(claim or [])
    if data:
        from foistats.cli.commands.check_run import reject_option_like

        reject_option_like(tokens)
        return _check_with_data(" ".join(tokens), list(data), measure, year_start, fmt, output, excel_safe)
    run_check(tokens, file, fmt, output, excel_safe, text=text)


def _check_with_data(
    text: str, paths: list[Path], measure: str | None, year_start: str | None, fmt: str | None, output: Path | None, excel_safe: bool
) -> None:
    """Every figure in one sentence about one force, checked against the data (polars loads here only)."""
    from foistats.analysis.check_data import check_with_data
    from foistats.cli.commands.inputs import exit_for_failures, report_failures
    from foistats.model.errors import CheckFailed, NotChecked, UsageError
    from foistats.publish.render import Column, Result, emit

    if not text.strip():
        raise UsageError("--data needs a sentence to check", hint='e.g. "Leicestershire rose 443% between 2021 and 2023"')
    rows, comparison, how = check_with_data(text, paths, measure=measure, year_start=year_start)
    report_failures(comparison.loaded)
    bad = sum(1 for r in rows if r["verdict"] == "inconsistent")
    result = Result(
        columns=[
            Column("item", "Figure"),
            Column("claimed", "Claimed"),
            Column("actual", "In the data", kind="num"),
            Column("verdict", "Verdict"),
            Column("reason", "Why"),
            Column("source", "Source (file | sheet | cell)"),
        ],
        rows=rows,
        caption=f"{comparison.measure}: {comparison.from_long} → {comparison.to_long} ({how})",
        highlight=lambda r: r["verdict"] == "inconsistent",
    )
    emit(result, fmt, output, excel_safe=excel_safe)
    exit_for_failures(comparison.loaded)
    if bad:
        raise CheckFailed(f"{bad} of {len(rows)} figures in the sentence are inconsistent with the data")
    cannot = sum(1 for r in rows if r["verdict"] == "cannot check")
    if cannot:
        raise NotChecked(f"{cannot} of {len(rows)} figures in the sentence could not be checked against the data")


# Negative claims (`foistats check 152 28 -82%`) look like options to the parser;
# cli.py passes these settings to Typer so they arrive as arguments instead.
check_command.context_settings = {"ignore_unknown_options": True}  # type: ignore[attr-defined]
