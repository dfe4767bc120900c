"""Long-running work: serving the deployments, the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import (
    app,
)


@app.command()
def serve(limit: Annotated[Optional[int], typer.Option(help="Högst så många samtidiga körningar")] = None) -> None:
    """Kör alla deployments i en process mot den konfigurerade Prefect-servern (en-server-läget)."""
    from arende.orchestration import prepare_prefect_environment

    # The runs' logs (each step's outcome, no personal data) reach the UI at INFO.
    prepare_prefect_environment(log_level="INFO")
    from prefect import serve as prefect_serve

    from flows.deployments import DEPLOYMENTS, runner_deployments, take_over_from_work_pool

    taken = take_over_from_work_pool()
    if taken:
        typer.echo(
            f"{len(taken)} deployments flyttas från arbetspoolen till den här processen: {', '.join(taken)}; "
            "för att byta tillbaka: prefect deploy --all"
        )
    for spec in DEPLOYMENTS:
        if spec.schedule_sv:
            typer.echo(f"{spec.name}: {spec.schedule_sv}")
    prefect_serve(*runner_deployments(), limit=limit)


@app.command()
def demo(out: Annotated[Path, typer.Option(help="Katalog för databasen och dokumenten")] = Path("demo-out")) -> None:
    """Spela upp Arbetslivsnämndens ärenden 2021–2022 (seed 001 och 003) genom flödena.

    Svaret på revisionens granskning, IOP med Kvinnojouren, sammanträdet 2022-02-15 med
    sammanträdesplan, kallelse, närvaro, § 11–20, protokoll och anslag, och 2022 års
    utdelning ur donationsfonderna. En egen SQLite-databas och Prefects tillfälliga
    server; dokumenten skrivs till --out (sekretessbelagda filer stannar där systemet
    förvarar dem)."""
    from arende.demo import run_demo

    run_demo(out)
