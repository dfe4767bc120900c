"""The diarium: diary numbers and the registration of errands and documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput
from arende.rules.workflow import Direction
from arende.services.common import audit
from db.models import DiarySequence, Document, Errand
from db.models.base import stored_name
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


# What a file of each allowed type begins with: an upload named .pdf that is not a PDF
# is refused (a renamed executable, a truncated download).
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "msg": (b"\xd0\xcf\x11\xe0",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
_TEXT = frozenset({"txt", "eml"})


def check_upload(name: str, size: int, head: bytes) -> str:
    """The file's type (its extension) if the settings allow it and its content is of
    that type and not too large; otherwise InvalidInput naming `file`."""
    from arende.settings import get_settings

    settings = get_settings()
    allowed = settings.web_upload_types.split(",")
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in allowed:
        raise InvalidInput(
            "file",
            f"{name[:60]!r}: the file type is not allowed (allowed: {', '.join(allowed)})",
            sv=f"filtypen är inte tillåten (tillåtna: {', '.join(allowed)})",
        )
    limit = settings.web_upload_max_mb * 1024 * 1024
    if size > limit:
        raise InvalidInput(
            "file",
            f"{name[:60]!r} is larger than {settings.web_upload_max_mb} MB",
            sv=f"filen är större än {settings.web_upload_max_mb} MB",
        )
    if size == 0:
        raise InvalidInput("file", f"{name[:60]!r} is empty", sv="filen är tom")
    magic = _MAGIC.get(suffix)
    bad = (magic is not None and not head.startswith(magic)) or (suffix in _TEXT and b"\x00" in head)
    if bad:
        raise InvalidInput(
            "file", f"{name[:60]!r} is not a {suffix} file", sv=f"filens innehåll är inte av typen {suffix}"
        )
    return suffix


def received_file(session: Session, errand: Errand, path: Path) -> tuple[Document | None, dict[str, str]]:
    """Store a received file under its SHA-256 for the handling about to be registered:
    (the handling that already holds this very file, {}) or (None, its columns)."""
    import hashlib

    from arende.services.documents import store

    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {path}: {exc.strerror}", sv="filen kan inte läsas") from None
    suffix = check_upload(path.name, size, head)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    found = session.scalar(
        select(Document).where(Document.errand_id == errand.id, Document.kind == RECEIVED, Document.sha256 == digest)
    )
    if found is not None:
        return found, {}
    from arende.rules.dnr import Dnr

    stored = store(session, Dnr(errand.prefix, errand.year, errand.seq).slug, RECEIVED, digest, data, f".{suffix}")
    name = fit(path.name, Document.file_name)
    return None, {"kind": RECEIVED, "file_name": name, "storage_path": stored_name(stored), "sha256": digest}


# The kind of a handling registered with a file a person gave (an upload, `--file`).
RECEIVED = "handling"
