"""Documents: register, list, and the protocol extract."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from arende.cli._app import (
    app,
    document_app,
)
from arende.cli._utilities import (
    DnrArg,
    _dnr,
    _reading,
    _session,
)
from arende.commands.handlers import writable_file
from arende.files import write_public


@document_app.command("list")
def document_list(
    dnr: DnrArg,
    public: Annotated[bool, typer.Option(help="Visa den offentliga vyn (sekretessuppgifter dolda)")] = False,
    show_secret: Annotated[
        bool, typer.Option("--show-secret", help="Visa sekretessmarkerade handlingars motpart (loggas)")
    ] = False,
) -> None:
    """Lista ärendets handlingar."""
    from sqlalchemy import select

    from arende.services.common import get_errand
    from arende.services.diary import public_listing, secret_shown
    from arende.services.queries import SECRET_MARK
    from db.models import Document

    with _session() if show_secret else _reading() as session:
        errand = get_errand(session, _dnr(dnr))
        docs = list(session.scalars(select(Document).where(Document.errand_id == errand.id)))
        secret = [d.number for d in docs if d.secrecy_provision]
        if show_secret:
            secret_shown(session, errand.id, secret)
        for row in public_listing(docs) if public else docs:
            secrecy = (
                getattr(row, "secrecy", None)
                if public
                else (
                    f"{getattr(row, 'secrecy_provision', '')}, {getattr(row, 'secrecy_date', '')}, "
                    f"{getattr(row, 'secrecy_authority', '')}"
                    if getattr(row, "secrecy_provision", None)
                    else None
                )
            )
            counterpart = SECRET_MARK if row.number in secret and not (public or show_secret) else row.counterpart
            typer.echo(
                f"{row.number:>3} {row.registered_on} {row.direction:<9} {counterpart} | {row.description}"
                + (f" [sekretess: {secrecy}]" if secrecy else "")
            )


@app.command()
def extract(
    dnr: DnrArg,
    out: Annotated[Path, typer.Option(help="Fil att skriva (.docx)")],
) -> None:
    """Skriv ett protokollsutdrag för ett beslutat ärende."""
    from arende.services.common import get_errand
    from arende.services.documents import protocol_extract

    writable_file("out", out)
    with _session() as session:
        errand = get_errand(session, _dnr(dnr), lock=True)
        doc, data = protocol_extract(session, errand)
        sha = doc.sha256
        # The file first, then the commit: a write that fails registers no extract.
        write_public(out, data, "out")
    typer.echo(f"{out} sha256 {sha}")
