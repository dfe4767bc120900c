"""Registration tasks of errands the office opens itself."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from arende.services import annual_report, report
from arende.services.common import today
from db.session import session_scope


@task(name="register-annual-report", cache_policy=NO_CACHE)
def register_annual_report(start: annual_report.AnnualReportStart) -> int:
    """Idempotent: one annual report per organ and year."""
    with session_scope() as session:
        errand, created = annual_report.start(session, start, registered_on=start.registered_on or today(), who="flow")
        errand_id, dnr = errand.id, errand.dnr
    get_run_logger().info("%s %s", "registered" if created else "already registered as", dnr)
    return errand_id


@task(name="register-report", cache_policy=NO_CACHE)
def register_report(start: report.ReportStart) -> int:
    """Idempotent: one report per organ, year and title."""
    with session_scope() as session:
        errand, created = report.start(session, start, registered_on=start.registered_on or today(), who="flow")
        errand_id, dnr = errand.id, errand.dnr
    get_run_logger().info("%s %s", "registered" if created else "already registered as", dnr)
    return errand_id
