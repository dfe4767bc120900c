"""Delivery to the e-archive on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import app
from arende.cli._utilities import _session

earchive_app = typer.Typer(
    help="E-arkiv: leverans av avslutade ärenden som E-ARK SIP med CITS ERMS.", no_args_is_help=True
)
app.add_typer(earchive_app, name="earchive")


@earchive_app.command("export")
def export(
    organ: Annotated[str, typer.Option("--organ", help="Organets registerprefix, t.ex. ALN")],
    out: Annotated[Path, typer.Option("--out", help="Katalog där paketet skrivs")],
    year: Annotated[Optional[int], typer.Option("--year", min=1900, max=2100, help="Ärendenas år (Dnr)")] = None,
    dnr: Annotated[Optional[list[str]], typer.Option("--dnr", help="Ett enda ärende, t.ex. 'ALN 2022-00014'")] = None,
    as_zip: Annotated[bool, typer.Option("--zip", help="Skriv paketet också som .zip")] = False,
) -> None:
    """Leverera ett organs avslutade ärenden för ett år (eller ett ärende) som ett E-ARK SIP."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from arende.earchive.export import export as export_package
    from arende.earchive.export import zip_package
    from arende.files import private_folder

    private_folder(out, "out")
    with (
        _session() as session,
        Progress(TextColumn("ärenden"), BarColumn(), MofNCompleteColumn(), transient=True) as bar,
    ):
        task = bar.add_task("export", total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = export_package(
            session, organ=organ, year=year, dnr=" ".join(dnr) if dnr else None, out=out, progress=step
        )
    typer.echo(
        f"{result.package}: {result.errands} avslutade ärenden, {result.meetings} sammanträden, {result.files} filer"
    )
    if result.disposals:
        typer.echo(f"  gallringsloggen: {result.disposals} rader levereras med paketet (documentation/)")
    if as_zip:
        typer.echo(f"{zip_package(result.package)}")
    for line in result.left_out:
        typer.echo(f"  utelämnat: {line}")


@earchive_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="Paketet: en katalog med METS.xml, eller en .zip")],
) -> None:
    """Ta in ärenden ur ett E-ARK-paket med CITS ERMS (t.ex. från ett tidigare diarium) som avslutade ärenden."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from arende.earchive.importer import import_package
    from arende.settings import get_settings

    with (
        _session() as session,
        Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True) as bar,
    ):
        task = bar.add_task("kontrollerar paketet", total=None)

        def step(phase: str, done: int, total: int) -> None:
            bar.update(task, description=phase, completed=done, total=total or None)

        result = import_package(session, path, who=get_settings().user, progress=step)
    typer.echo(f"{len(result.imported)} ärenden importerade, {len(result.unchanged)} fanns redan oförändrade")
    for dnr in result.imported:
        typer.echo(f"  {dnr}")
