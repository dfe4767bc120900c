"""8 processes registering at once get 8 distinct, consecutive diary numbers."""

import datetime as dt
import multiprocessing as mp
import os

import pytest

from helpers import officer

WRITERS = 8


def _register_when_released(url: str, index: int, go, results) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from arende.services.remiss import RemissStart, start_remiss
    from db.session import engine_for, session_scope

    # A forked child must not use the parent's pooled connections.
    engine_for(url).dispose(close=False)
    start = RemissStart(
        organ="ALN",
        sender="KS",
        sender_dnr=f"KS 2021-{index + 1:05d}",
        title="Samtidig remiss",
        received_on=dt.date(2022, 1, 19),
        reply_due=dt.date(2022, 2, 28),
    )
    # Every writer is ready before any writes, so they really do race.
    go.wait(30)
    with session_scope() as session:
        errand, _ = start_remiss(session, start, registered_on=dt.date(2022, 1, 19))
        results.put(errand.seq)


def test_concurrent_writers_get_distinct_consecutive_numbers(db):
    # fork, not spawn: the children share the parent's imports, so the test costs the
    # race and not eight interpreter start-ups.
    assert os.environ["ARENDE_DATABASE_URL"] == db
    ctx = mp.get_context("fork")
    go, results = ctx.Barrier(WRITERS), ctx.Queue()
    procs = [ctx.Process(target=_register_when_released, args=(db, i, go, results)) for i in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    numbers = sorted(results.get(timeout=5) for _ in range(WRITERS))
    assert numbers == list(range(1, WRITERS + 1))


# --- races on the same thing (issue 12): every loser gets the winner's result ----------

RACERS = 16


def _child(url: str, go, results, work, args) -> None:  # type: ignore[no-untyped-def]
    from db.session import engine_for, forget_engines

    engine_for(url).dispose(close=False)  # never the parent's pooled connections
    forget_engines()
    go.wait(30)
    try:
        results.put(("ok", work(*args)))
    except BaseException as exc:  # a crash is what the test looks for: report it
        results.put(("crash", f"{type(exc).__name__}: {exc}"[:300]))


def _race(url: str, work, argss: list[tuple]) -> list:  # type: ignore[type-arg]
    ctx = mp.get_context("fork")
    go, results = ctx.Barrier(len(argss)), ctx.Queue()
    procs = [ctx.Process(target=_child, args=(url, go, results, work, args)) for args in argss]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    crashes = [detail for kind, detail in outcomes if kind == "crash"]
    assert crashes == [], crashes
    return [value for _, value in outcomes]


def _register_seed() -> str:
    from helpers import register

    return register()[1]


@pytest.mark.flows  # 16 processes: the slow set
def test_the_same_remiss_registered_by_16_at_once_is_one_errand(db):
    from sqlalchemy import func, select

    from db.models import Errand
    from db.session import session_scope

    dnrs = _race(db, _register_seed, [()] * RACERS)
    assert set(dnrs) == {"ALN 2022-00001"}
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Errand)) == 1


def _decide(dnr: str, meeting: str) -> int:
    import datetime as dt

    from arende.services.facts import record_decision
    from db.models import Decision
    from db.session import session_scope

    with session_scope() as session:
        record_decision(session, dnr, meeting_on=dt.date.fromisoformat(meeting))
    with session_scope() as session:
        from sqlalchemy import select

        from arende.services.common import get_errand

        return session.scalar(select(Decision.paragraph).where(Decision.errand_id == get_errand(session, dnr).id))


def _drafted(n: int) -> list[str]:
    from helpers import record_all_facts, register

    dnrs = []
    for i in range(n):
        _, dnr = register(sender_dnr=f"KS 2021-{i + 1:05d}")
        record_all_facts(dnr, upto="fsg")
        dnrs.append(dnr)
    return dnrs


@pytest.mark.flows  # 16 processes: the slow set
def test_16_decisions_on_one_new_meeting_get_consecutive_paragraphs(db):
    from sqlalchemy import func, select

    from db.models import Meeting
    from db.session import session_scope

    paragraphs = _race(db, _decide, [(dnr, "2022-02-15") for dnr in _drafted(RACERS)])
    assert sorted(paragraphs) == list(range(1, RACERS + 1))
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 1


@pytest.mark.flows  # 16 processes: the slow set
def test_the_next_free_paragraph_across_16_meetings_has_no_gap_and_no_false_conflict(db):
    days = [f"2022-03-{d:02d}" for d in range(1, RACERS + 1)]
    paragraphs = _race(db, _decide, list(zip(_drafted(RACERS), days, strict=True)))
    assert sorted(paragraphs) == list(range(1, RACERS + 1))


def _sweep() -> int:
    import datetime as dt

    from arende.services.reminders import sweep
    from db.session import session_scope

    with session_scope() as session:
        return sweep(session, dt.date(2022, 2, 28)).created


@pytest.mark.flows  # 16 processes: the slow set
def test_16_sweeps_at_once_write_each_reminder_once(db):
    from sqlalchemy import func, select

    from arende.services import facts
    from db.models import OutboxMessage, Reminder
    from db.session import session_scope

    for dnr in _drafted(3):
        with session_scope() as session:
            facts.assign_officer(session, dnr, officer(session), dt.date(2022, 1, 20), email="anna@example.org")
    created = _race(db, _sweep, [()] * RACERS)
    assert sum(created) == 3  # one sweep wrote them, the others found them written
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Reminder)) == 3
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def _justera_or_advance(kind: str, errand_id: int) -> str:
    import datetime as dt

    from arende.commands.handlers import apply
    from arende.commands.vocabulary import Justera
    from arende.services.advance import advance_errand

    if kind == "advance":
        return advance_errand(errand_id).status
    apply(
        Justera(
            organ="ALN",
            meeting=dt.date(2022, 2, 15),
            date=dt.date(2022, 2, 18),
            justerare=["Sara Holm"],
            chair="Lars-Åke Johansson",
        )
    )
    return "justerad"


@pytest.mark.flows  # 16 processes: the slow set
def test_justera_racing_the_errands_own_advance_is_never_a_crash(db):
    """8 `justera` of one meeting (a double click, retries) and 8 advances of its errand
    at once: each records or finds it recorded; none fails on a row another settled."""
    from helpers import record_all_facts, register

    errand_id, dnr = register()
    record_all_facts(dnr, upto="decision")
    outcomes = _race(db, _justera_or_advance, [("justera", errand_id)] * 8 + [("advance", errand_id)] * 8)
    assert set(outcomes) <= {"decided", "justerad"}  # an advance before the justering: still decided
    from arende.services.advance import advance_errand

    assert advance_errand(errand_id).status == "justerad"
