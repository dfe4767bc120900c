"""The system of record: errands, their steps, deadlines, meetings, §, documents,
distribution, outbox and the audit log. Unique constraints encode the numbering rules,
so the database itself refuses a second diary number or a second § 14."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints let Alembic alter them by name on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


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
    # Where deadline reminders go when the errand has no case officer's address.
    reminder_email: Mapped[str | None] = mapped_column(String(200))
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
    officer: Mapped[str | None] = mapped_column(String(200))
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
        from arende.dnr import Dnr

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
    place: Mapped[str | None] = mapped_column(String(200))
    justering_due: Mapped[dt.date] = mapped_column(Date)
    justerad_on: Mapped[dt.date | None] = mapped_column(Date)
    chair: Mapped[str | None] = mapped_column(String(200))
    justerare: Mapped[list[Any]] = mapped_column(default=list)
    secretary: Mapped[str | None] = mapped_column(String(200))
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
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    organ_id: Mapped[int] = mapped_column(ForeignKey("organs.id"))
    year: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    meeting: Mapped[Meeting] = relationship()


class Document(Base):
    """A handling registered on an errand, with an optional produced file."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("errand_id", "number"),
        # A produced file is registered once: rerunning a step finds it by its hash.
        UniqueConstraint("errand_id", "kind", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"))
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
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_secret(self) -> bool:
        return self.secrecy_provision is not None


class OutboxMessage(Base):
    """A message to send; the sender delivers rows in status 'pending' and marks them."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Derived from what the message is for, so a retried step cannot queue it twice.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    attachment_ids: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Distribution(Base):
    """Expediering: one row per recipient of a decision."""

    __tablename__ = "distributions"
    __table_args__ = (UniqueConstraint("errand_id", "recipient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    expedierad_on: Mapped[dt.date] = mapped_column(Date)
    document_ids: Mapped[list[Any]] = mapped_column(default=list)


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


class Agreement(Base):
    """An IOP agreement: contract terms, not statute. Its current period ends on
    `ends_on`; each renewal adds a period and new deadlines."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    partner_name: Mapped[str] = mapped_column(String(300))
    partner_orgnr: Mapped[str] = mapped_column(String(11))
    partner_contact: Mapped[str] = mapped_column(String(300))
    our_contact: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    renewal_years: Mapped[int] = mapped_column(Integer)
    notice_months: Mapped[int] = mapped_column(Integer)
    evaluation_months_before_notice: Mapped[int] = mapped_column(Integer)
    yearly_amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    terms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notice_given_on: Mapped[dt.date | None] = mapped_column(Date)
    notice_given_by: Mapped[str | None] = mapped_column(String(20))


class AgreementPeriod(Base):
    __tablename__ = "agreement_periods"
    __table_args__ = (UniqueConstraint("agreement_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    renewed: Mapped[bool] = mapped_column(Boolean, default=False)


class Fund(Base):
    """A social donation fund and its rules (reference data the municipality edits)."""

    __tablename__ = "funds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[Any]] = mapped_column(default=list)
    min_age: Mapped[int] = mapped_column(Integer, default=18)
    residents_only: Mapped[bool] = mapped_column(Boolean, default=True)
    max_monthly_income: Mapped[int | None] = mapped_column(Integer)
    max_grant: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DonationRound(Base):
    __tablename__ = "donation_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    window_opens: Mapped[dt.date] = mapped_column(Date)
    window_closes: Mapped[dt.date] = mapped_column(Date)
    meeting_on: Mapped[dt.date] = mapped_column(Date)
    payout_on: Mapped[dt.date] = mapped_column(Date)
    per_household: Mapped[int] = mapped_column(Integer, default=1)
    # SHA-256 of each imported file: importing the same export twice changes nothing.
    imported_files: Mapped[list[Any]] = mapped_column(default=list)
    payout_sha256: Mapped[str | None] = mapped_column(String(64))
    payout_path: Mapped[str | None] = mapped_column(String(500))
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class RoundFund(Base):
    """What a fund has to give in a round; no fund pays more than this."""

    __tablename__ = "round_funds"
    __table_args__ = (UniqueConstraint("round_id", "fund_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("donation_rounds.id", ondelete="CASCADE"))
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    available: Mapped[int] = mapped_column(Integer)


class Application(Base):
    """An application with the applicant's personal data encrypted at rest; the keyed
    hashes find duplicates without decrypting anything."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_round_id_pnr_hash", "round_id", "pnr_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("donation_rounds.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[dt.date] = mapped_column(Date)
    personal: Mapped[str | None] = mapped_column(Text)  # encrypted JSON: name, pnr, address, income, account
    pnr_hash: Mapped[str | None] = mapped_column(String(64))
    household_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    household_size: Mapped[int] = mapped_column(Integer)
    resident: Mapped[bool] = mapped_column(Boolean)
    age: Mapped[int] = mapped_column(Integer)
    monthly_income_per_person: Mapped[int | None] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(40))
    amount_applied: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(300))


class Grant(Base):
    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("donation_rounds.id", ondelete="CASCADE"), index=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    amount: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(300))
    adjusted: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)


class Reminder(Base):
    """One reminder per deadline and warning level: the unique constraint is what makes
    a repeated or crashed sweep harmless."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("deadline_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(20))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PendingAdvance(Base):
    """A recorded fact whose errand has not yet been moved on. Written in the fact's own
    transaction and removed when the errand's pending steps have run, so a process killed
    in between loses nothing: the next command, the flow run or the daily sweep finds it.
    """

    __tablename__ = "pending_advances"

    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set when the advance was handed to Prefect as a flow run of the errand's deployment.
    flow_run_id: Mapped[str | None] = mapped_column(String(36))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
