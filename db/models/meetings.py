"""The meeting as the secretary runs it, named after OParl 1.1 where it fits, so that
publishing the committee's decisions as open data is a mapping:

| here | OParl |
|---|---|
| Organ | Organization |
| Person | Person |
| Membership | Membership (role, votingRight via `role`, startDate/endDate) |
| Meeting | Meeting (start, location, meetingState, cancelled) |
| AgendaItem | AgendaItem (number, name, public, consultation → the errand) |
| Errand, ReportedItem | Paper |
| Document | File |

The § itself is a Decision row (errands.py): one per item dealt with, numbered through
the calendar year per organ, anmälningsärenden and delegationsbeslut included.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base


class Person(Base):
    """A person of the record: a member (ledamot or ersättare) of one or more organs, or
    the holder of an account (an officer, a secretary). Two people may share a name, so a
    person is told apart by this row, never by the name."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    party: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    # How a document names an official (the secretary, the certifier): title and phone.
    title: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))


class Membership(Base):
    """A seat in an organ for a period: ordförande, vice ordförande, ledamot, ersättare."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organ_id", "person_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organ_id: Mapped[int] = mapped_column(ForeignKey("organs.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    role: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    # The seat's own address for kallelser, where it differs from the person's (a member
    # of two organs may want each one's mail at another address).
    email: Mapped[str | None] = mapped_column(String(200))
    # An ersättare's place in the tjänstgöringsordning (1 first): who steps in for a
    # member with jäv, after the ersättare of the member's own party.
    substitute_order: Mapped[int | None] = mapped_column(Integer)

    person: Mapped[Person] = relationship()


class AgendaItem(Base):
    """One item of the föredragningslista: an errand to decide, information, an
    election, or the lists of anmälningsärenden and delegationsbeslut."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "position"), UniqueConstraint("meeting_id", "errand_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    heading: Mapped[str] = mapped_column(String(500))
    errand_id: Mapped[int | None] = mapped_column(ForeignKey("errands.id"))
    proposed_decision: Mapped[str | None] = mapped_column(Text)


class Attendance(Base):
    """Who was at the meeting and as what; an official (övrig närvarande) may have no
    person row, only a name and a title."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(30))
    replaces_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    title: Mapped[str | None] = mapped_column(String(200))
    # Part of the meeting only, as the protocol writes it: "§ 12-15".
    note: Mapped[str | None] = mapped_column(String(200))


class ParagraphEntry(Base):
    """What the protocol records per § besides the decision (KL 5:67): a yrkande, a
    reservation, a protokollsanteckning, a särskilt yttrande, or jäv (who left)."""

    __tablename__ = "paragraph_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    text: Mapped[str | None] = mapped_column(Text)
    # For jäv: the ersättare who served in the member's place in this § (none present: None).
    substitute_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))


class Vote(Base):
    """One member's ja / nej / avstår in an open vote on a §."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("decision_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    choice: Mapped[str] = mapped_column(String(10))


class ReportedItem(Base):
    """An anmälningsärende: a letter or another organ's decision reported to the
    committee ("Kommunfullmäktiges beslut 2022-01-20 § 10") at its next meeting."""

    __tablename__ = "reported_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    organ_id: Mapped[int] = mapped_column(ForeignKey("organs.id"), index=True)
    heading: Mapped[str] = mapped_column(String(500))
    reference: Mapped[str | None] = mapped_column(String(200))
    received_on: Mapped[dt.date] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))


class DelegationPoint(Base):
    """A point of the delegationsordning, versioned by the day it takes effect: a
    decision is recorded with the point in force on its day."""

    __tablename__ = "delegation_points"
    __table_args__ = (UniqueConstraint("organ_id", "code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organ_id: Mapped[int] = mapped_column(ForeignKey("organs.id"))
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    delegate: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    # How a decision under this point is appealed (rules.procedure.AppealRoute): an
    # individual decision under special law by förvaltningsbesvär, from the notification.
    appeal_route: Mapped[str] = mapped_column(
        String(20), default="laglighetsprovning", server_default="laglighetsprovning"
    )


class DelegatedDecision(Base):
    """A decision taken under delegation (KL 6:37-40): reported at the next meeting; its
    appeal period starts when the protocol that reports it is posted."""

    __tablename__ = "delegated_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organ_id: Mapped[int] = mapped_column(ForeignKey("organs.id"), index=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("delegation_points.id"))
    delegate: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    dnr: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(String(500))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    # The day the party was notified (FL 44 §: förvaltningsbesvär runs from it).
    notified_on: Mapped[dt.date | None] = mapped_column(Date)

    point: Mapped[DelegationPoint] = relationship()


class Correction(Base):
    """An obvious error corrected after justering (FL 36 §): a dated, signed note; the
    justerad text itself is never overwritten."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    corrected_on: Mapped[dt.date] = mapped_column(Date)
    corrected_by: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
