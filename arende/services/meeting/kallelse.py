"""The kallelse sent: to every member's and ersättare's address through the outbox, once
per version of the kallelse; an unchanged agenda sends nothing again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.documents import render, sha256
from arende.errors import Conflict
from arende.rules.clock import check_kallelse
from arende.rules.lifecycles import MeetingState, OutboxStatus, meeting_move
from arende.services.common import audit, today
from arende.services.meeting.agenda import items_of
from arende.services.meeting.members import seats_on
from arende.services.meeting.papers import kallelse_context, register_paper
from arende.services.meeting.plan import find_meeting
from arende.swedish import long_date
from db.models import (
    Document,
    Meeting,
    OutboxMessage,
)


def _unchanged_since(session: Session, meeting: Meeting, context: dict[str, Any]) -> dt.date | None:
    """The day of the kallelse last made, when the agenda has not changed since: the same
    kallelse sent again on a later day is the one already sent, not a revised one."""
    from arende.services.documents import letterhead

    last = session.scalar(
        select(Document)
        .where(Document.meeting_id == meeting.id, Document.kind == "kallelse")
        .order_by(Document.id.desc())
        .limit(1)
    )
    if last is None:
        return None
    again = render("kallelse", {"head": letterhead(meeting.organ, "kallelse", on=last.registered_on)} | context)
    return last.registered_on if sha256(again) == last.sha256 else None


def send_kallelse(
    session: Session, organ_code: str, held_on: dt.date, *, on: dt.date
) -> tuple[Document, bytes, int, list[str]]:
    """The kallelse with its föredragningslista, to every member's and ersättare's
    e-mail through the outbox: once per version of the kallelse. Returns the document,
    the number of messages queued now and the members without an address."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    check_kallelse(on, held_on, today=today())
    if meeting.status not in (MeetingState.PLANNED.value, MeetingState.KALLAD.value):
        raise Conflict(
            "meeting", f"the meeting of {held_on} is {meeting.status}; a kallelse goes out before it is held"
        )
    if not items_of(session, meeting):
        raise Conflict("meeting", "the föredragningslista is empty; build it with `arende meeting agenda` first")
    organ = meeting.organ
    context = kallelse_context(session, meeting)
    on = _unchanged_since(session, meeting, context) or on
    doc, data = register_paper(
        session,
        meeting,
        "kallelse",
        context,
        f"Kallelse {organ.name} {held_on.isoformat()}",
        on,
    )
    queued, no_address = 0, []
    for seat in seats_on(session, organ, held_on):
        person = seat.person
        if not seat.email:
            no_address.append(person.name)
            continue
        key = f"kallelse:{meeting.id}:{doc.sha256[:16] if doc.sha256 else doc.id}:{person.id}"
        if session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)):
            continue
        # An earlier version of this kallelse: not yet sent, it is replaced; already
        # sent, this one says it is revised.
        earlier = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.idempotency_key.like(f"kallelse:{meeting.id}:%:{person.id}"),
                OutboxMessage.idempotency_key != key,
            )
        ).all()
        revised = False
        for message in earlier:
            if message.status == OutboxStatus.PENDING.value and message.attempts == 0:
                session.delete(message)
            else:
                revised = True
        session.add(
            OutboxMessage(
                idempotency_key=key,
                to_address=seat.email,
                subject=f"{'Reviderad kallelse' if revised else 'Kallelse'} till {organ.name} {long_date(held_on)}",
                body=(
                    f"Hej {person.name},\n\nHärmed kallas du till sammanträde med {organ.name} {long_date(held_on)}"
                    + (f" kl. {meeting.starts_at:%H.%M}" if meeting.starts_at else "")
                    + (f", {meeting.place}" if meeting.place else "")
                    + ".\nKallelsen med föredragningslistan är bifogad.\n"
                    + (
                        "Ersättare underrättas för kännedom.\n"
                        if not seat.serving
                        else "Förhinder anmäls till sekreteraren.\n"
                    )
                    + f"\nMed vänlig hälsning\n{meeting.secretary or organ.name}\n"
                ),
                attachment_ids=[doc.id],
            )
        )
        queued += 1
    if meeting.status == MeetingState.PLANNED.value:
        meeting.status = meeting_move(meeting.status, MeetingState.KALLAD, what=f"the meeting of {held_on}")
        meeting.kallad_on = on
        audit(session, "meeting.kallad", meeting_id=meeting.id, after={"on": on, "queued": queued})
    session.flush()
    return doc, data, queued, no_address
