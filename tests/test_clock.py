"""The clock of the record (arende.rules.clock): nothing that happened is dated after
today, nothing precedes the fact it follows; only a plan looks ahead."""

from __future__ import annotations

import datetime as dt

import pytest

from arende.errors import InvalidInput
from arende.rules.clock import AT_THE_MEETING, RULES, ClockError, Fact, check, check_kallelse, visible_on

D = dt.date.fromisoformat
TODAY = D("2022-02-16")


@pytest.mark.parametrize("fact", [f for f in Fact if not RULES[f].future])
def test_no_fact_that_happened_may_lie_after_today(fact):
    check(fact, TODAY, today=TODAY)  # today itself is fine
    with pytest.raises(ClockError) as caught:
        check(fact, TODAY + dt.timedelta(days=1), today=TODAY, field="when")
    assert caught.value.field == "when"
    said = str(caught.value)
    assert ("has not been held yet" if fact in AT_THE_MEETING else "is after today (2022-02-16)") in said
    assert "2022-02-17" in said
    assert caught.value.problem_sv  # the forms say it in Swedish


def test_a_plan_may_look_ahead():
    check(Fact.PLANNED, D("2027-06-10"), today=TODAY)
    check(Fact.SEAT, D("2026-01-01"), today=TODAY)


@pytest.mark.parametrize(
    ("fact", "day", "earlier", "bound"),
    [
        (Fact.REGISTERED, "2022-02-01", {Fact.RECEIVED: "2022-02-02"}, "the day it was received (2022-02-02)"),
        (Fact.APPOINTED, "2022-01-01", {Fact.REGISTERED: "2022-01-10"}, "the registration (2022-01-10)"),
        (Fact.JUSTERAD, "2022-02-14", {Fact.MEETING: "2022-02-15"}, "the meeting (2022-02-15)"),
        (Fact.POSTED, "2022-02-14", {Fact.JUSTERAD: "2022-02-15"}, "the justering (2022-02-15)"),
        (Fact.CORRECTED, "2022-02-01", {Fact.JUSTERAD: "2022-02-15"}, "the justering (2022-02-15)"),
        (Fact.HANDLING, "2021-12-31", {Fact.REGISTERED: "2022-01-10"}, "the registration (2022-01-10)"),
    ],
)
def test_a_fact_may_not_precede_the_fact_it_follows(fact, day, earlier, bound):
    with pytest.raises(InvalidInput, match=rf"is before {bound.replace('(', '.').replace(')', '.')}"):
        check(fact, D(day), today=TODAY, earlier={k: D(v) for k, v in earlier.items()})
    check(fact, max(D(v) for v in earlier.values()), today=TODAY, earlier={k: D(v) for k, v in earlier.items()})


def test_an_unknown_earlier_fact_bounds_nothing():
    check(Fact.POSTED, D("2022-01-01"), today=TODAY, earlier={Fact.JUSTERAD: None})


def test_a_kallelse_goes_out_before_its_meeting_by_today_and_not_months_ahead():
    check_kallelse(D("2022-02-08"), D("2022-02-15"), today=TODAY)
    for sent, said in (
        ("2022-02-16", "after the meeting"),
        ("1900-01-01", "more than 90 days before the meeting"),
        ("2022-02-20", "after today"),
    ):
        with pytest.raises(ClockError, match=said):
            check_kallelse(D(sent), D("2022-02-15") if sent != "2022-02-20" else D("2022-02-25"), today=TODAY)


def test_a_notice_shows_from_its_posting_day_never_before():
    assert visible_on(D("2022-02-16"), TODAY)
    assert not visible_on(D("2022-02-17"), TODAY)
    assert not visible_on(None, TODAY)
