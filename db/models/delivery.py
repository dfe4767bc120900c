"""What goes out and what is pending: the outbox, the distribution of decisions,
reminders, and the advances recorded but not yet run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, utcnow


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
