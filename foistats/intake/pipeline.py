"""Import raw FOI returns: files in, tidy frame and an honest report out.

The steps live in their own modules (read -> detect -> tidy); this module walks the
paths, runs the steps per file, keeps going past a bad file and collects the report.
Reply documents (PDF, Word, e-mail, web pages, zips of replies) go through
`intake.documents.import_one`, which adds what a letter carries and expands containers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from foistats.intake.report import FileReport, ImportOptions, ImportResult

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
# Reply documents: letters with tables (PDF, Word), e-mails with attachments, web pages,
# and zips of replies (a WhatDoTheyKnow batch download).
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".eml", ".msg", ".html", ".htm", ".zip")
SUPPORTED = SPREADSHEET_EXTENSIONS + TEXT_EXTENSIONS + DOCUMENT_EXTENSIONS


def discover(paths: list[Path]) -> list[Path]:
    """Files to import, folders searched recursively, in a stable order; hidden and lock files skipped."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if (
                    child.is_file()
                    and child.suffix.lower() in SUPPORTED
                    and not any(part.startswith(".") for part in child.relative_to(p).parts)
                    and not child.name.startswith("~$")
                    and child.name.lower() not in ("readme.txt",)
                ):
                    found.append(child)
        else:
            found.append(p)
    return found


def import_paths(paths: list[Path], options: ImportOptions) -> ImportResult:
    """Import every file; one unreadable file is reported and the rest still imported."""
    _validate(options)
    import tempfile

    import polars as pl

    from foistats.intake.documents import import_one
    from foistats.intake.own_outputs import screen
    from foistats.model.schema import empty_frame

    screened = screen(discover(paths), paths)  # foistats' own outputs are never read as returns
    files = screened.returns
    frames: list[pl.DataFrame] = list(screened.frames)
    reports: list[FileReport] = list(screened.reports)
    progress = _progress(len(files)) if options.progress and len(files) > 8 else None
    with tempfile.TemporaryDirectory(prefix="foistats-") as tmp:
        for path in files:
            import_one(path, str(path), options, frames, reports, Path(tmp), 0, SUPPORTED)
            if progress is not None:
                progress.advance()
    if progress is not None:
        progress.close()
    frame = pl.concat(frames, how="vertical") if frames else empty_frame()
    return ImportResult(frame=frame, files=reports)


def _validate(options: ImportOptions) -> None:
    """Options apply to every file, so a bad one is a usage error before any file is read."""
    from foistats.model.errors import UsageError

    if options.force:
        from foistats.model.forces import resolve_force_option

        resolve_force_option(options.force)
    if options.period:
        from foistats.model.periods import PeriodError, parse_period

        try:
            parse_period(options.period)
        except PeriodError as exc:
            raise UsageError(f"--period {options.period!r}: {exc}") from None


class _progress:
    """A Rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        import sys

        self._bar = None
        if not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import Progress

        self._bar = Progress(transient=True, console=Console(stderr=True))  # never into stdout's data
        self._bar.start()
        self._task = self._bar.add_task("importing", total=total)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
