"""The one way a command records a fact: validate and write it with a pending advance
in one transaction, then move the errands on without making the person wait for Prefect.

With a Prefect API configured (PREFECT_API_URL or the active profile) each errand gets a
flow run of its deployment, created over REST, which `arende serve` or a worker runs.
Otherwise (the embedded default) the pending steps run here, in-process: the same step
functions the flows call as tasks.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

# The deployment (flow and deployment name alike) that moves an existing errand on by its
# Dnr: flows/errands.py:advance_errand.
ADVANCE = "advance-errand"


@dataclass(frozen=True)
class Moved:
    """Where one errand stands after a command: what every door shows the person."""

    errand_id: int
    dnr: str
    status: str | None = None  # after the steps ran here
    waiting_at: str | None = None  # the step that waits for a person
    flow_run_id: str | None = None  # handed to Prefect instead
    pending: bool = False  # recorded; the advance has not run (yet)
    error: str | None = None  # why it is still pending


def record(apply: Callable[[Session], list[int]], reason: str, *, no_run: bool = False) -> list[Moved]:
    """Run `apply` (which records the fact and returns the errands it concerns) and the
    pending advance in one transaction; then move those errands on."""
    from arende.services.advance import request_advance
    from db.session import session_scope

    with session_scope() as session:
        ids = apply(session)
        request_advance(session, ids, reason)
    return move_on(ids, no_run=no_run)


def move_on(errand_ids: list[int], *, no_run: bool = False) -> list[Moved]:
    from arende.prefect_api import configured_api_url

    if not errand_ids:
        return []
    if no_run:  # recorded only; the pending advance shows in `arende errand show`
        return [Moved(errand_id, _dnr_of(errand_id), pending=True) for errand_id in errand_ids]
    api_url = configured_api_url()
    if api_url:
        return _hand_to_prefect(api_url, errand_ids)
    from arende.errors import ArendeError
    from arende.services.advance import advance_all_pending, advance_errand, failed

    moved = []
    for errand_id in errand_ids:
        try:
            advanced = advance_errand(errand_id)
        except ArendeError as exc:
            # The fact is valid and stays recorded; a step could not be done here (a
            # setting, a folder). The person learns both, and what to do.
            failed(errand_id, str(exc))
            raise type(exc)(
                exc.field,
                f"{exc.problem} ({_dnr_of(errand_id)} is recorded and moves on with "
                f"`arende errand run` once this is fixed)",
            ) from None
        print(advanced.line())
        moved.append(Moved(errand_id, advanced.dnr, status=advanced.status, waiting_at=advanced.waiting_at))
    # What a killed process left behind: a minute old, so never one in flight elsewhere.
    advance_all_pending(limit=5, older_than=dt.timedelta(minutes=1))
    return moved


def _dnr_of(errand_id: int) -> str:
    from db.models import Errand
    from db.session import session_scope

    with session_scope() as session:
        errand = session.get(Errand, errand_id)
        return errand.dnr if errand is not None else str(errand_id)


def _hand_to_prefect(api_url: str, errand_ids: list[int]) -> list[Moved]:
    from sqlalchemy import select

    from arende.prefect_api import PrefectApiError, create_flow_run
    from arende.services.advance import failed, handed_to_prefect
    from db.models import Errand, PendingAdvance
    from db.session import session_scope

    with session_scope() as session:
        rows = session.execute(
            select(
                Errand.id,
                Errand.prefix,
                Errand.year,
                Errand.seq,
                Errand.classification_code,
                PendingAdvance.requested_at,
            )
            .outerjoin(PendingAdvance, PendingAdvance.errand_id == Errand.id)
            .where(Errand.id.in_(errand_ids))
        ).all()
    from arende.rules.dnr import Dnr

    moved = []
    for errand_id, prefix, year, seq, code, requested_at in rows:
        dnr = str(Dnr(prefix, year, seq, code))
        key = f"advance:{errand_id}:{requested_at.isoformat() if requested_at else 'now'}"
        try:
            run_id = create_flow_run(api_url, ADVANCE, ADVANCE, {"dnr": dnr}, idempotency_key=key)
        except PrefectApiError as exc:
            failed(errand_id, str(exc))
            print(
                f"arende: warning: {dnr}: recorded, but no flow run: {exc}; the advance stays pending", file=sys.stderr
            )
            moved.append(Moved(errand_id, dnr, pending=True, error=str(exc)))
            continue
        handed_to_prefect(errand_id, run_id)
        print(f"{dnr}: flow run {run_id} created (deployment {ADVANCE}/{ADVANCE})")
        moved.append(Moved(errand_id, dnr, flow_run_id=run_id, pending=True))
    return moved
