"""Part-year headers and the wording around bare years decide a number's months.

A force answering before its year is over writes "2023 (Jan to Jun)" or "2024 (to date)";
a table of financial years may head its columns 2021, 2022, 2023 under "Financial year
ending 31 March". Read as calendar years (or a part year as the whole year) such numbers
would be filed under the wrong period without a word: these tests hold the importer to
the part the label gives, to no period at all when it gives no end, and to a guess when
only a title or note says what the years are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foistats.model.periods import MONTH_ABBR, PartialPeriodError, month_end, parse_period

from conftest import read_csv_text, write_xlsx


def _xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    return write_xlsx(path, rows, merges)


def _rows(invoke, path: Path) -> list[dict[str, str]]:
    result = invoke("import", path, "--format", "csv")
    assert result.exit_code == 0, result.output
    return read_csv_text(result.stdout)


def _by_label(rows: list[dict[str, str]], label: str) -> dict[str, str]:
    return next(r for r in rows if r["period_label"] == label)


# ---------------------------------------------------------------- A: part-year headers


@pytest.mark.parametrize(
    ("header", "start", "end", "guessed"),
    [
        ("2023 (Jan to Jun)", "2023-01-01", "2023-06-30", False),
        ("2023 (1 Jan - 30 Jun)", "2023-01-01", "2023-06-30", False),
        ("2023 (as at 30/06/2023)", "2023-01-01", "2023-06-30", True),  # or a snapshot: said
        ("FY23/24 (to 31 Dec)", "2023-04-01", "2023-12-31", False),
        ("2023/24 (to 31/12/23)", "2023-04-01", "2023-12-31", False),
        ("2023/24 (Apr-Dec)", "2023-04-01", "2023-12-31", False),
        ("2023 (6 months)", "2023-01-01", "2023-06-30", True),  # which six months: a reading
    ],
)
def test_a_part_year_header_ends_where_it_says(invoke, tmp_path: Path, header: str, start: str, end: str, guessed: bool) -> None:
    path = _xlsx(tmp_path / "partial.xlsx", [["Surrey Police"], ["Offence", "2021", "2022", header], ["Thefts", 10, 12, 5], ["Robbery", 3, 4, 2]])
    rows = _rows(invoke, path)
    part = _by_label(rows, header)
    assert (part["period_start"], part["period_end"]) == (start, end)
    assert part["value"] == "5" and part["period_source"] == "table"
    assert bool(part["guess"]) is guessed
    whole = _by_label(rows, "2021")
    assert (whole["period_start"], whole["period_end"]) == ("2021-01-01", "2021-12-31")


@pytest.mark.parametrize(
    "header", ["2024 (to date)", "2024 YTD", "2023/24 YTD", "Jan 2024 - present", "01/04/2023 to date", "Apr 2023 - to date"]
)
def test_a_part_with_no_end_is_kept_undated_and_said(invoke, tmp_path: Path, header: str) -> None:
    path = _xlsx(tmp_path / "todate.xlsx", [["Surrey Police"], ["Offence", "2021", "2022", header], ["Thefts", 10, 12, 5]])
    rows = _rows(invoke, path)
    part = _by_label(rows, header)
    assert part["value"] == "5"  # kept
    assert part["period_start"] == "" and part["period_end"] == ""  # never the whole year, nor one day or month
    assert "does not give" in part["guess"] and repr(header) in part["guess"]
    assert part["measure"] == "Thefts"
    strict = invoke("import", path, "--format", "csv", "--strict")
    assert strict.exit_code != 0  # a guess fails --strict


def test_a_partial_financial_year_is_not_a_complete_year(invoke, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "partial_fy.xlsx",
        [["Surrey Police"], ["Offence", "2021/22", "2022/23", "2023/24 (Apr-Dec)"], ["Thefts", 10, 12, 5], ["Robbery", 3, 4, 2]],
    )
    result = invoke("periods", path, "--year-start", "apr", "--format", "csv")
    assert result.exit_code == 0, result.output
    year = next(r for r in read_csv_text(result.stdout) if r["measure"] == "Thefts" and r["year"] == "2023/24")
    assert year["status"] == "partial" and year["coverage"] == "9/12"


# ---------------------------------------------------------------- B: what bare years are


def test_b_merged_year_ending_header_over_bare_years(invoke, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "fye.xlsx",
        [["Wiltshire Police"], ["Taser discharges"], [None, "Financial year ending 31 March", None, None], ["Measure", 2021, 2022, 2023], ["Discharges", 10, 12, 14]],
        merges=("B3:D3",),
    )
    rows = _rows(invoke, path)
    assert [(r["period_start"], r["period_end"]) for r in rows] == [
        ("2020-04-01", "2021-03-31"), ("2021-04-01", "2022-03-31"), ("2022-04-01", "2023-03-31"),
    ]
    assert all(r["guess"] == "" and r["period_source"] == "table" and r["measure"] == "Discharges" for r in rows)


def test_b_year_ending_column_header_over_years_down_the_rows(invoke, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "rows.xlsx", [["Wiltshire Police"], ["Taser discharges"], ["Year ending March", "Discharges"], [2021, 10], [2022, 12], [2023, 14]])
    rows = _rows(invoke, path)
    assert [(r["period_start"], r["period_end"], r["value"]) for r in rows] == [
        ("2020-04-01", "2021-03-31", "10"), ("2021-04-01", "2022-03-31", "12"), ("2022-04-01", "2023-03-31", "14"),
    ]
    assert all(r["guess"] == "" for r in rows)


def test_b_title_naming_financial_years_is_a_guess(invoke, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "title.xlsx", [["Wiltshire Police"], ["Taser discharges, financial years 2020/21 to 2022/23"], ["Measure", 2021, 2022, 2023], ["Discharges", 10, 12, 14]])
    rows = _rows(invoke, path)
    assert [(r["period_start"], r["period_end"]) for r in rows] == [
        ("2020-04-01", "2021-03-31"), ("2021-04-01", "2022-03-31"), ("2022-04-01", "2023-03-31"),
    ]
    assert all("title" in r["guess"] and "may mean" not in r["guess"] for r in rows)


def test_b_note_saying_financial_years_is_a_guess_naming_both_readings(invoke, tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "note.xlsx",
        [["Wiltshire Police"], ["Taser discharges"], ["Measure", 2021, 2022, 2023], ["Discharges", 10, 12, 14], [], ["Note: years are financial years"]],
    )
    rows = _rows(invoke, path)
    first = rows[0]
    assert (first["period_start"], first["period_end"]) == ("2020-04-01", "2021-03-31")
    assert "note" in first["guess"] and "may mean Apr 2021–Mar 2022" in first["guess"]


def test_b_bare_years_without_such_words_stay_calendar_years(invoke, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "plain.xlsx", [["Wiltshire Police"], ["Taser discharges"], ["Measure", 2021, 2022], ["Discharges", 10, 12]])
    rows = _rows(invoke, path)
    assert [(r["period_start"], r["period_end"], r["guess"]) for r in rows] == [
        ("2021-01-01", "2021-12-31", ""), ("2022-01-01", "2022-12-31", ""),
    ]


# ---------------------------------------------------------------- the qualifier parser


_months = st.integers(min_value=1, max_value=12)


@settings(max_examples=300)
@given(year=st.integers(min_value=1990, max_value=2060), a=_months, b=_months, fy=st.booleans(), sep=st.sampled_from(["-", " to ", " - "]))
def test_a_month_range_qualifier_is_that_part_or_refused(year: int, a: int, b: int, fy: bool, sep: str) -> None:
    """Never the whole period unless the qualifier names it all; never a date outside it."""
    label = f"{year}/{(year + 1) % 100:02d}" if fy else str(year)
    whole = parse_period(label)
    text = f"{label} ({MONTH_ABBR[a]}{sep}{MONTH_ABBR[b]})"
    try:
        part = parse_period(text)
    except PartialPeriodError:
        # refused only when the months cannot run forwards inside the period
        start_year = year if not fy or a >= 4 else year + 1
        end_year = year if not fy or b >= 4 else year + 1
        assert date(end_year, b, 1) < date(start_year, a, 1)
        return
    assert whole.start <= part.start <= part.end <= whole.end
    assert part.start.month == a and part.end == month_end(part.end.year, b)
    assert (part.months == 12) == (part == whole)


@settings(max_examples=200)
@given(
    year=st.integers(min_value=1990, max_value=2060),
    word=st.sampled_from(["to date", "YTD", "year to date", "so far", "partial", "part year"]),
    paren=st.booleans(),
)
def test_open_qualifiers_never_give_a_period(year: int, word: str, paren: bool) -> None:
    text = f"{year} ({word})" if paren else f"{year} {word}"
    if not paren and word in ("partial", "part year"):
        text = f"{year} ({word})"
    with pytest.raises(PartialPeriodError):
        parse_period(text)
