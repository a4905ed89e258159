"""Judging a claim: recompute the change from its two figures and hold the claim to its own precision.

443% stands for [442.5%, 443.5%), so 442.9% is consistent and 442% is not; "nearly",
"more than" and "about" widen or bound that interval. When a claim fails, the judge
tries the classic mistakes in turn (the ratio reported as a rise, the wrong base,
points for per cent, the figures the wrong way round, rounding) and names the one that
explains it. Arithmetic is in exact fractions, so a value sitting exactly on a
rounding boundary is judged by the rule, not by binary floating point.

This module never reads text: `check(claim)` judges a claim read by `sentence` or
`passage`, and `check_against(claim, before, after)` judges a claim against figures
found elsewhere (a dataset, for `check --data`).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

from foistats.analysis.claims.model import (
    _HUNDRED,
    _ONE_SIDED,
    _TWENTIETH,
    CANNOT_CHECK,
    CONSISTENT,
    INCONSISTENT,
    Claim,
    Verdict,
    _pct_change,
    _sign,
)
from foistats.analysis.claims.numbers import parse_number
from foistats.analysis.claims.phrasing import (
    _describe_change,
    _name,
    _suggest,
    arithmetic,
    figures_used,
)
from foistats.analysis.claims.wording import (
    _fmt_fixed,
    _fmt_pct,
    _fmt_plain,
    _fmt_ratio,
    _fmt_signed_pct,
    _fmt_unit,
    _places,
    _round_half_up,
)

# ---------------------------------------------------------------- checking


def check_against(claim: Claim, before: float | Fraction | str, after: float | Fraction | str,
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
    """Recompute the change from the claim's own figures and judge the claim at its own precision.

    The verdict carries the figures used and the arithmetic, so a reader can redo the sum.
    """
    verdict = _judge(claim)
    return replace(verdict, figures=figures_used(claim), arithmetic=arithmetic(claim))


def _judge(claim: Claim) -> Verdict:
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
    if claim.kind == "abs":
        return _check_abs(claim, b, a)
    if claim.kind == "pp":
        return _check_pp(claim, b, a)
    return _check_ratio(claim, b, a)


def _ranges(claim: Claim, fn: Any) -> tuple[Fraction, Fraction, Fraction]:
    """The exact value and, when the inputs look rounded, the lowest and highest it could be."""
    b, a = claim.before, claim.after
    assert b is not None and a is not None
    exact = fn(b, a)
    if claim.bounds is not None:
        b_lo, b_hi, a_lo, a_hi = claim.bounds
        corners = [fn(bb, aa) for bb in (b_lo, b_hi) for aa in (a_lo, a_hi) if bb > 0 or claim.kind in ("pp", "abs")]
        if corners:
            return exact, min(corners + [exact]), max(corners + [exact])
    if claim.rounded_unit is None:
        return exact, exact, exact
    h = claim.rounded_unit / 2
    corners = [fn(bb, aa) for bb in (b - h, b + h) for aa in (a - h, a + h) if bb > 0]
    return exact, min(corners), max(corners)




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


def _check_abs(claim: Claim, b: Fraction, a: Fraction) -> Verdict:
    """ "Up by 51", "741 fewer", "an increase of 5,864": the difference itself, at the claim's precision."""
    assert claim.value is not None
    exact, lo, hi = _ranges(claim, lambda bb, aa: aa - bb)
    sign = claim.direction if claim.direction in (1, -1) else (_sign(exact) or 1)
    iv = claim.interval(sign)
    diff = _fmt_plain(abs(exact))
    more = "more" if exact > 0 else "fewer"
    base = f"{_name(claim, 'after')} − {_name(claim, 'before')} = {_fmt_plain(exact)}" + (
        f" ({diff} {more})" if exact else ""
    )
    if iv.meets(lo, hi):
        how = "exactly as claimed" if abs(exact) == claim.value else f"'{claim.figure}' fits"
        return Verdict(claim, CONSISTENT, f"{base}, {how} — consistent", exact, lo, hi, iv)
    said = f"'{claim.figure}'"
    if iv.negated().meets(lo, hi) and exact != 0:
        code, why = "direction", f"{said} has the direction wrong: the figures show {diff} {more}"
    elif claim.qualifier is None and abs(abs(exact) - claim.value) <= max(claim.step or 1, abs(exact) / 100):
        code, why = "rounding", f"{said} is close, but the figures give {diff} {more}"
    else:
        code, why = "mismatch", f"{said} does not match: the figures give {diff} {more}"
    return Verdict(claim, INCONSISTENT, f"{base}; {why} — inconsistent", exact, lo, hi, iv, code, _suggest(claim, "abs"))


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
            # Two more places than the claim, so a near miss reads right: 313.45% rounds to 313%, not 314%.
            precise = _fmt_fixed(abs(exact), _places(claim.step) + 2).rstrip("0").rstrip(".")
            unit_text = unit.strip() if unit == "%" else unit
            return "rounding", f"{precise}{unit_text} rounds to " \
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


