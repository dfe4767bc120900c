"""The närvaro of a meeting: who was there, who served for whom, who was absent; a new
närvaro never drops someone the protocol already shows taking part."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput
from arende.rules.clock import Fact
from arende.rules.workflow import Presence
from arende.services.common import audit, keep_to_clock
from arende.services.meeting.members import seat_of, seats_on
from arende.services.meeting.plan import find_meeting
from arende.services.meeting.proceedings import check_open
from db.models import (
    Attendance,
    Decision,
    Meeting,
    ParagraphEntry,
    Person,
    Vote,
)


@dataclass(frozen=True)
class Present:
    """One line of the närvaro as the secretary gives it."""

    name: str
    presence: Presence
    replaces: str | None = None  # a tjänstgörande ersättare's member
    title: str | None = None  # an official's title
    note: str | None = None  # "§ 12-15"


def record_attendance(session: Session, organ_code: str, held_on: dt.date, present: list[Present]) -> list[Attendance]:
    """The närvaro, as a whole: given again it replaces the list (until justering).
    Members neither present nor replaced are absent."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    keep_to_clock(Fact.ATTENDANCE, held_on)
    check_open(meeting)
    organ = meeting.organ
    names = [p.name for p in present]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise InvalidInput("present", f"{twice[:60]!r} is listed twice", sv=f"{twice[:60]!r} står två gånger")
    rows: list[Attendance] = []
    replaced: set[str] = set()
    for p in present:
        person_id = replaces_id = None
        if p.presence is not Presence.OVRIG:
            seat = seat_of(session, organ, held_on, p.name, "present")
            person_id = seat.person.id
            if p.presence is Presence.LEDAMOT and not seat.serving:
                raise Conflict("present", f"{p.name} is an ersättare; an ersättare serves in a member's place")
            if p.presence in (Presence.TJANSTGORANDE, Presence.ERSATTARE) and seat.serving:
                raise Conflict("present", f"{p.name} is a member, not an ersättare")
        if p.presence is Presence.TJANSTGORANDE:
            if not p.replaces:
                raise InvalidInput("replaces", f"name the member {p.name} serves for")
            member = seat_of(session, organ, held_on, p.replaces, "replaces")
            if not member.serving or p.replaces in names or p.replaces in replaced:
                raise Conflict(
                    "replaces", f"{p.replaces} is present or already replaced; {p.name} cannot serve for them"
                )
            replaced.add(p.replaces)
            replaces_id = member.person.id
        rows.append(
            Attendance(
                meeting_id=meeting.id,
                person_id=person_id,
                name=p.name,
                function=p.presence.value,
                replaces_person_id=replaces_id,
                title=p.title,
                note=p.note,
            )
        )
    absent = [
        s.person
        for s in seats_on(session, organ, held_on)
        if s.serving and s.person.name not in names  # a member replaced is absent too
    ]
    rows += [
        Attendance(meeting_id=meeting.id, person_id=p.id, name=p.name, function=Presence.FRANVARANDE.value)
        for p in absent
    ]
    _keeps_who_took_part(session, meeting, rows)
    before = _attendance_key(session, meeting)
    after = sorted((r.name, r.function, r.replaces_person_id, r.title, r.note) for r in rows)
    if before == after:
        return attendance_of(session, meeting)
    session.execute(delete(Attendance).where(Attendance.meeting_id == meeting.id))
    session.add_all(rows)
    session.flush()
    audit(
        session,
        "meeting.attendance",
        meeting_id=meeting.id,
        after={"present": names, "absent": [p.name for p in absent]},
    )
    return attendance_of(session, meeting)


def _keeps_who_took_part(session: Session, meeting: Meeting, rows: list[Attendance]) -> None:
    """A new närvaro may not drop someone the protocol already shows taking part: who
    voted must still serve, who made an entry must still be there."""
    serving_ids = {r.person_id for r in rows if r.function in (Presence.LEDAMOT.value, Presence.TJANSTGORANDE.value)}
    present_ids = {r.person_id for r in rows if r.function != Presence.FRANVARANDE.value}
    spare_ids = {r.person_id for r in rows if r.function == Presence.ERSATTARE.value}
    # An ersättare stepping in for a member with jäv serves in that § only.
    stepped_in = session.execute(
        select(Person.name, Decision.paragraph, ParagraphEntry.substitute_person_id, Decision.id)
        .join(ParagraphEntry, ParagraphEntry.substitute_person_id == Person.id)
        .join(Decision, Decision.id == ParagraphEntry.decision_id)
        .where(Decision.meeting_id == meeting.id)
    ).all()
    for name, paragraph, person_id, _ in stepped_in:
        if person_id not in spare_ids:
            raise Conflict(
                "present",
                f"{name} serves in § {paragraph} for a member with jäv; the närvaro must show them as ersättare",
                sv=f"{name} tjänstgör i § {paragraph} för en ledamot med jäv; närvaron måste visa hen som ersättare",
            )
    for_jav = {(decision_id, person_id) for _, _, person_id, decision_id in stepped_in}
    voted = session.execute(
        select(Person.name, Decision.paragraph, Vote.person_id, Decision.id)
        .join(Vote, Vote.person_id == Person.id)
        .join(Decision, Decision.id == Vote.decision_id)
        .where(Decision.meeting_id == meeting.id)
        .order_by(Decision.paragraph)
    ).all()
    for name, paragraph, person_id, decision_id in voted:
        if person_id not in serving_ids and (decision_id, person_id) not in for_jav:
            raise Conflict(
                "present",
                f"{name} voted in § {paragraph}; the närvaro must show them serving (record the vote again first)",
                sv=f"{name} röstade i § {paragraph}; närvaron måste visa att hen tjänstgjorde",
            )
    spoke = session.execute(
        select(Person.name, Decision.paragraph, ParagraphEntry.person_id, ParagraphEntry.kind)
        .join(ParagraphEntry, ParagraphEntry.person_id == Person.id)
        .join(Decision, Decision.id == ParagraphEntry.decision_id)
        .where(Decision.meeting_id == meeting.id)
        .order_by(Decision.paragraph)
    ).all()
    for name, paragraph, speaker, kind in spoke:
        if speaker not in present_ids:
            raise Conflict(
                "present",
                f"{name} made a {kind} in § {paragraph}; the närvaro must show them present",
                sv=f"{name} står för {kind} i § {paragraph}; närvaron måste visa hen som närvarande",
            )


def _attendance_key(session: Session, meeting: Meeting) -> list[tuple]:  # type: ignore[type-arg]
    return sorted((r.name, r.function, r.replaces_person_id, r.title, r.note) for r in attendance_of(session, meeting))


def attendance_of(session: Session, meeting: Meeting) -> list[Attendance]:
    return list(session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)))


def present_names(session: Session, meeting: Meeting) -> set[str] | None:
    """Everyone present (None when no närvaro is recorded yet)."""
    rows = attendance_of(session, meeting)
    if not rows:
        return None
    return {r.name for r in rows if r.function != Presence.FRANVARANDE.value}


def serving(session: Session, meeting: Meeting) -> list[Attendance]:
    return [
        r
        for r in attendance_of(session, meeting)
        if r.function in (Presence.LEDAMOT.value, Presence.TJANSTGORANDE.value)
    ]


def serving_ids(session: Session, meeting: Meeting) -> set[int | None]:
    return {r.person_id for r in serving(session, meeting)}


def may_vote(session: Session, meeting: Meeting) -> list[str]:
    """Who may have a vote in some § of the meeting: the members serving, then the
    ersättare present (one serves in a § where a member has jäv)."""
    rows = attendance_of(session, meeting)
    spare = [r.name for r in rows if r.function == Presence.ERSATTARE.value]
    return [r.name for r in serving(session, meeting)] + spare
