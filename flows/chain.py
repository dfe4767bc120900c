"""The common chain of steps, run as Prefect tasks until one waits for a person."""

from __future__ import annotations

from arende.services.advance import claim, settle
from arende.services.queries import progress
from arende.workflow import Step
from tasks import steps

TASKS = {
    Step.ASSIGN.value: steps.assign,
    Step.DRAFT.value: steps.draft_report,
    Step.FSG.value: steps.fsg,
    Step.DECISION.value: steps.decision,
    Step.JUSTERING.value: steps.justering,
    Step.ANSLAG.value: steps.anslag,
    Step.EXPEDIERING.value: steps.expediering,
    Step.CLOSE.value: steps.close,
}


def advance_chain(errand_id: int) -> dict[str, object]:
    """Call inside a flow: advance as far as the recorded facts allow, then report; the
    pending advance this run answers is settled (arende.services.advance)."""
    claimed = claim(errand_id)
    for name in steps.pending(errand_id):
        if TASKS[name](errand_id)["state"] == "waiting":
            break
    settle(errand_id, claimed)
    return progress(errand_id)
