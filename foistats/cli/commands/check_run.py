"""Run claim checks and render the verdicts, without Typer.

`foistats check 28 152 443%` must feel instant, and Typer 0.29 builds pydantic
validators for every parameter when it invokes a command (~100 ms). So the console
entry point (`foistats.entry`) sends the plain forms straight here, and the Typer
command calls the very same function: one behaviour, two doors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.claims import Verdict
    from foistats.publish.render import Column

# Public column order for CSV/JSON (before, after, claimed, exact, verdict, reason are promised by name).
CHECK_KEYS = (
    "claim", "before", "after", "claimed", "exact", "unit", "interval", "verdict", "diagnosis", "reason", "suggestion",
)
_OPTION_LIKE = re.compile(r"^--?[A-Za-z]")


def reject_option_like(tokens: list[str]) -> None:
    from foistats.model.errors import UsageError

    for tok in tokens:
        if _OPTION_LIKE.match(tok):
            raise UsageError(f"no such option: {tok}", hint="see foistats check --help")


def run_check(
    tokens: list[str], file: Path | None, fmt: str | None, output: Path | None, excel_safe: bool = False
) -> None:
    """Check claims given as words and/or a CSV file; render; raise CheckFailed if any is inconsistent."""
    from foistats.analysis import claims as claims_lib
    from foistats.model.errors import CheckFailed, UsageError
    from foistats.publish.render import Result, emit

    reject_option_like(tokens)
    if not tokens and file is None:
        raise UsageError("nothing to check", hint='e.g. foistats check 28 152 443% or foistats check --file claims.csv')

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


def _columns(with_row: bool) -> "list[Column]":
    from foistats.publish.render import Column

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

    from foistats.analysis import claims as claims_lib
    from foistats.model.errors import FoistatsError, InputError

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


