"""Recording the meeting: a § per agenda item (numbered through the calendar year per
organ, no gaps, no duplicates), the § declared omedelbart justerad, and corrections after
justering. The närvaro is in arende.services.meeting.attendance, what members say and
vote in a § in arende.services.meeting.votes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput, NotFound
from arende.rules.clock import Fact
from arende.rules.lifecycles import MeetingState
from arende.rules.workflow import DecisionOutcome, ItemKind
from arende.services.common import audit, get_organ, keep_to_clock
from arende.services.meeting.agenda import LIST_DECISIONS, items_of
from arende.services.meeting.plan import find_meeting, meeting_for_decision, meeting_on
from db.models import (
    AgendaItem,
    Correction,
    Decision,
    Errand,
    Meeting,
    Organ,
)

# The highest § the commands take (`--paragraph`, 1–9999): an automatic one stays within.
MAX_PARAGRAPH = 9999


def check_open(meeting: Meeting) -> None:
    if meeting.justerad_on is not None:
        raise Conflict(
            "meeting",
            f"the protocol of {meeting.held_on} is signed; record a correction instead",
            sv=f"protokollet från {meeting.held_on} är justerat; registrera en rättelse i stället",
        )
    if meeting.status == MeetingState.CANCELLED.value:
        raise Conflict("meeting", f"the meeting of {meeting.held_on} is cancelled", sv="sammanträdet är inställt")


def take_paragraph(session: Session, organ: Organ, year: int, paragraph: int | None) -> int:
    """The next free § of the organ's year, or the one asked for if it is free."""
    if paragraph is None:
        last = session.scalar(
            select(func.max(Decision.paragraph)).where(Decision.organ_id == organ.id, Decision.year == year)
        )
        if (last or 0) >= MAX_PARAGRAPH:
            raise Conflict(
                "paragraph",
                f"{organ.code} {year} has used § {MAX_PARAGRAPH}, the highest a command can address",
                sv=f"{organ.code} {year} har nått § {MAX_PARAGRAPH}, den högsta ett kommando kan ange",
            )
        return (last or 0) + 1
    if paragraph < 1:
        raise InvalidInput(
            "paragraph", "a § number is a positive whole number", sv="ett §-nummer är ett positivt heltal"
        )
    taken = session.scalar(
        select(Decision).where(Decision.organ_id == organ.id, Decision.year == year, Decision.paragraph == paragraph)
    )
    if taken is not None:
        owner = session.get(Errand, taken.errand_id) if taken.errand_id else None
        item = session.get(AgendaItem, taken.agenda_item_id) if taken.agenda_item_id else None
        by = owner.dnr if owner else item.heading if item else "?"
        raise Conflict(
            "paragraph",
            f"{organ.code} {year} § {paragraph} is already taken by {by}",
            sv=f"{organ.code} {year} § {paragraph} är redan tagen av {by}",
        )
    return paragraph


def record_item(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    position: int,
    *,
    paragraph: int | None = None,
    text: str | None = None,
    outcome: DecisionOutcome | None = None,
    immediate: bool = False,
    proposition_order: str | None = None,
) -> tuple[Decision, list[int]]:
    """The § of one agenda item. An errand's item is decided as `decide` decides it (the
    errand moves on); a list or information item gets its § with its decision text."""
    from arende.services.facts import record_decision

    organ = get_organ(session, organ_code, lock=True)  # the organ's one writer of § (see get_organ)
    meeting = meeting_on(session, organ, held_on) or find_meeting(session, organ.code, held_on)
    keep_to_clock(Fact.PARAGRAPH, held_on)
    item = session.scalar(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.position == position)
    )
    if item is None:
        count = len(items_of(session, meeting))
        raise NotFound("item", f"the agenda of {held_on} has no item {position} (it has {count})")
    existing = session.scalar(select(Decision).where(Decision.agenda_item_id == item.id))
    errand_ids: list[int] = []
    if item.errand_id is not None:
        errand = session.get(Errand, item.errand_id)
        assert errand is not None
        errand_ids = record_decision(
            session,
            errand.dnr,
            meeting_on=held_on,
            paragraph=paragraph,
            outcome=(outcome or DecisionOutcome.PASSED).value,
            text=text,
            agenda_item_id=item.id,
        )
        decision = session.scalar(select(Decision).where(Decision.errand_id == errand.id))
        assert decision is not None
        decision.agenda_item_id = item.id  # also when it was recorded before, with `decide`
    elif existing is not None:
        same = paragraph in (None, existing.paragraph) and (text is None or text.strip() == existing.text)
        if not same:
            raise Conflict("item", f"item {position} is already recorded as § {existing.paragraph}")
        decision = existing
    else:
        check_open(meeting)
        meeting_for_decision(session, organ, held_on)
        kind = ItemKind(item.kind)
        default = item.proposed_decision or LIST_DECISIONS.get(kind) or "Informationen noteras."
        decision = Decision(
            errand_id=None,
            agenda_item_id=item.id,
            meeting_id=meeting.id,
            organ_id=organ.id,
            year=held_on.year,
            paragraph=take_paragraph(session, organ, held_on.year, paragraph),
            outcome=(outcome or DecisionOutcome.NOTED).value,
            text=(text or "").strip() or default,
        )
        session.add(decision)
        session.flush()
        audit(
            session,
            "fact.paragraph",
            meeting_id=meeting.id,
            after={"item": position, "paragraph": decision.paragraph, "text": decision.text},
        )
    if immediate and not decision.immediate:
        decision.immediate = True
        audit(session, "fact.omedelbar_justering", meeting_id=meeting.id, after={"paragraph": decision.paragraph})
    if proposition_order and decision.proposition_order != proposition_order:
        decision.proposition_order = proposition_order
    return decision, errand_ids


def decision_at(session: Session, meeting: Meeting, paragraph: int) -> Decision:
    decision = session.scalar(
        select(Decision).where(Decision.meeting_id == meeting.id, Decision.paragraph == paragraph)
    )
    if decision is None:
        raise NotFound(
            "paragraph",
            f"the meeting of {meeting.held_on} has no § {paragraph}",
            sv=f"sammanträdet {meeting.held_on} har ingen § {paragraph}",
        )
    return decision


def immediate_decision(session: Session, meeting: Meeting, paragraph: int) -> Decision:
    """The § declared omedelbart justerad (OJ): its own justering, notice and protocol part."""
    decision = decision_at(session, meeting, paragraph)
    if not decision.immediate:
        raise Conflict(
            "paragraph",
            f"§ {paragraph} is not declared omedelbart justerad; it is signed with the protocol",
            sv=f"§ {paragraph} är inte förklarad omedelbart justerad; den justeras med protokollet",
        )
    return decision


def record_correction(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    *,
    paragraph: int | None,
    corrected_on: dt.date,
    by: str,
    text: str,
) -> Correction:
    """An obvious error in a signed protocol, corrected by a dated, signed note (FL 36 §);
    the justerad text stays as it was signed."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    if meeting.justerad_on is None:
        raise Conflict("meeting", f"the protocol of {held_on} is not signed yet; change the § itself")
    keep_to_clock(Fact.CORRECTED, corrected_on, field="corrected", earlier={Fact.JUSTERAD: meeting.justerad_on})
    decision_id = decision_at(session, meeting, paragraph).id if paragraph is not None else None
    same = session.scalar(
        select(Correction).where(
            Correction.meeting_id == meeting.id, Correction.text == text, Correction.corrected_on == corrected_on
        )
    )
    if same is not None:
        return same
    row = Correction(
        meeting_id=meeting.id, decision_id=decision_id, corrected_on=corrected_on, corrected_by=by, text=text
    )
    session.add(row)
    session.flush()
    audit(session, "meeting.corrected", meeting_id=meeting.id, after={"paragraph": paragraph, "by": by, "text": text})
    return row


def paragraphs_of(session: Session, meeting: Meeting) -> list[Decision]:
    return list(session.scalars(select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.paragraph)))
