"""Local accounts of the web page: create them, check a password with the rate limit,
and the sessions a login opens.

Passwords are hashed with argon2 (argon2-cffi's RFC 9106 low-memory profile). A failed
login is written down, and more than LIMIT_PER_USER failures for one user name or
LIMIT_PER_ADDRESS from one address within WINDOW refuse further tries until the oldest
falls out of the window, whether or not the password is right: guessing costs time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from arende.errors import ArendeError, Conflict, InvalidInput, NotFound
from arende.rules.access import ROLE_LABELS_SV, WebRole
from arende.services.common import audit
from arende.settings import get_settings
from db.models import LoginAttempt, Person, User, WebSession, utcnow

WINDOW = dt.timedelta(minutes=15)
LIMIT_PER_USER = 5
LIMIT_PER_ADDRESS = 30
MIN_PASSWORD = 12
_USERNAME = re.compile(r"^[a-z0-9._-]{2,60}$")
_HASHERS: dict[tuple[int, int], tuple[PasswordHasher, str]] = {}


def _hashing() -> tuple[PasswordHasher, str]:
    """The hasher at the configured cost, and a hash to verify against when the user name
    is unknown, so that both cases take the same time."""
    settings = get_settings()
    cost = (settings.web_argon2_memory_kib, settings.web_argon2_time_cost)
    if cost not in _HASHERS:
        hasher = PasswordHasher(memory_cost=cost[0], time_cost=cost[1])
        _HASHERS[cost] = (hasher, hasher.hash(secrets.token_hex(16)))
    return _HASHERS[cost]


class LoginRefused(ArendeError):
    """Wrong user name or password, or an inactive account: one message for all three."""


class RateLimited(ArendeError):
    """Too many failed logins; `retry_after` seconds until the next try is heard."""

    def __init__(self, retry_after: int):
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            "password",
            f"too many failed logins; try again in {minutes} min",
            sv=f"för många misslyckade inloggningar; försök igen om {minutes} min",
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Account:
    """The logged-in person, as the pages need them (no ORM object outlives its session)."""

    id: int
    username: str
    name: str
    role: WebRole

    @property
    def role_sv(self) -> str:
        return ROLE_LABELS_SV[self.role]


def _account(user: User) -> Account:
    return Account(user.id, user.username, user.name, WebRole(user.role))


def check_password(password: str) -> str:
    if not password.strip():
        raise InvalidInput("password", "must not be only spaces", sv="får inte bara vara mellanslag")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in password):
        raise InvalidInput("password", "contains a control character", sv="innehåller ett styrtecken")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "password",
            f"must be at least {MIN_PASSWORD} characters",
            sv=f"måste vara minst {MIN_PASSWORD} tecken",
        )
    if len(password) > 1000:
        raise InvalidInput("password", "is longer than 1000 characters", sv="är längre än 1000 tecken")
    return password


def _role(value: str) -> WebRole:
    try:
        return WebRole(value)
    except ValueError:
        roles = ", ".join(r.value for r in WebRole)
        raise InvalidInput("role", f"{value[:30]!r} is not one of {roles}", sv=f"måste vara en av: {roles}") from None


def create_user(
    session: Session,
    username: str,
    name: str,
    role: str,
    password: str,
    *,
    email: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    member_of: str | None = None,
) -> Account:
    """An account and its person; the title and phone are how documents name the person
    (the handläggare in the footer: "Handläggare Hans Johansson, 033-35 85 73"). With
    `member_of` (an organ's code), the account is that organ's member of the same name,
    who then signs protocols and reads the members' page as themselves."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InvalidInput(
            "username",
            "use 2-60 of a-z, 0-9, '.', '_' and '-'",
            sv="använd 2–60 tecken av a–z, 0–9, '.', '_' och '-'",
        )
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput("name", "give the person's name (at most 200 characters)", sv="ange personens namn")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise InvalidInput("name", "contains a control character", sv="innehåller ett styrtecken")
    email = check_email(email)
    checked_role = _role(role)
    check_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("username", f"{username} already exists", sv=f"{username} finns redan")
    if member_of:
        person = _member_person(session, member_of, name)
        person.email = person.email or email
        person.title, person.phone = title or person.title, phone or person.phone
    else:  # the account belongs to a person of its own: a namesake is another row
        person = Person(name=name, email=email, title=title, phone=phone)
        session.add(person)
        session.flush()
    user = User(
        username=username,
        name=name,
        role=checked_role.value,
        email=email,
        password_hash=_hashing()[0].hash(password),
        active=True,
        person_id=person.id,
    )
    session.add(user)
    session.flush()
    audit(session, "user.created", after={"username": username, "name": name, "role": checked_role.value})
    return _account(user)


def _member_person(session: Session, organ_code: str, name: str) -> Person:
    """The one member (or ersättare) of the organ with this name, without an account."""
    from arende.services.common import get_organ
    from db.models import Membership

    organ = get_organ(session, organ_code)
    people = list(
        session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.organ_id == organ.id, Person.name == name)
            .distinct()
        )
    )
    if len(people) != 1:
        found = "no member" if not people else f"{len(people)} members"
        raise Conflict(
            "member",
            f"{organ.code} has {found} named {name!r}; see `arende member list {organ.code}`",
            sv=f"{organ.code} har {'ingen' if not people else len(people)} ledamot som heter {name}",
        )
    if session.scalar(select(User.id).where(User.person_id == people[0].id)) is not None:
        raise Conflict("member", f"{name} of {organ.code} has an account already", sv=f"{name} har redan ett konto")
    return people[0]


def check_email(email: str | None, field: str = "email") -> str | None:
    """The command vocabulary's e-mail check (arende.commands.fields.Email), for the
    account forms and services too: the command line and the web page agree."""
    from pydantic import TypeAdapter, ValidationError

    from arende.commands.fields import Email, swedish_message

    if email is None or not email.strip():
        return None
    try:
        return str(TypeAdapter(Email).validate_python(email))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput(field, first["msg"].removeprefix("Value error, "), sv=swedish_message(first)) from None


def account_by_username(session: Session, username: str, field: str = "officer") -> User:
    """The active account of a user name, for a fact that names a person by it."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()[:60]))
    if user is None or not user.active:
        raise NotFound(
            field,
            f"{username[:60]!r} is no active account; see `arende user list`",
            sv=f"{username[:60]!r} är inget aktivt konto",
        )
    return user


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound("username", f"no user {username[:60]!r}", sv=f"ingen användare {username[:60]!r}")
    return user


def ensure_account(session: Session, username: str, name: str, role: str = "handlaggare") -> str:
    """An account for a script or a test to name as officer: the one of that user name,
    or a new one with a password no one knows (set it with `arende user password`)."""
    if session.scalar(select(User.id).where(User.username == username)) is None:
        create_user(session, username, name, role, secrets.token_urlsafe(18))
    return username


def _keeps_an_administrator(session: Session, user: User, field: str) -> None:
    """Someone must be able to administer: the last active administrator stays one."""
    if user.role != WebRole.ADMINISTRATOR.value or not user.active:
        return
    others = session.scalar(
        select(func.count()).where(User.role == WebRole.ADMINISTRATOR.value, User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise Conflict(
            field,
            f"{user.username} is the last active administrator; make another one first",
            sv=f"{user.username} är den sista aktiva administratören; utse en till först",
        )


def set_role(session: Session, username: str, role: str) -> None:
    user = _user(session, username)
    before = user.role
    new = _role(role)
    if new is not WebRole.ADMINISTRATOR:
        _keeps_an_administrator(session, user, "role")
    user.role = new.value
    audit(session, "user.role", before={"username": user.username, "role": before}, after={"role": user.role})


def set_active(session: Session, username: str, active: bool) -> None:
    user = _user(session, username)
    if not active:
        _keeps_an_administrator(session, user, "username")
    user.active = active
    if not active:  # a deactivated person is logged out everywhere at once
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit(session, "user.activated" if active else "user.deactivated", after={"username": user.username})


def set_password(session: Session, username: str, password: str) -> None:
    user = _user(session, username)
    user.password_hash = _hashing()[0].hash(check_password(password))
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit(session, "user.password", after={"username": user.username})


def list_users(session: Session) -> list[tuple[Account, bool, str | None]]:
    return [(_account(u), u.active, u.email) for u in session.scalars(select(User).order_by(User.username))]


def _failures(session: Session, column: Any, value: str, since: dt.datetime) -> tuple[int, dt.datetime | None]:
    count, oldest = session.execute(
        select(func.count(), func.min(LoginAttempt.at)).where(column == value, LoginAttempt.at > since)
    ).one()
    return int(count), oldest


def authenticate(session: Session, username: str, password: str, address: str) -> Account:
    """The account, or LoginRefused / RateLimited. Failures are recorded in `session`,
    which the caller commits either way."""
    now = utcnow()
    since = now - WINDOW
    username = username.strip().lower()[:60]
    address = address[:60]
    for column, value, limit in (
        (LoginAttempt.username, username, LIMIT_PER_USER),
        (LoginAttempt.ip, address, LIMIT_PER_ADDRESS),
    ):
        count, oldest = _failures(session, column, value, since)
        if count >= limit and oldest is not None:
            if oldest.tzinfo is None:  # SQLite gives naive UTC back
                oldest = oldest.replace(tzinfo=dt.UTC)
            raise RateLimited(int((oldest + WINDOW - now).total_seconds()) + 1)
    user = session.scalar(select(User).where(User.username == username))
    hasher, dummy = _hashing()
    try:
        hasher.verify(user.password_hash if user else dummy, password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        session.add(LoginAttempt(username=username, ip=address, at=now))
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < since - WINDOW))
        raise LoginRefused("password", "wrong user name or password", sv="fel användarnamn eller lösenord")
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    return _account(user)


def account_named(session: Session, username: str) -> Account:
    """The active account a provider vouched for (OpenID Connect); LoginRefused if there
    is none: the provider says who someone is, not that they may use Ärende."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()[:60]))
    if user is None or not user.active:
        raise LoginRefused(
            "username",
            f"{username[:60]!r} has no account here",
            sv=f"{username[:60]} har inget konto i Ärende; be administratören lägga till dig",
        )
    return _account(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, account: Account) -> str:
    """A new session for the account; the token goes into the cookie, its hash here."""
    token = secrets.token_urlsafe(32)
    lifetime = dt.timedelta(hours=get_settings().web_session_hours)
    session.add(WebSession(token_sha256=_digest(token), user_id=account.id, expires_at=utcnow() + lifetime))
    audit(session, "user.login", who=account.username, after={"username": account.username})
    return token


def account_for(token: str) -> Account | None:
    """The session's account while it is alive and the account active. A page view only
    reads; the session is renewed (a write) at most every few minutes, and an expired
    one removed."""
    from db.session import read_scope, session_scope

    if not token or len(token) > 100:
        return None
    digest = _digest(token)
    with read_scope() as session:
        found = session.execute(
            select(WebSession.expires_at, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_sha256 == digest)
        ).one_or_none()
        if found is None:
            return None
        expires, user = found
        account, active = _account(user), user.active
    now = utcnow()
    expires = expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)
    lifetime = dt.timedelta(hours=get_settings().web_session_hours)
    if expires < now or not active:
        with session_scope() as session:
            session.execute(delete(WebSession).where(WebSession.token_sha256 == digest))
        return None
    if expires - now < lifetime - dt.timedelta(minutes=5):
        with session_scope() as session:
            row = session.get(WebSession, digest)
            if row is not None:
                row.expires_at = now + lifetime
    return account


def close_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_sha256 == _digest(token)))
