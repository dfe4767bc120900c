"""The agreement's calendar after it is in force: notice, evaluation, the daily run that
renews or ends agreements, and the list of agreements with their next dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput
from arende.rules import agreements
from arende.rules.agreements import notice_last_day
from arende.rules.clock import Fact
from arende.rules.lifecycles import AGREEMENT_MOVES, AgreementStatus, move
from arende.rules.workflow import DeadlineStatus
from arende.services.common import audit, get_errand, keep_to_clock, today
from arende.services.iop import _set_period_deadlines, _supplements, agreement_of
from db.models import Agreement, AgreementPeriod, Deadline, Errand


def _close_period_deadlines(session: Session, errand_id: int, ends_on: dt.date, status: DeadlineStatus) -> None:
    rows = session.scalars(
        select(Deadline).where(
            Deadline.errand_id == errand_id,
            Deadline.kind.like(f"iop.%.{ends_on}"),
            Deadline.status == DeadlineStatus.OPEN.value,
        )
    )
    for row in rows:
        row.status = status.value


def give_notice(session: Session, dnr: str, *, given_on: dt.date, by: str) -> list[int]:
    """A party gives notice: the agreement ends when the current period expires."""
    errand = get_errand(session, dnr, lock=True)
    agreement = agreement_of(session, errand, lock=True)
    if by not in ("partner", "municipality"):
        raise InvalidInput("by", f"{by!r} is not one of partner, municipality")
    if agreement.status == AgreementStatus.PROPOSED.value:
        raise Conflict(
            "dnr", f"IOP nr {agreement.number} is not in force yet", sv=f"IOP nr {agreement.number} gäller inte än"
        )
    move(
        AGREEMENT_MOVES, agreement.status, AgreementStatus.NOTICE_GIVEN, what=f"IOP nr {agreement.number}", field="dnr"
    )
    keep_to_clock(Fact.IOP_NOTICE, given_on, earlier={Fact.REGISTERED: errand.registered_on})
    last = notice_last_day(agreement.ends_on, agreement.notice_months)
    if given_on > last:
        raise Conflict(
            "date",
            f"the last day to give notice for the period ending {agreement.ends_on} was {last}",
            sv=f"sista dag att säga upp perioden som slutar {agreement.ends_on} var {last}",
        )
    agreement.status = AgreementStatus.NOTICE_GIVEN.value
    agreement.notice_given_on, agreement.notice_given_by = given_on, by
    for kind in (f"iop.notice.{agreement.ends_on}", f"iop.evaluation.{agreement.ends_on}"):
        row = session.scalar(select(Deadline).where(Deadline.errand_id == errand.id, Deadline.kind == kind))
        if row is not None and row.status == DeadlineStatus.OPEN.value:
            row.status = DeadlineStatus.MET.value if kind.startswith("iop.notice") else DeadlineStatus.CANCELLED.value
    audit(
        session,
        "fact.agreement_notice",
        errand_id=errand.id,
        after={"given_on": given_on, "by": by, "ends_on": agreement.ends_on},
    )
    return [errand.id]


def record_evaluation(session: Session, dnr: str, *, held_on: dt.date, note: str | None) -> list[int]:
    errand = get_errand(session, dnr, lock=True)
    agreement = agreement_of(session, errand)
    keep_to_clock(Fact.IOP_EVALUATED, held_on, earlier={Fact.REGISTERED: errand.registered_on})
    kind = f"iop.evaluation.{agreement.ends_on}"
    row = session.scalar(select(Deadline).where(Deadline.errand_id == errand.id, Deadline.kind == kind))
    if row is None:
        raise Conflict(
            "dnr",
            f"IOP nr {agreement.number} has no evaluation due (not in force)",
            sv=f"IOP nr {agreement.number} har ingen utvärdering att göra (gäller inte)",
        )
    if row.status == DeadlineStatus.OPEN.value:
        row.status = DeadlineStatus.MET.value
    audit(session, "fact.agreement_evaluated", errand_id=errand.id, after={"held_on": held_on, "note": note})
    return [errand.id]


def apply_calendar(session: Session, on: dt.date | None = None) -> list[int]:
    """Renew every agreement whose last day to give notice has passed without notice,
    as many periods as have come due, and end those under notice whose period has run
    out. Idempotent for a given date. Returns the errands whose flow should run."""
    on = on or today()
    changed: list[int] = []
    for agreement in session.scalars(
        select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE.value).with_for_update()
    ):
        for new_start, new_end in agreements.renewals_due(
            agreement.ends_on, agreement.notice_months, agreement.renewal_years, on
        ):
            old_end = agreement.ends_on
            session.add(AgreementPeriod(agreement_id=agreement.id, starts_on=new_start, ends_on=new_end))
            # The passed notice day was "met" by silence; the old expiry no longer happens.
            _close_period_deadlines(session, agreement.errand_id, old_end, DeadlineStatus.MET)
            agreement.ends_on = new_end
            errand = session.get(Errand, agreement.errand_id)
            assert errand is not None
            _set_period_deadlines(session, errand, agreement)
            audit(
                session,
                "agreement.renewed",
                errand_id=agreement.errand_id,
                before={"ends_on": old_end},
                after={"ends_on": new_end},
                who="calendar",
            )
            changed.append(agreement.errand_id)
    for agreement in session.scalars(
        select(Agreement).where(Agreement.status == AgreementStatus.NOTICE_GIVEN.value).with_for_update()
    ):
        if on > agreement.ends_on:
            agreement.status = move(
                AGREEMENT_MOVES, agreement.status, AgreementStatus.ENDED, what=f"IOP nr {agreement.number}"
            )
            _close_period_deadlines(session, agreement.errand_id, agreement.ends_on, DeadlineStatus.MET)
            audit(
                session,
                "agreement.ended",
                errand_id=agreement.errand_id,
                after={"ended_on": agreement.ends_on},
                who="calendar",
            )
            changed.append(agreement.errand_id)
    return sorted(set(changed))


@dataclass(frozen=True)
class AgreementRow:
    number: str
    partner: str
    dnr: str
    status: str
    starts_on: dt.date
    ends_on: dt.date
    notice_last_day: dt.date | None
    amount_this_year: int
    year: int


def list_agreements(session: Session, on: dt.date | None = None) -> list[AgreementRow]:
    on = on or today()
    rows = []
    for agreement in session.scalars(select(Agreement).order_by(Agreement.number)):
        errand = session.get(Errand, agreement.errand_id)
        assert errand is not None
        period = session.scalar(
            select(AgreementPeriod)
            .where(AgreementPeriod.agreement_id == agreement.id, AgreementPeriod.starts_on <= on)
            .order_by(AgreementPeriod.starts_on.desc())
            .limit(1)
        ) or session.scalar(
            select(AgreementPeriod)
            .where(AgreementPeriod.agreement_id == agreement.id)
            .order_by(AgreementPeriod.starts_on)
            .limit(1)
        )
        supplements = sum(
            c.details["amount"] for c, _ in _supplements(session, agreement) if c.details["year"] == on.year
        )
        if period is None:  # an agreement always has its first period; never list one without
            continue
        in_force = period.starts_on <= on <= period.ends_on
        rows.append(
            AgreementRow(
                number=agreement.number,
                partner=agreement.partner_name,
                dnr=errand.dnr,
                status=agreement.status,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                notice_last_day=(
                    notice_last_day(agreement.ends_on, agreement.notice_months)
                    if agreement.status == AgreementStatus.ACTIVE.value
                    else None
                ),
                amount_this_year=(agreement.yearly_amount + supplements) if in_force else 0,
                year=on.year,
            )
        )
    return rows
