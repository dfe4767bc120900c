"""A report for decision (e.g. a follow-up decided with the annual report)."""

from __future__ import annotations

from prefect import flow

from arende.services.report import ReportStart
from flows.chain import advance_chain
from tasks import registration


@flow(name="report")
def report(errand_id: int | None = None, start: ReportStart | None = None) -> dict[str, object]:
    """Öppna ett ärende för beslut (start) eller för det framåt (errand_id)."""
    if errand_id is None:
        if start is None:
            raise ValueError("give errand_id or start")
        errand_id = registration.register_report(start)
    return advance_chain(errand_id)
