"""Pending advances: a recorded fact is never lost between recording and moving on."""

import datetime as dt

from sqlalchemy import update

from helpers import officer, register


def _status(dnr):
    from arende.services.queries import errand_view
    from db.session import session_scope

    with session_scope() as session:
        view = errand_view(session, dnr)
        return view.status, view.pending_advance


def _age(errand_id, hours):
    from db.models import PendingAdvance
    from db.session import session_scope

    with session_scope() as session:
        session.execute(
            update(PendingAdvance)
            .where(PendingAdvance.errand_id == errand_id)
            .values(requested_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours))
        )


def test_a_fact_recorded_by_a_process_killed_before_advancing_is_picked_up_later(db, capsys):
    from arende.cli import main
    from arende.services.advance import advance_all_pending

    errand_id, dnr = register()
    officer()  # the account the officer is appointed as
    # --no-run stops exactly where a kill after the commit would: fact and request written.
    assert main(["assign", dnr, "--officer", "anna", "--date", "2022-01-20", "--no-run"]) == 0
    status, pending = _status(dnr)
    assert status == "registered" and pending["reason"] == "assign" and pending["flow_run_id"] is None
    assert advance_all_pending(older_than=dt.timedelta(hours=1)) == []  # too fresh: maybe still in flight
    _age(errand_id, 2)
    [moved] = advance_all_pending(older_than=dt.timedelta(hours=1))
    assert moved.line() == f"{dnr}: handläggare utsedd, väntar på tjänsteskrivelsen"
    assert _status(dnr) == ("assigned", None)
    assert advance_all_pending() == []  # nothing twice


def test_errand_show_says_what_is_pending_and_why(db, capsys):
    from arende.cli import main

    _, dnr = register()
    assert main(["fsg", dnr, "--date", "2022-02-03", "--no-run"]) == 0
    capsys.readouterr()
    assert main(["errand", "show", dnr]) == 0
    out = " ".join(capsys.readouterr().out.split())  # as read, whatever the terminal's width
    assert "Väntar på att föras framåt efter fsg" in out and "arende errand run" in out


def test_settling_an_advance_never_drops_a_fact_recorded_while_it_ran(db):
    from arende.services.advance import claim, request_advance, settle
    from db.session import session_scope

    errand_id, dnr = register()
    with session_scope() as session:
        request_advance(session, [errand_id], "assign")
    claimed = claim(errand_id)
    with session_scope() as session:  # a second fact arrives while the first advance runs
        request_advance(session, [errand_id], "draft")
    settle(errand_id, claimed)
    assert _status(dnr)[1]["reason"] == "draft"
    settle(errand_id, claim(errand_id))
    assert _status(dnr)[1] is None


def test_a_failing_advance_is_recorded_on_its_row_and_the_others_still_move(db, monkeypatch):
    from arende.services import advance
    from db.session import session_scope

    first, dnr1 = register()
    second, dnr2 = register(sender_dnr="KS 2021-00908")
    with session_scope() as session:
        advance.request_advance(session, [first, second], "test")
    real = advance.advance_errand

    def flaky(errand_id):
        if errand_id == first:
            raise RuntimeError("disk full")
        return real(errand_id)

    monkeypatch.setattr(advance, "advance_errand", flaky)
    assert [a.dnr for a in advance.advance_all_pending()] == [dnr2]
    pending = _status(dnr1)[1]
    assert pending["attempts"] == 1 and pending["last_error"] == "RuntimeError: disk full"


def test_a_command_applied_returns_where_each_errand_now_stands(db, capsys):
    import datetime as dt

    from arende.commands.handlers import apply
    from arende.commands.vocabulary import Assign, RecordFsg

    errand_id, dnr = register()
    officer()  # the account the officer is appointed as
    applied = apply(Assign(dnr=dnr, officer="anna", date=dt.date(2022, 1, 20)))
    [moved] = applied.moved
    assert applied.errand_ids == [errand_id]
    assert (moved.dnr, moved.status, moved.waiting_at, moved.pending) == (dnr, "assigned", "draft", False)
    recorded_only = apply(RecordFsg(dnr=dnr, date=dt.date(2022, 2, 3)), no_run=True)
    assert [(m.dnr, m.pending, m.status) for m in recorded_only.moved] == [(dnr, True, None)]
