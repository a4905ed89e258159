"""Text files: the encoding and the delimiter, decided without guessing wrong quietly.

FOI CSVs come in cp1252, UTF-8 with and without BOM, UTF-16; semicolons with decimal
commas. A file cut part-way through a character is said to be truncated.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from foistats.model.errors import InputError

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


def read_text_bytes(path: str | Path, *, max_bytes: int | None = None) -> bytes:
    """A text file's bytes, streamed in 1 MB chunks and refused past `max_bytes` (MAX_TEXT_BYTES).

    Whole chunks of NUL padding (left by failed copies) are not kept: a 2 GB tail of
    zeros is read through without being held (`decode_text` drops the few zeros before
    it), and text after such a run means binary data.
    """
    from foistats.intake.guard.limits import MAX_TEXT_BYTES, ONLY_NULS, TEXT_TOO_BIG, _CHUNK

    limit = MAX_TEXT_BYTES if max_bytes is None else max_bytes
    p = Path(path)
    parts: list[bytes] = []
    kept = 0
    padding = False
    try:
        with p.open("rb") as fh:
            zeros = bytes(_CHUNK)
            while chunk := fh.read(_CHUNK):
                if chunk == zeros[: len(chunk)]:  # memcmp: a 2 GB tail of zeros in about a second
                    padding = True  # a whole chunk of zeros: padding, not kept
                    continue
                if padding:
                    raise InputError("the text contains NUL bytes (binary data, or a damaged file)", path=p)
                kept += len(chunk)
                if kept > limit:
                    raise InputError(TEXT_TOO_BIG.format(limit=limit // (1024 * 1024)), path=p)
                parts.append(chunk)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=p) from None
    if not parts and padding:
        raise InputError(ONLY_NULS, path=p)
    return b"".join(parts)


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
