"""Reading the meetings (the plan, one meeting with its agenda, närvaro and §, the
members) and writing the meeting's documents: the protokoll and the notice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import delegation_app, meeting_app, member_app
from arende.cli._utilities import _reading, _session
from arende.files import writable_file, write_public

OrganArg = Annotated[str, typer.Argument(metavar="ORGAN", help="Registerprefix, t.ex. ALN")]


def _day(value: str, field: str = "date") -> dt.date:
    from arende.errors import InvalidInput

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"{value[:20]!r} is not a date (YYYY-MM-DD)") from None


DateArg = Annotated[str, typer.Argument(metavar="DATE", help="Sammanträdesdatum, ÅÅÅÅ-MM-DD")]


@meeting_app.command("list")
def meeting_list(
    organ: OrganArg, year: Annotated[Optional[int], typer.Option(help="År (standard: i år)", min=1900, max=2199)] = None
) -> None:
    """Sammanträdesplanen: organets sammanträden under ett år med status."""
    from sqlalchemy import select

    from arende.services.common import get_organ, today
    from db.models import Meeting

    year = year or today().year
    with _reading() as session:
        found = get_organ(session, organ)
        rows = session.scalars(
            select(Meeting)
            .where(Meeting.organ_id == found.id, Meeting.held_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            .order_by(Meeting.held_on)
        ).all()
        if not rows:
            typer.echo(f"{found.code} has no meetings in {year}")
        for m in rows:
            time = m.starts_at.strftime("%H.%M") if m.starts_at else "     "
            typer.echo(f"{m.held_on}  {time}  {m.status:<10} {m.place or ''}")


@meeting_app.command("show")
def meeting_show(organ: OrganArg, date: DateArg) -> None:
    """Visa ett sammanträde: status, föredragningslista med §, närvaro och dokument."""
    from sqlalchemy import select

    from arende.services.meeting.agenda import items_of
    from arende.services.meeting.attendance import attendance_of
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.proceedings import paragraphs_of
    from db.models import Document, Errand

    with _reading() as session:
        meeting = find_meeting(session, organ, _day(date))
        typer.echo(f"{meeting.organ.name} {meeting.held_on}: {meeting.status}")
        if meeting.place or meeting.starts_at:
            time = meeting.starts_at.strftime("%H.%M") if meeting.starts_at else ""
            typer.echo(f"  {time} {meeting.place or ''}".rstrip())
        by_item = {d.agenda_item_id: d for d in paragraphs_of(session, meeting) if d.agenda_item_id}
        typer.echo("föredragningslista:")
        for item in items_of(session, meeting):
            errand = session.get(Errand, item.errand_id) if item.errand_id else None
            done = by_item.get(item.id)
            para = f"§ {done.paragraph}" if done else "    "
            typer.echo(f"  {item.position:>3}. {para:<6} {item.heading}" + (f" (Dnr {errand.dnr})" if errand else ""))
        rows = attendance_of(session, meeting)
        if rows:
            typer.echo("närvaro:")
            for row in rows:
                typer.echo(f"  {row.function:<14} {row.name}" + (f", {row.title}" if row.title else ""))
        for doc in session.scalars(select(Document).where(Document.meeting_id == meeting.id).order_by(Document.number)):
            typer.echo(f"  document {doc.number}: {doc.description} ({doc.registered_on})")


@meeting_app.command("protokoll")
def meeting_protokoll(
    organ: OrganArg,
    date: DateArg,
    out: Annotated[Path, typer.Option(help="Skriv protokollet (.docx) hit")],
    paragraph: Annotated[
        Optional[int], typer.Option(help="Bara den omedelbart justerade § (OJ)", min=1, max=9999)
    ] = None,
) -> None:
    """Skriv sammanträdets protokoll: närvaro, alla § i ordning, underskrifter och bevis om anslag."""
    from arende.services.common import today
    from arende.services.meeting.papers import write_protocol

    writable_file("out", out)
    with _session() as session:
        doc, data = write_protocol(session, organ, _day(date), on=today(), paragraph=paragraph)
        write_public(out, data, "out")  # the file first, then the commit
        sha = doc.sha256
    typer.echo(f"{out} sha256 {sha}")


@meeting_app.command("notice")
def meeting_notice(
    organ: OrganArg,
    date: DateArg,
    out: Annotated[Optional[Path], typer.Option(help="Skriv anslaget (.docx) hit")] = None,
    paragraph: Annotated[
        Optional[int], typer.Option(help="Anslaget för en omedelbart justerad § (OJ)", min=1, max=9999)
    ] = None,
) -> None:
    """Anslaget om justering för kommunens digitala anslagstavla: som text, och som dokument med --out."""
    from arende.services.meeting.papers import write_notice

    if out is not None:
        writable_file("out", out)
    with _session() as session:
        _, data, text = write_notice(session, organ, _day(date), paragraph=paragraph)
        if out is not None:
            write_public(out, data, "out")
    typer.echo(text, nl=False)


@member_app.command("list")
def member_list(
    organ: OrganArg, on: Annotated[Optional[str], typer.Option(help="Vid datum (standard: i dag)")] = None
) -> None:
    """Organets ledamöter och ersättare vid ett datum."""
    from arende.rules.workflow import ROLE_SV, Role
    from arende.services.common import get_organ, today
    from arende.services.meeting.members import seats_on

    day = _day(on, "on") if on else today()
    with _reading() as session:
        found = get_organ(session, organ)
        seats = seats_on(session, found, day)
        if not seats:
            typer.echo(f"{found.code} has no members on {day}")
        for seat in seats:
            p = seat.person
            typer.echo(
                f"{ROLE_SV[Role(seat.role)]:<16} {p.name} ({p.party or '-'})" + (f" <{p.email}>" if p.email else "")
            )


@meeting_app.command("load")
def meeting_load(
    organ: OrganArg,
    file: Annotated[Path, typer.Option(help="Sammanträdesplanen (TOML, [[meeting]] med date, time, place)")],
) -> None:
    """Läs in ett års sammanträdesplan ur en fil; ett sammanträde som redan finns ändras bara före kallelsen."""
    import tomllib

    from arende.errors import InvalidInput
    from arende.services.meeting.plan import load_plan

    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {file}: {exc.strerror}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("file", f"{file} is not a UTF-8 TOML file: {' '.join(str(exc).split())}") from None
    with _session() as session:
        meetings = load_plan(session, organ, data)
        days = [m.held_on.isoformat() for m in meetings]
    typer.echo(f"{organ.upper()}: {len(days)} meetings in the plan ({', '.join(days)})")


@delegation_app.command("list")
def delegation_list(organ: OrganArg) -> None:
    """Delegationsbesluten: punkt, delegat, datum, när de anmäldes och när överklagandetiden löper ut."""
    from sqlalchemy import select

    from arende.services.common import get_organ
    from arende.services.meeting.delegation import appeal_status
    from db.models import DelegatedDecision, Meeting

    with _reading() as session:
        found = get_organ(session, organ)
        rows = session.execute(
            select(DelegatedDecision, Meeting)
            .outerjoin(Meeting, Meeting.id == DelegatedDecision.meeting_id)
            .where(DelegatedDecision.organ_id == found.id)
            .order_by(DelegatedDecision.decided_on, DelegatedDecision.id)
        ).all()
        if not rows:
            typer.echo(f"{found.code} has no delegated decisions")
        for d, m in rows:
            reported = appeal_status(d, m)
            typer.echo(f"{d.decided_on}  {d.point.code:<6} {d.delegate}: {d.summary} ({reported})")
