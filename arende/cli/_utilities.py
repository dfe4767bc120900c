"""What the command modules share: argument types, the session, recording a fact."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


DateArg = Annotated[dt.date, typer.Option(parser=_date, metavar="YYYY-MM-DD")]
# A Dnr has a space in it; accept it quoted or not: `extract ALN 2022-00001`.
DnrArg = Annotated[list[str], typer.Argument(metavar="DNR", help="Diarienummer, t.ex. ALN 2022-00001")]


def _dnr(parts: list[str]) -> str:
    return " ".join(parts)


NoRun = Annotated[bool, typer.Option("--no-run", help="Registrera bara; kör inte ärendets flöde nu.")]


def _today() -> dt.date:
    from arende.services.common import today

    return today()


def _session() -> AbstractContextManager[Session]:
    from db.session import session_scope

    return session_scope()


def _reading() -> AbstractContextManager[Session]:
    """For the commands that only read: no write lock on SQLite (db.session.read_scope)."""
    from db.session import read_scope

    return read_scope()


def _request(session, errand_ids: list[int], reason: str) -> None:  # type: ignore[no-untyped-def]
    """In the fact's own transaction: the errands it concerns are to move on."""
    from arende.services.advance import request_advance

    request_advance(session, errand_ids, reason)


def _move_on(errand_ids: list[int], no_run: bool) -> None:
    """The fact is committed: move the errands on (arende.recording says how)."""
    from arende.recording import move_on

    move_on(errand_ids, no_run=no_run)
