"""The donation payout: a round a year. Only the round's id and its non-personal start
data ever reach Prefect; applications are imported and allocated through the CLI."""

from __future__ import annotations

from prefect import flow

from arende.services.donations import DonationStart
from flows.chain import advance_chain
from tasks import registration


@flow(name="donation-payout")
def donation_payout(errand_id: int | None = None, start: DonationStart | None = None) -> dict[str, object]:
    """Öppna årets utdelning ur donationsfonderna (start) eller för den framåt (errand_id)."""
    if errand_id is None:
        if start is None:
            raise ValueError("give errand_id or start")
        errand_id = registration.register_donation_round(start)
    return advance_chain(errand_id)
