"""`foistats export --to datawrapper|xlsx`: what a newsroom publishes and an editor checks."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from foistats.cli.app import app
from foistats.publish.export import FORMULA_LEADS, safe_text

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "sextortion"
LEICS_FILE = "Leicestershire Police FOI 2024-0123.xlsx"
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def needs_examples() -> None:
    if not (EXAMPLES / "foistats.toml").exists():
        pytest.skip("examples/sextortion is not present")


@pytest.fixture(scope="module")
def datawrapper() -> list[dict[str, str]]:
    needs_examples()
    result = run("export", EXAMPLES, "--to", "datawrapper")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory):
    needs_examples()
    path = tmp_path_factory.mktemp("xlsx") / "sextortion.xlsx"
    result = run("export", EXAMPLES, "--to", "xlsx", "-o", path)
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr and result.stdout == ""
    return openpyxl.load_workbook(path)


def test_datawrapper_one_row_per_force(datawrapper) -> None:
    assert list(datawrapper[0]) == ["Force", "2020/21", "2021/22", "2022/23", "Change", "% change", "Rank", "Place", "Note"]
    forces = [r["Force"] for r in datawrapper]
    assert len(forces) == len(set(forces)) == 48  # every force asked, once, by canonical name
    assert "Devon and Cornwall Police" in forces and "Metropolitan Police Service" in forces
    by = {r["Force"]: r for r in datawrapper}
    leics = by["Leicestershire Police"]
    # 28 → 152: change 124, 124 / 28 = 442.857…% → 442.9 to one decimal place; 9th.
    assert [leics[k] for k in ("2020/21", "2021/22", "2022/23", "Change", "% change", "Rank", "Place")] == [
        "28", "48", "152", "124", "442.9", "9", "9th",
    ]
    gmp = by["Greater Manchester Police"]
    assert (gmp["2020/21"], gmp["2022/23"], gmp["% change"], gmp["Rank"]) == ("20", "560", "2700", "1")
    # Ranked rows come first, in rank order.
    ranks = [int(r["Rank"]) for r in datawrapper if r["Rank"]]
    assert ranks == sorted(ranks) and len(ranks) == 38 and datawrapper[0]["Force"] == "Greater Manchester Police"
    assert by["Bedfordshire Police"]["Place"] == "joint 26th" and by["Suffolk Constabulary"]["Rank"] == "26"


def test_datawrapper_blanks_what_is_not_a_year(datawrapper) -> None:
    by = {r["Force"]: r for r in datawrapper}
    # Nil, suppressed, partial and misaligned figures are blank, never a number, with the reason.
    assert by["City of London Police"]["2020/21"] == "" and "nil" in by["City of London Police"]["Note"]
    assert by["Dyfed-Powys Police"]["2020/21"] == "" and "suppressed" in by["Dyfed-Powys Police"]["Note"]
    assert by["Lincolnshire Police"]["2022/23"] == "" and "partial" in by["Lincolnshire Police"]["Note"]
    assert by["Essex Police"]["2020/21"] == "" and "misaligned" in by["Essex Police"]["Note"]
    assert by["Northumbria Police"]["Note"].startswith("refused") and by["Northumbria Police"]["Rank"] == ""
    assert by["Kent Police"]["Note"] == "no answer"
    # Unranked forces carry no rise a chart could draw: Cumbria's 6 → 41 stays in the note.
    cumbria = by["Cumbria Constabulary"]
    assert (cumbria["2020/21"], cumbria["2022/23"], cumbria["% change"], cumbria["Rank"]) == ("6", "41", "", "")
    assert "base below" in cumbria["Note"]


def test_xlsx_data_sheet(workbook) -> None:
    assert workbook.sheetnames == ["Data", "Sources", "About"]
    ws = workbook["Data"]
    assert ws.freeze_panes == "B2"
    assert [c.value for c in ws[1]] == ["Force", "2020/21", "2021/22", "2022/23", "Change", "% change", "Rank", "Place", "Note"]
    assert ws["A1"].font.bold
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Leicestershire Police")
    assert [c.value for c in row[1:4]] == [28, 48, 152]
    assert row[1].number_format == "#,##0"
    assert row[4].value == 124
    # % change is a number (124 / 28 = 4.42857…) shown as a percentage, not text.
    assert row[5].value == pytest.approx(124 / 28) and "%" in row[5].number_format
    assert row[6].value == 9


def test_xlsx_sources_sheet_lists_file_and_cell(workbook) -> None:
    ws = workbook["Sources"]
    assert [c.value for c in ws[1]][:6] == ["Force", "Year", "Value", "File", "Sheet", "Cell"]
    assert ws.freeze_panes == "A2"
    leics = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value == "Leicestershire Police"]
    assert [(r[1], r[2], Path(r[3]).name, r[4], r[5]) for r in leics] == [
        ("2020/21", 28, LEICS_FILE, "Sheet1", "B6"),
        ("2021/22", 48, LEICS_FILE, "Sheet1", "C6"),
        ("2022/23", 152, LEICS_FILE, "Sheet1", "D6"),
    ]
    files = {Path(r[3].value).name for r in ws.iter_rows(min_row=2)}
    assert len(files) == 45  # every reply that came in, including the refusal letter
    assert "Northumbria Police FOI 1021-24.xlsx" in files


def test_xlsx_about_sheet(workbook) -> None:
    about = {r[0].value: r[1].value for r in workbook["About"].iter_rows(min_row=2)}
    assert about["Compared"] == "Jun 2020–May 2021 (2020/21) with Jun 2022–May 2023 (2022/23)"
    assert about["Ranked by"] == "percentage change"
    assert "ranked 38 of 44 forces that answered" in about["Summary"]
    assert about["Sent"] == "2024-01-08"


# ---------------------------------------------------------------- formula safety

TIDY_HEADER = (
    "force,force_code,area_kind,measure,period_start,period_end,period_label,value,status,"
    "value_low,value_high,source_file,source_sheet,source_cell,note\n"
)


def test_xlsx_text_is_formula_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    tidy = tmp_path / "tidy.csv"
    tidy.write_text(
        TIDY_HEADER
        + "Kent Police,E23000032,force,Reports,2020-06-01,2021-05-31,2020/21,10,ok,,,kent.xlsx,=1+1,B2,@SUM(A1)\n"
        + "Kent Police,E23000032,force,Reports,2022-06-01,2023-05-31,2022/23,30,ok,,,kent.xlsx,=1+1,B3,-2\n"
        + "Surrey Police,E23000031,force,Reports,2020-06-01,2021-05-31,2020/21,20,ok,,,surrey.xlsx,Data,B2,\n"
        + "Surrey Police,E23000031,force,Reports,2022-06-01,2023-05-31,2022/23,25,ok,,,surrey.xlsx,Data,B3,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.xlsx"
    result = run("export", tidy, "--to", "xlsx", "-o", out, "--year-start", "jun")
    assert result.exit_code == 0, result.stderr
    ws = openpyxl.load_workbook(out)["Sources"]
    kent = [r for r in ws.iter_rows(min_row=2) if r[0].value == "Kent Police"]
    sheet_cell, note_cell = kent[0][4], kent[0][8]
    # issue 16: kept exact, marked as text by Excel's quote-prefix style (no literal apostrophe).
    assert sheet_cell.value == "=1+1" and sheet_cell.data_type == "s" and sheet_cell.quotePrefix
    assert note_cell.value == "@SUM(A1)" and note_cell.quotePrefix and kent[1][8].value == "-2"
    assert kent[0][2].value == 10 and kent[0][2].data_type == "n"  # numbers stay numbers
    data = openpyxl.load_workbook(out)["Data"]
    header = [c.value for c in data[1]]
    assert header == ["Force", "2020/21", "2022/23", "Change", "% change", "Rank", "Place", "Note"]
    kent_row = next(r for r in data.iter_rows(min_row=2) if r[0].value == "Kent Police")
    # 10 → 30 is +200%, Surrey 20 → 25 is +25%: Kent first.
    assert kent_row[4].value == pytest.approx(2.0) and kent_row[5].value == 1
    assert not any(c.data_type == "f" for row in data.iter_rows() for c in row)


@given(st.text(max_size=20))
def test_safe_text_never_leaves_a_formula_lead(text: str) -> None:
    safe = safe_text(text)
    assert not safe.startswith(FORMULA_LEADS)
    assert safe == text or safe == "'" + text


def test_safe_text_examples() -> None:
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("+44 20") == "'+44 20" and safe_text("\tx") == "'\tx" and safe_text("\rx") == "'\rx"
    assert safe_text("a=b") == "a=b" and safe_text(-5) == -5 and safe_text(2.5) == 2.5


# ---------------------------------------------------------------- options


def test_export_writes_a_csv_file_and_checks_targets(tmp_path: Path) -> None:
    needs_examples()
    out = tmp_path / "dw.csv"
    result = run("export", EXAMPLES, "--to", "datawrapper", "-o", out, "--from", "2021/22", "--until", "2022/23")
    assert result.exit_code == 0, result.stderr
    rows = {r["Force"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    # Leicestershire 48 → 152: change 104; 104 / 48 = 216.666…% → 216.7.
    assert rows["Leicestershire Police"]["Change"] == "104" and rows["Leicestershire Police"]["% change"] == "216.7"
    assert run("export", EXAMPLES, "--to", "pdf").exit_code == 2
    no_file = run("export", EXAMPLES, "--to", "xlsx")
    assert no_file.exit_code == 2 and "-o" in no_file.stderr
    assert run("export", EXAMPLES, "--to", "xlsx", "-o", tmp_path / "x.csv").exit_code == 2
