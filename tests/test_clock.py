"""The statutory clock per force: FOIA (bank holidays anywhere in the UK) and FOISA (Scotland's).

Every expected date below was counted by hand on a calendar: the day sent is not counted,
weekends and the law's bank holidays are skipped, and the 20th working day is the last
day for a reply. Each case names the holiday it turns on. "Kent" answers under FOIA,
"Scotland" (Police Scotland) under FOISA.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from foistats.campaign.calendars import ENGLAND_AND_WALES, KNOWN_THROUGH, SCOTLAND, UNITED_KINGDOM
from foistats.campaign.events import Event
from foistats.campaign.law import FOIA, FOISA, law_for
from foistats.cli.app import app

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def installed() -> list[str]:
    """The installed console script: beside this interpreter (a venv), else on PATH."""
    import shutil

    beside = Path(sys.executable).with_name("foistats")
    exe = str(beside) if beside.exists() else shutil.which("foistats")
    assert exe, "the foistats console script is not installed"
    return [exe]


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def rows_of(result) -> dict[str, dict[str, str]]:
    return {r["force"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def status_rows(tmp_path: Path, sent: date, as_of: date, extra: str = "") -> tuple[object, dict[str, dict[str, str]]]:
    folder = tmp_path / "campaign"
    init = run("init", folder, "--forces", "Kent,Police Scotland,PSNI", "--sent", sent.isoformat())
    assert init.exit_code == 0, init.stderr
    if extra:
        with (folder / "foistats.toml").open("a", encoding="utf-8") as fh:
            fh.write("\n" + extra)
    result = run("status", folder, "--as-of", as_of.isoformat(), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return result, rows_of(result)


# ---------------------------------------------------------------- who answers under which law


def test_law_per_force() -> None:
    assert law_for("Kent Police") is FOIA
    assert law_for("Police Service of Northern Ireland") is FOIA
    assert law_for("British Transport Police") is FOIA  # a UK authority, even in Scotland
    assert law_for("Police Scotland") is FOISA
    assert FOISA.regulator == "the Scottish Information Commissioner" and FOIA.regulator_short == "ICO"
    assert FOIA.allows_extension and not FOISA.allows_extension
    assert (FOIA.review_days, FOIA.review_max_days, FOISA.review_days, FOISA.review_max_days) == (20, 40, 20, None)


# ---------------------------------------------------------------- the calendars


def test_each_nations_holidays_are_in_the_foia_calendar() -> None:
    uk = UNITED_KINGDOM.holidays(2024)
    assert "Patrick" in uk[date(2024, 3, 18)]  # Sunday 17 March: substitute Monday (NI)
    assert "Boyne" in uk[date(2024, 7, 12)]  # Battle of the Boyne (NI)
    assert date(2024, 1, 2) in uk  # 2 January (Scotland)
    assert date(2024, 8, 5) in uk and date(2024, 8, 26) in uk  # Scotland's and England's summer days
    assert "Andrew" in uk[date(2024, 12, 2)]  # Saturday 30 November: substitute Monday (Scotland)
    scot = SCOTLAND.holidays(2024)
    assert date(2024, 4, 1) not in scot  # Easter Monday is a working day in Scotland
    assert date(2024, 8, 26) not in scot and date(2024, 3, 18) not in scot and date(2024, 7, 12) not in scot
    assert date(2024, 1, 2) in scot and date(2024, 8, 5) in scot
    assert date(2024, 1, 2) not in ENGLAND_AND_WALES.holidays(2024)


def test_one_off_days_known() -> None:
    for cal in (UNITED_KINGDOM, SCOTLAND, ENGLAND_AND_WALES):
        assert date(2022, 9, 19) in cal.holidays(2022)  # state funeral of Queen Elizabeth II
        assert date(2023, 5, 8) in cal.holidays(2023)  # coronation of King Charles III
        assert date(2022, 6, 3) in cal.holidays(2022)  # platinum jubilee


# ---------------------------------------------------------------- deadlines, one holiday kind each

CASES = [
    # (holiday, sent, FOIA due, FOISA due)
    # St Patrick's Day, Mon 17 Mar 2025 (NI only). Sent Mon 3 Mar: 4–7 (4), 10–14 (9), 17 skipped
    # under FOIA, 18–21 (13), 24–28 (18), 31 (19), Tue 1 Apr (20). FOISA counts the 17th: Mon 31 Mar.
    ("St Patrick's Day", date(2025, 3, 3), date(2025, 4, 1), date(2025, 3, 31)),
    # Battle of the Boyne, Fri 12 Jul 2024 (NI). Sent Mon 1 Jul: 2–5 (4), 8–11 (8), 12 skipped,
    # 15–19 (13), 22–26 (18), 29 (19), Tue 30 Jul (20). FOISA counts the 12th: Mon 29 Jul.
    ("12 July", date(2024, 7, 1), date(2024, 7, 30), date(2024, 7, 29)),
    # St Andrew's Day, Thu 30 Nov 2023 (Scotland), skipped under both. Sent Mon 13 Nov: 14–17 (4),
    # 20–24 (9), 27–29 (12), 30 skipped, Fri 1 Dec (13), 4–8 (18), 11 (19), Tue 12 Dec (20).
    ("St Andrew's Day", date(2023, 11, 13), date(2023, 12, 12), date(2023, 12, 12)),
    # St Andrew's Day on Sat 30 Nov 2024: substitute Mon 2 Dec. Sent Mon 18 Nov: 19–22 (4),
    # 25–29 (9), 2 Dec skipped, 3–6 (13), 9–13 (18), 16 (19), Tue 17 Dec (20).
    ("St Andrew's Day substitute", date(2024, 11, 18), date(2024, 12, 17), date(2024, 12, 17)),
    # 2 January 2024 (Scotland). Sent Thu 14 Dec 2023: 15 (1), 18–22 (6), 25–26 skipped,
    # 27–29 (9), 1–2 Jan skipped, 3–5 (12), 8–12 (17), 15 (18), 16 (19), Wed 17 Jan (20).
    ("2 January", date(2023, 12, 14), date(2024, 1, 17), date(2024, 1, 17)),
    # First Monday of August (Scotland, 5 Aug 2024) and last Monday (rest of the UK, 26 Aug).
    # Sent Mon 29 Jul: 30 Jul–2 Aug (4), 5 skipped, 6–9 (8), 12–16 (13), 19–23 (18); FOIA skips
    # the 26th: 27 (19), Wed 28 Aug (20); FOISA counts it: 26 (19), Tue 27 Aug (20).
    ("first Monday of August", date(2024, 7, 29), date(2024, 8, 28), date(2024, 8, 27)),
    # Easter Monday (not a Scottish bank holiday). Sent Fri 22 Mar 2024: 25–28 (4), Good Friday
    # 29 skipped; FOIA skips Mon 1 Apr → Tue 23 Apr; FOISA counts it: 1 Apr (5) … Mon 22 Apr (20).
    ("Easter Monday", date(2024, 3, 22), date(2024, 4, 23), date(2024, 4, 22)),
    # Substitute days: Christmas 2022 on a Sunday (Tue 27 Dec), New Year's Day on a Sunday
    # 2023 (Mon 2 Jan) and, in Scotland, 2 January's substitute (Tue 3 Jan). Sent Thu 15 Dec
    # 2022: 16 (1), 19–23 (6), 26–27 skipped, 28–30 (9), 2–3 Jan skipped, 4–6 (12), 9–13 (17),
    # 16 (18), 17 (19), Wed 18 Jan (20).
    ("substitute days", date(2022, 12, 15), date(2023, 1, 18), date(2023, 1, 18)),
    # One-off: the coronation, Mon 8 May 2023, and early May (1 May). Sent Mon 24 Apr 2023:
    # 25–28 (4), 1 May skipped, 2–5 (8), 8 skipped, 9–12 (12), 15–19 (17), 22 (18), 23 (19),
    # Wed 24 May (20).
    ("coronation", date(2023, 4, 24), date(2023, 5, 24), date(2023, 5, 24)),
]


@pytest.mark.parametrize("holiday, sent, foia_due, foisa_due", CASES, ids=[c[0] for c in CASES])
def test_due_dates_by_law(holiday: str, sent: date, foia_due: date, foisa_due: date) -> None:
    assert FOIA.calendar.add(sent, 20) == foia_due, holiday
    assert FOISA.calendar.add(sent, 20) == foisa_due, holiday


@pytest.mark.parametrize("holiday, sent, foia_due, foisa_due", CASES, ids=[c[0] for c in CASES])
def test_status_due_per_force(tmp_path: Path, holiday: str, sent: date, foia_due: date, foisa_due: date) -> None:
    # On the FOISA due day Police Scotland is not yet overdue; the day after, FOIA forces
    # may still be within time while Police Scotland is one working day late.
    result, rows = status_rows(tmp_path, sent, foisa_due)
    assert rows["Kent Police"]["due"] == foia_due.isoformat()
    assert rows["Police Service of Northern Ireland"]["due"] == foia_due.isoformat()
    assert rows["Police Scotland"]["due"] == foisa_due.isoformat()
    assert rows["Police Scotland"]["status"] == "outstanding"
    assert "FOISA" in rows["Police Scotland"]["note"] and "Scottish Information Commissioner" in rows["Police Scotland"]["note"]
    assert f"due {foia_due.day} {foia_due:%b %Y}" in result.stderr


def test_overdue_differs_by_law(tmp_path: Path) -> None:
    # Easter 2024: on Tue 23 Apr Police Scotland (due Mon 22) is 1 working day overdue,
    # Kent (due Tue 23) is not yet.
    _, rows = status_rows(tmp_path, date(2024, 3, 22), date(2024, 4, 23))
    assert rows["Police Scotland"]["status"] == "overdue" and rows["Police Scotland"]["working_days_overdue"] == "1"
    assert rows["Kent Police"]["status"] == "outstanding"


def test_provisional_years_are_flagged(tmp_path: Path) -> None:
    sent = date(KNOWN_THROUGH + 1, 3, 1)
    result, _ = status_rows(tmp_path, sent, sent)
    assert f"Deadlines in {KNOWN_THROUGH + 1}" in result.stderr and "gov.uk/bank-holidays" in result.stderr
    ok, _ = status_rows(tmp_path / "b", date(2024, 3, 1), date(2024, 3, 1))
    assert "Deadlines in" not in ok.stderr


# ---------------------------------------------------------------- events move the clock


def test_clarification_stops_the_clock_and_restarts_it(tmp_path: Path) -> None:
    events = (
        '[[events]]\nforce = "Kent"\ndate = 2024-01-10\nevent = "clarification_requested"\n'
        '[[events]]\nforce = "Police Scotland"\ndate = 2024-01-10\nevent = "clarification requested"\n'
        '[[events]]\nforce = "Police Scotland"\ndate = 2024-01-15\nevent = "clarified"\n'
    )
    # Kent: asked 10 Jan, never clarified: no deadline runs, never overdue.
    _, rows = status_rows(tmp_path, date(2024, 1, 8), date(2024, 3, 1), events)
    assert rows["Kent Police"]["status"] == "awaiting clarification" and rows["Kent Police"]["due"] == ""
    assert rows["Kent Police"]["working_days_overdue"] == ""
    # Police Scotland: clarified Mon 15 Jan: 16–19 (4), 22–26 (9), 29 Jan–2 Feb (14), 5–9 (19), Mon 12 Feb (20).
    scot = rows["Police Scotland"]
    assert scot["due"] == "2024-02-12" and scot["status"] == "overdue"
    # Overdue from 13 Feb to Fri 1 Mar: 13–16 (4), 19–23 (9), 26–29 (13), 1 Mar (14).
    assert scot["working_days_overdue"] == "14"
    assert "clarified 2024-01-15" in scot["note"]
    # PSNI had no events: 20 working days from Mon 8 Jan → Mon 5 Feb.
    assert rows["Police Service of Northern Ireland"]["due"] == "2024-02-05"


def test_resend_restarts_the_clock(tmp_path: Path) -> None:
    events = '[[events]]\nforce = "Kent"\ndate = 2024-01-22\nevent = "resent"\nnote = "first email bounced"\n'
    _, rows = status_rows(tmp_path, date(2024, 1, 8), date(2024, 2, 6), events)
    # Re-sent Mon 22 Jan: four weeks of weekdays → Mon 19 Feb.
    kent = rows["Kent Police"]
    assert kent["sent"] == "2024-01-22" and kent["due"] == "2024-02-19" and kent["status"] == "outstanding"
    assert "first email bounced" in kent["note"] and "sent 2024-01-22: the clock runs from this day" in kent["note"]
    assert rows["Police Scotland"]["status"] == "overdue"


def test_public_interest_extension_foia_only(tmp_path: Path) -> None:
    events = (
        '[[events]]\nforce = "Kent"\ndate = 2024-02-01\nevent = "extended"\nuntil = 2024-03-04\n'
        '[[events]]\nforce = "Police Scotland"\ndate = 2024-02-01\nevent = "extended"\nuntil = 2024-03-04\n'
        '[[events]]\nforce = "PSNI"\ndate = 2024-02-01\nevent = "extension"\n'
    )
    _, rows = status_rows(tmp_path, date(2024, 1, 8), date(2024, 2, 20), events)
    assert rows["Kent Police"]["due"] == "2024-03-04" and rows["Kent Police"]["status"] == "outstanding"
    assert "s10(3)" in rows["Kent Police"]["note"] or "section 10(3)" in rows["Kent Police"]["note"]
    # FOISA has no public-interest extension: 5 Feb stands, and on 20 Feb it is 11 days overdue.
    scot = rows["Police Scotland"]
    assert scot["due"] == "2024-02-05" and scot["status"] == "overdue" and scot["working_days_overdue"] == "11"
    assert "allows none" in scot["note"]
    # No date given: the ICO's 20 further working days. 40 working days from Mon 8 Jan → Mon 4 Mar.
    assert rows["Police Service of Northern Ireland"]["due"] == "2024-03-04"


def test_internal_review_complaint_withdrawn_and_retracted(tmp_path: Path) -> None:
    events = (
        '[[events]]\nforce = "Kent"\ndate = 2024-02-12\nevent = "review_requested"\n'
        '[[events]]\nforce = "Police Scotland"\ndate = 2024-02-12\nevent = "review_requested"\n'
        '[[events]]\nforce = "Police Scotland"\ndate = 2024-03-20\nevent = "complaint"\n'
        '[[events]]\nforce = "PSNI"\ndate = 2024-01-20\nevent = "withdrawn"\n'
        '[responses.Kent]\nstatus = "refused"\nexemption = "s12"\nreceived = 2024-02-01\n'
        '[responses."Police Scotland"]\nstatus = "refused"\nreceived = 2024-02-01\n'
    )
    # Review asked Mon 12 Feb: 13–16 (4), 19–23 (9), 26 Feb–1 Mar (14), 4–8 (19), Mon 11 Mar (20).
    # The Code of Practice's 40 at most: 12–15 Mar (24), Mon 18 Mar skipped (St Patrick's Day
    # substitute), 19–22 (28), 25–28 (32), Good Friday and Easter Monday skipped, 2–5 Apr (36),
    # 8–11 Apr (40): Thu 11 Apr.
    result, rows = status_rows(tmp_path, date(2024, 1, 8), date(2024, 3, 14), events)
    kent = rows["Kent Police"]
    assert kent["status"] == "internal review" and kent["due"] == "2024-03-11"
    assert kent["working_days_overdue"] == "3"  # 12, 13, 14 Mar
    assert "40 working days at most (2024-04-11)" in kent["note"]
    assert rows["Police Scotland"]["status"] == "complaint"
    assert "complaint to SIC 2024-03-20" in rows["Police Scotland"]["note"]
    assert rows["Police Service of Northern Ireland"]["status"] == "withdrawn"
    assert rows["Police Service of Northern Ireland"]["due"] == ""
    assert "1 in internal review; 1 with the regulator; 1 withdrawn" in result.stderr

    retracted = '[[events]]\nforce = "Kent"\ndate = 2024-02-10\nevent = "retracted"\n' + (
        '[responses.Kent]\nstatus = "answered"\nreceived = 2024-02-01\n'
    )
    result, rows = status_rows(tmp_path / "b", date(2024, 1, 8), date(2024, 2, 20), retracted)
    assert rows["Kent Police"]["status"] == "answer withdrawn"
    assert "1 answer withdrawn" in result.stderr
    replaced = retracted + '[[events]]\nforce = "Kent"\ndate = 2024-02-15\nevent = "superseded"\n'
    _, rows = status_rows(tmp_path / "c", date(2024, 1, 8), date(2024, 2, 20), replaced)
    assert rows["Kent Police"]["status"] == "answered" and "answer replaced 2024-02-15" in rows["Kent Police"]["note"]


# ---------------------------------------------------------------- bad events are one line


@pytest.mark.parametrize(
    "text, words",
    [
        ('[[events]]\nforce = "Kent"\ndate = 2024-13-45\nevent = "clarified"\n', "not a valid date"),
        ('[[events]]\nforce = "Kent"\ndate = "next week"\nevent = "clarified"\n', "is not a date"),
        ('[[events]]\nforce = "Kent"\ndate = 2024-01-10\nevent = "lost in post"\n', "is not an event"),
        ('[[events]]\nforce = "Kentt Polise"\ndate = 2024-01-10\nevent = "clarified"\n', "unknown force"),
        ('[[events]]\nforce = "Kent"\nevent = "clarified"\n', "has no date"),
        ('[[events]]\nforce = "Kent"\ndate = 2024-01-10\nevent = "clarified"\nuntill = 2024-02-01\n', "did you mean until"),
        ('[[events]]\nforce = "Kent"\ndate = 2024-01-10\nevent = "clarified"\nuntil = 2024-02-01\n', "only goes with"),
    ],
)
def test_bad_event_is_one_line(tmp_path: Path, text: str, words: str) -> None:
    folder = tmp_path / "c"
    assert run("init", folder, "--forces", "Kent", "--sent", "2024-01-08").exit_code == 0
    toml = folder / "foistats.toml"
    lines_before = len(toml.read_text(encoding="utf-8").splitlines())
    with toml.open("a", encoding="utf-8") as fh:
        fh.write("\n" + text)
    result = run("status", folder, "--as-of", "2024-02-01")
    assert result.exit_code == 2
    assert words in result.stderr and "foistats.toml" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert ", line " in result.stderr


# ---------------------------------------------------------------- chasers


def test_chasers_cite_the_right_act(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    assert run("init", folder, "--forces", "Kent,Police Scotland,Surrey", "--sent", "2024-03-22",
               "--title", "Sextortion reports", "--wording", "Please tell me the number of reports.").exit_code == 0
    with (folder / "foistats.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[responses.Surrey]\nstatus = "answered"\nreceived = 2024-04-10\n')
    result = run("status", folder, "--as-of", "2024-04-26", "--chasers")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    kent, scot = text.split("-" * 72)
    assert "To: Kent Police" in kent and "the Freedom of Information Act 2000" in kent
    assert "Section 10(1)" in kent and "22 March 2024" in kent and "23 April 2024" in kent
    assert "3 working days past" in kent  # 24, 25, 26 Apr
    assert "To: Police Scotland" in scot and "the Freedom of Information (Scotland) Act 2002" in scot
    assert "22 April 2024" in scot and "4 working days past" in scot  # 23–26 Apr
    assert "Please tell me the number of reports." in scot
    assert "Surrey" not in text
    assert "2 chaser(s)" in result.stderr


def test_chaser_for_an_overdue_review(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    assert run("init", folder, "--forces", "Police Scotland", "--sent", "2024-01-08").exit_code == 0
    with (folder / "foistats.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[events]]\nforce = "Police Scotland"\ndate = 2024-02-12\nevent = "review_requested"\n')
    result = run("status", folder, "--as-of", "2024-03-14", "--chasers")
    assert result.exit_code == 0, result.stderr
    # Asked Mon 12 Feb; Scotland: 20 working days → Mon 11 Mar.
    assert "Section 21(1)" in result.stdout and "11 March 2024" in result.stdout
    assert "Internal review overdue" in result.stdout


def test_no_chasers_when_nothing_is_overdue(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    assert run("init", folder, "--forces", "Kent", "--sent", "2024-01-08").exit_code == 0
    result = run("status", folder, "--as-of", "2024-01-20", "--chasers")
    assert result.exit_code == 0 and result.stdout == "" and "nothing to chase" in result.stderr


def test_chasers_through_the_installed_command(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    assert run("init", folder, "--forces", "Kent", "--sent", "2024-01-08").exit_code == 0
    out = subprocess.run(
        [*installed(), "status", str(folder), "--as-of", "2024-02-20", "--chasers"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "Dear Kent Police," in out.stdout and "5 February 2024" in out.stdout and "11 working days" in out.stdout


# ---------------------------------------------------------------- working-day arithmetic

CALENDARS = st.sampled_from([UNITED_KINGDOM, SCOTLAND, ENGLAND_AND_WALES])


@settings(max_examples=150, deadline=None)
@given(CALENDARS, st.dates(min_value=date(1995, 1, 1), max_value=date(2040, 12, 31)), st.integers(0, 60), st.integers(0, 60))
def test_add_then_count_round_trips(cal, start: date, a: int, b: int) -> None:
    end = cal.add(start, a)
    assert cal.between(start, end) == a
    assert cal.add(end, b) == cal.add(start, a + b)
    if a:
        assert cal.is_working_day(end)
        # The day before the deadline is one working day short.
        assert cal.between(start, end - timedelta(days=1)) == a - 1


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2040, 12, 31)), st.integers(1, 60))
def test_foia_never_earlier_than_scotland_or_england(start: date, n: int) -> None:
    # The UK calendar's holidays include both nations', so its deadline is never earlier.
    uk = UNITED_KINGDOM.add(start, n)
    assert uk >= ENGLAND_AND_WALES.add(start, n)
    assert uk >= SCOTLAND.add(start, n)


def test_event_records_where_it_came_from(tmp_path: Path) -> None:
    from foistats.campaign.file import load_campaign

    folder = tmp_path / "c"
    assert run("init", folder, "--forces", "Kent", "--sent", "2024-01-08").exit_code == 0
    toml = folder / "foistats.toml"
    n = len(toml.read_text(encoding="utf-8").splitlines())
    with toml.open("a", encoding="utf-8") as fh:
        fh.write('[[events]]\nforce = "Kent"\ndate = 2024-01-10\nevent = "clarification"\n')
    camp = load_campaign(toml)
    assert camp.events == [
        Event(force="Kent Police", kind="clarification_requested", on=date(2024, 1, 10), source=f"foistats.toml line {n + 1}")
    ]


def test_crown_dependencies_count_their_own_holidays() -> None:
    # Isle of Man: TT bank holiday, Fri 7 Jun 2024. Sent Mon 3 Jun: 4–6 (3), 10–14 (8), 17–21 (13),
    # 24–28 (18), 1 Jul (19), Tue 2 Jul (20). Under FOIA the 7th counts: Mon 1 Jul.
    iom = law_for("Isle of Man Constabulary")
    assert iom.calendar.add(date(2024, 6, 3), 20) == date(2024, 7, 2)
    assert FOIA.calendar.add(date(2024, 6, 3), 20) == date(2024, 7, 1)
    assert law_for("States of Jersey Police").key == "jersey" and law_for("Guernsey Police").key == "guernsey"


def test_events_for_a_force_not_asked_are_reported(tmp_path: Path) -> None:
    result, rows = status_rows(
        tmp_path, date(2024, 1, 8), date(2024, 1, 9), '[[events]]\nforce = "Essex"\ndate = 2024-01-10\nevent = "clarified"\n'
    )
    assert "Essex Police" not in rows
    assert "Events recorded for forces not on the forces list (not used): Essex Police" in result.stderr
