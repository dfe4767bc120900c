"""Open deadlines as an iCalendar feed (RFC 5545) that Outlook can import or
subscribe to: one all-day event per deadline, with a stable UID so a refreshed feed
updates events instead of duplicating them."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.rules.workflow import DeadlineStatus
from arende.services.common import get_organ
from db.models import Deadline, Errand


def deadlines_calendar(session: Session, *, organ: str | None = None, officer: str | None = None) -> bytes:
    stmt = (
        select(Deadline, Errand)
        .join(Errand, Errand.id == Deadline.errand_id)
        .where(Deadline.status == DeadlineStatus.OPEN.value)
        .order_by(Deadline.due_on, Deadline.id)
    )
    if organ:  # a mistyped organ is an error, never an empty calendar
        organ = get_organ(session, organ).code
        stmt = stmt.where(Errand.prefix == organ)
    if officer:
        stmt = stmt.where(Errand.officer == officer.strip())
    cal = Calendar()
    cal.add("prodid", "-//Ärende//frister//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Frister" + (f" {organ}" if organ else "") + (f" {officer}" if officer else ""))
    stamp = dt.datetime.now(dt.UTC)
    for deadline, errand in session.execute(stmt):
        event = Event()
        event.add("uid", f"deadline-{deadline.id}@arende")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + dt.timedelta(days=1))
        event.add("summary", f"{deadline.description} – {errand.dnr}")
        event.add(
            "description",
            f"{errand.dnr} {errand.title}\nSteg: {deadline.step}"
            + (f"\nHandläggare: {errand.officer}" if errand.officer else ""),
        )
        event.add("categories", [errand.prefix])
        cal.add_component(event)
    return cal.to_ical()
