"""The import report: what a user reads to trust an import, or to see what to fix.

Kept apart from the importer so the same facts feed the stderr summary, the
`--report report.json` file and `foistats inspect`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from foistats.intake.report import FileReport, ImportResult


def summary_lines(result: ImportResult) -> list[str]:
    """One line per file, then the warnings; short enough to read for 45 files."""
    lines: list[str] = []
    for f in result.files:
        lines.append(_file_line(f))
        for s in f.sheets:
            where = f"  [{s.sheet}] " if s.sheet else "  "
            for w in s.warnings:
                lines.append(f"{where}warning: {w}")
            for g in s.guesses:
                lines.append(f"{where}guess: {g}")
            reasons = Counter(sk["reason"] for sk in s.skipped)
            for reason, n in reasons.most_common():
                lines.append(f"{where}skipped {n} cell(s): {reason}")
    total = sum(f.rows_imported for f in result.files)
    failed = len(result.failures)
    lines.append(
        f"imported {total:,} row(s) from {len(result.files) - failed} of {len(result.files)} file(s)"
        + (f"; {failed} could not be read" if failed else "")
    )
    return lines


def _file_line(f: FileReport) -> str:
    if f.status == "error":
        return f"error: {f.error}"
    parts = []
    for s in f.sheets:
        if s.status in ("imported", "counted", "refusal", "no_data") and s.rows_imported:
            who = f"{len(s.areas)} areas ({s.areas[0]}, …)" if len(s.areas) > 1 else (s.force or "no force found")
            src = f" (from {s.force_source})" if s.force_source and s.force_source != "table" else ""
            shape = f", {s.orientation}" if s.orientation else ""
            sheet = f"[{s.sheet}] " if s.sheet and len(f.sheets) > 1 else ""
            status = f" {s.status}:" if s.status != "imported" else ""
            parts.append(f"{sheet}{who}{src}{status} {s.rows_imported} row(s){shape}")
            if s.sheet == "letter" and s.message:
                parts.append(s.message)
        elif s.status in ("not_a_table", "empty") and len(f.sheets) == 1:
            parts.append(s.message or s.status)
        elif s.status == "letter" and s.message:  # a reply letter's reference, date and outcome
            parts.append(s.message)
    body = "; ".join(parts) if parts else f.status
    return f"{f.path}: {body}"


def as_dict(result: ImportResult) -> dict:
    return {
        "files": [asdict(f) for f in result.files],
        "rows_imported": sum(f.rows_imported for f in result.files),
        "files_failed": len(result.failures),
    }


def write_json(result: ImportResult, path: Path) -> None:
    from foistats.publish.files import atomic_write_text

    atomic_write_text(path, json.dumps(as_dict(result), indent=2, default=str) + "\n")
