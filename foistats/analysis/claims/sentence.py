"""Reading one sentence of copy into claims: "rose from 28 to 152, a rise of 443 per cent".

This is the strict, single-change grammar: it finds one before-and-after pair ("from X
to Y", "Y, up from X", "Y compared with X" ...) and every figure that claims something
about it (443%, 5.4 times, +1pp, doubled, a quarter), and refuses when it cannot tell
which numbers are the pair. The two-figure command form (`28 152 443%`) and
`check --data` use it; `passage` reuses its pieces to read whole paragraphs, where
several changes sit side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from foistats.analysis.claims.lazyre import _Lazy
from foistats.analysis.claims.model import Claim
from foistats.analysis.claims.numbers import (
    _SCALE_RE,
    _WORDS_RE,
    _decimals,
    _group_digits,
    _Number,
    _parse_number,
    _shared_round_unit,
    _word_number,
)
from foistats.model.errors import UsageError

# ---------------------------------------------------------------- normalising copy

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NOT_A_FIGURE = r"(?!\s*(?:%|pp\b|x\b|times\b|-?\s*fold\b|[.,]\d))"
_YEAR = rf"(?:19|20)\d\d\b{_NOT_A_FIGURE}"
_YEAR_STRIPS = [
    _Lazy(rf"\b{_MONTH}\s+(?:19|20)\d\d\b"),
    _Lazy(r"\b(?:19|20)\d\d\s*[/-]\s*(?:19|20)?\d\d\b"),
    _Lazy(
        rf"\b(?:in|since|during|until|till|by|for|of)\s+(?:the\s+)?(?:(?:calendar|financial|fiscal)\s+)?"
        rf"(?:years?\s+)?(?:to\s+|ending\s+)?{_YEAR}"
    ),
    _Lazy(rf"\byears?\s+(?:to|ending)\s+{_YEAR}"),
    _Lazy(r"\(\s*(?:19|20)\d\d\s*\)"),
]
_YEAR_SPAN = _Lazy(rf"\b(?:in|between)\s+((?:19|20)\d\d)\s+(?:and|to|-)\s+((?:19|20)\d\d)\b{_NOT_A_FIGURE}")
_FROM_YEARS = _Lazy(r"\bfrom\s+(?:19|20)\d\d\s+(?:to|until|till|-)\s+(?:19|20)\d\d\b")
_ANY_NUMBER = _Lazy(r"(?<![\w.])\d+(?:[.,]\d+)*")


def _normalise(text: str) -> str:
    """Lower-case, one spelling for per cent and percentage points, no years, no thousands commas.

    Replacements keep the rest of the sentence in place so spans stay meaningful.
    """
    t = text.lower()
    for a, b in (("\u2212", "-"), ("\u2013", " - "), ("\u2014", " - "), ("×", "x"), ("→", " -> "),
                 ("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " ")):
        t = t.replace(a, b)
    t = re.sub(r"\s*\bper[\s-]*cent(?:age)?\b(?!age)", "%", t)
    t = re.sub(r"\s*\bpercent\b", "%", t)
    t = re.sub(r"\s*(?:\bpercentage[\s-]+points?|%\s*points?|\bppts?\b|\bpp\b|\bpc\s+pts?\b)", " pp", t)
    # "1pp" and "1 pp" read alike.
    t = re.sub(r"(\d)\s+pp\b", r"\1pp", t)
    # "between 2021 and 2023" is a span of years; "in 2021 to 1900" is a year and then a count.
    t = _YEAR_SPAN.sub(lambda m: " " if 0 < int(m.group(2)) - int(m.group(1)) <= 30 else m.group(0), t)
    for pattern in _YEAR_STRIPS:
        t = pattern.sub(" ", t)
    stripped = _FROM_YEARS.sub(" ", t)
    if stripped != t and len(_ANY_NUMBER.findall(stripped)) >= 2:
        t = stripped
    t = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", t)
    return t


# ---------------------------------------------------------------- finding pairs and figures


def _pnum(g: str) -> str:
    """A before/after figure: a number with an optional % or scale word, and nothing that makes it a claim."""
    return (
        rf"(?<![\w.+\-])(?P<{g}>[+\-]?\d+(?:\.\d+)?)"
        rf"(?:\s*(?P<{g}u>%(?!\s*pp)|(?:{_SCALE_RE})\b))?"
        rf"(?!\s*(?:pp\b|x\b|-?\s*fold\b|times\b))(?!\.\d)(?!\w)"
    )


_LINK = r"\s*(?:\bto\b|->)\s*"
# Ways copy names the two figures, tried in order; group b is always the earlier figure, a the later.
_PAIR_PATTERNS: list[_Lazy] = [
    _Lazy(rf"\bfrom\s+{_pnum('b')}(?:\s+[a-z]+){{0,4}}?{_LINK}(?:an?\s+)?{_pnum('a')}"),  # from 28 to 152
    _Lazy(rf"\bto\s+{_pnum('a')}\s*,?\s+from\s+{_pnum('b')}"),  # rose to 152 from 28
    _Lazy(  # 152, up from 28
        rf"{_pnum('a')}\s*,?\s*(?:(?:up|down|rising|falling|increasing|decreasing|a\s+rise|a\s+fall|"
        rf"an\s+increase|a\s+decrease|a\s+drop|a\s+jump)\s+)?from\s+{_pnum('b')}"
    ),
    _Lazy(  # 152 offences compared with 28
        rf"{_pnum('a')}(?:\s+[a-z]+){{0,4}}?\s*,?\s*(?:compared\s+(?:with|to)|against|versus|vs\.?)\s+"
        rf"(?:the\s+)?{_pnum('b')}"
    ),
    _Lazy(  # 560, 28 times as many as the 20
        rf"{_pnum('a')}[^.;]{{0,60}}?\btimes\s+(?:as\s+(?:many|much|high|large|big)\s+as|"
        rf"(?:more|higher|greater|larger|bigger)\s+than)\s+(?:the\s+|in\s+)?{_pnum('b')}"
    ),
    _Lazy(rf"{_pnum('b')}{_LINK}{_pnum('a')}"),  # 28 to 152, 28 -> 152
]
_PLAIN_NUMBER = _Lazy(_pnum("n"))

_NUM = r"(?<![\w.])(?P<sign>[+\-])?(?P<num>\d+(?:\.\d+)?|\.\d+)"
_PP_RE = _Lazy(_NUM + r"\s*pp\b")
_PCT_RE = _Lazy(_NUM + r"\s*%")
_RATIO_RE = _Lazy(
    rf"(?<![\w.])(?:(?P<num>\d+(?:\.\d+)?)|(?P<word>\b{_WORDS_RE}|twice|thrice))"
    rf"(?:\s*(?P<x>x)(?![a-z])|\s*-?\s*(?P<fold>fold)\b|\s+(?P<times>times)\b"
    rf"(?:\s+(?P<more>more|higher|greater|larger|bigger|over)\b)?|(?<=ce)(?=\s+(?:as|the)\b))"
)
_MULT_RE = _Lazy(
    r"\b(?P<w>doubl(?:ed|ing|es|e)|trebl(?:ed|ing|es|e)|tripl(?:ed|ing|es|e)|quadrupl(?:ed|ing|es|e)|"
    r"quintupl(?:ed|ing|es|e)|halv(?:ed|ing|es|e))\b"
)
_MULTIPLES = {"doubl": 2, "trebl": 3, "tripl": 3, "quadrupl": 4, "quintupl": 5}
_FRACTION_RE = _Lazy(
    r"\b(?:(?P<n>a|one|two|three|four)[\s-]*)?(?P<d>halves|half|thirds?|quarters?|fifths?|tenths?)\b"
)
_DENOMINATORS = {"half": 2, "halve": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}

_QUALIFIERS: list[tuple[str, str]] = [
    ("nearly", r"just\s+(?:under|below|short\s+of)|(?:a\s+little|slightly)\s+(?:under|below|less\s+than)|"
               r"nearly|almost|close\s+to|approaching|not\s+quite"),
    ("just_over", r"just\s+(?:over|above)|(?:a\s+little|slightly)\s+(?:over|above|more\s+than)"),
    ("at_least", r"at\s+least|no\s+(?:fewer|less)\s+than"),
    ("up_to", r"up\s+to|at\s+most|no\s+more\s+than"),
    ("more_than", r"(?:well\s+)?(?:more|greater|higher)\s+than|(?:well\s+)?(?:over|above)|in\s+excess\s+of|"
                  r"upwards\s+of|exceeding"),
    ("less_than", r"(?:less|fewer|lower)\s+than|under|below"),
    ("about", r"about|around|approximately|approx\.?|roughly|some|circa|an\s+estimated|in\s+the\s+region\s+of|~"),
]
_QUALIFIER_RE = _Lazy(
    r"(?:^|(?<=[\s(,~]))(?:" + "|".join(f"(?P<{name}>{rx})" for name, rx in _QUALIFIERS) + r")\s*(?:by\s+)?$"
)

_RISE_RE = _Lazy(
    r"\b(?:ros[e]|rises?|risen|rising|up|increas\w*|jump\w*|soar\w*|climb\w*|gr[eo]w\w*|growth|surg\w*|"
    r"leap\w*|rocket\w*|spik\w*|higher|more|boost\w*|swell\w*|swollen|doubl\w*|trebl\w*|tripl\w*|"
    r"quadrupl\w*|quintupl\w*|hike\w*|upturn|escalat\w*)\b"
)
_FALL_RE = _Lazy(
    r"\b(?:fell|falls?|fallen|falling|down|decreas\w*|drop\w*|declin\w*|plung\w*|plummet\w*|slump\w*|"
    r"cut|cuts|cutting|reduc\w*|lower|fewer|less|halv\w*|shr[iau]nk\w*|dip\w*|tumbl\w*|sank|sink\w*|"
    r"slid\w*|slipped|downturn)\b"
)
_SAME_RE = _Lazy(
    r"\b(?:unchanged|no\s+change|(?:stayed|remained|was|were)\s+(?:the\s+same|flat|steady)|"
    r"held\s+steady|did\s+not\s+change|flat)\b"
)


@dataclass
class _Figure:
    start: int  # including any qualifier
    end: int
    kind: str
    value: Fraction
    step: Fraction
    sign: int | None
    qualifier: str | None
    literal_more: bool
    implied_direction: int | None  # doubled -> +1, halved -> -1
    text: str


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    window_start = max(0, start - 40)
    m = _QUALIFIER_RE.search(text[window_start:start])
    if not m:
        return None, start
    name = next(k for k, v in m.groupdict().items() if v is not None)
    return name, window_start + m.start()


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _find_figures(t: str, taken: list[tuple[int, int]]) -> list[_Figure]:
    found: list[_Figure] = []

    def add(m: re.Match[str], kind: str, value: Fraction, step: Fraction, sign: int | None,
            literal_more: bool = False, implied: int | None = None, qualifier_ok: bool = True) -> None:
        span = (m.start(), m.end())
        if _overlaps(span, taken) or _overlaps(span, [(f.start, f.end) for f in found]):
            return
        qualifier, qstart = _qualifier_before(t, m.start()) if qualifier_ok else (None, m.start())
        found.append(
            _Figure(qstart, m.end(), kind, value, step, sign, qualifier, literal_more, implied,
                    _group_digits(t[qstart:m.end()].strip()))
        )

    for m in _PP_RE.finditer(t):
        num = m.group("num")
        sign = {"+": 1, "-": -1}.get(m.group("sign") or "")
        add(m, "pp", Fraction(num), Fraction(1, 10 ** _decimals(num)), sign)
    for m in _PCT_RE.finditer(t):
        num = m.group("num")
        sign = {"+": 1, "-": -1}.get(m.group("sign") or "")
        add(m, "pct", Fraction(num), Fraction(1, 10 ** _decimals(num)), sign)
    for m in _RATIO_RE.finditer(t):
        if not (m.group("x") or m.group("fold") or m.group("times") or m.group("word") in ("twice", "thrice")):
            continue
        if m.group("num") is not None:
            value, step = Fraction(m.group("num")), Fraction(1, 10 ** _decimals(m.group("num")))
        else:
            word = m.group("word")
            value = Fraction({"twice": 2, "thrice": 3}.get(word) or _word_number(word))
            step = Fraction(1)
        add(m, "ratio", value, step, None, literal_more=bool(m.group("more")))
    for m in _MULT_RE.finditer(t):
        w = m.group("w")
        if w.startswith("halv"):
            add(m, "pct", Fraction(50), Fraction(5), -1, implied=-1)
        else:
            stem = next(s for s in _MULTIPLES if w.startswith(s))
            add(m, "ratio", Fraction(_MULTIPLES[stem]), Fraction(1), None, implied=1)
    for m in _FRACTION_RE.finditer(t):
        prefix = t[max(0, m.start() - 40):m.start()]
        if not re.search(r"\b(?:by|of)\s+(?:[a-z.~]+\s+){0,2}$", prefix):
            continue
        n_word, d_word = m.group("n"), m.group("d")
        if n_word is None and not d_word.startswith("half"):
            continue
        numerator = {None: 1, "a": 1, "one": 1, "two": 2, "three": 3, "four": 4}[n_word]
        denominator = _DENOMINATORS[d_word.rstrip("s") if d_word != "halves" else "half"]
        value = Fraction(numerator * 100, denominator)
        add(m, "pct", value, value / 10, None)
    found.sort(key=lambda f: f.start)
    return found


def _direction_near(masked: str, start: int, end: int) -> int | None:
    """The direction word nearest before the figure ("up 82%"), else nearest after ("82% lower")."""
    best: tuple[int, int] | None = None  # (distance, direction)
    after: tuple[int, int] | None = None
    for rx, d in ((_RISE_RE, 1), (_FALL_RE, -1), (_SAME_RE, 0)):
        for m in rx.finditer(masked):
            if m.end() <= start:
                dist = start - m.end()
                if best is None or dist < best[0]:
                    best = (dist, d)
            elif m.start() >= end:
                dist = m.start() - end
                if after is None or dist < after[0]:
                    after = (dist, d)
    if best is not None:
        return best[1]
    return after[1] if after is not None else None


def _sentence_direction(masked: str) -> int | None:
    hits = [(m.start(), d) for rx, d in ((_RISE_RE, 1), (_FALL_RE, -1), (_SAME_RE, 0)) for m in rx.finditer(masked)]
    if not hits:
        return None
    return min(hits)[1]


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


@dataclass
class _Pair:
    before: _Number
    after: _Number
    spans: list[tuple[int, int]]


def _find_pair(t: str) -> _Pair | None:
    pairs: list[_Pair] = []
    for pattern in _PAIR_PATTERNS:
        for m in pattern.finditer(t):
            if _overlaps((m.start(), m.end()), [s for p in pairs for s in p.spans]):
                continue
            b_txt = m.group("b") + (m.group("bu") or "")
            a_txt = m.group("a") + (m.group("au") or "")
            if (m.group("bu") == "%") != (m.group("au") == "%"):
                continue  # "rose 28% to 152": a rise and a level, not a pair
            pairs.append(
                _Pair(_parse_number(b_txt), _parse_number(a_txt),
                      [(m.start("b"), m.end("bu") if m.group("bu") else m.end("b")),
                       (m.start("a"), m.end("au") if m.group("au") else m.end("a"))])
            )
    if not pairs:
        return None
    distinct = {(p.before.value, p.after.value) for p in pairs}
    if len(distinct) > 1:
        raise UsageError(
            "found more than one before-and-after pair",
            hint="check one change at a time, e.g. 'rose from 28 to 152, a rise of 443%'",
        )
    return pairs[0]


# ---------------------------------------------------------------- parsing entry points


def parse_claims(text: str) -> list[Claim]:
    """Every claim in one sentence, sharing its before and after figures.

    Copy often carries two figures for one change ("443%, more than five times as
    many"); each is checked on its own. Raises UsageError when nothing checkable is found.
    """
    return _parse(text, None, None)


def parse_claim(text: str) -> Claim:
    """The first claim in a sentence (see `parse_claims` for all of them)."""
    return parse_claims(text)[0]


def parse_args(tokens: list[str]) -> list[Claim]:
    """Read the command-line forms: `28 152 443%`, `10% 11% +1pp`, `100 125 "rose by a quarter"` or one sentence."""
    tokens = [t for t in (tok.strip() for tok in tokens) if t]
    if not tokens:
        raise UsageError("nothing to check", hint='e.g. foistats check 28 152 443% or foistats check "rose from 28 to 152, up 443%"')
    numbers: list[_Number] = []
    for tok in tokens[:2]:
        try:
            numbers.append(_parse_number(tok))
        except UsageError:
            break
    if len(numbers) == 2:
        rest = " ".join(tokens[2:])
        quick = _SIMPLE_CLAIM_RE.match(rest)
        if quick and _is_compact(quick):  # the everyday `28 152 443%` form, read without compiling the sentence grammar
            return [_simple_claim(quick, numbers[0], numbers[1], " ".join(tokens))]
        parsed = _parse(rest, numbers[0], numbers[1], text=" ".join(tokens))
        if rest and parsed[0].kind == "none":
            raise UsageError(
                f"could not read a claim in {rest!r}",
                hint="expected e.g. 443%, +443%, 28x, +1pp, 'doubled' or 'rose by a quarter'",
            )
        return parsed
    if len(numbers) == 1 and len(tokens) == 1:
        raise UsageError(f"{tokens[0]!r} is one figure; give before, after and the claim", hint="e.g. foistats check 28 152 443%")
    return parse_claims(" ".join(tokens))


# The compact forms: 443%, +1pp, 28x, x3, ×3, >x2 (more than doubled), ~+90% (about), >+200%,
# <-5% (less than), +7762 (an absolute change; the sign is what makes a bare number a claim).
_SIMPLE_CLAIM_RE = re.compile(
    r"^(?P<q>>=|<=|≥|≤|[>~<≈])?\s*(?P<pre>[x×])?\s*(?P<sign>[+\-−])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>%|pp|x|×)?(?:\s*\(abs\))?$",
    re.IGNORECASE,
)
_COMPACT_QUALIFIERS = {">": "more_than", ">=": "at_least", "≥": "at_least", "<": "less_than", "<=": "up_to",
                       "≤": "up_to", "~": "about", "≈": "about"}


def _simple_claim(m: re.Match[str], before: _Number, after: _Number, text: str) -> Claim:
    digits = m.group("num").replace(",", "")
    unit = (m.group("unit") or "").lower()
    if m.group("pre"):
        kind = "ratio"
    else:
        kind = {"%": "pct", "pp": "pp", "x": "ratio", "×": "ratio", "": "abs"}[unit]
    direction = None if kind == "ratio" else {"+": 1, "-": -1, "−": -1}.get(m.group("sign") or "")
    return Claim(
        kind=kind, value=Fraction(digits), step=Fraction(1, 10 ** _decimals(digits)), direction=direction,
        qualifier=_COMPACT_QUALIFIERS.get(m.group("q") or ""), figure=m.group(0), **_common(text, before, after),
    )


def _is_compact(m: re.Match[str] | None) -> bool:
    """A compact claim needs a unit, a leading x, or (for an absolute change) a sign: '443' alone is ambiguous."""
    return m is not None and bool(m.group("unit") or m.group("pre") or m.group("sign"))


def _common(original: str, before: _Number | None, after: _Number | None) -> dict[str, Any]:
    """The parts of a Claim every figure in one sentence shares."""
    return dict(
        text=original.strip(),
        before=before.value if before else None,
        after=after.value if after else None,
        before_text=before.text if before else None,
        after_text=after.text if after else None,
        inputs_percent=bool((before and before.percent) or (after and after.percent)),
        rounded_unit=_shared_round_unit(before, after) if before and after else None,
    )


def _parse(
    claim_text: str, before: _Number | None, after: _Number | None, *, text: str | None = None
) -> list[Claim]:
    original = text if text is not None else claim_text
    t = _normalise(claim_text)
    pair = _find_pair(t)
    taken = pair.spans if pair else []
    figures = _find_figures(t, taken)
    if pair is not None:
        if before is not None and after is not None and (pair.before.value, pair.after.value) != (before.value, after.value):
            raise UsageError(
                f"the figures {before.text} and {after.text} disagree with the sentence's "
                f"{pair.before.text} to {pair.after.text}"
            )
        before, after = pair.before, pair.after
    elif before is None:
        plain = [
            m for m in _PLAIN_NUMBER.finditer(t)
            if not _overlaps((m.start(), m.end()), [(f.start, f.end) for f in figures])
        ]
        if len(plain) == 2:
            before = _parse_number(plain[0].group(0))
            after = _parse_number(plain[1].group(0))
            taken = [(m.start(), m.end()) for m in plain]
        elif len(plain) > 2:
            raise UsageError(
                f"could not tell which numbers are before and after in {original!r}",
                hint="write it as 'from X to Y'",
            )
    elif not figures and re.fullmatch(r"\s*[+\-]?\d+(?:\.\d+)?\s*", t):
        raise UsageError(
            f"{claim_text.strip()!r} has no unit",
            hint=f"write {claim_text.strip()}% for a percentage, {claim_text.strip()}x for a multiple, "
                 f"or {claim_text.strip()}pp for percentage points",
        )
    masked = _mask(t, taken + [(f.start, f.end) for f in figures])
    common = _common(original, before, after)
    claims: list[Claim] = []
    for f in figures:
        if f.sign is not None:
            direction: int | None = f.sign
        else:
            word = _direction_near(masked, f.start, f.end)
            if f.implied_direction is not None and word != -1:
                direction = f.implied_direction
            else:
                direction = word
            if direction == 0:
                direction = None
        if f.kind == "ratio" and direction == 1:
            direction = None  # a multiple above one is a rise already; keep None so the claim reads plainly
        claims.append(
            Claim(kind=f.kind, value=f.value, step=f.step, qualifier=f.qualifier, direction=direction,
                  figure=f.text, literal_more=f.literal_more, **common)  # type: ignore[arg-type]
        )
    if claims:
        return claims
    direction = _sentence_direction(masked)
    if direction is not None:
        return [Claim(kind="direction", direction=direction, figure="", **common)]  # type: ignore[arg-type]
    if before is not None and after is not None:
        return [Claim(kind="none", **common)]  # type: ignore[arg-type]
    raise UsageError(
        f"could not find a figure to check in {original.strip()!r}",
        hint="expected e.g. 443%, 28x, +1pp, 'doubled', 'six-fold' or 'rose from 28 to 152'",
    )

