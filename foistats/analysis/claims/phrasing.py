"""Sentences about a change: the plain fact ("152 is 5.43 times 28: a rise of 442.9%") and a
corrected phrasing the checker itself would accept.

A verdict is only useful to a sub-editor if it says what to write instead, in the
writer's own style where that style can be right (a multiple stays a multiple, points
stay points). The property tests hold this module to that: every suggestion passes.
"""

from __future__ import annotations

from fractions import Fraction

from foistats.analysis.claims.model import _HUNDRED, Claim, _pct_change
from foistats.analysis.claims.wording import (
    _fmt_fixed,
    _fmt_pct,
    _fmt_plain,
    _fmt_ratio,
    _input_places,
    _places,
    _round_half_up,
)

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
    if style == "abs":
        return f"{base}, {_fmt_plain(abs(a - b))} {'more' if a > b else 'fewer'}"
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




def figures_used(claim: Claim) -> str | None:
    """The two figures a claim was checked against, as written, and how any unprinted one was worked out."""
    if claim.before is None or claim.after is None:
        return None
    text = f"{_name(claim, 'before')} → {_name(claim, 'after')}"
    return f"{text} ({claim.derivation})" if claim.derivation else text


def arithmetic(claim: Claim) -> str | None:
    """The sum behind the verdict, in the claim's own unit, so a reader can redo it."""
    b, a = claim.before, claim.after
    if b is None or a is None:
        return None
    B, A = _fmt_plain(b), _fmt_plain(a)
    if claim.kind in ("pp", "abs") or (claim.inputs_percent and claim.kind != "ratio"):
        unit = " points" if claim.kind == "pp" or claim.inputs_percent else ""
        return f"{A} − {B} = {_fmt_plain(a - b)}{unit}"
    if b == 0:
        return f"{A} − {B} = {_fmt_plain(a - b)}; a change from zero has no percentage or multiple"
    if claim.kind == "ratio":
        if claim.direction == -1 and a > 0 and b > a:
            return f"{B} / {A} = {_fmt_fixed(b / a, 4).rstrip('0').rstrip('.')}"
        return f"{A} / {B} = {_fmt_fixed(a / b, 4).rstrip('0').rstrip('.')}"
    change = _pct_change(b, a)
    signed = ("+" if change > 0 else "−" if change < 0 else "") + _fmt_fixed(abs(change), 2)
    return f"({A} − {B}) / {B} = {signed}%"
