"""The import report: what a user reads to trust an import, or to see what to fix.

Kept apart from the importer so the same facts feed the stderr summary, the
`--report report.json` file and `foistats inspect`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from typing import Any

from foistats.intake.report import FileReport, ImportResult, sources_text


def summary_lines(result: ImportResult) -> list[str]:
    """One line per file; a warning or guess on its own line, marked; counts in the last line.

    Short enough to read for 45 files: what was skipped is folded into the file's line
    ("3 cells skipped: total column"); warnings and guesses are what a reader must see,
    so they stand out and are counted at the end.
    """
    lines: list[str] = []
    warnings = guesses = 0
    own = 0
    for f in result.files:
        if f.status == "own_output":
            own += 1
        lines.append(_file_line(f))
        for s in f.sheets:
            where = f"[{s.sheet}] " if s.sheet and len(f.sheets) > 1 else ""
            for w in s.warnings:
                warnings += 1
                lines.append(f"  warning: {where}{w}")
            for g in s.guesses:
                guesses += 1
                lines.append(f"  guess: {where}{g}")
    total = sum(f.rows_imported for f in result.files)
    failed = len(result.failures)
    counted = [f for f in result.files if f.status not in ("own_output",)]
    tail = [f"imported {total:,} {_plural(total, 'row')} from {len(counted) - failed} of {len(counted)} {_plural(len(counted), 'file')}"]
    tail.append(f"{warnings} {_plural(warnings, 'warning')}")
    if guesses:
        tail.append(f"{guesses} {_plural(guesses, 'guess', 'guesses')}")
    if failed:
        tail.append(f"{failed} could not be read")
    if own:
        tail.append(f"{own} foistats {_plural(own, 'output')} skipped")
    lines.append("; ".join(tail))
    return lines


def _plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


def _file_line(f: FileReport) -> str:
    if f.status == "error":
        return f"error: {f.error}"
    if f.status in ("own_output", "tidy"):
        return f"{f.path}: {f.sheets[0].message if f.sheets else f.status}"
    parts = []
    for s in f.sheets:
        if s.status in ("imported", "counted", "refusal", "no_data") and s.rows_imported:
            who = f"{len(s.areas)} areas ({s.areas[0]}, …)" if len(s.areas) > 1 else (s.force or "no force found")
            src = _evidence(s)
            shape = f", {s.orientation}" if s.orientation else ""
            sheet = f"[{s.sheet}] " if s.sheet and len(f.sheets) > 1 else ""
            status = f" {s.status}:" if s.status != "imported" else ""
            skipped = ""
            if s.skipped:
                reasons = Counter(sk["reason"] for sk in s.skipped)
                skipped = "; " + ", ".join(
                    f"{n} {_plural(n, 'cell')} skipped: {reason}" for reason, n in reasons.most_common(2)
                )
                if len(reasons) > 2:
                    skipped += f" and {sum(reasons.values()) - sum(n for _, n in reasons.most_common(2))} more"
            parts.append(f"{sheet}{who}{src}{status} {s.rows_imported} {_plural(s.rows_imported, 'row')}{shape}{skipped}")
            if s.sheet == "letter" and s.message:
                parts.append(s.message)
        elif s.status in ("not_a_table", "empty") and len(f.sheets) == 1:
            parts.append(s.message or s.status)
        elif s.status == "letter" and s.message:  # a reply letter's reference, date and outcome
            parts.append(s.message)
    body = "; ".join(parts) if parts else f.status
    return f"{f.path}: {body}"


def _evidence(s: Any) -> str:
    """Where force, period and measure came from, said only when something is not the table's own label."""
    if s.sources:
        if all(set(found) <= {"table", "records"} for found in s.sources.values()):
            return ""
        text = sources_text(s.sources)
        force = s.sources.get("force") or {}
        if len(force) == 1 and s.force_source and s.force_source != "table" and " " in s.force_source:
            # the detail the report had before sources were counted: "sheet name 'Derbyshire'"
            text = text.replace(f"force from {next(iter(force)).replace('_', ' ')}", f"force from {s.force_source}", 1)
        return f" ({text})"
    return f" (from {s.force_source})" if s.force_source and s.force_source != "table" else ""


def found_nothing(result: ImportResult) -> bool:
    """No numbers and no reply outcome at all (a refusal or nil letter read is something).

    Rows that only say a cell was empty (`not_available` with no value, kept so nothing
    vanishes from the reconciliation) are not something found.
    """
    import polars as pl

    frame = result.frame
    if frame.height:
        found = frame.filter(pl.col("value").is_not_null() | ~pl.col("status").is_in(["not_available", "not_applicable"]))
        return found.height == 0
    return not any(s.rows_imported for f in result.files for s in f.sheets)


def as_dict(result: ImportResult) -> dict:
    return {
        "files": [asdict(f) for f in result.files],
        "rows_imported": sum(f.rows_imported for f in result.files),
        "files_failed": len(result.failures),
    }


def write_json(result: ImportResult, path: Path) -> None:
    from foistats.publish.files import atomic_write_text

    atomic_write_text(path, json.dumps(as_dict(result), indent=2, default=str) + "\n")
