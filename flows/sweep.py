"""The daily deadline sweep: reminders into the outbox, then the outbox out by SMTP."""

from __future__ import annotations

from prefect import flow

from tasks.sweep import deliver_outbox, write_reminders


@flow(name="deadline-sweep")
def deadline_sweep() -> dict[str, int]:
    """Påminnelser om frister som närmar sig eller passerats, och leverans av utkorgen."""
    return write_reminders() | deliver_outbox()
