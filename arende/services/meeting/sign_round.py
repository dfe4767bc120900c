"""Digital justering: the protocol's PDF/A copy sent round for signing.

The secretary starts a round when the protocol is written: the protocol is rendered with
its "Justerat digitalt" page, converted to PDF/A-2b, and given an empty signature field
per signatory (the chair, the justerare, the secretary where the organ wants it). Each
signs in turn, adding a PAdES signature as an incremental update. A signatory may reject
the round with a comment: it goes back to the secretary, audited, and no justering is
recorded. When the last required signature is in, the justering is recorded, dated by
that signature, the signed PDF becomes the protocol's archive copy, and it is entered in
the justering register (a hash chain, arende.services.meeting.register).

Files are written before the row that names them is committed: a killed run leaves at
most a file no row names, and signing again gives the same state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput
from arende.files import write_private
from arende.signing.pdf import SignatureRequest, Signer, Slot, add_signature_fields
from db.models import Meeting, RoundSignatory, SigningRound, User
from db.models.base import stored_name, stored_path, utcnow

ROLE_SV = {"ordforande": "Ordförande", "justerare": "Justerare", "sekreterare": "Sekreterare"}
# The signature fields' names, read back by arende.signing.verify: Ordforande, Justerare1…
FIELD_OF_ROLE = {"ordforande": "Ordforande", "justerare": "Justerare", "sekreterare": "Sekreterare"}


@dataclass(frozen=True)
class Signatory:
    person_id: int | None
    name: str
    role: str  # ordforande, justerare, sekreterare


def signatories(meeting: Meeting, *, secretary_signs: bool) -> list[Signatory]:
    """Who must sign, in order: the chair, the justerare (as chosen at the meeting), and
    the secretary last where the organ wants it."""
    if not meeting.chair:
        raise Conflict(
            "chair",
            f"the meeting of {meeting.held_on} has no chair recorded; record the närvaro first",
            sv="sammanträdet har ingen ordförande registrerad",
        )
    if not meeting.justerare:
        raise Conflict(
            "justerare",
            f"the meeting of {meeting.held_on} has chosen no justerare; record it with `meeting held --justerare`",
            sv="sammanträdet har inte valt justerare",
        )
    people = [Signatory(meeting.chair_person_id, meeting.chair, "ordforande")]
    ids = list(meeting.justerare_person_ids or []) + [None] * len(meeting.justerare)
    people += [Signatory(ids[i], name, "justerare") for i, name in enumerate(meeting.justerare)]
    if secretary_signs:
        if not meeting.secretary:
            raise Conflict("secretary", "the meeting has no secretary recorded", sv="sammanträdet saknar sekreterare")
        people.append(Signatory(meeting.secretary_person_id, meeting.secretary, "sekreterare"))
    return people


def _part(paragraph: int | None) -> Any:
    return SigningRound.paragraph.is_(None) if paragraph is None else SigningRound.paragraph == paragraph


def open_round(session: Session, meeting: Meeting, paragraph: int | None = None) -> SigningRound | None:
    """The open round of the protocol (or of the OJ § `paragraph`'s protocol part)."""
    return session.scalar(
        select(SigningRound).where(
            SigningRound.meeting_id == meeting.id, SigningRound.status == "open", _part(paragraph)
        )
    )


def signatories_of(session: Session, round_: SigningRound) -> list[RoundSignatory]:
    return list(
        session.scalars(
            select(RoundSignatory).where(RoundSignatory.round_id == round_.id).order_by(RoundSignatory.position)
        )
    )


def _folder(meeting: Meeting) -> Path:
    from arende.settings import get_settings

    return get_settings().effective_documents_dir / "justering" / f"{meeting.organ.code}-{meeting.held_on}"


def _write(meeting: Meeting, round_id: int, version: int, data: bytes) -> str:
    path = _folder(meeting) / f"protokoll-r{round_id}-v{version}.pdf"
    write_private(path, data, "ARENDE_DOCUMENTS_DIR")
    return stored_name(path)


def _reason(meeting: Meeting) -> str:
    return f"Justering av protokoll, {meeting.organ.name} {meeting.held_on.isoformat()}"


def start_round(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    *,
    on: dt.date,
    who: str | None,
    secretary_signs: bool = False,
    paragraph: int | None = None,
) -> SigningRound:
    """Send the protocol for signing (once: asked again while it is open, the same round);
    with `paragraph`, the protocol part of that § declared omedelbart justerad, signed at
    the meeting."""
    from arende.services.archive import convert_to_pdfa
    from arende.services.common import audit
    from arende.services.meeting.papers import write_protocol
    from arende.services.meeting.plan import find_meeting

    meeting = find_meeting(session, organ_code, held_on, lock=True)
    existing = open_round(session, meeting, paragraph)
    if existing is not None:
        return existing
    signed_on = meeting.justerad_on if paragraph is None else _oj(session, meeting, paragraph).justerad_on
    if signed_on is not None:
        what = "the protocol" if paragraph is None else f"§ {paragraph}"
        raise Conflict(
            "meeting", f"{what} of {held_on} was justerat on {signed_on}", sv=f"{what} justerades redan {signed_on}"
        )
    people = signatories(meeting, secretary_signs=secretary_signs)
    missing = [p.name for p in people if p.person_id is None]
    if missing:
        raise Conflict(
            "signatories",
            f"{missing[0]} is not a recorded person of {meeting.organ.code}; add them with `arende member add`",
            sv=f"{missing[0]} finns inte bland organets ledamöter",
        )
    lines = [f"{p.name}, {ROLE_SV[p.role].lower()}" for p in people]
    document, docx = write_protocol(session, organ_code, held_on, on=on, signatories=lines, paragraph=paragraph)
    pdf = convert_to_pdfa(docx)
    counts: dict[str, int] = {}
    slots = []
    for p in people:
        counts[p.role] = counts.get(p.role, 0) + 1
        field = ROLE_SV[p.role].replace("Ö", "O").replace("ö", "o") + (
            str(counts[p.role]) if p.role == "justerare" else ""
        )
        slots.append(Slot(field, p.name, ROLE_SV[p.role]))
    prepared = add_signature_fields(pdf, slots)
    round_ = SigningRound(
        meeting_id=meeting.id,
        paragraph=paragraph,
        document_id=document.id,
        status="open",
        started_on=on,
        started_by=who,
        file="",
        sha256=hashlib.sha256(prepared).hexdigest(),
        base_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    session.add(round_)
    session.flush()
    round_.file = _write(meeting, round_.id, 0, prepared)
    for i, (p, slot) in enumerate(zip(people, slots, strict=True)):
        session.add(
            RoundSignatory(
                round_id=round_.id, position=i, person_id=p.person_id, name=p.name, role=p.role, field=slot.field
            )
        )
    audit(
        session,
        "justering.round_started",
        meeting_id=meeting.id,
        after={"round": round_.id, "signatories": lines, "document": document.number},
        who=who,
    )
    return round_


def _oj(session: Session, meeting: Meeting, paragraph: int) -> Any:
    from arende.services.meeting.proceedings import immediate_decision

    return immediate_decision(session, meeting, paragraph)


def current_pdf(round_: SigningRound) -> bytes:
    """The round's PDF as it stands, checked against what was recorded: a file changed
    behind the system is never signed on."""
    path = stored_path(round_.file)
    data = path.read_bytes() if path is not None and path.is_file() else None
    if data is None or hashlib.sha256(data).hexdigest() != round_.sha256:
        raise Conflict(
            "file",
            f"the protocol sent for signing ({round_.file}) is missing or changed since it was recorded",
            sv="protokollet som skickats för underskrift saknas eller har ändrats",
        )
    return data


def next_signatory(session: Session, round_: SigningRound) -> RoundSignatory | None:
    return next((s for s in signatories_of(session, round_) if s.signed_at is None), None)


def _turn(session: Session, round_: SigningRound, username: str) -> tuple[RoundSignatory, User]:
    user = session.scalar(select(User).where(User.username == username.strip().lower()[:60]))
    if user is None or not user.active:
        raise InvalidInput("user", f"{username[:60]!r} is no active account", sv=f"{username[:60]} är inget konto")
    waiting = next_signatory(session, round_)
    mine = [s for s in signatories_of(session, round_) if s.person_id == user.person_id]
    if not mine:
        raise Conflict(
            "user",
            f"{user.name} ({user.username}) is not a signatory of this protocol",
            sv=f"{user.name} ska inte skriva under detta protokoll",
        )
    if waiting is None or waiting.person_id != user.person_id:
        if waiting is None or all(s.signed_at is not None for s in mine):
            raise Conflict("user", f"{user.name} has signed already", sv=f"{user.name} har redan skrivit under")
        raise Conflict(
            "user",
            f"it is {waiting.name}'s turn to sign first",
            sv=f"{waiting.name} skriver under först",
        )
    return waiting, user


def sign_next(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    *,
    username: str,
    signer: Signer,
    now: dt.datetime | None = None,
    paragraph: int | None = None,
) -> list[int]:
    """The account's signature on the protocol (or the OJ § `paragraph`'s part), in its
    turn. Returns the errands the justering moves on (when this was the last), else []."""
    from arende.services.common import audit
    from arende.services.meeting.plan import find_meeting
    from arende.settings import get_settings

    meeting = find_meeting(session, organ_code, held_on, lock=True)
    round_ = open_round(session, meeting, paragraph)
    if round_ is None:
        raise Conflict(
            "meeting",
            f"the protocol of {held_on} is not out for signing; the secretary starts it with `arende justering start`",
            sv="protokollet är inte utskickat för underskrift",
        )
    signatory, user = _turn(session, round_, username)
    signed_so_far = sum(1 for s in signatories_of(session, round_) if s.signed_at is not None)
    request = SignatureRequest(
        Slot(signatory.field, signatory.name, ROLE_SV[signatory.role]),
        reason=_reason(meeting),
        location=get_settings().municipality,
        certify=signed_so_far == 0,
    )
    signed = signer.sign(current_pdf(round_), request)
    _check_new_signature(signed)
    round_.file = _write(meeting, round_.id, signed_so_far + 1, signed)
    round_.sha256 = hashlib.sha256(signed).hexdigest()
    moment = now or utcnow()
    signatory.signed_at, signatory.signed_by = moment, user.username
    audit(
        session,
        "justering.signed",
        meeting_id=meeting.id,
        after={"round": round_.id, "name": signatory.name, "role": signatory.role, "sha256": round_.sha256},
        who=user.username,
    )
    if next_signatory(session, round_) is not None:
        return []
    from arende.services.common import today

    # Dated by the last signature: the system's day (a replay pins it), never before it.
    return _complete(session, meeting, round_, today() if now is None else moment.astimezone().date())


def _check_new_signature(signed: bytes) -> None:
    """The signature just made must hold here before it is kept: an expired, revoked or
    unknown certificate (from an outside service) is refused, and nothing is written."""
    from arende.signing.ca import revocation_lists, trusted_roots
    from arende.signing.verify import verify_pdf

    last = verify_pdf(signed, trusted_roots(), revocation_lists()).signatures[-1]
    if not last.ok:
        raise Conflict(
            "certificate",
            f"the signature of {last.signer or 'the signatory'} does not hold here "
            f"({last.problem or 'the file changed'}); nothing was recorded",
            sv=f"underskriften av {last.signer} håller inte ({last.problem}); inget registrerades",
        )


def _complete(session: Session, meeting: Meeting, round_: SigningRound, day: dt.date) -> list[int]:
    """The last signature is in: the justering is recorded, dated by it."""
    from arende.services.meeting.register import enter
    from arende.services.meeting.signing import record_justering
    from db.models import Document

    people = signatories_of(session, round_)
    chair = next(p.name for p in people if p.role == "ordforande")
    secretary = next((p.name for p in people if p.role == "sekreterare"), None)
    round_.status, round_.completed_at = "completed", utcnow()
    errands = record_justering(
        session,
        meeting.organ.code,
        meeting.held_on,
        justerad_on=max(day, meeting.held_on),
        chair=chair,
        justerare=[p.name for p in people if p.role == "justerare"],
        secretary=secretary,
        paragraph=round_.paragraph,
        from_round=True,
    )
    protocol = session.get(Document, round_.document_id)
    if protocol is not None:
        protocol.archive_path = round_.file  # the signed PDF/A is the protocol kept for good
    enter(session, meeting, round_)
    return errands


def signer_of(username: str, password: str | None) -> Signer:
    """How `username` signs: through the outside signing service when one is configured,
    else with their built-in key, after their password is checked (a failure counts
    toward the login limit and is recorded, whatever happens next)."""
    from arende.settings import get_settings

    url = get_settings().signing_service_url
    if url:
        from arende.signing.remote import RemoteSigner

        return RemoteSigner(url, username)
    from arende.services.accounts import authenticate
    from arende.signing.ca import person_key
    from arende.signing.pdf import BuiltinSigner
    from db.session import session_scope

    with session_scope() as session:
        account = authenticate(session, username, password or "", "justering")
    with session_scope() as session:
        user = session.get(User, account.id)
        assert user is not None  # just authenticated
        return BuiltinSigner(person_key(user.person_id, user.name, password or ""))


def reject(
    session: Session, organ_code: str, held_on: dt.date, *, username: str, comment: str, paragraph: int | None = None
) -> None:
    """A signatory sends the protocol back to the secretary with a comment."""
    from arende.services.common import audit
    from arende.services.meeting.plan import find_meeting

    comment = " ".join(comment.split())
    if not comment:
        raise InvalidInput("comment", "say what is wrong in the protocol", sv="skriv vad som är fel i protokollet")
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    round_ = open_round(session, meeting, paragraph)
    if round_ is None:
        raise Conflict("meeting", f"the protocol of {held_on} is not out for signing", sv="inget protokoll att avvisa")
    user = session.scalar(select(User).where(User.username == username.strip().lower()[:60]))
    mine = [s for s in signatories_of(session, round_) if user is not None and s.person_id == user.person_id]
    if user is None or not mine:
        raise Conflict("user", f"{username[:60]} is not a signatory of this protocol", sv="du ska inte skriva under")
    round_.status, round_.rejected_by, round_.rejected_comment = "rejected", user.name, comment[:2000]
    audit(
        session,
        "justering.rejected",
        meeting_id=meeting.id,
        after={"round": round_.id, "by": user.name, "comment": comment[:2000]},
        who=user.username,
    )
