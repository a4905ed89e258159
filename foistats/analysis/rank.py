"""Rank forces the way a newsroom prints it, and say who was left out and why.

Competition ranking (1, 2, 2, 4), decided on exact values so two forces with the
same rise really share a place ("joint 2nd") and float noise never splits them.
Only forces are ranked; regions and other bodies are listed as not ranked. A force
that cannot be compared (refused, no answer, misaligned or partial years, a
suppressed endpoint, a base below --min-base) is never ranked, and the caption counts
them: a ranking must never quietly compare different things.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from foistats.analysis.change import (
    Answer,
    Number,
    Rise,
    exact,
    points_words,
    round_half_up,
)
from foistats.model.errors import InputError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

BY = ("pct", "change", "to", "rate")
# The output column each --by choice ranks on (and draws as a bar).
BY_COLUMN = {"pct": "pct_change", "change": "change", "to": "to_value", "rate": "rate"}
BY_WORDS = {
    "pct": "percentage change",
    "change": "absolute change",
    "to": "final-year figure",
    "rate": "rate per 100,000 people",
}
PER = 100_000


@dataclass
class Ranked:
    """One row of a ranking: a force's rise, its place (or why it has none)."""

    rise: Rise
    rank: int | None = None
    joint: bool = False
    rate: float | None = None
    reason: str | None = None  # why it is not ranked
    key: Fraction | None = field(default=None, repr=False)  # the exact value ranked on

    @property
    def force(self) -> str:
        return self.rise.force

    @property
    def ranked(self) -> bool:
        return self.rank is not None

    @property
    def place(self) -> str | None:
        """ "9th", "joint 3rd"; None when not ranked."""
        if self.rank is None:
            return None
        return ("joint " if self.joint else "") + ordinal(self.rank)


@dataclass
class Ranking:
    """A ranking plus the counts a caption must carry."""

    by: str
    descending: bool
    min_base: float
    entries: list[Ranked]  # ranked (in rank order), then unranked forces, then non-force areas
    answered: int  # forces that answered (refusals excluded)
    refused: int
    not_comparable: int  # answered but not ranked
    not_forces: list[Ranked] = field(default_factory=list)
    no_answer: int = 0  # asked (campaign roster) but no reply in the data

    @property
    def ranked(self) -> list[Ranked]:
        return [e for e in self.entries if e.rank is not None]

    @property
    def unranked(self) -> list[Ranked]:
        return [e for e in self.entries if e.rank is None]

    @property
    def count(self) -> int:
        return len(self.ranked)

    def rank_of(self, force: str) -> Ranked | None:
        """The entry for a force, by canonical name or GSS code (case-insensitive)."""
        wanted = force.strip().lower()
        for e in self.entries:
            if e.rise.force.lower() == wanted or (e.rise.force_code or "").lower() == wanted:
                return e
        return None

    def top(self, n: int) -> list[Ranked]:
        """The first n places, keeping everyone joint at the last place shown."""
        return [e for e in self.ranked if e.rank is not None and e.rank <= n]

    @property
    def summary(self) -> str:
        """ "ranked 9 of 11 forces that answered; 1 refused; 2 not comparable" """
        text = (
            f"ranked {self.count} of {self.answered} forces that answered; "
            f"{self.refused} refused; {self.not_comparable} not comparable"
        )
        if self.no_answer:
            text += f"; {self.no_answer} did not answer"
        if self.not_forces:
            kinds = sorted({e.rise.area_kind for e in self.not_forces})
            n = len(self.not_forces)
            text += f"; {n} non-force {'area' if n == 1 else 'areas'} ({', '.join(kinds)}) not ranked"
        return text


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 101st, 111th."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _unranked_reason(r: Rise, by: str, min_base: Fraction, rate_key: Fraction | None, has_pop: bool) -> str | None:
    """Why this rise cannot take a place in a ranking by `by`; None when it can."""
    if not r.is_force:
        return f"not a force ({r.area_kind.replace('_', ' ')})"
    if by in ("to", "rate"):
        if r.to_problem:
            return r.to_problem
        if by == "rate" and rate_key is None:
            return "no population figure" if not has_pop else "no population figure for this force"
        return None
    if r.problems:
        return "; ".join(r.problems)
    if by == "change":
        return None
    a, b = r.from_exact, r.to_exact
    assert a is not None and b is not None
    if a == 0 and b == 0:
        return "no change: 0 → 0 (no percentage from zero)"
    if a == 0:
        return f"new: 0 → {_count(b)} (no percentage from zero)"
    if a < min_base:
        return f"base below --min-base {_count(min_base)} ({_count(a)} → {_count(b)})"
    return None


def _key(r: Rise, by: str, rate: Fraction | None) -> Fraction | None:
    if by == "pct":
        return r.pct_exact
    if by == "change":
        return r.change_exact
    if by == "to":
        return r.to_exact
    return rate


def rank_rises(
    rises: Iterable[Rise],
    by: str = "pct",
    descending: bool = True,
    min_base: Number = 10,
    populations: Mapping[str, Number] | None = None,
) -> Ranking:
    """Rank forces' rises with competition ranking (1, 2, 2, 4).

    `min_base` only applies to percentage rankings, where a tiny base turns noise into
    a headline; absolute change and final-year figures have no such trap.
    `populations` maps canonical force names to residents, for `by="rate"`.
    """
    if by not in BY:
        raise UsageError(f"unknown --by {by!r}", hint="choose pct, change, to or rate")
    if by == "rate" and not populations:
        raise UsageError("--by rate needs population figures", hint="pass --population FILE (force,population)")
    base = exact(min_base) or Fraction(0)
    pops = {k: exact(v) for k, v in (populations or {}).items()}

    rankable: list[Ranked] = []
    unranked: list[Ranked] = []
    not_forces: list[Ranked] = []
    refused = 0
    answered = 0
    no_answer = 0
    for r in rises:
        rate_key = None
        pop = pops.get(r.force)
        if pop and r.to_exact is not None and not r.to_problem:
            rate_key = r.to_exact / pop * PER
        entry = Ranked(rise=r, rate=None if rate_key is None else float(rate_key))
        reason = _unranked_reason(r, by, base, rate_key, bool(pops))
        if not r.is_force:
            entry.reason = reason
            not_forces.append(entry)
            continue
        if "refused" in r.flags:
            refused += 1
        elif "not_answered" in r.flags:
            no_answer += 1
        else:
            answered += 1
        if reason is None:
            entry.key = _key(r, by, rate_key)
            if entry.key is None:  # pragma: no cover - guarded by _unranked_reason
                entry.reason = "not computable"
                unranked.append(entry)
            else:
                rankable.append(entry)
        else:
            entry.reason = reason
            unranked.append(entry)

    sign = -1 if descending else 1
    rankable.sort(key=lambda e: (sign * e.key, e.rise.force))  # type: ignore[operator]
    counts: dict[Fraction, int] = {}
    for e in rankable:
        counts[e.key] = counts.get(e.key, 0) + 1  # type: ignore[index]
    previous: Fraction | None = None
    rank = 0
    for position, e in enumerate(rankable, start=1):
        if e.key != previous:
            rank = position
            previous = e.key
        e.rank = rank
        e.joint = counts[e.key] > 1  # type: ignore[index]
    unranked.sort(key=lambda e: e.rise.force)
    not_forces.sort(key=lambda e: e.rise.force)
    return Ranking(
        by=by,
        descending=descending,
        min_base=float(base),
        entries=rankable + unranked + not_forces,
        answered=answered,
        refused=refused,
        not_comparable=answered - len(rankable),
        not_forces=not_forces,
        no_answer=no_answer,
    )


# ---------------------------------------------------------------- words


def _count(value: Fraction | Number | None) -> str:
    """A count for prose: 1,234 or 12.5 (never 12.500000001)."""
    f = exact(value)  # type: ignore[arg-type]
    if f is None:
        return "?"
    if f.denominator == 1:
        return f"{f.numerator:,}"
    text = f"{round_half_up(f, 2):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_words(value: Fraction | Number, places: int = 0) -> str:
    """ "+443%", "+2,700%", "-82%": rounded half up, from the exact value."""
    rounded = round_half_up(value, places)
    if rounded == 0:
        return f"{abs(rounded):,}%"
    return f"{rounded:+,}%"


def ratio_words(value: Fraction | Number) -> str:
    """ "5.4 times as many", "28 times as many"."""
    rounded = round_half_up(value, 1)
    text = f"{rounded:,}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text} times as many"


def change_words(r: Rise) -> str:
    """The bracket after "28 → 152": the percentage, and the ratio when it is at least double."""
    a, b = r.from_exact, r.to_exact
    if r.pct_low is not None or r.pct_high is not None:
        low = percent_words(exact(r.pct_low)) if r.pct_low is not None else "?"
        high = percent_words(exact(r.pct_high)) if r.pct_high is not None else "more"
        return f"{low} to {high}"
    if a is None or b is None or r.change is None:
        # Never a figure built on an endpoint that cannot be compared (misaligned, partial…).
        return "not computable"
    if a == 0 and b == 0:
        return "no change"
    if a == 0:
        return "new"
    if a == b:
        return "no change"
    pct = r.pct_exact
    assert pct is not None
    if "percentage_points" in r.flags:
        # 10% → 12% is +2 percentage points; "+20%" alone would read as 10% → 30%.
        return f"{points_words(b - a)}, a relative change of {percent_words(pct)}"
    parts = [percent_words(pct)]
    ratio = r.ratio_exact
    if ratio is not None and ratio >= 2:
        parts.append(ratio_words(ratio))
    return ", ".join(parts)


def _values_words(r: Rise) -> str:
    """ "28 → 152"; a nil return reads "nil" (never a silent 0) and a percentage keeps its %."""
    from foistats.analysis.change import is_percentage

    def one(value: Fraction | None, year: object) -> str:
        if getattr(year, "status", None) == "nil":
            return "nil"
        if value is not None:
            return _count(value) + ("%" if is_percentage(year) else "")  # type: ignore[arg-type]
        low = getattr(year, "low", None)
        high = getattr(year, "high", None)
        if low is not None and high is not None:
            return f"{_count(low)}–{_count(high)}"
        if low is not None:
            return f"at least {_count(low)}"
        if high is not None:
            return f"<{_count(Fraction(str(high)) + 1)}" if float(high).is_integer() else f"≤{_count(high)}"
        return "?"

    return f"{one(r.from_exact, r.from_year)} → {one(r.to_exact, r.to_year)}"


def sentence(rise: Rise, ranking: Ranking | None, from_period: str, to_period: str) -> str:
    """A sentence a reporter can publish, every figure taken from the data.

    "Leicestershire Police: 28 → 152 (+443%, 5.4 times as many) between Jun 2020–May 2021
    and Jun 2022–May 2023, 9th of 38 forces ranked."
    """
    if rise.from_exact is None and rise.to_exact is None and rise.pct_low is None and rise.pct_high is None:
        why = "; ".join(rise.problems) or "no figures"
        return f"{rise.force}: no figures to compare between {from_period} and {to_period} ({why})."
    text = f"{rise.force}: {_values_words(rise)} ({change_words(rise)}) between {from_period} and {to_period}"
    if ranking is None:
        if rise.problems:
            text += f" (not comparable: {'; '.join(rise.problems)})"
        return text + "."
    entry = ranking.rank_of(rise.force)
    by = "" if ranking.by == "pct" else f" by {BY_WORDS[ranking.by]}"
    order = "" if ranking.descending else ", lowest first"
    if entry is not None and entry.rank is not None:
        text += f", {entry.place} of {ranking.count} forces ranked{by}{order}"
    else:
        why = entry.reason if entry is not None and entry.reason else "not in the data"
        text += f"; not ranked ({why})"
    return text + "."


# ---------------------------------------------------------------- inputs


def answers_from_frame(frame: "pl.DataFrame") -> dict[str, Answer]:
    """Each area in a tidy frame and how it replied overall (refused, no data, or answered)."""
    import polars as pl

    if frame.height == 0:
        return {}
    grouped = (
        frame.group_by("force")
        .agg(
            pl.col("force_code").drop_nulls().first().alias("force_code"),
            pl.col("area_kind").drop_nulls().first().alias("area_kind"),
            pl.col("status").alias("statuses"),
            pl.col("note").drop_nulls().first().alias("note"),
        )
        .sort("force")
    )
    out: dict[str, Answer] = {}
    for row in grouped.iter_rows(named=True):
        if row["force"] is None:
            continue
        statuses = {str(s).lower() for s in row["statuses"] if s is not None}
        out[row["force"]] = Answer(
            force=row["force"],
            force_code=row["force_code"],
            area_kind=row["area_kind"] or "force",
            refused=bool(statuses) and statuses <= {"refused"},
            no_data=bool(statuses) and statuses <= {"no_data"},
            note=row["note"],
        )
    return out


def read_populations(path: Path) -> dict[str, Fraction]:
    """A CSV of force and population (any column order; "1,093,200" allowed), by canonical name.

    Names go through the force registry so "Leicestershire" and "E23000021" both work;
    a name that does not match a force exactly is an error, never a guess.
    """
    from foistats.model.forces import registry

    try:
        with Path(path).open("r", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise InputError(f"cannot read population file: {exc.strerror or exc}", path=path) from None
    if not rows:
        raise InputError("population file is empty", path=path)
    header = [h.strip().lower() for h in rows[0]]
    name_col = _find_column(header, ("force", "police force", "name", "area", "police force area", "pfa"))
    pop_col = _find_column(header, ("population", "pop", "residents", "people"))
    code_col = _find_column(header, ("code", "force_code", "gss", "pfa_code"), required=False)
    if name_col is None or pop_col is None:
        raise InputError(
            "population file needs a force column and a population column",
            path=path,
            hint=f"header is {', '.join(rows[0])}",
        )
    reg = registry()
    out: dict[str, Fraction] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        cell = f"row {number}"
        name = row[name_col].strip() if name_col < len(row) else ""
        code = row[code_col].strip() if code_col is not None and code_col < len(row) else None
        match = reg.resolve(name, code or None)
        if match is None or match.is_guess:
            hint = None if match is None else f"did you mean {match.area.name}?"
            raise InputError(f"unknown force {name!r}", path=path, cell=cell, hint=hint)
        raw = row[pop_col].strip().replace(",", "").replace("_", "") if pop_col < len(row) else ""
        try:
            pop = Fraction(raw)
        except (ValueError, ZeroDivisionError):
            raise InputError(f"population {row[pop_col]!r} is not a number", path=path, cell=cell) from None
        if pop <= 0:
            raise InputError(f"population {row[pop_col]!r} must be above zero", path=path, cell=cell)
        out[match.area.name] = pop
    return out


def _find_column(header: list[str], names: tuple[str, ...], required: bool = True) -> int | None:
    for wanted in names:
        if wanted in header:
            return header.index(wanted)
    if not required:
        return None
    for i, h in enumerate(header):
        if any(w in h for w in names if len(w) > 3):
            return i
    return None


# ---------------------------------------------------------------- explain


def _num(value: Fraction | None, places: int = 9) -> str:
    """Enough digits to check by hand, no float noise: 442.857142857."""
    if value is None:
        return "–"
    if value.denominator == 1:
        return f"{value.numerator:,}"
    text = f"{round_half_up(value, places):,}"
    return text.rstrip("0").rstrip(".")


def _sources(year: object) -> str:
    cells = list(getattr(year, "source_cells", None) or [])
    return "; ".join(cells) if cells else "–"


def _how_built(year: object, value_words: str) -> str:
    if year is None:
        return "no row for this year in the data"
    parts = []
    cells = getattr(year, "source_cells", None) or []
    labels = getattr(year, "source_labels", None) or []
    if len(cells) > 1:
        parts.append(f"sum of {len(cells)} source values")
    elif cells:
        parts.append("as published")
    if labels:
        parts.append("source periods: " + ", ".join(labels))
    covered, expected = getattr(year, "months_covered", None), getattr(year, "months_expected", None)
    if covered is not None and expected and covered != expected:
        parts.append(f"{covered} of {expected} months")
    status = getattr(year, "status", None)
    if status and status != "ok":
        parts.append(f"status {status}")
    parts.extend(getattr(year, "notes", None) or [])
    return f"{value_words}" + (f" ({'; '.join(parts)})" if parts else "")


def explain(rise: Rise, ranking: Ranking | None = None, populations: Mapping[str, Number] | None = None) -> list[dict]:
    """The number trail for one force: where each figure came from and the arithmetic.

    Rows carry force, item, period, value, working and source, so the trail can be
    read in a terminal or handed to an editor as CSV.
    """
    r = rise
    rows: list[dict] = []

    def add(item: str, value: object, working: str, period: str | None = None, source: str = "–") -> None:
        rows.append(
            {"force": r.force, "item": item, "period": period, "value": value, "working": working, "source": source}
        )

    for item, value, exact_value, year, period in (
        ("from_value", r.from_value, r.from_exact, r.from_year, r.from_period),
        ("to_value", r.to_value, r.to_exact, r.to_year, r.to_period),
    ):
        words = _num(exact_value) if exact_value is not None else _values_words(r).split(" → ")[0 if item == "from_value" else 1]
        add(item, value, _how_built(year, words), period, _sources(year))
    a, b = r.from_exact, r.to_exact
    if a is not None and b is not None and r.change is not None:
        add("change", r.change, f"{_num(b)} − {_num(a)} = {_num(b - a)}")
        if a != 0:
            pct = (b - a) / a * 100
            add("pct_change", r.pct_change, f"({_num(b)} − {_num(a)}) ÷ {_num(a)} × 100 = {_num(pct)}% → {percent_words(pct)}")
            add("ratio", r.ratio, f"{_num(b)} ÷ {_num(a)} = {_num(b / a)} → {ratio_words(b / a)}")
        else:
            add("pct_change", None, "no percentage change from a zero base")
    elif r.pct_low is not None or r.pct_high is not None:
        add("pct_low", r.pct_low, f"lowest possible change: {percent_words(exact(r.pct_low)) if r.pct_low is not None else 'unbounded'}")
        add("pct_high", r.pct_high, f"highest possible change: {percent_words(exact(r.pct_high)) if r.pct_high is not None else 'unbounded'}")
    else:
        add("pct_change", None, "not computed: " + ("; ".join(r.problems) or "no figures"))
    if r.flags:
        add("flags", ";".join(r.flags), r.reason or "")
    pop = exact((populations or {}).get(r.force))  # type: ignore[arg-type]
    if pop and b is not None:
        add("rate", float(b / pop * PER), f"{_num(b)} ÷ {_num(pop)} × {PER:,} = {_num(b / pop * PER, 2)} per 100,000")
    if ranking is not None:
        entry = ranking.rank_of(r.force)
        if entry is not None and entry.rank is not None:
            ahead = entry.rank - 1
            add(
                "rank",
                entry.rank,
                f"{entry.place} of {ranking.count} ranked by {BY_WORDS[ranking.by]}"
                f" ({'highest' if ranking.descending else 'lowest'} first); {ahead} "
                f"{'force' if ahead == 1 else 'forces'} ahead",
            )
        else:
            add("rank", None, "not ranked: " + (entry.reason if entry and entry.reason else "not in the data"))
    return rows
