"""The daily deadline sweep: reminders into the outbox, then the outbox out by SMTP."""

from __future__ import annotations

from prefect import flow

from tasks.sweep import advance_pending, deliver_outbox, write_reminders


@flow(name="deadline-sweep")
def deadline_sweep() -> dict[str, int]:
    """Ärenden som väntat på att föras framåt, påminnelser om frister och leverans av utkorgen."""
    return advance_pending() | write_reminders() | deliver_outbox()
