"""The phrasing of copy, as patterns: how a passage orders its figures and scopes its claims.

Kept apart from the reading (`passage`) so a new way of writing a change is one pattern
here, with a test, and the algorithm that pairs claims with figures does not move:

- orders of two figures: "from X to Y", "to Y from X", "Y, up from X", "Y compared with X",
  "Y, N times as many as X", "Y (X)", "X to Y"; with "and from X2", a series ("and then Z"),
  "this is down from X" and "has risen to Y" across sentences;
- a claim's own base: "a 21% rise from 55,592", "5% lower than the 51,228", "since 2018,
  when there were 1,204";
- absolute changes: "up by 51", "741 fewer", "an increase of 5,864", "rose by 5,864 to 19,632";
- what makes a rate a level ("turnout was 59.9%", "37% of"), a claim about something else
  ("2% more than the average"), or about another period ("since 1991", "in the last decade").

Groups `b` and `a` are always the earlier and the later figure, whatever order copy uses.
"""

from __future__ import annotations

from foistats.analysis.claims.figures import YEAR_TOKEN_RE
from foistats.analysis.claims.lazyre import _Lazy
from foistats.analysis.claims.sentence import _pnum

_Q = (
    r"(?:(?:just\s+)?(?:over|under|more\s+than|less\s+than|fewer\s+than|about|around|almost|nearly|some|"
    r"approximately|roughly|an\s+estimated)\s+)?"
)


def _filler(n: int) -> str:
    """Up to n words with no digits and no sentence break: the distance copy puts between two figures."""
    return rf"(?:[\s,()\-:]+(?:[a-z][a-z'\-*]*)){{0,{n}}}?"


_CHANGE_WORD = (
    r"(?:up|down|rising|falling|increasing|decreasing|rose|fell|risen|fallen|jumped|climbed|dropped|"
    r"increased|decreased|declined|soared|surged|grew|a\s+rise|a\s+fall|an\s+increase|a\s+decrease|a\s+drop|"
    r"a\s+jump)"
)
# Group b is always the earlier figure, a the later, whatever order copy writes them in.
_PAIRS: list[tuple[str, _Lazy]] = [
    ("from X to Y", _Lazy(
        rf"\bfrom\s+{_Q}{_pnum('b')}{_filler(8)}[\s,]*(?:\bto\b|->)\s*(?:(?:an?|the)\s+)?{_Q}{_pnum('a')}")),
    ("to Y from X", _Lazy(rf"\bto\s+{_Q}{_pnum('a')}{_filler(8)}\s*,?\s+from\s+{_Q}{_pnum('b')}")),
    ("Y, up from X", _Lazy(
        rf"{_pnum('a')}(?:{_filler(20)}[\s,()\-]+(?={_CHANGE_WORD}\b)|\s*,?\s*)"
        rf"(?:{_CHANGE_WORD}\s+(?:[a-z]+ly\s+)?)?from\s+{_Q}{_pnum('b')}")),
    ("Y compared with X", _Lazy(
        rf"{_pnum('a')}{_filler(20)}[\s,()\-]*(?:compared\s+(?:with|to)|against|versus|vs\.?)\s+(?:the\s+)?"
        rf"{_Q}{_pnum('b')}")),
    ("Y, N times as many as X", _Lazy(
        rf"{_pnum('a')}[^.;¶]{{0,60}}?\btimes\s+(?:as\s+(?:many|much|high|large|big)\s+as|"
        rf"(?:more|higher|greater|larger|bigger)\s+than)\s+(?:the\s+|in\s+)?{_pnum('b')}")),
    ("Y (X)", _Lazy(
        rf"{_pnum('a')}(?:\s+[a-z][a-z'\-]*){{0,2}}\s*\(\s*(?:{YEAR_TOKEN_RE}\s*:?\s*|(?:up|down)\s+from\s+)?{_pnum('b')}"
        rf"(?:[\s,]+(?:[a-z][a-z'\-]*|{YEAR_TOKEN_RE})){{0,6}}\s*\)")),
    ("X to Y", _Lazy(rf"(?<!\bby\s){_pnum('b')}\s*(?:\bto\b|->)\s*{_pnum('a')}")),
]
# "…, down from 123,142 on 31 March and from 144,353 in 2009": a second base for the same later figure.
_AND_FROM = _Lazy(rf"^(?:[\s,]+(?:[a-z][a-z'\-]*)){{0,6}}?[\s,]+and\s+(?:(?:up|down)\s+)?from\s+{_Q}{_pnum('b')}")
# "… to 48 in 2022, and 152 in 2023", "… to 48 and then to 152": the next figure in a series.
_CHAIN = _Lazy(
    rf"^(?:(?:[\s,]+(?:in|during|for|by)\s+(?:the\s+)?(?:[a-z]+\s+){{0,3}}?{YEAR_TOKEN_RE})|\s+(?:last|this)\s+year)?"
    rf"\s*,?\s+(?:and\s+)?(?:then\s+)?(?:to\s+)?{_pnum('a')}"
    rf"(?=\s*(?:$|[,.;:)\-]|(?:in|by|during|last|this|over|for|a\s+year|the\s+(?:following|next)\s+year)\b))"
)
# "This is down sharply from 67.3%": the later figure is the one the previous sentence gave.
_THIS_FROM = _Lazy(
    rf"\b(?:this|that|it|which|these|the\s+figure|the\s+number|the\s+total)\s+(?:is|was|were|are|has\s+been|"
    rf"represents)\s+(?:(?:up|down|higher|lower)\s+(?:[a-z]+ly\s+)?)from\s+{_Q}{_pnum('b')}"
)
# "the number has risen to 18,465": the earlier figure is the one copy gave last.
_RISEN_TO = _Lazy(
    rf"\b(?:risen|rose|increased|grown|grew|climbed|jumped|soared|fallen|fell|dropped|decreased|declined|"
    rf"reached|hit)\s+(?:[a-z]+\s+){{0,2}}?to\s+{_Q}{_pnum('a')}"
)
# A claim that names its own base: "a 21% rise from 55,592", "5% lower than the 51,228",
# "a drop of 9% on the previous year's figures of 10.5 million", "17,917 cases over the 5,716".
_OWN_BASE = _Lazy(
    rf"^[\s,()\-]*(?:[a-z]+\s+){{0,2}}?(?:from|on|over|than|since|compared\s+(?:with|to)|against|versus)"
    rf"(?:[\s,()]+(?:(?!(?:to|and|but|while|taking|bringing)\b)[a-z][a-z'\-]*|{YEAR_TOKEN_RE})){{0,6}}?"
    rf"[\s,()]+{_Q}{_pnum('b')}"
)
_ABSOLUTE: list[_Lazy] = [
    _Lazy(rf"\b(?:rose|rise|risen|fell|fall|fallen|up|down|increased?|decreased?|dropped|drop|grew|grown|"
          rf"climbed|jumped|went\s+up|went\s+down|reduced|cut|declined)\s+by\s+{_Q}{_pnum('n')}(?!\s*%)"),
    _Lazy(rf"\b(?:increase|rise|fall|drop|decrease|reduction|jump|growth|decline|loss|gain|cut)\s+of\s+{_Q}{_pnum('n')}"
          rf"(?!\s*%)"),
    _Lazy(rf"\b(?:rose|fell|risen|fallen|increased|decreased|jumped|dropped|grew|climbed|declined)\s+{_pnum('n')}"
          rf"(?!\s*%)(?=\s+to\b)"),
    _Lazy(rf"{_Q}{_pnum('n')}(?!\s*%)\s+(?:[a-z]+\s+)?(?:more|fewer|extra|additional|less)\b"),
    _Lazy(rf"\b(?:up|down)\s+{_Q}{_pnum('n')}(?!\s*%)(?!\s+(?:from|to|on)\b)"),
]
_NOT_A_MULTIPLE = _Lazy(r"(?:doubl|tripl|trebl|quadrupl)e[\s-]+(?:figures?|digits?)\b")
# "rose by 5,864 to 19,632", "fell by 124 to 1,406 from 1,530": the later figure after an absolute change.
_ABS_TO = _Lazy(rf"^\s*(?:[a-z]+\s+){{0,2}}?to\s+(?:a\s+(?:total|high|record)\s+of\s+)?{_Q}{_pnum('a')}"
                rf"(?:(?:[\s,]+(?:[a-z][a-z'\-]*|{YEAR_TOKEN_RE})){{0,5}}?[\s,]+from\s+{_Q}{_pnum('b')})?")
_TOTAL_TO = _Lazy(rf"\b(?:taking|bringing|pushing|making|to\s+make)\s+(?:it|the\s+(?:total|number|figure|count))\s+"
                  rf"(?:up\s+|down\s+)?to\s+{_Q}{_pnum('a')}")
_CHANGE_VERB_BEFORE = _Lazy(r"\b(?:rose|fell|risen|fallen|increased|decreased|jumped|dropped|grew|climbed|declined)\s+$")
_ABS_DOWN = _Lazy(r"\b(?:fell|fall|fallen|down|decreased?|dropped|drop|went\s+down|reduced|reduction|cut|"
                  r"declined?|decline|fewer|less|loss)\b")
_LEVEL_BEFORE = _Lazy(r"(?:\bfrom|\bto|\bwas|\bwere|\bis|\bare|\bat|\breached|\bstood\s+at|\bof\s+the|\bof)\s*$")
_CHANGE_OF = _Lazy(r"\b(?:rise|increase|fall|drop|decrease|reduction|growth|jump|decline|change|cut)\s+of\s*$")
_ELSEWHERE = _Lazy(
    r"^\s*(?:[a-z]+\s+)?(?:more|less|higher|lower|fewer|greater|above|below|faster|slower)\s+than\s+"
    r"(?:the\s+|that\s+|in\s+)?(?!\d)(?![^.;¶)]{0,30}\d)(?!nn\b|yr[a-j]{4}|a\s+(?:year|decade|month|week|quarter)\b)[a-z]"
)
_SCOPE = _Lazy(
    r"\bsince\s+(?:a\s+|its\s+|the\s+)?(?:peak|records|yr[a-j]{4})|\bin\s+the\s+(?:last|past)\s+(?:decade|nn\s+years)|"
    r"\bover\s+the\s+(?:last|past)\s+(?:decade|nn\s+years)|\bthan\s+the\s+(?:national\s+)?average|"
    r"\bnational(?:ly)?\s+average|\bdecade\b"
)
_ZERO = _Lazy(
    rf"({YEAR_TOKEN_RE})\s*,?\s*(?:which|when|where)?\s*(?:did\s+not\s+(?:have|record|see)\s+any|had\s+(?:none|no)\b|"
    rf"recorded\s+none|saw\s+none|there\s+were\s+(?:none|no)\b)"
)
_YEAR_AFTER = _Lazy(
    rf"^(?:\s+[a-z][a-z'\-]*){{0,4}}?\s+(?:in|during|for|of|to|between)\s+(?:the\s+)?(?:(?:year|years)\s+)?"
    rf"(?:(?:to|ending)\s+)?(?:[a-z]+\s+)?({YEAR_TOKEN_RE})"
)
_YEAR_BEFORE = _Lazy(rf"({YEAR_TOKEN_RE})\s*[,:]?(?:\s+[a-z][a-z'\-]*){{0,4}}\s*$")
_BRACKET_YEAR = _Lazy(rf"{YEAR_TOKEN_RE}\s*\(\s*$")
_CLAUSE_BREAK = _Lazy(r";|,\s*(?:and|while|whereas|although|but)\b|\s-\s|\bwhile\b|\balthough\b|\bwhereas\b|¶")
_CONTRAST = _Lazy(r";|,\s*(?:while|whereas|although|but)\b|\bwhile\b|\bwhereas\b|\balthough\b")
_ANAPHOR = _Lazy(r"^\s*(?:\"\s*)?(?:this|that|it|these|which|the\s+figure|the\s+number|the\s+total)\b")
_STOPWORDS = frozenset(
    ["a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but", "is", "was", "were", "are", "be", "been", "has", "have", "had", "this", "that", "these", "it", "its", "which", "who", "there", "their", "than", "as", "up", "down", "rose", "fell", "over", "under", "more", "less", "some", "all", "yr", "nn", "dt", "ag", "rf", "per", "into", "last", "year", "years", "previous", "same", "period", "number", "total", "figures", "figure", "show", "shows", "showed", "new", "also", "so", "such", "only"]
)
