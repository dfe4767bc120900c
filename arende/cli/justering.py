"""Digital justering on the command line: send the protocol for signing, sign it in
turn (the built-in key, unlocked by the signatory's password; or the outside signing
service), reject it, see where it stands, and verify a signed PDF and the register."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import app
from arende.cli._utilities import _date, _reading, _session, _today

justering_app = typer.Typer(
    help="Digital justering: protokollet som PDF/A med elektroniska underskrifter.", no_args_is_help=True
)
app.add_typer(justering_app, name="justering")

OrganArg = Annotated[str, typer.Argument(help="Organets registerprefix, t.ex. ALN")]
DayArg = Annotated[dt.date, typer.Argument(parser=_date, metavar="YYYY-MM-DD", help="Sammanträdets dag")]
ParagraphOpt = Annotated[
    Optional[int],
    typer.Option("--paragraph", min=1, max=9999, help="En omedelbart justerad paragrafs protokollsdel"),
]


def _password() -> str:
    """Typed at the terminal, or one line on standard input (a script); never an option,
    which others could read in the process list."""
    if sys.stdin.isatty():
        return str(typer.prompt("Lösenord", hide_input=True))
    return sys.stdin.readline().rstrip("\n")


@justering_app.command("start")
def start(
    organ: OrganArg,
    day: DayArg,
    secretary_signs: Annotated[
        bool, typer.Option("--secretary-signs", help="Sekreteraren skriver också under (sist)")
    ] = False,
    paragraph: ParagraphOpt = None,
) -> None:
    """Skicka protokollet för digital justering: ordföranden och justerarna skriver under i tur och ordning."""
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.sign_round import start_round
    from arende.services.meeting.sign_view import round_lines
    from arende.settings import get_settings

    with _session() as session:
        start_round(
            session,
            organ,
            day,
            on=_today(),
            who=get_settings().user,
            secretary_signs=secretary_signs,
            paragraph=paragraph,
        )
        lines = round_lines(session, find_meeting(session, organ, day), paragraph)
    typer.echo("\n".join(lines))


@justering_app.command("sign")
def sign(
    organ: OrganArg,
    day: DayArg,
    user: Annotated[str, typer.Option("--user", help="Den som skriver under (användarnamn)")],
    paragraph: ParagraphOpt = None,
) -> None:
    """Skriv under protokollet i din tur; med den sista underskriften är protokollet justerat."""
    from arende.recording import record
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.sign_round import sign_next, signer_of
    from arende.services.meeting.sign_view import round_lines
    from arende.settings import get_settings

    signer = signer_of(user, None if get_settings().signing_service_url else _password())
    record(
        lambda s: sign_next(s, organ, day, username=user, signer=signer, paragraph=paragraph),
        f"justering {organ} {day}",
    )
    with _reading() as session:
        typer.echo("\n".join(round_lines(session, find_meeting(session, organ, day), paragraph)))


@justering_app.command("reject")
def reject(
    organ: OrganArg,
    day: DayArg,
    user: Annotated[str, typer.Option("--user", help="Den som avvisar (användarnamn)")],
    comment: Annotated[str, typer.Option("--comment", help="Vad som är fel i protokollet")],
    paragraph: ParagraphOpt = None,
) -> None:
    """Avvisa protokollet med en kommentar: det går tillbaka till sekreteraren och justeras inte."""
    from arende.services.meeting.sign_round import reject as reject_round

    with _session() as session:
        reject_round(session, organ, day, username=user, comment=comment, paragraph=paragraph)
    typer.echo(f"{organ.upper()} {day}: protokollet avvisat och tillbaka hos sekreteraren")


@justering_app.command("revoke")
def revoke(user: Annotated[str, typer.Argument(help="Kontot vars signeringscertifikat spärras")]) -> None:
    """Spärra en persons signeringscertifikat (förlorat lösenord, lämnat uppdraget): underskrifter
    med det godtas inte längre, och personens nästa underskrift får ett nytt certifikat."""
    from arende.services.accounts import account_by_username
    from arende.services.common import audit
    from arende.signing.ca import revoke as revoke_certificate

    with _session() as session:
        account = account_by_username(session, user, field="user")
        serial = revoke_certificate(account.person_id)
        if serial is not None:
            audit(session, "signing.revoked", after={"username": account.username, "serial": serial})
    typer.echo(f"{user}: certifikat {serial} spärrat" if serial else f"{user}: har inget signeringscertifikat")


@justering_app.command("status")
def status(organ: OrganArg, day: DayArg, paragraph: ParagraphOpt = None) -> None:
    """Var den digitala justeringen står: vem som skrivit under och vem som väntas."""
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.sign_view import round_lines

    with _reading() as session:
        typer.echo("\n".join(round_lines(session, find_meeting(session, organ, day), paragraph)))


@justering_app.command("pdf")
def pdf(
    organ: OrganArg,
    day: DayArg,
    out: Annotated[Path, typer.Option(help="Fil att skriva (.pdf)")],
    paragraph: ParagraphOpt = None,
) -> None:
    """Skriv ut protokollets PDF/A som den står: med de underskrifter som finns."""
    from arende.files import writable_file, write_public
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.sign_round import current_pdf
    from arende.services.meeting.sign_view import latest_round

    writable_file("out", out)
    with _reading() as session:
        data = current_pdf(latest_round(session, find_meeting(session, organ, day), paragraph))
    write_public(out, data, "out")
    typer.echo(f"{out}")


@app.command("verify")
def verify(
    file: Annotated[Optional[Path], typer.Argument(help="Den signerade PDF-filen")] = None,
    chain: Annotated[bool, typer.Option("--chain", help="Kontrollera justeringsregistrets hashkedja")] = False,
    demo: Annotated[
        Optional[Path], typer.Option(help="Mot demons installation (katalogen från `arende demo --out`)")
    ] = None,
) -> None:
    """Kontrollera ett digitalt justerat protokoll: vem som skrivit under, när, och att inget ändrats."""
    from arende.errors import InvalidInput
    from arende.services.verification import chain_lines, verify_lines

    if file is None and not chain:
        raise InvalidInput("file", "name the signed PDF to verify, or --chain for the register")
    if demo is not None:
        from arende.cli.web import use_demo

        use_demo(demo)
    ok = True
    if file is not None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise InvalidInput("file", f"cannot read {file}: {exc.strerror}") from None
        lines, good = verify_lines(data)
        typer.echo("\n".join(lines))
        ok = ok and good
    if chain:
        lines, good = chain_lines()
        typer.echo("\n".join(lines))
        ok = ok and good
    if not ok:
        raise typer.Exit(1)
