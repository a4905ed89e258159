"""Which numbers in copy are figures: counts, amounts and rates — not years, dates, durations or ages.

A newsroom sentence is full of numbers that are not what a claim is about:
"in 2004/5", "between March 23 and June 8", "in the 12 months to September", "aged 15",
"section 1 of PACE", "per 1,000 people". A checker that takes them as the before and
after figures judges the wrong change, so each sentence is rewritten here into a
*prepared* form before any claim is read:

- per cent, percent, pc, per-cent and percentage points get one spelling (`%`, `pp`);
- numbers in words become digits ("seven per cent" -> "7%", "seventeen-and-a-half" -> 17.5);
- every number that is not a figure is replaced by a placeholder word, so the order
  patterns in `passage` read over it like any other word: years and year labels become
  `yr` followed by the (end) year spelled in letters a-j (`2013/14` -> `yrcabe`), which keeps
  them comparable for "X in 2019 and Y in 2023"; dates become `dt`, durations `nn`,
  ages `ag`, reference numbers `rf`;
- thousands separators go, so `1,084,604` is one token.

"Unless the sentence makes them one": a four-digit number followed by a unit of change
(`2019%`, `2019 times`) or a counted noun (`2019 offences`) stays a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from foistats.analysis.claims.lazyre import _Lazy

_UNIT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
_TEEN_WORDS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_UNITS_ALT = "|".join(_UNIT_WORDS)
_WORD_NUMBER = _Lazy(
    r"(?<![\w-])(?P<n>(?:" + "|".join(_TENS_WORDS) + r")(?:[\s-](?:" + _UNITS_ALT + r"))?|"
    + "|".join(_TEEN_WORDS) + "|" + _UNITS_ALT + r"|a\s+hundred)"
    r"(?P<half>(?:-and-a-half|\s+and\s+a\s+half))?(?![\w])"
)
# "one" is a number only when it counts something: not "one of", "one in five", "no one", "this one".
_ONE_NOT_A_NUMBER_AFTER = re.compile(
    r"^(?:\s+(?:of|in|another|or|and|day|way|who|that|which|thing|time|point|hand|side|more|less|another|"
    r"way|place)\b|-(?:off|way|sided))"
)
_ONE_NOT_A_NUMBER_BEFORE = re.compile(r"\b(?:no|any|every|this|that|the|each|which|some|only\s+the)\s+$")

# "used force 580 times" counts occasions; "6.8 times the 664", "five times higher" and
# "increased 17.5 times" are multiples.
_COUNTED_TIMES = _Lazy(
    r"(?<![\w.])(?P<n>\d[\d,]*(?:\.\d+)?)\s+times\b(?!\s+(?:as|more|higher|greater|larger|bigger|lower|smaller|fewer|"
    r"less|the|that|what|over|its|their|his|her|this|in\s+(?:the\s+)?(?:\d|number|size|rate|level))\b)"
)
_CHANGE_BEFORE = _Lazy(r"\b(?:increased?|rose|risen|grown|grew|jumped|multiplied|up|soared|went\s+up)\s+(?:by\s+)?"
                       r"(?:(?:some|about|almost|nearly|around|more\s+than|over)\s+)?$")

_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
# Words that make a four-digit number a count rather than a year: "2019 offences".
_COUNT_NOUNS = (
    r"(?:offences?|crimes?|cases?|reports?|incidents?|people|persons?|victims?|arrests?|requests?|"
    r"officers?|calls?|complaints?|stops?|searches|prosecutions?|charges?|convictions?|deaths?|"
    r"children|adults?|men|women|claims?|applications?|referrals?|records?|items?|vehicles?|"
    r"homicides?|assaults?|thefts?|burglar(?:y|ies)|robber(?:y|ies)|more|fewer|extra)"
)
_NON_FIGURE_UNIT = r"(?:\s*(?:%|pp\b|x\b|times\b|-?\s*fold\b)|[.,]\d)"

_DATE = [
    _Lazy(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?![a-z])"),  # 30 september
    _Lazy(rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?![.,]?\d)"),  # june 8
    _Lazy(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 08/06/2020
]
_DURATION = _Lazy(
    r"\b(?P<n>\d+(?:\.\d+)?)(?P<gap>[\s-]+)(?=(?:calendar\s+|financial\s+|working\s+|full\s+|consecutive\s+)?"
    r"(?:days?|weeks?|months?|years?|"
    r"hours?|minutes?|seconds?|decades?|centur(?:y|ies)|quarters?)\b)"
)
_AGE = [
    _Lazy(r"\baged?\s+(?:between\s+|under\s+|over\s+)?\d+(?:\s*(?:-|to|and)\s*\d+)?"),
    _Lazy(r"\b(?:under|over)[\s-]\d+s?\b(?=\s*(?:s\b|year|-year|children|girls|boys|people|victims|adults|$|[,.;)]))"),
    _Lazy(r"\b(?:under|over)-\d+s?\b"),
    _Lazy(r"\b\d+s?\s*(?:-|to)\s*\d+[\s-]*year[\s-]*olds?\b"),
]
_REFERENCE = _Lazy(
    r"\b(?:sections?|s\.|article|schedule|clause|chapter|paragraph|para|regulation|tier|phase|"
    r"category|grade|foi|ref|reference|no\.|case\s+(?:no\.?|number)|covid|"
    r"operation|junction|route|room|flat|po\s+box|annex|appendix)"
    r"[\s-]?\d+[\w/()]*(?:-\d+)?(?![.,]?\d)"
)
_PHONE_LINES = _Lazy(
    r"\b(?:999|101|111)(?=\s+(?:and\s+(?:999|101|111)\s+)?(?:calls?|line|service|number|emergency))|"
    r"(?<=\bcalls\sto\s)(?:999|101|111)\b|(?<=\bcall\sto\s)(?:999|101|111)\b|(?<=\bdialled\s)(?:999|101|111)\b"
)
_SECTION_FORMS = _Lazy(r"\bs\d+(?:\(\d+\))?(?:\([a-z]\))?")  # s40(2), s12
_RATE_BASE = _Lazy(r"\bper\s+(?:\d+(?:,\d{3})*|thousand|hundred|million)(?:\s+(?:thousand|million))?")
_YEAR_LABEL = _Lazy(
    r"(?<![\d.,£$])\b((?:19|20)\d\d)(?:\s*(?:/|-|–)\s*((?:19|20)?\d{1,2})|\s+to\s+((?:19|20)\d\d))\b(?![.,]?\d)(?!\s*%)"
)
_YEAR = _Lazy(r"(?<![\d.,£$+\-])\b((?:19|20)\d\d)\b(?![.,]?\d)")
_THOUSANDS_COMMA = _Lazy(r"(?<=\d),(?=\d{3}(?!\d))")


# "turnout fell by more than seven points": points after a change word are percentage points.
_BARE_POINTS = _Lazy(
    r"(?P<lead>\b(?:by|up|down|fell|rose|dropped|jumped|climbed|slipped|(?:fall|rise|drop|increase|decrease)\s+of)\s+"
    r"(?:(?:more\s+than|almost|nearly|about|some|over|just\s+over|just\s+under|around)\s+)?)"
    r"(?P<n>\d+(?:\.\d+)?)\s+points?\b"
)


def year_token(year: int) -> str:
    """A year as a placeholder word: 2014 -> 'yrcabe' (digits spelled a-j), so patterns read it as a word."""
    return "yr" + "".join(chr(ord("a") + int(d)) for d in str(year))


YEAR_TOKEN_RE = r"yr[a-j]{4}"


def token_year(token: str) -> int | None:
    m = re.fullmatch(YEAR_TOKEN_RE, token)
    if not m:
        return None
    return int("".join(str(ord(c) - ord("a")) for c in token[2:]))


@dataclass(frozen=True)
class Prepared:
    """One sentence ready for the claim grammar, with what was set aside as not a figure."""

    original: str
    text: str
    set_aside: tuple[str, ...]  # numbers read as years, dates, durations, ages or references, as written


def _words_to_digits(t: str) -> str:
    def repl(m: re.Match[str]) -> str:
        word = re.sub(r"\s+", " ", m.group("n"))
        if re.match(r"[\s-]*(?:halves|half|thirds?|quarters?|fifths?|tenths?)\b", t[m.end():]):
            return m.group(0)  # "four-fifths" is a fraction word, read by the claim grammar
        if word == "one":
            if _ONE_NOT_A_NUMBER_AFTER.match(t[m.end("n"):]) or _ONE_NOT_A_NUMBER_BEFORE.search(t[:m.start()]):
                return m.group(0)
        if word == "a hundred":
            value = 100
        elif word in _UNIT_WORDS:
            value = _UNIT_WORDS[word]
        elif word in _TEEN_WORDS:
            value = _TEEN_WORDS[word]
        else:
            parts = re.split(r"[\s-]", word)
            value = _TENS_WORDS[parts[0]] + (_UNIT_WORDS[parts[1]] if len(parts) > 1 else 0)
        return f"{value}.5" if m.group("half") else str(value)

    return _WORD_NUMBER.sub(repl, t)


# "one in five victims", "1 in 4": a rate, read as the percentage it is (20%, 25%).
_SHARE = _Lazy(r"(?<![\w.,])(?P<n>\d+|one)\s+in\s+(?:every\s+)?(?P<m>\d+)\b(?![.,]\d|\s*%)")


def _share_as_rate(m: re.Match[str]) -> str:
    n = 1 if m.group("n") == "one" else int(m.group("n"))
    d = int(m.group("m"))
    if not 0 < n < d <= 100_000:
        return m.group(0)
    pct = n * 100 / d
    return f"{pct:.4f}".rstrip("0").rstrip(".") + "% share"  # "share" marks it a level for the claim reader


def prepare(sentence: str) -> Prepared:
    """Normalise one sentence and replace every number that is not a figure by a placeholder word."""
    t = sentence.lower()
    for a, b in (("\u2212", "-"), ("\u2013", " - "), ("\u2014", " - "), ("×", "x"), ("→", " -> "),
                 ("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " "),
                 ("…", " ")):
        t = t.replace(a, b)
    t = re.sub(r"[£$€](?=\s?\d)", "", t)
    t = re.sub(r"(?<![\w.])x\s?(\d+(?:\.\d+)?)(?![\d.,%]|\w)", r"\1x", t)  # x6.8 and ×6.8 read as 6.8x
    t = re.sub(r"(?<=\d)\s*(?:per[\s-]*cent(?:age)?\b(?!age)|percent\b|pc\b(?!\s*pts?))", "%", t)
    t = re.sub(r"\bper[\s-]*cent\b", "%", t)
    t = re.sub(r"\s*(?:\bpercentage[\s-]+points?|%\s*points?|\bppts?\b|\bpp\b|\bpc\s+pts?\b)", " pp", t)
    t = re.sub(r"(\d)\s+pp\b", r"\1pp", t)
    t = _words_to_digits(t)
    t = _BARE_POINTS.sub(r"\g<lead>\g<n>pp", t)
    t = re.sub(r"(\d)\s+(?=%)", r"\1", t)
    t = _COUNTED_TIMES.sub(lambda m: m.group(0) if _CHANGE_BEFORE.search(t[max(0, m.start() - 40):m.start()])
                           else m.group("n") + " occasions", t)
    t = re.sub(r"(\d)\s+pp\b", r"\1pp", t)
    aside: list[str] = []

    def put(kind: str):
        def repl(m: re.Match[str]) -> str:
            aside.append(m.group(0).strip())
            return f" {kind} "
        return repl

    for rx in _DATE:
        t = rx.sub(put("dt"), t)
    for rx in _AGE:
        t = rx.sub(put("ag"), t)
    t = _RATE_BASE.sub(lambda m: (aside.append(m.group(0)), " per rf ")[1], t)
    t = _SECTION_FORMS.sub(put("rf"), t)
    t = _PHONE_LINES.sub(put("rf"), t)
    t = _REFERENCE.sub(put("rf"), t)

    def label(m: re.Match[str]) -> str:
        start, end = int(m.group(1)), m.group(2) or m.group(3)
        if len(end) <= 2:
            width = 10 ** len(end)
            end_year = start - start % width + int(end)
            if end_year < start:
                end_year += width  # 1999/00 ends in 2000
        else:
            end_year = int(end)
        if not 0 <= end_year - start <= 30:
            return m.group(0)
        aside.append(m.group(0))
        return " " + year_token(end_year) + " "

    t = _YEAR_LABEL.sub(label, t)

    def year(m: re.Match[str]) -> str:
        rest = t[m.end():]
        if re.match(_NON_FIGURE_UNIT, rest) or re.match(rf"\s+(?:[a-z]+\s+)?{_COUNT_NOUNS}\b", rest):
            return m.group(0)
        aside.append(m.group(0))
        return year_token(int(m.group(1)))

    t = _YEAR.sub(year, t)
    t = _DURATION.sub(lambda m: (aside.append(m.group(0).strip()), "nn" + m.group("gap"))[1], t)
    t = _SHARE.sub(_share_as_rate, t)
    t = _THOUSANDS_COMMA.sub("", t)
    t = re.sub(r"[ \t]+", " ", t)
    return Prepared(sentence, t, tuple(aside))


_SENTENCE_END = _Lazy(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(£$]?[A-Z0-9])|\s*…\s*|\n\s*\n|\s*\n(?=\s*[A-Z\"“])")


def split_sentences(passage: str) -> list[str]:
    """Sentences as written. A full stop followed by a capital or a digit ends one; so do '…' and blank lines.

    Decimals (5.3), initials and "No." rarely matter for claims, so the rule stays simple.
    """
    parts = [p.strip() for p in _SENTENCE_END.split(passage.strip())]
    out: list[str] = []
    for p in parts:
        if not p:
            continue
        # "Mr. Smith" / "approx. 500": a very short fragment ending in an abbreviation joins the next.
        if out and re.search(r"\b(?:mr|mrs|ms|dr|no|approx|st|vs|etc|inc|ltd|co)\.$", out[-1], re.IGNORECASE):
            out[-1] = out[-1] + " " + p
        else:
            out.append(p)
    return out
