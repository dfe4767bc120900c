"""Diary throughput: remiss registrations per second (each a full registration: number,
errand, incoming document, step, deadline, audit), one process on SQLite and on
PostgreSQL, and 8 concurrent writers on PostgreSQL. Every run checks that the numbers
have no duplicates and no gaps.

Run: .venv/bin/python bench/diary.py [--n 500]
Goal (issue 6): 2 000/s single process on SQLite; zero duplicates or gaps always.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import emit, fresh_database, pg_available  # noqa: E402


def register_many(first: int, count: int) -> None:
    from arende.services.remiss import RemissStart, start_remiss
    from db.session import session_scope

    for i in range(first, first + count):
        start = RemissStart(
            organ="ALN",
            sender="KS",
            sender_dnr=f"KS 2021-{i:05d}",
            title="Remiss",
            received_on=dt.date(2022, 1, 19),
            reply_due=dt.date(2022, 2, 28),
        )
        with session_scope() as s:
            start_remiss(s, start, registered_on=dt.date(2022, 1, 19))


def _writer(url: str, first: int, count: int, go) -> None:  # type: ignore[no-untyped-def]
    os.environ["ARENDE_DATABASE_URL"] = url
    go.wait(60)
    register_many(first, count)


def check_numbers(expected: int) -> str:
    from sqlalchemy import select

    from db.models import Errand
    from db.session import session_scope

    with session_scope() as s:
        seqs = sorted(s.scalars(select(Errand.seq)))
    ok = seqs == list(range(1, expected + 1))
    return "ok" if ok else f"BROKEN: {len(seqs)} numbers, {len(set(seqs))} distinct, max {max(seqs, default=0)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--writers", type=int, default=8)
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if pg_available() else [])
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            with fresh_database(backend, Path(tmp)):
                start = time.perf_counter()
                register_many(1, args.n)
                seconds = time.perf_counter() - start
                emit(
                    "diary.registrations_per_s",
                    args.n / seconds,
                    "1/s",
                    backend=backend,
                    processes=1,
                    n=args.n,
                    numbers=check_numbers(args.n),
                )
        if "postgresql" in backends:
            with fresh_database("postgresql", Path(tmp)) as url:
                ctx = mp.get_context("spawn")
                go = ctx.Event()
                per = args.n // args.writers
                procs = [ctx.Process(target=_writer, args=(url, 1 + w * per, per, go)) for w in range(args.writers)]
                for p in procs:
                    p.start()
                time.sleep(3)  # let every writer import and wait at the gate
                start = time.perf_counter()
                go.set()
                for p in procs:
                    p.join()
                seconds = time.perf_counter() - start
                emit(
                    "diary.registrations_per_s",
                    per * args.writers / seconds,
                    "1/s",
                    backend="postgresql",
                    processes=args.writers,
                    n=per * args.writers,
                    numbers=check_numbers(per * args.writers),
                )


if __name__ == "__main__":
    main()
