"""`foistats import` on the shipped examples: every force's figures, every trap reported."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date

import pytest
from conftest import DATA, EXAMPLES, read_csv_text


def _june_may_year(start: date, end: date) -> int | None:
    """The June–May year a period lies in (hand rule for the test, independent of align.py)."""
    year = start.year if start.month >= 6 else start.year - 1
    last = date(year + 1, 5, 31)
    return year if end <= last else None


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> list[dict[str, str]]:
    from typer.testing import CliRunner

    from foistats.cli.app import app

    out = tmp_path_factory.mktemp("imp") / "sextortion.csv"
    result = CliRunner().invoke(app, ["import", str(EXAMPLES), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_expected_yearly_figure_is_imported(imported) -> None:
    sums: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in imported:
        if row["status"] != "ok" or not row["period_start"] or row["is_total"] == "true":
            continue  # a printed total is quoted, never added to its parts again
        start, end = date.fromisoformat(row["period_start"]), date.fromisoformat(row["period_end"])
        year = _june_may_year(start, end)
        if year is not None:
            sums[row["force"]][year] += int(row["value"])
    with (DATA / "sextortion_expected.csv").open(encoding="utf-8") as fh:
        expected = list(csv.DictReader(fh))
    checked = 0
    for exp in expected:
        kind = exp["status_note"].split(":")[0]
        if kind in ("ok", "small_base"):
            for year, key in ((2020, "y2020"), (2021, "y2021"), (2022, "y2022")):
                if exp[key]:  # empty where a suppressed month makes the year a range
                    assert sums[exp["force"]].get(year) == int(exp[key]), (exp["force"], year)
            checked += 1
    assert checked >= 36


def test_published_figures_and_provenance(imported) -> None:
    leics = [r for r in imported if r["force"] == "Leicestershire Police" and r["is_total"] == "false"]
    assert [int(r["value"]) for r in leics] == [28, 48, 152]
    assert all(r["source_file"].endswith("Leicestershire Police FOI 2024-0123.xlsx") for r in leics)
    assert all(r["source_cell"] for r in leics)
    assert leics[0]["period_start"] == "2020-06-01" and leics[-1]["period_end"] == "2023-05-31"
    gmp_rows = [r for r in imported if r["force"] == "Greater Manchester Police"]
    gmp = {r["period_start"]: int(r["value"]) for r in gmp_rows if r["is_total"] == "false"}
    assert gmp["2020-06-01"] == 20 and gmp["2022-06-01"] == 560
    # The printed total is kept (a user may quote it), marked, and dated by the years it adds up.
    total = [r for r in gmp_rows if r["is_total"] == "true"]
    assert [(r["period_start"], r["period_end"], r["value"]) for r in total] == [("2020-06-01", "2023-05-31", "723")]


def test_campaign_measure_names_every_answer(imported) -> None:
    assert {r["measure"] for r in imported} == {"Under-18 sextortion reports"}


def test_traps_keep_their_status(imported) -> None:
    by_force = defaultdict(list)
    for r in imported:
        by_force[r["force"]].append(r)
    northumbria = by_force["Northumbria Police"]
    assert [r["status"] for r in northumbria] == ["refused"] and "section 12" in northumbria[0]["note"]
    assert {r["status"] for r in by_force["City of London Police"]} == {"nil"}
    dyfed = [r for r in by_force["Dyfed-Powys Police"] if r["period_start"] == "2020-06-01"][0]
    assert (dyfed["value"], dyfed["status"], dyfed["value_low"], dyfed["value_high"]) == ("", "suppressed", "1", "4")
    essex = by_force["Essex Police"]
    assert {r["period_start"][5:] for r in essex} == {"04-01"}  # financial years, as answered
    assert len(by_force) == 45


def test_report_names_the_wrong_total_and_is_on_stderr(invoke, tmp_path) -> None:
    result = invoke("import", EXAMPLES, "-o", tmp_path / "x.csv")
    assert result.exit_code == 0
    assert "printed total 221" in result.stderr and "211" in result.stderr
    assert "Hertfordshire" in result.stderr
    assert result.stdout == ""


def test_strict_fails_on_warnings(invoke, tmp_path) -> None:
    result = invoke("import", EXAMPLES, "-o", tmp_path / "x.csv", "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.stderr


def test_report_json_reconciles_every_cell(invoke, tmp_path) -> None:
    report = tmp_path / "report.json"
    result = invoke("import", EXAMPLES, "-o", tmp_path / "x.parquet", "--report", report)
    assert result.exit_code == 0, result.stderr
    data = json.loads(report.read_text())
    assert len(data["files"]) == 45
    for f in data["files"]:
        for s in f["sheets"]:
            if s["status"] == "imported":
                assert s["cells_in_region"] == s["rows_imported"] + len(s["skipped"]), (f["path"], s["sheet"])
    import polars as pl

    frame = pl.read_parquet(tmp_path / "x.parquet")
    assert frame.height == data["rows_imported"]


def test_csv_to_stdout_is_clean_and_integers_stay_integers(invoke) -> None:
    result = invoke("import", EXAMPLES / "Leicestershire Police FOI 2024-0123.xlsx", "--format", "csv")
    assert result.exit_code == 0
    rows = read_csv_text(result.stdout)
    assert list(rows[0])[:4] == ["force", "force_code", "area_kind", "measure"]
    assert [r["value"] for r in rows] == ["28", "48", "152"]
    assert rows[0]["force_code"] == "E23000021"


def test_single_file_options_supply_what_the_file_lacks(invoke, tmp_path) -> None:
    path = tmp_path / "return.csv"
    path.write_text("Category,Count\nOnline,12\nIn person,7\n", encoding="utf-8")
    result = invoke("import", path, "--force", "Leics", "--period", "2020/21", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = read_csv_text(result.stdout)
    assert {r["force"] for r in rows} == {"Leicestershire Police"}
    assert {(r["period_start"], r["period_end"]) for r in rows} == {("2020-04-01", "2021-03-31")}
    assert [r["measure"] for r in rows] == ["Online", "In person"]


def test_unknown_force_option_suggests(invoke, tmp_path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Year,Count\n2020,1\n", encoding="utf-8")
    result = invoke("import", path, "--force", "Leicstershire")
    assert result.exit_code == 2
    assert "did you mean Leicestershire Police" in result.stderr


def test_missing_file_is_one_line_exit_3(invoke) -> None:
    result = invoke("import", "no/such/file.xlsx")
    assert result.exit_code == 3
    assert result.stderr.strip().count("\n") == 0 and "no/such/file.xlsx" in result.stderr


def test_inspect_explains_the_layout(invoke) -> None:
    result = invoke("inspect", EXAMPLES / "Sussex Police FOI 812-24.xlsx")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "header row(s) 5, 6" in out
    assert "orientation wide" in out
    assert "«June 2020" in out  # merged cell filled
    assert "Sussex Police" in out
    assert "title" in out and "notes" in out
