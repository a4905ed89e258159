"""Where an FOI campaign stands: who answered, who refused, who is late.

The coverage grid: forces × requested years, each cell saying plainly what arrived — a
figure, a partial year, a nil return, a refusal and the exemption cited, or nothing yet.
The statutory clock it uses to call a force late is `foistats.campaign.clock`.

Nothing here reads files or prints; `foistats status` feeds it aligned years and the
campaign file, and renders what comes back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.align import AlignedYear
    from foistats.analysis.change import Answer

from foistats.campaign import clock as clocks
from foistats.campaign.calendars import provisional_note
from foistats.campaign.clock import run_clock, statutory_deadline
from foistats.campaign.events import Event
from foistats.campaign.law import FOIA, law_for
from foistats.model.exemptions import exemption_words

# ---------------------------------------------------------------- coverage

# Per-force states, in the order a tracker groups them.
ANSWERED = "answered"
PARTIAL = "partial"
MISALIGNED = "other_periods"
NIL = "nil"
NO_DATA = "no_data"
REFUSED = "refused"
OUTSTANDING = "outstanding"
OVERDUE = "overdue"
# Where the clock put a force (campaign file events, or a WhatDoTheyKnow export).
CLARIFICATION = "clarification"
REVIEW = "review"
COMPLAINT = "complaint"
WITHDRAWN = "withdrawn"
RETRACTED = "answer_withdrawn"
REPLIED = (ANSWERED, PARTIAL, MISALIGNED, NIL, NO_DATA)
STATE_WORDS = {
    ANSWERED: "answered",
    PARTIAL: "partial",
    MISALIGNED: "other periods",
    NIL: "nil return",
    NO_DATA: "no data held",
    REFUSED: "refused",
    OUTSTANDING: "outstanding",
    OVERDUE: "overdue",
    CLARIFICATION: "awaiting clarification",
    REVIEW: "internal review",
    COMPLAINT: "complaint",
    WITHDRAWN: "withdrawn",
    RETRACTED: "answer withdrawn",
}
# How the summary line names them, when any force is in one.
_EXTRA_WORDS = {
    CLARIFICATION: "awaiting clarification",
    REVIEW: "in internal review",
    COMPLAINT: "with the regulator",
    RETRACTED: "answer withdrawn",
    WITHDRAWN: "withdrawn",
}


@dataclass
class Cell:
    """What one force sent for one requested year."""

    year: int
    label: str
    state: str  # data | suppressed | partial | misaligned | nil | refused | no_data | not_available | missing | none
    value: float | None = None
    text: str = ""
    sources: list[str] = field(default_factory=list)
    # For machine formats (issue 16): a suppressed figure's bounds, a part-year's coverage.
    low: float | None = None
    high: float | None = None
    months: int | None = None  # months of the year the figure covers (partial / other periods)
    months_expected: int | None = None


@dataclass
class ForceStatus:
    force: str
    force_code: str | None
    state: str  # one of STATE_WORDS
    cells: list[Cell] = field(default_factory=list)
    exemption: str | None = None
    due: date | None = None
    received: date | None = None
    late: bool = False  # answered after the deadline
    days_overdue: int | None = None  # working days past the deadline, for overdue forces
    on_list: bool = True  # in the campaign's forces list
    notes: list[str] = field(default_factory=list)
    law: str = FOIA.short  # "FOIA" or "FOISA" (Police Scotland), ...
    sent: date | None = None  # this force's last (re)send
    clock: "clocks.Clock | None" = None

    @property
    def replied(self) -> bool:
        return self.state not in (OUTSTANDING, OVERDUE)

    @property
    def chase(self) -> bool:
        """Overdue for a reply, or for an internal review."""
        return self.days_overdue is not None and self.state in (OVERDUE, REVIEW)


@dataclass
class Coverage:
    """The grid plus the dates it was judged against."""

    forces: list[ForceStatus]
    years: list[int]
    labels: list[str]
    sent: date | None
    due: date | None
    as_of: date
    roster_default: bool = False  # no forces list: the 43 territorial forces assumed

    @property
    def listed(self) -> list[ForceStatus]:
        return [f for f in self.forces if f.on_list]

    def count(self, *states: str) -> int:
        return sum(1 for f in self.listed if f.state in states)

    @property
    def summary(self) -> str:
        """ "31 of 43 answered; 4 refused; 8 outstanding, 3 overdue" (refusals are not answers)."""
        n = len(self.listed)
        extra = "".join(f"; {self.count(state)} {words}" for state, words in _EXTRA_WORDS.items() if self.count(state))
        return (
            f"{self.count(*REPLIED)} of {n} answered; {self.count(REFUSED)} refused; "
            f"{self.count(OUTSTANDING, OVERDUE)} outstanding, {self.count(OVERDUE)} overdue{extra}"
        )

    @property
    def notes(self) -> list[str]:
        """Caveats about the deadlines themselves (holidays not yet known)."""
        days = [d for f in self.forces for d in (f.due, f.clock.review_due if f.clock else None) if d is not None]
        note = provisional_note(days)
        return [note] if note else []


def _apply_clock(
    fs: ForceStatus, record: Mapping[str, Any], sent: date | None, history: list[Event], in_data: bool, as_of: date
) -> None:
    """The force's law and history decide its deadline, and whether it is late or overdue."""
    law = law_for(fs.force)
    clock = run_clock(law, sent, history)
    cal = law.calendar
    fs.law, fs.clock, fs.sent = law.short, clock, clock.sent
    if law is not FOIA:
        fs.notes.insert(0, f"{law.short}: {cal.description}; regulator: {law.regulator}")
    fs.notes.extend(clock.notes)
    fs.received = record.get("received")
    fs.due = record.get("due") or clock.due
    if fs.replied and fs.received and fs.due and fs.received > fs.due:
        fs.late = True
        fs.notes.append(f"late: {cal.between(fs.due, fs.received)} working days after the deadline")
    replied = fs.replied
    # The latest stage of the history wins over "outstanding"; a recorded reply stands
    # unless the history goes on past it (a review, a complaint, a retracted answer).
    if clock.stage == clocks.WITHDRAWN and not in_data:
        fs.state, fs.due = WITHDRAWN, None
    elif clock.stage == clocks.CLARIFICATION and not replied:
        fs.state, fs.due = CLARIFICATION, None
    elif clock.stage == clocks.REVIEW:
        fs.state, fs.due = REVIEW, clock.review_due
        if clock.review_due and as_of > clock.review_due:
            fs.days_overdue = cal.between(clock.review_due, as_of)
            if clock.review_latest and law.review_max_days:
                fs.notes.append(
                    f"internal review late by {law.review_basis}; {law.review_max_days} working days at most "
                    f"({clock.review_latest.isoformat()})"
                )
    elif clock.stage == clocks.COMPLAINT:
        fs.state = COMPLAINT
    elif clock.stage == clocks.RETRACTED:
        fs.state = RETRACTED
    elif not replied and fs.due and as_of > fs.due:
        fs.state = OVERDUE
        fs.days_overdue = cal.between(fs.due, as_of)


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _cell(year: int, label: str, y: "AlignedYear | None", answer: "Answer | None") -> Cell:
    """One grid cell from an aligned year, in words a tracker can show."""
    if y is None:
        if answer is not None and answer.refused:
            return Cell(year, label, "refused", text="refused")
        if answer is not None and answer.no_data:
            return Cell(year, label, "no_data", text="no data held")
        if answer is not None and answer.answered:
            return Cell(year, label, "missing", text="not given")
        return Cell(year, label, "none")
    status = (y.status or "").lower()
    sources = list(y.source_cells)
    if status == "refused":
        return Cell(year, label, "refused", text="refused", sources=sources)
    if status == "no_data":
        return Cell(year, label, "no_data", text="no data held", sources=sources)
    if status in ("not_available", "not_applicable"):
        return Cell(year, label, "not_available", text="not available", sources=sources)
    if y.misaligned or status == "misaligned":
        window = next((n.split(" starts in ")[0][len("source year "):] for n in y.notes if n.startswith("source year ")), "")
        months = re.fullmatch(r"([A-Z][a-z]{2}) \d{4}–([A-Z][a-z]{2}) \d{4}", window)
        span = f"{months[1]}–{months[2]} year" if months else (window or "other period")
        shown = f"{_num(y.value)} " if y.value is not None else ""
        return Cell(year, label, "misaligned", y.value, f"{shown}({span})", sources,
                    months=y.overlap_months, months_expected=y.months_expected)
    if status == "partial" or y.months_covered < y.months_expected:
        shown = f"{_num(y.value)} " if y.value is not None else ""
        return Cell(year, label, "partial", y.value, f"{shown}({y.months_covered}/{y.months_expected} months)", sources,
                    months=y.months_covered, months_expected=y.months_expected)
    if status == "nil":
        return Cell(year, label, "nil", 0.0, "nil", sources)
    if y.value is None:
        low, high = y.low, y.high
        if low is None and high is None:
            return Cell(year, label, "not_available", text="no value", sources=sources)
        shown = f"{_num(low)}–{_num(high)}" if high is not None else f"at least {_num(low)}"
        return Cell(year, label, "suppressed", None, shown, sources, low=low, high=high)
    return Cell(year, label, "data", y.value, _num(y.value), sources)


def _state_from_cells(cells: list[Cell], answer: "Answer | None") -> str:
    states = {c.state for c in cells}
    if answer is not None and answer.refused or (states and states <= {"refused"}):
        return REFUSED
    if answer is not None and answer.no_data or (states and states <= {"no_data"}):
        return NO_DATA
    if states and states <= {"nil"}:
        return NIL
    if "misaligned" in states:
        return MISALIGNED
    if states & {"partial", "missing", "none", "refused", "no_data", "not_available"} or not cells:
        return PARTIAL
    return ANSWERED


def coverage(
    years: "Iterable[AlignedYear]",
    answers: "Mapping[str, Answer]",
    roster: list[str],
    requested: list[int],
    year_start: int,
    *,
    sent: date | None = None,
    responses: Mapping[str, Mapping[str, Any]] | None = None,
    as_of: date | None = None,
    roster_default: bool = False,
    events: Iterable[Event] | None = None,
) -> Coverage:
    """The forces × years grid and each force's overall state.

    `years` are aligned years of one measure; `answers` say how each area replied
    overall (a refusal letter names no period); `roster` is who was asked (canonical
    names); `responses` are the campaign file's hand-kept records, which win over
    what the files say except "outstanding" once a reply has arrived; `events` are
    each force's history (re-sends, clarification, extension, review, complaint),
    replayed by the clock of the law the force answers under.
    """
    from foistats.model.forces import registry
    from foistats.model.periods import aligned_label

    as_of = as_of or date.today()
    responses = responses or {}
    deadline = statutory_deadline(sent) if sent else None
    history: dict[str, list[Event]] = {}
    for ev in events or ():
        history.setdefault(ev.force, []).append(ev)
    labels = [aligned_label(y, year_start) for y in requested]
    by_force: dict[str, dict[int, "AlignedYear"]] = {}
    codes: dict[str, str | None] = {}
    for y in years:
        if y.area_kind != "force":
            continue
        slot = by_force.setdefault(y.force, {})
        codes.setdefault(y.force, y.force_code)
        current = slot.get(y.year)
        if current is None or (current.misaligned and not y.misaligned):
            slot[y.year] = y
    seen = [name for name, a in answers.items() if a.area_kind == "force"]
    names = list(dict.fromkeys([*roster, *sorted(by_force), *sorted(seen)]))

    out: list[ForceStatus] = []
    for name in names:
        answer = answers.get(name)
        in_data = name in by_force or answer is not None
        record = dict(responses.get(name, {}))
        area = registry().by_name(name)
        code = codes.get(name) or (answer.force_code if answer else None) or (area.code if area else None)
        fs = ForceStatus(force=name, force_code=code, state=OUTSTANDING, on_list=name in roster)
        if not fs.on_list:
            fs.notes.append("not on the campaign's forces list")
        if in_data:
            slot = by_force.get(name, {})
            fs.cells = [_cell(y, lab, slot.get(y), answer) for y, lab in zip(requested, labels)]
            fs.state = _state_from_cells(fs.cells, answer)
            if fs.state == REFUSED:
                notes = [answer.note] if answer and answer.note else []
                notes += [n for y in slot.values() for n in y.notes]
                fs.exemption = next((exemption_words(n) for n in notes if n and exemption_words(n)), None)
        else:
            fs.cells = [Cell(y, lab, "none") for y, lab in zip(requested, labels)]
        status = record.get("status")
        if status and not (status == "outstanding" and in_data):
            fs.state = {"answered": ANSWERED, "refused": REFUSED, "no_data": NO_DATA, "nil": NIL, "partial": PARTIAL}.get(
                status, OUTSTANDING
            )
            if not in_data and fs.replied:
                fs.notes.append("recorded in the campaign file; no return among the files")
                word = {REFUSED: "refused", NO_DATA: "no data held", NIL: "nil"}.get(fs.state)
                if word:
                    fs.cells = [Cell(c.year, c.label, fs.state if fs.state != NIL else "nil", text=word) for c in fs.cells]
        elif status == "outstanding" and in_data:
            fs.notes.append("campaign file says outstanding, but a return is among the files")
        if record.get("exemption"):
            fs.exemption = exemption_words(str(record["exemption"]))
        if record.get("note"):
            fs.notes.append(str(record["note"]))
        _apply_clock(fs, record, sent, history.get(name, []), in_data, as_of)
        out.append(fs)
    out.sort(key=lambda f: (not f.on_list, f.force))
    return Coverage(
        forces=out, years=list(requested), labels=labels, sent=sent, due=deadline, as_of=as_of, roster_default=roster_default
    )
