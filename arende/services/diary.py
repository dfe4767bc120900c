"""The diarium: diary numbers and the registration of errands and documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput
from arende.services.common import audit
from arende.workflow import Direction
from db.models import DiarySequence, Document, Errand
from db.session import fit


def allocate_number(session: Session, prefix: str, year: int) -> int:
    """The next number in (prefix, year), inside the caller's transaction.

    The UPDATE takes a row lock that concurrent writers queue on (PostgreSQL) or runs
    under SQLite's write lock; since the bump commits or rolls back with the errand
    itself, numbers have no gaps and no duplicates.
    """
    bump = (
        update(DiarySequence)
        .where(DiarySequence.prefix == prefix, DiarySequence.year == year)
        .values(last_seq=DiarySequence.last_seq + 1)
        .returning(DiarySequence.last_seq)
    )
    seq = session.execute(bump).scalar_one_or_none()
    if seq is not None:
        return seq
    try:
        with session.begin_nested():
            session.add(DiarySequence(prefix=prefix, year=year, last_seq=1))
        return 1
    except IntegrityError:
        # Another writer opened the year first; queue on its row instead.
        return session.execute(bump).scalar_one()


def continue_sequence(session: Session, prefix: str, year: int, next_seq: int) -> None:
    """Going live mid-year from another diarium: our next number in (prefix, year) is
    `next_seq`. The sequence only moves forward, so no number is ever handed out twice."""
    from arende.services.common import get_organ

    get_organ(session, prefix)
    if not 1 <= next_seq <= 99999:
        raise InvalidInput("next", f"{next_seq} is not a sequence number (1-99999)")
    row = session.get(DiarySequence, (prefix, year), with_for_update=True)
    if row is not None and row.last_seq >= next_seq:
        raise Conflict("next", f"{prefix} {year}-{row.last_seq:05d} is already used; the sequence never goes back")
    before = row.last_seq if row else 0
    if row is None:
        session.add(DiarySequence(prefix=prefix, year=year, last_seq=next_seq - 1))
    else:
        row.last_seq = next_seq - 1
    audit(
        session,
        "diary.continued",
        before={"prefix": prefix, "year": year, "last_seq": before},
        after={"prefix": prefix, "year": year, "last_seq": next_seq - 1},
    )


def register_document(
    session: Session,
    errand: Errand,
    *,
    registered_on: dt.date,
    direction: Direction,
    counterpart: str,
    description: str,
    secrecy_provision: str | None = None,
    secrecy_date: dt.date | None = None,
    secrecy_authority: str | None = None,
    kind: str | None = None,
    file_name: str | None = None,
    storage_path: str | None = None,
    sha256: str | None = None,
    who: str | None = None,
) -> Document:
    """Register a handling with the four fields OSL 5 kap asks for."""
    if not counterpart.strip():
        raise InvalidInput(
            "counterpart",
            "a registered document needs its sender or recipient",
            sv="en registrerad handling behöver avsändare eller mottagare",
        )
    if not description.strip():
        raise InvalidInput(
            "description",
            "a registered document needs a short description",
            sv="en registrerad handling behöver en kort beskrivning",
        )
    if secrecy_provision is not None:
        # OSL 5:5: the marking states provision, date and authority.
        if not secrecy_provision.strip():
            raise InvalidInput(
                "secrecy",
                "the secrecy provision must not be empty (e.g. 'OSL 26:1')",
                sv="sekretessbestämmelsen får inte vara tom (t.ex. 'OSL 26:1')",
            )
        secrecy_date = secrecy_date or registered_on
        secrecy_authority = secrecy_authority or errand.organ.name
    number = (session.scalar(select(func.max(Document.number)).where(Document.errand_id == errand.id)) or 0) + 1
    doc = Document(
        errand_id=errand.id,
        number=number,
        registered_on=registered_on,
        direction=direction.value,
        counterpart=counterpart.strip(),
        # Derived descriptions ("Remiss: <title>") can outgrow the column though the title fit.
        description=fit(description.strip(), Document.description),
        secrecy_provision=secrecy_provision,
        secrecy_date=secrecy_date if secrecy_provision else None,
        secrecy_authority=secrecy_authority if secrecy_provision else None,
        kind=kind,
        file_name=file_name,
        storage_path=storage_path,
        sha256=sha256,
    )
    session.add(doc)
    session.flush()
    audit(
        session,
        "document.registered",
        errand_id=errand.id,
        after={
            "number": number,
            "direction": direction.value,
            "kind": kind,
            "sha256": sha256,
            "secret": secrecy_provision is not None,
        },
        who=who,
    )
    return doc


@dataclass(frozen=True)
class PublicDocumentRow:
    """A line of the public diary listing; hidden fields read 'Sekretess'."""

    number: int
    registered_on: dt.date
    direction: str
    counterpart: str
    description: str
    secrecy: str | None


HIDDEN = "(sekretess)"


def secret_shown(session: Session, errand_id: int, numbers: list[int]) -> None:
    """Someone asked to see secret documents' counterparts (--show-secret): who, which
    documents and when go in the audit trail."""
    if numbers:
        audit(session, "document.secret_shown", errand_id=errand_id, after={"documents": numbers})


def public_listing(documents: list[Document]) -> list[PublicDocumentRow]:
    """The public view of an errand's documents: for a secret document, its counterpart
    and description are hidden (OSL 5 kap); date, number and the marking stay."""
    rows = []
    for d in sorted(documents, key=lambda d: d.number):
        rows.append(
            PublicDocumentRow(
                number=d.number,
                registered_on=d.registered_on,
                direction=d.direction,
                counterpart=HIDDEN if d.is_secret else d.counterpart,
                description=HIDDEN if d.is_secret else d.description,
                secrecy=(f"{d.secrecy_provision}, {d.secrecy_date}, {d.secrecy_authority}" if d.is_secret else None),
            )
        )
    return rows
