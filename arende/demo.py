"""`arende demo`: Arbetslivsnämnden's errands of February 2022 (seeds/003), each through
its Prefect flow: the annual report 2021 with its two follow-ups, the reply to Kommun-
styrelsen's remiss on the purchaser/provider model, the IOP with Kvinnojouren Borås
(decided 2021-10-14 § 125) and its 2022 supplement of 150 tkr, and a reply to the
auditors' integration report (seed 001, whose fifth recommendation is addressed to
Arbetslivsnämnden).

The errands, their texts and their dates are arende.scenarios, which the tests and the
benchmarks use too; this module runs them through the flows and reports.
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

    def record(self, day: str, label: str, record) -> None:  # type: ignore[no-untyped-def]
        from db.session import session_scope

        _set_today(D(day))
        with session_scope() as session:
            record(session)
        self.console.print(f"  {day} {label}")

    def run(self, name: str) -> dict[str, object]:
        from flows.errands import advance_errand

        result = cast("dict[str, object]", advance_errand(dnr=self.errands[name][1]))
        return result

    def start(self, name: str, day: str, flow_name: str, start) -> str:  # type: ignore[no-untyped-def]
        from arende.settings import get_settings

        _set_today(D(day))
        result = cast("dict[str, object]", self.flows[flow_name](start=start, utförd_av=get_settings().user))
        self.errands[name] = (int(str(result["errand_id"])), str(result["dnr"]))
        self.console.print(f"  {day} registered {result['dnr']}: {name}")
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
            self.console.print(f"  {fact.day} {fact.label}")

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
    from prefect.context import SyncClientContext

    # One Prefect client for all the demo's runs: a new one per run cost ~28 ms each
    # (mostly building a TLS context), a quarter of an in-process flow run.
    with SyncClientContext.get_or_create():
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
    demo.record("2021-09-24", f"{dnr}: terms of the agreement", lambda s: iop.record_terms(s, dnr, scenarios.IOP_TERMS))
    demo.decide_chain(
        dnr,
        officer_day="2021-09-21",
        fsg_day="2021-10-05",
        meeting="2021-10-14",
        paragraph=125,
        draft=scenarios.IOP_DRAFT,
    )
    demo.sign_and_post("2021-10-14", "2021-10-18", "2021-10-19")
    result = demo.run("IOP Kvinnojouren")
    demo.console.print(f"  {dnr}: {result['status']}, waiting at {result['waiting_at']} (in force)")


def _february_2022(demo: _Demo) -> None:
    """Arbetslivsnämnden's meeting of 2022-02-15 (seed 003): every errand of its papers as
    a §, with the anmälningsärenden and delegationsbeslut, a kallelse and a protokoll."""
    from arende import scenarios_meeting as sm
    from arende.services import annual_report, iop_supplement
    from arende.services.diary import continue_sequence
    from arende.services.report import ReportStart
    from db.session import session_scope

    demo.console.print("[bold]Arbetslivsnämnden 2022-02-15[/bold]")
    _set_today(D("2021-11-15"))
    with session_scope() as session:
        continue_sequence(session, "ALN", 2021, 124)  # the seed's Dnr ALN 2021-00124
    integration = demo.start(
        "integration follow-up",
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
    remiss_dnr = demo.start("remiss KS 2021-00907", "2022-01-19", "remiss", scenarios.remiss_start())
    minorities = demo.start(
        "minorities follow-up",
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
        "IOP supplement 2022",
        "2022-01-20",
        "iop-supplement",
        iop_supplement.SupplementStart(agreement_dnr=demo.errands["IOP Kvinnojouren"][1], year=2022, amount=150_000),
    )
    policy = demo.start(
        "donation funds once a year",
        "2022-01-20",
        "report",
        ReportStart(organ="ALN", title="Utdelning Borås Stads sociala donationsfonder"),
    )

    demo.record(
        "2022-01-31",
        f"{ar}: figures for 2021",
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
    for name in (
        "annual report 2021",
        "internal control 2021",
        "complaints 2021",
        "remiss KS 2021-00907",
        "minorities follow-up",
        "integration follow-up",
        "IOP supplement 2022",
        "donation funds once a year",
    ):
        result = demo.run(name)
        demo.console.print(f"  {result['dnr']}: {result['status']}")
    _meeting_papers(demo, sm.ORGAN, sm.MEETING)


def _meeting_papers(demo: _Demo, organ: str, meeting: str) -> None:
    """The protokoll and the notice, drawn up once the notice is posted."""
    from arende.services.meeting.papers import write_notice, write_protocol
    from db.session import session_scope

    _set_today(D("2022-02-21"))
    with session_scope() as session:
        doc, _ = write_protocol(session, organ, D(meeting), on=D("2022-02-21"))
        write_notice(session, organ, D(meeting))
        demo.meetings.append(doc.meeting_id or 0)
    demo.console.print(f"  2022-02-21 protokoll and anslag of {organ} {meeting} drawn up")


def _donations(demo: _Demo) -> None:
    """The 2022 round with 408 applications from generated applicants (fake names, valid
    personnummer; arende/demo_data): applications in March, decision in May, payout in June."""
    from arende.services import donations

    demo.console.print("[bold]Donation funds 2022 (generated applicants)[/bold]")
    dnr = demo.start(
        "donations 2022",
        "2022-02-20",
        "donation-payout",
        donations.DonationStart(year=2022, available=scenarios.DONATION_AVAILABLE),
    )
    demo.apply(scenarios.donation_round_facts(dnr))
    demo.decide_chain(
        dnr,
        officer_day="2022-04-01",
        fsg_day=None,
        meeting="2022-05-17",
        paragraph=60,
        draft=scenarios.DONATION_DRAFT,
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
        target = out / (doc.file_name or Path(doc.storage_path or "").name)
        # The payout file and the secret appendix hold personal data: owner-only copies.
        write_private(target, Path(doc.storage_path or "").read_bytes())
        files.append((target, doc.is_secret))
    return sorted(files)


def _summary(console: Console, demo: _Demo, files: list[tuple[Path, bool]], elapsed: float) -> None:
    from arende.services.iop_calendar import list_agreements
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
