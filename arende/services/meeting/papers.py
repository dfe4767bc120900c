"""The meeting's documents, all from the same recorded data: the kallelse with its
föredragningslista, the protokoll (one per meeting) and the notice for the anslagstavla.
A protocol extract (services.documents) renders its § from `paragraph_context`, so the
extract says word for word what the protocol says."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arende.documents import paragraphs, render, sha256
from arende.errors import Conflict
from arende.rules.lifecycles import MeetingState
from arende.rules.procedure import LAGLIGHETSPROVNING_SV
from arende.rules.workflow import ROLE_SV, Direction, EntryKind, ItemKind, Presence, Role
from arende.services.common import Signing, audit, signing_of
from arende.services.meeting.agenda import items_of
from arende.services.meeting.attendance import attendance_of
from arende.services.meeting.members import seats_on
from arende.services.meeting.minutes import jav_lines, vote_context, who
from arende.services.meeting.plan import find_meeting
from arende.services.meeting.proceedings import immediate_decision, paragraphs_of
from arende.swedish import genitive, long_date
from db.models import (
    AgendaItem,
    Correction,
    Decision,
    DelegatedDecision,
    Document,
    Errand,
    Meeting,
    ParagraphEntry,
    Person,
    Recipient,
    Report,
    ReportedItem,
)
from db.models.base import stored_name


def meeting_time(meeting: Meeting) -> str:
    """'13.15', or '13.15–15.40' once the end is recorded."""
    if meeting.starts_at is None:
        return ""
    return meeting.starts_at.strftime("%H.%M") + (f"–{meeting.ends_at:%H.%M}" if meeting.ends_at else "")


def secretary_named(meeting: Meeting) -> tuple[str, str]:
    """The secretary as a document names them: 'Karin Nilsson, nämndsekreterare', and with
    phone and e-mail for where to reach them (from the person, when one is recorded)."""
    from sqlalchemy.orm import object_session

    name = meeting.secretary or meeting.organ.secretary or ""
    session = object_session(meeting)
    person = (
        session.get(Person, meeting.secretary_person_id)
        if session is not None and meeting.secretary_person_id
        else None
    )
    if person is None or not name:
        return name, name
    titled = f"{name}, {person.title[:1].lower()}{person.title[1:]}" if person.title else name
    return titled, ", ".join(part for part in (titled, person.phone, person.email) if part)


def meeting_context(meeting: Meeting) -> dict[str, Any]:
    organ = meeting.organ
    titled, contact = secretary_named(meeting)
    return {
        "organ_name": organ.name,
        "organ_genitive": genitive(organ.name),
        "office": organ.office or organ.name,
        "meeting_date": meeting.held_on.isoformat(),
        "date_long": long_date(meeting.held_on),
        "time": meeting_time(meeting),
        "place": meeting.place or "",
        "justering_at": meeting.justering_at or "",
        "justering_place": meeting.justering_place or "",
        "agenda_approved": meeting.agenda_approved,
        "adjournments": list(meeting.adjournments or []),
        "secretary": meeting.secretary or organ.secretary or "",
        "secretary_titled": titled,
        "secretary_contact": contact,
        "chair": meeting.chair or organ.chair or "",
    }


def _listed(session: Session, item: AgendaItem) -> list[str]:
    """The lines of an anmälningsärenden or delegationsbeslut list."""
    if item.kind == ItemKind.ANMALAN.value:
        rows = session.scalars(
            select(ReportedItem)
            .where(ReportedItem.meeting_id == item.meeting_id)
            .order_by(ReportedItem.received_on, ReportedItem.id)
        )
        return [f"{r.heading}" + (f", {r.reference}" if r.reference else "") for r in rows]
    if item.kind == ItemKind.DELEGATION.value:
        rows2 = session.scalars(
            select(DelegatedDecision)
            .where(DelegatedDecision.meeting_id == item.meeting_id)
            .order_by(DelegatedDecision.decided_on, DelegatedDecision.id)
        )
        return [
            f"{d.summary} ({d.delegate}, {d.decided_on.isoformat()}, delegationsordningen punkt {d.point.code})"
            + (f", Dnr {d.dnr}" if d.dnr else "")
            for d in rows2
        ]
    return []


def _handlingar(session: Session, errand: Errand) -> list[str]:
    """What goes with an errand to the meeting: the tjänsteskrivelse and its
    beslutsunderlag, and the incoming handlingar that are public (the remiss itself)."""
    report = session.get(Report, errand.id)
    incoming = session.scalars(
        select(Document.description)
        .where(
            Document.errand_id == errand.id,
            Document.direction == Direction.INCOMING.value,
            Document.secrecy_provision.is_(None),
        )
        .order_by(Document.number)
    )
    drafted = [f"Tjänsteskrivelse {report.drafted_on.isoformat()}", *report.attachments] if report else []
    return [*incoming, *drafted]


def paragraph_context(session: Session, decision: Decision) -> dict[str, Any]:
    """One § as the protocol records it (KL 5:67): the decision, and where there were
    any, jäv, yrkanden, propositionsordning, the vote, reservationer,
    protokollsanteckningar and särskilda yttranden."""
    errand = session.get(Errand, decision.errand_id) if decision.errand_id else None
    item = session.get(AgendaItem, decision.agenda_item_id) if decision.agenda_item_id else None
    report = session.get(Report, errand.id) if errand else None
    entries = session.execute(
        select(ParagraphEntry, Person)
        .outerjoin(Person, Person.id == ParagraphEntry.person_id)
        .where(ParagraphEntry.decision_id == decision.id)
        .order_by(ParagraphEntry.position)
    ).all()

    def of(kind: EntryKind) -> list[tuple[ParagraphEntry, Person | None]]:
        return [(e, p) for e, p in entries if e.kind == kind.value]

    recipients = (
        [
            r.name
            for r in session.scalars(
                select(Recipient).where(Recipient.errand_id == errand.id).order_by(Recipient.position)
            )
        ]
        if errand
        else []
    )
    return {
        "paragraph": decision.paragraph,
        "dnr": errand.dnr if errand else "",
        "heading": errand.title if errand else (item.heading if item else ""),
        "decision_paragraphs": paragraphs(decision.text),
        "immediate": decision.immediate,
        "jav": jav_lines(session, decision),
        "yrkanden": [f"{who(p)} yrkar: {e.text}" for e, p in of(EntryKind.YRKANDE)],
        "proposition_order": decision.proposition_order or "",
        **vote_context(session, decision.meeting, decision),
        "reservations": [
            f"{who(p)} reserverar sig mot beslutet" + (f": {e.text}" if e.text else ".")
            for e, p in of(EntryKind.RESERVATION)
        ],
        "notes": [f"{who(p) or 'Protokollsanteckning'}: {e.text}" for e, p in of(EntryKind.PROTOKOLLSANTECKNING)],
        "statements": [f"{who(p)}: {e.text}" for e, p in of(EntryKind.SARSKILT_YTTRANDE)],
        # A tjänsteskrivelse without a Sammanfattning is summed up by its whole text, as
        # the seed's § 125 prints "Sammanfattning av ärendet" over "Ärendet i sin helhet".
        "summary_paragraphs": paragraphs(report.summary or report.body) if report else [],
        "attachments": list(report.attachments) if report else [],
        "recipients": recipients,
        "listed": _listed(session, item) if item else [],
    }


def kallelse_context(session: Session, meeting: Meeting) -> dict[str, Any]:
    items = []
    for item in items_of(session, meeting):
        errand = session.get(Errand, item.errand_id) if item.errand_id else None
        handlingar = _handlingar(session, errand) if errand else _listed(session, item)
        items.append(
            {
                "number": item.position,
                "heading": item.heading,
                "dnr": errand.dnr if errand else "",
                "proposed": item.proposed_decision or "",
                "handlingar": handlingar,
            }
        )
    seats = seats_on(session, meeting.organ, meeting.held_on)
    return meeting_context(meeting) | {
        "time": meeting.starts_at.strftime("%H.%M") if meeting.starts_at else "",  # called before it ends
        "items": items,
        "members": [f"{who(s.person)}, {ROLE_SV[Role(s.role)]}" for s in seats if s.serving],
        "ersattare": [who(s.person) for s in seats if not s.serving],
    }


def register_paper(
    session: Session,
    meeting: Meeting,
    kind: str,
    context: dict[str, Any],
    description: str,
    on: dt.date,
    *,
    date_label: str = "Datum",
) -> tuple[Document, bytes]:
    """Render and register a meeting's own document; the same content is registered once."""
    from arende.services.documents import letterhead, store

    head = letterhead(meeting.organ, kind, on=on) | {"date_label": date_label}
    data = render(kind, {"head": head} | context)
    digest = sha256(data)
    existing = session.scalar(
        select(Document).where(Document.meeting_id == meeting.id, Document.kind == kind, Document.sha256 == digest)
    )
    if existing is not None:
        return existing, data
    folder = f"{meeting.organ.code}-sammantraden/{meeting.held_on.isoformat()}"
    path = store(session, folder, kind, digest, data)
    number = (session.scalar(select(func.max(Document.number)).where(Document.meeting_id == meeting.id)) or 0) + 1
    doc = Document(
        meeting_id=meeting.id,
        errand_id=None,
        number=number,
        registered_on=on,
        direction=Direction.DRAWN_UP.value,
        counterpart=meeting.organ.office or meeting.organ.name,
        description=description,
        kind=kind,
        file_name=f"{meeting.organ.code}_{meeting.held_on.isoformat()}_{kind}.docx",
        storage_path=stored_name(path),
        sha256=digest,
    )
    session.add(doc)
    session.flush()
    audit(session, "document.drawn_up", meeting_id=meeting.id, after={"kind": kind, "sha256": digest})
    return doc, data


def _present_lines(session: Session, meeting: Meeting) -> dict[str, list[str]]:
    seats = {s.person.id: s for s in seats_on(session, meeting.organ, meeting.held_on)}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(list(seats) or [0])))}
    out: dict[str, list[str]] = {"beslutande": [], "ersattare": [], "ovriga": [], "franvarande": []}
    for row in attendance_of(session, meeting):
        person = people.get(row.person_id) if row.person_id else None
        name = who(person) if person else row.name
        note = f" ({row.note})" if row.note else ""
        if row.function == Presence.LEDAMOT.value:
            role = seats[row.person_id].role if row.person_id in seats else Role.LEDAMOT.value
            extra = f", {ROLE_SV[Role(role)]}" if role in (Role.ORDFORANDE.value, Role.VICE_ORDFORANDE.value) else ""
            out["beslutande"].append(f"{name}{extra}{note}")
        elif row.function == Presence.TJANSTGORANDE.value:
            replaced = people.get(row.replaces_person_id) if row.replaces_person_id else None
            out["beslutande"].append(f"{name}, tjänstgörande ersättare för {replaced.name if replaced else '?'}{note}")
        elif row.function == Presence.ERSATTARE.value:
            out["ersattare"].append(f"{name}{note}")
        elif row.function == Presence.OVRIG.value:
            out["ovriga"].append(f"{row.name}, {row.title}{note}" if row.title else f"{row.name}{note}")
        else:
            out["franvarande"].append(name)
    return out


def protocol_context(session: Session, meeting: Meeting, oj: Decision | None = None) -> dict[str, Any]:
    """The whole protocol; with `oj`, the part of one § declared omedelbart justerad,
    with its own justering and notice. Once the rest is signed, the whole protocol
    shows the OJ § too, marked as such."""
    decisions = [oj] if oj is not None else paragraphs_of(session, meeting)
    paras = [paragraph_context(session, d) for d in decisions]
    corrections = session.scalars(select(Correction).where(Correction.meeting_id == meeting.id).order_by(Correction.id))
    numbers = [p["paragraph"] for p in paras]
    signed = signing_of(oj) if oj is not None else None
    return (
        meeting_context(meeting)
        | _present_lines(session, meeting)
        | notice_context(meeting, signed)
        | {
            "paragraphs": paras,
            "paragraph_range": (f"{min(numbers)}–{max(numbers)}" if len(numbers) > 1 else str(numbers[0]))
            if numbers
            else "",
            "justerare": list(meeting.justerare or []),
            "justerad": (signed or signing_of(decisions[0])).justerad_on is not None if decisions else False,
            "corrections": [f"{c.corrected_on.isoformat()}, {c.corrected_by}: {c.text}" for c in corrections],
        }
    )


def notice_context(meeting: Meeting, signed: Signing | None = None) -> dict[str, Any]:
    """The notice's dates: the meeting's, or an OJ §'s own."""
    justerad, posted = (
        (signed.justerad_on, signed.anslag_posted_on) if signed else (meeting.justerad_on, meeting.anslag_posted_on)
    )
    removed, ends = (
        (signed.anslag_removed_on, signed.appeal_ends_on)
        if signed
        else (meeting.anslag_removed_on, meeting.appeal_ends_on)
    )
    return {
        "justerad_on_long": long_date(justerad),
        "anslag_posted_long": long_date(posted),
        "anslag_removed_long": long_date(removed),
        "appeal_ends_long": long_date(ends),
        "minutes_kept_at": meeting.minutes_kept_at or meeting.organ.office or meeting.organ.name,
        "anslagen": posted is not None,
        "appeal": LAGLIGHETSPROVNING_SV,
        "oj": signed is not None,
    }


def _oj(session: Session, meeting: Meeting, paragraph: int | None) -> Decision | None:
    return None if paragraph is None else immediate_decision(session, meeting, paragraph)


def write_protocol(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    *,
    on: dt.date,
    paragraph: int | None = None,
    signatories: list[str] | None = None,
) -> tuple[Document, bytes]:
    """The protokoll of a held meeting; with `paragraph`, the separate protocol of a §
    declared omedelbart justerad. With `signatories` ("Lars-Åke Johansson, ordförande"),
    the version sent for digital justering: its last page "Justerat digitalt" holds their
    electronic signatures instead of lines to sign by hand."""
    meeting = find_meeting(session, organ_code, held_on)
    if meeting.status in (MeetingState.PLANNED.value, MeetingState.KALLAD.value, MeetingState.CANCELLED.value):
        raise Conflict("meeting", f"the meeting of {held_on} is {meeting.status}; a protokoll follows a held meeting")
    if not paragraphs_of(session, meeting):
        raise Conflict("meeting", f"the meeting of {held_on} has no § recorded yet")
    oj = _oj(session, meeting, paragraph)
    what = f"Protokoll {meeting.organ.name} {held_on.isoformat()}" + (f" § {paragraph} (OJ)" if oj else "")
    # One date per document: a signed protocol carries its justeringsdatum, a draft the
    # day of the meeting; never the day someone happened to print it.
    justerad = signing_of(oj).justerad_on if oj is not None else meeting.justerad_on
    dated = justerad or held_on
    return register_paper(
        session,
        meeting,
        "protokoll",
        protocol_context(session, meeting, oj) | {"digital": bool(signatories), "signatories": signatories or []},
        what,
        dated,
        date_label="Justeringsdatum" if justerad else "Datum",
    )


def notice_text(meeting: Meeting, signed: Signing | None = None) -> str:
    """The anslag as plain text for the municipality's digital anslagstavla."""
    organ = meeting.organ
    c = notice_context(meeting, signed)
    lines = [
        "ANSLAG/BEVIS: "
        + ("Paragrafen är omedelbart justerad." if signed else "Protokollet är justerat.")
        + " Justeringen har tillkännagivits genom anslag.",
        f"Organ: {organ.name}",
        f"Sammanträdesdatum: {meeting.held_on.isoformat()}",
        f"Datum för justering: {c['justerad_on_long']}",
        f"Datum då anslaget sätts upp: {c['anslag_posted_long']}",
        f"Datum då anslaget tas ned: {c['anslag_removed_long']}",
        f"Förvaringsplats för protokollet: {c['minutes_kept_at']}",
        f"{LAGLIGHETSPROVNING_SV}, det vill säga senast {c['appeal_ends_long']}.",
    ]
    return "\n".join(lines) + "\n"


def write_notice(
    session: Session, organ_code: str, held_on: dt.date, *, paragraph: int | None = None
) -> tuple[Document, bytes, str]:
    meeting = find_meeting(session, organ_code, held_on)
    oj = _oj(session, meeting, paragraph)
    signed = signing_of(oj) if oj is not None else None
    posted = signed.anslag_posted_on if signed else meeting.anslag_posted_on
    if posted is None:
        raise Conflict(
            "meeting",
            f"the notice of {held_on} is not posted yet; record `arende anslag` first",
            sv=f"anslaget för {held_on} är inte uppsatt än",
        )
    what = f"Anslag om justering {meeting.organ.name} {held_on.isoformat()}" + (f" § {paragraph} (OJ)" if oj else "")
    context = meeting_context(meeting) | notice_context(meeting, signed)
    doc, data = register_paper(session, meeting, "anslag", context, what, posted)
    return doc, data, notice_text(meeting, signed)
