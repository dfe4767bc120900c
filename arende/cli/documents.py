"""Documents: register, list, and the protocol extract."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

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
from arende.files import writable_file, write_public


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
    certifier: Annotated[
        Optional[str],
        typer.Option("--certifier", help="Kontot som bestyrker utdraget (standard: nämndens sekreterare)"),
    ] = None,
    sign: Annotated[
        bool,
        typer.Option("--sign", help="Bestyrk digitalt: en signerad PDF/A (protokollet justerat digitalt; --certifier)"),
    ] = False,
) -> None:
    """Skriv ett protokollsutdrag för ett beslutat ärende."""
    from arende.services.common import get_errand
    from arende.services.documents import protocol_extract

    writable_file("out", out)
    if sign:
        _signed_extract(_dnr(dnr), out, certifier)
        return
    with _session() as session:
        errand = get_errand(session, _dnr(dnr), lock=True)
        doc, data = protocol_extract(session, errand, certifier=certifier)
        sha = doc.sha256
        # The file first, then the commit: a write that fails registers no extract.
        write_public(out, data, "out")
    typer.echo(f"{out} sha256 {sha}")


def _signed_extract(dnr: str, out: Path, certifier: str | None) -> None:
    """The extract as a PDF/A signed by the certifier (their password asked for)."""
    from arende.cli.justering import _password
    from arende.errors import InvalidInput
    from arende.services.common import get_errand
    from arende.services.meeting.sign_round import signer_of
    from arende.services.signed_extract import signed_extract
    from arende.settings import get_settings

    if not certifier:
        raise InvalidInput("certifier", "name the account that certifies the extract digitally (--certifier)")
    if out.suffix.lower() != ".pdf":
        raise InvalidInput("out", "a digitally certified extract is a PDF: name the file .pdf")
    signer = signer_of(certifier, None if get_settings().signing_service_url else _password())
    with _session() as session:
        doc, data = signed_extract(session, get_errand(session, dnr, lock=True), certifier=certifier, signer=signer)
        write_public(out, data, "out")
    typer.echo(f"{out} (signerat utdrag ur {doc.description})")


@app.command("templates")
def templates_list(
    markdown: Annotated[bool, typer.Option("--markdown", help="Som Markdown (templates/FIELDS.md)")] = False,
) -> None:
    """Dokumentmallarna och fälten varje mall använder, för den som redigerar dem i Word."""
    from arende.documents import template_fields
    from arende.settings import get_settings

    folder = get_settings().templates_dir
    if not folder.is_dir() or not any(folder.glob("*.docx")):
        from arende.errors import InvalidInput

        what = "is not a folder" if not folder.is_dir() else "holds no .docx templates"
        raise InvalidInput("ARENDE_TEMPLATES_DIR", f"{folder} {what}; set it to the folder of the Word templates")
    if markdown:
        typer.echo(
            "# The templates' fields\n\nGenerated by `arende templates --markdown`. Each template in this "
            "folder is a Word document with Jinja fields (`{{ dnr }}`); edit the wording, styles, logo and "
            "layout in Word, and use only the fields listed for it: an unknown field stops the document "
            "with an error naming it. `a.b` is the part b of a field a; `list[].b` is b of each item.\n"
        )
    for path in sorted(folder.glob("*.docx")):
        fields = template_fields(path.stem)
        if markdown:
            typer.echo(f"## {path.name}\n\n" + "\n".join(f"- `{f}`" for f in fields) + "\n")
        else:
            typer.echo(f"{path.stem}: {', '.join(fields)}")


@app.command("archive")
def archive() -> None:
    """Skriv PDF/A-arkivexemplar (PDF/A-2b) av protokoll, utdrag, beslut, svar och överenskommelser."""
    from arende.services.archive import archive_pending

    result = archive_pending()
    for what in result.missing:
        typer.echo(f"arende: warning: {what}: the stored file is missing; not archived", err=True)
    for what in result.altered:
        typer.echo(
            f"arende: warning: {what}: the stored file differs from the registered SHA-256; not archived", err=True
        )
    if result.missing_libreoffice:
        typer.echo(
            "arende: warning: LibreOffice is not installed: no PDF/A copies were written "
            "(the .docx documents are unaffected); install libreoffice-writer-nogui and run `arende archive`",
            err=True,
        )
        return
    typer.echo(f"{result.converted} PDF/A copies written in {result.seconds:.1f} s")
    for path in result.failed:
        typer.echo(f"arende: warning: {path}: LibreOffice gave no PDF/A copy; it is tried again next time", err=True)
