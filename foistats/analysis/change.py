"""Change between two aligned years, named for what journalists mean: change, percentage, ratio.

Pure Python (no polars) so the arithmetic can be tested, and trusted, on its own.
Every figure is computed on exact fractions and turned into a float once, at the
end: 28 → 152 is +442.857142857…%, and rounding happens only when a person reads it.
A change is never computed from a guess: a suppressed endpoint ("<5") gives a range
of percentages or nothing, and a change from zero has no percentage at all. A "nil"
endpoint is shown as 0 but never compared: nil may mean "no information held" as much
as a real zero, and only the force can say which. A change in a percentage is also
given in percentage points (10% → 12% is +2 points, a relative rise of 20%).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Iterable

from foistats.model.values import exact  # the exact number behind a value (also used by align)

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.align import AlignedYear

Number = int | float | Fraction
_HEAD = re.compile(r"^(misaligned periods) \((.*)\)$")
# "nil return for 2020/21: may mean …": one reason about one year, merged across both ends.
_FOR_YEAR = re.compile(r"^(.+?) for (\S+): (.+)$")

# Why an endpoint cannot be used, strongest first: a refusal outranks a gap in months.
FLAGS = (
    "refused",
    "not_answered",
    "no_data",
    "missing_year",
    "not_available",
    "not_summed",
    "misaligned",
    "partial",
    "suppressed_endpoint",
    "range",
    "new_from_zero",
    "no_change",
    "small_base",
    "nil",
    "percentage_points",
    "not_a_force",
)
# A nil return is never ranked or compared as a real 0 (DOMAIN-NOTES: "nil and '-' may be
# real zeros; confirm with the force").
NIL_PROBLEM = "nil return{where}: may mean no information held or a real zero; confirm with the force"


# ---------------------------------------------------------------- the arithmetic




def change(a: Number, b: Number) -> Fraction:
    """Absolute change from a to b (b − a), exact."""
    return exact(b) - exact(a)  # type: ignore[operator]


def percent_change_exact(a: Number, b: Number) -> Fraction | None:
    """(b − a) / a × 100, exact; None from a zero base, where a percentage means nothing."""
    fa, fb = exact(a), exact(b)
    if fa is None or fb is None or fa == 0:
        return None
    return (fb - fa) / fa * 100


def percent_change(a: Number, b: Number) -> float | None:
    """Percentage change as a float, unrounded (28 → 152 gives 442.857142857…)."""
    pct = percent_change_exact(a, b)
    return None if pct is None else float(pct)


def ratio_exact(a: Number, b: Number) -> Fraction | None:
    """b / a: "5.4 times as many". None from a zero base."""
    fa, fb = exact(a), exact(b)
    if fa is None or fb is None or fa == 0:
        return None
    return fb / fa


def ratio(a: Number, b: Number) -> float | None:
    r = ratio_exact(a, b)
    return None if r is None else float(r)


def percent_range(
    from_low: Number | None,
    from_high: Number | None,
    to_low: Number | None,
    to_high: Number | None,
) -> tuple[Fraction | None, Fraction | None]:
    """The smallest and largest percentage change two ranged endpoints allow.

    "<5" → 23 (1–4 → 23) is anything from +475% (4 → 23) to +2,200% (1 → 23). A side
    is None when it is unbounded: an open-ended top value, or a base that may be zero.
    """
    fl, fh, tl, th = (exact(v) for v in (from_low, from_high, to_low, to_high))
    low = None
    if tl is not None and fh is not None and fh > 0:
        low = (tl - fh) / fh * 100
    high = None
    if th is not None and fl is not None and fl > 0:
        high = (th - fl) / fl * 100
    return low, high


def round_half_up(value: Number, places: int = 0) -> Decimal:
    """Round the way newsrooms do (2.5 → 3, half away from zero), from the exact value
    rather than its float. The rounding is done on the Fraction itself: dividing into a
    28-digit Decimal first would round an exact 12.2499…(30 nines) up to 12.3."""
    f = exact(value)
    assert f is not None
    steps = Decimal(math.floor(abs(f) * 10**places + Fraction(1, 2))).scaleb(-places)
    return steps.copy_negate() if f < 0 else steps  # (a sign kept on -0.0, as quantize kept it)


# ---------------------------------------------------------------- one force's rise


@dataclass
class Endpoint:
    """One end of a comparison: an exact value, a range, or the reason there is neither."""

    value: Fraction | None = None
    low: Fraction | None = None
    high: Fraction | None = None
    flags: list[str] = field(default_factory=list)
    problem: str | None = None  # human words; set when the endpoint must not be compared
    blocked: bool = False  # trouble other than suppression: not even a range may be given


def endpoint(
    year: "AlignedYear | None",
    label: str | None = None,
    *,
    allow_partial: bool = False,
    allow_misaligned: bool = False,
    answer: "Answer | None" = None,
) -> Endpoint:
    """Read an aligned year as a comparison endpoint, saying plainly when it cannot be one.

    `answer` says how the force replied overall, so a refusal that names no period
    still reads as a refusal rather than as silence.
    """
    where = f" for {label}" if label else ""
    if year is None:
        if answer is not None and answer.refused:
            return Endpoint(flags=["refused"], problem=_refused(answer.note), blocked=True)
        if answer is not None and answer.no_data:
            return Endpoint(flags=["no_data"], problem=f"holds no data{where}", blocked=True)
        if answer is not None and not answer.answered:
            return Endpoint(flags=["not_answered"], problem="no answer", blocked=True)
        return Endpoint(flags=["missing_year"], problem=f"no figure{where}", blocked=True)
    status = (year.status or "").lower()
    if status == "refused":
        return Endpoint(flags=["refused"], problem=_refused(_first_note(year)), blocked=True)
    if status == "no_data":
        return Endpoint(flags=["no_data"], problem=f"holds no data{where}", blocked=True)
    if status in ("not_available", "not_applicable"):
        return Endpoint(flags=["not_available"], problem=f"not available{where}", blocked=True)
    if status == "not_summed":
        # align() would not add up monthly percentages or rates: there is no year figure.
        why = next((n.split(";")[0] for n in year.notes if " are not added up over " in n), None)
        problem = f"no year figure{where}: " + (why or "percentages or rates are not added up over months")
        return Endpoint(flags=["not_summed"], problem=problem, blocked=True)
    flags: list[str] = []
    problem: str | None = None
    if year.misaligned or status == "misaligned":
        flags.append("misaligned")
        if not allow_misaligned:
            problem = f"misaligned periods ({_source_window(year, label)})"
    if status == "partial" or year.months_covered < year.months_expected:
        if not year.misaligned:
            flags.append("partial")
            if not allow_partial and problem is None:
                problem = f"partial year{where}: {year.months_covered} of {year.months_expected} months"
    value = exact(year.value)
    if value is None and status == "nil":
        value = Fraction(0)
    if status == "nil":
        flags.append("nil")
        if problem is None:
            problem = NIL_PROBLEM.format(where=where)
    if value is not None and status in ("suppressed", "range"):
        # A total with a suppressed part is a lower bound, whatever the value column says.
        value = None
    blocked = problem is not None
    if value is not None:
        return Endpoint(value=value, flags=flags, problem=problem, blocked=blocked)
    low, high = exact(year.low), exact(year.high)
    flags.append("suppressed_endpoint")
    if problem is None:
        if status in ("suppressed", "range") or low is not None:
            shown = _range_words(low, high)
            problem = f"suppressed value{where}" + (f" ({shown})" if shown else "")
        else:
            flags.remove("suppressed_endpoint")
            flags.append("no_data")
            problem = f"no value{where}"
            blocked = True
    return Endpoint(low=low, high=high, flags=flags, problem=problem, blocked=blocked)


def _first_note(year: "AlignedYear") -> str | None:
    return year.notes[0] if year.notes else None


def _refused(note: str | None) -> str:
    """ "refused (s12 cost limit)"; a note that already says "refused…" is used as it is."""
    if not note:
        return "refused"
    return note if note.lower().startswith("refused") else f"refused ({note})"


_SOURCE_YEAR = re.compile(r"^source year (.+?) starts in ")


def _source_window(year: "AlignedYear", label: str | None) -> str:
    """The window a misaligned force actually gave ("Apr 2020–Mar 2021"), from align()'s note."""
    for note in year.notes:
        m = _SOURCE_YEAR.match(note)
        if m:
            return m[1]
    labels = [lab for lab in year.source_labels if lab != label]
    return ", ".join(labels[:2]) or f"not {label or 'the aligned year'}"


def _range_words(low: Fraction | None, high: Fraction | None) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f"at least {_plain(low)}"
    if low is None or low == 0:
        return f"at most {_plain(high)}"
    return f"{_plain(low)}–{_plain(high)}"


def _plain(value: Fraction | None) -> str:
    if value is None:
        return "?"
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Answer:
    """How a force replied overall, whatever the periods: the roster behind "K refused"."""

    force: str
    force_code: str | None = None
    area_kind: str = "force"
    refused: bool = False  # every row is a refusal
    no_data: bool = False  # every row says the force holds no such data
    answered: bool = True  # False: asked (campaign roster) but no reply in the data
    note: str | None = None  # e.g. "s12 cost limit"


@dataclass
class Rise:
    """One force's change between two aligned years, with every reason it may not be comparable."""

    force: str
    force_code: str | None
    area_kind: str
    measure: str | None
    from_period: str | None
    to_period: str | None
    from_value: float | None
    to_value: float | None
    change: float | None
    pct_change: float | None
    ratio: float | None
    pct_low: float | None = None
    pct_high: float | None = None
    flags: list[str] = field(default_factory=list)
    comparable: bool = False
    reason: str | None = None
    from_problem: str | None = None
    to_problem: str | None = None
    # Exact values, kept so ranks and ties are decided without float noise.
    from_exact: Fraction | None = field(default=None, repr=False)
    to_exact: Fraction | None = field(default=None, repr=False)
    from_year: "AlignedYear | None" = field(default=None, repr=False)
    to_year: "AlignedYear | None" = field(default=None, repr=False)

    @property
    def problems(self) -> list[str]:
        """Why this rise must not be compared, in words; empty when it may be."""
        return merge_problems(self.from_problem, self.to_problem)

    @property
    def change_exact(self) -> Fraction | None:
        if self.from_exact is None or self.to_exact is None:
            return None
        return self.to_exact - self.from_exact

    @property
    def pct_exact(self) -> Fraction | None:
        if self.from_exact is None or self.to_exact is None:
            return None
        return percent_change_exact(self.from_exact, self.to_exact)

    @property
    def ratio_exact(self) -> Fraction | None:
        if self.from_exact is None or self.to_exact is None:
            return None
        return ratio_exact(self.from_exact, self.to_exact)

    @property
    def is_force(self) -> bool:
        return self.area_kind == "force"


def rise(
    from_year: "AlignedYear | None",
    to_year: "AlignedYear | None",
    min_base: Number = 10,
    *,
    from_label: str | None = None,
    to_label: str | None = None,
    allow_partial: bool = False,
    allow_misaligned: bool = False,
    force: str | None = None,
    force_code: str | None = None,
    area_kind: str | None = None,
    measure: str | None = None,
    answer: Answer | None = None,
) -> Rise:
    """Compare one force's two aligned years.

    Returns numbers only where they are honest: both endpoints exact, aligned and
    whole years. Anything else is flagged, and `reason` says why in words a reader
    can print under a table. A base below `min_base` is flagged "small_base" (1 → 10
    is +900%, which is noise), but the figures are still given.
    """
    known = from_year or to_year
    force = force or (known.force if known else None) or (answer.force if answer else None)
    if force is None:
        raise ValueError("rise() needs a force name when both years are missing")
    if known is not None:
        force_code = force_code if force_code is not None else known.force_code
        area_kind = area_kind or known.area_kind
        measure = measure or known.measure
    elif answer is not None:
        force_code = force_code if force_code is not None else answer.force_code
        area_kind = area_kind or answer.area_kind
    from_label = from_label or (from_year.label if from_year is not None else None)
    to_label = to_label or (to_year.label if to_year is not None else None)

    opts = {"allow_partial": allow_partial, "allow_misaligned": allow_misaligned, "answer": answer}
    a = endpoint(from_year, from_label, **opts)  # type: ignore[arg-type]
    b = endpoint(to_year, to_label, **opts)  # type: ignore[arg-type]
    flags: list[str] = []
    for flag in (*a.flags, *b.flags):
        if flag not in flags:
            flags.append(flag)

    out = Rise(
        force=force,
        force_code=force_code,
        area_kind=area_kind or "force",
        measure=measure,
        from_period=from_label,
        to_period=to_label,
        from_value=_float(a.value),
        to_value=_float(b.value),
        change=None,
        pct_change=None,
        ratio=None,
        from_problem=a.problem,
        to_problem=b.problem,
        from_exact=a.value,
        to_exact=b.value,
        from_year=from_year,
        to_year=to_year,
    )
    notes: list[str] = []
    base = min_base if min_base is not None else 0
    if a.value is not None and b.value is not None and not (a.problem or b.problem):
        out.change = float(b.value - a.value)
        out.pct_change = percent_change(a.value, b.value)
        out.ratio = ratio(a.value, b.value)
        if a.value == 0 and b.value == 0:
            flags.append("no_change")
            notes.append("no change: 0 → 0")
        elif a.value == 0:
            flags.append("new_from_zero")
            notes.append(f"new: 0 → {_plain(b.value)}")
        elif a.value == b.value:
            flags.append("no_change")
        if a.value < exact(base):  # type: ignore[operator]
            flags.append("small_base")
        if is_percentage(from_year) or is_percentage(to_year):
            flags.append("percentage_points")
            # 10% → 12% is +2 percentage points; the +20% beside it is a relative change.
            relative = percent_change_exact(a.value, b.value)
            notes.append(
                f"a percentage: the change is {points_words(b.value - a.value)}"
                + ("" if relative is None else f" (a relative change of {_pct_words(relative)})")
            )
    elif a.value is not None and b.value is not None:
        # Both values known but not comparable (misaligned, partial, nil): no figures built
        # on them. A nil end still says what the figures read as (0 → 3 "new_from_zero").
        if "nil" in flags:
            if a.value == b.value:
                flags.append("no_change")
            elif a.value == 0:
                flags.append("new_from_zero")
    elif "suppressed_endpoint" in flags and not a.blocked and not b.blocked:
        low = high = None
        if _has_bounds(a) and _has_bounds(b):
            lo_a, hi_a = _bounds(a)
            lo_b, hi_b = _bounds(b)
            low, high = percent_range(lo_a, hi_a, lo_b, hi_b)
            if hi_a is not None and hi_a < exact(base):  # type: ignore[operator]
                flags.append("small_base")
        out.pct_low, out.pct_high = _float(low), _float(high)
        if low is not None or high is not None:
            flags.append("range")
            notes.append(f"percentage change between {_pct_words(low)} and {_pct_words(high)}")
        else:
            notes.append("percentage change not computable")
    out.flags = _ordered(flags)
    problems = merge_problems(a.problem, b.problem)
    out.comparable = not problems
    words = problems + notes
    out.reason = "; ".join(words) if words else None
    return out


def is_percentage(year: "AlignedYear | None") -> bool:
    """The year's figure is a percentage (unit `%`), so its change is told in percentage points."""
    unit = (getattr(year, "unit", None) or "").lower()
    return "%" in unit or "percent" in unit


def points_words(value: Fraction) -> str:
    """ "+2 percentage points", "-0.5 percentage points": the change in a percentage, in words.

    DOMAIN-NOTES: 10% falling by 1 percentage point is 9%, by 1% is 9.9%; the words say which.
    """
    if value == 0:
        return "0 percentage points"
    if value.denominator == 1:
        text = f"{value.numerator:+,}"
    else:
        text = f"{round_half_up(value, 2):+,}".rstrip("0").rstrip(".")
    return f"{text} percentage {'point' if abs(value) == 1 else 'points'}"


def merge_problems(*problems: str | None) -> list[str]:
    """Both ends' problems, once each: "refused (s12)" and "refused" read as one refusal."""
    out: list[str] = []
    for p in problems:
        if not p or p in out or any(q.startswith(p) for q in out):
            continue
        head = _HEAD.match(p)
        same = next((i for i, q in enumerate(out) if head and (m := _HEAD.match(q)) and m[1] == head[1]), None)
        if same is not None and head is not None:
            # "misaligned periods (Apr 2020 - Mar 2021)" + "(Apr 2022 - Mar 2023)" read as one.
            out[same] = out[same][:-1] + f"; {head[2]})"
            continue
        year = _FOR_YEAR.match(p)
        twin = next(
            (i for i, q in enumerate(out)
             if year and (m := _FOR_YEAR.match(q)) and (m[1], m[3]) == (year[1], year[3])),
            None,
        )
        if twin is not None and year is not None:
            # "nil return for 2020/21: …" + "nil return for 2022/23: …" → "for 2020/21 and 2022/23: …".
            m = _FOR_YEAR.match(out[twin])
            assert m is not None
            out[twin] = f"{m[1]} for {m[2]} and {year[2]}: {m[3]}"
            continue
        out = [q for q in out if not p.startswith(q)] + [p]
    return out


def _has_bounds(e: Endpoint) -> bool:
    return e.value is not None or e.low is not None or e.high is not None


def _bounds(e: Endpoint) -> tuple[Fraction | None, Fraction | None]:
    if e.value is not None:
        return e.value, e.value
    return (e.low if e.low is not None else Fraction(0)), e.high


def _pct_words(value: Fraction | None) -> str:
    if value is None:
        return "unbounded"
    return f"{round_half_up(value, 1):+,}%"


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _ordered(flags: Iterable[str]) -> list[str]:
    seen = list(dict.fromkeys(flags))
    order = {f: i for i, f in enumerate(FLAGS)}
    return sorted(seen, key=lambda f: order.get(f, len(order)))


def rises_between(
    years: "Iterable[AlignedYear]",
    from_year: int,
    to_year: int,
    min_base: Number = 10,
    *,
    from_label: str | None = None,
    to_label: str | None = None,
    allow_partial: bool = False,
    allow_misaligned: bool = False,
    answers: "dict[str, Answer] | None" = None,
) -> list[Rise]:
    """One Rise per force seen anywhere (in the aligned years or the roster), in name order.

    A force missing from one of the two years is still returned, flagged, so nothing
    disappears from a table just because it could not be compared.
    """
    by_force: dict[str, dict[int, "AlignedYear"]] = {}
    for y in years:
        slot = by_force.setdefault(y.force, {})
        if y.year in (from_year, to_year):
            # Prefer an aligned, exact year if align() ever hands over two for one slot.
            current = slot.get(y.year)
            if current is None or (current.misaligned and not y.misaligned):
                slot[y.year] = y
    for name in answers or {}:
        by_force.setdefault(name, {})
    out = []
    for name in sorted(by_force):
        slot = by_force[name]
        answer = (answers or {}).get(name)
        out.append(
            rise(
                slot.get(from_year),
                slot.get(to_year),
                min_base,
                from_label=from_label,
                to_label=to_label,
                allow_partial=allow_partial,
                allow_misaligned=allow_misaligned,
                force=name,
                force_code=answer.force_code if answer else None,
                area_kind=answer.area_kind if answer else None,
                answer=answer,
            )
        )
    return out


def default_years(years: "Iterable[AlignedYear]", allow_partial: bool = False) -> tuple[int, int] | None:
    """The earliest and latest aligned years in which at least one force has a complete figure
    (or, with --allow-partial, any figure at all).

    None when fewer than two such years exist: there is nothing to compare.
    """
    found = sorted(
        {
            y.year
            for y in years
            if y.area_kind == "force"
            and (y.complete or (allow_partial and not y.misaligned))
            and y.value is not None
            and y.status != "refused"
        }
    )
    if len(found) < 2:
        return None
    return found[0], found[-1]
