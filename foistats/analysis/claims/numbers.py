"""One number as copy writes it: "1,084,604", "1.2m", "£12.2bn", "13.25%", "seventeen".

Reading the digits is the easy half; the other half is knowing how precise the writer
was. A figure printed as 391,000 was probably rounded to the nearest thousand, so the
check must treat it as a range — `_Number.round_unit` carries that. Pure standard
library, so `foistats check` stays instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from foistats.model.errors import UsageError

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


