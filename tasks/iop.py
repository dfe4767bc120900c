"""The agreements' calendar as a task."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from arende.services import iop_calendar
from db.session import session_scope


@task(name="agreement-calendar", cache_policy=NO_CACHE)
def agreement_calendar() -> list[int]:
    """Renew agreements whose notice day passed in silence; end those under notice."""
    with session_scope() as session:
        changed = iop_calendar.apply_calendar(session)
    get_run_logger().info("överenskommelser förnyade eller avslutade: %s", len(changed))
    return changed
