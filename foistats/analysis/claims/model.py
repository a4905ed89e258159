"""The vocabulary of claim checking: what a claim asserts, the values it allows, and the verdict.

Reading copy (`sentence`, `passage`) produces `Claim`s; judging them (`judge`) produces
`Verdict`s. Both sides meet here, so this module holds the data and nothing that reads
or judges: the `Interval` a claim allows at its own precision, the `Claim` itself, and
the `Verdict` with its output row, whose keys are a public interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from foistats.analysis.claims.wording import (
    _fmt_bound,
    _fmt_pct,
    _fmt_plain,
    _plain_number,
)

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
CANNOT_CHECK = "cannot check"

# What a claim asserts: a percentage change, a multiple, a change in percentage points,
# an absolute change ("741 fewer", "up by 51"), only a direction ("rose"), or nothing at all (two bare figures).
KINDS = ("pct", "ratio", "pp", "abs", "direction", "none")

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
    "not_checked",  # (passage rows only) a figure in the passage that no claim used
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
    # (before low, before high, after low, after high) when copy qualifies a figure itself:
    # "over 500" is a floor, "just over 1m" a little more than a million.
    bounds: tuple[Fraction, Fraction, Fraction, Fraction] | None = None
    derivation: str | None = None  # how a figure the passage never printed was worked out

    @property
    def unit(self) -> str:
        return {"pct": "%", "ratio": "x", "pp": "pp"}.get(self.kind, "")  # abs: in the figures' own unit

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
        if self.kind in ("pct", "pp", "abs") and self.direction in (1, -1):
            sign = "+" if self.direction == 1 else "-"
        body = {"pct": f"{sign}{number}%", "pp": f"{sign}{number}pp", "ratio": f"{number}x", "abs": f"{sign}{number}"}[
            self.kind
        ]
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
        if qualifier and self.kind in ("pct", "pp", "abs") and sign:
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
        return iv.scaled(sign) if self.kind in ("pct", "pp", "abs") else iv


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
    figures: str | None = None  # the figures used, as written: "196 → 169"
    arithmetic: str | None = None  # the sum behind the verdict: "(169 − 196) / 196 = −13.78%"

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
            "figures": self.figures,
            "arithmetic": self.arithmetic,
        }



# ---------------------------------------------------------------- arithmetic both sides share


def _pct_change(b: Fraction, a: Fraction) -> Fraction:
    """The percentage change from b to a, exactly."""
    return (a - b) / b * _HUNDRED


def _sign(x: Fraction) -> int:
    return (x > 0) - (x < 0)
