"""The remiss errand: register → assign → draft → FSG → decision → justering → anslag
→ expediering → closed.

The flow advances the errand as far as the recorded facts allow and then ends; a
person recording the next fact starts it again. Nothing waits inside a run.
"""

from __future__ import annotations

from prefect import flow

from arende.services.remiss import RemissStart
from flows.chain import advance_chain
from tasks import registration


@flow(name="remiss")
def remiss(errand_id: int | None = None, start: RemissStart | None = None) -> dict[str, object]:
    """Registrera en remiss (start) eller för ett befintligt remissärende (errand_id) framåt."""
    if errand_id is None:
        if start is None:
            raise ValueError("give errand_id or start")
        errand_id = registration.register_remiss(start)
    return advance_chain(errand_id)
