"""`foistats check --data`: a sentence about one force checked figure by figure against the data."""

from __future__ import annotations

import json

from conftest import EXAMPLES


def _rows(invoke, sentence: str, *extra: str):
    result = invoke("check", "--data", EXAMPLES, sentence, "--format", "json", *extra)
    return result, (json.loads(result.stdout) if result.stdout.strip() else [])


def test_the_published_leicestershire_sentence_is_consistent(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire rose 443% between 2021 and 2023, ninth highest")
    assert result.exit_code == 0, result.stderr
    assert [(r["item"], r["verdict"]) for r in rows] == [("change", "consistent"), ("rank", "consistent")]
    assert rows[1]["actual"] == "9th"
    assert "Leicestershire Police FOI 2024-0123.xlsx | Sheet1 | B6" in rows[0]["source"]
    assert "year they end in" in result.stderr  # how "2021" and "2023" were read


def test_ratio_reported_as_a_rise_is_caught_with_the_values_confirmed(invoke) -> None:
    result, rows = _rows(invoke, "GMP reports jumped from 20 to 560, up 2,800%")
    assert result.exit_code == 1
    verdicts = {r["item"]: r["verdict"] for r in rows}
    assert verdicts == {"from value": "consistent", "to value": "consistent", "change": "inconsistent"}
    assert "ratio" in next(r for r in rows if r["item"] == "change")["reason"]


def test_wrong_rank_and_wrong_value(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire Police: 28 → 150 (+443%), 8th of 38 forces")
    assert result.exit_code == 1
    by_item = {r["item"]: r for r in rows}
    assert by_item["to value"]["verdict"] == "inconsistent" and by_item["to value"]["actual"] == 152
    assert by_item["rank"]["verdict"] == "inconsistent" and by_item["rank"]["actual"] == "9th"


def test_an_unranked_force_cannot_be_checked_for_rank(invoke) -> None:
    result, rows = _rows(invoke, "Cumbria rose 583%, the highest, first in the country")
    by_item = {r["item"]: r for r in rows}
    assert by_item["rank"]["verdict"] == "cannot check"
    assert "min-base" in by_item["rank"]["reason"] or "base" in by_item["rank"]["reason"]
    assert by_item["change"]["verdict"] == "consistent"  # 6 → 41 is +583.3%
    assert result.exit_code == 4  # issue 15: something could not be checked, so not a pass


def test_sentence_without_a_force_is_a_usage_error(invoke) -> None:
    result, _ = _rows(invoke, "Reports rose 443% between 2021 and 2023")
    assert result.exit_code == 2
    assert "no force named" in result.stderr


def test_check_json_carries_the_exact_value_unrounded(invoke) -> None:
    result = invoke("check", "28", "152", "443%", "--format", "json")
    row = json.loads(result.stdout)[0]
    assert abs(row["exact"] - 442.857142857142857) < 1e-9
    assert {"before", "after", "claimed", "exact", "verdict", "reason"} <= set(row)
