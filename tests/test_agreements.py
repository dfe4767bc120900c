"""The IOP agreement's calendar as pure rules, on the seed's agreement with Kvinnojouren
Borås (seed 003): from 2022-01-01, a year at a time, notice at the latest nine months
before expiry, the evaluation a month before that."""

from __future__ import annotations

import datetime as dt

from arende.rules.agreements import evaluation_due, next_period, notice_last_day, notice_reminder_day, renewals_due

D = dt.date.fromisoformat


def test_the_last_notice_day_and_the_evaluation_of_the_seed_agreement():
    # Expiry 2022-12-31; nine months back is 2022-03-31 (a Thursday).
    assert notice_last_day(D("2022-12-31"), 9) == D("2022-03-31")
    assert evaluation_due(D("2022-12-31"), 9, 1) == D("2022-02-28")
    assert notice_last_day(D("2022-12-31"), 0) == D("2022-12-31")


def test_a_renewal_runs_from_the_next_day_for_the_renewal_period():
    assert next_period(D("2022-12-31"), 1) == (D("2023-01-01"), D("2023-12-31"))
    assert next_period(D("2024-02-29"), 1) == (D("2024-03-01"), D("2025-02-28"))


def test_silence_past_each_notice_day_renews_once_per_day_passed():
    assert renewals_due(D("2022-12-31"), 9, 1, D("2022-03-31")) == []  # the last day itself: still open
    assert renewals_due(D("2022-12-31"), 9, 1, D("2022-04-01")) == [(D("2023-01-01"), D("2023-12-31"))]
    # A run that was down for two years catches up: two renewals, nothing skipped.
    assert renewals_due(D("2022-12-31"), 9, 1, D("2024-03-31")) == [
        (D("2023-01-01"), D("2023-12-31")),
        (D("2024-01-01"), D("2024-12-31")),
    ]


def test_a_notice_day_the_contract_sets_stays_as_written_and_the_reminder_comes_before_it():
    """Lag 1930:173 §2 moves periods set by law, not a contract's date: 2024-03-31 is
    Easter Sunday, and the last working day before it is Maundy Thursday (Good Friday
    and Easter Monday are holidays). The agreement renews from 2024-04-01 if silent."""
    assert notice_last_day(D("2024-12-31"), 9) == D("2024-03-31")
    assert notice_reminder_day(D("2024-12-31"), 9) == D("2024-03-28")
    assert renewals_due(D("2024-12-31"), 9, 1, D("2024-03-31")) == []
    assert renewals_due(D("2024-12-31"), 9, 1, D("2024-04-01")) == [(D("2025-01-01"), D("2025-12-31"))]
