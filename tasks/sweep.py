"""The daily sweep's tasks: pick up advances left pending, write reminders, then deliver
the outbox. Counts only."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from arende.services.mail import deliver
from arende.services.reminders import sweep
from arende.settings import get_settings
from db.session import session_scope


@task(name="advance-pending", cache_policy=NO_CACHE)
def advance_pending() -> dict[str, int]:
    """Errands whose fact was recorded but whose advance never ran (a killed process,
    a Prefect API that did not answer): an hour old, so never one still queued."""
    import datetime as dt

    from arende.services.advance import advance_all_pending

    moved = advance_all_pending(older_than=dt.timedelta(hours=1))
    if moved:
        get_run_logger().info("ärenden som väntade på att föras vidare: %s", len(moved))
    return {"advanced": len(moved)}


@task(name="write-reminders", cache_policy=NO_CACHE)
def write_reminders() -> dict[str, int]:
    with session_scope() as session:
        result = sweep(session)
    get_run_logger().info("påminnelser skrivna: %s (%s utan adress)", result.by_level, result.no_address)
    return {"created": result.created, "no_address": result.no_address}


@task(name="deliver-outbox", cache_policy=NO_CACHE)
def deliver_outbox() -> dict[str, int]:
    if not get_settings().smtp_host:
        get_run_logger().warning("ingen e-postserver inställd (ARENDE_SMTP_HOST): utkorgen väntar")
        return {"sent": 0, "failed": 0}
    result = deliver()
    get_run_logger().info("utkorgen: %s skickade, %s misslyckades", result.sent, result.failed)
    return {"sent": result.sent, "failed": result.failed}
