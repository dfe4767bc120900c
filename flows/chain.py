"""The common chain of steps, run in the errand's flow run until one waits for a person."""

from __future__ import annotations

from arende.rules.workflow import Step, StepState
from arende.services.advance import claim, settle
from arende.services.queries import progress, run_summary
from tasks.steps import advance_steps
from tasks.sweep import deliver_outbox


def advance_chain(errand_id: int) -> dict[str, object]:
    """Call inside a flow: advance as far as the recorded facts allow, then report; the
    pending advance this run answers is settled (arende.services.advance)."""
    claimed = claim(errand_id)
    moved = advance_steps(errand_id)
    settle(errand_id, claimed)
    if any(m["step"] == Step.EXPEDIERING.value and m["state"] == StepState.DONE.value for m in moved):
        # The decision goes out now, not at tomorrow's sweep: the outbox's own delivery
        # (claimed with a lease, one message once), after the step's commit.
        deliver_outbox()
    _publish(errand_id, moved)
    return progress(errand_id)


def _publish(errand_id: int, moved: list[dict[str, str]]) -> None:
    """The run's summary as a Markdown artifact, keyed by the Dnr, so the UI shows each
    errand's latest state under Artifacts and in the run itself."""
    from prefect.artifacts import create_markdown_artifact

    key, markdown = run_summary(errand_id, moved)
    create_markdown_artifact(markdown=markdown, key=key, description="Ärendets läge efter körningen")
