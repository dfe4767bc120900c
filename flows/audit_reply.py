"""The reply to an audit report: the remiss chain with the auditors' recommendations
as data and a reply that answers each one addressed to the committee."""

from __future__ import annotations

from prefect import flow

from arende.services.audit_reply import AuditStart
from flows.chain import advance_chain
from tasks import registration


@flow(name="audit-reply")
def audit_reply(errand_id: int | None = None, start: AuditStart | None = None) -> dict[str, object]:
    """Registrera en revisionsrapport (start) eller för ett befintligt revisionssvar (errand_id) framåt."""
    if errand_id is None:
        if start is None:
            raise ValueError("give errand_id or start")
        errand_id = registration.register_audit_report(start)
    return advance_chain(errand_id)
