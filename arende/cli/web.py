"""The web page and its accounts: `arende web` serves it; `arende user` keeps the accounts
(the first administrator is made here; later ones on the page's Administration)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import app, user_app
from arende.cli._utilities import _reading, _session


@app.command()
def web(
    host: Annotated[str, typer.Option(help="Adress att lyssna på")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Processer (en per kärna på en egen server)", min=1, max=64)] = 1,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Omvända proxyer vars X-Forwarded-For gäller (kommaseparerade adresser); "
            "inloggningsspärren per adress räknar då den verkliga klienten"
        ),
    ] = "127.0.0.1",
    demo: Annotated[
        Optional[Path], typer.Option(help="Visa demons databas och dokument (katalogen från `arende demo --out`)")
    ] = None,
) -> None:
    """Starta webbsidan (Mina ärenden, Diarium, Sammanträden, Anslagstavla, Administration)."""

    import uvicorn

    if demo is not None:
        use_demo(demo)

    from arende.settings import get_settings
    from arende.web import create_app
    from db.session import ensure_ready

    ensure_ready(get_settings().effective_database_url)  # a broken setting is one line, before the server starts
    typer.echo(f"Ärende: http://{host}:{port}/  (avsluta med Ctrl+C)")
    # Behind a reverse proxy every request comes from the proxy's address: its
    # X-Forwarded-For is believed only from the addresses given (a client cannot forge it).
    common = {"host": host, "port": port, "log_level": "warning", "forwarded_allow_ips": forwarded_allow_ips}
    if workers == 1:
        uvicorn.run(create_app(), **common)  # type: ignore[arg-type]
    else:  # each worker process builds its own app (and its own database engine)
        uvicorn.run("arende.web:create_app", factory=True, workers=workers, **common)  # type: ignore[arg-type]


def use_demo(demo: Path) -> None:
    """Point this process at the demo's database, documents and var/ (its CA), and its day."""
    import os

    from arende.errors import InvalidInput
    from arende.settings import reset_settings

    folder = demo.resolve()
    if not (folder / "demo.db").is_file():
        raise InvalidInput("demo", f"{demo} holds no demo; run `arende demo --out {demo}` first")
    os.environ["ARENDE_DATABASE_URL"] = f"sqlite:///{folder / 'demo.db'}"
    os.environ["ARENDE_DOCUMENTS_DIR"] = str(folder / "documents")
    os.environ["ARENDE_VAR_DIR"] = str(folder / "var")
    # The demo's own day: its deadlines, meetings and notices as of the day it ended on.
    day = folder / "var" / "demodag.txt"
    if day.is_file() and day.read_text(encoding="utf-8").strip():
        os.environ["ARENDE_TODAY"] = day.read_text(encoding="utf-8").strip()
        typer.echo(f"demons dag: {os.environ['ARENDE_TODAY']} (ARENDE_TODAY)", err=True)
    reset_settings()


def _password() -> str:
    """From the terminal, typed twice; from standard input when it is not a terminal
    (a script: `echo "$PW" | arende user add ...`); never from the command line, where
    other users see it in the process list."""
    if sys.stdin.isatty():
        return str(typer.prompt("Lösenord", hide_input=True, confirmation_prompt="Lösenordet igen"))
    return sys.stdin.readline().rstrip("\n")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Användarnamn (a-z, 0-9, . _ -)")],
    name: Annotated[str, typer.Option(help="För- och efternamn, som i händelseloggen")],
    role: Annotated[str, typer.Option(help="lasare, handlaggare, registrator, sekreterare eller administrator")],
    email: Annotated[Optional[str], typer.Option(help="E-post")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Titel, t.ex. Handläggare")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="Telefon, t.ex. 033-35 85 73")] = None,
    member: Annotated[
        Optional[str], typer.Option("--member", help="Kontot tillhör organets ledamot med samma namn, t.ex. ALN")
    ] = None,
) -> None:
    """Lägg till en användare av webbsidan; lösenordet (minst 12 tecken) frågas efter.
    Telefonen står i sidfoten på handläggarens handlingar."""
    from arende.commands.fields import validate
    from arende.services.accounts import check_password, create_user
    from arende.services.identity import SecretaryContact

    contact = validate(SecretaryContact, {"title": title, "phone": phone})
    password = check_password(_password())
    with _session() as session:
        account = create_user(
            session,
            username,
            name,
            role,
            password,
            email=email,
            title=contact.title,
            phone=contact.phone,
            member_of=member,
        )
    typer.echo(f"{account.username}: {account.name} ({account.role_sv})")


@user_app.command("list")
def user_list() -> None:
    """Webbsidans användare med roll."""
    from arende.services.accounts import list_users

    with _reading() as session:
        for account, active, _email in list_users(session):
            state = "" if active else "  (inaktiv)"
            typer.echo(f"{account.username:<20} {account.role_sv:<18} {account.name}{state}")


@user_app.command("role")
def user_role(
    username: Annotated[str, typer.Argument(help="Användarnamn")],
    role: Annotated[str, typer.Argument(help="lasare, handlaggare, registrator, sekreterare eller administrator")],
) -> None:
    """Ändra en användares roll."""
    from arende.services.accounts import set_role

    with _session() as session:
        set_role(session, username, role)
    typer.echo(f"{username}: {role}")


@user_app.command("password")
def user_password(username: Annotated[str, typer.Argument(help="Användarnamn")]) -> None:
    """Sätt ett nytt lösenord; användarens inloggningar avslutas."""
    from arende.services.accounts import set_password

    password = _password()
    with _session() as session:
        set_password(session, username, password)
    typer.echo(f"{username}: nytt lösenord")


@user_app.command("deactivate")
def user_deactivate(username: Annotated[str, typer.Argument(help="Användarnamn")]) -> None:
    """Stäng av en användare; alla dess inloggningar avslutas."""
    from arende.services.accounts import set_active

    with _session() as session:
        set_active(session, username, False)
    typer.echo(f"{username}: inaktiv")


@user_app.command("unlinked")
def user_unlinked() -> None:
    """Ärenden vars handläggare bara finns som namn (före kontona): namnet och kontona med det namnet."""
    from arende.services.identity import unlinked_officers

    with _reading() as session:
        rows = unlinked_officers(session)
    for row in rows:
        candidates = ", ".join(row.candidates) if row.candidates else "inget konto med namnet"
        typer.echo(f"{row.dnr:<18} {row.officer}  ({candidates})")
    if not rows:
        typer.echo("alla handläggare är konton")


@user_app.command("link")
def user_link(
    dnr: Annotated[list[str], typer.Argument(metavar="DNR", help="Diarienummer, t.ex. ALN 2022-00001")],
    username: Annotated[str, typer.Option("--user", help="Kontot som är ärendets handläggare")],
) -> None:
    """Koppla ett ärendes handläggare (ett namn) till kontot med det namnet."""
    from arende.services.identity import link_officer

    with _session() as session:
        linked = link_officer(session, " ".join(dnr), username)
    typer.echo(f"{' '.join(dnr)}: handläggare {linked}")
