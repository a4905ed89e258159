"""`foistats check` on real newsroom copy: passages read into claims, each paired with its figures.

One test per phrasing class, with sentences written for these tests in the style of UK
police FOI copy (not the rows of ../shared/claims/claims.tsv, which have their own test
at the end). Every expected verdict was worked out by hand; the arithmetic is in the
comment beside each case. A case is right only when the verdict AND the figures used
are right: a consistent verdict on the wrong pair of numbers is a failure.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from foistats.analysis.claims import _round_half_up, check, parse_args, parse_number
from foistats.analysis.claims.figures import prepare
from foistats.analysis.claims.passage import read_passage
from foistats.cli.app import app

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()
C, I, X, N = "consistent", "inconsistent", "cannot check", "not checked"


def check_json(*args: str, input: str | None = None) -> tuple[int, list[dict]]:
    result = runner.invoke(app, ["check", "--format", "json", *args], input=input)
    assert "Traceback" not in result.stderr
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else [])


def claims(sentence: str) -> list[tuple[str, object, object, str]]:
    """(claimed, before, after, verdict) for every claim in a passage, not-checked figures left out."""
    _, rows = check_json(sentence)
    return [(r["claimed"], r["before"], r["after"], r["verdict"]) for r in rows if r["verdict"] != N]


def unused(sentence: str) -> list[str]:
    _, rows = check_json(sentence)
    return [r["claimed"] for r in rows if r["verdict"] == N]


# ---------------------------------------------------------------- orders: which figure is before


ORDERS = [
    # from X to Y: 286/412 = 69.42% -> 69
    ("The number of Taser discharges went from 412 in 2019/20 to 698 in 2022/23 – a rise of 69%.",
     [("+69%", 412, 698, C)]),
    # Y, up from X: 2,310/1,150 = 2.0087 > 2
    ("Recorded stalking offences hit 2,310, up from 1,150 five years ago, meaning they have more than doubled.",
     [("more than 2x", 1150, 2310, C)]),
    # Y compared with X, the later figure first: 1,600/1,200 = +33.3%, a third
    ("Shoplifting rose by a third last year to 1,600 offences, compared with 1,200 the year before.",
     [("+33.3%", 1200, 1600, C)]),
    # Y (X): 145/1,098 = 13.21% -> 13
    ("Officers made 1,243 arrests (1,098 the year before), a rise of 13 per cent.", [("+13%", 1098, 1243, C)]),
    # X in 2018 and Y in 2023: 784/320 = 245% exactly
    ("Sussex Police recorded 320 cases in 2018 and 1,104 in 2023, a 245% increase.", [("+245%", 320, 1104, C)]),
    # years given the other way round still order the figures: 2023 is later
    ("There were 1,104 cases in 2023 and 320 in 2018, a 245% increase.", [("+245%", 320, 1104, C)]),
    # to Y from X with a year window between: 216/1,200 = 18% exactly
    ("Hate crimes rose 18 per cent to 1,416 in the year to March 2023 from 1,200.", [("+18%", 1200, 1416, C)]),
    # X, rising to Y: 307/350 = 87.71% -> 88
    ("In 2007, 350 requests were made to Suffolk Constabulary, rising to 657 in 2011, an increase of 88 per cent.",
     [("+88%", 350, 657, C)]),
    # a claim that names its own base: 298/2,482 = 12.006% -> 12
    ("The Met recorded 2,780 offences, a 12% rise on the 2,482 recorded in 2021.", [("+12%", 2482, 2780, C)]),
    # ... a sentence after the later figure: 1,145/8,176 = 14.0%
    ("Police in Devon recorded 9,321 domestic abuse crimes in 2022-23. That was 14 per cent higher than the "
     "8,176 recorded in 2018-19.", [("+14%", 8176, 9321, C)]),
    # "X; in 2023 there were Y": 317/98 = 323.47% -> 323
    ("In 2019 there were 98 cases; in 2023 there were 415, a 323% increase.", [("+323%", 98, 415, C)]),
    # had risen to Y, a sentence after X: 312/105 = 2.971, almost three times
    ("Scotland Yard recorded 105 cases in 2020. By 2023 that figure had risen to 312, almost three times as many.",
     [("nearly 3x", 105, 312, C)]),
    # this is down from X, the later figure a sentence before: 12.4 - 14.9 = -2.5 points
    ("The detection rate was 12.4%. This is down from 14.9% a year earlier, a fall of 2.5 percentage points.",
     [("-2.5pp", "14.9%", "12.4%", C)]),
]


@pytest.mark.parametrize(("sentence", "expected"), ORDERS, ids=[s[:50] for s, _ in ORDERS])
def test_orders(sentence: str, expected: list) -> None:
    got = claims(sentence)
    _same(got, expected)


def _same(got: list, expected: list) -> None:
    norm = [(c, _n(b), _n(a), v) for c, b, a, v in got]
    for want in expected:
        assert (want[0], _n(want[1]), _n(want[2]), want[3]) in norm, (want, got)


def _n(x: object) -> object:
    if isinstance(x, str) and x.endswith("%"):
        return Fraction(x[:-1])
    return Fraction(str(x)) if x is not None else None


# ---------------------------------------------------------------- claim kinds


KINDS = [
    # per cent spelled four ways: 129/1,075 = 12.0%
    ("Knife crime in Kent rose by 12pc to 1,204 last year from 1,075.", [("+12%", 1075, 1204, C)]),
    ("Knife crime in Kent rose by 12 percent, from 1,075 to 1,204.", [("+12%", 1075, 1204, C)]),
    ("Knife crime in Kent rose by 12 per-cent, from 1,075 to 1,204.", [("+12%", 1075, 1204, C)]),
    # multiples: 4,512/664 = 6.795 -> 6.8
    ("There were 4,512 referrals in 2022-23, 6.8 times the 664 recorded in 2015-16.", [("6.8x", 664, 4512, C)]),
    ("Referrals rose from 664 to 4,512, a 6.8x increase.", [("6.8x", 664, 4512, C)]),
    ("Referrals rose from 664 to 4,512 (×6.8).", [("6.8x", 664, 4512, C)]),
    # six-fold: 547/80 = 6.84, outside [5.7, 6.3); "more than six-fold" holds
    ("Reports increased more than six-fold, from 80 to 547.", [("more than 6x", 80, 547, C)]),
    ("Reports increased six-fold, from 80 to 547.", [("6x", 80, 547, I)]),
    # doubled, trebled, tripled, quadrupled, halved: 2.0, 2.25, 2.89, 4.08 (rounded figures), 0.508
    ("Sexual offences on trains doubled from 250 to 500.", [("2x", 250, 500, C)]),
    ("Complaints trebled from 400 to 900.", [("3x", 400, 900, I)]),  # 2.25 is not three times
    ("Drug seizures nearly tripled from 1,020 to 2,950 over the period.", [("nearly 3x", 1020, 2950, C)]),
    ("Spending on agency staff quadrupled from £1.2m to £4.9m.", [("4x", 1_200_000, 4_900_000, C)]),
    ("Burglaries have halved in a decade, falling from 12,000 to 6,100.", [("-50%", 12000, 6100, C)]),
    # fractions: 210/840 = a quarter exactly; 36/180 = a fifth
    ("Complaints against the force fell by a quarter, from 840 to 630, in the 12 months to March 2023.",
     [("-25%", 840, 630, C)]),
    ("Missing-person reports rose by a fifth, from 180 to 216.", [("+20%", 180, 216, C)]),
    # percentage points, and points written as per cent: 9.1 -> 6.4 is 2.7 points, 29.7%
    ("The proportion of cases solved dropped from 9.1% to 6.4%, a fall of 2.7 percentage points.",
     [("-2.7pp", "9.1%", "6.4%", C)]),
    ("The proportion of cases solved dropped from 9.1% to 6.4%, a fall of 2.7%.", [("-2.7%", "9.1%", "6.4%", I)]),
    # a relative change of a rate is fine when it is relative: 4/16 = 25%
    ("The charge rate fell from 16 per cent to 12 per cent, a drop of 25 per cent.", [("-25%", "16%", "12%", C)]),
    # absolute changes are checked: 1,530 - 1,406 = 124
    ("Arrests of children aged 10 to 17 fell by 124, from 1,530 to 1,406, over the 12 months to June 8.",
     [("-124", 1530, 1406, C)]),
    ("Arrests fell by 150, from 1,530 to 1,406.", [("-150", 1530, 1406, I)]),
    ("Some 2,400 officers left in 2022, 600 more than the 1,800 who left in 2021.", [("+600", 1800, 2400, C)]),
]


@pytest.mark.parametrize(("sentence", "expected"), KINDS, ids=[s[:50] for s, _ in KINDS])
def test_claim_kinds(sentence: str, expected: list) -> None:
    _same(claims(sentence), expected)


def test_absolute_change_gives_the_missing_figure() -> None:
    # 19,632 - 5,864 = 13,768 (never printed); 5,864/13,768 = 42.59% -> 43
    text = "There were 19,632 requests in the quarter. This is an increase of 5,864 (43%) on the same quarter in 2022."
    code, rows = check_json(text)
    (row,) = rows
    assert (row["claimed"], row["before"], row["after"], row["verdict"]) == ("+43%", 13768, 19632, C)
    assert "19,632 − 5,864" in row["figures"]
    assert code == 0


def test_a_wrong_absolute_change_is_caught_beside_a_right_percentage() -> None:
    # 11,150 - 10,401 = 749, not 741; 749/11,150 = 6.72% -> 6.7, so 6.7% is right
    code, rows = check_json("Crime fell 6.7% to 10,401 from 11,150, with 741 fewer offences recorded.")
    by_claim = {r["claimed"]: r for r in rows}
    assert by_claim["-6.7%"]["verdict"] == C
    assert by_claim["-741"]["verdict"] == I
    assert code == 1


# ---------------------------------------------------------------- not figures


@pytest.mark.parametrize(
    ("sentence", "aside"),
    [
        ("Robberies fell from 712 in 2013/14 to 543 in 2004/5, down 24 per cent.", {"2013/14", "2004/5"}),
        ("There were 3,084 reports between March 23 and June 8, compared to 2,717, a rise of 14%.",
         {"march 23", "june 8"}),
        ("In the 12 months to September, thefts rose from 400 to 500, up 25%.", {"12"}),
        ("Arrests of children aged 15 rose from 40 to 50, up 25%.", {"aged 15"}),
        ("Searches under section 60 rose from 400 to 500, up 25%.", {"section 60"}),
        ("The rate rose from 14.2 to 16.1 per 1,000 people, a rise of 13%.", {"per 1,000"}),
        ("Calls to 999 rose from 400 to 500, up 25%.", set()),
    ],
)
def test_years_dates_durations_ages_and_references_are_not_figures(sentence: str, aside: set[str]) -> None:
    passage = read_passage(sentence)
    assert aside <= {a.lower() for a in passage.set_aside}
    (claim,) = [c for c in passage.claims]
    assert claim.before is not None and claim.after is not None
    assert passage.unused == []


def test_a_year_the_sentence_makes_a_count_is_a_figure() -> None:
    # "2019 offences" counts offences: 2,019 -> 2,221 is +10.0%
    _same(claims("Offences rose from 2019 offences to 2221 offences, up 10%."), [("+10%", 2019, 2221, C)])


def test_numbers_in_words_are_figures() -> None:
    # seven -> twelve is +71.4%; "one offence ... two" is +100%
    _same(claims("Drink-driving arrests rose from seven in 2020 to twelve in 2022, a rise of 71 per cent."),
          [("+71%", 7, 12, C)])
    _same(claims("We saw a 100 per cent increase in robberies. That was one offence in 2014-15 and two in 2015-16."),
          [("+100%", 1, 2, C)])


def test_a_share_is_a_level_not_a_change() -> None:
    # 37% is a share; the change is 55,592 -> 67,125 = +20.7% -> 21
    text = "Some 37% of sexual offences recorded (67,125) were rapes – a 21% rise from 55,592 a year earlier."
    _same(claims(text), [("+21%", 55592, 67125, C)])
    assert unused(text) == ["37%"]


# ---------------------------------------------------------------- passages: several changes, neighbouring sentences


def test_two_changes_in_one_sentence_each_get_their_own_figures() -> None:
    # 1,861/26,580 = 7.0% (right); 331/3,010 = 11.0%, not 15 (wrong)
    text = ("Violent crime was up 7 per cent, from 26,580 to 28,441, while sexual offences rose 15 per cent, "
            "from 3,010 to 3,341.")
    _same(claims(text), [("+7%", 26580, 28441, C), ("+15%", 3010, 3341, I)])


def test_claim_and_figures_in_neighbouring_sentences() -> None:
    # 2,310/1,050 = 2.2, more than doubled
    text = ("Reports of stalking more than doubled last year. Police recorded 2,310 cases in 2023, "
            "compared with 1,050 in 2022.")
    _same(claims(text), [("more than 2x", 1050, 2310, C)])


def test_two_figures_for_one_change_are_both_checked() -> None:
    # 1,660/5,210 = 31.86%: "almost a third" is [30, 33.3], and 32% rounds from [31.5, 32.5)
    text = "Reports of domestic abuse rose by almost a third (32 per cent), from 5,210 to 6,870."
    _same(claims(text), [("up nearly 33.3%", 5210, 6870, C), ("+32%", 5210, 6870, C)])


def test_a_claim_about_something_else_does_not_take_the_figures() -> None:
    # 10%: 6,465/65,338 = 9.89% -> 10; the "2% more than the average" has no figures here
    text = ("Total crime fell by 10 per cent (two per cent more than the national average) from 65,338 "
            "to 58,873 offences.")
    got = claims(text)
    _same(got, [("-10%", 65338, 58873, C)])
    assert ("+2%", None, None, X) in got


def test_a_claim_about_a_longer_period_does_not_take_the_figures() -> None:
    # 38.5/12.2 = 3.156, so "more than 200%" holds; the 61% is "in the last decade", with no figures here
    text = ("Receipts soared from £12.2bn in 2000-01 to £38.5bn in 2023-24. This was an increase of more than "
            "200 per cent while, in the last decade alone, receipts have increased by 61 per cent.")
    got = claims(text)
    _same(got, [("up more than 200%", 12_200_000_000, 38_500_000_000, C), ("+61%", None, None, X)])


def test_the_claim_sharing_the_subject_gets_the_figures() -> None:
    # 1,068/586 = 1.82: "doubled" overstates; "almost doubled" is about injuries, with no figures
    text = ("The number of violent incidents at surgeries has doubled, and assaults causing injury almost "
            "doubled too. Police recorded 1,068 violent incidents in 2022, up from 586 in 2018.")
    got = claims(text)
    _same(got, [("2x", 586, 1068, I), ("nearly 2x", None, None, X)])


def test_a_third_figure_for_another_year_is_reported_not_used() -> None:
    # 18% on 1,200 -> 1,416; the 1,502 for 2013/14 is another year's level
    text = "Hate crimes rose 18 per cent to 1,416 in the year to March 2023 from 1,200, the highest since 2013/14 (1,502)."
    code, rows = check_json(text)
    assert [r["claimed"] for r in rows if r["verdict"] == N] == ["1,502"]
    assert "not checked: 1,502" in next(r["reason"] for r in rows if r["verdict"] == N)
    assert code == 4


# ---------------------------------------------------------------- per-claim output


def test_each_claim_says_figures_arithmetic_mistake_and_a_correction() -> None:
    _, (row,) = check_json("The total number of homicides fell by 5.6% in the last year, from 719 to 681 offences.")
    assert {"before", "after", "claimed", "exact", "verdict", "reason"} <= set(row)
    assert row["figures"] == "719 → 681"
    assert row["arithmetic"] == "(681 − 719) / 719 = −5.29%"
    assert row["diagnosis"] == "wrong_base"  # 38/681 = 5.58%: divided by the later figure
    assert row["suggestion"] == "fell from 719 to 681, a fall of 5.3%"
    again = [check(c) for c in read_passage(row["suggestion"]).claims]
    assert [v.verdict for v in again] == [C]


# ---------------------------------------------------------------- exit codes


def test_exit_codes() -> None:
    assert check_json("Robbery fell by 24 per cent, from 712 to 543.")[0] == 0  # 169/712 = 23.7%
    assert check_json("Robbery fell by 20 per cent, from 712 to 543.")[0] == 1
    assert check_json("Robbery fell by 24 per cent.")[0] == 4  # nothing to check it against
    assert check_json("There were 543 robberies.")[0] == 4  # a figure, and no claim about it
    assert check_json("Robbery fell by 24 per cent, from 712 to 543, and 61 forces replied.")[0] == 4
    # inconsistent wins over everything else
    assert check_json("Robbery fell by 20 per cent, from 712 to 543, and burglary rose 5%.")[0] == 1
    result = runner.invoke(app, ["check", "no figures here at all"])
    assert result.exit_code == 2 and result.stderr.startswith("foistats: error:")


# ---------------------------------------------------------------- the two-figure form


@pytest.mark.parametrize(
    ("args", "claimed", "verdict"),
    [
        (("6655", "18465", "x3"), "3x", I),  # 2.775 is outside [2.85, 3.15)
        (("6655", "18465", "~x3"), "about 3x", C),  # about: [2.7, 3.3]
        (("6655", "18465", "×2.8"), "2.8x", C),  # [2.75, 2.85)
        (("47", "110", ">x2"), "more than 2x", C),  # 2.34
        (("100", "188", "~+90%"), "up about 90%", C),  # 88% in [81, 99]
        (("12.2bn", "38.5bn", ">+200%"), "up more than 200%", C),  # 215.6%
        (("100", "7862", "+7762"), "+7,762", C),
        (("100", "7862", "+7,700"), "+7,700", I),
        (("67.3%", "59.9%", ">-7pp"), "down more than 7pp", C),  # 7.4 points
    ],
)
def test_compact_claims(args: tuple[str, ...], claimed: str, verdict: str) -> None:
    _, (row,) = check_json(*args)
    assert (row["claimed"], row["verdict"]) == (claimed, verdict), row["reason"]


# ---------------------------------------------------------------- --text and the installed command


def test_text_file_and_stdin(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        "Police recorded 2,310 stalking offences in 2023.\n\nThis is up from 1,050 in 2022, a rise of 120 per cent.\n",
        encoding="utf-8",
    )
    code, rows = check_json("--text", str(story))
    assert code == 0 and [(r["before"], r["after"], r["verdict"]) for r in rows] == [(1050, 2310, C)]
    code, rows = check_json("--text", "-", input=story.read_text(encoding="utf-8"))
    assert code == 0 and rows[0]["claimed"] == "+120%"
    result = runner.invoke(app, ["check", "--text", str(tmp_path / "missing.txt")])
    assert result.exit_code == 3 and "Traceback" not in result.stderr


def _installed() -> list[str]:
    exe = Path(sys.executable).parent / "foistats"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "foistats"]


def test_installed_command_reads_a_passage_from_stdin() -> None:
    text = "Complaints fell by a quarter, from 840 to 630. The force has 1,900 officers."
    out = subprocess.run([*_installed(), "check", "--text", "-", "-f", "json"], input=text,
                         capture_output=True, text=True, check=False)
    assert out.returncode == 4, out.stderr  # the claim holds, but 1,900 is not explained
    rows = json.loads(out.stdout)
    assert [r["verdict"] for r in rows] == [C, N]
    assert "not checked: 1,900" in rows[1]["reason"]
    assert "Traceback" not in out.stderr


def test_passage_path_stays_fast_and_light() -> None:
    code = (
        "import sys; sys.argv = ['foistats', 'check', '-f', 'csv', 'Robbery fell by 24 per cent, from 712 to 543.']\n"
        "from foistats.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('polars', 'typer', 'click', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


# ---------------------------------------------------------------- properties


@settings(max_examples=200)
@given(n=st.integers(min_value=0, max_value=10**9), scale=st.sampled_from(["", "m", " million", "bn", "k"]))
def test_figures_read_back_with_separators_and_scales(n: int, scale: str) -> None:
    factor = {"": 1, "m": 10**6, " million": 10**6, "bn": 10**9, "k": 1000}[scale]
    assert parse_number(f"{n:,}{scale}") == n * factor
    assert parse_number(f"{n / 10:.1f}{scale}") == Fraction(n, 10) * factor


_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


@settings(max_examples=150)
@given(tens=st.sampled_from(["", *_TENS]), unit=st.integers(min_value=0, max_value=18), half=st.booleans())
def test_numbers_in_words_become_digits(tens: str, unit: int, half: bool) -> None:
    if tens:
        unit = unit % 10
        word = tens + (f"-{_WORDS[unit - 1]}" if unit else "")
        value = Fraction((_TENS.index(tens) + 2) * 10 + unit)
    else:
        word, value = _WORDS[unit], Fraction(unit + 1)
    if half:
        word, value = word + "-and-a-half", value + Fraction(1, 2)
    text = prepare(f"Reports rose {word} times over the period.").text
    assert f" {value.numerator / value.denominator:g} times" in text


@settings(max_examples=150)
@given(year=st.integers(min_value=1990, max_value=2029), b=st.integers(min_value=1, max_value=99_999),
       a=st.integers(min_value=1, max_value=99_999))
def test_years_never_become_the_figures(year: int, b: int, a: int) -> None:
    pct = Fraction(a - b, b) * 100
    words = f"{'up' if a >= b else 'down'} {float(_round_half_up(abs(pct), 1)):.1f}%"
    text = f"In {year}, reports went from {b:,} in {year - 1}/{str(year)[2:]} to {a:,}, {words}."
    (claim,) = read_passage(text).claims
    assert (claim.before, claim.after) == (b, a)
    assert check(claim).verdict == C


@settings(max_examples=150)
@given(b=st.integers(min_value=1, max_value=500_000), a=st.integers(min_value=0, max_value=500_000))
def test_an_exact_absolute_change_is_consistent_and_one_off_is_not(b: int, a: int) -> None:
    diff = a - b
    word = "rose" if diff > 0 else "fell"
    if diff == 0:
        return
    (claim,) = read_passage(f"Offences {word} by {abs(diff):,}, from {b:,} to {a:,}.").claims
    assert check(claim).verdict == C
    (wrong,) = parse_args([str(b), str(a), f"{'+' if diff > 0 else '-'}{abs(diff) + 1}"])
    if wrong.rounded_unit is None:  # 1,000 -> 2,000 may be rounded figures, where one off is within reach
        assert check(wrong).verdict == I


# ---------------------------------------------------------------- the hand-worked newsroom sentences


def _claims_tsv() -> Path:
    for parent in REPO.parents:
        candidate = parent / "shared" / "claims" / "claims.tsv"
        if candidate.is_file():
            return candidate
    pytest.skip("../shared/claims/claims.tsv is not present beside the repository")


def _tsv_rows() -> list[dict[str, str]]:
    for parent in REPO.parents:
        candidate = parent / "shared" / "claims" / "claims.tsv"
        if candidate.is_file():
            with candidate.open(encoding="utf-8") as fh:
                return list(csv.DictReader(fh, delimiter="\t"))
    return []


@pytest.mark.parametrize("row", _tsv_rows() or [None], ids=lambda r: r["id"] if r else "absent")
def test_newsroom_sentences_right_for_the_right_reason(row: dict[str, str] | None) -> None:
    if row is None:
        _claims_tsv()  # skips with the reason
        return
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from claims_accuracy import score_row
    finally:
        sys.path.pop(0)
    rows = [check(c).row() for c in read_passage(row["sentence"]).claims]
    right, why = score_row(row, rows)
    assert right, why


def test_scoring_script_runs_on_the_cli(tmp_path: Path) -> None:
    tsv = tmp_path / "claims.tsv"
    tsv.write_text(
        "id\tsentence\tbefore\tafter\tclaimed\tverdict\n"
        "t1\tRobbery fell by 24 per cent, from 712 to 543.\t712\t543\t-24%\tconsistent\n"
        "t2\tComplaints trebled from 400 to 900.\t400\t900\tx3\tinconsistent\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    out = subprocess.run([sys.executable, str(REPO / "bench" / "claims_accuracy.py"), "--tsv", str(tsv)],
                         capture_output=True, text=True, check=False, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 of 2 rows right" in out.stdout


# ---------------------------------------------------------------- superlatives, with --data


def test_superlatives_are_rank_one_with_data(invoke) -> None:
    from conftest import EXAMPLES

    result = invoke("check", "--data", EXAMPLES, "GMP saw the biggest increase in the country", "--format", "json")
    rows = json.loads(result.stdout)
    assert [(r["item"], r["claimed"], r["verdict"]) for r in rows] == [("rank", "1st", C)]
    assert result.exit_code == 0
    result = invoke("check", "--data", EXAMPLES, "Leicestershire had the highest rise", "--format", "json")
    (row,) = json.loads(result.stdout)
    assert (row["claimed"], row["actual"], row["verdict"]) == ("1st", "9th", I)
    assert result.exit_code == 1


_VOCAB = ["rose", "fell", "from", "to", "by", "up", "down", "compared", "with", "in", "2019", "2020/21", "June 8",
          "12 months", "aged 15", "(", ")", ",", ".", "…", "%", "per cent", "pp", "x3", "times", "doubled", "halved",
          "a third", "more than", "nearly", "1,084,604", "60,000", "1.2m", "£12.2bn", "seven", "0", "this is",
          "an increase of", "fewer", "than the", "since", "the highest", "-", "against", "(43%)", "741"]


@settings(max_examples=300)
@given(words=st.lists(st.sampled_from(_VOCAB), max_size=30))
def test_any_passage_is_read_without_crashing(words: list[str]) -> None:
    text = " ".join(words)
    passage = read_passage(text)
    for claim in passage.claims:
        assert check(claim).verdict in (C, I, X)


@settings(max_examples=100)
@given(text=st.text(max_size=200))
def test_any_text_gives_one_line_or_verdicts(text: str) -> None:
    result = runner.invoke(app, ["check", "--format", "json", "--text", "-"], input=text)
    assert result.exit_code in (0, 1, 2, 4), result.output
    assert "Traceback" not in result.stderr


def test_one_in_n_is_a_rate() -> None:
    # 1 in 5 = 20%, 1 in 4 = 25%: a rise
    _same(claims("The share of cases charged rose from 1 in 5 to 1 in 4."), [("rose", "20%", "25%", C)])
    assert unused("One in five victims waited more than a year.") == ["20%"]


def test_two_figure_form_quoted_as_one_argument() -> None:
    code, (row,) = check_json("28 152 443%")
    assert (row["before"], row["after"], row["verdict"], code) == (28, 152, C, 0)


def test_bare_points_after_a_change_word_are_percentage_points() -> None:
    # 67.3 - 59.9 = 7.4 points, more than seven
    _same(claims("Turnout fell by more than seven points, from 67.3% to 59.9%."),
          [("down more than 7pp", "67.3%", "59.9%", C)])


def test_a_contrasting_clause_about_another_subject_does_not_take_the_figures() -> None:
    # 110/47 = 2.34; "while attacks on synagogues rose 20%" is about synagogues, with no figures
    text = "Hate crimes targeting mosques more than doubled, from 47 to 110, while attacks on synagogues rose 20%."
    _same(claims(text), [("more than 2x", 47, 110, C), ("+20%", None, None, X)])


def test_the_year_a_claim_names_picks_the_base() -> None:
    # 121,929 is down from 123,142 (-1.0%) and from 144,353 in 2009 (-15.5%, "16 per cent below the 2009 peak")
    text = ("The number of officers was 121,929, down from 123,142 in March and from 144,353 in 2009. "
            "That is 16 per cent below the 2009 peak.")
    _same(claims(text), [("-16%", 144353, 121929, C), ("fell", 123142, 121929, C)])


def test_more_than_a_figure_for_an_earlier_year() -> None:
    # 80/400 = 20% exactly
    _same(claims("There were 480 incidents, which is 20% more than the previous year's 400."), [("+20%", 400, 480, C)])


def test_a_series_of_figures_and_a_claim_about_first_to_last() -> None:
    # 28 -> 48 -> 152; 124/28 = 442.9% -> 443 is first to last (the published Leicestershire sentence)
    text = ("Leicestershire Police received 28 reports of sextortion between June 2020 and May 2021. That rose to "
            "48 in 2022, and 152 in the year up to May last year – a rise of 443 per cent.")
    _same(claims(text), [("+443%", 28, 152, C)])
    assert unused(text) == []


_RISES = [
    "{N} rose from {b} in {y1} to {a} in {y2}, a rise of {p}%.",
    "There were {a} {n} in {y2}, compared with {b} in {y1} – a {p}% increase.",
    "{N} reached {a} last year, up from {b} in {y1}, an increase of {p} per cent.",
    "A total of {a} {n} were recorded in the 12 months to March {y2}. This is up {p}% from {b} in the previous 12 months.",
    "Police recorded {b} {n} in {y1} and {a} in {y2}, a {p}% rise.",
    "The force recorded {a} {n} ({b} the year before), a rise of {p} per cent.",
    "{N} rose {p}% to {a} from {b}.",
    "There were {a} {n}, {p}% more than the {b} recorded in {y1}.",
    "In {y2}, officers dealt with {a} {n}. That was {p} per cent higher than the {b} recorded in {y1}.",
]
_FALLS = [
    "{N} fell from {b} in {y1} to {a} in {y2}, a drop of {p}%.",
    "There were {a} {n} in {y2}, compared with {b} in {y1} – a {p}% decrease.",
    "{N} fell {p}% to {a} from {b}.",
    "In {y2} there were {a} {n}, down from {b} in {y1}, a fall of {p} per cent.",
]


@settings(max_examples=300)
@given(b=st.integers(min_value=3, max_value=900_000), factor=st.fractions(min_value=Fraction(1, 4), max_value=5),
       pick=st.integers(min_value=0, max_value=100), y1=st.integers(min_value=2005, max_value=2020),
       places=st.sampled_from([0, 1]), off=st.sampled_from([0, 0, 2, -2, 3]))
def test_templates_pair_the_right_figures_and_judge_at_precision(
    b: int, factor: Fraction, pick: int, y1: int, places: int, off: int
) -> None:
    a = int(b * factor)
    if a in (b, 0):
        return
    templates = _RISES if a > b else _FALLS
    exact = abs(Fraction(a - b, b) * 100)
    claimed = _round_half_up(exact, places) + off * Fraction(1, 10**places)
    if claimed <= 0:
        return
    text = templates[pick % len(templates)].format(
        N="Reports", n="reports", b=f"{b:,}", a=f"{a:,}", p=f"{float(claimed):.{places}f}", y1=y1, y2=y1 + 2)
    (claim,) = [c for c in read_passage(text).claims if c.kind == "pct"]
    assert (claim.before, claim.after) == (b, a), text
    verdict = check(claim).verdict
    if off == 0:
        assert verdict == C, text
    elif claim.rounded_unit is None:
        assert verdict == I, text
