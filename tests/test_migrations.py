"""The migration history is the schema: it matches the models and runs down and up."""

import uuid

import pytest


def _fresh_url(kind: str, tmp_path, request) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'mig.db'}"
    request.getfixturevalue("pg_url")  # skips with the reason when PostgreSQL does not answer
    import psycopg

    from conftest import PG_ADMIN_URL

    name = f"arende_mig_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    request.addfinalizer(lambda: _drop(name))
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _drop(name: str) -> None:
    import psycopg

    from db.session import engine_for

    from conftest import PG_ADMIN_URL

    engine_for(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}").dispose()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_models_and_migrations_agree_and_migrations_run_down_and_up(kind, tmp_path, request):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from alembic import command
    from db.migrate import alembic_config, include_object
    from db.models import Base
    from db.session import engine_for

    url = _fresh_url(kind, tmp_path, request)
    config = alembic_config(url)
    command.upgrade(config, "head")
    engine = engine_for(url)
    with engine.connect() as conn:
        # What `alembic check` does: nothing left to generate.
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []
    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert "errands" in inspect(engine).get_table_names()


def test_the_schema_head_the_commands_check_is_alembics_head():
    from alembic.script import ScriptDirectory

    from db.migrate import SCHEMA_HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD
