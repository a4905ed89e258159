"""Working-day calendars: which days count towards an FOI deadline, per law.

Why this is not one list of England and Wales bank holidays: the Freedom of Information
Act 2000 (s10(6)) excludes Saturdays, Sundays, Christmas Day, Good Friday and "a day which
is a bank holiday under the Banking and Financial Dealings Act 1971 in any part of the
United Kingdom" — so St Patrick's Day and 12 July (Northern Ireland), 2 January, the
first Monday of August and St Andrew's Day (Scotland) all stop the clock for every force
in England and Wales too. The Freedom of Information (Scotland) Act 2002 (s73) excludes
only Christmas Day and Scotland's bank holidays, so Easter Monday and the last Monday of
August are working days for Police Scotland.

Bank holidays come from the `holidays` package (MIT licence, no network), which computes
each year by rule — Easter, the Mondays, substitute days when a holiday falls at a
weekend (the next weekday not already a holiday) — and lists the one-off days proclaimed
for royal and state occasions (the 2022 state funeral, the 2023 coronation). Rules hold
for any year; one-off days are known only once announced and added to a release, so a
deadline after `KNOWN_THROUGH` is flagged as provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

# The last year whose bank holidays were checked against the published lists when this
# was written (holidays 0.109, released November 2026; gov.uk then listed up to 2027).
# Later years are computed by rule only: a one-off holiday proclaimed after the release
# (a royal occasion, a state funeral) is not known to it.
KNOWN_THROUGH = 2027


@dataclass(frozen=True, slots=True)
class Calendar:
    """The days that do not count towards a deadline under one law.

    `regions` are (country, subdivision) codes of the `holidays` package; a day that is
    a bank holiday in any of them is not a working day.
    """

    key: str
    description: str  # "bank holidays anywhere in the UK", for captions and chasers
    regions: tuple[tuple[str, str | None], ...]

    def holidays(self, year: int) -> dict[date, str]:
        """The weekday holidays of `year` (weekend days do not count anyway), with names."""
        return dict(_holidays(self.regions, year))

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a holiday in any of the calendar's regions."""
        return day.weekday() < 5 and day not in _holidays_set(self.regions, day.year)

    def add(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (`start` itself never counts)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, counted = start, 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


@lru_cache(maxsize=512)
def _holidays(regions: tuple[tuple[str, str | None], ...], year: int) -> tuple[tuple[date, str], ...]:
    """Weekday holidays of one year; a day kept in only some regions says which."""
    import holidays

    where: dict[date, dict[str, list[str]]] = {}
    for country, subdiv in regions:
        for day, name in holidays.country_holidays(country, subdiv=subdiv, years=year).items():
            if day.year != year or day.weekday() >= 5:
                continue
            for part in str(name).split("; "):
                where.setdefault(day, {}).setdefault(part, []).append(_REGION_WORDS.get(subdiv or "", subdiv or country))
    out: list[tuple[date, str]] = []
    for day in sorted(where):
        labels = []
        for name, found in where[day].items():
            places = ", ".join(found[:-1]) + " and " + found[-1] if len(found) > 1 else found[0]
            labels.append(name if len(found) == len(regions) else f"{name} ({places})")
        out.append((day, "; ".join(labels)))
    return tuple(out)


@lru_cache(maxsize=512)
def _holidays_set(regions: tuple[tuple[str, str | None], ...], year: int) -> frozenset[date]:
    return frozenset(day for day, _ in _holidays(regions, year))


_REGION_WORDS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}

UNITED_KINGDOM = Calendar(
    "uk",
    "bank holidays anywhere in the UK",
    (("GB", "ENG"), ("GB", "WLS"), ("GB", "SCT"), ("GB", "NIR")),
)
SCOTLAND = Calendar("scotland", "Scottish bank holidays", (("GB", "SCT"),))
ENGLAND_AND_WALES = Calendar("england_wales", "England and Wales bank holidays", (("GB", "ENG"), ("GB", "WLS")))
ISLE_OF_MAN = Calendar("isle_of_man", "Isle of Man bank holidays", (("IM", None),))
JERSEY = Calendar("jersey", "Jersey bank holidays", (("JE", None),))
GUERNSEY = Calendar("guernsey", "Guernsey bank holidays", (("GG", None),))


def provisional(day: date) -> bool:
    """True when `day` is in a year whose one-off holidays may not be known yet."""
    return day.year > KNOWN_THROUGH


def provisional_note(days: list[date]) -> str | None:
    """One sentence warning that deadlines after KNOWN_THROUGH are counted by rule only."""
    late = sorted({d.year for d in days if provisional(d)})
    if not late:
        return None
    years = ", ".join(str(y) for y in late)
    return (
        f"Deadlines in {years} are counted with bank holidays known by rule only (checked up to {KNOWN_THROUGH}): "
        "a one-off holiday announced later is not included, so check them against gov.uk/bank-holidays."
    )
