"""The publishable sentence under `rank/rise/explain --force`: words a reporter can print.

`analysis.rank.sentence` builds it from the exact figures; this layer makes sure it is
publishable as it stands:
- each figure carries its own period: a force that counts April–March years, or sent
  part of a year, is never given the June–May label of the years compared;
- plain words, not option names: "fewer than 10 in the first year", never
  "--min-base"; "twice as many", not "2 times as many".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from foistats.analysis.change import Rise
    from foistats.analysis.rank import Ranking


def _window(y: Any) -> str | None:
    """The period the force's own figure covers, when it is not the aligned year."""
    if y is None or (y.value is None and y.low is None and y.high is None) or y.months_covered == 0:
        return None
    if getattr(y, "misaligned", False):
        for note in y.notes:
            if note.startswith("source year ") and " starts in " in note:
                return note.split(" starts in ")[0][len("source year "):]
        if y.source_labels:
            return " + ".join(y.source_labels)
        return "a different year"
    if y.months_covered < y.months_expected:
        from foistats.model.periods import MONTH_ABBR

        long = f"{MONTH_ABBR[y.start.month]} {y.start.year}–{MONTH_ABBR[y.end.month]} {y.end.year}"
        return f"{y.months_covered} of the 12 months of {long}"
    return None


def plain(reason: str) -> str:
    """A ranking reason in words for readers, without option names."""
    text = reason
    text = re.sub(
        r"base below --min-base (\d[\d,]*)(?: \(([^)]*)\))?",
        lambda m: f"fewer than {m[1]} in the first year, too few for a percentage to mean much",
        text,
    )
    text = re.sub(r"\s*\(?--[a-z-]+(?: [^)\s]+)?\)?", "", text)
    text = text.replace("misaligned periods", "counted over different years")
    text = text.replace("no percentage from zero", "a percentage cannot be taken from zero")
    return text.strip()


def _twice(text: str) -> str:
    return re.sub(r"\b2 times as many\b", "twice as many", re.sub(r"\b3 times as many\b", "three times as many", text))


def publishable(rise: "Rise", ranking: "Ranking | None", from_long: str, to_long: str) -> str:
    """The sentence for one force; see the module docstring for what is guaranteed."""
    from foistats.analysis.rank import _count, sentence

    fy, ty = rise.from_year, rise.to_year
    own_from, own_to = _window(fy), _window(ty)
    if own_from is None and own_to is None:
        text = sentence(rise, ranking, from_long, to_long)
        if "--" in text or "no percentage from zero" in text:
            head, sep, reason = text.partition("; not ranked (")
            if sep:
                text = head + "; not ranked (" + plain(reason[:-2] if reason.endswith(").") else reason.rstrip(".")) + ")."
            else:
                text = plain(text)
        return _twice(text)

    def figure(value: Any, y: Any, own: str | None, long: str) -> str:
        if value is not None:
            shown = _count(value)
        elif y is not None and y.value is not None:
            shown = _count(y.value)
        else:
            shown = "no figure"
        return f"{shown} in {own}" if own else f"{shown} in {long}"

    first = figure(rise.from_exact, fy, own_from, from_long)
    last = figure(rise.to_exact, ty, own_to, to_long)
    why = []
    if own_from and fy is not None and fy.misaligned or own_to and ty is not None and ty.misaligned:
        why.append(f"the force counts different years from the {from_long} to {to_long} years compared")
    if (fy is not None and not fy.misaligned and own_from) or (ty is not None and not ty.misaligned and own_to):
        why.append("a part year cannot be compared with a whole one")
    text = f"{rise.force}: {first}; {last}. No rise is given: " + "; ".join(why or ["the years do not match"])
    if ranking is not None:
        text += ", so it is not ranked"
    return text + "."
