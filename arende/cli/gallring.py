"""Gallring by the informationshanteringsplan on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from arende.cli._app import app
from arende.cli._utilities import _reading, _session, _today

gallring_app = typer.Typer(
    help="Gallring enligt informationshanteringsplanen: vad som får gallras, gallringen och loggen.",
    no_args_is_help=True,
)
app.add_typer(gallring_app, name="gallring")

PlanOpt = Annotated[Path, typer.Option("--plan", help="Organets informationshanteringsplan (TOML)")]


def _plan(path: Path):  # type: ignore[no-untyped-def]
    from arende.errors import InvalidInput
    from arende.rules.disposal import parse_plan

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("plan", f"cannot read {path}: {exc}") from None
    return parse_plan(text, str(path))


@gallring_app.command("run")
def run(
    plan: PlanOpt,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Lista bara vad som får gallras; ändra inget")] = False,
) -> None:
    """Gallra det som planen låter gallra i dag (filerna tas bort, diarieraderna och en loggrad blir kvar)."""
    from arende.earchive.disposal import delete_files, dispose, due
    from arende.settings import get_settings

    rules = _plan(plan)
    if dry_run:
        with _reading() as session:
            items = due(session, rules, _today())
        for item in items:
            typer.echo(f"{item.dnr}:{item.number} {item.description} ({item.kind or 'handling'}) – {item.rule}, "
                       f"gallras från {item.due_on}")  # fmt: skip
        typer.echo(f"{len(items)} handlingar får gallras enligt plan {rules.version} ({rules.decision})")
        return
    with _session() as session:
        items, paths = dispose(session, rules, _today(), get_settings().user)
    delete_files(paths)  # after the commit: a row never names a file that is gone
    typer.echo(
        f"{len(items)} handlingar gallrade enligt plan {rules.version} ({rules.decision}); se arende gallring log"
    )


@gallring_app.command("log")
def log(organ: Annotated[Optional[str], typer.Option("--organ", help="Bara detta organ")] = None) -> None:
    """Gallringsloggen: vad som gallrats, enligt vilken regel och plan, av vem och när."""
    from arende.earchive.disposal import log_rows

    with _reading() as session:
        for row in log_rows(session, organ):
            typer.echo(f"{row.at:%Y-%m-%d} {row.dnr}:{row.document_number} {row.kind or ''} – {row.rule}; plan "
                       f"{row.plan_version} ({row.decision}); {row.who}; sha256 {row.sha256 or '-'}")  # fmt: skip


@gallring_app.command("hold")
def hold(
    dnr: Annotated[list[str], typer.Argument(metavar="DNR", help="Ärendets diarienummer")],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Varför inget får gallras")] = None,
    release: Annotated[bool, typer.Option("--release", help="Häv gallringsstoppet")] = False,
) -> None:
    """Gallringsstopp för ett ärende (t.ex. en begäran om handlingarna, ett överklagande), eller häv det."""
    from arende.earchive.disposal import hold as set_hold
    from arende.errors import InvalidInput
    from arende.settings import get_settings

    if not release and not (reason or "").strip():
        raise InvalidInput("reason", "say why the errand must not be disposed of (--reason), or --release")
    with _session() as session:
        set_hold(session, " ".join(dnr), reason=None if release else reason, who=get_settings().user)
    typer.echo(f"{' '.join(dnr)}: gallringsstopp {'hävt' if release else 'satt'}")
