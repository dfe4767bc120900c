"""What a user sees when the database is missing, unreachable or of another version:
one line naming `arende init` or the problem, exit 2, and nothing created."""

from __future__ import annotations

import pytest


@pytest.fixture
def use_url(monkeypatch):
    from arende.settings import reset_settings

    def use(url: str | None) -> None:
        if url is None:
            monkeypatch.delenv("ARENDE_DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("ARENDE_DATABASE_URL", url)
        reset_settings()

    yield use
    reset_settings()


def _run(capsys, *args):
    from arende.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_named_sqlite_file_that_does_not_exist_is_not_created_by_a_read(tmp_path, use_url, capsys):
    path = tmp_path / "nowhere" / "arende.db"
    use_url(f"sqlite:///{path}")
    code, out, err = _run(capsys, "deadlines")
    assert (code, out) == (2, "")
    assert err == f"arende: error: database: {path} does not exist; run `arende init` to create it\n"
    assert not path.exists() and not path.parent.exists()
    # `arende init` is how it comes to exist.
    code, out, _ = _run(capsys, "init")
    assert code == 0 and out.startswith("database ready: ") and path.exists()
    assert _run(capsys, "deadlines")[:2] == (0, "no open deadlines\n")


def test_an_empty_database_asks_for_arende_init(tmp_path, use_url, capsys):
    import sqlite3

    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    use_url(f"sqlite:///{path}")
    code, _, err = _run(capsys, "errand", "show", "ALN 2022-00001")
    assert code == 2 and err == f"arende: error: database: sqlite:///{path}: not initialised; run `arende init`\n"


def test_a_schema_newer_than_the_code_is_refused(tmp_path, use_url, capsys):
    import sqlite3

    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    use_url(f"sqlite:///{path}")
    code, _, err = _run(capsys, "deadlines")
    assert code == 2 and "schema 9999 is newer than this version of arende knows" in err


def test_a_database_server_that_does_not_answer_is_one_line(use_url, capsys):
    from smtp import free_port

    use_url(f"postgresql+psycopg://arende:hemligt@127.0.0.1:{free_port()}/arende")
    code, out, err = _run(capsys, "deadlines")
    assert (code, out) == (2, "")
    assert err.startswith("arende: error: database: cannot connect to postgresql+psycopg://arende:***@127.0.0.1:")
    assert err.count("\n") == 1 and "hemligt" not in err


def test_the_embedded_default_initialises_itself_on_first_use(tmp_path, use_url, monkeypatch, capsys):
    from arende.settings import reset_settings

    monkeypatch.setenv("ARENDE_VAR_DIR", str(tmp_path / "var"))
    use_url(None)
    reset_settings()
    code, out, err = _run(capsys, "organs", "list")
    assert code == 0 and "ALN    Arbetslivsnämnden" in out
    assert err == f"arende: initialised the database sqlite:///{tmp_path / 'var' / 'arende.db'}\n"
    assert _run(capsys, "organs", "list")[2] == ""  # once


def test_a_read_answers_while_another_process_holds_the_write_lock(sqlite_db, capsys):
    """SQLite has one writer: listings and `errand show` read beside it, never wait."""
    import sqlite3
    import time

    from helpers import register

    _, dnr = register()
    writer = sqlite3.connect(sqlite_db.removeprefix("sqlite:///"), isolation_level=None, timeout=0.1)
    writer.execute("BEGIN IMMEDIATE")  # a long write elsewhere
    try:
        started = time.perf_counter()
        code, out, err = _run(capsys, "errand", "show", dnr, "--json")
        assert (code, err) == (0, "") and dnr in out
        assert _run(capsys, "deadlines")[0] == 0
        assert time.perf_counter() - started < 1
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_writer_that_waits_too_long_for_the_lock_gets_one_line_and_records_nothing(sqlite_db, capsys, monkeypatch):
    import sqlite3

    from arende.settings import reset_settings
    from db.session import forget_engines

    from helpers import fingerprint, register

    _, dnr = register()
    monkeypatch.setenv("ARENDE_SQLITE_BUSY_SECONDS", "0.2")
    reset_settings()
    forget_engines()  # new connections, with the short busy timeout
    before = fingerprint()
    holder = sqlite3.connect(sqlite_db.removeprefix("sqlite:///"), isolation_level=None, timeout=0.1)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = _run(capsys, "assign", dnr, "--officer", "anna", "--date", "2022-01-20", "--no-run")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2 and err.startswith("arende: error: database: busy:") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert fingerprint() == before
    forget_engines()


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("ARENDE_DATABASE_URL", "arende.db", "ARENDE_DATABASE_URL: not a database URL"),
        ("ARENDE_DATABASE_URL", "mysql://arende:hemligt@db/arende", "ARENDE_DATABASE_URL: mysql is not supported"),
        ("ARENDE_SMTP_PORT", "99999", "ARENDE_SMTP_PORT: Input should be less than or equal to 65535"),
        ("ARENDE_JUSTERING_DAYS", "21", "ARENDE_JUSTERING_DAYS: Input should be less than or equal to 14"),
        ("ARENDE_SQLITE_BUSY_SECONDS", "soon", "ARENDE_SQLITE_BUSY_SECONDS: Input should be a valid number"),
        ("ARENDE_VAR_DIR", "/proc/arende", "database: cannot create the folder /proc/arende: No such file"),
        # Stored paths are relative to it: every process must name the same folder.
        ("ARENDE_DOCUMENTS_DIR", "documents", "ARENDE_DOCUMENTS_DIR: documents is a relative path"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_and_creates_nothing(
    tmp_path, monkeypatch, capsys, use_url, setting, value, message
):
    from arende.settings import reset_settings

    use_url(None)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARENDE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv(setting, value)
    reset_settings()
    code, out, err = _run(capsys, "deadlines")
    assert (code, out) == (2, "")
    assert err.startswith(f"arende: error: {message}") and err.count("\n") == 1, err
    assert "hemligt" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_documents_folder_that_cannot_be_made_is_one_line_and_the_errand_moves_on_once_fixed(
    sqlite_db, monkeypatch, capsys
):
    from arende.settings import reset_settings

    from helpers import fingerprint, record_all_facts, register

    _, dnr = register()
    record_all_facts(dnr, upto="assign")
    before = fingerprint()
    monkeypatch.setenv("ARENDE_DOCUMENTS_DIR", "/proc/arende-documents")
    reset_settings()
    code, _, err = _run(
        capsys, "draft", dnr, "--stance", "tillstyrker", "--summary", "s", "--text", "t", "--date", "2022-02-01"
    )
    # The draft is a valid fact and stays recorded; its document could not be stored.
    assert code == 2 and err.startswith("arende: error: ARENDE_DOCUMENTS_DIR: cannot create the folder"), err
    assert err.count("\n") == 1 and f"({dnr} is recorded and moves on with `arende errand run`" in err
    assert fingerprint()["files"] == before["files"]
    monkeypatch.delenv("ARENDE_DOCUMENTS_DIR")
    reset_settings()
    assert _run(capsys, "errand", "run", dnr)[0] == 0
    after = fingerprint()
    assert after["errands"] == [(dnr, "drafted")]
    assert len(after["files"]) == len(before["files"]) + 1
