"""Handlers of the meeting's commands (arende.commands.meeting): each applies its
command in the caller's transaction and says in a line or two what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from arende.commands import meeting as m
from arende.commands.fields import Command


def _today() -> dt.date:
    from arende.services.common import today

    return today()


def _plan(session: Session, c: m.MeetingPlan) -> list[int]:
    from arende.services.meeting.plan import parse_time, plan_meeting

    meeting = plan_meeting(
        session,
        c.organ,
        c.date,
        starts_at=parse_time(c.time) if c.time else None,
        place=c.place,
        justering_at=c.justering,
        justering_days=c.justering_days,
        justering_date=c.justering_date,
        justering_time=parse_time(c.justering_time, "justering_time") if c.justering_time else None,
        justering_place=c.justering_place,
    )
    print(
        f"{c.organ} {c.date}: {meeting.status}"
        + (f"; justering {meeting.justering_at}" if meeting.justering_at else "")
    )
    return []


def _held(session: Session, c: m.MeetingHeld) -> list[int]:
    from arende.services.meeting.course import record_course
    from arende.services.meeting.plan import parse_time

    meeting = record_course(
        session,
        c.organ,
        c.date,
        justerare=c.justerare,
        agenda_approved=c.agenda_approved,
        ends_at=parse_time(c.ends, "ends") if c.ends else None,
        adjourned=c.adjourned,
    )
    print(f"{c.organ} {c.date}: justerare {', '.join(meeting.justerare) or '-'}")
    return []


def _cancel(session: Session, c: m.MeetingCancel) -> list[int]:
    from arende.services.meeting.plan import cancel_meeting

    cancel_meeting(session, c.organ, c.date, c.reason)
    print(f"{c.organ} {c.date}: cancelled")
    return []


def _member(session: Session, c: m.MemberAdd) -> list[int]:
    from arende.services.meeting.members import add_member

    add_member(
        session,
        c.organ,
        c.name,
        role=c.role,
        valid_from=c.valid_from,
        valid_to=c.valid_to,
        party=c.party,
        email=c.email,
        substitute_order=c.order,
    )
    from arende.rules.workflow import ROLE_SV

    print(f"{c.organ}: {c.name} ({c.party or '-'}) {ROLE_SV[c.role]} from {c.valid_from}")
    return []


def _print_agenda(session: Session, meeting: Any) -> None:
    from arende.services.meeting.agenda import items_of
    from db.models import Errand

    for item in items_of(session, meeting):
        errand = session.get(Errand, item.errand_id) if item.errand_id else None
        print(f"{item.position:>3}. {item.heading}" + (f" (Dnr {errand.dnr})" if errand else f" [{item.kind}]"))


def _agenda(session: Session, c: m.AgendaBuild) -> list[int]:
    from arende.services.meeting.agenda import build_agenda
    from arende.services.meeting.plan import find_meeting

    meeting = find_meeting(session, c.organ, c.date, lock=True)
    build_agenda(session, meeting)
    _print_agenda(session, meeting)
    return []


def _item(session: Session, c: m.AgendaAdd) -> list[int]:
    from arende.services.meeting.agenda import add_item
    from arende.services.meeting.plan import find_meeting

    meeting = find_meeting(session, c.organ, c.date, lock=True)
    add_item(session, meeting, c.kind, heading=c.heading, dnr=c.dnr, proposed=c.proposed)
    _print_agenda(session, meeting)
    return []


def _move(session: Session, c: m.AgendaMove) -> list[int]:
    from arende.services.meeting.agenda import move_item
    from arende.services.meeting.plan import find_meeting

    meeting = find_meeting(session, c.organ, c.date, lock=True)
    move_item(session, meeting, c.item, c.to)
    _print_agenda(session, meeting)
    return []


def _kallelse(session: Session, c: m.SendKallelse) -> list[int]:
    from arende.files import writable_file, write_public
    from arende.services.meeting.kallelse import send_kallelse

    if c.out is not None:
        writable_file("out", c.out)
    doc, data, queued, no_address = send_kallelse(session, c.organ, c.date, on=c.sent or _today())
    if c.out is not None:  # the file first, then the commit
        write_public(c.out, data, "out")
    said = f"{queued} e-brev i utkorgen" if queued else "oförändrad sedan den skickades; inget nytt e-brev"
    print(f"kallelse {c.organ} {c.date}: {said}" + (f", skriven till {c.out}" if c.out else ""))
    if no_address:
        print(f"ingen e-postadress (skicka med post): {', '.join(no_address)}")
    return []


def _attendance(session: Session, c: m.RecordAttendance) -> list[int]:
    from arende.rules.workflow import Presence
    from arende.services.meeting.attendance import Present, record_attendance

    present = [Present(n, Presence.LEDAMOT) for n in c.present]
    for pair in c.serving:
        substitute, _, member = pair.partition("=")
        present.append(Present(substitute.strip(), Presence.TJANSTGORANDE, replaces=member.strip()))
    present += [Present(n, Presence.ERSATTARE) for n in c.ersattare]
    for other in c.other:
        name, _, title = other.partition(",")
        present.append(Present(name.strip(), Presence.OVRIG, title=title.strip() or None))
    rows = record_attendance(session, c.organ, c.date, present)
    absent = [r.name for r in rows if r.function == Presence.FRANVARANDE.value]
    print(f"närvaro {c.organ} {c.date}: {len(rows) - len(absent)} present, absent: {', '.join(absent) or 'none'}")
    return []


def _paragraph(session: Session, c: m.RecordParagraph) -> list[int]:
    from arende.rules.workflow import DecisionOutcome
    from arende.services.meeting.proceedings import record_item

    decision, errand_ids = record_item(
        session,
        c.organ,
        c.date,
        c.item,
        paragraph=c.paragraph,
        text=c.text,
        outcome=DecisionOutcome(c.outcome.value) if c.outcome else None,
        immediate=c.immediate,
        proposition_order=c.proposition_order,
    )
    print(f"{c.organ} {c.date} item {c.item}: § {decision.paragraph}" + (" (OJ)" if decision.immediate else ""))
    return errand_ids


def _entry(session: Session, c: m.RecordEntry) -> list[int]:
    from arende.services.meeting.votes import add_entry

    add_entry(session, c.organ, c.date, c.paragraph, c.kind, by=c.by, text=c.text)
    print(f"§ {c.paragraph}: {c.kind.value}" + (f" by {c.by}" if c.by else ""))
    return []


def _vote(session: Session, c: m.RecordVote) -> list[int]:
    from arende.services.meeting.votes import record_vote

    result = record_vote(
        session,
        c.organ,
        c.date,
        c.paragraph,
        ja=c.ja,
        nej=c.nej,
        avstar=c.avstar,
        ja_for=c.ja_for,
        nej_for=c.nej_for,
        lot=c.lot,
    )
    how = " (ordförandens utslagsröst)" if result.casting else " (lottning)" if result.lot else ""
    print(
        f"§ {c.paragraph}: {result.ja} ja, {result.nej} nej, {result.avstar} avstår; {result.winner.value} vinner{how}"
    )
    return []


def _correct(session: Session, c: m.RecordCorrection) -> list[int]:
    from arende.services.meeting.proceedings import record_correction

    record_correction(
        session, c.organ, c.date, paragraph=c.paragraph, corrected_on=c.corrected or _today(), by=c.by, text=c.text
    )
    print(f"correction noted in the protocol of {c.organ} {c.date}")
    return []


def _anmalan(session: Session, c: m.ReportItemAdd) -> list[int]:
    from arende.services.meeting.agenda import report_item

    report_item(session, c.organ, c.heading, reference=c.reference, received_on=c.received)
    print(f"{c.organ}: anmälningsärende for the next meeting: {c.heading}")
    return []


def _point(session: Session, c: m.DelegationPointAdd) -> list[int]:
    from arende.rules.procedure import AppealRoute
    from arende.services.meeting.delegation import add_point

    add_point(
        session,
        c.organ,
        c.code,
        text=c.text,
        delegate=c.delegate,
        valid_from=c.valid_from,
        appeal=AppealRoute(c.appeal.value),
    )
    print(f"{c.organ}: delegationsordning {c.code} from {c.valid_from}")
    return []


def _delegated(session: Session, c: m.DelegatedDecisionAdd) -> list[int]:
    from arende.services.meeting.delegation import delegated_decision

    delegated_decision(
        session,
        c.organ,
        point=c.point,
        delegate=c.delegate,
        decided_on=c.decided,
        summary=c.summary,
        dnr=c.dnr,
        notified_on=c.notified,
    )
    print(f"{c.organ}: delegationsbeslut for the next meeting: {c.summary}")
    return []


MEETING_HANDLERS: dict[type[Command], Callable[[Session, Any], list[int]]] = {
    m.MeetingPlan: _plan,
    m.MeetingCancel: _cancel,
    m.MeetingHeld: _held,
    m.MemberAdd: _member,
    m.AgendaBuild: _agenda,
    m.AgendaAdd: _item,
    m.AgendaMove: _move,
    m.SendKallelse: _kallelse,
    m.RecordAttendance: _attendance,
    m.RecordParagraph: _paragraph,
    m.RecordEntry: _entry,
    m.RecordVote: _vote,
    m.RecordCorrection: _correct,
    m.ReportItemAdd: _anmalan,
    m.DelegationPointAdd: _point,
    m.DelegatedDecisionAdd: _delegated,
}
