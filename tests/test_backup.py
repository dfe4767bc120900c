"""A backup is the database plus the documents folder: restored into another folder (and,
on PostgreSQL, another database), every document reads back by its SHA-256, since the
stored paths are relative to the documents folder every process shares."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import select

from helpers import record_all_facts, register


def _restore_postgresql(url: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    from conftest import PG_ADMIN_URL

    if shutil.which("pg_dump") is None or shutil.which("psql") is None:
        pytest.skip("pg_dump and psql are not installed")
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    dump = tmp_path / "arende.sql"
    subprocess.run(["pg_dump", "--no-owner", "--file", str(dump), plain], check=True, timeout=120)
    name = f"arende_restored_{uuid.uuid4().hex[:8]}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    restored = f"{plain.rsplit('/', 1)[0]}/{name}"
    subprocess.run(["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--file", str(dump), restored],
                   check=True, timeout=120, capture_output=True)  # fmt: skip
    return restored.replace("postgresql://", "postgresql+psycopg://")


def test_a_backup_restored_into_another_folder_reads_every_document_back(db, tmp_path, monkeypatch):
    from arende.services.steps import advance
    from arende.settings import get_settings, reset_settings
    from db.models import Document
    from db.session import forget_engines, session_scope

    errand_id, dnr = register()
    record_all_facts(dnr)
    advance(errand_id)  # the report, the reply and the extract, each a stored file
    folder = get_settings().effective_documents_dir
    with session_scope() as session:
        stored = {d.id: (d.storage_path, d.sha256) for d in session.scalars(select(Document)) if d.storage_path}
    assert len(stored) >= 3 and not any(path.startswith("/") for path, _ in stored.values())

    # The backup: the database and the documents folder; restored elsewhere.
    elsewhere = tmp_path / "restored"
    shutil.copytree(folder, elsewhere / "documents")
    if db.startswith("sqlite"):
        import sqlite3

        # SQLite's own backup (a copy of the file alone would miss what is still in the WAL).
        with sqlite3.connect(db.split("///", 1)[1]) as source, sqlite3.connect(elsewhere / "arende.db") as target:
            source.backup(target)
        restored_url = f"sqlite:///{elsewhere / 'arende.db'}"
    else:
        restored_url = _restore_postgresql(db, tmp_path)
    shutil.rmtree(folder)  # the original machine is gone
    forget_engines()
    monkeypatch.setenv("ARENDE_DATABASE_URL", restored_url)
    monkeypatch.setenv("ARENDE_DOCUMENTS_DIR", str(elsewhere / "documents"))
    reset_settings()
    with session_scope() as session:
        docs = [d for d in session.scalars(select(Document)) if d.storage_path]
        assert {d.id for d in docs} == set(stored)
        for doc in docs:
            assert doc.file is not None and doc.file.is_relative_to(elsewhere)
            assert hashlib.sha256(doc.file.read_bytes()).hexdigest() == doc.sha256
    forget_engines()


def test_absolute_paths_inside_the_documents_folder_are_migrated_to_relative(tmp_path, monkeypatch):
    from sqlalchemy import text

    from alembic import command
    from arende.settings import reset_settings
    from db.migrate import alembic_config
    from db.session import engine_for, forget_engines

    url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("ARENDE_DOCUMENTS_DIR", str(tmp_path / "documents"))
    reset_settings()
    command.upgrade(alembic_config(url), "0011")
    inside, outside = tmp_path / "documents" / "ALN-2022-00001" / "remissvar-ab.docx", "/srv/annat/fil.docx"
    with engine_for(url).begin() as conn:
        conn.execute(
            text("INSERT INTO organs (code, name, kind, active) VALUES ('ALN', 'Arbetslivsnämnden', 'namnd', true)")
        )
        conn.execute(
            text(
                "INSERT INTO errands (organ_id, errand_type, prefix, year, seq, title, status, registered_on, "
                "fsg_required, details, created_at) VALUES (1, 'remiss', 'ALN', 2022, 1, 'Remiss', 'registered', "
                "'2022-01-10', false, '{}', CURRENT_TIMESTAMP)"
            )
        )
        for number, path in ((1, str(inside)), (2, outside)):
            conn.execute(
                text(
                    "INSERT INTO documents (errand_id, number, registered_on, direction, counterpart, description, "
                    "storage_path, archive_path, created_at) VALUES (1, :n, '2022-01-10', 'drawn_up', 'ALN', 'Svar', "
                    ":p, :a, CURRENT_TIMESTAMP)"
                ),
                {"n": number, "p": path, "a": path.replace(".docx", ".pdf") if number == 1 else None},
            )
    command.upgrade(alembic_config(url), "head")
    with engine_for(url).connect() as conn:
        rows = conn.execute(text("SELECT number, storage_path, archive_path FROM documents ORDER BY number")).all()
    assert rows == [(1, "ALN-2022-00001/remissvar-ab.docx", "ALN-2022-00001/remissvar-ab.pdf"), (2, outside, None)]
    forget_engines()
    reset_settings()
