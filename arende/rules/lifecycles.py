"""The life cycles beside the errand's (arende.rules.workflow): an IOP agreement, a donation
application, an outbox message and a meeting, each a status enum with its legal moves. Pure; the
services call `move` at every change, so an illegal move is a typed error, never a row
in a state nobody planned.
"""

from __future__ import annotations

import enum
from typing import TypeVar

from arende.errors import Conflict


class AgreementStatus(str, enum.Enum):
    PROPOSED = "proposed"  # decided on, not yet sent to the partner
    ACTIVE = "active"  # in force; renews itself unless notice is given
    NOTICE_GIVEN = "notice_given"  # ends when the current period runs out
    ENDED = "ended"


AGREEMENT_MOVES: dict[AgreementStatus, frozenset[AgreementStatus]] = {
    AgreementStatus.PROPOSED: frozenset({AgreementStatus.ACTIVE}),
    AgreementStatus.ACTIVE: frozenset({AgreementStatus.NOTICE_GIVEN}),
    AgreementStatus.NOTICE_GIVEN: frozenset({AgreementStatus.ENDED}),
    AgreementStatus.ENDED: frozenset(),
}


class ApplicationStatus(str, enum.Enum):
    RECEIVED = "received"
    REJECTED = "rejected"  # outside the window: kept with the reason
    DUPLICATE = "duplicate"  # same person or household: kept with the reason
    GRANTED = "granted"
    NOT_GRANTED = "not_granted"


# Allocation may be made again, and the officer may adjust, until the decision.
APPLICATION_MOVES: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.RECEIVED: frozenset({ApplicationStatus.GRANTED, ApplicationStatus.NOT_GRANTED}),
    ApplicationStatus.GRANTED: frozenset({ApplicationStatus.GRANTED, ApplicationStatus.NOT_GRANTED}),
    ApplicationStatus.NOT_GRANTED: frozenset({ApplicationStatus.GRANTED, ApplicationStatus.NOT_GRANTED}),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.DUPLICATE: frozenset(),
}


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender, with a lease (arende.services.mail)
    SENT = "sent"


OUTBOX_MOVES: dict[OutboxStatus, frozenset[OutboxStatus]] = {
    OutboxStatus.PENDING: frozenset({OutboxStatus.SENDING}),
    # Accepted by the server, or failed (back to wait for the next attempt).
    OutboxStatus.SENDING: frozenset({OutboxStatus.SENT, OutboxStatus.PENDING}),
    OutboxStatus.SENT: frozenset(),
}


class MeetingState(str, enum.Enum):
    """A sammanträde: planned → kallad → held → justerad → anslagen, or cancelled before
    it is held. A § recorded at a planned meeting holds it (the `decide` shortcut)."""

    PLANNED = "planned"
    KALLAD = "kallad"
    HELD = "held"
    JUSTERAD = "justerad"
    ANSLAGEN = "anslagen"
    CANCELLED = "cancelled"


MEETING_MOVES: dict[MeetingState, frozenset[MeetingState]] = {
    MeetingState.PLANNED: frozenset({MeetingState.KALLAD, MeetingState.HELD, MeetingState.CANCELLED}),
    MeetingState.KALLAD: frozenset({MeetingState.HELD, MeetingState.CANCELLED}),
    MeetingState.HELD: frozenset({MeetingState.JUSTERAD}),
    MeetingState.JUSTERAD: frozenset({MeetingState.ANSLAGEN}),
    MeetingState.ANSLAGEN: frozenset(),
    MeetingState.CANCELLED: frozenset(),
}

S = TypeVar("S", AgreementStatus, ApplicationStatus, OutboxStatus, MeetingState)


def move(moves: dict[S, frozenset[S]], current: str, target: S, *, what: str, field: str = "status") -> str:
    """The target's value if `current` may move to it; else a Conflict naming `what`."""
    status = type(target)(current)
    if target not in moves[status]:
        raise Conflict(
            field, f"{what} is {status.value.replace('_', ' ')}; it cannot become {target.value.replace('_', ' ')}"
        )
    return target.value


def meeting_move(current: str, target: MeetingState, *, what: str) -> str:
    """As `move`, for a meeting; staying where it is is no move."""
    if current == target.value:
        return current
    return move(MEETING_MOVES, current, target, what=what, field="meeting")
