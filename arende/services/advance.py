"""Pending advances: the durable link between a recorded fact and the errand moving on.

A command that records a fact writes a pending advance for each errand it concerns in
the same transaction. The errand then moves on in-process (embedded default) or in a
flow run of its deployment (a Prefect API configured); whichever runs the steps settles
the row at the end. Settling removes the row only if no newer fact arrived meanwhile,
so a fact recorded during an advance is never dropped. A process killed in between
leaves the row, which the next command, `arende errand run` or the daily sweep finds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import PendingAdvance, utcnow
from db.session import session_scope


@dataclass(frozen=True)
class Advanced:
    """What moving an errand on did: words and ids only (safe as a Prefect result)."""

    errand_id: int
    dnr: str
    status: str
    waiting_at: str | None

    def line(self) -> str:
        """Where the errand stands, in Swedish as a clerk reads it (the result keeps the values)."""
        from arende.rules.workflow import STATUS_SV, WAITING_SV, Step

        waiting = WAITING_SV.get(Step(self.waiting_at)) if self.waiting_at in Step._value2member_map_ else None
        return f"{self.dnr}: {STATUS_SV.get(self.status, self.status)}" + (
            f", väntar på {waiting or self.waiting_at}" if self.waiting_at else ""
        )

    def as_dict(self) -> dict[str, object]:
        return {"errand_id": self.errand_id, "dnr": self.dnr, "status": self.status, "waiting_at": self.waiting_at}


def request_advance(session: Session, errand_ids: list[int], reason: str) -> None:
    """Call inside the transaction that records the fact. One statement per errand that
    inserts the request or renews it: an advance settling the row at the same moment
    (another process) can never make this fail (an ORM update of a row deleted meanwhile
    raised StaleDataError)."""
    now = utcnow()
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for errand_id in dict.fromkeys(errand_ids):
        values = {"errand_id": errand_id, "reason": reason[:200], "requested_at": now, "attempts": 0}
        stmt = insert(PendingAdvance).values(**values)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[PendingAdvance.errand_id],
                set_={"reason": reason[:200], "requested_at": now, "flow_run_id": None, "last_error": None},
            )
        )
    session.flush()


def handed_to_prefect(errand_id: int, flow_run_id: str) -> None:
    with session_scope() as session:  # a statement, not a loaded row: settled meanwhile is fine
        session.execute(
            update(PendingAdvance).where(PendingAdvance.errand_id == errand_id).values(flow_run_id=flow_run_id)
        )


def failed(errand_id: int, error: str) -> None:
    with session_scope() as session:
        session.execute(
            update(PendingAdvance)
            .where(PendingAdvance.errand_id == errand_id)
            .values(attempts=PendingAdvance.attempts + 1, last_error=error[:500])
        )


def claim(errand_id: int) -> dt.datetime | None:
    """The request this advance answers (None when nothing is pending)."""
    with session_scope() as session:
        return session.scalar(select(PendingAdvance.requested_at).where(PendingAdvance.errand_id == errand_id))


def settle(errand_id: int, claimed: dt.datetime | None) -> None:
    """The steps have run: remove the request they answered, not a newer one."""
    if claimed is None:
        return
    with session_scope() as session:
        session.execute(
            delete(PendingAdvance).where(PendingAdvance.errand_id == errand_id, PendingAdvance.requested_at == claimed)
        )


def advance_errand(errand_id: int) -> Advanced:
    """Run the errand's pending steps in this process: the same step functions the
    flows run as tasks."""
    from arende.services.queries import progress
    from arende.services.steps import advance

    claimed = claim(errand_id)
    advance(errand_id)
    settle(errand_id, claimed)
    p = progress(errand_id)
    return Advanced(errand_id, str(p["dnr"]), str(p["status"]), p["waiting_at"])  # type: ignore[arg-type]


def pending_ids(limit: int | None = None, *, older_than: dt.timedelta | None = None) -> list[int]:
    with session_scope() as session:
        stmt = select(PendingAdvance.errand_id).order_by(PendingAdvance.requested_at)
        if older_than is not None:
            stmt = stmt.where(PendingAdvance.requested_at < utcnow() - older_than)
        if limit is not None:
            stmt = stmt.limit(limit)
        return list(session.scalars(stmt))


def advance_all_pending(limit: int | None = None, *, older_than: dt.timedelta | None = None) -> list[Advanced]:
    """Pick up advances a killed process left behind (or that failed): oldest first.
    One errand's failure is recorded on its row and does not stop the others."""
    done = []
    for errand_id in pending_ids(limit, older_than=older_than):
        try:
            done.append(advance_errand(errand_id))
        except Exception as exc:  # recorded on the row and retried next time
            failed(errand_id, f"{type(exc).__name__}: {exc}")
    return done
