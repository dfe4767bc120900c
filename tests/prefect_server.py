"""A Prefect server for tests and benchmarks, with its own database on PostgreSQL.

Prefect's stock test harness keeps its database in SQLite, whose task-run recorder
collides with the next create_flow_run (SQLITE_BUSY_SNAPSHOT, answered 503 and retried
after ~2 s); on PostgreSQL a flow run costs what it costs in production.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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


def wait_for(what: str, probe, timeout: float, proc: subprocess.Popen | None = None):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{what}: the process ended with exit code {proc.returncode}")
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def prefect_server_process(
    tmp_path: Path, backend: str, admin_url: str, auth: str | None = None, ui: bool = False
) -> Iterator[str]:
    """`prefect server start` as its own process, as in production: every service on, a
    one-second scheduler loop, its database in SQLite or in a fresh PostgreSQL database;
    with `auth`, locked by Prefect's basic authentication (PREFECT_SERVER_API_AUTH_STRING);
    with `ui`, the UI too, told where its API is (PREFECT_UI_API_URL, as the README says
    for any port but 4200).
    Yields the API URL; on the way out, the server's log must hold no traceback."""
    import psycopg

    from smtp import free_port

    pg_name = None
    if backend == "postgresql":
        pg_name = f"prefect_proc_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        db_url = f"{admin_url.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+asyncpg://')}/{pg_name}"
    else:
        db_url = f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_SERVER_DATABASE_CONNECTION_URL=db_url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="1",
        PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS="1",
    )
    if auth is not None:
        env["PREFECT_SERVER_API_AUTH_STRING"] = auth
    api_url = f"http://127.0.0.1:{port}/api"
    if ui:
        env["PREFECT_UI_API_URL"] = api_url
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
        + ([] if ui else ["--no-ui"]),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        import httpx

        def healthy() -> bool:
            try:
                return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for("the Prefect server answering", healthy, 90, proc)
        yield api_url
        server_log = (tmp_path / "server.log").read_text(errors="replace")
        # The 3.8.8 defect showed only here: an error on every scheduler loop.
        assert "Can't evaluate bulk DML" not in server_log and "Traceback" not in server_log, server_log[-3000:]
    finally:
        stop(proc)
        log.close()
        if pg_name:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
