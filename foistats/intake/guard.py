"""Look at a file before any parser does, and refuse what would hurt or mislead.

FOI returns come from dozens of organisations and are opened on journalists' laptops,
so an unknown file must never crash foistats, exhaust memory, or be read as something
it is not. Parsers (calamine, openpyxl, csv) are good at reading well-formed files and
poor at saying *why* a bad one failed; some bad files are worse than unreadable:

- a 1.5 KB xlsx holding values at A1 and XFD1048576 makes calamine allocate 512 GB
  and abort the whole process (not an exception: the process dies);
- a zip bomb expands a 1.5 MB xlsx to 1.5 GB in memory;
- an encrypted workbook gives "Workbook is password protected" or "not a zip file";
- formulas saved without their results read as blanks, silently losing numbers.

So this module decides, cheaply and from the bytes, what a file really is and whether
it is safe to hand to a parser, and turns every problem into an `InputError` whose
one-line message names the file (and sheet/cell where known) and says what to do.
It uses the standard library only (plus defusedxml for the few XML parts it parses),
never prints, and never imports polars.

Order of use (the reader's job): `sniff(path)` -> for "xlsx"/"xlsb"/"ods" call
`check_archive(path)` before any parser touches it -> read -> `trim_grid(rows)`;
`check_formula_cache(path)` and `is_1904(path)` for xlsx report what the cells alone
cannot say. For text files: `decode_text(bytes)` -> `sniff_delimiter(text)` ->
`csv.reader(io.StringIO(text, newline=""), delimiter=...)`.
"""

from __future__ import annotations

import copy
import csv
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from foistats.model.errors import InputError

# What `sniff` can answer. "xlsb" is a zip too and calamine reads it.
# "csv": text under a text name (.csv/.tsv/.txt/...). "text": text under any other name
# (a CSV export saved as .xls happens); read it as delimited text, but say the name lied.
# Text under a zip-format name (.xlsx, .ods...) is refused: those are never plain text,
# so the file is not what its sender thinks it is.
KINDS = ("xlsx", "xlsb", "xls", "ods", "csv", "text")
TEXT_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt", ".dat", ".psv")
_ZIP_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".ods", ".ots")

# ---- user-facing messages (tests assert these exactly) ---------------------------------
EMPTY = "the file is empty (0 bytes)"
ENCRYPTED = "this workbook is password-protected; ask the force for an unprotected copy"
TRUNCATED_ZIP = "the file is damaged or truncated (not a complete zip archive)"
TRUNCATED_OLE = "the file is damaged or truncated (not a complete Excel 97-2003 workbook)"
ENTITIES = (
    "refusing to open: the workbook contains XML entity declarations "
    "(possible entity-expansion attack)"
)
BINARY_TEXT = "this is not a text (CSV) file: it contains binary data"
NOT_A_SPREADSHEET = (
    "this is not a spreadsheet: the contents are not xlsx, xls, ods or CSV "
    "(the file is damaged, or another kind of file)"
)
ASK_FOR_DATA = "ask the force for the data as .xlsx or .csv"

# ---- limits -----------------------------------------------------------------------------
# A real FOI workbook has a handful of parts; 10,000 leaves room for workbooks with
# thousands of sheets while stopping archives built to exhaust the parser's bookkeeping.
MAX_MEMBERS = 10_000
# Excel's own ceiling (1,048,576 rows) of ~10 numeric columns is ~300 MB of sheet XML;
# 500 MB is beyond any workbook a force sends and well within a laptop's memory. The
# measured zip bomb (1.5 MB on disk -> 1.5 GB of XML) cost calamine 1.5 GB of RSS.
MAX_UNCOMPRESSED = 500 * 1024 * 1024
# XML compresses 5-20:1 and highly repetitive sheets rarely pass 100:1; a big member at
# over 200:1 is almost certainly padding made to expand.
MAX_RATIO = 200
RATIO_MIN_SIZE = 10 * 1024 * 1024
# A sheet's used rectangle: Excel stops at 1,048,576 rows x 16,384 columns; a little
# slack for CSV. calamine allocates ~32 bytes per cell of the used rectangle before any
# value is seen, so MAX_CELLS (~640 MB there) is what actually bounds memory.
MAX_ROWS = 1_100_000
MAX_COLS = 16_384
MAX_CELLS = 20_000_000
# XML parts: how much of a part may come before its root element (prolog) - a real one
# is under 1 KB; a huge prolog only serves to push a DOCTYPE past a naive scan.
_MAX_PROLOG = 1024 * 1024
_CHUNK = 1 << 20
_HEAD = 64 * 1024


# =========================================================================================
# sniff: what is this file, really?
# =========================================================================================


def sniff(path: str | Path) -> str:
    """Return the real kind of file (one of KINDS), judged by content, not by name.

    The extension only separates "csv" from "text" and words the messages; a workbook
    renamed .csv is still an xlsx. Anything that is not a readable spreadsheet or text
    raises InputError with a message saying what the file actually is.

    HTML tables and Excel 2003 XML saved with a .xls name (some forces' systems do
    this) are refused with advice to re-save, rather than returned as a kind: nothing
    in foistats reads them yet, and a clear refusal beats a parser's confusion. Adding
    a reader later means returning "html" here instead of raising.
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
        return _sniff_ole(p)
    other = _other_binary(head)
    if other:
        raise InputError(other, path=p)
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
    web = _web_kind(text)
    if web:
        raise InputError(_web_message(web, ext), path=p)
    if ext in _ZIP_EXTENSIONS:
        raise InputError(
            f"this is a plain text file, not a {ext} workbook; if it holds CSV data, rename it to .csv",
            path=p,
        )
    return "csv" if ext in TEXT_EXTENSIONS else "text"


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


def _sniff_zip(p: Path) -> str:
    with _open_zip(p) as zf:
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
            raise InputError(f"this is a Word document (.docx), not a spreadsheet; {ASK_FOR_DATA}", path=p)
        if "ppt/presentation.xml" in names:
            raise InputError(f"this is a PowerPoint file (.pptx), not a spreadsheet; {ASK_FOR_DATA}", path=p)
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            what = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
            raise InputError(
                f"this is an OpenDocument {what} file, not a spreadsheet; {ASK_FOR_DATA}", path=p
            )
    raise InputError("this is a zip archive, not a spreadsheet; unzip it and import the files inside", path=p)


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


# ---- OLE2 / compound file (xls, encrypted OOXML) --------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_MAXREGSECT = 0xFFFFFFFA


class _Damaged(Exception):
    """The compound file's own structure is broken."""


class _Cfb:
    """Just enough of the Compound File Binary format to list streams and read their start.

    Written here (rather than adding olefile) because we need three facts - which
    streams exist, the first records of the Workbook stream, nothing else - and every
    loop must be bounded against a hostile file whose sector chains point in circles.
    """

    def __init__(self, fh: IO[bytes], size: int) -> None:
        self.fh = fh
        header = self._read(0, 512)
        if len(header) < 512:
            raise _Damaged
        shift = struct.unpack_from("<H", header, 30)[0]
        if shift not in (9, 12):
            raise _Damaged
        self.ss = 1 << shift
        self.mini_ss = 1 << struct.unpack_from("<H", header, 32)[0]
        if self.mini_ss != 64:
            raise _Damaged
        self.nsect = max(0, (size - self.ss) // self.ss)
        (n_fat, first_dir, _, self.mini_cutoff, first_minifat, _n_minifat, first_difat, n_difat) = (
            struct.unpack_from("<IIIIIIII", header, 44)
        )
        fat_sectors = [s for s in struct.unpack_from("<109I", header, 76) if s <= _MAXREGSECT]
        per = self.ss // 4
        sect, seen = first_difat, 0
        while sect <= _MAXREGSECT and seen < min(n_difat, self.nsect) + 1:
            data = self._sector(sect)
            entries = struct.unpack(f"<{per}I", data)
            fat_sectors.extend(s for s in entries[:-1] if s <= _MAXREGSECT)
            sect, seen = entries[-1], seen + 1
        needed = -(-self.nsect // per)
        fat_sectors = fat_sectors[: max(needed, 1)]
        if n_fat and not fat_sectors:
            raise _Damaged
        self.fat: list[int] = []
        for s in fat_sectors:
            self.fat.extend(struct.unpack(f"<{per}I", self._sector(s)))
        self.entries = self._directory(first_dir)
        self.first_minifat = first_minifat

    def _read(self, offset: int, n: int) -> bytes:
        self.fh.seek(offset)
        return self.fh.read(n)

    def _sector(self, sect: int) -> bytes:
        if sect >= self.nsect:
            raise _Damaged
        data = self._read((sect + 1) * self.ss, self.ss)
        if len(data) < self.ss:
            raise _Damaged
        return data

    def chain(self, start: int) -> Iterator[int]:
        sect, steps = start, 0
        while sect != _ENDOFCHAIN:
            if sect > _MAXREGSECT or sect >= len(self.fat) or steps > self.nsect:
                raise _Damaged
            yield sect
            sect, steps = self.fat[sect], steps + 1

    def _directory(self, first: int) -> list[tuple[str, int, int, int]]:
        entries = []
        for sect in self.chain(first):
            data = self._sector(sect)
            for off in range(0, self.ss, 128):
                raw = data[off : off + 128]
                nlen = min(struct.unpack_from("<H", raw, 64)[0], 64)
                kind = raw[66]
                if kind == 0:
                    continue
                name = raw[: max(nlen - 2, 0)].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", raw, 116)
                if self.ss == 512:
                    size &= 0xFFFFFFFF
                entries.append((name, kind, start, size))
            if len(entries) > 100_000:
                raise _Damaged
        if not entries:
            raise _Damaged
        return entries

    def names(self) -> set[str]:
        return {name.lower() for name, kind, _, _ in self.entries if kind in (1, 2)}

    def stream_head(self, wanted: str, n: int) -> bytes:
        """The first n bytes of a named stream, through the FAT or the mini stream."""
        for name, kind, start, size in self.entries:
            if kind == 2 and name.lower() == wanted:
                break
        else:
            raise _Damaged
        n = min(n, size)
        out = bytearray()
        if size >= self.mini_cutoff:
            for sect in self.chain(start):
                out += self._sector(sect)
                if len(out) >= n:
                    break
            return bytes(out[:n])
        root = next((e for e in self.entries if e[1] == 5), None)
        if root is None:
            raise _Damaged
        container = list(self.chain(root[2]))
        minifat: list[int] = []
        for sect in self.chain(self.first_minifat):
            minifat.extend(struct.unpack(f"<{self.ss // 4}I", self._sector(sect)))
        msect, steps = start, 0
        while msect != _ENDOFCHAIN and len(out) < n:
            if msect >= len(minifat) or steps > len(minifat):
                raise _Damaged
            offset = msect * self.mini_ss
            index = offset // self.ss
            if index >= len(container):
                raise _Damaged
            data = self._sector(container[index])
            out += data[offset % self.ss : offset % self.ss + self.mini_ss]
            msect, steps = minifat[msect], steps + 1
        return bytes(out[:n])


_ENCRYPTED_NAME = "EncryptedPackage".encode("utf-16-le")


def _sniff_ole(p: Path) -> str:
    size = p.stat().st_size
    try:
        with p.open("rb") as fh:
            cfb = _Cfb(fh, size)
            names = cfb.names()
            if "encryptedpackage" in names or "encryptioninfo" in names:
                raise InputError(ENCRYPTED, path=p)
            for stream in ("workbook", "book"):
                if stream in names:
                    if _biff_globals(cfb.stream_head(stream, _HEAD))[0]:
                        raise InputError(ENCRYPTED, path=p)
                    return "xls"
    except _Damaged:
        # The structure is broken, but an encrypted package is still worth naming.
        with p.open("rb") as fh:
            tail = b""
            for _ in range(64):  # the first 64 MB
                chunk = fh.read(_CHUNK)
                if _ENCRYPTED_NAME in tail + chunk:
                    raise InputError(ENCRYPTED, path=p) from None
                if not chunk:
                    break
                tail = chunk[-64:]
        raise InputError(TRUNCATED_OLE, path=p) from None
    if "worddocument" in names:
        raise InputError(f"this is a Word document (.doc), not a spreadsheet; {ASK_FOR_DATA}", path=p)
    if "powerpoint document" in names:
        raise InputError(f"this is a PowerPoint file (.ppt), not a spreadsheet; {ASK_FOR_DATA}", path=p)
    raise InputError(
        f"this is an Office 97-2003 file but not an Excel workbook; {ASK_FOR_DATA}", path=p
    )


def _biff_globals(data: bytes) -> tuple[bool, bool]:
    """(encrypted, 1904 dates) from the first records of a BIFF5/8 workbook stream.

    FILEPASS (0x002F) and DATEMODE (0x0022) both sit near the top of the globals
    substream, before the first BOUNDSHEET (0x0085), so a 64 KB head is enough.
    """
    encrypted = date1904 = False
    pos = 0
    while pos + 4 <= len(data):
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == 0x002F:
            encrypted = True
        elif rtype == 0x0022 and pos + 6 <= len(data):
            date1904 = struct.unpack_from("<H", data, pos + 4)[0] == 1
        elif rtype in (0x0085, 0x000A):
            break
        pos += 4 + rlen
    return encrypted, date1904


def _feed(parser: Any, chunks: Iterable[bytes], p: Path, sheet: str | None) -> None:
    """Stream XML chunks into an expat parser until it is done or a handler stops it early.

    A DOCTYPE is refused (entity-expansion attacks); broken XML names the sheet.
    """
    import pyexpat

    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop:
        pass
    except _Hostile:
        raise InputError(ENTITIES, path=p) from None
    except (pyexpat.ExpatError, LookupError, ValueError) as exc:
        raise InputError(f"the sheet's XML is damaged ({exc})", path=p, sheet=sheet) from None


# =========================================================================================
# check_biff: is this .xls safe to hand to calamine?
# =========================================================================================

# A BIFF8 sheet has at most 65,536 rows and 256 columns.
_BIFF_MAX_ROWS = 65_536
_BIFF_MAX_COLS = 256
_BIFF_MAX_STREAM = 256 * 1024 * 1024


def check_biff(path: str | Path, *, max_cells: int = MAX_CELLS) -> None:
    """Refuse an .xls whose DIMENSIONS records are impossible, before calamine sizes a grid.

    Found by the fuzz run (bench/fuzz.py): one flipped byte made a sheet's first row
    larger than its last, calamine computed the row count by unsigned subtraction and
    the process died asking for 858 GB. A damaged file must be an error, not a crash.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            cfb = _Cfb(fh, size)
            names = cfb.names()
            stream = "workbook" if "workbook" in names else "book"
            data = cfb.stream_head(stream, _BIFF_MAX_STREAM)
    except _Damaged:
        raise InputError(TRUNCATED_OLE, path=p) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=p) from None
    pos = 0
    while pos + 4 <= len(data):
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == 0x0200 and rlen >= 14 and pos + 4 + 14 <= len(data):  # DIMENSIONS (BIFF8)
            first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", data, pos + 4)
            if (
                first_row > last_row
                or first_col > last_col
                or last_row > _BIFF_MAX_ROWS
                or last_col > _BIFF_MAX_COLS
                or (last_row - first_row) * (last_col - first_col) > max_cells
            ):
                raise InputError(
                    "the file is damaged (a sheet's size record is impossible: "
                    f"rows {first_row}–{last_row}, columns {first_col}–{last_col})",
                    path=p,
                )
        elif rtype == 0x00E5:  # MERGECELLS: a count, then 8 bytes per range
            count = struct.unpack_from("<H", data, pos + 4)[0] if rlen >= 2 and pos + 6 <= len(data) else -1
            if count < 0 or rlen < 2 + 8 * count:
                raise InputError("the file is damaged (a merged-cells record is cut short)", path=p)
        pos += 4 + rlen


# =========================================================================================
# check_archive: is this zip safe to hand to a parser?
# =========================================================================================


def check_archive(
    path: str | Path,
    *,
    max_members: int = MAX_MEMBERS,
    max_total: int = MAX_UNCOMPRESSED,
    max_cells: int = MAX_CELLS,
) -> None:
    """Refuse an xlsx/xlsb/ods whose parsing would exhaust memory, expand entities or lose data.

    Cheap checks on the zip directory first: member count, member names, declared
    sizes (total and per-member ratio), entries that overlap (one compressed kernel
    listed many times). Then one streaming pass decompresses every member from its raw
    bytes, holding one chunk at a time: a member larger than its header says is refused
    (a lie the zip readers would otherwise meet mid-parse), every XML part's prolog is
    checked for a DOCTYPE, and each sheet's used rectangle is measured, because
    calamine allocates the whole rectangle up front. The caps are parameters so tests
    can exercise them without building half-gigabyte files.
    """
    p = Path(path)
    try:
        file_size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=p) from None
    with _open_zip(p) as zf, p.open("rb") as fh:
        infos = zf.infolist()
        if len(infos) > max_members:
            raise InputError(
                f"refusing to open: the archive holds {len(infos):,} files "
                f"(more than {max_members:,}; a zip bomb?)",
                path=p,
            )
        _check_names(infos, p)
        declared = sum(i.file_size for i in infos)
        if declared > max_total:
            raise InputError(_bomb(declared), path=p)
        for info in infos:
            if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                raise InputError(
                    f"refusing to open: the archive would expand to {_mb(declared)} MB, "
                    f"{ratio:,.0f} times its compressed size (a zip bomb?)",
                    path=p,
                )
        if sum(i.compress_size for i in infos) > file_size:
            raise InputError("refusing to open: the archive's entries overlap (a zip bomb?)", path=p)
        lower = {i.filename.lower(): i.filename for i in infos}
        sheets: dict[str, str] = {}
        if "xl/workbook.xml" in lower:
            sheets = {part: name for name, part in _xlsx_sheets(zf, p)}
        ods_content = lower.get("content.xml") if not sheets else None
        for info in infos:
            if info.is_dir():
                continue

            def stream(info: zipfile.ZipInfo = info) -> Iterator[bytes]:
                return _counted(_raw_chunks(zf, fh, info, p), info, p)

            name = info.filename
            chunks = stream()
            if name.lower().endswith((".xml", ".rels")):
                chunks = _prolog_checked(chunks, name, p, utf16_ok=not name.lower().startswith("xl/"))
            if name in sheets:
                _xlsx_extent(chunks, stream, p, sheets[name], max_cells)
            elif name == ods_content:
                _ods_extents(chunks, p, max_cells)
            else:
                for _ in chunks:
                    pass


def _bomb(size: int) -> str:
    return f"refusing to open: the archive would expand to {_mb(size)} MB (a zip bomb?)"


def _mb(size: int) -> str:
    mb = size / 1_048_576
    return f"{mb:,.0f}" if mb >= 10 else f"{mb:,.1f}"


def _check_names(infos: list[zipfile.ZipInfo], p: Path) -> None:
    """Unsafe or repeated names never occur in a real workbook: call them damage."""
    seen: set[str] = set()
    for info in infos:
        name = info.orig_filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
            raise InputError(f"the file is damaged (the archive holds an unsafe file name: {name!r})", path=p)
        key = name.lower()
        if key in seen:
            raise InputError(f"the file is damaged (the archive lists {name!r} twice)", path=p)
        seen.add(key)


def _raw_chunks(zf: zipfile.ZipFile, fh: IO[bytes], info: zipfile.ZipInfo, p: Path) -> Iterator[bytes]:
    """A member's decompressed bytes, from its raw data, ignoring the declared size.

    Python's zipfile stops at the declared size (so a lie shows up only as a CRC
    error); reading the raw deflate stream lets `_counted` see the truth.
    """
    name = info.filename
    if info.flag_bits & 0x1:
        raise InputError(ENCRYPTED, path=p)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        yield from _zipfile_chunks(zf, info, p)
        return
    try:
        fh.seek(max(info.header_offset, 0))
        local = fh.read(30)
        if info.header_offset < 0 or len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise InputError(_damaged_member(name), path=p)
        nlen, xlen = struct.unpack_from("<HH", local, 26)
        fh.seek(info.header_offset + 30 + nlen + xlen)
    except OSError:
        raise InputError(_damaged_member(name), path=p) from None
    left = info.compress_size
    dec = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        while left > 0:
            raw = fh.read(min(left, 256 * 1024))
            if not raw:
                raise InputError(_damaged_member(name), path=p)
            left -= len(raw)
            if dec is None:
                yield raw
                continue
            out = dec.decompress(raw, _CHUNK)
            while True:
                if out:
                    yield out
                if not dec.unconsumed_tail:
                    break
                out = dec.decompress(dec.unconsumed_tail, _CHUNK)
            if dec.eof:
                break
        if dec is not None and (rest := dec.flush()):
            yield rest
    except zlib.error:
        raise InputError(_damaged_member(name), path=p) from None


def _zipfile_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, p: Path) -> Iterator[bytes]:
    """bzip2/lzma members through zipfile, with the declared size lifted so lies show."""
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    try:
        with zf.open(probe) as member:
            while chunk := member.read(_CHUNK):
                yield chunk
    except NotImplementedError:
        raise InputError(_unsupported(info.filename), path=p) from None
    except RuntimeError:
        raise InputError(ENCRYPTED, path=p) from None
    except zipfile.BadZipFile:
        return  # the CRC check at the lifted end: expected when the size was honest
    except (zlib.error, EOFError, OSError, ValueError, struct.error):
        raise InputError(_damaged_member(info.filename), path=p) from None


def _counted(chunks: Iterator[bytes], info: zipfile.ZipInfo, p: Path) -> Iterator[bytes]:
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size:
            raise InputError(
                f"the file is damaged (its part '{info.filename}' is larger than the archive says)", path=p
            )
        yield chunk


class _Stop(Exception):
    """Parsing has learnt what it needed."""


class _Hostile(Exception):
    """An XML part declares a DOCTYPE or entities."""


UTF16_XML = (
    "the workbook stores its XML as UTF-16, which foistats cannot read reliably "
    "(cells come back empty); open it in Excel or LibreOffice and save it again"
)


def _prolog_checked(chunks: Iterator[bytes], name: str, p: Path, *, utf16_ok: bool) -> Iterator[bytes]:
    """Pass an XML part's bytes through, refusing it if its prolog holds a DOCTYPE.

    expat reads only up to the root element, whatever the encoding (UTF-16 included),
    so a DOCTYPE cannot hide behind an encoding or a long comment. If expat itself
    rejects the prolog, a plain byte search decides; the parser reports the rest.
    Workbook parts in UTF-16 are refused too: calamine reads such a sheet as empty.
    """
    import pyexpat

    parser = pyexpat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = _stop
    head = b""
    done = False
    read = 0

    def feed(data: bytes, final: bool) -> bool:
        try:
            parser.Parse(data, final)
        except _Stop:
            return True
        except _Hostile:
            raise InputError(ENTITIES, path=p) from None
        except (pyexpat.ExpatError, LookupError, ValueError):
            if _declares_entities(head):
                raise InputError(ENTITIES, path=p) from None
            return True
        return False

    for chunk in chunks:
        if not done:
            was = len(head)
            head += chunk[: max(0, _HEAD - len(head))]
            if was < 2 <= len(head) and not utf16_ok and _utf16_xml(head):
                raise InputError(UTF16_XML, path=p)
            done = feed(chunk, False)
            read += len(chunk)
            if not done and read > _MAX_PROLOG:
                raise InputError(
                    f"the file is damaged (its XML part '{name}' has no content in its first 1 MB)", path=p
                )
        yield chunk
    if not done:
        feed(b"", True)


def _stop(*_: Any) -> None:
    raise _Stop


def _refuse_doctype(*_: Any) -> None:
    raise _Hostile


def _utf16_xml(start: bytes) -> bool:
    return start.startswith((b"\xff\xfe", b"\xfe\xff")) or start[:2] in (b"<\x00", b"\x00<")


def _declares_entities(head: bytes) -> bool:
    texts = [head]
    if b"\x00" in head[:64]:
        for enc in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            texts.append(head.decode(enc, "ignore").encode("utf-8", "ignore"))
    return any(re.search(rb"<!\s*(doctype|entity)", t, re.I) for t in texts)


# ---- xlsx: sheet names and used rectangles -------------------------------------------------


def _xlsx_sheets(zf: zipfile.ZipFile, p: Path) -> list[tuple[str, str]]:
    """(sheet name, zip member) for each worksheet, in workbook order.

    Names come from workbook.xml and parts from its .rels, as Excel resolves them; a
    workbook missing those falls back to the worksheet parts in the archive (named by
    their file), so the size checks still see every sheet. Malformed XML here raises.
    """
    lower = {n.lower(): n for n in zf.namelist()}
    wb_part = lower.get("xl/workbook.xml", "xl/workbook.xml")
    rels_part = posixpath.join(posixpath.dirname(wb_part), "_rels", posixpath.basename(wb_part) + ".rels")
    found: list[tuple[str, str]] = []
    try:
        wb = _parse_xml(zf, wb_part, p)
        rels = _parse_xml(zf, lower.get(rels_part.lower(), rels_part), p)
    except KeyError:
        wb = rels = None
    if wb is not None and rels is not None:
        targets: dict[str, str] = {}
        for el in rels.iter():
            if _local(el.tag) == "Relationship" and el.get("TargetMode") != "External":
                target = (el.get("Target") or "").replace("\\", "/")
                if target.startswith("/"):
                    part = target.lstrip("/")
                else:
                    part = posixpath.normpath(posixpath.join(posixpath.dirname(wb_part), target))
                targets[el.get("Id") or ""] = part
        for el in wb.iter():
            if _local(el.tag) == "sheet":
                rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
                part = targets.get(rid or "")
                if part and part.lower() in lower:
                    found.append((el.get("name") or part, lower[part.lower()]))
    if not found:
        for low, name in sorted(lower.items()):
            if low.startswith("xl/worksheets/") and low.endswith(".xml") and low.count("/") == 2:
                found.append((posixpath.basename(name)[:-4], name))
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml(zf: zipfile.ZipFile, name: str, p: Path, limit: int = 64 * 1024 * 1024) -> Any:
    """Parse a small XML part with defusedxml (no DTDs, no entities)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        with zf.open(name) as fh:
            data = fh.read(limit + 1)
    except KeyError:
        raise
    except RuntimeError:
        raise InputError(ENCRYPTED, path=p) from None
    except NotImplementedError:
        raise InputError(_unsupported(name), path=p) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error):
        raise InputError(_damaged_member(name), path=p) from None
    if len(data) > limit:
        raise InputError(f"refusing to open: its part '{name}' is over {limit // 1_048_576} MB", path=p)
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise InputError(ENTITIES, path=p) from None
    except (ParseError, ValueError, LookupError) as exc:
        raise InputError(f"the file is damaged (its part '{name}' is not well-formed XML: {exc})", path=p) from None


# Finding a worksheet's used rectangle without parsing it. A cell that can hold a value
# is a <c> start tag with an r="A1"-style attribute that is not self-closing
# (<c r="XFD9" s="1"/> is formatting only and calamine skips it). Canonical markup
# (r="...", as every writer seen emits) is matched by patterns that start with the
# literal r=" so the regex engine skips ahead at C speed; anything else (quotes,
# spaces around "=") sends that chunk to the slower general patterns.
_TAIL = rb"""["'][^>]*(?<!/)>"""
_GENERAL_COLS = re.compile(rb"""r\s*=\s*["']([A-Za-z]+)[0-9]+""" + _TAIL)
_GENERAL_ROWS = re.compile(rb"""r\s*=\s*["'][A-Za-z]+([0-9]+)""" + _TAIL)
_ODD_R = re.compile(rb"""r(?:\s+=|=\s|=')""")
# A cell start tag whose first attribute is not r: calamine places r-less cells by
# position, which a regex cannot follow, so such sheets are parsed instead.
_RLESS = (re.compile(rb"<c(?:>|\s+(?!r\s*=))"), re.compile(rb":c(?:>|\s+(?!r\s*=))"))
_LAST_CELL = re.compile(rb'<c\s[^>]*?r="[A-Za-z]+([0-9]+)"')
_UPPER, _DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"


def _above(value: str, alphabet: str, anycase: bool) -> str:
    """Regex for strings over `alphabet` that sort after `value` (same length) or are longer."""
    def cls(chars: str) -> str:
        return "[" + chars + (chars.lower() if anycase else "") + "]"

    full = cls(alphabet)
    options = [f"{full}{{{len(value) + 1},}}"]
    for i, ch in enumerate(value):
        higher = alphabet[alphabet.index(ch) + 1 :]
        if higher:
            prefix = "".join(cls(c) if anycase else c for c in value[:i])
            rest = f"{full}{{{len(value) - i - 1}}}" if len(value) - i - 1 else ""
            options.append(prefix + cls(higher) + rest)
    return "(?:" + "|".join(options) + ")"


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


def _cols_above(col: int) -> re.Pattern[bytes]:
    body = _above(_column_letters(col), _UPPER, True) if col else "[A-Za-z]+"
    return re.compile(b'r="(' + body.encode() + rb')[0-9]+' + _TAIL)


def _rows_above(row: int) -> re.Pattern[bytes]:
    body = _above(str(row), _DIGITS, False) if row else "[0-9]+"
    return re.compile(rb'r="[A-Za-z]+(' + body.encode() + b")" + _TAIL)


_MAX_RAISES = 64  # new maxima per chunk before counting every reference instead


def _raise_max(buf: bytes, current: int, above: Any, general: re.Pattern[bytes], value: Any) -> int:
    """The largest value in buf (or `current`), found by searching only for larger ones.

    Sheets list cells in order, so after the first few hits nothing larger turns up
    and each chunk costs one fast search. A chunk that keeps setting new maxima is
    counted exhaustively instead, so no ordering trick can make this quadratic.
    """
    pos = 0
    for _ in range(_MAX_RAISES):
        m = above(current).search(buf, pos)
        if not m:
            return current
        current, pos = max(current, value(m.group(1))), m.end()
    hits = set(general.findall(buf))
    return max([current, *(value(h) for h in hits)])


def _xlsx_extent(
    chunks: Iterator[bytes], reopen: Callable[[], Iterator[bytes]], p: Path, sheet: str, max_cells: int
) -> None:
    """Refuse a worksheet whose used rectangle (which calamine allocates whole) is too big.

    A regex over the raw XML, about 10x faster than parsing it: per chunk one search
    for a column beyond the widest seen and one for a row beyond the furthest (primed
    with the chunk's last cell, as rows come in order). Conservative: a tag holding
    only formatting may be counted; a cell with a value is never missed.
    """
    max_col = max_row = 0
    for buf in _tag_buffers(chunks, p, sheet):
        if any(r.search(buf) for r in _RLESS):
            rows, cols = _xlsx_extent_parsed(reopen(), p, sheet, max_cells)
            _check_extent(rows, cols, p, sheet, max_cells)
            return
        if _ODD_R.search(buf):
            cols = set(_GENERAL_COLS.findall(buf))
            rows = set(_GENERAL_ROWS.findall(buf))
            max_col = max([max_col, *(_column_number(c) for c in cols)])
            max_row = max([max_row, *(int(r) for r in rows)])
        else:
            last = buf.rfind(b"</c>")
            start = buf.rfind(b"<c ", 0, last) if last > 0 else -1
            m = _LAST_CELL.match(buf, start) if start >= 0 else None
            if m and m.end() <= last:
                max_row = max(max_row, int(m.group(1)))
            max_col = _raise_max(buf, max_col, _cols_above, _GENERAL_COLS, _column_number)
            max_row = _raise_max(buf, max_row, _rows_above, _GENERAL_ROWS, int)
        if max_row * max_col > max_cells:
            break
    _check_extent(max_row, max_col, p, sheet, max_cells)


def _xlsx_extent_parsed(chunks: Iterator[bytes], p: Path, sheet: str, max_cells: int) -> tuple[int, int]:
    """Exact used rectangle by parsing (for sheets whose cells lack r attributes)."""
    import pyexpat

    parser = pyexpat.ParserCreate(namespace_separator="}")
    st = {"row": 0, "col": 0, "cell": False, "valued": False, "max_r": 0, "max_c": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit("}", 1)[-1]
        if name == "row":
            r = attrs.get("r", "")
            st["row"] = int(r) if r.isdigit() else st["row"] + 1
            st["col"] = 0
        elif name == "c":
            m = _REF.match(attrs.get("r") or "")
            if m:
                st["col"], st["row"] = _column_number(m.group(1).encode()), int(m.group(2))
            else:
                st["col"] += 1
            st["cell"], st["valued"] = True, False
        elif st["cell"]:
            st["valued"] = True

    def end(tag: str) -> None:
        name = tag.rsplit("}", 1)[-1]
        if name == "c":
            st["cell"] = False
            if st["valued"]:
                st["max_r"] = max(st["max_r"], st["row"])
                st["max_c"] = max(st["max_c"], st["col"])
                if st["max_r"] * st["max_c"] > max_cells:
                    raise _Stop
        elif name == "sheetData":
            raise _Stop

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    _feed(parser, chunks, p, sheet)
    for _ in chunks:  # the rest still has to be measured against its declared size
        pass
    return st["max_r"], st["max_c"]


def _tag_buffers(chunks: Iterator[bytes], p: Path, sheet: str) -> Iterator[bytes]:
    """A member's bytes in ~1 MB pieces that never split a start tag."""
    carry = b""
    for chunk in chunks:
        buf = carry + chunk
        last = buf.rfind(b"<")
        if last >= 0 and buf.find(b">", last) < 0:
            carry = buf[last:]
            if len(carry) > _CHUNK:
                raise InputError("the file is damaged (a tag in the sheet is over 1 MB long)", path=p, sheet=sheet)
            yield buf[:last]
        else:
            carry = b""
            yield buf
    if carry:
        yield carry


def _member_chunks(zf: zipfile.ZipFile, name: str, p: Path) -> Iterator[bytes]:
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
    except RuntimeError:
        raise InputError(ENCRYPTED, path=p) from None
    except NotImplementedError:
        raise InputError(_unsupported(name), path=p) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error):
        raise InputError(_damaged_member(name), path=p) from None


def check_extent(rows: int, cols: int, *, path: str | Path | None = None, sheet: str | None = None) -> None:
    """Refuse a sheet (or CSV) whose used rectangle is beyond what foistats reads.

    For readers that learn a sheet's size before holding all of it (a streamed CSV,
    a sheet's metadata): past these limits memory, not the data, decides the outcome.
    """
    _check_extent(rows, cols, path, sheet, MAX_CELLS)


def _check_extent(rows: int, cols: int, path: str | Path | None, sheet: str | None, max_cells: int) -> None:
    if rows > MAX_ROWS or cols > MAX_COLS or rows * cols > max_cells:
        raise InputError(
            f"refusing to read: the sheet spans {_plural(rows, 'row')} x {_plural(cols, 'column')} "
            f"({rows * cols:,} cells; the limit is {max_cells:,}); if the table is smaller, "
            "delete stray cells far below or to the right of it and save again",
            path=path,
            sheet=sheet,
        )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


# ---- ods: used rectangles, repeats included -----------------------------------------------

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _ods_extents(chunks: Iterator[bytes], p: Path, max_cells: int) -> None:
    """Walk content.xml and refuse a table whose repeated cells would fill a huge rectangle.

    ODS compresses repetition into attributes (number-rows-repeated="1048575"), so a
    tiny file can describe billions of *valued* cells; calamine expands them (up to
    100 million cells, ~3 GB). Trailing empty repeats, which LibreOffice always writes,
    do not count. expat with Python callbacks: fine for ODS, which FOI files use rarely
    and small.
    """
    import pyexpat

    parser = pyexpat.ParserCreate(namespace_separator=" ")
    t_table, t_row, t_cell, t_covered, rows_rep, cols_rep, tname = (
        f"{_TABLE_NS} {n}"
        for n in ("table", "table-row", "table-cell", "covered-table-cell",
                  "number-rows-repeated", "number-columns-repeated", "name")
    )
    vtype = f"{_OFFICE_NS} value-type"
    st: dict[str, Any] = {
        "depth": 0, "name": None, "row": 0, "col": 0, "rrep": 1, "crep": 1,
        "in_cell": False, "valued": False, "row_valued": False, "max_r": 0, "max_c": 0,
    }

    def _int(value: str | None) -> int:
        try:
            return max(1, int(value)) if value else 1
        except ValueError:
            return 1

    def check() -> None:
        if st["max_r"] * st["max_c"] > max_cells or st["max_r"] > MAX_ROWS or st["max_c"] > MAX_COLS:
            _check_extent(st["max_r"], st["max_c"], p, st["name"], max_cells)

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == t_table:
            st["depth"] += 1
            if st["depth"] == 1:
                st.update(name=attrs.get(tname), row=0, max_r=0, max_c=0)
            return
        if st["depth"] != 1:
            return
        if tag == t_row:
            st.update(rrep=_int(attrs.get(rows_rep)), col=0, row_valued=False)
        elif tag in (t_cell, t_covered):
            st.update(in_cell=True, crep=_int(attrs.get(cols_rep)), valued=vtype in attrs)
        elif st["in_cell"]:
            st["valued"] = True  # any content (text:p, annotation) may become a value

    def end(tag: str) -> None:
        if tag == t_table:
            st["depth"] -= 1
            return
        if st["depth"] != 1:
            return
        if tag in (t_cell, t_covered):
            if st["valued"]:
                st["max_c"] = max(st["max_c"], st["col"] + st["crep"])
                st["row_valued"] = True
            st["col"] += st["crep"]
            st["in_cell"] = False
        elif tag == t_row:
            if st["row_valued"]:
                st["max_r"] = max(st["max_r"], st["row"] + st["rrep"])
                check()
            st["row"] += st["rrep"]

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (pyexpat.ExpatError, LookupError, ValueError):
        for _ in chunks:  # damaged XML: the reader will say so; still measure the rest
            pass


# =========================================================================================
# xlsx facts the cells alone cannot tell
# =========================================================================================

# A formula element followed by no value (or an empty one) and the cell's end. Schema
# order inside <c> is f, v, is. Literal-first patterns for the usual unprefixed markup;
# the general one only for chunks that use namespace prefixes.
_NO_VALUE = rb"\s*(?:(?:<v\s*/>|<v>\s*</v>)\s*)?</c>"  # no nested \s* ambiguity: linear
_FORMULA_END = (re.compile(rb"</f>" + _NO_VALUE), re.compile(rb"<f\s[^>]*/>" + _NO_VALUE))
_PREFIXED_F = re.compile(rb":f[\s>/]")
_FORMULA_END_PREFIXED = re.compile(
    rb"(?:</(?:[\w.-]+:)?f>|<(?:[\w.-]+:)?f\b[^>]*/>)\s*"
    rb"(?:(?:<(?:[\w.-]+:)?v\s*/>|<(?:[\w.-]+:)?v\s*>\s*</(?:[\w.-]+:)?v>)\s*)?</(?:[\w.-]+:)?c>"
)


def check_formula_cache(path: str | Path) -> list[tuple[str, str]]:
    """Cells holding a formula but no saved result, as (sheet name, cell ref) in sheet order.

    Files written by tools that do not calculate (openpyxl, some exporters) carry
    `<f>` without `<v>`; calamine then reads "" and the number is silently lost. The
    importer reports these cells as skipped ("formula with no saved value (recalculate
    and save the file in Excel)") instead of reading them as blank, never as 0 and
    never as the formula text. A formula whose cached result is an empty string
    (t="str", empty <v>) is a real value and not reported.

    Cheap when there is nothing to find: a regex over the raw XML looks for a formula
    element followed by an empty or missing value; only sheets where it hits are parsed.
    Returns [] for anything that is not an OOXML workbook (xls and ods store results).
    """
    p = Path(path)
    if not _starts_with(p, b"PK"):
        return []
    out: list[tuple[str, str]] = []
    with _open_zip(p) as zf:
        if "xl/workbook.xml" not in {n.lower() for n in zf.namelist()}:
            return []
        for sheet, part in _xlsx_sheets(zf, p):
            if _maybe_uncached(zf, part, p):
                out.extend((sheet, ref) for ref in _uncached_cells(zf, part, p, sheet))
    return out


def _starts_with(p: Path, magic: bytes) -> bool:
    try:
        with p.open("rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=p) from None


def _maybe_uncached(zf: zipfile.ZipFile, part: str, p: Path) -> bool:
    tail = b""
    for chunk in _member_chunks(zf, part, p):
        buf = tail + chunk
        if any(r.search(buf) for r in _FORMULA_END):
            return True
        if _PREFIXED_F.search(buf) and _FORMULA_END_PREFIXED.search(buf):
            return True
        tail = buf[-4096:]
    return False


def _cell_ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


_REF = re.compile(r"^\$?([A-Za-z]+)\$?([0-9]+)$")


def _uncached_cells(zf: zipfile.ZipFile, part: str, p: Path, sheet: str) -> list[str]:
    """Stream-parse one sheet's XML (expat, namespace-aware) up to </sheetData>."""
    import pyexpat

    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    st: dict[str, Any] = {"row": 0, "col": 0, "f": False, "v": None, "in_v": False, "t": None}
    found: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit("}", 1)[-1]
        if name == "row":
            r = attrs.get("r")
            st["row"] = int(r) if r and r.isdigit() else st["row"] + 1
            st["col"] = 0
        elif name == "c":
            m = _REF.match(attrs.get("r") or "")
            if m:
                st["col"] = _column_number(m.group(1).encode())
                st["row"] = int(m.group(2))
            else:
                st["col"] += 1
            st.update(f=False, v=None, t=attrs.get("t"))
        elif name == "f":
            st["f"] = True
        elif name == "v":
            st["in_v"] = True
            st["v"] = ""

    def text(data: str) -> None:
        if st["in_v"]:
            st["v"] += data

    def end(tag: str) -> None:
        name = tag.rsplit("}", 1)[-1]
        if name == "v":
            st["in_v"] = False
        elif name == "c" and st["f"]:
            value = st["v"]
            if value is None or (not value.strip() and st["t"] not in ("str", "inlineStr", "s")):
                found.append(_cell_ref(st["row"], st["col"]))
        elif name == "sheetData":
            raise _Stop

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    _feed(parser, _member_chunks(zf, part, p), p, sheet)
    return found


def is_1904(path: str | Path) -> bool:
    """Whether the workbook counts dates from 1904 (old Mac Excel) rather than 1900.

    Serial dates differ by 1,462 days between the modes. calamine applies the mode
    itself (tests check it for xlsx and xls), so this is for the import report and
    for any code that turns bare serial numbers into dates. xlsx: workbookPr
    date1904; xls: the DATEMODE record; ods stores real dates, so False.
    """
    p = Path(path)
    with p.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"PK"):
        with _open_zip(p) as zf:
            lower = {n.lower(): n for n in zf.namelist()}
            if "xl/workbook.xml" not in lower:
                return False
            wb = _parse_xml(zf, lower["xl/workbook.xml"], p)
            for el in wb.iter():
                if _local(el.tag) == "workbookPr":
                    return (el.get("date1904") or "").strip().lower() in ("1", "true")
        return False
    if magic == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        try:
            with p.open("rb") as fh:
                cfb = _Cfb(fh, p.stat().st_size)
                names = cfb.names()
                stream = "workbook" if "workbook" in names else "book" if "book" in names else None
                return bool(stream) and _biff_globals(cfb.stream_head(stream, _HEAD))[1]
        except _Damaged:
            raise InputError(TRUNCATED_OLE, path=p) from None
    return False


# =========================================================================================
# text files
# =========================================================================================

_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; latin-1 (the C1 controls)
# fills them, so decoding never fails and never drops a byte.
_CP1252 = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1") for b in range(256)
)
# utf-8 "surrogateescape" turns each undecodable byte b into U+DC00+b; map those back
# through cp1252 for files that are UTF-8 with a few stray Windows bytes.
_ESCAPED_TO_CP1252 = {0xDC00 + b: _CP1252[b] for b in range(128, 256)}
_ESCAPED = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def decode_text(data: bytes, *, path: str | Path | None = None, partial: bool = False) -> tuple[str, str]:
    """Decode a CSV/TSV file's bytes: (text, encoding name).

    Order: a BOM (UTF-32, UTF-8, UTF-16) decides; then BOM-less UTF-16 (NUL bytes in
    every other position); then strict UTF-8; then, for text that is mostly UTF-8 but
    has a few bytes that are not ("utf-8+cp1252"), UTF-8 with those bytes read as
    Windows-1252; otherwise Windows-1252 ("cp1252", latin-1 for its 5 undefined bytes).
    Names are codec names except the labels ending "+cp1252".

    Line endings are left alone on purpose: read the text with
    `csv.reader(io.StringIO(text, newline=""))`, which splits on CRLF, LF and old-Mac CR
    (mixed, too) while keeping newlines inside quoted fields - normalising first would
    corrupt those. Trailing NUL padding (left by some failed copies) is dropped; a NUL
    anywhere else means binary data and raises InputError, as does text that is
    provably cut off part-way through a character - unless `partial` says `data` is
    only the first bytes of a file (a header sniff), where a cut is expected.
    """
    text, encoding = _decode(data, path, partial)
    text = text.rstrip("\x00")
    if "\x00" in text:
        raise InputError("the text contains NUL bytes (binary data, or a damaged file)", path=path)
    return text, encoding


TRUNCATED_TEXT = "the file looks truncated: it ends part-way through a character"


def _decode(data: bytes, path: str | Path | None, partial: bool) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if encoding == "utf-8-sig":
                text, mixed = _decode_utf8(body, path, partial, bom=True)
                return text, "utf-8-sig+cp1252" if mixed else "utf-8-sig"
            return _decode_strict(body, encoding, path, partial, len(bom)), encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_strict(data, utf16, path, partial, 0), utf16
    text, mixed = _decode_utf8(data, path, partial)
    if text is not None:
        return text, "utf-8+cp1252" if mixed else "utf-8"
    return _cp1252(data), "cp1252"


def _cp1252(data: bytes) -> str:
    return data.decode("latin-1").translate(_LATIN1_TO_CP1252)


_LATIN1_TO_CP1252 = {b: _CP1252[b] for b in range(128, 160)}


def _cut_at_end(exc: UnicodeDecodeError, size: int) -> bool:
    return exc.reason in ("unexpected end of data", "truncated data") and exc.start >= size - 3


def _decode_strict(body: bytes, encoding: str, path: str | Path | None, partial: bool, offset: int) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        if _cut_at_end(exc, len(body)):
            if partial:
                return body[: exc.start].decode(encoding, errors="replace")
            raise InputError(TRUNCATED_TEXT, path=path) from None
        label = encoding.upper().replace("-LE", "").replace("-BE", "")
        raise InputError(
            f"the file is damaged: it is {label} text but byte {exc.start + offset:,} is not valid {label}",
            path=path,
        ) from None


def _decode_utf8(data: bytes, path: str | Path | None, partial: bool, *, bom: bool = False) -> tuple[Any, bool]:
    """(text, mixed) if the bytes are (mostly) UTF-8 - or carry its BOM - else (None, False)."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError as exc:
        first_error = exc
    escaped = data.decode("utf-8", "surrogateescape")
    good = len(_NON_ASCII.findall(escaped))
    if (good or bom or partial) and _cut_at_end(first_error, len(data)):
        # UTF-8 throughout, then the last character is cut off: the file itself was cut
        # (or, for a header sniff, the sample was).
        if partial:
            return _decode_utf8(data[: first_error.start], path, False, bom=bom)
        raise InputError(TRUNCATED_TEXT, path=path)
    if good <= len(_ESCAPED.findall(escaped)) and not bom:
        return None, False
    return escaped.translate(_ESCAPED_TO_CP1252), True


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    odd = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _text_encoding_hint(head: bytes) -> str | None:
    """A codec to glance at the first bytes with, or None if they look binary."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    body = head.rstrip(b"\x00")
    if b"\x00" in body:
        return None
    controls = sum(body.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13, 26))
    if controls > max(2, len(body) // 100):
        return None
    return "utf-8" if _decode_utf8_quiet(body) else "cp1252"


def _decode_utf8_quiet(body: bytes) -> bool:
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= len(body) - 3  # a character cut by the 64 KB head


DELIMITERS = (",", "\t", ";", "|")


def sniff_delimiter(text: str) -> str:
    """The field delimiter among , TAB ; | - the one that splits most lines alike.

    FOI CSVs open with title lines and close with notes, which confuse csv.Sniffer
    alone; so every candidate parses a sample and scores the number of rows sharing
    its most common field count (over 1). Sniffer only breaks ties; "," if nothing
    splits.
    """
    sample = text[:65536]
    cut = len(text) > len(sample)
    scores: dict[str, int] = {}
    for delimiter in DELIMITERS:
        try:
            rows = list(_islice_rows(sample, delimiter, 300))
        except csv.Error:
            continue
        if cut and rows:
            rows = rows[:-1]  # the last line may be cut short by the sample
        widths = Counter(len(r) for r in rows if len(r) > 1 and any(c.strip() for c in r))
        if widths:
            scores[delimiter] = max(widths.values())
    if not scores:
        return ","
    best = max(scores.values())
    tied = [d for d in DELIMITERS if scores.get(d) == best]
    if len(tied) > 1:
        try:
            guess = csv.Sniffer().sniff(sample[:4096], delimiters="".join(DELIMITERS)).delimiter
        except csv.Error:
            guess = None
        if guess in tied:
            return guess
    return tied[0]


def _islice_rows(sample: str, delimiter: str, n: int) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    for i, row in enumerate(reader):
        if i >= n:
            return
        yield row


# =========================================================================================
# grids
# =========================================================================================


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def trim_grid(rows: Sequence[Sequence[Any]], *, pad: bool = True, fill: Any = "") -> list[list[Any]]:
    """Drop trailing blank rows and columns; pad short (ragged) rows with `fill` if `pad`.

    Sheets formatted to the bottom of the grid and CSVs ending in thousands of ",,,"
    rows carry no data in their tails. Only the trailing edge is trimmed, never the
    leading one, so every kept cell keeps its row and column number (provenance).
    Blank means None, "" or whitespace; 0 is a value.
    """
    last = len(rows)
    while last and all(_blank(v) for v in rows[last - 1]):
        last -= 1
    width = 0
    for row in rows[:last]:
        for j in range(len(row) - 1, width - 1, -1):
            if not _blank(row[j]):
                width = j + 1
                break
    out: list[list[Any]] = []
    for row in rows[:last]:
        cells = list(row[:width])
        if pad and len(cells) < width:
            cells.extend([fill] * (width - len(cells)))
        out.append(cells)
    return out
