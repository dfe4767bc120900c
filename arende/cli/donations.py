"""The donation round: applications, allocation, payout, erasure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from arende.cli._app import (
    donation_app,
)
from arende.cli._utilities import (
    DnrArg,
    _dnr,
    _reading,
)
from arende.files import writable_file


@donation_app.command("proposal")
def donation_proposal(dnr: DnrArg, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Visa förslaget per ansökan: fond, belopp och regeln som valde den (inga personuppgifter)."""
    from dataclasses import asdict

    from arende.services.donations import proposal

    with _reading() as session:
        rows = proposal(session, _dnr(dnr))
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r.application:>6} rad {r.line:>5} {r.purpose:<13} {r.applied:>6} kr  {r.status:<11} "
            f"{r.fund or '-':<10} {r.amount:>6} kr  {r.rule or ''}"
        )


@donation_app.command("payout")
def donation_payout_file(dnr: DnrArg, out: Annotated[Path, typer.Option(help="Kopia av utbetalningsfilen")]) -> None:
    """Skriv en kopia av utbetalningsfilen (den skapas en gång, vid expedieringen)."""

    from arende.errors import Conflict
    from arende.services.common import get_errand
    from arende.services.donations import round_of

    writable_file("out", out)
    with _reading() as session:
        rnd = round_of(session, get_errand(session, _dnr(dnr)))
        if not rnd.payout_path:
            raise Conflict("dnr", "no payout file: the decision has not been sent out (or the data is erased)")
        path, sha = rnd.payout_path, rnd.payout_sha256
    from arende.files import write_private

    write_private(out, Path(path).read_bytes(), "out")  # owner-only from the first byte
    typer.echo(f"{out} sha256 {sha}")
