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
# Compressed text found in a folder: "2020-07-kent-street.csv.gz" (data.police.uk bulk downloads).
GZIP_TEXT_EXTENSIONS = tuple(ext + ".gz" for ext in TEXT_EXTENSIONS)


def _supported(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in SUPPORTED or name.endswith(GZIP_TEXT_EXTENSIONS)


def discover(paths: list[Path], problems: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Files to import, folders searched recursively, in a stable order; hidden and lock files skipped.

    Symbolic links are followed, but a link loop, a broken link and a folder that
    cannot be read are added to `problems` as (path, reason), never skipped silently.
    """
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(_walk(p, problems if problems is not None else [], frozenset()))
        else:
            found.append(p)
    return found


def _walk(folder: Path, problems: list[tuple[Path, str]], seen: frozenset[tuple[int, int]]):  # type: ignore[no-untyped-def]
    """Depth-first, entries in name order (the order `sorted(rglob)` gave), loops and errors reported."""
    import os

    try:
        st = folder.stat()
    except OSError as exc:
        problems.append((folder, f"cannot read the folder ({exc.strerror or exc})"))
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        problems.append((folder, "a symbolic link loop (the folder contains itself); not followed"))
        return
    seen = seen | {key}
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        problems.append((folder, f"cannot read the folder ({exc.strerror or exc})"))
        return
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name.startswith("~$"):
            continue
        child = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
            dangling = entry.is_symlink() and not is_dir and not is_file
        except OSError as exc:
            problems.append((child, f"cannot read it ({exc.strerror or exc})"))
            continue
        if dangling:
            if child.suffix.lower() in SUPPORTED or not child.suffix:
                try:
                    target = os.readlink(child)
                except OSError:
                    target = "?"
                problems.append((child, f"a broken link (it points to {target}, which does not exist)"))
            continue
        if is_dir:
            yield from _walk(child, problems, seen)
        elif is_file and _supported(child) and name.lower() not in ("readme.txt",):
            yield child


def import_paths(paths: list[Path], options: ImportOptions) -> ImportResult:
    """Import every file; one unreadable file is reported and the rest still imported."""
    _validate(options)
    import tempfile

    from foistats.intake.columnar import MIN_BYTES
    from foistats.intake.memory import prefer_small_footprint, settle_loaded_code

    problems: list[tuple[Path, str]] = []
    found = discover(paths, problems)
    prefer_small_footprint(found, MIN_BYTES)  # before polars loads: jemalloc reads its options once
    import polars as pl

    from foistats.intake.own_outputs import screen
    from foistats.model.schema import empty_frame

    settle_loaded_code()  # the console script's long-lived modules, out of every later collection

    screened = screen(found, paths)  # foistats' own outputs are never read as returns
    files = screened.returns
    frames: list[pl.DataFrame] = list(screened.frames)
    reports: list[FileReport] = [FileReport(path=str(p), status="error", error=f"{p}: {why}") for p, why in problems]
    reports.extend(screened.reports)
    progress = _progress(len(files)) if options.progress and len(files) > 8 else None
    with tempfile.TemporaryDirectory(prefix="foistats-") as tmp:
        for path in files:
            _import_one(path, options, frames, reports, Path(tmp))
            if progress is not None:
                progress.advance()
    if progress is not None:
        progress.close()
    frame = pl.concat(frames, how="vertical") if frames else empty_frame()
    from foistats.intake.sanity import check_import  # issue 17: duplicates, negative counts

    check_import(frame, reports)
    return ImportResult(frame=frame, files=reports)


def _import_one(path: Path, options: ImportOptions, frames: "list[pl.DataFrame]", reports: list[FileReport], tmp: Path) -> None:
    """One file (and the files inside a zip or an e-mail); never raises an input error.

    A gzip-compressed CSV is streamed to a temporary file first, and its rows and report
    name the .gz the user gave, not the temporary copy.
    """
    import tempfile

    from foistats.intake.documents import import_one
    from foistats.intake.readers.text import gunzip_to, is_gzip
    from foistats.model.errors import FoistatsError

    if not (path.is_file() and is_gzip(path)):
        import_one(path, str(path), options, frames, reports, tmp, 0, SUPPORTED)
        return
    try:
        inner = gunzip_to(path, Path(tempfile.mkdtemp(prefix="gz-", dir=tmp)))
    except FoistatsError as exc:
        reports.append(FileReport(path=str(path), status="error", error=str(exc)))
        return
    if options.recipes and path.name in options.recipes and inner.name not in options.recipes:
        options.recipes[inner.name] = options.recipes[path.name]
    import_one(inner, str(path), options, frames, reports, tmp, 0, SUPPORTED)


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
