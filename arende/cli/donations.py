"""The donation round: applications, allocation, payout, erasure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import (
    donation_app,
)
from arende.cli._utilities import (
    DnrArg,
    _dnr,
    _session,
    _writable_file,
)


@donation_app.command("import")
def donation_import(
    dnr: DnrArg,
    file: Annotated[Path, typer.Option(help="CSV-export från e-tjänsten (UTF-8, ; eller ,)")],
    skip_invalid: Annotated[bool, typer.Option(help="Importera giltiga rader och skriv en avvisningslista")] = False,
    rejections: Annotated[Optional[Path], typer.Option(help="Avvisningslista (rad;orsak) med --skip-invalid")] = None,
) -> None:
    """Importera ansökningar. En felaktig rad stoppar hela filen, om inte --skip-invalid."""
    from arende.errors import InvalidInput
    from arende.services.donations import import_applications

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {file}: {exc.strerror}") from None
    with _session() as session:
        result = import_applications(session, _dnr(dnr), data, skip_invalid=skip_invalid)
    if result.already_imported:
        typer.echo("this file is already imported; nothing changed")
        return
    typer.echo(
        f"{result.imported} imported ({result.late} late, {result.duplicates} duplicates rejected), "
        f"{len(result.invalid)} invalid rows skipped"
    )
    if result.invalid:
        target = rejections or file.with_suffix(".avvisade.csv")
        target.write_text(
            "rad;orsak\n" + "".join(f"{line};{reason}\n" for line, reason in result.invalid), encoding="utf-8"
        )
        typer.echo(f"rejection list: {target}")


@donation_app.command("allocate")
def donation_allocate(dnr: DnrArg) -> None:
    """Föreslå fördelning: varje beviljad ansökan ur en fond vars villkor den uppfyller."""
    from arende.services.donations import allocate_round
    from arende.swedish import number

    with _session() as session:
        summary = allocate_round(session, _dnr(dnr))
    typer.echo(f"{summary['count']} grants, {number(summary['total'])} kr")
    for f in summary["per_fund"]:
        typer.echo(f"  {f['code']:<10} {f['count']:>4} st {number(f['sum']):>10} kr  {f['name']}")


@donation_app.command("proposal")
def donation_proposal(dnr: DnrArg, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Visa förslaget per ansökan: fond, belopp och regeln som valde den (inga personuppgifter)."""
    from dataclasses import asdict

    from arende.services.donations import proposal

    with _session() as session:
        rows = proposal(session, _dnr(dnr))
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r.application:>6} rad {r.line:>5} {r.purpose:<13} {r.applied:>6} kr  {r.status:<11} "
            f"{r.fund or '-':<10} {r.amount:>6} kr  {r.rule or ''}"
        )


@donation_app.command("adjust")
def donation_adjust(
    dnr: DnrArg,
    application: Annotated[int, typer.Option(help="Ansökans id (ur proposal)")],
    amount: Annotated[int, typer.Option(help="Belopp, kronor (0 = avslag)")],
    reason: Annotated[str, typer.Option(help="Varför förslaget ändras")],
    fund: Annotated[Optional[str], typer.Option(help="Fondkod (standard: samma fond)")] = None,
) -> None:
    """Ändra förslaget för en ansökan före beslutet."""
    from arende.services.donations import adjust

    with _session() as session:
        adjust(session, _dnr(dnr), application, amount=amount, fund_code=fund, reason=reason)


@donation_app.command("payout")
def donation_payout_file(dnr: DnrArg, out: Annotated[Path, typer.Option(help="Kopia av utbetalningsfilen")]) -> None:
    """Skriv en kopia av utbetalningsfilen (den skapas en gång, vid expedieringen)."""
    import shutil

    from arende.errors import Conflict
    from arende.services.common import get_errand
    from arende.services.donations import round_of

    _writable_file("out", out)
    with _session() as session:
        rnd = round_of(session, get_errand(session, _dnr(dnr)))
        if not rnd.payout_path:
            raise Conflict("dnr", "no payout file: the decision has not been sent out (or the data is erased)")
        path, sha = rnd.payout_path, rnd.payout_sha256
    shutil.copyfile(path, out)
    out.chmod(0o600)
    typer.echo(f"{out} sha256 {sha}")


@donation_app.command("erase")
def donation_erase(dnr: DnrArg) -> None:
    """Gallra sökandes personuppgifter efter bevarandetiden; beslutets summor finns kvar."""
    from arende.services.donations import erase

    with _session() as session:
        n = erase(session, _dnr(dnr))
    typer.echo(f"personal data of {n} applications erased")
