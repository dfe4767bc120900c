"""The declarative base: named constraints (so Alembic alters them by name on every
backend) and the UTC clock of every timestamp."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    MetaData,
)
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter them by name on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def stored_path(value: str | None) -> Path | None:
    """A stored file's path as a column keeps it: relative to the documents folder that
    every process shares (ARENDE_DOCUMENTS_DIR), so a restore into another folder or
    machine finds it; an absolute path (a file kept elsewhere) as it is."""
    if not value:
        return None
    path = Path(value)
    if path.is_absolute():
        return path
    from arende.settings import get_settings

    return get_settings().effective_documents_dir / path


def stored_name(path: Path) -> str:
    """What a column keeps for a file: its path inside the documents folder, else the
    absolute path."""
    from arende.settings import get_settings

    folder = get_settings().effective_documents_dir.absolute()
    try:
        return str(path.absolute().relative_to(folder))
    except ValueError:
        return str(path.absolute())
