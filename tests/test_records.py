"""Record-level extracts (one row per crime or search) counted per force, month and category."""

from __future__ import annotations

from conftest import read_csv_text

SEARCH_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,"
    "Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,"
    "Outcome linked to object of search,Removal of more than just outer clothing\n"
)


def test_stop_and_search_months_are_uk_local_time(invoke, tmp_path) -> None:
    path = tmp_path / "2020-07-leicestershire-stop-and-search.csv"
    rows = [
        "Person search,2020-07-31T23:30:00+00:00,False,,52.6,-1.1,Male,18-24,,,,Controlled drugs,Arrest,,",  # 00:30 BST on 1 Aug
        "Person search,2020-07-31T22:30:00+00:00,False,,52.6,-1.1,Male,18-24,,,,Controlled drugs,Arrest,,",  # 23:30 BST on 31 Jul
        "Person search,2020-12-31T23:30:00+00:00,False,,52.6,-1.1,Male,18-24,,,,Stolen goods,Arrest,,",  # GMT: still December
    ]
    path.write_text(SEARCH_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    result = invoke("import", path, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    got = read_csv_text(result.stdout)
    totals = {r["period_label"]: r["value"] for r in got if r["measure"] == "Stop and search records: all categories"}
    assert totals == {"2020-07": "1", "2020-08": "1", "2020-12": "1"}
    assert {r["force"] for r in got} == {"Leicestershire Police"}  # from the file name


def test_street_records_force_from_column_and_counts_by_category(invoke, tmp_path) -> None:
    path = tmp_path / "street.csv"
    header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    lines = [
        "a,2021-06,Kent Police,Kent Police,0,0,x,E01,x,Burglary,,",
        "b,2021-06,Kent Police,Kent Police,0,0,x,E01,x,Burglary,,",
        ",2021-06,Kent Police,Kent Police,0,0,x,E01,x,Anti-social behaviour,,",
        "c,2021-07,Essex Police,Essex Police,0,0,x,E01,x,Drugs,,",
    ]
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    got = read_csv_text(invoke("import", path, "--format", "csv").stdout)
    counts = {(r["force"], r["period_label"], r["measure"].split(": ")[1]): r["value"] for r in got}
    assert counts == {
        ("Kent Police", "2021-06", "Burglary"): "2",
        ("Kent Police", "2021-06", "Anti-social behaviour"): "1",
        ("Kent Police", "2021-06", "all categories"): "3",
        ("Essex Police", "2021-07", "Drugs"): "1",
        ("Essex Police", "2021-07", "all categories"): "1",
    }


def test_a_fall_never_wraps_round(invoke, tmp_path) -> None:
    """polars counts are UInt32: 851 → 236 must be a fall, not a 4-billion rise."""
    header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    path = tmp_path / "street.csv"
    body = ["x,2019-06,Kent Police,Kent Police,0,0,x,E,x,Drugs,,"] * 20 + ["x,2020-06,Kent Police,Kent Police,0,0,x,E,x,Drugs,,"] * 5
    path.write_text(header + "\n".join(body) + "\n", encoding="utf-8")
    result = invoke(
        "rise", path, "--measure", "Street-level crime records: all categories", "--year-start", "jun",
        "--allow-partial", "--format", "csv",
    )
    assert result.exit_code == 0, result.stderr
    row = read_csv_text(result.stdout)[0]
    assert (row["from_value"], row["to_value"], row["change"]) == ("20", "5", "-15")
    assert float(row["pct_change"]) == -75
