"""Hidden content audit: what a workbook holds that its reader cannot see on screen.

A police FOI spreadsheet was once published with a hidden sheet holding every
officer's name. Whoever imports a reply must know what was hidden in it before any
of it is published, and hidden numbers must not be summed silently. Per file this
finds:

- hidden and very-hidden sheets (all formats, from the reader's sheet metadata);
- hidden rows and columns that hold values (xlsx/xlsm from the sheet XML, xlsb from
  its row records, ods from table:visibility, xls from ROW/COLINFO records);
- parts that carry data the sheets do not show: pivot caches, external-link caches
  (copies of other workbooks), a Power Pivot data model, named ranges.

Hidden sheets, rows and columns are not imported unless the user asks
(`--include-hidden`); the report says what was hidden and what it would add to the
totals, and the file gets one "check before publishing this file" warning (which
fails `--strict`). XML is streamed through the same entity-refusing expat feeder
and small-part parser the guard uses (`guard.xmlfeed`, `guard.extent`).
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from foistats.intake.grid import Workbook, col_letter
from foistats.intake.report import FileReport, SheetReport

WARNING = "check before publishing this file"


@dataclass
class HiddenContent:
    sheets: dict[str, str] = field(default_factory=dict)  # sheet -> "hidden" | "very hidden"
    rows: dict[str, set[int]] = field(default_factory=dict)  # sheet -> hidden rows, 0-based
    cols: dict[str, set[int]] = field(default_factory=dict)  # sheet -> hidden columns, 0-based
    parts: list[str] = field(default_factory=list)  # "a pivot cache", "named ranges (3: A, B, C)", ...

    def __bool__(self) -> bool:
        return bool(self.sheets or any(self.rows.values()) or any(self.cols.values()) or self.parts)


@dataclass
class Withheld:
    """What `withhold` found and did, for the report."""

    included: bool
    sheet_reports: list[SheetReport] = field(default_factory=list)  # one per hidden sheet not imported
    summary: str | None = None  # the one-line warning for the file


# ---- the audit -------------------------------------------------------------------------


def audit(path: Path, kind: str, book: Any = None, archive: HiddenContent | None = None) -> HiddenContent:
    """Find hidden sheets, rows, columns and data-carrying parts. Never raises on odd files.

    `archive`: what `audit_archive` already found in the file's parts (with the archive the
    guard had open), so the file is not opened again here."""
    found = HiddenContent()
    if book is not None:
        for meta in getattr(book, "sheets_metadata", []) or []:
            state = str(getattr(meta, "visible", "")).rsplit(".", 1)[-1].lower()
            if state in ("hidden", "veryhidden"):
                found.sheets[meta.name] = "very hidden" if state == "veryhidden" else "hidden"
    if archive is not None:
        found.sheets.update(archive.sheets)
        found.rows.update(archive.rows)
        found.cols.update(archive.cols)
        found.parts.extend(archive.parts)
        return found
    _audit_parts(path, kind, found)
    return found


def audit_archive(path: Path, kind: str, zf: zipfile.ZipFile) -> HiddenContent:
    """The part of `audit` read from a zip-based workbook's parts, with an archive already open."""
    found = HiddenContent()
    _audit_parts(path, kind, found, zf)
    return found


def _audit_parts(path: Path, kind: str, found: HiddenContent, zf: zipfile.ZipFile | None = None) -> None:
    try:
        if kind == "xlsx":
            _audit_xlsx(path, found, zf)
        elif kind == "xlsb":
            _audit_xlsb(path, found, zf)
        elif kind == "ods":
            _audit_ods(path, found, zf)
        elif kind == "xls":
            _audit_xls(path, found)
    except Exception:  # noqa: BLE001 - the audit reports what it can; the guard already vetted the file
        pass


def _zip_of(path: Path, zf: zipfile.ZipFile | None) -> Any:
    """The archive given (left open for its owner), or the file opened here (closed after)."""
    from contextlib import nullcontext

    return nullcontext(zf) if zf is not None else zipfile.ZipFile(path)


_ROW_HIDDEN = re.compile(rb"<(?:\w+:)?row\b[^>]*?\bhidden\s*=\s*[\"'](?:1|true)[\"'][^>]*>")
_COL_HIDDEN = re.compile(rb"<(?:\w+:)?col\b[^>]*?\bhidden\s*=\s*[\"'](?:1|true)[\"'][^>]*>")
_ATTR_R = re.compile(rb"\br\s*=\s*[\"'](\d+)[\"']")
_ATTR_MIN = re.compile(rb"\bmin\s*=\s*[\"'](\d+)[\"']")
_ATTR_MAX = re.compile(rb"\bmax\s*=\s*[\"'](\d+)[\"']")
_DEFINED_NAME = re.compile(rb"<(?:\w+:)?definedName\b[^>]*?\bname\s*=\s*[\"']([^\"']*)[\"'][^>]*>")
_HIDDEN_ATTR = re.compile(rb"\bhidden\s*=\s*[\"'](?:1|true)[\"']")


def _unescape(text: str) -> str:
    from html import unescape

    return unescape(text)


# A column range is bounded by Excel's width; hidden columns past the data hold nothing.
_MAX_COL = 16_384


def _zip_parts(zf: zipfile.ZipFile, found: HiddenContent) -> None:
    names = [n.lower() for n in zf.namelist()]
    if any(n.startswith("xl/pivotcache/") for n in names):
        found.parts.append("a pivot cache (a copy of the data behind a pivot table, which may include rows the sheets do not show)")
    if any(n.startswith("xl/externallinks/") for n in names):
        found.parts.append("an external-link cache (values copied from another workbook)")
    if any(n.startswith("xl/model/") or n.startswith("xl/customdata/") for n in names):
        found.parts.append("a data model (Power Pivot tables stored inside the file)")


def _audit_xlsx(path: Path, found: HiddenContent, zf: zipfile.ZipFile | None = None) -> None:
    from foistats.intake.guard.extent import _member_chunks, _xlsx_sheets

    with _zip_of(path, zf) as zf:
        _zip_parts(zf, found)
        for name, part in _xlsx_sheets(zf, path):
            rows: set[int] = set()
            cols: set[int] = set()
            carry = b""
            for chunk in _member_chunks(zf, part, path):
                if b"hidden" not in chunk and b"hidden" not in carry + chunk[:16]:
                    carry = chunk[chunk.rfind(b"<") :] if b"<" in chunk else carry + chunk
                    carry = carry[-4096:]  # a start tag cut by the chunk boundary; nothing more
                    continue  # the common case: nothing hidden in this megabyte
                buf = carry + chunk
                cut = buf.rfind(b"<")
                buf, carry = (buf[:cut], buf[cut:]) if cut > 0 and buf.find(b">", cut) < 0 else (buf, b"")
                for m in _ROW_HIDDEN.finditer(buf):
                    r = _ATTR_R.search(m.group(0))
                    if r:
                        rows.add(int(r.group(1)) - 1)
                for m in _COL_HIDDEN.finditer(buf):
                    lo, hi = _ATTR_MIN.search(m.group(0)), _ATTR_MAX.search(m.group(0))
                    if lo and hi:
                        cols.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), _MAX_COL)))
            if rows:
                found.rows[name] = rows
            if cols:
                found.cols[name] = cols
        lower = {n.lower(): n for n in zf.namelist()}
        if "xl/workbook.xml" in lower:
            # the archive check has already refused any DOCTYPE; a regex over the raw part
            # is enough to list names and far cheaper than a second parse
            raw = b"".join(_member_chunks(zf, lower["xl/workbook.xml"], path))
            names = [
                (_unescape(m.group(1).decode("utf-8", "replace")), bool(_HIDDEN_ATTR.search(m.group(0))))
                for m in _DEFINED_NAME.finditer(raw)
            ]
            _named(found, names)


def _named(found: HiddenContent, names: list[tuple[str, bool]]) -> None:
    """Named ranges users made (Excel's own _xlnm.Print_Area and friends are not listed)."""
    mine = [(n, h) for n, h in names if n and not n.lower().startswith("_xlnm.")]
    if not mine:
        return
    shown = ", ".join(n for n, _ in mine[:5]) + ("…" if len(mine) > 5 else "")
    hidden = sum(1 for _, h in mine if h)
    extra = f", {hidden} of them hidden" if hidden else ""
    found.parts.append(f"named ranges ({len(mine)}: {shown}{extra})")


def _audit_xlsb(path: Path, found: HiddenContent, zf: zipfile.ZipFile | None = None) -> None:
    from foistats.intake.guard import xlsb
    from foistats.intake.guard.extent import _member_chunks

    with _zip_of(path, zf) as zf:
        _zip_parts(zf, found)
        for name, part, _state in xlsb.workbook_sheets(zf, path):
            *_, hidden_rows = xlsb.sheet_extent(_member_chunks(zf, part, path), path, name)
            if hidden_rows:
                found.rows[name] = set(hidden_rows)


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _audit_ods(path: Path, found: HiddenContent, zf: zipfile.ZipFile | None = None) -> None:
    import pyexpat

    from foistats.intake.guard.extent import _member_chunks
    from foistats.intake.guard.xmlfeed import _feed, _refuse_doctype

    t = _ODS_TABLE + " "
    st: dict[str, Any] = {"sheet": None, "depth": 0, "row": 0, "col": 0, "names": [], "pilot": False, "source": False}

    def rep(attrs: dict[str, str], key: str) -> int:
        try:
            return max(1, min(int(attrs.get(t + key, "1")), 1_048_576))
        except ValueError:
            return 1

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == t + "table":
            st["depth"] += 1
            if st["depth"] == 1:
                st.update(sheet=attrs.get(t + "name"), row=0, col=0)
        elif st["depth"] == 1 and tag == t + "table-column":
            n = rep(attrs, "number-columns-repeated")
            if attrs.get(t + "visibility") in ("collapse", "filter"):
                found.cols.setdefault(st["sheet"], set()).update(range(st["col"], min(st["col"] + n, _MAX_COL)))
            st["col"] += n
        elif st["depth"] == 1 and tag == t + "table-row":
            n = rep(attrs, "number-rows-repeated")
            if attrs.get(t + "visibility") in ("collapse", "filter") and n < 10_000:
                found.rows.setdefault(st["sheet"], set()).update(range(st["row"], st["row"] + n))
            st["row"] += n
        elif tag == t + "named-range" or tag == t + "named-expression":
            st["names"].append((attrs.get(t + "name") or "", False))
        elif tag == t + "data-pilot-table":
            st["pilot"] = True
        elif tag == t + "table-source":
            st["source"] = True

    def end(tag: str) -> None:
        if tag == t + "table":
            st["depth"] -= 1

    with _zip_of(path, zf) as zf:
        if "content.xml" not in zf.namelist():
            return
        parser = pyexpat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.StartDoctypeDeclHandler = _refuse_doctype
        _feed(parser, _member_chunks(zf, "content.xml", path), path, None)
    if st["pilot"]:
        found.parts.append("a pivot table (DataPilot) with its own copy of the data")
    if st["source"]:
        found.parts.append("an external-link cache (a sheet linked to another file)")
    _named(found, st["names"])


def _audit_xls(path: Path, found: HiddenContent) -> None:
    """ROW (fDyZero) and COLINFO (fHidden) records per worksheet; NAME, SUPBOOK, pivot records."""
    from foistats.intake.guard.biff import _BIFF_MAX_STREAM, _sheet_names
    from foistats.intake.guard.ole import _Cfb

    with path.open("rb") as fh:
        cfb = _Cfb(fh, path.stat().st_size)
        names = cfb.names()
        data = cfb.stream_head("workbook" if "workbook" in names else "book", _BIFF_MAX_STREAM)
    sheets = _sheet_names(data)
    pos, sheet = 0, None
    named: list[tuple[str, bool]] = []
    pivot = external = False
    while pos + 4 <= len(data):
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + rlen]
        if rtype == 0x0809:
            sheet = sheets.get(pos)
        elif rtype == 0x0208 and sheet is not None and len(body) >= 14:  # ROW
            row, flags = struct.unpack_from("<H", body)[0], struct.unpack_from("<H", body, 12)[0]
            if flags & 0x20:
                found.rows.setdefault(sheet, set()).add(row)
        elif rtype == 0x007D and sheet is not None and len(body) >= 10:  # COLINFO
            first, last, _, _, flags = struct.unpack_from("<HHHHH", body)
            if flags & 0x1 and last >= first:
                found.cols.setdefault(sheet, set()).update(range(first, min(last + 1, 256)))
        elif rtype == 0x0018 and len(body) >= 15:  # NAME (Lbl)
            flags, cch = struct.unpack_from("<H", body)[0], body[3]
            builtin = flags & 0x20
            high = body[14] & 1
            raw = body[15 : 15 + (cch * 2 if high else cch)]
            if not builtin:
                named.append((raw.decode("utf-16-le" if high else "latin-1", "replace"), bool(flags & 0x1)))
        elif rtype in (0x00D5, 0x00B0):  # SXSTREAMID, SXVIEW: pivot tables and their cache
            pivot = True
        elif rtype == 0x01AE and len(body) >= 4 and struct.unpack_from("<H", body, 2)[0] not in (0x0401, 0x3A01):
            external = True  # SUPBOOK naming another workbook (not this one, not add-ins)
        pos += 4 + rlen
    if pivot:
        found.parts.append("a pivot table with its own cache of the data")
    if external:
        found.parts.append("an external-link cache (values copied from another workbook)")
    _named(found, named)


# ---- what the import does with it -------------------------------------------------------


def withhold(workbook: Workbook, include: bool) -> Withheld:
    """Drop hidden sheets and blank hidden rows/columns (unless `include`), counting what they held.

    Rows keep their numbers (a blanked row is still row 7), so provenance is unchanged.
    """
    found: HiddenContent | None = getattr(workbook, "hidden", None)
    out = Withheld(included=include)
    if not found:
        return out
    pieces: list[str] = []
    kept = []
    for sheet in workbook.sheets:
        name = sheet.name
        if name in found.sheets:
            n, total = _count(sheet.rows)
            state = found.sheets[name]
            what = f"{state} sheet '{name}'" + (f" ({n:,} value(s){_adds(total)})" if n else " (empty)")
            pieces.append(what)
            if include:
                kept.append(sheet)
            else:
                out.sheet_reports.append(
                    SheetReport(sheet=name, status="skipped", message=f"{state} sheet: not imported (--include-hidden imports it)")
                )
            continue
        kept.append(sheet)
        rows = found.rows.get(name, set())
        cols = found.cols.get(name, set())
        if not rows and not cols:
            continue
        n, total, where = _hidden_cells(sheet.rows, rows, cols, blank=not include)
        if not n:
            continue  # hidden but empty rows and columns: nothing to withhold
        pieces.append(f"{n:,} value(s) in hidden {where}" + (f" of '{name}'" if name else "") + _adds(total))
    workbook.sheets = kept
    pieces.extend(found.parts)
    if pieces:
        hidden_data = len(pieces) > len(found.parts)
        verb = (
            " (imported because of --include-hidden)" if include and hidden_data
            else " (not imported; --include-hidden imports them)" if hidden_data
            else ""
        )
        out.summary = f"{WARNING}: it holds " + "; ".join(pieces) + verb
    return out


def annotate(report: FileReport, held: Withheld) -> None:
    """Put the findings into the file's report: one warning line, and a "skipped" entry per hidden sheet."""
    if held.summary is None:
        return
    report.sheets.extend(held.sheet_reports)
    first = report.sheets[0] if report.sheets else None
    if first is None:
        first = SheetReport(sheet=None, status="skipped")
        report.sheets.append(first)
    first.warnings.insert(0, held.summary)


def _count(rows: list[list[Any]]) -> tuple[int, float]:
    n, total = 0, 0.0
    for row in rows:
        for v in row:
            if v is None or v == "":
                continue
            n += 1
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) < 1e15:
                total += v
    return n, total


def _hidden_cells(grid: list[list[Any]], rows: set[int], cols: set[int], *, blank: bool) -> tuple[int, float, str]:
    n, total = 0, 0.0
    used_rows: list[int] = []
    used_cols: set[int] = set()
    for r, row in enumerate(grid):
        whole = r in rows
        for c in (range(len(row)) if whole else (c for c in cols if c < len(row))):
            v = row[c]
            if v is None or v == "":
                continue
            n += 1
            if whole:
                if not used_rows or used_rows[-1] != r:
                    used_rows.append(r)
            else:
                used_cols.add(c)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) < 1e15:
                total += v
            if blank:
                row[c] = None
    parts = []
    if used_rows:
        parts.append(f"row(s) {_list(str(r + 1) for r in used_rows)}")
    if used_cols:
        parts.append(f"column(s) {_list(col_letter(c) for c in sorted(used_cols))}")
    return n, total, " and ".join(parts)


def _list(items: Iterator[str] | Any, limit: int = 5) -> str:
    items = list(items)
    return ", ".join(items[:limit]) + ("…" if len(items) > limit else "")


def _adds(total: float) -> str:
    if not total:
        return ""
    shown = f"{total:,.0f}" if float(total).is_integer() else f"{total:,.2f}"
    return f" that would add {shown} to the totals"
