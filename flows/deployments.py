"""Every deployment, in one place: `arende serve` serves these; prefect.yaml declares the
same for `prefect deploy` onto a work pool (a test keeps the two in step)."""

from __future__ import annotations

from dataclasses import dataclass

from prefect import Flow

from flows import FLOWS, iop_renewals
from flows.errands import advance_errand
from flows.facts import FACT_FLOWS
from flows.sweep import deadline_sweep

TIMEZONE = "Europe/Stockholm"


@dataclass(frozen=True)
class DeploymentSpec:
    flow: Flow
    cron: str | None = None
    concurrency_limit: int | None = None

    @property
    def name(self) -> str:
        return self.flow.name

    @property
    def schedule_sv(self) -> str | None:
        """'varje dag 06:00 (Europe/Stockholm)': the time zone always said, since the
        server and the UI may be in UTC."""
        if self.cron is None:
            return None
        minute, hour, *_ = self.cron.split()
        return f"varje dag {int(hour):02d}:{int(minute):02d} ({TIMEZONE})"


DEPLOYMENTS: tuple[DeploymentSpec, ...] = (
    *(DeploymentSpec(f) for f in FLOWS.values()),
    DeploymentSpec(advance_errand),
    *(DeploymentSpec(f) for f in FACT_FLOWS),
    DeploymentSpec(iop_renewals, cron="30 5 * * *", concurrency_limit=1),
    # Two sweeps must never overlap: limit 1.
    DeploymentSpec(deadline_sweep, cron="0 6 * * *", concurrency_limit=1),
)


def runner_deployments():  # type: ignore[no-untyped-def]
    from prefect.schedules import Cron

    return [
        spec.flow.to_deployment(
            name=spec.name,
            schedules=[Cron(spec.cron, timezone=TIMEZONE)] if spec.cron else None,
            concurrency_limit=spec.concurrency_limit,
            # The flow checks its form and answers in one Swedish line; the server's check
            # would answer in English and refuse a script's codes ("ALN", "passed") where
            # the form's dropdown offers "ALN – Arbetslivsnämnden" (prefect.yaml: the same).
            enforce_parameter_schema=False,
            tags=["arende"],
            description=" ".join(
                part
                for part in ((spec.flow.description or "").strip(), spec.schedule_sv and f"Körs {spec.schedule_sv}.")
                if part
            ),
        )
        for spec in DEPLOYMENTS
    ]


def take_over_from_work_pool() -> list[str]:
    """Deployments that `prefect deploy` put on a work pool, removed before `arende serve`
    registers its own: updating one in place keeps the pool and no code location (Prefect
    updates neither), and every run crashed ("Downloading flow code from storage at None").
    Their past runs stay in Prefect; their scheduled runs are made again by the serve.
    Returns what was taken over, as "name (pool)"."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    taken = []
    with get_client(sync_client=True) as client:
        for spec in DEPLOYMENTS:
            try:
                existing = client.read_deployment_by_name(f"{spec.flow.name}/{spec.name}")
            except ObjectNotFound:
                continue
            if existing.work_pool_name or existing.pull_steps or existing.path is None:
                client.delete_deployment(existing.id)
                taken.append(f"{spec.name} ({existing.work_pool_name or 'utan pool'})")
    return taken
