"""Ledamöter and ersättare per organ, with party and role, valid from–to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from arende.errors import Conflict, NotFound
from arende.rules.workflow import Role
from arende.services.common import audit, get_organ
from db.models import Membership, Organ, Person

_ORDER = {Role.ORDFORANDE.value: 0, Role.VICE_ORDFORANDE.value: 1, Role.LEDAMOT.value: 2, Role.ERSATTARE.value: 3}


@dataclass(frozen=True)
class Seat:
    person: Person
    role: str
    seat_email: str | None = None

    @property
    def email(self) -> str | None:
        """Where the kallelse for this seat goes: the seat's own address, else the person's."""
        return self.seat_email or self.person.email

    @property
    def serving(self) -> bool:
        """A member with a vote when present (ersättare only when they serve)."""
        return self.role != Role.ERSATTARE.value


def add_member(
    session: Session,
    organ_code: str,
    name: str,
    *,
    role: Role,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    party: str | None = None,
    email: str | None = None,
    substitute_order: int | None = None,
) -> Membership:
    """A seat from a day; the same seat again changes nothing."""
    organ = get_organ(session, organ_code, lock=True)
    if valid_to is not None and valid_to < valid_from:
        raise Conflict("to", f"the seat ends ({valid_to}) before it starts ({valid_from})")
    person = _member_named(session, organ, name)
    if person is None:
        person = Person(name=name, party=party, email=email)
        session.add(person)
        session.flush()
    elif party is not None:
        person.party = party
    _one_seat_and_one_chair(session, organ, person, role, valid_from, valid_to)
    seat = session.scalar(
        select(Membership).where(
            Membership.organ_id == organ.id, Membership.person_id == person.id, Membership.valid_from == valid_from
        )
    )
    # The address belongs to this seat; another organ's seat keeps its own.
    seat_email = email if email is not None and email != person.email else None
    if seat is not None:
        if (
            (seat.role, seat.valid_to) != (role.value, valid_to)
            or (email is not None and seat.email != seat_email)
            or (substitute_order is not None and seat.substitute_order != substitute_order)
        ):
            seat.role, seat.valid_to = role.value, valid_to
            if email is not None:
                seat.email = seat_email
            if substitute_order is not None:
                seat.substitute_order = substitute_order
            audit(session, "member.changed", after={"organ": organ.code, "name": name, "role": role.value})
        return seat
    seat = Membership(
        organ_id=organ.id,
        person_id=person.id,
        role=role.value,
        valid_from=valid_from,
        valid_to=valid_to,
        email=seat_email,
        substitute_order=substitute_order,
    )
    session.add(seat)
    session.flush()
    audit(
        session,
        "member.added",
        after={"organ": organ.code, "name": name, "role": role.value, "from": valid_from, "to": valid_to},
    )
    return seat


def _member_named(session: Session, organ: Organ, name: str) -> Person | None:
    """The member a name means: the one of that name who sits or sat in this organ, else
    in another organ (a member of two organs is one person). Anyone else of that name (an
    account's person, a namesake) is not taken for a member; two candidates are refused
    rather than guessed."""
    for scope in (Membership.organ_id == organ.id, Membership.organ_id.is_not(None)):
        found = list(
            session.scalars(
                select(Person)
                .join(Membership, Membership.person_id == Person.id)
                .where(Person.name == name, scope)
                .distinct()
            )
        )
        if len(found) > 1:
            raise Conflict(
                "name",
                f"{len(found)} members are named {name[:60]!r}; tell them apart by name (e.g. a middle initial)",
                sv=f"{len(found)} ledamöter heter {name[:60]!r}; skilj dem åt i namnet",
            )
        if found:
            return found[0]
    return None


def _overlapping(session: Session, organ: Organ, valid_from: dt.date, valid_to: dt.date | None) -> list[Membership]:
    stmt = select(Membership).where(
        Membership.organ_id == organ.id,
        or_(Membership.valid_to.is_(None), Membership.valid_to >= valid_from),
    )
    if valid_to is not None:
        stmt = stmt.where(Membership.valid_from <= valid_to)
    return list(session.scalars(stmt))


def _one_seat_and_one_chair(
    session: Session, organ: Organ, person: Person, role: Role, valid_from: dt.date, valid_to: dt.date | None
) -> None:
    """A person holds one seat of an organ at a time (never ledamot and ersättare at
    once), and an organ has one ordförande at a time. The same seat again (same first
    day) is a change of that seat, not a second one."""
    for other in _overlapping(session, organ, valid_from, valid_to):
        if other.person_id == person.id and other.valid_from != valid_from:
            raise Conflict(
                "role",
                f"{person.name} already has a seat in {organ.code} as {other.role} from {other.valid_from}; "
                "end that seat first (the same name with --from and --to)",
                sv=f"{person.name} har redan en plats i {organ.code} som {other.role} från {other.valid_from}; "
                "avsluta den först",
            )
        if role is Role.ORDFORANDE and other.role == Role.ORDFORANDE.value and other.person_id != person.id:
            chair = session.get(Person, other.person_id)
            raise Conflict(
                "role",
                f"{organ.code} already has an ordförande from {other.valid_from}: "
                f"{chair.name if chair else '?'}; end that seat first",
                sv=f"{organ.code} har redan en ordförande från {other.valid_from}: {chair.name if chair else '?'}",
            )


def seats_on(session: Session, organ: Organ, day: dt.date) -> list[Seat]:
    """The organ's members on a day: ordförande, vice ordförande, ledamöter, ersättare."""
    rows = session.execute(
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.organ_id == organ.id,
            Membership.valid_from <= day,
            or_(Membership.valid_to.is_(None), Membership.valid_to >= day),
        )
    ).all()
    return sorted((Seat(p, m.role, m.email) for m, p in rows), key=lambda s: (_ORDER[s.role], s.person.name))


def seat_of(session: Session, organ: Organ, day: dt.date, name: str, field: str) -> Seat:
    for seat in seats_on(session, organ, day):
        if seat.person.name == name:
            return seat
    raise NotFound(
        field,
        f"{name[:60]!r} is not a member of {organ.code} on {day}; see `arende member list {organ.code}`",
        sv=f"{name[:60]!r} är inte ledamot eller ersättare i {organ.code} {day}",
    )
