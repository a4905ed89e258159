"""Safe XML streaming: one expat feeder and the prolog checks every XML scan goes through.

Shared by the archive, extent and formula-cache scans so DOCTYPE/entity refusal and
damaged-XML messages are the same everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from foistats.model.errors import InputError
from foistats.intake.guard.limits import ENTITIES, _HEAD, _MAX_PROLOG

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
