"""Digital justering (a protocol's signing round, its signatories, the register of
justerade protocols as a hash chain: arende.services.meeting.sign_round) and the
disposal log of gallring (arende.earchive.disposal)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, utcnow


class SigningRound(Base):
    """The protocol's PDF/A sent for signing: open until the last required signature is
    in (completed: the justering is recorded) or a signatory rejects it (rejected: back
    to the secretary, who may start a new round)."""

    __tablename__ = "signing_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    # The § declared omedelbart justerad whose protocol part this round signs; None for
    # the whole protocol.
    paragraph: Mapped[int | None] = mapped_column(Integer)
    # The protocol's registered document (the version with its "Justerat digitalt" page).
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    status: Mapped[str] = mapped_column(String(20), default="open")
    started_on: Mapped[dt.date] = mapped_column(Date)
    started_by: Mapped[str | None] = mapped_column(String(60))
    # The PDF as it stands: the converted protocol with its fields, then each signature.
    file: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    base_sha256: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rejected_by: Mapped[str | None] = mapped_column(String(200))
    rejected_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RoundSignatory(Base):
    """One required signature, in signing order: the chair, the justerare, the secretary
    where the organ wants it."""

    __tablename__ = "round_signatories"
    __table_args__ = (UniqueConstraint("round_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("signing_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(40))
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    signed_by: Mapped[str | None] = mapped_column(String(60))  # the account that signed


class JusteringRecord(Base):
    """The register of justerade protocols, a hash chain: each entry's hash covers the
    protocol file's SHA-256, the previous entry's hash and the time, so a stored file
    changed afterwards, or an entry changed or removed, is found by recomputing it."""

    __tablename__ = "justering_register"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("signing_rounds.id"), unique=True)
    file: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    previous: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DisposalLog(Base):
    """Gallring: one row per disposed handling, kept for good (its diary row stays too),
    and delivered with the next e-archive package."""

    __tablename__ = "disposal_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    dnr: Mapped[str] = mapped_column(String(40))
    document_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(40))
    rule: Mapped[str] = mapped_column(Text)
    plan_version: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(200))
    who: Mapped[str] = mapped_column(String(60))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sha256: Mapped[str | None] = mapped_column(String(64))
    delivered_in: Mapped[str | None] = mapped_column(String(200))
