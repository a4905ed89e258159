"""sniff: what is this file, really? Decided from the bytes, not the extension.

FOI replies arrive misnamed (HTML saved as .xls, CSV saved as .xlsx, an encrypted
workbook that looks like an old .xls), so the reader is chosen from magic numbers and
a look inside zips and compound files.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

from foistats.model.errors import InputError
from foistats.intake.guard.limits import ASK_FOR_DATA, BINARY_TEXT, EMPTY, ENCRYPTED, NOT_A_SPREADSHEET, ONLY_NULS, TEXT_EXTENSIONS, TRUNCATED_ZIP, _HEAD, _ZIP_EXTENSIONS
from foistats.intake.guard.ole import _sniff_ole
from foistats.intake.guard.text import _text_encoding_hint

def sniff(path: str | Path) -> str:
    """Return the real kind of file (one of KINDS), judged by content, not by name.

    The extension only separates "csv" from "text" and words the messages; a workbook
    renamed .csv is still an xlsx. Anything that is not a readable spreadsheet or text
    raises InputError with a message saying what the file actually is.

    Reply documents are kinds of their own, read by `intake/readers/`: "pdf", "docx",
    "doc" (Word 97-2003), "msg" (Outlook), "eml" (an RFC 822 message, an mbox "From "
    line allowed), "html" (a web page named .htm/.html) and "zip" (a zip that is not an
    Office file: a batch of replies). HTML tables and Excel 2003 XML saved with a .xls
    name are still refused with advice to re-save.
    """
    p = Path(path)
    head = _read_head(p)
    ext = p.suffix.lower()
    if not head:
        raise InputError(EMPTY, path=p)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x07\x08"):
        return _sniff_zip(p)
    if head.startswith(b"PK\x05\x06"):
        raise InputError("this is an empty zip archive, not a spreadsheet", path=p)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _office_document(p) or _sniff_ole(p)
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    other = _other_binary(head)
    if other:
        raise InputError(other, path=p)
    if not head.strip(b"\x00"):
        raise InputError(ONLY_NULS, path=p)
    encoding = _text_encoding_hint(head)
    if encoding is None:
        if head[:2] in (b"\x09\x00", b"\x09\x02", b"\x09\x04") and ext == ".xls":
            raise InputError(
                "this is an Excel 2-4 file (from before 1997), which foistats cannot read; "
                "open it in Excel or LibreOffice and save as .xlsx",
                path=p,
            )
        raise InputError(BINARY_TEXT if ext in TEXT_EXTENSIONS else NOT_A_SPREADSHEET, path=p)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n").lower()
    if _looks_like_email(text, ext):
        return "eml"
    web = _web_kind(text)
    if web == "html":
        return "html"  # a web page, whatever its name (HTML saved as .xls is common): read as one
    if web:
        raise InputError(_web_message(web, ext), path=p)
    if ext in _ZIP_EXTENSIONS:
        raise InputError(
            f"this is a plain text file, not a {ext} workbook; if it holds CSV data, rename it to .csv",
            path=p,
        )
    return "csv" if ext in TEXT_EXTENSIONS else "text"


_EMAIL_HEADERS = (
    "received:", "return-path:", "from:", "to:", "subject:", "date:", "message-id:", "delivered-to:",
    "mime-version:", "x-", "reply-to:", "cc:", "content-type:", "thread-", "sender:", "in-reply-to:", "references:",
)


def _looks_like_email(text: str, ext: str) -> bool:
    """An RFC 822 message (.eml): header lines first, with From and Subject or Date among them."""
    lines = text[:4096].splitlines()
    if lines and lines[0].startswith("from ") and ext in (".eml", ".mbox", ".txt", ""):
        lines = lines[1:]  # an mbox "From sender date" separator line
    if not lines or not lines[0].startswith(_EMAIL_HEADERS) or lines[0].startswith("x-") and ext != ".eml":
        return False
    names = set()
    for line in lines[:60]:
        if not line.strip():
            break
        if line[:1] in (" ", "\t"):
            continue
        name = line.split(":", 1)[0]
        if ":" not in line or " " in name:
            return False
        names.add(name)
    if "content-type: multipart/related" in text[:2048] and ext in (".mht", ".mhtml"):
        return False
    return ext == ".eml" or ("from" in names and ("subject" in names or "date" in names))


def _office_document(p: Path) -> str | None:
    """A Word 97-2003 document ("doc") or an Outlook message ("msg"); None for anything else."""
    from foistats.intake.guard.ole import _Cfb, _Damaged

    try:
        with p.open("rb") as fh:
            names = _Cfb(fh, p.stat().st_size).names()
    except (_Damaged, OSError, ValueError):
        return None
    if "worddocument" in names and "workbook" not in names and "book" not in names:
        return "doc"
    if any(str(n).startswith(("__substg1.0_", "__properties_version1.0")) for n in names):
        return "msg"
    return None


def _read_head(p: Path) -> bytes:
    """First bytes of a regular file; a missing file or a device is a user error."""
    try:
        if not p.is_file():
            if not p.exists():
                raise InputError("file not found", path=p)
            raise InputError("not a regular file", path=p)
        with p.open("rb") as fh:
            return fh.read(_HEAD)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=p) from None


_MAGIC = (
    (b"%PDF", f"this is a PDF document, not a spreadsheet; {ASK_FOR_DATA}"),
    (b"\x89PNG", f"this is an image (PNG), not a spreadsheet; {ASK_FOR_DATA}"),
    (b"\xff\xd8\xff", f"this is an image (JPEG), not a spreadsheet; {ASK_FOR_DATA}"),
    (b"GIF8", f"this is an image (GIF), not a spreadsheet; {ASK_FOR_DATA}"),
    (b"II*\x00", f"this is an image (TIFF), not a spreadsheet; {ASK_FOR_DATA}"),
    (b"MM\x00*", f"this is an image (TIFF), not a spreadsheet; {ASK_FOR_DATA}"),
    (b"{\\rtf", f"this is a rich-text (RTF) document, not a spreadsheet; {ASK_FOR_DATA}"),
    (b"\x1f\x8b", "this is a compressed (gzip) file; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "this is a compressed (7-Zip) archive; extract it first"),
    (b"Rar!\x1a\x07", "this is a compressed (RAR) archive; extract it first"),
    (b"BZh", "this is a compressed (bzip2) file; decompress it first"),
)


def _other_binary(head: bytes) -> str | None:
    for magic, message in _MAGIC:
        if head.startswith(magic):
            if magic == b"BZh" and not head[3:4].isdigit():
                continue
            return message
    return None


def _web_kind(text: str) -> str | None:
    """Recognise web pages and Excel 2003 XML that spreadsheet exports save as .xls."""
    start = text[:2048]
    if start.startswith("mime-version:") or "content-type: multipart/related" in start:
        return "mhtml"
    if "urn:schemas-microsoft-com:office:spreadsheet" in text[:8192] and "<workbook" in text:
        return "xml2003"
    if start.startswith(("<!doctype html", "<html", "<table", "<head", "<body", "<meta")):
        return "html"
    if start.startswith(("<?xml", "<!--")) and "<html" in start:
        return "html"
    return _html_fragment(text)


# issue 17: HTML saved as .xls in any form - a fragment starting <style> or <div>,
# pretty-printed, after comments - is HTML, never CSV. A CSV line can start with "<5"
# (a suppressed count) but not with a tag name, so the test is: the first thing after
# white space and comments is a tag, and an HTML element appears in the first 8 KB.
_TAG_START = re.compile(r"<[a-z!?/]")
_HTML_ELEMENT = re.compile(
    r"<(?:html|head|body|table|tr|td|th|thead|tbody|style|div|span|p|br|font|meta|title|link|script|"
    r"center|h[1-6]|b|i|u|col|colgroup|caption|img|a)[\s>/]"
)
_COMMENT = re.compile(r"\A(?:\s*<!--.*?-->)++\s*", re.S)  # possessive: no nested backtracking


def _html_fragment(text: str) -> str | None:
    start = _COMMENT.sub("", text[:8192], count=1).lstrip()
    if _TAG_START.match(start) and _HTML_ELEMENT.search(start):
        return "html"
    return None


def _web_message(kind: str, ext: str) -> str:
    named = f" saved with a {ext} name" if ext and ext not in (".htm", ".html", ".xml", ".mht") else ""
    if kind == "xml2003":
        return (
            f"this is an Excel 2003 XML spreadsheet{named}; "
            "open it in Excel or LibreOffice and save as .xlsx"
        )
    what = "a web archive (MHTML)" if kind == "mhtml" else "a web page (HTML)"
    return f"this is {what}{named}; open it in a browser or spreadsheet and save as .xlsx"


# ---- zip-based formats --------------------------------------------------------------------


def _open_zip(p: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(p)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error):
        raise InputError(TRUNCATED_ZIP, path=p) from None
    except NotImplementedError:
        raise InputError(TRUNCATED_ZIP, path=p) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=p) from None


SPREADSHEET_ARCHIVES = ("xlsx", "xlsb", "ods")


def sniff_open(path: str | Path) -> tuple[str, zipfile.ZipFile | None]:
    """`sniff`, keeping a zip-based workbook (xlsx, xlsb, ods) open for the guard's next steps.

    The archive's directory is read once here; `check_archive`, `check_formula_cache`
    and the hidden-content audit take the same `ZipFile` (the caller closes it). Any
    other kind comes back with None, its archive (if any) already closed.
    """
    p = Path(path)
    head = _read_head(p)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x07\x08"):
        zf = _open_zip(p)
        try:
            kind = _sniff_zip_in(zf, p)
        except BaseException:
            zf.close()
            raise
        if kind in SPREADSHEET_ARCHIVES:
            return kind, zf
        zf.close()
        return kind, None
    return sniff(p), None


def _sniff_zip(p: Path) -> str:
    with _open_zip(p) as zf:
        return _sniff_zip_in(zf, p)


def _sniff_zip_in(zf: zipfile.ZipFile, p: Path) -> str:
    names = {n.lower().lstrip("/"): n for n in zf.namelist()}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    mimetype = b""
    if "mimetype" in names:
        mimetype = _read_member_head(zf, names["mimetype"], p, 200).strip()
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if "[content_types].xml" in names:
        types = _read_member_head(zf, names["[content_types].xml"], p, 65536)
        if b"spreadsheetml.sheet.main" in types or b"ms-excel.sheet.macroEnabled.main" in types:
            return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        raise InputError(f"this is a PowerPoint file (.pptx), not a spreadsheet; {ASK_FOR_DATA}", path=p)
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        what = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
        raise InputError(
            f"this is an OpenDocument {what} file, not a spreadsheet; {ASK_FOR_DATA}", path=p
        )
    return "zip"  # a zip of replies (a WhatDoTheyKnow batch download): its files are imported one by one


def _read_member_head(zf: zipfile.ZipFile, name: str, p: Path, n: int) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(n)
    except RuntimeError:  # zip-level password
        raise InputError(ENCRYPTED, path=p) from None
    except NotImplementedError:
        raise InputError(_unsupported(name), path=p) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error):
        raise InputError(_damaged_member(name), path=p) from None


def _damaged_member(name: str) -> str:
    return f"the file is damaged (its part '{name}' cannot be decompressed)"


def _unsupported(name: str) -> str:
    return f"the file is damaged or uses an unsupported zip compression method (part '{name}')"
