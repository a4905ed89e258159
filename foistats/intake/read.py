"""The door every file comes in by: the guard checks it, then the reader for its format reads it.

The format is decided by the bytes (`guard.sniff`), not the extension, because FOI
replies arrive misnamed: HTML saved as .xls, CSV saved as .xlsx.

Spreadsheets and CSVs become a `Workbook` of cell grids. Reply documents (PDF, Word,
e-mail, web pages, zips of replies) become a `Document`: the workbook of the tables
found in them, plus what only a document has — the letter's words, the page/table/row/
column name of each cell, the PDF's record lists and printed-total checks, and the files
inside it (e-mail attachments, zip members) that are imported as files of their own.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

from foistats.intake.grid import Workbook
from foistats.intake.readers.document import Document, Member  # noqa: F401  (re-exported)
from foistats.model.errors import InputError

DOCUMENT_KINDS = ("pdf", "docx", "doc", "eml", "msg", "html", "zip")
_WHAT = {"pdf": "PDF", "docx": "Word document", "doc": "Word 97-2003 document", "eml": "e-mail", "msg": "Outlook message", "html": "web page", "zip": "zip archive"}


def read_workbook(path: Path) -> Workbook:
    """Check the file with the guard, then read it with the right reader."""
    from foistats.intake import guard
    from foistats.intake.readers.text import is_gzip

    if path.name.lower().endswith(".gz") and is_gzip(path):  # a .csv.gz (import streams it; see pipeline)
        from foistats.intake.readers.text import read_gzip_text

        return read_gzip_text(path)
    kind, archive = _HANDED.pop(str(path), None) or guard.sniff_open(path)
    if kind in DOCUMENT_KINDS:
        return read_document(path, kind).workbook
    checked = None
    if archive is not None:  # xlsx, xlsb, ods: one open of the archive for every check
        with archive:
            checked = _check_open_archive(path, kind, archive)
    elif kind == "xls":
        guard.check_biff(path)
    if kind in ("xlsx", "xlsb", "xls", "ods"):
        from foistats.intake.readers.spreadsheet import _read_calamine

        return _read_calamine(path, kind, checked)
    if kind in ("csv", "text"):
        from foistats.intake.readers.text import read_text

        return read_text(path)
    raise InputError(f"not a spreadsheet this tool can read ({kind})", path=path)


# Archives left open by `guard.sniff_open` for `read_workbook`, by path: the pipeline sniffs
# a file (documents.import_one) and then reads it (tidy.import_file), and handing the open
# archive across means one open and one read of its directory per file. The one who
# hands an archive over takes it back with `release` when the read is done.
_HANDED: dict[str, tuple[str, Any]] = {}


def hand_over(path: Path, kind: str, archive: Any) -> None:
    release(path)
    _HANDED[str(path)] = (kind, archive)


def handed(path: Path) -> "tuple[str, Any] | None":
    """The (kind, open archive) handed over for `path`, left in place for the reader."""
    return _HANDED.get(str(path))


def release(path: Path) -> None:
    """Close an archive handed over for `path` that nothing read."""
    kind_archive = _HANDED.pop(str(path), None)
    if kind_archive is not None:
        kind_archive[1].close()


def _check_open_archive(path: Path, kind: str, archive: Any) -> Any:
    """The guard's checks of an xlsx/xlsb/ods, all with the one open archive: bombs and
    rectangles (`check_archive`), formulas with no saved value and the hidden-content
    audit of the parts. What the reader needs of them comes back for `_read_calamine`."""
    from foistats.intake import guard
    from foistats.intake.hidden import audit_archive

    guard.check_archive(path, zf=archive)
    try:
        missing = guard.check_formula_cache(path, zf=archive) if kind == "xlsx" else []
    except InputError:
        return None  # the reader meets it again, after calamine's open, as it always has
    return missing, audit_archive(path, kind, archive)


_MEMO: dict[tuple[str, int, int], Document] = {}


def read_document(path: Path, kind: str | None = None) -> Document:
    """A reply document read once per import (memoised on path, size and modification time)."""
    from foistats.intake import guard

    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _MEMO:
        return _MEMO[key]
    kind = kind or guard.sniff(path)
    try:
        doc = _read_document(path, kind)
    except (ValueError, LookupError, AttributeError, TypeError, IndexError, OSError, RecursionError, zlib.error, struct.error, EOFError) as exc:
        # Parsers of documents are many and each fails its own way on a damaged file: one
        # line naming the file, never a traceback (the library's words go in the hint).
        raise InputError(f"the {_WHAT.get(kind, kind)} is damaged or malformed and cannot be read", path=path, hint=type(exc).__name__) from None
    if doc.text.strip() and kind != "zip":
        from foistats.intake.letter import read_letter

        doc.attach_letter(read_letter(doc.text, has_figures=bool(doc.workbook.sheets or doc.record_lists)))
        doc.workbook.letterhead = doc.letter.letterhead
    if key is not None:
        if len(_MEMO) >= 8:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = doc
    return doc


def _read_document(path: Path, kind: str) -> Document:
    if kind == "pdf":
        from foistats.intake.readers import pdf

        extraction = pdf.extract(path)
        pdf.check_text_layer(extraction, path)
        doc = Document(
            path=path,
            kind=kind,
            workbook=pdf.workbook_from(extraction, path),
            # The letter is at the start and the end; the pages between are tables.
            text="\n\n".join(_letter_pages(extraction["texts"])),
            pdf=extraction,
            cell_names=pdf.cell_names(extraction),
        )
        for t in extraction["tables"]:
            where = pdf.pages_label(t["pages"])
            what = "a list of records, counted" if t.get("records") else "a table"
            doc.notes.append(f"table {t['number']} ({where}, {t['kind']}): {what} — {t['why']}")
        for check in extraction.get("checks") or []:
            (doc.warnings if check["level"] == "warning" else doc.notes).append(check["text"])
        return doc
    if kind == "docx":
        from foistats.intake.readers.docx import read_docx

        return read_docx(path)
    if kind == "doc":
        from foistats.intake.readers.doc import read_doc

        return read_doc(path)
    if kind == "html":
        from foistats.intake.readers.html import read_html_document

        return read_html_document(path)
    if kind in ("eml", "msg"):
        from foistats.intake.readers.email import read_email

        return read_email(path, kind)
    if kind == "zip":
        from foistats.intake.readers.archive import read_zip

        return read_zip(path)
    raise InputError(f"not a document this tool can read ({kind})", path=path)


def _letter_pages(texts: list[str]) -> list[str]:
    return texts if len(texts) <= 4 else [*texts[:3], texts[-1]]
