"""Reminders and the outbox."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from arende.cli._app import (
    app,
    outbox_app,
)
from arende.cli._utilities import (
    _reading,
    _session,
)


@app.command()
def remind(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Visa vad som skulle skickas; skriv inget")] = False,
    send: Annotated[bool, typer.Option(help="Leverera utkorgen direkt efteråt (kräver ARENDE_SMTP_HOST)")] = False,
) -> None:
    """Skriv påminnelser för frister som närmar sig eller passerats (det dagliga svepet)."""
    from arende.services.reminders import sweep

    with _session() as session:
        result = sweep(session, dry_run=dry_run)
    for dnr, step, level, due in result.planned:
        typer.echo(f"{level:<8} {due}  {dnr:<22} {step}")
    verb = "would write" if dry_run else "wrote"
    typer.echo(
        f"{verb} {len(result.planned)} reminders"
        + (f", {result.no_address} without an address" if result.no_address else "")
    )
    if send and not dry_run:
        outbox_send()


@outbox_app.command("send")
def outbox_send() -> None:
    """Skicka väntande e-post via SMTP; misslyckade försöks igen senare."""
    from arende.services.mail import deliver

    result = deliver()
    typer.echo(f"{result.sent} sent, {result.failed} failed")
    for error in result.errors[:5]:
        typer.echo(f"  {error}", err=True)


@outbox_app.command("list")
def outbox_list(status: Annotated[Optional[str], typer.Option(help="pending eller sent")] = "pending") -> None:
    """Lista utkorgen."""
    from sqlalchemy import select

    from db.models import OutboxMessage

    with _reading() as session:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if status:
            stmt = stmt.where(OutboxMessage.status == status)
        for m in session.scalars(stmt):
            extra = f" attempts {m.attempts}, next {m.next_attempt_at}: {m.last_error}" if m.last_error else ""
            typer.echo(f"{m.id:>5} {m.status:<8} {m.to_address:<35} {m.subject}{extra}")
