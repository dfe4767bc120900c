"""`arende demo`: Arbetslivsnämnden's errands of 2021–2022 (seeds 001 and 003), each
through its Prefect flow: the reply to the auditors' integration report, the IOP with
Kvinnojouren Borås (decided 2021-10-14 § 125), the meeting of 2022-02-15 with its plan,
kallelse, närvaro, § 11–20 (the annual report 2021 and its two follow-ups, the reply to
Kommunstyrelsen's remiss, the minorities and integration follow-ups, the IOP's 2022
supplement, the donation funds' once-a-year rule, the anmälningsärenden and the
delegationsbeslut), protokoll and notice, and the 2022 donation-fund round.

The errands, their texts and their dates are arende.scenarios and
arende.scenarios_meeting, which the tests and the benchmarks use too; this module runs
them through the flows and reports in Swedish, each section's lines in date order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import time
from pathlib import Path
from typing import cast

from rich.console import Console

from arende import scenarios
from arende.files import write_private
from arende.rules.workflow import STATUS_SV, STEP_LABELS_SV, Step
from arende.scenarios import D


def _set_today(day: dt.date) -> None:
    from arende.settings import reset_settings

    os.environ["ARENDE_TODAY"] = day.isoformat()
    reset_settings()


class _Demo:
    """Records each fact on its date, then runs the errand's flow, as people would."""

    def __init__(self, console: Console) -> None:
        from flows import FLOWS

        self.console = console
        self.flows = FLOWS
        self.errands: dict[str, tuple[int, str]] = {}
        self.meetings: list[int] = []  # whose kallelse, protokoll and notice are exported
        # A section's lines, printed in date order: the demo records errand by errand, a
        # reader follows the calendar.
        self.lines: list[tuple[dt.date, int, str]] = []

    def say(self, day: dt.date | str, text: str) -> None:
        day = D(day) if isinstance(day, str) else day
        self.lines.append((day, len(self.lines), f"  {day} {text}"))

    def flush(self) -> None:
        for _, _, line in sorted(self.lines):
            self.console.print(line)
        self.lines.clear()

    def section(self, title: str) -> None:
        self.flush()
        self.console.print(f"[bold]{title}[/bold]")

    def record(self, day: str, label: str, record) -> None:  # type: ignore[no-untyped-def]
        from db.session import session_scope

        _set_today(D(day))
        with session_scope() as session:
            record(session)
        self.say(day, label)

    def run(self, name: str) -> dict[str, object]:
        from flows.errands import advance_errand

        result = cast("dict[str, object]", advance_errand(dnr=self.errands[name][1]))
        return result

    def start(self, name: str, day: str, flow_name: str, start) -> str:  # type: ignore[no-untyped-def]
        from arende.settings import get_settings

        _set_today(D(day))
        result = cast("dict[str, object]", self.flows[flow_name](start=start, utförd_av=get_settings().user))
        self.errands[name] = (int(str(result["errand_id"])), str(result["dnr"]))
        self.say(day, f"registrerat {result['dnr']}: {name}")
        return str(result["dnr"])

    def apply(self, facts: list[scenarios.Fact]) -> None:
        """Each command on its day, through its handler, as the CLI would record it."""
        from arende.commands.handlers import HANDLERS
        from db.session import session_scope

        for fact in facts:
            _set_today(fact.day)
            # The handlers' own lines are the command line's; the demo prints its label.
            with session_scope() as session, contextlib.redirect_stdout(io.StringIO()):
                HANDLERS[type(fact.command)](session, fact.command)
            self.say(fact.day, fact.label)

    def decide_chain(
        self, dnr: str, *, officer_day: str, draft: dict, fsg_day: str | None, meeting: str, paragraph: int
    ) -> None:  # type: ignore[type-arg]
        self.apply(
            scenarios.decision_facts(
                dnr, assigned=officer_day, draft=draft, fsg=fsg_day, meeting=meeting, paragraph=paragraph
            )
        )

    def sign_and_post(self, meeting: str, signed: str, posted: str) -> None:
        self.apply(scenarios.signing_facts(meeting, signed, posted))


def run_demo(out: Path, console: Console | None = None) -> dict[str, object]:
    console = console or Console()
    started = time.perf_counter()
    out = out.resolve()
    if out.exists():
        for name in ("demo.db", "demo.db-wal", "demo.db-shm"):
            (out / name).unlink(missing_ok=True)
        shutil.rmtree(out / "documents", ignore_errors=True)
        shutil.rmtree(out / "var", ignore_errors=True)
        for old in [*out.glob("*.docx"), *out.glob("*.pdf")]:
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
    # The accounts first: the errands' officer is one of them (anna, Anna Lind).
    accounts = _web_accounts(out)
    prepare_prefect_environment()
    console.print(
        "[bold]Ärende demo[/bold]: Arbetslivsnämnden, seeds 001 och 003. Startar Prefect "
        "(en tillfällig lokal server om inte PREFECT_API_URL är satt)…"
    )
    from prefect.context import SyncClientContext

    # One Prefect client for all the demo's runs: a new one per run cost ~28 ms each
    # (mostly building a TLS context), a quarter of an in-process flow run.
    with SyncClientContext.get_or_create():
        demo = _Demo(console)
        _audit_reply(demo)
        _iop(demo)
        _february_2022(demo)

        demo.section("2022-04-01 den dagliga körningen förlänger den IOP som ingen sade upp")
        _set_today(D("2022-04-01"))
        from flows.iop import iop_renewals

        for result in iop_renewals():
            console.print(f"  {result['dnr']}: förlängd ett år")

        _donations(demo)
        demo.flush()

    files = _export(demo, out) + _archive(console, out)
    # The day the replay ended on: `arende web --demo` shows the demo's work as of then.
    (out / "var" / DEMO_DAY_FILE).write_text(os.environ.get("ARENDE_TODAY", "") + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - started
    _summary(console, demo, files, elapsed)
    password_file = _shown(out / "var" / ACCOUNTS_FILE)
    console.print(
        f"webbsidan: [bold]arende web --demo {_shown(out)}[/bold], sedan http://127.0.0.1:8000/ och logga in "
        f"som {', '.join(accounts)}; lösenordet står i {password_file}"
    )
    return {"errands": {k: v[1] for k, v in demo.errands.items()}, "files": [f for f, _ in files], "seconds": elapsed}


# The demo's web accounts, one per role; their password is new each run and kept here.
DEMO_ACCOUNTS = (
    ("sara", "Sara Holm", "sekreterare"),
    ("anna", "Anna Lind", "handlaggare"),
    ("rut", "Rut Berg", "registrator"),
    ("olle", "Olle Ek", "lasare"),
    ("ada", "Ada Nordin", "administrator"),
)
ACCOUNTS_FILE = "konton.txt"
DEMO_DAY_FILE = "demodag.txt"


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _web_accounts(out: Path) -> list[str]:
    """Accounts to look at the demo's errands on the web page (`arende web --demo`)."""
    import secrets

    from arende.files import write_private
    from arende.rules.access import ROLE_LABELS_SV, WebRole
    from arende.services.accounts import create_user
    from db.session import session_scope

    password = secrets.token_urlsafe(12)
    with session_scope() as session:
        for username, name, role in DEMO_ACCOUNTS:
            create_user(session, username, name, role, password)
    lines = [f"lösenord för alla demokonton: {password}"]
    lines += [f"{u}  {n} ({ROLE_LABELS_SV[WebRole(r)]})" for u, n, r in DEMO_ACCOUNTS]
    write_private(out / "var" / ACCOUNTS_FILE, ("\n".join(lines) + "\n").encode())
    return [f"{u} ({ROLE_LABELS_SV[WebRole(r)].lower()})" for u, _, r in DEMO_ACCOUNTS[:2]]


def _audit_reply(demo: _Demo) -> None:
    from arende.services.audit_reply import AuditStart

    demo.section("Svar på revisionens granskning av integration och etablering (seed 001)")
    dnr = demo.start(
        "svar till revisionen",
        "2021-01-19",
        "audit-reply",
        AuditStart(
            organ="ALN",
            sender="REV",
            sender_dnr="REV 2020-00031",
            title="Granskning av integration och etablering i Borås Stad",
            received_on=D("2021-01-18"),
            reply_due=D("2021-04-30"),
            recommendations=[{"addressed_to": [to], "text": text} for to, text in scenarios.AUDIT_RECOMMENDATIONS],
        ),
    )
    demo.decide_chain(
        dnr,
        officer_day="2021-01-20",
        fsg_day="2021-03-10",
        meeting="2021-03-23",
        paragraph=31,
        draft=scenarios.AUDIT_DRAFT,
    )
    demo.sign_and_post("2021-03-23", "2021-03-26", "2021-03-26")
    result = demo.run("svar till revisionen")
    demo.flush()
    demo.console.print(f"  {dnr}: {STATUS_SV.get(str(result['status']), result['status'])}")


def _iop(demo: _Demo) -> None:
    from arende.services import iop
    from arende.services.diary import continue_sequence
    from db.session import session_scope

    demo.section("IOP med Kvinnojouren Borås (beslutad 2021-10-14 § 125)")
    _set_today(D("2021-09-20"))
    with session_scope() as session:
        continue_sequence(session, "ALN", 2021, 102)  # numbers before were issued by the previous diarium
    dnr = demo.start(
        "IOP med Kvinnojouren",
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
    demo.record(
        "2021-09-24", f"{dnr}: överenskommelsens villkor", lambda s: iop.record_terms(s, dnr, scenarios.IOP_TERMS)
    )
    demo.decide_chain(
        dnr,
        officer_day="2021-09-21",
        fsg_day="2021-10-05",
        meeting="2021-10-14",
        paragraph=125,
        draft=scenarios.IOP_DRAFT,
    )
    demo.sign_and_post("2021-10-14", "2021-10-18", "2021-10-19")
    result = demo.run("IOP med Kvinnojouren")
    demo.flush()
    demo.console.print(f"  {dnr}: {STATUS_SV.get(str(result['status']))}, överenskommelsen gäller")


def _february_2022(demo: _Demo) -> None:
    """Arbetslivsnämnden's meeting of 2022-02-15 (seed 003): every errand of its papers as
    a §, with the anmälningsärenden and delegationsbeslut, a kallelse and a protokoll."""
    from arende import scenarios_meeting as sm
    from arende.services import annual_report, iop_supplement
    from arende.services.diary import continue_sequence
    from arende.services.report import ReportStart
    from db.session import session_scope

    demo.section("Arbetslivsnämndens sammanträde 2022-02-15 (seed 003)")
    _set_today(D("2021-11-15"))
    with session_scope() as session:
        continue_sequence(session, "ALN", 2021, 124)  # the seed's Dnr ALN 2021-00124
    integration = demo.start(
        "uppföljning integrerat samhälle",
        "2021-11-15",
        "report",
        ReportStart(organ="ALN", title="Uppföljning på Program för ett integrerat samhälle", classification="3.4.4.25"),
    )
    demo.apply(
        scenarios.decision_facts(
            integration,
            assigned="2021-11-16",
            draft=scenarios.INTEGRATION_DRAFT,
            fsg="2021-12-02",
            meeting=None,
            paragraph=None,
        )
    )
    demo.apply(sm.preparation_facts())
    _set_today(D("2022-01-10"))
    with session_scope() as session:
        continue_sequence(session, "ALN", 2022, 11)  # the seed's Dnr ALN 2022-00011
    ar = demo.start(
        "årsredovisning 2021", "2022-01-10", "annual-report", annual_report.AnnualReportStart(organ="ALN", year=2021)
    )
    ic = demo.start(
        "intern kontroll 2021",
        "2022-01-11",
        "report",
        ReportStart(organ="ALN", title="Uppföljning Intern kontroll 2021", parent=ar, recipients=["Kommunstyrelsen"]),
    )
    cr = demo.start(
        "synpunkter 2021",
        "2022-01-11",
        "report",
        ReportStart(organ="ALN", title="Redovisning av inkomna synpunkter januari – december 2021", parent=ar),
    )
    remiss_dnr = demo.start("remiss KS 2021-00907", "2022-01-19", "remiss", scenarios.remiss_start())
    minorities = demo.start(
        "uppföljning nationella minoriteter",
        "2022-01-19",
        "report",
        ReportStart(
            organ="ALN",
            title="Uppföljning Program för nationella minoriteter",
            classification="1.1.3.1",
            recipients=scenarios.MINORITIES_RECIPIENTS,
        ),
    )
    sup = demo.start(
        "tillägg till IOP 2022",
        "2022-01-20",
        "iop-supplement",
        iop_supplement.SupplementStart(
            agreement_dnr=demo.errands["IOP med Kvinnojouren"][1], year=2022, amount=150_000
        ),
    )
    policy = demo.start(
        "donationsfonderna en gång per år",
        "2022-01-20",
        "report",
        ReportStart(organ="ALN", title="Utdelning Borås Stads sociala donationsfonder"),
    )

    demo.record(
        "2022-01-31",
        f"{ar}: siffrorna för 2021",
        lambda s: annual_report.record_figures(s, ar, annual_report.Figures.model_validate(scenarios.ANNUAL_FIGURES)),
    )
    for dnr, officer_day, draft in (
        (ar, "2022-01-11", scenarios.ANNUAL_REPORT_DRAFT),
        (ic, "2022-01-11", scenarios.INTERNAL_CONTROL_DRAFT),
        (cr, "2022-01-11", scenarios.COMPLAINTS_DRAFT),
        (remiss_dnr, "2022-01-20", scenarios.REMISS_DRAFT),
        (minorities, "2022-01-20", scenarios.MINORITIES_DRAFT),
        (sup, "2022-01-20", scenarios.SUPPLEMENT_DRAFT),
        (policy, "2022-01-21", scenarios.DONATION_POLICY_DRAFT),
    ):
        demo.apply(
            scenarios.decision_facts(
                dnr, assigned=officer_day, draft=draft, fsg="2022-02-03", meeting=None, paragraph=None
            )
        )
    demo.apply(sm.agenda_facts())
    demo.apply(sm.meeting_facts(items=10))
    demo.apply(scenarios.signing_facts(sm.MEETING, "2022-02-18", "2022-02-21", secretary=sm.SECRETARY))
    results = []
    for name in (
        "årsredovisning 2021",
        "intern kontroll 2021",
        "synpunkter 2021",
        "remiss KS 2021-00907",
        "uppföljning nationella minoriteter",
        "uppföljning integrerat samhälle",
        "tillägg till IOP 2022",
        "donationsfonderna en gång per år",
    ):
        results.append(demo.run(name))
    _meeting_papers(demo, sm.ORGAN, sm.MEETING)
    demo.flush()
    for result in results:
        demo.console.print(f"  {result['dnr']}: {STATUS_SV.get(str(result['status']), result['status'])}")


def _meeting_papers(demo: _Demo, organ: str, meeting: str) -> None:
    """The protokoll and the notice, drawn up once the notice is posted."""
    from arende.services.meeting.papers import write_notice, write_protocol
    from db.session import session_scope

    _set_today(D("2022-02-21"))
    with session_scope() as session:
        doc, _ = write_protocol(session, organ, D(meeting), on=D("2022-02-21"))
        write_notice(session, organ, D(meeting))
        demo.meetings.append(doc.meeting_id or 0)
    demo.say("2022-02-21", f"protokollet och anslaget för {organ} {meeting} upprättade")


def _donations(demo: _Demo) -> None:
    """The 2022 round with the applications of generated applicants in a shipped CSV (fake
    names, valid personnummer; arende/demo_data): applications in March, decision in May,
    payout in June. The longest part of the demo: a progress bar shows its steps."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
    from sqlalchemy import func, select

    from arende.services import donations
    from db.models import Application, DonationRound
    from db.session import session_scope

    demo.section("Utdelning ur de sociala donationsfonderna 2022 (genererade sökande)")
    with Progress(TextColumn("  {task.description}"), BarColumn(), TaskProgressColumn(), console=demo.console) as bar:
        task = bar.add_task("ärendet registreras", total=5)

        def step(description: str) -> None:
            bar.update(task, description=description, advance=1)

        dnr = demo.start(
            "utdelning 2022",
            "2022-02-20",
            "donation-payout",
            donations.DonationStart(year=2022, available=scenarios.DONATION_AVAILABLE),
        )
        step("ansökningarna importeras och fördelas")
        demo.apply(scenarios.donation_round_facts(dnr))
        step("tjänsteskrivelse och beslut")
        demo.decide_chain(
            dnr,
            officer_day="2022-04-01",
            fsg_day=None,
            meeting="2022-05-17",
            paragraph=60,
            draft=scenarios.DONATION_DRAFT,
        )
        step("justering och anslag")
        demo.sign_and_post("2022-05-17", "2022-05-20", "2022-05-20")
        step("expediering och utbetalningsfil")
        _set_today(D("2022-05-23"))
        result = demo.run("utdelning 2022")
        step("klart")
    with session_scope() as session:
        counts = dict(
            session.execute(
                select(Application.status, func.count())
                .join(DonationRound, DonationRound.id == Application.round_id)
                .where(DonationRound.errand_id == demo.errands["utdelning 2022"][0])
                .group_by(Application.status)
            ).all()
        )
    demo.flush()
    # Counted from what was recorded, not written in: the CSV decides them.
    said = {"granted": "beviljade", "not_granted": "ej beviljade", "rejected": "avvisade", "duplicate": "dubbletter"}
    parts = [f"{counts[k]} {v}" for k, v in said.items() if counts.get(k)]
    demo.console.print(f"  {sum(counts.values())} ansökningar: " + ", ".join(parts))
    status = STATUS_SV.get(str(result["status"]))
    demo.console.print(f"  {dnr}: {status} (utbetalningsfilen skrevs en gång, för {D('2022-06-15')})")


def _archive(console: Console, out: Path) -> list[tuple[Path, bool]]:
    """The PDF/A archive copies, in one LibreOffice run, copied beside the documents."""
    from sqlalchemy import select

    from arende.services.archive import archive_pending
    from db.models import Document
    from db.session import session_scope

    result = archive_pending()
    if result.missing_libreoffice:
        console.print("LibreOffice finns inte: inga PDF/A-arkivexemplar (dokumenten i .docx är skrivna)")
        return []
    console.print(f"{result.converted} PDF/A-arkivexemplar skrivna på {result.seconds:.1f} s (en LibreOffice-process)")
    files = []
    with session_scope() as session:
        for doc in session.scalars(select(Document).where(Document.archive_path.is_not(None))):
            name = Path(doc.file_name or Path(doc.storage_path or "").name).with_suffix(".pdf").name
            files.append((write_private(out / name, Path(doc.archive_path or "").read_bytes()), False))
    return files


def _export(demo: _Demo, out: Path) -> list[tuple[Path, bool]]:
    """Copy the newest version of each produced document to OUT under a readable name."""
    from sqlalchemy import select

    from db.models import Document
    from db.session import session_scope

    latest: dict[tuple[int | None, str], Document] = {}
    with session_scope() as session:
        ids = [v[0] for v in demo.errands.values()]
        for doc in session.scalars(
            select(Document)
            .where(Document.errand_id.in_(ids), Document.storage_path.is_not(None))
            .order_by(Document.id)
        ):
            latest[(doc.errand_id, doc.kind or "document")] = doc
        for doc in session.scalars(
            select(Document).where(Document.meeting_id.in_(demo.meetings)).order_by(Document.id)
        ):
            latest[(None, f"{doc.meeting_id}-{doc.kind}")] = doc
    files = []
    for doc in latest.values():
        if doc.is_secret:
            # The payout file and the secret appendix hold personal data: they stay where
            # the system keeps them, owner-only; the summary says where.
            files.append((Path(doc.storage_path or ""), True))
            continue
        target = out / (doc.file_name or Path(doc.storage_path or "").name)
        write_private(target, Path(doc.storage_path or "").read_bytes())
        files.append((target, False))
    return sorted(files, key=lambda f: (f[1], f[0].name))


def _summary(console: Console, demo: _Demo, files: list[tuple[Path, bool]], elapsed: float) -> None:
    from arende.services.iop_calendar import list_agreements
    from arende.services.queries import errand_view
    from arende.swedish import number
    from db.session import session_scope

    console.print()
    with session_scope() as session:
        for _, dnr in demo.errands.values():
            view = errand_view(session, dnr)
            decision = (view.decision or "inget beslut").split(":", 1)[0]
            console.print(
                f"[bold]{view.dnr}[/bold] {view.title}\n  {STATUS_SV.get(view.status, view.status)} · {decision}"
            )
            steps = " · ".join(
                f"{STEP_LABELS_SV[Step(s.step)].lower()} {s.done_on or ''}".strip()
                for s in view.steps
                if s.state != "waiting" and s.state != "pending"
            )
            waiting = next((s for s in view.steps if s.state == "waiting"), None)
            console.print(
                f"  steg: {steps}" + (f" · väntar på {STEP_LABELS_SV[Step(waiting.step)].lower()}" if waiting else "")
            )
            for d in view.deadlines:
                if d["status"] == "open":
                    console.print(f"  frist: {d['description']} {d['due_on']}")
        agreements = list_agreements(session)
    for a in agreements:
        console.print(
            f"IOP nr {a.number} {a.partner}: {a.starts_on} – {a.ends_on}, sägs upp senast "
            f"{a.notice_last_day}, {number(a.amount_this_year)} kr år {a.year}"
        )
    public = [f for f, secret in files if not secret]
    console.print(f"{len(public)} dokument skrivna till {public[0].parent if public else '-'}:")
    for f in public:
        console.print(f"  {f.name}")
    for f, secret in files:
        if secret:
            console.print(f"  sekretess, kopieras inte; bara ägaren kan läsa den där systemet förvarar den: {f}")
    console.print(f"demon klar på {elapsed:.1f} s")
