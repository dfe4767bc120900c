"""Registration tasks of the incoming-request types (remiss, audit reply)."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from arende.services import audit_reply, remiss
from arende.services.common import today
from db.session import session_scope


@task(name="register-remiss", cache_policy=NO_CACHE)
def register_remiss(start: remiss.RemissStart) -> int:
    """Idempotent: the same remiss (organ, sender's Dnr) is registered once."""
    with session_scope() as session:
        errand, created = remiss.start_remiss(session, start, registered_on=start.registered_on or today(), who="flow")
        errand_id, dnr = errand.id, errand.dnr
    get_run_logger().info("%s %s", "registered" if created else "already registered as", dnr)
    return errand_id


@task(name="register-audit-report", cache_policy=NO_CACHE)
def register_audit_report(start: audit_reply.AuditStart) -> int:
    """Idempotent: the same audit report (organ, auditors' Dnr) is registered once."""
    with session_scope() as session:
        errand, created = audit_reply.start_audit(session, start, registered_on=start.registered_on or today(),
                                                  who="flow")
        errand_id, dnr = errand.id, errand.dnr
    get_run_logger().info("%s %s", "registered" if created else "already registered as", dnr)
    return errand_id
