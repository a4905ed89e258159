"""Three defects in the year alignment and the ranking, each driven through the CLI.

1. Monthly percentages were summed into years (twelve months at 10% became 120%) and the
   sums ranked. A percentage or rate describes its own period: no year is built from parts.
2. Parts were added as floats, so twelve months of 1.1 made 13.199999999999998 and split a
   three-way tie at +32%. Parts are now added exactly, in any order.
3. A "nil" endpoint (which may mean "no information held") was ranked as a real 0 by
   --by change and --by to. It is now never ranked, whatever --by is, and says why.

Every expected figure is worked out by hand in the comments.
"""

from __future__ import annotations

import calendar
import csv
import io
import random
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foistats.analysis.align import align
from foistats.model.schema import TidyRow, to_frame

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sextortion"
HEADER = (
    "force,force_code,area_kind,measure,period_start,period_end,period_label,value,status,value_low,"
    "value_high,source_file,source_sheet,source_cell,note,force_source,period_source,measure_source,"
    "guess,is_total,unit"
)
NIL_WORDS = "may mean no information held or a real zero; confirm with the force"


@pytest.fixture(autouse=True)
def _no_campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A foistats.toml in the working folder would add a roster; run from an empty one.
    monkeypatch.chdir(tmp_path)


def _rows(result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _months(first: tuple[int, int], n: int) -> list[tuple[date, date]]:
    y, m = first
    out = []
    for i in range(n):
        yy, mm = divmod(y * 12 + m - 1 + i, 12)
        out.append((date(yy, mm + 1, 1), date(yy, mm + 1, calendar.monthrange(yy, mm + 1)[1])))
    return out


def _tidy_line(force: str, start: date, end: date, value: str, *, status: str = "ok", unit: str = "count",
               measure: str = "Reports") -> str:
    return (
        f"{force},,force,{measure},{start},{end},{start:%b %Y},{value},{status},,,x.csv,,,,"
        f"table,table,table,,false,{unit}"
    )


# ---------------------------------------------------------------- 1. percentages are not summed


def _kent_charge_rate(folder: Path) -> Path:
    """Kent's monthly charge rate: 10% Apr 2020–Mar 2022, then 12% to Mar 2023 (36 months)."""
    folder.mkdir()
    lines = ["Month,Charge rate (%)"]
    for start, _ in _months((2020, 4), 36):
        lines.append(f"{start:%b %Y},{'10%' if start < date(2022, 4, 1) else '12%'}")
    (folder / "Kent Police FOI 123 charge rate.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_monthly_percentages_are_never_summed_into_a_year(invoke, tmp_path: Path) -> None:
    raw = _kent_charge_rate(tmp_path / "raw")
    tidy = tmp_path / "t.csv"
    assert invoke("import", raw, "-o", tidy).exit_code == 0
    assert {r["unit"] for r in csv.DictReader(tidy.open(encoding="utf-8"))} == {"%"}

    years = _rows(invoke("periods", tidy, "--year-start", "apr", "-f", "csv"))
    # Before the fix: 2020/21 = 120 and 2022/23 = 144 (12 × 10, 12 × 12), status ok.
    assert [r["year"] for r in years] == ["2020/21", "2021/22", "2022/23"]
    for r in years:
        assert r["value"] == "" and r["status"] == "not_summed", r
        assert "percentages are not added up over months" in r["flags"]

    ranked = _rows(invoke("rank", tidy, "--year-start", "apr", "--from", "2020/21", "--to", "2022/23", "-f", "csv"))
    kent = ranked[0]
    assert kent["force"] == "Kent Police" and kent["rank"] == "" and kent["pct_change"] == ""
    assert "not_summed" in kent["flags"]
    assert "percentages are not added up over months" in kent["reason"]


def test_year_long_percentages_are_compared_in_percentage_points(invoke, tmp_path: Path) -> None:
    """A year's % given directly may be compared; 10% → 12% is +2 points (+20% relative)."""
    tidy = tmp_path / "pct.csv"
    lines = [HEADER]
    for force, a, b in (("Essex Police", "10", "12"), ("Surrey Police", "20", "21")):
        lines.append(_tidy_line(force, date(2020, 4, 1), date(2021, 3, 31), a, unit="%", measure="Charge rate"))
        lines.append(_tidy_line(force, date(2022, 4, 1), date(2023, 3, 31), b, unit="%", measure="Charge rate"))
    tidy.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = invoke("rank", tidy, "--year-start", "apr", "--min-base", "0", "-f", "csv", "--force", "Essex")
    rows = {r["force"]: r for r in _rows(result)}
    assert rows["Essex Police"]["rank"] == "1" and rows["Essex Police"]["change"] == "2"
    assert "percentage_points" in rows["Essex Police"]["flags"]
    assert "+2 percentage points, a relative change of +20%" in result.stderr


# ---------------------------------------------------------------- 2. exact sums keep ties


def test_float_noise_never_splits_a_tie(invoke, tmp_path: Path) -> None:
    """Kent 10 → twelve months of 1.1 (= 13.2), Essex 10 → 13.2, Surrey 100 → 132: all +32%."""
    lines = [HEADER, _tidy_line("Kent Police", date(2020, 6, 1), date(2021, 5, 31), "10")]
    lines += [_tidy_line("Kent Police", s, e, "1.1") for s, e in _months((2022, 6), 12)]
    for force, a, b in (("Essex Police", "10", "13.2"), ("Surrey Police", "100", "132")):
        lines.append(_tidy_line(force, date(2020, 6, 1), date(2021, 5, 31), a))
        lines.append(_tidy_line(force, date(2022, 6, 1), date(2023, 5, 31), b))
    tidy = tmp_path / "t1.csv"
    tidy.write_text("\n".join(lines) + "\n", encoding="utf-8")

    rows = {r["force"]: r for r in _rows(invoke("rank", tidy, "--year-start", "jun", "--min-base", "0", "-f", "csv"))}
    # Before the fix: Kent 3rd with 13.199999999999998 and 31.99999999999998%.
    assert {f: (r["rank"], r["place"]) for f, r in rows.items()} == {
        f: ("1", "joint 1st") for f in ("Essex Police", "Kent Police", "Surrey Police")
    }
    assert (rows["Kent Police"]["to_value"], rows["Kent Police"]["change"], rows["Kent Police"]["pct_change"]) == (
        "13.2", "3.2", "32",
    )


_MONTHS = _months((2020, 6), 12)


@settings(max_examples=200)
@given(
    values=st.lists(
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
        min_size=12,
        max_size=12,
    ),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_months_sum_exactly_in_any_order(values, seed: int) -> None:
    """Twelve months, in the order given and shuffled, sum to the same exact decimal total."""
    rows = [
        TidyRow(
            force="Kent Police", force_code=None, area_kind="force", measure="Reports", period_start=s,
            period_end=e, period_label=f"{s:%b %Y}", value=float(v), status="ok", value_low=None,
            value_high=None, source_file="f.csv", source_sheet=None, source_cell=f"B{i + 2}", unit="count",
        )
        for i, ((s, e), v) in enumerate(zip(_MONTHS, values))
    ]
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    # The total worked out apart from foistats: each value as the decimal it was written as.
    expected = float(sum((Fraction(str(v)) for v in values), Fraction(0)))
    totals = set()
    for order in (rows, shuffled, rows[::-1]):
        (year,) = align(to_frame(order), 6).years
        assert year.status == "ok"
        totals.add(year.value)
    assert totals == {expected}


# ---------------------------------------------------------------- 3. nil is never ranked as 0


@pytest.fixture(scope="module")
def sextortion(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (EXAMPLE / "foistats.toml").exists():
        pytest.skip("examples/sextortion is not present")
    from typer.testing import CliRunner

    from foistats.cli.app import app

    out = tmp_path_factory.mktemp("sext") / "sext.csv"
    result = CliRunner().invoke(app, ["import", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize("by", ["change", "to", "pct"])
def test_nil_endpoint_is_never_ranked(invoke, sextortion: Path, by: str) -> None:
    """City of London's 'Nil' in every cell: before the fix 37th by change, 41st by final figure."""
    result = invoke("rank", sextortion, "--year-start", "jun", "--by", by, "-f", "csv")
    rows = {r["force"]: r for r in _rows(result)}
    city = rows["City of London Police"]
    assert city["rank"] == "" and "nil" in city["flags"], city
    assert "nil return" in city["reason"] and NIL_WORDS in city["reason"]
    assert "City of London Police — nil return" in result.stderr  # the "Not ranked" list


def test_nil_to_value_is_not_a_fall_to_zero(invoke, tmp_path: Path) -> None:
    """Kent 20 → nil was ranked 4th with -100%; now it is not ranked and rise computes nothing."""
    lines = [HEADER]
    for force, a, b in (("Essex Police", "10", "30"), ("Surrey Police", "20", "30"), ("Sussex Police", "40", "20")):
        lines.append(_tidy_line(force, date(2020, 6, 1), date(2021, 5, 31), a))
        lines.append(_tidy_line(force, date(2022, 6, 1), date(2023, 5, 31), b))
    lines.append(_tidy_line("Kent Police", date(2020, 6, 1), date(2021, 5, 31), "20"))
    lines.append(_tidy_line("Kent Police", date(2022, 6, 1), date(2023, 5, 31), "", status="nil"))
    tidy = tmp_path / "nil.csv"
    tidy.write_text("\n".join(lines) + "\n", encoding="utf-8")

    for by in ("pct", "change", "to"):
        kent = {r["force"]: r for r in _rows(invoke("rank", tidy, "--year-start", "jun", "--by", by, "-f", "csv"))}
        assert kent["Kent Police"]["rank"] == "", (by, kent["Kent Police"])
        assert NIL_WORDS in kent["Kent Police"]["reason"]
    risen = {r["force"]: r for r in _rows(invoke("rise", tidy, "--year-start", "jun", "-f", "csv"))}
    kent = risen["Kent Police"]
    assert kent["change"] == "" and kent["pct_change"] == "" and "nil" in kent["flags"]
    assert NIL_WORDS in kent["reason"]


def test_example_headline_ranking_unchanged(invoke) -> None:
    """The published story stays: 38 ranked, Leicestershire 9th at +443%."""
    if not (EXAMPLE / "foistats.toml").exists():
        pytest.skip("examples/sextortion is not present")
    result = invoke("rank", EXAMPLE, "--year-start", "jun", "--force", "Leicestershire", "-f", "csv")
    rows = {r["force"]: r for r in _rows(result)}
    assert sum(1 for r in rows.values() if r["rank"]) == 38
    assert rows["Leicestershire Police"]["rank"] == "9"
    assert "9th of 38 forces ranked" in result.stderr
