"""One Prefect task per step of the common chain: thin wrappers over the services.

Tasks take ids, never sessions or ORM objects, and never cache: the database is the
record of what is done, so every run asks it afresh.
"""

from __future__ import annotations

from prefect import Task, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from arende.services.steps import pending_steps, run_step
from arende.workflow import Step


def _step_task(step: Step) -> Task[[int], dict[str, str]]:
    @task(name=step.value, cache_policy=NO_CACHE, task_run_name=f"{step.value}-{{errand_id}}")
    def advance_step(errand_id: int) -> dict[str, str]:
        outcome = run_step(step, errand_id)
        get_run_logger().info("errand %s: %s %s %s", errand_id, outcome.step, outcome.state, outcome.detail)
        return outcome.as_dict()

    return advance_step


assign = _step_task(Step.ASSIGN)
draft_report = _step_task(Step.DRAFT)
fsg = _step_task(Step.FSG)
decision = _step_task(Step.DECISION)
justering = _step_task(Step.JUSTERING)
anslag = _step_task(Step.ANSLAG)
expediering = _step_task(Step.EXPEDIERING)
close = _step_task(Step.CLOSE)


@task(name="pending-steps", cache_policy=NO_CACHE)
def pending(errand_id: int) -> list[str]:
    """What is left of the chain: step names only."""
    return pending_steps(errand_id)
