"""One handler per command: applies it in the caller's transaction and returns the
errands it concerns (which then move on). The services keep the rules that need the
database (the § free, the meeting known, the order of facts)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from arende.commands import vocabulary as v
from arende.commands.fields import Command
from arende.commands.meeting_handlers import MEETING_HANDLERS
from arende.files import writable_file
from arende.recording import Moved


def _today() -> Any:
    from arende.services.common import today

    return today()


def _assign(session: Session, c: v.Assign) -> list[int]:
    from arende.services.facts import assign_officer

    return assign_officer(session, c.dnr, c.officer, c.date or _today(), email=c.email)


def _draft(session: Session, c: v.Draft) -> list[int]:
    from arende.services.facts import draft_report

    return draft_report(
        session,
        c.dnr,
        summary=c.summary,
        body=c.text,
        drafted_on=c.date or _today(),
        stance=c.stance.value if c.stance else None,
        proposed_decision=c.decision,
        attachments=c.attachment or None,
        recipients=c.recipient or None,
        responses=c.responses(),
    )


def _fsg(session: Session, c: v.RecordFsg) -> list[int]:
    from arende.services.facts import record_fsg

    return record_fsg(session, c.dnr, held_on=c.date, kind=c.kind.value, note=c.note)


def _decide(session: Session, c: v.Decide) -> list[int]:
    from arende.services.facts import record_decision

    return record_decision(
        session,
        c.dnr,
        meeting_on=c.meeting,
        paragraph=c.paragraph,
        outcome=c.outcome.value,
        text=c.text,
        synnerliga_skal=c.synnerliga_skal,
        appeal=c.appeal.value if c.appeal else None,
    )


def _justera(session: Session, c: v.Justera) -> list[int]:
    from arende.services.meeting.signing import record_justering

    return record_justering(
        session,
        c.organ,
        c.meeting,
        justerad_on=c.date,
        chair=c.chair,
        justerare=c.justerare,
        secretary=c.secretary,
        paragraph=c.paragraph,
    )


def _anslag(session: Session, c: v.Anslag) -> list[int]:
    import sys

    from arende.rules.procedure import anslag_is_late, anslag_latest, appeal_ends
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.signing import record_anslag

    ids = record_anslag(
        session, c.organ, c.meeting, posted_on=c.date, minutes_kept_at=c.minutes_kept_at, paragraph=c.paragraph
    )
    meeting = find_meeting(session, c.organ, c.meeting)
    justerad_on = meeting.justerad_on
    if c.paragraph is not None:
        from arende.services.meeting.proceedings import decision_at

        justerad_on = decision_at(session, meeting, c.paragraph).justerad_on
    if justerad_on is not None and anslag_is_late(justerad_on, c.date):
        # Recorded all the same (KL 8:12 makes a late notice valid); the person is told.
        print(
            f"arende: warning: date: the notice went up after {anslag_latest(justerad_on)}, the second day "
            f"after justering (KL 8:12); recorded, the appeal period runs to {appeal_ends(c.date)}",
            file=sys.stderr,
        )
    return ids


def _iop_notice(session: Session, c: v.IopNotice) -> list[int]:
    from arende.services.iop_calendar import give_notice

    return give_notice(session, c.dnr, given_on=c.date, by=c.by.value)


def _iop_evaluate(session: Session, c: v.IopEvaluate) -> list[int]:
    from arende.services.iop_calendar import record_evaluation

    return record_evaluation(session, c.dnr, held_on=c.date, note=c.note)


def _document_add(session: Session, c: v.DocumentAdd) -> list[int]:
    from arende.rules.clock import Fact
    from arende.rules.workflow import Direction
    from arende.services.common import get_errand, keep_to_clock
    from arende.services.diary import register_document

    errand = get_errand(session, c.dnr, lock=True)
    registered_on = c.date or _today()
    keep_to_clock(Fact.HANDLING, registered_on, earlier={Fact.REGISTERED: errand.registered_on})
    if c.secrecy_date is not None:
        keep_to_clock(Fact.HANDLING, c.secrecy_date, field="secrecy_date")
    stored: dict[str, Any] = {}
    if c.file is not None:
        from arende.services.diary import received_file

        found, stored = received_file(session, errand, c.file)
        if found is not None:  # the same file twice (a double click, a retry): one handling
            print(f"{errand.dnr}: this file is already registered as handling {found.number}; nothing changed")
            _already(Already("handling", found.number))
            return [errand.id]
    doc = register_document(
        session,
        errand,
        registered_on=registered_on,
        direction=Direction(c.direction.value),
        counterpart=c.counterpart,
        description=c.description,
        secrecy_provision=c.secrecy,
        secrecy_date=c.secrecy_date,
        secrecy_authority=c.secrecy_authority,
        **stored,
    )
    print(f"{errand.dnr} handling {doc.number}")
    return [errand.id]


def _donation_import(session: Session, c: v.DonationImport) -> list[int]:
    from arende.errors import InvalidInput
    from arende.services.common import get_errand
    from arende.services.donations import import_applications

    try:
        data = c.file.read_bytes()
    except OSError as exc:
        raise InvalidInput("file", f"cannot read {c.file}: {exc.strerror}") from None
    target = c.rejections or c.file.with_suffix(".avvisade.csv")
    if c.skip_invalid:
        writable_file("rejections", target)
    result = import_applications(session, c.dnr, data, skip_invalid=c.skip_invalid)
    if result.already_imported:
        print("this file is already imported; nothing changed")
        return []
    if result.invalid:  # written before the import commits: a failed write imports nothing
        from arende.files import write_private

        write_private(
            target,
            ("rad;orsak\n" + "".join(f"{line};{reason}\n" for line, reason in result.invalid)).encode(),
            "rejections",
        )
    print(
        f"{result.imported} imported ({result.late} late, {result.duplicates} duplicates rejected), "
        f"{len(result.invalid)} invalid rows skipped"
    )
    if result.invalid:
        print(f"rejection list: {target}")
    return [get_errand(session, c.dnr).id]


def _donation_allocate(session: Session, c: v.DonationAllocate) -> list[int]:
    from arende.services.common import get_errand
    from arende.services.donations import allocate_round
    from arende.swedish import number

    summary = allocate_round(session, c.dnr)
    print(f"{summary['count']} grants, {number(summary['total'])} kr")
    for f in summary["per_fund"]:
        print(f"  {f['code']:<10} {f['count']:>4} st {number(f['sum']):>10} kr  {f['name']}")
    return [get_errand(session, c.dnr).id]


def _donation_adjust(session: Session, c: v.DonationAdjust) -> list[int]:
    from arende.services.common import get_errand
    from arende.services.donations import adjust

    adjust(session, c.dnr, c.application, amount=c.amount, fund_code=c.fund, reason=c.reason)
    return [get_errand(session, c.dnr).id]


def _annual_figures(session: Session, c: v.AnnualFigures) -> list[int]:
    from arende.services import annual_report

    return annual_report.record_figures(session, c.dnr, annual_report.read_figures(c.file))


def _iop_terms(session: Session, c: v.IopTerms) -> list[int]:
    from arende.services import iop

    return iop.record_terms(session, c.dnr, iop.read_terms(c.file))


def _donation_erase(session: Session, c: v.DonationErase) -> list[int]:
    from arende.services.common import get_errand
    from arende.services.donations import erase

    print(f"personal data of {erase(session, c.dnr)} applications erased")
    return [get_errand(session, c.dnr).id]


def _diary_continue(session: Session, c: v.DiaryContinue) -> list[int]:
    from arende.errors import ArendeError
    from arende.services.diary import continue_sequence

    try:
        continue_sequence(session, c.prefix, c.year, c.next)
    except ArendeError as exc:
        if exc.field != "organ":
            raise
        raise type(exc)("prefix", exc.problem) from None  # the field as this command names it
    print(f"next number: {c.prefix} {c.year}-{c.next:05d}")
    return []


HANDLERS: dict[type[Command], Callable[[Session, Any], list[int]]] = {
    v.Assign: _assign,
    v.Draft: _draft,
    v.RecordFsg: _fsg,
    v.Decide: _decide,
    v.Justera: _justera,
    v.Anslag: _anslag,
    v.IopNotice: _iop_notice,
    v.IopEvaluate: _iop_evaluate,
    v.DocumentAdd: _document_add,
    v.DonationImport: _donation_import,
    v.DonationAllocate: _donation_allocate,
    v.DonationAdjust: _donation_adjust,
    v.DonationErase: _donation_erase,
    v.AnnualFigures: _annual_figures,
    v.IopTerms: _iop_terms,
    v.DiaryContinue: _diary_continue,
}


HANDLERS.update(MEETING_HANDLERS)


@dataclass(frozen=True)
class Applied:
    """A command's typed result: the errands it concerned and where each now stands
    (its Dnr, status, the step it waits at, or the flow run that will move it)."""

    errand_ids: list[int]
    moved: list[Moved]
    # Nothing was written because it already was: what is already there (e.g. the handling
    # that holds this very file), for the door to say instead of "registered".
    already: Already | None = None


@dataclass(frozen=True)
class Already:
    what: str  # "handling"
    number: int


_ALREADY: ContextVar[list[Already] | None] = ContextVar("arende_already", default=None)


def _already(found: Already) -> None:
    notes = _ALREADY.get()
    if notes is not None:
        notes.append(found)


def apply(command: Command, *, no_run: bool = False) -> Applied:
    """Record the command's fact and its pending advance in one transaction; then move
    the errands on (arende.recording). The one entry every door uses."""
    from arende.recording import record

    handler = HANDLERS[type(command)]
    notes: list[Already] = []
    token = _ALREADY.set(notes)
    try:
        if not command.moves_errands:
            from db.session import session_scope

            with session_scope() as session:
                ids = handler(session, command)
            return Applied(ids, [], notes[0] if notes else None)
        moved = record(lambda session: handler(session, command), " ".join(command.verb), no_run=no_run)
    finally:
        _ALREADY.reset(token)
    return Applied([m.errand_id for m in moved], moved, notes[0] if notes else None)


def start_commands() -> list[tuple[type[Any], Callable[..., Any]]]:
    """Each errand type's start form and the function that registers it, from the
    catalogue of errand types."""
    from arende.services.catalogue import TYPES

    return [(t.start_model, t.register) for t in TYPES.values() if t.start_model and t.register]


def register(start: Any, register_fn: Callable[..., Any], *, no_run: bool = False) -> tuple[str, bool]:
    """Register once (a repeat gives the first Dnr back), with its pending advance in the
    same transaction; print the Dnr; move the errand on."""
    from arende.recording import move_on
    from arende.services.advance import request_advance
    from db.session import session_scope

    with session_scope() as session:
        errand, created = register_fn(session, start, registered_on=start.registered_on or _today())
        errand_id, dnr = errand.id, errand.dnr
        if created:
            request_advance(session, [errand_id], "registered")
    print(dnr if created else f"{dnr} (already registered)")
    move_on([errand_id], no_run=no_run)
    return dnr, created
