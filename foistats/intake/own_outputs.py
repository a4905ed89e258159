"""Recognise foistats' own outputs so they are never re-imported as returns.

People save outputs next to the returns (`foistats import returns -o returns/all.csv`).
Read as a return, a tidy dataset or a Datawrapper export would add its numbers a second
time and change every result. Each output is recognised by what foistats writes into it,
not by its name: the tidy header (`schema.is_tidy_header`, so it follows the schema),
the Datawrapper, status and rank/rise headers, the workbook's About sheet and the
"foistats" mark charts carry in their metadata.

A tidy dataset found in a folder is tidy data, never a return: it is read as tidy data
when nothing else in the run is a return, and otherwise skipped (it is almost always
made from the returns beside it, so reading it too would count them twice).
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foistats.intake.report import FileReport

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

TIDY = "a tidy dataset"
MARK = b"foistats"
# Last columns of the Datawrapper/Flourish export (publish/export.py datawrapper_result).
_DATAWRAPPER_TAIL = ["Change", "% change", "Rank", "Place", "Note"]
_STATUS_KEYS = {"force", "force_code", "status", "working_days_overdue"}
_RISE_KEYS = {"force", "force_code", "from_period", "to_period", "from_value", "to_value"}
_PERIODS_KEYS = {"force", "force_code", "period_label"}


def _header(path: Path) -> list[str]:
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline(65536)
    except OSError:
        return []
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]


def recognise(path: Path) -> str | None:
    """What foistats output `path` is ("a tidy dataset", "a Datawrapper export", ...), or None."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        header = _header(path)
        if not header:
            return None
        from foistats.model.schema import is_tidy_header

        if is_tidy_header(header):
            return TIDY
        if header[0] == "Force" and header[-len(_DATAWRAPPER_TAIL):] == _DATAWRAPPER_TAIL:
            return "a Datawrapper export"
        keys = set(header)
        if _STATUS_KEYS <= keys:
            return "a status tracker"
        if _RISE_KEYS <= keys:
            return "a rank/rise table"
        if _PERIODS_KEYS <= keys and "force" == header[0]:
            return "a foistats table"
        return None
    if suffix == ".parquet":
        return TIDY
    if suffix in (".xlsx", ".xlsm"):
        return "a foistats workbook" if _is_export_workbook(path) else None
    if suffix in (".png", ".svg", ".pdf"):
        return "a foistats chart" if _has_mark(path) else None
    return None


def _is_export_workbook(path: Path) -> bool:
    """The editors' workbook: sheets Data, Sources and About, About saying "Made with foistats"."""
    try:
        with zipfile.ZipFile(path) as zf:
            workbook = zf.read("xl/workbook.xml")[:65536]
            if b'name="About"' not in workbook or b'name="Sources"' not in workbook:
                return False
            names = set(zf.namelist())
            strings = zf.read("xl/sharedStrings.xml")[:2_000_000] if "xl/sharedStrings.xml" in names else b""
            if b"Made with" in strings and MARK in strings:
                return True
            # openpyxl may write inline strings: look in the sheets themselves.
            for name in names:
                if name.startswith("xl/worksheets/sheet") and MARK in zf.read(name)[:2_000_000]:
                    return True
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return False


def _has_mark(path: Path) -> bool:
    """Charts carry "foistats" in their metadata (PNG Software, SVG/PDF Creator)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16384)
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - 16384))
            tail = fh.read()
    except OSError:
        return False
    return MARK in head or MARK in tail


@dataclass
class Screened:
    """Files sorted for the importer: returns to read, own outputs skipped, tidy data read."""

    returns: list[Path]
    reports: list[FileReport] = field(default_factory=list)
    frames: list["pl.DataFrame"] = field(default_factory=list)


def screen(files: list[Path], roots: list[Path] = ()) -> Screened:  # type: ignore[assignment]
    """Take foistats' own outputs out of `files`, with a one-line note for each.

    Also where a file cannot be read at all: a FIFO or device is refused (reading one
    would wait forever), an unreadable file or folder is reported on one line, and the
    rest of the run goes on.
    """
    returns: list[Path] = []
    tidy: list[Path] = []
    own: list[tuple[Path, str]] = []
    refused: list[FileReport] = [_unreadable_folder(d) for d in _unreadable_folders(roots)]
    for path in files:
        problem = _cannot_read(path)
        if problem:
            refused.append(FileReport(path=str(path), status="error", error=f"{path}: {problem}"))
            continue
        kind = recognise(path)
        if kind is None:
            returns.append(path)
        elif kind == TIDY:
            tidy.append(path)
        else:
            own.append((path, kind))
    out = Screened(returns=returns, reports=refused)
    for path, kind in own:
        out.reports.append(_note(path, f"skipped: {kind} written by foistats, not a return"))
    if tidy and not returns:
        from foistats.intake.tidy_data import read_tidy
        from foistats.model.errors import FoistatsError

        for path in tidy:
            try:
                frame = read_tidy(path)
            except FoistatsError as exc:
                out.reports.append(FileReport(path=str(path), status="error", error=str(exc)))
                continue
            out.frames.append(frame)
            out.reports.append(_note(path, f"read as tidy data ({frame.height:,} rows)", status="tidy", rows=frame.height))
    else:
        for path in tidy:
            out.reports.append(
                _note(path, "skipped: a tidy dataset written by foistats, not a return (name it on its own to read it)")
            )
    return out


def _note(path: Path, message: str, *, status: str = "own_output", rows: int = 0) -> FileReport:
    from foistats.intake.report import SheetReport

    sheet = SheetReport(sheet=None, status=status, message=message, rows_imported=rows)
    return FileReport(path=str(path), status=status, sheets=[sheet])


def _cannot_read(path: Path) -> str | None:
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return (exc.strerror or "cannot be read").lower()
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO), not a file: refused rather than waited on (use - to read stdin)"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    if not os.access(path, os.R_OK):
        return "permission denied"
    return None


def _unreadable_folders(roots: Any) -> list[Path]:
    import os

    bad: list[Path] = []
    for root in roots or ():
        root = Path(root)
        if not root.is_dir():
            continue
        if not os.access(root, os.R_OK | os.X_OK):
            bad.append(root)
            continue
        for here, dirs, _files in os.walk(root, onerror=lambda e: bad.append(Path(e.filename))):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for d in dirs:
                full = Path(here) / d
                if not os.access(full, os.R_OK | os.X_OK):
                    bad.append(full)
    return list(dict.fromkeys(bad))


def _unreadable_folder(path: Path) -> FileReport:
    return FileReport(path=str(path), status="error", error=f"{path}: folder cannot be read (permission denied); the rest was imported")


def is_own(path: Path) -> bool:
    return recognise(path) is not None
