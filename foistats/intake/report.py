"""The import report's records: options in, per-sheet and per-file outcomes out.

Their own module because the pipeline, every reader and the tidy step all fill them in,
and the publish layer renders them: keeping them here is what stops the import circle
(pipeline -> tidy -> bulk/records -> report types in the pipeline -> ...).
Imports nothing else of the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl


@dataclass
class ImportOptions:
    """What the user told us that the files may not say themselves."""

    measure: str | None = None
    measure_from: str | None = None  # "user" (--measure) or "campaign" (the campaign file's name for it)
    force: str | None = None
    period: str | None = None
    sheet: str | None = None
    recipes: dict[str, Any] = field(default_factory=dict)  # file name -> recipe (campaign [recipes])
    recipe: dict[str, Any] = field(default_factory=dict)  # --recipe FILE: applies to every file given
    progress: bool = False
    include_hidden: bool = False  # issue 17: import hidden sheets, rows and columns too
    # The one measure the command goes on to keep (`rank`/`rise --measure`, matched exactly
    # as `dataset.select_measure` does first). An importer may leave out measures that can
    # never be it: a CSV of records asked for its all-categories total is counted by force
    # and month only, not by category as well.
    keep_measure: str | None = None


@dataclass
class SheetReport:
    """What happened to one sheet: the part a user reads to trust (or fix) an import."""

    sheet: str | None
    status: str  # imported | not_a_table | empty | skipped | error
    force: str | None = None
    force_source: str | None = None  # e.g. "column B", "file name", "title cell A1", "--force"
    areas: list[str] = field(default_factory=list)  # distinct forces/areas imported, in order met
    measure: str | None = None
    orientation: str | None = None  # wide | long | records
    header_rows: list[int] = field(default_factory=list)  # 1-based
    data_range: str | None = None  # e.g. "A5:E12"
    rows_imported: int = 0
    cells_in_region: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"cell", "text", "reason"}
    warnings: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    message: str | None = None
    # Where this sheet's forces, periods and measures came from: {"force": {"table": 40, "file_name": 3}, ...}
    # (the *_source vocabulary of the tidy rows, with row counts; issue 13).
    sources: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class FileReport:
    path: str
    status: str  # imported | partial | not_a_table | error
    sheets: list[SheetReport] = field(default_factory=list)
    error: str | None = None
    # A reply letter's reference, date, outcome, exemptions and deciding sentence (PDF, Word, e-mail).
    letter: dict[str, Any] | None = None

    @property
    def rows_imported(self) -> int:
        return sum(s.rows_imported for s in self.sheets)


@dataclass
class ImportResult:
    frame: "pl.DataFrame"
    files: list[FileReport]

    @property
    def failures(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "error"]

    @property
    def warnings(self) -> list[str]:
        out: list[str] = []
        for f in self.files:
            for s in f.sheets:
                out.extend(f"{f.path} [{s.sheet}]: {w}" if s.sheet else f"{f.path}: {w}" for w in s.warnings)
        return out

    @property
    def skipped_or_guessed(self) -> int:
        return sum(len(s.skipped) + len(s.guesses) for f in self.files for s in f.sheets)


def sources_text(sources: dict[str, dict[str, int]]) -> str:
    """"force from table; period from title; measure from table" (counts when mixed).

    Shared by the import report and `inspect`, so both say where a sheet's attributions
    came from in the same words.
    """
    parts = []
    for what in ("force", "period", "measure"):
        found = sources.get(what) or {}
        if not found:
            continue
        words = [k.replace("_", " ") for k in found]
        if len(found) > 1:
            words = [f"{k.replace('_', ' ')} ({n})" for k, n in found.items()]
        parts.append(f"{what} from {', '.join(words)}")
    return "; ".join(parts)
