"""Time reckoning under Lag (1930:173) om beräkning av lagstadgad tid.

§1: a period of weeks, months or years ends on the same weekday or the same date
number; where that date does not exist in the final month, on the month's last day.
§2: a last day that falls on a Saturday, Sunday, public holiday, midsommarafton,
julafton or nyårsafton moves to the next weekday that is none of these.

The holidays library supplies the public holidays only: its Swedish calendar leaves
out the three eves and lists "squeeze days" in other categories, and the law's list
is the one that counts (DOMAIN.md).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

from arende.errors import InvalidInput


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    calendar = holidays.Sweden(years=year, include_sundays=False, categories=("public",))
    return frozenset(calendar.keys())


def _midsommarafton(year: int) -> dt.date:
    # Midsommardagen is the Saturday between 20 and 26 June; the eve is the Friday before.
    june19 = dt.date(year, 6, 19)
    return june19 + dt.timedelta(days=(4 - june19.weekday()) % 7)


def is_non_working_day(day: dt.date) -> bool:
    """True for the days §2 lists: weekends, public holidays and the three eves."""
    if day.weekday() >= 5:
        return True
    if (day.month, day.day) in ((12, 24), (12, 31)):
        return True
    if day == _midsommarafton(day.year):
        return True
    return day in _public_holidays(day.year)


def roll_to_weekday(day: dt.date) -> dt.date:
    """§2: move a last day that is not a working day to the next one that is."""
    while is_non_working_day(day):
        day += dt.timedelta(days=1)
    return day


def back_to_weekday(day: dt.date) -> dt.date:
    """The last working day on or before `day`: where a date a contract sets (not the
    law) falls on a day off, a reminder must aim before it, never after."""
    while is_non_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_period(start: dt.date, *, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0) -> dt.date:
    """The raw end of a period by §1 (no rolling). Negative counts go backwards.

    relativedelta keeps the date number and clamps to the month's last day when the
    date does not exist (31 March + 1 month = 30 April; 29 Feb + 1 year = 28 Feb),
    which is exactly §1.
    """
    end: dt.date = start + relativedelta(years=years, months=months, weeks=weeks, days=days)
    return end


def deadline(start: dt.date, *, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0) -> dt.date:
    """The last day of a legal period: §1, then §2.

    §2 moves the day forward also for periods counted backwards ("at the latest nine
    months before expiry"): the law says the act may then be done on the next weekday.
    """
    given = [n for n in (days, weeks, months, years) if n]
    if len(given) > 1:
        raise InvalidInput("period", "give one of days, weeks, months or years")
    return roll_to_weekday(add_period(start, days=days, weeks=weeks, months=months, years=years))


def working_days_until(today: dt.date, due: dt.date) -> int:
    """Working days after today up to and including the due day; 0 on the day itself
    (or when only non-working days remain), negative once the day has passed."""
    if due < today:
        return (due - today).days  # calendar days overdue, as a negative number
    count, day = 0, today
    while day < due:
        day += dt.timedelta(days=1)
        if not is_non_working_day(day):
            count += 1
    return count
