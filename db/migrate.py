"""Bring a database to the newest schema with Alembic (also what tests build on)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The newest migration this code knows; tests keep it equal to Alembic's head, so
# commands can check a database's schema without importing Alembic.
SCHEMA_HEAD = "0019"
# Trigram indexes for the diarium's word search, on PostgreSQL only (pg_trgm): made by
# migration 0009 where the extension can be created, and not part of the models, so the
# comparison of models and schema (alembic check) leaves them out.
SEARCH_INDEX_PREFIX = "ix_trgm_"


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (type_ == "index" and name and name.startswith(SEARCH_INDEX_PREFIX))


def alembic_config(url: str | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logging"] = False
    if url:
        config.attributes["database_url"] = url
    return config


def upgrade(url: str | None = None) -> None:
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def initialise(url: str | None = None) -> tuple[int, int]:
    """What `arende init` does: the newest schema and the reference data (organs and the
    diary plan); safe to repeat. Returns the number of organs and codes loaded."""
    from arende.services.reference import load_classification, load_organs
    from arende.settings import get_settings
    from db.session import session_scope

    upgrade(url)
    s = get_settings()
    with session_scope() as session:
        return load_organs(session, s.organs_file), load_classification(session, s.classification_file)
