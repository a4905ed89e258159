"""The force registry: every body an FOI request goes to, and the names forces are really called.

Matching is deliberately conservative. A whole cell is matched against known aliases
after light normalisation (case, "&", punctuation, footnote markers, a trailing
"Police"/"Constabulary"); only then is a fuzzy match tried, and a fuzzy match is
always reported as a guess. A wrong silent match would put one force's numbers under
another's name, which is the worst thing this tool could do.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from foistats.model.schema import FORCE

# Possessive (*+, ++): no nested backtracking, and only run on the short tail of footnote
# characters (see strip_footnotes): a cell of 26 digits once took minutes here.
_FOOTNOTE_TAIL = re.compile(r"(?:\s*\d+(?:\s*,\s*\d+)*+|[*^~†‡\"'#]+)++\s*$")
_FOOTNOTE_CHARS = "0123456789,*^~†‡\"'# \t\r\n\u00a0"
_FOOTNOTE_MAX = 24  # "8,9", "12, 14", "*^": a footnote marker is short; a long run of digits is not one
_BRACKET_NOTE = re.compile(r"(?:\s*\[(?:note\s*\d{1,3}|[a-z]{1,3}|\d{1,3})\])++\s*$", re.I)  # possessive
_TOTAL_PREFIX = re.compile(r"^\s*(?:total|all)\s+(?=\S)", re.I)
_GENERIC_TAIL = re.compile(r"\s+(?:police(?:\s+(?:service|force))?|constabulary|police\s+area)$")
_GSS = re.compile(r"^[EWSNK]\d{8}$")


@dataclass(frozen=True, slots=True)
class Area:
    """One entry of the registry."""

    name: str
    code: str | None
    kind: str  # schema.AREA_KINDS
    territorial: bool
    country: str
    aliases: tuple[str, ...]
    # The body's name in WhatDoTheyKnow's URLs (/body/<slug>). It outlives a rename:
    # Hampshire and Isle of Wight Constabulary is still `hampshire_police`.
    wdtk_slug: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A resolved name, and how sure we are: 'exact' and 'code' are certain, 'fuzzy' is a guess."""

    area: Area
    method: str
    text: str
    note: str | None = None  # footnote markers stripped from the text, kept for the report

    @property
    def is_guess(self) -> bool:
        """Fuzzy spelling, a county read as its force, or an abbreviation: all reported guesses."""
        return self.method in ("fuzzy", "county", "abbreviation")


def strip_footnotes(text: str) -> tuple[str, str | None]:
    """Split "Greater Manchester8,9" into ("Greater Manchester", "8,9").

    Names of areas never end in digits or symbols, so anything trailing is a footnote.
    """
    cleaned = text.strip()
    bracket = _BRACKET_NOTE.search(cleaned, max(0, len(cleaned) - 40)) if cleaned.endswith("]") else None
    if bracket and bracket.start() > 0:
        inner, more = strip_footnotes(cleaned[: bracket.start()])
        note = bracket.group(0).strip()
        return inner, f"{more} {note}" if more else note
    tail = len(cleaned) - len(cleaned.rstrip(_FOOTNOTE_CHARS))
    if tail == 0 or tail > _FOOTNOTE_MAX:
        return cleaned, None
    offset = len(cleaned) - tail
    m = _FOOTNOTE_TAIL.search(cleaned, offset)
    if m and m.start() > 0:
        marker = m.group(0).strip()
        return cleaned[: m.start()].rstrip(), marker or None
    return cleaned, None


def normalise(text: str) -> str:
    """The matching key of a name: lower case, "&" as "and", no punctuation or footnotes."""
    base, _ = strip_footnotes(text)
    s = base.lower().replace("&", " and ").replace("–", "-").replace("—", "-")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def _core(key: str) -> str:
    """Drop a trailing "police"/"constabulary" so "Kent Constabulary" meets "Kent Police"."""
    core = _GENERIC_TAIL.sub("", key)
    return core or key


_MISSING = object()
_ABBREV_TAIL = re.compile(r"\s+(?:pol|police|constab|constabulary|cons|svc|service)$")

# Counties and unitary areas that lie wholly inside one force area and are not its name:
# read as that force only as a reported guess (a county is not a force).
_COUNTIES = {
    "northumberland": "Northumbria Police", "tyne and wear": "Northumbria Police",
    "county durham": "Durham Constabulary", "darlington": "Durham Constabulary",
    "somerset": "Avon and Somerset Constabulary", "bristol": "Avon and Somerset Constabulary",
    "devon": "Devon and Cornwall Police", "cornwall": "Devon and Cornwall Police",
    "isles of scilly": "Devon and Cornwall Police",
    "herefordshire": "West Mercia Police", "worcestershire": "West Mercia Police", "shropshire": "West Mercia Police",
    "east sussex": "Sussex Police", "west sussex": "Sussex Police", "brighton and hove": "Sussex Police",
    "isle of wight": "Hampshire and Isle of Wight Constabulary",
    "berkshire": "Thames Valley Police", "buckinghamshire": "Thames Valley Police", "oxfordshire": "Thames Valley Police",
    "east riding of yorkshire": "Humberside Police", "north lincolnshire": "Humberside Police",
    "north east lincolnshire": "Humberside Police",
    "powys": "Dyfed-Powys Police", "ceredigion": "Dyfed-Powys Police", "carmarthenshire": "Dyfed-Powys Police",
    "pembrokeshire": "Dyfed-Powys Police", "dyfed": "Dyfed-Powys Police",
    "gwynedd": "North Wales Police", "conwy": "North Wales Police", "anglesey": "North Wales Police",
    "isle of anglesey": "North Wales Police", "denbighshire": "North Wales Police", "flintshire": "North Wales Police",
    "wrexham": "North Wales Police",
    "rutland": "Leicestershire Police",
}


def _in_order(short: str, full: str) -> bool:
    """Every letter of `short` appears in `full`, in order (an abbreviation of it)."""
    it = iter(full)
    return all(ch in it for ch in short)


class Registry:
    """Lookup tables built once from the packaged areas.csv."""

    def __init__(self, areas: list[Area]) -> None:
        self.areas = areas
        self._by_key: dict[str, Area] = {}
        self._by_code: dict[str, Area] = {}
        self._ambiguous: set[str] = set()
        self._resolved: dict[tuple[str, str | None, bool], Match | None] = {}
        # Names a force shares with a region or country ("West Midlands"): the other area.
        self._twins: dict[str, Area] = {}
        # Keys for searching inside longer text (titles, file names), normalised once.
        self._force_keys = [
            (key, area)
            for area in areas
            if area.kind == FORCE
            for key in dict.fromkeys(normalise(a) for a in (area.name, *area.aliases))
            if len(key) >= 3
        ]
        self._country_keys = sorted(
            (
                (key, area)
                for area in areas
                if area.kind in ("national", "country") and area.name != "Total"
                for key in dict.fromkeys(normalise(a) for a in (area.name, *area.aliases))
                if len(key) >= 5
            ),
            key=lambda ka: -len(ka[1].name),
        )
        for area in areas:
            if area.code:
                self._by_code[area.code.upper()] = area
            for name in (area.name, *area.aliases):
                for key in {normalise(name), _core(normalise(name))}:
                    if not key:
                        continue
                    seen = self._by_key.get(key)
                    if seen is not None and seen is not area:
                        # e.g. "West Midlands": the force and the region. Forces win on
                        # name alone; a GSS code in the row settles it (see resolve()).
                        if seen.kind == FORCE and area.kind != FORCE:
                            self._twins[key] = area
                            continue
                        if area.kind == FORCE and seen.kind != FORCE:
                            self._twins[key] = seen
                            self._by_key[key] = area
                            continue
                        self._ambiguous.add(key)
                    self._by_key[key] = area
        self._find_twins()

    def _find_twins(self) -> None:
        """A region named "West Midlands (region)" shares "West Midlands" with the force."""
        for area in self.areas:
            if area.kind == FORCE:
                continue
            for name in (area.name, *area.aliases):
                key = re.sub(r"\s+region$", "", normalise(name))
                seen = self._by_key.get(key)
                if seen is not None and seen.kind == FORCE and key not in self._twins:
                    self._twins[key] = area

    def twin(self, text: str) -> Area | None:
        """The region (or country) that shares this force name, if any: "West Midlands" -> the region."""
        key = normalise(str(text))
        return self._twins.get(key) or self._twins.get(_core(key))

    def by_name(self, name: str) -> Area | None:  # noqa: D102
        for area in self.areas:
            if area.name == name:
                return area
        return None

    def by_wdtk_slug(self, slug: str) -> Area | None:
        """The force WhatDoTheyKnow files under `slug` (from a /body/<slug> URL), or None."""
        key = slug.strip().strip("/").rsplit("/", 1)[-1].lower()
        for area in self.areas:
            if area.wdtk_slug and area.wdtk_slug == key:
                return area
        return None

    def forces(self, territorial_only: bool = False) -> list[Area]:
        return [a for a in self.areas if a.kind == FORCE and (a.territorial or not territorial_only)]

    def resolve(self, text: str, code: str | None = None, *, fuzzy: bool = True) -> Match | None:
        """Resolve a cell to an area, or None when nothing safe matches.

        A GSS code in the same row beats the name (ONS tables name the West Midlands
        region and force identically). "Total North East" is the region "North East".
        Answers are memoised: a long table names the same few dozen areas again and again.
        """
        key = (text, code, fuzzy)
        found = self._resolved.get(key, _MISSING)
        if found is _MISSING:
            if len(self._resolved) > 100_000:
                self._resolved.clear()
            found = self._resolved[key] = self._resolve(text, code, fuzzy=fuzzy)
        return found  # type: ignore[return-value]

    def _resolve(self, text: str, code: str | None = None, *, fuzzy: bool = True) -> Match | None:
        if text is None:
            return None
        raw = str(text).strip()
        if not raw:
            return None
        _, marker = strip_footnotes(raw)
        if code:
            area = self._by_code.get(str(code).strip().upper())
            if area is not None:
                return Match(area, "code", raw, marker)
        if _GSS.match(raw.upper()):
            area = self._by_code.get(raw.upper())
            return Match(area, "code", raw, None) if area else None
        key = normalise(raw)
        if not key:
            return None
        for candidate in (key, _core(key)):
            area = self._by_key.get(candidate)
            if area is not None and candidate not in self._ambiguous:
                return Match(area, "exact", raw, marker)
        stripped = _TOTAL_PREFIX.sub("", raw)
        if stripped != raw:
            inner = self.resolve(stripped, fuzzy=False)
            if inner is not None and inner.area.kind != FORCE:
                return Match(inner.area, "exact", raw, marker)
        if not fuzzy:
            return None
        county = _COUNTIES.get(key) or _COUNTIES.get(_core(key))
        if county is not None:
            area = self.by_name(county)
            if area is not None:
                return Match(area, "county", raw, marker)
        abbreviated = self._abbreviation(raw, key)
        if abbreviated is not None:
            return Match(abbreviated, "abbreviation", raw, marker)
        if len(key) < 5:
            return None
        keys = list(self._by_key)
        close = difflib.get_close_matches(_core(key), keys, n=2, cutoff=0.88)
        if close:
            best = self._by_key[close[0]]
            if len(close) > 1 and self._by_key[close[1]] is not best:
                ratio0 = difflib.SequenceMatcher(None, _core(key), close[0]).ratio()
                ratio1 = difflib.SequenceMatcher(None, _core(key), close[1]).ratio()
                if ratio0 - ratio1 < 0.03:
                    return None
            return Match(best, "fuzzy", raw, marker)
        return None

    def _abbreviation(self, raw: str, key: str) -> Area | None:
        """"Beds Pol.", "Leics Constab": an abbreviated force name. Only text that shows it is
        abbreviated (a full stop, or a police word after the short name) is tried, and only one
        force may fit (same first three letters, the letters in order)."""
        if not ("." in raw or _ABBREV_TAIL.search(key)):
            return None
        short = _ABBREV_TAIL.sub("", key).replace(" ", "")
        if len(short) < 3 or len(short) > 12:
            return None
        fits = set()
        for area in self.forces():
            for name in (area.name, *area.aliases):
                core = _core(normalise(name)).replace(" ", "")
                if core[:3] == short[:3] and _in_order(short, core):
                    fits.add(area.name)
        if len(fits) == 1:
            return self.by_name(fits.pop())
        return None

    def resolve_special(self, text: str) -> Match | None:
        """Area-column labels that are not in the registry but are plainly not a force.

        "Total 43 forces" / "Total INCIDENTS" are totals; "Cleveland & Cheshire" (an
        incident involving two forces) is a combined row. Both are kept, classified, and
        never ranked.
        """
        raw = str(text).strip()
        base, marker = strip_footnotes(raw)
        if re.match(r"(?i)^\s*(?:grand\s+)?total\b|^\s*all\s+(?:forces|areas|police)", base):
            total = self.by_name("Total")
            if total is not None:
                if re.fullmatch(r"(?i)\s*(?:grand\s+)?totals?\s*", base):
                    return Match(total, "exact", raw, marker)
                # "Total 43 forces" beside "Total" (with BTP): two different totals, each its own name.
                named = Area(name=base, code=None, kind=total.kind, territorial=False, country="", aliases=())
                return Match(named, "exact", raw, marker)
        parts = [p.strip() for p in re.split(r"\s*(?:&|\band\b|/|\+)\s*", base) if p.strip()]
        if len(parts) >= 2:
            found = [self.resolve(p, fuzzy=False) for p in parts]
            if all(m is not None and m.area.kind == FORCE for m in found):
                names = [m.area.name for m in found if m is not None]
                area = Area(name=" & ".join(names), code=None, kind="combined", territorial=False, country="", aliases=())
                return Match(area, "exact", raw, marker)
        return None

    def find_area_in_text(self, text: str) -> Match | None:
        """A country or national total named in a title ("... England and Wales, 2006-2015")."""
        words = " " + re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")) + " "
        for key, area in self._country_keys:
            if f" {key} " in words:
                return Match(area, "exact", text)
        return None

    def suggest(self, text: str, n: int = 1) -> list[str]:
        """Canonical force names closest to a misspelling, for "did you mean ...?" hints."""
        key = _core(normalise(text))
        names = {}
        for area in self.forces():
            for alias in (area.name, *area.aliases):
                names[_core(normalise(alias))] = area.name
        found = difflib.get_close_matches(key, list(names), n=n * 3, cutoff=0.6)
        out: list[str] = []
        for k in found:
            if names[k] not in out:
                out.append(names[k])
        return out[:n]

    def find_in_text(self, text: str) -> Match | None:
        """Find the one force named inside longer text: a title cell or a file name.

        Longest alias wins ("North Wales" over "Wales"); two different forces named
        means we cannot tell, and None is returned rather than a guess.
        """
        words = " " + re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")) + " "
        hits: list[tuple[int, Area, str]] = []
        for key, area in self._force_keys:
            if f" {key} " in words:
                hits.append((len(key), area, key))
        if not hits:
            return None
        hits.sort(key=lambda h: -h[0])
        best_len, best, best_key = hits[0]
        # Drop hits that are contained in the best one ("wales" inside "north wales").
        others = {a.name for n, a, k in hits if a is not best and k not in best_key}
        if others:
            return None
        return Match(best, "exact", text)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The packaged registry (foistats/model/data/areas.csv), loaded once per process."""
    areas: list[Area] = []
    with resources.files("foistats").joinpath("model/data/areas.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            areas.append(
                Area(
                    name=row["name"],
                    code=row["code"] or None,
                    kind=row["kind"],
                    territorial=row["territorial"] == "yes",
                    country=row["country"],
                    aliases=tuple(a for a in row["aliases"].split(";") if a),
                    wdtk_slug=row.get("wdtk_slug") or None,
                )
            )
    return Registry(areas)


def resolve_force_option(text: str) -> Area:
    """Resolve a --force option, or fail with a 'did you mean' hint (usage error, exit 2)."""
    from foistats.model.errors import UsageError

    match = registry().resolve(text)
    if match is not None and not match.is_guess:
        return match.area
    hint = registry().suggest(text)
    if match is not None:
        raise UsageError(f"unknown force {text!r}", hint=f"did you mean {match.area.name}?")
    raise UsageError(
        f"unknown force {text!r}", hint=f"did you mean {hint[0]}?" if hint else "see the README's force list"
    )
