"""Facts that people record: an officer assigned, the report drafted, FSG held, the
decision taken, the protocol signed, the notice posted.

Each function validates everything before it writes, runs in the caller's single
transaction and returns the ids of the errands whose flow should run again. None of
them starts any orchestration: the fact is committed first, whatever happens next.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput
from arende.rules.clock import Fact
from arende.rules.legalcalendar import deadline
from arende.rules.workflow import (
    FINAL_OUTCOMES,
    DecisionOutcome,
    ErrandStatus,
    FsgKind,
    Step,
)
from arende.services.catalogue import errand_type
from arende.services.common import (
    audit,
    decision_of,
    get_errand,
    get_organ,
    keep_to_clock,
    meet_deadline,
    organ_email,
    set_deadline,
)
from arende.services.types import ReportInput
from db.models import Decision, Errand, FsgConsultation, Recipient, Report


def _require_text(field: str, value: str | None) -> str:
    if value is None or not value.strip():
        raise InvalidInput(field, "must not be empty", sv="får inte vara tomt")
    return value.strip()


def _open_before_decision(session: Session, errand: Errand, what: str, what_sv: str) -> None:
    # Ask the recorded decision, not the status: the status moves only when the flow
    # runs, and a fact may be recorded with --no-run in between.
    decision = decision_of(session, errand.id)
    if decision is not None:
        raise Conflict(
            "dnr",
            f"{errand.dnr} was decided as § {decision.paragraph} on {decision.meeting.held_on}; "
            f"{what} can no longer change",
            sv=f"{errand.dnr} är beslutat som § {decision.paragraph} den {decision.meeting.held_on}; "
            f"{what_sv} kan inte längre ändras",
        )


def assign_officer(session: Session, dnr: str, officer: str, on: dt.date, email: str | None = None) -> list[int]:
    """Appoint the officer: an active account whose role does casework, named by its user
    name. The errand keeps the account (who may see its secrets, whose Mina ärenden it
    is) and the name as the documents print it."""
    from arende.rules.access import WebRole, may
    from arende.services.accounts import account_by_username, check_email

    errand = get_errand(session, dnr, lock=True)
    user = account_by_username(session, _require_text("officer", officer))
    if not may(WebRole(user.role), "draft"):
        raise Conflict(
            "officer",
            f"{user.username} ({user.name}) is {user.role}; an officer's account does casework",
            sv=f"{user.username} ({user.name}) är {user.role}; handläggarens konto ska kunna handlägga",
        )
    email = check_email(email) or user.email
    if errand.status == ErrandStatus.CLOSED.value:
        raise Conflict("dnr", f"{errand.dnr} is closed", sv=f"{errand.dnr} är avslutat")
    keep_to_clock(Fact.APPOINTED, on, earlier={Fact.REGISTERED: errand.registered_on})
    if (errand.officer_user_id, errand.assigned_on, errand.officer_email) == (user.id, on, email):
        return [errand.id]  # the same appointment again (a command retried)
    before = {
        "officer": errand.officer,
        "username": _username(session, errand.officer_user_id),
        "assigned_on": errand.assigned_on,
    }
    errand.officer, errand.officer_user_id, errand.assigned_on = user.name, user.id, on
    errand.officer_email = email
    audit(
        session,
        "fact.assigned",
        errand_id=errand.id,
        before=before,
        after={"officer": user.name, "username": user.username, "assigned_on": on},
    )
    return [errand.id]


def _username(session: Session, user_id: int | None) -> str | None:
    from db.models import User

    user = session.get(User, user_id) if user_id is not None else None
    return user.username if user else None


def draft_report(
    session: Session,
    dnr: str,
    *,
    summary: str,
    body: str,
    drafted_on: dt.date,
    stance: str | None = None,
    proposed_decision: str | None = None,
    attachments: list[str] | None = None,
    recipients: list[str] | None = None,
    responses: dict[int, str] | None = None,
) -> list[int]:
    """Record (or revise, until the decision) the officer's report."""
    errand = get_errand(session, dnr, lock=True)
    _open_before_decision(session, errand, "the report", "tjänsteskrivelsen")
    if errand.officer is None:
        raise Conflict(
            "dnr",
            f"{errand.dnr} has no case officer yet; assign one first",
            sv=f"{errand.dnr} har ingen handläggare än; utse en först",
        )
    kind = errand_type(errand.errand_type)
    summary = _require_text("summary", summary) if kind.summary_required else (summary or "").strip()
    body = _require_text("text", body)
    keep_to_clock(Fact.DRAFTED, drafted_on, earlier={Fact.REGISTERED: errand.registered_on})
    part = kind.check_report(session, errand, ReportInput(stance=stance, responses=responses))
    if proposed_decision is None or not proposed_decision.strip():
        if part.default_decision is None:
            raise InvalidInput("decision", "state the proposed decision", sv="skriv förslaget till beslut")
        proposed_decision = part.default_decision
    stance_value = part.stance
    report = session.get(Report, errand.id)
    before = None
    if report is None:
        report = Report(errand_id=errand.id)
        session.add(report)
    else:
        before = {"stance": report.stance, "proposed_decision": report.proposed_decision}
    report.stance = stance_value
    report.proposed_decision = proposed_decision.strip()
    report.summary, report.body, report.drafted_on = summary, body, drafted_on
    report.attachments = [a.strip() for a in (attachments or []) if a.strip()]
    report.details = part.details
    if recipients:
        _replace_recipients(session, errand, recipients)
    audit(
        session,
        "fact.report_drafted",
        errand_id=errand.id,
        before=before,
        after={"stance": stance_value, "proposed_decision": report.proposed_decision, "drafted_on": drafted_on},
    )
    return [errand.id]


def _replace_recipients(session: Session, errand: Errand, names: list[str]) -> None:
    current = session.scalars(select(Recipient).where(Recipient.errand_id == errand.id)).all()
    for row in current:
        session.delete(row)
    session.flush()
    for position, name in enumerate((n.strip() for n in names if n.strip()), start=1):
        session.add(Recipient(errand_id=errand.id, position=position, name=name, email=organ_email(session, name)))


def record_fsg(session: Session, dnr: str, *, held_on: dt.date, kind: str, note: str | None) -> list[int]:
    errand = get_errand(session, dnr, lock=True)
    held = session.get(FsgConsultation, errand.id)
    if held is not None and (held.held_on, held.kind, held.note) == (held_on, kind, note):
        return [errand.id]  # the same FSG again (a command retried): already recorded
    decided = decision_of(session, errand.id)
    if decided is not None and held is None and errand.synnerliga_skal and kind == FsgKind.NEGOTIATION.value:
        # Decided first for synnerliga skäl: the negotiation afterwards (MBL §11) ends
        # the duty that stayed open as a deadline.
        keep_to_clock(Fact.FSG, held_on, earlier={Fact.REGISTERED: errand.registered_on})
        if held_on < decided.meeting.held_on:
            raise InvalidInput(
                "date",
                f"{held_on} is before the decision ({decided.meeting.held_on})",
                sv=f"{held_on} är före beslutet ({decided.meeting.held_on})",
            )
        session.add(FsgConsultation(errand_id=errand.id, held_on=held_on, kind=kind, note=note or None))
        meet_deadline(session, errand.id, step=Step.FSG)
        audit(session, "fact.fsg_after_decision", errand_id=errand.id, after={"held_on": held_on, "note": note})
        return [errand.id]
    _open_before_decision(session, errand, "FSG", "FSG")
    try:
        fsg_kind = FsgKind(kind)
    except ValueError:
        raise InvalidInput("kind", f"{kind!r} is not one of information (MBL §19), negotiation (MBL §11)") from None
    keep_to_clock(Fact.FSG, held_on, earlier={Fact.REGISTERED: errand.registered_on})
    row = session.get(FsgConsultation, errand.id)
    before = None
    if row is None:
        row = FsgConsultation(errand_id=errand.id)
        session.add(row)
    else:
        before = {"held_on": row.held_on, "kind": row.kind, "note": row.note}
    row.held_on, row.kind, row.note = held_on, fsg_kind.value, (note or None)
    audit(
        session,
        "fact.fsg",
        errand_id=errand.id,
        before=before,
        after={"held_on": held_on, "kind": fsg_kind.value, "note": note},
    )
    return [errand.id]


def record_decision(
    session: Session,
    dnr: str,
    *,
    meeting_on: dt.date,
    paragraph: int | None = None,
    outcome: str = DecisionOutcome.PASSED.value,
    text: str | None = None,
    synnerliga_skal: str | None = None,
    agenda_item_id: int | None = None,
    appeal: str | None = None,
) -> list[int]:
    """Record the committee's decision as a numbered § of the meeting's protocol (as the
    § of its agenda item, when the meeting is recorded item by item). `appeal` is the
    route where this § differs from its errand type's (rules.procedure.AppealRoute)."""
    errand = get_errand(session, dnr, lock=True)
    organ = get_organ(session, errand.organ.code, lock=True)  # one writer of this organ's meetings and §
    try:
        outcome_value = DecisionOutcome(outcome)
    except ValueError:
        choices = ", ".join(o.value for o in DecisionOutcome)
        raise InvalidInput("outcome", f"{outcome!r} is not one of {choices}") from None
    recorded = decision_of(session, errand.id)
    if (
        recorded is not None
        and recorded.meeting.held_on == meeting_on
        and paragraph in (None, recorded.paragraph)
        and recorded.outcome == outcome_value.value
        and (text is None or text.strip() == recorded.text)
        and appeal in (None, recorded.appeal_route)
    ):
        # The same decision again (a command retried after a crash): already recorded.
        return [errand.id]
    _open_before_decision(session, errand, "the decision", "beslutet")
    report = session.get(Report, errand.id)
    if report is None:
        raise Conflict(
            "dnr",
            f"{errand.dnr} has no officer's report to decide on",
            sv=f"{errand.dnr} har ingen tjänsteskrivelse att besluta om",
        )
    keep_to_clock(Fact.MEETING, meeting_on, field="meeting", earlier={Fact.DRAFTED: report.drafted_on})
    fsg = session.get(FsgConsultation, errand.id)
    if fsg is not None and fsg.held_on > meeting_on:
        raise Conflict(
            "meeting",
            f"FSG is recorded as held {fsg.held_on}, after the meeting",
            sv=f"FSG är registrerad som hållen {fsg.held_on}, efter sammanträdet",
        )
    skal = (synnerliga_skal or "").strip() or None
    if errand.fsg_required and fsg is None and skal is None:
        raise Conflict(
            "fsg",
            f"{errand.dnr} is a significant change (MBL §11): record FSG first, "
            "or write down the synnerliga skäl for deciding before it",
            sv=f"{errand.dnr} är en väsentlig förändring (MBL §11): registrera FSG först, "
            "eller skriv ned de synnerliga skälen för att besluta före",
        )

    from arende.services.meeting.plan import meeting_for_decision
    from arende.services.meeting.proceedings import take_paragraph

    meeting = meeting_for_decision(session, organ, meeting_on)
    year = meeting_on.year
    paragraph = take_paragraph(session, organ, year, paragraph)

    decision_text = (text or "").strip() or report.proposed_decision
    decision = Decision(
        errand_id=errand.id,
        agenda_item_id=agenda_item_id,
        meeting_id=meeting.id,
        organ_id=organ.id,
        year=year,
        paragraph=paragraph,
        outcome=outcome_value.value,
        text=decision_text,
        appeal_route=appeal,
    )
    session.add(decision)
    if skal is not None and fsg is None:
        errand.synnerliga_skal = skal
        # MBL §11: deciding first does not end the duty to negotiate; it stays open as a
        # deadline (two weeks, local practice) until the negotiation is recorded.
        set_deadline(
            session,
            errand.id,
            Step.FSG,
            "mbl11.negotiation",
            "Förhandling enligt MBL §11 efter beslut av synnerliga skäl",
            deadline(meeting_on, weeks=2),
        )
    session.flush()
    audit(
        session,
        "fact.decided",
        errand_id=errand.id,
        meeting_id=meeting.id,
        after={
            "meeting": meeting_on,
            "paragraph": paragraph,
            "outcome": outcome_value.value,
            "text": decision_text,
            "synnerliga_skal": skal,
        },
    )
    if outcome_value in FINAL_OUTCOMES:
        set_deadline(
            session,
            errand.id,
            Step.JUSTERING,
            "justering",
            f"Justering av protokollet {meeting_on}",
            meeting.justering_due,
        )
    return [errand.id]
