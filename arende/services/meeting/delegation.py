"""The delegationsordning and the decisions taken under it (KL 6:37–40, 7:6–8): a point
is versioned by the day it takes effect and says how its decisions are appealed; a
decision is recorded with the point in force on its day, reported at the next meeting,
and, when appealed by förvaltningsbesvär, with the day the party was notified (FL 44 §:
the three weeks run from it; a laglighetsprövning runs from the posting of the protocol
that reports it, KL 6:40)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from arende.errors import Conflict, NotFound
from arende.rules.clock import Fact
from arende.rules.procedure import AppealRoute, appeal_ends_after_notification
from arende.services.common import audit, get_organ, keep_to_clock
from db.models import DelegatedDecision, DelegationPoint, Meeting


def add_point(
    session: Session,
    organ_code: str,
    code: str,
    *,
    text: str,
    delegate: str,
    valid_from: dt.date,
    appeal: AppealRoute = AppealRoute.LAGLIGHETSPROVNING,
) -> DelegationPoint:
    """A point of the delegationsordning from a day: a new version ends the one before."""
    organ = get_organ(session, organ_code, lock=True)
    same = session.scalar(
        select(DelegationPoint).where(
            DelegationPoint.organ_id == organ.id, DelegationPoint.code == code, DelegationPoint.valid_from == valid_from
        )
    )
    if same is not None:
        if (same.text, same.delegate, same.appeal_route) != (text, delegate, appeal.value):
            raise Conflict("code", f"point {code} from {valid_from} is already recorded with other wording")
        return same
    earlier = session.scalar(
        select(DelegationPoint)
        .where(
            DelegationPoint.organ_id == organ.id, DelegationPoint.code == code, DelegationPoint.valid_from < valid_from
        )
        .order_by(DelegationPoint.valid_from.desc())
        .limit(1)
    )
    if earlier is not None and (earlier.valid_to is None or earlier.valid_to >= valid_from):
        earlier.valid_to = valid_from - dt.timedelta(days=1)
    point = DelegationPoint(
        organ_id=organ.id, code=code, text=text, delegate=delegate, valid_from=valid_from, appeal_route=appeal.value
    )
    session.add(point)
    session.flush()
    audit(
        session,
        "delegation.point",
        after={"organ": organ.code, "code": code, "from": valid_from, "appeal": appeal.value},
    )
    return point


def point_in_force(session: Session, organ_id: int, code: str, day: dt.date) -> DelegationPoint:
    point = session.scalar(
        select(DelegationPoint).where(
            DelegationPoint.organ_id == organ_id,
            DelegationPoint.code == code,
            DelegationPoint.valid_from <= day,
            or_(DelegationPoint.valid_to.is_(None), DelegationPoint.valid_to >= day),
        )
    )
    if point is None:
        raise NotFound(
            "point",
            f"the delegationsordning has no point {code[:20]!r} in force on {day}",
            sv=f"delegationsordningen har ingen punkt {code[:20]!r} som gäller {day}",
        )
    return point


def delegated_decision(
    session: Session,
    organ_code: str,
    *,
    point: str,
    delegate: str,
    decided_on: dt.date,
    summary: str,
    dnr: str | None = None,
    notified_on: dt.date | None = None,
) -> DelegatedDecision:
    """The decision once; the same decision again with `notified_on` records the day the
    party was notified of it."""
    organ = get_organ(session, organ_code, lock=True)
    keep_to_clock(Fact.DELEGATED, decided_on, field="decided")
    if notified_on is not None:
        keep_to_clock(Fact.DELEGATED, notified_on, field="notified")
        if notified_on < decided_on:
            raise Conflict(
                "notified",
                f"the party cannot be notified ({notified_on}) before the decision ({decided_on})",
                sv=f"parten kan inte ha fått del av beslutet ({notified_on}) före beslutet ({decided_on})",
            )
    in_force = point_in_force(session, organ.id, point, decided_on)
    existing = session.scalar(
        select(DelegatedDecision).where(
            DelegatedDecision.organ_id == organ.id,
            DelegatedDecision.point_id == in_force.id,
            DelegatedDecision.decided_on == decided_on,
            DelegatedDecision.summary == summary,
        )
    )
    if existing is not None:
        if notified_on is not None and existing.notified_on != notified_on:
            existing.notified_on = notified_on
            audit(session, "delegation.notified", after={"organ": organ.code, "summary": summary, "on": notified_on})
        return existing
    row = DelegatedDecision(
        organ_id=organ.id,
        point_id=in_force.id,
        delegate=delegate,
        decided_on=decided_on,
        summary=summary,
        dnr=dnr,
        notified_on=notified_on,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        "delegation.decision",
        after={"organ": organ.code, "point": point, "delegate": delegate, "decided_on": decided_on, "summary": summary},
    )
    return row


def appeal_status(decision: DelegatedDecision, reported_at: Meeting | None) -> str:
    """When a delegated decision can no longer be appealed, by its point's route."""
    route = AppealRoute(decision.point.appeal_route)
    if route is AppealRoute.NONE:
        return "not appealable (KL 13:2)"
    if route is AppealRoute.FORVALTNINGSBESVAR:
        if decision.notified_on is None:
            return "förvaltningsbesvär: the party not yet notified"
        ends = appeal_ends_after_notification(decision.notified_on)
        return f"förvaltningsbesvär until {ends}, notified {decision.notified_on}"
    # KL 6:40: from the posting of the protocol that reports it.
    if reported_at is None:
        return "not yet reported"
    if reported_at.appeal_ends_on is None:
        return f"reported {reported_at.held_on}, protocol not posted yet"
    return f"reported {reported_at.held_on}, laglighetsprövning until {reported_at.appeal_ends_on}"
