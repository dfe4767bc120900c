"""Read models for the CLI: an errand's full picture and the open deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.rules.workflow import ALL_STEPS, STATUS_SV, STEP_LABELS_SV, DeadlineStatus
from arende.services.common import decision_of, get_errand, get_organ, signing_of, today
from db.models import (
    AuditEvent,
    Deadline,
    Distribution,
    Document,
    Errand,
    ErrandStep,
    PendingAdvance,
    Recipient,
)
from db.session import session_scope


@dataclass
class StepView:
    step: str
    label: str
    state: str
    done_on: dt.date | None
    note: str | None


@dataclass
class ErrandView:
    dnr: str
    title: str
    errand_type: str
    organ: str
    status: str
    officer: str | None
    counterpart: str | None
    external_ref: str | None
    received_on: dt.date | None
    reply_due: dt.date | None
    decision: str | None
    appeal_ends_on: dt.date | None
    # The meeting that decided it: (organ code, day, meeting status).
    decided_at: tuple[str, dt.date, str] | None = None
    steps: list[StepView] = field(default_factory=list)
    # A fact recorded whose advance has not run yet: why, since when, and where it went.
    pending_advance: dict[str, Any] | None = None
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    distribution: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)


def _steps(session: Session, errand: Errand) -> list[StepView]:
    rows = {r.step: r for r in session.scalars(select(ErrandStep).where(ErrandStep.errand_id == errand.id))}
    views, waiting_marked = [], False
    for step in ALL_STEPS:
        row = rows.get(step.value)
        if row is not None:
            views.append(StepView(step.value, STEP_LABELS_SV[step], row.state, row.done_on, row.note))
        else:
            state = "pending" if waiting_marked else "waiting"
            waiting_marked = True
            views.append(StepView(step.value, STEP_LABELS_SV[step], state, None, None))
    return views


def progress(errand_id: int) -> dict[str, object]:
    """A short, personal-data-free summary: what a flow run returns."""
    with session_scope() as session:
        errand = session.get(Errand, errand_id)
        assert errand is not None
        waiting = next((s.step for s in _steps(session, errand) if s.state == "waiting"), None)
        return {"errand_id": errand.id, "dnr": errand.dnr, "status": errand.status, "waiting_at": waiting}


SECRET_MARK = "(sekretess – visas med --show-secret)"


def errand_view(session: Session, dnr: str, *, show_secret: bool = False, errand: Errand | None = None) -> ErrandView:
    """The errand's whole picture; `errand` when the caller has already loaded it."""
    errand = errand or get_errand(session, dnr)
    decision = decision_of(session, errand.id)
    view = ErrandView(
        dnr=errand.dnr,
        title=errand.title,
        errand_type=errand.errand_type,
        organ=errand.organ.name,
        status=errand.status,
        officer=errand.officer,
        counterpart=errand.counterpart,
        external_ref=errand.external_ref,
        received_on=errand.received_on,
        reply_due=errand.reply_due,
        decision=(
            f"{errand.organ.code} {decision.meeting.held_on} § {decision.paragraph}: {decision.text}"
            if decision
            else None
        ),
        appeal_ends_on=signing_of(decision).appeal_ends_on if decision else None,
        decided_at=((errand.organ.code, decision.meeting.held_on, decision.meeting.status) if decision else None),
        steps=_steps(session, errand),
    )
    pending = session.get(PendingAdvance, errand.id)
    if pending is not None:
        view.pending_advance = {
            "reason": pending.reason,
            "requested_at": pending.requested_at,
            "flow_run_id": pending.flow_run_id,
            "attempts": pending.attempts,
            "last_error": pending.last_error,
        }
    now = today()
    for d in session.scalars(select(Deadline).where(Deadline.errand_id == errand.id).order_by(Deadline.due_on)):
        view.deadlines.append(
            {
                "kind": d.kind,
                "step": d.step,
                "description": d.description,
                "due_on": d.due_on,
                "status": d.status,
                "days_left": (d.due_on - now).days,
            }
        )
    for doc in session.scalars(select(Document).where(Document.errand_id == errand.id).order_by(Document.number)):
        # A secret document's counterpart may be a person (a name, a personnummer): hidden
        # unless asked for, and the asking is audited (by the caller, which may write).
        hidden = doc.secrecy_provision is not None and not show_secret
        view.documents.append(
            {
                "number": doc.number,
                "registered_on": doc.registered_on,
                "direction": doc.direction,
                "counterpart": SECRET_MARK if hidden else doc.counterpart,
                "description": doc.description,
                "kind": doc.kind,
                "file": str(doc.file) if doc.file else None,
                "sha256": doc.sha256,
                "secrecy": doc.secrecy_provision,
                "archived": doc.archive_path is not None,
            }
        )
    recipients = {r.id: r for r in session.scalars(select(Recipient).where(Recipient.errand_id == errand.id))}
    for dist in session.scalars(select(Distribution).where(Distribution.errand_id == errand.id)):
        r = recipients[dist.recipient_id]
        view.distribution.append(
            {
                "position": r.position,
                "recipient": r.name,
                "channel": dist.channel,
                "address": r.email,
                "expedierad_on": dist.expedierad_on,
            }
        )
    view.distribution.sort(key=lambda d: d["position"])
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.errand_id == errand.id).order_by(AuditEvent.id)))
    shown = actors_shown(session, {ev.actor for ev in events})
    for ev in events:
        view.audit.append(
            {"at": ev.at, "actor": shown[ev.actor], "action": ev.action, "before": ev.before, "after": ev.after}
        )
    return view


def actors_shown(session: Session, actors: set[str]) -> dict[str, str]:
    """The audit log stores who acted by user name (two accounts may share a display
    name); a person reads the name with the user name: "Anna Lind (anna)". An actor
    that is no account (the flow, the operator's OS user) is shown as stored."""
    from db.models import User

    names = {u: n for u, n in session.execute(select(User.username, User.name).where(User.username.in_(actors)))}
    return {a: f"{names[a]} ({a})" if a in names else a for a in actors}


@dataclass(frozen=True)
class DeadlineRow:
    dnr: str
    title: str
    step: str
    description: str
    due_on: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def as_json(self) -> dict[str, Any]:
        return {
            "dnr": self.dnr,
            "title": self.title,
            "step": self.step,
            "description": self.description,
            "due_on": self.due_on.isoformat(),
            "days_left": self.days_left,
            "overdue": self.overdue,
        }


def open_deadlines(session: Session, *, within_days: int | None = None, organ: str | None = None) -> list[DeadlineRow]:
    now = today()
    stmt = (
        select(Deadline, Errand)
        .join(Errand, Errand.id == Deadline.errand_id)
        .where(Deadline.status == DeadlineStatus.OPEN.value)
        .order_by(Deadline.due_on, Errand.year, Errand.seq)
    )
    if within_days is not None:
        stmt = stmt.where(Deadline.due_on <= now + dt.timedelta(days=within_days))
    if organ is not None:  # a mistyped organ is an error, never a reassuring empty list
        stmt = stmt.where(Errand.prefix == get_organ(session, organ).code)
    return [
        DeadlineRow(e.dnr, e.title, d.step, d.description, d.due_on, (d.due_on - now).days)
        for d, e in session.execute(stmt)
    ]


def run_summary(errand_id: int, moved: list[dict[str, str]]) -> tuple[str, str]:
    """What an administrator reads of a flow run (a Markdown artifact): the errand, where
    it stands, what this run moved, the next deadline and the documents. Public
    registration data only: a secret document is counted, never described."""
    from arende.swedish import long_date

    with session_scope() as session:
        errand = session.get(Errand, errand_id)
        assert errand is not None
        steps = _steps(session, errand)
        waiting = next((s for s in steps if s.state == "waiting"), None)
        deadline = session.scalar(
            select(Deadline)
            .where(Deadline.errand_id == errand.id, Deadline.status == "open")
            .order_by(Deadline.due_on)
            .limit(1)
        )
        documents = list(
            session.scalars(select(Document).where(Document.errand_id == errand.id).order_by(Document.number))
        )
        lines = [
            f"# {errand.dnr} {errand.title}",
            "",
            f"**Status:** {STATUS_SV.get(errand.status, errand.status)}"
            + (f", väntar på: {waiting.label}" if waiting else ""),
            "",
            "**Den här körningen:** "
            + (
                ", ".join(
                    f"{STEP_LABELS_SV.get(_step(m['step']), m['step'])} ({_STATE_SV.get(m['state'], m['state'])})"
                    for m in moved
                )
                if moved
                else "inget att göra"
            ),
            "",
            "**Nästa frist:** "
            + (f"{deadline.description}, {long_date(deadline.due_on)} ({deadline.due_on})" if deadline else "ingen"),
            "",
            "| nr | datum | handling |",
            "|---|---|---|",
        ]
        secret = 0
        for doc in documents:
            if doc.secrecy_provision:
                secret += 1
                continue
            lines.append(f"| {doc.number} | {doc.registered_on} | {doc.description} |")
        if secret:
            lines.append(f"| | | och {secret} handling(ar) med sekretess |")
        key = f"{errand.prefix}-{errand.year}-{errand.seq:05d}".lower()  # artifact keys: a-z, 0-9, dashes
        return key, "\n".join(lines)


_STATE_SV = {"done": "klart", "skipped": "hoppades över", "waiting": "väntar"}


def _step(name: str):  # type: ignore[no-untyped-def]
    from arende.rules.workflow import Step

    try:
        return Step(name)
    except ValueError:
        return name
