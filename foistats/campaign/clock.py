"""The statutory clock: when a reply is due.

A public authority must answer "not later than the twentieth working day following the
date of receipt" (FOIA s10(1)); working days exclude weekends and bank holidays (s10(6)),
computed here by rule, so the deadline is right for any year without a table to keep up
to date. Nothing here reads files or prints.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

STATUTORY_DAYS = 20

# ---------------------------------------------------------------- the statutory clock

# Bank holidays that no rule predicts (royal and state occasions), England and Wales.
_ONE_OFF = {
    date(1999, 12, 31): "Millennium Eve",
    date(2002, 6, 3): "Golden Jubilee",
    date(2011, 4, 29): "Royal Wedding",
    date(2012, 6, 5): "Diamond Jubilee",
    date(2022, 6, 3): "Platinum Jubilee",
    date(2022, 9, 19): "State Funeral of Queen Elizabeth II",
    date(2023, 5, 8): "Coronation of King Charles III",
}
# Years whose usual Monday was moved rather than added to: early May to VE Day, and the
# spring holiday to sit beside a jubilee.
_EARLY_MAY_MOVED = {1995: date(1995, 5, 8), 2020: date(2020, 5, 8)}
_SPRING_MOVED = {2002: date(2002, 6, 4), 2012: date(2012, 6, 4), 2022: date(2022, 6, 2)}


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous "Meeus/Jones/Butcher" computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    d = date(year, month, 1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    d = nxt - timedelta(days=1)
    return d - timedelta(days=d.weekday())


@lru_cache(maxsize=64)
def _holidays(year: int) -> tuple[tuple[date, str], ...]:
    out: dict[date, str] = {}
    new_year = date(year, 1, 1)
    # A holiday on a weekend moves to the next weekday not already a holiday.
    out[new_year + timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0))] = "New Year's Day" + (
        " (substitute day)" if new_year.weekday() >= 5 else ""
    )
    easter = easter_sunday(year)
    out[easter - timedelta(days=2)] = "Good Friday"
    out[easter + timedelta(days=1)] = "Easter Monday"
    out[_EARLY_MAY_MOVED.get(year, _first_monday(year, 5))] = (
        "Early May bank holiday (VE Day)" if year in _EARLY_MAY_MOVED else "Early May bank holiday"
    )
    out[_SPRING_MOVED.get(year, _last_monday(year, 5))] = "Spring bank holiday"
    out[_last_monday(year, 8)] = "Summer bank holiday"
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    # A day on a weekday keeps its date; one on a weekend takes the next free weekday
    # (Christmas on a Sunday: Boxing Day Monday 26th, Christmas substitute Tuesday 27th).
    pair = ((christmas, "Christmas Day"), (boxing, "Boxing Day"))
    taken = {day for day, _ in pair if day.weekday() < 5}
    for day, name in pair:
        if day.weekday() < 5:
            out[day] = name
            continue
        observed = day
        while observed.weekday() >= 5 or observed in taken:
            observed += timedelta(days=1)
        taken.add(observed)
        out[observed] = name + " (substitute day)"
    for day, name in _ONE_OFF.items():
        if day.year == year:
            out[day] = name
    return tuple(sorted(out.items()))


def bank_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays of one year, by rule plus the one-off occasions."""
    return dict(_holidays(year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday (FOIA s10(6))."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (`start` itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def statutory_deadline(received: date, days: int = STATUTORY_DAYS) -> date:
    """The last day for a reply: the 20th working day following the day of receipt.

    The date sent stands in for the date received: for an email request they are the
    same day, and a force cannot claim more time by reading its inbox late.
    """
    return add_working_days(received, days)
