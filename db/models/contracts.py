"""IOP agreements with their periods, and the donation funds with their rounds,
applications (personal data encrypted) and grants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
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

from db.models.base import Base


class Agreement(Base):
    """An IOP agreement: contract terms, not statute. Its current period ends on
    `ends_on`; each renewal adds a period and new deadlines."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    errand_id: Mapped[int] = mapped_column(ForeignKey("errands.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    partner_name: Mapped[str] = mapped_column(String(300))
    partner_orgnr: Mapped[str] = mapped_column(String(11))
    # Where the partner is reached, as the agreement's Parter names it (Box 979, 501 10 Borås).
    partner_address: Mapped[str | None] = mapped_column(String(300))
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
