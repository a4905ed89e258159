"""The door every file comes in by: the guard checks it, then the reader for its format reads it.

The format is decided by the bytes (`guard.sniff`), not the extension, because FOI
replies arrive misnamed: HTML saved as .xls, CSV saved as .xlsx.
"""

from __future__ import annotations

from pathlib import Path

from foistats.intake.grid import Workbook
from foistats.model.errors import InputError


def read_workbook(path: Path) -> Workbook:
    """Check the file with the guard, then read it with the right reader."""
    from foistats.intake import guard
    from foistats.intake.readers.text import is_gzip

    if path.name.lower().endswith(".gz") and is_gzip(path):  # a .csv.gz (import streams it; see pipeline)
        from foistats.intake.readers.text import read_gzip_text

        return read_gzip_text(path)
    kind = guard.sniff(path)
    if kind in ("xlsx", "xlsb", "ods"):
        guard.check_archive(path)
    elif kind == "xls":
        guard.check_biff(path)
    if kind in ("xlsx", "xlsb", "xls", "ods"):
        from foistats.intake.readers.spreadsheet import _read_calamine

        return _read_calamine(path, kind)
    if kind in ("csv", "text"):
        from foistats.intake.readers.text import read_text

        return read_text(path)
    if kind == "html":
        raise InputError(
            "this is a web page (HTML) saved with a spreadsheet name; open it in a spreadsheet and save as .xlsx",
            path=path,
        )
    raise InputError(f"not a spreadsheet this tool can read ({kind})", path=path)
