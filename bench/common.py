"""What the benchmark scripts share: a fresh database, reference data, JSON output."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_ADMIN = os.environ.get("ARENDE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


def emit(name: str, value: float, unit: str, **parameters: object) -> None:
    print(
        json.dumps(
            {"name": name, "value": round(value, 4), "unit": unit, "parameters": parameters}, ensure_ascii=False
        ),
        flush=True,
    )


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:  # no server: the PostgreSQL measurements are skipped
        return False


@contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """A migrated database with the reference data, as ARENDE_DATABASE_URL."""
    from arende.settings import reset_settings

    name = None
    if backend == "postgresql":
        import psycopg

        name = f"arende_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://{PG_ADMIN.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    else:
        url = f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:6]}.db'}"
    os.environ["ARENDE_DATABASE_URL"] = url
    os.environ["ARENDE_DOCUMENTS_DIR"] = str(workdir / f"docs-{uuid.uuid4().hex[:6]}")
    os.environ["ARENDE_VAR_DIR"] = str(workdir)
    reset_settings()
    from arende.services.reference import load_classification, load_organs
    from arende.settings import get_settings
    from db.migrate import upgrade
    from db.session import engine_for, session_scope

    upgrade()
    with session_scope() as s:
        load_organs(s, get_settings().organs_file)
        load_classification(s, get_settings().classification_file)
    try:
        yield url
    finally:
        engine_for(url).dispose()
        if name:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
