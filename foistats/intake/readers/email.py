"""E-mailed replies (.eml; .msg with the optional extract-msg extra).

The body's tables (an HTML body) are read like a web page and its words are the letter;
each attachment becomes a `Member`, imported as a file of its own with the provenance
`reply.eml › attachment.xlsx`. Word files uuencoded into a plain-text body ("begin 666
name.doc", as old mail gateways did) are decoded line by line, so a damaged line costs
that line and not the attachment. Standard library `email` for .eml.

extract-msg is GPL-3.0 and foistats is MIT, so `.msg` is read only when the user has
installed it themselves (`pip install 'foistats[msg]'`); otherwise it is refused with
one line saying how to save the message as .eml instead.
"""

from __future__ import annotations

import binascii
import re
from pathlib import Path
from typing import Any

from foistats.model.errors import InputError

MAX_EMAIL = 100 * 1024 * 1024
MAX_ATTACHMENTS = 200
_UU_BEGIN = re.compile(r"^begin [0-7]{3,4} (.+)$")

MSG_REFUSED = (
    "this is an Outlook message (.msg); reading it needs the optional extract-msg package "
    "(GPL; pip install 'foistats[msg]'), or save the message as .eml (File › Save As) and import that"
)


def read_email(path: Path, kind: str) -> Any:
    if kind == "msg":
        return _read_msg(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None
    if len(data) > MAX_EMAIL:
        raise InputError(f"the e-mail is too large to read ({len(data) // 1_000_000} MB)", path=path)
    return email_document(path, data)


def email_document(path: Path, data: bytes) -> Any:
    import email
    from email import policy

    from foistats.intake.readers.document import Document, Member

    try:
        message = email.message_from_bytes(data, policy=policy.compat32)
    except Exception:
        raise InputError("the e-mail cannot be parsed", path=path) from None
    plain: list[str] = []
    html: list[bytes] = []
    members: list[Member] = []
    notes: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        ctype = (part.get_content_type() or "text/plain").lower()
        filename = part.get_filename()
        disposition = str(part.get("Content-Disposition") or "").lower()
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        if payload is None:
            if ctype == "message/rfc822":
                inner = part.get_payload()
                if isinstance(inner, list) and inner:
                    members.append(Member(f"{filename or 'forwarded message'}.eml", inner[0].as_bytes()))
            continue
        if filename or "attachment" in disposition:
            name = _safe_name(filename or f"attachment-{len(members) + 1}")
            if len(members) < MAX_ATTACHMENTS:
                members.append(Member(name, payload))
            continue
        charset = part.get_content_charset() or "utf-8"
        if ctype == "text/html":
            html.append(payload)
        elif ctype.startswith("text/"):
            try:
                plain.append(payload.decode(charset, errors="replace"))
            except LookupError:
                plain.append(payload.decode("utf-8", errors="replace"))
    # uuencoded files inside a plain-text body
    body_text = []
    for text in plain:
        kept, found = _uudecode(text)
        body_text.append(kept)
        for name, blob, bad in found:
            members.append(Member(_safe_name(name), blob))
            if bad:
                notes.append(f"attachment {name!r} was uuencoded in the body; {bad} damaged line(s) skipped while decoding it")
    headers = []
    for h in ("From", "Date", "Subject"):
        if message.get(h):
            headers.append(f"{h}: {message.get(h)}")
    if html and not "".join(body_text).strip():
        from foistats.intake.readers.html import html_document

        doc = html_document(path, html[0], "eml")
        doc.text = "\n".join(headers) + "\n" + doc.text
    else:
        from foistats.intake.grid import Workbook

        doc = Document(path=path, kind="eml", workbook=Workbook(path=path, kind="eml", sheets=[]), text="\n".join(headers + body_text))
        if html:
            from foistats.intake.readers.html import html_document

            tables = html_document(path, html[0], "eml")
            doc.workbook, doc.cell_names, doc.notes, doc.records = tables.workbook, tables.cell_names, tables.notes, tables.records
    doc.members = members
    doc.notes.extend(notes)
    if members:
        doc.notes.append("attachments: " + ", ".join(m.name for m in members))
    return doc


def _uudecode(text: str) -> tuple[str, list[tuple[str, bytes, int]]]:
    """(text without the encoded blocks, [(file name, bytes, damaged lines)])."""
    out_lines: list[str] = []
    found: list[tuple[str, bytes, int]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _UU_BEGIN.match(lines[i].rstrip())
        if not m:
            out_lines.append(lines[i])
            i += 1
            continue
        name = m.group(1).strip()
        blob = bytearray()
        bad = 0
        i += 1
        while i < len(lines) and lines[i].rstrip() != "end":
            line = lines[i].rstrip("\r\n")
            i += 1
            if not line or line in ("`", " "):
                continue
            try:
                blob.extend(binascii.a2b_uu(line))
            except binascii.Error:
                # Trailing garbage on a line (a damaged gateway): decode what the length byte says.
                try:
                    n = (ord(line[0]) - 32) & 63
                    blob.extend(binascii.a2b_uu(line[: 1 + (n * 4 + 2) // 3])[:n])
                except (binascii.Error, IndexError):
                    bad += 1
        i += 1
        found.append((name, bytes(blob), bad))
    return "\n".join(out_lines), found


def _safe_name(name: str) -> str:
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f]", "", name).strip() or "attachment"
    return name[:150]


def _read_msg(path: Path) -> Any:
    try:
        import extract_msg  # type: ignore[import-not-found]  # GPL: an optional extra only
    except ImportError:
        raise InputError(MSG_REFUSED, path=path) from None
    from foistats.intake.grid import Workbook
    from foistats.intake.readers.document import Document, Member

    try:
        msg = extract_msg.openMsg(str(path))
    except Exception:
        raise InputError("the Outlook message is damaged and cannot be read", path=path) from None
    try:
        members = []
        for att in getattr(msg, "attachments", []) or []:
            data = getattr(att, "data", None)
            if isinstance(data, bytes):
                members.append(Member(_safe_name(getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or "attachment"), data))
        body = msg.body or ""
        html = getattr(msg, "htmlBody", None)
        headers = [f"From: {msg.sender}", f"Date: {msg.date}", f"Subject: {msg.subject}"]
    finally:
        try:
            msg.close()
        except Exception:
            pass
    if html and not body.strip():
        from foistats.intake.readers.html import html_document

        doc = html_document(path, html if isinstance(html, bytes) else str(html).encode(), "msg")
        doc.text = "\n".join(headers) + "\n" + doc.text
    else:
        doc = Document(path=path, kind="msg", workbook=Workbook(path=path, kind="msg", sheets=[]), text="\n".join(headers) + "\n" + body)
    doc.members = members
    return doc
