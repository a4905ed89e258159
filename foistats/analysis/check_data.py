"""Check a sentence about one force against the data: `foistats check --data`.

"Leicestershire rose 443% between 2021 and 2023, ninth highest" makes four claims at
once: two values (when quoted), a percentage (or multiple) and a rank. Each is checked
against the same comparison `rank` would print, and each verdict carries the cells
the numbers came from, so a sub-editor can see why.

Years in copy are ambiguous for non-calendar windows: "2021" may mean the year
*ending* in 2021 (Jun 2020–May 2021, as the Leicestershire story meant) or the one
starting in it. Both readings are tried, end-year first, and the one used is stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foistats.model.errors import UsageError

_YEAR_LABEL = re.compile(r"\b((?:19|20)\d\d)\s*(?:/|-|–)\s*(\d{2}(?:\d{2})?)\b|\b((?:19|20)\d\d)\b")
_BETWEEN = re.compile(
    r"\b(?:between|from)\s+(?:the\s+)?(?:year\s+(?:to|ending)\s+\w+\s+)?(\S+)\s+(?:and|to)\s+(?:the\s+)?(?:year\s+(?:to|ending)\s+\w+\s+)?(\S+)",
    re.I,
)
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}
_RANK = re.compile(
    r"\b(?:(joint)[\s-]+)?(?:(\d{1,3})(?:st|nd|rd|th)|(" + "|".join(_ORDINAL_WORDS) + r"))\b"
    r"(?:[\s-]+(highest|largest|biggest|greatest|fastest|lowest|smallest))?",
    re.I,
)

# "the highest rise", "the biggest increase", "the largest fall": rank 1, from the top or the bottom.
_SUPERLATIVE = re.compile(
    r"\b(?:the\s+)?(?P<sup>highest|largest|biggest|greatest|fastest|steepest|sharpest|sharpest|lowest|smallest)"
    r"(?:\s+(?:annual\s+|percentage\s+|proportional\s+|year-on-year\s+)?(?P<what>rises?|increases?|jumps?|growth|"
    r"falls?|drops?|decreases?|declines?|reductions?|change))?\b",
    re.I,
)
_FALL_WORDS = ("fall", "falls", "drop", "drops", "decrease", "decreases", "decline", "declines", "reduction", "reductions")


@dataclass
class DataClaim:
    """What the sentence says, separated into the parts the data can check."""

    text: str
    force: Any  # forces.Area
    years: list[str] = field(default_factory=list)  # as written: "2021", "2020/21"
    rank: int | None = None
    rank_joint: bool = False
    rank_low: bool = False  # "lowest", "smallest": counted from the bottom
    rest: str = ""  # the sentence with force, years and rank taken out, for the claim parser


def parse_data_claim(text: str) -> DataClaim:
    from foistats.model.forces import registry

    match = registry().find_in_text(text)
    if match is None:
        raise UsageError(f"no force named in {text!r}", hint="name one force, e.g. 'Leicestershire rose 443% …'")
    claim = DataClaim(text=text, force=match.area)
    rest = text
    for alias in sorted((match.area.name, *match.area.aliases), key=len, reverse=True):
        rest = re.sub(re.escape(alias), " ", rest, flags=re.I)
    between = _BETWEEN.search(rest)
    spans: list[tuple[int, int]] = []
    for m in _YEAR_LABEL.finditer(rest):
        claim.years.append(m.group(0))
        spans.append(m.span())
    if between and len(claim.years) >= 2:
        spans.append(between.span())
    m = _RANK.search(rest)
    if m:
        claim.rank = int(m.group(2)) if m.group(2) else _ORDINAL_WORDS[m.group(3).lower()]
        claim.rank_joint = bool(m.group(1))
        claim.rank_low = (m.group(4) or "").lower() in ("lowest", "smallest")
        spans.append(m.span())
    else:
        sup = _SUPERLATIVE.search(rest)
        if sup:
            low_word = sup.group("sup").lower() in ("lowest", "smallest")
            fall = (sup.group("what") or "").lower() in _FALL_WORDS
            claim.rank = 1
            # The lowest rise and the biggest fall are both counted from the bottom of the ranking.
            claim.rank_low = low_word or fall
            spans.append(sup.span())
    keep = []
    last = 0
    for a, b in sorted(spans):
        if a >= last:
            keep.append(rest[last:a])
            last = b
    keep.append(rest[last:])
    claim.rest = re.sub(r"\s+", " ", " ".join(keep)).strip(" ,.;")
    return claim


def _year_readings(labels: list[str], year_start: int) -> list[tuple[str, str, str]]:
    """(from label, to label, how read) for the first and last year named, end-year reading first."""
    from foistats.model.periods import PeriodError, aligned_label, parse_aligned

    if len(labels) < 2:
        return []
    first, last = labels[0], labels[-1]
    readings: list[tuple[str, str, str]] = []
    bare = re.fullmatch(r"(19|20)\d\d", first.strip()) and re.fullmatch(r"(19|20)\d\d", last.strip())
    if bare and year_start != 1:
        a, b = int(first), int(last)
        readings.append((aligned_label(a - 1, year_start), aligned_label(b - 1, year_start), "years named by the year they end in"))
        readings.append((aligned_label(a, year_start), aligned_label(b, year_start), "years named by the year they start in"))
    else:
        try:
            a, b = parse_aligned(first, year_start), parse_aligned(last, year_start)
        except (PeriodError, ValueError):
            return []
        readings.append((aligned_label(a, year_start), aligned_label(b, year_start), "years as labelled"))
    return readings


def check_with_data(
    text: str,
    paths: list[Path],
    *,
    measure: str | None = None,
    year_start: str | None = None,
    min_base: int = 10,
    campaign_path: Path | None = None,
) -> tuple[list[dict[str, Any]], Any, str]:
    """Verdict rows (one per figure in the sentence), the comparison used, and how years were read."""
    from foistats.analysis import claims as claims_lib
    from foistats.analysis.align import choose_year_start
    from foistats.analysis.comparison import compare, find_force
    from foistats.campaign.inputs import load_with_campaign
    from foistats.intake.dataset import select_measure
    from foistats.analysis.rank import rank_rises

    parsed = parse_data_claim(text)
    # The year start decides how "2021" reads, so settle it before choosing a reading.
    loaded, campaign = load_with_campaign(list(paths), campaign_file=campaign_path, keep_measure=measure)
    frame, _ = select_measure(loaded.frame, measure or (campaign.measure if campaign else None))
    start, _ = choose_year_start(year_start, campaign, frame)
    readings = _year_readings(parsed.years, start) or [(None, None, "the earliest and latest complete years")]
    comparison = None
    how = ""
    last_error: UsageError | None = None
    for from_label, to_label, how in readings:
        try:
            comparison = compare(
                list(paths), measure=measure, year_start=year_start, from_=from_label, to=to_label,
                min_base=min_base, allow_partial=False, include_misaligned=False, campaign_path=campaign_path,
            )
            break
        except UsageError as exc:
            last_error = exc
    if comparison is None:
        assert last_error is not None
        raise last_error
    rise = find_force(comparison, parsed.force.name)
    ranking = rank_rises(comparison.rises, min_base=min_base, descending=not parsed.rank_low)
    sources = _sources(rise)
    rows: list[dict[str, Any]] = []
    claims = []
    if parsed.rest and re.search(r"\d|double|treble|triple|quadruple|fold|half|quarter|third", parsed.rest, re.I):
        try:
            claims = claims_lib.parse_claims(parsed.rest)
        except UsageError:
            claims = []
    seen: set[tuple[str, str]] = set()
    for claim in claims:
        # Copy often quotes two figures for one change ("+443%, 5.4 times as many"):
        # the values behind them are checked once.
        for item, text_, claimed, actual, period, source in (
            ("from value", claim.before_text, claim.before, rise.from_value, comparison.from_long, sources[0]),
            ("to value", claim.after_text, claim.after, rise.to_value, comparison.to_long, sources[1]),
        ):
            if claimed is not None and (item, str(claimed)) not in seen:
                seen.add((item, str(claimed)))
                rows.append(_value_row(item, text_, claimed, actual, period, source))
        if claim.kind in ("pct", "ratio", "pp"):
            if rise.from_value is None or rise.to_value is None:
                rows.append(_cannot(claim.claimed, "change", rise.reason or "the data has no figure for one of the years"))
            else:
                verdict = claims_lib.check_against(claim, rise.from_exact or rise.from_value, rise.to_exact or rise.to_value)
                row = verdict.row()
                rows.append(
                    {
                        "item": "change",
                        "claimed": row.get("claimed"),
                        "actual": row.get("exact"),
                        "verdict": row.get("verdict"),
                        "reason": row.get("reason"),
                        "source": f"{sources[0]} → {sources[1]}",
                    }
                )
    if parsed.rank is not None:
        rows.append(_rank_row(parsed, ranking, rise))
    if not rows:
        raise UsageError(
            f"nothing to check in {text!r}", hint="quote a figure, e.g. 'rose 443%', 'from 28 to 152' or 'ninth highest'"
        )
    return rows, comparison, how


def _sources(rise: Any) -> tuple[str, str]:
    out = []
    for year in (rise.from_year, rise.to_year):
        cells = list(getattr(year, "source_cells", []) or []) if year is not None else []
        out.append("; ".join(cells[:3]) + (f" (+{len(cells) - 3} more)" if len(cells) > 3 else "") if cells else "–")
    return out[0], out[1]


def _value_row(item: str, text: str | None, claimed: Any, actual: Any, period: str, source: str) -> dict[str, Any]:
    if actual is None:
        return _cannot(text, item, f"the data has no figure for {period}")
    ok = float(claimed) == float(actual)
    return {
        "item": item,
        "claimed": text,
        "actual": actual,
        "verdict": "consistent" if ok else "inconsistent",
        "reason": f"{period}: the data says {_num(actual)}" + ("" if ok else f", not {text}"),
        "source": source,
    }


def _rank_row(parsed: DataClaim, ranking: Any, rise: Any) -> dict[str, Any]:
    from foistats.analysis.rank import ordinal

    claimed = ("joint " if parsed.rank_joint else "") + ordinal(parsed.rank or 0)
    entry = ranking.rank_of(rise.force)
    if entry is None or entry.rank is None:
        why = (getattr(entry, "reason", None) if entry is not None else None) or rise.reason or "not ranked"
        return _cannot(claimed, "rank", f"{rise.force} is not ranked: {why}")
    ok = entry.rank == parsed.rank and (entry.joint or not parsed.rank_joint)
    side = "from the bottom" if parsed.rank_low else "by percentage rise"
    return {
        "item": "rank",
        "claimed": claimed,
        "actual": entry.place,
        "verdict": "consistent" if ok else "inconsistent",
        "reason": f"{entry.place} of {ranking.count} forces ranked {side}" + ("" if ok else f", not {claimed}"),
        "source": "foistats rank",
    }


def _cannot(claimed: Any, item: str, why: str) -> dict[str, Any]:
    return {"item": item, "claimed": claimed, "actual": None, "verdict": "cannot check", "reason": why, "source": "–"}


def _num(x: Any) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
