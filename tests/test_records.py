"""Record-level extracts (one row per crime or search) counted per force, month and category."""

from __future__ import annotations

from pathlib import Path

from conftest import read_csv_text
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- rank/rise --measure on the all-categories total: counted by force and month only ---

STREET_HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
TOTAL = "Street-level crime records: all categories"

_street_line = st.tuples(
    st.sampled_from(["Kent Police", "Essex Police", " Kent Police ", "Nowhere Constabulary", ""]),
    st.sampled_from(["2020-06", "2020-07", "2021-06", "2022-05", "2022-06", "", "13/2021", " 2021-06 "]),
    st.sampled_from(["Burglary", "Drugs", "", "Anti-social behaviour"]),
)


def _write_street(path: Path, lines: list[tuple[str, str, str]]) -> None:
    body = "".join(f"x,{month},{force},{force},0,0,x,E01,x,{category},,\n" for force, month, category in lines)
    path.write_text(STREET_HEADER + body, encoding="utf-8")


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(_street_line, min_size=1, max_size=40), spelling=st.sampled_from([TOTAL, f"  {TOTAL.upper()} ", TOTAL.lower()]))
def test_the_total_alone_is_the_total_of_the_full_count(tmp_path_factory, lines, spelling) -> None:
    """Asked only for the all-categories total (any case, trimmed, as `select_measure`
    matches first), the importer counts by force and month alone; every column of every
    row it gives is the full import's row for that measure, in the same order, and its
    report says the same (bar the rows it never made)."""
    import polars as pl

    from foistats.campaign.inputs import load_with_campaign

    path = tmp_path_factory.mktemp("street") / "street.csv"
    _write_street(path, lines)
    full, _ = load_with_campaign([path])
    only, _ = load_with_campaign([path], keep_measure=spelling)
    expected = full.frame.filter(pl.col("measure") == TOTAL)
    assert only.frame.get_column("measure").unique().to_list() == [TOTAL]
    assert only.frame.to_dicts() == expected.to_dicts()
    (a,), (b,) = full.imported.files[0].sheets, only.imported.files[0].sheets
    assert (a.warnings, a.guesses, a.areas, a.data_range, a.measure) == (b.warnings, b.guesses, b.areas, b.data_range, b.measure)


def test_any_other_measure_wish_counts_every_category(tmp_path) -> None:
    """A category, a part of a name (which `select_measure` matches loosely) or another
    name: everything is counted, as without the wish."""
    from foistats.campaign.inputs import load_with_campaign

    path = tmp_path / "street.csv"
    _write_street(path, [("Kent Police", "2021-06", "Burglary"), ("Kent Police", "2021-06", "Drugs")])
    every = {TOTAL, "Street-level crime records: Burglary", "Street-level crime records: Drugs"}
    for wish in (None, "Street-level crime records: Burglary", "all categories", "Street-level crime records", "Outcome records: all categories"):
        loaded, _ = load_with_campaign([path], keep_measure=wish)
        assert set(loaded.frame.get_column("measure").to_list()) == every, wish


def test_rank_on_the_total_matches_rank_on_the_full_import(invoke, tmp_path) -> None:
    """The user's view: `rank --measure <total>` on the extract gives what `rank` gives on
    the tidy CSV `import` wrote from it (every category counted), in every format; a part
    of the name still matches several measures and says so."""
    rows = [("Kent Police", "2020-06", "Burglary")] * 12 + [("Kent Police", "2022-06", "Drugs")] * 30
    rows += [("Essex Police", "2020-07", "Drugs")] * 20 + [("Essex Police", "2022-07", "Burglary")] * 10 + [("Essex Police", "2022-07", "")] * 5
    rows += [("Essex Police", "2021-03", "Drugs")]
    path = tmp_path / "street.csv"
    _write_street(path, rows)
    tidy = tmp_path / "tidy.csv"
    made = invoke("import", path, "-o", tidy)
    assert made.exit_code == 0, made.stderr
    for fmt in ("csv", "json", "table"):
        direct = invoke("rank", path, "--measure", TOTAL, "--year-start", "jun", "--allow-partial", "--format", fmt)
        via = invoke("rank", tidy, "--measure", TOTAL, "--year-start", "jun", "--allow-partial", "--format", fmt)
        assert direct.exit_code == via.exit_code == 0, direct.stderr + via.stderr
        assert direct.stdout == via.stdout.replace(str(tidy), str(path))
    got = {r["force"]: (r["from_value"], r["to_value"]) for r in read_csv_text(
        invoke("rank", path, "--measure", TOTAL, "--year-start", "jun", "--allow-partial", "--format", "csv").stdout)}
    assert got == {"Kent Police": ("12", "30"), "Essex Police": ("21", "15")}  # March 2021 is in June 2020–May 2021
    loose = invoke("rank", path, "--measure", "Street-level crime records", "--year-start", "jun")
    assert loose.exit_code == 2 and "matches several measures" in loose.stderr


def test_the_total_alone_never_parses_the_category_column(tmp_path, monkeypatch) -> None:
    """What the wish saves: the category column is not read at all (polars is handed the
    force and month columns only), while every other wish reads it."""
    from foistats.campaign.inputs import load_with_campaign
    from foistats.intake import records

    seen: list[list[str]] = []
    real = records._count

    def spy(lf, layout, formats=None):  # noqa: ANN001, ANN202
        seen.append(lf.collect_schema().names())
        return real(lf, layout, formats)

    monkeypatch.setattr(records, "_count", spy)
    path = tmp_path / "street.csv"
    _write_street(path, [("Kent Police", "2021-06", "Burglary")])
    load_with_campaign([path], keep_measure=TOTAL)
    load_with_campaign([path], keep_measure="Street-level crime records: Burglary")
    assert seen == [["Falls within", "Month"], ["Falls within", "Month", "Crime type"]]
