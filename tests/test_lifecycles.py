"""The life cycles beside the errand's: every legal move and no other."""

from __future__ import annotations

import pytest

from arende.errors import Conflict
from arende.rules.lifecycles import (
    AGREEMENT_MOVES,
    APPLICATION_MOVES,
    OUTBOX_MOVES,
    AgreementStatus,
    ApplicationStatus,
    OutboxStatus,
    move,
)


def test_an_agreement_goes_proposed_active_notice_given_ended_and_never_back():
    status = AgreementStatus.PROPOSED.value
    for target in (AgreementStatus.ACTIVE, AgreementStatus.NOTICE_GIVEN, AgreementStatus.ENDED):
        status = move(AGREEMENT_MOVES, status, target, what="IOP nr 2")
    assert status == "ended"
    with pytest.raises(Conflict, match="IOP nr 2 is ended; it cannot become active"):
        move(AGREEMENT_MOVES, status, AgreementStatus.ACTIVE, what="IOP nr 2")
    with pytest.raises(Conflict, match="is proposed; it cannot become notice given"):
        move(AGREEMENT_MOVES, "proposed", AgreementStatus.NOTICE_GIVEN, what="IOP nr 2")


def test_an_application_can_be_granted_and_adjusted_until_the_decision_but_a_rejected_one_never():
    assert move(APPLICATION_MOVES, "received", ApplicationStatus.GRANTED, what="a") == "granted"
    assert move(APPLICATION_MOVES, "granted", ApplicationStatus.NOT_GRANTED, what="a") == "not_granted"
    for closed in ("rejected", "duplicate"):
        with pytest.raises(Conflict):
            move(APPLICATION_MOVES, closed, ApplicationStatus.GRANTED, what="a")


def test_a_message_is_claimed_then_sent_once_or_returned_to_wait():
    assert move(OUTBOX_MOVES, "pending", OutboxStatus.SENDING, what="m") == "sending"
    assert move(OUTBOX_MOVES, "sending", OutboxStatus.SENT, what="m") == "sent"
    assert move(OUTBOX_MOVES, "sending", OutboxStatus.PENDING, what="m") == "pending"
    for never in (("pending", OutboxStatus.SENT), ("sent", OutboxStatus.SENT), ("sent", OutboxStatus.SENDING)):
        with pytest.raises(Conflict):
            move(OUTBOX_MOVES, never[0], never[1], what="m")


@pytest.mark.parametrize("moves", [AGREEMENT_MOVES, APPLICATION_MOVES, OUTBOX_MOVES])
def test_every_status_has_its_row_in_the_table(moves):
    status_type = type(next(iter(moves)))
    assert set(moves) == set(status_type)
