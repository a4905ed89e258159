"""Formula cells saved without their values, and the 1904 date system.

calamine reads a formula with no cached value as empty or 0: never let that 0 through.
These scans say which cells the file itself cannot give a number for.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from foistats.model.errors import InputError
from foistats.intake.guard.extent import _REF, _column_number, _local, _member_chunks, _parse_xml, _xlsx_sheets
from foistats.intake.guard.limits import TRUNCATED_OLE, _HEAD
from foistats.intake.guard.ole import _Cfb, _Damaged, _biff_globals
from foistats.intake.guard.sniff import _open_zip
from foistats.intake.guard.xmlfeed import _Stop, _feed, _refuse_doctype

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


def check_formula_cache(path: str | Path, zf: zipfile.ZipFile | None = None) -> list[tuple[str, str]]:
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
    `zf`: the archive already open (from `sniff_open`), not opened again.
    """
    p = Path(path)
    if zf is not None:
        return _formula_cache(zf, p)
    if not _starts_with(p, b"PK"):
        return []
    with _open_zip(p) as opened:
        return _formula_cache(opened, p)


def _formula_cache(zf: zipfile.ZipFile, p: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
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


def _zip_is_1904(zf: zipfile.ZipFile, p: Path) -> bool:
    lower = {n.lower(): n for n in zf.namelist()}
    if "xl/workbook.xml" not in lower:
        return False
    wb = _parse_xml(zf, lower["xl/workbook.xml"], p)
    for el in wb.iter():
        if _local(el.tag) == "workbookPr":
            return (el.get("date1904") or "").strip().lower() in ("1", "true")
    return False


def _cell_ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"





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


def is_1904(path: str | Path, zf: zipfile.ZipFile | None = None) -> bool:
    """Whether the workbook counts dates from 1904 (old Mac Excel) rather than 1900.

    Serial dates differ by 1,462 days between the modes. calamine applies the mode
    itself (tests check it for xlsx and xls), so this is for the import report and
    for any code that turns bare serial numbers into dates. xlsx: workbookPr
    date1904; xls: the DATEMODE record; ods stores real dates, so False.
    `zf`: the xlsx's archive, already open (not closed here).
    """
    p = Path(path)
    if zf is not None:
        return _zip_is_1904(zf, p)
    with p.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"PK"):
        with _open_zip(p) as opened:
            return _zip_is_1904(opened, p)
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
