"""Shared fixtures.

Database tests run on SQLite and on PostgreSQL: the schema is built by
`alembic upgrade head` once per backend and session (so the migrations are tested
every run), and emptied between tests. PostgreSQL tests skip with the reason when the
server on 127.0.0.1:5432 does not answer; CI always has it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ["ARENDE_USER"] = "test"
# `arende` processes started by tests run in-process unless a test asks for the agent.
os.environ["ARENDE_AGENT"] = "off"
os.environ.pop("ARENDE_TODAY", None)
os.environ.pop("ARENDE_DATABASE_URL", None)
# Password hashes at argon2's least cost: a test logs in dozens of times, and the cost is
# a setting (test_web checks that a hash made cheaper is made again at the real cost).
os.environ["ARENDE_WEB_ARGON2_MEMORY_KIB"] = "32"
os.environ["ARENDE_WEB_ARGON2_TIME_COST"] = "1"

PG_ADMIN_URL = os.environ.get("ARENDE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_unavailable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as exc:  # any failure to connect means: skip, and say why
        return f"PostgreSQL not answering at {PG_ADMIN_URL}: {str(exc).splitlines()[0]}"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    reason = _pg_unavailable()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"arende_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    from db.migrate import upgrade

    upgrade(url)
    yield url
    from db.session import engine_for

    engine_for(url).dispose()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'arende.db'}"
    from db.migrate import upgrade

    upgrade(url)
    return url


# The reference rows (organs, classification, their audit rows) as the services first
# loaded them, per database: later tests get them back with one bulk insert per table
# (about 2 ms) instead of the services' row-by-row load (about 20 ms on PostgreSQL).
_SEEDED: dict[str, list[tuple[object, list[dict[str, object]]]]] = {}


def _empty_and_seed(url: str) -> None:
    from sqlalchemy import select, text

    from arende.services.reference import load_classification, load_organs
    from arende.settings import get_settings
    from db.models import Base
    from db.session import engine_for, session_scope

    with engine_for(url).begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(text(f"DELETE FROM {table.name}"))
        if url.startswith("postgresql"):
            # Restart the id sequences too, so two runs of a scenario number alike
            # (SQLite reuses ids after DELETE on its own). DELETE and setval cost a
            # few ms; TRUNCATE of every table took ~150 ms a test.
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(quote_ident(c.table_name), c.column_name), 1, false) "
                    "FROM information_schema.columns c WHERE c.table_schema = 'public' "
                    "AND c.column_default LIKE 'nextval(%'"
                )
            )
        if url in _SEEDED:
            for table, rows in _SEEDED[url]:
                conn.execute(table.insert(), rows)  # type: ignore[attr-defined]
            return
    with session_scope() as session:
        load_organs(session, get_settings().organs_file)
        load_classification(session, get_settings().classification_file)
    seeded = []
    with engine_for(url).connect() as conn:
        for table in Base.metadata.sorted_tables:
            serial = table.autoincrement_column
            # Serial ids are left out, so the restarted sequence hands out the same ones.
            rows = [
                {k: v for k, v in row.items() if serial is None or k != serial.name}
                for row in conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            ]
            if rows:
                seeded.append((table, rows))
    _SEEDED[url] = seeded


def _use(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from arende.settings import reset_settings

    monkeypatch.setenv("ARENDE_DATABASE_URL", url)
    monkeypatch.setenv("ARENDE_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("ARENDE_VAR_DIR", str(tmp_path / "var"))
    reset_settings()
    _empty_and_seed(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty, migrated database with the reference data loaded, on each backend."""
    url = request.getfixturevalue("pg_url" if request.param == "postgresql" else "sqlite_url")
    yield _use(url, tmp_path, monkeypatch)
    from arende.settings import reset_settings

    reset_settings()


@pytest.fixture
def sqlite_db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """One backend for the slower flow tests: SQLite, or PostgreSQL with
    ARENDE_TEST_DB=postgresql (the whole suite then runs against PostgreSQL)."""
    name = "pg_url" if os.environ.get("ARENDE_TEST_DB") == "postgresql" else "sqlite_url"
    yield _use(request.getfixturevalue(name), tmp_path, monkeypatch)
    from arende.settings import reset_settings

    reset_settings()


@pytest.fixture(scope="session")
def prefect() -> Iterator[str]:
    """One Prefect server for the session, with the flow heartbeat off (it otherwise
    adds about a second to every synchronous flow).

    Where PostgreSQL answers, the server keeps its own database there, as in the
    single-server setup (tests/prefect_server.py says why); otherwise Prefect's stock harness.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        if _pg_unavailable():
            from prefect.testing.utilities import prefect_test_harness

            with prefect_test_harness():
                from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL

                yield PREFECT_SERVER_DATABASE_CONNECTION_URL.value()
            return
        yield from _prefect_on_postgresql()


def _prefect_on_postgresql() -> Iterator[str]:
    from prefect_server import prefect_on_postgresql

    with prefect_on_postgresql(PG_ADMIN_URL) as url:
        yield url


def _drain_prefect_workers() -> None:
    from prefect_server import drain_workers

    drain_workers()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that needs the Prefect server is a flow test, so `pytest -m "not flows"`
    is the fast edit-test loop without anyone remembering to mark them."""
    for item in items:
        if "prefect" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flows)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (it cannot download its own
    browser here)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            # Without these Chromium calls home, and this machine's closed network
            # refuses it many times over.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()
