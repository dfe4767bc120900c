"""What members say and do in a §: yrkanden, reservationer, protokollsanteckningar,
särskilda yttranden, jäv, and open votes counted against who served."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput, NotFound
from arende.rules.clock import Fact
from arende.rules.workflow import Choice, DecisionOutcome, EntryKind, Presence, Role
from arende.services.common import audit, keep_to_clock
from arende.services.meeting.attendance import attendance_of, present_names, serving, serving_ids
from arende.services.meeting.members import seats_on
from arende.services.meeting.plan import find_meeting
from arende.services.meeting.proceedings import check_open, decision_at
from db.models import (
    Decision,
    Meeting,
    ParagraphEntry,
    Person,
    Vote,
)


def _jav_ids(session: Session, decision: Decision) -> set[int]:
    return set(
        session.scalars(
            select(ParagraphEntry.person_id).where(
                ParagraphEntry.decision_id == decision.id, ParagraphEntry.kind == EntryKind.JAV.value
            )
        )
    )


def add_entry(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    paragraph: int,
    kind: EntryKind,
    *,
    by: str | None,
    text: str | None,
) -> ParagraphEntry:
    """A yrkande, reservation, protokollsanteckning, särskilt yttrande or jäv on a §.
    The person must be present; whoever has jäv takes no part (no yrkande, no vote, no
    reservation)."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    keep_to_clock(Fact.PARAGRAPH, held_on)
    check_open(meeting)
    decision = decision_at(session, meeting, paragraph)
    person = None
    if by is not None:
        present = present_names(session, meeting)
        if present is None:
            raise Conflict("by", "record the närvaro first: who was there decides who may speak and vote")
        if by not in present:
            raise Conflict("by", f"{by[:60]!r} was not present at the meeting of {held_on}")
        # The person present under that name at this meeting (never a namesake elsewhere).
        row = next(
            (r for r in attendance_of(session, meeting) if r.name == by and r.function != Presence.FRANVARANDE.value),
            None,
        )
        person = session.get(Person, row.person_id) if row is not None and row.person_id is not None else None
        if person is None and kind is not EntryKind.PROTOKOLLSANTECKNING:
            raise NotFound("by", f"{by[:60]!r} is not a member")
        if person is not None and kind is not EntryKind.JAV and person.id in _jav_ids(session, decision):
            raise Conflict("by", f"{by} has jäv in § {paragraph} and takes no part in it")
        if kind is EntryKind.RESERVATION and (person is None or person.id not in serving_ids(session, meeting)):
            raise Conflict(
                "by",
                f"{by[:60]} did not serve in § {paragraph}; only a member who took part in the decision may reserve",
                sv=f"{by[:60]} tjänstgjorde inte i § {paragraph}; bara den som deltog i beslutet kan reservera sig",
            )
        if (
            person is not None
            and kind is EntryKind.JAV
            and session.scalar(select(Vote.id).where(Vote.decision_id == decision.id, Vote.person_id == person.id))
        ):
            raise Conflict("by", f"{by} voted in § {paragraph}; jäv means taking no part")
    elif kind is not EntryKind.PROTOKOLLSANTECKNING:
        raise InvalidInput("by", "name who made it", sv="ange vem")
    if (
        kind in (EntryKind.YRKANDE, EntryKind.PROTOKOLLSANTECKNING, EntryKind.SARSKILT_YTTRANDE)
        and not (text or "").strip()
    ):
        raise InvalidInput("text", "give the text", sv="ange texten")
    person_id = person.id if person else None
    same = session.scalar(
        select(ParagraphEntry).where(
            ParagraphEntry.decision_id == decision.id,
            ParagraphEntry.kind == kind.value,
            ParagraphEntry.person_id.is_(None) if person_id is None else ParagraphEntry.person_id == person_id,
            ParagraphEntry.text.is_(None) if text is None else ParagraphEntry.text == text,
        )
    )
    if same is not None:
        return same
    last = session.scalar(select(func.max(ParagraphEntry.position)).where(ParagraphEntry.decision_id == decision.id))
    entry = ParagraphEntry(
        decision_id=decision.id, kind=kind.value, position=(last or 0) + 1, person_id=person_id, text=text
    )
    session.add(entry)
    session.flush()
    audit(
        session,
        f"paragraph.{kind.value}",
        meeting_id=meeting.id,
        after={"paragraph": paragraph, "by": by, "text": text},
    )
    return entry


@dataclass(frozen=True)
class VoteResult:
    ja: int
    nej: int
    avstar: int
    winner: Choice  # ja or nej; a tie is decided by the chair's vote


def record_vote(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    paragraph: int,
    *,
    ja: list[str],
    nej: list[str],
    avstar: list[str],
) -> VoteResult:
    """An open vote: each serving member present votes ja, nej or avstår exactly once;
    the outcome follows from the count (the chair's vote decides a tie, KL 5:55)."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    keep_to_clock(Fact.VOTE, held_on)
    check_open(meeting)
    decision = decision_at(session, meeting, paragraph)
    voters = serving(session, meeting)
    if not voters:
        raise Conflict("ja", "record the närvaro first: the vote is counted against who served")
    jav = _jav_ids(session, decision)
    entitled = {r.name: r.person_id for r in voters if r.person_id not in jav}
    given = [(n, Choice.JA) for n in ja] + [(n, Choice.NEJ) for n in nej] + [(n, Choice.AVSTAR) for n in avstar]
    names = [n for n, _ in given]
    for name, choice in given:
        if names.count(name) > 1:
            raise InvalidInput(choice.value, f"{name[:60]} votes more than once")
        if name not in entitled:
            why = (
                "has jäv in this §"
                if any(r.name == name and r.person_id in jav for r in voters)
                else "does not serve at this meeting"
            )
            raise Conflict(choice.value, f"{name[:60]} {why} and cannot vote")
    if len(given) != len(entitled):
        missing = sorted(set(entitled) - set(names))
        raise Conflict(
            "ja",
            f"the vote counts {len(given)} but {len(entitled)} members serve; missing: {', '.join(missing)}",
            sv=f"omröstningen räknar {len(given)} men {len(entitled)} ledamöter tjänstgör",
        )
    new = sorted((entitled[n], c.value) for n, c in given)
    old = sorted(
        (p, c) for p, c in session.execute(select(Vote.person_id, Vote.choice).where(Vote.decision_id == decision.id))
    )
    if old != new:
        session.execute(delete(Vote).where(Vote.decision_id == decision.id))
        session.add_all(Vote(decision_id=decision.id, person_id=p, choice=c) for p, c in new)
        decision.outcome = DecisionOutcome.PASSED_AFTER_VOTE.value
        session.flush()
        audit(
            session,
            "paragraph.vote",
            meeting_id=meeting.id,
            after={"paragraph": paragraph, "ja": ja, "nej": nej, "avstar": avstar},
        )
    return vote_result(session, meeting, decision)


def vote_result(session: Session, meeting: Meeting, decision: Decision) -> VoteResult:
    rows = session.execute(
        select(Person.name, Vote.choice)
        .join(Person, Person.id == Vote.person_id)
        .where(Vote.decision_id == decision.id)
    ).all()
    count = {c: sum(1 for _, v in rows if v == c.value) for c in Choice}
    winner = Choice.JA if count[Choice.JA] > count[Choice.NEJ] else Choice.NEJ
    if count[Choice.JA] == count[Choice.NEJ]:
        chair = _chair_present(session, meeting)
        chair_vote = next((v for n, v in rows if n == chair), Choice.JA.value)
        winner = Choice(chair_vote) if chair_vote != Choice.AVSTAR.value else Choice.JA
    return VoteResult(count[Choice.JA], count[Choice.NEJ], count[Choice.AVSTAR], winner)


def _chair_present(session: Session, meeting: Meeting) -> str | None:
    for seat in seats_on(session, meeting.organ, meeting.held_on):
        if seat.role == Role.ORDFORANDE.value:
            return seat.person.name
    return meeting.chair
