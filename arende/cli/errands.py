"""IOP commands that are not a person's fact: the daily renewals run and the list of agreements."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from arende.cli._app import (
    iop_app,
)
from arende.cli._utilities import (
    NoRun,
    _move_on,
    _reading,
    _request,
    _session,
)


@iop_app.command("renewals")
def iop_renewals_cmd(no_run: NoRun = False) -> None:
    """Förläng överenskommelser vars uppsägningsdag passerat utan uppsägning (körs dagligen)."""
    from arende.services import iop_calendar

    with _session() as session:
        ids = iop_calendar.apply_calendar(session)
        _request(session, ids, "iop renewals")
    typer.echo(f"{len(ids)} agreements changed")
    _move_on(ids, no_run)


@iop_app.command("list")
def iop_list(as_json: Annotated[bool, typer.Option("--json", help="Maskinläsbar utdata")] = False) -> None:
    """Lista överenskommelser med period, nästa uppsägningsdag och årets belopp."""
    from dataclasses import asdict

    from arende.services import iop_calendar
    from arende.swedish import number

    with _reading() as session:
        rows = iop_calendar.list_agreements(session)
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        typer.echo("no agreements")
    for r in rows:
        notice = f"notice by {r.notice_last_day}" if r.notice_last_day else r.status.replace("_", " ")
        typer.echo(
            f"IOP {r.number:<4} {r.partner:<30} {r.dnr:<22} {r.starts_on} – {r.ends_on}  {notice:<22} "
            f"{number(r.amount_this_year):>9} kr {r.year}"
        )
