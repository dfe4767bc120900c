"""What members say and do in a §: yrkanden, reservationer, protokollsanteckningar,
särskilda yttranden, jäv, and open votes counted against who served."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from arende.commands.choices import ENUM_LABELS_SV
from arende.errors import Conflict, InvalidInput, NotFound
from arende.rules.clock import Fact
from arende.rules.workflow import Choice, DecisionOutcome, EntryKind, ItemKind, Presence, Role
from arende.services.common import audit, keep_to_clock
from arende.services.meeting.attendance import attendance_of, present_names
from arende.services.meeting.jav import choose_substitute, jav_entries, serving_in
from arende.services.meeting.members import seats_on
from arende.services.meeting.plan import find_meeting
from arende.services.meeting.proceedings import check_open, decision_at
from db.models import (
    AgendaItem,
    Decision,
    Meeting,
    ParagraphEntry,
    Person,
    Vote,
)


def _jav_ids(session: Session, decision: Decision) -> set[int | None]:
    return {e.person_id for e in jav_entries(session, decision)}


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
        if kind is EntryKind.RESERVATION:
            _may_reserve(session, meeting, decision, person, by)
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
    substitute = None
    if (
        kind is EntryKind.JAV
        and person is not None
        and person.id in {v.person_id for v in serving_in(session, meeting, decision)}
    ):
        known = session.scalar(
            select(ParagraphEntry).where(
                ParagraphEntry.decision_id == decision.id,
                ParagraphEntry.kind == kind.value,
                ParagraphEntry.person_id == person.id,
            )
        )
        if known is not None:
            return known
        substitute = choose_substitute(session, meeting, decision, person)
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
        decision_id=decision.id,
        kind=kind.value,
        position=(last or 0) + 1,
        person_id=person_id,
        text=text,
        substitute_person_id=substitute.id if substitute else None,
    )
    session.add(entry)
    session.flush()
    audit(
        session,
        f"paragraph.{kind.value}",
        meeting_id=meeting.id,
        after={"paragraph": paragraph, "by": by, "text": text}
        | ({"serves_instead": substitute.name} if substitute else {}),
    )
    return entry


def _may_reserve(session: Session, meeting: Meeting, decision: Decision, person: Person | None, by: str) -> None:
    """A reservation is by a member who took part in the decision and did not vote for
    it (KL 4:27): serving in the §, and, after a vote, not on the winning side."""
    paragraph = decision.paragraph
    if person is None or person.id not in {v.person_id for v in serving_in(session, meeting, decision)}:
        raise Conflict(
            "by",
            f"{by[:60]} did not serve in § {paragraph}; only a member who took part in the decision may reserve",
            sv=f"{by[:60]} tjänstgjorde inte i § {paragraph}; bara den som deltog i beslutet kan reservera sig",
        )
    choice = session.scalar(select(Vote.choice).where(Vote.decision_id == decision.id, Vote.person_id == person.id))
    if choice is not None and choice == vote_result(session, meeting, decision).winner.value:
        raise Conflict(
            "by",
            f"{by[:60]} voted {choice} in § {paragraph}, for the decision; only one who did not may reserve",
            sv=f"{by[:60]} röstade {choice} i § {paragraph}, för beslutet; bara den som inte gjorde det reserverar sig",
        )


@dataclass(frozen=True)
class VoteResult:
    ja: int
    nej: int
    avstar: int
    winner: Choice  # ja or nej
    casting: bool = False  # a tie decided by the chair's casting vote (KL 5:55)
    lot: bool = False  # an election tied and decided by lot (KL 5:55)


# Items where nothing is decided by the organ itself: nothing to vote on.
_NO_VOTE = {
    ItemKind.INFORMATION.value: "an information item",
    ItemKind.ANMALAN.value: "the anmälningsärenden",
    ItemKind.DELEGATION.value: "the delegationsbeslut",
}


def record_vote(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    paragraph: int,
    *,
    ja: list[str],
    nej: list[str],
    avstar: list[str],
    ja_for: str,
    nej_for: str,
    lot: Choice | None = None,
) -> VoteResult:
    """An open vote on the voteringsproposition (what ja and nej stand for): each member
    serving in the § votes ja, nej or avstår exactly once. A tie is decided by the
    chair's casting vote, an election's by lot (KL 5:55); a vote where no one says ja or
    nej decides nothing and is refused."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    keep_to_clock(Fact.VOTE, held_on)
    check_open(meeting)
    decision = decision_at(session, meeting, paragraph)
    item = session.get(AgendaItem, decision.agenda_item_id) if decision.agenda_item_id else None
    if item is not None and item.kind in _NO_VOTE:
        raise Conflict(
            "paragraph",
            f"§ {paragraph} is {_NO_VOTE[item.kind]}: the organ decides nothing there to vote on",
            sv=f"§ {paragraph} är {ENUM_LABELS_SV.get(item.kind, item.kind).lower()}: där finns inget att rösta om",
        )
    for field, text in (("ja_for", ja_for), ("nej_for", nej_for)):
        if not text.strip():
            raise InvalidInput(
                field,
                "state what the vote's ja and nej stand for (the voteringsproposition)",
                sv="ange vad ja och nej står för (voteringspropositionen)",
            )
    if not ja and not nej:
        raise InvalidInput(
            "ja",
            "no one voted ja or nej: such a vote decides nothing",
            sv="ingen röstade ja eller nej: en sådan omröstning avgör ingenting",
        )
    voters = serving_in(session, meeting, decision)
    if not voters:
        raise Conflict("ja", "record the närvaro first: the vote is counted against who served")
    jav = _jav_ids(session, decision)
    entitled = {v.name: v.person_id for v in voters}
    given = [(n, Choice.JA) for n in ja] + [(n, Choice.NEJ) for n in nej] + [(n, Choice.AVSTAR) for n in avstar]
    names = [n for n, _ in given]
    for name, choice in given:
        if names.count(name) > 1:
            raise InvalidInput(choice.value, f"{name[:60]} votes more than once")
        if name not in entitled:
            why = (
                "has jäv in this §"
                if any(r.name == name and r.person_id in jav for r in attendance_of(session, meeting))
                else "does not serve in this §"
            )
            raise Conflict(choice.value, f"{name[:60]} {why} and cannot vote")
    if len(given) != len(entitled):
        missing = sorted(set(entitled) - set(names))
        raise Conflict(
            "ja",
            f"the vote counts {len(given)} but {len(entitled)} members serve; missing: {', '.join(missing)}",
            sv=f"omröstningen räknar {len(given)} men {len(entitled)} ledamöter tjänstgör",
        )
    election = item is not None and item.kind == ItemKind.VAL.value
    tie = len(ja) == len(nej)
    if lot is not None and not (tie and election):
        raise InvalidInput(
            "lot", "the lot is drawn only when an election is tied", sv="lotten dras bara vid lika röstetal i ett val"
        )
    if tie and election and lot is None:
        raise InvalidInput(
            "lot",
            "the election is tied: the lot decides; give the side it fell on (ja or nej)",
            sv="valet slutade lika: lotten avgör; ange vilken sida den föll på",
        )
    if tie and not election:
        chair = _chair_present(session, meeting)
        chair_vote = next((c for n, c in given if n == chair), None)
        if chair_vote not in (Choice.JA, Choice.NEJ):
            raise Conflict(
                "ja",
                f"the vote is tied: the chair ({chair}) decides with the casting vote, so must vote ja or nej",
                sv=f"lika röstetal: ordföranden ({chair}) har utslagsröst och måste rösta ja eller nej",
            )
    new = sorted((entitled[n], c.value) for n, c in given)
    old = sorted(
        (p, c) for p, c in session.execute(select(Vote.person_id, Vote.choice).where(Vote.decision_id == decision.id))
    )
    proposition = (ja_for.strip(), nej_for.strip(), lot.value if lot else None)
    if old != new or proposition != (decision.vote_ja_for, decision.vote_nej_for, decision.vote_lot):
        session.execute(delete(Vote).where(Vote.decision_id == decision.id))
        session.add_all(Vote(decision_id=decision.id, person_id=p, choice=c) for p, c in new)
        decision.outcome = DecisionOutcome.PASSED_AFTER_VOTE.value
        decision.vote_ja_for, decision.vote_nej_for, decision.vote_lot = proposition
        session.flush()
        audit(
            session,
            "paragraph.vote",
            meeting_id=meeting.id,
            after={
                "paragraph": paragraph,
                "ja": ja,
                "nej": nej,
                "avstar": avstar,
                "ja_for": ja_for,
                "nej_for": nej_for,
                "lot": lot.value if lot else None,
            },
        )
    return vote_result(session, meeting, decision)


def vote_result(session: Session, meeting: Meeting, decision: Decision) -> VoteResult:
    rows = session.execute(
        select(Person.name, Vote.choice)
        .join(Person, Person.id == Vote.person_id)
        .where(Vote.decision_id == decision.id)
    ).all()
    count = {c: sum(1 for _, v in rows if v == c.value) for c in Choice}
    if count[Choice.JA] != count[Choice.NEJ]:
        winner = Choice.JA if count[Choice.JA] > count[Choice.NEJ] else Choice.NEJ
        return VoteResult(count[Choice.JA], count[Choice.NEJ], count[Choice.AVSTAR], winner)
    if decision.vote_lot:
        return VoteResult(
            count[Choice.JA], count[Choice.NEJ], count[Choice.AVSTAR], Choice(decision.vote_lot), lot=True
        )
    chair = _chair_present(session, meeting)
    chair_vote = next((v for n, v in rows if n == chair), Choice.JA.value)
    winner = Choice(chair_vote) if chair_vote != Choice.AVSTAR.value else Choice.JA
    return VoteResult(count[Choice.JA], count[Choice.NEJ], count[Choice.AVSTAR], winner, casting=True)


def _chair_present(session: Session, meeting: Meeting) -> str | None:
    for seat in seats_on(session, meeting.organ, meeting.held_on):
        if seat.role == Role.ORDFORANDE.value:
            return seat.person.name
    return meeting.chair
