"""What happened to one force's request after it was sent: the events that move the clock.

Why events and not one "status" field: the deadline a journalist chases depends on the
history, not the latest word — a clarification stops the clock and the clarified request
starts a fresh 20 working days; a public-interest extension moves it; an internal review
runs its own clock; a force that withdraws or replaces its answer is back to owing one.
The campaign file keeps them as a diary (`[[events]]`), one table per event, which
`foistats.campaign.clock` replays in date order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Each kind, and what it does to the clock (shown in the `foistats init` template).
EVENT_KINDS: dict[str, str] = {
    "sent": "the request was (re)sent to this force: the clock runs from this day",
    "clarification_requested": "the force asked what you meant: the clock stops",
    "clarified": "you answered: the clarified request has a fresh 20 working days from this day",
    "extended": "the force extended for a public interest test (FOIA s10(3) only); until = its new date",
    "review_requested": "you asked for an internal review (20 working days; FOIA: 40 at most)",
    "review_answered": "the force sent its internal review result",
    "complaint": "you complained to the regulator (ICO, or the Scottish Information Commissioner)",
    "withdrawn": "you withdrew the request: nothing is owed",
    "answer_withdrawn": "the force withdrew (retracted) its answer: a new one is owed",
    "answer_superseded": "the force replaced its answer with a new one (e.g. after central advice)",
}
# Spellings people type, mapped onto the kinds.
EVENT_ALIASES: dict[str, str] = {
    "resent": "sent",
    "re-sent": "sent",
    "clarification": "clarification_requested",
    "clarification asked": "clarification_requested",
    "awaiting clarification": "clarification_requested",
    "clarification sent": "clarified",
    "extension": "extended",
    "public interest extension": "extended",
    "internal review": "review_requested",
    "review": "review_requested",
    "review requested": "review_requested",
    "review answered": "review_answered",
    "review result": "review_answered",
    "complained": "complaint",
    "complaint to regulator": "complaint",
    "ico complaint": "complaint",
    "retracted": "answer_withdrawn",
    "answer retracted": "answer_withdrawn",
    "superseded": "answer_superseded",
    "reanswered": "answer_superseded",
    "re-answered": "answer_superseded",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened to one force's request, on one day."""

    force: str  # canonical name
    kind: str  # a key of EVENT_KINDS
    on: date
    until: date | None = None  # for "extended": the new deadline the force gave
    note: str | None = None
    source: str | None = None  # where it was recorded: "foistats.toml line 42", a WhatDoTheyKnow URL


def event_kind(text: str) -> str | None:
    """The canonical kind for what someone typed, or None when it is not one."""
    key = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    if key.replace(" ", "_") in EVENT_KINDS:
        return key.replace(" ", "_")
    return EVENT_ALIASES.get(key) or EVENT_ALIASES.get(key.replace(" ", "-"))
