"""`arende demo`: Arbetslivsnämnden's reply to the KS remiss on the guidelines for the
purchaser/provider model, February 2022 (seeds/003), through the real remiss flow.

Facts from the seed: sender KS and its Dnr KS 2021-00907, the 30 consultees, the reply
deadline 2022-02-28, the stance (tillstyrker), the report's text, FSG as the form of
samverkan, the recipient Kommunstyrelsen, the chair and the head of office, and the
meeting of 2022-02-15. Not in the seed, so chosen here and marked as such: the
received date, the case officer, the FSG date, the § number, the justerare and the
dates of justering and anslag.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

D = dt.date.fromisoformat

CONSULTEES = [
    "Arbetslivsnämnden", "Fritids- och folkhälsonämnden", "Förskolenämnden", "Grundskolenämnden",
    "Gymnasie- och vuxenutbildningsnämnden", "Individ- och familjeomsorgsnämnden", "Kulturnämnden",
    "Lokalförsörjningsnämnden", "Miljö- och konsumentnämnden", "Samhällsbyggnadsnämnden", "Servicenämnden",
    "Sociala omsorgsnämnden", "Stadsrevisionen", "Tekniska nämnden", "Vård- och äldrenämnden",
    "Överförmyndarnämnden", "Borås Energi och Miljö AB", "Borås Elnät AB", "Borås Kommuns Parkerings AB",
    "Borås Stadshus AB", "Borås Djurpark & Camping AB", "AB Bostäder i Borås", "Fristadbostäder AB",
    "AB Sandhultsbostäder", "AB Toarpshus", "Viskaforshem AB", "Industribyggnader i Borås AB",
    "Inkubatorn i Borås AB", "Akademiplatsen AB", "Borås TME AB",
]

SUMMARY = (
    "Arbetslivsnämnden ser positivt att det har tagits fram ett förslag på Riktlinjer beställar-/-utförarmodellen. "
    "Arbetslivsnämndens ställningstagande är att modellen ger goda förutsättningar att komma överens om pris mellan "
    "parterna och att hänsyn måste tas till kritiska minivolymer för Servicenämndens förmåga att upprätthålla "
    "krisberedskap med egna resurser kan det påverka priset men utrymme ges i riktlinjen till att beställaren ska "
    "kunna välja en extern utförare."
)

BODY = """Arbetslivsnämnden har fått möjlighet att yttra sig över Remiss om Borås Stads Riktlinjer beställar-/-utförarmodell Policy för inköp i Kommunkoncernen. Dokumenten gäller till och med: 2025.

Syftet med riktlinjen är att tydliggöra ett likartat arbetssätt för köp av verksamhet där Servicenämnden är utförare. Riktlinjen gäller i första hand de tjänster som Servicenämnden utför till beställande nämnder och bolag men kan även tillämpas för interna tjänster mellan andra nämnder och bolag.

Köp av verksamhet inom kommunen behöver inte föregås av någon form av upphandling eftersom kommunen räknas som en gemensam koncern, om än uppdelad på olika nämnder och helägda bolag. Det finns två typer av verksamheter som nämnder och bolag köper av Servicenämnden: verksamhet som kan konkurrensutsättas exempelvis snöröjning, entreprenader och annan verksamhet som inte är föremål för konkurrensutsättning exempelvis IT, löneadministration, ekonomiredovisning.

Minimivolymkostnader för att upprätta krisberedskap ligger till grund för hur mycket nämnderna ska beställa av utföraren."""


def _set_today(day: dt.date) -> None:
    from arende.settings import reset_settings

    os.environ["ARENDE_TODAY"] = day.isoformat()
    reset_settings()


def run_demo(out: Path, console: Console | None = None) -> dict[str, object]:
    console = console or Console()
    started = time.perf_counter()
    out = out.resolve()
    if out.exists():
        for name in ("demo.db", "demo.db-wal", "demo.db-shm"):
            (out / name).unlink(missing_ok=True)
        shutil.rmtree(out / "documents", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    # A fresh SQLite database of its own: the demo never touches the user's data.
    os.environ["ARENDE_DATABASE_URL"] = f"sqlite:///{out / 'demo.db'}"
    os.environ["ARENDE_DOCUMENTS_DIR"] = str(out / "documents")
    os.environ.setdefault("ARENDE_USER", "demo")

    from arende.orchestration import prepare_prefect_environment
    from arende.services import facts
    from arende.services.reference import load_classification, load_organs
    from arende.services.remiss import RemissStart
    from arende.settings import get_settings
    from db.migrate import upgrade
    from db.session import session_scope

    _set_today(D("2022-01-19"))
    upgrade()
    with session_scope() as session:
        load_organs(session, get_settings().organs_file)
        load_classification(session, get_settings().classification_file)

    prepare_prefect_environment()
    from flows.remiss import remiss

    console.print("[bold]Ärende demo[/bold]: Yttrande över Remiss – Riktlinjer beställar-/utförarmodellen")
    console.print("Starting Prefect (a temporary local server unless PREFECT_API_URL is set)…")

    start = RemissStart(
        organ="ALN", sender="KS", sender_dnr="KS 2021-00907",
        title="Yttrande över Remiss – Riktlinjer beställar-/utförarmodellen",
        received_on=D("2022-01-19"), reply_due=D("2022-02-28"), consultees=CONSULTEES,
        recipients=["Kommunstyrelsen"], classification="1.1.7.1",
    )
    result = remiss(start=start)
    errand_id, dnr = int(result["errand_id"]), str(result["dnr"])
    console.print(f"registered {dnr}: waiting at {result['waiting_at']}")

    def fact(day: str, label: str, record) -> None:  # type: ignore[no-untyped-def]
        _set_today(D(day))
        with session_scope() as session:
            record(session)
        res = remiss(errand_id=errand_id)
        console.print(f"{day} {label}: status {res['status']}"
                      + (f", waiting at {res['waiting_at']}" if res["waiting_at"] else ""))

    fact("2022-01-20", "case officer assigned", lambda s: facts.assign_officer(s, dnr, "Anna Lind", D("2022-01-20")))
    fact("2022-02-01", "report drafted", lambda s: facts.draft_report(
        s, dnr, stance="tillstyrker", summary=SUMMARY, body=BODY, drafted_on=D("2022-02-01"),
        proposed_decision="Arbetslivsnämnden tillstyrker Remiss om Riktlinjer beställar-/-utförarmodellen.",
        attachments=["Bilaga Remiss Borås Stads Riktlinjer beställar-/-utförarmodell."]))
    fact("2022-02-03", "FSG held", lambda s: facts.record_fsg(s, dnr, held_on=D("2022-02-03"), kind="information",
                                                               note=None))
    fact("2022-02-15", "decided", lambda s: facts.record_decision(s, dnr, meeting_on=D("2022-02-15"), paragraph=14))
    fact("2022-02-18", "protocol signed", lambda s: facts.record_justering(
        s, "ALN", D("2022-02-15"), justerad_on=D("2022-02-18"), chair="Lars-Åke Johansson",
        justerare=["Sara Holm"]))
    fact("2022-02-21", "notice posted", lambda s: facts.record_anslag(s, "ALN", D("2022-02-15"),
                                                                       posted_on=D("2022-02-21")))

    files = _export(errand_id, out)
    elapsed = time.perf_counter() - started
    _summary(console, dnr, files, elapsed)
    return {"dnr": dnr, "files": files, "seconds": elapsed}


def _export(errand_id: int, out: Path) -> list[Path]:
    """Copy the newest version of each produced document to OUT under a readable name."""
    from sqlalchemy import select

    from db.models import Document
    from db.session import session_scope

    latest: dict[str, Document] = {}
    with session_scope() as session:
        for doc in session.scalars(select(Document).where(Document.errand_id == errand_id,
                                                          Document.storage_path.is_not(None)).order_by(Document.id)):
            latest[doc.kind or "document"] = doc
    files = []
    for doc in latest.values():
        target = out / (doc.file_name or Path(doc.storage_path or "").name)
        shutil.copyfile(doc.storage_path or "", target)
        files.append(target)
    return files


def _summary(console: Console, dnr: str, files: list[Path], elapsed: float) -> None:
    from arende.services.queries import errand_view
    from db.session import session_scope

    with session_scope() as session:
        view = errand_view(session, dnr)
    console.print(f"\n[bold]{view.dnr}[/bold] {view.title} — status [bold]{view.status}[/bold]")
    console.print(f"from {view.counterpart} ({view.external_ref}), reply due {view.reply_due}")
    console.print(f"decision: {view.decision}")
    console.print(f"appeal period ends: {view.appeal_ends_on}")
    steps = Table(title="steps")
    for col in ("step", "state", "date", "note"):
        steps.add_column(col)
    for s in view.steps:
        steps.add_row(s.label, s.state, str(s.done_on or ""), s.note or "")
    console.print(steps)
    deadlines = Table(title="deadlines")
    for col in ("deadline", "due", "status"):
        deadlines.add_column(col)
    for d in view.deadlines:
        deadlines.add_row(d["description"], str(d["due_on"]), d["status"])
    console.print(deadlines)
    for f in files:
        console.print(f"file: {f}")
    console.print(f"demo finished in {elapsed:.1f} s")
