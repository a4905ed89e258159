"""Check a quoted change ("rose from 28 to 152, a rise of 443%") the way a careful sub-editor would.

Journalists write changes as percentages, multiples, percentage points or bare
directions, with qualifiers ("nearly", "more than") and rounding. This module reads
what was written, recomputes the change from the two figures, and says whether the
claim holds *at its own precision*: 443% stands for [442.5%, 443.5%), so 442.9% is
consistent and 442% is not. When a claim fails it names the classic mistake that
explains it (the ratio reported as a rise, the wrong base, points for per cent ...)
and suggests a phrasing that would pass.

It is pure standard library (`re`, `fractions`, `decimal`) on purpose: `foistats
check` must start instantly, so neither polars nor the spreadsheet readers may be on
its import path. Arithmetic is done in exact fractions, so a value sitting exactly on
a rounding boundary is judged by the rule, not by binary floating point.

The verdict machinery is separate from the parsing: `check_against(claim, before,
after)` checks a claim parsed from prose against figures found elsewhere (a dataset,
later), using the same rules and messages as `check(claim)`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Iterator

from foistats.model.errors import UsageError

__all__ = [
    "CANNOT_CHECK",
    "CONSISTENT",
    "INCONSISTENT",
    "Claim",
    "Interval",
    "Verdict",
    "check",
    "check_against",
    "parse_args",
    "parse_claim",
    "parse_claims",
    "parse_number",
]

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
CANNOT_CHECK = "cannot check"

# What a claim asserts: a percentage change, a multiple, a change in percentage points,
# only a direction ("rose"), or nothing at all (two bare figures).
KINDS = ("pct", "ratio", "pp", "direction", "none")

# Diagnosis codes (a public interface: they appear in CSV/JSON output).
DIAGNOSES = (
    "rounding",  # close, but rounded wrongly (often truncated)
    "mismatch",  # simply not the change the figures show
    "ratio_as_rise",  # 560 is 2,800% *of* 20; the rise is 2,700%
    "rise_as_ratio",  # "27 times" where 20 -> 560 is 28 times as many
    "times_more",  # "28 times more" read literally is 29 times as many
    "points_vs_percent",  # percentage points reported as per cent, or the reverse
    "wrong_base",  # the change divided by the later figure instead of the earlier one
    "fall_over_100",  # nothing that cannot go negative can fall by more than 100%
    "zero_base",  # a percentage change from zero is undefined
    "direction",  # a rise reported as a fall, or the figures the wrong way round
    "no_figures",  # nothing to check the claim against
    "negative_base",  # a percentage change from a negative figure means nothing
    "unreadable",  # (batch rows only) the claim could not be read at all
)

_HUNDRED = Fraction(100)
# Qualifiers that bound a claim on one side only: "more than 400%" is no evidence of any
# particular mistake when it fails, so no diagnosis beyond the bound is attempted.
_ONE_SIDED = frozenset({"more_than", "at_least", "less_than", "up_to"})
_TWENTIETH = Fraction(1, 20)
_TENTH = Fraction(1, 10)


# ---------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Interval:
    """The values a claim allows, with open or closed ends (None = unbounded).

    Rounding gives half-open intervals ("443%" allows [442.5, 443.5)), qualifiers give
    one-sided ones ("more than 6" allows (6, ∞)); both need to be represented exactly.
    """

    low: Fraction | None
    high: Fraction | None
    low_closed: bool = True
    high_closed: bool = False

    def contains(self, x: Fraction) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        if self.high is not None and (x > self.high or (x == self.high and not self.high_closed)):
            return False
        return True

    def meets(self, lo: Fraction, hi: Fraction) -> bool:
        """True when some value of the closed range [lo, hi] lies in this interval."""
        if lo == hi:
            return self.contains(lo)
        if self.high is not None and (lo > self.high or (lo == self.high and not self.high_closed)):
            return False
        if self.low is not None and (hi < self.low or (hi == self.low and not self.low_closed)):
            return False
        return True

    def negated(self) -> Interval:
        return Interval(
            -self.high if self.high is not None else None,
            -self.low if self.low is not None else None,
            self.high_closed,
            self.low_closed,
        )

    def scaled(self, factor: int) -> Interval:
        return self if factor >= 0 else self.negated()

    def text(self, unit: str = "") -> str:
        lo = "−∞" if self.low is None else _fmt_bound(self.low) + unit
        hi = "∞" if self.high is None else _fmt_bound(self.high) + unit
        return ("[" if self.low_closed and self.low is not None else "(") + f"{lo}, {hi}" + (
            "]" if self.high_closed and self.high is not None else ")"
        )


# ---------------------------------------------------------------- the parsed claim


@dataclass(frozen=True)
class Claim:
    """What a sentence claims, in exact numbers. `value` is a magnitude; `direction` carries the sign.

    `step` is the precision the claim was written to (1 for "443%", 0.1 for "5.4 times",
    a tenth of the value for words like "a quarter"); `rounded_unit` is set when both
    figures look rounded (60,000 and 391,000), so the check treats them as ranges.
    """

    text: str
    kind: str  # pct | ratio | pp | direction | none
    before: Fraction | None = None
    after: Fraction | None = None
    value: Fraction | None = None  # claimed magnitude in the kind's unit (% / × / pp)
    step: Fraction | None = None
    qualifier: str | None = None  # nearly | about | more_than | at_least | less_than | up_to | just_over
    direction: int | None = None  # +1 rise, -1 fall, 0 unchanged, None unstated
    figure: str = ""  # the figure as read, e.g. "nearly 700%", "more than six-fold"
    literal_more: bool = False  # "N times more/higher": literally N+1 times as many
    before_text: str | None = None
    after_text: str | None = None
    inputs_percent: bool = False  # the figures are themselves percentages (10% -> 11%)
    rounded_unit: Fraction | None = None

    @property
    def unit(self) -> str:
        return {"pct": "%", "ratio": "x", "pp": "pp"}.get(self.kind, "")

    @property
    def claimed(self) -> str:
        """The claim in one normalised phrase, for tables: "+443%", "nearly 700%", "more than 6x"."""
        if self.kind == "none":
            return ""
        if self.kind == "direction":
            return {1: "rose", -1: "fell", 0: "unchanged"}.get(self.direction, "")  # type: ignore[arg-type]
        assert self.value is not None
        number = _fmt_plain(self.value)
        if self.value.limit_denominator(10**4) != self.value or (self.value * 10**4).denominator != 1:
            number = _fmt_pct(self.value)  # a third: 33.3, not 33.3333
        sign = ""
        if self.kind in ("pct", "pp") and self.direction in (1, -1):
            sign = "+" if self.direction == 1 else "-"
        body = {"pct": f"{sign}{number}%", "pp": f"{sign}{number}pp", "ratio": f"{number}x"}[self.kind]
        if self.kind == "ratio" and self.literal_more:
            body = f"{number} times more"
        if self.kind == "ratio" and self.direction == -1:
            body = f"fell {number}-fold"
        qualifier = {
            "nearly": "nearly ",
            "about": "about ",
            "more_than": "more than ",
            "at_least": "at least ",
            "less_than": "less than ",
            "up_to": "up to ",
            "just_over": "just over ",
        }.get(self.qualifier or "", "")
        if qualifier and self.kind in ("pct", "pp") and sign:
            return ("up " if sign == "+" else "down ") + qualifier + body.lstrip("+-")
        return qualifier + body

    def interval(self, sign: int = 1) -> Interval:
        """The signed values this claim allows. `sign` orients a magnitude as a rise (+1) or fall (-1)."""
        assert self.value is not None and self.step is not None
        m = self.value
        half = self.step / 2
        if self.kind == "ratio" and self.step >= 1:
            # Multiples are small numbers: rounding "2 times" to the unit would let "doubled"
            # cover a 50% rise, so a whole multiple is held to 5% as well.
            half = min(half, m * _TWENTIETH)
        wide = max(half, m * _TENTH)
        q = self.qualifier
        if q is None:
            iv = Interval(m - half, m + half, True, False)
        elif q == "about":
            iv = Interval(max(m - wide, Fraction(0)), m + wide, True, True)
        elif q == "nearly":
            iv = Interval(max(m - wide, Fraction(0)), m, True, True)
        elif q == "just_over":
            iv = Interval(m, m + wide, False, True)
        elif q == "more_than":
            iv = Interval(m, None, False, False)
        elif q == "at_least":
            iv = Interval(m, None, True, False)
        elif q == "less_than":
            iv = Interval(Fraction(0), m, True, False)
        elif q == "up_to":
            iv = Interval(Fraction(0), m, True, True)
        else:  # pragma: no cover - parser only produces the names above
            raise ValueError(q)
        return iv.scaled(sign) if self.kind in ("pct", "pp") else iv


# ---------------------------------------------------------------- the verdict


@dataclass(frozen=True)
class Verdict:
    """The outcome for one claim: what was claimed, what the figures give, and what to write instead."""

    claim: Claim
    verdict: str  # consistent | inconsistent | cannot check
    reason: str
    exact: Fraction | None = None  # the change the figures give, in the claim's unit
    exact_low: Fraction | None = None  # the range when the inputs look rounded
    exact_high: Fraction | None = None
    interval: Interval | None = None
    diagnosis: str | None = None
    suggestion: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == CONSISTENT

    def row(self) -> dict[str, Any]:
        """One output row; keys before, after, claimed, exact, verdict, reason are a public interface."""
        c = self.claim
        unit = c.unit
        if c.kind in ("direction", "none") and self.exact is not None:
            unit = "%"
        return {
            "claim": c.text,
            "before": _plain_number(c.before),
            "after": _plain_number(c.after),
            "claimed": c.claimed,
            "exact": None if self.exact is None else float(self.exact),  # unrounded: scripts round it themselves
            "unit": unit,
            "interval": self.interval.text(c.unit if c.unit != "x" else "") if self.interval else None,
            "verdict": self.verdict,
            "diagnosis": self.diagnosis,
            "reason": self.reason,
            "suggestion": self.suggestion,
        }


# ---------------------------------------------------------------- number text

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "thousand": 1000,
}
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_WORDS_RE = (
    rf"(?:(?:{_TENS})(?:[\s-](?:{_UNITS}))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    rf"seventeen|eighteen|nineteen|ten|{_UNITS}|a\s+hundred|hundred|thousand)"
)
_SCALES = {"thousand": 1000, "k": 1000, "million": 10**6, "mn": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9}
_SCALE_RE = r"thousand|million|billion|bn|mn|m|k"


def _word_number(text: str) -> int:
    text = re.sub(r"\s+", " ", text.strip())
    if text in _WORD_NUMBERS:
        return _WORD_NUMBERS[text]
    tens, units = re.split(r"[\s-]", text, maxsplit=1)
    return _WORD_NUMBERS[tens] + _WORD_NUMBERS[units]


def _group_digits(text: str) -> str:
    """Put back the thousands separators normalising took out: "2800%" -> "2,800%"."""
    return re.sub(r"(?<![\d.,])\d{4,}", lambda m: f"{int(m.group(0)):,}", text)


def _decimals(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


@dataclass(frozen=True)
class _Number:
    value: Fraction
    text: str
    percent: bool
    round_unit: Fraction | None  # the unit it may have been rounded to, if it looks round


_INPUT_RE = re.compile(
    rf"^(?P<sign>[+\-−])?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    rf"(?P<unit>%|{_SCALE_RE})?$",
    re.IGNORECASE,
)


def parse_number(text: str) -> Fraction:
    """Read one figure as written in copy: "60,000", "1.2m", "13.25%", "−5". Raises UsageError."""
    return _parse_number(text).value


def _parse_number(text: str) -> _Number:
    raw = text.strip()
    m = _INPUT_RE.match(raw)
    if not m:
        raise UsageError(f"could not read {text!r} as a number")
    digits = m.group("num").replace(",", "")
    if len(digits) > 30:
        # No statistic has 30 digits: a reference number pasted in (and Python refuses int() past 4,300).
        raise UsageError(f"{text[:40]!r}{'…' if len(text) > 40 else ''} has {len(digits)} digits: not a figure this tool can check")
    value = Fraction(digits)
    if m.group("sign") in ("-", "−"):
        value = -value
    unit = (m.group("unit") or "").lower()
    round_unit: Fraction | None = None
    if unit in _SCALES:
        scale = _SCALES[unit]
        value *= scale
        round_unit = Fraction(scale) / 10 ** _decimals(digits)
    elif unit != "%" and "." not in digits:
        whole = int(digits)
        zeros = len(digits) - len(digits.rstrip("0"))
        if whole >= 1000 and zeros >= 2:
            round_unit = Fraction(10**zeros)
    return _Number(value, _group_digits(raw), unit == "%", round_unit)


def _shared_round_unit(a: _Number, b: _Number) -> Fraction | None:
    """Figures in one sentence are rounded alike, so only when both look round do we widen them."""
    if a.round_unit is None or b.round_unit is None:
        return None
    return min(a.round_unit, b.round_unit)



class _Lazy:
    """A regex compiled on first use: the common `28 152 443%` form never needs the sentence patterns,
    and compiling them all at import would cost `foistats check` a noticeable slice of its start-up."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self._get().search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._get().finditer(text)

    def findall(self, text: str) -> list[Any]:
        return self._get().findall(text)

    def sub(self, repl: Any, text: str) -> str:
        return self._get().sub(repl, text)


# ---------------------------------------------------------------- normalising copy

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NOT_A_FIGURE = r"(?!\s*(?:%|pp\b|x\b|times\b|-?\s*fold\b|[.,]\d))"
_YEAR = rf"(?:19|20)\d\d\b{_NOT_A_FIGURE}"
_YEAR_STRIPS = [
    _Lazy(rf"\b{_MONTH}\s+(?:19|20)\d\d\b"),
    _Lazy(r"\b(?:19|20)\d\d\s*[/-]\s*(?:19|20)?\d\d\b"),
    _Lazy(
        rf"\b(?:in|since|during|until|till|by|for|of)\s+(?:the\s+)?(?:(?:calendar|financial|fiscal)\s+)?"
        rf"(?:years?\s+)?(?:to\s+|ending\s+)?{_YEAR}"
    ),
    _Lazy(rf"\byears?\s+(?:to|ending)\s+{_YEAR}"),
    _Lazy(r"\(\s*(?:19|20)\d\d\s*\)"),
]
_YEAR_SPAN = _Lazy(rf"\b(?:in|between)\s+((?:19|20)\d\d)\s+(?:and|to|-)\s+((?:19|20)\d\d)\b{_NOT_A_FIGURE}")
_FROM_YEARS = _Lazy(r"\bfrom\s+(?:19|20)\d\d\s+(?:to|until|till|-)\s+(?:19|20)\d\d\b")
_ANY_NUMBER = _Lazy(r"(?<![\w.])\d+(?:[.,]\d+)*+")  # possessive: no nested backtracking


def _normalise(text: str) -> str:
    """Lower-case, one spelling for per cent and percentage points, no years, no thousands commas.

    Replacements keep the rest of the sentence in place so spans stay meaningful.
    """
    t = text.lower()
    for a, b in (("\u2212", "-"), ("\u2013", " - "), ("\u2014", " - "), ("×", "x"), ("→", " -> "),
                 ("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " ")):
        t = t.replace(a, b)
    t = re.sub(r"\s*\bper[\s-]*cent(?:age)?\b(?!age)", "%", t)
    t = re.sub(r"\s*\bpercent\b", "%", t)
    t = re.sub(r"\s*(?:\bpercentage[\s-]+points?|%\s*points?|\bppts?\b|\bpp\b|\bpc\s+pts?\b)", " pp", t)
    # "1pp" and "1 pp" read alike.
    t = re.sub(r"(\d)\s+pp\b", r"\1pp", t)
    # "between 2021 and 2023" is a span of years; "in 2021 to 1900" is a year and then a count.
    t = _YEAR_SPAN.sub(lambda m: " " if 0 < int(m.group(2)) - int(m.group(1)) <= 30 else m.group(0), t)
    for pattern in _YEAR_STRIPS:
        t = pattern.sub(" ", t)
    stripped = _FROM_YEARS.sub(" ", t)
    if stripped != t and len(_ANY_NUMBER.findall(stripped)) >= 2:
        t = stripped
    t = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", t)
    return t


# ---------------------------------------------------------------- finding pairs and figures


def _pnum(g: str) -> str:
    """A before/after figure: a number with an optional % or scale word, and nothing that makes it a claim."""
    return (
        rf"(?<![\w.+\-])(?P<{g}>[+\-]?\d+(?:\.\d+)?)"
        rf"(?:\s*(?P<{g}u>%(?!\s*pp)|(?:{_SCALE_RE})\b))?"
        rf"(?!\s*(?:pp\b|x\b|-?\s*fold\b|times\b))(?!\.\d)(?!\w)"
    )


_LINK = r"\s*(?:\bto\b|->)\s*"
# Ways copy names the two figures, tried in order; group b is always the earlier figure, a the later.
_PAIR_PATTERNS: list[_Lazy] = [
    _Lazy(rf"\bfrom\s+{_pnum('b')}(?:\s+[a-z]+){{0,4}}?{_LINK}(?:an?\s+)?{_pnum('a')}"),  # from 28 to 152
    _Lazy(rf"\bto\s+{_pnum('a')}\s*,?\s+from\s+{_pnum('b')}"),  # rose to 152 from 28
    _Lazy(  # 152, up from 28
        rf"{_pnum('a')}\s*,?\s*(?:(?:up|down|rising|falling|increasing|decreasing|a\s+rise|a\s+fall|"
        rf"an\s+increase|a\s+decrease|a\s+drop|a\s+jump)\s+)?from\s+{_pnum('b')}"
    ),
    _Lazy(  # 152 offences compared with 28
        rf"{_pnum('a')}(?:\s+[a-z]+){{0,4}}?\s*,?\s*(?:compared\s+(?:with|to)|against|versus|vs\.?)\s+"
        rf"(?:the\s+)?{_pnum('b')}"
    ),
    _Lazy(  # 560, 28 times as many as the 20
        rf"{_pnum('a')}[^.;]{{0,60}}?\btimes\s+(?:as\s+(?:many|much|high|large|big)\s+as|"
        rf"(?:more|higher|greater|larger|bigger)\s+than)\s+(?:the\s+|in\s+)?{_pnum('b')}"
    ),
    _Lazy(rf"{_pnum('b')}{_LINK}{_pnum('a')}"),  # 28 to 152, 28 -> 152
]
_PLAIN_NUMBER = _Lazy(_pnum("n"))

_NUM = r"(?<![\w.])(?P<sign>[+\-])?(?P<num>\d+(?:\.\d+)?|\.\d+)"
_PP_RE = _Lazy(_NUM + r"\s*pp\b")
_PCT_RE = _Lazy(_NUM + r"\s*%")
_RATIO_RE = _Lazy(
    rf"(?<![\w.])(?:(?P<num>\d+(?:\.\d+)?)|(?P<word>\b{_WORDS_RE}|twice|thrice))"
    rf"(?:\s*(?P<x>x)(?![a-z])|\s*-?\s*(?P<fold>fold)\b|\s+(?P<times>times)\b"
    rf"(?:\s+(?P<more>more|higher|greater|larger|bigger|over)\b)?|(?<=ce)(?=\s+(?:as|the)\b))"
)
_MULT_RE = _Lazy(
    r"\b(?P<w>doubl(?:ed|ing|es|e)|trebl(?:ed|ing|es|e)|tripl(?:ed|ing|es|e)|quadrupl(?:ed|ing|es|e)|"
    r"quintupl(?:ed|ing|es|e)|halv(?:ed|ing|es|e))\b"
)
_MULTIPLES = {"doubl": 2, "trebl": 3, "tripl": 3, "quadrupl": 4, "quintupl": 5}
_FRACTION_RE = _Lazy(
    r"\b(?:(?P<n>a|one|two|three|four)[\s-]*)?(?P<d>halves|half|thirds?|quarters?|fifths?|tenths?)\b"
)
_DENOMINATORS = {"half": 2, "halve": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}

_QUALIFIERS: list[tuple[str, str]] = [
    ("nearly", r"just\s+(?:under|below|short\s+of)|(?:a\s+little|slightly)\s+(?:under|below|less\s+than)|"
               r"nearly|almost|close\s+to|approaching|not\s+quite"),
    ("just_over", r"just\s+(?:over|above)|(?:a\s+little|slightly)\s+(?:over|above|more\s+than)"),
    ("at_least", r"at\s+least|no\s+(?:fewer|less)\s+than"),
    ("up_to", r"up\s+to|at\s+most|no\s+more\s+than"),
    ("more_than", r"(?:well\s+)?(?:more|greater|higher)\s+than|(?:well\s+)?(?:over|above)|in\s+excess\s+of|"
                  r"upwards\s+of|exceeding"),
    ("less_than", r"(?:less|fewer|lower)\s+than|under|below"),
    ("about", r"about|around|approximately|approx\.?|roughly|some|circa|an\s+estimated|in\s+the\s+region\s+of|~"),
]
_QUALIFIER_RE = _Lazy(
    r"(?:^|(?<=[\s(,~]))(?:" + "|".join(f"(?P<{name}>{rx})" for name, rx in _QUALIFIERS) + r")\s*(?:by\s+)?$"
)

_RISE_RE = _Lazy(
    r"\b(?:ros[e]|rises?|risen|rising|up|increas\w*|jump\w*|soar\w*|climb\w*|gr[eo]w\w*|growth|surg\w*|"
    r"leap\w*|rocket\w*|spik\w*|higher|more|boost\w*|swell\w*|swollen|doubl\w*|trebl\w*|tripl\w*|"
    r"quadrupl\w*|quintupl\w*|hike\w*|upturn|escalat\w*)\b"
)
_FALL_RE = _Lazy(
    r"\b(?:fell|falls?|fallen|falling|down|decreas\w*|drop\w*|declin\w*|plung\w*|plummet\w*|slump\w*|"
    r"cut|cuts|cutting|reduc\w*|lower|fewer|less|halv\w*|shr[iau]nk\w*|dip\w*|tumbl\w*|sank|sink\w*|"
    r"slid\w*|slipped|downturn)\b"
)
_SAME_RE = _Lazy(
    r"\b(?:unchanged|no\s+change|(?:stayed|remained|was|were)\s+(?:the\s+same|flat|steady)|"
    r"held\s+steady|did\s+not\s+change|flat)\b"
)


@dataclass
class _Figure:
    start: int  # including any qualifier
    end: int
    kind: str
    value: Fraction
    step: Fraction
    sign: int | None
    qualifier: str | None
    literal_more: bool
    implied_direction: int | None  # doubled -> +1, halved -> -1
    text: str


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    window_start = max(0, start - 40)
    m = _QUALIFIER_RE.search(text[window_start:start])
    if not m:
        return None, start
    name = next(k for k, v in m.groupdict().items() if v is not None)
    return name, window_start + m.start()


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _find_figures(t: str, taken: list[tuple[int, int]]) -> list[_Figure]:
    found: list[_Figure] = []

    def add(m: re.Match[str], kind: str, value: Fraction, step: Fraction, sign: int | None,
            literal_more: bool = False, implied: int | None = None, qualifier_ok: bool = True) -> None:
        span = (m.start(), m.end())
        if _overlaps(span, taken) or _overlaps(span, [(f.start, f.end) for f in found]):
            return
        qualifier, qstart = _qualifier_before(t, m.start()) if qualifier_ok else (None, m.start())
        found.append(
            _Figure(qstart, m.end(), kind, value, step, sign, qualifier, literal_more, implied,
                    _group_digits(t[qstart:m.end()].strip()))
        )

    for m in _PP_RE.finditer(t):
        num = m.group("num")
        sign = {"+": 1, "-": -1}.get(m.group("sign") or "")
        add(m, "pp", Fraction(num), Fraction(1, 10 ** _decimals(num)), sign)
    for m in _PCT_RE.finditer(t):
        num = m.group("num")
        sign = {"+": 1, "-": -1}.get(m.group("sign") or "")
        add(m, "pct", Fraction(num), Fraction(1, 10 ** _decimals(num)), sign)
    for m in _RATIO_RE.finditer(t):
        if not (m.group("x") or m.group("fold") or m.group("times") or m.group("word") in ("twice", "thrice")):
            continue
        if m.group("num") is not None:
            value, step = Fraction(m.group("num")), Fraction(1, 10 ** _decimals(m.group("num")))
        else:
            word = m.group("word")
            value = Fraction({"twice": 2, "thrice": 3}.get(word) or _word_number(word))
            step = Fraction(1)
        add(m, "ratio", value, step, None, literal_more=bool(m.group("more")))
    for m in _MULT_RE.finditer(t):
        w = m.group("w")
        if w.startswith("halv"):
            add(m, "pct", Fraction(50), Fraction(5), -1, implied=-1)
        else:
            stem = next(s for s in _MULTIPLES if w.startswith(s))
            add(m, "ratio", Fraction(_MULTIPLES[stem]), Fraction(1), None, implied=1)
    for m in _FRACTION_RE.finditer(t):
        prefix = t[max(0, m.start() - 40):m.start()]
        if not re.search(r"\b(?:by|of)\s+(?:[a-z.~]+\s+){0,2}+$", prefix):
            continue
        n_word, d_word = m.group("n"), m.group("d")
        if n_word is None and not d_word.startswith("half"):
            continue
        numerator = {None: 1, "a": 1, "one": 1, "two": 2, "three": 3, "four": 4}[n_word]
        denominator = _DENOMINATORS[d_word.rstrip("s") if d_word != "halves" else "half"]
        value = Fraction(numerator * 100, denominator)
        add(m, "pct", value, value / 10, None)
    found.sort(key=lambda f: f.start)
    return found


def _direction_near(masked: str, start: int, end: int) -> int | None:
    """The direction word nearest before the figure ("up 82%"), else nearest after ("82% lower")."""
    best: tuple[int, int] | None = None  # (distance, direction)
    after: tuple[int, int] | None = None
    for rx, d in ((_RISE_RE, 1), (_FALL_RE, -1), (_SAME_RE, 0)):
        for m in rx.finditer(masked):
            if m.end() <= start:
                dist = start - m.end()
                if best is None or dist < best[0]:
                    best = (dist, d)
            elif m.start() >= end:
                dist = m.start() - end
                if after is None or dist < after[0]:
                    after = (dist, d)
    if best is not None:
        return best[1]
    return after[1] if after is not None else None


def _sentence_direction(masked: str) -> int | None:
    hits = [(m.start(), d) for rx, d in ((_RISE_RE, 1), (_FALL_RE, -1), (_SAME_RE, 0)) for m in rx.finditer(masked)]
    if not hits:
        return None
    return min(hits)[1]


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


@dataclass
class _Pair:
    before: _Number
    after: _Number
    spans: list[tuple[int, int]]


def _find_pair(t: str) -> _Pair | None:
    pairs: list[_Pair] = []
    for pattern in _PAIR_PATTERNS:
        for m in pattern.finditer(t):
            if _overlaps((m.start(), m.end()), [s for p in pairs for s in p.spans]):
                continue
            b_txt = m.group("b") + (m.group("bu") or "")
            a_txt = m.group("a") + (m.group("au") or "")
            if (m.group("bu") == "%") != (m.group("au") == "%"):
                continue  # "rose 28% to 152": a rise and a level, not a pair
            pairs.append(
                _Pair(_parse_number(b_txt), _parse_number(a_txt),
                      [(m.start("b"), m.end("bu") if m.group("bu") else m.end("b")),
                       (m.start("a"), m.end("au") if m.group("au") else m.end("a"))])
            )
    if not pairs:
        return None
    distinct = {(p.before.value, p.after.value) for p in pairs}
    if len(distinct) > 1:
        raise UsageError(
            "found more than one before-and-after pair",
            hint="check one change at a time, e.g. 'rose from 28 to 152, a rise of 443%'",
        )
    return pairs[0]


# ---------------------------------------------------------------- parsing entry points


def parse_claims(text: str) -> list[Claim]:
    """Every claim in one sentence, sharing its before and after figures.

    Copy often carries two figures for one change ("443%, more than five times as
    many"); each is checked on its own. Raises UsageError when nothing checkable is found.
    """
    return _parse(text, None, None)


def parse_claim(text: str) -> Claim:
    """The first claim in a sentence (see `parse_claims` for all of them)."""
    return parse_claims(text)[0]


def parse_args(tokens: list[str]) -> list[Claim]:
    """Read the command-line forms: `28 152 443%`, `10% 11% +1pp`, `100 125 "rose by a quarter"` or one sentence."""
    tokens = [t for t in (tok.strip() for tok in tokens) if t]
    if not tokens:
        raise UsageError("nothing to check", hint='e.g. foistats check 28 152 443% or foistats check "rose from 28 to 152, up 443%"')
    numbers: list[_Number] = []
    for tok in tokens[:2]:
        try:
            numbers.append(_parse_number(tok))
        except UsageError:
            break
    if len(numbers) == 2:
        rest = " ".join(tokens[2:])
        quick = _SIMPLE_CLAIM_RE.match(rest)
        if quick:  # the everyday `28 152 443%` form, read without compiling the sentence grammar
            return [_simple_claim(quick, numbers[0], numbers[1], " ".join(tokens))]
        parsed = _parse(rest, numbers[0], numbers[1], text=" ".join(tokens))
        if rest and parsed[0].kind == "none":
            raise UsageError(
                f"could not read a claim in {rest!r}",
                hint="expected e.g. 443%, +443%, 28x, +1pp, 'doubled' or 'rose by a quarter'",
            )
        return parsed
    if len(numbers) == 1 and len(tokens) == 1:
        raise UsageError(f"{tokens[0]!r} is one figure; give before, after and the claim", hint="e.g. foistats check 28 152 443%")
    return parse_claims(" ".join(tokens))


_SIMPLE_CLAIM_RE = re.compile(
    r"^(?P<sign>[+\-−])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>%|pp|x|×)$", re.IGNORECASE
)


def _simple_claim(m: re.Match[str], before: _Number, after: _Number, text: str) -> Claim:
    digits = m.group("num").replace(",", "")
    kind = {"%": "pct", "pp": "pp", "x": "ratio", "×": "ratio"}[m.group("unit").lower()]
    direction = None if kind == "ratio" else {"+": 1, "-": -1, "−": -1}.get(m.group("sign") or "")
    return Claim(
        kind=kind, value=Fraction(digits), step=Fraction(1, 10 ** _decimals(digits)), direction=direction,
        figure=m.group(0), **_common(text, before, after),
    )


def _common(original: str, before: _Number | None, after: _Number | None) -> dict[str, Any]:
    """The parts of a Claim every figure in one sentence shares."""
    return dict(
        text=original.strip(),
        before=before.value if before else None,
        after=after.value if after else None,
        before_text=before.text if before else None,
        after_text=after.text if after else None,
        inputs_percent=bool((before and before.percent) or (after and after.percent)),
        rounded_unit=_shared_round_unit(before, after) if before and after else None,
    )


def _parse(
    claim_text: str, before: _Number | None, after: _Number | None, *, text: str | None = None
) -> list[Claim]:
    original = text if text is not None else claim_text
    t = _normalise(claim_text)
    pair = _find_pair(t)
    taken = pair.spans if pair else []
    figures = _find_figures(t, taken)
    if pair is not None:
        if before is not None and after is not None and (pair.before.value, pair.after.value) != (before.value, after.value):
            raise UsageError(
                f"the figures {before.text} and {after.text} disagree with the sentence's "
                f"{pair.before.text} to {pair.after.text}"
            )
        before, after = pair.before, pair.after
    elif before is None:
        plain = [
            m for m in _PLAIN_NUMBER.finditer(t)
            if not _overlaps((m.start(), m.end()), [(f.start, f.end) for f in figures])
        ]
        if len(plain) == 2:
            before = _parse_number(plain[0].group(0))
            after = _parse_number(plain[1].group(0))
            taken = [(m.start(), m.end()) for m in plain]
        elif len(plain) > 2:
            raise UsageError(
                f"could not tell which numbers are before and after in {original!r}",
                hint="write it as 'from X to Y'",
            )
    elif not figures and re.fullmatch(r"\s*[+\-]?\d+(?:\.\d+)?\s*", t):
        raise UsageError(
            f"{claim_text.strip()!r} has no unit",
            hint=f"write {claim_text.strip()}% for a percentage, {claim_text.strip()}x for a multiple, "
                 f"or {claim_text.strip()}pp for percentage points",
        )
    masked = _mask(t, taken + [(f.start, f.end) for f in figures])
    common = _common(original, before, after)
    claims: list[Claim] = []
    for f in figures:
        if f.sign is not None:
            direction: int | None = f.sign
        else:
            word = _direction_near(masked, f.start, f.end)
            if f.implied_direction is not None and word != -1:
                direction = f.implied_direction
            else:
                direction = word
            if direction == 0:
                direction = None
        if f.kind == "ratio" and direction == 1:
            direction = None  # a multiple above one is a rise already; keep None so the claim reads plainly
        claims.append(
            Claim(kind=f.kind, value=f.value, step=f.step, qualifier=f.qualifier, direction=direction,
                  figure=f.text, literal_more=f.literal_more, **common)  # type: ignore[arg-type]
        )
    if claims:
        return claims
    direction = _sentence_direction(masked)
    if direction is not None:
        return [Claim(kind="direction", direction=direction, figure="", **common)]  # type: ignore[arg-type]
    if before is not None and after is not None:
        return [Claim(kind="none", **common)]  # type: ignore[arg-type]
    raise UsageError(
        f"could not find a figure to check in {original.strip()!r}",
        hint="expected e.g. 443%, 28x, +1pp, 'doubled', 'six-fold' or 'rose from 28 to 152'",
    )


# ---------------------------------------------------------------- checking


def check_against(claim: Claim, before: float | int | Fraction | str, after: float | int | Fraction | str,
                  *, rounded_unit: Fraction | None = None) -> Verdict:
    """Check a claim parsed from prose against figures found elsewhere (e.g. a dataset).

    This is the hook for `check --data`: the sentence names the change, the data supplies
    the before and after values, and the verdict rules are the very same.
    """
    b = before if isinstance(before, Fraction) else (parse_number(before) if isinstance(before, str) else Fraction(before))
    a = after if isinstance(after, Fraction) else (parse_number(after) if isinstance(after, str) else Fraction(after))
    return check(replace(claim, before=b, after=a, before_text=_fmt_plain(b), after_text=_fmt_plain(a),
                         rounded_unit=rounded_unit))


def check(claim: Claim) -> Verdict:
    """Recompute the change from the claim's own figures and judge the claim at its own precision."""
    b, a = claim.before, claim.after
    if b is None or a is None:
        what = f"'{claim.figure}'" if claim.figure else "the claim"
        return Verdict(
            claim, CANNOT_CHECK,
            f"no before and after figures to check {what} against",
            diagnosis="no_figures",
            suggestion=f'give them: foistats check BEFORE AFTER "{claim.text}"',
        )
    if claim.kind == "none":
        exact = _pct_change(b, a) if b > 0 else None
        return Verdict(
            claim, CANNOT_CHECK, f"{_describe_change(claim)}; nothing was claimed to check",
            exact=exact, suggestion=_suggest(claim),
        )
    if claim.kind == "direction":
        return _check_direction(claim)
    if claim.kind in ("pct", "ratio"):
        if b == 0:
            return Verdict(
                claim, INCONSISTENT,
                f"the starting figure is 0, so a {'percentage change' if claim.kind == 'pct' else 'multiple'} "
                f"is undefined and '{claim.figure}' cannot be right; give both figures instead",
                diagnosis="zero_base", suggestion=_suggest(claim, "direction"),
            )
        if b < 0 or a < 0:
            return Verdict(
                claim, CANNOT_CHECK,
                "a percentage change or multiple of a negative figure means nothing",
                diagnosis="negative_base", suggestion=_suggest(claim, "pp"),
            )
    if claim.kind == "pct":
        return _check_pct(claim, b, a)
    if claim.kind == "pp":
        return _check_pp(claim, b, a)
    return _check_ratio(claim, b, a)


def _ranges(claim: Claim, fn: Any) -> tuple[Fraction, Fraction, Fraction]:
    """The exact value and, when the inputs look rounded, the lowest and highest it could be."""
    b, a = claim.before, claim.after
    assert b is not None and a is not None
    exact = fn(b, a)
    if claim.rounded_unit is None:
        return exact, exact, exact
    h = claim.rounded_unit / 2
    corners = [fn(bb, aa) for bb in (b - h, b + h) for aa in (a - h, a + h) if bb > 0]
    return exact, min(corners), max(corners)


def _pct_change(b: Fraction, a: Fraction) -> Fraction:
    return (a - b) / b * _HUNDRED


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)


def _check_pct(claim: Claim, b: Fraction, a: Fraction) -> Verdict:
    assert claim.value is not None
    exact, lo, hi = _ranges(claim, _pct_change)
    if claim.direction in (1, -1):
        sign = claim.direction
    elif claim.value > 100:
        sign = 1  # an unsigned 443% can only be a rise
    else:
        sign = _sign(exact) or 1
    iv = claim.interval(sign)
    base = _describe_change(claim)
    if iv.meets(lo, hi):
        return Verdict(claim, CONSISTENT, f"{base}, {_agreement(claim, exact, lo, hi, '%')} — consistent",
                       exact, lo, hi, iv)

    def fail(code: str, why: str, suggestion: str | None = None) -> Verdict:
        return Verdict(claim, INCONSISTENT, f"{base}; {why} — inconsistent", exact, lo, hi, iv, code,
                       suggestion or _suggest(claim))

    said = f"'{claim.figure}'"
    if iv.low is None or iv.high is None or claim.qualifier in _ONE_SIDED:
        return fail(*_miss(claim, exact, sign, "%"))
    wrong_base = (a - b) / a * _HUNDRED if a != 0 else None
    if sign == -1 and claim.value > 100:
        if wrong_base is not None and iv.contains(wrong_base):
            return fail("wrong_base", f"{said} divides the fall by {_name(claim, 'after')}, the later figure; "
                        f"nothing can fall by more than 100%, and from {_name(claim, 'before')} it is a fall of "
                        f"{_fmt_pct(-exact)}%")
        return fail("fall_over_100", f"nothing can fall by more than 100% (that would go below zero); "
                    f"the fall is {_fmt_pct(-exact)}%")
    reversed_pct = (b - a) / a * _HUNDRED if a != 0 else None
    if iv.negated().meets(lo, hi) and exact != 0:
        return fail("direction", f"{said} has the direction wrong: the figures show a "
                    f"{'fall' if exact < 0 else 'rise'}, not a {'rise' if exact < 0 else 'fall'}")
    if reversed_pct is not None and iv.contains(reversed_pct):
        return fail("direction", f"{said} is the change from {_name(claim, 'after')} to {_name(claim, 'before')}: "
                    f"the figures are the wrong way round")
    ratio_pct = a / b * _HUNDRED * sign
    if iv.contains(ratio_pct):
        as_pct = a / b * _HUNDRED
        shown = "" if as_pct == claim.value else f" ({_fmt_pct(as_pct)}%)"
        return fail("ratio_as_rise", f"{said} is {_name(claim, 'after')} as a percentage of "
                    f"{_name(claim, 'before')}{shown}, not the change — the ratio was "
                    f"reported as a {'rise' if sign > 0 else 'fall'}",
                    _suggest(claim, "pct_ratio"))
    if wrong_base is not None and iv.contains(wrong_base):
        return fail("wrong_base", f"{said} divides the change by {_name(claim, 'after')}, the later figure, "
                    f"instead of {_name(claim, 'before')}")
    if claim.inputs_percent and iv.contains(a - b):
        return fail("points_vs_percent", f"{said} is the change in percentage points ({_fmt_plain(a - b)}), "
                    f"not per cent: in per cent it is {_fmt_signed_pct(exact)}", _suggest(claim, "pp_pct"))
    return fail(*_miss(claim, exact, sign, "%"))


def _check_pp(claim: Claim, b: Fraction, a: Fraction) -> Verdict:
    assert claim.value is not None
    exact, lo, hi = _ranges(claim, lambda bb, aa: aa - bb)
    sign = claim.direction if claim.direction in (1, -1) else (_sign(exact) or 1)
    iv = claim.interval(sign)
    base = _describe_change(claim)
    if iv.meets(lo, hi):
        return Verdict(claim, CONSISTENT, f"{base}, {_agreement(claim, exact, lo, hi, ' points')} — consistent",
                       exact, lo, hi, iv)

    def fail(code: str, why: str, suggestion: str | None = None) -> Verdict:
        return Verdict(claim, INCONSISTENT, f"{base}; {why} — inconsistent", exact, lo, hi, iv, code,
                       suggestion or _suggest(claim))

    said = f"'{claim.figure}'"
    if iv.negated().meets(lo, hi) and exact != 0:
        return fail("direction", f"{said} has the direction wrong: the figures show a "
                    f"{'fall' if exact < 0 else 'rise'}")
    if claim.qualifier in _ONE_SIDED:
        return fail(*_miss(claim, exact, sign, " points"))
    if b > 0 and iv.contains(_pct_change(b, a)):
        return fail("points_vs_percent", f"{said} is the change in per cent ({_fmt_signed_pct(_pct_change(b, a))}), "
                    f"not in percentage points ({_fmt_plain(a - b)})")
    return fail(*_miss(claim, exact, sign, " points"))


def _check_ratio(claim: Claim, b: Fraction, a: Fraction) -> Verdict:
    assert claim.value is not None
    falling = claim.direction == -1 and claim.value > 1
    exact, lo, hi = _ranges(claim, (lambda bb, aa: bb / aa if aa else Fraction(10**12)) if falling else (lambda bb, aa: aa / bb))
    iv = claim.interval()
    base = _describe_change(claim)
    said = f"'{claim.figure}'"
    if claim.literal_more:
        literal = replace(claim, value=claim.value + 1, literal_more=False).interval()
        if literal.meets(lo, hi):
            return Verdict(
                claim, CONSISTENT,
                f"{base}; read literally, {said} means {_fmt_plain(claim.value + 1)} times as many — consistent, "
                f"but many readers take it as {_fmt_plain(claim.value)} times as many, so say it plainly",
                exact, lo, hi, literal, suggestion=_suggest(claim, "ratio"),
            )
        if iv.meets(lo, hi):
            return Verdict(
                claim, INCONSISTENT,
                f"{base}; {said} literally means {_fmt_plain(claim.value + 1)} times as many "
                f"({_fmt_plain(claim.value)} times more than {_name(claim, 'before')}, added to it) — inconsistent: "
                f"say '{_fmt_plain(claim.value)} times as many'",
                exact, lo, hi, literal, "times_more", _suggest(claim, "ratio"),
            )
        iv = literal
    elif iv.meets(lo, hi):
        return Verdict(claim, CONSISTENT, f"{base}, {_agreement(claim, exact, lo, hi, ' times')} — consistent",
                       exact, lo, hi, iv)

    def fail(code: str, why: str, suggestion: str | None = None) -> Verdict:
        return Verdict(claim, INCONSISTENT, f"{base}; {why} — inconsistent", exact, lo, hi, iv, code,
                       suggestion or _suggest(claim))

    if claim.qualifier in _ONE_SIDED:
        return fail(*_miss(claim, exact, 1, " times"))
    other = a / b if falling else (b / a if a else None)
    if other is not None and iv.contains(other) and other != exact:
        return fail("direction", f"{said} has the direction wrong: {_name(claim, 'after')} is "
                    f"{'more' if a > b else 'less'} than {_name(claim, 'before')}")
    rise_multiple = (a - b) / b
    if not falling and rise_multiple > 0 and iv.contains(rise_multiple):
        return fail("rise_as_ratio", f"{said} counts only the rise ({_fmt_plain(a - b)} more, "
                    f"{_fmt_ratio(rise_multiple)} times {_name(claim, 'before')}); {_name(claim, 'after')} is "
                    f"{_fmt_ratio(exact)} times as many")
    return fail(*_miss(claim, exact, 1, " times"))


def _check_direction(claim: Claim) -> Verdict:
    b, a = claim.before, claim.after
    assert b is not None and a is not None
    actual = _sign(a - b)
    exact = _pct_change(b, a) if b > 0 else None
    base = _describe_change(claim)
    word = {1: "rose", -1: "fell", 0: "unchanged"}[claim.direction or 0]
    if actual == claim.direction:
        return Verdict(claim, CONSISTENT, f"{base} — '{word}' is consistent", exact)
    return Verdict(claim, INCONSISTENT, f"{base}, so '{word}' is wrong — inconsistent", exact,
                   diagnosis="direction", suggestion=_suggest(claim, "direction"))


def _miss(claim: Claim, exact: Fraction, sign: int, unit: str) -> tuple[str, str]:
    """No classic mistake explains it: say whether it is a rounding slip or simply wrong."""
    assert claim.value is not None and claim.step is not None
    said = f"'{claim.figure}'"
    shown = _fmt_unit(exact, unit)
    if claim.qualifier is None and claim.kind == "ratio":
        iv = claim.interval()
        allowed = f"{_fmt_plain(iv.low)} to {_fmt_plain(iv.high)} times"
        # "rounding" when the writer rounded to the unit where a multiple needs more care (5.43 -> "five times").
        code = "rounding" if abs(exact - claim.value) <= claim.step / 2 else "mismatch"
        return code, f"{said} allows {allowed}, but the figures give {_fmt_ratio(exact)} times"
    if claim.qualifier is None:
        centre = claim.value * sign
        if abs(exact - centre) <= max(claim.step * Fraction(3, 2), abs(claim.value) / 100):
            rounded = _round_half_up(abs(exact), _places(claim.step))
            return "rounding", f"{_fmt_unit(abs(exact), unit, exact_sign=False)} rounds to " \
                               f"{_fmt_fixed(rounded, _places(claim.step))}{unit.strip() if unit == '%' else unit}, " \
                               f"not {claim.figure}"
        return "mismatch", f"{said} does not match: the figures give {shown}"
    bound = {
        "nearly": "just under", "about": "about", "more_than": "more than", "at_least": "at least",
        "less_than": "less than", "up_to": "up to", "just_over": "just over",
    }[claim.qualifier]
    return "mismatch", f"{said} needs a value {bound} {_fmt_plain(claim.value)}{unit if unit == '%' else unit}, " \
                       f"but the figures give {_fmt_unit(abs(exact) if claim.kind != 'ratio' else exact, unit, exact_sign=False)}"


def _agreement(claim: Claim, exact: Fraction, lo: Fraction, hi: Fraction, unit: str) -> str:
    assert claim.value is not None and claim.step is not None
    glue = "" if unit == "%" else unit
    claimed = f"{_fmt_plain(claim.value)}{'%' if unit == '%' else glue}"
    if claim.rounded_unit is not None and lo != hi:
        span = f"{_fmt_unit(lo, unit)} to {_fmt_unit(hi, unit)}"
        return (f"and the figures look rounded to the nearest {_fmt_plain(claim.rounded_unit)}, so it could be "
                f"anywhere from {span}; '{claim.figure}' fits")
    if claim.qualifier is None:
        if abs(exact) == claim.value:
            return "exactly as claimed" + (f" ('{claim.figure}')" if claim.kind == "ratio" else "")
        if claim.kind == "ratio" and claim.step >= 1 and claim.step / 2 > claim.value * _TWENTIETH:
            return f"within 5% of {claimed} ('{claim.figure}')"
        return f"which rounds to {claimed}"
    words = {
        "nearly": "nearly", "about": "about", "more_than": "more than", "at_least": "at least",
        "less_than": "less than", "up_to": "up to", "just_over": "just over",
    }[claim.qualifier]
    note = ""
    if claim.qualifier in ("more_than", "at_least", "just_over") and abs(exact) >= claim.value * Fraction(3, 2):
        note = " (true, though it understates the change)"
    return f"which is {words} {claimed}{note}"


# ---------------------------------------------------------------- words for people


def _name(claim: Claim, which: str) -> str:
    text = claim.before_text if which == "before" else claim.after_text
    value = claim.before if which == "before" else claim.after
    return text if text else _fmt_plain(value) if value is not None else "?"


def _describe_change(claim: Claim) -> str:
    """The plain fact, before any judgement: "152 is 5.43 times 28: a rise of 442.9%"."""
    b, a = claim.before, claim.after
    assert b is not None and a is not None
    B, A = _name(claim, "before"), _name(claim, "after")
    if claim.kind == "pp" or (claim.inputs_percent and claim.kind != "ratio"):
        diff = a - b
        if diff == 0:
            return f"{B} to {A} is no change"
        pts = _fmt_plain(abs(diff))
        word = "rise" if diff > 0 else "fall"
        tail = f" (a {word} of {_fmt_pct(abs(_pct_change(b, a)))}%)" if b > 0 else ""
        return f"{B} to {A} is a {word} of {pts} percentage point{'s' if abs(diff) != 1 else ''}{tail}"
    if b == 0:
        return f"{B} to {A} is a {'rise' if a > 0 else 'fall' if a < 0 else 'change'} from zero"
    if b < 0 or a < 0:
        return f"{B} to {A} is a change of {_fmt_plain(a - b)}"
    if a == b:
        return f"{A} equals {B}: no change"
    if a > b:
        return f"{A} is {_fmt_ratio(a / b)} times {B}: a rise of {_fmt_pct(_pct_change(b, a))}%"
    if claim.kind == "ratio" and claim.direction == -1 and a > 0:
        return f"{B} is {_fmt_ratio(b / a)} times {A}: a fall of {_fmt_pct(-_pct_change(b, a))}%"
    return f"{A} is {_fmt_pct(a / b * _HUNDRED)}% of {B}: a fall of {_fmt_pct(-_pct_change(b, a))}%"


def _suggest(claim: Claim, style: str | None = None) -> str | None:
    """A phrasing the checker itself accepts, in the claim's own style where that can be right."""
    b, a = claim.before, claim.after
    if b is None or a is None:
        return None
    B, A = _name(claim, "before"), _name(claim, "after")
    if claim.inputs_percent:  # "from 10 to 11%" would read as a level and a change, not a pair
        B, A = (x if x.endswith("%") else _fmt_plain(v) + "%" for x, v in ((B, b), (A, a)))
    if a == b:
        return f"unchanged from {B} to {A}"
    verb, noun = ("rose", "rise") if a > b else ("fell", "fall")
    base = f"{verb} from {B} to {A}"
    style = style or claim.kind
    if style == "pp" or (style == "pp_pct") or (claim.kind == "pp" and style != "direction"):
        places = max(_input_places(claim.before_text), _input_places(claim.after_text))
        diff = _fmt_fixed(abs(a - b), places)
        pts = f"{diff} percentage point{'' if abs(a - b) == 1 else 's'}"
        text = f"{base}, {'up' if a > b else 'down'} {pts}"
        if style == "pp_pct" and b > 0:
            text += f" (a {noun} of {_fmt_suggest_pct(claim, _pct_change(b, a))}%)"
        return text
    if b <= 0 or a < 0 or style == "direction":
        return base
    ratio = a / b
    if style == "ratio" and ratio >= Fraction(3, 2):
        return f"{base}, {_fmt_suggest_ratio(ratio)} times as many"
    pct = f"{base}, a {noun} of {_fmt_suggest_pct(claim, _pct_change(b, a))}%"
    if style == "pct_ratio" and ratio >= Fraction(3, 2):
        pct += f" ({_fmt_suggest_ratio(ratio)} times as many)"
    return pct


def _fmt_suggest_pct(claim: Claim, exact: Fraction) -> str:
    places = _places(claim.step) if claim.kind == "pct" and claim.step is not None else 0
    while _round_half_up(abs(exact), places) == 0 and exact != 0 and places < 12:
        places += 1
    return _fmt_fixed(_round_half_up(abs(exact), places), places)


def _fmt_suggest_ratio(ratio: Fraction) -> str:
    places = 0 if ratio >= 10 else 1
    return _fmt_fixed(_round_half_up(ratio, places), places)


def _input_places(text: str | None) -> int:
    if not text:
        return 0
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else 0


def _places(step: Fraction | None) -> int:
    """Decimal places a step stands for (0.1 -> 1); steps that are not powers of ten (2.5) -> 0."""
    if step is None or step >= 1:
        return 0
    places = 0
    s = step
    while s < 1 and places < 12:
        s *= 10
        places += 1
    return places


def _round_half_up(x: Fraction, places: int) -> Fraction:
    q = 10**places
    m = abs(x) * q
    r = math.floor(m + Fraction(1, 2))
    return Fraction(r * (1 if x >= 0 else -1), q)


def _fmt_fixed(x: Fraction, places: int) -> str:
    r = _round_half_up(x, places)
    d = Decimal(int(r * 10**places)).scaleb(-places)
    return f"{d:,.{places}f}"


def _fmt_plain(x: Fraction | None) -> str:
    """Exactly, if it has a short decimal form (1.25, 60,000), else to 4 places."""
    if x is None:
        return ""
    for places in range(0, 5):
        if (x * 10**places).denominator == 1:
            return _fmt_fixed(x, places)
    return _fmt_fixed(x, 4).rstrip("0").rstrip(".")


def _fmt_bound(x: Fraction) -> str:
    return _fmt_plain(x)


def _fmt_pct(x: Fraction) -> str:
    """One decimal place (442.9), whole numbers bare (2,700), tiny values with enough places to show."""
    if x.denominator == 1:
        return f"{int(x):,}"
    places = 1
    while _round_half_up(x, places) == 0 and places < 8:
        places += 1
    return _fmt_fixed(x, places)


def _fmt_signed_pct(x: Fraction) -> str:
    return f"a {'rise' if x >= 0 else 'fall'} of {_fmt_pct(abs(x))}%"


def _fmt_ratio(x: Fraction) -> str:
    if x.denominator == 1:
        return f"{int(x):,}"
    return _fmt_fixed(x, 2)


def _fmt_unit(x: Fraction, unit: str, exact_sign: bool = True) -> str:
    if unit == "%":
        return _fmt_signed_pct(x) if exact_sign else f"{_fmt_pct(x)}%"
    if unit.strip() == "times":
        return f"{_fmt_ratio(x)} times"
    value = _fmt_plain(abs(x)) if not exact_sign else _fmt_plain(x)
    return f"{value}{unit}"


def _plain_number(x: Fraction | None) -> int | float | None:
    if x is None:
        return None
    if x.denominator == 1:
        return int(x)
    return float(x)
