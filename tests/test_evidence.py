"""Issue 13: force, period and measure only from evidence; totals kept; one test per class of failure.

Every file here is generated in tmp_path and imported through the CLI, as a user would;
the assertions are on the tidy rows (and the import report), never on internals.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import read_csv_text
from typer.testing import CliRunner

from foistats.model.errors import EXIT_CHECK_FAILED


def xlsx(path: Path, rows: list[list], sheets: dict[str, list[list]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if sheets:
        first = True
        for name, sheet_rows in sheets.items():
            ws = wb.active if first else wb.create_sheet(name)
            ws.title = name
            first = False
            for r in sheet_rows:
                ws.append(r)
    else:
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def run(path: Path, *extra: str) -> tuple[list[dict[str, str]], dict, int, str]:
    """Import one file through the CLI: (rows, report, exit code, stderr)."""
    from foistats.cli.app import app

    report = path.parent / f"{path.stem}-report.json"
    result = CliRunner().invoke(app, ["import", str(path), "--format", "csv", "--report", str(report), *extra])
    rows = read_csv_text(result.stdout) if result.stdout else []
    return rows, json.loads(report.read_text()) if report.exists() else {}, result.exit_code, result.stderr


def sheet_reports(report: dict) -> list[dict]:
    return [s for f in report["files"] for s in f["sheets"]]


def warnings(report: dict) -> list[str]:
    return [w for s in sheet_reports(report) for w in s["warnings"]]


def guesses(report: dict) -> list[str]:
    return [g for s in sheet_reports(report) for g in s["guesses"]]


def key(r: dict[str, str]) -> tuple[str, str, str, str]:
    return r["force"], r["measure"], r["period_start"], r["value"]


# ---------------------------------------------------------------- the rule: sources


def test_sources_table_title_and_file_name(tmp_path) -> None:
    path = xlsx(tmp_path / "Essex Police FOI 2024-001.xlsx", [["Arrests 2022/23"], ["Month", "Arrests"], ["April", 5], ["May", 6]])
    rows, report, code, _ = run(path)
    assert code == 0
    assert {(r["force"], r["force_source"], r["period_source"], r["measure_source"]) for r in rows} == {
        ("Essex Police", "file_name", "title", "table")
    }
    assert [(r["period_start"], r["period_end"]) for r in rows] == [("2022-04-01", "2022-04-30"), ("2022-05-01", "2022-05-31")]
    assert all(r["guess"] == "" for r in rows)


def test_sources_from_the_user(tmp_path) -> None:
    path = tmp_path / "reply.csv"
    path.write_text("Category,Count\nOnline,4\nIn person,5\n", encoding="utf-8")
    rows, _, code, _ = run(path, "--force", "Kent", "--period", "2021/22")
    assert code == 0
    assert {(r["force"], r["force_source"], r["period_source"]) for r in rows} == {("Kent Police", "user", "user")}


def test_a_covering_sheet_is_never_context(tmp_path) -> None:
    """The covering letter names another force and year; the data sheet's own title and the
    file name say whose and when."""
    path = xlsx(
        tmp_path / "Essex Police FOI 123.xlsx",
        [],
        sheets={
            "Cover": [["Kent Police FOI response"], ["Notes: this covers 2019"]],
            "Data": [["Arrests 2022/23"], ["Month", "Arrests"], ["April", 5], ["May", 6]],
        },
    )
    rows, _, code, _ = run(path)
    assert code == 0
    assert {(r["force"], r["force_source"], r["period_start"][:4]) for r in rows} == {("Essex Police", "file_name", "2022")}


def test_the_header_row_is_never_context(tmp_path) -> None:
    """Forces across the columns: the first header is not "the force" of the file, and a
    column's year is its own ("Arrests 2020/21 | Arrests 2021/22")."""
    path = tmp_path / "arrests.csv"
    path.write_text("Force,Arrests 2020/21,Arrests 2021/22\nFakeshire,1,2\nKent,3,4\n", encoding="utf-8")
    rows, report, _, _ = run(path)
    assert [(r["force"], r["period_start"], r["value"]) for r in rows] == [
        ("Fakeshire", "2020-04-01", "1"), ("Fakeshire", "2021-04-01", "2"),
        ("Kent Police", "2020-04-01", "3"), ("Kent Police", "2021-04-01", "4"),
    ]
    assert rows[0]["area_kind"] == "other"


def test_context_that_disagrees_is_a_guess_and_fails_strict(tmp_path) -> None:
    path = xlsx(tmp_path / "Essex Police FOI 9.xlsx", [["Kent Police: arrests 2022/23"], ["Month", "Arrests"], ["April", 5], ["May", 6]])
    rows, report, code, _ = run(path)
    assert code == 0
    assert {r["force"] for r in rows} == {"Kent Police"}
    assert all("Essex Police" in r["guess"] for r in rows)
    assert any("Essex Police" in g for g in guesses(report))
    _, _, strict_code, _ = run(path, "--strict")
    assert strict_code == EXIT_CHECK_FAILED


def test_same_key_twice_with_different_values_is_a_warning_naming_both_cells(tmp_path) -> None:
    path = xlsx(tmp_path / "dup.xlsx", [["Arrests 2021"], ["Force", "Arrests"], ["Kent", 1], ["Kent", 2]])
    rows, report, _, _ = run(path)
    assert [r["value"] for r in rows] == ["1", "2"]  # both kept: no number is dropped
    assert any("B3 (1) and B4 (2)" in w for w in warnings(report))


# ---------------------------------------------------------------- totals are data too


def test_total_row_and_column_kept_marked_and_checked(tmp_path) -> None:
    path = xlsx(
        tmp_path / "Kent Police arrests.xlsx",
        [["Arrests by sex, 2022"], ["Sex", "Arrests"], ["Male", 10], ["Female", 5], ["Total", 16]],
    )
    rows, report, _, _ = run(path)
    total = [r for r in rows if r["is_total"] == "true"]
    assert [(r["force"], r["value"]) for r in total] == [("Kent Police", "16")]
    assert "total" in total[0]["measure"].lower()
    assert any("16 in B5" in w and "B3:B4" in w and "(15)" in w for w in warnings(report))


def test_total_over_years_is_the_same_measure_over_their_span(tmp_path) -> None:
    path = tmp_path / "Kent Police.csv"
    path.write_text("Force,2020,2021,2022,Total\nKent,1,2,3,6\n", encoding="utf-8")
    rows, _, _, _ = run(path)
    total = [r for r in rows if r["is_total"] == "true"]
    assert [(r["period_start"], r["period_end"], r["value"]) for r in total] == [("2020-01-01", "2022-12-31", "6")]
    assert {r["measure"] for r in rows} == {rows[0]["measure"]}


def test_totals_are_never_added_again_when_years_are_aligned(tmp_path) -> None:
    from foistats.analysis.align import align
    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions

    path = tmp_path / "Kent Police.csv"
    path.write_text("Month,Arrests\nJan 2022,1\nFeb 2022,2\nTotal,3\n", encoding="utf-8")
    frame = import_paths([path], ImportOptions()).frame
    assert frame.filter(frame["is_total"]).height == 1
    years = [y for y in align(frame, 1).years if y.force == "Kent Police"]
    assert [y.value for y in years if y.value is not None] in ([], [3]) or all(y.value != 6 for y in years)


# ---------------------------------------------------------------- class 1: measure and period in one header


@pytest.mark.parametrize(
    "a, b, start_a, start_b",
    [
        ("Arrests 2020/21", "Arrests 2021/22", "2020-04-01", "2021-04-01"),
        ("2020/21 arrests", "2021/22 arrests", "2020-04-01", "2021-04-01"),
        ("Arrests (2020/21)", "Arrests (2021/22)", "2020-04-01", "2021-04-01"),
        ("Arrests in 2020", "Arrests in 2021", "2020-01-01", "2021-01-01"),
    ],
)
def test_class1_each_column_its_own_period(tmp_path, a, b, start_a, start_b) -> None:
    path = tmp_path / "Leicestershire Police FOI.csv"
    path.write_text(f"Force,{a},{b}\nLeicestershire,10,20\n", encoding="utf-8")
    rows, _, _, _ = run(path)
    assert [(r["period_start"], r["value"]) for r in rows] == [(start_a, "10"), (start_b, "20")]
    assert {r["measure"].lower() for r in rows} == {"arrests"}
    assert {r["period_source"] for r in rows} == {"table"}


# ---------------------------------------------------------------- class 2: quarters


def test_class2_quarter_column_with_a_year_column(tmp_path) -> None:
    path = tmp_path / "Kent Police stops.csv"
    path.write_text("Financial Year,Quarter,Stops\n2018/19,Q1,10\n2018/19,Q2,20\n2018/19,3,30\n2018/19,Q4,40\n", encoding="utf-8")
    rows, _, _, _ = run(path)
    assert [(r["period_start"], r["period_end"], r["value"]) for r in rows] == [
        ("2018-04-01", "2018-06-30", "10"), ("2018-07-01", "2018-09-30", "20"),
        ("2018-10-01", "2018-12-31", "30"), ("2019-01-01", "2019-03-31", "40"),
    ]


def test_class2_quarter_labels(tmp_path) -> None:
    path = tmp_path / "Kent Police stops.csv"
    path.write_text("Period,Stops\nQ3 2018/19,10\nJan-Mar 2019,20\n", encoding="utf-8")
    rows, _, _, _ = run(path)
    assert [(r["period_start"], r["period_end"]) for r in rows] == [("2018-10-01", "2018-12-31"), ("2019-01-01", "2019-03-31")]


def test_class2_quarters_under_a_year_header(tmp_path) -> None:
    path = xlsx(tmp_path / "Kent Police.xlsx", [["Stops"], ["Force", "2019/20", None], [None, "Q1", "Q2"], ["Kent", 1, 2]])
    rows, _, _, _ = run(path)
    assert [(r["period_start"], r["period_end"], r["value"]) for r in rows] == [
        ("2019-04-01", "2019-06-30", "1"), ("2019-07-01", "2019-09-30", "2"),
    ]


# ---------------------------------------------------------------- class 3: trailing digits


def test_class3_trailing_digits_are_names_not_footnotes(tmp_path) -> None:
    path = tmp_path / "Kent Police powers 2022.csv"
    path.write_text("Power,Count\nS1,10\nS60,20\nS44,30\nQ3,5\nTier 2,6\nKS2,7\nA0,8\n", encoding="utf-8")
    rows, report, _, _ = run(path)
    assert [r["measure"] for r in rows] == ["S1", "S60", "S44", "Q3", "Tier 2", "KS2", "A0"]
    assert not any("share a force" in w for w in warnings(report))


def test_class3_a_marker_defined_in_the_notes_is_stripped(tmp_path) -> None:
    path = xlsx(
        tmp_path / "Kent Police workforce.xlsx",
        [["Workforce 2022"], ["Force", "Police officers1", "Staff²"], ["Kent", 3000, 1500], [], ["1 Full-time equivalent."]],
    )
    rows, _, _, _ = run(path)
    assert [r["measure"] for r in rows] == ["Police officers", "Staff"]


# ---------------------------------------------------------------- class 4: names that are not registered


def test_class4_unknown_names_stay_their_own_area_with_one_warning(tmp_path) -> None:
    path = xlsx(
        tmp_path / "searches.xlsx",
        [["Stop and search 2022/23"], ["Force", "Searches"], ["Leicestershire", 10], ["Fakeshire Constabulary", 30], ["Nowhere Police", 5]],
    )
    rows, report, _, _ = run(path)
    assert [(r["force"], r["area_kind"], r["measure"]) for r in rows] == [
        ("Leicestershire Police", "force", "Searches"), ("Fakeshire Constabulary", "other", "Searches"),
        ("Nowhere Police", "other", "Searches"),
    ]
    listing = [w for w in warnings(report) if "not known" in w]
    assert len(listing) == 1 and "'Fakeshire Constabulary'" in listing[0] and "'Nowhere Police'" in listing[0]


def test_class4_unknown_name_in_a_header_row_of_forces(tmp_path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["Arrests 2022"], ["Measure", "Leicestershire", "Kent", "Fakeshire"], ["Arrests", 1, 2, 3]])
    rows, _, _, _ = run(path)
    assert [(r["force"], r["area_kind"], r["measure"]) for r in rows] == [
        ("Leicestershire Police", "force", "Arrests"), ("Kent Police", "force", "Arrests"), ("Fakeshire", "other", "Arrests"),
    ]


def test_class4_county_and_abbreviation_are_reported_guesses(tmp_path) -> None:
    path = xlsx(tmp_path / "b.xlsx", [["Searches 2022"], ["Force", "Searches"], ["Kent", 1], ["Northumberland", 40], ["Beds Pol.", 50]])
    rows, report, _, _ = run(path)
    by = {r["force"]: r for r in rows}
    assert by["Northumbria Police"]["guess"] and by["Bedfordshire Police"]["guess"]
    assert by["Kent Police"]["guess"] == ""
    assert len(guesses(report)) == 2
    assert run(path, "--strict")[2] == EXIT_CHECK_FAILED


# ---------------------------------------------------------------- class 5: region or force


def test_class5_west_midlands_among_regions_is_the_region(tmp_path) -> None:
    path = xlsx(tmp_path / "c.xlsx", [["Crimes 2022"], ["Area", "Crimes"], ["North East", 1], ["North West", 2], ["West Midlands", 3], ["East Midlands", 4]])
    rows, report, _, _ = run(path)
    wm = [r for r in rows if r["value"] == "3"][0]
    assert (wm["force"], wm["area_kind"]) == ("West Midlands (region)", "region")
    assert any("West Midlands" in g for g in guesses(report))


def test_class5_west_midlands_among_forces_is_the_force(tmp_path) -> None:
    path = xlsx(tmp_path / "d.xlsx", [["Crimes 2022"], ["Force", "Crimes"], ["Kent", 1], ["Essex", 2], ["West Midlands", 3]])
    rows, _, _, _ = run(path)
    assert [r["force"] for r in rows if r["value"] == "3"] == ["West Midlands Police"]


# ---------------------------------------------------------------- class 6: a lower header row that looks like data


def test_class6_age_bands_under_sex_are_header(tmp_path) -> None:
    path = xlsx(
        tmp_path / "v.xlsx",
        [
            ["Victims 2022"],
            ["Force", "Males", None, None, "Females", None, None],
            [None, "Under 10", "Aged 10-17", "Total", "Under 10", "Aged 10-17", "Total"],
            ["Kent", 1, 2, 3, 4, 5, 9],
            ["Essex", 2, 3, 5, 1, 1, 2],
        ],
    )
    rows, _, _, _ = run(path)
    kent = [r for r in rows if r["force"] == "Kent Police"]
    assert [r["measure"] for r in kent] == [
        "Males — Under 10", "Males — Aged 10-17", "Males — Total", "Females — Under 10", "Females — Aged 10-17", "Females — Total",
    ]
    assert [r["is_total"] for r in kent] == ["false", "false", "true", "false", "false", "true"]
    assert not [r for r in rows if r["source_cell"].endswith("3")]  # row 3 is header, never data


# ---------------------------------------------------------------- class 7: spacer columns


def test_class7_spacer_column_is_not_values(tmp_path) -> None:
    path = xlsx(tmp_path / "s.xlsx", [["Arrests 2022"], ["Force", "Male", "Female", None, "Total"], ["Kent", 1, 2, 0, 3], ["Essex", 2, 3, 0, 5]])
    rows, report, _, _ = run(path)
    assert not [r for r in rows if r["source_cell"].startswith("D")]
    assert any(sk["reason"].startswith("spacer column") for s in sheet_reports(report) for sk in s["skipped"])


# ---------------------------------------------------------------- class 8: units


def test_class8_units_recorded_never_mixed_under_one_name(tmp_path) -> None:
    path = xlsx(
        tmp_path / "u.xlsx",
        [["Crime 2022"], ["Force", "Offences", "Offences"], [None, "Numbers (thousands)", "Rate per 1,000 population"], ["Kent", 1.2, 3.4]],
    )
    rows, _, _, _ = run(path)
    assert [(r["measure"], r["unit"], r["value"]) for r in rows] == [
        ("Offences — Numbers (thousands)", "thousands", "1.2"),  # not scaled
        ("Offences — Rate per 1,000 population", "per 1,000 population", "3.4"),
    ]


def test_class8_percent_cells(tmp_path) -> None:
    path = tmp_path / "Kent Police.csv"
    path.write_text("Outcome,2021,2022\nCharged,45%,50%\n", encoding="utf-8")
    rows, _, _, _ = run(path)
    assert [(r["value"], r["unit"]) for r in rows] == [("45", "%"), ("50", "%")]


# ---------------------------------------------------------------- class 10: numeric period column


def test_class10_year_column_is_a_period(tmp_path) -> None:
    path = xlsx(tmp_path / "Kent Police.xlsx", [["Arrests"], ["Year", "Arrests"], [2009, 100], [2010, 200], [2011, 300]])
    rows, _, _, _ = run(path)
    assert [(r["period_start"], r["value"]) for r in rows] == [("2009-01-01", "100"), ("2010-01-01", "200"), ("2011-01-01", "300")]


def test_class10_excel_date_column_is_a_period(tmp_path) -> None:
    path = xlsx(tmp_path / "Kent Police.xlsx", [["Arrests"], ["Month", "Arrests"], [datetime(2020, 6, 1), 4], [datetime(2020, 7, 1), 5]])
    rows, _, _, _ = run(path)
    assert [(r["period_start"], r["period_end"], r["value"]) for r in rows] == [
        ("2020-06-01", "2020-06-30", "4"), ("2020-07-01", "2020-07-31", "5"),
    ]


# ---------------------------------------------------------------- class 11: blank cells


def test_class11_blank_cells_are_kept_as_not_available(tmp_path) -> None:
    path = xlsx(tmp_path / "Kent Police.xlsx", [["Arrests"], ["Force", 2021, 2022], ["Kent", 1, None], ["Essex", None, 4]])
    rows, report, _, _ = run(path)
    assert [(r["force"], r["period_start"][:4], r["value"], r["status"]) for r in rows] == [
        ("Kent Police", "2021", "1", "ok"), ("Kent Police", "2022", "", "not_available"),
        ("Essex Police", "2021", "", "not_available"), ("Essex Police", "2022", "4", "ok"),
    ]
    for s in sheet_reports(report):
        assert s["cells_in_region"] == s["rows_imported"] + len(s["skipped"])


# ---------------------------------------------------------------- class 15: pivot-table exports


def test_class15_pivot_labels_are_recognised(tmp_path) -> None:
    path = xlsx(
        tmp_path / "pivot.xlsx",
        [
            ["Force", "(Multiple Items)"],
            [],
            ["Sum of Arrests", "Column Labels"],
            ["Row Labels", 2021, 2022, "Grand Total"],
            ["Kent", 1, 2, 3],
            ["Essex", 3, 4, 7],
            ["Grand Total", 4, 6, 10],
        ],
    )
    rows, _, _, _ = run(path)
    assert {r["measure"] for r in rows} == {"Arrests"}
    kent = [(r["period_start"], r["period_end"], r["value"], r["is_total"]) for r in rows if r["force"] == "Kent Police"]
    assert kent == [("2021-01-01", "2021-12-31", "1", "false"), ("2022-01-01", "2022-12-31", "2", "false"), ("2021-01-01", "2022-12-31", "3", "true")]
    grand = [r for r in rows if r["force"] == "Total"]
    assert grand and all(r["is_total"] == "true" for r in grand)
    assert not any("Labels" in r["measure"] or "Multiple" in r["measure"] for r in rows)


# ---------------------------------------------------------------- date headers read as year endings


def test_month_end_date_headers_a_year_apart_are_year_endings_and_a_guess(tmp_path) -> None:
    path = tmp_path / "tasers.csv"
    path.write_text("Police force,2015-12-31,2016-12-31,2018-03-31\nKent,1,2,3\n", encoding="utf-8")
    rows, report, _, _ = run(path)
    assert [(r["period_start"], r["period_end"]) for r in rows] == [
        ("2015-01-01", "2015-12-31"), ("2016-01-01", "2016-12-31"), ("2017-04-01", "2018-03-31"),
    ]
    assert all("year ending" in r["guess"] for r in rows)
    assert guesses(report)


def test_period_context_that_disagrees_is_a_guess(tmp_path) -> None:
    path = xlsx(tmp_path / "Essex Police arrests 2019.xlsx", [["Arrests 2022/23"], ["Month", "Arrests"], ["April", 5]])
    rows, report, _, _ = run(path)
    assert rows[0]["period_start"] == "2022-04-01" and "file name" in rows[0]["guess"]
    assert any("file name says" in g for g in guesses(report))


def test_report_and_inspect_show_the_sources(tmp_path) -> None:
    from foistats.cli.app import app

    path = xlsx(tmp_path / "Essex Police FOI 1.xlsx", [["Arrests 2022/23"], ["Month", "Arrests"], ["April", 5], ["May", 6]])
    _, report, _, stderr = run(path)
    assert "(force from file name; period from title; measure from table)" in stderr  # on the file's line of the compact report
    assert sheet_reports(report)[0]["sources"] == {"force": {"file_name": 2}, "period": {"title": 2}, "measure": {"table": 2}}
    result = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"}).invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "sources: force from file name" in " ".join(result.stdout.split())
    as_json = CliRunner().invoke(app, ["inspect", str(path), "--format", "json"])
    assert '"force_source": "file_name"' in as_json.stdout  # the preview rows carry the evidence


def test_a_first_data_row_of_symbols_is_data_not_header(tmp_path) -> None:
    """Class 6's rule needs an empty row label: "Kent | n/a | nil | 5" is data."""
    path = xlsx(tmp_path / "x.xlsx", [["Arrests"], ["Force", 2020, 2021, 2022], ["Kent", "n/a", "nil", 5], ["Essex", 1, 2, 3]])
    rows, _, _, _ = run(path)
    kent = [(r["period_start"][:4], r["status"]) for r in rows if r["force"] == "Kent Police"]
    assert kent == [("2020", "not_available"), ("2021", "nil"), ("2022", "ok")]


def test_a_district_named_like_a_force_is_not_the_force(tmp_path) -> None:
    path = tmp_path / "lads.csv"
    path.write_text("Local authority name,Crimes 2022\nDurham,5\nWiltshire,6\nBlaby,7\n", encoding="utf-8")
    rows, _, _, _ = run(path)
    assert [(r["force"], r["area_kind"]) for r in rows] == [("Durham", "other"), ("Wiltshire", "other"), ("Blaby", "other")]


def test_stacked_blocks_each_under_its_area_title(tmp_path) -> None:
    path = xlsx(
        tmp_path / "offences 2012-13.xlsx",
        [
            ["Offences resulting in a disposal 2012/13", "Gender", None, None],
            [None, "Female", "Male", "TOTAL"],
            ["Wales"],
            [],
            ["Arson", 1, 2, 3],
            ["Robbery", 4, 5, 9],
            ["TOTAL", 5, 7, 12],
            [],
            [],
            ["Bridgend"],
            [],
            ["Arson", 0, 1, 1],
            ["Robbery", 1, 1, 2],
            ["TOTAL", 1, 2, 3],
        ],
    )
    rows, report, _, _ = run(path)
    got = {(r["force"], r["area_kind"], r["measure"], r["value"], r["is_total"]) for r in rows if r["measure"].endswith("Arson")}
    assert got == {
        ("Wales", "country", "Female — Arson", "1", "false"), ("Wales", "country", "Male — Arson", "2", "false"),
        ("Wales", "country", "TOTAL — Arson", "3", "true"),
        ("Bridgend", "other", "Female — Arson", "0", "false"), ("Bridgend", "other", "Male — Arson", "1", "false"),
        ("Bridgend", "other", "TOTAL — Arson", "1", "true"),
    }
    assert {(r["period_start"], r["period_end"]) for r in rows} == {("2012-04-01", "2013-03-31")}
    assert {r["force_source"] for r in rows} == {"title"}
    assert any("'Bridgend'" in w for w in warnings(report))


def test_class5_region_rows_mixed_into_a_force_list(tmp_path) -> None:
    """Home Office style: each region's row heads its forces; "West Midlands" is both."""
    path = xlsx(
        tmp_path / "tasers 2016.xlsx",
        [
            ["Table 2: Taser use, 2016"],
            ["Police Force/Region", "Drawn"],
            ["East Midlands", 30],
            ["Derbyshire", 10],
            ["Leicestershire", 20],
            ["West Midlands", 392],
            ["Staffordshire", 108],
            ["Warwickshire", 26],
            ["West Mercia", 74],
            ["West Midlands", 184],
            ["East of England", 5],
            ["Essex", 5],
            ["Total 43 forces", 431],
            ["British Transport Police", 1],
            ["Total", 432],
        ],
    )
    rows, report, _, _ = run(path)
    wm = [(r["force"], r["area_kind"], r["value"]) for r in rows if r["force"].startswith("West Midlands")]
    assert wm == [("West Midlands (region)", "region", "392"), ("West Midlands Police", "force", "184")]
    assert any("row 6" in g for g in guesses(report))
    totals = [(r["force"], r["value"], r["is_total"]) for r in rows if r["force"].startswith("Total")]
    assert totals == [("Total 43 forces", "431", "true"), ("Total", "432", "true")]
    assert not any("share a force" in w for w in warnings(report))


def test_class1_the_year_of_an_act_is_not_a_period(tmp_path) -> None:
    path = tmp_path / "Kent Police 2022-23.csv"
    path.write_text("Offence,Count\nCrime and Policing Act 2014 offences,4\nTheft,5\n", encoding="utf-8")
    rows, _, _, _ = run(path)
    assert [(r["measure"], r["period_start"], r["period_source"]) for r in rows] == [
        ("Crime and Policing Act 2014 offences", "2022-04-01", "file_name"), ("Theft", "2022-04-01", "file_name"),
    ]


def test_letterhead_is_context_of_last_resort() -> None:
    """A reply letter's letterhead (set by the PDF/Word readers) names the force when the
    table, title, sheet name and file name do not; it never overrides them."""
    from foistats.intake.grid import Sheet, Workbook
    from foistats.intake.report import ImportOptions
    from foistats.intake.tidy import _file_context

    sheet = Sheet(name=None, rows=[["Month", "Arrests"], ["April", 5]])
    wb = Workbook(path=Path("reply.pdf"), kind="pdf", sheets=[sheet], letterhead="Kent Police, Coldharbour Lane")
    ctx = _file_context(Path("reply.pdf"), wb, ImportOptions(), {})
    assert (ctx.force.area.name, ctx.force_source, ctx.force_guess) == ("Kent Police", "letterhead", None)
    named = _file_context(Path("Essex Police reply.pdf"), wb, ImportOptions(), {})
    assert (named.force.area.name, named.force_source) == ("Essex Police", "file name")
    assert "Kent Police" in named.force_guess  # the two disagree: a guess


def test_long_digit_runs_and_bracket_runs_in_labels_are_quick(tmp_path) -> None:
    """Class 18 for the label rules added here: trailing digits and "[note 4]" markers."""
    import time

    path = tmp_path / "Kent Police 2022.csv"
    path.write_text(
        "Category,Count\n" + "S" + "1," * 0 + "1" * 5000 + ",4\n" + "Theft " + "[1]" * 2000 + ",5\n" + "Ref " + "12345678901234567890123456" + ",6\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    rows, _, code, _ = run(path)
    assert code == 0 and [r["value"] for r in rows] == ["4", "5", "6"]
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("rows", [12, 60_012])
def test_source_counts_are_the_same_for_small_and_big_sheets(rows: int) -> None:
    """The report's per-sheet source counts: counted in Python for a small frame and by one
    polars group-by for a big one; the counts and their order (most first, ties in the
    order the rows first name them) must not depend on which."""
    import polars as pl

    from foistats.intake.report import FileReport, SheetReport
    from foistats.intake.tidy import _count_sources

    cycle = [("A", "table", "title", "table"), ("B", "file_name", "table", "user"), ("A", "title", "title", "table"), ("B", "table", "table", "user")]
    picked = [cycle[i % 4] if i % 3 else cycle[(i // 3) % 4] for i in range(rows)]
    frame = pl.DataFrame(picked, schema=["source_sheet", "force_source", "period_source", "measure_source"], orient="row")
    report = FileReport(path="x.xlsx", status="imported", sheets=[SheetReport(sheet="A", status="imported"), SheetReport(sheet="B", status="imported")])
    _count_sources(frame, report)
    for i, what in enumerate(("force", "period", "measure")):
        for sheet in report.sheets:
            seen: dict[str, int] = {}
            for row in picked:
                if row[0] == sheet.sheet:
                    seen[row[1 + i]] = seen.get(row[1 + i], 0) + 1
            expected = dict(sorted(seen.items(), key=lambda kv: -kv[1]))
            assert list(sheet.sources[what].items()) == list(expected.items()), (what, sheet.sheet)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Your request is refused under section 12(1): the cost would exceed the limit.", "refused: section 12 (cost limit)"),
        ("We are not obliged to provide this: s.40(2) applies.", "refused: section 40 (personal data)"),
        ("The information is not held. Section 121 of the Data Protection Act is not relevant here.", "no information held"),
        ("The information is not held. We looked at 2,000 records 12 months back and refused nothing.", "no information held"),
        ("The information is not held by this force; it would be exempt under section 310 of another Act.", "no information held"),
    ],
)
def test_a_refusal_names_the_section_it_cites_and_no_other(tmp_path, text: str, expected: str) -> None:
    """A sheet of words: its note says which section refused it, read from the section's
    whole number ("section 121" is not section 12; "records 12" is no citation of s12)."""
    path = xlsx(tmp_path / "Kent Police FOI 1.xlsx", [["Freedom of Information request 1"], [text]])
    rows, _, code, stderr = run(path, "--measure", "Arrests")
    assert code == 0, stderr
    assert [r["note"] for r in rows] == [expected]
