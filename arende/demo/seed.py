"""The seed's errands as the demo replays them, section by section: the auditors' report
(seed 001), the IOP, Arbetslivsnämnden's February 2022 meeting (seed 003) and the
donation round."""

from __future__ import annotations

from arende import scenarios
from arende.demo.replay import Replay, set_today
from arende.rules.workflow import STATUS_SV
from arende.scenarios import D


def audit_reply(demo: Replay) -> None:
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


def iop_agreement(demo: Replay) -> None:
    from arende.services import iop
    from arende.services.diary import continue_sequence
    from db.session import session_scope

    demo.section("IOP med Kvinno- och tjejjouren Borås (beslutad 2021-10-14 § 125)")
    set_today(D("2021-09-20"))
    with session_scope() as session:
        continue_sequence(session, "ALN", 2021, 102)  # numbers before were issued by the previous diarium
    dnr = demo.start(
        "IOP med Kvinnojouren",
        "2021-09-20",
        "iop-agreement",
        iop.IopStart(
            organ="ALN",
            number="2",
            # The legal name behind org.nr 864501-5200, as the seed's decision and Parter
            # write it (its titles say "Kvinnojouren Borås").
            partner_name="Kvinno- och tjejjouren Borås",
            partner_orgnr="864501-5200",
            partner_address="Box 979, 501 10 Borås",
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


def february_2022(demo: Replay) -> None:
    """Arbetslivsnämnden's meeting of 2022-02-15 (seed 003): every errand of its papers as
    a §, with the anmälningsärenden and delegationsbeslut, a kallelse and a protokoll."""
    from arende import scenarios_meeting as sm
    from arende.services import annual_report, iop_supplement
    from arende.services.diary import continue_sequence
    from arende.services.report import ReportStart
    from db.session import session_scope

    demo.section("Arbetslivsnämndens sammanträde 2022-02-15 (seed 003)")
    set_today(D("2021-11-15"))
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
            officer=scenarios.INTEGRATION_OFFICER,
        )
    )
    demo.apply(sm.preparation_facts())
    set_today(D("2022-01-10"))
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
            agreement_dnr=demo.errands["IOP med Kvinnojouren"][1],
            year=2022,
            amount=150_000,
            **scenarios.SEED_003["supplement"],
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
    justering, anslag = scenarios.signing_facts(sm.MEETING, "2022-02-18", "2022-02-21", secretary=sm.SECRETARY)
    from arende.services.archive import libreoffice

    if libreoffice() is None:  # no PDF/A to sign without it: justerat on paper, as before
        demo.apply([justering])
    else:
        digital_justering(demo)
    demo.apply([anslag])
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
    meeting_papers(demo, sm.ORGAN, sm.MEETING)
    demo.flush()
    for result in results:
        demo.console.print(f"  {result['dnr']}: {STATUS_SV.get(str(result['status']), result['status'])}")


def digital_justering(demo: Replay) -> None:
    """The protocol sent for digital justering on 2022-02-17 and signed on the 18th by
    the chair and the justerare, each with their own key from the installation's CA (the
    seed's paper justering, made digital; the signatures carry the time they are made)."""
    from arende import scenarios_meeting as sm
    from arende.demo.replay import DEMO_PASSWORD
    from arende.services.accounts import create_user
    from arende.services.meeting.sign_round import sign_next, signer_of, start_round
    from db.session import session_scope

    password = DEMO_PASSWORD[0]
    day = D(sm.MEETING)
    set_today(D("2022-02-17"))
    with session_scope() as session:
        for username, name in sm.SIGNING_ACCOUNTS:
            create_user(session, username, name, "lasare", password, member_of=sm.ORGAN)
        start_round(session, sm.ORGAN, day, on=D("2022-02-17"), who="karin")
    demo.say("2022-02-17", f"protokollet från {sm.MEETING} skickat för digital justering (PDF/A)")
    set_today(D("2022-02-18"))
    for username, name in sm.SIGNING_ACCOUNTS:
        signer = signer_of(username, password)
        with session_scope() as session:
            sign_next(session, sm.ORGAN, day, username=username, signer=signer)
        demo.say("2022-02-18", f"protokollet underskrivet digitalt av {name}")
    demo.say("2022-02-18", f"protokollet från {sm.MEETING} justerat (den sista underskriften)")


def meeting_papers(demo: Replay, organ: str, meeting: str) -> None:
    """The protokoll and the notice, drawn up once the notice is posted."""
    from arende.services.meeting.papers import write_notice, write_protocol
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.sign_view import latest_signed
    from db.session import session_scope

    set_today(D("2022-02-21"))
    with session_scope() as session:
        meeting_row = find_meeting(session, organ, D(meeting))
        # Justerat digitally, the signed PDF/A is the protocol: no paper version after it.
        if latest_signed(session, meeting_row) is None:
            write_protocol(session, organ, D(meeting), on=D("2022-02-21"))
        write_notice(session, organ, D(meeting))
        demo.meetings.append(meeting_row.id)
    demo.say("2022-02-21", f"protokollet och anslaget för {organ} {meeting} upprättade")


def donation_round(demo: Replay) -> None:
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
        set_today(D("2022-05-23"))
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
