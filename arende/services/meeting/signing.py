"""The protocol signed and the notice posted: justering (the whole protocol, or one §
declared omedelbart justerad) and anslag (KL 8:12). Every errand decided at the meeting
moves on; a late notice is recorded and flagged, never refused."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput
from arende.rules.clock import Fact
from arende.rules.lifecycles import MeetingState, meeting_move
from arende.rules.procedure import anslag_is_late, appeal_ends, notice_taken_down
from arende.services.common import audit, keep_to_clock
from arende.services.meeting.plan import find_meeting
from db.models import Decision, Meeting


def _errands_of_meeting(session: Session, meeting: Meeting) -> list[int]:
    return list(
        session.scalars(
            select(Decision.errand_id)
            .where(Decision.meeting_id == meeting.id, Decision.errand_id.is_not(None))
            .order_by(Decision.paragraph)
        )
    )


def record_justering(
    session: Session,
    organ_code: str,
    meeting_on: dt.date,
    *,
    justerad_on: dt.date,
    chair: str | None,
    justerare: list[str],
    secretary: str | None = None,
    paragraph: int | None = None,
    from_round: bool = False,
) -> list[int]:
    """The chair and the justerare sign the protocol: every § of the meeting moves on.
    With `paragraph`, they sign that § alone, declared omedelbart justerad (OJ). While
    the protocol is out for digital signing, the round records the justering (its last
    signature), not this command."""
    meeting = find_meeting(session, organ_code, meeting_on, lock=True)
    if not from_round:
        from arende.services.meeting.sign_round import open_round

        if open_round(session, meeting, paragraph) is not None:
            raise Conflict(
                "meeting",
                f"the protocol of {meeting_on} is out for digital signing: it is justerat when the last "
                "signatory signs (arende sign status)",
                sv=f"protokollet från {meeting_on} är ute för digital justering; det justeras med sista underskriften",
            )
    names = [j.strip() for j in justerare if j.strip()]
    chosen = list(meeting.justerare) if meeting.justerad_on is None else []
    if not names:
        names = chosen
    if not names:
        raise InvalidInput(
            "justerare",
            "name at least one justerare (or record who the meeting chose: meeting held --justerare)",
            sv="ange minst en justerare",
        )
    if chosen and paragraph is None and names != chosen:
        raise Conflict(
            "justerare",
            f"the meeting chose {', '.join(chosen)} to justera; record another choice with `meeting held` first",
            sv=f"sammanträdet valde {', '.join(chosen)} att justera",
        )
    chair_name = (chair or meeting.chair or "").strip()
    if not chair_name:
        raise InvalidInput(
            "chair", "name the chair who signs the protocol", sv="ange ordföranden som skriver under protokollet"
        )
    keep_to_clock(Fact.JUSTERAD, justerad_on, earlier={Fact.MEETING: meeting_on})
    from arende.services.meeting.attendance import present_names
    from arende.services.meeting.members import seats_on

    seated = {seat.person.name: seat.person.id for seat in seats_on(session, meeting.organ, meeting_on)}
    if chair is not None and seated and chair_name not in seated:  # with members recorded, the chair is one
        raise Conflict(
            "chair",
            f"{chair_name[:60]!r} is no member of {meeting.organ.code} on {meeting_on}; see `arende member list`",
            sv=f"{chair_name[:60]!r} är inte ledamot i {meeting.organ.code} {meeting_on}",
        )

    present = present_names(session, meeting)
    if present is not None:  # with a närvaro recorded, the justerare were there
        absent = [n for n in names if n not in present]
        if absent:
            raise Conflict(
                "justerare",
                f"{absent[0]} was not present at the meeting of {meeting_on} and cannot justera its protocol",
                sv=f"{absent[0]} var inte närvarande vid sammanträdet {meeting_on}",
            )
    if paragraph is not None:
        return _justera_immediately(session, meeting, paragraph, justerad_on, chair_name, names)
    if meeting.justerad_on is not None:
        if (meeting.justerad_on, meeting.chair, list(meeting.justerare)) == (justerad_on, chair_name, names):
            return _errands_of_meeting(session, meeting)
        raise Conflict(
            "meeting",
            f"the protocol of {meeting_on} was already signed on {meeting.justerad_on}",
            sv=f"protokollet från {meeting_on} justerades redan {meeting.justerad_on}",
        )
    if chair_name != meeting.chair or meeting.chair_person_id is None:  # the chair who signs, as a person
        meeting.chair_person_id = seated.get(chair_name)
    meeting.justerad_on, meeting.chair, meeting.justerare = justerad_on, chair_name, names
    meeting.justerare_person_ids = _persons(session, meeting, names, seated)
    meeting.status = meeting_move(meeting.status, MeetingState.JUSTERAD, what=f"the meeting of {meeting_on}")
    if secretary and secretary.strip() != meeting.secretary:
        # A secretary named at justering, as written; the person is the organ's only when
        # the names agree (someone else stands in: the name alone, never a guess).
        meeting.secretary = secretary.strip()
        if meeting.secretary_person_id is not None:
            from db.models import Person

            person = session.get(Person, meeting.secretary_person_id)
            if person is None or person.name != meeting.secretary:
                meeting.secretary_person_id = None
    audit(
        session,
        "fact.justerad",
        meeting_id=meeting.id,
        after={
            "justerad_on": justerad_on,
            "chair": chair_name,
            "justerare": names,
            "late": justerad_on > meeting.justering_due,
        },
    )
    return _errands_of_meeting(session, meeting)


def chosen_justerare(session: Session, meeting: Meeting, names: list[str]) -> None:
    """Val av justerare at the meeting: printed in the protocol before anyone signs, and
    the ones who sign at justering."""
    meeting.justerare = [n.strip() for n in names if n.strip()]
    meeting.justerare_person_ids = _persons(session, meeting, meeting.justerare)


def _persons(
    session: Session, meeting: Meeting, names: list[str], seated: dict[str, int] | None = None
) -> list[int | None]:
    """The justerare as persons: who was present under the name (the närvaro), else who held
    a seat that day (`seated`, when the caller has read the seats already); None for a name
    that is neither (kept as written)."""
    from arende.services.meeting.attendance import attendance_of
    from arende.services.meeting.members import seats_on

    if seated is None:
        seated = {s.person.name: s.person.id for s in seats_on(session, meeting.organ, meeting.held_on)}
    by_name: dict[str, int | None] = dict(seated)
    by_name |= {a.name: a.person_id for a in attendance_of(session, meeting) if a.person_id is not None}
    return [by_name.get(name) for name in names]


def _immediate(session: Session, meeting: Meeting, paragraph: int) -> Decision:
    from arende.services.meeting.proceedings import immediate_decision

    return immediate_decision(session, meeting, paragraph)


def _justera_immediately(
    session: Session, meeting: Meeting, paragraph: int, justerad_on: dt.date, chair: str, names: list[str]
) -> list[int]:
    """An OJ § is signed at the meeting, the same day (KL 5:70)."""
    decision = _immediate(session, meeting, paragraph)
    if justerad_on != meeting.held_on:
        raise InvalidInput(
            "date",
            f"a § declared omedelbart justerad is signed at the meeting, on {meeting.held_on}",
            sv=f"en omedelbart justerad § justeras vid sammanträdet, {meeting.held_on}",
        )
    errands = [decision.errand_id] if decision.errand_id else []
    if decision.justerad_on is not None:
        return errands  # already signed (a command retried)
    decision.justerad_on = justerad_on
    if not meeting.justerare:
        meeting.chair, meeting.justerare = chair, names
        meeting.justerare_person_ids = _persons(session, meeting, names)
    audit(
        session,
        "fact.justerad",
        meeting_id=meeting.id,
        errand_id=decision.errand_id,
        after={"justerad_on": justerad_on, "paragraph": paragraph, "chair": chair, "justerare": names, "oj": True},
    )
    return errands


def _anslag_immediately(session: Session, meeting: Meeting, paragraph: int, posted_on: dt.date) -> list[int]:
    decision = _immediate(session, meeting, paragraph)
    if decision.justerad_on is None:
        raise Conflict(
            "paragraph",
            f"§ {paragraph} is not signed yet; record `arende justera ... --paragraph {paragraph}` first",
            sv=f"§ {paragraph} är inte justerad än",
        )
    keep_to_clock(Fact.POSTED, posted_on, earlier={Fact.JUSTERAD: decision.justerad_on})
    errands = [decision.errand_id] if decision.errand_id else []
    if decision.anslag_posted_on is not None:
        if decision.anslag_posted_on == posted_on:
            return errands
        raise Conflict("paragraph", f"the notice for § {paragraph} was already posted on {decision.anslag_posted_on}")
    decision.anslag_posted_on = posted_on
    decision.appeal_ends_on = appeal_ends(posted_on)
    decision.anslag_removed_on = notice_taken_down(posted_on)
    audit(
        session,
        "fact.anslag",
        meeting_id=meeting.id,
        errand_id=decision.errand_id,
        after={
            "paragraph": paragraph,
            "posted_on": posted_on,
            "appeal_ends_on": decision.appeal_ends_on,
            "late": anslag_is_late(decision.justerad_on, posted_on),
        },
    )
    return errands


def record_anslag(
    session: Session,
    organ_code: str,
    meeting_on: dt.date,
    *,
    posted_on: dt.date,
    minutes_kept_at: str | None = None,
    paragraph: int | None = None,
) -> list[int]:
    meeting = find_meeting(session, organ_code, meeting_on, lock=True)
    if paragraph is not None:
        return _anslag_immediately(session, meeting, paragraph, posted_on)
    if meeting.justerad_on is None:
        raise Conflict(
            "meeting",
            f"the protocol of {meeting_on} is not signed yet; record justering first",
            sv=f"protokollet från {meeting_on} är inte justerat än; registrera justeringen först",
        )
    keep_to_clock(Fact.POSTED, posted_on, earlier={Fact.JUSTERAD: meeting.justerad_on})
    # KL 8:12 wants the notice up by the second day after justering; one posted later is
    # still valid and the appeal period runs from the day it went up: record it, flag it
    # (the audit row and `anslag_is_late`), never refuse and stall the errands.
    late = anslag_is_late(meeting.justerad_on, posted_on)
    if meeting.anslag_posted_on is not None:
        if meeting.anslag_posted_on == posted_on:
            return _errands_of_meeting(session, meeting)
        raise Conflict(
            "meeting",
            f"the notice for {meeting_on} was already posted on {meeting.anslag_posted_on}",
            sv=f"anslaget för {meeting_on} sattes redan upp {meeting.anslag_posted_on}",
        )
    meeting.anslag_posted_on = posted_on
    meeting.status = meeting_move(meeting.status, MeetingState.ANSLAGEN, what=f"the meeting of {meeting_on}")
    meeting.appeal_ends_on = appeal_ends(posted_on)
    meeting.anslag_removed_on = notice_taken_down(posted_on)
    meeting.minutes_kept_at = (minutes_kept_at or f"{meeting.organ.office or meeting.organ.name}").strip()
    audit(
        session,
        "fact.anslag",
        meeting_id=meeting.id,
        after={
            "posted_on": posted_on,
            "appeal_ends_on": meeting.appeal_ends_on,
            "removed_on": meeting.anslag_removed_on,
            "late": late,
        },
    )
    return _errands_of_meeting(session, meeting)
