"""The statutory clock: when a reply (or an internal review) is due, force by force.

A public authority must answer "not later than the twentieth working day following the
date of receipt" (FOIA s10(1); FOISA s10(1) likewise). Which days are working days
depends on the law the force answers under (`foistats.campaign.law`): under FOIA a bank
holiday anywhere in the UK stops the count, under FOISA only Scotland's do. The clock
then follows the force's history (`foistats.campaign.events`): the last (re)send starts
it, a clarification request stops it, the clarified request starts a fresh 20 working
days, a public-interest extension (FOIA only) moves it, an internal review runs a clock
of its own. Nothing here reads files or prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from foistats.campaign.calendars import ENGLAND_AND_WALES, UNITED_KINGDOM
from foistats.campaign.events import Event
from foistats.campaign.law import FOIA, Law

STATUTORY_DAYS = 20

# Where a force's request stands, once its events are replayed.
RUNNING = "running"  # sent, the 20 working days counting
NOT_SENT = "not_sent"  # no sent date known: nothing can be due
CLARIFICATION = "clarification"  # the force asked for clarification; clock stopped
WITHDRAWN = "withdrawn"  # the requester withdrew it
REVIEW = "review"  # an internal review is pending
COMPLAINT = "complaint"  # with the regulator
RETRACTED = "answer_withdrawn"  # the force withdrew its answer; a new one is owed


# ---------------------------------------------------------------- working days (FOIA)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous "Meeus/Jones/Butcher" computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def bank_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays of one year that fall on weekdays (substitutes included).

    Kept for reading the calendar; deadlines use the law's calendar (`Law.calendar`),
    which for FOIA adds Scotland's and Northern Ireland's.
    """
    return ENGLAND_AND_WALES.holidays(year)


def is_working_day(day: date) -> bool:
    """A working day under FOIA s10(6): Monday to Friday, not a bank holiday in any part of the UK."""
    return UNITED_KINGDOM.is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th FOIA working day after `start` (`start` itself never counts)."""
    return UNITED_KINGDOM.add(start, days)


def working_days_between(start: date, end: date) -> int:
    """FOIA working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    return UNITED_KINGDOM.between(start, end)


def statutory_deadline(received: date, days: int = STATUTORY_DAYS, law: Law = FOIA) -> date:
    """The last day for a reply: the 20th working day following the day of receipt.

    The date sent stands in for the date received: for an email request they are the
    same day, and a force cannot claim more time by reading its inbox late.
    """
    return law.calendar.add(received, days)


# ---------------------------------------------------------------- one force's clock


@dataclass
class Clock:
    """One force's request after its events are replayed."""

    law: Law
    stage: str  # one of the stage constants above
    sent: date | None = None  # the last (re)send
    started: date | None = None  # the day the current 20 working days run from
    due: date | None = None  # the reply deadline now (None while stopped or unknown)
    extended_to: date | None = None
    clarification_asked: date | None = None
    review_requested: date | None = None
    review_due: date | None = None  # 20 working days after the review request
    review_latest: date | None = None  # FOIA: 40 working days, the Code of Practice's outer limit
    complaint: date | None = None
    withdrawn: date | None = None
    retracted: date | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        """No reply deadline runs: waiting on the requester, or nothing is owed."""
        return self.stage in (CLARIFICATION, WITHDRAWN, NOT_SENT)


def run_clock(law: Law, sent: date | None, events: Iterable[Event] = ()) -> Clock:
    """Replay a force's events, in date order, from the campaign's sent date."""
    cal = law.calendar
    clock = Clock(law=law, stage=NOT_SENT)

    def start(day: date) -> None:
        clock.started = day
        clock.due = cal.add(day, law.days)
        clock.extended_to = None

    if sent is not None:
        clock.stage, clock.sent = RUNNING, sent
        start(sent)
    for ev in sorted(events, key=lambda e: e.on):
        d = _day(ev.on)
        if ev.kind == "sent":
            if clock.sent is not None and ev.on != clock.sent:
                clock.notes.append(f"sent {d}: the clock runs from this day")
            clock.stage, clock.sent = RUNNING, ev.on
            clock.clarification_asked = None
            start(ev.on)
        elif ev.kind == "clarification_requested":
            clock.stage, clock.clarification_asked, clock.due = CLARIFICATION, ev.on, None
            clock.notes.append(f"clarification asked {d}: clock stopped")
        elif ev.kind == "clarified":
            clock.stage = RUNNING
            start(ev.on)
            clock.notes.append(f"clarified {d}: 20 working days afresh")
        elif ev.kind == "extended":
            _extend(clock, ev)
        elif ev.kind == "review_requested":
            clock.stage, clock.review_requested = REVIEW, ev.on
            clock.review_due = cal.add(ev.on, law.review_days)
            clock.review_latest = cal.add(ev.on, law.review_max_days) if law.review_max_days else None
            clock.notes.append(f"internal review asked {d}, due {_day(clock.review_due)}")
        elif ev.kind == "review_answered":
            if clock.stage == REVIEW:
                clock.stage = RUNNING
            clock.notes.append(f"internal review answered {d}")
        elif ev.kind == "complaint":
            clock.stage, clock.complaint = COMPLAINT, ev.on
            clock.notes.append(f"complaint to {law.regulator_short} {d}")
        elif ev.kind == "withdrawn":
            clock.stage, clock.withdrawn, clock.due = WITHDRAWN, ev.on, None
            clock.notes.append(f"withdrawn {d}")
        elif ev.kind == "answer_withdrawn":
            clock.stage, clock.retracted = RETRACTED, ev.on
            clock.notes.append(f"answer withdrawn by the force {d}")
        elif ev.kind == "answer_superseded":
            if clock.stage == RETRACTED:
                clock.stage = RUNNING
            clock.notes.append(f"answer replaced {d}")
        if ev.note:
            clock.notes.append(ev.note)
    return clock


def _extend(clock: Clock, ev: Event) -> None:
    """A public-interest extension: FOIA s10(3) allows "such time as is reasonable"."""
    law, cal = clock.law, clock.law.calendar
    if not law.allows_extension:
        clock.notes.append(f"extension claimed {_day(ev.on)}, but {law.short} allows none: the 20 working days stand")
        return
    if clock.started is None:
        clock.notes.append(f"extension {_day(ev.on)} recorded, but no sent date to count from")
        return
    outer = cal.add(clock.started, law.days + (law.extension_max_days or 0))
    until = ev.until or outer
    clock.due = clock.extended_to = until
    if ev.until is None:
        clock.notes.append(
            f"extended {_day(ev.on)} ({law.extension_section}) with no date given: {law.regulator_short} guidance's "
            f"{law.extension_max_days} further working days assumed, to {_day(until)}"
        )
    else:
        clock.notes.append(f"extended {_day(ev.on)} to {_day(until)} ({law.extension_section}, public interest test)")
        if until > outer:
            clock.notes.append(
                f"longer than the {law.regulator_short}'s guidance of {law.extension_max_days} further working days ({_day(outer)})"
            )


def _day(d: date) -> str:
    return d.isoformat()
