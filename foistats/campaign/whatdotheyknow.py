"""WhatDoTheyKnow batch exports read into a campaign: who was asked, when, and what came back.

Why: many all-forces requests are sent as a WhatDoTheyKnow batch, and the site already
holds the record a campaign file would otherwise be typed from — the forces, the day
each request went, every reply with its attachments, and the requester's own
classification of each outcome. Reading the user's downloaded files (never the site:
no network) turns that into a foistats.toml plus the reply files, so `foistats status`
tracks the batch with the statutory clock of each force's law.

Two files, either or both:

- `download.csv`: one row per request — request_url, authority_name, number_of_replies,
  request_status (as the site words it, or its internal code); see `STATUSES`.
- the batch zip: `<Authority name> - <url_title>/<YYYY-MM-DD-HHMMSS>/` per message,
  holding `incoming_<id>.txt` (a reply's email body) or `outgoing_<id>.txt` (a message
  sent), with a reply's attachments beside it. Folder names give the dates; the bodies
  give what happened (an acknowledgement, a clarification request, an extension, a
  refusal, "not held"); the attachments are the replies to import.

The CSV's status is the requester's judgement and wins over what the email text
suggests; the text supplies what the CSV cannot (dates, the exemption cited).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from foistats.campaign.events import Event
from foistats.model.errors import InputError, UsageError

# WhatDoTheyKnow's request statuses (as shown, and as the site's internal codes) →
# (foistats reply status for [responses], clock event it implies, the word `status` shows).
STATUSES: dict[str, tuple[str | None, str | None, str]] = {
    "awaiting response": ("outstanding", None, "outstanding (overdue once past the force's deadline)"),
    "delayed": ("outstanding", None, "overdue (past 20 working days)"),
    "long overdue": ("outstanding", None, "overdue (WhatDoTheyKnow: past 40 working days)"),
    "successful": ("answered", None, "answered"),
    "partially successful": ("partial", None, "partial"),
    "refused": ("refused", None, "refused"),
    "information not held": ("no_data", None, "no data held"),
    "awaiting clarification": (None, "clarification_requested", "awaiting clarification"),
    "awaiting internal review": (None, "review_requested", "internal review"),
    "withdrawn": (None, "withdrawn", "withdrawn"),
}
_STATUS_CODES = {
    "waiting_response": "awaiting response",
    "waiting_response_overdue": "delayed",
    "waiting_response_very_overdue": "long overdue",
    "successful": "successful",
    "partially_successful": "partially successful",
    "rejected": "refused",
    "not_held": "information not held",
    "waiting_clarification": "awaiting clarification",
    "internal_review": "awaiting internal review",
    "user_withdrawn": "withdrawn",
}
REQUIRED_COLUMNS = ("request_url", "authority_name", "request_status")
_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})$")
_MESSAGE = re.compile(r"^(incoming|outgoing)_(\d+)\.txt$", re.I)
_URL_TITLE = re.compile(r"/request/([A-Za-z0-9_]+)")
_MAX_ENTRY = 200 * 1024 * 1024  # one attachment, uncompressed
_MAX_TOTAL = 2 * 1024 * 1024 * 1024
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class Message:
    """One message of a request's thread: its folder's time, direction, body and attachments."""

    when: datetime
    direction: str  # incoming | outgoing
    text: str = ""
    attachments: list[str] = field(default_factory=list)  # zip member names


@dataclass
class Request:
    """One request of the batch: its force, status and thread."""

    url_title: str
    authority: str
    url: str | None = None
    status: str | None = None  # canonical key of STATUSES
    replies: int | None = None
    force: str | None = None
    messages: list[Message] = field(default_factory=list)
    where: str = ""  # the file (and row) it was read from, for messages


@dataclass
class Batch:
    """Everything read from the export, and one line per thing that could not be used."""

    requests: list[Request]
    problems: list[str] = field(default_factory=list)
    zips: list[Path] = field(default_factory=list)
    csv_rows: int = 0


# ---------------------------------------------------------------- reading


def read_export(paths: list[Path]) -> Batch:
    """Read download.csv file(s) and batch zip(s) (a download.csv inside a zip is read too)."""
    by_title: dict[str, Request] = {}
    batch = Batch(requests=[])
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist")
        if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
            batch.zips.append(path)
            _read_zip(path, by_title, batch)
        elif path.suffix.lower() in (".csv", ".txt"):
            _read_csv(path.read_bytes(), str(path), by_title, batch)
        else:
            raise UsageError(f"{path}: not a WhatDoTheyKnow download.csv or zip", hint="pass download.csv and/or the batch .zip")
    batch.requests = list(by_title.values())
    if not batch.requests:
        raise InputError("no WhatDoTheyKnow requests found", path=", ".join(str(p) for p in paths))
    _match_forces(batch)
    return batch


def _read_csv(data: bytes, where: str, by_title: dict[str, Request], batch: Batch) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text: is this WhatDoTheyKnow's download.csv?", path=where) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise InputError(f"not a readable CSV: {exc}", path=where) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"not a WhatDoTheyKnow download.csv: no {', '.join(missing)} column",
            path=where, hint="its columns are request_url, authority_name, number_of_replies, request_status",
        )
    reader.fieldnames = header
    try:
        for number, row in enumerate(reader, start=2):
            batch.csv_rows += 1
            _csv_row(row, f"{where}, row {number}", by_title, batch)
    except csv.Error as exc:
        raise InputError(f"not a readable CSV: {exc}", path=where) from None


def _csv_row(row: dict[str, str | None], where: str, by_title: dict[str, Request], batch: Batch) -> None:
    url = (row.get("request_url") or "").strip()
    m = _URL_TITLE.search(url)
    if not m:
        batch.problems.append(f"{where}: request_url {url!r} is not a WhatDoTheyKnow request address; row skipped")
        return
    raw_status = (row.get("request_status") or "").strip()
    key = " ".join(raw_status.lower().replace("_", " ").split())
    status = key if key in STATUSES else _STATUS_CODES.get(raw_status.lower())
    if status is None:
        batch.problems.append(
            f"{where}: request_status {raw_status!r} is not one foistats knows; kept as outstanding"
        )
    replies: int | None = None
    text = (row.get("number_of_replies") or "").strip()
    if text:
        try:
            replies = int(text)
        except ValueError:
            batch.problems.append(f"{where}: number_of_replies {text!r} is not a number")
    req = by_title.setdefault(m.group(1), Request(url_title=m.group(1), authority=""))
    req.url, req.status, req.replies, req.where = url, status, replies, where
    req.authority = (row.get("authority_name") or "").strip() or req.authority


def _read_zip(path: Path, by_title: dict[str, Request], batch: Batch) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a readable zip file ({exc})", path=path) from None
    with archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > _MAX_TOTAL:
            raise InputError("the zip would unpack to more than 2 GB; not read", path=path)
        threads: dict[str, dict[str, Message]] = {}
        authority: dict[str, str] = {}
        tops = {PurePosixPath(i.filename).parts[0] for i in infos if not any(j in i.filename for j in _JUNK)}
        wrapped = len(tops) == 1 and " - " not in next(iter(tops))
        for info in infos:
            name = info.filename
            if info.is_dir() or any(j in name for j in _JUNK):
                continue
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts or "\\" in name:
                raise InputError(f"unsafe name {name!r} in the zip; nothing read from it", path=path)
            if len(parts) in (2, 4) and wrapped:  # everything inside one folder, as some unzippers re-zip it
                parts = parts[1:]
            if len(parts) == 1 and parts[0].lower().endswith(".csv"):
                _read_csv(_member(archive, info, path), f"{path}:{name}", by_title, batch)
                continue
            if len(parts) != 3 or " - " not in parts[0] or not _STAMP.match(parts[1]):
                batch.problems.append(
                    f"{path}: {name!r} is not in the WhatDoTheyKnow layout "
                    "(<Authority> - <url_title>/<YYYY-MM-DD-HHMMSS>/<file>); skipped"
                )
                continue
            top, stamp, leaf = parts
            who, url_title = top.rsplit(" - ", 1)
            if not re.fullmatch(r"[A-Za-z0-9_]+", url_title):
                batch.problems.append(f"{path}: folder {top!r} does not end in a request's url_title; skipped")
                continue
            when = _stamp(stamp)
            if when is None:
                batch.problems.append(f"{path}: folder {top}/{stamp} is not a real date and time; skipped")
                continue
            authority[url_title] = who
            thread = threads.setdefault(url_title, {})
            msg = thread.setdefault(stamp, Message(when=when, direction="incoming"))
            kind = _MESSAGE.match(leaf)
            if kind:
                msg.direction = kind.group(1).lower()
                msg.text = _member(archive, info, path).decode("utf-8", errors="replace")
            elif info.file_size > _MAX_ENTRY:
                batch.problems.append(f"{path}: {name!r} is larger than 200 MB unpacked; not saved")
            else:
                msg.attachments.append(name)
        for url_title, thread in threads.items():
            req = by_title.setdefault(url_title, Request(url_title=url_title, authority=authority[url_title]))
            req.authority = req.authority or authority[url_title]
            req.messages = sorted(thread.values(), key=lambda m: m.when)
            req.where = req.where or f"{path}: {authority[url_title]} - {url_title}"


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    if info.file_size > _MAX_ENTRY:
        raise InputError(f"{info.filename!r} is larger than 200 MB unpacked", path=path)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise InputError(f"cannot read {info.filename!r} from the zip ({exc})", path=path) from None


def _stamp(text: str) -> datetime | None:
    m = _STAMP.match(text)
    if not m:
        return None
    try:
        return datetime(*(int(g) for g in m.groups()))
    except ValueError:
        return None


def _match_forces(batch: Batch) -> None:
    """Each authority to a force: by name (any spelling the registry knows), else by slug."""
    from foistats.model.forces import registry

    reg = registry()
    for req in batch.requests:
        text = req.authority
        area = reg.by_wdtk_slug(text) if text else None
        if area is None and text:
            match = reg.resolve(text, fuzzy=False)
            area = match.area if match is not None and match.area.kind == "force" else None
        if area is None and text and re.fullmatch(r"[a-z0-9_]+", text):
            match = reg.resolve(text.replace("_", " "), fuzzy=False)
            area = match.area if match is not None and match.area.kind == "force" else None
        if area is None:
            hint = reg.suggest(text) if text else []
            batch.problems.append(
                f"{req.where}: {text or 'an empty authority_name'!s} is not a police force foistats knows"
                + (f" (did you mean {hint[0]}?)" if hint else "")
                + "; request skipped"
            )
            continue
        req.force = area.name


# ---------------------------------------------------------------- what the emails say

_ACK = re.compile(
    r"acknowledg|we (?:have )?received your (?:request|e-?mail)|receipt of your (?:request|e-?mail)|"
    r"has been (?:logged|received)|automatic(?:ally generated)? (?:reply|response)",
    re.I,
)
_CLARIFY = re.compile(
    r"clarif(?:y|ication)|could you (?:please )?(?:confirm|specify|explain)|please (?:confirm|specify) (?:which|what)",
    re.I,
)
_EXTENSION = re.compile(r"public interest test", re.I)
_EXTEND = re.compile(r"extend|extension|additional time|further \d+ working days|more time", re.I)
_COST = re.compile(r"\bsection\s*12\b|\bs\.?\s?12\b|cost limit|appropriate limit|exceed(?:s|ed)? the (?:cost|appropriate)", re.I)
_NOT_HELD = re.compile(
    r"(?:does|do) not hold|doesn't hold|not held|no (?:recorded )?information (?:is )?held|hold(?:s)? no (?:recorded )?information",
    re.I,
)
_REFUSED = re.compile(
    r"\brefus|\bexempt|neither confirm nor deny|\bsections?\s*(?:2[1-9]|3\d|4[0-4])\b|\bs\.?\s?(?:2[1-9]|3\d|4[0-4])\b", re.I
)
_PARTIAL = re.compile(r"partially|some of the information|part of your request", re.I)
_REVIEW_ASKED = re.compile(r"request(?:ing)? an internal review|internal review of|conduct(?:s)? (?:freedom of information )?reviews", re.I)
_WITHDRAW = re.compile(r"withdraw (?:my|this|the) request", re.I)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_LONG_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS})\s+(\d{{4}})\b", re.I)


_THANKS_CLARIFIED = re.compile(r"thank(?:s| you) for (?:your |the )?clarif", re.I)
_DISCLOSED = re.compile(r"please find|attached|disclos|the (?:figures?|numbers?|information) (?:is|are|you requested)|\d", re.I)


def reply_outcome(text: str, attachments: bool = False) -> tuple[str, str | None]:
    """What an incoming email says: (kind, exemption), kind one of acknowledgement,
    clarification, extension, refused, no_data, partial, answered, or "other" (a
    holding email with nothing in it)."""
    if _EXTENSION.search(text) and _EXTEND.search(text):
        return "extension", None
    if _COST.search(text):
        return "refused", _exemption(text) or "s12 (cost limit)"
    if _NOT_HELD.search(text):
        return "no_data", None
    if _REFUSED.search(text):
        return "refused", _exemption(text)
    if _THANKS_CLARIFIED.search(text):
        return "acknowledgement", None
    if _CLARIFY.search(text):
        return "clarification", None
    if _PARTIAL.search(text):
        return "partial", None
    if _ACK.search(text):
        return "acknowledgement", None
    return ("answered", None) if attachments or _DISCLOSED.search(text) else ("other", None)


def _exemption(text: str) -> str | None:
    from foistats.model.exemptions import exemption_words

    words = exemption_words(" ".join(re.findall(r"\b(?:sections?|s\.)\s*\d{1,2}(?:\s*\(\s*\d\s*\))?", text, re.I)))
    if not words:
        return None
    known = [w for w in words.split("; ") if "(" in w and not w.startswith(("s1 ", "s1(", "s10", "s17"))]
    return "; ".join(known) or None


def _date_in(text: str, after: date) -> date | None:
    """The last "4 March 2024"-style date in the text later than `after` (an extension's new date)."""
    found: list[date] = []
    for m in _LONG_DATE.finditer(text):
        try:
            d = datetime.strptime(f"{m.group(1)} {m.group(2)} {m.group(3)}", "%d %B %Y").date()
        except ValueError:
            continue
        if d > after:
            found.append(d)
    return found[-1] if found else None


# ---------------------------------------------------------------- into a campaign


@dataclass
class Records:
    """What the campaign file gets for one request."""

    force: str
    sent: date | None
    events: list[Event]
    response: dict[str, object]
    attachments: list[tuple[str, date]]  # zip member, the reply's date


def records(req: Request) -> Records:
    """Replay a request's thread into events and a reply record; the CSV status has the last word."""
    assert req.force is not None
    force, source = req.force, req.url or req.where
    events: list[Event] = []
    sent: date | None = None
    received: date | None = None
    outcome: str | None = None
    exemption: str | None = None
    stage = "running"
    attachments: list[tuple[str, date]] = []
    last_reply: date | None = None  # the last incoming email that was more than an acknowledgement

    def add(kind: str, on: date, until: date | None = None, note: str | None = None) -> None:
        events.append(Event(force=force, kind=kind, on=on, until=until, note=note, source=source))

    for msg in req.messages:
        day = msg.when.date()
        if msg.direction == "outgoing":
            if sent is None:
                sent = day
            elif _WITHDRAW.search(msg.text):
                add("withdrawn", day)
                stage = "withdrawn"
            elif _REVIEW_ASKED.search(msg.text):
                add("review_requested", day)
                stage = "review"
            elif stage == "clarification":
                add("clarified", day)
                stage = "running"
            continue
        attachments.extend((name, day) for name in msg.attachments)
        kind, words = reply_outcome(msg.text, bool(msg.attachments))
        if kind not in ("acknowledgement", "other"):
            last_reply = day
        if kind == "other":
            continue
        if stage == "review" and kind != "acknowledgement":
            add("review_answered", day)
            stage = "running"
            outcome, exemption = (kind, words) if kind in ("refused", "no_data", "partial", "answered") else (outcome, exemption)
        elif kind == "acknowledgement":
            continue
        elif kind == "clarification":
            if received is None:
                add("clarification_requested", day)
                stage = "clarification"
        elif kind == "extension":
            add("extended", day, until=_date_in(msg.text, day))
        elif kind in ("refused", "no_data", "partial", "answered"):
            if received is None:
                received, outcome, exemption = day, kind, words
            else:
                add("answer_superseded", day)
                outcome, exemption = kind, words or exemption

    status_key = req.status
    reply_status, implied, _ = STATUSES.get(status_key or "", (None, None, ""))
    last_day = req.messages[-1].when.date() if req.messages else sent
    if status_key is not None:
        # The requester's classification wins: drop a clock stage the CSV does not show,
        # add the one it does.
        pending = {"clarification": "clarification_requested", "review": "review_requested", "withdrawn": "withdrawn"}
        if stage in pending and pending[stage] != implied:
            dropped = next(e for e in reversed(events) if e.kind == pending[stage])
            events.remove(dropped)
        if implied is not None and pending.get(stage) != implied and last_day is not None:
            add(implied, last_day, note="from WhatDoTheyKnow's status")
    response: dict[str, object] = {}
    if reply_status is not None and reply_status != "outstanding":
        response["status"] = reply_status
    elif (status_key is None or implied is not None) and outcome is not None:
        # No CSV, or a CSV status that is a stage of the clock (an internal review of a
        # refusal): the reply the emails show is recorded.
        response["status"] = outcome
    elif status_key is None or reply_status == "outstanding":
        response["status"] = "outstanding"
    if response.get("status") == "refused" and exemption:
        response["exemption"] = exemption
    if received is None and response.get("status") not in (None, "outstanding"):
        received = last_reply or (req.messages[-1].when.date() if req.messages else None)
    if received is not None and response.get("status") not in (None, "outstanding"):
        response["received"] = received
    label = next((k for k in STATUSES if k == status_key), None)
    words = f"WhatDoTheyKnow: {label[0].upper() + label[1:]}" if label else "WhatDoTheyKnow"
    incoming = sum(1 for m in req.messages if m.direction == "incoming")
    if req.replies is not None and req.messages and req.replies != incoming:
        words += f" (number_of_replies {req.replies}, {incoming} in the zip)"
    response["note"] = f"{words}; {req.url}" if req.url else words
    return Records(force=force, sent=sent, events=events, response=response, attachments=attachments)


def safe_file_name(text: str) -> str:
    """A name that is valid on Windows, macOS and Linux, without path separators."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    return cleaned[:180] or "attachment"


def save_attachments(
    batch: Batch, recs: list[Records], folder: Path
) -> tuple[dict[str, dict[str, object]], list[Path]]:
    """Copy each reply's attachments to `folder` as "<Force> - <date> - <name>".

    Returns a recipe per saved file (its force, so an attachment that names no force
    still imports under the right one) and the saved paths.
    """
    wanted = {name: (r.force, day) for r in recs for name, day in r.attachments}
    recipes: dict[str, dict[str, object]] = {}
    saved: list[Path] = []
    if not wanted:
        return recipes, saved
    folder.mkdir(parents=True, exist_ok=True)
    for path in batch.zips:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename not in wanted:
                    continue
                force, day = wanted.pop(info.filename)
                base = safe_file_name(f"{force} - {day.isoformat()} - {PurePosixPath(info.filename).name}")
                target = folder / base
                data = _member(archive, info, path)
                n = 2
                while target.exists() and target.read_bytes() != data:  # the same file from an earlier run is reused
                    stem, dot, ext = base.rpartition(".")
                    target = folder / (f"{stem} ({n}).{ext}" if dot else f"{base} ({n})")
                    n += 1
                if not target.exists():
                    target.write_bytes(data)
                recipes[target.name] = {"force": force}
                saved.append(target)
    return recipes, saved


@dataclass
class ExportCampaign:
    """A campaign read from an export: what `foistats init` writes, and what it could not use."""

    forces: list[str]
    sent: date | None
    events: list[Event]
    responses: dict[str, dict[str, object]]
    recipes: dict[str, dict[str, object]]
    saved: list[Path]
    problems: list[str]
    requests: int


def campaign_from_export(paths: list[Path], replies_folder: Path, sent: date | None = None) -> ExportCampaign:
    """Read the export, save the replies' attachments, and build the campaign's records.

    `sent` (the --sent option) is the campaign's date; otherwise the day most requests
    went out. A force whose request went on another day gets a "sent" event.
    """
    from collections import Counter

    batch = read_export(paths)
    recs: dict[str, Records] = {}
    for req in batch.requests:
        if req.force is None:
            continue
        rec = records(req)
        if rec.force in recs:
            older = recs[rec.force]
            batch.problems.append(
                f"{req.where}: a second request to {rec.force} in the batch; the later one is kept"
            )
            if (rec.sent or date.min) < (older.sent or date.min):
                continue
        recs[rec.force] = rec
    dates = Counter(r.sent for r in recs.values() if r.sent is not None)
    campaign_sent = sent or (max(dates.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))[0] if dates else None)
    events: list[Event] = []
    for rec in recs.values():
        if rec.sent is not None and rec.sent != campaign_sent:
            events.append(Event(force=rec.force, kind="sent", on=rec.sent, note="this request went on another day from the rest of the batch"))
        events.extend(rec.events)
    recipes, saved = save_attachments(batch, list(recs.values()), replies_folder)
    return ExportCampaign(
        forces=list(recs),
        sent=campaign_sent,
        events=events,
        responses={force: rec.response for force, rec in recs.items()},
        recipes=recipes,
        saved=saved,
        problems=batch.problems,
        requests=len(batch.requests),
    )


def import_report(saved: list[Path], recipes: dict[str, dict[str, object]]) -> list[str]:
    """Run the saved replies through the normal importer; one line per file it could not use.

    Files in a format the importer does not read yet (PDF, Word, email, depending on the
    version) are kept and listed, never an error: `foistats status` reads them once it can.
    """
    from foistats.intake.pipeline import SUPPORTED, import_paths
    from foistats.intake.report import ImportOptions

    lines: list[str] = []
    readable = [p for p in saved if p.suffix.lower() in SUPPORTED]
    for path in saved:
        if path.suffix.lower() not in SUPPORTED:
            lines.append(f"{path}: kept, not imported: this version does not read {path.suffix or 'extension-less'} files")
    if readable:
        result = import_paths(readable, ImportOptions(recipes=dict(recipes), progress=False))
        for report in result.files:
            if report.status == "error":
                lines.append(f"{report.error}")
            elif report.status == "not_a_table":
                lines.append(f"{report.path}: kept; no table of figures found in it")
    return lines
