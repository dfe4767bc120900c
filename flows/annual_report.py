"""The annual report: opened for a committee and a year, approved as a §, sent to
Kommunstyrelsen with a covering letter by the budget calendar's date."""

from __future__ import annotations

from prefect import flow

from arende.services.annual_report import AnnualReportStart
from flows.chain import advance_chain
from tasks import registration


@flow(name="annual-report")
def annual_report(errand_id: int | None = None, start: AnnualReportStart | None = None) -> dict[str, object]:
    """Öppna årsredovisningsärendet (start) eller för det framåt (errand_id)."""
    if errand_id is None:
        if start is None:
            raise ValueError("give errand_id or start")
        errand_id = registration.register_annual_report(start)
    return advance_chain(errand_id)
