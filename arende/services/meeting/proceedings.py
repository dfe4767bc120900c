"""Recording the meeting: närvaro, a § per agenda item (numbered through the calendar
year per organ, no gaps, no duplicates), yrkanden, votes, jäv, reservationer,
protokollsanteckningar, särskilda yttranden, and corrections after justering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput, NotFound
from arende.rules.clock import Fact
from arende.rules.lifecycles import MeetingState
from arende.rules.workflow import Choice, DecisionOutcome, EntryKind, ItemKind, Presence, Role
from arende.services.common import audit, get_organ, keep_to_clock
from arende.services.meeting.agenda import LIST_DECISIONS, items_of
from arende.services.meeting.members import seat_of, seats_on
from arende.services.meeting.plan import find_meeting, meeting_for_decision, meeting_on
from db.models import (
    AgendaItem,
    Attendance,
    Correction,
    Decision,
    Errand,
    Meeting,
    Organ,
    ParagraphEntry,
    Person,
    Vote,
)

# The highest § the commands take (`--paragraph`, 1–9999): an automatic one stays within.
MAX_PARAGRAPH = 9999


@dataclass(frozen=True)
class Present:
    """One line of the närvaro as the secretary gives it."""

    name: str
    presence: Presence
    replaces: str | None = None  # a tjänstgörande ersättare's member
    title: str | None = None  # an official's title
    note: str | None = None  # "§ 12-15"


def _open(meeting: Meeting) -> None:
    if meeting.justerad_on is not None:
        raise Conflict(
            "meeting",
            f"the protocol of {meeting.held_on} is signed; record a correction instead",
            sv=f"protokollet från {meeting.held_on} är justerat; registrera en rättelse i stället",
        )
    if meeting.status == MeetingState.CANCELLED.value:
        raise Conflict("meeting", f"the meeting of {meeting.held_on} is cancelled", sv="sammanträdet är inställt")


def record_attendance(session: Session, organ_code: str, held_on: dt.date, present: list[Present]) -> list[Attendance]:
    """The närvaro, as a whole: given again it replaces the list (until justering).
    Members neither present nor replaced are absent."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    keep_to_clock(Fact.ATTENDANCE, held_on)
    _open(meeting)
    organ = meeting.organ
    names = [p.name for p in present]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise InvalidInput("present", f"{twice[:60]!r} is listed twice", sv=f"{twice[:60]!r} står två gånger")
    rows: list[Attendance] = []
    replaced: set[str] = set()
    for p in present:
        person_id = replaces_id = None
        if p.presence is not Presence.OVRIG:
            seat = seat_of(session, organ, held_on, p.name, "present")
            person_id = seat.person.id
            if p.presence is Presence.LEDAMOT and not seat.serving:
                raise Conflict("present", f"{p.name} is an ersättare; an ersättare serves in a member's place")
            if p.presence in (Presence.TJANSTGORANDE, Presence.ERSATTARE) and seat.serving:
                raise Conflict("present", f"{p.name} is a member, not an ersättare")
        if p.presence is Presence.TJANSTGORANDE:
            if not p.replaces:
                raise InvalidInput("replaces", f"name the member {p.name} serves for")
            member = seat_of(session, organ, held_on, p.replaces, "replaces")
            if not member.serving or p.replaces in names or p.replaces in replaced:
                raise Conflict(
                    "replaces", f"{p.replaces} is present or already replaced; {p.name} cannot serve for them"
                )
            replaced.add(p.replaces)
            replaces_id = member.person.id
        rows.append(
            Attendance(
                meeting_id=meeting.id,
                person_id=person_id,
                name=p.name,
                function=p.presence.value,
                replaces_person_id=replaces_id,
                title=p.title,
                note=p.note,
            )
        )
    absent = [
        s.person
        for s in seats_on(session, organ, held_on)
        if s.serving and s.person.name not in names  # a member replaced is absent too
    ]
    rows += [
        Attendance(meeting_id=meeting.id, person_id=p.id, name=p.name, function=Presence.FRANVARANDE.value)
        for p in absent
    ]
    _keeps_who_took_part(session, meeting, rows)
    before = _attendance_key(session, meeting)
    after = sorted((r.name, r.function, r.replaces_person_id, r.title, r.note) for r in rows)
    if before == after:
        return attendance_of(session, meeting)
    session.execute(delete(Attendance).where(Attendance.meeting_id == meeting.id))
    session.add_all(rows)
    session.flush()
    audit(
        session,
        "meeting.attendance",
        meeting_id=meeting.id,
        after={"present": names, "absent": [p.name for p in absent]},
    )
    return attendance_of(session, meeting)


def _keeps_who_took_part(session: Session, meeting: Meeting, rows: list[Attendance]) -> None:
    """A new närvaro may not drop someone the protocol already shows taking part: who
    voted must still serve, who made an entry must still be there."""
    serving_ids = {r.person_id for r in rows if r.function in (Presence.LEDAMOT.value, Presence.TJANSTGORANDE.value)}
    present_ids = {r.person_id for r in rows if r.function != Presence.FRANVARANDE.value}
    voted = session.execute(
        select(Person.name, Decision.paragraph, Vote.person_id)
        .join(Vote, Vote.person_id == Person.id)
        .join(Decision, Decision.id == Vote.decision_id)
        .where(Decision.meeting_id == meeting.id)
        .order_by(Decision.paragraph)
    ).all()
    for name, paragraph, person_id in voted:
        if person_id not in serving_ids:
            raise Conflict(
                "present",
                f"{name} voted in § {paragraph}; the närvaro must show them serving (record the vote again first)",
                sv=f"{name} röstade i § {paragraph}; närvaron måste visa att hen tjänstgjorde",
            )
    spoke = session.execute(
        select(Person.name, Decision.paragraph, ParagraphEntry.person_id, ParagraphEntry.kind)
        .join(ParagraphEntry, ParagraphEntry.person_id == Person.id)
        .join(Decision, Decision.id == ParagraphEntry.decision_id)
        .where(Decision.meeting_id == meeting.id)
        .order_by(Decision.paragraph)
    ).all()
    for name, paragraph, speaker, kind in spoke:
        if speaker not in present_ids:
            raise Conflict(
                "present",
                f"{name} made a {kind} in § {paragraph}; the närvaro must show them present",
                sv=f"{name} står för {kind} i § {paragraph}; närvaron måste visa hen som närvarande",
            )


def _attendance_key(session: Session, meeting: Meeting) -> list[tuple]:  # type: ignore[type-arg]
    return sorted((r.name, r.function, r.replaces_person_id, r.title, r.note) for r in attendance_of(session, meeting))


def attendance_of(session: Session, meeting: Meeting) -> list[Attendance]:
    return list(session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(Attendance.id)))


def present_names(session: Session, meeting: Meeting) -> set[str] | None:
    """Everyone present (None when no närvaro is recorded yet)."""
    rows = attendance_of(session, meeting)
    if not rows:
        return None
    return {r.name for r in rows if r.function != Presence.FRANVARANDE.value}


def serving(session: Session, meeting: Meeting) -> list[Attendance]:
    return [
        r
        for r in attendance_of(session, meeting)
        if r.function in (Presence.LEDAMOT.value, Presence.TJANSTGORANDE.value)
    ]


def _serving_ids(session: Session, meeting: Meeting) -> set[int | None]:
    return {r.person_id for r in serving(session, meeting)}


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
        _open(meeting)
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


def _jav_ids(session: Session, decision: Decision) -> set[int]:
    return set(
        session.scalars(
            select(ParagraphEntry.person_id).where(
                ParagraphEntry.decision_id == decision.id, ParagraphEntry.kind == EntryKind.JAV.value
            )
        )
    )


def add_entry(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    paragraph: int,
    kind: EntryKind,
    *,
    by: str | None,
    text: str | None,
) -> ParagraphEntry:
    """A yrkande, reservation, protokollsanteckning, särskilt yttrande or jäv on a §.
    The person must be present; whoever has jäv takes no part (no yrkande, no vote, no
    reservation)."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    keep_to_clock(Fact.PARAGRAPH, held_on)
    _open(meeting)
    decision = decision_at(session, meeting, paragraph)
    person = None
    if by is not None:
        present = present_names(session, meeting)
        if present is None:
            raise Conflict("by", "record the närvaro first: who was there decides who may speak and vote")
        if by not in present:
            raise Conflict("by", f"{by[:60]!r} was not present at the meeting of {held_on}")
        # The person present under that name at this meeting (never a namesake elsewhere).
        row = next(
            (r for r in attendance_of(session, meeting) if r.name == by and r.function != Presence.FRANVARANDE.value),
            None,
        )
        person = session.get(Person, row.person_id) if row is not None and row.person_id is not None else None
        if person is None and kind is not EntryKind.PROTOKOLLSANTECKNING:
            raise NotFound("by", f"{by[:60]!r} is not a member")
        if person is not None and kind is not EntryKind.JAV and person.id in _jav_ids(session, decision):
            raise Conflict("by", f"{by} has jäv in § {paragraph} and takes no part in it")
        if kind is EntryKind.RESERVATION and (person is None or person.id not in _serving_ids(session, meeting)):
            raise Conflict(
                "by",
                f"{by[:60]} did not serve in § {paragraph}; only a member who took part in the decision may reserve",
                sv=f"{by[:60]} tjänstgjorde inte i § {paragraph}; bara den som deltog i beslutet kan reservera sig",
            )
        if (
            person is not None
            and kind is EntryKind.JAV
            and session.scalar(select(Vote.id).where(Vote.decision_id == decision.id, Vote.person_id == person.id))
        ):
            raise Conflict("by", f"{by} voted in § {paragraph}; jäv means taking no part")
    elif kind is not EntryKind.PROTOKOLLSANTECKNING:
        raise InvalidInput("by", "name who made it", sv="ange vem")
    if (
        kind in (EntryKind.YRKANDE, EntryKind.PROTOKOLLSANTECKNING, EntryKind.SARSKILT_YTTRANDE)
        and not (text or "").strip()
    ):
        raise InvalidInput("text", "give the text", sv="ange texten")
    person_id = person.id if person else None
    same = session.scalar(
        select(ParagraphEntry).where(
            ParagraphEntry.decision_id == decision.id,
            ParagraphEntry.kind == kind.value,
            ParagraphEntry.person_id.is_(None) if person_id is None else ParagraphEntry.person_id == person_id,
            ParagraphEntry.text.is_(None) if text is None else ParagraphEntry.text == text,
        )
    )
    if same is not None:
        return same
    last = session.scalar(select(func.max(ParagraphEntry.position)).where(ParagraphEntry.decision_id == decision.id))
    entry = ParagraphEntry(
        decision_id=decision.id, kind=kind.value, position=(last or 0) + 1, person_id=person_id, text=text
    )
    session.add(entry)
    session.flush()
    audit(
        session,
        f"paragraph.{kind.value}",
        meeting_id=meeting.id,
        after={"paragraph": paragraph, "by": by, "text": text},
    )
    return entry


@dataclass(frozen=True)
class VoteResult:
    ja: int
    nej: int
    avstar: int
    winner: Choice  # ja or nej; a tie is decided by the chair's vote


def record_vote(
    session: Session,
    organ_code: str,
    held_on: dt.date,
    paragraph: int,
    *,
    ja: list[str],
    nej: list[str],
    avstar: list[str],
) -> VoteResult:
    """An open vote: each serving member present votes ja, nej or avstår exactly once;
    the outcome follows from the count (the chair's vote decides a tie, KL 5:55)."""
    meeting = find_meeting(session, organ_code, held_on, lock=True)
    keep_to_clock(Fact.VOTE, held_on)
    _open(meeting)
    decision = decision_at(session, meeting, paragraph)
    voters = serving(session, meeting)
    if not voters:
        raise Conflict("ja", "record the närvaro first: the vote is counted against who served")
    jav = _jav_ids(session, decision)
    entitled = {r.name: r.person_id for r in voters if r.person_id not in jav}
    given = [(n, Choice.JA) for n in ja] + [(n, Choice.NEJ) for n in nej] + [(n, Choice.AVSTAR) for n in avstar]
    names = [n for n, _ in given]
    for name, choice in given:
        if names.count(name) > 1:
            raise InvalidInput(choice.value, f"{name[:60]} votes more than once")
        if name not in entitled:
            why = (
                "has jäv in this §"
                if any(r.name == name and r.person_id in jav for r in voters)
                else "does not serve at this meeting"
            )
            raise Conflict(choice.value, f"{name[:60]} {why} and cannot vote")
    if len(given) != len(entitled):
        missing = sorted(set(entitled) - set(names))
        raise Conflict(
            "ja",
            f"the vote counts {len(given)} but {len(entitled)} members serve; missing: {', '.join(missing)}",
            sv=f"omröstningen räknar {len(given)} men {len(entitled)} ledamöter tjänstgör",
        )
    new = sorted((entitled[n], c.value) for n, c in given)
    old = sorted(
        (p, c) for p, c in session.execute(select(Vote.person_id, Vote.choice).where(Vote.decision_id == decision.id))
    )
    if old != new:
        session.execute(delete(Vote).where(Vote.decision_id == decision.id))
        session.add_all(Vote(decision_id=decision.id, person_id=p, choice=c) for p, c in new)
        decision.outcome = DecisionOutcome.PASSED_AFTER_VOTE.value
        session.flush()
        audit(
            session,
            "paragraph.vote",
            meeting_id=meeting.id,
            after={"paragraph": paragraph, "ja": ja, "nej": nej, "avstar": avstar},
        )
    return vote_result(session, meeting, decision)


def vote_result(session: Session, meeting: Meeting, decision: Decision) -> VoteResult:
    rows = session.execute(
        select(Person.name, Vote.choice)
        .join(Person, Person.id == Vote.person_id)
        .where(Vote.decision_id == decision.id)
    ).all()
    count = {c: sum(1 for _, v in rows if v == c.value) for c in Choice}
    winner = Choice.JA if count[Choice.JA] > count[Choice.NEJ] else Choice.NEJ
    if count[Choice.JA] == count[Choice.NEJ]:
        chair = _chair_present(session, meeting)
        chair_vote = next((v for n, v in rows if n == chair), Choice.JA.value)
        winner = Choice(chair_vote) if chair_vote != Choice.AVSTAR.value else Choice.JA
    return VoteResult(count[Choice.JA], count[Choice.NEJ], count[Choice.AVSTAR], winner)


def _chair_present(session: Session, meeting: Meeting) -> str | None:
    for seat in seats_on(session, meeting.organ, meeting.held_on):
        if seat.role == Role.ORDFORANDE.value:
            return seat.person.name
    return meeting.chair


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
