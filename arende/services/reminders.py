"""The daily deadline sweep: reminders before and after each open deadline.

The query reads open deadlines due within the longest warning horizon through the
(status, due_on) index, so its cost follows what is due, not the archive. Each
(deadline, level) gets at most one reminder row, under a unique constraint, and one
outbox message in the same transaction: a repeated or crashed sweep writes nothing
twice.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from arende.rules.legalcalendar import working_days_until
from arende.rules.workflow import STEP_LABELS_SV, DeadlineStatus, Step
from arende.services.common import today
from arende.services.reference import read_toml
from arende.settings import get_settings
from arende.swedish import long_date
from db.models import Deadline, Errand, Organ, OutboxMessage, Reminder

# Working-day levels become calendar days for the index scan: 14 working days are at
# most 14 + weekends + holidays; twice the count plus a week bounds it safely.
_HORIZON_SLACK_DAYS = 7


@dataclass(frozen=True)
class Levels:
    levels: tuple[int, ...]
    overdue: bool


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, Levels]:
    raw = read_toml(path)
    default = raw.get("default", {"levels": [14, 3, 0], "overdue": True})
    table = {"": Levels(tuple(sorted(default.get("levels", []), reverse=True)), bool(default.get("overdue", True)))}
    for step, conf in raw.get("step", {}).items():
        table[step] = Levels(tuple(sorted(conf.get("levels", []), reverse=True)), bool(conf.get("overdue", True)))
    return table


def levels_for(step: str) -> Levels:
    table = _load(get_settings().reminders_file)
    return table.get(step, table[""])


def due_level(levels: Levels, working_days_left: int, calendar_days_left: int) -> str | None:
    """The most urgent level reached: 'overdue', or 'dN' for N working days before."""
    if calendar_days_left < 0:
        return "overdue" if levels.overdue else None
    reached = [n for n in levels.levels if working_days_left <= n]
    return f"d{min(reached)}" if reached else None


def _level_rank(level: str) -> int:
    return -1 if level == "overdue" else int(level[1:])


@dataclass
class SweepResult:
    created: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    no_address: int = 0
    planned: list[tuple[str, str, str, dt.date]] = field(default_factory=list)  # (dnr, step, level, due)


# The advisory lock key of the reminder sweep (any constant unique to it).
_SWEEP_LOCK = 0x61726E64


def sweep(session: Session, on: dt.date | None = None, *, dry_run: bool = False) -> SweepResult:
    on = on or today()
    if session.get_bind().dialect.name == "postgresql":
        # One sweep at a time (SQLite's write lock does the same): a second one waits, then
        # finds the reminders the first wrote, instead of crashing on their unique keys.
        session.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": _SWEEP_LOCK})
    table = _load(get_settings().reminders_file)
    horizon = max((max(v.levels, default=0) for v in table.values()), default=0)
    until = on + dt.timedelta(days=2 * horizon + _HORIZON_SLACK_DAYS)
    rows = session.execute(
        select(Deadline, Errand, Organ)
        .join(Errand, Errand.id == Deadline.errand_id)
        .join(Organ, Organ.id == Errand.organ_id)
        .where(Deadline.status == DeadlineStatus.OPEN.value, Deadline.due_on <= until)
        .order_by(Deadline.due_on, Deadline.id)
    ).all()
    fired: dict[int, set[str]] = {}
    if rows:
        ids = [d.id for d, _, _ in rows]
        for chunk in range(0, len(ids), 900):
            for deadline_id, sent_level in session.execute(
                select(Reminder.deadline_id, Reminder.level).where(Reminder.deadline_id.in_(ids[chunk : chunk + 900]))
            ):
                fired.setdefault(deadline_id, set()).add(sent_level)
    result = SweepResult()
    due: list[tuple[Deadline, str, OutboxMessage | None]] = []
    for deadline, errand, organ in rows:
        levels = levels_for(deadline.step)
        level = due_level(levels, working_days_until(on, deadline.due_on), (deadline.due_on - on).days)
        already = fired.get(deadline.id, set())
        # A level fires once; one already sent at this or a more urgent level covers it.
        if level is None or any(_level_rank(a) <= _level_rank(level) for a in already):
            continue
        result.planned.append((errand.dnr, deadline.step, level, deadline.due_on))
        if dry_run:
            continue
        address = errand.officer_email or organ.reminder_email
        message = None
        if address:
            subject, text, markup = _message(errand, organ, deadline, level, on)
            message = OutboxMessage(
                idempotency_key=f"reminder:{deadline.id}:{level}",
                to_address=address,
                subject=subject,
                body=text,
                html=markup,
                attachment_ids=[],
            )
        else:
            result.no_address += 1
        due.append((deadline, level, message))
        result.created += 1
        result.by_level[level] = result.by_level.get(level, 0) + 1
    # One flush for all the messages (their ids come back in bulk), then the reminders
    # that point at them: on a due-heavy morning a flush per message cost half the time.
    session.add_all([m for _, _, m in due if m is not None])
    session.flush()
    session.add_all([Reminder(deadline_id=d.id, level=level, outbox_id=m.id if m else None) for d, level, m in due])
    return result


def _message(errand: Errand, organ: Organ, deadline: Deadline, level: str, on: dt.date) -> tuple[str, str, str]:
    try:
        step = STEP_LABELS_SV[Step(deadline.step)]
    except ValueError:
        step = deadline.step
    due = f"{long_date(deadline.due_on)} ({deadline.due_on})"
    if level == "overdue":
        days = (on - deadline.due_on).days
        when = f"passerades {due}, för {days} {'dag' if days == 1 else 'dagar'} sedan"
        subject = f"Frist passerad: {deadline.description} – {errand.dnr}"
    elif level == "d0":
        when = f"går ut i dag, {due}"
        subject = f"Frist i dag: {deadline.description} – {errand.dnr}"
    else:
        # The working days actually left, not the level's threshold: a sweep that runs
        # late sends the d14 reminder with, say, 8 days to go.
        left = working_days_until(on, deadline.due_on)
        when = f"går ut {due}, om {left} {'arbetsdag' if left == 1 else 'arbetsdagar'}"
        subject = f"Påminnelse: {deadline.description} – {errand.dnr}"
    # To the case officer by name; to the organ's mailbox without one.
    greeting = f"Hej {errand.officer}," if errand.officer and errand.officer_email else "Hej,"
    lines = [
        greeting,
        "",
        f"Fristen {deadline.description.lower()} {when}.",
        "",
        f"Ärende: {errand.dnr} {errand.title}",
        f"Steg: {step}",
        f"Nämnd: {organ.name}",
        f"Handläggare: {errand.officer or 'ej utsedd'}",
        "",
        f'Se ärendet med: arende errand show "{errand.dnr}"',
        "",
        "Detta är ett automatiskt meddelande från Ärende.",
    ]
    text = "\n".join(lines)
    markup = (
        "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" if line else "" for line in lines) + "</body></html>"
    )
    return subject, text, markup
