"""IOP agreements: the agreement errand, its yearly supplements, and the daily run that
renews agreements nobody gave notice on and ends those that were given notice."""

from __future__ import annotations

from prefect import flow

from arende.services.iop import IopStart, SupplementStart
from flows.chain import advance_chain
from tasks import iop as iop_tasks
from tasks import registration


@flow(name="iop-agreement")
def iop_agreement(errand_id: int | None = None, start: IopStart | None = None) -> dict[str, object]:
    """Registrera en IOP (start) eller för ett IOP-ärende framåt (errand_id)."""
    if errand_id is None:
        if start is None:
            raise ValueError("give errand_id or start")
        errand_id = registration.register_agreement(start)
    return advance_chain(errand_id)


@flow(name="iop-supplement")
def iop_supplement(errand_id: int | None = None, start: SupplementStart | None = None) -> dict[str, object]:
    """Registrera ett tillägg till en IOP för ett år (start) eller för det framåt (errand_id)."""
    if errand_id is None:
        if start is None:
            raise ValueError("give errand_id or start")
        errand_id = registration.register_supplement(start)
    return advance_chain(errand_id)


@flow(name="iop-renewals")
def iop_renewals() -> list[dict[str, object]]:
    """Förläng överenskommelser som inte sagts upp i tid och avsluta uppsagda som löpt ut."""
    return [advance_chain(errand_id) for errand_id in iop_tasks.agreement_calendar()]
