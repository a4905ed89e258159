"""Reading a passage of copy — a sentence, a paragraph, an article — into claims paired with their figures.

Journalists paste paragraphs, not formulas. A paragraph may hold several changes, put
the figures a sentence away from the claim ("…up by a fifth. A total of 395,800 …,
compared with 332,100 the previous year."), name a third figure for another year, quote
a share ("37% of offences") beside a change, or leave the earlier figure to be worked
out ("an increase of 5,864 (43%)"). Reading it takes four steps, each its own function:

1. `figures.prepare` sets aside what is not a figure (years, dates, durations, ages,
   references) and spells per cent, points and numbers in words one way.
2. Pairs: the order patterns of copy (in `phrases`: "from X to Y", "Y, up from X", "Y compared with X",
   "Y (X)", "X in 2019 and Y in 2023", "this is down from X", "has risen to Y") give
   before-and-after pairs, with the later figure first where copy puts it first.
3. Claims: the claim grammar of `sentence` (%, points, multiples, doubled, a fifth)
   plus absolute changes ("up by 51", "741 fewer"); a claim that names its own base
   ("a 21% rise from 55,592", "5% lower than the 51,228") brings its own pair, and an
   absolute change with one figure gives the other ("19,632 … an increase of 5,864").
4. Each remaining claim goes to the pair it is about: the nearest, in the same sentence
   before the next one, sharing its subject's words, about the same year, and never
   one the claim says is about something else ("2% more than the average", "61% in
   the last decade"). One claim of each kind per pair.

Numbers that no claim used are reported, so nothing is silently ignored. The result is
plain `Claim`s, judged by `judge.check` like any other.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from fractions import Fraction

from foistats.analysis.claims.figures import (
    YEAR_TOKEN_RE,
    prepare,
    split_sentences,
    token_year,
)
from foistats.analysis.claims.model import Claim
from foistats.analysis.claims.numbers import (
    _decimals,
    _group_digits,
    _Number,
    _parse_number,
    _shared_round_unit,
)
from foistats.analysis.claims.phrases import (
    _ABS_DOWN,
    _ABS_TO,
    _ABSOLUTE,
    _ANAPHOR,
    _AND_FROM,
    _BRACKET_YEAR,
    _CHAIN,
    _CHANGE_OF,
    _CHANGE_VERB_BEFORE,
    _CLAUSE_BREAK,
    _CONTRAST,
    _ELSEWHERE,
    _LEVEL_BEFORE,
    _NOT_A_MULTIPLE,
    _OWN_BASE,
    _PAIRS,
    _RISEN_TO,
    _SCOPE,
    _STOPWORDS,
    _THIS_FROM,
    _TOTAL_TO,
    _YEAR_AFTER,
    _YEAR_BEFORE,
    _ZERO,
)
from foistats.analysis.claims.sentence import (
    _FALL_RE,
    _PLAIN_NUMBER,
    _RISE_RE,
    _direction_near,
    _Figure,
    _find_figures,
    _mask,
    _overlaps,
    _qualifier_before,
    _sentence_direction,
)

__all__ = ["Passage", "read_passage"]

_BREAK = " ¶ "  # joins prepared sentences; no pattern reads across it unless it means to


@dataclass(eq=False)
class _Level:
    """A figure that is a level — a count, an amount, a rate — as opposed to a claim about a change."""

    start: int
    end: int
    number: _Number
    qualifier: str | None = None
    year: int | None = None
    bracket_year: bool = False  # "since 2013/14 (872,518)": the figure for another period, named in passing
    is_before: bool = False
    derivation: str | None = None  # worked out, not printed


@dataclass(eq=False)
class _Said:
    """A claim as found in the passage, before it is paired."""

    fig: _Figure
    sentence: int
    aside: int = -1  # start of the brackets it sits in, or -1
    elsewhere: bool = False  # compares with something that is not a figure here ("than the average")
    scoped: bool = False  # about another period ("since 1991", "in the last decade")
    year: int | None = None
    words: frozenset[str] = frozenset()
    pair: _Pair | None = None
    consumed: bool = False  # an absolute change that only served to work out a missing figure


@dataclass(eq=False)
class _Pair:
    before: _Level
    after: _Level
    start: int
    end: int
    how: str
    owner: _Said | None = None
    words: frozenset[str] = frozenset()
    kinds: set[str] = field(default_factory=set)
    derivation: str | None = None


@dataclass(frozen=True)
class Passage:
    """A passage read: the claims found, each paired with its figures where the passage gives them,
    and every figure no claim used (as written), so nothing is silently ignored."""

    text: str
    claims: list[Claim]
    unused: list[str]
    set_aside: list[str]


class _Reader:
    def __init__(self, text: str) -> None:
        self.original = text
        self.sentences = split_sentences(text)
        prepared = [prepare(s) for s in self.sentences]
        self.set_aside = [a for p in prepared for a in p.set_aside]
        self.starts: list[int] = []
        pos = 0
        parts = []
        for p in prepared:
            self.starts.append(pos)
            parts.append(p.text)
            pos += len(p.text) + len(_BREAK)
        self.t = _BREAK.join(parts)
        self.levels: list[_Level] = []
        self.pairs: list[_Pair] = []
        self.said: list[_Said] = []

    # ------------------------------------------------------------ positions

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def sentence_end(self, i: int) -> int:
        return self.starts[i + 1] - len(_BREAK) if i + 1 < len(self.starts) else len(self.t)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around a span: from the last clause break before it to the next one after it."""
        first = self.starts[self.sentence_of(start)]
        lo, hi = first, self.sentence_end(self.sentence_of(end))
        for m in _CLAUSE_BREAK.finditer(self.t[first:start]):
            lo = first + m.end()
        m = _CLAUSE_BREAK.search(self.t[end:hi])
        if m:
            hi = end + m.start()
        return lo, hi

    def words(self, start: int, end: int) -> frozenset[str]:
        lo, hi = self.clause(start, end)
        return frozenset(
            w for w in re.findall(r"[a-z][a-z'\-]+", self.t[lo:hi])
            if w not in _STOPWORDS and not re.fullmatch(YEAR_TOKEN_RE, w)
        )

    def paren_start(self, pos: int) -> int:
        """Where the brackets enclosing pos open, or -1."""
        stack: list[int] = []
        for i in range(self.starts[self.sentence_of(pos)], pos):
            if self.t[i] == "(":
                stack.append(i)
            elif self.t[i] == ")" and stack:
                stack.pop()
        return stack[-1] if stack else -1

    def taken(self) -> list[tuple[int, int]]:
        return [(lv.start, lv.end) for lv in self.levels if lv.start >= 0] + [
            (s.fig.start, s.fig.end) for s in self.said
        ]

    # ------------------------------------------------------------ figures

    def level(self, m: re.Match[str], g: str) -> _Level:
        start = m.start(g)
        end = m.end(g + "u") if m.group(g + "u") else m.end(g)
        for lv in self.levels:
            if lv.start == start:
                return lv
        qualifier, _ = _qualifier_before(self.t, start)
        lv = _Level(start, end, _parse_number(self.t[start:end]), qualifier)
        self._attach_year(lv)
        self.levels.append(lv)
        return lv

    def _attach_year(self, lv: _Level) -> None:
        s = self.sentence_of(lv.start)
        lo, hi = self.starts[s], self.sentence_end(s)
        before = self.t[lo:lv.start]
        if _BRACKET_YEAR.search(before):
            lv.bracket_year = True
            lv.year = token_year(re.findall(YEAR_TOKEN_RE, before)[-1])
            return
        m = _YEAR_AFTER.search(self.t[lv.end:hi])
        if m:
            lv.year = token_year(m.group(1))
            return
        m = _YEAR_BEFORE.search(before)
        if m:
            lv.year = token_year(m.group(1))

    def free_levels(self) -> list[_Level]:
        in_pairs = {id(p.before) for p in self.pairs} | {id(p.after) for p in self.pairs}
        return [lv for lv in self.levels if id(lv) not in in_pairs and lv.start >= 0]

    def antecedent(self, pos: int, percent: bool, *, exclude: tuple[_Level, ...] = ()) -> _Level | None:
        """The figure copy last gave before pos (this or the two sentences before): what "this" refers to."""
        first = self.starts[max(0, self.sentence_of(pos) - 2)]
        best: _Level | None = None
        for lv in self.levels:
            if not (first <= lv.start < pos) or lv in exclude or lv.is_before or lv.bracket_year:
                continue
            if lv.number.percent != percent or lv.derivation:
                continue
            if any(s.fig.start <= lv.start < s.fig.end for s in self.said):
                continue
            if best is None or lv.start > best.start:
                best = lv
        return best

    def add_pair(self, before: _Level, after: _Level, start: int, end: int, how: str,
                 owner: _Said | None = None, derivation: str | None = None) -> _Pair:
        before.is_before = True
        pair = _Pair(before, after, start, end, how, owner, derivation=derivation)
        lo = min(x for x in (before.start, after.start, start) if x >= 0)
        hi = max(before.end, after.end, end)
        pair.words = self.words(lo, hi)
        self.pairs.append(pair)
        if owner is not None:
            owner.pair = pair
            pair.kinds.add(owner.fig.kind)
        return pair

    # ------------------------------------------------------------ the four steps

    def read(self) -> Passage:
        self.find_pairs()
        self.find_claims()
        self.find_levels()
        self.own_bases()
        self.anaphoric_pairs()
        self.year_pairs()
        self.derive_from_absolute()
        self.two_figures_and_a_claim()
        self.assign()
        return self.result()

    def find_pairs(self) -> None:
        spans: list[tuple[int, int]] = []
        for how, rx in _PAIRS:
            for m in rx.finditer(self.t):
                if _overlaps((m.start(), m.end()), spans):
                    continue
                if (m.group("bu") == "%") != (m.group("au") == "%"):
                    continue  # "rose 28% to 152": a rise and a level, not a pair
                if self._is_change_amount(m, "a") or self._is_change_amount(m, "b"):
                    continue  # "fell by 10% (2% more than …)": changes, not levels
                b, a = self.level(m, "b"), self.level(m, "a")
                pair = self.add_pair(b, a, m.start(), m.end(), how)
                spans.append((m.start(), m.end()))
                if how in ("Y, up from X", "from X to Y"):
                    self._second_base(pair, b.end)
                if how == "from X to Y":
                    self._chain(pair)
        self.pair_spans = spans

    def _is_change_amount(self, m: re.Match[str], g: str) -> bool:
        start = m.start(g)
        end = m.end(g + "u") if m.group(g + "u") else m.end(g)
        if re.search(r"\bby\s*$", self.t[max(0, start - 5):start]):
            return True
        if g == "b" and _CHANGE_VERB_BEFORE.search(self.t[max(0, start - 20):start]):
            return True  # "the figure rose 152 to 2,214": 152 is the rise
        return bool(re.match(r"\s+(?:more|less|higher|lower|fewer|above|below)\b", self.t[end:end + 12]))

    def _chain(self, pair: _Pair) -> None:
        """ "rose from 28 to 48 in 2022, and 152 in 2023": a series; a claim after it is about first to last."""
        hi = self.sentence_end(self.sentence_of(pair.after.end))
        m = _CHAIN.match(self.t[pair.after.end:hi])
        if not m:
            return
        start = pair.after.end + m.start("a")
        end = pair.after.end + (m.end("au") if m.group("au") else m.end("a"))
        if (m.group("au") == "%") != pair.after.number.percent:
            return
        existing = next((lv for lv in self.levels if lv.start == start), None)
        if existing is not None:
            if existing not in self.free_levels():
                return
            last = existing
        elif _overlaps((start, end), self.taken()):
            return
        else:
            last = _Level(start, end, _parse_number(self.t[start:end]), _qualifier_before(self.t, start)[0])
            self._attach_year(last)
            self.levels.append(last)
        self.add_pair(pair.before, last, pair.start, end, "from X to Y, and Z")
        self.add_pair(pair.after, last, pair.after.start, end, "Y, and Z")

    def _second_base(self, pair: _Pair, pos: int) -> None:
        hi = self.sentence_end(self.sentence_of(pos))
        m = _AND_FROM.search(self.t[pos:hi])
        if not m:
            return
        offset = pos
        start, end = offset + m.start("b"), offset + (m.end("bu") if m.group("bu") else m.end("b"))
        if (m.group("bu") == "%") != pair.after.number.percent:
            return
        qualifier, _ = _qualifier_before(self.t, start)
        lv = _Level(start, end, _parse_number(self.t[start:end]), qualifier)
        self._attach_year(lv)
        self.levels.append(lv)
        self.add_pair(lv, pair.after, pair.start, end, "Y, down from X and from X2")

    def find_claims(self) -> None:
        for f in _find_figures(self.t, [(lv.start, lv.end) for lv in self.levels]):
            if f.kind == "pct" and f.implied_direction is None and self._is_level_pct(f):
                continue
            if _NOT_A_MULTIPLE.match(self.t, f.start):
                continue  # "double figures", "triple-digit": not a claim that anything doubled
            self.said.append(self._said(f))
        for rx in _ABSOLUTE:
            for m in rx.finditer(self.t):
                span = (m.start("n"), m.end("nu") if m.group("nu") else m.end("n"))
                if _overlaps(span, self.taken()):
                    continue
                num = _parse_number(self.t[span[0]:span[1]])
                if num.percent:
                    continue
                qualifier, qstart = _qualifier_before(self.t, span[0])
                down = _ABS_DOWN.search(m.group(0)) is not None
                fig = _Figure(qstart, span[1], "abs", abs(num.value), _step(self.t[span[0]:span[1]], num),
                              -1 if down else 1, qualifier, False, None, _group_digits(self.t[qstart:span[1]].strip()))
                self.said.append(self._said(fig))
        self.said.sort(key=lambda s: s.fig.start)

    def _is_level_pct(self, f: _Figure) -> bool:
        """ "turnout was 59.9%", "some 37% of offences", "from 67.3%": a rate, not a change."""
        if f.sign is not None:
            return False
        before = self.t[max(0, f.start - 30):f.start]
        after = self.t[f.end:f.end + 12]
        if _CHANGE_OF.search(before) or _immediate_direction(self.t, f.start, f.end) is not None:
            return False
        if re.match(r"\s+(?:of|share)\b", after):
            return True
        return bool(_LEVEL_BEFORE.search(before))

    def _said(self, f: _Figure) -> _Said:
        s = _Said(f, self.sentence_of(f.start))
        s.aside = self.paren_start(f.start)
        tail = self.t[f.end:self.sentence_end(s.sentence)]
        s.elsewhere = bool(_ELSEWHERE.match(tail))
        lo, hi = self.clause(f.start, f.end)
        window = self.t[max(lo, f.start - 60):min(hi, f.end + 40)]
        s.scoped = bool(_SCOPE.search(window))
        years = re.findall(YEAR_TOKEN_RE, self.t[max(lo, f.start - 30):min(hi, f.end + 30)])
        s.year = token_year(years[0]) if len(years) == 1 else None
        s.words = self.words(f.start, f.end)
        return s

    def find_levels(self) -> None:
        taken = self.taken()
        for m in _PLAIN_NUMBER.finditer(self.t):
            span = (m.start("n"), m.end("nu") if m.group("nu") else m.end("n"))
            if _overlaps(span, taken):
                continue
            self.level(m, "n")
        for f in _find_figures(self.t, self.taken()):
            if f.kind == "pct" and self._is_level_pct(f):
                m = _PLAIN_NUMBER.match(self.t, f.start) or re.compile(r"(?P<n>\d+(?:\.\d+)?)(?P<nu>%)").search(
                    self.t, f.start)
                if m:
                    self.level(m, "n")
        for m in _ZERO.finditer(self.t):
            lv = _Level(m.start(), m.end(), _Number(Fraction(0), "none", False, None), year=token_year(m.group(1)))
            self.levels.append(lv)
        self.levels.sort(key=lambda lv: lv.start)

    def own_bases(self) -> None:
        """A claim that names its base brings its own pair; the later figure is the one copy gave last."""
        masked = _mask(self.t, [(s.fig.start, s.fig.end) for s in self.said])
        for s in self.said:
            if s.elsewhere or s.pair is not None:
                continue
            hi = self.sentence_end(s.sentence)
            if s.fig.kind == "abs" and self._absolute_to(s, masked[s.fig.end:hi]):
                continue
            m = _OWN_BASE.search(masked[s.fig.end:hi])
            if not m:
                continue
            start = s.fig.end + m.start("b")
            base = next((lv for lv in self.free_levels() if lv.start == start), None)
            if base is None:
                continue
            after = self._after_for(s, base)
            if after is None:
                continue
            after_level, derivation, consumed = after
            if consumed:
                s.consumed = True
            self.add_pair(base, after_level, s.fig.start, base.end, "claim from X", owner=s, derivation=derivation)

    def _absolute_to(self, s: _Said, tail: str) -> bool:
        """ "rose by 5,864 to 19,632 [from 13,768]": the later figure, and the earlier one if given or derivable."""
        m = _ABS_TO.search(tail)
        if not m:
            return False
        free = self.free_levels()
        after = next((lv for lv in free if lv.start == s.fig.end + m.start("a")), None)
        if after is None:
            return False
        if m.group("b"):
            base = next((lv for lv in free if lv.start == s.fig.end + m.start("b")), None)
            if base is not None:
                self.add_pair(base, after, s.fig.start, base.end, "rose by D to Y from X", owner=s)
                return True
        d = s.fig.value * (s.fig.sign or 1)
        value = after.number.value - d
        if value < 0 or after.number.percent:
            return False
        text = _fmt(value)
        derived = _Level(-1, -1, _Number(value, text, False, None),
                         derivation=f"{text} = {after.number.text} {'−' if d >= 0 else '+'} {_fmt(abs(d))}")
        s.consumed = True
        self.add_pair(derived, after, s.fig.start, after.end, "rose by D to Y", owner=s, derivation=derived.derivation)
        return True

    def _after_for(self, s: _Said, base: _Level) -> tuple[_Level, str | None, bool] | None:
        absolute = self._absolute_near(s)
        ante = self.antecedent(s.fig.start, base.number.percent, exclude=(base,))
        if absolute is not None:
            d = absolute.fig.value * (absolute.fig.sign or 1)
            value = base.number.value + d
            match = next((lv for lv in self.levels if lv.number.value == value and lv is not base
                          and not lv.number.percent), None)
            if match is not None:
                return match, None, False
            if ante is None:
                text = _fmt(value)
                op = "+" if d >= 0 else "−"
                derived = _Level(-1, -1, _Number(value, text, False, None),
                                 derivation=f"{text} = {base.number.text} {op} {_fmt(abs(d))}")
                absolute.consumed = True
                return derived, derived.derivation, absolute is s
        if ante is None:
            return None
        return ante, None, False

    def _absolute_near(self, s: _Said) -> _Said | None:
        if s.fig.kind == "abs":
            return s
        for o in self.said:
            if o.fig.kind == "abs" and o.sentence == s.sentence and o.pair is None and \
                    abs(o.fig.start - s.fig.start) < 60:
                return o
        return None

    def anaphoric_pairs(self) -> None:
        for m in _THIS_FROM.finditer(self.t):
            base = next((lv for lv in self.free_levels() if lv.start == m.start("b")), None)
            if base is None:
                continue
            after = self.antecedent(m.start(), base.number.percent, exclude=(base,))
            if after is not None:
                self.add_pair(base, after, after.start, base.end, "Y. This is down from X")
        for m in _RISEN_TO.finditer(self.t):
            after = next((lv for lv in self.free_levels() if lv.start == m.start("a")), None)
            if after is None:
                continue
            base = self.antecedent(m.start(), after.number.percent, exclude=(after,))
            if base is not None and not any(p.after is base for p in self.pairs):
                self._chain(self.add_pair(base, after, base.start, after.end, "X … has risen to Y"))

    def year_pairs(self) -> None:
        """ "one offence in 2014-15 and two in 2015-16": figures for two years, in the order of the years."""
        free = [lv for lv in self.free_levels() if lv.year is not None and not lv.bracket_year]
        free.sort(key=lambda lv: lv.start)
        i = 0
        while i + 1 < len(free):
            x, y = free[i], free[i + 1]
            near = self.sentence_of(y.start) - self.sentence_of(x.start) <= 1
            if near and x.year != y.year and x.number.percent == y.number.percent:
                b, a = (x, y) if (x.year or 0) < (y.year or 0) else (y, x)
                self.add_pair(b, a, min(x.start, y.start), max(x.end, y.end), "X in year A and Y in year B")
                i += 2
            else:
                i += 1

    def derive_from_absolute(self) -> None:
        """ "There were 19,632 requests. This is an increase of 5,864 (43%)": the earlier figure is 13,768."""
        for s in self.said:
            if s.fig.kind != "abs" or s.pair is not None or s.consumed or s.elsewhere:
                continue
            if self._pair_in_sentence(s):
                continue
            anaphoric = bool(_ANAPHOR.match(self.t[self.starts[s.sentence]:]))
            after = self.antecedent(s.fig.start, False)
            if after is None or (not anaphoric and self.sentence_of(after.start) != s.sentence):
                after = self._total_after(s)
            if after is None:
                continue
            d = s.fig.value * (s.fig.sign or 1)
            value = after.number.value - d
            if value < 0:
                continue
            text = _fmt(value)
            op = "−" if d >= 0 else "+"
            derived = _Level(-1, -1, _Number(value, text, False, None),
                             derivation=f"{text} = {after.number.text} {op} {_fmt(abs(d))}")
            s.consumed = True
            self.add_pair(derived, after, after.start, s.fig.end, "Y … an increase of D", owner=s,
                          derivation=derived.derivation)

    def _total_after(self, s: _Said) -> _Level | None:
        """ "741 more calls than last year, taking the total to 10,401": the later figure comes after."""
        tail = self.t[s.fig.end:self.sentence_end(s.sentence)]
        m = _TOTAL_TO.search(tail)
        if not m:
            return None
        return next((lv for lv in self.free_levels() if lv.start == s.fig.end + m.start("a")), None)

    def two_figures_and_a_claim(self) -> None:
        """ "28 152 443%", "28 reports then 152, a 443% rise": a sentence with a claim, no pair and exactly
        two figures of one kind reads them in the order written."""
        for i in range(len(self.sentences)):
            claims = [s for s in self.said if s.sentence == i and s.pair is None and not s.elsewhere]
            if not claims or any(self.sentence_of(p.start) == i or self.sentence_of(p.end) == i for p in self.pairs):
                continue
            free = [lv for lv in self.free_levels() if self.sentence_of(lv.start) == i]
            if len(free) == 2 and free[0].number.percent == free[1].number.percent:
                self.add_pair(free[0], free[1], free[0].start, free[1].end, "X … Y")

    def _pair_in_sentence(self, s: _Said) -> bool:
        return any(self.sentence_of(p.start) == s.sentence or self.sentence_of(p.end) == s.sentence
                   for p in self.pairs)

    def assign(self) -> None:
        """Each claim to the pair it is about: near, same subject, same year, one claim of a kind per pair."""
        options: list[tuple[float, int, _Said, _Pair]] = []
        for n, s in enumerate(self.said):
            if s.pair is not None or s.elsewhere or s.consumed:
                continue
            for p in self.pairs:
                score = self._score(s, p)
                if score is not None:
                    options.append((score, n, s, p))
        options.sort(key=lambda o: (o[0], o[1]))
        for _, _, s, p in options:
            if s.pair is not None or (s.fig.kind in p.kinds and not self._restates(s, p)):
                continue
            s.pair = p
            p.kinds.add(s.fig.kind)

    def _restates(self, s: _Said, p: _Pair) -> bool:
        """ "by almost a third (32 per cent)": a second figure for the same change, right beside the first."""
        for o in self.said:
            if o.pair is not p or o.fig.kind != s.fig.kind or o.sentence != s.sentence or o.scoped or s.scoped:
                continue
            lo, hi = sorted((o.fig.end, s.fig.start)) if o.fig.start < s.fig.start else sorted((s.fig.end, o.fig.start))
            if hi - lo <= 30 and not _CLAUSE_BREAK.search(self.t[lo:hi]) and not re.search(r"[a-z]{4,}", self.t[lo:hi]):
                return True
        return False

    def _own_figure(self, s: _Said) -> bool:
        """A figure in the claim's sentence that no pair uses and that is not a threshold ("below 10 million")."""
        return any(self.sentence_of(lv.start) == s.sentence and lv.qualifier is None and not lv.bracket_year
                   for lv in self.free_levels())

    def _score(self, s: _Said, p: _Pair) -> float | None:
        ps, pe = self.sentence_of(p.start), self.sentence_of(p.end)
        if s.sentence < ps:
            gap = ps - s.sentence
        elif s.sentence > pe:
            gap = s.sentence - pe
        else:
            gap = 0
        if gap > 2:
            return None
        if gap and self._own_figure(s):
            return None  # the claim's own sentence gives a figure of its own: it is about that, not a neighbour
        if not gap and not (s.words & p.words):
            lo, hi = sorted((s.fig.end, p.start)) if s.fig.start < p.start else sorted((p.end, s.fig.start))
            if _CONTRAST.search(self.t[lo:hi]):
                return None  # "…from 47 to 110, while attacks on synagogues rose 20%": another subject
        spots = [x for x in (p.before.start, p.before.end, p.after.start, p.after.end, p.start, p.end) if x >= 0]
        if p.start <= s.fig.start < p.end:
            dist = 0
        else:
            dist = min(min(abs(s.fig.start - x), abs(s.fig.end - x)) for x in spots)
        score = dist + 200 * gap
        if s.scoped:
            score += 300
        if s.aside >= 0 and not (s.aside <= p.start):
            score += 100
        if s.aside >= 0 and s.aside > p.end:
            score += 100
        if s.year is not None and s.year == p.before.year:
            score -= 150
        score -= 60 * min(2, len(s.words & p.words))
        return score

    # ------------------------------------------------------------ claims out

    def result(self) -> Passage:
        claims: list[tuple[int, Claim]] = []
        masked = _mask(self.t, self.taken())
        used: set[int] = set()
        for s in self.said:
            if s.consumed and (s.pair is None or s.pair.owner is not s):
                continue  # an absolute change that gave another claim its missing figure (see its derivation)
            if s.consumed and s.pair is not None and s.pair.owner is s and s.pair.derivation:
                used.add(id(s.pair.after))
                if any(o.pair is s.pair and o is not s for o in self.said):
                    continue  # the absolute change only gave the missing figure; the claims beside it are checked
                # Nothing else is said about this change: the absolute change itself cannot be checked.
                claims.append((s.fig.start, Claim(kind="abs", value=s.fig.value, step=s.fig.step,
                                                  qualifier=s.fig.qualifier, direction=s.fig.sign,
                                                  figure=s.fig.text, text=self.sentences[s.sentence].strip())))
                continue
            claims.append((s.fig.start, self._claim(s, masked)))
            if s.pair is not None:
                used.update((id(s.pair.before), id(s.pair.after)))
        for p in self.pairs:
            if any(s.pair is p for s in self.said):
                continue
            lo, _ = self.clause(p.start, p.end)
            direction = _sentence_direction(masked[lo:p.end]) if p.start >= 0 else None
            if direction is None and p.start >= 0:  # "the biggest increase - from 534 to 728"
                direction = _sentence_direction(masked[self.starts[self.sentence_of(p.start)]:p.end])
            if direction is None:
                continue  # two figures side by side, nothing said about them: reported as not checked
            claims.append((p.start, Claim(kind="direction", direction=direction, figure="", **self._common(p))))  # type: ignore[arg-type]
            used.update((id(p.before), id(p.after)))
        claims.sort(key=lambda c: c[0])
        unused = [
            lv.number.text if not lv.qualifier else _group_digits(self.t[lv.start:lv.end])
            for lv in self.levels if id(lv) not in used and lv.start >= 0
        ]
        return Passage(self.original, [c for _, c in claims], unused, self.set_aside)

    def _claim(self, s: _Said, masked: str) -> Claim:
        f = s.fig
        if f.sign is not None and f.kind != "abs":
            direction: int | None = f.sign
        elif f.kind == "abs":
            direction = f.sign
        elif f.implied_direction is not None:
            direction = f.implied_direction  # "doubled" rises and "halved" falls, whatever words sit nearby
        else:
            # No sign and no implied direction here (both handled above): the words decide.
            direction = _immediate_direction(self.t, f.start, f.end)
            if direction is None:
                lo, hi = self.starts[s.sentence], self.sentence_end(s.sentence)
                direction = _direction_near(masked[lo:hi], f.start - lo, f.end - lo)
            if direction == 0:
                direction = None
        if f.kind == "ratio" and direction == 1:
            direction = None
        step = f.step
        common = self._common(s.pair, s) if s.pair is not None else {
            "text": self.sentences[s.sentence].strip()}
        if common.get("bounds") is not None and f.qualifier is None and f.kind in ("pct", "abs"):
            step = max(step, _significant_step(f.value))
        return Claim(kind=f.kind, value=f.value, step=step, qualifier=f.qualifier, direction=direction,
                     figure=f.text, literal_more=f.literal_more, **common)  # type: ignore[arg-type]

    def _common(self, p: _Pair, s: _Said | None = None) -> dict[str, object]:
        b, a = p.before.number, p.after.number
        sentences = sorted({self.sentence_of(x) for x in (p.before.start, p.after.start) if x >= 0}
                           | ({s.sentence} if s is not None else set()))
        text = " … ".join(self.sentences[i].strip() for i in range(sentences[0], sentences[-1] + 1)) \
            if sentences else self.original.strip()
        bounds = None
        if p.before.qualifier or p.after.qualifier:
            bounds = (*_bounds(p.before), *_bounds(p.after))
        return dict(
            text=text, before=b.value, after=a.value, before_text=b.text, after_text=a.text,
            inputs_percent=b.percent or a.percent, rounded_unit=_shared_round_unit(b, a),
            bounds=bounds, derivation=p.derivation,
        )


def _immediate_direction(t: str, start: int, end: int) -> int | None:
    """ "5% lower than", "16% below", "a 7% drop": the word right after a figure outranks one further back."""
    after = t[end:end + 30]
    m = re.match(r"\s*(?:\w+\s+)?(lower|higher|below|above|fewer|more|less|up|down|rise|increase|fall|drop|"
                 r"decrease|reduction|jump|cut|growth|decline)\b", after)
    if m:
        word = m.group(1)
        return 1 if _RISE_RE.search(word) or word in ("above", "growth") else -1 if (
            _FALL_RE.search(word) or word == "below") else None
    return None


def _step(text: str, num: _Number) -> Fraction:
    digits = re.match(r"[+\-]?([\d.]+)", text)
    places = _decimals(digits.group(1)) if digits else 0
    if num.round_unit is not None and re.search(r"[a-z]", text):
        return num.round_unit
    return Fraction(1, 10**places)


def _significant_step(value: Fraction) -> Fraction:
    """800% written against approximate figures ('over 500') is one significant figure: [750%, 850%)."""
    if value.denominator != 1 or value < 10:
        return Fraction(1)
    n = int(value)
    zeros = len(str(n)) - len(str(n).rstrip("0"))
    return Fraction(10**zeros)


def _bounds(lv: _Level) -> tuple[Fraction, Fraction]:
    v = lv.number.value
    u = lv.number.round_unit
    if u is None:
        n = v.numerator // v.denominator if v.denominator == 1 else None
        if n is not None and n > 0:
            s = str(n)
            u = Fraction(10 ** (len(s) - len(s.rstrip("0")))) if s.rstrip("0") != s else Fraction(1)
        else:
            u = Fraction(1, 10 ** _decimals(lv.number.text.rstrip("%")))
    q = lv.qualifier
    if q in ("more_than", "at_least"):
        return v, v + u
    if q == "just_over":
        return v, v + u / 2
    if q in ("nearly", "less_than", "up_to"):
        return v - u, v
    if q == "about":
        return v - u / 2, v + u / 2
    return v, v


def _fmt(x: Fraction) -> str:
    if x.denominator == 1:
        return f"{int(x):,}"
    return f"{float(x):,.2f}".rstrip("0").rstrip(".")


def read_passage(text: str) -> Passage:
    """Read a passage into claims, each paired with the figures it is about, and the figures no claim used.

    Never raises for ordinary prose: a claim with no figures comes back unpaired (the
    judge says it cannot be checked), and a passage with no claims gives an empty list.
    """
    return _Reader(text).read()
