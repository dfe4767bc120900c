"""The chain's steps, run inside the errand's flow run without task runs of their own.

Measured (bench/engine.py, 5 errands, a flow run after each fact): with a task run per
step the flow cost 7.6 times the same work called directly; one task per run, 6.1
times; none, about 5.3 times. A task run costs Prefect about 26 ms of API calls, more
than most steps cost to do, and a run after each fact used to pay three of them (what is
left, the step that moves, the step that then waits). What a task run showed is still
shown: the run's log names every step's outcome, and its artifact lists them
(flows/chain.py).

Ids in, words out, never a session or an ORM object: the database is the record of what
is done, so every run asks it afresh.
"""

from __future__ import annotations

from prefect import get_run_logger

from arende.rules.workflow import STEP_LABELS_SV, WAITING_SV, Step
from arende.services.steps import pending_steps, run_step


def advance_steps(errand_id: int) -> list[dict[str, str]]:
    """Each step left, in order, until one waits for a person."""
    logger = get_run_logger()
    moved = []
    for name in pending_steps(errand_id):
        outcome = run_step(Step(name), errand_id)
        step = Step(outcome.step)
        detail = f" ({outcome.detail})" if outcome.detail else ""
        if outcome.waiting:
            logger.info("ärende %s: väntar på %s%s", errand_id, WAITING_SV[step], detail)
        else:
            state = {"done": "klart", "skipped": "hoppades över"}.get(outcome.state, outcome.state)
            logger.info("ärende %s: %s – %s%s", errand_id, STEP_LABELS_SV[step], state, detail)
        moved.append(outcome.as_dict())
        if outcome.waiting:
            break
    return moved
