"""Legacy Word 97-2003 (.doc) letters: the text, read from the document's piece table.

No permissive, maintained Python library reads .doc (antiword and catdoc are C programs;
textract shells out to them), but the text of a Word 97 file is easy to reach: the File
Information Block names the table stream and the piece table (CLX), and each piece says
where its characters are and whether they are 8-bit (cp1252) or UTF-16. The compound
file is read by the guard's own bounded reader. Field codes are dropped, their results
kept. Tables in a .doc are not rebuilt as grids: when one holds figures the report says
to convert the file to .docx (`libreoffice --headless --convert-to docx FILE.doc`).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from foistats.model.errors import InputError

CONVERT = "convert it to .docx first (e.g. `libreoffice --headless --convert-to docx FILE.doc`) and import that"
MAX_TEXT = 20_000_000


def read_doc(path: Path) -> Any:
    from foistats.intake.grid import Workbook
    from foistats.intake.readers.document import Document

    text, has_table = doc_text(path)
    doc = Document(path=path, kind="doc", workbook=Workbook(path=path, kind="doc", sheets=[]), text=text)
    if has_table:
        doc.notes.append(f"the .doc holds a table with figures, which foistats does not rebuild from .doc files: {CONVERT}")
    return doc


def doc_text(path: Path) -> tuple[str, bool]:
    from foistats.intake.guard.ole import _Cfb, _Damaged

    try:
        with path.open("rb") as fh:
            cfb = _Cfb(fh, path.stat().st_size)
            word = cfb.stream_head("worddocument", MAX_TEXT)
            if len(word) < 0x01AA:
                raise _Damaged
            ident, _, _, _, _, flags = struct.unpack_from("<HHHHHH", word, 0)
            if ident != 0xA5EC:
                raise _Damaged
            if flags & 0x0100:
                raise InputError("this Word document is password-protected; ask for an unprotected copy", path=path)
            table_name = "1table" if flags & 0x0200 else "0table"
            fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x01A2)
            table = cfb.stream_head(table_name, fc_clx + lcb_clx)
    except InputError:
        raise
    except (_Damaged, OSError, struct.error, ValueError):
        raise InputError(f"the Word 97-2003 document is damaged and its text cannot be read; {CONVERT}", path=path) from None
    clx = table[fc_clx : fc_clx + lcb_clx]
    pieces = _pieces(clx)
    if pieces is None:
        raise InputError(f"the Word 97-2003 document's text cannot be located; {CONVERT}", path=path)
    out: list[str] = []
    for cp0, cp1, fc, compressed in pieces:
        n = max(0, cp1 - cp0)
        if compressed:
            raw = word[fc : fc + n]
            out.append(raw.decode("cp1252", errors="replace"))
        else:
            raw = word[fc : fc + 2 * n]
            out.append(raw.decode("utf-16-le", errors="replace"))
        if sum(len(x) for x in out) > MAX_TEXT:
            break
    text = "".join(out)
    return _clean(text)


def _pieces(clx: bytes) -> list[tuple[int, int, int, bool]] | None:
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: property modifiers, skipped
        if i + 3 > len(clx):
            return None
        cb = struct.unpack_from("<H", clx, i + 1)[0]
        i += 3 + cb
    if i >= len(clx) or clx[i] != 0x02:
        return None
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5 : i + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        return None
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for k in range(n):
        fc_raw = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        compressed = bool(fc_raw & 0x40000000)
        fc = (fc_raw & 0x3FFFFFFF) // 2 if compressed else fc_raw & 0x3FFFFFFF
        out.append((cps[k], cps[k + 1], fc, compressed))
    return out


def _clean(text: str) -> tuple[str, bool]:
    """Word's control characters out: field instructions dropped, cell marks as tabs."""
    out: list[str] = []
    depth = 0
    in_instruction: list[bool] = []
    has_table = False
    cell_digits = False
    for ch in text:
        if ch == "\x13":
            depth += 1
            in_instruction.append(True)
            continue
        if ch == "\x14":
            if in_instruction:
                in_instruction[-1] = False
            continue
        if ch == "\x15":
            if in_instruction:
                in_instruction.pop()
            depth = max(0, depth - 1)
            continue
        if in_instruction and in_instruction[-1]:
            continue
        if ch == "\x07":
            if cell_digits:
                has_table = True
            out.append("\t")
            continue
        if ch in "\r\x0b\x0c":
            out.append("\n")
            continue
        if ch.isdigit():
            cell_digits = True
        if ch == "\n" or ch == "\t":
            out.append(ch)
            if ch == "\n":
                cell_digits = False
            continue
        if ord(ch) < 32 or ch in "\x01\x08":
            continue
        out.append(ch)
    lines = [" ".join(line.replace("\t", " | ").split()) for line in "".join(out).split("\n")]
    return "\n".join(line for line in lines if line.strip(" |")), has_table
