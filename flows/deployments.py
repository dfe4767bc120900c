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
            tags=["arende"],
            description=" ".join(
                part
                for part in ((spec.flow.description or "").strip(), spec.schedule_sv and f"Körs {spec.schedule_sv}.")
                if part
            ),
        )
        for spec in DEPLOYMENTS
    ]
