"""The procedure after a meeting (KL and Lag 1930:173), as pure rules, and what a
secretary sees when the notice goes up late."""

from __future__ import annotations

import datetime as dt

import pytest

from arende.rules.procedure import anslag_is_late, anslag_latest, appeal_ends, justering_due, notice_taken_down

D = dt.date.fromisoformat


def test_justering_is_due_within_fourteen_days_and_never_later():
    assert justering_due(D("2022-02-15")) == D("2022-03-01")
    assert justering_due(D("2022-02-15"), 7) == D("2022-02-22")
    with pytest.raises(ValueError, match="at most 14"):
        justering_due(D("2022-02-15"), 15)


def test_the_notice_is_due_the_second_day_after_justering_moved_past_a_weekend():
    assert anslag_latest(D("2022-02-18")) == D("2022-02-21")  # Sunday the 20th -> Monday
    assert not anslag_is_late(D("2022-02-18"), D("2022-02-21"))
    assert anslag_is_late(D("2022-02-18"), D("2022-02-22"))


def test_the_appeal_period_is_three_weeks_from_posting_and_the_notice_stays_up_until_then():
    assert appeal_ends(D("2022-02-21")) == D("2022-03-14")
    assert notice_taken_down(D("2022-02-21")) == D("2022-03-15")
    assert appeal_ends(D("2022-12-03")) == D("2022-12-27")  # 24 Dec is julafton, 25-26 holidays


def test_a_late_notice_is_recorded_flagged_and_the_appeal_runs_from_its_day(db, capsys):
    from arende.cli import main

    from helpers import record_all_facts, register

    _, dnr = register()
    record_all_facts(dnr, upto="justering")  # justerad 2022-02-18: due up by 2022-02-21
    assert main(["anslag", "ALN", "2022-02-15", "--date", "2022-02-23"]) == 0
    out, err = capsys.readouterr()
    assert err == (
        "arende: warning: date: the notice went up after 2022-02-21, the second day after justering "
        "(KL 8:12); recorded, the appeal period runs to 2022-03-16\n"
    )
    assert main(["errand", "show", dnr, "--json"]) == 0
    import json

    view = json.loads(capsys.readouterr().out)
    assert view["appeal_ends_on"] == "2022-03-16"
    from sqlalchemy import select

    from db.models import AuditEvent
    from db.session import session_scope

    with session_scope() as session:  # the notice belongs to the meeting's protocol
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "fact.anslag"))
        assert event.after["late"] is True and event.meeting_id is not None
    assert view["status"] in ("expedierad", "closed")  # the errands went on regardless


def test_a_setting_beyond_the_law_is_one_line(monkeypatch, capsys):
    from arende.cli import main
    from arende.settings import reset_settings

    monkeypatch.setenv("ARENDE_JUSTERING_DAYS", "21")
    reset_settings()
    try:
        assert main(["deadlines"]) == 2
    finally:
        reset_settings()
    assert capsys.readouterr().err.startswith(
        "arende: error: ARENDE_JUSTERING_DAYS: Input should be less than or equal to 14"
    )


def test_forvaltningsbesvar_runs_three_weeks_from_the_notification_to_a_weekday():
    from arende.rules.procedure import appeal_ends_after_notification

    assert appeal_ends_after_notification(D("2022-01-27")) == D("2022-02-17")
    # Three weeks from a Sunday end on a Sunday: the next weekday (Lag 1930:173).
    assert appeal_ends_after_notification(D("2022-01-30")) == D("2022-02-21")


def test_the_forms_appeal_routes_are_the_rules():
    from arende.commands.fields import Appeal
    from arende.rules.procedure import AppealRoute
    from arende.services.catalogue import TYPES

    assert [a.value for a in Appeal] == [r.value for r in AppealRoute]
    # A yttrande to another organ prepares its decision (KL 13:2).
    assert {n for n, t in TYPES.items() if t.appeal is AppealRoute.NONE} == {"remiss", "audit-reply"}
