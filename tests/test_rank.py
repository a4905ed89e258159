"""Ranking: competition ranks, who is left out and why, and the publishable sentence.

Expected ranks worked out by hand from the values in each test.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foistats.analysis.align import AlignedYear
from foistats.analysis.change import Answer, rise, rises_between
from foistats.analysis.rank import (
    ordinal,
    percent_words,
    rank_rises,
    ratio_words,
    read_populations,
    sentence,
)
from foistats.model.errors import InputError, UsageError

FROM, TO = "Jun 2020–May 2021", "Jun 2022–May 2023"


def ay(force: str, start: int, value: float | None, status: str = "ok", **kw) -> AlignedYear:  # noqa: ANN003
    return AlignedYear(
        force=force,
        force_code=kw.pop("code", None),
        area_kind=kw.pop("kind", "force"),
        measure="Sextortion reports",
        year=start,
        start=date(start, 6, 1),
        end=date(start + 1, 5, 31),
        value=value,
        low=kw.pop("low", None),
        high=kw.pop("high", None),
        status=status,
        months_covered=12,
        months_expected=12,
        **kw,
    )


def rises(pairs: dict[str, tuple[float | None, float | None]], **kw):  # noqa: ANN003, ANN201
    years = []
    for force, (a, b) in pairs.items():
        if a is not None:
            years.append(ay(force, 2020, a))
        if b is not None:
            years.append(ay(force, 2022, b))
    return rises_between(years, 2020, 2022, from_label="2020/21", to_label="2022/23", **kw)


def test_ordinals() -> None:
    words = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 9: "9th", 11: "11th", 12: "12th", 13: "13th",
             21: "21st", 22: "22nd", 23: "23rd", 101: "101st", 111: "111th", 112: "112th"}
    for n, text in words.items():
        assert ordinal(n) == text


def test_ties_share_a_rank_competition_style() -> None:
    # +100%: B and C (10→20); A 20→560 +2,700%; D 10→15 +50%.
    ranking = rank_rises(rises({"A": (20, 560), "B": (10, 20), "C": (10, 20), "D": (10, 15)}))
    got = [(e.force, e.rank, e.joint, e.place) for e in ranking.ranked]
    assert got == [
        ("A", 1, False, "1st"),
        ("B", 2, True, "joint 2nd"),
        ("C", 2, True, "joint 2nd"),
        ("D", 4, False, "4th"),
    ]


def test_ties_decided_exactly_not_by_floats() -> None:
    # 30→40 and 60→80 are both +33.33…%, exactly equal as fractions.
    ranking = rank_rises(rises({"A": (30, 40), "B": (60, 80), "C": (10, 20)}))
    assert [(e.force, e.rank) for e in ranking.ranked] == [("C", 1), ("A", 2), ("B", 2)]


def test_ascending_and_other_measures() -> None:
    data = {"A": (20, 560), "B": (100, 150), "C": (10, 15)}
    asc = rank_rises(rises(data), descending=False)
    assert [e.force for e in asc.ranked] == ["B", "C", "A"]  # +50%, +50%, +2,700%
    assert [e.rank for e in asc.ranked] == [1, 1, 3]
    by_change = rank_rises(rises(data), by="change")  # 540, 50, 5
    assert [(e.force, e.rank) for e in by_change.ranked] == [("A", 1), ("B", 2), ("C", 3)]
    by_to = rank_rises(rises(data), by="to")  # 560, 150, 15
    assert [e.force for e in by_to.ranked] == ["A", "B", "C"]


def test_min_base_excludes_only_percentage_rankings() -> None:
    data = {"A": (20, 40), "Tiny": (1, 10)}
    ranking = rank_rises(rises(data))
    assert [e.force for e in ranking.ranked] == ["A"]
    tiny = ranking.rank_of("Tiny")
    assert tiny is not None and tiny.rank is None
    assert tiny.reason == "base below --min-base 10 (1 → 10)"
    assert [e.force for e in rank_rises(rises(data), min_base=0).ranked] == ["Tiny", "A"]
    assert [e.force for e in rank_rises(rises(data), by="change").ranked] == ["A", "Tiny"]


def test_unrankable_listed_with_reasons_and_counted() -> None:
    years = [
        ay("A", 2020, 20), ay("A", 2022, 40),
        ay("B", 2020, 10), ay("B", 2022, 50),
        ay("Misaligned", 2020, 30, misaligned=True, source_labels=["Apr 2020 - Mar 2021"]),
        ay("Misaligned", 2022, 90, misaligned=True, source_labels=["Apr 2022 - Mar 2023"]),
        ay("Suppressed", 2020, None, "suppressed", low=1, high=4), ay("Suppressed", 2022, 23),
        ay("Zero", 2020, 0), ay("Zero", 2022, 14),
        ay("Late", 2022, 12),
        ay("North East", 2020, 100, kind="region"), ay("North East", 2022, 300, kind="region"),
    ]
    answers = {
        "Refuser": Answer(force="Refuser", refused=True, note="s12 cost limit"),
        "Silent": Answer(force="Silent", answered=False),
    }
    rs = rises_between(years, 2020, 2022, from_label="2020/21", to_label="2022/23", answers=answers)
    ranking = rank_rises(rs)
    assert [e.force for e in ranking.ranked] == ["B", "A"]
    reasons = {e.force: e.reason for e in ranking.unranked}
    assert reasons["Refuser"] == "refused (s12 cost limit)"
    assert reasons["Misaligned"].startswith("misaligned periods")
    assert reasons["Suppressed"].startswith("suppressed value for 2020/21")
    assert reasons["Zero"] == "new: 0 → 14 (no percentage from zero)"
    assert reasons["Late"] == "no figure for 2020/21"
    assert reasons["North East"] == "not a force (region)"
    assert reasons["Silent"] == "no answer"
    # answered = A, B, Misaligned, Suppressed, Zero, Late (6); refused 1; not comparable 4; silent 1.
    assert (ranking.count, ranking.answered, ranking.refused, ranking.not_comparable) == (2, 6, 1, 4)
    assert ranking.no_answer == 1
    assert ranking.summary == (
        "ranked 2 of 6 forces that answered; 1 refused; 4 not comparable; 1 did not answer; "
        "1 non-force area (region) not ranked"
    )
    # Nothing vanishes: every force and area is an entry.
    assert len(ranking.entries) == 9


def test_rate_needs_population_and_covers_forces() -> None:
    data = {"A": (20, 40), "B": (10, 50), "C": (10, 30)}
    with pytest.raises(UsageError):
        rank_rises(rises(data), by="rate")
    # A: 40/200,000 = 20 per 100k; B: 50/1,000,000 = 5; C has no population.
    ranking = rank_rises(rises(data), by="rate", populations={"A": 200_000, "B": 1_000_000})
    assert [(e.force, e.rate) for e in ranking.ranked] == [("A", 20), ("B", 5)]
    assert ranking.rank_of("C").reason == "no population figure for this force"


def test_unknown_by() -> None:
    with pytest.raises(UsageError):
        rank_rises([], by="median")


def test_top_keeps_ties() -> None:
    ranking = rank_rises(rises({"A": (10, 40), "B": (10, 20), "C": (10, 20), "D": (10, 11)}))
    assert [e.force for e in ranking.top(2)] == ["A", "B", "C"]


def test_sentence_leicestershire() -> None:
    # Leicestershire 9th: eight forces with bigger rises, one below.
    data = {f"F{i}": (10, 100 + 10 * i) for i in range(8)}  # +900% … +1,600%
    data["Leicestershire Police"] = (28, 152)
    data["Small"] = (10, 11)
    ranking = rank_rises(rises(data))
    r = ranking.rank_of("Leicestershire Police").rise
    assert sentence(r, ranking, FROM, TO) == (
        "Leicestershire Police: 28 → 152 (+443%, 5.4 times as many) between "
        "Jun 2020–May 2021 and Jun 2022–May 2023, 9th of 10 forces ranked."
    )


def test_sentence_gmp_joint_and_unranked() -> None:
    ranking = rank_rises(rises({"Greater Manchester Police": (20, 560), "B": (10, 20), "C": (10, 20), "Z": (0, 5)}))
    gmp = ranking.rank_of("Greater Manchester Police").rise
    assert sentence(gmp, ranking, FROM, TO).endswith("(+2,700%, 28 times as many) between "
                                                     "Jun 2020–May 2021 and Jun 2022–May 2023, 1st of 3 forces ranked.")
    b = ranking.rank_of("B").rise
    assert "(+100%, 2 times as many)" in sentence(b, ranking, FROM, TO)
    assert ", joint 2nd of 3 forces ranked." in sentence(b, ranking, FROM, TO)
    z = ranking.rank_of("Z").rise
    assert sentence(z, ranking, FROM, TO) == (
        "Z: 0 → 5 (new) between Jun 2020–May 2021 and Jun 2022–May 2023; "
        "not ranked (new: 0 → 5 (no percentage from zero))."
    )


def test_sentence_fall_and_range_without_ranking() -> None:
    r = rise(ay("A", 2020, 152), ay("A", 2022, 28), from_label="2020/21", to_label="2022/23")
    assert sentence(r, None, FROM, TO) == "A: 152 → 28 (-82%) between Jun 2020–May 2021 and Jun 2022–May 2023."
    r = rise(ay("A", 2020, None, "suppressed", low=1, high=4), ay("A", 2022, 23), from_label="2020/21", to_label="2022/23")
    text = sentence(r, None, FROM, TO)
    assert text.startswith("A: 1–4 → 23 (+475% to +2,200%) between")
    assert "not comparable: suppressed value for 2020/21" in text


def test_words() -> None:
    assert percent_words(Fraction(3100, 7)) == "+443%"
    assert percent_words(2700) == "+2,700%"
    assert percent_words(Fraction(-31, 38) * 100) == "-82%"
    assert percent_words(Fraction(1, 10)) == "0%"
    assert ratio_words(Fraction(38, 7)) == "5.4 times as many"
    assert ratio_words(28) == "28 times as many"


def test_read_populations(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text('Police force,Population\nLeicestershire,"1,093,200"\nE23000005,2835700\n', encoding="utf-8")
    pops = read_populations(path)
    assert pops == {"Leicestershire Police": 1093200, "Greater Manchester Police": 2835700}
    path.write_text("force,population\nNowhereshire Police,5\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 2"):
        read_populations(path)
    path.write_text("force,population\nKent,lots\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a number"):
        read_populations(path)
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a force column"):
        read_populations(path)


# ---------------------------------------------------------------- properties

pairs = st.dictionaries(
    st.text(alphabet="ABCDEFGHIJ", min_size=1, max_size=3),
    st.tuples(st.integers(0, 500), st.integers(0, 500)),
    min_size=1,
    max_size=25,
)


@given(pairs, st.booleans(), st.sampled_from(["pct", "change", "to"]), st.integers(0, 20))
def test_rank_order_agrees_with_a_sort(data, descending, by, min_base) -> None:  # noqa: ANN001
    ranking = rank_rises(rises(data), by=by, descending=descending, min_base=min_base)
    ranked = ranking.ranked
    keys = [e.key for e in ranked]
    assert keys == sorted(keys, reverse=descending)
    for position, e in enumerate(ranked, start=1):
        # Competition rank: 1 + the number of forces strictly ahead.
        ahead = sum(1 for other in ranked if (other.key > e.key if descending else other.key < e.key))
        assert e.rank == ahead + 1 <= position
        assert e.joint == (sum(1 for other in ranked if other.key == e.key) > 1)
    # Everyone is accounted for, ranked or not.
    assert len(ranking.entries) == len(data)
    assert ranking.count + ranking.not_comparable == ranking.answered == len(data)
    if by == "pct":
        for e in ranked:
            a, b = data[e.force]
            assert a >= max(min_base, 1)
            assert e.key == Fraction(b - a, a) * 100
