"""IOP tasks: registering an agreement or a supplement, and the agreements' calendar."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from arende.services import iop
from arende.services.common import today
from db.session import session_scope


@task(name="register-iop-agreement", cache_policy=NO_CACHE)
def register_agreement(start: iop.IopStart) -> int:
    """Idempotent: one errand per agreement number."""
    with session_scope() as session:
        errand, created = iop.start(session, start, registered_on=start.registered_on or today(), who="flow")
        errand_id, dnr = errand.id, errand.dnr
    get_run_logger().info("%s %s", "registered" if created else "already registered as", dnr)
    return errand_id


@task(name="register-iop-supplement", cache_policy=NO_CACHE)
def register_supplement(start: iop.SupplementStart) -> int:
    """Idempotent: one supplement errand per agreement and year."""
    with session_scope() as session:
        errand, created = iop.start_supplement(session, start, registered_on=start.registered_on or today(),
                                               who="flow")
        errand_id, dnr = errand.id, errand.dnr
    get_run_logger().info("%s %s", "registered" if created else "already registered as", dnr)
    return errand_id


@task(name="agreement-calendar", cache_policy=NO_CACHE)
def agreement_calendar() -> list[int]:
    """Renew agreements whose notice day passed in silence; end those under notice."""
    with session_scope() as session:
        changed = iop.apply_calendar(session)
    get_run_logger().info("agreements changed: %s", changed)
    return changed
