"""Who serves in a § (KL 6:28–32): the members serving at the meeting, less those with
jäv in that §, each replaced by an ersättare present and not serving, chosen by the
organ's tjänstgöringsordning: an ersättare of the member's own party first, then by the
order set with the members (`member add --order`), then by name. The list is in upprop
order: the seats' order, an ersättare at the place of the member they serve for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.rules.workflow import EntryKind, Presence
from arende.services.meeting.attendance import attendance_of
from arende.services.meeting.members import seats_on
from db.models import Decision, Meeting, Membership, ParagraphEntry, Person

_SERVING = (Presence.LEDAMOT.value, Presence.TJANSTGORANDE.value)


@dataclass(frozen=True)
class Voter:
    """One who serves in a §: a member, or an ersättare serving for one (at the meeting,
    or in this § only, for a member with jäv)."""

    name: str
    person_id: int
    replaces: str | None = None  # the member an ersättare serves for
    for_jav: bool = False  # serving in this § only, for a member with jäv

    @property
    def ersattare(self) -> bool:
        return self.replaces is not None


def jav_entries(session: Session, decision: Decision) -> list[ParagraphEntry]:
    return list(
        session.scalars(
            select(ParagraphEntry)
            .where(ParagraphEntry.decision_id == decision.id, ParagraphEntry.kind == EntryKind.JAV.value)
            .order_by(ParagraphEntry.position)
        )
    )


def _seat_rank(session: Session, meeting: Meeting) -> dict[int, int]:
    return {s.person.id: i for i, s in enumerate(seats_on(session, meeting.organ, meeting.held_on))}


def choose_substitute(session: Session, meeting: Meeting, decision: Decision, member: Person) -> Person | None:
    """The ersättare who steps in for `member` in this § by the tjänstgöringsordning,
    among those present and not serving (and not already stepping in, nor with jäv)."""
    taken = {pid for e in jav_entries(session, decision) for pid in (e.person_id, e.substitute_person_id)}
    free = [
        r.person_id
        for r in attendance_of(session, meeting)
        if r.function == Presence.ERSATTARE.value and r.person_id is not None and r.person_id not in taken
    ]
    if not free:
        return None
    orders = dict(
        session.execute(
            select(Membership.person_id, Membership.substitute_order).where(
                Membership.organ_id == meeting.organ_id,
                Membership.person_id.in_(free),
                Membership.valid_from <= meeting.held_on,
                (Membership.valid_to.is_(None)) | (Membership.valid_to >= meeting.held_on),
            )
        ).all()
    )
    people = [p for p in (session.get(Person, pid) for pid in free) if p is not None]
    people.sort(
        key=lambda p: (
            not (member.party and p.party == member.party),
            orders.get(p.id) is None,
            orders.get(p.id) or 0,
            p.name,
        )
    )
    return people[0]


def serving_in(session: Session, meeting: Meeting, decision: Decision) -> list[Voter]:
    """Who serves in this §, in upprop order."""
    rows = attendance_of(session, meeting)
    names = {r.person_id: r.name for r in rows if r.person_id is not None}
    jav = {e.person_id: e.substitute_person_id for e in jav_entries(session, decision) if e.person_id is not None}
    rank = _seat_rank(session, meeting)
    placed: list[tuple[int, int, Voter]] = []
    for r in rows:
        if r.function not in _SERVING or r.person_id is None:
            continue
        # A serving ersättare sits at the place of the member they serve for.
        seat_holder = r.replaces_person_id or r.person_id
        place = rank.get(seat_holder, len(rank))
        if r.person_id in jav:
            substitute = jav[r.person_id]
            if substitute is not None:
                voter = Voter(names.get(substitute, "?"), substitute, replaces=r.name, for_jav=True)
                placed.append((place, 1, voter))
            continue
        replaces = names.get(r.replaces_person_id) if r.replaces_person_id else None
        if r.replaces_person_id and replaces is None:
            person = session.get(Person, r.replaces_person_id)
            replaces = person.name if person else None
        placed.append((place, 0, Voter(r.name, r.person_id, replaces=replaces)))
    return [v for _, _, v in sorted(placed, key=lambda t: (t[0], t[1]))]
