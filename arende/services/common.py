"""Helpers every service shares: look-ups, the audit log, steps and deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.errors import NotFound
from arende.rules import clock
from arende.rules.dnr import Dnr
from arende.rules.workflow import (
    FINAL_OUTCOMES,
    STATUS_AFTER,
    DeadlineStatus,
    ErrandStatus,
    Step,
    StepState,
    check_transition,
)
from arende.settings import get_settings
from db.models import (
    AuditEvent,
    ClassificationCode,
    Deadline,
    Decision,
    Errand,
    ErrandStep,
    Organ,
    utcnow,
)


def today() -> dt.date:
    """The system's today; ARENDE_TODAY pins it for replays such as the demo."""
    return get_settings().today or dt.date.today()


def keep_to_clock(
    fact: clock.Fact, day: dt.date, *, field: str = "date", earlier: dict[clock.Fact, dt.date | None] | None = None
) -> None:
    """The clock's rule for `fact` (arende.rules.clock) against the system's today."""
    clock.check(fact, day, today=today(), field=field, earlier=earlier)


# Who acts, when it is not the process's user: a Prefect form's "utförd av" (flows/forms.py).
_ACTING_AS: ContextVar[str | None] = ContextVar("arende_acting_as", default=None)


def actor() -> str:
    return _ACTING_AS.get() or get_settings().user


# Through which door the actor came, when it is not this process's own (a Prefect form).
_VIA: ContextVar[str | None] = ContextVar("arende_via", default=None)


@contextmanager
def acting_as(person: str, via: str | None = None) -> Iterator[None]:
    """Audit rows written inside name `person` as the actor, not the worker's OS user;
    `via` ("prefect") is recorded with each row."""
    token, door = _ACTING_AS.set(person), _VIA.set(via)
    try:
        yield
    finally:
        _ACTING_AS.reset(token)
        _VIA.reset(door)


def audit(
    session: Session,
    action: str,
    *,
    errand_id: int | None = None,
    meeting_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    who: str | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor=who or actor(),
            action=action,
            errand_id=errand_id,
            meeting_id=meeting_id,
            before=_jsonable(before),
            after=_jsonable({**(after or {}), "via": _VIA.get()} if _VIA.get() else after),
        )
    )


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in values.items()}


def get_organ(session: Session, code: str, field: str = "organ", *, lock: bool = False) -> Organ:
    """The organ by its code. `lock` makes this transaction the organ's only writer of
    its registrations, meetings and § until it ends (PostgreSQL; SQLite has one writer
    anyway): two processes that both find "no such errand yet" or "no § 14 yet" and then
    insert used to crash the loser on the unique constraint; now the second one waits,
    then finds what the first one wrote."""
    query = select(Organ).where(Organ.code == code.strip().upper())
    organ = session.scalar(query.with_for_update() if lock else query)
    if organ is None or not organ.active:
        raise NotFound(
            field,
            f"unknown organ {code!r}; see `arende organs list`",
            sv=f"okänd nämnd {code!r}; se `arende organs list`",
        )
    return organ


def check_classification(session: Session, code: str | None) -> None:
    if code is None:
        return
    row = session.get(ClassificationCode, code)
    if row is None:
        raise NotFound(
            "classification",
            f"{code!r} is not in the classification scheme",
            sv=f"{code!r} finns inte i klassificeringsstrukturen",
        )
    if row.dormant:
        raise NotFound(
            "classification",
            f"{code!r} is dormant and cannot be used on new errands",
            sv=f"{code!r} är vilande och kan inte användas i nya ärenden",
        )


def get_errand(session: Session, dnr: str, *, lock: bool = False) -> Errand:
    parsed = Dnr.parse(dnr)
    stmt = select(Errand).where(Errand.prefix == parsed.prefix, Errand.year == parsed.year, Errand.seq == parsed.seq)
    if lock:
        stmt = stmt.with_for_update()
    errand = session.scalar(stmt)
    if errand is None:
        raise NotFound("dnr", f"no errand {parsed.base}", sv=f"det finns inget ärende {parsed.base}")
    return errand


def load_errand(session: Session, errand_id: int, *, lock: bool = True) -> Errand:
    stmt = select(Errand).where(Errand.id == errand_id)
    if lock:
        # Serialises two flow runs of the same errand (PostgreSQL); SQLite's
        # BEGIN IMMEDIATE already does.
        stmt = stmt.with_for_update()
    errand = session.scalar(stmt)
    if errand is None:
        raise NotFound("errand", f"no errand with id {errand_id}")
    return errand


def step_row(session: Session, errand_id: int, step: Step) -> ErrandStep | None:
    return session.scalar(select(ErrandStep).where(ErrandStep.errand_id == errand_id, ErrandStep.step == step.value))


def complete_step(
    session: Session,
    errand: Errand,
    step: Step,
    *,
    done_on: dt.date | None,
    state: StepState = StepState.DONE,
    note: str | None = None,
    who: str = "flow",
) -> bool:
    """Mark a step done (or skipped) and move the status on. False if it already was."""
    if step_row(session, errand.id, step) is not None:
        return False
    session.add(ErrandStep(errand_id=errand.id, step=step.value, state=state.value, done_on=done_on, note=note))
    before = errand.status
    target = STATUS_AFTER[step]
    # A step done (or skipped) is what its deadlines were waiting for.
    meet_deadline(session, errand.id, step=step)
    if state is StepState.DONE and errand.status != target.value:
        check_transition(ErrandStatus(errand.status), target)
        errand.status = target.value
        if target is ErrandStatus.CLOSED:
            errand.closed_at = utcnow()
    audit(
        session,
        f"step.{step.value}.{state.value}",
        errand_id=errand.id,
        before={"status": before},
        after={"status": errand.status, "done_on": done_on, "note": note},
        who=who,
    )
    return True


def set_deadline(session: Session, errand_id: int, step: Step, kind: str, description: str, due_on: dt.date) -> None:
    """Create the deadline, or move an open one to a new date; one row per kind."""
    row = session.scalar(select(Deadline).where(Deadline.errand_id == errand_id, Deadline.kind == kind))
    if row is None:
        session.add(
            Deadline(
                errand_id=errand_id,
                step=step.value,
                kind=kind,
                description=description,
                due_on=due_on,
                status=DeadlineStatus.OPEN.value,
            )
        )
        audit(session, "deadline.set", errand_id=errand_id, after={"kind": kind, "due_on": due_on}, who="flow")
    elif row.status == DeadlineStatus.OPEN.value and row.due_on != due_on:
        audit(
            session,
            "deadline.moved",
            errand_id=errand_id,
            before={"kind": kind, "due_on": row.due_on},
            after={"kind": kind, "due_on": due_on},
            who="flow",
        )
        row.due_on = due_on


def meet_deadline(session: Session, errand_id: int, *, step: Step) -> None:
    """Mark every open deadline attached to a step met."""
    stmt = select(Deadline).where(
        Deadline.errand_id == errand_id, Deadline.status == DeadlineStatus.OPEN.value, Deadline.step == step.value
    )
    for row in session.scalars(stmt):
        row.status = DeadlineStatus.MET.value
        row.met_at = utcnow()
        audit(session, "deadline.met", errand_id=errand_id, after={"kind": row.kind}, who="flow")


def organ_email(session: Session, name: str) -> str | None:
    """Recipients that are organs of ours get their registered address."""
    organ = session.scalar(select(Organ).where(Organ.name == name.strip()))
    return organ.email if organ else None


def decision_of(session: Session, errand_id: int) -> Decision | None:
    """The errand's deciding §: the latest one with a final outcome (not tabled or returned)."""
    return session.scalar(
        select(Decision)
        .where(Decision.errand_id == errand_id, Decision.outcome.in_([o.value for o in FINAL_OUTCOMES]))
        .order_by(Decision.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Signing:
    """When a § was signed and posted: its meeting's protocol, or for a § declared
    omedelbart justerad (OJ) its own justering and notice."""

    held_on: dt.date
    justering_due: dt.date
    justerad_on: dt.date | None
    anslag_posted_on: dt.date | None
    anslag_removed_on: dt.date | None
    appeal_ends_on: dt.date | None
    immediate: bool


def signing_of(decision: Decision) -> Signing:
    m = decision.meeting
    if decision.immediate:
        return Signing(
            m.held_on,
            m.held_on,
            decision.justerad_on,
            decision.anslag_posted_on,
            decision.anslag_removed_on,
            decision.appeal_ends_on,
            True,
        )
    return Signing(
        m.held_on, m.justering_due, m.justerad_on, m.anslag_posted_on, m.anslag_removed_on, m.appeal_ends_on, False
    )
