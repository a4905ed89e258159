"""Period labels made exact: every header a force writes becomes inclusive start and end dates.

FOI returns mix months, calendar years, financial years, the window the request asked
for and ONS "year ending" labels. A rise is only honest when both ends cover the same
months, so this module turns each label into a `Period` and refuses (PeriodError)
rather than guesses. Where a label can honestly be read two ways ("2020-21" in a
sheet of June–May windows, "2011-12" as a month or a year) the reading is taken from
the surrounding labels when they settle it, and otherwise flagged on the Period
(`ambiguous`, `note`) so the importer can say so.

Stdlib only: `foistats check` and the importer call this without paying for polars.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

GRANULARITIES = ("day", "month", "quarter", "year", "financial_year", "rolling_year", "custom")
MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_FULL = tuple(calendar.month_name)

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
# Longest names first so "march" is never read as "mar" + "ch".
_MON = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"
_YEAR_TOKEN = r"(?:\d{4}|'?\d{2})"
_FOOTNOTE_LIST = r"\d+(?:\s*,\s*\d+)*+"  # possessive: no nested backtracking on long digit runs


class PeriodError(ValueError):
    """A label that is not a period we can read exactly; the importer catches it to name the cell."""


class PartialPeriodError(PeriodError):
    """A label for part of a period that does not say where the part ends ("2024 (to date)",
    "Jan 2024 - present", "01/04/2023 to date"), or whose qualifier does not fit its period.

    A PeriodError, so every caller that knows nothing of parts refuses the label instead of
    reading it as the whole year (or as its first day); the importer catches it by name to
    keep the number undated and say why in its `guess`.
    """


@dataclass(frozen=True)
class Period:
    """Inclusive dates plus what kind of period they are.

    Equality is about the dates and granularity only: "2020/21" and "April 2020 to
    March 2021" are the same period. `note`, `footnote` and `ambiguous` record how a
    label was read so a report can show it.
    """

    start: date
    end: date
    granularity: str = ""
    note: str | None = field(default=None, compare=False)
    footnote: str | None = field(default=None, compare=False)
    ambiguous: bool = field(default=False, compare=False)
    # Why these dates are only a reading of the label (a part year whose end the label
    # implies but does not state): the importer copies it into the row's `guess`.
    guess: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.start, datetime):
            object.__setattr__(self, "start", self.start.date())
        if isinstance(self.end, datetime):
            object.__setattr__(self, "end", self.end.date())
        if self.end < self.start:
            raise PeriodError(f"period ends ({self.end}) before it starts ({self.start})")
        if not self.granularity:
            object.__setattr__(self, "granularity", classify(self.start, self.end))

    @property
    def whole_months(self) -> bool:
        """Starts on the 1st and ends on a month's last day, so months can be summed exactly."""
        return self.start.day == 1 and self.end == month_end(self.end.year, self.end.month)

    @property
    def months(self) -> int:
        """Number of calendar months wholly inside the period (0 for a single day)."""
        first, last = self.month_span()
        return max(0, last - first + 1)

    def month_span(self) -> tuple[int, int]:
        """Indexes (year*12 + month-1) of the first and last whole months covered; last < first if none."""
        first = month_index(self.start)
        if self.start.day != 1:
            first += 1
        last = month_index(self.end)
        if self.end != month_end(self.end.year, self.end.month):
            last -= 1
        return first, last

    @property
    def is_year_long(self) -> bool:
        """Twelve whole months, or a year of days such as 6 April–5 April."""
        if self.whole_months:
            return self.months == 12
        return self.end == add_years(self.start, 1) - timedelta(days=1)

    @property
    def start_month(self) -> int:
        return self.start.month

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


# ---------------------------------------------------------------- small date helpers


@lru_cache(maxsize=4096)
def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_index(d: date) -> int:
    """A month as one integer (year*12 + month-1): month arithmetic without calendar tricks."""
    return d.year * 12 + d.month - 1


def month_from_index(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def aligned_year_of(d: date, year_start: int) -> int:
    """The aligned year a date falls in: 2020 for 1 March 2021 when years start in June."""
    return d.year if d.month >= year_start else d.year - 1


def classify(start: date, end: date) -> str:
    """Name a span by its shape, so every label for the same months gets the same granularity."""
    if start == end:
        return "day"
    if start.day == 1 and end == month_end(end.year, end.month):
        n = month_index(end) - month_index(start) + 1
        if n == 1:
            return "month"
        if n == 3 and start.month in (1, 4, 7, 10):
            return "quarter"
        if n == 12:
            if start.month == 1:
                return "year"
            if start.month == 4:
                return "financial_year"
            return "rolling_year"
    return "custom"


def _months_period(first: int, last: int, **extra: object) -> Period:
    y1, m1 = month_from_index(first)
    y2, m2 = month_from_index(last)
    return Period(date(y1, m1, 1), month_end(y2, m2), **extra)  # type: ignore[arg-type]


def year_ending(end: date) -> Period:
    """The twelve months ending on `end`: whole months when it is a month's last day."""
    if end == month_end(end.year, end.month):
        return _months_period(month_index(end) - 11, month_index(end))
    return Period(add_years(end, -1) + timedelta(days=1), end)


def _century(two: int) -> int:
    """Two-digit years as spreadsheets read them: 00–68 are 2000s, 69–99 are 1900s."""
    return 2000 + two if two <= 68 else 1900 + two


def _year(text: str) -> int:
    digits = text.lstrip("'")
    year = int(digits)
    if len(digits) == 2:
        return _century(year)
    if len(digits) != 4:
        raise PeriodError(f"{text!r} is not a year")
    return year


def _plausible_year(year: int) -> bool:
    return 1800 <= year <= 2200


# ---------------------------------------------------------------- names and labels


def month_from_name(text: str | int) -> int:
    """'jun', 'June', 'sept', '6' or 6 -> 6; anything else is a PeriodError."""
    if isinstance(text, bool):
        raise PeriodError(f"{text!r} is not a month")
    if isinstance(text, int):
        if 1 <= text <= 12:
            return text
        raise PeriodError(f"{text} is not a month (use 1–12 or a name such as jun)")
    key = str(text).strip().lower().rstrip(".")
    if key.isdigit() and 1 <= int(key) <= 12:
        return int(key)
    if key in _MONTHS:
        return _MONTHS[key]
    raise PeriodError(f"{text!r} is not a month (use a name such as jan, apr or jun)")


def aligned_label(year: int, year_start: int) -> str:
    """'2020/21' for the year starting in 2020; '2020' when years are calendar years."""
    if year_start == 1:
        return str(year)
    return f"{year}/{(year + 1) % 100:02d}"


def aligned_period(year: int, year_start: int) -> Period:
    first = year * 12 + year_start - 1
    return _months_period(first, first + 11)


def _day_label(d: date) -> str:
    return f"{d.day} {MONTH_ABBR[d.month]} {d.year}"


def long_label(period: Period) -> str:
    """'Jun 2020–May 2021' (what a caption says); '30 Sep 2015' for a day; 'Jun 2020' for a month."""
    if period.granularity == "day" or period.start == period.end:
        return _day_label(period.start)
    if period.whole_months:
        start = f"{MONTH_ABBR[period.start.month]} {period.start.year}"
        end = f"{MONTH_ABBR[period.end.month]} {period.end.year}"
        return start if start == end else f"{start}–{end}"
    return f"{_day_label(period.start)}–{_day_label(period.end)}"


def parse_aligned(label: str, year_start: int) -> int:
    """The aligned year a `--from/--to` label names, as the calendar year it starts in.

    Accepts "2020/21", "2020-21", "2020/2021", "FY 2020/21" (any of them mean the
    aligned year that *starts* in 2020, whatever --year-start is) and exact windows
    such as "Jun 2020–May 2021" or "year ending May 2021" when they match the year
    start. A bare "2021" is accepted only for calendar years (--year-start jan):
    under June–May years a journalist's "2021" may mean the year ending May 2021 or
    the one starting June 2021, so it is refused with both readings spelt out
    rather than guessed.
    """
    year_start = month_from_name(year_start)
    text = _normalise(str(label))
    bare = re.fullmatch(r"(\d{4})", text)
    if bare:
        year = int(bare.group(1))
        if year_start == 1:
            return year
        before, after = aligned_period(year - 1, year_start), aligned_period(year, year_start)
        raise PeriodError(
            f"{label!r} is ambiguous when years run {MONTH_ABBR[year_start]}–{MONTH_ABBR[(year_start + 10) % 12 + 1]}:"
            f" say {aligned_label(year - 1, year_start)} ({long_label(before)})"
            f" or {aligned_label(year, year_start)} ({long_label(after)})"
        )
    split = _SPLIT_RE.fullmatch(text)
    if split:
        first = _split_first_year(split.group(2), split.group(4), split.group(3))
        if first is not None:
            if year_start == 1:
                raise PeriodError(f"{label!r} is a split year, but the comparison years are calendar years")
            return first
    try:
        period = parse_period(label, default_year_start=year_start)
    except PeriodError as exc:
        raise PeriodError(f"{label!r} is not an aligned year ({exc})") from None
    if period.whole_months and period.months == 12 and period.start.month == year_start:
        return period.start.year
    expected = long_label(aligned_period(period.start.year, year_start))
    raise PeriodError(
        f"{label!r} ({long_label(period)}) is not a comparison year; years start in"
        f" {MONTH_FULL[year_start]}, e.g. {aligned_label(period.start.year, year_start)} = {expected}"
    )


# ---------------------------------------------------------------- footnotes


def strip_footnote(label: str) -> tuple[str, str | None]:
    """Split a footnote marker glued to a period label: "Mar '083" -> ("Mar '08", "3").

    Period labels end in a year, so digits beyond a whole year are a footnote:
    "'083" is '08 + 3, "March 181,2,3" is March 18 + "1,2,3", "(new rules)59" is the
    label + 59. A label that is already a whole year ("2020/21", "2018") is left alone.
    Trailing symbols (*, †, ^, ~, #) and GSS codes such as [p] or [r] are markers too.
    """
    text = str(label).strip()
    markers: list[str] = []
    while True:
        m = re.search(r"\s*(\[[a-z]{1,4}\]|[*†‡^~#¹²³⁴⁵⁶⁷⁸⁹⁰]+)$", text, re.I)
        if m and m.start() > 0:
            markers.insert(0, m.group(1))
            text = text[: m.start()].rstrip()
            continue
        break
    digits = _glued_digits(text)
    if digits is not None:
        text, marker = digits
        markers.insert(0, marker)
    if not markers:
        return text, None
    return text, " ".join(markers)


def _glued_digits(text: str) -> tuple[str, str] | None:
    m = re.search(r"\)\s*(" + _FOOTNOTE_LIST + r")$", text)
    if m:
        return text[: m.start() + 1], m.group(1)
    m = re.search(r"'(\d{2})(" + _FOOTNOTE_LIST + r")$", text)
    if m:
        return text[: m.start(2)], m.group(2)
    m = re.search(_MON + r"[\s\-,.']*(\d+)((?:\s*,\s*\d+)*+)$", text, re.I)
    if m:
        digits, rest = m.group(1), m.group(2)
        cut = {3: 2, 5: 4, 6: 4}.get(len(digits))
        if cut is not None:
            return text[: m.start(1) + cut], digits[cut:] + rest
        return None
    m = re.search(r"(?<!\d)(\d{4})\s*[/-]\s*(\d+)((?:\s*,\s*\d+)*+)$", text)
    if m:
        first, digits, rest = int(m.group(1)), m.group(2), m.group(3)
        # "2001/0269" is 2001/02 + 69; "2020/2021" and "2020/21" are whole years.
        for width, modulus in ((4, 10_000), (2, 100), (1, 10)):
            if len(digits) > width and int(digits[:width]) == (first + 1) % modulus:
                return text[: m.start(2) + width], digits[width:] + rest
    return None


# ---------------------------------------------------------------- Excel dates


def from_excel_serial(n: float | int, date1904: bool = False) -> Period:
    """An Excel date serial as a one-day period (1900 system unless the workbook says 1904).

    Only call this for cells the workbook formats as dates: 2021 is a year, not 1905-07-13.
    """
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        raise PeriodError(f"{n!r} is not an Excel date serial")
    if n != n or n in (float("inf"), float("-inf")):
        raise PeriodError(f"{n!r} is not an Excel date serial")
    whole = int(n)
    if n < (0 if date1904 else 1) or whole > 2958465:
        raise PeriodError(f"{n!r} is outside Excel's date range")
    if date1904:
        day = date(1904, 1, 1) + timedelta(days=whole)
    elif whole == 60:
        raise PeriodError("Excel serial 60 is 29 February 1900, a date that never existed")
    elif whole < 60:
        day = date(1899, 12, 31) + timedelta(days=whole)
    else:
        day = date(1899, 12, 30) + timedelta(days=whole)
    return Period(day, day, "day")


# ---------------------------------------------------------------- the parser


def parse_period(
    label: object,
    *,
    default_year_start: int | None = None,
    context: str | None = None,
    date_cell: bool = False,
    date1904: bool = False,
) -> Period:
    """Read one period label exactly, or raise PeriodError saying what was not understood.

    `default_year_start` is the month a bare split year ("2020/21") starts in when a
    recipe or the user has said so; without it a bare split year is the UK financial
    year (April–March) unless `context` (the sheet's other labels and titles) shows a
    single other convention, such as "June 2020 to May 2021" windows. When `context`
    is just a column header it can also say what a date or year means: under "12
    months ending" a date is the year ending then; under "As at 31 March" a bare
    year is that day. Numbers are years (2003) unless `date_cell` says the cell is
    an Excel date, when they are serials. `datetime`/`date` values are single days.
    Footnote markers glued on ("Mar '083") are stripped and kept in `footnote`.
    """
    if isinstance(label, Period):
        return label
    if isinstance(label, datetime):
        return Period(label.date(), label.date(), "day")
    if isinstance(label, date):
        return Period(label, label, "day")
    if isinstance(label, bool) or label is None:
        raise PeriodError(f"{label!r} is not a period")
    if isinstance(label, (int, float)):
        if date_cell:
            return from_excel_serial(label, date1904)
        if float(label).is_integer() and _plausible_year(int(label)):
            label = str(int(label))
        else:
            raise PeriodError(
                f"{label!r} is a number, not a period label (an Excel date cell must be read as a date)"
            )
    text = str(label)
    if not text.strip():
        raise PeriodError("empty period label")
    ys = None if default_year_start is None else month_from_name(default_year_start)
    try:
        period = _parse_text(text, ys, context)
    except PeriodError as first:
        clean, marker = strip_footnote(text)
        if marker is None or not clean.strip():
            raise
        try:
            period = _parse_text(clean, ys, context)
        except PeriodError:
            raise first from None
        period = replace(period, footnote=marker)
    return period


def parse_header_pair(
    top: object,
    bottom: object,
    *,
    default_year_start: int | None = None,
    context: str | None = None,
) -> Period:
    """A period whose header is split over two rows: "2020" over "Jun", "2020/21" over "Q1" or "Jan".

    A month under a split year is the one inside that year (Jan under 2020/21 is
    January 2021); a quarter under it counts from the year's first month. When the
    top cell is not a period at all ("Financial year" over "04/05") it is context.
    """
    kw = {"default_year_start": default_year_start}
    top_text = "" if top is None else str(top).strip()
    bottom_text = "" if bottom is None else str(bottom).strip()
    if not top_text:
        return parse_period(bottom, context=context, **kw)  # type: ignore[arg-type]
    if not bottom_text:
        return parse_period(top, context=context, **kw)  # type: ignore[arg-type]
    try:
        outer = parse_period(top, context=context, **kw)  # type: ignore[arg-type]
    except PeriodError:
        for joined in (f"{top_text} {bottom_text}", f"{bottom_text} {top_text}"):
            try:
                return parse_period(joined, context=context, **kw)  # type: ignore[arg-type]
            except PeriodError:
                continue
        around = f"{context} {top_text}" if context else top_text
        return parse_period(bottom, context=around, **kw)  # type: ignore[arg-type]
    low = _normalise(bottom_text)
    if outer.is_year_long and outer.whole_months:
        m = re.fullmatch(_MON, low)
        if m:
            month = _MONTHS[low.rstrip(".")]
            first = month_index(outer.start)
            offset = (month - outer.start.month) % 12
            return _months_period(first + offset, first + offset, note=outer.note, ambiguous=outer.ambiguous)
        m = re.fullmatch(_Q_RE, low)
        if m:
            first = month_index(outer.start) + (int(m.group(1)) - 1) * 3
            return _months_period(first, first + 2, note=outer.note, ambiguous=outer.ambiguous)
    for joined in (f"{bottom_text} {top_text}", f"{top_text} {bottom_text}"):
        try:
            return parse_period(joined, context=context, **kw)  # type: ignore[arg-type]
        except PeriodError:
            continue
    raise PeriodError(f"cannot read {top_text!r} over {bottom_text!r} as one period")


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = re.sub("[\u2010-\u2015\u2212]", "-", s)
    s = s.lower().strip()
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", s)
    return s.strip(" .:;,")


_LEADING = re.compile(
    r"^(?:(?:between|from|during|period|for|in|the|as at|as of|data for|figures for)\s+(?=\S)"
    r"|(?:calendar year|cy|year)\s*(?=\d))"
)
_SPLIT_RE = re.compile(
    r"(?:(fy|financial year|fin year|fiscal year)\s*)?(\d{4}|\d{2})\s*(/|-|to|_)\s*(\d{1,4})"
    r"(?:\s*(?:fy|financial year))?"
)
_YE_RE = re.compile(
    r"(?P<kind>financial\s*year\s*end(?:ing|ed)|financial year to|fye|fy\s*end(?:ing|ed)|"
    r"(?:the )?(?:rolling )?(?:12|twelve)\s*months?\s*(?:to|ending|ended|up to)|rolling year (?:to|ending)|"
    r"(?:the )?year\s*(?:ending|ended|to|up to)|ye)\s*(?P<rest>.+)"
)
_Q_RE = r"(?:q|quarter\s*)([1-4])"
_H_RE = r"(?:h|half\s*)([12])"


def _parse_text(text: str, ys: int | None, context: str | None) -> Period:
    s = _normalise(text)
    qualifiers = [q.strip() for q in re.findall(r"\(([^)]*)\)", s) if q.strip() and q.strip() != "inclusive"]
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" .:;,")
    s = re.sub(r"\binclusive$", "", s).strip()
    open_word = None
    for pattern in (_OPEN_TAIL, _OPEN_HEAD):
        m = pattern.search(s)
        if m and len(m.group(0)) < len(s):
            open_word = m.group(0).strip(" -")
            s = (s[: m.start()] + s[m.end() :]).strip(" -.:;,")
            break
    while True:
        stripped = _LEADING.sub("", s)
        if stripped == s:
            break
        s = stripped
    if not s:
        raise PeriodError(f"{text!r} is not a period")
    period = _parse_core(s, text, ys, context)
    if period is None:
        raise PeriodError(
            f"{text.strip()!r} is not a period label foistats understands"
            " (e.g. 2021-06, Jun 2021, 2020/21, year ending May 2023, June 2020 to May 2021)"
        )
    if context:
        period = _apply_header(period, s, context)
    if open_word:
        raise PartialPeriodError(_open_message(text, period, open_word))
    kept: list[str] = []
    for q in qualifiers:
        narrowed = _qualified(period, q, text)
        if narrowed is None:
            kept.append(q)  # "(old rules)", "(provisional)": words about the figure, not its months
        else:
            period = narrowed
    if kept:
        extra = "qualifier: " + "; ".join(kept)
        period = replace(period, note=f"{period.note}; {extra}" if period.note else extra)
    return period


# ---------------------------------------------------------------- part-year qualifiers
#
# "2023 (Jan to Jun)", "2023/24 (to 31/12/23)", "2024 (to date)", "Jan 2024 - present":
# a force answering before its year is over labels the part it has. Read as the whole
# year, six months would be compared with twelve; read as "Jan 2024", a year's worth of
# reports would be filed under one month. So a qualifier that gives the part's end
# narrows the period to it, and one that does not ("to date", "YTD") refuses the label
# (PartialPeriodError) rather than invent an end.

_OPEN_WORDS = (
    r"(?:(?:up )?to date|year to date|ytd|so far|to (?:the )?present|(?:up )?to now|until now"
    r"|present|onwards?|partial(?: year)?|part[- ]year|incomplete(?: year)?)"
)
_OPEN_QUALIFIER = re.compile(r"(?:(?:data|figures|year) )?" + _OPEN_WORDS + r"(?: only)?")
_OPEN_TAIL = re.compile(
    r"(?:\s*-\s*|\s+)(?:(?:up )?to date|year to date|ytd|so far|to (?:the )?present|(?:up )?to now|until now|present|onwards?)$"
    r"|\s*-\s*now$"
)
_OPEN_HEAD = re.compile(r"^(?:ytd|year to date|since)\s+(?=\S)")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
}
_N_MONTHS = re.compile(
    r"(?:(first|last)\s+)?(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s*(?:calendar\s+)?months?(?: (?:data|figures|only))?"
    r"(?:\s+(?:to|ending|ended|up to|until)\s+(.+))?"
)
_UP_TO = re.compile(
    r"(?:up to|to|until|till|ending|ended|as at|as of|(?:up )?to (?:the )?end of|end of)\s+(.+)"
)
_Q_SPAN = re.compile(_Q_RE + r"(?:\s*(?:-|to)\s*" + _Q_RE + r")?")
_QUALIFIER_SEPARATORS = (re.compile(r"\s+(?:to|until|till|through)\s+"), re.compile(r"\s*-\s*"))


def _open_message(raw: str, period: Period, word: str) -> str:
    where = f"is part of {long_label(period)} from" if period.months >= 12 else "runs from"
    return (
        f"{raw.strip()!r} {where} {_day_label(period.start)} to a date the label does not give"
        f" ({word!r}): not dated, so it is never read as a whole period; set the period in a recipe"
    )


def _point_in(period: Period, text: str, *, last: bool, raw: str) -> date:
    """A start or end point of a qualifier, inside `period`: "jun" in 2023/24 is June 2023,
    "31 dec" is 31 December 2023, "31/12/23" is that day wherever it falls."""
    text = text.strip(" ,.")
    try:
        point = _point(text, iso_month=True)
    except PeriodError:
        point = None
    if point is not None and point[2] != "year":
        return point[1] if last else point[0]
    m = re.fullmatch(r"(?:(\d{1,2})\s*)?(" + _MON + r")", text)
    if m:
        month = _MONTHS[m.group(2).rstrip(".")]
        for year in range(period.start.year, period.end.year + 1):
            try:
                d = date(year, month, int(m.group(1))) if m.group(1) else (month_end(year, month) if last else date(year, month, 1))
            except ValueError:
                break
            if period.start <= d <= period.end:
                return d
    raise PartialPeriodError(f"{raw.strip()!r}: cannot place {text!r} inside {long_label(period)}")


def _part(period: Period, start: date, end: date, raw: str, q: str, guess: str | None = None) -> Period:
    if not (period.start <= start <= end <= period.end):
        raise PartialPeriodError(f"{raw.strip()!r}: the qualifier {q!r} does not fit inside {long_label(period)}")
    note = f"part of {long_label(period)} (the label says {q!r})"
    part = Period(start, end)
    if part.whole_months:
        part = _months_period(month_index(start), month_index(end))
    return replace(part, note=note, guess=guess)


def _qualified(period: Period, q: str, raw: str) -> Period | None:
    """The part of `period` a bracketed qualifier names, or None when it names none ("old rules").

    Raises PartialPeriodError when the qualifier says "part" without saying where it ends
    ("to date", "YTD", "partial") or names months outside the period.
    """
    q = q.strip(" .,:;")
    if _OPEN_QUALIFIER.fullmatch(q):
        raise PartialPeriodError(_open_message(raw, period, q))
    m = _N_MONTHS.fullmatch(q)
    if m:
        which, count, until = m.group(1), m.group(2), m.group(3)
        n = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        if not 1 <= n <= 12 or not period.whole_months:
            raise PartialPeriodError(f"{raw.strip()!r}: cannot read {q!r} as a part of {long_label(period)}")
        if until:
            last = month_index(_point_in(period, until, last=True, raw=raw))
            return _part(period, _months_period(last - n + 1, last).start, month_end(*month_from_index(last)), raw, q)
        if which == "last":
            last = month_index(period.end)
            return _part(period, _months_period(last - n + 1, last).start, period.end, raw, q)
        first = month_index(period.start)
        part = _months_period(first, first + n - 1)
        guess = None
        if which != "first":
            guess = (
                f"{raw.strip()!r} read as the first {n} month{'s' if n > 1 else ''} of {long_label(period)}"
                f" ({long_label(part)}): the label does not say which months; check it"
            )
        return _part(period, part.start, part.end, raw, q, guess)
    m = _Q_SPAN.fullmatch(q)
    if m and period.is_year_long and period.whole_months:
        q1 = int(m.group(1))
        q2 = int(m.group(2) or q1)
        first = month_index(period.start)
        if q2 < q1:
            raise PartialPeriodError(f"{raw.strip()!r}: the qualifier {q!r} runs backwards")
        part = _months_period(first + 3 * (q1 - 1), first + 3 * q2 - 1)
        return _part(period, part.start, part.end, raw, q)
    m = _UP_TO.fullmatch(q)
    if m:
        end = _point_in(period, m.group(1), last=True, raw=raw)
        guess = None
        if q.startswith("as "):
            guess = (
                f"{raw.strip()!r} read as {long_label(Period(period.start, end))}, the part of {long_label(period)} up to"
                f" {_day_label(end)}; if the figure is a count on that day (a headcount), it is a snapshot; check it"
            )
        return _part(period, period.start, end, raw, q, guess)
    for sep in _QUALIFIER_SEPARATORS:
        pieces = sep.split(q)
        if len(pieces) == 2 and all(p.strip() for p in pieces):
            try:
                start = _point_in(period, pieces[0], last=False, raw=raw)
                end = _point_in(period, pieces[1], last=True, raw=raw)
            except PartialPeriodError:
                if re.search(r"\d|" + _MON, q):
                    raise
                return None
            return _part(period, start, end, raw, q)
    return None


def partial_reason(label: str, *, default_year_start: int | None = None) -> str | None:
    """Why a label is a part of a period with no end the importer can date, or None.

    Covers a label that is only a period ("2024 (to date)") and one that names a measure
    around it ("Thefts 2024 to date"), so neither is read as the whole year.
    """
    try:
        parse_period(label, default_year_start=default_year_start)
    except PartialPeriodError as exc:
        return str(exc)
    except PeriodError:
        if not re.search(r"\d", str(label)):
            return None
        _found, refused = _scan(str(label), _all_text_patterns(), default_year_start)
        return refused[0] if refused else None
    return None


# ---------------------------------------------------------------- what bare years are

_YEAR_END_WORDS = re.compile(
    r"(?<![a-z])(?:(?:financial|fiscal) )?(?:years?|12 months|twelve months|fy|fye)\s+(?:ending|ended|end|to)\s+"
    r"(?:(?:on|in) )?(?:\d{1,2} )?(" + _MON + r")(?![\s\-/,']*\d)"
    r"|(?<![a-z])fye\s+(" + _MON + r")(?![\s\-/,']*\d)"
)
_FINANCIAL_WORDS = re.compile(r"(?<![a-z])(?:financial|fiscal) years?(?![a-z])|(?<![a-z])april\s*(?:to|-)\s*march(?![a-z])")


def year_end_month_of(text: str) -> int | None:
    """The month bare years end in when a header, title or note says so without a year:
    "Financial year ending 31 March" -> 3, "Year ending March" -> 3, "12 months to June" -> 6.

    A bare 2021 under such words is the year ending then (April 2020–March 2021), never the
    calendar year. None when the text names no such month (or names its year: that is a label).
    """
    m = _YEAR_END_WORDS.search(_normalise(str(text)))
    if not m:
        return None
    return _MONTHS[(m.group(1) or m.group(2)).rstrip(".")]


def says_financial_years(text: str) -> bool:
    """The text calls its years financial years ("years are financial years", "April to March")
    without saying which end a bare year names."""
    return bool(_FINANCIAL_WORDS.search(_normalise(str(text))))


def split_years_in_text(text: str) -> set[int]:
    """First years of the split years a text names ("2020/21 to 2022/23" -> {2020, 2022})."""
    out: set[int] = set()
    for m in re.finditer(r"(?<!\d)(\d{4})\s*[/-]\s*(\d{2}|\d{4})(?!\d)", _normalise(str(text))):
        first = _split_first_year(m.group(1), m.group(2), "/")
        if first is not None:
            out.add(first)
    return out


def _parse_core(s: str, raw: str, ys: int | None, context: str | None) -> Period | None:
    if re.fullmatch(r"\d{4}", s):
        year = int(s)
        if not _plausible_year(year):
            raise PeriodError(f"{raw.strip()!r} is not a plausible year")
        return Period(date(year, 1, 1), date(year, 12, 31), "year")
    split = _split_year(s, raw, ys, context)
    if split is not None:
        return split
    m = re.fullmatch(r"(?:fy|financial year|fiscal year)\s*'?(\d{4}|\d{2})", s)
    if m:
        y = _year(m.group(1))
        raise PeriodError(
            f"{raw.strip()!r} is ambiguous: say FY {y - 1}/{y % 100:02d} or FY {y}/{(y + 1) % 100:02d}"
        )
    m = _YE_RE.fullmatch(s)
    if m:
        return _year_ending(m.group("kind"), m.group("rest"), raw)
    quarter = _quarter(s, raw, ys, context)
    if quarter is not None:
        return quarter
    rng = _range(s)
    if rng is not None:
        return rng
    point = _point(s)
    if point is not None:
        start, end, kind = point
        if kind == "year":
            return Period(start, end, "year")
        return Period(start, end)
    return None


def _split_first_year(first: str, second: str, sep: str) -> int | None:
    """The first year of a split-year label, or None when the two years are not consecutive."""
    if sep == "to" and (len(first) != 4 or len(second) != 4):
        return None
    y1 = int(first) if len(first) == 4 else _century(int(first))
    n = len(second)
    if n == 4:
        ok = int(second) == y1 + 1
    elif n == 2:
        ok = int(second) == (y1 + 1) % 100
    elif n == 1:
        ok = int(second) == (y1 + 1) % 10
    else:
        ok = False
    return y1 if ok else None


def _split_year(s: str, raw: str, ys: int | None, context: str | None) -> Period | None:
    m = _SPLIT_RE.fullmatch(s)
    if not m:
        return None
    fy_word, first, sep, second = m.group(1), m.group(2), m.group(3), m.group(4)
    y1 = _split_first_year(first, second, sep)
    if y1 is None:
        if sep == "/" and len(first) == 4 and len(second) in (1, 2, 4):
            raise PeriodError(f"{raw.strip()!r}: {first} and {second} are not consecutive years")
        return None
    note = None
    ambiguous = False
    # "2011-12" may be December 2011 (data.police.uk) or the year 2011/12.
    if sep == "-" and len(first) == 4 and len(second) == 2 and 1 <= int(second) <= 12 and not fy_word:
        monthly = _context_says_monthly(context)
        if monthly is True:
            return _months_period(y1 * 12 + int(second) - 1, y1 * 12 + int(second) - 1)
        if monthly is None:
            ambiguous = True
            note = (
                f"ambiguous: {raw.strip()!r} could be {MONTH_FULL[int(second)]} {y1} or the year {y1}/{second};"
                " read as a year"
            )
    if fy_word:
        start_month = 4
    elif ys is not None:
        start_month = ys
    else:
        start_month, why, unsure = _split_year_start_from_context(context)
        ambiguous = ambiguous or unsure
        note = f"{note}; {why}" if note else why
    first_index = y1 * 12 + start_month - 1
    return _months_period(first_index, first_index + 11, note=note, ambiguous=ambiguous)


def _split_year_start_from_context(context: str | None) -> tuple[int, str, bool]:
    found = year_starts_in_text(context) if context else set()
    if len(found) == 1:
        month = found.pop()
        return month, f"split year read as {MONTH_FULL[month]}–{MONTH_FULL[(month + 10) % 12 + 1]} from the sheet's other periods", False
    if len(found) > 1:
        names = ", ".join(MONTH_FULL[m] for m in sorted(found))
        return 4, f"ambiguous: the sheet has years starting in {names}; read as the financial year (April–March)", True
    return 4, "a bare split year is read as the UK financial year (April–March)", False


def _context_says_monthly(context: str | None) -> bool | None:
    if not context:
        return None
    ctx = _normalise(context)
    monthly = bool(re.search(r"\bmonth", ctx))
    split = bool(re.search(r"financial|fiscal|\bfy\b|\byears?\b", ctx))
    for y, mm in re.findall(r"(?<!\d)(\d{4})-(\d{2})(?!\d)", ctx):
        y_i, m_i = int(y), int(mm)
        if m_i == (y_i + 1) % 100:
            continue
        if 1 <= m_i <= 12:
            monthly = True
        else:
            split = True
    if monthly and not split:
        return True
    if split and not monthly:
        return False
    return None


def year_starts_in_text(text: str | None) -> set[int]:
    """Start months of the year-long windows a text mentions ("June 2020 to May 2021" -> {6}).

    Used to read a bare "2020/21" the way the rest of the sheet does; "financial
    year" or "FY" counts as April.
    """
    if not text:
        return set()
    s = _normalise(text)
    found: set[int] = set()
    for m in re.finditer(
        r"(?<![a-z])(" + _MON + r")[\s',\d]*?(?:to|-|until|through|and)\s*(?:\d{1,2}\s*)?(" + _MON + r")", s
    ):
        m1 = _MONTHS[m.group(1).rstrip(".")]
        m2 = _MONTHS[m.group(2).rstrip(".")]
        if m2 % 12 + 1 == m1:
            found.add(m1)
    for m in re.finditer(r"\d{1,2}[/.](\d{1,2})[/.]\d{2,4}\s*(?:to|-|until|and)\s*\d{1,2}[/.](\d{1,2})[/.]\d{2,4}", s):
        m1, m2 = int(m.group(1)), int(m.group(2))
        if 1 <= m1 <= 12 and 1 <= m2 <= 12 and m2 % 12 + 1 == m1:
            found.add(m1)
    for m in re.finditer(r"(?<![a-z])(?:year|12 months|twelve months|ye)\s+(?:ending|ended|to)?\s*(?:\d{1,2}\s*)?(" + _MON + r")", s):
        found.add(_MONTHS[m.group(1).rstrip(".")] % 12 + 1)
    if re.search(r"financial year|fiscal year|\bfye?\b|\bfy\d", s):
        found.add(4)
    return found


def _year_ending(kind: str, rest: str, raw: str) -> Period:
    financial = kind.startswith(("financial", "fy"))
    rest = rest.strip()
    if re.fullmatch(r"\d{4}", rest):
        if financial:
            year = int(rest)
            return year_ending(date(year, 3, 31))
        raise PeriodError(f"{raw.strip()!r} does not say which month the year ends in")
    point = _point(rest)
    if point is None or point[2] in ("year", "quarter"):
        raise PeriodError(f"{raw.strip()!r}: cannot read {rest!r} as the month or day the year ends")
    end = point[1]
    if financial and end.month != 3:
        raise PeriodError(f"{raw.strip()!r}: a financial year ends in March")
    return year_ending(end)


def _quarter(s: str, raw: str, ys: int | None, context: str | None) -> Period | None:
    for pattern, swap in ((_Q_RE + r"[\s\-/,]*(.+)", False), (r"(.+?)[\s\-/,]*" + _Q_RE, True)):
        m = re.fullmatch(pattern, s)
        if not m:
            continue
        q, year_text = (m.group(2), m.group(1)) if swap else (m.group(1), m.group(2))
        year_text = year_text.strip()
        n = int(q)
        if re.fullmatch(r"\d{4}", year_text):
            first = int(year_text) * 12 + (n - 1) * 3
            return _months_period(first, first + 2)
        split = _split_year(year_text, raw, ys, context)
        if split is not None:
            first = month_index(split.start) + (n - 1) * 3
            return _months_period(first, first + 2, note=split.note, ambiguous=split.ambiguous)
    for pattern, swap in ((_H_RE + r"[\s\-/,]*(\d{4})", False), (r"(\d{4})[\s\-/,]*" + _H_RE, True)):
        m = re.fullmatch(pattern, s)
        if m:
            h, year = (m.group(2), m.group(1)) if swap else (m.group(1), m.group(2))
            first = int(year) * 12 + (int(h) - 1) * 6
            return _months_period(first, first + 5)
    return None


def _day(year: int, month: int, day: int, raw: str) -> tuple[date, date, str]:
    if not 1 <= month <= 12:
        raise PeriodError(f"{raw!r}: {month} is not a month (dates are read day first: DD/MM/YYYY)")
    try:
        d = date(year, month, day)
    except ValueError:
        raise PeriodError(f"{raw!r} is not a real date") from None
    return d, d, "day"


def _month(year: int, month: int) -> tuple[date, date, str]:
    return date(year, month, 1), month_end(year, month), "month"


def _point(s: str, iso_month: bool = False) -> tuple[date, date, str] | None:
    """One date-like thing: a day, a month, a quarter or a year, as its first and last day.

    `iso_month` reads "2011-12" as December 2011, for when the other end of a range is a month.
    """
    s = s.strip(" ,")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", s)
    if m:
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)), s)
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})", s)
    if m:
        return _day(_year(m.group(3)), int(m.group(2)), int(m.group(1)), s)
    m = re.fullmatch(r"(\d{1,2})[\s\-/]*(" + _MON + r")[\s,\-/]*(\d{4}|'?\d{2})", s)
    if m:
        return _day(_year(m.group(3)), _MONTHS[m.group(2).rstrip(".")], int(m.group(1)), s)
    m = re.fullmatch(r"(" + _MON + r")[\s\-]*(\d{1,2}),?\s+(\d{4})", s)
    if m:
        return _day(int(m.group(3)), _MONTHS[m.group(1).rstrip(".")], int(m.group(2)), s)
    m = re.fullmatch(r"(" + _MON + r")[\s,.\-/]*(\d{4}|'?\d{2})", s)
    if m:
        return _month(_year(m.group(2)), _MONTHS[m.group(1).rstrip(".")])
    m = re.fullmatch(r"(\d{4})[\s\-/]*(" + _MON + r")", s)
    if m:
        return _month(int(m.group(1)), _MONTHS[m.group(2).rstrip(".")])
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", s)
    if m and 1 <= int(m.group(2)) <= 12:
        if int(m.group(2)) == (int(m.group(1)) + 1) % 100 and not iso_month:
            return None  # "2001-02": February 2001 or the year 2001/02; only a whole label can tell
        return _month(int(m.group(1)), int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2})[/\-.](\d{4})", s)
    if m and 1 <= int(m.group(1)) <= 12:
        return _month(int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(\d{4})", s)
    if m and _plausible_year(int(s)):
        y = int(s)
        return date(y, 1, 1), date(y, 12, 31), "year"
    m = re.fullmatch(_Q_RE + r"[\s\-/]*(\d{4})", s) or re.fullmatch(r"(\d{4})[\s\-/]*" + _Q_RE, s)
    if m:
        a, b = m.group(1), m.group(2)
        q, y = (int(a), int(b)) if len(a) == 1 else (int(b), int(a))
        first = y * 12 + (q - 1) * 3
        p = _months_period(first, first + 2)
        return p.start, p.end, "quarter"
    return None


def _yearless(s: str, end: date) -> tuple[date, date, str] | None:
    """'June' or '1 June' at the start of a range: the year is the latest that keeps start <= end."""
    s = s.strip(" ,")
    m = re.fullmatch(r"(" + _MON + r")", s)
    day = 1
    if not m:
        m2 = re.fullmatch(r"(\d{1,2})[\s\-/]*(" + _MON + r")", s)
        if not m2:
            return None
        day, month = int(m2.group(1)), _MONTHS[m2.group(2).rstrip(".")]
    else:
        month = _MONTHS[m.group(1).rstrip(".")]
    for year in (end.year, end.year - 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d <= end:
            return d, d, "day"
    return None


_RANGE_SEPARATORS = (
    re.compile(r"\s+(?:to|until|till|through|thru|and)\s+"),
    re.compile(r"\s+-\s+"),
    re.compile(r"-"),
)


def _range(s: str) -> Period | None:
    for sep in _RANGE_SEPARATORS:
        full: set[tuple[date, date]] = set()
        partial: set[tuple[date, date]] = set()
        for m in sep.finditer(s):
            left, right = s[: m.start()], s[m.end() :]
            if not left.strip() or not right.strip():
                continue
            try:
                r = _point(right)
                lp = _point(left)
                if r is None and lp is not None and lp[2] == "month":
                    r = _point(right, iso_month=True)
                if r is None:
                    continue
                if lp is None and r[2] == "month":
                    lp = _point(left, iso_month=True)
            except PeriodError:
                continue
            if lp is not None:
                full.add((lp[0], r[1]))
                continue
            yl = _yearless(left, r[1])
            if yl is not None:
                partial.add((yl[0], r[1]))
        found = full or partial
        if len(found) > 1:
            raise PeriodError(f"{s!r} can be split into a start and an end in more than one way")
        if found:
            start, end = found.pop()
            if end < start:
                raise PeriodError(f"{s!r} ends before it starts")
            return Period(start, end)
    return None


_HEADER_ROLLING = re.compile(
    r"(?:the )?(?:(?:rolling )?(?:12|twelve) months?|rolling year|year) (?:ending|ended|to)(?: on)?(?: date)?[\s.…:]*"
)
_HEADER_AS_AT = re.compile(r"as (?:at|of) (\d{1,2}) (" + _MON + r")(?: each year)?[\s.…:]*")


def _apply_header(period: Period, s: str, context: str) -> Period:
    """A column header can say what its cells mean: "12 months ending" turns a date into a year."""
    ctx = _normalise(context)
    if _HEADER_ROLLING.fullmatch(ctx) and period.granularity in ("day", "month"):
        rolled = year_ending(period.end)
        return replace(rolled, note=f"the year ending {long_label(Period(period.end, period.end))} (column header {context.strip()!r})")
    m = _HEADER_AS_AT.fullmatch(ctx)
    if m and period.granularity == "year" and re.fullmatch(r"\d{4}", s):
        month = _MONTHS[m.group(2).rstrip(".")]
        try:
            day = date(period.start.year, month, int(m.group(1)))
        except ValueError:
            return period
        return Period(day, day, "day", note=f"a snapshot on {_day_label(day)} (column header {context.strip()!r})")
    return period


# ---------------------------------------------------------------- periods inside longer text

_FILE_EXT = re.compile(r"\.(?:csv|tsv|txt|xlsx|xlsm|xls|ods|pdf|docx?|parquet|json)$", re.I)
_POINT_TEXT = (
    r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{1,2}\s*" + _MON + r"[\s,\-]*" + _YEAR_TOKEN + r"|" + _MON + r"[\s,.\-]*" + _YEAR_TOKEN + r"|\d{4}-\d{2})"
)
_START_TEXT = r"(?:" + _POINT_TEXT + r"|\d{1,2}\s*" + _MON + r"|" + _MON + r")"
@lru_cache(maxsize=1)
def _text_patterns() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """Compiled on first use: these are big, and most runs never search free text."""
    range_text = re.compile(
        r"(?<![a-z0-9])" + _START_TEXT + r"\s*(?:to|until|through|and|-)\s*" + _POINT_TEXT
        + r"|(?<!\d)\d{4}\s*(?:to|-)\s*\d{4}(?!\d)"
    )
    others = (
        re.compile(
            r"(?:financial\s*year\s*end(?:ing|ed)|year\s*end(?:ing|ed)|year to|fye|(?<![a-z])ye|(?:12|twelve)\s*months?\s*(?:to|ending|ended))"
            r"\s*(?:" + _POINT_TEXT + r"|\d{4})"
        ),
        re.compile(r"(?:(?:fy|financial year)\s*)?(?<!\d)(?:\d{4}|\d{2})\s*[/\-]\s*\d{1,4}(?!\d)"),
        re.compile(r"(?<![a-z0-9])(?:q[1-4]\s*[\-/]?\s*\d{4}|\d{4}\s*[\-/]?\s*q[1-4])(?![0-9])"),
        re.compile(r"(?<![a-z])" + _POINT_TEXT),
        re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)"),
    )
    return range_text, others


def _prepare_text(text: str) -> str:
    s = _FILE_EXT.sub("", str(text).strip())
    s = re.sub(r"(?<=\d)_(?=\d)", "-", s)
    s = s.replace("_", " ")
    return _normalise(s)


# A bracketed qualifier or a "to date" right after a period found in free text belongs to it:
# "Thefts 2023 (Jan to Jun)" is January–June, "Arrests 2024 to date" is no whole year.
_TEXT_QUALIFIER = re.compile(
    r"\s*(?:\([^()]{1,60}\)|-?\s*(?:(?:up )?to date|year to date|ytd|so far|to (?:the )?present|(?:up )?to now"
    r"|until now|present|onwards?)(?![a-z]))"
)


def _all_text_patterns() -> tuple[re.Pattern[str], ...]:
    range_text, others = _text_patterns()
    return (range_text, *others)


def _scan(
    text: str, patterns: tuple[re.Pattern[str], ...], default_year_start: int | None
) -> tuple[list[tuple[int, int, Period]], list[str]]:
    """Every period the patterns find in a text, each with the qualifier that follows it, and
    the reasons for those refused as parts with no end ("2024 to date")."""
    s = _prepare_text(text)
    found: list[tuple[int, int, Period]] = []
    refused: list[str] = []
    for pattern in patterns:
        for m in pattern.finditer(s):
            tail = _TEXT_QUALIFIER.match(s, m.end())
            if tail is not None:
                try:
                    period = parse_period(m.group(0) + tail.group(0), default_year_start=default_year_start, context=s)
                except PartialPeriodError as exc:
                    refused.append(str(exc))
                    continue
                except PeriodError:
                    pass
                else:
                    found.append((m.start(), tail.end(), period))
                    continue
            try:
                period = parse_period(m.group(0), default_year_start=default_year_start, context=s)
            except PeriodError:
                continue
            found.append((m.start(), m.end(), period))
    return found, refused


def _find(text: str, patterns: tuple[re.Pattern[str], ...], default_year_start: int | None) -> Period | None:
    found, refused = _scan(text, patterns, default_year_start)
    if refused:
        return None  # a part with no end: no period, rather than the whole year around it
    keep = [
        (a, b, p)
        for a, b, p in found
        if not any(a2 <= a and b <= b2 and (b2 - a2) > (b - a) for a2, b2, _ in found)
    ]
    distinct = {(p.start, p.end) for _, _, p in keep}
    if len(distinct) != 1:
        return None
    return keep[0][2]


def parse_range_in_text(text: str, *, default_year_start: int | None = None) -> Period | None:
    """An explicit start-to-end range inside a title ("Sextortion reports, June 2020 to May 2021").

    None when there is none, or when the text names two different ranges.
    """
    return _find(text, (_text_patterns()[0],), default_year_start)


def find_period_in_text(text: str, *, default_year_start: int | None = None) -> Period | None:
    """The one period a title or file name names: a range, "year ending …", "2019/20",
    `Seizures12-13.csv` (FY 2012/13), `2019-04-city-of-london-street.csv` (April 2019).

    Shorter matches inside a longer one do not count ("2020" inside "June 2020 to May
    2021"); two different periods left over means we cannot tell, so None.
    """
    return _find(text, _all_text_patterns(), default_year_start)
