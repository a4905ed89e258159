"""Long tables, record-level files and what a CSV carries besides its table (issue 13).

Each test writes a small file the way real returns come, imports it through the CLI and
asserts on the tidy rows: no number under another's key, none lost without a word.
"""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

from conftest import read_csv_text


def imported(invoke, path: Path, *args: str):  # noqa: ANN001, ANN201
    result = invoke("import", path, "--format", "csv", *args)
    return result, read_csv_text(result.stdout) if result.stdout.strip() else []


# ------------------------------------------------------------------ 9: dimension columns


def test_every_dimension_of_a_long_table_is_in_the_key(invoke, tmp_path) -> None:
    path = tmp_path / "outcomes.csv"
    path.write_text(
        "Year,Police force,Sex,Age group,Offence group,Value type,Value\n"
        "2020,Kent Police,Male,10-17,Violence,Count,5\n"
        "2020,Kent Police,Female,10-17,Violence,Count,6\n"
        "2020,Kent Police,Male,18+,Violence,Count,7\n"
        "2020,Kent Police,Male,Under 10,Violence,Count,3\n"
        "2020,Kent Police,Male,10-17,Theft,Count,8\n"
        "2020,Kent Police,Male,10-17,Violence,Rate,1.5\n"
        "2020,Essex Police,Male,10-17,Violence,Count,9\n",
        encoding="utf-8",
    )
    result, rows = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    keys = [(r["force"], r["period_start"], r["measure"]) for r in rows]
    assert len(keys) == len(set(keys)) == 7  # seven numbers, seven keys
    kent = {r["measure"]: r["value"] for r in rows if r["force"] == "Kent Police"}
    assert kent["Male — 10-17 — Violence"] == "5"
    assert kent["Male — Under 10 — Violence"] == "3"
    assert kent["Male — 10-17 — Violence — Rate"] == "1.5"
    assert all(r["status"] == "ok" for r in rows)  # an age band is a label, never a suppressed "range"


def test_a_long_table_leads_with_its_dimension(invoke, tmp_path) -> None:
    path = tmp_path / "rec.csv"
    path.write_text(
        "12 months ending,PFA,Offence,Rolling year total number of offences\n"
        "31-03-2018,Leicestershire,Robbery,880\n"
        "31-03-2018,Leicestershire,Homicide,16\n",
        encoding="utf-8",
    )
    _, rows = imported(invoke, path)
    assert [(r["measure"], r["value"]) for r in rows] == [
        ("Robbery — Rolling year total number of offences", "880"),
        ("Homicide — Rolling year total number of offences", "16"),
    ]


# ------------------------------------------------------------------ 12: comments and prose


def test_comment_lines_and_prose_are_not_data(invoke, tmp_path) -> None:
    path = tmp_path / "arrests.csv"
    path.write_text(
        "# Arrests by force\n"
        "# Source: FOI 123, figures provisional, see notes\n"
        "Some prose above the table, explaining things, with commas\n"
        "Force,Year,Arrests\n"
        "Kent Police,2020,5\n"
        "# a comment inside, 99, 98\n"
        "Essex Police,2020,6\n"
        "\n"
        "Note: figures are provisional, and may change, 2021\n",
        encoding="utf-8",
    )
    result, rows = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    assert [(r["force"], r["measure"], r["value"]) for r in rows] == [
        ("Kent Police", "Arrests", "5"),
        ("Essex Police", "Arrests", "6"),
    ]
    assert "not a known force" not in result.stderr


# ------------------------------------------------------------------ 13: a lone Total column


def test_a_lone_total_column_is_the_data(invoke, tmp_path) -> None:
    path = tmp_path / "by-force.csv"
    path.write_text(
        "Region,Police force,Total\nSouth East,Kent Police,100\nEastern,Essex Police,200\nSouth East,Surrey Police,300\n",
        encoding="utf-8",
    )
    result, rows = imported(invoke, path, "--period", "2020")
    assert result.exit_code == 0, result.stderr
    assert {r["force"]: r["value"] for r in rows} == {"Kent Police": "100", "Essex Police": "200", "Surrey Police": "300"}
    assert all(r["is_total"] == "false" for r in rows)
    assert "total column" not in result.stderr


# ------------------------------------------------------------------ 14: records beyond data.police.uk


def counts(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], str]:
    return {(r["force"], r["period_label"], r["measure"]): r["value"] for r in rows}


def test_stats19_collisions_counted_per_force_code_and_month(invoke, tmp_path) -> None:
    path = tmp_path / "collisions.csv"
    path.write_text(
        "Accident_Index,Location_Easting_OSGR,Location_Northing_OSGR,Longitude,Latitude,Police_Force,"
        "Accident_Severity,Number_of_Vehicles,Number_of_Casualties,Date,Day_of_Week,Time,Speed_limit\n"
        "2019330000001,455000,305000,-1.13,52.63,33,3,2,1,01/03/2019,6,17:42,30\n"
        "2019330000002,455100,305100,-1.13,52.63,33,2,1,1,31/03/2019,1,23:10,30\n"
        "2019330000003,455200,305200,-1.13,52.63,33,3,2,3,01/04/2019,2,08:00,40\n"
        "2019010000004,530000,180000,-0.10,51.50,1,3,2,1,15/03/2019,6,12:00,20\n",
        encoding="utf-8",
    )
    result, rows = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    assert counts(rows) == {
        ("Leicestershire Police", "2019-03", "Records: all categories"): "2",
        ("Leicestershire Police", "2019-04", "Records: all categories"): "1",
        ("Metropolitan Police Service", "2019-03", "Records: all categories"): "1",
    }
    # IDs, coordinates and codes never become values.
    assert {r["value"] for r in rows} <= {"1", "2"}
    assert {(r["force_source"], r["period_source"], r["unit"]) for r in rows} == {("records", "records", "count")}


def test_a_force_column_with_dates_in_uk_local_time_by_category(invoke, tmp_path) -> None:
    path = tmp_path / "kent-incidents.csv"
    path.write_text(
        "Incident reference,Date,Force,Offence type,Latitude,Longitude\n"
        "INC-1,2021-06-03,Kent Police,Burglary,51.2,0.5\n"
        "INC-2,2021-06-30 23:30,Kent Police,Burglary,51.2,0.5\n"
        "INC-3,2021-06-30T23:30:00+00:00,Kent Police,Robbery,51.2,0.5\n"  # 00:30 BST on 1 July
        "INC-4,2021-07-02,Border Force,Robbery,51.2,0.5\n",
        encoding="utf-8",
    )
    result, rows = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    got = counts(rows)
    assert got[("Kent Police", "2021-06", "Records: Burglary")] == "2"
    assert got[("Kent Police", "2021-07", "Records: Robbery")] == "1"
    assert got[("Kent Police", "2021-06", "Records: all categories")] == "2"
    # An unknown name in the force column stays its own area: never the file name's force.
    assert got[("Border Force", "2021-07", "Records: Robbery")] == "1"
    assert ("Kent Police", "2021-07", "Records: all categories") in got and got[("Kent Police", "2021-07", "Records: all categories")] == "1"
    totals = [r for r in rows if r["measure"].endswith("all categories")]
    assert all(r["is_total"] == "true" for r in totals)
    assert all(r["is_total"] == "false" for r in rows if r not in totals)


def test_one_hot_force_columns(invoke, tmp_path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "Case ID,Date,Kent Police,Essex Police,Surrey Police\n"
        "1,2022-01-05,1,0,0\n2,2022-01-06,0,1,0\n3,2022-02-01,0,1,0\n4,2022-02-02,0,0,1\n",
        encoding="utf-8",
    )
    _, rows = imported(invoke, path)
    assert counts(rows) == {
        ("Kent Police", "2022-01", "Records: all categories"): "1",
        ("Essex Police", "2022-01", "Records: all categories"): "1",
        ("Essex Police", "2022-02", "Records: all categories"): "1",
        ("Surrey Police", "2022-02", "Records: all categories"): "1",
    }


def test_headerless_data_police_uk_extracts(invoke, tmp_path) -> None:
    street = tmp_path / "2019-04-city-of-london-street.csv"
    street.write_text(
        "aaa,2019-04,City of London Police,City of London Police,-0.11,51.51,On or near X,E01000914,Camden 028B,Other theft,Under investigation,\n"
        ",2019-04,City of London Police,City of London Police,-0.11,51.51,On or near X,E01000914,Camden 028B,Anti-social behaviour,,\n",
        encoding="utf-8",
    )
    result, rows = imported(invoke, street)
    assert result.exit_code == 0, result.stderr
    assert counts(rows)[("City of London Police", "2019-04", "Street-level crime records: all categories")] == "2"
    assert "no header line" in result.stderr  # said, and --strict fails on it
    assert invoke("import", street, "--format", "csv", "--strict").exit_code == 1
    search = tmp_path / "2022-09-metropolitan-stop-and-search.csv"
    search.write_text(
        "Person search,2022-08-31T23:30:00+00:00,False,,51.49,-0.06,Male,18-24,,,Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,,\n"
        "Person search,2022-09-02T10:00:00+00:00,False,,51.49,-0.06,Male,18-24,,,Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,,\n",
        encoding="utf-8",
    )
    _, rows = imported(invoke, search)
    got = counts(rows)
    assert got[("Metropolitan Police Service", "2022-09", "Stop and search records: all categories")] == "2"  # BST
    assert {r["force_source"] for r in rows} == {"file_name"}


def test_record_sheet_in_a_workbook(invoke, tmp_path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Kent Police"
    ws.append(["Incidents logged, 2023"])
    ws.append([])
    ws.append(["Incident ID", "Date", "Offence type", "Latitude", "Longitude"])
    for i, (when, what) in enumerate(
        [(datetime(2023, 1, 3, 10), "Drugs"), (datetime(2023, 1, 31, 23, 30), "Weapons"), (datetime(2023, 2, 1, 1), "Drugs")]
    ):
        ws.append([1000 + i, when, what, 51.2, 0.5])
    path = tmp_path / "reply.xlsx"
    wb.save(path)
    result, rows = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    got = counts(rows)
    assert got[("Kent Police", "2023-01", "Records: all categories")] == "2"
    assert got[("Kent Police", "2023-01", "Records: Weapons")] == "1"
    assert {(r["force_source"], r["source_sheet"]) for r in rows} == {("sheet_name", "Kent Police")}
    assert "1000" not in {r["value"] for r in rows}  # the IDs are not numbers to add up


def test_a_long_table_with_months_and_counts_is_not_records(invoke, tmp_path) -> None:
    path = tmp_path / "kent-monthly.csv"
    path.write_text("Month,Force,Offence,Count\n2021-06,Kent Police,Burglary,5\n2021-07,Kent Police,Burglary,6\n", encoding="utf-8")
    _, rows = imported(invoke, path)
    assert [(r["period_label"], r["value"]) for r in rows] == [("2021-06", "5"), ("2021-07", "6")]


# ------------------------------------------------------------------ 16: an unbalanced quote


def test_an_unbalanced_quote_is_reported_with_its_line(invoke, tmp_path) -> None:
    path = tmp_path / "quote.csv"
    forces = ["Kent Police", "Essex Police", '"Surrey Police', "Sussex Police", "Hampshire Constabulary", "Thames Valley Police", "Dorset Police", "Wiltshire Police"]
    path.write_text("Force,Year,Arrests\n" + "".join(f"{f},2020,{i + 1}\n" for i, f in enumerate(forces)), encoding="utf-8")
    result, rows = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    assert sorted(int(r["value"]) for r in rows) == list(range(1, 9))  # all eight numbers, none swallowed
    assert "line 4" in result.stderr and "quote" in result.stderr
    strict = invoke("import", path, "--format", "csv", "--strict")
    assert strict.exit_code == 1


def test_a_multi_line_header_cell_is_not_an_unbalanced_quote(invoke, tmp_path) -> None:
    path = tmp_path / "ons.csv"
    path.write_text('Area Name,"Total recorded crime\n (excluding fraud)"\nKent,10\nEssex,20\n', encoding="utf-8")
    result, rows = imported(invoke, path, "--period", "2020")
    assert "quote" not in result.stderr
    assert [r["value"] for r in rows] == ["10", "20"]


# ------------------------------------------------------------------ 17: .csv.gz


def test_csv_gz_is_read_as_csv(invoke, tmp_path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    body = "Force,Year,Arrests\nKent Police,2020,5\nEssex Police,2020,6\n"
    with gzip.open(folder / "arrests.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write(body)
    header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    with gzip.open(folder / "2021-06-kent-street.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write(header + "a,2021-06,Kent Police,Kent Police,0,0,x,E01,x,Burglary,,\n" * 3)
    result, rows = imported(invoke, folder)
    assert result.exit_code == 0, result.stderr
    arrests = [r for r in rows if r["measure"] == "Arrests"]
    assert [(r["force"], r["value"], Path(r["source_file"]).name) for r in arrests] == [
        ("Kent Police", "5", "arrests.csv.gz"),
        ("Essex Police", "6", "arrests.csv.gz"),
    ]
    street = [r for r in rows if r["measure"] == "Street-level crime records: all categories"]
    assert [(r["force"], r["value"], Path(r["source_file"]).name) for r in street] == [("Kent Police", "3", "2021-06-kent-street.csv.gz")]


def test_a_damaged_gzip_is_an_input_error(invoke, tmp_path) -> None:
    path = tmp_path / "broken.csv.gz"
    path.write_bytes(gzip.compress(b"Force,Arrests\nKent Police,5\n" * 50)[:40])
    result = invoke("import", path, "--format", "csv")
    assert result.exit_code == 3
    assert "gzip" in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ evidence on the bulk path


def test_bulk_rows_carry_their_evidence_and_a_lost_dimension_is_a_warning(invoke, tmp_path) -> None:
    import calendar

    from foistats.intake.bulk import BULK_ROWS

    forces = ["Kent Police", "Essex Police", "Surrey Police"]
    lines = ["Month,Force,Offence,Count"]
    for year in range(2000, 2024):
        for month in range(1, 13):
            for force in forces:
                for offence in range(8):
                    lines.append(f"{calendar.month_abbr[month]} {year},{force},Offence {offence},{(year + month + offence) % 50}")
    assert len(lines) > BULK_ROWS
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, rows = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    assert len(rows) == len(lines) - 1
    assert {(r["force_source"], r["period_source"], r["measure_source"]) for r in rows} == {("table", "table", "table")}
    assert "two different numbers" not in result.stderr
    # A dimension the importer cannot see (two rows, one key, two numbers) is never silent.
    path.write_text("\n".join(lines + ["Jan 2000,Kent Police,Offence 0,999"]) + "\n", encoding="utf-8")
    result, _ = imported(invoke, path)
    # worded as the cell-by-cell loop words it (the same warning whatever the size of the table)
    assert "D6914 (999)" in result.stderr and "a dimension the import did not tell apart" in result.stderr
    assert invoke("import", path, "--format", "csv", "--strict").exit_code == 1


def test_an_unbalanced_quote_in_a_record_file_loses_no_record(invoke, tmp_path) -> None:
    header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n"
    rows = [f"c{i},2019-04,Kent Police,Kent Police,0,0,On or near X,E01,x,Burglary,,\r\n" for i in range(8)]
    rows[2] = rows[2].replace(",,\r\n", ',,"note\r\n')  # a quote opened in the last field, never closed
    path = tmp_path / "2019-04-kent-street.csv"
    path.write_text(header + "".join(rows), encoding="utf-8", newline="")
    result, got = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    assert counts(got)[("Kent Police", "2019-04", "Street-level crime records: all categories")] == "8"
    assert "line 4" in result.stderr and "quote" in result.stderr
    assert invoke("import", path, "--format", "csv", "--strict").exit_code == 1


def test_a_tab_separated_record_file(invoke, tmp_path) -> None:
    path = tmp_path / "incidents.tsv"
    path.write_text("Incident ID\tDate\tForce\n1\t2021-06-03\tKent Police\n2\t2021-06-04\tKent Police\n", encoding="utf-8")
    _, rows = imported(invoke, path)
    assert counts(rows) == {("Kent Police", "2021-06", "Records: all categories"): "2"}


def test_areas_below_a_force_are_their_own_areas(invoke, tmp_path) -> None:
    """ONS Table C2: each force's total row, then its Community Safety Partnerships; a CSP named
    like its force ("Wiltshire") is not the force, and its figure is never filed under it."""
    path = tmp_path / "csp.csv"
    path.write_text(
        "Crime by Community Safety Partnership, year ending June 2025\n"
        "Police Force Area code,Police Force Area name,Community Safety Partnership code,Community Safety Partnership name,"
        "Local Authority code,Local Authority name,Total recorded crime,Homicide\n"
        'E23000038,Wiltshire ,,,,,"41,090 ",3\n'
        'E23000038,Wiltshire ,E22000350,Swindon,E06000030,Swindon,"15,993 ",1\n'
        "E23000038,Wiltshire,,Unassigned Wiltshire,,,219 ,0\n"
        'E23000038,Wiltshire,E22000361,Wiltshire,E06000054,Wiltshire,"24,878 ",2\n'
        'E23000021,Leicestershire,,,,,"94,194 ",16\n'
        'E23000021,Leicestershire,E22000999,Leicester,E06000016,Leicester,"44,100 ",2\n',
        encoding="utf-8",
    )
    result, rows = imported(invoke, path)
    assert result.exit_code == 0, result.stderr
    total = {(r["force"], r["area_kind"], r["force_code"]): r["value"] for r in rows if r["measure"] == "Total recorded crime"}
    assert total == {
        ("Wiltshire Police", "force", "E23000038"): "41090",
        ("Swindon", "other", "E06000030"): "15993",
        ("Unassigned Wiltshire", "other", ""): "219",
        ("Wiltshire", "other", "E06000054"): "24878",
        ("Leicestershire Police", "force", "E23000021"): "94194",
        ("Leicester", "other", "E06000016"): "44100",
    }
    assert {r["measure"] for r in rows} == {"Total recorded crime", "Homicide"}  # no CSP name glued into a measure


def test_coordinates_are_never_values(invoke, tmp_path) -> None:
    path = tmp_path / "incidents-by-place.csv"
    path.write_text(
        "Force,Incident type,Latitude,Longitude,Easting,Northing,Count\n"
        "Kent Police,Burglary,51.2,0.5,550000,150000,4\n"
        "Essex Police,Burglary,51.7,0.6,560000,200000,7\n",
        encoding="utf-8",
    )
    _, rows = imported(invoke, path, "--period", "2020")
    assert [(r["force"], r["measure"], r["value"]) for r in rows] == [
        ("Kent Police", "Burglary", "4"),
        ("Essex Police", "Burglary", "7"),
    ]


def test_what_looks_like_a_comment_or_prose_but_is_the_table(invoke, tmp_path) -> None:
    numbered = tmp_path / "numbered.csv"
    numbered.write_text("#,Force,Arrests\n1,Kent Police,5\n2,Essex Police,6\n3,Surrey Police,7\n", encoding="utf-8")
    _, rows = imported(invoke, numbered, "--period", "2020")
    assert [(r["force"], r["measure"], r["value"]) for r in rows] == [
        ("Kent Police", "Arrests", "5"), ("Essex Police", "Arrests", "6"), ("Surrey Police", "Arrests", "7"),
    ]  # the "#" header is no comment, and the row numbers are no values
    header = tmp_path / "typed.csv"
    header.write_text("Police force, arrests in 2020, arrests in 2021\nKent Police,5,6\nEssex Police,7,8\n", encoding="utf-8")
    _, rows = imported(invoke, header)
    # Still the header (each column's own period is class 1, in the header rules).
    assert sorted((r["force"], r["value"]) for r in rows) == [
        ("Essex Police", "7"), ("Essex Police", "8"), ("Kent Police", "5"), ("Kent Police", "6"),
    ]
    assert all("arrests" in r["measure"].lower() or r["period_label"] for r in rows)


def test_inspect_reads_a_csv_gz_too(invoke, tmp_path) -> None:
    path = tmp_path / "arrests.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("Force,Year,Arrests\nKent Police,2020,5\n")
    result = invoke("inspect", path)
    assert result.exit_code == 0, result.stderr
    assert "Kent Police" in result.stdout


def test_records_with_an_id_and_a_month_column(invoke, tmp_path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "Case reference,Month,Force,Offence\nA1,2021-06,Kent Police,Burglary\nA2,2021-06,Kent Police,Drugs\nA3,2021-07,Essex Police,Drugs\n",
        encoding="utf-8",
    )
    _, rows = imported(invoke, path)
    got = counts(rows)
    assert got[("Kent Police", "2021-06", "Records: all categories")] == "2"
    assert got[("Essex Police", "2021-07", "Records: Drugs")] == "1"


def test_records_whose_force_is_only_in_the_file_name(invoke, tmp_path) -> None:
    path = tmp_path / "kent-police-search-log.csv"
    path.write_text(
        "Date,Type,Outcome\n03/06/2021,Person search,Arrest\n30/06/2021,Person search,NFA\n01/07/2021,Vehicle search,NFA\n",
        encoding="utf-8",
    )
    _, rows = imported(invoke, path)
    assert counts(rows) == {
        ("Kent Police", "2021-06", "Records: Person search"): "2",
        ("Kent Police", "2021-07", "Records: Vehicle search"): "1",
        ("Kent Police", "2021-06", "Records: all categories"): "2",
        ("Kent Police", "2021-07", "Records: all categories"): "1",
    }
    assert {r["force_source"] for r in rows} == {"file_name"}


def test_a_csv_of_records_is_counted_without_the_table_machinery(tmp_path) -> None:
    """`rank` on a data.police.uk extract, in a real process: the records are counted
    and ranked without importing tidy.py (its table detection is ~40 ms of start-up a
    file of records never needs), and the answer is the one the import gives."""
    from conftest import run_entry

    street = tmp_path / "street.csv"
    lines = ["Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"]
    for force, before, after in (("Kent Police", 1, 2), ("Essex Police", 2, 2)):
        for start, n in ((2020, before), (2022, after)):  # every month of June 2020-May 2021 and June 2022-May 2023
            for k in range(12):
                month = f"{start + (5 + k) // 12}-{(5 + k) % 12 + 1:02d}"
                lines += [f"x,{month},{force},{force},0.1,51.2,On or near X,E01,Kent 001A,Burglary,Under investigation," for _ in range(n)]
    street.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_entry(["rank", str(street), "--measure", "Street-level crime records: all categories", "--year-start", "jun", "--format", "csv"], watch="foistats.intake.tidy")
    assert proc.returncode == 0, proc.stderr
    assert "FOISTATS.INTAKE.TIDY_LOADED=False" in proc.stderr
    ranked = {r["force"]: r for r in read_csv_text(proc.stdout)}
    assert (ranked["Kent Police"]["from_value"], ranked["Kent Police"]["to_value"], ranked["Kent Police"]["rank"]) == ("12", "24", "1")


def test_code_columns_are_never_values(invoke, tmp_path) -> None:
    """A column headed "<something> code" names a category or an area ("Force code" 46,
    "Offence code" 8, "HO offence code" 8/1): never a count, in a long table or a wide one.
    These are the files that exposed it: the codes were filed as numbers under a measure
    "Force code"."""
    forces = tmp_path / "forces.csv"
    forces.write_text(
        "Force,Force code,Year,Count\nKent Police,46,2021,10\nKent Police,46,2022,12\nEssex Police,42,2021,7\nEssex Police,42,2022,9\n",
        encoding="utf-8",
    )
    _, rows = imported(invoke, forces)
    assert [(r["force"], r["measure"], r["period_label"], r["value"]) for r in rows] == [
        ("Kent Police", "Count", "2021", "10"), ("Kent Police", "Count", "2022", "12"),
        ("Essex Police", "Count", "2021", "7"), ("Essex Police", "Count", "2022", "9"),
    ]
    offences = tmp_path / "offences.csv"
    offences.write_text(
        "Year,HO offence code,Offence,Count\n2021,28,Burglary,10\n2021,45,Theft,12\n2022,28,Burglary,7\n2022,45,Theft,9\n",
        encoding="utf-8",
    )
    _, rows = imported(invoke, offences, "--force", "Kent")
    assert {r["measure"] for r in rows} == {"Burglary", "Theft"}
    assert sorted(r["value"] for r in rows) == ["10", "12", "7", "9"]
    shown = invoke("inspect", offences)
    assert shown.exit_code == 0, shown.stderr
    assert "headed 'HO offence code', an identifier, not a measurement" in shown.stdout


def test_numbers_that_name_one_thing_are_never_values(invoke, tmp_path) -> None:
    """"Officer collar number" 1234 was imported as a count. An identifier named in the
    singular after a noun that is never counted that way is not a value; "Crime numbers",
    "Number of complaints" and "Officer number" (a headcount, perhaps) still are."""
    collars = tmp_path / "collars.csv"
    collars.write_text("Officer collar number,Force,Year,Complaints\n1234,Kent Police,2021,3\n5678,Kent Police,2022,2\n", encoding="utf-8")
    _, rows = imported(invoke, collars)
    assert [(r["measure"], r["period_label"], r["value"]) for r in rows] == [("Complaints", "2021", "3"), ("Complaints", "2022", "2")]
    for header in ("Crime number", "Incident no.", "URN", "Crime reference number"):
        path = tmp_path / "ids.csv"
        path.write_text(f"Force,Year,{header},Arrests\nKent Police,2021,210045,5\nEssex Police,2021,210046,6\n", encoding="utf-8")
        _, rows = imported(invoke, path)
        assert [(r["force"], r["value"]) for r in rows] == [("Kent Police", "5"), ("Essex Police", "6")], header
    counts = tmp_path / "counts.csv"
    counts.write_text("Force,Year,Crime numbers,Officer number\nKent Police,2021,210,3400\nEssex Police,2021,190,3100\n", encoding="utf-8")
    _, rows = imported(invoke, counts)
    assert sorted((r["measure"], r["value"]) for r in rows) == [
        ("Crime numbers", "190"), ("Crime numbers", "210"), ("Officer number", "3100"), ("Officer number", "3400"),
    ]


def test_inspect_shows_the_columns_the_import_reads(invoke, tmp_path) -> None:
    """inspect reports a long table as the import reads it (refined: a coordinate column is
    no value column), not as detection first drew it."""
    path = tmp_path / "long.csv"
    path.write_text(
        "Force,Year,Latitude,Count\nKent Police,2021,51.2,10\nKent Police,2022,51.2,12\nEssex Police,2021,51.7,7\n",
        encoding="utf-8",
    )
    shown = invoke("inspect", path)
    assert shown.exit_code == 0, shown.stderr
    assert "value column(s) D\n" in shown.stdout or "value column(s) D " in shown.stdout
    assert "column C: headed 'latitude', a coordinate, not a measurement" in shown.stdout
    _, rows = imported(invoke, path)
    assert {r["source_cell"][0] for r in rows} == {"D"}
