"""Setting up: the database, organs, the diary plan, funds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import (
    app,
    funds_app,
    organs_app,
)
from arende.cli._utilities import (
    _reading,
    _session,
)


@app.command()
def init() -> None:
    """Skapa eller uppgradera databasen och läs in referensdata (organ, klassificering)."""
    from sqlalchemy import exc

    from arende.errors import DatabaseUnavailable
    from arende.settings import get_settings
    from db.migrate import initialise
    from db.session import schema_version, unreachable

    settings = get_settings()
    url = settings.effective_database_url
    if not url.startswith("sqlite") or Path(url.split("///", 1)[-1]).exists():
        schema_version(url)  # a schema newer than this code: one line, before Alembic is asked
    try:
        organs, codes = initialise()
    except exc.DBAPIError as error:
        raise DatabaseUnavailable("database", unreachable(url, error, "set up")) from None
    typer.echo(f"database ready: {organs} organs, {codes} classification codes")
    # Which reference files it read: the shipped ones are samples with example addresses.
    typer.echo(f"organs from {settings.organs_file}; diary plan from {settings.classification_file}")


@organs_app.command("load")
def organs_load(
    file: Annotated[Optional[Path], typer.Argument(help="TOML-fil; standard: inställningen")] = None,
) -> None:
    """Läs in organ från referensfilen (lägger till och uppdaterar)."""
    from arende.services.reference import load_organs
    from arende.settings import get_settings

    with _session() as session:
        n = load_organs(session, file or get_settings().organs_file)
    typer.echo(f"{n} organs loaded")


@organs_app.command("list")
def organs_list() -> None:
    """Lista organ och deras registerprefix."""
    from sqlalchemy import select

    from db.models import Organ

    with _reading() as session:
        for o in session.scalars(select(Organ).order_by(Organ.code)):
            typer.echo(f"{o.code:<6} {o.name}{'' if o.active else ' (inaktiv)'}")


@funds_app.command("load")
def funds_load(
    file: Annotated[Optional[Path], typer.Argument(help="TOML-fil; standard: inställningen")] = None,
) -> None:
    """Läs in donationsfonderna och deras villkor."""
    from arende.services.donations import load_funds
    from arende.settings import get_settings

    with _session() as session:
        n = load_funds(session, file or get_settings().funds_file)
    typer.echo(f"{n} funds loaded")


@funds_app.command("list")
def funds_list() -> None:
    """Lista fonderna med ändamål och villkor."""
    from sqlalchemy import select

    from db.models import Fund

    with _reading() as session:
        for f in session.scalars(select(Fund).order_by(Fund.code)):
            limit = f", inkomst ≤ {f.max_monthly_income} kr/person" if f.max_monthly_income else ""
            typer.echo(f"{f.code:<10} {f.name} — {', '.join(f.categories)}; från {f.min_age} år{limit}")


@organs_app.command("secretary")
def organs_secretary(
    organ: Annotated[str, typer.Argument(help="Organets registerprefix, t.ex. ALN")],
    user: Annotated[str, typer.Option("--user", help="Sekreterarens konto (användarnamn)")],
    title: Annotated[Optional[str], typer.Option("--title", help="Titel, t.ex. Nämndsekreterare")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="Telefon, t.ex. 033-35 71 23")] = None,
) -> None:
    """Organets sekreterare: en person med konto, som namnges i kallelser, protokoll och utdrag
    (med titel, telefon och kontots e-post)."""
    from arende.cli._utilities import _session
    from arende.commands.fields import validate
    from arende.services.identity import SecretaryContact, set_organ_secretary

    contact = validate(SecretaryContact, {"title": title, "phone": phone})
    with _session() as session:
        name = set_organ_secretary(session, organ, user, title=contact.title, phone=contact.phone)
    typer.echo(f"{organ.upper()}: sekreterare {name} ({user.strip().lower()})")
