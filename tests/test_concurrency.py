"""8 processes registering at once get 8 distinct, consecutive diary numbers."""

import multiprocessing as mp
import os

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
