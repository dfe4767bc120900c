"""Produced documents: build the context from the database, render, store the file
under its SHA-256 and register it as a handling of the errand, once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.documents import paragraphs, render, sha256
from arende.errors import Conflict
from arende.rules.dnr import Dnr
from arende.rules.procedure import AppealRoute
from arende.rules.workflow import Direction
from arende.services.common import decision_of, signing_of
from arende.services.diary import register_document
from arende.settings import get_settings
from arende.swedish import genitive, long_date
from db.models import Decision, Document, Errand, FsgConsultation, Organ, Recipient, Report
from db.models.base import stored_name

DESCRIPTIONS = {
    "tjansteskrivelse": "Tjänsteskrivelse",
    "remissvar": "Yttrande",
    "protokollsutdrag": "Protokollsutdrag",
    "revisionssvar": "Svar på revisionsrapport",
    "arsredovisning": "Årsredovisning",
    "missiv": "Skrivelse till Kommunstyrelsen",
    "iop_overenskommelse": "Överenskommelse om idéburet offentligt partnerskap",
    "iop_tillagg": "Komplettering till överenskommelse om IOP",
    "donation_beslut": "Bilaga till beslut, fördelning per fond och ändamål",
    "donation_bilaga": "Bilaga, beviljade bidrag per sökande",
}


# The document type at the top right of every page (seed 003: SKRIVELSE, PROTOKOLL...).
DOCUMENT_TYPES = {
    "tjansteskrivelse": "Tjänsteskrivelse",
    "remissvar": "Yttrande",
    "revisionssvar": "Skrivelse",
    "arsredovisning": "Årsredovisning",
    "missiv": "Skrivelse",
    "iop_overenskommelse": "Överenskommelse",
    "iop_tillagg": "Överenskommelse",
    "donation_beslut": "Bilaga",
    "donation_bilaga": "Bilaga",
    "protokollsutdrag": "Protokollsutdrag",
    "kallelse": "Kallelse",
    "protokoll": "Protokoll",
    "anslag": "Anslag/Bevis",
}


def letterhead(organ: Organ, kind: str, *, on: dt.date, dnr: str = "", officer: str | None = None) -> dict[str, Any]:
    """The header and footer every document carries (the template's `head`): the type,
    the date, the organ and the Dnr, and the organ's contact block with the handläggare.
    The wording around them is the template's."""
    return {
        "municipality": get_settings().municipality,
        "type": DOCUMENT_TYPES.get(kind, kind).upper(),
        "date": on.isoformat(),
        "date_label": "Datum",
        "organ": organ.name,
        "office": organ.office or organ.name,
        "dnr": dnr,
        "officer": officer or "",
        "postal": organ.postal_address or "",
        "visiting": organ.visiting_address or "",
        "website": organ.website or "",
        "email": organ.contact_email or organ.email or "",
        "phone": organ.phone or "",
    }


def _officer_line(session: Session, errand: Errand) -> str | None:
    """The handläggare as the footer names them: with the phone of their account's person
    when one is recorded (seed 003: "Hans Johansson, Handläggare, 033-35 85 73")."""
    from db.models import Person, User

    if errand.officer is None or errand.officer_user_id is None:
        return errand.officer
    user = session.get(User, errand.officer_user_id)
    person = session.get(Person, user.person_id) if user else None
    return f"{errand.officer}, {person.phone}" if person and person.phone else errand.officer


def _recipients(session: Session, errand_id: int) -> list[str]:
    rows = session.scalars(select(Recipient).where(Recipient.errand_id == errand_id).order_by(Recipient.position))
    return [r.name for r in rows]


def _samverkan(fsg: FsgConsultation | None, errand: Errand) -> str:
    if fsg is not None:
        how = "information enligt MBL §19" if fsg.kind == "information" else "förhandling enligt MBL §11"
        text = f"Förvaltningens samverkansgrupp (FSG) {fsg.held_on.isoformat()}, {how}."
        return f"{text} {fsg.note}" if fsg.note else text
    if errand.synnerliga_skal:
        return f"Beslut före samverkan av synnerliga skäl: {errand.synnerliga_skal}"
    return "Förvaltningens samverkansgrupp (FSG)."


def common_context(errand: Errand) -> dict[str, Any]:
    organ = errand.organ
    return {
        "dnr": errand.dnr,
        "title": errand.title,
        "organ_name": organ.name,
        "organ_genitive": genitive(organ.name),
        "office": organ.office or organ.name,
        "chair": organ.chair or "",
        "head_of_office": organ.head_of_office or "",
    }


def report_context(session: Session, errand: Errand, report: Report) -> dict[str, Any]:
    return common_context(errand) | {
        "drafted_on_long": long_date(report.drafted_on),
        "officer": errand.officer or "",
        "proposed_decision": report.proposed_decision,
        "summary_paragraphs": paragraphs(report.summary),
        "body_paragraphs": paragraphs(report.body),
        "attachments": list(report.attachments),
        "samverkan": _samverkan(session.get(FsgConsultation, errand.id), errand),
        "recipients": _recipients(session, errand.id),
    }


def decision_context(decision: Decision) -> dict[str, Any]:
    meeting, signed = decision.meeting, signing_of(decision)
    return {
        "paragraph": decision.paragraph,
        "meeting_date": meeting.held_on.isoformat(),
        "meeting_date_long": long_date(meeting.held_on),
        "justerad_on_long": long_date(signed.justerad_on),
        "anslag_posted_long": long_date(signed.anslag_posted_on),
        "appeal_ends_long": long_date(signed.appeal_ends_on),
        "justerare": list(meeting.justerare),
        "secretary": meeting.secretary or "",
    }


def reply_context(session: Session, errand: Errand, report: Report, decision: Decision) -> dict[str, Any]:
    meeting = decision.meeting
    return (
        common_context(errand)
        | decision_context(decision)
        | {
            "date_long": long_date(signing_of(decision).justerad_on or meeting.held_on),
            "sender_dnr": errand.external_ref or "",
            "sender_name": errand.counterpart or "",
            "stance": report.stance or "",
            "decision_text": decision.text,
            "summary_paragraphs": paragraphs(report.summary),
            "body_paragraphs": paragraphs(report.body),
            "chair": meeting.chair or errand.organ.chair or "",
        }
    )


def certifier_named(session: Session, username: str) -> str:
    """Who certifies an extract (Utdragsbestyrkande) as the extract names them: the
    person of an account that may make extracts, with their title ("Rut Berg,
    registrator"); the secretary when no one else is named."""
    from arende.rules.access import WebRole, may
    from arende.services.accounts import account_by_username
    from db.models import Person

    user = account_by_username(session, username, field="certifier")
    if not may(WebRole(user.role), "extract"):
        raise Conflict(
            "certifier",
            f"{user.username} ({user.name}) may not certify protocol extracts",
            sv=f"{user.username} ({user.name}) får inte bestyrka protokollsutdrag",
        )
    person = session.get(Person, user.person_id)
    title = person.title if person and person.title else None
    return f"{user.name}, {title[:1].lower()}{title[1:]}" if title else user.name


def extract_context(
    session: Session, errand: Errand, report: Report, decision: Decision, *, certified_by: str | None = None
) -> dict[str, Any]:
    from arende.rules.procedure import LAGLIGHETSPROVNING_SV, appeal_sentence_sv
    from arende.services.meeting.papers import paragraph_context, secretary_named

    meeting = decision.meeting
    route = appeal_route(decision, errand)
    return (
        common_context(errand)
        | decision_context(decision)
        | {
            # Cut from the protocol: the § is rendered from the same data and the same
            # block of the template as in the protokoll, word for word.
            "p": paragraph_context(session, decision),
            "chair": meeting.chair or errand.organ.chair or "",
            "certified_by": certified_by or secretary_named(meeting)[0],
            # The route by the kind of decision (KL 13:2, 13:5; FL 40–44 §§); `appeal` is
            # kept for a municipality's own template that still prints it.
            "appeal_route": route.value,
            "appeal_sentence": appeal_sentence_sv(
                route, organ=errand.organ.name, ends_long=long_date(signing_of(decision).appeal_ends_on)
            ),
            "appeal": LAGLIGHETSPROVNING_SV,
        }
    )


def appeal_route(decision: Decision, errand: Errand) -> AppealRoute:
    """The § says how it is appealed where it differs from its errand type."""
    from arende.services.catalogue import errand_type

    return AppealRoute(decision.appeal_route) if decision.appeal_route else errand_type(errand.errand_type).appeal


def file_name(errand: Errand, kind: str) -> str:
    return f"{Dnr(errand.prefix, errand.year, errand.seq).slug}_{kind}.docx"


def produce(
    session: Session,
    errand: Errand,
    kind: str,
    context: dict[str, Any],
    *,
    direction: Direction,
    counterpart: str,
    registered_on,  # noqa: ANN001 - a date
    who: str | None = None,
    secrecy_provision: str | None = None,
) -> tuple[Document, bytes]:
    """Render and register a document; the same content is registered only once. A
    letter's date in its body is its date in the header: one date per document."""
    head = letterhead(errand.organ, kind, on=registered_on, dnr=errand.dnr, officer=_officer_line(session, errand))
    if "date_long" in context:
        context = context | {"date_long": long_date(registered_on)}
    data = render(kind, {"head": head} | context)
    digest = sha256(data)
    existing = session.scalar(
        select(Document).where(Document.errand_id == errand.id, Document.kind == kind, Document.sha256 == digest)
    )
    if existing is not None:
        return existing, data
    path = store(session, Dnr(errand.prefix, errand.year, errand.seq).slug, kind, digest, data)
    doc = register_document(
        session,
        errand,
        registered_on=registered_on,
        direction=direction,
        counterpart=counterpart,
        description=f"{DESCRIPTIONS.get(kind, kind)}: {errand.title}",
        kind=kind,
        file_name=file_name(errand, kind),
        storage_path=stored_name(path),
        sha256=digest,
        who=who,
        secrecy_provision=secrecy_provision,
    )
    return doc, data


def draw_up(
    session: Session,
    errand: Errand,
    kind: str,
    context: dict[str, Any],
    on: dt.date,
    *,
    secrecy_provision: str | None = None,
) -> Document:
    """A document the office draws up in a step of the flow: the office (or the organ)
    as counterpart, registered on `on`."""
    doc, _ = produce(
        session,
        errand,
        kind,
        context,
        direction=Direction.DRAWN_UP,
        counterpart=errand.organ.office or errand.organ.name,
        registered_on=on,
        who="flow",
        secrecy_provision=secrecy_provision,
    )
    return doc


def store(session: Session, folder: str, kind: str, digest: str, data: bytes, suffix: str = ".docx") -> Path:
    """The produced (or received) file under its digest, in the folder of its errand or meeting."""
    from arende.files import private_folder, write_private

    documents = private_folder(get_settings().effective_documents_dir, "ARENDE_DOCUMENTS_DIR")
    path = documents / folder / f"{kind}-{digest[:16]}{suffix}"
    if not path.exists():
        # Written before the row commits (a crash leaves a file no row names, which the
        # next attempt reuses); a rollback removes it and a folder made for it
        # (db.session.session_scope).
        created = session.info.setdefault("created_files", [])
        if not path.parent.exists():
            created.append(path.parent)
        write_private(path, data, "ARENDE_DOCUMENTS_DIR")  # owner-only: a secret appendix is among them
        created.append(path)
    return path


def latest_document(session: Session, errand_id: int, kind: str) -> Document | None:
    return session.scalar(
        select(Document)
        .where(Document.errand_id == errand_id, Document.kind == kind)
        .order_by(Document.id.desc())
        .limit(1)
    )


def protocol_extract(
    session: Session,
    errand: Errand,
    *,
    who: str | None = None,
    certifier: str | None = None,
    certified_by_text: str | None = None,
) -> tuple[Document, bytes]:
    """The extract of the errand's deciding §, as it stands now (justering and anslag
    included once recorded), certified by the account `certifier` names (the secretary
    when None)."""
    decision = decision_of(session, errand.id)
    if decision is None:
        raise Conflict("dnr", f"{errand.dnr} has no decision yet; there is no § to extract")
    report = session.get(Report, errand.id)
    assert report is not None  # a decision is only recorded on a drafted errand
    certified_by = certified_by_text or (certifier_named(session, certifier) if certifier else None)
    context = extract_context(session, errand, report, decision, certified_by=certified_by)
    return produce(
        session,
        errand,
        "protokollsutdrag",
        context,
        direction=Direction.DRAWN_UP,
        counterpart=errand.organ.name,
        registered_on=extract_day(decision),
        who=who,
    )


def extract_day(decision: Decision) -> dt.date:
    """An extract is dated when it can be made as it reads: never before the justering or
    the notice it cites (it does not follow the calendar: asked again, it is the same)."""
    signed = signing_of(decision)
    return max(d for d in (decision.meeting.held_on, signed.justerad_on, signed.anslag_posted_on) if d is not None)
