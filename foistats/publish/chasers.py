"""Chasers: a short, polite email per overdue force, ready to paste.

Why a tool writes them: a chaser is only as strong as its facts — the right Act (FOIA
or FOISA), the section that sets the time limit, the date sent and the date the reply
was due, counted on the force's own calendar. Getting one of those wrong in forty-odd
emails is easy by hand; here they come from the same clock as `foistats status`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from foistats.campaign.law import LAWS, Law

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.status import Coverage, ForceStatus


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _law(fs: "ForceStatus") -> Law:
    return fs.clock.law if fs.clock is not None else next(law for law in LAWS.values() if law.short == fs.law)


def chaser(fs: "ForceStatus", *, title: str | None, wording: str | None, as_of: date) -> str:
    """One email: subject line, then the body. `fs` is overdue for a reply or a review."""
    from foistats.analysis.status import REVIEW

    law = _law(fs)
    clock = fs.clock
    what = f'"{title}"' if title else "my request"
    days = fs.days_overdue or 0
    late = f"{days} working day{'s' if days != 1 else ''}"
    if fs.state == REVIEW and clock is not None and clock.review_requested and clock.review_due:
        subject = f"Internal review overdue: {title or 'freedom of information request'}"
        limit = (
            f"Section 21(1) of the Act requires a response within {law.review_days} working days"
            if law.key == "foisa"
            else f"Under {law.review_basis}, a review should be completed within "
            f"{law.review_days} working days"
            + (f", and in no case more than {law.review_max_days}" if law.review_max_days else "")
        )
        body = [
            f"On {_long(clock.review_requested)} I asked for an internal review of your response to {what}, "
            f"made under {law.act}. "
            f"{limit}, so I expected the outcome by {_long(clock.review_due)}. It is now {late} past that date "
            "and I have not yet received it.",
        ]
    else:
        sent = clock.started if clock is not None and clock.started else fs.sent
        section = f"{law.deadline_section.capitalize()} of the Act" if law.deadline_section else "The law"
        restart = ""
        if clock is not None and clock.sent and sent and sent != clock.sent:
            restart = f" (the clarified request; the original was sent on {_long(clock.sent)})"
        due_words = f"within {law.days} working days, which was by {_long(fs.due)}" if fs.due else f"within {law.days} working days"
        if clock is not None and clock.extended_to is not None and fs.due == clock.extended_to:
            due_words = f"and you extended the deadline to {_long(fs.due)} ({law.extension_section})"
        subject = f"Overdue: {title or 'freedom of information request'} (sent {_long(sent) if sent else 'earlier'})"
        body = [
            f"I sent you {what} under {law.act} on {_long(sent) if sent else 'the date below'}{restart}. "
            f"{section} requires a response promptly and {due_words}. "
            f"It is now {late} past that date and I have not yet had a reply.",
        ]
    body.append(
        "Please could you send your response as soon as possible, or let me know when I can expect it. "
        "If anything about the request is unclear, I am happy to help."
    )
    if wording:
        body.append(f"The request was:\n{wording}")
    return "\n\n".join([f"To: {fs.force}\nSubject: {subject}", f"Dear {fs.force},", *body, "Thank you,\n"])


def chasers(cov: "Coverage", *, title: str | None, wording: str | None) -> list[tuple[str, str]]:
    """(force, text) for every listed force overdue for a reply or an internal review."""
    return [
        (fs.force, chaser(fs, title=title, wording=wording, as_of=cov.as_of))
        for fs in cov.listed
        if fs.chase
    ]
