"""Run claim checks and render the verdicts, without Typer.

Three inputs, one table: the two-figure form (`28 152 443%`), a passage of copy (a
quoted sentence, or `--text FILE|-` for a paragraph or an article), and `--file`, a CSV
of claims. A passage is read into claims paired with their figures; every number in it
that no claim used gets a "not checked" row, so nothing is silently ignored.

Exit codes: 1 when any claim is inconsistent (this wins); 2 when a claim could not be
read; 4 when nothing is inconsistent but something could not be checked (a claim
without figures, a figure no claim used, or no claim at all); 0 otherwise.

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
    "figures", "arithmetic",
)
NOT_CHECKED = "not checked"
_OPTION_LIKE = re.compile(r"^--?[A-Za-z]")


def reject_option_like(tokens: list[str]) -> None:
    from foistats.model.errors import UsageError

    for tok in tokens:
        if _OPTION_LIKE.match(tok):
            raise UsageError(f"no such option: {tok}", hint="see foistats check --help")


def run_check(
    tokens: list[str],
    file: Path | None,
    fmt: str | None,
    output: Path | None,
    excel_safe: bool = False,
    text: Path | None = None,
) -> None:
    """Check claims given as words, a passage file and/or a CSV file; render; exit as the module docstring says."""
    from foistats.analysis import claims as claims_lib
    from foistats.model.errors import CheckFailed, NotChecked, UsageError
    from foistats.publish.render import Result, emit

    reject_option_like(tokens)
    if not tokens and file is None and text is None:
        raise UsageError("nothing to check", hint='e.g. foistats check 28 152 443% or foistats check --text story.txt')

    rows: list[dict[str, Any]] = []
    unreadable: list[str] = []
    if tokens:
        if _two_figure_form(tokens):
            if len(tokens) == 1:
                tokens = tokens[0].split()
            rows.extend(claims_lib.check(c).row() for c in claims_lib.parse_args(tokens))
        else:
            rows.extend(passage_rows(" ".join(t.strip() for t in tokens), strict=True))
    if text is not None:
        rows.extend(passage_rows(_read_text(text), strict=True, name=_name(text)))
    if file is not None:
        file_rows, unreadable = _check_file(file)
        rows.extend(file_rows)

    inconsistent = sum(1 for r in rows if r["verdict"] == claims_lib.INCONSISTENT)
    cannot = sum(1 for r in rows if r["verdict"] == claims_lib.CANNOT_CHECK)
    unused = sum(1 for r in rows if r["verdict"] == NOT_CHECKED)
    consistent = len(rows) - inconsistent - cannot - unused
    summary = f"{consistent} consistent, {inconsistent} inconsistent, {cannot} cannot be checked"
    summary += f", {unused} not checked." if unused else "."
    result = Result(
        columns=_columns(with_row=file is not None),
        rows=rows,
        highlight=lambda r: r["verdict"] == claims_lib.INCONSISTENT,
        sentence=summary if len(rows) > 1 else None,
    )
    emit(result, fmt, output, excel_safe=excel_safe)

    if inconsistent:
        raise CheckFailed(
            "the claim is inconsistent" if len(rows) == 1 else f"{inconsistent} of {len(rows)} claims are inconsistent"
        )
    if unreadable:
        raise UsageError(unreadable[0] + (f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""))
    if cannot or unused or not consistent:
        parts = []
        if cannot:
            parts.append(f"{cannot} claim{'s' if cannot != 1 else ''} could not be checked")
        if unused:
            parts.append(f"{unused} figure{'s' if unused != 1 else ''} not checked")
        raise NotChecked("; ".join(parts) if parts else "no claim was checked")


def _two_figure_form(tokens: list[str]) -> bool:
    """`28 152 443%`: the first two words are figures. Anything else is a passage of copy."""
    from foistats.analysis.claims import parse_number
    from foistats.model.errors import UsageError

    words = [t for t in (tok.strip() for tok in tokens) if t]
    if len(words) == 1 and len(words[0].split()) == 3:
        words = words[0].split()  # "28 152 443%" quoted as one argument
    try:
        for tok in words[:2]:
            parse_number(tok)
    except UsageError:
        return False
    return len(words) >= 1 and (len(words) >= 2 or " " not in words[0])


def passage_rows(text: str, *, strict: bool, name: str = "the passage") -> list[dict[str, Any]]:
    """One row per claim in a passage, then one "not checked" row per figure no claim used.

    `strict` (the command line) raises a usage error for a passage with no number and
    no claim at all — it is probably not what the user meant to check.
    """
    from foistats.analysis import claims as claims_lib
    from foistats.analysis.claims.passage import read_passage
    from foistats.model.errors import UsageError

    passage = read_passage(text)
    if strict and not passage.claims and not passage.unused:
        raise UsageError(
            f"could not find a figure to check in {_short(text)!r}",
            hint="expected e.g. 443%, 28x, +1pp, 'doubled', 'six-fold' or 'rose from 28 to 152'",
        )
    rows = [claims_lib.check(c).row() for c in passage.claims]
    for figure in passage.unused:
        rows.append({
            "claim": _short(text), "claimed": figure, "verdict": NOT_CHECKED, "diagnosis": "not_checked",
            "reason": f"not checked: {figure} — no claim in {name} is about it",
        })
    return rows


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _name(path: Path) -> str:
    return "stdin" if str(path) == "-" else str(path)


def _read_text(path: Path) -> str:
    """A passage from a text file or stdin ('-'): the whole of it, as UTF-8."""
    import sys

    from foistats.model.errors import InputError

    try:
        if str(path) == "-":
            return sys.stdin.read()
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a text file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None


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
            if sentence and not (before and after):
                rows.extend({"row": line_no, **r} for r in passage_rows(sentence, strict=True, name="the sentence"))
                continue
            tokens = [before, after, sentence or claim]
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


