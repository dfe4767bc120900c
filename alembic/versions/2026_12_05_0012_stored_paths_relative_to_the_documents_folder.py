"""stored paths relative to the documents folder

A document's storage_path and archive_path were absolute; they are now kept relative to
the documents folder every process shares (ARENDE_DOCUMENTS_DIR), so a backup restored
into another folder or onto another machine finds its files. Paths inside the folder the
migrating process is configured with are made relative; any other path stays absolute
(it still resolves, and nothing is guessed).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 12:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _folder() -> str:
    from arende.settings import get_settings

    return str(get_settings().effective_documents_dir.absolute()).rstrip("/") + "/"


def upgrade() -> None:
    folder = _folder()
    bind = op.get_bind()
    for column in ("storage_path", "archive_path"):
        rows = bind.execute(sa.text(f"SELECT id, {column} FROM documents WHERE {column} IS NOT NULL")).all()
        for doc_id, path in rows:
            if path.startswith(folder):
                bind.execute(sa.text(f"UPDATE documents SET {column} = :p WHERE id = :i"),
                             {"p": path[len(folder):], "i": doc_id})


def downgrade() -> None:
    folder = _folder()
    bind = op.get_bind()
    for column in ("storage_path", "archive_path"):
        rows = bind.execute(sa.text(f"SELECT id, {column} FROM documents WHERE {column} IS NOT NULL")).all()
        for doc_id, path in rows:
            if not path.startswith("/"):
                bind.execute(sa.text(f"UPDATE documents SET {column} = :p WHERE id = :i"),
                             {"p": folder + path, "i": doc_id})
