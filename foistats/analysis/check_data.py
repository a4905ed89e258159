"""Check a sentence about one force against the data: `foistats check --data`.

"Leicestershire rose 443% between 2021 and 2023, ninth highest" makes four claims at
once: two values (when quoted), a percentage (or multiple) and a rank. Each is checked
against the same comparison `rank` would print, and each verdict carries the cells
the numbers came from, so a sub-editor can see why.

Years in copy are ambiguous for non-calendar windows: "2021" may mean the year
*ending* in 2021 (Jun 2020–May 2021, as the Leicestershire story meant) or the one
starting in it. Both readings are checked; the one under which every figure fits is used
(end-year first), and the one used, with what the other gives, is stated.

A figure the data has but not for the period compared (a partial year, another force's
April–March year) is "cannot check", never a match; so is a figure no claim was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foistats.model.errors import UsageError

_YEAR_LABEL = re.compile(r"\b((?:19|20)\d\d)\s*(?:/|-|–)\s*(\d{2}(?:\d{2})?)\b|\b((?:19|20)\d\d)\b")
# "between 2021 and 2023", "from 2020/21 to 2022/23": both ends must be years, or "rose from
# 28 to 200 between 2021 and 2023" would lose its figures to the period and go unchecked.
_YEAR_TOKEN = r"((?:19|20)\d\d(?:\s*(?:/|-|–)\s*\d{2}(?:\d{2})?)?)\b"
_BETWEEN = re.compile(
    r"\b(?:between|from)\s+(?:the\s+)?(?:year\s+(?:to|ending)\s+\w+\s+)?" + _YEAR_TOKEN
    + r"\s+(?:and|to)\s+(?:the\s+)?(?:year\s+(?:to|ending)\s+\w+\s+)?" + _YEAR_TOKEN,
    re.I,
)
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}
# The noun after a superlative says which forces are ranked: "the second biggest fall" is a
# place among the forces whose figure fell, not among all forces counted from the bottom.
_WHAT = (
    r"(?:\s+(?:annual\s+|percentage\s+|proportional\s+|year-on-year\s+)?(?P<what>rises?|increases?|jumps?|growth|"
    r"falls?|drops?|decreases?|declines?|reductions?|change))?"
)
_SUPERLATIVES = r"highest|largest|biggest|greatest|fastest|steepest|sharpest|lowest|smallest"
_RANK = re.compile(
    r"\b(?:(joint)[\s-]+)?(?:(\d{1,3})(?:st|nd|rd|th)|(" + "|".join(_ORDINAL_WORDS) + r"))\b"
    r"(?:[\s-]+(" + _SUPERLATIVES + r")" + _WHAT + r")?\b",
    re.I,
)

# "the highest rise", "the biggest increase", "the largest fall": rank 1.
_SUPERLATIVE = re.compile(r"\b(?:the\s+)?(?P<sup>" + _SUPERLATIVES + r")" + _WHAT + r"\b", re.I)
_FALL_WORDS = ("fall", "falls", "drop", "drops", "decrease", "decreases", "decline", "declines", "reduction", "reductions")
_RISE_WORDS = ("rise", "rises", "increase", "increases", "jump", "jumps", "growth")
_LOW_WORDS = ("lowest", "smallest")
# Words of size, not of position: with no noun after them ("fell 20%, the second biggest")
# the sentence's own verb says whether the place is among falls or rises.
_SIZE_WORDS = ("largest", "biggest", "greatest", "fastest", "steepest", "sharpest", "smallest")
_FELL = re.compile(r"\b(?:fell|fallen|falling|falls?|dropped|drops?|decreased?|declined?|reduced|reductions?|down)\b", re.I)
_ROSE = re.compile(
    r"\b(?:rose|risen|rising|rises?|increased?|increases|jumped|jumps?|grew|grown|growth|up|doubled|tripled|trebled|"
    r"soared|climbed|surged)\b",
    re.I,
)


@dataclass
class DataClaim:
    """What the sentence says, separated into the parts the data can check."""

    text: str
    force: Any  # forces.Area
    years: list[str] = field(default_factory=list)  # as written: "2021", "2020/21"
    rank: int | None = None
    rank_joint: bool = False
    rank_low: bool = False  # "lowest", "smallest": counted from the bottom (of the falls, for "smallest fall")
    rank_among: str | None = None  # "rises" or "falls" when the copy says "biggest fall"; None: every force ranked
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
    sup = None if m else _SUPERLATIVE.search(rest)
    if m:
        claim.rank = int(m.group(2)) if m.group(2) else _ORDINAL_WORDS[m.group(3).lower()]
        claim.rank_joint = bool(m.group(1))
        word, what = (m.group(4) or "").lower(), (m.group("what") or "").lower()
        spans.append(m.span())
    elif sup:
        claim.rank = 1
        word, what = sup.group("sup").lower(), (sup.group("what") or "").lower()
        spans.append(sup.span())
    if m or sup:
        claim.rank_low = word in _LOW_WORDS
        if what in _FALL_WORDS:
            claim.rank_among = "falls"
        elif what in _RISE_WORDS:
            claim.rank_among = "rises"
        elif word in _SIZE_WORDS and not what:
            # "fell 20%, the second biggest": a size among falls. A sentence with both verbs,
            # or neither, keeps the plain ranking by percentage change.
            fell, rose = bool(_FELL.search(rest)), bool(_ROSE.search(rest))
            if fell != rose:
                claim.rank_among = "falls" if fell else "rises"
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
    """Verdict rows (one per figure in the sentence), the comparison used, and how years were read.

    Every reading of the years the copy allows is checked, not just the first that loads:
    "217% between 2021 and 2022" is wrong if the years end in 2021 and 2022 and right if
    they start in them, and a right claim must not be printed as inconsistent. The reading
    under which every figure is consistent is used; failing that, the first (end-year)
    reading, as before. `how` names the reading used and says what the others give.
    """
    from foistats.analysis import claims as claims_lib
    from foistats.analysis.align import choose_year_start
    from foistats.analysis.comparison import compare
    from foistats.campaign.inputs import load_with_campaign
    from foistats.intake.dataset import select_measure

    parsed = parse_data_claim(text)
    # The year start decides how "2021" reads, so settle it before choosing a reading.
    loaded, campaign = load_with_campaign(list(paths), campaign_file=campaign_path, keep_measure=measure)
    frame, _ = select_measure(loaded.frame, measure or (campaign.measure if campaign else None))
    start, _ = choose_year_start(year_start, campaign, frame)
    readings = _year_readings(parsed.years, start) or [(None, None, "the earliest and latest complete years")]
    claims = []
    if parsed.rest and re.search(r"\d|double|treble|triple|quadruple|fold|half|quarter|third", parsed.rest, re.I):
        try:
            claims = claims_lib.parse_claims(parsed.rest)
        except UsageError:
            claims = []
    checked: list[tuple[list[dict[str, Any]], Any, str]] = []
    last_error: UsageError | None = None
    for from_label, to_label, how in readings:
        try:
            comparison = compare(
                list(paths), measure=measure, year_start=year_start, from_=from_label, to=to_label,
                min_base=min_base, allow_partial=False, include_misaligned=False, campaign_path=campaign_path,
                loaded=(loaded, campaign),
            )
        except UsageError as exc:
            last_error = exc
            continue
        checked.append((_rows_for(parsed, claims, comparison, min_base), comparison, how))
    if not checked:
        assert last_error is not None
        raise last_error
    rows, comparison, how = _choose_reading(checked)
    if not rows:
        raise UsageError(
            f"nothing to check in {text!r}", hint="quote a figure, e.g. 'rose 443%', 'from 28 to 152' or 'ninth highest'"
        )
    return rows, comparison, how


def _rows_for(parsed: DataClaim, claims: list[Any], comparison: Any, min_base: int) -> list[dict[str, Any]]:
    """The verdict rows for one reading of the years."""
    from foistats.analysis import claims as claims_lib
    from foistats.analysis.comparison import find_force

    rise = find_force(comparison, parsed.force.name)
    sources = _sources(rise)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for claim in claims:
        # Copy often quotes two figures for one change ("+443%, 5.4 times as many"):
        # the values behind them are checked once.
        for item, text_, claimed, actual, problem, period, source in (
            ("from value", claim.before_text, claim.before, rise.from_value, rise.from_problem, comparison.from_long, sources[0]),
            ("to value", claim.after_text, claim.after, rise.to_value, rise.to_problem, comparison.to_long, sources[1]),
        ):
            if claimed is not None and (item, str(claimed)) not in seen:
                seen.add((item, str(claimed)))
                rows.append(_value_row(item, text_, claimed, actual, problem, period, source))
        # "fell from 28 to 152" says only which way it went; a percentage beside it says that too.
        direction_only = claim.kind == "direction" and not any(c.kind in ("pct", "ratio", "pp") for c in claims)
        if claim.kind in ("pct", "ratio", "pp") or direction_only:
            if rise.problems:
                # A partial or misaligned year has a number, but not one for the period compared:
                # a change built on it would be checked against the wrong thing.
                rows.append(_cannot(claim.claimed, "change", "; ".join(rise.problems)))
            elif rise.from_value is None or rise.to_value is None:
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
        rows.append(_rank_row(parsed, comparison.rises, rise, min_base))
    for figure in _unused_figures(parsed.rest, claims):
        rows.append(_cannot(figure, "figure", f"not checked: no claim in the sentence says what {figure} is"))
    return rows


_FIGURE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:%|pp|x)?(?![\w.])")


def _unused_figures(rest: str, claims: list[Any]) -> list[str]:
    """Figures in the copy that no claim used ("had 200 reports in 2023, ninth"), as written.

    The claim grammar reads one change; a figure beside it that it did not take would
    otherwise vanish, and the sentence pass with 200 unchecked. Years, dates and ages are
    not figures (the claims' own `prepare` sets them aside).
    """
    from fractions import Fraction

    from foistats.analysis.claims.figures import prepare

    used: set[Fraction] = set()
    for claim in claims:
        for value in (claim.before, claim.after, claim.value):
            if value is not None:
                used.add(Fraction(value))
    out: list[str] = []
    for m in _FIGURE.finditer(prepare(rest).text if rest else ""):
        if Fraction(m.group(1)) not in used and m.group(0) not in out:
            out.append(m.group(0))
    return out


def _choose_reading(checked: list[tuple[list[dict[str, Any]], Any, str]]) -> tuple[list[dict[str, Any]], Any, str]:
    """The reading to print: the first under which every figure is consistent, else the first tried.

    A reading the data cannot check at all ("2021 and 2023" as years starting in them, when
    nobody has 2023/24) must not turn a wrong figure into "cannot check", so it never wins
    over the first reading; it is mentioned only when the printed reading has a wrong figure.
    """

    def counts(rows: list[dict[str, Any]]) -> tuple[int, int]:
        return (
            sum(1 for r in rows if r["verdict"] == "inconsistent"),
            sum(1 for r in rows if r["verdict"] == "cannot check"),
        )

    fits = [i for i, (rows, _, _) in enumerate(checked) if rows and counts(rows) == (0, 0)]
    chosen = fits[0] if fits else 0
    rows, comparison, how = checked[chosen]
    wrong = counts(rows)[0] > 0
    for i, (other_rows, other, other_how) in enumerate(checked):
        if i == chosen:
            continue
        bad, cannot = counts(other_rows)
        if cannot == len(other_rows) and not wrong:
            continue  # nothing checkable under it, and nothing printed as wrong: noise
        if bad == 0 and cannot == 0:
            outcome = "every figure consistent too"
        elif cannot == len(other_rows):
            outcome = "the data cannot check it"
        else:
            parts = [f"{bad} of {len(other_rows)} figures inconsistent"] if bad else []
            parts += [f"{cannot} not checkable"] if cannot else []
            outcome = ", ".join(parts)
        how += f"; read as {other_how} ({other.from_long} → {other.to_long}): {outcome}"
    return rows, comparison, how


def _sources(rise: Any) -> tuple[str, str]:
    out = []
    for year in (rise.from_year, rise.to_year):
        cells = list(getattr(year, "source_cells", []) or []) if year is not None else []
        out.append("; ".join(cells[:3]) + (f" (+{len(cells) - 3} more)" if len(cells) > 3 else "") if cells else "–")
    return out[0], out[1]


def _value_row(
    item: str, text: str | None, claimed: Any, actual: Any, problem: str | None, period: str, source: str
) -> dict[str, Any]:
    if problem is not None:
        # 51 for 8 months, or 47 for Apr–Mar, is a number in the data but not the figure
        # for the period compared: matching it would pass a claim the data cannot back.
        held = f": the data's {_num(actual)} is not a figure for {period}" if actual is not None else f" ({period})"
        return _cannot(text, item, problem + held)
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


def _rank_row(parsed: DataClaim, rises: list[Any], rise: Any, min_base: int) -> dict[str, Any]:
    """The claimed place against `foistats rank`'s, among the forces the copy's noun names.

    "Ninth highest" is a place among every ranked force by percentage change. "The second
    biggest fall" is a place among the ranked forces whose figure fell, biggest fall
    first, and "the smallest fall" the fall closest to zero; rises likewise. Ties keep
    the ranking's joint places.
    """
    from foistats.analysis.rank import ordinal, percent_words, rank_rises

    claimed = ("joint " if parsed.rank_joint else "") + ordinal(parsed.rank or 0)
    full = rank_rises(rises, min_base=min_base, descending=not parsed.rank_low)
    entry = full.rank_of(rise.force)
    if entry is None or entry.rank is None:
        why = (getattr(entry, "reason", None) if entry is not None else None) or rise.reason or "not ranked"
        return _cannot(claimed, "rank", f"{rise.force} is not ranked: {why}")
    ranking = full
    where = f"of {full.count} forces ranked " + ("from the bottom" if parsed.rank_low else "by percentage rise")
    if parsed.rank_among is not None:
        falls = parsed.rank_among == "falls"
        among = [e.rise for e in full.ranked if (e.key < 0 if falls else e.key > 0)]
        # Biggest fall = most negative first; smallest fall = closest to zero first.
        ranking = rank_rises(among, min_base=min_base, descending=(not falls) != parsed.rank_low)
        verb, noun = ("fell", "fall") if falls else ("rose", "rise")
        where = (
            f"of the {ranking.count} ranked forces whose figure {verb}, {'smallest' if parsed.rank_low else 'biggest'} {noun} first"
        )
        entry = ranking.rank_of(rise.force)
        if entry is None:
            moved = "did not change" if rise.pct_exact == 0 else (
                f"{'fell' if rise.pct_exact < 0 else 'rose'} ({percent_words(rise.pct_exact, 1)})"
            )
            return {
                "item": "rank",
                "claimed": claimed,
                "actual": None,
                "verdict": "inconsistent",
                "reason": f"{rise.force} {moved}: it has no place {where.replace('of the', 'among the', 1)}",
                "source": "foistats rank",
            }
    assert entry.rank is not None
    ok = entry.rank == parsed.rank and (entry.joint or not parsed.rank_joint)
    return {
        "item": "rank",
        "claimed": claimed,
        "actual": entry.place,
        "verdict": "consistent" if ok else "inconsistent",
        "reason": f"{entry.place} {where}" + ("" if ok else f", not {claimed}"),
        "source": "foistats rank",
    }


def _cannot(claimed: Any, item: str, why: str) -> dict[str, Any]:
    return {"item": item, "claimed": claimed, "actual": None, "verdict": "cannot check", "reason": why, "source": "–"}


def _num(x: Any) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
