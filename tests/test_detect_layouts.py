"""Layouts seen in real FOI returns, built small in the test, imported through the CLI."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import read_csv_text, write_xlsx


def xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = (), sheets: dict[str, list[list]] | None = None) -> Path:
    return write_xlsx(path, rows, merges, sheets, title="Sheet1")


def imported(invoke, path: Path, *args: str) -> tuple[list[dict[str, str]], str]:
    result = invoke("import", path, "--format", "csv", *args)
    assert result.exit_code in (0, 1), result.stderr
    return read_csv_text(result.stdout), result.stderr


def test_two_row_header_year_merged_over_months(invoke, tmp_path) -> None:
    rows = [
        ["Kent Police - FOI 2024/001"],
        [],
        ["", 2021, None, None, 2022, None, None],
        ["", "Jan", "Feb", "Mar", "Jan", "Feb", "Mar"],
        ["Reports", 1, 2, 3, 4, 5, 6],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "k.xlsx", rows, merges=("B3:D3", "E3:G3")))
    assert [(r["period_start"], r["value"]) for r in got] == [
        ("2021-01-01", "1"), ("2021-02-01", "2"), ("2021-03-01", "3"),
        ("2022-01-01", "4"), ("2022-02-01", "5"), ("2022-03-01", "6"),
    ]
    assert {r["force"] for r in got} == {"Kent Police"}
    assert {r["measure"] for r in got} == {"Reports"}


def test_national_table_with_regions_footnotes_and_codes(invoke, tmp_path) -> None:
    rows = [
        ["Table 1: Offences by police force area, year ending March 2018"],
        [],
        ["Area Code", "Area Name", "Offences"],
        ["K04000001", "ENGLAND AND WALES7,8", 1000],
        ["E12000001", "North East", 300],
        ["E23000008", "Durham 1", 100],
        ["E23000005", "Greater Manchester8,9", 200],
        ["E12000005", "West Midlands", 150],
        ["E23000014", "West Midlands", 150],
        [],
        ["1. Footnote text"],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "ons.xlsx", rows))
    kinds = {r["force"]: r["area_kind"] for r in got}
    assert kinds == {
        "England and Wales": "national", "North East": "region", "Durham Constabulary": "force",
        "Greater Manchester Police": "force", "West Midlands (region)": "region", "West Midlands Police": "force",
    }
    durham = next(r for r in got if r["force"] == "Durham Constabulary")
    assert (durham["value"], durham["period_start"], durham["period_end"]) == ("100", "2017-04-01", "2018-03-31")


def test_years_as_rows_with_numeric_year_cells(invoke, tmp_path) -> None:
    rows = [["Essex Police"], ["Year", "Number of reports"], [2020, 5], [2021, 7], [2022, 9]]
    got, _ = imported(invoke, xlsx(tmp_path / "e.xlsx", rows))
    assert [(r["period_start"], r["period_end"], r["value"]) for r in got] == [
        ("2020-01-01", "2020-12-31", "5"), ("2021-01-01", "2021-12-31", "7"), ("2022-01-01", "2022-12-31", "9"),
    ]


@pytest.mark.parametrize(
    "cell, status, low, high",
    [
        ("<5", "suppressed", "0", "4"), ("*", "suppressed", "", ""), ("[c]", "suppressed", "", ""),
        ("-", "nil", "0", "0"), ("..", "not_available", "", ""), ("n/a", "not_available", "", ""),
        ("nil", "nil", "0", "0"), ("[x]", "not_available", "", ""), ("[z]", "not_applicable", "", ""),
        ("[low]", "low", "0", ""),
    ],
)
def test_every_symbol_keeps_value_empty(invoke, tmp_path, cell, status, low, high) -> None:
    rows = [["Surrey Police"], ["Period", "Count"], ["2020/21", 12], ["2021/22", cell]]
    got, _ = imported(invoke, xlsx(tmp_path / "s.xlsx", rows))
    second = got[1]
    assert (second["value"], second["status"], second["value_low"], second["value_high"]) == ("", status, low, high)
    assert got[0]["value"] == "12" and got[0]["period_start"] == "2020-04-01"


def test_two_tables_on_one_sheet(invoke, tmp_path) -> None:
    rows = [
        ["Dorset Police"],
        ["Table A: victims under 18"],
        ["Year", "Count"],
        ["2020/21", 3],
        ["2021/22", 4],
        [],
        [],
        ["Table B: victims 18 and over"],
        ["Year", "Count"],
        ["2020/21", 30],
        ["2021/22", 40],
    ]
    got, _ = imported(invoke, xlsx(tmp_path / "d.xlsx", rows))
    assert [r["value"] for r in got] == ["3", "4", "30", "40"]
    assert [r["source_cell"] for r in got] == ["B4", "B5", "B10", "B11"]


def test_refusal_letter_is_a_refused_row(invoke, tmp_path) -> None:
    rows = [
        ["Kent Police"],
        ["Freedom of Information request 2024/77"],
        ["We estimate that the cost of complying with your request would exceed the appropriate limit."],
        ["Section 12 of the Freedom of Information Act 2000 therefore applies."],
    ]
    got, err = imported(invoke, xlsx(tmp_path / "refusal.xlsx", rows))
    assert [(r["force"], r["status"]) for r in got] == [("Kent Police", "refused")]
    assert "section 12" in got[0]["note"]
    assert "refusal" in err


def test_a_sheet_of_text_that_is_not_a_refusal_is_reported_not_imported(invoke, tmp_path) -> None:
    # issue 16: an import that finds nothing at all (no numbers, no reply outcome) exits 3.
    result = invoke("import", xlsx(tmp_path / "letter.xlsx", [["Dear requester"], ["Thank you for your email."]]), "--format", "csv")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "not a table" in result.stderr


def test_one_sheet_per_year(invoke, tmp_path) -> None:
    path = xlsx(
        tmp_path / "per-year.xlsx",
        [["Cheshire Constabulary, Jun 2020 - May 2021"], ["Month", "Count"], ["Jun", 1], ["Jul", 2]],
        sheets={"2021-22": [["Cheshire Constabulary, Jun 2021 - May 2022"], ["Month", "Count"], ["Jun", 3], ["Jul", 4]]},
    )
    got, _ = imported(invoke, path)
    assert [(r["source_sheet"], r["period_start"], r["value"]) for r in got] == [
        ("Sheet1", "2020-06-01", "1"), ("Sheet1", "2020-07-01", "2"), ("2021-22", "2021-06-01", "3"), ("2021-22", "2021-07-01", "4"),
    ]


def test_month_date_cells_and_snapshot_dates(invoke, tmp_path) -> None:
    months = [["Avon and Somerset Constabulary"], ["Month", "Reports"], [datetime(2020, 6, 1), 4], [datetime(2020, 7, 1), 5]]
    got, _ = imported(invoke, xlsx(tmp_path / "m.xlsx", months))
    assert [(r["period_start"], r["period_end"]) for r in got] == [("2020-06-01", "2020-06-30"), ("2020-07-01", "2020-07-31")]
    snaps = [["Officers"], ["Force", datetime(2015, 3, 31), datetime(2015, 9, 30)], ["Kent", 3000, 3100]]
    got, _ = imported(invoke, xlsx(tmp_path / "s.xlsx", snaps))
    assert [(r["period_start"], r["period_end"]) for r in got] == [("2015-03-31", "2015-03-31"), ("2015-09-30", "2015-09-30")]


@pytest.mark.parametrize(
    "encoding, delimiter",
    [("utf-8-sig", ","), ("cp1252", ";"), ("utf-16", "\t"), ("utf-8", "|")],
)
def test_csv_encodings_and_delimiters(invoke, tmp_path, encoding, delimiter) -> None:
    text = delimiter.join(["Period", "Number of reports"]) + "\r\n"
    text += delimiter.join(["June 2020 – May 2021", "1,234" if delimiter != "," else '"1,234"']) + "\r\n"
    text += delimiter.join(["June 2021 – May 2022", "£5"]) + "\r\n"
    text += delimiter.join(["June 2022 – May 2023", "see note"]) + "\r\n"
    path = tmp_path / "Norfolk Constabulary.csv"
    path.write_bytes(text.encode(encoding))
    got, _ = imported(invoke, path)
    assert got[0]["force"] == "Norfolk Constabulary"
    assert (got[0]["period_start"], got[0]["period_end"], got[0]["value"]) == ("2020-06-01", "2021-05-31", "1234")
    assert (got[1]["value"], got[1]["note"]) == ("5", "£")  # a currency amount, symbol kept
    assert len(got) == 2  # "see note" is text in a value column: skipped with a reason, not invented


def test_recipe_in_campaign_file_overrides_detection(invoke, tmp_path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    rows = [["Totally unhelpful layout"], ["x", "y"], ["a", 5], ["See note", None]]
    xlsx(folder / "odd.xlsx", rows)
    (folder / "foistats.toml").write_text(
        '[request]\nmeasure = "Reports"\n\n[recipes."odd.xlsx"]\nforce = "Kent"\nperiod = "2020/21"\nheader_rows = [2]\ndata_rows = "3:4"\n',
        encoding="utf-8",
    )
    got, _ = imported(invoke, folder)
    assert {(r["force"], r["period_start"], r["measure"]) for r in got} == {("Kent Police", "2020-04-01", "Reports")}
    assert [(r["value"], r["note"]) for r in got] == [("5", "labelled 'y — a'")]


def test_a_count_that_looks_like_a_year_is_still_a_count(invoke, tmp_path) -> None:
    """Regression: "31-03-2003,Derbyshire,...,1877" was taken for a header of periods
    (a date and a "year"), which split rec-crime-pfa.csv into hundreds of tables."""
    path = tmp_path / "long.csv"
    path.write_text(
        "12 months ending,PFA,Offence,Offences\n"
        "31-03-2003,Derbyshire,Domestic burglary,8551\n"
        "31-03-2003,Derbyshire,Drug offences,1877\n"
        "31-03-2003,Derbyshire,Homicide,8\n",
        encoding="utf-8",
    )
    got, _ = imported(invoke, path)
    assert [(r["measure"], r["value"], r["period_start"], r["period_end"]) for r in got] == [
        ("Domestic burglary — Offences", "8551", "2002-04-01", "2003-03-31"),
        ("Drug offences — Offences", "1877", "2002-04-01", "2003-03-31"),
        ("Homicide — Offences", "8", "2002-04-01", "2003-03-31"),
    ]


def test_standalone_recipe_file(invoke, tmp_path) -> None:
    rows = [["Totally unhelpful layout"], ["x", "y"], ["a", 5], ["See note", None]]
    path = xlsx(tmp_path / "odd.xlsx", rows)
    recipe = tmp_path / "odd.toml"
    recipe.write_text('force = "Kent"\nperiod = "2020/21"\nmeasure = "Reports"\nheader_rows = [2]\ndata_rows = "3:4"\n')
    got, _ = imported(invoke, path, "--recipe", str(recipe))
    assert [(r["force"], r["period_start"], r["measure"], r["value"]) for r in got] == [("Kent Police", "2020-04-01", "Reports", "5")]
    recipe.write_text('forse = "Kent"\n')
    bad = invoke("import", path, "--recipe", recipe)
    assert bad.exit_code == 2 and "unknown recipe key(s) forse" in bad.stderr


def test_a_bare_split_year_among_june_may_years_is_flagged_not_guessed(invoke, tmp_path) -> None:
    rows = [["Kent Police"], ["", "June 2020 - May 2021", "2021-22"], ["Reports", 5, 7]]
    got, err = imported(invoke, xlsx(tmp_path / "mixed.xlsx", rows))
    assert [(r["period_start"], r["value"]) for r in got] == [("2020-06-01", "5"), ("2021-04-01", "7")]
    assert "'2021-22' read as the financial year Apr 2021–Mar 2022, but this sheet's other years start in June" in err
    strict = invoke("import", tmp_path / "mixed.xlsx", "--strict", "--format", "csv")
    assert strict.exit_code == 1


def test_an_ambiguous_label_is_flagged(invoke, tmp_path) -> None:
    rows = [["Kent Police"], ["Period", "Count"], ["2011-12", 5]]
    got, err = imported(invoke, xlsx(tmp_path / "amb.xlsx", rows))
    assert got[0]["period_start"] == "2011-04-01"
    assert "period label '2011-12' is ambiguous" in err


def test_months_down_the_rows_under_split_year_columns_follow_the_months_order(invoke, tmp_path) -> None:
    """June…May listed down the rows under "2020/21" columns: the years run June–May, so
    April and May fall in 2021, not 2020 (a bare split year alone would be April–March)."""
    months = ["June", "July", "August", "September", "October", "November", "December", "January",
              "February", "March", "April", "May"]
    rows = [["Leicestershire Police"], ["Month", "2020/21", "2021/22"], *[[m, i, i + 10] for i, m in enumerate(months, 1)]]
    got, err = imported(invoke, xlsx(tmp_path / "m.xlsx", rows))
    first_year = {r["period_label"]: r["value"] for r in got if r["period_start"] < "2021-06-01"}
    assert first_year["June 2020"] == "1" and first_year["April 2021"] == "11" and first_year["May 2021"] == "12"
    assert len(first_year) == 12
    assert "read as years starting in June, because the months are listed from June" in err


def test_long_table_with_force_and_year_columns(invoke, tmp_path) -> None:
    """Regression: a "Year" column whose years repeat (one row per force per year) was read as values."""
    path = tmp_path / "long.csv"
    path.write_text("Force,Year,Count\nKent,2020,5\nKent,2021,6\nEssex,2020,7\nEssex,2021,<5\n", encoding="utf-8")
    got, _ = imported(invoke, path)
    assert [(r["force"], r["period_start"], r["value"], r["status"], r["measure"]) for r in got] == [
        ("Kent Police", "2020-01-01", "5", "ok", "Count"),
        ("Kent Police", "2021-01-01", "6", "ok", "Count"),
        ("Essex Police", "2020-01-01", "7", "ok", "Count"),
        ("Essex Police", "2021-01-01", "", "suppressed", "Count"),
    ]


def test_regional_table_keeps_its_total_row_as_a_total(invoke, tmp_path) -> None:
    rows = [["East Midlands collaboration"], [], ["Force", "2020/21", "2021/22"], ["Leicestershire", 28, 48],
            ["Derbyshire", 27, 55], ["Total", 55, 103]]
    got, _ = imported(invoke, xlsx(tmp_path / "r.xlsx", rows))
    kinds = {(r["force"], r["area_kind"]) for r in got}
    assert kinds == {("Leicestershire Police", "force"), ("Derbyshire Constabulary", "force"), ("Total", "national")}


def test_period_only_in_the_sheet_name(invoke, tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Apr 2021 - Mar 2022"
    for row in (["Surrey Police"], ["Category", "Count"], ["Online", 4], ["In person", 9]):
        ws.append(row)
    wb.save(tmp_path / "s.xlsx")
    got, _ = imported(invoke, tmp_path / "s.xlsx")
    assert {(r["period_start"], r["period_end"]) for r in got} == {("2021-04-01", "2022-03-31")}


def test_one_sheet_per_force(invoke, tmp_path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Leicestershire"
    for name, values in (("Leicestershire", (28, 152)), ("Derbyshire", (27, 101))):
        ws = wb[name] if name in wb.sheetnames else wb.create_sheet(name)
        for row in (["Year", "Reports"], ["2020/21", values[0]], ["2022/23", values[1]]):
            ws.append(row)
    wb.save(tmp_path / "collab.xlsx")
    got, err = imported(invoke, tmp_path / "collab.xlsx")
    assert [(r["force"], r["value"]) for r in got] == [
        ("Leicestershire Police", "28"), ("Leicestershire Police", "152"),
        ("Derbyshire Constabulary", "27"), ("Derbyshire Constabulary", "101"),
    ]
    assert "sheet name 'Derbyshire'" in err


def test_unknown_area_name_is_kept_as_the_area_never_as_the_measure(invoke, tmp_path) -> None:
    """Regression: "Beds Cambs Herts" (an unregistered collaboration) became part of the measure
    with a blank force, although the warning said it was kept under its name."""
    rows = [["Table 1: Offences, 2020"], ["Area", "Offences"], ["Kent", 5], ["Essex", 6], ["Beds Cambs Herts", 7]]
    got, err = imported(invoke, xlsx(tmp_path / "a.xlsx", rows))
    assert [(r["force"], r["area_kind"], r["measure"]) for r in got] == [
        ("Kent Police", "force", "Offences"), ("Essex Police", "force", "Offences"), ("Beds Cambs Herts", "other", "Offences"),
    ]
    assert "'Beds Cambs Herts' is not a known force or area; kept under that name" in err


# --- row profiling: each distinct cell value classified once ---

def _row_kind_asked_afresh(cells: list) -> str:  # noqa: ANN001
    """`detect._row_kind` as it was before cell kinds were remembered: every question asked
    of every cell."""
    from datetime import date

    from foistats.intake.detect import as_year, is_period_cell, is_value_cell, is_year_number

    cells = [v for v in cells if v is not None]
    if not cells:
        return "blank"
    values = periods = text_years = texts = 0
    for v in cells:
        if is_year_number(v) or isinstance(v, (datetime, date)):
            periods += 1
        elif isinstance(v, str) and as_year(v) is not None:
            text_years += 1
        elif is_value_cell(v):
            values += 1
        elif isinstance(v, str) and is_period_cell(v):
            periods += 1
        else:
            texts += 1
    if text_years >= 2 and values == 0:
        return "periods"
    values += text_years
    if values == 0 and periods >= 2:
        return "periods"
    if values > 0:
        return "data"
    if periods == 1 and texts == 0:
        return "label"
    if len(cells) == 1:
        return "text"
    return "label"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_cells = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1.0, 1, True, 2020, 2020.0, "2020", " 2021 ", "2020/21", "Jun 2021", "<5", "*", "[c]", "-", "n/a",
                     "Kent Police", "Total", "12", "1,234", "", "  ", "Q1 2022", "2019-20", "Burglary", "0"]),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1)),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(_cells, max_size=7), min_size=1, max_size=12))
def test_row_kinds_with_remembered_cells_are_the_row_kinds_asked_afresh(rows) -> None:
    """Remembering what each (type, value) counts as changes no row's kind: 1, 1.0 and True,
    or "2020" and 2020, are told apart, and rows seen before read as they did."""
    from foistats.intake.detect import SheetGrid, _row_kind
    from foistats.intake.grid import normalise_grid

    grid = SheetGrid(normalise_grid([list(r) for r in rows]), [], "s")
    for _ in range(2):  # the second time, every cell is remembered
        for r in range(grid.height):
            assert _row_kind(grid, r) == _row_kind_asked_afresh(grid.rows[r])


# --- counts between 1800 and 2100 are counts, not years ---

def _cells(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(r["force"], r["period_label"], r["value"]) for r in rows]


def test_a_count_that_looks_like_a_year_is_a_count(invoke, tmp_path) -> None:
    """The files that exposed it: a count of 2010 in 2022 read as a header of periods, so the
    2022 figure vanished and 2023's was dated "2010"; a whole force's row vanished; a force
    row under the title's period and a row under a header of years were lost in turn."""
    down = tmp_path / "Kent Police FOI 24-2.csv"
    down.write_text("Year,Offences\n2021,2500\n2022,2010\n2023,2600\n", encoding="utf-8")
    rows, _ = imported(invoke, down)
    assert _cells(rows) == [("Kent Police", "2021", "2500"), ("Kent Police", "2022", "2010"), ("Kent Police", "2023", "2600")]
    across = tmp_path / "forces.csv"
    across.write_text("Force,2022,2023\nKent,2500,2600\nEssex,2010,2090\nSurrey,900,950\n", encoding="utf-8")
    rows, _ = imported(invoke, across)
    assert _cells(rows) == [
        ("Kent Police", "2022", "2500"), ("Kent Police", "2023", "2600"), ("Essex Police", "2022", "2010"),
        ("Essex Police", "2023", "2090"), ("Surrey Police", "2022", "900"), ("Surrey Police", "2023", "950"),
    ]
    titled = xlsx(tmp_path / "searches.xlsx", [["Stop and search, year ending March 2024"], [], ["Force", "Searches"], ["Kent", 1850], ["Essex", 2019], ["Surrey", 1400], ["Sussex", 2300]])
    rows, _ = imported(invoke, titled)
    assert [(f, v) for f, _, v in _cells(rows)] == [("Kent Police", "1850"), ("Essex Police", "2019"), ("Surrey Police", "1400"), ("Sussex Police", "2300")]
    assert {(r["period_start"], r["period_end"]) for r in rows} == {("2023-04-01", "2024-03-31")}  # the title's year, for every row
    under = xlsx(tmp_path / "under.xlsx", [["Force", 2021, 2022], ["Kent", 1999, 2010], ["Essex", 2500, 2600]])
    rows, _ = imported(invoke, under)
    assert _cells(rows) == [("Kent Police", "2021", "1999"), ("Kent Police", "2022", "2010"), ("Essex Police", "2021", "2500"), ("Essex Police", "2022", "2600")]


def test_headers_and_headings_of_years_stay_what_they_are(invoke, tmp_path) -> None:
    """What the rule must not take for counts: a second table's header of years in order,
    a block heading ("Kent Police | 2021") above its rows or among them, and a table of
    years as values (the Home Office's "year TASER was first issued", by force)."""
    stacked = xlsx(tmp_path / "stacked.xlsx", [["Force", 2021, 2022], ["Kent", 100, 120], ["Essex", 200, 210], [], ["Force", 2019, 2020], ["Kent", 90, 95], ["Essex", 180, 190]])
    rows, _ = imported(invoke, stacked)
    assert sorted(_cells(rows)) == sorted([
        ("Kent Police", "2021", "100"), ("Kent Police", "2022", "120"), ("Essex Police", "2021", "200"), ("Essex Police", "2022", "210"),
        ("Kent Police", "2019", "90"), ("Kent Police", "2020", "95"), ("Essex Police", "2019", "180"), ("Essex Police", "2020", "190"),
    ])
    blocks = xlsx(tmp_path / "blocks.xlsx", [["Kent Police", 2021], ["Burglary", 1500], ["Robbery", 1600], [], ["Kent Police", 2022], ["Burglary", 1700], ["Robbery", 1650]])
    rows, _ = imported(invoke, blocks)
    assert sorted(r["value"] for r in rows) == ["1500", "1600", "1650", "1700"]
    assert {r["period_label"] for r in rows} == {"2021", "2022"}
    unbroken = xlsx(tmp_path / "unbroken.xlsx", [["Kent Police", 2021], ["Burglary", 1500], ["Robbery", 1600], ["Kent Police", 2022], ["Burglary", 1700], ["Robbery", 1650]])
    rows, _ = imported(invoke, unbroken)
    assert "2022" not in [r["value"] for r in rows]  # the second heading is no count
    first_issued = xlsx(tmp_path / "taser.xlsx", [
        ["Appendix 1: Year TASER was first issued"], [], ["Police Force/Region", "First issued to AFOs", "First issued to STUs"],
        ["North East"], ["Cleveland", 2005, 2010], ["Durham", 2005, 2009], ["Northumbria", 2005, 2007], ["North West"],
        ["Cheshire", 2005, 2010], ["Cumbria", 2005, 2009],
    ])
    result = invoke("import", first_issued, "--format", "csv")
    assert "no numbers found" in result.stderr and read_csv_text(result.stdout) == []


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.one_of(st.integers(0, 3000), st.integers(1800, 2100)), min_size=3, max_size=8),
    first=st.integers(2000, 2015),
)
def test_years_down_the_rows_keep_every_count(tmp_path_factory, counts, first) -> None:
    """A `Year,Offences` table of consecutive years, counts anywhere in 0–3,000 and often
    in 1800–2100: every count is imported, under its own year. (At least one count is no
    year: a column of nothing but years, under words, may be years as values, such as the
    year each force first issued TASER in a Home Office appendix, and is no table.)"""
    from hypothesis import assume

    from conftest import CliRunner

    assume(any(not 1800 <= n <= 2100 for n in counts))

    from foistats.cli.app import app

    path = tmp_path_factory.mktemp("years") / "Kent Police FOI.csv"
    path.write_text("Year,Offences\n" + "".join(f"{first + i},{n}\n" for i, n in enumerate(counts)), encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path), "--format", "csv"])
    assert result.exit_code in (0, 1), result.output
    got = [(r["period_label"], r["value"]) for r in read_csv_text(result.stdout)]
    assert got == [(str(first + i), str(n)) for i, n in enumerate(counts)]


@settings(max_examples=60, deadline=None)
@given(table=st.lists(st.tuples(st.integers(0, 3000), st.integers(1800, 2100)), min_size=2, max_size=6), start=st.integers(2010, 2020))
def test_forces_across_years_keep_every_count(tmp_path_factory, table, start) -> None:
    """`Force,Y1,Y2` with each force's counts anywhere in 0–3,000, one of them in 1800–2100:
    every force keeps both numbers, under the header's years. (Two counts that both look
    like years and run in order, `1800 | 1801`, read as a header of years by design: a
    block's own header, `Kent Police | 2021 | 2022`, is far more common.)"""
    from hypothesis import assume

    from conftest import CliRunner
    from foistats.intake.detect import _years_in_order, as_year

    assume(not any(_years_in_order([as_year(a), as_year(b)]) for a, b in table))

    from foistats.cli.app import app

    forces = ["Kent", "Essex", "Surrey", "Sussex", "Dorset", "Gwent"][: len(table)]
    path = tmp_path_factory.mktemp("across") / "forces.csv"
    path.write_text(f"Force,{start},{start + 1}\n" + "".join(f"{f},{a},{b}\n" for f, (a, b) in zip(forces, table)), encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path), "--format", "csv"])
    assert result.exit_code in (0, 1), result.output
    got = sorted((r["force"].split()[0], r["period_label"], r["value"]) for r in read_csv_text(result.stdout))
    want = sorted([(f, str(start), str(a)) for f, (a, _) in zip(forces, table)] + [(f, str(start + 1), str(b)) for f, (_, b) in zip(forces, table)])
    assert got == want


def test_a_long_table_of_years_as_values_stays_no_table(invoke, tmp_path) -> None:
    """3,000 areas, each with two years as values ("first issued", "second issued"): no
    number in it is a count. A row whose years happen to run in order is no header for
    the rows below ("Area 5 | 1995 | 2003" names an area, not a column), so nothing is
    imported. (This sheet at 15,000 rows once took minutes: each row walked its whole block.)"""
    import random

    rng = random.Random(1)
    path = tmp_path / "first_issued.csv"
    lines = ["Force,First issued,Second issued"] + [f"Area {i},{rng.randint(1990, 2020)},{rng.randint(1990, 2020)}" for i in range(3000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("import", path, "--format", "csv")
    assert "found no numbers" in result.stderr
    assert read_csv_text(result.stdout) == []
