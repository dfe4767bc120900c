"""The föredragningslista: errands ready for decision come onto the agenda, plus
information, val, and the lists of anmälningsärenden and delegationsbeslut; the
registers of reported items and delegated decisions that feed those lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput, NotFound
from arende.rules.clock import Fact
from arende.rules.lifecycles import MeetingState
from arende.rules.workflow import ItemKind
from arende.services.common import audit, get_errand, get_organ, keep_to_clock
from db.models import (
    AgendaItem,
    Decision,
    DelegatedDecision,
    Errand,
    Meeting,
    Report,
    ReportedItem,
)

LIST_HEADINGS = {ItemKind.ANMALAN: "Anmälningsärenden", ItemKind.DELEGATION: "Delegationsbeslut"}
LIST_DECISIONS = {
    ItemKind.ANMALAN: "Redovisade anmälningsärenden läggs till handlingarna.",
    ItemKind.DELEGATION: "Redovisade delegationsbeslut läggs till handlingarna.",
}


def items_of(session: Session, meeting: Meeting) -> list[AgendaItem]:
    return list(
        session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position))
    )


def _editable(meeting: Meeting) -> None:
    if meeting.status not in (MeetingState.PLANNED.value, MeetingState.KALLAD.value, MeetingState.HELD.value):
        raise Conflict(
            "meeting",
            f"the meeting of {meeting.held_on} is {meeting.status}; its agenda is closed",
            sv=f"sammanträdet {meeting.held_on} är avslutat; föredragningslistan kan inte ändras",
        )


def candidates(session: Session, meeting: Meeting) -> list[Errand]:
    """Errands of the organ with a report (tjänsteskrivelse) drafted by the meeting day,
    not decided and on no agenda yet. FSG may still come before the meeting: `decide`
    checks it when the § is recorded."""
    on_an_agenda = select(AgendaItem.errand_id).where(AgendaItem.errand_id.is_not(None))
    return list(
        session.scalars(
            select(Errand)
            .join(Report, Report.errand_id == Errand.id)
            .where(
                Errand.prefix == meeting.organ.code,
                Report.drafted_on <= meeting.held_on,
                Errand.id.not_in(on_an_agenda),
                Errand.id.not_in(select(Decision.errand_id).where(Decision.errand_id.is_not(None))),
            )
            .order_by(Errand.year, Errand.seq)
        )
    )


def build_agenda(session: Session, meeting: Meeting) -> list[AgendaItem]:
    """Add what is ready: each candidate errand, then the lists of anmälningsärenden and
    delegationsbeslut not yet reported. Run again, it adds only what is new; the lists
    stay last."""
    _editable(meeting)
    items = items_of(session, meeting)
    lists = [i for i in items if i.kind in (ItemKind.ANMALAN.value, ItemKind.DELEGATION.value)]
    last = max((i.position for i in items), default=0)
    added: list[AgendaItem] = []
    found = candidates(session, meeting)
    reports = {
        r.errand_id: r for r in session.scalars(select(Report).where(Report.errand_id.in_([e.id for e in found])))
    }
    for errand in found:
        report = reports.get(errand.id)
        last += 1
        added.append(
            _new_item(
                meeting, last, ItemKind.BESLUT, errand.title, errand, report.proposed_decision if report else None
            )
        )
    for kind, pending in (
        (ItemKind.ANMALAN, _unreported(session, meeting, ReportedItem)),
        (ItemKind.DELEGATION, _unreported(session, meeting, DelegatedDecision)),
    ):
        if not pending:
            continue
        for row in pending:
            row.meeting_id = meeting.id
        if not any(i.kind == kind.value for i in lists):
            last += 1
            added.append(_new_item(meeting, last, kind, LIST_HEADINGS[kind], None, LIST_DECISIONS[kind]))
    # One flush for the lot: a 60-item agenda was 60 round trips.
    session.add_all(added)
    session.flush()
    for item in added:
        _audit_added(session, meeting, item)
    if lists and added:
        _lists_last(session, meeting)
    return items_of(session, meeting)


def _unreported(session: Session, meeting: Meeting, model: type[ReportedItem] | type[DelegatedDecision]) -> list:  # type: ignore[type-arg]
    """Reported items or delegated decisions from before the meeting that no meeting has
    listed yet: each is reported once, at the first meeting after it."""
    day = model.received_on if model is ReportedItem else model.decided_on  # type: ignore[union-attr]
    return list(
        session.scalars(
            select(model)
            .where(model.organ_id == meeting.organ_id, day <= meeting.held_on, model.meeting_id.is_(None))
            .order_by(day, model.id)
        )
    )


def _new_item(
    meeting: Meeting, position: int, kind: ItemKind, heading: str, errand: Errand | None, proposed: str | None
) -> AgendaItem:
    return AgendaItem(
        meeting_id=meeting.id,
        position=position,
        kind=kind.value,
        heading=heading,
        errand_id=errand.id if errand else None,
        proposed_decision=proposed,
    )


def _audit_added(session: Session, meeting: Meeting, item: AgendaItem) -> None:
    audit(
        session,
        "agenda.added",
        meeting_id=meeting.id,
        errand_id=item.errand_id,
        after={"position": item.position, "kind": item.kind, "heading": item.heading},
    )


def _append(
    session: Session, meeting: Meeting, kind: ItemKind, heading: str, errand: Errand | None, proposed: str | None
) -> AgendaItem:
    last = session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)) or 0
    item = _new_item(meeting, last + 1, kind, heading, errand, proposed)
    session.add(item)
    session.flush()
    _audit_added(session, meeting, item)
    return item


def _lists_last(session: Session, meeting: Meeting) -> None:
    items = items_of(session, meeting)
    order = [i for i in items if i.kind not in (ItemKind.ANMALAN.value, ItemKind.DELEGATION.value)] + sorted(
        (i for i in items if i.kind in (ItemKind.ANMALAN.value, ItemKind.DELEGATION.value)),
        key=lambda i: i.kind != ItemKind.ANMALAN.value,
    )
    _renumber(session, items, order)


def _renumber(session: Session, items: list[AgendaItem], order: list[AgendaItem]) -> None:
    if [i.id for i in items] == [i.id for i in order]:
        return
    # Two passes: the unique (meeting, position) must hold after every statement.
    for i, item in enumerate(order, 1):
        item.position = -i
    session.flush()
    for i, item in enumerate(order, 1):
        item.position = i
    session.flush()


def add_item(
    session: Session,
    meeting: Meeting,
    kind: ItemKind,
    *,
    heading: str | None = None,
    dnr: str | None = None,
    proposed: str | None = None,
) -> AgendaItem:
    _editable(meeting)
    errand = None
    if kind is ItemKind.BESLUT:
        if dnr is None:
            raise InvalidInput("dnr", "an item for decision names its errand's Dnr", sv="ange ärendets Dnr")
        errand = get_errand(session, dnr)
        if errand.prefix != meeting.organ.code:
            raise Conflict("dnr", f"{errand.dnr} belongs to {errand.prefix}, not {meeting.organ.code}")
        existing = session.scalar(select(AgendaItem).where(AgendaItem.errand_id == errand.id))
        if existing is not None:
            if existing.meeting_id == meeting.id:
                return existing
            raise Conflict("dnr", f"{errand.dnr} is already on the agenda of another meeting")
        report = session.get(Report, errand.id)
        heading = heading or errand.title
        proposed = proposed or (report.proposed_decision if report else None)
    elif not heading:
        raise InvalidInput("heading", "give the item a heading", sv="ange en rubrik")
    else:
        # The same item posted twice (a double submit, a retried command) is one item.
        same = session.scalar(
            select(AgendaItem).where(
                AgendaItem.meeting_id == meeting.id,
                AgendaItem.kind == kind.value,
                AgendaItem.heading == heading,
                AgendaItem.errand_id.is_(None),
            )
        )
        if same is not None and (same.proposed_decision or None) == (proposed or None):
            return same
    item = _append(session, meeting, kind, heading, errand, proposed)
    if not session.scalar(select(Decision.id).where(Decision.meeting_id == meeting.id).limit(1)):
        _lists_last(session, meeting)  # once § are recorded, an item's number stays
    return item


def move_item(session: Session, meeting: Meeting, position: int, to: int) -> list[AgendaItem]:
    _editable(meeting)
    items = items_of(session, meeting)
    if not 1 <= position <= len(items):
        raise NotFound("item", f"the agenda has no item {position} (it has {len(items)})")
    if not 1 <= to <= len(items):
        raise InvalidInput("to", f"a position from 1 to {len(items)}")
    if session.scalar(select(Decision.id).where(Decision.agenda_item_id.in_([i.id for i in items]))):
        raise Conflict("item", "the meeting has begun recording §: the order of its items is fixed")
    order = list(items)
    order.insert(to - 1, order.pop(position - 1))
    _renumber(session, items, order)
    audit(session, "agenda.moved", meeting_id=meeting.id, after={"from": position, "to": to})
    return items_of(session, meeting)


def report_item(
    session: Session, organ_code: str, heading: str, *, reference: str | None, received_on: dt.date
) -> ReportedItem:
    """An anmälningsärende for the organ's next meeting; the same one again is one."""
    organ = get_organ(session, organ_code, lock=True)
    keep_to_clock(Fact.REPORTED, received_on, field="received")
    existing = session.scalar(
        select(ReportedItem).where(
            ReportedItem.organ_id == organ.id,
            ReportedItem.heading == heading,
            ReportedItem.reference == reference,
            ReportedItem.received_on == received_on,
        )
    )
    if existing is not None:
        return existing
    item = ReportedItem(organ_id=organ.id, heading=heading, reference=reference, received_on=received_on)
    session.add(item)
    session.flush()
    audit(session, "anmalan.added", after={"organ": organ.code, "heading": heading, "reference": reference})
    return item
