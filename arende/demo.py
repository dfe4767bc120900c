"""`arende demo`: Arbetslivsnämnden's errands of February 2022 (seeds/003), each through
its Prefect flow: the annual report 2021 with its two follow-ups, the reply to Kommun-
styrelsen's remiss on the purchaser/provider model, the IOP with Kvinnojouren Borås
(decided 2021-10-14 § 125) and its 2022 supplement of 150 tkr, and a reply to the
auditors' integration report (seed 001, whose fifth recommendation is addressed to
Arbetslivsnämnden).

From the seeds: titles, diary numbers ALN 2022-00011 and ALN 2021-00102 (the numbering
continues from the previous diarium), KS 2021-00907 with its 30 consultees and reply
deadline, decision texts, the stance, report texts, the annual figures, the IOP's
parties, org.nr, terms, amounts and renewal rule, § 125 of 2021-10-14, the meeting of
2022-02-15, chair and head of office, the auditors' recommendations and address.
Chosen here because the seeds do not say: received and registration dates, the case
officer, FSG dates, the § numbers of 2022-02-15, the justerare, the dates of justering
and anslag, the budget calendar's date, the auditors' reference and reply deadline.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

from rich.console import Console

D = dt.date.fromisoformat

CONSULTEES = [
    "Arbetslivsnämnden",
    "Fritids- och folkhälsonämnden",
    "Förskolenämnden",
    "Grundskolenämnden",
    "Gymnasie- och vuxenutbildningsnämnden",
    "Individ- och familjeomsorgsnämnden",
    "Kulturnämnden",
    "Lokalförsörjningsnämnden",
    "Miljö- och konsumentnämnden",
    "Samhällsbyggnadsnämnden",
    "Servicenämnden",
    "Sociala omsorgsnämnden",
    "Stadsrevisionen",
    "Tekniska nämnden",
    "Vård- och äldrenämnden",
    "Överförmyndarnämnden",
    "Borås Energi och Miljö AB",
    "Borås Elnät AB",
    "Borås Kommuns Parkerings AB",
    "Borås Stadshus AB",
    "Borås Djurpark & Camping AB",
    "AB Bostäder i Borås",
    "Fristadbostäder AB",
    "AB Sandhultsbostäder",
    "AB Toarpshus",
    "Viskaforshem AB",
    "Industribyggnader i Borås AB",
    "Inkubatorn i Borås AB",
    "Akademiplatsen AB",
    "Borås TME AB",
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


ANNUAL_FIGURES = {
    "grant_tkr": 243_250,
    "result_tkr": -2_547,
    "measures": [
        {
            "name": "Antal hushåll med försörjningsstöd",
            "earlier": {2019: 708, 2020: 705},
            "budget": 700,
            "outcome": 719,
        },
        {
            "name": "Andelen barn och unga som inte lever i hushåll med försörjningsstöd, %",
            "earlier": {2019: 99, 2020: 99},
            "outcome": 98,
        },
        {"name": "Växla bidrag mot lön, antal personer", "earlier": {2019: 78, 2020: 75}, "budget": 75, "outcome": 53},
        {"name": "Andel sjukfrånvaro av ordinarie arbetstid, %", "earlier": {2019: 3.5, 2020: 7.9}, "outcome": 5.5},
    ],
}

IOP_TERMS = {
    "background": "Kvinno- och tjejjouren Borås är en partipolitiskt och religiöst obunden förening som arbetar "
    "aktivt för att motverka alla former av våld. Föreningen tillhör riksförbundet Unizon.",
    "purpose": "Syftet med överenskommelsen är att främja delaktighet och lokal utveckling i Borås genom stabila, "
    "långsiktiga och ömsesidiga relationer mellan kommunen och Kvinno- och tjejjouren Borås.",
    "responsibilities": "Kommunen har ett långtgående ansvar att tillgodose behovet av stöd och skydd för personer "
    "som utsätts för våld i nära relation, vilket framgår av 2 kap 2 § SoL.\n\n"
    "Som utförare av insats enligt socialtjänstlagen har föreningen ett eget ansvar enligt SoL "
    "för att insatserna håller god kvalitet.",
    "services": "Kvinno- och tjejjouren Borås skyddade boende tillhandahåller ett rum för akutplacering dygnet runt "
    "på vardagar och helgdagar.",
    "cooperation": "Verksamhetschefen och representanter från Relationsvåldsenheten ska ha dialog kring utvecklingen "
    "samt ha uppföljning av akutplaceringar på skyddat boende två gånger om året.",
    "evaluation": "Kvinno- och tjejjouren Borås upprättar årligen en verksamhetsberättelse och en verksamhetsplan "
    "med statistik över antal individer som fått ta del av insatsen.",
    "economy": "När en akutplacering varar i mer än 2 dygn utgår en servicetjänstavgift fr.o.m. 3:e dygnet. "
    "Fakturering sker månadsvis.",
    "renegotiation": "Parterna äger rätt att när som helst under perioden påkalla nya förhandlingar om villkoren "
    "i denna överenskommelse.",
}

AUDIT_RECOMMENDATIONS = [
    ("KS", "Tydliggöra vad Arbetslivsnämndens roll som samordnande nämnd för integrationsarbetet innebär."),
    ("KS", "Utveckla uppföljningsprocessen av Program för ett integrerat samhälle."),
    ("KS", "Utveckla spridningen av uppföljningen av Program för ett integrerat samhälle."),
    ("KS", "Utveckla den stadsövergripande analysen av integrationsarbetet."),
    (
        "ALN",
        "Fullgöra sitt uppdrag att årligen följa upp bolagens och nämndernas insatser och resultat inom "
        "integrationsområdet.",
    ),
]


class _Demo:
    """Records each fact on its date, then runs the errand's flow, as people would."""

    def __init__(self, console: Console) -> None:
        from flows import FLOWS

        self.console = console
        self.flows = FLOWS
        self.errands: dict[str, tuple[int, str]] = {}

    def record(self, day: str, label: str, record) -> None:  # type: ignore[no-untyped-def]
        from db.session import session_scope

        _set_today(D(day))
        with session_scope() as session:
            record(session)
        self.console.print(f"  {day} {label}")

    def run(self, name: str) -> dict[str, object]:
        from arende.orchestration import errand_type_of

        errand_id = self.errands[name][0]
        return self.flows[errand_type_of(errand_id)](errand_id=errand_id)

    def start(self, name: str, day: str, flow_name: str, start) -> str:  # type: ignore[no-untyped-def]
        _set_today(D(day))
        result = self.flows[flow_name](start=start)
        self.errands[name] = (int(str(result["errand_id"])), str(result["dnr"]))
        self.console.print(f"  {day} registered {result['dnr']}: {name}")
        return str(result["dnr"])

    def decide_chain(
        self, dnr: str, *, officer_day: str, draft: dict, fsg_day: str | None, meeting: str, paragraph: int
    ) -> None:  # type: ignore[type-arg]
        from arende.services import facts

        self.record(
            officer_day,
            f"{dnr}: case officer assigned",
            lambda s: facts.assign_officer(s, dnr, "Anna Lind", D(officer_day)),
        )
        self.record(
            draft["drafted_on"],
            f"{dnr}: report drafted",
            lambda s: facts.draft_report(s, dnr, **{**draft, "drafted_on": D(draft["drafted_on"])}),
        )
        if fsg_day:
            self.record(
                fsg_day,
                f"{dnr}: FSG held",
                lambda s: facts.record_fsg(s, dnr, held_on=D(fsg_day), kind="information", note=None),
            )
        self.record(
            meeting,
            f"{dnr}: decided as § {paragraph}",
            lambda s: facts.record_decision(s, dnr, meeting_on=D(meeting), paragraph=paragraph),
        )

    def sign_and_post(self, meeting: str, signed: str, posted: str) -> None:
        from arende.services import facts

        self.record(
            signed,
            f"protocol of {meeting} signed",
            lambda s: facts.record_justering(
                s, "ALN", D(meeting), justerad_on=D(signed), chair="Lars-Åke Johansson", justerare=["Sara Holm"]
            ),
        )
        self.record(
            posted,
            f"notice for {meeting} posted",
            lambda s: facts.record_anslag(s, "ALN", D(meeting), posted_on=D(posted)),
        )


def run_demo(out: Path, console: Console | None = None) -> dict[str, object]:
    console = console or Console()
    started = time.perf_counter()
    out = out.resolve()
    if out.exists():
        for name in ("demo.db", "demo.db-wal", "demo.db-shm"):
            (out / name).unlink(missing_ok=True)
        shutil.rmtree(out / "documents", ignore_errors=True)
        shutil.rmtree(out / "var", ignore_errors=True)
        for old in out.glob("*.docx"):
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    # A fresh SQLite database of its own: the demo never touches the user's data.
    os.environ["ARENDE_DATABASE_URL"] = f"sqlite:///{out / 'demo.db'}"
    os.environ["ARENDE_DOCUMENTS_DIR"] = str(out / "documents")
    # The data key and the payout file live here too, never in the user's own var/.
    os.environ["ARENDE_VAR_DIR"] = str(out / "var")
    os.environ.setdefault("ARENDE_USER", "demo")

    from arende.orchestration import prepare_prefect_environment
    from arende.services.reference import load_classification, load_organs
    from arende.settings import get_settings
    from db.migrate import upgrade
    from db.session import session_scope

    _set_today(D("2021-01-18"))
    upgrade()
    with session_scope() as session:
        load_organs(session, get_settings().organs_file)
        load_classification(session, get_settings().classification_file)
        from arende.services.donations import load_funds

        load_funds(session, get_settings().funds_file)
    prepare_prefect_environment()
    console.print(
        "[bold]Ärende demo[/bold]: Arbetslivsnämnden, seeds 001 and 003. Starting Prefect "
        "(a temporary local server unless PREFECT_API_URL is set)…"
    )
    demo = _Demo(console)
    _audit_reply(demo)
    _iop(demo)
    _february_2022(demo)

    console.print("2022-04-01 the daily agreement run renews the IOP nobody gave notice on:")
    _set_today(D("2022-04-01"))
    from flows.iop import iop_renewals

    for result in iop_renewals():
        console.print(f"  {result['dnr']}: renewed, {result['status']}, waiting at {result['waiting_at']}")

    _donations(demo)

    files = _export(demo, out)
    elapsed = time.perf_counter() - started
    _summary(console, demo, files, elapsed)
    return {"errands": {k: v[1] for k, v in demo.errands.items()}, "files": [f for f, _ in files], "seconds": elapsed}


def _audit_reply(demo: _Demo) -> None:
    from arende.services.audit_reply import AuditStart

    demo.console.print("[bold]Reply to the auditors' report on integration (seed 001)[/bold]")
    dnr = demo.start(
        "audit reply",
        "2021-01-19",
        "audit-reply",
        AuditStart(
            organ="ALN",
            sender="REV",
            sender_dnr="REV 2020-00031",
            title="Granskning av integration och etablering i Borås Stad",
            received_on=D("2021-01-18"),
            reply_due=D("2021-04-30"),
            recommendations=[{"addressed_to": [to], "text": text} for to, text in AUDIT_RECOMMENDATIONS],
        ),
    )
    demo.decide_chain(
        dnr,
        officer_day="2021-01-20",
        fsg_day="2021-03-10",
        meeting="2021-03-23",
        paragraph=31,
        draft={
            "summary": "Stadsrevisionen har granskat om Borås Stad bedriver integrationsarbetet på ett ändamålsenligt "
            "sätt. Revisionen rekommenderar Arbetslivsnämnden att årligen följa upp bolagens och nämndernas "
            "insatser och resultat inom integrationsområdet.",
            "body": "Arbetslivsnämnden delar revisionens bedömning att uppföljningen behöver utvecklas.",
            "responses": {
                5: "Arbetslivsnämnden återupptar den årliga uppföljningen av Program för ett integrerat "
                "samhälle och redovisar uppföljningen för 2021 under 2022."
            },
            "attachments": ["Rapport – Granskning av integration och etablering"],
            "drafted_on": "2021-03-01",
        },
    )
    demo.sign_and_post("2021-03-23", "2021-03-26", "2021-03-26")
    result = demo.run("audit reply")
    demo.console.print(f"  {dnr}: {result['status']}")


def _iop(demo: _Demo) -> None:
    from arende.services import iop
    from arende.services.diary import continue_sequence
    from db.session import session_scope

    demo.console.print("[bold]IOP with Kvinnojouren Borås (decided 2021-10-14 § 125)[/bold]")
    _set_today(D("2021-09-20"))
    with session_scope() as session:
        continue_sequence(session, "ALN", 2021, 102)  # numbers before were issued by the previous diarium
    dnr = demo.start(
        "IOP Kvinnojouren",
        "2021-09-20",
        "iop-agreement",
        iop.IopStart(
            organ="ALN",
            number="2",
            partner_name="Kvinnojouren Borås",
            partner_orgnr="864501-5200",
            partner_contact="verksamhetschef",
            our_contact="Ida Wickström, Relationsvåldsenheten",
            starts_on=D("2022-01-01"),
            ends_on=D("2022-12-31"),
            renewal_years=1,
            notice_months=9,
            yearly_amount=550_000,
        ),
    )
    demo.record("2021-09-24", f"{dnr}: terms of the agreement", lambda s: iop.record_terms(s, dnr, IOP_TERMS))
    demo.decide_chain(
        dnr,
        officer_day="2021-09-21",
        fsg_day="2021-10-05",
        meeting="2021-10-14",
        paragraph=125,
        draft={
            "summary": "Kvinnojouren i Borås erbjuder Borås Stad att ingå en IOP-överenskommelse för att stödja "
            "stadens arbete med hedersvåld och relationsvåld, och erbjuda akuta skyddade boendeplatser.",
            "body": "IOPn avser att möta upp med akuta boendelösningar, där kommunen ska ersätta Kvinnojouren med en "
            "fast servicekostnad om 550 tkr/år.\n\nÖverenskommelsen gäller för ett år i taget från 1 januari "
            "2022 till och med 31 december 2022; en automatisk förlängning med ett år sker om inte "
            "överenskommelsen sägs upp senast 9 månader före att IOPn löper ut.",
            "proposed_decision": "Arbetslivsnämnden beslutar godkänna upprättad överenskommelse om Idéburet offentligt "
            "partnerskap (IOP) med Kvinnojouren.",
            "attachments": ["Bilaga Överenskommelse om Idéburet offentligt partnerskap (IOP)."],
            "drafted_on": "2021-09-30",
        },
    )
    demo.sign_and_post("2021-10-14", "2021-10-18", "2021-10-19")
    result = demo.run("IOP Kvinnojouren")
    demo.console.print(f"  {dnr}: {result['status']}, waiting at {result['waiting_at']} (in force)")


def _february_2022(demo: _Demo) -> None:
    from arende.services import annual_report, iop
    from arende.services.diary import continue_sequence
    from arende.services.remiss import RemissStart
    from arende.services.report import ReportStart
    from db.session import session_scope

    demo.console.print("[bold]Arbetslivsnämnden 2022-02-15[/bold]")
    _set_today(D("2022-01-10"))
    with session_scope() as session:
        continue_sequence(session, "ALN", 2022, 11)
    ar = demo.start(
        "annual report 2021", "2022-01-10", "annual-report", annual_report.AnnualReportStart(organ="ALN", year=2021)
    )
    ic = demo.start(
        "internal control 2021",
        "2022-01-11",
        "report",
        ReportStart(organ="ALN", title="Uppföljning Intern kontroll 2021", parent=ar, recipients=["Kommunstyrelsen"]),
    )
    cr = demo.start(
        "complaints 2021",
        "2022-01-11",
        "report",
        ReportStart(organ="ALN", title="Redovisning av inkomna synpunkter januari – december 2021", parent=ar),
    )
    remiss_dnr = demo.start(
        "remiss KS 2021-00907",
        "2022-01-19",
        "remiss",
        RemissStart(
            organ="ALN",
            sender="KS",
            sender_dnr="KS 2021-00907",
            title="Yttrande över Remiss – Riktlinjer beställar-/utförarmodellen",
            received_on=D("2022-01-19"),
            reply_due=D("2022-02-28"),
            consultees=CONSULTEES,
            recipients=["Kommunstyrelsen"],
            classification="1.1.7.1",
        ),
    )
    sup = demo.start(
        "IOP supplement 2022",
        "2022-01-20",
        "iop-supplement",
        iop.SupplementStart(agreement_dnr=demo.errands["IOP Kvinnojouren"][1], year=2022, amount=150_000),
    )

    demo.record(
        "2022-01-31",
        f"{ar}: figures for 2021",
        lambda s: annual_report.record_figures(s, ar, annual_report.Figures.model_validate(ANNUAL_FIGURES)),
    )
    demo.decide_chain(
        ar,
        officer_day="2022-01-11",
        fsg_day="2022-02-03",
        meeting="2022-02-15",
        paragraph=11,
        draft={
            "summary": "Arbetslivsnämnden gjorde ett underskott med 2 547 tkr. Kommunbidraget för år 2021 är 243 250 tkr.",
            "body": "Arbetslivsnämndens uppdrag är att fullgöra kommunens arbetsmarknads- och sysselsättningspolitiska "
            "insatser, ekonomiskt bistånd, relationsvåld, bostadsanskaffning av sociala bostäder, "
            "flyktingmottagning, feriearbeten, trygghetsinsatser, personlig ombud.",
            "attachments": ["Bilaga Årsredovisning 2021, Arbetslivsnämnden."],
            "drafted_on": "2022-02-01",
        },
    )
    demo.decide_chain(
        ic,
        officer_day="2022-01-11",
        fsg_day="2022-02-03",
        meeting="2022-02-15",
        paragraph=12,
        draft={
            "summary": "Uppföljning av 2021 års internkontrollplan.",
            "body": "Förvaltningen har följt upp planen.",
            "proposed_decision": "Arbetslivsnämnden godkänner uppföljningen av 2021 års plan samt översänder densamma "
            "till Kommunstyrelsen.",
            "drafted_on": "2022-02-01",
        },
    )
    demo.decide_chain(
        cr,
        officer_day="2022-01-11",
        fsg_day="2022-02-03",
        meeting="2022-02-15",
        paragraph=13,
        draft={
            "summary": "Totalt antal synpunkter som inkom under perioden januari – december 2021 var 12.",
            "body": "Förvaltningen har under året till större delen följt synpunktsrutinen.",
            "proposed_decision": "Arbetslivsnämnden godkänner upprättad redovisning av inkomna synpunkter januari - "
            "december 2021.",
            "drafted_on": "2022-02-01",
        },
    )
    demo.decide_chain(
        remiss_dnr,
        officer_day="2022-01-20",
        fsg_day="2022-02-03",
        meeting="2022-02-15",
        paragraph=14,
        draft={
            "stance": "tillstyrker",
            "summary": SUMMARY,
            "body": BODY,
            "drafted_on": "2022-02-01",
            "proposed_decision": "Arbetslivsnämnden tillstyrker Remiss om Riktlinjer beställar-/-utförarmodellen.",
            "attachments": ["Bilaga Remiss Borås Stads Riktlinjer beställar-/-utförarmodell."],
        },
    )
    demo.decide_chain(
        sup,
        officer_day="2022-01-20",
        fsg_day="2022-02-03",
        meeting="2022-02-15",
        paragraph=16,
        draft={
            "summary": "Kompletteringen innebär en servicetjänst vid akuta placeringar.",
            "body": "Utöver tidigare beslut på 550 tkr/år erhåller Kvinno- och tjejjouren Borås 150 tkr år 2022.",
            "attachments": [
                "Bilaga. Komplettering till Överenskommelsen om IOP med Kvinnojouren.",
                "Arbetslivsnämndens protokollsutdrag 2021-10-14 § 125.",
            ],
            "drafted_on": "2022-02-01",
        },
    )
    demo.sign_and_post("2022-02-15", "2022-02-18", "2022-02-21")
    for name in (
        "annual report 2021",
        "internal control 2021",
        "complaints 2021",
        "remiss KS 2021-00907",
        "IOP supplement 2022",
    ):
        result = demo.run(name)
        demo.console.print(f"  {result['dnr']}: {result['status']}")


DONATION_AVAILABLE = {
    "SAMFOND1": 120_000,
    "BJORNSSON": 60_000,
    "SVENSSON": 40_000,
    "RIEMAN": 30_000,
    "PALMQVIST": 40_000,
    "SAMFONDA": 70_000,
    "WASSBERG": 20_000,
    "SAMFOND2": 90_000,
}


def _donations(demo: _Demo) -> None:
    """The 2022 round with 400 generated applicants (fake names, valid personnummer):
    applications in March, decision in May, payout in June."""
    from arende.samples import generate
    from arende.services import donations
    from arende.swedish import number

    demo.console.print("[bold]Donation funds 2022 (generated applicants)[/bold]")
    dnr = demo.start(
        "donations 2022",
        "2022-02-20",
        "donation-payout",
        donations.DonationStart(year=2022, available=DONATION_AVAILABLE),
    )
    csv_data = generate(400, 2022, late=8, non_residents=10, duplicates=8).encode()
    demo.record(
        "2022-04-01", f"{dnr}: 408 applications imported", lambda s: donations.import_applications(s, dnr, csv_data)
    )
    summary: dict = {}
    demo.record("2022-04-05", f"{dnr}: allocation proposed", lambda s: summary.update(donations.allocate_round(s, dnr)))
    demo.console.print(f"  {summary['count']} grants, {number(summary['total'])} kr")
    demo.decide_chain(
        dnr,
        officer_day="2022-04-01",
        fsg_day=None,
        meeting="2022-05-17",
        paragraph=60,
        draft={
            "summary": "Ansökningsperioden var mars; nämnden beslutar om utdelning i maj och utbetalning sker i juni.",
            "body": "Merparten av ansökningarna kommer från personer med låg eller ingen inkomst och gäller bidrag till "
            "glasögon, tandvård, kläder och skor.",
            "drafted_on": "2022-04-20",
        },
    )
    demo.sign_and_post("2022-05-17", "2022-05-20", "2022-05-20")
    _set_today(D("2022-05-23"))
    result = demo.run("donations 2022")
    demo.console.print(f"  {dnr}: {result['status']} (payout file written once, for {D('2022-06-15')})")


def _export(demo: _Demo, out: Path) -> list[tuple[Path, bool]]:
    """Copy the newest version of each produced document to OUT under a readable name."""
    from sqlalchemy import select

    from db.models import Document
    from db.session import session_scope

    latest: dict[tuple[int, str], Document] = {}
    with session_scope() as session:
        ids = [v[0] for v in demo.errands.values()]
        for doc in session.scalars(
            select(Document)
            .where(Document.errand_id.in_(ids), Document.storage_path.is_not(None))
            .order_by(Document.id)
        ):
            latest[(doc.errand_id, doc.kind or "document")] = doc
    files = []
    for doc in latest.values():
        target = out / (doc.file_name or Path(doc.storage_path or "").name)
        shutil.copyfile(doc.storage_path or "", target)
        files.append((target, doc.is_secret))
    return sorted(files)


def _summary(console: Console, demo: _Demo, files: list[tuple[Path, bool]], elapsed: float) -> None:
    from arende.services.iop import list_agreements
    from arende.services.queries import errand_view
    from arende.swedish import number
    from db.session import session_scope

    console.print()
    with session_scope() as session:
        for _, dnr in demo.errands.values():
            view = errand_view(session, dnr)
            decision = (view.decision or "no decision").split(":", 1)[0]
            console.print(f"[bold]{view.dnr}[/bold] {view.title}\n  {view.status} · {decision}")
            steps = " · ".join(
                f"{s.step} {s.done_on or ''}".strip()
                for s in view.steps
                if s.state != "waiting" and s.state != "pending"
            )
            waiting = next((s for s in view.steps if s.state == "waiting"), None)
            console.print(f"  steps: {steps}" + (f" · waiting at {waiting.step}" if waiting else ""))
            for d in view.deadlines:
                if d["status"] == "open":
                    console.print(f"  deadline: {d['description']} {d['due_on']}")
        agreements = list_agreements(session)
    for a in agreements:
        console.print(
            f"IOP nr {a.number} {a.partner}: {a.starts_on} – {a.ends_on}, {a.status}, notice at the "
            f"latest {a.notice_last_day}, {number(a.amount_this_year)} kr in {a.year}"
        )
    console.print(f"{len(files)} documents written to {files[0][0].parent if files else '-'}:")
    for f, secret in files:
        console.print(f"  {f.name}" + (" (sekretess)" if secret else ""))
    console.print(f"demo finished in {elapsed:.1f} s")
