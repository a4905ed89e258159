"""Areas below a force listed under the force's own row: each BCU is its own area, never part
of the measure and never filed under the force (docs/tidy-dataset.md, "Guesses": names that
are not registered "are never filed under another force … and never folded into the measure")."""

from __future__ import annotations

from pathlib import Path

from conftest import read_csv_text, write_xlsx

TITLE = ["Stop and search by BCU, 2023"]


def xlsx(path: Path, rows: list[list]) -> Path:
    """A one-sheet workbook, as a force's FOI team would send it."""
    return write_xlsx(path, rows)


def imported(invoke, path: Path, *args: str) -> tuple[list[dict[str, str]], str]:
    """`foistats import PATH --format csv`: the tidy rows and the report on stderr."""
    result = invoke("import", path, "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    return read_csv_text(result.stdout), result.stderr


def areas(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str, str, str]]:
    """What matters about each row here: area, its kind, measure, value, cell and note."""
    return [(r["force"], r["area_kind"], r["measure"], r["value"], r["source_cell"], r["note"]) for r in rows]


def test_bcu_rows_under_their_force_rows_are_areas_within_that_force(invoke, tmp_path) -> None:
    """The reported defect: "Bolton" under the Greater Manchester Police row became the measure
    "Searches — Bolton" with a blank force, and no warning."""
    path = xlsx(
        tmp_path / "bcu.xlsx",
        [TITLE, ["Area", "Searches"], ["Greater Manchester Police", 5400], ["Bolton", 420], ["Bury", 310],
         ["Merseyside Police", 3300], ["Liverpool", 2400], ["Wirral", 900]],
    )
    rows, err = imported(invoke, path)
    assert areas(rows) == [
        ("Greater Manchester Police", "force", "Searches", "5400", "B3", ""),
        ("Bolton", "other", "Searches", "420", "B4", "within Greater Manchester Police"),
        ("Bury", "other", "Searches", "310", "B5", "within Greater Manchester Police"),
        ("Merseyside Police", "force", "Searches", "3300", "B6", ""),
        ("Liverpool", "other", "Searches", "2400", "B7", "within Merseyside Police"),
        ("Wirral", "other", "Searches", "900", "B8", "within Merseyside Police"),
    ]
    assert all(r["force_source"] == "table" for r in rows)
    # Only the row order says which force a BCU is in: a guess naming that force, reported.
    bcus = [r for r in rows if r["area_kind"] == "other"]
    assert all(r["guess"] and r["note"].removeprefix("within ") in r["guess"] for r in bcus)
    assert not any(r["guess"] for r in rows if r["area_kind"] == "force")
    assert "guess: names listed under the Greater Manchester Police row read as areas within it" in err
    assert "guess: names listed under the Merseyside Police row read as areas within it" in err


def test_force_rows_spelt_short_still_head_their_bcus(invoke, tmp_path) -> None:
    path = xlsx(
        tmp_path / "bcu.xlsx",
        [TITLE, ["Area", "Searches"], ["GMP", 5400], ["Bolton", 420], ["Bury", 310],
         ["Merseyside", 3300], ["Liverpool", 2400], ["Wirral", 900], ["Total", 8700]],
    )
    rows, _ = imported(invoke, path)
    assert areas(rows) == [
        ("Greater Manchester Police", "force", "Searches", "5400", "B3", ""),
        ("Bolton", "other", "Searches", "420", "B4", "within Greater Manchester Police"),
        ("Bury", "other", "Searches", "310", "B5", "within Greater Manchester Police"),
        ("Merseyside Police", "force", "Searches", "3300", "B6", ""),
        ("Liverpool", "other", "Searches", "2400", "B7", "within Merseyside Police"),
        ("Wirral", "other", "Searches", "900", "B8", "within Merseyside Police"),
        ("Total", "national", "Searches", "8700", "B9", ""),
    ]
    assert [r["is_total"] for r in rows] == ["false"] * 6 + ["true"]


def test_offence_types_under_one_force_named_in_the_title_stay_measures(invoke, tmp_path) -> None:
    """No force rows in the label column: the labels are what was counted, not places."""
    path = xlsx(
        tmp_path / "offences.xlsx",
        [["Greater Manchester Police: offences, 2023"], ["Offence", "Count"],
         ["Robbery", 540], ["Burglary", 420], ["Theft", 310], ["Criminal damage", 900]],
    )
    rows, _ = imported(invoke, path)
    assert [(r["force"], r["area_kind"], r["measure"], r["value"], r["note"], r["guess"]) for r in rows] == [
        ("Greater Manchester Police", "force", "Robbery", "540", "", ""),
        ("Greater Manchester Police", "force", "Burglary", "420", "", ""),
        ("Greater Manchester Police", "force", "Theft", "310", "", ""),
        ("Greater Manchester Police", "force", "Criminal damage", "900", "", ""),
    ]


def test_a_breakdown_repeated_under_each_force_row_is_not_read_as_areas(invoke, tmp_path) -> None:
    """"Robbery" under both forces is a breakdown, not a place: never an area "within" a force."""
    path = xlsx(
        tmp_path / "breakdown.xlsx",
        [TITLE, ["Area", "Searches"], ["Greater Manchester Police", 5400], ["Robbery", 420], ["Burglary", 310],
         ["Merseyside Police", 3300], ["Robbery", 2400], ["Burglary", 900]],
    )
    rows, _ = imported(invoke, path)
    assert not any(r["force"] in ("Robbery", "Burglary") or "within" in r["note"] for r in rows)


def test_a_plain_force_list_is_unchanged(invoke, tmp_path) -> None:
    path = xlsx(
        tmp_path / "forces.xlsx",
        [["Stop and search, 2023"], ["Force", "Searches"], ["Greater Manchester Police", 5400],
         ["Merseyside Police", 3300], ["Lancashire Constabulary", 2000], ["Cumbria Constabulary", 700]],
    )
    rows, err = imported(invoke, path)
    assert [(r["force"], r["area_kind"], r["measure"], r["value"], r["note"], r["guess"]) for r in rows] == [
        ("Greater Manchester Police", "force", "Searches", "5400", "", ""),
        ("Merseyside Police", "force", "Searches", "3300", "", ""),
        ("Lancashire Constabulary", "force", "Searches", "2000", "", ""),
        ("Cumbria Constabulary", "force", "Searches", "700", "", ""),
    ]
    assert "guess" not in err


def test_an_unknown_name_at_the_end_of_a_force_list_is_not_put_inside_a_force(invoke, tmp_path) -> None:
    """One force followed by one unknown name is no layout: "Beds Cambs Herts" is not in Essex."""
    path = xlsx(tmp_path / "a.xlsx", [["Table 1: Offences, 2020"], ["Area", "Offences"], ["Kent", 5], ["Essex", 6], ["Beds Cambs Herts", 7]])
    rows, _ = imported(invoke, path)
    assert [(r["force"], r["area_kind"], r["note"], r["guess"]) for r in rows][-1] == ("Beds Cambs Herts", "other", "", "")


def test_force_written_once_over_its_bcus_covers_every_bcu(invoke, tmp_path) -> None:
    """`Force | BCU` with the force only on the first of its rows: every BCU below is within it."""
    path = xlsx(
        tmp_path / "bcu2.xlsx",
        [TITLE, ["Force", "BCU", "Searches"], ["Greater Manchester Police", "Bolton", 420], [None, "Bury", 310],
         [None, "Wigan", 200], ["Merseyside Police", "Liverpool", 2400], [None, "Wirral", 900]],
    )
    rows, _ = imported(invoke, path)
    assert areas(rows) == [
        ("Bolton", "other", "Searches", "420", "C3", "within Greater Manchester Police"),
        ("Bury", "other", "Searches", "310", "C4", "within Greater Manchester Police"),
        ("Wigan", "other", "Searches", "200", "C5", "within Greater Manchester Police"),
        ("Liverpool", "other", "Searches", "2400", "C6", "within Merseyside Police"),
        ("Wirral", "other", "Searches", "900", "C7", "within Merseyside Police"),
    ]
    assert not any(r["guess"] for r in rows)  # the table's own layout says so: not a guess


def test_a_bcu_name_under_two_forces_written_once_gets_neither(invoke, tmp_path) -> None:
    """"North" with the force left blank under both forces: described by its labels alone, it
    could be either, so it is never said to be within one of them."""
    path = xlsx(
        tmp_path / "bcu3.xlsx",
        [TITLE, ["Force", "BCU", "Searches"], ["Greater Manchester Police", "Central", 420], [None, "North", 310],
         ["Merseyside Police", "Central", 2400], [None, "North", 900]],
    )
    rows, _ = imported(invoke, path)
    assert [(r["force"], r["note"]) for r in rows] == [
        ("Central", "within Greater Manchester Police"), ("North", ""), ("Central", "within Merseyside Police"), ("North", ""),
    ]
