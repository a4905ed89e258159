"""The reply letter itself: the force's reference, the date of the reply and its outcome.

A reply is an answer even when it holds no figures: "the information is not held", "the
cost of finding it would exceed the appropriate limit (section 12)". This module reads
those words from the letter's text (a PDF's pages, a Word document's paragraphs, an
email's body) and keeps the sentence that decided the outcome, so a user can check it.

Outcomes: `supplied`, `partly_supplied`, `not_held`, `nil`, `refused` (with the
sections cited: s12, s14, s21, s30, s31, s40(2) …, or `NCND` for "neither confirm nor
deny"). Boilerplate about reviews, complaints and the Information Commissioner never
decides an outcome. No regular expression here has nested quantifiers (letters can be
long and hostile). Imports only `foistats.model`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

SUPPLIED = "supplied"
PARTLY = "partly_supplied"
NOT_HELD = "not_held"
NIL = "nil"
REFUSED = "refused"

WORDS = {
    SUPPLIED: "information supplied",
    PARTLY: "partly supplied",
    NOT_HELD: "information not held",
    NIL: "nil return",
    REFUSED: "refused",
}

_REF_LABEL = re.compile(
    r"(?<![Yy]our )(?<![Yy]our)\b(?:our\s+ref(?:erence)?|foi\s+ref(?:erence)?|request\s+(?:number|no|ref(?:erence)?)|"
    r"reference|ref|case\s+(?:number|no|ref(?:erence)?)|freedom\s+of\s+information\s+(?:request\s+)?(?:number|no|reference))"
    r"\.?(?:\s+(?:no|number))?\.?\s{0,3}[:#.]?\s{0,3}([A-Za-z0-9][A-Za-z0-9/\\\-_.]{1,40})",
    re.I,
)
_FOI_NUMBER = re.compile(r"\bFOI\s{0,2}(?:request\s{1,2})?[:#]?\s{0,2}(\d[\d/\-]{1,20}\d)\b", re.I)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE_WORDS = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS})\.?,?\s+(\d{{4}})\b", re.I)
_DATE_US = re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DATE_NUM = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_DATE_LABEL = re.compile(r"^\s*(?:date(?:d)?(?:\s+of\s+(?:reply|response))?|sent)\s*[:\-]", re.I)

_BOILERPLATE = re.compile(
    r"internal review|information commissioner|\bico\b|complain|right to (?:appeal|ask|request)|dissatisfied|"
    r"appeal|re-?use|copyright|section 50|section 17\(7\)|wycliffe house|if you (?:are|have)|future communications|"
    r"publication scheme|disclosure log|data protection act 2018 (?:and|gives)|fees? (?:notice|regulations)",
    re.I,
)
_NCND = re.compile(r"neither\s+confirm\s+(?:n|o)or\s+deny|\bNCND\b|confirm\s+or\s+deny\s+whether", re.I)
# The whole number: "section 121" (of another Act) is not section 12.
_SECTION = re.compile(r"\b(?:section|sections|s\.?)\s?(\d{1,2})(?!\d)(?:\s?\((\d)\))?(?:\s?\(([a-z])\))?", re.I)
_EXEMPT_SECTIONS = {"12", "14", "21", "22", "23", "24", "26", "27", "29", "30", "31", "32", "33", "35", "36", "38", "40", "41", "42", "43", "44"}
_REFUSE = re.compile(
    r"\brefus|\bexempt|\bexemption|unable to (?:provide|comply|supply|disclose)|cannot (?:provide|comply|supply|disclose)|"
    r"not (?:obliged|required) to (?:comply|provide|disclose)|will not (?:be )?(?:disclos|provid|supply)|is being withheld|"
    r"withh(?:eld|old)|exceed(?:s|ed)?\s+the\s+(?:appropriate|cost)\s+limit|appropriate limit|cost limit|vexatious|repeated request",
    re.I,
)
_NOT_HELD = re.compile(
    r"(?:information|data|records?)\s+(?:is|are|was|were)\s+not\s+held|\bnot held\b|does not hold|do not hold|"
    r"holds? no (?:recorded )?information|no (?:recorded )?information (?:is |was )?held|no (?:such )?records? (?:are |is )?held|"
    r"not (?:recorded|captured) (?:in a|on|by)|no trace of|unable to locate any",
    re.I,
)
_NIL = re.compile(
    r"\bnil\b|there (?:were|was|have been|has been) no\s|no (?:crimes|offences|incidents|reports|arrests|cases|records) "
    r"(?:were|have been|was|had been) (?:recorded|reported|made|found)|(?:the )?answer is (?:zero|none|0)\b",
    re.I,
)
_SUPPLIED = re.compile(
    r"please (?:find|see)\b[^!?]{0,80}\b(?:attached|enclosed|below)|please (?:find|see) (?:the table|our response)|is attached|are attached|attached (?:is|are|spreadsheet|document|table)|"
    r"disclose (?:the|this) (?:located )?information|(?:information|data) (?:you (?:have )?requested|requested) (?:is|are) (?:provided|attached|below|shown|as follows)|"
    r"provided (?:below|in the (?:table|attached))|(?:can|could) provide|(?:can|could) supply|in full\b|table below|"
    r"the (?:following|attached) (?:table|information|data)|located information|response to your request is",
    re.I,
)
_PARTLY = re.compile(r"\bpart(?:ly|ially)?\b.{0,40}(?:supplied|provided|disclosed|held|release)|some of the information|in part\b", re.I)


@dataclass
class Letter:
    reference: str | None = None
    reference_text: str | None = None  # the line it was read from
    date: date | None = None
    outcome: str | None = None  # one of WORDS, or None when the letter does not say
    exemptions: list[str] = field(default_factory=list)  # "s12", "s40(2)", "NCND"
    sentence: str | None = None  # the sentence that decided the outcome
    letterhead: str | None = None  # the force named in the letterhead or signature

    @property
    def outcome_words(self) -> str | None:
        if self.outcome is None:
            return None
        words = WORDS[self.outcome]
        if self.exemptions:
            words += " (" + "; ".join(self.exemption_names) + ")"
        return words

    @property
    def exemption_names(self) -> list[str]:
        from foistats.model.exemptions import exemption_words

        return [(exemption_words(e) or e) if e != "NCND" else "neither confirm nor deny" for e in self.exemptions]

    def summary(self) -> str:
        bits = []
        if self.reference:
            bits.append(f"ref {self.reference}")
        if self.date:
            bits.append(f"dated {self.date.isoformat()}")
        head = "letter" + (f" ({', '.join(bits)})" if bits else "")
        if self.outcome is None:
            return f"{head}: outcome not stated in words foistats recognises"
        said = f' — "{_short(self.sentence)}"' if self.sentence else ""
        return f"{head}: {self.outcome_words}{said}"

    def note(self) -> str:
        """The note on a tidy row made from this letter (status() reads exemptions from it)."""
        if self.outcome == REFUSED:
            text = "refused: " + ("; ".join(self.exemption_names) or "reason not cited")
        else:
            text = self.outcome_words or ""
        if self.reference:
            text += f"; ref {self.reference}"
        if self.sentence:
            text += f'; letter says "{_short(self.sentence, 160)}"'
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "date": self.date.isoformat() if self.date else None,
            "outcome": self.outcome,
            "exemptions": list(self.exemptions),
            "sentence": self.sentence,
            "letterhead": self.letterhead,
        }


def _short(text: str | None, n: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def read_letter(text: str, has_figures: bool = False, titles: "Iterable[str]" = ()) -> Letter:
    """Read reference, date, outcome (and letterhead force) from a letter's plain text.

    `titles` are the lines that are the titles of the document's tables: they name a
    table's force (tidy reads them as title cells), never the letterhead's.
    """
    text = _flat(text)
    letter = Letter()
    letter.reference, letter.reference_text = _reference(text)
    letter.date = _date(text)
    letter.letterhead = _letterhead(text, titles)
    _outcome(text, letter, has_figures)
    return letter


def letterhead_of(text: str, titles: "Iterable[str]" = ()) -> str | None:
    """The letterhead's force alone (a document re-reads it once it knows its table titles)."""
    return _letterhead(_flat(text), titles)


def _flat(text: str) -> str:
    text = (text or "")[:200_000]
    # Cells of layout tables (Word letters laid out in a table) read as one line of words.
    return "\n".join(" ".join(line.replace("|", " ").split()) for line in text.splitlines())


# A sentence of the letter, not a heading, address, letterhead or signature line. Prose
# names other forces in passing ("transferred to us by Essex Police on 3 March 2024",
# "as Essex Police did"): neither its forces nor its dates are the letter's own.
_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9]{2})[.!?]\s+[A-Z(\"']")
_PERSON = re.compile(r"\b(?:we|us|our|you|your|i|they|their|which|who|whom)\b", re.I)
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do)\b", re.I)
# A prose sentence in which the force speaks for itself ("the Police Service of Northern
# Ireland has now completed its search"), and words that make a mention a passing one.
_SELF = re.compile(
    r"\bhas\s(?:now\s)?(?:completed|concluded|carried\sout|conducted|considered|located)\b|\bon\sbehalf\sof\b|\bcan\s(?:now\s)?confirm\b",
    re.I,
)
_PASSING = re.compile(
    r"transferr|forward|redirect|\brefer(?:red)?\b|\balso\s(?:been\s)?(?:sent|made|submitted|copied)|separately|compar|"
    r"neighbour|another\sforce|other\sforces?|\bdid\b|publish|'s\sfigures|same\srequest",
    re.I,
)
# A passing mention: the force handed the request on, or answers it itself.
TRANSFER = re.compile(
    r"transferr|forward|redirect|\brefer(?:red)?\b|\balso\s(?:been\s)?(?:sent|made|submitted|copied)|separately|"
    r"will\s(?:reply|respond)|same\srequest|\bas\s.{0,60}\bdid\b",
    re.I,
)


def is_prose(line: str) -> bool:
    """A sentence, not a title or letterhead line: why a force named in it is only mentioned.

    Titles and letterheads are short and verbless ("Essex Police: sextortion reports",
    "Information Management Unit, Kent Police"); a sentence runs on ("… which are:"),
    speaks to someone ("your request", "we") or ends with a full stop.
    """
    text = " ".join((line or "").split())
    words = len(text.split())
    if words >= 6 and _SENTENCE_BREAK.search(text):
        return True
    if words >= 5 and text.endswith((".", "!", "?")):
        return True
    if words >= 6 and _PERSON.search(text):
        return True
    return words >= 6 and text.endswith((":", ",", ";")) and bool(_FINITE.search(text))


def _marked(lines: list[str]) -> list[tuple[str, bool]]:
    """Each line with whether it is prose; a wrapped sentence's continuation lines are prose too."""
    out: list[tuple[str, bool]] = []
    prev_open = False  # the previous line is prose that has not ended its sentence
    for ln in lines:
        prose = is_prose(ln) or (prev_open and bool(ln.strip()))
        out.append((ln, prose))
        prev_open = prose and bool(ln.strip()) and not ln.rstrip().endswith((".", "!", "?", ":"))
    return out


def _reference(text: str) -> tuple[str | None, str | None]:
    lines = text.splitlines()
    for line in lines[:120]:
        for m in _REF_LABEL.finditer(line):
            token = m.group(1).strip(".,;:)")
            if any(ch.isdigit() for ch in token) and not _DATE_NUM.fullmatch(token):
                return token, line.strip()
    for line in lines[:200]:
        m = _FOI_NUMBER.search(line)
        if m:
            return f"FOI {m.group(1)}", line.strip()
    return None, None


def _date(text: str) -> date | None:
    """A dated line ("Date: 12 March 2024", a date alone near the top), never a date in a
    sentence: "transferred to us on 3 March 2024" or "the period 1 April 2022 to …"."""
    lines = text.splitlines()
    labelled = [ln for ln in lines[:80] if _DATE_LABEL.match(ln)]
    plain = [ln for ln, prose in _marked(lines[:60]) if not prose]
    for ln in labelled + plain:
        found = _first_date(ln)
        if found is not None:
            return found
    return None


def _first_date(line: str) -> date | None:
    from foistats.model.periods import PeriodError, month_from_name

    for m in _DATE_WORDS.finditer(line):
        try:
            return date(int(m.group(3)), month_from_name(m.group(2).rstrip(".")), int(m.group(1)))
        except (PeriodError, ValueError):
            continue
    for m in _DATE_US.finditer(line):
        try:
            return date(int(m.group(3)), month_from_name(m.group(1).rstrip(".")), int(m.group(2)))
        except (PeriodError, ValueError):
            continue
    for m in _DATE_NUM.finditer(line):
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))  # UK order
        except ValueError:
            continue
    return None


def _letterhead(text: str, titles: "Iterable[str]" = ()) -> str | None:
    """The force named at the top of the letter (its letterhead) or, failing that, at the bottom.

    Only lines that are not sentences: a force named in the letter's prose ("transferred
    to us by Essex Police", "for comparison, Essex Police's figures") is mentioned, not
    the one replying. A table's title is the table's, not the letterhead. Last resort, a
    sentence in which the force speaks for itself ("… has now completed its search").
    """
    from foistats.model.forces import registry
    from foistats.model.schema import FORCE

    skip = {" ".join(t.split()) for t in titles if t}
    marked = [(ln.strip(), prose) for ln, prose in _marked(text.splitlines()) if ln.strip() and ln.strip() not in skip]

    def force_of(ln: str) -> str | None:
        if len(ln) > 200:
            return None
        match = registry().find_in_text(ln)
        if match is not None and match.area.kind == FORCE and not match.is_guess:
            return match.area.name
        return None

    chunks = (marked[:15], marked[-15:])
    for chunk in chunks:
        for ln, prose in chunk:
            found = None if prose else force_of(ln)
            if found:
                return found
    for chunk in chunks:
        for ln, prose in chunk:
            if prose and _SELF.search(ln) and not _PASSING.search(ln):
                found = force_of(ln)
                if found:
                    return found
    return None


def _sentences(text: str) -> list[str]:
    flat = re.sub(r"[ \t]+", " ", text.replace("\r", ""))
    # A short line that does not end a sentence is a heading or an address line, not the
    # start of a wrapped sentence: keep it apart so it never glues onto the next one.
    blocks: list[str] = []
    cur: list[str] = []
    for line in flat.split("\n"):
        line = line.strip()
        if not line:
            if cur:
                blocks.append(" ".join(cur))
                cur = []
            continue
        cur.append(line)
        if len(line) < 55 and not line.endswith((",", ";", "-", "and", "or", "the", "of", "to")):
            blocks.append(" ".join(cur))
            cur = []
    if cur:
        blocks.append(" ".join(cur))
    out = []
    for joined in blocks:
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'])", joined):
            s = s.strip()
            if len(s) > 8:
                out.append(s[:1000])
    return out


def _outcome(text: str, letter: Letter, has_figures: bool) -> None:
    refused = not_held = nil = supplied = partly = None
    sections: list[str] = []
    for s in _sentences(text):
        if _BOILERPLATE.search(s):
            continue
        cited = [
            f"s{m.group(1)}" + (f"({m.group(2)})" if m.group(2) else "")
            for m in _SECTION.finditer(s)
            if m.group(1) in _EXEMPT_SECTIONS
        ]
        if _NCND.search(s):
            for c in ["NCND", *cited]:
                if c not in sections:
                    sections.append(c)
            refused = refused or s
        elif cited and (_REFUSE.search(s) or re.search(r"\bapplies\b|\bapplied\b|\bengaged\b|\brel(?:y|ied|ying) (?:up)?on\b", s, re.I)):
            for c in cited:
                if c not in sections:
                    sections.append(c)
            refused = refused or s
        elif _REFUSE.search(s) and re.search(r"appropriate limit|cost limit|exceed", s, re.I):
            if "s12" not in sections:
                sections.append("s12")
            refused = refused or s
        elif _REFUSE.search(s) and not refused and re.search(r"\brefus|\bexempt", s, re.I):
            refused = s
        if _NOT_HELD.search(s) and not not_held:
            not_held = s
        if _NIL.search(s) and not nil and not re.search(r"\bno\s+(?:longer|further|need)\b", s, re.I):
            nil = s
        if _PARTLY.search(s) and not partly:
            partly = s
        if _SUPPLIED.search(s) and not supplied:
            supplied = s
    letter.exemptions = sections
    if refused and (has_figures or partly or (supplied and not _SUPPLIED.search(refused))):
        letter.outcome, letter.sentence = PARTLY, partly or refused
    elif refused:
        letter.outcome, letter.sentence = REFUSED, refused
    elif partly:
        letter.outcome, letter.sentence = PARTLY, partly
    elif not_held and not has_figures:
        letter.outcome, letter.sentence = NOT_HELD, not_held
    elif nil and not has_figures:
        letter.outcome, letter.sentence = NIL, nil
    elif has_figures or supplied:
        letter.outcome, letter.sentence = SUPPLIED, supplied
        if not_held and has_figures:
            letter.outcome, letter.sentence = PARTLY, not_held
