"""Who may use the web page: local accounts with one role each, their sessions, and the
login attempts that rate-limit guessing. Passwords are argon2 hashes; a session cookie
holds a random token whose SHA-256 is stored here, so a copy of the database does not
hand out sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, utcnow
from db.models.meetings import Person


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    # The name a person reads (documents, the audit log's display); two accounts may share
    # it, so nothing decides by it: access and the audit log go by the account.
    name: Mapped[str] = mapped_column(String(200))
    # The person the account belongs to (arende.services.accounts makes one with it).
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), unique=True)
    email: Mapped[str | None] = mapped_column(String(200))
    # arende.rules.access.WebRole
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    person: Mapped[Person] = relationship()


class WebSession(Base):
    __tablename__ = "web_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Renewed on use; a session idle past it is gone.
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """A failed login, kept for the rate limit's window (arende.services.accounts)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60))
    ip: Mapped[str] = mapped_column(String(60))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
