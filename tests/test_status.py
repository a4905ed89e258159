"""`foistats status` and the statutory clock behind it.

Bank holidays are listed by hand from the England and Wales calendar; deadlines are
counted by hand on a calendar (the day of receipt is not counted; weekends and bank
holidays are skipped; the 20th working day is the last day for a reply).
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from foistats.cli.app import app
from foistats.campaign.clock import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    is_working_day,
    statutory_deadline,
    working_days_between,
)
from foistats.model.exemptions import exemption_words

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "sextortion"
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})

# issue 16: each year is a number plus its state, a suppressed figure's bounds and a part-year's months.
STATUS_COLUMNS = [
    "force", "force_code", "status",
    *[f"{y}{part}" for y in ("2020/21", "2021/22", "2022/23") for part in ("", "_status", "_low", "_high", "_months")],
    "exemption", "sent", "due", "received", "late", "working_days_overdue", "note",
]


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def rows_of(result) -> dict[str, dict[str, str]]:
    return {r["force"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


# ---------------------------------------------------------------- bank holidays


def test_bank_holidays_2023() -> None:
    assert sorted(bank_holidays(2023)) == [
        date(2023, 1, 2),  # New Year's Day was a Sunday: substitute Monday
        date(2023, 4, 7),  # Good Friday
        date(2023, 4, 10),  # Easter Monday
        date(2023, 5, 1),  # early May
        date(2023, 5, 8),  # coronation of King Charles III
        date(2023, 5, 29),  # spring
        date(2023, 8, 28),  # summer
        date(2023, 12, 25),
        date(2023, 12, 26),
    ]


def test_bank_holidays_2024() -> None:
    assert sorted(bank_holidays(2024)) == [
        date(2024, 1, 1),
        date(2024, 3, 29),
        date(2024, 4, 1),
        date(2024, 5, 6),
        date(2024, 5, 27),
        date(2024, 8, 26),
        date(2024, 12, 25),
        date(2024, 12, 26),
    ]


def test_moved_and_one_off_holidays() -> None:
    h2020 = bank_holidays(2020)
    assert date(2020, 5, 8) in h2020 and date(2020, 5, 4) not in h2020  # VE Day moved early May
    assert date(2020, 12, 28) in h2020  # Boxing Day on a Saturday
    h2022 = bank_holidays(2022)
    assert date(2022, 6, 2) in h2022 and date(2022, 6, 3) in h2022 and date(2022, 5, 30) not in h2022
    assert date(2022, 9, 19) in h2022  # state funeral
    assert date(2022, 1, 3) in h2022  # New Year's Day on a Saturday
    # Christmas on a Sunday: Boxing Day keeps Monday 26th, Christmas moves to Tuesday 27th.
    assert h2022[date(2022, 12, 26)] == "Boxing Day" and "Christmas" in h2022[date(2022, 12, 27)]
    h2021 = bank_holidays(2021)  # Christmas on a Saturday: Monday 27th and Tuesday 28th
    assert date(2021, 12, 27) in h2021 and date(2021, 12, 28) in h2021
    assert len(bank_holidays(2025)) == 8


@pytest.mark.parametrize(
    "year, easter",
    [(2000, date(2000, 4, 23)), (2019, date(2019, 4, 21)), (2023, date(2023, 4, 9)), (2024, date(2024, 3, 31)),
     (2025, date(2025, 4, 20)), (2038, date(2038, 4, 25)), (2285, date(2285, 3, 22))],
)
def test_easter(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    "sent, due",
    [
        # Mon 8 Jan 2024: 4 weeks of weekdays, no holidays → Mon 5 Feb 2024.
        (date(2024, 1, 8), date(2024, 2, 5)),
        # Thu 14 Dec 2023: Christmas, Boxing Day, New Year's Day and 2 January (a Scottish bank
        # holiday, which FOIA s10(6) counts for every force) skipped → Wed 17 Jan 2024.
        # (Tue 16 Jan counting England and Wales holidays only: see test_england_and_wales_count.)
        (date(2023, 12, 14), date(2024, 1, 17)),
        # Fri 22 Mar 2024: Good Friday and Easter Monday skipped → Tue 23 Apr 2024.
        (date(2024, 3, 22), date(2024, 4, 23)),
        # Sat 6 Jan 2024: day one is Mon 8 Jan → Fri 2 Feb 2024.
        (date(2024, 1, 6), date(2024, 2, 2)),
        # Fri 2 Sep 2022: the state funeral (Mon 19 Sep) skipped → Mon 3 Oct 2022.
        (date(2022, 9, 2), date(2022, 10, 3)),
    ],
)
def test_statutory_deadline(sent: date, due: date) -> None:
    assert statutory_deadline(sent) == due


def test_england_and_wales_count() -> None:
    # The old hand count, England and Wales holidays only: Christmas, Boxing Day and New
    # Year's Day skipped → Tue 16 Jan 2024. FOIA adds 2 January (Scotland): one day later.
    from foistats.campaign.calendars import ENGLAND_AND_WALES

    assert ENGLAND_AND_WALES.add(date(2023, 12, 14), 20) == date(2024, 1, 16)


def test_working_days_between() -> None:
    # After Mon 5 Feb to Tue 20 Feb 2024: 6–9 Feb (4), 12–16 (5), 19–20 (2).
    assert working_days_between(date(2024, 2, 5), date(2024, 2, 20)) == 11
    assert working_days_between(date(2024, 2, 5), date(2024, 2, 5)) == 0
    assert not is_working_day(date(2024, 3, 29)) and not is_working_day(date(2024, 3, 30))
    assert is_working_day(date(2024, 4, 2))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)), st.integers(min_value=1, max_value=60))
def test_working_day_arithmetic_agrees(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert end > start and is_working_day(end)
    assert working_days_between(start, end) == n
    # Never more than n working days plus every weekend and a handful of holidays.
    assert end - start <= timedelta(days=n * 7 // 5 + 12)


def test_exemption_words() -> None:
    assert exemption_words("refused: section 12 (cost limit)") == "s12 (cost limit)"
    assert exemption_words("s40") == "s40 (personal data)"
    assert exemption_words("S.12 and s 40(2)") == "s12 (cost limit); s40(2) (personal data)"
    assert exemption_words("refused: vexatious") == "vexatious"
    assert exemption_words(None) is None


# ---------------------------------------------------------------- the command on the examples


@pytest.fixture(scope="module")
def example_status():
    if not (EXAMPLES / "foistats.toml").exists():
        pytest.skip("examples/sextortion is not present")
    return run("status", EXAMPLES, "--as-of", "2024-02-20", "--format", "csv")


def test_status_columns_and_roster(example_status) -> None:
    assert example_status.exit_code == 0, example_status.stderr
    header = next(csv.reader(io.StringIO(example_status.stdout)))
    assert header == STATUS_COLUMNS
    rows = rows_of(example_status)
    assert len(rows) == 48  # the campaign file's forces list
    replied = [f for f, r in rows.items() if r["status"] not in ("outstanding", "overdue")]
    assert len(replied) == 45


def test_status_outstanding_refused_and_traps(example_status) -> None:
    rows = rows_of(example_status)
    overdue = sorted(f for f, r in rows.items() if r["status"] == "overdue")
    assert overdue == ["Civil Nuclear Constabulary", "Kent Police", "Ministry of Defence Police"]
    assert all(rows[f]["working_days_overdue"] == "11" and rows[f]["due"] == "2024-02-05" for f in overdue)
    northumbria = rows["Northumbria Police"]
    assert northumbria["status"] == "refused" and northumbria["exemption"] == "s12 (cost limit)"
    leics = rows["Leicestershire Police"]
    assert (leics["status"], leics["2020/21"], leics["2021/22"], leics["2022/23"]) == ("answered", "28", "48", "152")
    assert rows["Lincolnshire Police"]["status"] == "partial"
    lincs = rows["Lincolnshire Police"]
    assert (lincs["2022/23"], lincs["2022/23_status"], lincs["2022/23_months"]) == ("51", "partial", "8")
    assert rows["City of London Police"]["status"] == "nil return"
    assert rows["Essex Police"]["status"] == "other periods"
    assert rows["Police Scotland"]["2020/21_status"] == "misaligned"
    dyfed = rows["Dyfed-Powys Police"]
    assert (dyfed["2020/21"], dyfed["2020/21_status"], dyfed["2020/21_low"], dyfed["2020/21_high"]) == ("", "suppressed", "1", "4")
    assert rows["Kent Police"]["force_code"] == "E23000032"


def test_status_summary_line(example_status) -> None:
    # 45 replies: 44 answers and Northumbria's refusal; Kent, MDP and CNC still silent.
    assert "44 of 48 answered; 1 refused; 3 outstanding, 3 overdue" in example_status.stderr
    assert "sent 8 Jan 2024 to 48 forces; due 5 Feb 2024" in example_status.stderr


def test_status_on_the_deadline_day_is_not_overdue() -> None:
    if not EXAMPLES.exists():
        pytest.skip("examples/sextortion is not present")
    result = run("status", EXAMPLES, "--as-of", "2024-02-05", "--format", "csv")
    assert result.exit_code == 0
    assert "44 of 48 answered; 1 refused; 3 outstanding, 0 overdue" in result.stderr
    assert rows_of(result)["Kent Police"]["status"] == "outstanding"


def test_status_table_for_people() -> None:
    if not EXAMPLES.exists():
        pytest.skip("examples/sextortion is not present")
    result = run("status", EXAMPLES, "--as-of", "2024-02-20", "--format", "table")
    assert result.exit_code == 0
    assert "Northumbria Police" in result.stdout and "s12 (cost limit)" in result.stdout
    assert "44 of 48 answered" in result.stdout


# ---------------------------------------------------------------- campaign records and empty folders

TIDY_HEADER = (
    "force,force_code,area_kind,measure,period_start,period_end,period_label,value,status,"
    "value_low,value_high,source_file,source_sheet,source_cell,note\n"
)


def _tidy(path: Path) -> Path:
    rows = [
        "Kent Police,E23000032,force,Reports,2020-06-01,2021-05-31,2020/21,10,ok,,,kent.xlsx,Sheet1,B2,",
        "Kent Police,E23000032,force,Reports,2022-06-01,2023-05-31,2022/23,30,ok,,,kent.xlsx,Sheet1,B4,",
        "Surrey Police,E23000031,force,Reports,2020-06-01,2021-05-31,2020/21,5,ok,,,surrey.xlsx,Sheet1,B2,",
    ]
    path.write_text(TIDY_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_campaign_responses_refusal_and_late_reply(tmp_path: Path) -> None:
    data = _tidy(tmp_path / "tidy.csv")
    toml = tmp_path / "campaign.toml"
    toml.write_text(
        '[request]\nmeasure = "Reports"\nyear_start = "jun"\nperiods = ["2020/21", "2022/23"]\nsent = 2024-01-08\n'
        'forces = ["Kent", "Surrey", "Sussex", "Essex"]\n'
        '[responses."Sussex Police"]\nstatus = "refused"\nexemption = "s40"\nreceived = 2024-01-20\n'
        '[responses.Kent]\nreceived = 2024-02-09\n',
        encoding="utf-8",
    )
    result = run("status", data, "--campaign", toml, "--as-of", "2024-03-01", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result)
    assert rows["Sussex Police"]["status"] == "refused"
    assert rows["Sussex Police"]["exemption"] == "s40 (personal data)"
    # Received Fri 9 Feb, due Mon 5 Feb: four working days late (6, 7, 8, 9 Feb).
    assert rows["Kent Police"]["late"] == "true" and "late: 4 working days" in rows["Kent Police"]["note"]
    assert rows["Kent Police"]["status"] == "answered"
    assert rows["Surrey Police"]["status"] == "partial" and rows["Surrey Police"]["2022/23_status"] == "missing"
    # Due Mon 5 Feb; as of Fri 1 Mar: Feb 6–9 (4), 12–16 (5), 19–23 (5), 26–29 (4), Mar 1 (1) = 19.
    assert rows["Essex Police"]["status"] == "overdue" and rows["Essex Police"]["working_days_overdue"] == "19"
    assert "2 of 4 answered; 1 refused; 1 outstanding, 1 overdue" in result.stderr


def test_status_before_any_reply(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    init = run("init", folder, "--forces", "Kent,GMP", "--sent", "2024-01-08", "--year-start", "jun",
               "--periods", "2020/21,2022/23")
    assert init.exit_code == 0, init.stderr
    result = run("status", folder, "--as-of", "2024-01-09", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result)
    assert set(rows) == {"Kent Police", "Greater Manchester Police"}
    assert {r["status"] for r in rows.values()} == {"outstanding"}
    assert "0 of 2 answered; 0 refused; 2 outstanding, 0 overdue" in result.stderr


def test_status_without_campaign_assumes_territorial_forces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = _tidy(tmp_path / "tidy.csv")
    result = run("status", data, "--year-start", "jun", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert len(rows_of(result)) == 43
    assert "No campaign file" in result.stderr
    assert "2 of 43 answered; 0 refused; 41 outstanding, 0 overdue" in result.stderr


def test_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    result = run("status", _tidy(tmp_path / "tidy.csv"), "--as-of", "20/02/2024", "--year-start", "jun")
    assert result.exit_code == 2 and "--as-of" in result.stderr and "YYYY-MM-DD" in result.stderr
