"""The remiss errand: register → assign → draft → FSG → decision → justering → anslag
→ expediering → closed.

The flow advances the errand as far as the recorded facts allow and then ends; a
person recording the next fact starts it again. Nothing waits inside a run.
"""

from __future__ import annotations

from prefect import flow

from arende.services.queries import progress
from arende.services.remiss import RemissStart
from tasks import remiss as remiss_tasks
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


@flow(name="remiss", log_prints=False)
def remiss(errand_id: int | None = None, start: RemissStart | None = None) -> dict[str, object]:
    """Registrera en remiss (start) eller för ett befintligt remissärende (errand_id) framåt."""
    if errand_id is None:
        if start is None:
            raise ValueError("give errand_id or start")
        errand_id = remiss_tasks.register_remiss(start)
    for step in CHAIN:
        if step(errand_id)["state"] == "waiting":
            break
    return progress(errand_id)
