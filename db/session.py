"""Engines and the unit of work.

One ``session_scope()`` per service call: it commits only when the block ends without
error, so a crash or a user mistake anywhere inside leaves the database unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from arende.settings import get_settings


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(get_settings().sqlite_busy_seconds * 1000)}")
        if read_only:
            cur.execute("PRAGMA query_only=ON")  # a write by mistake fails, loudly
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # A writer takes the write lock up front: two writers that both read the diary
        # sequence and then try to upgrade their lock would otherwise fail with "database
        # is locked". A reader never takes it: in WAL mode it reads beside a writer.
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        from pathlib import Path

        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                from arende.errors import DatabaseUnavailable

                raise DatabaseUnavailable(
                    "database", f"cannot create the folder {Path(path).parent}: {exc.strerror}"
                ) from None
        engine = create_engine(url)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def _read_engine_for(url: str) -> Engine:
    """For read-only work: on SQLite its own connections, which never take the write
    lock; elsewhere the same engine (PostgreSQL readers never wait for writers)."""
    if not url.startswith("sqlite"):
        return engine_for(url)
    engine = create_engine(url)
    _configure_sqlite(engine, read_only=True)
    return engine


@lru_cache(maxsize=8)
def _sessionmaker(url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url), expire_on_commit=False)


@lru_cache(maxsize=8)
def _read_sessionmaker(url: str) -> sessionmaker[Session]:
    return sessionmaker(_read_engine_for(url), expire_on_commit=False)


def unreachable(url: str, error: Exception, doing: str = "connect to") -> str:
    """'cannot connect to postgresql+psycopg://arende:***@host/db: <the driver's first line>'."""
    orig = getattr(error, "orig", None)
    first = str(orig).strip().splitlines()[0] if orig else type(error).__name__
    return f"cannot {doing} {_redacted(url)}: {first}"


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def schema_version(url: str) -> str | None:
    """The database's schema (None before `arende init`); a schema newer than this code
    knows is one line (an older `arende` against a database a newer one migrated)."""
    from sqlalchemy import exc, text

    from arende.errors import DatabaseUnavailable
    from db.migrate import SCHEMA_HEAD

    try:
        with busy_is_one_line(), engine_for(url).connect() as conn:
            has_table = engine_for(url).dialect.has_table(conn, "alembic_version")
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() if has_table else None
    except exc.DBAPIError as error:
        raise DatabaseUnavailable("database", unreachable(url, error)) from None
    if version is not None and version > SCHEMA_HEAD:
        raise DatabaseUnavailable(
            "database", f"schema {version} is newer than this version of arende knows ({SCHEMA_HEAD}); upgrade arende"
        )
    return None if version is None else str(version)


@lru_cache(maxsize=8)
def ensure_ready(url: str) -> None:
    """Once per process and database: it answers and has the schema this code knows.

    The embedded default (no ARENDE_DATABASE_URL) initialises itself on first use, so a
    new user's first command just works; any other database must be set up on purpose
    with `arende init`, and a read command never creates an empty SQLite file.
    """

    from arende.errors import DatabaseUnavailable
    from db.migrate import SCHEMA_HEAD, initialise

    embedded = not get_settings().database_url
    if url.startswith("sqlite") and not embedded:
        from pathlib import Path

        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not Path(path).exists():
            raise DatabaseUnavailable("database", f"{path} does not exist; run `arende init` to create it")
    version = schema_version(url)
    if version == SCHEMA_HEAD:
        return
    if not embedded:
        state = "not initialised" if version is None else f"schema {version} is older than {SCHEMA_HEAD}"
        raise DatabaseUnavailable("database", f"{_redacted(url)}: {state}; run `arende init`")
    import sys

    initialise(url)
    print(f"arende: {'initialised' if version is None else 'upgraded'} the database {_redacted(url)}", file=sys.stderr)


@contextmanager
def busy_is_one_line() -> Iterator[None]:
    """Another process kept SQLite's one write lock past the busy timeout: nothing was
    recorded; a person gets one line and may simply try again."""
    try:
        yield
    except OperationalError as exc:
        if "database is locked" not in str(exc.orig):
            raise
        from arende.errors import DatabaseUnavailable

        raise DatabaseUnavailable(
            "database",
            f"busy: another process held the write lock for {get_settings().sqlite_busy_seconds:g} s; "
            "nothing was recorded, try again",
        ) from None


def _remove_created(paths: list[Any]) -> None:
    """Files (and their new folders) written for rows that were rolled back: newest first,
    a folder only while empty."""
    for path in reversed(paths):
        try:
            path.rmdir() if path.is_dir() else path.unlink(missing_ok=True)
        except OSError:
            pass  # a folder that another transaction has since filled stays


@contextmanager
def session_scope() -> Iterator[Session]:
    url = get_settings().effective_database_url
    ensure_ready(url)
    session = _sessionmaker(url)()
    try:
        with busy_is_one_line():
            yield session
            session.commit()
    except BaseException:
        session.rollback()
        _remove_created(session.info.get("created_files", []))
        raise
    finally:
        session.close()


@contextmanager
def read_scope() -> Iterator[Session]:
    """A session for reading only (listings, `errand show`): on SQLite it never takes the
    write lock, so a read answers while a writer works; nothing it does is committed."""
    url = get_settings().effective_database_url
    ensure_ready(url)
    session = _read_sessionmaker(url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def forget_engines() -> None:
    """Drop every cached engine and session factory (a forked child starts afresh)."""
    for cached in (engine_for, _read_engine_for, _sessionmaker, _read_sessionmaker, ensure_ready):
        cached.cache_clear()


def fit(text: str, column: Any) -> str:
    """A derived text cut to its column's length, with an ellipsis."""
    length = column.property.columns[0].type.length
    return text if length is None or len(text) <= length else text[: length - 1] + "…"


@event.listens_for(Session, "before_flush")
def _texts_fit_their_columns(session: Session, _context: Any, _instances: Any) -> None:
    """The last guard before the database: a text longer than its column is a clear
    error naming the column, on every backend (PostgreSQL refused it with a traceback,
    SQLite stored it). The forms and commands check their own limits first."""
    from sqlalchemy import String

    from arende.errors import InvalidInput

    for obj in [*session.new, *session.dirty]:
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if not isinstance(column.type, String) or length is None:
                continue
            value = getattr(obj, column.key, None)
            if isinstance(value, str) and len(value) > length:
                raise InvalidInput(
                    column.key,
                    f"is {len(value)} characters long; at most {length} fit",
                    sv=f"är {len(value)} tecken lång; högst {length} ryms",
                )
