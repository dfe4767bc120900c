"""The meeting's course, as the protocol's customary opening parts record it: val av
justerare (printed before anyone signs, and the justerare who then sign), the
föredragningslista approved, when the meeting ended, and its adjournments."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput
from arende.rules.clock import Fact
from arende.services.common import audit, keep_to_clock
from arende.services.meeting.plan import find_meeting, parse_time
from arende.services.meeting.proceedings import check_open
from db.models import Meeting

_SPAN = re.compile(r"^\s*(\d{1,2}[.:]\d{2})\s*[-–]\s*(\d{1,2}[.:]\d{2})\s*$")


def _span(text: str) -> tuple[dt.time, dt.time]:
    match = _SPAN.match(text)
    if match is None:
        raise InvalidInput("adjourned", f"{text[:20]!r} is not a span such as 14.30-14.45", sv="ange som 14.30-14.45")
    start, end = (parse_time(part, "adjourned") for part in match.groups())
    if end <= start:
        raise InvalidInput("adjourned", f"{text[:20]!r} ends before it begins", sv="ajourneringen slutar före början")
    return start, end


def _course(meeting: Meeting) -> dict[str, object]:
    return {
        "justerare": list(meeting.justerare),
        "agenda_approved": meeting.agenda_approved,
        "ends_at": meeting.ends_at,
        "adjournments": list(meeting.adjournments),
    }


def record_course(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    *,
    justerare: list[str],
    agenda_approved: bool,
    ends_at: dt.time | None,
    adjourned: list[str],
) -> Meeting:
    """What is given is recorded (again: the same, or corrected until justering)."""
    from arende.services.meeting.attendance import present_names
    from arende.services.meeting.signing import chosen_justerare

    meeting = find_meeting(session, organ_code, held_on, lock=True)
    keep_to_clock(Fact.ATTENDANCE, held_on)
    check_open(meeting)
    starts = meeting.starts_at
    if ends_at is not None and starts is not None and ends_at <= starts:
        raise Conflict("ends", f"the meeting began at {starts:%H.%M}; it cannot end at {ends_at:%H.%M}")
    spans = [_span(text) for text in adjourned]
    for start, end in spans:
        if (starts and start < starts) or (ends_at and end > ends_at):
            raise Conflict("adjourned", f"an adjournment {start:%H.%M}–{end:%H.%M} lies outside the meeting")
    before = _course(meeting)
    if justerare:
        present = present_names(session, meeting)
        absent = [n for n in justerare if present is not None and n not in present]
        if absent:
            raise Conflict(
                "justerare",
                f"{absent[0]} was not present at the meeting of {held_on}",
                sv=f"{absent[0]} var inte närvarande vid sammanträdet {held_on}",
            )
        chosen_justerare(session, meeting, justerare)
    meeting.agenda_approved = meeting.agenda_approved or agenda_approved
    if ends_at is not None:
        meeting.ends_at = ends_at
    if spans:
        meeting.adjournments = [f"{a:%H.%M}–{b:%H.%M}" for a, b in spans]
    after = _course(meeting)
    if after != before:
        audit(
            session,
            "meeting.course",
            meeting_id=meeting.id,
            after=after | {"ends_at": f"{meeting.ends_at:%H:%M}" if meeting.ends_at else None},
        )
    return meeting
