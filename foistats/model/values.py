"""Read one cell as a number, a disclosure symbol, or not a value at all.

A symbol is never turned into 0 (GSS "Using symbols and shorthand", 2022): the
value stays None and the status says why; `<5` carries its range in low/high.
Footnote markers glued to numbers ("17~", "2**", "3^") are kept as a note and never
change the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from typing import Any

from foistats.model import schema


@dataclass(frozen=True, slots=True)
class Value:
    value: float | int | None
    status: str
    low: float | int | None = None
    high: float | int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SymbolKey:
    """What a sheet's own key says its symbols mean, e.g. "<5 = between 1 and 4"."""

    less_than_low: int = 0  # lower bound of "<N" (0 unless the key says "between 1 and")
    star_high: int | None = None  # "* = fewer than 3" -> 2
    star_low: int = 0


DEFAULT_KEY = SymbolKey()

_SYMBOLS: dict[str, str] = {
    "*": schema.SUPPRESSED,
    "[c]": schema.SUPPRESSED,
    "c": schema.SUPPRESSED,
    "[x]": schema.NOT_AVAILABLE,
    "x": schema.NOT_AVAILABLE,
    "..": schema.NOT_AVAILABLE,
    "...": schema.NOT_AVAILABLE,
    ":": schema.NOT_AVAILABLE,
    "n/a": schema.NOT_AVAILABLE,
    "na": schema.NOT_AVAILABLE,
    "n.a.": schema.NOT_AVAILABLE,
    "not available": schema.NOT_AVAILABLE,
    "not recorded": schema.NOT_AVAILABLE,
    "[z]": schema.NOT_APPLICABLE,
    "z": schema.NOT_APPLICABLE,
    "n/app": schema.NOT_APPLICABLE,
    "not applicable": schema.NOT_APPLICABLE,
    "[low]": schema.LOW,
    "~": schema.LOW,
    "[k]": schema.LOW,
    "-": schema.NIL,
    "–": schema.NIL,
    "—": schema.NIL,
    "nil": schema.NIL,
    "none": schema.NIL,
    "[w]": schema.NIL,
    "[u]": schema.OK,
}
# Shorthand attached to a number: "123 [r]", "45[e]", "12 (p)".
_FLAG_STATUS = {"r": schema.REVISED, "e": schema.ESTIMATED, "p": schema.PROVISIONAL, "u": schema.OK}
_NUMBER = re.compile(
    r"""^\s*
    (?P<sign>[-+−])?\s*
    (?P<cur>[£$€])?\s*
    (?P<num>(?:(?:\d{1,3}(?:[,\u00a0 ]\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d{1,3})?)
    \s*(?P<pct>%)?
    (?P<tail>(?:\s*\[[a-z]{1,3}\])*+|\s*\([rep]\)|[*^~†‡"#¹²³⁴⁵⁶⁷⁸⁹⁰]+|\s+[rR])?
    \s*$""",
    re.X,
)
_LESS_THAN = re.compile(r"^\s*(?:<|&lt;|less than|fewer than|under)\s*(\d+)\s*$", re.I)
_RANGE = re.compile(r"^\s*(\d+)\s*(?:-|–|to)\s*(\d+)\s*$")
_BRACKET_FLAGS = re.compile(r"\[([a-z]{1,3})\]")


def parse_value(raw: Any, key: SymbolKey = DEFAULT_KEY) -> Value | None:
    """A `Value`, or None when the cell is empty or is ordinary text (a label, a note)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        if not _plausible(raw):  # NaN, infinity, 1e308: not a count of anything
            return None
        return Value(_int_if_whole(raw), schema.OK)
    if isinstance(raw, (datetime, date, time, timedelta)):
        return None
    if isinstance(raw, str):
        return _parse_text(raw, key)
    return _parse_text(str(raw), key)


@lru_cache(maxsize=65536)  # issue 17: the same few strings ("0", "*", "<5") fill most cells
def _parse_text(raw: str, key: SymbolKey) -> Value | None:
    text = raw.strip().replace("\u00a0", " ")
    if not text:
        return None
    lowered = text.lower()
    status = _SYMBOLS.get(lowered)
    if status is not None:
        if status == schema.SUPPRESSED and lowered == "*" and key.star_high is not None:
            return Value(None, status, key.star_low, key.star_high, text)
        if status == schema.NIL:
            return Value(None, status, 0, 0, text)
        if status == schema.LOW:
            return Value(None, status, 0, None, text)
        return Value(None, status, None, None, text)
    m = _LESS_THAN.match(text)
    if m:
        bound = int(m.group(1))
        return Value(None, schema.SUPPRESSED, min(key.less_than_low, bound - 1), bound - 1, text)
    m = _RANGE.match(text)
    if m and int(m.group(1)) < int(m.group(2)):
        return Value(None, schema.SUPPRESSED, int(m.group(1)), int(m.group(2)), text)
    m = _NUMBER.match(text)
    if m:
        digits = re.sub(r"[,\u00a0 ]", "", m.group("num"))
        number: float | int = float(digits)
        if not _plausible(number):  # "1e308", "1e400" (inf): not a count
            return None
        if m.group("sign") in ("-", "−"):
            number = -number
        tail = (m.group("tail") or "").strip()
        status = schema.OK
        note = None
        if tail:
            flags = _BRACKET_FLAGS.findall(tail.lower())
            if flags:
                for flag in flags:
                    status = _FLAG_STATUS.get(flag, status)
            elif tail.lower() in ("(r)", "r"):
                status = schema.REVISED
            elif tail.lower() == "(e)":
                status = schema.ESTIMATED
            elif tail.lower() == "(p)":
                status = schema.PROVISIONAL
            note = tail
        if m.group("pct"):
            note = (note + " " if note else "") + "%"
        if m.group("cur"):
            note = (note + " " if note else "") + m.group("cur")
        return Value(_int_if_whole(number), status, None, None, note)
    return None


# issue 17: the largest magnitude read as a value. Excel keeps 15 significant digits, so
# anything beyond 1e15 is an artefact (1e308, an overflowed formula), not a count.
MAX_PLAUSIBLE = 1e15


def _plausible(number: float | int) -> bool:
    """A finite number small enough to be a count or a rate (not NaN, inf or 1e308)."""
    return number == number and abs(number) <= MAX_PLAUSIBLE


def _int_if_whole(number: float | int) -> float | int:
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def is_symbol(raw: Any) -> bool:
    v = parse_value(raw)
    return v is not None and v.value is None


_KEY_LESS = re.compile(r"<\s*(\d+)\s*(?:=|:|means|-|–)?\s*(?:between\s+|from\s+)?(\d+)\s*(?:and|to|-|–)\s*(\d+)", re.I)
_KEY_STAR = re.compile(
    r"\*\s*(?:=|:|means|-|–|denotes|indicates)?\s*(?:a\s+)?(?:value\s+)?(?:of\s+)?(fewer|less)\s+than\s+(\d+)", re.I
)
_KEY_STAR_RANGE = re.compile(r"\*\s*(?:=|:|means|-|–)?\s*(?:between\s+)?(\d+)\s*(?:and|to|-|–)\s*(\d+)", re.I)


def key_from_notes(texts: list[str]) -> SymbolKey:
    """Read the sheet's own key: "<5 = between 1 and 4", "* = fewer than 3"."""
    less_low = 0
    star_low, star_high = 0, None
    for text in texts:
        m = _KEY_LESS.search(text)
        if m:
            less_low = int(m.group(2))
        m = _KEY_STAR_RANGE.search(text)
        if m:
            star_low, star_high = int(m.group(1)), int(m.group(2))
            continue
        m = _KEY_STAR.search(text)
        if m:
            star_high = int(m.group(2)) - 1
            star_low = 1 if re.search(r"between\s+1|1\s*(?:-|–|to)\s*\d", text) else 0
    return SymbolKey(less_than_low=less_low, star_high=star_high, star_low=star_low)


def exact(value: "int | float | Fraction | None") -> Fraction | None:
    """The exact number behind a value: 12.3 means 123/10, not the nearest binary float.

    Every sum and percentage is worked on these, and turned into a float once, at the end,
    so 1.1 added twelve times is 13.2 and float noise never splits a tie (analysis.change,
    analysis.align)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a count cannot be a boolean")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Fraction(repr(value))
    return Fraction(str(value))
