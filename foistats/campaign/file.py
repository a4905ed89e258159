"""The campaign file (`foistats.toml`): what was asked, of whom, when, and per-file recipes.

It lets every command agree on the measure name and the comparison year without
the user repeating options, and it is where a per-file recipe fixes an import that
automatic detection gets wrong. Command-line options always win over it.

It is also the analyst's record of replies the spreadsheets cannot show: a refusal
sent as a letter, the date a reply arrived, an extended deadline (`[responses]`).
Every mistake in it is reported with the key and the line, because the person
editing it is a journalist with a text editor, not a programmer with a debugger.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from foistats.campaign.events import EVENT_KINDS, Event, event_kind
from foistats.model.errors import UsageError

FILE_NAME = "foistats.toml"
_RECIPE_KEYS = {
    "sheet", "header_rows", "data_rows", "label_columns", "value_columns", "force", "period", "measure", "orientation",
}
_REQUEST_KEYS = {"title", "wording", "measure", "year_start", "periods", "sent", "forces"}
_TOP_KEYS = {"request", "forces", "recipes", "responses", "events"}
_EVENT_KEYS = {"force", "date", "event", "until", "note"}
_RESPONSE_KEYS = {"status", "exemption", "received", "due", "note"}
# What a reply recorded by hand can say; the spellings people type map onto these.
RESPONSE_STATUSES = ("answered", "refused", "no_data", "nil", "partial", "outstanding")
_STATUS_ALIASES = {
    "no data": "no_data", "not held": "no_data", "no information held": "no_data", "nodata": "no_data",
    "replied": "answered", "received": "answered", "pending": "outstanding", "waiting": "outstanding",
    "refusal": "refused", "nil return": "nil",
}
_ORIENTATIONS = ("wide", "long")
_COLUMN = re.compile(r"^[A-Za-z]{1,3}$")
_ROWS = re.compile(r"^\s*\d+\s*:\s*\d*\s*$")


@dataclass
class Campaign:
    path: Path
    title: str | None = None
    wording: str | None = None
    measure: str | None = None
    year_start: int | None = None
    periods: list[str] = field(default_factory=list)
    sent: date | None = None
    forces: list[str] = field(default_factory=list)  # canonical names
    recipes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # force -> {status, exemption, received, due, note}; status is one of RESPONSE_STATUSES
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    forces_default: bool = False  # no forces list in the file: the 43 territorial forces assumed
    # [[events]]: what happened to each force's request after it was sent, in file order
    events: list["Event"] = field(default_factory=list)

    def events_for(self, force: str) -> list["Event"]:
        return [e for e in self.events if e.force == force]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def requested_years(self, year_start: int) -> list[int]:
        """The `periods` labels as aligned years (calendar year each starts in), in order."""
        from foistats.model.periods import PeriodError, parse_aligned

        years: list[int] = []
        for label in self.periods:
            try:
                year = int(parse_aligned(label, year_start))
            except (PeriodError, ValueError) as exc:
                raise UsageError(f"{self.path}: request.periods: {exc}") from None
            if year not in years:
                years.append(year)
        return sorted(years)


def find_campaign(paths: list[Path] | None = None, explicit: Path | None = None) -> Campaign | None:
    """--campaign FILE, else foistats.toml in a folder given as input, else in the current folder."""
    if explicit is not None:
        if not explicit.exists():
            raise UsageError(f"campaign file {explicit} does not exist")
        if explicit.is_dir():
            explicit = explicit / FILE_NAME
            if not explicit.is_file():
                raise UsageError(f"no {FILE_NAME} in {explicit.parent}", hint="run `foistats init` there first")
        return load_campaign(explicit)
    for p in paths or []:
        folder = p if p.is_dir() else p.parent
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return load_campaign(candidate)
    candidate = Path.cwd() / FILE_NAME
    if candidate.is_file():
        return load_campaign(candidate)
    return None


# ---------------------------------------------------------------- reading


class _Lines:
    """Where each key sits in the file, so a message can say "line 7" for a bad value."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.keys: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        arrays: dict[str, int] = {}
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            array = re.match(r"^\[\[\s*([A-Za-z0-9_-]+)\s*\]\]", stripped)
            if array:  # [[events]]: the n-th table of the array is ("events", "n")
                index = arrays[array.group(1)] = arrays.get(array.group(1), 0) + 1
                table = (array.group(1), str(index))
                self.keys.setdefault(table, number)
                continue
            if stripped.startswith("[") and not stripped.startswith("[["):
                table = self._table_path(stripped) or table
                for n in range(1, len(table) + 1):
                    self.keys.setdefault(table[:n], number)
                continue
            m = re.match(r'^\s*("?)([^"=#]+?)\1\s*=', line)
            if m:
                self.keys.setdefault((*table, m.group(2).strip()), number)

    @staticmethod
    def _table_path(header: str) -> tuple[str, ...] | None:
        header = header.split("#", 1)[0].strip()
        try:
            node: Any = tomllib.loads(header + "\n")
        except tomllib.TOMLDecodeError:
            return None
        path: list[str] = []
        while isinstance(node, dict) and len(node) == 1:
            key = next(iter(node))
            path.append(key)
            node = node[key]
        return tuple(path)

    def of(self, *key: str) -> int | None:
        for n in range(len(key), 0, -1):
            found = self.keys.get(tuple(key[:n]))
            if found is not None:
                return found
        return None

    def containing(self, text: str, after: int | None = None) -> int | None:
        for number, line in enumerate(self.lines, start=1):
            if (after is None or number >= after) and text in line and not line.lstrip().startswith("#"):
                return number
        return None


class _Reader:
    """Validation helpers that know the file, its lines, and how to word a problem."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)

    def fail(self, message: str, *key: str, line: int | None = None, hint: str | None = None) -> UsageError:
        number = line if line is not None else (self.lines.of(*key) if key else None)
        where = f"{self.path}, line {number}" if number else str(self.path)
        return UsageError(f"{where}: {message}", hint=hint)

    def text(self, table: dict[str, Any], key: str, *where: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{_dotted(*where, key)} must be text in quotes, not {value!r}", *where, key)
        return value

    def day(self, table: dict[str, Any], key: str, *where: str) -> date | None:
        value = table.get(key)
        if value is None:
            return None
        name = _dotted(*where, key)
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                raise self.fail(
                    f"{name} = {value!r} is not a date", *where, key, hint="write it as YYYY-MM-DD without quotes, e.g. 2024-01-08"
                ) from None
        if hasattr(value, "date") and callable(value.date):  # a TOML date-time: keep the day
            value = value.date()
        if not isinstance(value, date):
            raise self.fail(f"{name} must be a date such as 2024-01-08, not {value!r}", *where, key)
        return value

    def force(self, name: Any, where: str, line: int | None) -> str:
        from foistats.model.forces import registry

        match = registry().resolve(str(name))
        if match is not None and not match.is_guess:
            return match.area.name
        hint = [match.area.name] if match is not None else registry().suggest(str(name))
        raise self.fail(
            f"unknown force {str(name)!r} in {where}",
            line=line,
            hint=f"did you mean {hint[0]}?" if hint else "use the force's name, e.g. \"Kent Police\"",
        )

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], *where: str) -> None:
        import difflib

        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
                hint = f"did you mean {_dotted(*where, close[0])}?" if close else "keys: " + ", ".join(sorted(allowed))
                raise self.fail(f"unknown key {_dotted(*where, key)}", *where, key, hint=hint)


def _dotted(*parts: str) -> str:
    out = []
    for p in parts:
        out.append(p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else json.dumps(p, ensure_ascii=False))
    return ".".join(out)


def _syntax_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> UsageError:
    """TOML's own message, plus the offending line and what was probably meant."""
    m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "syntax error"
    if not m:
        return UsageError(f"{path}: not valid TOML: {exc}")
    number = int(m.group(1))
    lines = text.splitlines()
    line = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    dated = re.match(r"^([A-Za-z_][\w.-]*)\s*=\s*(\d{4}-\d{1,2}-\d{1,2}\S*)", line)
    if dated:
        return UsageError(
            f"{path}, line {number}: {dated.group(1)} = {dated.group(2)} is not a valid date",
            hint="write it as YYYY-MM-DD, e.g. 2024-01-08",
        )
    shown = f" ({line})" if line else ""
    hint = "put text in double quotes" if re.match(r"^[\w.-]+\s*=\s*[A-Za-z]", line) else None
    return UsageError(f"{path}, line {number}: not valid TOML: {reason[0].lower() + reason[1:]}{shown}", hint=hint)


def load_campaign(path: Path) -> Campaign:
    """Parse and validate; every problem names the key and, where it can, the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text", hint="save it as UTF-8 in your editor") from None
    return parse_campaign(text, path)


def parse_campaign(text: str, path: Path) -> Campaign:
    """Validate campaign text as if read from `path` (which messages name)."""
    from foistats.model.forces import registry

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(path, text, exc) from None
    r = _Reader(path, text)
    r.unknown_keys(data, _TOP_KEYS)
    request = data.get("request", {})
    if not isinstance(request, dict):
        raise r.fail("[request] must be a table", "request")
    r.unknown_keys(request, _REQUEST_KEYS, "request")
    campaign = Campaign(path=path)
    campaign.title = r.text(request, "title", "request")
    campaign.wording = r.text(request, "wording", "request")
    campaign.measure = r.text(request, "measure", "request")
    ys = request.get("year_start")
    if ys is not None:
        from foistats.model.periods import PeriodError, month_from_name

        try:
            campaign.year_start = month_from_name(str(ys))
        except (PeriodError, ValueError):
            raise r.fail(
                f"request.year_start = {ys!r} is not a month", "request", "year_start",
                hint='use e.g. "jun" (June–May years), "apr" (financial years) or "jan"',
            ) from None
    periods = request.get("periods", [])
    if not isinstance(periods, list) or not all(isinstance(p, str) for p in periods):
        raise r.fail(
            'request.periods must be a list of labels such as ["2020/21", "2021/22"]', "request", "periods"
        )
    campaign.periods = periods
    if campaign.year_start is not None:
        from foistats.model.periods import PeriodError, parse_aligned

        for label in periods:
            try:
                parse_aligned(label, campaign.year_start)
            except (PeriodError, ValueError) as exc:
                raise r.fail(f"request.periods: {exc}", "request", "periods") from None
    campaign.sent = r.day(request, "sent", "request")

    in_request = "forces" in request
    forces = request.get("forces") if in_request else data.get("forces")
    where = ("request", "forces") if in_request else ("forces",)
    names: list[str] = []
    if forces is None:
        names = [a.name for a in registry().forces(territorial_only=True)]
        campaign.forces_default = True
    else:
        if not isinstance(forces, list):
            raise r.fail("forces must be a list of force names", *where)
        start = r.lines.of(*where)
        for name in forces:
            canonical = r.force(name, "forces", r.lines.containing(f'"{name}"', start) or start)
            if canonical in names:
                raise r.fail(f"{canonical} is listed twice in forces", line=r.lines.containing(f'"{name}"', start) or start)
            names.append(canonical)
    campaign.forces = names

    recipes = data.get("recipes", {})
    if not isinstance(recipes, dict):
        raise r.fail("[recipes] must be a table of file names", "recipes")
    for file_name, recipe in recipes.items():
        campaign.recipes[file_name] = _recipe(r, file_name, recipe)

    responses = data.get("responses", {})
    if not isinstance(responses, dict):
        raise r.fail("[responses] must be a table of force names", "responses")
    for name, info in responses.items():
        canonical = r.force(name, "[responses]", r.lines.of("responses", name))
        campaign.responses[canonical] = _response(r, name, info)

    events = data.get("events", [])
    if not isinstance(events, list):
        raise r.fail("events must be written as [[events]] tables, one per event", "events")
    for index, info in enumerate(events, start=1):
        campaign.events.append(_event(r, index, info))
    return campaign


def _event(r: _Reader, index: int, info: Any) -> Event:
    """One [[events]] table: force, date, event (and until, note)."""
    where = ("events", str(index))
    line = r.lines.of(*where)
    label = f"[[events]] number {index}"
    if not isinstance(info, dict):
        raise r.fail(f"{label} must be a table", line=line)
    for key in info:
        if key not in _EVENT_KEYS:
            import difflib

            close = difflib.get_close_matches(key, sorted(_EVENT_KEYS), n=1, cutoff=0.6)
            raise r.fail(
                f"unknown key {key!r} in {label}", *where, key,
                hint=f"did you mean {close[0]}?" if close else "keys: " + ", ".join(sorted(_EVENT_KEYS)),
            )
    for key in ("force", "date", "event"):
        if key not in info:
            raise r.fail(f"{label} has no {key}", line=line, hint="each event needs force, date and event")
    force = r.force(info["force"], label, r.lines.of(*where, "force"))
    text = r.text(info, "event", *where) or ""
    kind = event_kind(text)
    if kind is None:
        raise r.fail(
            f"event = {text!r} in {label} is not an event", *where, "event", hint="use one of " + ", ".join(EVENT_KINDS)
        )
    on = r.day(info, "date", *where)
    until = r.day(info, "until", *where)
    assert on is not None
    if until is not None and kind != "extended":
        raise r.fail(f"until only goes with event = \"extended\" ({label})", *where, "until")
    if until is not None and until < on:
        raise r.fail(f"until = {until} is before date = {on} in {label}", *where, "until")
    number = r.lines.of(*where)
    return Event(
        force=force, kind=kind, on=on, until=until, note=r.text(info, "note", *where),
        source=f"{r.path.name} line {number}" if number else r.path.name,
    )


def _recipe(r: _Reader, file_name: str, recipe: Any) -> dict[str, Any]:
    where = ("recipes", file_name)
    if not isinstance(recipe, dict):
        raise r.fail(f"{_dotted(*where)} must be a table", *where)
    r.unknown_keys(recipe, _RECIPE_KEYS, *where)
    for key in ("sheet", "force", "period", "measure", "data_rows", "orientation"):
        r.text(recipe, key, *where)
    rows = recipe.get("header_rows")
    if rows is not None and (
        not isinstance(rows, list) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in rows)
    ):
        raise r.fail(f"{_dotted(*where, 'header_rows')} must be a list of row numbers such as [5, 6]", *where, "header_rows")
    span = recipe.get("data_rows")
    if span is not None and not _ROWS.match(span):
        raise r.fail(f"{_dotted(*where, 'data_rows')} = {span!r} must be \"first:last\" such as \"7:9\"", *where, "data_rows")
    for key in ("label_columns", "value_columns"):
        cols = recipe.get(key)
        if cols is not None and (not isinstance(cols, list) or not all(isinstance(c, str) and _COLUMN.match(c) for c in cols)):
            raise r.fail(f"{_dotted(*where, key)} must be a list of column letters such as [\"B\", \"C\"]", *where, key)
    orientation = recipe.get("orientation")
    if orientation is not None and orientation not in _ORIENTATIONS:
        raise r.fail(
            f"{_dotted(*where, 'orientation')} = {orientation!r} is not one of {', '.join(_ORIENTATIONS)}",
            *where, "orientation", hint="wide: periods across the columns; long: periods down the rows",
        )
    if recipe.get("force") is not None:
        r.force(recipe["force"], _dotted(*where, "force"), r.lines.of(*where, "force"))
    return dict(recipe)


def _response(r: _Reader, name: str, info: Any) -> dict[str, Any]:
    where = ("responses", name)
    if isinstance(info, str):
        info = {"status": info}
    if not isinstance(info, dict):
        raise r.fail(f"{_dotted(*where)} must be a table such as {{ status = \"refused\", exemption = \"s12\" }}", *where)
    r.unknown_keys(info, _RESPONSE_KEYS, *where)
    out: dict[str, Any] = {}
    status = r.text(info, "status", *where)
    if status is not None:
        key = status.strip().lower().replace("-", " ")
        key = _STATUS_ALIASES.get(key, key.replace(" ", "_"))
        if key not in RESPONSE_STATUSES:
            raise r.fail(
                f"{_dotted(*where, 'status')} = {status!r} is not a reply status", *where, "status",
                hint="use one of " + ", ".join(RESPONSE_STATUSES),
            )
        out["status"] = key
    for key in ("exemption", "note"):
        value = r.text(info, key, *where)
        if value is not None:
            out[key] = value
    for key in ("received", "due"):
        value = r.day(info, key, *where)
        if value is not None:
            out[key] = value
    if "status" not in out:
        out["status"] = "refused" if "exemption" in out else ("answered" if "received" in out else "outstanding")
    return out


# ---------------------------------------------------------------- writing (foistats init)


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def init_text(
    *,
    title: str | None = None,
    wording: str | None = None,
    measure: str | None = None,
    year_start: str | None = None,
    periods: list[str] | None = None,
    sent: date | None = None,
    forces: list[str] | None = None,
    written: date | None = None,
    responses: dict[str, dict[str, Any]] | None = None,
    events: list[Event] | None = None,
    recipes: dict[str, dict[str, Any]] | None = None,
    origin: str | None = None,
) -> str:
    """A commented foistats.toml: what is known filled in, everything else shown as an example.

    `forces` are canonical names; None lists the 43 territorial forces of England and
    Wales, with the other UK bodies commented out, ready to be switched on.
    """
    from foistats.model.forces import registry

    def line(key: str, value: str | None, example: str) -> str:
        return f"{key} = {value}" if value is not None else f"# {key} = {example}"

    month = None
    if year_start is not None:
        from foistats.model.periods import MONTH_ABBR, month_from_name

        month = MONTH_ABBR[month_from_name(year_start)].lower()
    stamp = f" on {written.isoformat()}" if written else ""
    out = [
        "# foistats campaign file: one FOI request sent to many police forces.",
        "#",
        "# Every foistats command run in this folder (or given --campaign FILE) reads it;",
        "# options on the command line always win. Lines starting with # are comments:",
        "# remove the # to switch a setting on. Text goes in \"double quotes\"; dates are",
        "# written YYYY-MM-DD without quotes.",
        f"# Written by `foistats init`{stamp}. Check it with `foistats status`.",
        *([f"# {origin}"] if origin else []),
        "",
        "[request]",
        "# A short name for the request, used in captions and chart titles.",
        line("title", _q(title) if title else None, '"Under-18 sextortion reports"'),
        "",
        "# The request exactly as sent, kept with the data for the record.",
        line("wording", _q(wording) if wording else None, '"Please provide the number of ..."'),
        "",
        "# The one name every return's figures are filed under, however each force",
        "# labels its table (sets the default --measure).",
        line("measure", _q(measure) if measure else None, '"Under-18 sextortion reports"'),
        "",
        '# First month of the comparison year: "jun" = June–May years, "apr" = April–March',
        '# (financial) years, "jan" = calendar years. Sets the default --year-start.',
        line("year_start", _q(month) if month else None, '"jun"'),
        "",
        "# The years asked for, labelled by the year they start in (2020/21 = Jun 2020–May 2021",
        "# when year_start is jun). `foistats status` shows one column per year.",
        line("periods", "[" + ", ".join(_q(p) for p in periods) + "]" if periods else None, '["2020/21", "2021/22", "2022/23"]'),
        "",
        "# The day the request was sent. A reply is due on the 20th working day after it.",
        "# Under the Freedom of Information Act 2000 (every force but Police Scotland) a bank",
        "# holiday anywhere in the UK does not count, St Patrick's Day and St Andrew's Day",
        "# included; Police Scotland answers under FOISA 2002, where only Scotland's count.",
        "# `foistats status` marks late and overdue replies from this date; a force sent the",
        "# request on another day gets a \"sent\" event below.",
        line("sent", sent.isoformat() if sent else None, "2024-01-08"),
        "",
        "# The forces it was sent to: any spelling foistats knows (\"GMP\", \"Devon & Cornwall\")",
        "# is accepted and shown by its canonical name. Without this list foistats assumes",
        "# the 43 territorial forces of England and Wales. Delete a line to drop a force;",
        "# remove the # before another body to add it.",
        "forces = [",
    ]
    reg = registry()
    chosen = forces if forces is not None else [a.name for a in reg.forces(territorial_only=True)]
    out.extend(f"    {_q(name)}," for name in chosen)
    out.extend(f"    # {_q(a.name)}," for a in reg.forces() if a.name not in chosen)
    out += [
        "]",
        "",
        "# Replies the spreadsheets cannot show: a refusal sent as a letter, the day a reply",
        "# arrived, a deadline extended for a public interest test. One table per force.",
        f"#   status    = one of {', '.join(_q(s) for s in RESPONSE_STATUSES)}",
        '#   exemption = the section cited, e.g. "s12" (cost limit), "s40" (personal data)',
        "#   received  = the day the reply arrived (a reply after the deadline is marked late)",
        "#   due       = a later deadline the force gave (replaces the 20-working-day one)",
        "#   note      = anything else to keep with it",
        '# [responses."Kent Police"]',
        '# status = "refused"',
        '# exemption = "s12"',
        "# received = 2024-02-01",
        "",
        "# What happened to a force's request after it was sent, one [[events]] table per",
        "# event, like a diary: force, date and event, optionally note (and until, for an",
        "# extension). The clock (`foistats status`) replays them in date order:",
        *[f"#   {kind:<24}= {what}" for kind, what in EVENT_KINDS.items()],
        "# [[events]]",
        '#   force = "Kent Police"',
        "#   date = 2024-01-15",
        '#   event = "clarification_requested"',
        '#   note = "asked which offence codes we meant"',
        "#",
        "# [[events]]",
        '#   force = "Kent Police"',
        "#   date = 2024-01-17",
        '#   event = "clarified"',
        "#",
        "# [[events]]",
        '#   force = "Essex Police"',
        "#   date = 2024-02-05",
        '#   event = "extended"',
        "#   until = 2024-03-04",
        "",
        "# Per-file recipes fix an import that automatic detection gets wrong; see what",
        "# detection did with `foistats inspect FILE`. The table name is the file's name in",
        "# this folder; every key is optional. Rows are numbered and columns lettered as",
        "# in the spreadsheet.",
        '# [recipes."Some file.xlsx"]',
        '# sheet = "Data"                   # the sheet holding the table',
        "# header_rows = [5, 6]             # the row(s) with the period headings",
        '# data_rows = "7:9"                # first:last row of figures',
        '# label_columns = ["A"]            # column(s) with the row labels',
        '# value_columns = ["B", "C"]       # column(s) with the figures',
        '# force = "Kent Police"            # when neither the file name nor a title says',
        '# period = "2020/21"               # when the table has one figure and no heading',
        '# measure = "Under-18 sextortion reports"',
        '# orientation = "wide"             # "wide": periods across columns; "long": down rows',
        "",
    ]
    out += _written_records(responses or {}, events or [], recipes or {})
    return "\n".join(out)


def _toml_value(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return _q(str(value))


def _written_records(
    responses: dict[str, dict[str, Any]], events: list[Event], recipes: dict[str, dict[str, Any]]
) -> list[str]:
    """Known replies, events and recipes (e.g. from a WhatDoTheyKnow export) as TOML."""
    out: list[str] = []
    for force, info in responses.items():
        out.append(f"[responses.{_q(force)}]")
        out += [f"{key} = {_toml_value(value)}" for key, value in info.items() if value is not None]
        out.append("")
    for ev in sorted(events, key=lambda e: (e.force, e.on)):
        out += ["[[events]]", f"force = {_q(ev.force)}", f"date = {ev.on.isoformat()}", f"event = {_q(ev.kind)}"]
        if ev.until is not None:
            out.append(f"until = {ev.until.isoformat()}")
        if ev.note:
            out.append(f"note = {_q(ev.note)}")
        out.append("")
    for name, recipe in recipes.items():
        out.append(f"[recipes.{_q(name)}]")
        out += [f"{key} = {_toml_value(value)}" for key, value in recipe.items()]
        out.append("")
    return out


def load_recipe(path: Path) -> dict[str, Any]:
    """A stand-alone recipe (`foistats import FILE --recipe fix.toml`): the keys of one
    `[recipes."file"]` table, at the top level of its own small TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"recipe file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - _RECIPE_KEYS
    if unknown:
        raise UsageError(
            f"{path}: unknown recipe key(s) {', '.join(sorted(unknown))}",
            hint="use " + ", ".join(sorted(_RECIPE_KEYS)),
        )
    return data
