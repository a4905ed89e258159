"""`foistats check` and `foistats.claims`: quoted changes checked at their own precision.

Every expected verdict below was worked out by hand from the two figures (the working
is in the comment beside each case), never copied from the program's output. The
rounding rule: a claim written to a precision stands for the interval it rounds from,
e.g. 443% means [442.5%, 443.5%), 5.4 times means [5.35, 5.45).
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from foistats.analysis import claims
from foistats.analysis.claims import check, check_against, parse_args, parse_claim, parse_claims, parse_number
from foistats.cli.app import app
from foistats.model.errors import UsageError

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()
JSON_KEYS = {"before", "after", "claimed", "exact", "verdict", "reason"}


def run(*args: str):  # noqa: ANN201
    return runner.invoke(app, ["check", *args])


def verdicts(*args: str) -> list[dict]:
    result = run("--format", "json", *args)
    assert result.exit_code in (0, 1, 4), result.stderr  # 4: something could not be checked (issue 15)
    return json.loads(result.stdout)


# ---------------------------------------------------------------- the hand-worked table

C, I, X = "consistent", "inconsistent", "cannot check"

# (arguments as typed, verdict, diagnosis or None). Working by hand in the comment.
TABLE: list[tuple[tuple[str, ...], str, str | None]] = [
    # 28 -> 152: change 124; 124/28 = 4.428571… so +442.857…%, ratio 5.428…
    (("Reports rose from 28 to 152, a rise of 443 per cent",), C, None),  # 442.857 in [442.5, 443.5)
    (("28", "152", "443%"), C, None),
    (("28", "152", "+443%"), C, None),
    (("28", "152", "442%"), I, "rounding"),  # 442.857 rounds to 443, not 442 (truncated)
    (("28", "152", "442.9%"), C, None),  # [442.85, 442.95)
    (("28", "152", "442.8%"), I, "rounding"),  # [442.75, 442.85) misses 442.857
    (("28", "152", "about 440%"), C, None),  # about = within 10%: [396, 484]
    (("28", "152", "almost 450%"), C, None),  # nearly = up to 10% under: [405, 450]
    (("28", "152", "more than 400%"), C, None),
    (("28", "152", "less than 400%"), I, "mismatch"),
    (("28", "152", "at least 443%"), I, "mismatch"),  # 442.857 < 443
    (("28", "152", "5.4 times as many"), C, None),  # 5.428 in [5.35, 5.45)
    (("28", "152", "five times as many"), I, "rounding"),  # a whole multiple allows 5% only: [4.75, 5.25)
    (("28", "152", "more than fivefold"), C, None),
    (("28", "152", "twice as many"), I, "mismatch"),
    (("28", "152", "rose 82%"), I, "wrong_base"),  # 124/152 = 81.58%: divided by the later figure
    (("28", "152", "-82%"), I, "direction"),  # -81.58% is 152 -> 28, the other way round
    (("Reports rose from 28 to 152",), C, None),
    (("Reports fell from 28 to 152",), I, "direction"),
    (("Sextortion cases rose from 28 in 2021 to 152 in 2023, a rise of 443%",), C, None),  # years ignored
    # 152 -> 28: change -124; -124/152 = -81.578…%; 28 is 18.4% of 152
    (("fell from 152 to 28, down 82%",), C, None),
    (("152", "28", "-82%"), C, None),
    (("152", "28", "82% lower"), C, None),
    (("fell from 152 to 28, down 81%",), I, "rounding"),
    (("fell from 152 to 28, down 443%",), I, "wrong_base"),  # 124/28 = 442.857: the fall over the later figure
    (("fell from 152 to 28, down 120%",), I, "fall_over_100"),
    (("rose from 152 to 28, up 82%",), I, "direction"),
    (("152", "28", "dropped by more than four-fifths"), C, None),  # 81.58 > 80
    # GMP 20 -> 560: change 540 = 27 × 20, so +2,700%; 560 = 28 × 20
    (("jumped from 20 to 560, up 2,700%",), C, None),
    (("jumped from 20 to 560, up 2,800%",), I, "ratio_as_rise"),  # 560/20 = 2,800% is the ratio
    (("20", "560", "28x"), C, None),
    (("20", "560", "27x"), I, "rise_as_ratio"),  # 27 is the rise as a multiple
    (("Reports were 28 times higher, rising from 20 to 560",), I, "times_more"),  # literally 29 times as many
    (("20 to 560 is 27 times more",), C, None),  # literally 27 + 1 = 28 times as many
    (("560 reports, 28 times as many as the 20 the year before",), C, None),
    # Nottinghamshire 80 -> 547: 547/80 = 6.8375; change 467/80 = +583.75%
    (("Reports increased more than six-fold, from 80 to 547",), C, None),
    (("Sextortion reports rise nearly 700% in Nottinghamshire, from 80 to 547",), I, "ratio_as_rise"),  # 683.75% is 547 as % of 80
    (("80", "547", "about 580%"), C, None),  # [522, 638]
    (("80", "547", "nearly 600%"), C, None),  # [540, 600]
    # multiples and fractions in words
    (("doubled from 250 to 500",), C, None),  # exactly 2
    (("doubled from 250 to 600",), I, "rounding"),  # 2.4 outside [1.9, 2.1)
    (("nearly doubled from 250 to 480",), C, None),  # 1.92 in [1.8, 2]
    (("more than doubled from 250 to 600",), C, None),
    (("trebled from 100 to 310",), C, None),  # 3.1 in [2.85, 3.15)
    (("tripled from 100 to 250",), I, "rounding"),  # 2.5 outside [2.85, 3.15)
    (("halved from 500 to 250",), C, None),  # -50%
    (("nearly halved from 500 to 270",), C, None),  # -46% in [-50, -45]
    (("fell by a third from 300 to 200",), C, None),  # -33.3…% in a third ± 5%
    (("100", "125", "rose by a quarter"), C, None),  # +25% exactly
    (("100", "125", "rose by a third"), I, "mismatch"),
    (("rose by a quarter",), X, "no_figures"),
    # percentage points: 10% -> 11% is +1 point but +10%
    (("10%", "11%", "+1pp"), C, None),
    (("rose from 10% to 11%, an increase of 1 percentage point",), C, None),
    (("10%", "11%", "+1%"), I, "points_vs_percent"),
    (("10%", "11%", "+10pp"), I, "points_vs_percent"),
    (("rose from 12% to 13.25%, an increase of 1.25%",), I, "points_vs_percent"),  # NI: 1.25/12 = +10.4%
    (("rose from 12 per cent to 13.25 per cent, up 1.25 percentage points",), C, None),
    (("an increase of 1 percentage point",), X, "no_figures"),
    # ONS: 60,000 -> 391,000 (rounded to the nearest 1,000): 390,500/60,500 = +545.5% … 391,500/59,500 = +558.0%
    (("advance fee fraud rose from 60,000 to 391,000, up 549%",), C, None),
    (("rose to 391,000 from 60,000, an increase of 600%",), I, "mismatch"),
    (("60,001", "391,000", "549%"), I, "rounding"),  # exact: 330,999/60,001 = +551.66%
    # zero base and exact half-way rounding
    (("from 0 to 5, up 500%",), I, "zero_base"),
    (("rose from 0 to 5",), C, None),
    (("8", "9", "13%"), C, None),  # 1/8 = 12.5% exactly, which rounds (half up) to 13%
    (("8", "9", "12%"), I, "rounding"),  # [11.5, 12.5) excludes 12.5
    (("1,000", "1,001", "+0.1%"), C, None),
    (("Crime fell 5% to 950 from 1000",), C, None),  # 50/1000
    (("The rate dropped from 14.2 to 12.1 per 1,000 people, a fall of 15%",), C, None),  # 2.1/14.2 = 14.79%
    (("The figure grew from 3,120 to 4,056, a rise of around 30%",), C, None),  # 936/3120 = 30% exactly
    (("Leicestershire rose 443% between 2021 and 2023, ninth highest",), X, "no_figures"),
    (("Reports rose nearly 700%",), X, "no_figures"),
]


@pytest.mark.parametrize(("args", "verdict", "diagnosis"), TABLE, ids=[" ".join(a)[:60] for a, _, _ in TABLE])
def test_hand_worked_claims(args: tuple[str, ...], verdict: str, diagnosis: str | None) -> None:
    rows = verdicts(*args)
    assert len(rows) == 1
    assert (rows[0]["verdict"], rows[0]["diagnosis"]) == (verdict, diagnosis), rows[0]["reason"]


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 40


def test_the_issue_example_reason_line() -> None:
    (row,) = verdicts("28", "152", "443%")
    assert row["reason"] == "152 is 5.43 times 28: a rise of 442.9%, which rounds to 443% — consistent"
    assert row["exact"] == pytest.approx(442.857142857, abs=1e-4)
    assert row["interval"] == "[442.5%, 443.5%)"


def test_mistakes_are_named_and_corrected_in_words() -> None:
    (row,) = verdicts("jumped from 20 to 560, up 2,800%")
    assert "2,800%" in row["reason"] and "2,700%" in row["reason"]
    assert row["suggestion"] == "rose from 20 to 560, a rise of 2,700% (28 times as many)"
    (row,) = verdicts("Reports were 28 times higher, rising from 20 to 560")
    assert "28 times as many" in row["reason"] and "29" in row["reason"]
    (row,) = verdicts("rose from 12% to 13.25%, an increase of 1.25%")
    assert row["suggestion"] == "rose from 12% to 13.25%, up 1.25 percentage points (a rise of 10.42%)"
    (row,) = verdicts("Sextortion reports rise nearly 700% in Nottinghamshire, from 80 to 547")
    assert row["suggestion"] == "rose from 80 to 547, a rise of 584% (6.8 times as many)"


def test_two_figures_in_one_sentence_are_both_checked() -> None:
    rows = verdicts("rose from 20 to 560, a rise of 2,700% (28 times as many)")
    assert [r["verdict"] for r in rows] == [C, C]
    assert [r["claimed"] for r in rows] == ["+2,700%", "28x"]


def test_bare_figures_report_the_change() -> None:
    (row,) = verdicts("28", "152")
    assert row["verdict"] == X
    assert row["suggestion"] == "rose from 28 to 152, a rise of 443%"


# ---------------------------------------------------------------- the library directly


def test_parse_claim_fields() -> None:
    c = parse_claim("Reports increased more than six-fold, from 80 to 547")
    assert (c.kind, c.value, c.qualifier, c.before, c.after) == ("ratio", 6, "more_than", 80, 547)
    c = parse_claim("rose from 12% to 13.25%, up 1.25 percentage points")
    assert (c.kind, c.value, c.step, c.direction, c.inputs_percent) == ("pp", Fraction(5, 4), Fraction(1, 100), 1, True)
    c = parse_claim("advance fee fraud rose from 60,000 to 391,000, up 549%")
    assert c.rounded_unit == 1000
    c = parse_claim("rose from 1.2 million to 1.5 million, a 25% rise")
    assert (c.before, c.after, c.rounded_unit) == (1_200_000, 1_500_000, 100_000)


def test_check_against_reuses_the_verdict_rules() -> None:
    claim = parse_claim("Leicestershire rose 443% between 2021 and 2023")
    assert check(claim).verdict == X
    assert check_against(claim, 28, 152).verdict == C
    assert check_against(claim, 28, 150).diagnosis == "mismatch"  # 122/28 = 435.7%, far from 443%
    assert check_against(claim, "60,000", "391,000").verdict == I  # no rounding allowance unless asked for
    assert check_against(claim, 60000, 391000, rounded_unit=Fraction(1000)).exact_low is not None


@pytest.mark.parametrize(
    "tokens",
    [["hello world"], ["28", "152", "443"], ["443"], [], ["rose from 1 to 2 and from 3 to 4, up 100%"], ["1 2 3 4"]],
)
def test_unreadable_claims_raise_usage_error(tokens: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_args(tokens)


def test_negative_base_cannot_be_checked() -> None:
    assert check_against(parse_claim("up 50%"), -10, 5).verdict == X


# ---------------------------------------------------------------- properties

counts = st.integers(min_value=0, max_value=2_000_000)
positive = st.integers(min_value=1, max_value=2_000_000)


def _both_round(b: int, a: int) -> bool:
    return parse_args([str(b), str(a), "1%"])[0].rounded_unit is not None


@settings(max_examples=300, deadline=None)
@given(b=counts, a=counts, style=st.sampled_from(["", "1%", "+1pp", "3x", "doubled", "nearly 700%", "-5%"]))
def test_checker_accepts_its_own_suggestion(b: int, a: int, style: str) -> None:
    tokens = [f"{b:,}", f"{a:,}"] + ([style] if style else [])
    for verdict in (check(c) for c in parse_args(tokens)):
        if verdict.suggestion is None:
            assert verdict.verdict == C
            continue
        again = [check(c) for c in parse_claims(verdict.suggestion)]
        assert again and all(v.verdict == C for v in again), (verdict.suggestion, [v.reason for v in again])


@settings(max_examples=300, deadline=None)
@given(b=positive, a=counts, offset=st.integers(min_value=1, max_value=50), up=st.booleans(),
       places=st.sampled_from([0, 1]))
def test_perturbed_percentage_is_rejected(b: int, a: int, offset: int, up: bool, places: int) -> None:
    assume(not _both_round(b, a))
    exact = Fraction(a - b, b) * 100
    step = Fraction(1, 10**places)
    rounded = claims._round_half_up(abs(exact), places)
    wrong = rounded + offset * step if up else rounded - offset * step
    assume(wrong >= 0)
    sign = "-" if exact < 0 else "+"
    text = f"{sign}{float(wrong):.{places}f}%"
    good = f"{sign}{float(rounded):.{places}f}%"
    assert check(parse_args([str(b), str(a), good])[0]).verdict == C
    assert check(parse_args([str(b), str(a), text])[0]).verdict == I


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=-(10**12), max_value=10**12))
def test_thousands_separators_read_back(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@settings(max_examples=200, deadline=None)
@given(b=positive, a=counts, tok=st.sampled_from(["443%", "+2,700%", "-82%", "28x", "5.4x", "+1pp", "-0.25pp", "1.5%"]))
def test_quick_path_matches_the_sentence_grammar(b: int, a: int, tok: str) -> None:
    quick = parse_args([str(b), str(a), tok])[0]
    slow = parse_claims(f"from {b} to {a}, {tok}")[0]
    for field in ("kind", "before", "after", "value", "step", "direction", "qualifier", "rounded_unit"):
        assert getattr(quick, field) == getattr(slow, field), field


@settings(max_examples=200, deadline=None)
@given(b=positive, a=positive)
def test_sentence_and_number_forms_agree(b: int, a: int) -> None:
    exact = Fraction(a - b, b) * 100
    pct = f"{float(claims._round_half_up(abs(exact), 1)):.1f}%"
    word = "rose" if a >= b else "fell"
    by_numbers = check(parse_args([str(b), str(a), ("+" if a >= b else "-") + pct])[0])
    by_words = check(parse_claim(f"Reports {word} from {b:,} to {a:,}, a change of {pct}"))
    assert by_numbers.verdict == by_words.verdict == C


# ---------------------------------------------------------------- the command line


def test_cli_numbers_form_exit_codes() -> None:
    assert run("28", "152", "443%").exit_code == 0
    assert run("20", "560", "28x").exit_code == 0
    assert run("10%", "11%", "+1pp").exit_code == 0
    assert run("152", "28", "-82%").exit_code == 0  # a negative claim is not an option
    bad = run("20", "560", "2,800%")
    assert bad.exit_code == 1
    assert "inconsistent" in bad.stderr


def test_cli_sentence_form() -> None:
    result = run("--format", "csv", "Reports rose from 28 to 152, a rise of 443 per cent")
    assert result.exit_code == 0
    header, row = result.stdout.strip().splitlines()
    assert header.split(",")[:4] == ["claim", "before", "after", "claimed"]
    assert ",28,152,+443%," in row


def test_cli_unquoted_sentence_is_joined() -> None:
    assert verdicts("rose", "from", "28", "to", "152,", "up", "443%")[0]["verdict"] == C


def test_cli_numbers_and_phrase() -> None:
    (row,) = verdicts("100", "125", "rose by a quarter")
    assert (row["before"], row["after"], row["verdict"]) == (100, 125, C)


def test_cli_json_keys() -> None:
    (row,) = verdicts("28", "152", "443%")
    assert JSON_KEYS <= set(row)
    assert {"diagnosis", "suggestion", "claim"} <= set(row)


@pytest.mark.parametrize("args", [("hello", "world"), ("28", "152", "443"), ("443",), ("28", "152", "--formt", "csv"), ()])
def test_cli_unparseable_exits_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.startswith("foistats: error:")
    assert "Traceback" not in result.stderr


def test_cli_cannot_check_exits_0() -> None:
    result = run("rose by a quarter")
    assert result.exit_code == 4  # issue 15: "cannot check" no longer passes a CI gate
    assert "cannot check" in result.stdout


def test_cli_table_in_terminal_form() -> None:
    result = run("--format", "table", "jumped from 20 to 560, up 2,800%")
    assert result.exit_code == 1
    assert "inconsistent" in result.stdout
    assert "2,700%" in result.stdout


def test_cli_file_batch() -> None:
    result = run("--file", str(DATA / "claims.csv"), "--format", "json")
    assert result.exit_code == 1  # two of the claims are wrong
    rows = json.loads(result.stdout)
    assert [r["verdict"] for r in rows] == [C, I, C, C, C, I, C, X]
    assert [r["row"] for r in rows] == [2, 3, 4, 5, 6, 7, 8, 9]  # CSV line numbers
    assert rows[1]["diagnosis"] == "ratio_as_rise" and rows[5]["diagnosis"] == "ratio_as_rise"
    assert "2 inconsistent" in result.stderr


def test_cli_file_csv_output(tmp_path: Path) -> None:
    out = tmp_path / "verdicts.csv"
    result = run("--file", str(DATA / "claims.csv"), "-o", str(out))
    assert result.exit_code == 1
    lines = out.read_text().splitlines()
    assert lines[0].startswith("row,claim,before,after,claimed,exact")
    assert len(lines) == 9


def test_cli_file_all_consistent_exits_0(tmp_path: Path) -> None:
    f = tmp_path / "ok.csv"
    f.write_text("before,after,claim\n28,152,443%\n20,560,28x\n")
    assert run("--file", str(f), "--format", "csv").exit_code == 0


def test_cli_file_from_stdin() -> None:
    result = runner.invoke(
        app, ["check", "--file", "-", "--format", "json"], input="sentence\n\"doubled from 250 to 500\"\n"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["verdict"] == C


def test_cli_file_unreadable_row_renders_then_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("before,after,claim\n28,152,443%\n28,152,banana\n")
    result = run("--file", str(f), "--format", "json")
    assert result.exit_code == 2
    rows = json.loads(result.stdout)
    assert [r["verdict"] for r in rows] == [C, X]
    assert "line 3" in result.stderr


def test_cli_file_problems_exit_3(tmp_path: Path) -> None:
    assert run("--file", str(tmp_path / "missing.csv")).exit_code == 3
    f = tmp_path / "cols.csv"
    f.write_text("a,b\n1,2\n")
    result = run("--file", str(f))
    assert result.exit_code == 3
    assert "sentence" in result.stderr


def test_cli_help_has_an_example() -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "foistats check 28 152 443%" in result.stdout


def test_check_path_does_not_import_polars() -> None:
    code = "import sys; from foistats.cli.app import app; import foistats.analysis.claims; print('polars' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_check_run_does_not_import_polars_or_readers() -> None:
    code = (
        "import sys; sys.argv = ['foistats', 'check', '28', '152', '443%'];\n"
        "from foistats.cli.app import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('polars', 'openpyxl', 'python_calamine') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
