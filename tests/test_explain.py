"""`foistats explain FORCE`: every number with its file, sheet and cell, and the arithmetic."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foistats.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "sextortion"
LEICS_FILE = "Leicestershire Police FOI 2024-0123.xlsx"
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def rows_of(result) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def needs_examples() -> None:
    if not (EXAMPLES / "foistats.toml").exists():
        pytest.skip("examples/sextortion is not present")


@pytest.fixture(scope="module")
def leics():
    needs_examples()
    result = run("explain", "Leicestershire", EXAMPLES, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return result


def test_every_figure_has_its_cell(leics) -> None:
    rows = rows_of(leics)
    assert list(rows[0]) == ["force", "item", "period", "value", "working", "source"]
    cells = [(r["period"], r["value"], r["source"]) for r in rows if r["item"] == "cell"]
    # The published figures, in cells B6, C6 and D6 of the force's workbook (checked by opening it).
    assert [(p, v) for p, v, _ in cells] == [("2020/21", "28"), ("2021/22", "48"), ("2022/23", "152")]
    assert [s.rsplit("/", 1)[-1] for _, _, s in cells] == [
        f"{LEICS_FILE} | Sheet1 | B6", f"{LEICS_FILE} | Sheet1 | C6", f"{LEICS_FILE} | Sheet1 | D6",
    ]
    assert "June 2020 - May 2021" in next(r for r in rows if r["item"] == "cell")["working"]


def test_the_arithmetic_to_rise_and_rank(leics) -> None:
    by = {r["item"]: r for r in rows_of(leics)}
    assert by["change"]["value"] == "124" and "152 − 28 = 124" in by["change"]["working"]
    # 124 / 28 × 100 = 442.857142857…%, published as +443%.
    assert "442.857142857%" in by["pct_change"]["working"] and "+443%" in by["pct_change"]["working"]
    assert "5.4 times as many" in by["ratio"]["working"]
    assert by["rank"]["value"] == "9" and "9th of 38" in by["rank"]["working"]
    assert (
        "Leicestershire Police: 28 → 152 (+443%, 5.4 times as many) between Jun 2020–May 2021 and "
        "Jun 2022–May 2023, 9th of 38 forces ranked." in leics.stderr
    )


def test_the_cells_in_the_workbook_really_hold_the_figures() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    needs_examples()
    ws = openpyxl.load_workbook(EXAMPLES / LEICS_FILE, read_only=True).active
    assert (ws["B6"].value, ws["C6"].value, ws["D6"].value) == (28, 48, 152)


def test_period_restricts_the_trail() -> None:
    needs_examples()
    result = run("explain", "leics", EXAMPLES, "--period", "2021/22", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result)
    assert [(r["item"], r["value"]) for r in rows] == [("cell", "48")]  # 2021/22 is not an endpoint: no rise rows
    end = rows_of(run("explain", "leics", EXAMPLES, "--period", "2022/23", "--format", "csv"))
    assert [r["item"] for r in end][0] == "cell" and "change" in [r["item"] for r in end]


def test_outstanding_force_says_when_it_was_due() -> None:
    needs_examples()
    result = run("explain", "Kent", EXAMPLES, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = {r["item"]: r for r in rows_of(result)}
    assert rows["rank"]["working"] == "not ranked: no answer"
    assert "due 2024-02-05" in rows["reply"]["working"]


def test_misspelt_force_suggests_the_name() -> None:
    needs_examples()
    result = run("explain", "Leicstershire", EXAMPLES)
    assert result.exit_code == 2
    assert "did you mean Leicestershire Police?" in result.stderr


TIDY_HEADER = (
    "force,force_code,area_kind,measure,period_start,period_end,period_label,value,status,"
    "value_low,value_high,source_file,source_sheet,source_cell,note\n"
)


def test_monthly_cells_show_the_sum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    months = [(2020, m) for m in range(6, 13)] + [(2021, m) for m in range(1, 6)]
    lines = []
    for i, (y, m) in enumerate(months, start=1):
        end = f"{y}-{m:02d}-{[0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m]}"
        lines.append(f"Kent Police,E23000032,force,Reports,{y}-{m:02d}-01,{end},{y}-{m:02d},{i},ok,,,kent.xlsx,Months,B{i + 1},")
    lines.append("Kent Police,E23000032,force,Reports,2022-06-01,2023-05-31,2022/23,156,ok,,,kent.xlsx,Years,C3,")
    tidy = tmp_path / "tidy.csv"
    tidy.write_text(TIDY_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    result = run("explain", "Kent", tidy, "--year-start", "jun", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result)
    assert len([r for r in rows if r["item"] == "cell"]) == 13
    year = next(r for r in rows if r["item"] == "year" and r["period"] == "2020/21")
    # 1 + 2 + … + 12 = 12 × 13 / 2 = 78.
    assert year["value"] == "78"
    assert year["working"].startswith("1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 = 78 (12 source figures)")
    change = next(r for r in rows if r["item"] == "change")
    assert "156 − 78 = 78" in change["working"]  # +100%
    assert "kent.xlsx | Months | B2" in {r["source"] for r in rows}
