"""Cell values: numbers, disclosure symbols and footnote markers. A symbol is never 0."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foistats.model.values import SymbolKey, key_from_notes, parse_value


@pytest.mark.parametrize(
    "raw, value, status, low, high",
    [
        (28.0, 28, "ok", None, None),
        ("1,234", 1234, "ok", None, None),
        (" 7 ", 7, "ok", None, None),
        ("12.0", 12, "ok", None, None),
        ("1904.19", 1904.19, "ok", None, None),
        ("17~", 17, "ok", None, None),
        ("2**", 2, "ok", None, None),
        ("3^", 3, "ok", None, None),
        ('1"', 1, "ok", None, None),
        ("123 [r]", 123, "revised", None, None),
        ("45[e]", 45, "estimated", None, None),
        ("<5", None, "suppressed", 0, 4),
        ("*", None, "suppressed", None, None),
        ("[c]", None, "suppressed", None, None),
        ("[x]", None, "not_available", None, None),
        ("..", None, "not_available", None, None),
        ("n/a", None, "not_available", None, None),
        (":", None, "not_available", None, None),
        ("[z]", None, "not_applicable", None, None),
        ("[low]", None, "low", 0, None),
        ("-", None, "nil", 0, 0),
        (" -", None, "nil", 0, 0),
        ("Nil", None, "nil", 0, 0),
        ("-5", -5, "ok", None, None),
    ],
)
def test_parse_value(raw, value, status, low, high) -> None:
    v = parse_value(raw)
    assert v is not None
    assert (v.value, v.status, v.low, v.high) == (value, status, low, high)


@pytest.mark.parametrize("raw", [None, "", "Leicestershire", "June 2020 - May 2021", "E23000021", "Total", True])
def test_not_values(raw) -> None:
    assert parse_value(raw) is None


def test_sheet_key_sets_ranges() -> None:
    key = key_from_notes(["<5 = between 1 and 4", "* = fewer than 3"])
    assert key == SymbolKey(less_than_low=1, star_high=2, star_low=0)
    assert (parse_value("<5", key).low, parse_value("<5", key).high) == (1, 4)
    assert (parse_value("*", key).low, parse_value("*", key).high) == (0, 2)


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators_round_trip(n: int) -> None:
    assert parse_value(f"{n:,}").value == n
    assert parse_value(str(n)).value == n
    assert parse_value(float(n)).value == n


@given(st.text(max_size=30))
def test_any_text_is_a_value_or_not_never_an_error(text: str) -> None:
    v = parse_value(text)
    if v is not None and v.value is None:
        assert v.status != "ok" or text.strip().lower() == "[u]"
