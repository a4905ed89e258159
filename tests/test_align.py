"""Aligning tidy rows into comparison years: sums, coverage, ranges, misaligned and refused years.

Expected totals are added up by hand in the comments (or, in the property test, by a
plain loop over months that shares no code with foistats.align).
"""

from __future__ import annotations

import calendar
import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from foistats.analysis.align import AlignedYear, Alignment, align, infer_year_start
from foistats.cli.app import app
from foistats.model.errors import UsageError
from foistats.model.schema import TidyRow, to_frame

DATA = Path(__file__).resolve().parent / "data"
runner = CliRunner()


def _end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def row(
    start: date | None,
    end: date | None,
    value: float | None,
    *,
    force: str = "Leicestershire Police",
    status: str = "ok",
    low: float | None = None,
    high: float | None = None,
    label: str = "",
    measure: str = "Sextortion reports",
    kind: str = "force",
    cell: str = "A1",
    note: str | None = None,
) -> TidyRow:
    return TidyRow(
        force=force, force_code=None, area_kind=kind, measure=measure, period_start=start, period_end=end,
        period_label=label or (f"{start}–{end}" if start else ""), value=value, status=status,
        value_low=low, value_high=high, source_file="f.xlsx", source_sheet="S", source_cell=cell, note=note,
    )


def month(y: int, m: int, value: float | None, **kw) -> TidyRow:
    return row(date(y, m, 1), _end(y, m), value, label=kw.pop("label", f"{calendar.month_abbr[m]}-{y % 100:02d}"), **kw)


def months(first: tuple[int, int], n: int, values) -> list[TidyRow]:
    y, m = first
    out = []
    for i in range(n):
        yy, mm = divmod((y * 12 + m - 1) + i, 12)
        v = values(i) if callable(values) else values
        out.append(month(yy, mm + 1, v))
    return out


def one(alignment: Alignment, year: int, force: str = "Leicestershire Police") -> AlignedYear:
    found = [y for y in alignment.years if y.year == year and y.force == force]
    assert len(found) == 1, alignment.years
    return found[0]


# ---------------------------------------------------------------- sums and coverage


def test_monthly_summed_into_june_may_years():
    # Jun 2020 … May 2021 valued 1 … 12: 1+2+…+12 = 78.
    frame = to_frame(months((2020, 6), 12, lambda i: i + 1))
    result = align(frame, 6)
    y = one(result, 2020)
    assert (y.value, y.status, y.months_covered, y.months_expected) == (78, "ok", 12, 12)
    assert (y.start, y.end) == (date(2020, 6, 1), date(2021, 5, 31))
    assert y.label == "2020/21" and y.complete and y.usable and not y.misaligned
    assert len(result.years) == 1 and result.year_start == 6


def test_the_same_months_under_january_are_two_partial_years():
    # Jun–Dec 2020 = 1+…+7 = 28 (7 months); Jan–May 2021 = 8+…+12 = 50 (5 months).
    frame = to_frame(months((2020, 6), 12, lambda i: i + 1))
    result = align(frame, 1)
    a, b = one(result, 2020), one(result, 2021)
    assert (a.value, a.status, a.months_covered) == (28, "partial", 7)
    assert (b.value, b.status, b.months_covered) == (50, "partial", 5)
    assert a.label == "2020" and not a.usable


def test_partial_year_is_usable_only_when_allowed():
    frame = to_frame(months((2021, 6), 7, 3))  # Jun–Dec 2021: 7 × 3 = 21
    y = one(align(frame, 6), 2021)
    assert (y.value, y.status, y.months_covered, y.usable, y.complete) == (21, "partial", 7, False, False)
    y = one(align(frame, 6, allow_partial=True), 2021)
    assert y.status == "partial" and y.usable


def test_quarters_are_summed_too():
    rows = [
        row(date(2020, 4, 1), date(2020, 6, 30), 10, label="Q1 2020/21"),
        row(date(2020, 7, 1), date(2020, 9, 30), 20, label="Q2 2020/21"),
        row(date(2020, 10, 1), date(2020, 12, 31), 30, label="Q3 2020/21"),
        row(date(2021, 1, 1), date(2021, 3, 31), 40, label="Q4 2020/21"),
    ]
    y = one(align(to_frame(rows), 4), 2020)
    assert (y.value, y.status, y.months_covered) == (100, "ok", 12)


def test_a_month_reported_twice_is_counted_once_with_a_warning():
    # Q1 2021 (Jan–Mar = 30) plus a separate February row (10): February is inside Q1.
    rows = [row(date(2021, 1, 1), date(2021, 3, 31), 30, label="Q1 2021"), month(2021, 2, 10, label="Feb 2021")]
    rows += months((2021, 4), 9, 5)  # Apr–Dec: 9 × 5 = 45
    result = align(to_frame(rows), 1)
    y = one(result, 2021)
    assert (y.value, y.months_covered, y.status) == (75, 12, "ok")
    assert any("Feb 2021 reported twice" in w for w in result.warnings)


# ---------------------------------------------------------------- suppression


def test_suppressed_month_makes_the_year_a_range():
    # 11 months of 5 = 55, plus September "<5" (1–4): 56 to 59.
    rows = [
        month(2020, 9, None, status="suppressed", low=1, high=4) if (i == 3) else r
        for i, r in enumerate(months((2020, 6), 12, 5))
    ]
    y = one(align(to_frame(rows), 6), 2020)
    assert (y.value, y.low, y.high, y.status, y.months_covered) == (None, 56, 59, "range", 12)
    assert not y.usable


def test_suppressed_without_upper_bound_is_open_ended():
    rows = months((2020, 6), 11, 2) + [month(2021, 5, None, status="suppressed")]
    y = one(align(to_frame(rows), 6), 2020)
    assert (y.value, y.low, y.high, y.status) == (None, 22, None, "range")


def test_all_months_suppressed_is_suppressed():
    rows = [month(2020, 6 + i, None, status="suppressed", low=1, high=4) for i in range(7)]
    rows += [month(2021, 1 + i, None, status="suppressed", low=1, high=4) for i in range(5)]
    y = one(align(to_frame(rows), 6), 2020)
    assert (y.low, y.high, y.status) == (12, 48, "suppressed")


def test_suppressed_year_long_row():
    y = one(align(to_frame([row(date(2020, 6, 1), date(2021, 5, 31), None, status="suppressed", low=1, high=4)]), 6), 2020)
    assert (y.value, y.low, y.high, y.status) == (None, 1, 4, "suppressed")


# ---------------------------------------------------------------- misaligned years


def test_financial_year_under_june_is_misaligned_with_ten_months_overlap():
    fy = row(date(2020, 4, 1), date(2021, 3, 31), 40, label="2020/21", force="Northamptonshire Police")
    result = align(to_frame([fy]), 6)
    y = one(result, 2020, "Northamptonshire Police")
    assert (y.status, y.misaligned, y.overlap_months, y.value) == ("misaligned", True, 10, 40)
    assert (y.start, y.end) == (date(2020, 6, 1), date(2021, 5, 31))
    assert y.source_labels == ["2020/21"] and not y.usable and not y.complete
    assert one(align(to_frame([fy]), 6, include_misaligned=True), 2020, "Northamptonshire Police").usable


def test_misaligned_goes_to_the_year_it_overlaps_most():
    # Jul 2019–Jun 2020 under April: 9 months with 2019/20 (Jul–Mar), 3 with 2020/21.
    y = align(to_frame([row(date(2019, 7, 1), date(2020, 6, 30), 7)]), 4).years
    assert [(a.year, a.overlap_months) for a in y] == [(2019, 9)]


def test_exact_year_beats_misaligned_and_months_are_checked_against_it():
    rows = [row(date(2020, 6, 1), date(2021, 5, 31), 30, label="June 2020 to May 2021")]
    rows += months((2020, 6), 12, 2)  # sums to 24, not 30
    result = align(to_frame(rows), 6)
    y = one(result, 2020)
    assert (y.value, y.status) == (30, "ok")
    assert any("differs" in w for w in result.warnings)


# ---------------------------------------------------------------- duplicates, refusals, kinds


def test_duplicate_rows_that_agree_are_counted_once():
    a = row(date(2020, 6, 1), date(2021, 5, 31), 28, cell="B2")
    b = row(date(2020, 6, 1), date(2021, 5, 31), 28, cell="C9")
    result = align(to_frame([a, b]), 6)
    y = one(result, 2020)
    assert (y.value, y.status) == (28, "ok")
    assert len(y.source_cells) == 2 and any("counted once" in w for w in result.warnings)


def test_duplicate_rows_that_disagree_are_a_range_and_a_warning():
    a = row(date(2020, 6, 1), date(2021, 5, 31), 28, cell="B2")
    b = row(date(2020, 6, 1), date(2021, 5, 31), 30, cell="C9")
    result = align(to_frame([a, b]), 6)
    y = one(result, 2020)
    assert (y.value, y.low, y.high, y.status) == (None, 28, 30, "range")
    assert any("disagree" in w for w in result.warnings)


def test_refusal_without_a_period_surfaces_for_every_year():
    rows = [
        row(date(2020, 6, 1), date(2021, 5, 31), 28),
        row(date(2022, 6, 1), date(2023, 5, 31), 152),
        row(None, None, None, force="Nottinghamshire Police", status="refused", note="s12 cost limit"),
    ]
    result = align(to_frame(rows), 6)
    notts = [y for y in result.years if y.force == "Nottinghamshire Police"]
    assert [(y.year, y.status) for y in notts] == [(2020, "refused"), (2022, "refused")]
    assert notts[0].notes[0] == "s12 cost limit" and notts[0].value is None and not notts[0].usable


def test_dated_refusal_and_no_data():
    rows = [
        row(date(2020, 6, 1), date(2023, 5, 31), None, force="Kent Police", status="refused", note="s12"),
        row(date(2020, 6, 1), date(2021, 5, 31), None, force="Essex Police", status="no_data"),
    ]
    result = align(to_frame(rows), 6)
    assert [(y.year, y.status) for y in result.years if y.force == "Kent Police"] == [
        (2020, "refused"), (2021, "refused"), (2022, "refused"),
    ]
    assert one(result, 2020, "Essex Police").status == "no_data"


def test_region_rows_keep_their_kind():
    rows = [row(date(2020, 6, 1), date(2021, 5, 31), 100, force="East Midlands", kind="region")]
    y = one(align(to_frame(rows), 6), 2020, "East Midlands")
    assert y.area_kind == "region" and y.value == 100


def test_snapshot_is_not_summed():
    rows = [row(date(2015, 3, 31), date(2015, 3, 31), 1900), row(date(2015, 9, 30), date(2015, 9, 30), 1904)]
    result = align(to_frame(rows), 4)
    assert [(y.year, y.value) for y in result.years] == [(2014, 1900), (2015, 1904)]


def test_periods_that_cannot_be_aligned_are_warned_about():
    rows = [row(date(2020, 5, 1), date(2020, 7, 31), 9, label="May–Jul 2020")]  # straddles June
    result = align(to_frame(rows), 6)
    assert result.years == [] and any("spans two" in w for w in result.warnings)


# ---------------------------------------------------------------- year start inference


def test_infer_year_start_from_shared_start():
    frame = to_frame([row(date(2020, 6, 1), date(2021, 5, 31), 1), row(date(2021, 6, 1), date(2022, 5, 31), 2)])
    assert infer_year_start(frame) == 6
    result = align(frame)
    assert result.year_start == 6 and result.year_start_source == "data"


def test_infer_year_start_refuses_disagreement():
    frame = to_frame(
        [row(date(2020, 6, 1), date(2021, 5, 31), 1), row(date(2020, 4, 1), date(2021, 3, 31), 2, label="2020/21")]
    )
    with pytest.raises(UsageError, match="(?s)June.*April|April.*June") as exc:
        infer_year_start(frame)
    assert exc.value.exit_code == 2


def test_infer_year_start_refuses_monthly_only():
    with pytest.raises(UsageError, match="no year-long periods"):
        infer_year_start(to_frame(months((2020, 1), 24, 1)))


# ---------------------------------------------------------------- property: sums equal hand sums


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(2015 * 12, 2022 * 12),
    values=st.lists(st.integers(0, 10_000), min_size=1, max_size=40),
    year_start=st.integers(1, 12),
)
def test_monthly_sums_match_hand_sums(first, values, year_start):
    rows = []
    for i, v in enumerate(values):
        y, m = divmod(first + i, 12)
        rows.append(month(y, m + 1, v))
    result = align(to_frame(rows), year_start)
    hand: dict[int, list[int]] = {}
    for i, v in enumerate(values):
        y, m = divmod(first + i, 12)
        aligned = y if m + 1 >= year_start else y - 1
        hand.setdefault(aligned, []).append(v)
    assert sorted(hand) == [y.year for y in result.years]
    for y in result.years:
        assert y.value == sum(hand[y.year])
        assert y.months_covered == len(hand[y.year])
        assert y.status == ("ok" if len(hand[y.year]) == 12 else "partial")
        assert y.start == date(y.year, year_start, 1)


# ---------------------------------------------------------------- CLI


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_cli_monthly_june_years():
    result = runner.invoke(app, ["periods", str(DATA / "tidy_monthly.csv"), "--year-start", "jun", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = {(r["force"], r["year"]): r for r in _csv(result.stdout)}
    leics = rows[("Leicestershire Police", "2020/21")]
    # 12 months × 2 = 24.
    assert (leics["value"], leics["status"], leics["coverage"]) == ("24", "ok", "12/12")
    assert (leics["period_start"], leics["period_end"], leics["period"]) == ("2020-06-01", "2021-05-31", "Jun 2020–May 2021")
    partial = rows[("Leicestershire Police", "2021/22")]
    # Jun–Dec 2021: 7 × 3 = 21.
    assert (partial["value"], partial["status"], partial["coverage"]) == ("21", "partial", "7/12")
    assert "excluded" in partial["flags"]
    gmp = rows[("Greater Manchester Police", "2020/21")]
    # 11 × 5 = 55, plus September <5 (1–4): 56–59.
    assert (gmp["value"], gmp["value_low"], gmp["value_high"], gmp["status"]) == ("", "56", "59", "range")
    assert "June" in result.stderr and "--year-start" in result.stderr
    assert list(_csv(result.stdout)[0]) == [
        "force", "force_code", "measure", "year", "period", "period_start", "period_end", "value",
        "value_low", "value_high", "status", "coverage", "sources", "flags",
    ]


def test_cli_monthly_without_year_start_asks_for_one():
    result = runner.invoke(app, ["periods", str(DATA / "tidy_monthly.csv"), "--format", "csv"])
    assert result.exit_code == 2
    assert "--year-start" in result.stderr and "month" in result.stderr
    assert result.stdout == ""


def test_cli_mixed_year_starts_ask_for_one():
    result = runner.invoke(app, ["periods", str(DATA / "tidy_mixed.csv")])
    assert result.exit_code == 2
    assert "June" in result.stderr and "April" in result.stderr


def test_cli_misaligned_and_refused():
    args = ["periods", str(DATA / "tidy_mixed.csv"), "--year-start", "jun", "--format", "csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    rows = {(r["force"], r["year"]): r for r in _csv(result.stdout)}
    north = rows[("Northamptonshire Police", "2020/21")]
    assert (north["status"], north["coverage"], north["value"]) == ("misaligned", "10/12", "40")
    assert "excluded" in north["flags"]
    notts = rows[("Nottinghamshire Police", "2022/23")]
    assert notts["status"] == "refused" and "s12" in notts["flags"]
    assert "not a force" in rows[("East Midlands", "2020/21")]["flags"]
    included = runner.invoke(app, args + ["--include-misaligned"])
    north = {(r["force"], r["year"]): r for r in _csv(included.stdout)}[("Northamptonshire Police", "2020/21")]
    assert north["status"] == "misaligned" and "included" in north["flags"]
    assert "--include-misaligned" in included.stderr


def test_cli_force_filter_and_allow_partial():
    result = runner.invoke(
        app,
        ["periods", str(DATA / "tidy_monthly.csv"), "--year-start", "jun", "--force", "Leics", "--allow-partial", "-f", "json"],
    )
    assert result.exit_code == 0, result.stderr
    import json

    rows = json.loads(result.stdout)
    assert {r["force"] for r in rows} == {"Leicestershire Police"}
    assert [r["year"] for r in rows] == ["2020/21", "2021/22"]
    assert "included (--allow-partial)" in rows[1]["flags"]
    assert "--allow-partial" in result.stderr


def test_cli_bad_year_start():
    result = runner.invoke(app, ["periods", str(DATA / "tidy_monthly.csv"), "--year-start", "junetember"])
    assert result.exit_code == 2 and "not a month" in result.stderr


def test_nil_month_counts_as_zero_and_says_so():
    # 11 months of 4 = 44; March reported as "-" (nil).
    rows = [month(2021, 3, None, status="nil") if r.period_start == date(2021, 3, 1) else r for r in months((2020, 6), 12, 4)]
    result = align(to_frame(rows), 6)
    y = result.get("Leicestershire Police", "Sextortion reports", 2020)
    assert y is not None and (y.value, y.status, y.months_covered) == (44, "ok", 12)
    assert "nil counted as 0" in y.notes


def _tidy_with_totals(path: Path) -> Path:
    """Quarters for two financial years per force, and each year's printed total marked is_total
    (off by 1,000 on purpose: it must never be added to, or preferred over, its own quarters)."""
    header = "force,area_kind,measure,period_start,period_end,period_label,value,status,source_file,source_cell,is_total\n"
    lines = []
    quarters = [("04-01", "06-30", 0), ("07-01", "09-30", 0), ("10-01", "12-31", 0), ("01-01", "03-31", 1)]
    for force, values in (("Kent Police", (10, 40)), ("Essex Police", (20, 30))):
        for year, per_quarter in zip((2020, 2022), values):
            for i, (start, end, bump) in enumerate(quarters):
                y = year + bump
                lines.append(f"{force},force,Arrests,{y}-{start},{y}-{end},Q{i + 1},{per_quarter},ok,f.csv,B{i},false")
            lines.append(f"{force},force,Arrests,{year}-04-01,{year + 1}-03-31,Total,{per_quarter * 4 + 1000},ok,f.csv,F1,true")
    lines.append("England and Wales,national,Arrests,2020-04-01,2021-03-31,Total,99999,ok,f.csv,Z9,true")
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_printed_totals_are_never_summed_again_with_their_parts(tmp_path: Path) -> None:
    import polars as pl

    from foistats.model.schema import conform

    frame = conform(pl.read_csv(_tidy_with_totals(tmp_path / "t.csv"), try_parse_dates=True))
    alignment = align(frame, 4)
    kent = {y.year: y.value for y in alignment.years if y.force == "Kent Police"}
    assert kent == {2020: 40, 2022: 160}  # the quarters, not 1,040 nor 2,080
    assert not [w for w in alignment.warnings if "twice" in w]


def test_rank_and_rise_use_the_parts_not_the_printed_total(tmp_path: Path) -> None:
    path = _tidy_with_totals(tmp_path / "t.csv")
    result = CliRunner().invoke(app, ["rank", str(path), "--year-start", "apr", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = {r["force"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert set(rows) == {"Kent Police", "Essex Police"}  # the national total is not a force
    assert (rows["Kent Police"]["from_value"], rows["Kent Police"]["to_value"]) == ("40", "160")
    assert rows["Kent Police"]["rank"] == "1"
