"""The daily run that renews IOP agreements nobody gave notice on and ends those that
were given notice (the agreement and supplement flows are in flows/errands.py)."""

from __future__ import annotations

from prefect import flow

from flows.chain import advance_chain
from tasks import iop as iop_tasks


@flow(name="iop-renewals")
def iop_renewals() -> list[dict[str, object]]:
    """Förläng överenskommelser som inte sagts upp i tid och avsluta uppsagda som löpt ut."""
    return [advance_chain(errand_id) for errand_id in iop_tasks.agreement_calendar()]
