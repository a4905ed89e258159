"""Numbers written for people: 442.9%, 2,700, 5.43 — rounded half up, once, at output.

Kept apart from the judging so every message and suggested phrasing rounds the same
way: arithmetic stays in exact fractions until the moment it is printed.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction


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
    for places in range(5):
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
