"""Case lists (one row per misconduct hearing, complaint or incident) are counted as records.

The usual misconduct or complaints reply is a list of cases: a date per case and the
case's attributes (rank, age, length of service, outcome), with the force named only by
the title, the sheet or the file. Read as a table, every age and length of service became
a "value" with no warning. They are counted instead: cases per force per month, and per
category where a category column (Outcome) exists. Tables with a column of counts stay
tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter
from pathlib import Path

from conftest import read_csv_text, write_xlsx

HEADER = ["Date of hearing", "Rank", "Age", "Length of service (years)", "Outcome"]
HEARINGS = [
    [dt.date(2022, 3, 12), "PC", 34, 8, "Dismissed"],
    [dt.date(2022, 6, 15), "PS", 45, 20, "Final written warning"],
    [dt.date(2023, 2, 2), "PC", 28, 3, "Dismissed"],
]
ATTRIBUTES = ("Age", "Length of service", "Rank", "Case", "PC", "PS")


def _xlsx(path: Path, rows: list[list[object]], title: str | None = None) -> Path:
    return write_xlsx(path, rows, title=title)


def _import(invoke, path: Path, *args: str) -> tuple[object, list[dict[str, str]]]:
    result = invoke("import", path, "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    return result, read_csv_text(result.stdout)


def _records(n: int, seed: int = 1) -> list[list[object]]:
    """n hearings on distinct random days: every date differs, so no key repeats."""
    rng = random.Random(seed)
    days = sorted(rng.sample(range(700), n))
    outcomes = ["Dismissed", "Final written warning", "Written warning", "No case to answer"]
    return [
        [dt.date(2022, 1, 1) + dt.timedelta(days=d), rng.choice(["PC", "PS", "Insp"]), rng.randint(21, 60), rng.randint(1, 30), rng.choice(outcomes)]
        for d in days
    ]


def _no_attribute_values(rows: list[dict[str, str]]) -> None:
    for r in rows:
        assert not any(a in r["measure"] for a in ATTRIBUTES), r
        assert r["note"] == "counted from records", r


def _expected(records: list[list[object]]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    months = Counter(r[0].strftime("%Y-%m") for r in records)
    by_outcome = Counter((r[0].strftime("%Y-%m"), r[4]) for r in records)
    return months, by_outcome


def _check_counts(rows: list[dict[str, str]], records: list[list[object]]) -> None:
    months, by_outcome = _expected(records)
    totals = {r["period_label"]: int(r["value"]) for r in rows if r["measure"] == "Records: all categories"}
    assert totals == dict(months)
    per = {(r["period_label"], r["measure"].removeprefix("Records: ")): int(r["value"]) for r in rows if r["is_total"] == "false"}
    assert per == dict(by_outcome)
    assert sum(totals.values()) == len(records)


def test_the_hearings_list_with_the_force_in_its_title_is_counted(invoke, tmp_path) -> None:
    path = _xlsx(tmp_path / "hearings.xlsx", [["Kent Police - Misconduct hearings"], HEADER, *HEARINGS])
    result, rows = _import(invoke, path)
    _no_attribute_values(rows)
    _check_counts(rows, HEARINGS)
    assert {r["force"] for r in rows} == {"Kent Police"}
    assert {r["force_source"] for r in rows} == {"title"}  # context, said as such
    assert {r["guess"] for r in rows} == {""}  # only one place names a force: not a guess
    assert {r["source_sheet"] for r in rows} == {"Sheet"}
    assert "force from title" in result.stderr


def test_forty_hearings_in_a_workbook_are_forty_records_not_eighty_values(invoke, tmp_path) -> None:
    records = _records(40)
    path = _xlsx(tmp_path / "hearings.xlsx", [["Kent Police - Misconduct hearings"], HEADER, *records])
    _, rows = _import(invoke, path)
    _no_attribute_values(rows)
    _check_counts(rows, records)


def test_forty_hearings_in_a_csv_named_for_the_force_with_a_case_column(invoke, tmp_path) -> None:
    records = _records(40, seed=7)
    path = tmp_path / "Kent Police misconduct hearings.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Case", *HEADER])
        for i, r in enumerate(records, start=1):
            out.writerow([i, r[0].strftime("%d/%m/%Y"), *r[1:]])
    _, rows = _import(invoke, path)
    _no_attribute_values(rows)  # Case 1, 2, 3… are never values
    _check_counts(rows, records)
    assert {r["force"] for r in rows} == {"Kent Police"}
    assert {r["force_source"] for r in rows} == {"file_name"}


def test_a_case_number_column_in_a_workbook_is_an_identifier(invoke, tmp_path) -> None:
    path = _xlsx(
        tmp_path / "complaints.xlsx",
        [["Essex Police - Complaints"], ["Case", *HEADER], *([i, *r] for i, r in enumerate(HEARINGS, start=1))],
    )
    _, rows = _import(invoke, path)
    _no_attribute_values(rows)
    _check_counts(rows, HEARINGS)
    assert {r["force"] for r in rows} == {"Essex Police"}


def test_a_title_that_disagrees_with_the_file_name_is_a_guess(invoke, tmp_path) -> None:
    path = _xlsx(tmp_path / "Essex Police hearings.xlsx", [["Kent Police - Misconduct hearings"], HEADER, *HEARINGS])
    _, rows = _import(invoke, path)
    _no_attribute_values(rows)
    assert {r["force"] for r in rows} == {"Kent Police"}  # the title first, as for tables
    assert all("Essex Police" in r["guess"] for r in rows)
    assert invoke("import", path, "--format", "csv", "--strict").exit_code == 1


def test_a_csv_with_a_title_line_naming_the_force_is_counted(invoke, tmp_path) -> None:
    path = tmp_path / "hearings.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Kent Police - Misconduct hearings", "", "", "", ""])  # a titled sheet saved as CSV
        out.writerow(["", "", "", "", ""])
        out.writerow(HEADER)
        for r in HEARINGS:
            out.writerow([r[0].strftime("%d/%m/%Y"), *r[1:]])
    _, rows = _import(invoke, path)
    _no_attribute_values(rows)
    _check_counts(rows, HEARINGS)
    assert {(r["force"], r["force_source"]) for r in rows} == {("Kent Police", "title")}


# ------------------------------------------------------------------ counter-cases: tables stay tables


def test_a_long_table_with_a_count_column_and_a_title_stays_a_table(invoke, tmp_path) -> None:
    path = _xlsx(
        tmp_path / "daily.xlsx",
        [
            ["Kent Police - Burglaries by day"],
            ["Date", "Offence", "Count"],
            [dt.date(2022, 3, 1), "Burglary", 5],
            [dt.date(2022, 3, 2), "Burglary", 7],
            [dt.date(2022, 3, 3), "Burglary", 4],
        ],
    )
    _, rows = _import(invoke, path)
    assert sorted(int(r["value"]) for r in rows) == [4, 5, 7]
    assert all(r["note"] != "counted from records" for r in rows)


def test_a_daily_table_of_counts_named_by_its_title_stays_a_table(invoke, tmp_path) -> None:
    path = _xlsx(
        tmp_path / "arrests.xlsx",
        [["Kent Police - Arrests per day"], ["Date", "Arrests"], [dt.date(2022, 3, 1), 12], [dt.date(2022, 3, 2), 9], [dt.date(2022, 3, 3), 15]],
    )
    _, rows = _import(invoke, path)
    assert sorted(int(r["value"]) for r in rows) == [9, 12, 15]
    assert all(r["note"] != "counted from records" for r in rows)


def test_a_titled_csv_of_daily_counts_stays_a_table(invoke, tmp_path) -> None:
    path = tmp_path / "arrests.csv"
    path.write_text("Kent Police - Arrests per day,\nDate,Arrests\n01/03/2022,12\n02/03/2022,9\n03/03/2022,15\n", encoding="utf-8")
    _, rows = _import(invoke, path)
    assert sorted(int(r["value"]) for r in rows) == [9, 12, 15]
    assert all(r["note"] != "counted from records" for r in rows)


def test_a_long_csv_with_months_and_counts_named_for_the_force_stays_a_table(invoke, tmp_path) -> None:
    path = tmp_path / "Kent Police monthly.csv"
    path.write_text("Month,Offence,Count\n2021-06,Burglary,5\n2021-07,Burglary,6\n", encoding="utf-8")
    _, rows = _import(invoke, path)
    assert [(r["period_label"], r["value"]) for r in rows] == [("2021-06", "5"), ("2021-07", "6")]


def test_a_table_of_force_by_month_counts_stays_a_table(invoke, tmp_path) -> None:
    path = _xlsx(
        tmp_path / "Kent Police arrests.xlsx",
        [["Kent Police - Arrests by month"], ["Force", "Jan 2022", "Feb 2022", "Mar 2022"], ["Kent Police", 11, 12, 13], ["Essex Police", 21, 22, 23]],
    )
    _, rows = _import(invoke, path)
    assert sorted(int(r["value"]) for r in rows) == [11, 12, 13, 21, 22, 23]
    assert all(r["note"] != "counted from records" for r in rows)
