"""A Prefect server for tests and benchmarks, with its own database on PostgreSQL.

Prefect's stock test harness keeps its database in SQLite, whose task-run recorder
collides with the next create_flow_run (SQLITE_BUSY_SNAPSHOT, answered 503 and retried
after ~2 s); on PostgreSQL a flow run costs what it costs in production.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def prefect_on_postgresql(admin_url: str) -> Iterator[str]:
    """Start a Prefect server on a fresh PostgreSQL database; point PREFECT_API_URL at
    it; yield that database's URL; drain logs and events, stop, and drop it."""
    import psycopg
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_DATABASE_CONNECTION_URL, temporary_settings
    from prefect.testing.utilities import _find_available_port

    name = f"prefect_{uuid.uuid4().hex[:8]}"
    base = admin_url.rsplit("/", 1)[0]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
        with temporary_settings({PREFECT_SERVER_DATABASE_CONNECTION_URL: url}):
            server = SubprocessASGIServer(port=_find_available_port())
            server.start(timeout=90)
            try:
                with temporary_settings({PREFECT_API_URL: server.api_url}):
                    yield f"{base}/{name}"
                    drain_workers()
            finally:
                server.stop()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drain_workers() -> None:
    """Flush logs and events while the server still answers; otherwise the log worker
    retries against a stopped server for a minute at exit."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    try:
        APILogWorker.instance().drain()
    except RuntimeError:  # the worker never started
        pass
    EventsWorker.drain_all()
