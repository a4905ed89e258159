"""`foistats check --data` defects a tester found on the shipped example: each sentence here
was once told the wrong thing (a figure the data cannot back passed as consistent, a figure
dropped unchecked, a right place among the falls called wrong, a right reading of the years
ignored). The right verdicts come from examples/README.md."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES


def _rows(invoke, sentence: str):
    result = invoke("check", "--data", EXAMPLES, "--year-start", "jun", sentence, "--format", "json")
    return result, (json.loads(result.stdout) if result.stdout.strip() else [])


def _by_item(rows: list[dict]) -> dict[str, dict]:
    return {r["item"]: r for r in rows}


# ---------------------------------------------------------------- 1. partial and misaligned years


def test_a_partial_year_is_not_checked_as_a_whole_year(invoke) -> None:
    # Lincolnshire's 2022/23 is 8 of 12 months (sum 51): 51 is in the data, but not as June–May.
    result, rows = _rows(invoke, "Lincolnshire Police reports rose from 19 to 51, a rise of 168%")
    by_item = _by_item(rows)
    assert by_item["from value"]["verdict"] == "consistent"  # 2020/21 is a whole year
    for item in ("to value", "change"):
        assert by_item[item]["verdict"] == "cannot check", by_item[item]
        assert "partial year" in by_item[item]["reason"] and "8 of 12 months" in by_item[item]["reason"]
    assert result.exit_code == 4, result.stderr  # not a pass


def test_misaligned_years_are_not_checked_as_june_to_may(invoke) -> None:
    # Essex answered in April–March years; its 47 and 233 are not June–May figures.
    result, rows = _rows(invoke, "Essex Police reports rose from 47 to 233 between 2021 and 2023, a rise of 396%")
    assert {r["item"] for r in rows} == {"from value", "to value", "change"}
    for row in rows:
        assert row["verdict"] == "cannot check", row
        assert "misaligned" in row["reason"]
    assert "Apr 2020–Mar 2021" in _by_item(rows)["from value"]["reason"]
    assert result.exit_code == 4, result.stderr


# ---------------------------------------------------------------- 2. "from X to Y between A and B"


def test_from_to_figures_survive_a_between_clause(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire rose from 28 to 200 between 2020/21 and 2022/23, ninth on the list")
    by_item = _by_item(rows)
    assert by_item["from value"]["verdict"] == "consistent"
    assert by_item["to value"]["verdict"] == "inconsistent" and by_item["to value"]["actual"] == 152
    assert by_item["rank"]["verdict"] == "consistent"
    assert "Jun 2020–May 2021 → Jun 2022–May 2023" in result.stderr  # the years still read as the period
    assert result.exit_code == 1


def test_a_wrong_base_beside_a_between_clause_is_caught(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire rose 443%, from 30 to 152 between 2021 and 2023")
    by_item = _by_item(rows)
    assert by_item["from value"]["verdict"] == "inconsistent" and by_item["from value"]["actual"] == 28
    assert by_item["to value"]["verdict"] == "consistent"
    assert by_item["change"]["verdict"] == "consistent"
    assert "year they end in" in result.stderr
    assert result.exit_code == 1


def test_a_figure_no_claim_reads_is_reported_not_checked(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire had 200 reports in 2023, ninth on the list")
    by_item = _by_item(rows)
    assert by_item["figure"]["claimed"] == "200" and by_item["figure"]["verdict"] == "cannot check"
    assert "not checked" in by_item["figure"]["reason"]
    assert result.exit_code == 4


def test_the_wrong_direction_alone_is_caught(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire fell from 28 to 152")
    assert _by_item(rows)["change"]["verdict"] == "inconsistent"
    assert result.exit_code == 1


# ---------------------------------------------------------------- 3. places among the falls

# The data's only falls: Dorset -20.8% (biggest), BTP -20.0%, Warwickshire -10.5%.


@pytest.mark.parametrize(
    ("sentence", "verdict", "place"),
    [
        ("British Transport Police had the second biggest fall between 2021 and 2023", "consistent", "2nd"),
        ("Warwickshire Police had the third largest fall", "consistent", "3rd"),
        ("Warwickshire Police had the smallest fall", "consistent", "1st"),
        ("Dorset Police had the smallest fall", "inconsistent", "3rd"),
        ("Dorset Police had the biggest fall", "consistent", "1st"),
        ("British Transport Police reports fell 20%, the second biggest", "consistent", "2nd"),
    ],
)
def test_places_among_the_falls(invoke, sentence: str, verdict: str, place: str) -> None:
    result, rows = _rows(invoke, sentence)
    rank = _by_item(rows)["rank"]
    assert (rank["verdict"], rank["actual"]) == (verdict, place), rank
    assert "fell" in rank["reason"]  # says the place is among the falls
    assert result.exit_code == (0 if verdict == "consistent" else 1), result.stderr


def test_a_force_that_rose_has_no_place_among_the_falls(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire had the biggest fall")
    rank = _by_item(rows)["rank"]
    assert rank["verdict"] == "inconsistent" and "rose" in rank["reason"]
    assert result.exit_code == 1


def test_ninth_highest_is_still_among_every_force(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire rose 443% between 2021 and 2023, ninth highest")
    assert [(r["item"], r["verdict"]) for r in rows] == [("change", "consistent"), ("rank", "consistent")]
    assert "of 38 forces" in _by_item(rows)["rank"]["reason"]
    assert result.exit_code == 0


# ---------------------------------------------------------------- 4. both readings of bare years


def test_the_year_starting_reading_is_used_when_only_it_fits(invoke) -> None:
    # 48 -> 152 (+216.7%) if "2021" and "2022" are the years starting in them; 28 -> 48 (+71%) if ending.
    result, rows = _rows(invoke, "Leicestershire rose 217% between 2021 and 2022")
    assert [(r["item"], r["verdict"]) for r in rows] == [("change", "consistent")]
    assert "year they start in" in result.stderr
    assert "year they end in" in result.stderr and "inconsistent" in result.stderr  # the other reading, said
    assert result.exit_code == 0


def test_a_figure_wrong_under_both_readings_says_so(invoke) -> None:
    result, rows = _rows(invoke, "Leicestershire rose 300% between 2021 and 2022")
    assert [(r["item"], r["verdict"]) for r in rows] == [("change", "inconsistent")]
    assert "year they end in" in result.stderr and "year they start in" in result.stderr
    assert result.exit_code == 1
