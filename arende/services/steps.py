"""The steps a flow advances. Each takes an errand id, runs one transaction, and is
idempotent: a step already done is a no-op, a step whose fact is missing reports
what it waits for. The same functions run inside Prefect tasks and without Prefect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.rules.procedure import anslag_latest
from arende.rules.workflow import CHAIN, Step, StepState
from arende.services.catalogue import errand_type
from arende.services.common import (
    Signing,
    complete_step,
    decision_of,
    load_errand,
    set_deadline,
    signing_of,
    step_row,
    today,
)
from arende.services.documents import (
    draw_up,
    latest_document,
    protocol_extract,
    report_context,
)
from db.models import (
    Decision,
    Distribution,
    Errand,
    FsgConsultation,
    OutboxMessage,
    Recipient,
    Report,
)
from db.session import session_scope

FLOW = "flow"


@dataclass(frozen=True)
class StepOutcome:
    """What a step did; ids and words only, so it is safe as a Prefect task result."""

    step: str
    state: str
    detail: str = ""

    @property
    def waiting(self) -> bool:
        return self.state == StepState.WAITING.value

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _waiting(step: Step, detail: str) -> StepOutcome:
    return StepOutcome(step.value, StepState.WAITING.value, detail)


# What a step note says, in Swedish as the errand's page and the run's artifact show it.
_FSG_SV = {"information": "information (MBL §19)", "negotiation": "förhandling (MBL §11)"}
_OUTCOME_SV = {"returned": "återremitterat", "tabled": "bordlagt", "rejected": "avslaget", "noted": "noterat"}


def _done(step: Step, detail: str = "") -> StepOutcome:
    return StepOutcome(step.value, StepState.DONE.value, detail)


def _assign(session: Session, errand: Errand) -> StepOutcome:
    if errand.officer is None:
        return _waiting(Step.ASSIGN, "ingen handläggare utsedd")
    complete_step(session, errand, Step.ASSIGN, done_on=errand.assigned_on, note=errand.officer)
    return _done(Step.ASSIGN, errand.officer)


def _draft(session: Session, errand: Errand) -> StepOutcome:
    report = session.get(Report, errand.id)
    if report is None:
        return _waiting(Step.DRAFT, "tjänsteskrivelsen är inte upprättad")
    # Until the decision a revised report (or a newly recorded FSG) gives a new version
    # of the document, and an unchanged one renders to the same hash: no-op. Once
    # decided the report is frozen, but it is still produced if the flow only gets here
    # after the decision (facts recorded with --no-run, or a run that failed between).
    if decision_of(session, errand.id) is None or latest_document(session, errand.id, "tjansteskrivelse") is None:
        draw_up(session, errand, "tjansteskrivelse", report_context(session, errand, report), report.drafted_on)
        for build in errand_type(errand.errand_type).draft_documents:
            build(session, errand, None, report.drafted_on)
    complete_step(session, errand, Step.DRAFT, done_on=report.drafted_on)
    return _done(Step.DRAFT)


def _fsg(session: Session, errand: Errand) -> StepOutcome:
    fsg = session.get(FsgConsultation, errand.id)
    if fsg is not None:
        kind = _FSG_SV.get(fsg.kind, fsg.kind)
        complete_step(session, errand, Step.FSG, done_on=fsg.held_on, note=kind)
        return _done(Step.FSG, f"{kind} {fsg.held_on}")
    decision = decision_of(session, errand.id)
    if decision is not None:
        note = (
            f"synnerliga skäl: {errand.synnerliga_skal}"
            if errand.synnerliga_skal
            else "beslutat utan FSG (ingen väsentlig förändring)"
        )
        complete_step(session, errand, Step.FSG, done_on=None, state=StepState.SKIPPED, note=note)
        return StepOutcome(Step.FSG.value, StepState.SKIPPED.value, note)
    required = " (krävs: väsentlig förändring, MBL §11)" if errand.fsg_required else ""
    return _waiting(Step.FSG, f"FSG inte registrerad{required}")


def _decision(session: Session, errand: Errand) -> StepOutcome:
    decision = decision_of(session, errand.id)
    if decision is None:
        latest = session.scalar(select(Decision).where(Decision.errand_id == errand.id).order_by(Decision.id.desc()))
        if latest is not None:
            outcome = _OUTCOME_SV.get(latest.outcome, latest.outcome)
            return _waiting(Step.DECISION, f"{outcome} vid sammanträdet {latest.meeting.held_on}")
        return _waiting(Step.DECISION, "väntar på nämndens beslut")
    label = f"§ {decision.paragraph} {decision.meeting.held_on}"
    complete_step(session, errand, Step.DECISION, done_on=decision.meeting.held_on, note=label)
    return _done(Step.DECISION, label)


def _justering(session: Session, errand: Errand) -> StepOutcome:
    signed = _signing(session, errand)
    if signed.justerad_on is None:
        what = "omedelbart justerad § (OJ)" if signed.immediate else "protokollet"
        return _waiting(Step.JUSTERING, f"{what} från {signed.held_on} inte justerat (senast {signed.justering_due})")
    complete_step(session, errand, Step.JUSTERING, done_on=signed.justerad_on, note="OJ" if signed.immediate else None)
    if signed.anslag_posted_on is None:
        set_deadline(
            session,
            errand.id,
            Step.ANSLAG,
            "anslag",
            "Anslag om justering (KL 8:12)",
            anslag_latest(signed.justerad_on),
        )
    return _done(Step.JUSTERING, str(signed.justerad_on))


def _anslag(session: Session, errand: Errand) -> StepOutcome:
    signed = _signing(session, errand)
    if signed.anslag_posted_on is None:
        assert signed.justerad_on is not None  # the chain reaches this step only after justering
        return _waiting(Step.ANSLAG, f"anslaget inte uppsatt (senast {anslag_latest(signed.justerad_on)})")
    complete_step(
        session,
        errand,
        Step.ANSLAG,
        done_on=signed.anslag_posted_on,
        note=f"överklagandetiden går ut {signed.appeal_ends_on}",
    )
    return _done(Step.ANSLAG, f"överklagandetiden går ut {signed.appeal_ends_on}")


def _expediering(session: Session, errand: Errand) -> StepOutcome:
    decision = decision_of(session, errand.id)
    assert decision is not None  # the chain reaches this step only after the decision
    sent_on = today()
    extract, _ = protocol_extract(session, errand, who=FLOW)
    outgoing = [
        build(session, errand, decision, sent_on).id for build in errand_type(errand.errand_type).outgoing_documents
    ] + [extract.id]
    recipients = session.scalars(select(Recipient).where(Recipient.errand_id == errand.id).order_by(Recipient.position))
    count = 0
    for recipient in recipients:
        if session.scalar(
            select(Distribution).where(Distribution.errand_id == errand.id, Distribution.recipient_id == recipient.id)
        ):
            continue
        outbox_id = None
        if recipient.email:
            message = OutboxMessage(
                idempotency_key=f"expediering:{errand.id}:{recipient.id}",
                to_address=recipient.email,
                subject=_subject(errand),
                body=_body(errand, decision),
                attachment_ids=outgoing,
            )
            session.add(message)
            session.flush()
            outbox_id = message.id
        session.add(
            Distribution(
                errand_id=errand.id,
                recipient_id=recipient.id,
                channel="email" if recipient.email else "manual",
                outbox_id=outbox_id,
                expedierad_on=sent_on,
                document_ids=outgoing,
            )
        )
        count += 1
    hook = errand_type(errand.errand_type).on_expedited
    if hook is not None:
        hook(session, errand, sent_on)
    complete_step(session, errand, Step.EXPEDIERING, done_on=sent_on, note=f"{count} mottagare")
    return _done(Step.EXPEDIERING, f"{count} mottagare")


def _close(session: Session, errand: Errand) -> StepOutcome:
    waiting_for = errand_type(errand.errand_type).ready_to_close(session, errand)
    if waiting_for is not None:
        return _waiting(Step.CLOSE, waiting_for)
    complete_step(session, errand, Step.CLOSE, done_on=today())
    return _done(Step.CLOSE)


def _signing(session: Session, errand: Errand) -> Signing:
    decision = decision_of(session, errand.id)
    assert decision is not None
    return signing_of(decision)


def _subject(errand: Errand) -> str:
    # The remiss instruction: the sender's Dnr and the responder's name in the subject.
    if errand.external_ref:
        return f"{errand.external_ref} {errand.organ.name}"
    return f"{errand.dnr} {errand.title}"


def _body(errand: Errand, decision: Decision) -> str:
    meeting, signed = decision.meeting, signing_of(decision)
    return (
        f"Hej,\n\nHärmed översänds {errand.organ.name}s beslut {meeting.held_on} § {decision.paragraph} "
        f"i ärendet {errand.title} (Dnr {errand.dnr}"
        + (f", er beteckning {errand.external_ref}" if errand.external_ref else "")
        + (").\n\nParagrafen justerades omedelbart " if signed.immediate else ").\n\nProtokollet justerades ")
        + f"{signed.justerad_on} och anslogs {signed.anslag_posted_on}.\n\nMed vänlig hälsning\n"
        f"{meeting.secretary or errand.organ.name}\n"
    )


HANDLERS: dict[Step, Callable[[Session, Errand], StepOutcome]] = {
    Step.ASSIGN: _assign,
    Step.DRAFT: _draft,
    Step.FSG: _fsg,
    Step.DECISION: _decision,
    Step.JUSTERING: _justering,
    Step.ANSLAG: _anslag,
    Step.EXPEDIERING: _expediering,
    Step.CLOSE: _close,
}


def run_step(step: Step, errand_id: int) -> StepOutcome:
    with session_scope() as session:
        errand = load_errand(session, errand_id)
        existing = step_row(session, errand_id, step)
        if existing is not None and step is not Step.DRAFT:
            return StepOutcome(step.value, existing.state, existing.note or "")
        return HANDLERS[step](session, errand)


def pending_steps(errand_id: int) -> list[str]:
    """The chain's steps not yet done, in order: a flow runs only these, so a run after
    each new fact does not pay a task run for every step already behind the errand.
    The draft stays in until the decision, since a revised report is rendered anew."""
    from sqlalchemy import select as _select

    from db.models import ErrandStep

    with session_scope() as session:
        done = set(session.scalars(_select(ErrandStep.step).where(ErrandStep.errand_id == errand_id)))
        decided = decision_of(session, errand_id) is not None
    return [s.value for s in CHAIN if s.value not in done or (s is Step.DRAFT and not decided)]


def advance(errand_id: int) -> list[StepOutcome]:
    """Advance an errand without Prefect: the same steps the flow runs, one by one,
    and the floor the orchestrated flow is measured against."""
    outcomes = []
    for name in pending_steps(errand_id):
        outcome = run_step(Step(name), errand_id)
        outcomes.append(outcome)
        if outcome.waiting:
            break
    return outcomes
