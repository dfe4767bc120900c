"""The sammanträdesplan: an organ's meetings for the year, their time and place, and the
moves of a meeting's state. A decision recorded for a day with no planned meeting plans
it implicitly (the `decide --meeting` shortcut), unless the organ keeps a plan for that
year: then a day outside it is a mistake."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput, NotFound
from arende.rules.lifecycles import MeetingState, meeting_move
from arende.rules.procedure import justering_due
from arende.rules.workflow import Role
from arende.services.common import audit, get_organ
from arende.services.meeting.members import seats_on
from arende.settings import get_settings
from arende.swedish import long_date
from db.models import Meeting, Organ, Person


def find_meeting(session: Session, organ_code: str, held_on: dt.date, *, lock: bool = False) -> Meeting:
    organ = get_organ(session, organ_code, lock=lock)
    meeting = meeting_on(session, organ, held_on, lock=lock)
    if meeting is None:
        raise NotFound(
            "meeting",
            f"{organ.code} has no meeting on {held_on}; see `arende meeting list {organ.code}`",
            sv=f"{organ.code} har inget sammanträde {held_on}",
        )
    return meeting


def meeting_on(session: Session, organ: Organ, held_on: dt.date, *, lock: bool = False) -> Meeting | None:
    stmt = select(Meeting).where(Meeting.organ_id == organ.id, Meeting.held_on == held_on)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def _ordforande(session: Session, organ: Organ, day: dt.date) -> Person | None:
    return next((s.person for s in seats_on(session, organ, day) if s.role == Role.ORDFORANDE.value), None)


def _new_meeting(session: Session, organ: Organ, held_on: dt.date, status: MeetingState) -> Meeting:
    """A meeting with its secretary (the organ's, a person where one is set) and its chair
    (the ordförande who holds the seat that day, else the organ's chair as written)."""
    secretary = session.get(Person, organ.secretary_person_id) if organ.secretary_person_id else None
    chair = _ordforande(session, organ, held_on)
    return Meeting(
        organ_id=organ.id,
        held_on=held_on,
        status=status.value,
        # A local rule of procedure, configurable: signed within N days of the meeting.
        justering_due=justering_due(held_on, get_settings().justering_days),
        secretary=secretary.name if secretary else organ.secretary,
        secretary_person_id=secretary.id if secretary else None,
        chair=chair.name if chair else organ.chair,
        chair_person_id=chair.id if chair else None,
    )


def plan_meeting(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    *,
    starts_at: dt.time | None = None,
    place: str | None = None,
    justering_at: str | None = None,
    justering_days: int | None = None,
    justering_date: dt.date | None = None,
    justering_time: dt.time | None = None,
    justering_place: str | None = None,
) -> Meeting:
    """Put a meeting in the plan, or change its time and place before it is held. The
    justering is planned as a day (a date, or the plan's rule: so many days after, on a
    weekday) and a place, printed as "18 februari 2022 kl. 10.00, Arbetslivsförvaltningen";
    free text is still taken."""
    organ = get_organ(session, organ_code, lock=True)
    meeting = meeting_on(session, organ, held_on)
    values: dict[str, Any] = {"starts_at": starts_at, "place": place, "justering_at": justering_at}
    if justering_days is not None or justering_date is not None:
        planned = _justering_day(organ.code, held_on, justering_days, justering_date)
        values |= {
            "justering_planned_on": planned,
            "justering_place": justering_place,
            "justering_at": long_date(planned)
            + (f" kl. {justering_time.strftime('%H.%M')}" if justering_time else "")
            + (f", {justering_place}" if justering_place else ""),
        }
    elif justering_place is not None:
        raise InvalidInput("justering_date", "give the day of justering with its place (or --justering-days)")
    if meeting is None:
        meeting = _new_meeting(session, organ, held_on, MeetingState.PLANNED)
        meeting.in_plan = True
        for key, value in values.items():
            setattr(meeting, key, value)
        session.add(meeting)
        session.flush()
        audit(
            session,
            "meeting.planned",
            meeting_id=meeting.id,
            after={"organ": organ.code, "held_on": held_on, **_plain(values)},
        )
        return meeting
    given = {k: v for k, v in values.items() if v is not None}
    if all(getattr(meeting, k) == v for k, v in given.items()) and meeting.status != MeetingState.CANCELLED.value:
        meeting.in_plan = True
        return meeting  # the same plan again
    if meeting.status not in (MeetingState.PLANNED.value, MeetingState.KALLAD.value):
        raise Conflict(
            "meeting",
            f"the meeting of {held_on} is {meeting.status}; its time and place can no longer change",
            sv=f"sammanträdet {held_on} kan inte längre ändras",
        )
    before = {k: getattr(meeting, k) for k in given}
    meeting.in_plan = True
    for key, value in given.items():
        setattr(meeting, key, value)
    audit(session, "meeting.replanned", meeting_id=meeting.id, before=_plain(before), after=_plain(given))
    return meeting


def _justering_day(organ: str, held_on: dt.date, days: int | None, day: dt.date | None) -> dt.date:
    """The planned justering: after the meeting and within the days the law allows."""
    from arende.rules.legalcalendar import deadline

    if day is not None and days is not None:
        raise InvalidInput("justering_date", "give the day or the number of days after, not both")
    planned = day if day is not None else deadline(held_on, days=days or 0)
    latest = justering_due(held_on, get_settings().justering_days)
    if not held_on <= planned <= latest:
        raise Conflict(
            "justering_date",
            f"justering of {organ} {held_on} falls on {planned}; it must be between the meeting and {latest}",
            sv=f"justeringen {planned} ska ligga mellan sammanträdet och {latest}",
        )
    return planned


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.strftime("%H:%M") if isinstance(v, dt.time) else v) for k, v in values.items()}


def cancel_meeting(session: Session, organ_code: str, held_on: dt.date, reason: str) -> Meeting:
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    if meeting.status == MeetingState.CANCELLED.value:
        return meeting
    meeting.status = meeting_move(meeting.status, MeetingState.CANCELLED, what=f"the meeting of {held_on}")
    audit(session, "meeting.cancelled", meeting_id=meeting.id, after={"reason": reason})
    return meeting


def meeting_for_decision(session: Session, organ: Organ, held_on: dt.date) -> Meeting:
    """The meeting a § is recorded at: planned or kallad becomes held; none yet is planned
    implicitly, unless the organ keeps a plan for the year and the day is not in it."""
    meeting = meeting_on(session, organ, held_on, lock=True)
    if meeting is None:
        planned = sorted(
            session.scalars(
                select(Meeting.held_on).where(
                    Meeting.organ_id == organ.id,
                    Meeting.held_on >= dt.date(held_on.year, 1, 1),
                    Meeting.held_on <= dt.date(held_on.year, 12, 31),
                    Meeting.status != MeetingState.CANCELLED.value,
                    Meeting.in_plan.is_(True),
                )
            )
        )
        if planned:
            raise InvalidInput(
                "meeting",
                f"{held_on} is not in {organ.code}'s sammanträdesplan {held_on.year} "
                f"({', '.join(d.strftime('%m-%d') for d in planned)}); plan it first with `arende meeting plan`",
                sv=f"{held_on} finns inte i {organ.code}s sammanträdesplan {held_on.year}",
            )
        meeting = _new_meeting(session, organ, held_on, MeetingState.HELD)
        session.add(meeting)
        session.flush()
        audit(session, "meeting.created", meeting_id=meeting.id, after={"organ": organ.code, "held_on": held_on})
        return meeting
    if meeting.status in (MeetingState.PLANNED.value, MeetingState.KALLAD.value):
        meeting.status = MeetingState.HELD.value
        if meeting.chair_person_id is None:  # planned before the seats were recorded: the chair now
            chair = _ordforande(session, meeting.organ, held_on)
            if chair is not None:
                meeting.chair, meeting.chair_person_id = chair.name, chair.id
    elif meeting.status == MeetingState.CANCELLED.value:
        raise Conflict(
            "meeting",
            f"the meeting of {held_on} is cancelled; no § can be recorded at it",
            sv=f"sammanträdet {held_on} är inställt",
        )
    elif meeting.justerad_on is not None:
        raise Conflict(
            "meeting",
            f"the protocol of {held_on} is already signed; no § can be added",
            sv=f"protokollet från {held_on} är redan justerat; ingen § kan läggas till",
        )
    return meeting


def load_plan(session: Session, organ_code: str, data: dict[str, Any]) -> list[Meeting]:
    """A sammanträdesplan file: [[meeting]] date = 2022-02-15, time = "13:15", place, justering."""
    rows = data.get("meeting")
    if not isinstance(rows, list) or not rows:
        raise InvalidInput("file", "a sammanträdesplan lists its meetings as [[meeting]] tables with a date")
    meetings = []
    for i, row in enumerate(rows, 1):
        plan = _checked_row(organ_code, i, row)
        meetings.append(
            plan_meeting(
                session,
                organ_code,
                plan.date,
                starts_at=parse_time(plan.time) if plan.time else None,
                place=plan.place,
                justering_at=plan.justering,
                justering_days=plan.justering_days,
                justering_date=plan.justering_date,
                justering_time=parse_time(plan.justering_time) if plan.justering_time else None,
                justering_place=plan.justering_place,
            )
        )
    return meetings


_PLAN_KEYS = (
    "date",
    "time",
    "place",
    "justering",
    "justering_days",
    "justering_date",
    "justering_time",
    "justering_place",
)


def _checked_row(organ_code: str, i: int, row: Any) -> Any:
    """One [[meeting]] of a plan file, checked exactly as `arende meeting plan` checks it
    (the same command model: the day's bounds, the time, no control characters)."""
    from arende.commands.fields import validate
    from arende.commands.meeting import MeetingPlan

    where = f"meeting[{i}]"
    if not isinstance(row, dict) or "date" not in row:
        raise InvalidInput(f"{where}.date", "give the day as a TOML date: date = 2022-02-15")
    for key, value in row.items():
        if key not in _PLAN_KEYS:
            raise InvalidInput(f"{where}.{str(key)[:40]}", f"is not part of a meeting ({', '.join(_PLAN_KEYS)})")
        if isinstance(value, dt.datetime) or (key in ("date", "justering_date") and isinstance(value, dt.time)):
            raise InvalidInput(f"{where}.{key}", "give the day alone: date = 2022-02-15")
    data = dict(row)
    for key in ("time", "justering_time"):
        if isinstance(data.get(key), dt.time):
            data[key] = data[key].strftime("%H:%M")
    return validate(MeetingPlan, {"organ": organ_code, **data}, field_name=lambda name: f"{where}.{name}")


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 200 or not value.strip():
        raise InvalidInput(field, "a line of text of at most 200 characters")
    return value.strip()


def parse_time(value: str, field: str = "time") -> dt.time:
    try:
        return dt.datetime.strptime(value.strip().replace(".", ":"), "%H:%M").time()
    except ValueError:
        raise InvalidInput(field, f"{value[:20]!r} is not a time such as 13:15", sv="ange tid som 13.15") from None
