"""The daily sweep's tasks: write reminders, then deliver the outbox. Counts only."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from arende.services.mail import deliver
from arende.services.reminders import sweep
from arende.settings import get_settings
from db.session import session_scope


@task(name="write-reminders", cache_policy=NO_CACHE)
def write_reminders() -> dict[str, int]:
    with session_scope() as session:
        result = sweep(session)
    get_run_logger().info("reminders written: %s (%s without an address)", result.by_level, result.no_address)
    return {"created": result.created, "no_address": result.no_address}


@task(name="deliver-outbox", cache_policy=NO_CACHE)
def deliver_outbox() -> dict[str, int]:
    if not get_settings().smtp_host:
        get_run_logger().warning("no SMTP server configured (ARENDE_SMTP_HOST); the outbox waits")
        return {"sent": 0, "failed": 0}
    result = deliver()
    get_run_logger().info("outbox: %s sent, %s failed", result.sent, result.failed)
    return {"sent": result.sent, "failed": result.failed}
