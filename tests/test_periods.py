"""Period labels: every form the issue lists, the labels found in ../shared/realdata, and properties.

Expected dates are worked out by hand from the labels (inclusive start and end).
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from foistats.cli.app import app
from foistats.model.periods import (
    Period,
    PeriodError,
    aligned_label,
    aligned_period,
    find_period_in_text,
    from_excel_serial,
    long_label,
    month_from_name,
    parse_aligned,
    parse_header_pair,
    parse_period,
    parse_range_in_text,
    strip_footnote,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
REALDATA = SHARED / "realdata"
D = date


def _p(label, **kw) -> tuple[date, date, str]:
    p = parse_period(label, **kw)
    return p.start, p.end, p.granularity


# ---------------------------------------------------------------- the issue's forms

FORMS = [
    ("2021-06", D(2021, 6, 1), D(2021, 6, 30), "month"),
    ("Jun-21", D(2021, 6, 1), D(2021, 6, 30), "month"),
    ("June 2021", D(2021, 6, 1), D(2021, 6, 30), "month"),
    ("Q1 2021", D(2021, 1, 1), D(2021, 3, 31), "quarter"),
    ("2021 Q1", D(2021, 1, 1), D(2021, 3, 31), "quarter"),
    ("Q4 2020", D(2020, 10, 1), D(2020, 12, 31), "quarter"),
    ("Q1 2021/22", D(2021, 4, 1), D(2021, 6, 30), "quarter"),
    ("2021", D(2021, 1, 1), D(2021, 12, 31), "year"),
    ("2020/21", D(2020, 4, 1), D(2021, 3, 31), "financial_year"),
    ("2020-21", D(2020, 4, 1), D(2021, 3, 31), "financial_year"),
    ("2020/2021", D(2020, 4, 1), D(2021, 3, 31), "financial_year"),
    ("FY 2020/21", D(2020, 4, 1), D(2021, 3, 31), "financial_year"),
    ("FY20/21", D(2020, 4, 1), D(2021, 3, 31), "financial_year"),
    ("financial year ending March 2021", D(2020, 4, 1), D(2021, 3, 31), "financial_year"),
    ("year ending May 2023", D(2022, 6, 1), D(2023, 5, 31), "rolling_year"),
    ("YE May 2023", D(2022, 6, 1), D(2023, 5, 31), "rolling_year"),
    ("12 months to May 2023", D(2022, 6, 1), D(2023, 5, 31), "rolling_year"),
    ("June 2020 to May 2021", D(2020, 6, 1), D(2021, 5, 31), "rolling_year"),
    ("Jun 2020 - May 2021", D(2020, 6, 1), D(2021, 5, 31), "rolling_year"),
    ("01/06/2020 - 31/05/2021", D(2020, 6, 1), D(2021, 5, 31), "rolling_year"),
    ("1st June 2020 to 31st May 2021", D(2020, 6, 1), D(2021, 5, 31), "rolling_year"),
    ("between 1st April 2024 and 31st March 2025", D(2024, 4, 1), D(2025, 3, 31), "financial_year"),
    ("Jun 2020–May 2021", D(2020, 6, 1), D(2021, 5, 31), "rolling_year"),
    ("June to May 2021", D(2020, 6, 1), D(2021, 5, 31), "rolling_year"),
    ("Jan-Dec 2020", D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("1998-99", D(1998, 4, 1), D(1999, 3, 31), "financial_year"),
    ("1999-2000", D(1999, 4, 1), D(2000, 3, 31), "financial_year"),
    ("05/2021", D(2021, 5, 1), D(2021, 5, 31), "month"),
    ("2019 to 2021", D(2019, 1, 1), D(2021, 12, 31), "custom"),
    ("6 April 2020 to 5 April 2021", D(2020, 4, 6), D(2021, 4, 5), "custom"),
]


@pytest.mark.parametrize(("label", "start", "end", "granularity"), FORMS)
def test_issue_forms(label, start, end, granularity):
    assert _p(label) == (start, end, granularity)


# ---------------------------------------------------------------- labels found in ../shared/realdata

REAL = [
    # ONS PFA tables (P7, P5, titles): footnote digits glued on.
    ("Apr '07 to Mar '083", D(2007, 4, 1), D(2008, 3, 31), "3"),
    ("Apr '11 to Mar '125, 6", D(2011, 4, 1), D(2012, 3, 31), "5, 6"),
    ("Apr '10 to Mar '11", D(2010, 4, 1), D(2011, 3, 31), None),
    ("Jul '17 to Jun '18", D(2017, 7, 1), D(2018, 6, 30), None),
    ("Jul '18 to Jun '19", D(2018, 7, 1), D(2019, 6, 30), None),
    ("year ending March 181,2,3", D(2017, 4, 1), D(2018, 3, 31), "1,2,3"),
    # IOPC short financial years.
    ("04/05", D(2004, 4, 1), D(2005, 3, 31), None),
    ("12/13", D(2012, 4, 1), D(2013, 3, 31), None),
    ("19/20", D(2019, 4, 1), D(2020, 3, 31), None),
    # Home Office historical series.
    ("1997", D(1997, 1, 1), D(1997, 12, 31), None),
    ("1997/8", D(1997, 4, 1), D(1998, 3, 31), None),
    ("1998/9 (old rules)", D(1998, 4, 1), D(1999, 3, 31), None),
    ("1998/9 (new rules)59", D(1998, 4, 1), D(1999, 3, 31), "59"),
    ("1999/00", D(1999, 4, 1), D(2000, 3, 31), None),
    ("2001/0269", D(2001, 4, 1), D(2002, 3, 31), "69"),
    # Workforce snapshots and Resistance Lab headers: single days.
    ("30 September 2006", D(2006, 9, 30), D(2006, 9, 30), None),
    ("2015-12-31", D(2015, 12, 31), D(2015, 12, 31), None),
    (datetime(2014, 9, 30), D(2014, 9, 30), D(2014, 9, 30), None),
    (D(2015, 3, 31), D(2015, 3, 31), D(2015, 3, 31), None),
    ("31-03-2003", D(2003, 3, 31), D(2003, 3, 31), None),
    # data.police.uk month; bare year (context decides whether it is a snapshot).
    ("2019-04", D(2019, 4, 1), D(2019, 4, 30), None),
    ("2003", D(2003, 1, 1), D(2003, 12, 31), None),
    (2003, D(2003, 1, 1), D(2003, 12, 31), None),
]


@pytest.mark.parametrize(("label", "start", "end", "footnote"), REAL)
def test_realdata_labels(label, start, end, footnote):
    p = parse_period(label)
    assert (p.start, p.end) == (start, end)
    assert p.footnote == footnote


def test_qualifier_is_kept_in_the_note():
    p = parse_period("1998/9 (new rules)59")
    assert "new rules" in (p.note or "")


def test_twelve_months_ending_header_makes_a_rolling_year():
    # rec-crime-pfa.csv: column "12 months ending", cells DD-MM-YYYY.
    p = parse_period("31-03-2003", context="12 months ending")
    assert (p.start, p.end) == (D(2002, 4, 1), D(2003, 3, 31))
    # The mislabelled "30-12-2017" is still a year of days ending then.
    p = parse_period("30-12-2017", context="12 months ending")
    assert (p.start, p.end, p.granularity) == (D(2016, 12, 31), D(2017, 12, 30), "custom")
    assert p.is_year_long and not p.whole_months


def test_as_at_header_makes_a_bare_year_a_snapshot():
    p = parse_period("2003", context="As at 31 March...")
    assert (p.start, p.end, p.granularity) == (D(2003, 3, 31), D(2003, 3, 31), "day")
    # A title that merely mentions "year ending" does not turn months into years.
    assert _p("Jun 2022", context="Sextortion reports by month, year ending May 2023")[2] == "month"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Seizures12-13.csv", D(2012, 4, 1), D(2013, 3, 31)),
        ("april2018-march2019.csv", D(2018, 4, 1), D(2019, 3, 31)),
        ("2019-04-city-of-london-street.csv", D(2019, 4, 1), D(2019, 4, 30)),
        ("Sextortion reports, June 2020 to May 2021", D(2020, 6, 1), D(2021, 5, 31)),
        ("Reports made to the force in 2019/20", D(2019, 4, 1), D(2020, 3, 31)),
        ("policeforceareatablesyearendingmarch2018v2.xlsx", D(2017, 4, 1), D(2018, 3, 31)),
        ("policeforceareatablesyearendingjune2019.xlsx", D(2018, 7, 1), D(2019, 6, 30)),
        ("Table P7: Apr '07 to Mar '083", D(2007, 4, 1), D(2008, 3, 31)),
    ],
)
def test_find_period_in_text(text, start, end):
    p = find_period_in_text(text)
    assert p is not None and (p.start, p.end) == (start, end)


@pytest.mark.parametrize("text", ["Crime in 2019 and 2020", "iopc_forfunnel.csv", "Police force area tables", ""])
def test_find_period_in_text_none_or_ambiguous(text):
    assert find_period_in_text(text) is None


def test_parse_range_in_text_only_takes_ranges():
    p = parse_range_in_text("Sextortion reports, 1st June 2020 to 31st May 2021 (FOI 123)")
    assert p is not None and (p.start, p.end) == (D(2020, 6, 1), D(2021, 5, 31))
    assert parse_range_in_text("Reports in 2019/20") is None
    assert parse_range_in_text("June 2020 to May 2021 and June 2022 to May 2023") is None


# ---------------------------------------------------------------- headers split over two rows


@pytest.mark.parametrize(
    ("top", "bottom", "start", "end"),
    [
        ("2020", "Jun", D(2020, 6, 1), D(2020, 6, 30)),
        (2020, "Dec", D(2020, 12, 1), D(2020, 12, 31)),
        ("Jun", "2020", D(2020, 6, 1), D(2020, 6, 30)),
        ("2020/21", "Apr", D(2020, 4, 1), D(2020, 4, 30)),
        ("2020/21", "Jan", D(2021, 1, 1), D(2021, 1, 31)),  # January of 2020/21 is in 2021
        ("2020/21", "Q1", D(2020, 4, 1), D(2020, 6, 30)),
        ("2021", "Q2", D(2021, 4, 1), D(2021, 6, 30)),
        ("Financial year", "04/05", D(2004, 4, 1), D(2005, 3, 31)),  # IOPC *_By_Force sheets
        ("As at:", datetime(2015, 9, 30), D(2015, 9, 30), D(2015, 9, 30)),  # workforce tables
        ("Month", "2011-12", D(2011, 12, 1), D(2011, 12, 31)),
    ],
)
def test_two_row_headers(top, bottom, start, end):
    p = parse_header_pair(top, bottom)
    assert (p.start, p.end) == (start, end)


def test_two_row_header_that_is_not_a_period():
    with pytest.raises(PeriodError):
        parse_header_pair("2020", "Total")


# ---------------------------------------------------------------- ambiguity: resolved from context or flagged


def test_split_year_follows_the_sheets_other_windows():
    p = parse_period("2020-21", context="June 2020 to May 2021 | 2021-22 | 2022-23")
    assert (p.start, p.end) == (D(2020, 6, 1), D(2021, 5, 31))
    assert "June" in (p.note or "") and not p.ambiguous


def test_split_year_with_conflicting_context_is_flagged():
    p = parse_period("2020-21", context="April 2019 to March 2020; June 2020 to May 2021")
    assert p.ambiguous and "ambiguous" in (p.note or "")


def test_split_year_default_is_financial_year_and_says_so():
    p = parse_period("2020/21")
    assert (p.start, p.end) == (D(2020, 4, 1), D(2021, 3, 31))
    assert "financial year" in (p.note or "")
    assert parse_period("2020/21", default_year_start=6).start == D(2020, 6, 1)
    # An explicit FY is April whatever a recipe says.
    assert parse_period("FY 2020/21", default_year_start=6).start == D(2020, 4, 1)


def test_month_or_split_year_inside_a_range():
    # The other end settles it: a month range, not a year.
    assert _p("2011-12 to 2012-11") == (D(2011, 12, 1), D(2012, 11, 30), "rolling_year")
    # The sheet title "RCS 1898 to 2001-02" ends in Feb 2001 or in 2001/02: refused, not guessed.
    with pytest.raises(PeriodError):
        parse_period("1898 to 2001-02")
    assert find_period_in_text("RCS 1898 to 2001-02") is None


def test_month_or_split_year():
    p = parse_period("2011-12")
    assert p.ambiguous and (p.start, p.end) == (D(2011, 4, 1), D(2012, 3, 31))
    assert _p("2011-12", context="Month")[:2] == (D(2011, 12, 1), D(2011, 12, 31))
    assert _p("2011-12", context="2011-10 2011-11 2011-12 2012-01")[2] == "month"
    assert not parse_period("2011-12", context="2009-10 2010-11 2011-12 financial years").ambiguous


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "label",
    ["Total", "", "   ", "2020/22", "31/02/2020", "06/13/2020", "FY 2021", "year ending 2021", "Δ% 15-19x", None, True],
)
def test_unparseable_labels_raise_period_error(label):
    with pytest.raises(PeriodError):
        parse_period(label)


def test_period_error_is_a_value_error_and_says_what():
    with pytest.raises(ValueError, match="not a period"):
        parse_period("Total")
    with pytest.raises(PeriodError, match="day first"):
        parse_period("06/13/2020")


def test_numbers_are_years_unless_the_cell_is_a_date():
    assert _p(2021.0)[2] == "year"
    with pytest.raises(PeriodError):
        parse_period(43831)
    assert parse_period(43831, date_cell=True).start == D(2020, 1, 1)


def test_excel_serials():
    assert from_excel_serial(1).start == D(1900, 1, 1)
    assert from_excel_serial(59).start == D(1900, 2, 28)
    assert from_excel_serial(61).start == D(1900, 3, 1)
    assert from_excel_serial(42277).start == D(2015, 9, 30)
    assert from_excel_serial(44348.75).start == D(2021, 6, 1)
    assert from_excel_serial(0, date1904=True).start == D(1904, 1, 1)
    for bad in (0, 60, -3, 3_000_000):
        with pytest.raises(PeriodError):
            from_excel_serial(bad)


# ---------------------------------------------------------------- footnotes


@pytest.mark.parametrize(
    ("label", "clean", "marker"),
    [
        ("Apr '07 to Mar '083", "Apr '07 to Mar '08", "3"),
        ("Apr '11 to Mar '125, 6", "Apr '11 to Mar '12", "5, 6"),
        ("year ending March 181,2,3", "year ending March 18", "1,2,3"),
        ("1998/9 (new rules)59", "1998/9 (new rules)", "59"),
        ("2017/181", "2017/18", "1"),
        ("2001/0269", "2001/02", "69"),
        ("1997/83", "1997/8", "3"),
        ("June 20211", "June 2021", "1"),
        ("2020/21*", "2020/21", "*"),
        ("2020/21 [p]", "2020/21", "[p]"),
        ("2020/21", "2020/21", None),
        ("2020/2021", "2020/2021", None),
        ("year ending March 2018", "year ending March 2018", None),
        ("2021 Q1", "2021 Q1", None),
        ("04/05", "04/05", None),
    ],
)
def test_strip_footnote(label, clean, marker):
    assert strip_footnote(label) == (clean, marker)


@given(
    year=st.integers(1970, 2060),
    digits=st.lists(st.integers(1, 99), min_size=1, max_size=3),
)
def test_glued_footnotes_never_change_the_period(year, digits):
    y1, y2 = year % 100, (year + 1) % 100
    label = f"Apr '{y1:02d} to Mar '{y2:02d}"
    marker = ",".join(str(d) for d in digits)
    assert parse_period(label + marker) == parse_period(label)
    assert parse_period(label) == Period(D(year, 4, 1), D(year + 1, 3, 31))


# ---------------------------------------------------------------- names and aligned labels


@pytest.mark.parametrize(("text", "month"), [("jan", 1), ("June", 6), ("sept", 9), ("Dec.", 12), ("4", 4), (11, 11)])
def test_month_from_name(text, month):
    assert month_from_name(text) == month


@pytest.mark.parametrize("text", ["", "jun2", "13", "0", "juno", 0])
def test_month_from_name_rejects(text):
    with pytest.raises(PeriodError):
        month_from_name(text)


def test_aligned_labels():
    assert aligned_label(2020, 6) == "2020/21"
    assert aligned_label(1999, 4) == "1999/00"
    assert aligned_label(2020, 1) == "2020"
    assert aligned_period(2020, 6) == Period(D(2020, 6, 1), D(2021, 5, 31))
    assert long_label(aligned_period(2020, 6)) == "Jun 2020–May 2021"
    assert long_label(Period(D(2015, 9, 30), D(2015, 9, 30))) == "30 Sep 2015"
    assert long_label(parse_period("2021-06")) == "Jun 2021"


def test_parse_aligned_forms():
    assert parse_aligned("2020/21", 6) == 2020
    assert parse_aligned("2020-21", 6) == 2020
    assert parse_aligned("2020/2021", 6) == 2020
    assert parse_aligned("Jun 2020–May 2021", 6) == 2020
    assert parse_aligned("June 2020 to May 2021", "jun") == 2020
    assert parse_aligned("year ending May 2021", 6) == 2020
    assert parse_aligned("2011-12", 4) == 2011  # never a month here
    assert parse_aligned("2020", 1) == 2020


def test_parse_aligned_refuses_a_bare_end_year_and_a_mismatched_window():
    with pytest.raises(PeriodError, match="2020/21.*2021/22"):
        parse_aligned("2021", 6)
    with pytest.raises(PeriodError, match="June"):
        parse_aligned("April 2020 to March 2021", 6)
    with pytest.raises(PeriodError):
        parse_aligned("2020/21", 1)


@given(year=st.integers(1900, 2150), start=st.integers(1, 12))
def test_aligned_label_round_trip(year, start):
    assert parse_aligned(aligned_label(year, start), start) == year
    period = aligned_period(year, start)
    assert parse_aligned(long_label(period), start) == year
    assert parse_period(long_label(period)) == period
    assert period.months == 12 and period.is_year_long and period.start_month == start


# ---------------------------------------------------------------- day-first dates

dates = st.dates(min_value=D(1950, 1, 1), max_value=D(2099, 12, 31))


@given(d=dates, sep=st.sampled_from(["/", "-", "."]), pad=st.booleans())
def test_numeric_dates_are_day_first(d, sep, pad):
    text = f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}" if pad else f"{d.day}{sep}{d.month}{sep}{d.year}"
    assert parse_period(text) == Period(d, d)


@given(d=dates)
def test_day_first_never_read_month_first(d):
    text = f"{d.day:02d}/{d.month:02d}/{d.year}"
    if d.day <= 12 and d.day != d.month:
        # The US reading would give another valid date: it must not be taken.
        assert parse_period(text).start.month == d.month
    if d.day > 12:
        with pytest.raises(PeriodError):
            parse_period(f"{d.month:02d}/{d.day:02d}/{d.year}")


@given(a=dates, days=st.integers(0, 800))
def test_day_first_ranges(a, days):
    b = a + timedelta(days=days)
    text = f"{a:%d/%m/%Y} - {b:%d/%m/%Y}"
    p = parse_period(text)
    assert (p.start, p.end) == (a, b)


@given(d=dates)
def test_written_dates(d):
    assert parse_period(f"{d.day} {d:%B} {d.year}") == Period(d, d)
    assert parse_period(f"{d.day}{'st' if d.day in (1, 21, 31) else 'th'} {d:%b} {d.year}").start == d


@given(first=st.integers(1990 * 12, 2060 * 12), length=st.integers(1, 36))
def test_month_ranges(first, length):
    last = first + length - 1
    y1, m1 = divmod(first, 12)
    y2, m2 = divmod(last, 12)
    p = parse_period(f"{date(y1, m1 + 1, 1):%B} {y1} to {date(y2, m2 + 1, 1):%b} {y2}")
    assert p.start == date(y1, m1 + 1, 1)
    assert p.months == length and p.whole_months


# ---------------------------------------------------------------- the real files


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared real data not found at {path}")
    return path


def test_real_custody_headers_are_financial_years():
    path = _need(REALDATA / "homeoffice-resistancelab" / "custody_fatalities_by_force.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    years = header[1:-1]
    assert years[0] == "04/05" and years[-1] == "19/20"
    periods = [parse_period(h) for h in years]
    assert [p.start for p in periods] == [D(y, 4, 1) for y in range(2004, 2020)]
    with pytest.raises(PeriodError):
        parse_period(header[-1])  # "Total" is not a period


def test_real_rolling_year_dates():
    path = _need(REALDATA / "homeoffice-rec-crime-pfa" / "rec-crime-pfa.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        labels = {row[0] for row in reader if row}
    assert header[0] == "12 months ending"
    for label in sorted(labels):
        p = parse_period(label, context=header[0])
        assert p.end.strftime("%d-%m-%Y") == label and p.is_year_long
    p = parse_period("31-03-2018", context=header[0])
    assert (p.start, p.end) == (D(2017, 4, 1), D(2018, 3, 31))


def test_real_file_names():
    seizures = _need(REALDATA / "britishdrugdynamics" / "Seizures12-13.csv")
    p = find_period_in_text(seizures.name)
    assert p == Period(D(2012, 4, 1), D(2013, 3, 31))
    month = find_period_in_text("2020-04-city-of-london-street.csv")
    assert month == Period(D(2020, 4, 1), D(2020, 4, 30))


# ---------------------------------------------------------------- CLI: --label

runner = CliRunner()


def test_cli_label_csv():
    result = runner.invoke(
        app,
        ["periods", "--label", "2020/21", "--label", "Apr '11 to Mar '12", "--label", "YE May 2023", "--format", "csv"],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "label,start,end,granularity",
        "2020/21,2020-04-01,2021-03-31,financial_year",
        "Apr '11 to Mar '12,2011-04-01,2012-03-31,financial_year",
        "YE May 2023,2022-06-01,2023-05-31,rolling_year",
    ]
    assert "financial year" in result.stderr


def test_cli_label_json_shows_footnote_on_stderr():
    result = runner.invoke(app, ["periods", "-l", "Apr '07 to Mar '083", "--format", "json"])
    assert result.exit_code == 0
    assert '"start": "2007-04-01"' in result.stdout and '"end": "2008-03-31"' in result.stdout
    assert "footnote" in result.stderr and "3" in result.stderr


def test_cli_bad_label_is_a_usage_error():
    result = runner.invoke(app, ["periods", "--label", "Total"])
    assert result.exit_code == 2
    assert "Total" in result.stderr and "Traceback" not in result.stderr


def test_cli_needs_data_or_label():
    result = runner.invoke(app, ["periods"])
    assert result.exit_code == 2
