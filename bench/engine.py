"""Engine overhead: the complete remiss lifecycle (every step, documents included) for
N errands through the Prefect flows, against the same service functions called
directly. Two ways of living: the flow run after each fact a person records (seven runs
per errand), and one run that catches up after all facts are in.

Run: .venv/bin/python bench/engine.py [--errands 10]
Goal (issue 6): orchestrated at most 2.0 times direct.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import PG_ADMIN, emit, fresh_database, pg_available  # noqa: E402

D = dt.date.fromisoformat


def facts_for(i: int):  # type: ignore[no-untyped-def]
    """The seed remiss's six facts (arende.scenarios) for errand i, each a callable on a
    session; its own meeting day, a § the meeting's next free one."""
    from arende.commands.handlers import HANDLERS
    from arende.scenarios import remiss_facts

    meeting = D("2022-02-15") + dt.timedelta(days=i)
    signed = (meeting + dt.timedelta(days=3)).isoformat()

    def fact_list(dnr: str):  # type: ignore[no-untyped-def]
        return [
            (lambda s, c=f.command: HANDLERS[type(c)](s, c))
            for f in remiss_facts(dnr, meeting=meeting.isoformat(), paragraph=None, signed=signed, posted=signed)
        ]

    return fact_list


def run(n: int, advance_fn, after_each: bool) -> float:  # type: ignore[no-untyped-def]
    from arende.scenarios import remiss_start
    from arende.services.accounts import ensure_account
    from arende.services.remiss import start_remiss
    from db.session import session_scope

    start = time.perf_counter()
    for i in range(n):
        with session_scope() as s:
            ensure_account(s, "anna", "Anna Lind")  # the officer the seed's facts appoint
            data = remiss_start(sender_dnr=f"KS 2021-{i + 1:05d}", reply_due=D("2022-12-28"))
            errand, _ = start_remiss(s, data, registered_on=D("2022-01-19"))
            errand_id, dnr = errand.id, errand.dnr
        advance_fn(errand_id, dnr)
        for record in facts_for(i)(dnr):
            with session_scope() as s:
                record(s)
            if after_each:
                advance_fn(errand_id, dnr)
        if not after_each:
            advance_fn(errand_id, dnr)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errands", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from contextlib import nullcontext

    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    # The tests' Prefect-on-PostgreSQL server: a development helper, not shipped.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from arende.services.steps import advance
    from flows.errands import advance_errand

    from prefect_server import prefect_on_postgresql

    server = prefect_on_postgresql(PG_ADMIN) if pg_available() else nullcontext("ephemeral")
    with (
        tempfile.TemporaryDirectory() as tmp,
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
        server as prefect_db,
    ):
        prefect_backend = "postgresql" if str(prefect_db).startswith("postgresql") else "sqlite (ephemeral)"
        for after_each, label in ((True, "after_each_fact"), (False, "catch_up")):
            with fresh_database("sqlite", Path(tmp)):
                direct = run(args.errands, lambda errand_id, _dnr: advance(errand_id), after_each)
            with fresh_database("sqlite", Path(tmp)):
                orchestrated = run(args.errands, lambda _id, dnr: advance_errand(dnr=dnr), after_each)
            params = {"errands": args.errands, "mode": label, "database": "sqlite", "prefect_db": prefect_backend}
            emit("engine.direct", direct, "s", **params)
            emit("engine.orchestrated", orchestrated, "s", **params)
            emit("engine.ratio", orchestrated / direct, "ratio", **params)


if __name__ == "__main__":
    main()
