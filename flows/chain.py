"""The common chain of steps, run as Prefect tasks until one waits for a person."""

from __future__ import annotations

from arende.services.queries import progress
from tasks import steps

CHAIN = (
    steps.assign,
    steps.draft_report,
    steps.fsg,
    steps.decision,
    steps.justering,
    steps.anslag,
    steps.expediering,
    steps.close,
)


def advance_chain(errand_id: int) -> dict[str, object]:
    """Call inside a flow: advance as far as the recorded facts allow, then report."""
    for step in CHAIN:
        if step(errand_id)["state"] == "waiting":
            break
    return progress(errand_id)
