"""The calendar of an IOP agreement, as pure rules (dates in, dates out).

An agreement runs a period at a time and renews itself by `renewal_years` unless a
party gives notice at the latest `notice_months` before the period ends; an evaluation
comes `evaluation_months` before that last notice day. The last notice day is counted
backwards by Lag 1930:173 as the README describes (§1 backwards, §2 moving a
non-working day on to the next weekday).
"""

from __future__ import annotations

import datetime as dt

from arende.rules.legalcalendar import add_period, back_to_weekday


def notice_last_day(ends_on: dt.date, notice_months: int) -> dt.date:
    """'Sägs upp senast N månader före att den löper ut': a date the contract sets, so it
    stays as written (Lag 1930:173 §2 moves only periods set by law or an authority);
    `notice_reminder_day` is where a reminder aims."""
    return add_period(ends_on, months=-notice_months) if notice_months else ends_on


def notice_reminder_day(ends_on: dt.date, notice_months: int) -> dt.date:
    """The last working day on or before the last notice day."""
    return back_to_weekday(notice_last_day(ends_on, notice_months))


def evaluation_due(ends_on: dt.date, notice_months: int, evaluation_months: int) -> dt.date:
    notice = notice_reminder_day(ends_on, notice_months)
    return back_to_weekday(add_period(notice, months=-evaluation_months)) if evaluation_months else notice


def next_period(ends_on: dt.date, renewal_years: int) -> tuple[dt.date, dt.date]:
    """The period after one ending on `ends_on`: from the next day, `renewal_years` long."""
    return add_period(ends_on, days=1), add_period(ends_on, years=renewal_years)


def renewals_due(
    ends_on: dt.date, notice_months: int, renewal_years: int, on: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """The periods an agreement nobody gave notice on has renewed into by `on`: one for
    every last notice day that has passed in silence (none if the last is still ahead)."""
    periods = []
    while on > notice_last_day(ends_on, notice_months):
        period = next_period(ends_on, renewal_years)
        periods.append(period)
        ends_on = period[1]
    return periods
