"""`foistats check`: verify a quoted rise, fall or multiple in the time it takes to type it.

A sub-editor runs this on one figure before publication and a CI script runs it on a
CSV of them, so it must start instantly: it imports only the standard-library claim
checker (`foistats.claims`), never polars or the spreadsheet readers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from foistats.options import ExcelSafe, Format, Output

if TYPE_CHECKING:  # pragma: no cover
    from foistats.claims import Verdict
    from foistats.render import Column

ClaimWords = Annotated[
    Optional[list[str]],
    typer.Argument(
        help="BEFORE AFTER CLAIM (e.g. 28 152 443%), or one quoted sentence as written in copy.",
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

# Public column order for CSV/JSON (before, after, claimed, exact, verdict, reason are promised by name).
CHECK_KEYS = (
    "claim", "before", "after", "claimed", "exact", "unit", "interval", "verdict", "diagnosis", "reason", "suggestion",
)
_OPTION_LIKE = re.compile(r"^--?[A-Za-z]")


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

    [bold]Examples[/bold]

      foistats check 28 152 443%
      foistats check 20 560 28x
      foistats check 10% 11% +1pp
      foistats check 152 28 -82%
      foistats check "Reports rose from 28 to 152, a rise of 443 per cent"
      foistats check 100 125 "rose by a quarter"
      foistats check --file claims.csv -o verdicts.csv
      foistats check --data examples/sextortion "Leicestershire rose 443% between 2021 and 2023, ninth highest"

    Exit codes: 0 every claim consistent, 1 any inconsistent, 2 a claim could not be read.
    """
    from foistats import claims as claims_lib
    from foistats.errors import CheckFailed, UsageError
    from foistats.render import Result, emit

    tokens = list(claim or [])
    for tok in tokens:
        if _OPTION_LIKE.match(tok):
            raise UsageError(f"no such option: {tok}", hint="see foistats check --help")
    if not tokens and file is None:
        raise UsageError("nothing to check", hint='e.g. foistats check 28 152 443% or foistats check --file claims.csv')

    if data:
        return _check_with_data(" ".join(tokens), list(data), measure, year_start, fmt, output, excel_safe)

    rows: list[dict[str, Any]] = []
    unreadable: list[str] = []
    if tokens:
        for verdict in (claims_lib.check(c) for c in claims_lib.parse_args(tokens)):
            rows.append(verdict.row())
    if file is not None:
        file_rows, unreadable = _check_file(file)
        rows.extend(file_rows)

    inconsistent = sum(1 for r in rows if r["verdict"] == claims_lib.INCONSISTENT)
    cannot = sum(1 for r in rows if r["verdict"] == claims_lib.CANNOT_CHECK)
    consistent = len(rows) - inconsistent - cannot
    result = Result(
        columns=_columns(with_row=file is not None),
        rows=rows,
        highlight=lambda r: r["verdict"] == claims_lib.INCONSISTENT,
        sentence=(
            f"{consistent} consistent, {inconsistent} inconsistent, {cannot} cannot be checked."
            if len(rows) > 1
            else None
        ),
    )
    emit(result, fmt, output, excel_safe=excel_safe)

    if unreadable:
        raise UsageError(unreadable[0] + (f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""))
    if inconsistent:
        raise CheckFailed(
            "the claim is inconsistent" if len(rows) == 1 else f"{inconsistent} of {len(rows)} claims are inconsistent"
        )


def _check_with_data(
    text: str, paths: list[Path], measure: str | None, year_start: str | None, fmt: str | None, output: Path | None, excel_safe: bool
) -> None:
    """Every figure in one sentence about one force, checked against the data (polars loads here only)."""
    from foistats.claimdata import check_with_data
    from foistats.commands.inputs import exit_for_failures, report_failures
    from foistats.errors import CheckFailed, UsageError
    from foistats.render import Column, Result, emit

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


def _columns(with_row: bool) -> "list[Column]":
    from foistats.render import Column

    shown = {"claim", "verdict", "reason", "suggestion"}
    cols = [Column("row", "Row", kind="int")] if with_row else []
    for key in CHECK_KEYS:
        kind = "num" if key in ("before", "after", "exact") else "text"
        cols.append(Column(key, key.capitalize(), kind=kind, table=key in shown))
    return cols


def _check_file(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """One verdict row per claim in a CSV; unreadable claims become rows too, so a batch is never cut short."""
    import csv
    import io
    import sys

    from foistats import claims as claims_lib
    from foistats.errors import FoistatsError, InputError

    name = "stdin" if str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    reader = csv.DictReader(io.StringIO(text))
    headers = {(h or "").strip().lower(): h for h in (reader.fieldnames or [])}
    has_sentence = "sentence" in headers
    has_triple = "claim" in headers and "before" in headers and "after" in headers
    if not (has_sentence or has_triple):
        raise InputError(
            "needs a 'sentence' column, or 'before', 'after' and 'claim' columns",
            path=name,
            hint=f"found: {', '.join(headers) or 'no header'}",
        )

    def cell(record: dict[str, Any], key: str) -> str:
        h = headers.get(key)
        return (record.get(h) or "").strip() if h is not None else ""

    rows: list[dict[str, Any]] = []
    unreadable: list[str] = []
    for line_no, record in enumerate(reader, start=2):
        sentence = cell(record, "sentence")
        before, after, claim = cell(record, "before"), cell(record, "after"), cell(record, "claim")
        if not (sentence or before or after or claim):
            continue
        try:
            if sentence:
                tokens = [before, after, sentence] if before and after else [sentence]
            else:
                tokens = [before, after, claim]
            verdicts: list[Verdict] = [claims_lib.check(c) for c in claims_lib.parse_args(tokens)]
        except FoistatsError as exc:
            unreadable.append(f"{name} line {line_no}: {exc}")
            rows.append({
                "row": line_no, "claim": sentence or " ".join(t for t in (before, after, claim) if t),
                "verdict": claims_lib.CANNOT_CHECK, "diagnosis": "unreadable", "reason": f"could not read: {exc}",
            })
            continue
        for v in verdicts:
            rows.append({"row": line_no, **v.row()})
    return rows, unreadable


# Negative claims (`foistats check 152 28 -82%`) look like options to the parser;
# cli.py passes these settings to Typer so they arrive as arguments instead.
check_command.context_settings = {"ignore_unknown_options": True}  # type: ignore[attr-defined]
