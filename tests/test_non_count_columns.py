"""Numbers that are not counts never come in as counts: ranks, variances, +/- columns,
averages and rates with no base (A), identifiers and the attributes of one person or case
such as an age or a date of birth (B), and a reply's reference under its table (C).

Each case is built small and imported through the CLI; the counter-cases beside them are
real counts that must stay values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import read_csv_text, write_xlsx


def xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    return write_xlsx(path, rows, merges, title="Sheet1")


def imported(invoke, path: Path) -> tuple[list[dict[str, str]], str]:
    result = invoke("import", path, "--format", "csv")
    assert result.exit_code in (0, 1), result.stderr
    return read_csv_text(result.stdout), result.stderr


def values_by(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(r["force"], r["measure"]): r["value"] for r in rows}


# ------------------------------------------------------------------ A: ranks, variances, averages


def _force_table(header: str) -> list[list]:
    return [
        ["Burglary offences recorded in 2023"],
        ["Force", "Offences", header],
        ["Kent", 1100, 20],
        ["Essex", 1200, 35],
        ["Surrey", 900, -15],
    ]


def test_rank_and_variance_beside_counts_are_skipped_with_the_reason(invoke, tmp_path) -> None:
    rows = [
        ["Burglary offences recorded in 2023"],
        ["Force", "Offences", "Variance", "Rank"],
        ["Kent", 1100, 20, 2],
        ["Essex", 1200, 35, 1],
        ["Surrey", 900, -15, 3],
    ]
    path = xlsx(tmp_path / "rank.xlsx", rows)
    got, err = imported(invoke, path)
    assert values_by(got) == {
        ("Kent Police", "Offences"): "1100", ("Essex Police", "Offences"): "1200", ("Surrey Police", "Offences"): "900",
    }
    assert {r["period_start"] for r in got} == {"2023-01-01"}
    assert "6 cells skipped: derived column" in err
    shown = invoke("inspect", path).stdout
    assert "headed 'Variance', a variance or +/-" in shown
    assert "headed 'Rank', a rank or position" in shown


@pytest.mark.parametrize(
    "header",
    ["Position", "Movement", "+/-", "Up/down", "Ranking", "Rank (1 = highest)", "National rank", "Variance against 2022", "Var"],
)
def test_rank_like_headers_are_never_counts(invoke, tmp_path, header: str) -> None:
    got, err = imported(invoke, xlsx(tmp_path / "t.xlsx", _force_table(header)))
    assert {r["measure"] for r in got} == {"Offences"}
    assert [r["value"] for r in got] == ["1100", "1200", "900"]
    assert "3 cells skipped: derived column" in err


@pytest.mark.parametrize("header", ["Avg per month", "Average", "Mean", "Detection rate", "Arrests per officer"])
def test_averages_and_rates_without_a_base_are_not_counts(invoke, tmp_path, header: str) -> None:
    got, err = imported(invoke, xlsx(tmp_path / "t.xlsx", _force_table(header)))
    assert {r["measure"] for r in got} == {"Offences"}
    assert "3 cells skipped: derived column" in err
    assert "an average or a rate with no base stated" in invoke("inspect", tmp_path / "t.xlsx").stdout


def test_rates_that_state_their_unit_stay_values_with_it(invoke, tmp_path) -> None:
    rows = [
        ["Burglary offences recorded in 2023"],
        ["Force", "Offences", "Rate per 1,000 population", "Detection rate"],
        ["Kent", 1100, 5.5, "12%"],
        ["Essex", 1200, 6.1, "14%"],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "t.xlsx", rows))
    units = {r["measure"]: r["unit"] for r in got}
    assert units == {"Offences": "", "Rate per 1,000 population": "per 1,000 population", "Detection rate": "%"}
    assert values_by(got)[("Kent Police", "Detection rate")] == "12"


def test_counts_totals_and_a_rank_of_text_stay_as_they_were(invoke, tmp_path) -> None:
    rows = [
        ["Kent Police"],
        ["Officers by rank, 31 March 2023"],
        ["Rank", "Officers", "Officers by rank (FTE)", "Total"],
        ["Constable", 2800, 2750, 2800],
        ["Sergeant", 500, 490, 500],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "t.xlsx", rows))
    by = {(r["measure"], r["is_total"]): r["value"] for r in got}
    assert by[("Officers — Constable", "false")] == "2800"
    assert by[("Officers by rank (FTE) — Sergeant", "false")] == "490"
    assert by[("Total — Constable", "true")] == "2800"


# ------------------------------------------------------------------ B: identifiers and case attributes


def test_staff_numbers_that_are_ids_are_not_counts(invoke, tmp_path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("Force,Year,Staff number,Complaints\nKent Police,2021,210045,5\nEssex Police,2021,210046,6\n", encoding="utf-8")
    got, _ = imported(invoke, path)
    assert values_by(got) == {("Kent Police", "Complaints"): "5", ("Essex Police", "Complaints"): "6"}
    assert "an identifier, not a count" in invoke("inspect", path).stdout


def test_staff_number_as_a_headcount_stays_a_count(invoke, tmp_path) -> None:
    # distinct, five digits, but one row per year: a force's headcount over time
    path = tmp_path / "Metropolitan Police FOI 1.csv"
    path.write_text("Year,Officer number,Staff number\n2021,32500,11200\n2022,34100,11800\n2023,33900,12100\n", encoding="utf-8")
    got, _ = imported(invoke, path)
    assert {(r["period_start"][:4], r["measure"]): r["value"] for r in got}[("2022", "Staff number")] == "11800"
    path = tmp_path / "forces.csv"
    path.write_text("Force,Staff number\nKent Police,3500\nEssex Police,3400\n", encoding="utf-8")
    got, _ = imported(invoke, path)
    assert values_by(got) == {("Kent Police", "Staff number"): "3500", ("Essex Police", "Staff number"): "3400"}


@pytest.mark.parametrize(
    ("header", "ids"),
    [
        ("Custody number", [40112345, 40112399]),
        ("IOPC reference", [2023012345, 2023018877]),
        ("FOI reference", [20240123, 20240456]),
        ("Call number", [1234, 5678]),
        ("Log", [240112345, 240112388]),
        ("Occurrence", [23001234, 23004567]),
        ("Serial", [1, 2]),
        ("Line", [101, 102]),
    ],
)
def test_identifier_columns_are_never_counts(invoke, tmp_path, header: str, ids: list[int]) -> None:
    rows = [["Kent Police - use of force, 2023"], [header, "Type", "Incidents"], [ids[0], "Taser", 3], [ids[1], "Baton", 4]]
    got, _ = imported(invoke, xlsx(tmp_path / "t.xlsx", rows))
    assert sorted(r["value"] for r in got) == ["3", "4"]
    assert {r["measure"] for r in got} == {"Incidents — Taser", "Incidents — Baton"}


def test_number_of_custody_records_is_a_count(invoke, tmp_path) -> None:
    rows = [["Custody records, 2023"], ["Force", "Number of custody records", "Calls"], ["Kent", 41000, 12], ["Essex", 38000, 15]]
    got, _ = imported(invoke, xlsx(tmp_path / "t.xlsx", rows))
    assert values_by(got)[("Kent Police", "Number of custody records")] == "41000"
    assert values_by(got)[("Essex Police", "Calls")] == "15"


def test_ages_and_service_in_a_list_of_hearings_are_not_counts(invoke, tmp_path) -> None:
    rows = [
        ["Kent Police - Misconduct hearings"],
        ["Date of hearing", "Rank", "Age", "Length of service (years)", "Outcome"],
        [date(2022, 3, 12), "PC", 34, 8, "Dismissed"],
        [date(2022, 6, 15), "PS", 45, 20, "Final written warning"],
        [date(2023, 2, 2), "PC", 28, 3, "Dismissed"],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "hearings.xlsx", rows))
    assert not any("Age" in r["measure"] or "service" in r["measure"] for r in got)
    assert not {r["value"] for r in got} & {"34", "45", "28", "8", "20"}


def test_a_list_of_people_with_no_counts_imports_no_numbers(invoke, tmp_path) -> None:
    rows = [
        ["Kent Police - officers dismissed in 2023"],
        ["Rank", "Age", "Length of service (years)", "Outcome"],
        ["PC", 34, 8, "Dismissed"],
        ["PS", 45, 20, "Final written warning"],
        ["PC", 28, 3, "Dismissed"],
    ]
    result = invoke("import", xlsx(tmp_path / "dismissed.xlsx", rows), "--format", "csv")
    assert read_csv_text(result.stdout) == []
    assert "no numbers found" in result.stderr


def test_age_beside_a_count_is_a_dimension(invoke, tmp_path) -> None:
    rows = [["Kent Police"], ["Arrests of children, 2023"], ["Age", "Arrests"], [10, 5], [12, 7], [15, 9]]
    got, _ = imported(invoke, xlsx(tmp_path / "t.xlsx", rows))
    assert {r["measure"]: r["value"] for r in got} == {"Arrests — Age 10": "5", "Arrests — Age 12": "7", "Arrests — Age 15": "9"}


def test_year_and_date_of_birth_are_neither_counts_nor_periods(invoke, tmp_path) -> None:
    rows = [
        ["Kent Police - complaints against officers, 2023"],
        ["Officer", "Year of birth", "Complaints"],
        ["A", 1985, 2],
        ["B", 1979, 1],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "yob.xlsx", rows))
    assert sorted((r["measure"], r["value"]) for r in got) == [("Complaints — A", "2"), ("Complaints — B", "1")]
    assert {r["period_start"] for r in got} == {"2023-01-01"}
    rows[1][1] = "Date of birth"
    rows[2][1], rows[3][1] = date(1985, 4, 2), date(1979, 11, 30)
    got, _ = imported(invoke, xlsx(tmp_path / "dob.xlsx", rows))
    assert sorted((r["measure"], r["value"]) for r in got) == [("Complaints — A", "2"), ("Complaints — B", "1")]
    assert {r["period_start"] for r in got} == {"2023-01-01"}


def test_age_bands_stay_counts(invoke, tmp_path) -> None:
    rows = [
        ["Stop and search, 2023"],
        ["Force", "Age", None],
        [None, "10-17", "18 and over"],
        ["Kent", 310, 2900],
        ["Essex", 28, 31],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "bands.xlsx", rows, merges=("B2:C2",)))
    assert values_by(got)[("Kent Police", "Age — 10-17")] == "310"
    assert values_by(got)[("Essex Police", "Age — 18 and over")] == "31"
    rows = [["Stop and search, 2023"], ["Force", "Age 10-17", "Age 18+"], ["Kent", 31, 29], ["Essex", 28, 31]]
    got, _ = imported(invoke, xlsx(tmp_path / "bands2.xlsx", rows))
    assert values_by(got)[("Essex Police", "Age 10-17")] == "28"


def test_a_spanning_age_over_small_counts_stays_counts(invoke, tmp_path) -> None:
    rows = [
        ["Kent Police - disposals, 2023"],
        ["Disposal", "Age", None, None],
        [None, "10 to 14", "15 to 16", "17 and over"],
        ["Reprimand", 33, 16, 7],
        ["Final warning", 30, 12, 10],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "ages.xlsx", rows, merges=("B2:D2",)))
    by = {r["measure"]: r["value"] for r in got}
    assert by["Age — 10 to 14 — Reprimand"] == "33"
    assert by["Age — 15 to 16 — Final warning"] == "12"
    assert len(got) == 6
    # the same with the band row mistaken for data: a merged "Age" groups columns, so
    # column B is never read as one list's ages
    rows[2] = [None, 15, 16, "17+"]
    result = invoke("import", xlsx(tmp_path / "ages2.xlsx", rows, merges=("B2:D2",)), "--format", "csv")
    assert {"33", "30"} <= {r["value"] for r in read_csv_text(result.stdout)}


def test_a_rank_spanning_ranks_of_officers_stays_counts(invoke, tmp_path) -> None:
    rows = [
        ["Kent Police - officers, 31 March 2023"],
        ["Area", "Rank", None],
        [None, "Constable", "Sergeant"],
        ["North", 800, 120],
        ["South", 700, 110],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "ranks.xlsx", rows, merges=("B2:C2",)))
    assert sorted(r["value"] for r in got) == ["110", "120", "700", "800"]


# ------------------------------------------------------------------ C: reference rows


def test_a_list_headed_reference_keeps_its_header(invoke, tmp_path) -> None:
    rows = [["Kent Police - victims, 2023"], ["Reference", "Offence", "Victims"], ["REF-001", "Burglary", 2], ["REF-002", "Robbery", 1]]
    got, _ = imported(invoke, xlsx(tmp_path / "list.xlsx", rows))
    assert {r["measure"]: r["value"] for r in got} == {"Victims — REF-001 — Burglary": "2", "Victims — REF-002 — Robbery": "1"}


@pytest.mark.parametrize(
    "label",
    ["Reference number", "Our reference", "Our ref", "FOI reference", "Request ID", "Disclosure ID", "Reference number:"],
)
def test_a_reference_row_under_the_table_is_not_data(invoke, tmp_path, label: str) -> None:
    rows = [
        ["North Wales Police"],
        ["Missing person reports, 2023"],
        ["Age group", "Reports"],
        ["Under 18", 400],
        ["18 and over", 450],
        [],
        [label, 20240123],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "ref.xlsx", rows))
    assert {r["measure"]: r["value"] for r in got} == {"Reports — Under 18": "400", "Reports — 18 and over": "450"}


def test_a_reference_row_above_the_table_is_not_data_nor_its_header(invoke, tmp_path) -> None:
    rows = [["North Wales Police"], ["Our ref", 20240123], [], ["Offence", "2022", "2023"], ["Burglary", 400, 450], ["Robbery", 40, 45]]
    got, _ = imported(invoke, xlsx(tmp_path / "top.xlsx", rows))
    assert sorted((r["measure"], r["period_start"], r["value"]) for r in got) == [
        ("Burglary", "2022-01-01", "400"), ("Burglary", "2023-01-01", "450"),
        ("Robbery", "2022-01-01", "40"), ("Robbery", "2023-01-01", "45"),
    ]


def test_referrals_and_requests_are_still_counts(invoke, tmp_path) -> None:
    rows = [["Kent Police"], ["Outcomes, 2023"], ["Outcome", "Cases"], ["Referrals", 120], ["Requests received", 88], ["Total", 208]]
    got, _ = imported(invoke, xlsx(tmp_path / "t.xlsx", rows))
    by = {r["measure"]: (r["value"], r["is_total"]) for r in got}
    assert by["Cases — Referrals"] == ("120", "false")
    assert by["Cases — Requests received"] == ("88", "false")
    assert by["Cases — Total"] == ("208", "true")
