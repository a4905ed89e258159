"""Change, percentage change and ratio: hand-worked cases, then properties.

Every expected value here was worked out on paper, e.g. 28 → 152:
change 124, 124/28 = 4.428571…, so +442.857142857…%, ratio 152/28 = 5.428571….
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foistats.analysis.align import AlignedYear
from foistats.analysis.change import (
    Answer,
    change,
    default_years,
    exact,
    percent_change,
    percent_change_exact,
    percent_range,
    ratio,
    rise,
    rises_between,
    round_half_up,
)


def year(
    value: float | None,
    start: int = 2020,
    *,
    force: str = "Leicestershire Police",
    status: str = "ok",
    low: float | None = None,
    high: float | None = None,
    months: int = 12,
    misaligned: bool = False,
    kind: str = "force",
    notes: list[str] | None = None,
) -> AlignedYear:
    return AlignedYear(
        force=force,
        force_code="E23000021" if force == "Leicestershire Police" else None,
        area_kind=kind,
        measure="Sextortion reports",
        year=start,
        start=date(start, 6, 1),
        end=date(start + 1, 5, 31),
        value=value,
        low=low,
        high=high,
        status=status,
        months_covered=months,
        months_expected=12,
        misaligned=misaligned,
        source_labels=["Apr 2020 - Mar 2021"] if misaligned else [],
        notes=notes or [],
    )


def pair(a: AlignedYear | None, b: AlignedYear | None, **kw):  # noqa: ANN201
    return rise(a, b, from_label="2020/21", to_label="2022/23", **kw)


# ---------------------------------------------------------------- the arithmetic


def test_28_to_152() -> None:
    assert change(28, 152) == 124
    assert percent_change_exact(28, 152) == Fraction(3100, 7)  # 124/28*100 = 3100/7
    assert percent_change(28, 152) == pytest.approx(442.857142857, abs=1e-9)
    assert ratio(28, 152) == pytest.approx(5.428571428571, abs=1e-9)
    assert round_half_up(percent_change_exact(28, 152), 0) == 443
    assert str(round_half_up(percent_change_exact(28, 152), 1)) == "442.9"


def test_20_to_560_is_2700_percent_and_28_times() -> None:
    assert percent_change(20, 560) == 2700
    assert ratio(20, 560) == 28
    assert change(20, 560) == 540


def test_fall_152_to_28() -> None:
    # -124/152 = -0.815789473684…
    assert percent_change(152, 28) == pytest.approx(-81.578947368, abs=1e-9)
    assert ratio(152, 28) == pytest.approx(0.184210526, abs=1e-9)


def test_zero_base_has_no_percentage() -> None:
    assert percent_change(0, 14) is None
    assert ratio(0, 14) is None
    assert percent_change(0, 0) is None
    assert change(0, 14) == 14


def test_exact_reads_decimals_as_written() -> None:
    assert exact(12.3) == Fraction(123, 10)
    assert exact(float("nan")) is None
    assert exact(None) is None


def test_round_half_up_not_bankers() -> None:
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(-5, 2)) == -3
    assert str(round_half_up(Fraction(1, 8), 2)) == "0.13"


def test_percent_range_for_less_than_five() -> None:
    # "<5" = 1..4. Lowest: 4 -> 23 = 19/4 = +475%. Highest: 1 -> 23 = +2,200%.
    assert percent_range(1, 4, 23, 23) == (475, 2200)
    # Base that may be zero: no upper bound. Unbounded top value: no upper bound.
    assert percent_range(0, 4, 23, 23) == (475, None)
    assert percent_range(10, 10, 5, None) == (-50, None)


# ---------------------------------------------------------------- rise()


def test_rise_leicestershire() -> None:
    r = pair(year(28), year(152, 2022))
    assert r.comparable and r.flags == [] and r.reason is None
    assert (r.from_value, r.to_value, r.change) == (28, 152, 124)
    assert r.pct_change == pytest.approx(442.857142857, abs=1e-9)
    assert r.ratio == pytest.approx(5.428571428571, abs=1e-9)
    assert (r.force, r.force_code, r.from_period, r.to_period) == (
        "Leicestershire Police", "E23000021", "2020/21", "2022/23",
    )


def test_rise_new_from_zero() -> None:
    r = pair(year(0), year(14, 2022))
    assert r.comparable
    assert r.pct_change is None and r.ratio is None and r.change == 14
    assert "new_from_zero" in r.flags
    assert r.reason == "new: 0 → 14"


def test_rise_zero_to_zero_is_no_change() -> None:
    r = pair(year(0), year(0, 2022))
    assert r.pct_change is None and r.change == 0
    assert "no_change" in r.flags and "new_from_zero" not in r.flags
    assert "no change" in (r.reason or "")


def test_rise_equal_values_no_change() -> None:
    r = pair(year(40), year(40, 2022))
    assert r.pct_change == 0 and r.ratio == 1 and "no_change" in r.flags


def test_small_base_flagged_but_computed() -> None:
    r = pair(year(1), year(10, 2022))
    assert r.pct_change == 900 and "small_base" in r.flags and r.comparable
    assert "small_base" not in pair(year(10), year(11, 2022)).flags
    assert "small_base" in pair(year(10), year(11, 2022), min_base=11).flags


def test_suppressed_from_gives_a_range_not_a_number() -> None:
    r = pair(year(None, status="suppressed", low=1, high=4), year(23, 2022))
    assert not r.comparable
    assert r.pct_change is None and r.change is None and r.from_value is None
    assert (r.pct_low, r.pct_high) == (475, 2200)
    assert {"suppressed_endpoint", "range", "small_base"} <= set(r.flags)
    assert "suppressed" in (r.reason or "")


def test_suppressed_without_bounds_is_not_computable() -> None:
    r = pair(year(None, status="suppressed"), year(23, 2022))
    assert r.pct_low is None and r.pct_high is None and r.pct_change is None
    assert "suppressed_endpoint" in r.flags and "range" not in r.flags
    assert "not computable" in (r.reason or "")


def test_refused_and_no_data_and_missing() -> None:
    r = pair(year(None, status="refused", notes=["s12 cost limit"]), year(None, 2022, status="refused"))
    assert r.flags == ["refused"] and not r.comparable and r.reason == "refused (s12 cost limit)"
    r = pair(year(None, status="no_data"), year(5, 2022))
    assert "no_data" in r.flags and not r.comparable
    r = pair(None, year(5, 2022))
    assert r.flags == ["missing_year"] and r.reason == "no figure for 2020/21"
    r = rise(None, None, force="Kent Police", answer=Answer(force="Kent Police", answered=False))
    assert r.flags == ["not_answered"] and r.reason == "no answer"


def test_refusal_without_a_period_comes_from_the_answer() -> None:
    answer = Answer(force="Kent Police", refused=True, note="s12 cost limit")
    r = rise(None, None, force="Kent Police", answer=answer, from_label="2020/21", to_label="2022/23")
    assert r.flags == ["refused"] and r.reason == "refused (s12 cost limit)"


def test_misaligned_is_flagged_and_not_computed_unless_allowed() -> None:
    a = year(30, misaligned=True)
    r = pair(a, year(60, 2022))
    assert not r.comparable and "misaligned" in r.flags
    assert r.pct_change is None  # never a figure built on different windows
    assert r.from_value == 30  # but the value itself is still shown
    r = pair(a, year(60, 2022), allow_misaligned=True)
    assert r.comparable and r.pct_change == 100 and "misaligned" in r.flags


def test_partial_year() -> None:
    r = pair(year(30, months=9), year(60, 2022))
    assert not r.comparable and "partial" in r.flags and "9 of 12 months" in (r.reason or "")
    assert pair(year(30, months=9), year(60, 2022), allow_partial=True).comparable


def test_nil_counts_as_zero() -> None:
    r = pair(year(None, status="nil"), year(3, 2022))
    assert r.from_value == 0 and "new_from_zero" in r.flags and "nil" in r.flags


def test_rises_between_keeps_every_force() -> None:
    years = [year(28), year(152, 2022), year(5, force="Kent Police"), year(7, 2021, force="Kent Police")]
    answers = {"Surrey Police": Answer(force="Surrey Police", refused=True)}
    out = rises_between(years, 2020, 2022, answers=answers, from_label="2020/21", to_label="2022/23")
    assert [r.force for r in out] == ["Kent Police", "Leicestershire Police", "Surrey Police"]
    assert out[0].to_problem == "no figure for 2022/23"
    assert out[1].comparable
    assert out[2].flags == ["refused"]


# ---------------------------------------------------------------- properties

counts = st.integers(min_value=0, max_value=10**9)
positive = st.integers(min_value=1, max_value=10**9)


@given(positive, counts)
def test_percent_is_ratio_minus_one(a: int, b: int) -> None:
    assert percent_change_exact(a, b) == (Fraction(b, a) - 1) * 100
    assert percent_change(a, b) == pytest.approx((ratio(a, b) - 1) * 100, rel=1e-12, abs=1e-9)


@given(positive, counts)
def test_sign_matches_direction(a: int, b: int) -> None:
    pct = percent_change_exact(a, b)
    assert (pct > 0) == (b > a) and (pct < 0) == (b < a) and (pct == 0) == (a == b)
    assert pct >= -100


@given(positive, counts)
def test_rise_agrees_with_functions(a: int, b: int) -> None:
    r = pair(year(float(a)), year(float(b), 2022))
    assert r.change == b - a
    assert r.pct_change == percent_change(a, b)
    assert ("small_base" in r.flags) == (a < 10)


@given(positive, positive, counts, counts)
def test_range_contains_every_exact_choice(lo: int, width: int, b: int, pick: int) -> None:
    hi = lo + width
    low, high = percent_range(lo, hi, b, b)
    a = lo + pick % (width + 1)
    pct = percent_change_exact(a, b)
    assert low <= pct <= high


def test_default_years_need_a_complete_force_figure() -> None:
    years = [
        year(5, 2019, months=6),  # partial: not a candidate
        year(28, 2020),
        year(None, 2021, status="refused"),
        year(152, 2022),
        year(99, 2023, kind="region", force="North East"),  # regions do not count
        year(40, 2024, misaligned=True),
    ]
    assert default_years(years) == (2020, 2022)
    assert default_years(years[:2]) is None
