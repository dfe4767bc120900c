"""Officers recorded by name before officers were accounts: which errands have a name and
no account (none of that name, or several), and linking one to the account a person
chooses. Migration 0010 linked every name that exactly one account has; nothing else is
guessed or reassigned silently."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.commands.fields import Line
from arende.errors import Conflict
from arende.services.accounts import account_by_username
from arende.services.common import audit, get_errand
from db.models import Errand, User


@dataclass(frozen=True)
class Unlinked:
    dnr: str
    officer: str
    candidates: list[str]  # the user names of accounts with that name


def unlinked_officers(session: Session) -> list[Unlinked]:
    rows = session.execute(
        select(Errand)
        .where(Errand.officer.is_not(None), Errand.officer_user_id.is_(None))
        .order_by(Errand.prefix, Errand.year, Errand.seq)
    ).scalars()
    out = []
    for errand in rows:
        assert errand.officer is not None
        names = list(session.scalars(select(User.username).where(User.name == errand.officer).order_by(User.username)))
        out.append(Unlinked(errand.dnr, errand.officer, names))
    return out


def link_officer(session: Session, dnr: str, username: str) -> str:
    """Link an errand's recorded officer to the account a person chose. The account must
    carry the name the errand records (the documents already print it); anything else is
    a new appointment (`arende assign`)."""
    errand = get_errand(session, dnr, lock=True)
    user = account_by_username(session, username, field="username")
    if errand.officer_user_id == user.id:
        return user.username
    if errand.officer_user_id is not None:
        raise Conflict(
            "dnr",
            f"{errand.dnr}'s officer is already an account; appoint another with `arende assign`",
            sv=f"{errand.dnr} har redan en handläggare med konto",
        )
    if (errand.officer or "") != user.name:
        raise Conflict(
            "username",
            f"{user.username} is {user.name!r}, but {errand.dnr} records {errand.officer!r}; "
            "appoint the officer with `arende assign` instead",
            sv=f"{user.username} heter {user.name}, men ärendet anger {errand.officer}",
        )
    errand.officer_user_id = user.id
    audit(session, "fact.officer_linked", errand_id=errand.id, after={"officer": user.name, "username": user.username})
    return user.username


class SecretaryContact(BaseModel):
    """How documents name the secretary besides the name: title and phone, one line each."""

    title: Annotated[Line, Field(max_length=100)] | None = None
    phone: Annotated[Line, Field(max_length=50)] | None = None


def set_organ_secretary(
    session: Session, organ_code: str, username: str, *, title: str | None = None, phone: str | None = None
) -> str:
    """The organ's secretary is the person of an account: named on its kallelser,
    protocols and extracts from the next meeting that is planned or held on, with the
    title and phone a document gives (the account's e-mail with them)."""
    from arende.services.common import get_organ
    from db.models import Person

    organ = get_organ(session, organ_code, lock=True)
    user = account_by_username(session, username, field="user")
    person = session.get(Person, user.person_id)
    assert person is not None  # every account has its person
    changed = {k: v for k, v in (("title", title), ("phone", phone)) if v is not None and getattr(person, k) != v}
    for key, value in changed.items():
        setattr(person, key, value)
    if user.email and person.email != user.email:
        person.email = user.email
    if changed:
        audit(session, "person.contact", after={"username": user.username, **changed})
    if organ.secretary_person_id == user.person_id:
        return user.name
    before = organ.secretary_person_id
    organ.secretary_person_id = user.person_id
    audit(
        session,
        "organ.secretary",
        before={"organ": organ.code, "person_id": before},
        after={"organ": organ.code, "username": user.username, "name": user.name},
    )
    return user.name
