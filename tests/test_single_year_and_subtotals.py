"""A header of one year is a header, and a sub-total is a total.

Two ways a reply's numbers came in wrong with no warning:

- a header row with one year column ("Offence | 2023" over "Blackmail | 12") was read as
  a data row whenever the year was text (CSV, Word, HTML, PDF): the year became a count
  of 2023 under the measure "Offence", or under a force called "Force";
- a sub-total row ("Sub-total", "North sub-total", "Blackmail total") was not marked a
  total, so adding up the rows that are not totals counted its parts twice.

Each is checked through the CLI on the formats that showed it, with the cases that must
not change: a force's count of 2023 among forces, and "Total recorded crime" as a measure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import read_csv_text, write_xlsx

TITLE = "Kent Police sextortion reports in 2023"
OFFENCES = [["Offence", "2023"], ["Blackmail", "12"], ["Harassment", "19"]]
DISTRICTS = [["District", "2022", "2023"], ["North", "10", "12"], ["South", "3", "6"], ["Sub-total", "13", "18"], ["Unknown", "1", "1"], ["Total", "14", "19"]]


def _imported(invoke: Any, path: Path) -> tuple[list[dict[str, str]], str]:
    """The tidy rows and the import report of one file."""
    result = invoke("import", path, "--format", "csv")
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return read_csv_text(result.stdout), result.stderr


def _csv(path: Path, rows: list[list[Any]]) -> Path:
    path.write_text("".join(",".join(str(v) for v in row) + "\n" for row in rows), encoding="utf-8")
    return path


def _html(path: Path, title: str, rows: list[list[Any]]) -> Path:
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows)
    path.write_text(f"<html><body><h2>{title}</h2><table>{body}</table></body></html>", encoding="utf-8")
    return path


def _docx(path: Path, title: str, rows: list[list[Any]]) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(title)
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.cell(r, c).text = str(v)
    d.save(str(path))
    return path


def _reply(kind: str, tmp_path: Path, title: str, rows: list[list[Any]]) -> Path:
    """The same table as a force might send it: CSV, xlsx (numbers as numbers, a year header
    as text), HTML or Word (every cell text)."""
    if kind == "csv":
        return _csv(tmp_path / "reply.csv", [[title], *rows])
    if kind == "xlsx":
        cells = [[int(v) if isinstance(v, str) and v.isdigit() and i else v for i, v in enumerate(row)] for row in rows[1:]]
        return write_xlsx(tmp_path / "reply.xlsx", [[title], rows[0], *cells])
    if kind == "html":
        return _html(tmp_path / "reply.html", title, rows)
    return _docx(tmp_path / "reply.docx", title, rows)


# ------------------------------------------------------------------ one year in the header


@pytest.mark.parametrize("kind", ["csv", "xlsx", "html", "docx"])
def test_a_header_of_one_year_is_no_count(invoke: Any, tmp_path: Path, kind: str) -> None:
    rows, report = _imported(invoke, _reply(kind, tmp_path, TITLE, OFFENCES))
    assert [(r["force"], r["measure"], r["period_label"], r["value"]) for r in rows] == [
        ("Kent Police", "Blackmail", "2023", "12"),
        ("Kent Police", "Harassment", "2023", "19"),
    ]
    assert "0 warnings" in report


@pytest.mark.parametrize("heading", ["Force", "Police force", "Area"])
def test_a_force_heading_over_one_year_is_no_force(invoke: Any, tmp_path: Path, heading: str) -> None:
    path = _csv(tmp_path / "forces.csv", [["Sextortion reports in 2023"], [heading, "2023"], ["Kent", "12"], ["Essex", "19"], ["Surrey", "4"]])
    rows, report = _imported(invoke, path)
    assert [(r["force"], r["period_label"], r["value"]) for r in rows] == [
        ("Kent Police", "2023", "12"), ("Essex Police", "2023", "19"), ("Surrey Police", "2023", "4"),
    ]
    assert "not a known force" not in report


def test_a_heading_that_names_no_area_over_forces_heads_them(invoke: Any, tmp_path: Path) -> None:
    """Not a heading word, but a word naming no area over rows that all name areas."""
    path = _csv(tmp_path / "pfa.csv", [["Police force area (PFA)", "2023"], ["Kent", "12"], ["Essex", "19"]])
    rows, _ = _imported(invoke, path)
    assert [(r["force"], r["value"]) for r in rows] == [("Kent Police", "12"), ("Essex Police", "19")]


def test_crime_type_and_force_headings_over_one_year(invoke: Any, tmp_path: Path) -> None:
    """Two label columns, each with its heading, then the one year."""
    path = _csv(tmp_path / "two.csv", [["Sextortion in 2023"], ["Force", "Crime type", "2023"], ["Kent", "Blackmail", "12"], ["Kent", "Harassment", "19"]])
    rows, _ = _imported(invoke, path)
    assert sorted(r["value"] for r in rows) == ["12", "19"]
    assert {r["force"] for r in rows} == {"Kent Police"}


def test_a_force_with_a_count_of_2023_among_forces_stays_data(invoke: Any, tmp_path: Path) -> None:
    """The counter-case: "Kent | 2023" is 2023 offences, among other forces' rows, whether
    it opens the block (right under the title) or sits inside it."""
    first = _csv(tmp_path / "first.csv", [["Sextortion reports in 2023"], ["Kent", "2023"], ["Essex", "19"], ["Surrey", "4"]])
    rows, _ = _imported(invoke, first)
    assert [(r["force"], r["value"]) for r in rows] == [("Kent Police", "2023"), ("Essex Police", "19"), ("Surrey Police", "4")]
    inside = _csv(tmp_path / "inside.csv", [["Sextortion reports in 2023"], ["Force", "Reports"], ["Essex", "19"], ["Kent", "2023"], ["Surrey", "4"]])
    rows, _ = _imported(invoke, inside)
    assert [(r["force"], r["value"]) for r in rows] == [("Essex Police", "19"), ("Kent Police", "2023"), ("Surrey Police", "4")]


def test_an_offence_with_a_count_of_2023_stays_data(invoke: Any, tmp_path: Path) -> None:
    """A row label that is a row's name ("Blackmail"), not a column's heading, keeps its count."""
    path = _csv(tmp_path / "k.csv", [[TITLE], ["Blackmail", "2023"], ["Harassment", "19"]])
    rows, _ = _imported(invoke, path)
    assert [(r["measure"], r["value"]) for r in rows] == [("Blackmail", "2023"), ("Harassment", "19")]


@settings(max_examples=40, deadline=None)
@given(counts=st.lists(st.integers(0, 3000), min_size=2, max_size=6), year=st.integers(2010, 2024))
def test_one_year_over_forces_keeps_every_count(tmp_path_factory: Any, counts: list[int], year: int) -> None:
    """`Force,YEAR` over forces with counts anywhere in 0–3,000 (some look like years):
    every count is imported under that year, and the header never is."""
    from typer.testing import CliRunner

    from foistats.cli.app import app

    forces = ["Kent", "Essex", "Surrey", "Sussex", "Dorset", "Gwent"][: len(counts)]
    path = tmp_path_factory.mktemp("one") / "forces.csv"
    path.write_text(f"Reports in {year}\nForce,{year}\n" + "".join(f"{f},{n}\n" for f, n in zip(forces, counts)), encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path), "--format", "csv"])
    assert result.exit_code in (0, 1), result.output
    got = [(r["force"].split()[0], r["period_label"], r["value"]) for r in read_csv_text(result.stdout)]
    assert got == [(f, str(year), str(n)) for f, n in zip(forces, counts)]


# ------------------------------------------------------------------ sub-totals


def _parts_sum(rows: list[dict[str, str]], period: str) -> int:
    return sum(int(r["value"]) for r in rows if r["period_label"] == period and r["is_total"] == "false")


@pytest.mark.parametrize("kind", ["csv", "xlsx", "html", "docx"])
def test_a_sub_total_row_is_a_total(invoke: Any, tmp_path: Path, kind: str) -> None:
    rows, report = _imported(invoke, _reply(kind, tmp_path, "Kent Police offences", DISTRICTS))
    totals = {r["force"]: r["is_total"] for r in rows}
    assert totals["Sub-total"] == "true" and totals["Total"] == "true"
    assert totals["North"] == totals["South"] == totals["Unknown"] == "false"
    assert _parts_sum(rows, "2022") == 14 and _parts_sum(rows, "2023") == 19
    assert "disagrees" not in report


@pytest.mark.parametrize("label", ["Subtotal", "Sub total", "Sub-total North", "North sub-total", "North total", "SUB-TOTAL:"])
def test_sub_totals_however_written(invoke: Any, tmp_path: Path, label: str) -> None:
    table = [row if row[0] != "Sub-total" else [label, *row[1:]] for row in DISTRICTS]
    rows, _ = _imported(invoke, _csv(tmp_path / "d.csv", [["Kent Police offences"], *table]))
    assert [r["is_total"] for r in rows if r["value"] in ("13", "18")] == ["true", "true"]
    assert _parts_sum(rows, "2022") == 14


@pytest.mark.parametrize("kind", ["csv", "docx"])
def test_an_offence_total_among_offences_is_a_total(invoke: Any, tmp_path: Path, kind: str) -> None:
    """"Blackmail total" sums the blackmail rows above it; "Total" sums everything. In Word
    the printed Total was blamed for disagreeing with a sum that counted Blackmail twice."""
    table = [
        ["Offence", "2022", "2023"], ["Blackmail online", "5", "6"], ["Blackmail other", "3", "4"], ["Blackmail total", "8", "10"],
        ["Harassment", "9", "7"], ["Total", "17", "17"],
    ]
    rows, report = _imported(invoke, _reply(kind, tmp_path, TITLE, table))
    assert {r["value"] for r in rows if r["is_total"] == "true" and r["period_label"] == "2022"} == {"8", "17"}
    assert _parts_sum(rows, "2022") == 17 and _parts_sum(rows, "2023") == 17
    assert "disagrees" not in report


def test_total_recorded_crime_as_a_measure_stays_a_measure(invoke: Any, tmp_path: Path) -> None:
    """The counter-case: a column headed "Total recorded crime" (or "Total offences") is the
    measure, not a total of other columns; a percentage "of total" row is no total."""
    path = _csv(tmp_path / "trc.csv", [["Recorded crime 2023"], ["Force", "Burglary", "Total recorded crime"], ["Kent", "120", "900"], ["Essex", "80", "700"]])
    rows, _ = _imported(invoke, path)
    assert {r["is_total"] for r in rows} == {"false"}
    assert {r["measure"] for r in rows} == {"Burglary", "Total recorded crime"}
    single = _csv(tmp_path / "single.csv", [["Recorded crime 2023"], ["Force", "Total offences"], ["Kent", "900"], ["Essex", "700"]])
    rows, _ = _imported(invoke, single)
    assert [(r["force"], r["value"], r["is_total"]) for r in rows] == [("Kent Police", "900", "false"), ("Essex Police", "700", "false")]
    share = _csv(tmp_path / "share.csv", [["Kent Police offences 2023"], ["District", "Offences"], ["North", "60"], ["South", "40"], ["Total", "100"], ["North as a share of total", "60%"]])
    rows, _ = _imported(invoke, share)
    assert [r["is_total"] for r in rows] == ["false", "false", "true", "false"]


@pytest.mark.parametrize("gap", [[], [[""]]], ids=["no blank", "blank"])
def test_stacked_tables_of_one_year_each(invoke: Any, tmp_path: Path, gap: list[list[str]]) -> None:
    """A second table's header of one year, right under the first table's rows (or after a
    blank row), splits them as a header of two years does: each count under its own year."""
    table = [[TITLE], ["Offence", "2022"], ["Blackmail", "5"], ["Harassment", "6"], *gap, ["Offence", "2023"], ["Blackmail", "7"], ["Harassment", "8"]]
    rows, report = _imported(invoke, _csv(tmp_path / "stacked.csv", table))
    assert [(r["measure"], r["period_label"], r["value"]) for r in rows] == [
        ("Blackmail", "2022", "5"), ("Harassment", "2022", "6"), ("Blackmail", "2023", "7"), ("Harassment", "2023", "8"),
    ]
    assert "0 warnings" in report
