import datetime as dt

import pytest

from arende.rules.legalcalendar import (
    add_period,
    deadline,
    is_non_working_day,
    roll_to_weekday,
)

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("start", "kwargs", "expected"),
    [
        ("2022-01-31", {"months": 1}, "2022-02-28"),  # no 31 February: the month's last day
        ("2024-01-31", {"months": 1}, "2024-02-29"),  # leap year
        ("2022-03-31", {"months": 1}, "2022-04-30"),
        ("2024-02-29", {"years": 1}, "2025-02-28"),
        ("2022-02-21", {"weeks": 3}, "2022-03-14"),  # same weekday
        ("2023-01-01", {"months": -9}, "2022-04-01"),  # at the latest nine months before
    ],
)
def test_paragraph_1_same_date_or_weekday_and_month_end(start, kwargs, expected):
    assert add_period(D(start), **kwargs) == D(expected)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2022-06-24", "midsommarafton"),
        ("2022-12-24", "julafton (a Saturday anyway)"),
        ("2021-12-24", "julafton on a Friday"),
        ("2021-12-31", "nyårsafton on a Friday"),
        ("2022-01-06", "trettondedag jul"),
        ("2022-04-15", "långfredagen"),
        ("2022-04-18", "annandag påsk"),
        ("2022-05-26", "Kristi himmelfärdsdag"),
        ("2022-06-06", "nationaldagen"),
        ("2022-02-19", "a Saturday"),
        ("2022-02-20", "a Sunday"),
    ],
)
def test_paragraph_2_days_that_are_not_working_days(day, reason):
    assert is_non_working_day(D(day)), reason


@pytest.mark.parametrize("day", ["2022-02-18", "2022-06-23", "2022-12-23", "2022-12-27", "2022-11-04"])
def test_ordinary_weekdays_including_squeeze_days_are_working_days(day):
    # 2022-11-04 is the Friday before Alla helgons dag: a "squeeze day", not in the law.
    assert not is_non_working_day(D(day))


def test_a_last_day_on_midsommarafton_moves_past_the_weekend():
    assert roll_to_weekday(D("2022-06-24")) == D("2022-06-27")


def test_a_last_day_on_julafton_moves_past_the_christmas_holidays():
    # 2021-12-24 (Fri, julafton) -> 25 (Sat) -> 26 (Sun) -> 27 (Mon, working day)
    assert deadline(D("2021-12-10"), weeks=2) == D("2021-12-27")


def test_nyarsafton_then_nyarsdagen_then_weekend():
    # 2021-12-31 Fri nyårsafton, 2022-01-01 Sat nyårsdagen, 2022-01-02 Sun -> Mon 3 Jan
    assert deadline(D("2021-12-17"), weeks=2) == D("2022-01-03")


def test_appeal_period_of_three_weeks_from_a_monday_notice():
    assert deadline(D("2022-02-21"), weeks=3) == D("2022-03-14")


def test_a_backwards_period_landing_on_a_weekend_rolls_forward():
    # Notice at the latest 9 months before expiry on 2023-01-01 -> 2022-04-01 (Fri);
    # for an agreement expiring 2023-01-02 the raw day is Sat 2022-04-02 -> Mon 4 April.
    assert deadline(D("2023-01-02"), months=-9) == D("2022-04-04")


def test_only_one_unit_may_be_given():
    from arende.errors import InvalidInput

    with pytest.raises(InvalidInput):
        deadline(D("2022-01-01"), days=1, weeks=1)
