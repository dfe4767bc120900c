"""Terminal views with rich: what a registrator reads."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from arende.services.queries import ErrandView

STATE_SV = {"done": "klart", "skipped": "hoppades över", "waiting": "väntar", "pending": "—"}


def print_errand(view: ErrandView, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]{view.dnr}[/bold]  {view.title}")
    console.print(
        f"{view.organ} · {view.errand_type} · status [bold]{view.status}[/bold]"
        + (f" · handläggare {view.officer}" if view.officer else "")
    )
    if view.external_ref:
        console.print(
            f"Från {view.counterpart}, er beteckning {view.external_ref}; inkom {view.received_on}, "
            f"svar senast {view.reply_due}"
        )
    if view.decision:
        console.print(f"Beslut: {view.decision}")
    if view.appeal_ends_on:
        console.print(f"Överklagandetiden löper ut {view.appeal_ends_on}")

    if view.pending_advance:
        p = view.pending_advance
        where = (
            f"flödeskörning {p['flow_run_id']} väntar på en worker (arende serve)"
            if p["flow_run_id"]
            else "kör `arende errand run` eller vänta på det dagliga svepet"
        )
        console.print(
            f"[bold yellow]Väntar på att föras framåt[/bold yellow] efter {p['reason']} "
            f"({str(p['requested_at'])[:19]}): {where}"
            + (f"; senaste fel: {p['last_error']}" if p["last_error"] else "")
        )

    steps = Table(title="Steg", show_lines=False)
    for col in ("steg", "läge", "datum", "not"):
        steps.add_column(col)
    for s in view.steps:
        steps.add_row(s.label, STATE_SV.get(s.state, s.state), str(s.done_on or ""), s.note or "")
    console.print(steps)

    if view.deadlines:
        table = Table(title="Frister")
        for col in ("frist", "senast", "dagar kvar", "status"):
            table.add_column(col)
        for d in view.deadlines:
            table.add_row(
                d["description"], str(d["due_on"]), str(d["days_left"]) if d["status"] == "open" else "", d["status"]
            )
        console.print(table)

    if view.documents:
        table = Table(title="Handlingar")
        for col in ("nr", "datum", "riktning", "avsändare/mottagare", "beskrivning", "sha256"):
            table.add_column(col)
        for d in view.documents:
            desc = d["description"] + (f" [sekretess {d['secrecy']}]" if d["secrecy"] else "")
            table.add_row(
                str(d["number"]),
                str(d["registered_on"]),
                d["direction"],
                d["counterpart"],
                desc,
                (d["sha256"] or "")[:12],
            )
        console.print(table)

    if view.distribution:
        table = Table(title="Expediering")
        for col in ("nr", "mottagare", "kanal", "adress", "datum"):
            table.add_column(col)
        for d in view.distribution:
            table.add_row(str(d["position"]), d["recipient"], d["channel"], d["address"] or "", str(d["expedierad_on"]))
        console.print(table)

    table = Table(title="Händelselogg")
    for col in ("tid", "vem", "händelse"):
        table.add_column(col)
    for ev in view.audit:
        table.add_row(str(ev["at"])[:19], ev["actor"], ev["action"])
    console.print(table)
