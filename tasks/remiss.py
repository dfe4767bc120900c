"""The remiss-specific step: registering the incoming remiss."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from arende.services.common import today
from arende.services.remiss import RemissStart, start_remiss
from db.session import session_scope


@task(name="register-remiss", cache_policy=NO_CACHE)
def register_remiss(start: RemissStart) -> int:
    """Idempotent: the same remiss (organ, sender's Dnr) is registered once."""
    with session_scope() as session:
        errand, created = start_remiss(session, start, registered_on=start.registered_on or today(), who="flow")
        errand_id, dnr = errand.id, errand.dnr
    get_run_logger().info("%s %s", "registered" if created else "already registered as", dnr)
    return errand_id
