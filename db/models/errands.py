"""The register: organs, the classification, diary numbering, errands with their steps,
deadlines, recipients, reports, FSG, meetings with their §, documents and the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, stored_path, utcnow


class Organ(Base):
    __tablename__ = "organs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    office: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    chair: Mapped[str | None] = mapped_column(String(200))
    head_of_office: Mapped[str | None] = mapped_column(String(200))
    secretary: Mapped[str | None] = mapped_column(String(200))
    # The secretary as a person (an account's): named on kallelser, protocols and extracts;
    # `secretary` above stays the title used where no person is set.
    secretary_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    # Where deadline reminders go when the errand has no case officer's address.
    reminder_email: Mapped[str | None] = mapped_column(String(200))
    # The contact block in every document's footer (seed 003).
    postal_address: Mapped[str | None] = mapped_column(String(200))
    visiting_address: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ClassificationCode(Base):
    __tablename__ = "classification_codes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    dormant: Mapped[bool] = mapped_column(Boolean, default=False)


class DiarySequence(Base):
    """The last number handed out per (prefix, year); bumped in the registering
    transaction, so a rollback gives the number back and no gap appears."""

    __tablename__ = "diary_sequences"

    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


class Errand(Base):
    __tablename__ = "errands"
    __table_args__ = (
        UniqueConstraint("prefix", "year", "seq"),
        # One errand per incoming request: a retried registration finds the first one.
        UniqueConstraint("organ_id", "errand_type", "external_ref_key"),
        Index("ix_errands_status", "status"),
        # The diarium lists the newest first; Mina ärenden is one officer's.
        Index("ix_errands_year_seq", "year", "seq"),
        Index("ix_errands_officer", "officer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organ_id: Mapped[int] = mapped_column(ForeignKey("organs.id"))
    errand_type: Mapped[str] = mapped_column(String(40))
    prefix: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    classification_code: Mapped[str | None] = mapped_column(ForeignKey("classification_codes.code"))
    title: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))
    registered_on: Mapped[dt.date] = mapped_column(Date)
    # The officer's name as printed on the errand's documents; who the officer is, is the
    # account (access to secret handlingar and Mina ärenden go by it, never by the name).
    officer: Mapped[str | None] = mapped_column(String(200))
    officer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    officer_email: Mapped[str | None] = mapped_column(String(200))
    assigned_on: Mapped[dt.date | None] = mapped_column(Date)
    # MBL §11: a significant change may not be decided before FSG, unless
    # "synnerliga skäl" are written down.
    fsg_required: Mapped[bool] = mapped_column(Boolean, default=False)
    synnerliga_skal: Mapped[str | None] = mapped_column(Text)
    counterpart: Mapped[str | None] = mapped_column(String(300))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    external_ref_key: Mapped[str | None] = mapped_column(String(100))
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    reply_due: Mapped[dt.date | None] = mapped_column(Date)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # A follow-up decided together with a main errand (e.g. with the annual report).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("errands.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    organ: Mapped[Organ] = relationship()

    @property
    def dnr(self) -> str:
        from arende.rules.dnr import Dnr

        return str(Dnr(self.prefix, self.year, self.seq, self.classification_code))


class ErrandStep(Base):
    __tablename__ = "errand_steps"
    __table_args__ = (UniqueConstraint("errand_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10))
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("errand_id", "kind"),
        # The daily sweep reads open deadlines by due date; cost follows what is due.
        Index("ix_deadlines_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    met_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Recipient(Base):
    """'Beslutet expedieras till': the numbered distribution list of an errand."""

    __tablename__ = "recipients"
    __table_args__ = (UniqueConstraint("errand_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))


class Report(Base):
    """The officer's report (tjänsteskrivelse) with the proposed decision."""

    __tablename__ = "reports"

    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), primary_key=True)
    stance: Mapped[str | None] = mapped_column(String(20))
    proposed_decision: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    # Type-specific content, e.g. an audit reply's response to each recommendation.
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    drafted_on: Mapped[dt.date] = mapped_column(Date)


class FsgConsultation(Base):
    __tablename__ = "fsg_consultations"

    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class Meeting(Base):
    """A sammanträde and its protocol: justering and anslag belong to the protocol."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("organ_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organ_id: Mapped[int] = mapped_column(ForeignKey("organs.id"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    # planned → kallad → held → justerad → anslagen, or cancelled before it is held
    # (arende.rules.workflow.MeetingState).
    status: Mapped[str] = mapped_column(String(20), default="planned", server_default="held")
    starts_at: Mapped[dt.time | None] = mapped_column(Time)
    place: Mapped[str | None] = mapped_column(String(200))
    # Announced in the kallelse: "2022-02-18 kl. 10.00, Arbetslivsförvaltningen".
    justering_at: Mapped[str | None] = mapped_column(String(200))
    # The plan's rule ("tre dagar efter") made a day, and where the protocol is signed.
    justering_planned_on: Mapped[dt.date | None] = mapped_column(Date)
    justering_place: Mapped[str | None] = mapped_column(String(200))
    # The meeting's course (printed when recorded): when it ended, the föredragningslista
    # approved, adjournments as "14.30–14.45".
    ends_at: Mapped[dt.time | None] = mapped_column(Time)
    agenda_approved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    adjournments: Mapped[list[Any]] = mapped_column(default=list)
    kallad_on: Mapped[dt.date | None] = mapped_column(Date)
    # In the sammanträdesplan (`arende meeting plan`), not only created by a decision.
    in_plan: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    justering_due: Mapped[dt.date] = mapped_column(Date)
    justerad_on: Mapped[dt.date | None] = mapped_column(Date)
    chair: Mapped[str | None] = mapped_column(String(200))
    # Who the chair and the secretary are (the names above are as printed).
    chair_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    justerare: Mapped[list[Any]] = mapped_column(default=list)
    # The justerare as persons, in the order of `justerare` (None where a name is no member).
    justerare_person_ids: Mapped[list[Any]] = mapped_column(default=list)
    secretary: Mapped[str | None] = mapped_column(String(200))
    secretary_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    anslag_posted_on: Mapped[dt.date | None] = mapped_column(Date)
    anslag_removed_on: Mapped[dt.date | None] = mapped_column(Date)
    appeal_ends_on: Mapped[dt.date | None] = mapped_column(Date)
    minutes_kept_at: Mapped[str | None] = mapped_column(String(300))

    organ: Mapped[Organ] = relationship()


class Decision(Base):
    """A numbered paragraph (§) of a protocol; § numbers run per organ and year."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("organ_id", "year", "paragraph"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # An errand's §; the § of an agenda item without an errand (anmälningsärenden,
    # delegationsbeslut, information) has none.
    errand_id: Mapped[int | None] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), unique=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    organ_id: Mapped[int] = mapped_column(ForeignKey("organs.id"))
    year: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    proposition_order: Mapped[str | None] = mapped_column(Text)
    # The voteringsproposition: what a ja and a nej vote stood for; and, for an election
    # tied, the side the lot fell on.
    vote_ja_for: Mapped[str | None] = mapped_column(Text)
    vote_nej_for: Mapped[str | None] = mapped_column(Text)
    vote_lot: Mapped[str | None] = mapped_column(String(10))
    # How this decision is appealed where it differs from its errand type's route.
    appeal_route: Mapped[str | None] = mapped_column(String(20))
    # Omedelbar justering (OJ): this § is signed at the meeting and gets its own notice;
    # its dates are these, not the meeting's (arende.services.common.signing_of).
    immediate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    justerad_on: Mapped[dt.date | None] = mapped_column(Date)
    anslag_posted_on: Mapped[dt.date | None] = mapped_column(Date)
    anslag_removed_on: Mapped[dt.date | None] = mapped_column(Date)
    appeal_ends_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    meeting: Mapped[Meeting] = relationship()


class Document(Base):
    """A handling registered on an errand, with an optional produced file."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("errand_id", "number"),
        # A produced file is registered once: rerunning a step finds it by its hash.
        UniqueConstraint("errand_id", "kind", "sha256"),
        # The diarium's handlingar, newest first.
        Index("ix_documents_registered_on_id", "registered_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # An errand's handling, or a meeting's own document (kallelse, protokoll, notice).
    errand_id: Mapped[int | None] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    registered_on: Mapped[dt.date] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(String(10))
    counterpart: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(String(500))
    # OSL 5:5 secrecy marking: provision, date, authority.
    secrecy_provision: Mapped[str | None] = mapped_column(String(100))
    secrecy_date: Mapped[dt.date | None] = mapped_column(Date)
    secrecy_authority: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(40))
    file_name: Mapped[str | None] = mapped_column(String(300))
    storage_path: Mapped[str | None] = mapped_column(String(500))
    # The PDF/A archive copy (arende.services.archive), once LibreOffice has made it.
    archive_path: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_secret(self) -> bool:
        return self.secrecy_provision is not None

    @property
    def file(self) -> Path | None:
        """The stored file (storage_path is kept relative to the documents folder)."""
        return stored_path(self.storage_path)

    @property
    def archive_file(self) -> Path | None:
        return stored_path(self.archive_path)


class AuditEvent(Base):
    """Append-only: who did what, when, with the values before and after."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    errand_id: Mapped[int | None] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    action: Mapped[str] = mapped_column(String(60))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
