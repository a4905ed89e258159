"""`foistats rise` and `foistats rank` on a hand-made tidy dataset (tests/data/rank_forces.csv).

The fixture holds June–May years 2020/21 and 2022/23 (Leicestershire also 2021/22):

  force                 2020/21 → 2022/23   % change (by hand)
  Greater Manchester       20 → 560         +2,700%   (28 times)
  Kent                     10 → 60          +500%
  Essex                    15 → 90          +500%     (tie with Kent: joint 2nd)
  Leicestershire           28 → 152         +442.857142857…%
  Surrey                   12 → 48          +300%
  Sussex                   30 → 105         +250%
  Merseyside               40 → 80          +100%
  Cheshire                 50 → 45          -10%
  Dorset                    3 → 30          base 3 < 10: not ranked by %
  Durham                    0 → 14          new from zero: no %
  Cumbria                  <5 → 23          suppressed (1–4): +475% to +2,200%
  Northamptonshire     Apr–Mar years        misaligned
  Norfolk              refused (s12), no period
  North East (region)     100 → 300         not a force

So by % change: 8 ranked of 12 that answered; 1 refused; 4 not comparable.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foistats.cli.app import app

DATA = Path(__file__).parent / "data"
FORCES = DATA / "rank_forces.csv"
TWO = DATA / "rank_two_measures.csv"
POP = DATA / "rank_population.csv"

RANK_COLUMNS = [
    "rank", "force", "force_code", "from_period", "to_period", "from_value", "to_value",
    "change", "pct_change", "ratio", "flags",
]
FROM, TO = "Jun 2020–May 2021", "Jun 2022–May 2023"

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A foistats.toml in the working folder would change the roster; run from an empty one.
    monkeypatch.chdir(tmp_path)


def run(*args: str):  # noqa: ANN201
    """Run foistats; rise/rank get --year-start jun unless the test gives one (the data mixes June and April years)."""
    argv = list(args)
    if argv[0] in ("rise", "rank") and "--year-start" not in argv and "--help" not in argv:
        argv += ["--year-start", "jun"]
    return runner.invoke(app, argv, env={"COLUMNS": "200", "NO_COLOR": "1"})


def rows_of(result) -> list[dict[str, str]]:  # noqa: ANN001
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def by_force(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["force"]: r for r in rows}


# ---------------------------------------------------------------- rank


def test_rank_csv_columns_ranks_and_unrankable() -> None:
    result = run("rank", str(FORCES), "--format", "csv")
    rows = rows_of(result)
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[:11] == RANK_COLUMNS
    assert set(header[11:]) >= {"joint", "reason", "pct_low", "pct_high", "rate"}
    got = {r["force"]: r["rank"] for r in rows}
    assert got == {
        "Greater Manchester Police": "1",
        "Essex Police": "2",
        "Kent Police": "2",
        "Leicestershire Police": "4",
        "Surrey Police": "5",
        "Sussex Police": "6",
        "Merseyside Police": "7",
        "Cheshire Constabulary": "8",
        # Nothing vanishes from a pipe: unrankable forces have an empty rank.
        "Dorset Police": "",
        "Durham Constabulary": "",
        "Cumbria Constabulary": "",
        "Northamptonshire Police": "",
        "Norfolk Constabulary": "",
    }  # the region (North East) is listed only with --areas: see the test below
    # Ranked rows come first, in rank order.
    assert [r["rank"] for r in rows[:8]] == ["1", "2", "2", "4", "5", "6", "7", "8"]
    f = by_force(rows)
    assert f["Essex Police"]["joint"] == "true" and f["Kent Police"]["joint"] == "true"
    assert f["Greater Manchester Police"]["joint"] == "false"
    leics = f["Leicestershire Police"]
    assert (leics["force_code"], leics["from_period"], leics["to_period"]) == ("E23000021", "2020/21", "2022/23")
    assert (leics["from_value"], leics["to_value"], leics["change"]) == ("28", "152", "124")
    assert float(leics["pct_change"]) == pytest.approx(442.857142857, abs=1e-9)
    assert len(leics["pct_change"].split(".")[1]) >= 9  # unrounded in CSV
    assert float(leics["ratio"]) == pytest.approx(5.428571428, abs=1e-9)
    gmp = f["Greater Manchester Police"]
    assert (gmp["pct_change"], gmp["ratio"], gmp["change"]) == ("2700", "28", "540")
    assert "refused" in f["Norfolk Constabulary"]["flags"]
    assert "s12 cost limit" in f["Norfolk Constabulary"]["reason"]
    assert "misaligned" in f["Northamptonshire Police"]["flags"]
    assert f["Northamptonshire Police"]["reason"] == "misaligned periods (Apr 2020–Mar 2021; Apr 2022–Mar 2023)"
    assert "suppressed_endpoint" in f["Cumbria Constabulary"]["flags"]
    assert (f["Cumbria Constabulary"]["pct_low"], f["Cumbria Constabulary"]["pct_high"]) == ("475", "2200")
    assert "small_base" in f["Dorset Police"]["flags"]
    assert "min-base" in f["Dorset Police"]["reason"]
    assert "new_from_zero" in f["Durham Constabulary"]["flags"]
    assert f["Durham Constabulary"]["pct_change"] == ""
    # The caption (on stderr, so the pipe stays clean) counts who was left out.
    assert "ranked 8 of 12 forces that answered; 1 refused; 4 not comparable" in result.stderr
    assert "non-force" not in result.stderr
    assert "- Norfolk Constabulary — refused (s12 cost limit)" in result.stderr


def test_rank_areas_all_lists_regions_with_their_kind_never_ranked() -> None:
    result = run("rank", str(FORCES), "--format", "csv", "--areas", "all")
    rows = rows_of(result)
    f = by_force(rows)
    assert f["North East"]["rank"] == "" and "not_a_force" in f["North East"]["flags"]
    assert f["North East"]["area_kind"] == "region" and f["Kent Police"]["area_kind"] == "force"
    assert [r["rank"] for r in rows[:8]] == ["1", "2", "2", "4", "5", "6", "7", "8"]  # forces ranked as before
    assert "1 non-force area (region) not ranked" in result.stderr
    only = rows_of(run("rise", str(FORCES), "--format", "csv", "--areas", "regions"))
    assert [(r["force"], r["area_kind"]) for r in only] == [("North East", "region")]


def test_areas_option_is_the_same_on_every_listing_command() -> None:
    for command in ("rise", "rank", "export"):
        plain = run(command, str(FORCES), *(["--format", "csv"] if command != "export" else ["--year-start", "jun"]))
        assert plain.exit_code == 0, plain.stderr
        assert "North East" not in plain.stdout  # forces only by default
        asked = run(command, str(FORCES), *(["--format", "csv"] if command != "export" else ["--year-start", "jun"]), "--areas", "forces,regions")
        assert asked.exit_code == 0, asked.stderr
        assert "North East" in asked.stdout and "region" in asked.stdout
    chart = run("chart", "rank", str(FORCES), "--year-start", "jun", "--format", "csv", "--areas", "all")
    assert chart.exit_code == 0, chart.stderr
    assert "North East (region)" in chart.stdout
    assert "North East" not in run("chart", "rank", str(FORCES), "--year-start", "jun", "--format", "csv").stdout
    bad = run("rise", str(FORCES), "--areas", "boroughs")
    assert bad.exit_code == 2 and "unknown --areas" in bad.stderr


def test_rank_force_sentence() -> None:
    result = run("rank", str(FORCES), "--format", "csv", "--force", "Leicestershire")
    assert result.exit_code == 0, result.stderr
    assert (
        "Leicestershire Police: 28 → 152 (+443%, 5.4 times as many) between "
        f"{FROM} and {TO}, 4th of 8 forces ranked."
    ) in result.stderr
    result = run("rank", str(FORCES), "--format", "csv", "--force", "GMP")
    assert f"Greater Manchester Police: 20 → 560 (+2,700%, 28 times as many) between {FROM} and {TO}, 1st of 8" in result.stderr
    result = run("rank", str(FORCES), "--format", "csv", "--force", "Kent")
    assert ", joint 2nd of 8 forces ranked." in result.stderr
    result = run("rank", str(FORCES), "--format", "csv", "--force", "Durham")
    assert "Durham Constabulary: 0 → 14 (new) between" in result.stderr
    assert "not ranked (new: 0 → 14" in result.stderr
    # Misaligned years: the values are shown, but no percentage is built on them.
    result = run("rank", str(FORCES), "--format", "csv", "--force", "Northamptonshire")
    # issue 16: each figure with its own period, never the June–May label on April–March figures.
    assert "Northamptonshire Police: 18 in Apr 2020–Mar 2021; 54 in Apr 2022–Mar 2023. No rise is given" in result.stderr
    result = run("rank", str(FORCES), "--format", "csv", "--force", "Norfolk")
    assert f"Norfolk Constabulary: no figures to compare between {FROM} and {TO} (refused (s12 cost limit))." in result.stderr


def test_rank_top_keeps_joint_places_and_unranked() -> None:
    rows = rows_of(run("rank", str(FORCES), "--format", "csv", "--top", "2"))
    ranked = [r["force"] for r in rows if r["rank"]]
    assert ranked == ["Greater Manchester Police", "Essex Police", "Kent Police"]
    assert sum(1 for r in rows if not r["rank"]) == 5  # the region is not listed without --areas


def test_rank_top_still_shows_the_chosen_force() -> None:
    rows = rows_of(run("rank", str(FORCES), "--format", "csv", "--top", "1", "--force", "Leicestershire"))
    assert [(r["rank"], r["force"]) for r in rows if r["rank"]] == [("1", "Greater Manchester Police"), ("4", "Leicestershire Police")]


def test_rank_ascending() -> None:
    rows = rows_of(run("rank", str(FORCES), "--format", "csv", "--asc"))
    ranked = [(r["rank"], r["force"]) for r in rows if r["rank"]]
    assert ranked == [
        ("1", "Cheshire Constabulary"),
        ("2", "Merseyside Police"),
        ("3", "Sussex Police"),
        ("4", "Surrey Police"),
        ("5", "Leicestershire Police"),
        ("6", "Essex Police"),
        ("6", "Kent Police"),
        ("8", "Greater Manchester Police"),
    ]


def test_rank_by_change() -> None:
    # 540, 124, 75, 75, 50, 40, 36, 27 (Dorset: min-base is for % only), 14 (Durham), -5.
    rows = rows_of(run("rank", str(FORCES), "--format", "csv", "--by", "change"))
    ranked = [(r["rank"], r["force"]) for r in rows if r["rank"]]
    assert ranked == [
        ("1", "Greater Manchester Police"),
        ("2", "Leicestershire Police"),
        ("3", "Essex Police"),
        ("3", "Sussex Police"),
        ("5", "Kent Police"),
        ("6", "Merseyside Police"),
        ("7", "Surrey Police"),
        ("8", "Dorset Police"),
        ("9", "Durham Constabulary"),
        ("10", "Cheshire Constabulary"),
    ]


def test_rank_by_final_value() -> None:
    # Only the final year matters: Cumbria's suppressed first year does not stop it.
    rows = rows_of(run("rank", str(FORCES), "--format", "csv", "--by", "to"))
    ranked = [r["force"] for r in rows if r["rank"]]
    assert ranked == [
        "Greater Manchester Police", "Leicestershire Police", "Sussex Police", "Essex Police",
        "Merseyside Police", "Kent Police", "Surrey Police", "Cheshire Constabulary", "Dorset Police",
        "Cumbria Constabulary", "Durham Constabulary",
    ]


def test_rank_by_rate_with_population() -> None:
    # 560/2,800,000×100,000 = 20; 152/1,100,000×100,000 = 13.8181…; 90/1.8m = 5; 60/1.5m = 4.
    result = run("rank", str(FORCES), "--format", "csv", "--by", "rate", "--population", str(POP))
    rows = rows_of(result)
    ranked = [(r["rank"], r["force"], r["rate"]) for r in rows if r["rank"]]
    assert [(a, b) for a, b, _ in ranked] == [
        ("1", "Greater Manchester Police"), ("2", "Leicestershire Police"), ("3", "Essex Police"), ("4", "Kent Police"),
    ]
    assert float(ranked[1][2]) == pytest.approx(152 / 11)
    assert "no population figure" in by_force(rows)["Surrey Police"]["reason"]
    assert run("rank", str(FORCES), "--by", "rate").exit_code == 2


def test_rank_json_rank_is_null_for_unranked() -> None:
    result = run("rank", str(FORCES), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = {r["force"]: r for r in json.loads(result.stdout)}
    assert data["Norfolk Constabulary"]["rank"] is None
    assert data["Greater Manchester Police"]["rank"] == 1
    assert data["Leicestershire Police"]["pct_change"] == pytest.approx(442.857142857, abs=1e-9)


def test_rank_table_has_bars_places_and_notes() -> None:
    result = run("rank", str(FORCES), "--format", "table", "--force", "Leicestershire")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "joint 2nd" in out and "█" in out
    assert "+442.9%" in out  # one decimal place in tables
    assert "Not ranked:" in out and "Norfolk Constabulary" in out
    assert "4th of 8 forces ranked." in out


def test_several_measures_need_measure() -> None:
    result = run("rank", str(TWO), "--format", "csv")
    assert result.exit_code == 2
    assert "Online grooming reports" in result.stderr and "Sextortion reports" in result.stderr
    rows = rows_of(run("rank", str(TWO), "--format", "csv", "--measure", "sextortion REPORTS"))
    assert by_force(rows)["Greater Manchester Police"]["rank"] == "1"
    rise = run("rise", str(TWO), "--format", "csv")
    assert rise.exit_code == 2 and "Online grooming reports" in rise.stderr


def test_unknown_force_says_did_you_mean() -> None:
    result = run("rank", str(FORCES), "--format", "csv", "--force", "Leicestershre")
    assert result.exit_code == 2
    assert "did you mean Leicestershire Police" in result.stderr
    # A real force that is not in the data is also a usage error, not a silent blank.
    result = run("rank", str(FORCES), "--format", "csv", "--force", "Wiltshire")
    assert result.exit_code == 2 and "not in the data" in result.stderr


def test_from_and_to() -> None:
    # Only Leicestershire has 2021/22: 48 → 152 = 104/48 = +216.666…%.
    rows = rows_of(run("rank", str(FORCES), "--format", "csv", "--from", "2021/22", "--to", "2022/23"))
    f = by_force(rows)
    assert f["Leicestershire Police"]["rank"] == "1"
    assert float(f["Leicestershire Police"]["pct_change"]) == pytest.approx(216.666666667, abs=1e-9)
    assert "no figure for 2021/22" in f["Kent Police"]["reason"]
    assert run("rank", str(FORCES), "--from", "2022/23", "--to", "2020/21").exit_code == 2
    assert run("rank", str(FORCES), "--from", "2015/16").exit_code == 2


def test_include_misaligned_ranks_but_flags() -> None:
    # Northamptonshire Apr–Mar 18 → 54 = +200%: 7th, after Sussex's +250%.
    rows = rows_of(run("rank", str(FORCES), "--format", "csv", "--include-misaligned"))
    northants = by_force(rows)["Northamptonshire Police"]
    assert northants["rank"] == "7" and "misaligned" in northants["flags"]


def test_explain_names_cells_and_arithmetic() -> None:
    result = run("rank", str(FORCES), "--format", "csv", "--force", "Leicestershire", "--explain")
    rows = rows_of(result)
    items = {r["item"]: r for r in rows}
    assert "leicestershire.xlsx" in items["from_value"]["source"] and "B3" in items["from_value"]["source"]
    assert "D3" in items["to_value"]["source"]
    assert items["change"]["working"] == "152 − 28 = 124"
    assert items["pct_change"]["working"].startswith("(152 − 28) ÷ 28 × 100 = 442.857142857% → +443%")
    assert items["rank"]["working"].startswith("4th of 8 ranked by percentage change")


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "ranked.csv"
    result = run("rank", str(FORCES), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith(",".join(RANK_COLUMNS))


# ---------------------------------------------------------------- rise


def test_rise_csv() -> None:
    result = run("rise", str(FORCES), "--format", "csv")
    rows = rows_of(result)
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[:10] == RANK_COLUMNS[1:]
    f = by_force(rows)
    assert len(f) == 13  # 13 forces; the region (North East) only with --areas
    assert float(f["Leicestershire Police"]["pct_change"]) == pytest.approx(442.857142857, abs=1e-9)
    assert float(f["Cheshire Constabulary"]["pct_change"]) == pytest.approx(-10)
    durham = f["Durham Constabulary"]
    assert (durham["change"], durham["pct_change"], durham["ratio"]) == ("14", "", "")
    assert durham["reason"] == "new: 0 → 14"
    cumbria = f["Cumbria Constabulary"]
    assert (cumbria["from_value"], cumbria["pct_change"], cumbria["pct_low"], cumbria["pct_high"]) == ("", "", "475", "2200")
    assert "small_base" in f["Dorset Police"]["flags"] and f["Dorset Police"]["pct_change"] == "900"
    northants = f["Northamptonshire Police"]
    assert "misaligned" in northants["flags"] and northants["pct_change"] == ""
    assert "refused" in f["Norfolk Constabulary"]["flags"]
    assert "Jun 2020–May 2021" in result.stderr and "Jun 2022–May 2023" in result.stderr


def test_rise_force_sentence_and_min_base() -> None:
    result = run("rise", str(FORCES), "--format", "csv", "--force", "leicestershire", "--min-base", "30")
    rows = rows_of(result)
    assert len(rows) == 1 and "small_base" in rows[0]["flags"]
    assert f"Leicestershire Police: 28 → 152 (+443%, 5.4 times as many) between {FROM} and {TO}." in result.stderr


def test_rise_year_start_april_aligns_the_financial_year_force() -> None:
    rows = rows_of(run("rise", str(FORCES), "--format", "csv", "--year-start", "apr", "--from", "2020/21", "--to", "2022/23"))
    f = by_force(rows)
    northants = f["Northamptonshire Police"]
    assert northants["pct_change"] == "200" and "misaligned" not in northants["flags"]
    assert "misaligned" in f["Kent Police"]["flags"]


def test_campaign_roster_counts_silence_and_refusals(tmp_path: Path) -> None:
    names = sorted({r["force"] for r in csv.DictReader(FORCES.open(encoding="utf-8")) if r["area_kind"] == "force"})
    toml = tmp_path / "foistats.toml"
    toml.write_text(
        '[request]\nmeasure = "Sextortion reports"\nyear_start = "jun"\n'
        f"forces = {json.dumps(names + ['Humberside Police', 'Wiltshire Police'])}\n"
        '[responses."Wiltshire Police"]\nstatus = "refused"\nexemption = "s12 cost limit"\n',
        encoding="utf-8",
    )
    # No --year-start: the campaign file's "jun" is used.
    result = runner.invoke(app, ["rank", str(FORCES), "--format", "csv", "--campaign", str(toml)])
    f = by_force(rows_of(result))
    assert f["Humberside Police"]["rank"] == "" and "not_answered" in f["Humberside Police"]["flags"]
    assert f["Humberside Police"]["reason"] == "no answer"
    assert f["Wiltshire Police"]["reason"] == "refused (s12 cost limit)"
    assert "ranked 8 of 12 forces that answered; 2 refused; 4 not comparable; 1 did not answer" in result.stderr
    assert "from the campaign file" in result.stderr


def test_mixed_year_starts_ask_for_year_start() -> None:
    # June–May and April–March years in one dataset: foistats asks rather than guesses.
    result = runner.invoke(app, ["rank", str(FORCES), "--format", "csv"])
    assert result.exit_code == 2 and "--year-start" in result.stderr
    assert runner.invoke(app, ["rank", str(FORCES), "--year-start", "junk"]).exit_code == 2


def test_help_has_examples() -> None:
    for command in ("rise", "rank"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout and f"foistats {command}" in result.stdout


def test_shipped_sextortion_example() -> None:
    """The published story: GMP 1st at +2,700%, Leicestershire 9th at +443%, of 38 ranked."""
    example = Path(__file__).resolve().parents[1] / "examples" / "sextortion"
    if not (example / "foistats.toml").exists():
        pytest.skip("examples/sextortion is not present")
    result = runner.invoke(app, ["rank", str(example), "--format", "csv", "--force", "Leicestershire"])
    assert result.exit_code == 0, result.stderr
    f = by_force(list(csv.DictReader(io.StringIO(result.stdout))))
    assert f["Greater Manchester Police"]["rank"] == "1" and f["Greater Manchester Police"]["pct_change"] == "2700"
    assert f["Leicestershire Police"]["rank"] == "9"
    assert (
        "Leicestershire Police: 28 → 152 (+443%, 5.4 times as many) between "
        f"{FROM} and {TO}, 9th of 38 forces ranked."
    ) in result.stderr
