"""A due-heavy morning: N errands whose reply deadline is three working days away, all
reminded on the same morning. The sweep composes N reminders into the outbox; delivery
sends them to an SMTP server on loopback (aiosmtpd, in a process of its own), each
exactly once: a second sweep and delivery add nothing, and the server counts N distinct
Message-IDs.

Prints one JSON line per measurement. Run: .venv/bin/python bench/reminders.py [--n 10000]
Goal (issue 11, item 6): 10 000 reminders composed and delivered in < 20 s.
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
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from common import emit, fresh_database, pg_available  # noqa: E402

MORNING = dt.date(2022, 2, 23)  # a Wednesday
DUE = dt.date(2022, 2, 28)  # three working days later: the d3 reminder is due


def _smtp_server(port: int, received: str, ready) -> None:  # type: ignore[no-untyped-def]
    """The loopback server: writes each accepted message's Message-ID to a file. It only
    looks the header up (a real mail server does not parse the MIME tree before it
    answers), so what is timed is our side."""
    import re

    from aiosmtpd.controller import Controller

    message_id = re.compile(rb"^Message-ID: (<[^>]+>)", re.MULTILINE | re.IGNORECASE)

    class Recorder:
        def __init__(self) -> None:
            self.out = open(received, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the server's life

        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            found = message_id.search(envelope.content)
            self.out.write(f"{found.group(1).decode() if found else 'missing'}\n")
            self.out.flush()
            return "250 OK"

    controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    time.sleep(3600)


def build(n: int) -> None:
    """N open errands with a case officer and a reply deadline, inserted in bulk: the
    morning is what is measured, not the loading."""
    from sqlalchemy import insert, select

    from db.models import Deadline, Errand, Organ
    from db.session import session_scope

    with session_scope() as s:
        organ_id = s.scalar(select(Organ.id).where(Organ.code == "ALN"))
        s.execute(
            insert(Errand),
            [
                {
                    "organ_id": organ_id,
                    "errand_type": "remiss",
                    "prefix": "ALN",
                    "year": 2022,
                    "seq": i + 1,
                    "title": f"Remiss {i + 1}",
                    "status": "assigned",
                    "registered_on": dt.date(2022, 1, 19),
                    "officer": f"Handläggare {i % 40 + 1}",
                    "officer_email": f"handlaggare{i % 40 + 1}@example.org",
                    "external_ref_key": f"KS-2021-{i + 1}",
                    "reply_due": DUE,
                    "details": {},
                }
                for i in range(n)
            ],
        )
        ids = s.scalars(select(Errand.id).order_by(Errand.id)).all()
        s.execute(
            insert(Deadline),
            [
                {
                    "errand_id": errand_id,
                    "step": "expediering",
                    "kind": "reply",
                    "description": "Remissvar till Kommunstyrelsen",
                    "due_on": DUE,
                    "status": "open",
                }
                for errand_id in ids
            ],
        )


def morning(n: int) -> tuple[float, float, int, int]:
    """The sweep, then delivery until the outbox is empty: (compose s, deliver s, created, sent)."""
    from arende.services.mail import deliver
    from arende.services.reminders import sweep
    from db.session import session_scope

    started = time.perf_counter()
    with session_scope() as s:
        created = sweep(s, MORNING).created
    composed = time.perf_counter()
    sent = 0
    now = dt.datetime.combine(MORNING, dt.time(6, 0), tzinfo=dt.UTC)
    while True:
        result = deliver(now, limit=1000)
        if result.failed:
            raise SystemExit(f"delivery failed: {result.errors[:3]}")
        if not result.sent:
            break
        sent += result.sent
    return composed - started, time.perf_counter() - composed, created, sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    from smtp import free_port

    backends = ["sqlite"] + (["postgresql"] if pg_available() else [])
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            port = free_port()
            received = Path(tmp) / f"received-{backend}.txt"
            ctx = mp.get_context("spawn")
            ready = ctx.Event()
            server = ctx.Process(target=_smtp_server, args=(port, str(received), ready), daemon=True)
            server.start()
            ready.wait(30)
            os.environ.update(
                ARENDE_SMTP_HOST="127.0.0.1", ARENDE_SMTP_PORT=str(port), ARENDE_MAIL_FROM="arende@example.org"
            )
            try:
                with fresh_database(backend, Path(tmp)):
                    build(args.n)
                    compose, delivery, created, sent = morning(args.n)
                    again = morning(args.n)  # the same morning once more: nothing new
                    time.sleep(0.5)  # let the server write the last ones
                    ids = received.read_text(encoding="utf-8").split()
                    params = {"reminders": args.n, "backend": backend}
                    emit("reminders.compose", compose, "s", **params)
                    emit("reminders.deliver", delivery, "s", **params)
                    emit("reminders.total", compose + delivery, "s", **params)
                    emit(
                        "reminders.delivered",
                        len(ids),
                        "messages",
                        **params,
                        created=created,
                        sent=sent,
                        distinct_message_ids=len(set(ids)),
                        second_morning_created=again[2],
                        second_morning_sent=again[3],
                    )
            finally:
                server.terminate()
                server.join()


if __name__ == "__main__":
    main()
