"""The proposal: grants allocated over the funds by their rules, and the officer's adjustments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from arende.errors import Conflict, InvalidInput, NotFound
from arende.rules.allocation import Allocation, Candidate, FundRule, allocate, why_not
from arende.rules.lifecycles import APPLICATION_MOVES, ApplicationStatus, move
from arende.services.common import audit, get_errand
from arende.services.donations.rounds import _open_round, round_of, totals
from arende.swedish import number
from db.models import Application, DonationRound, Fund, Grant, RoundFund

# --- allocation ----------------------------------------------------------------------------


def _rules(session: Session, rnd: DonationRound) -> tuple[list[FundRule], dict[str, int], dict[str, Fund]]:
    pairs = session.execute(
        select(RoundFund, Fund)
        .join(Fund, Fund.id == RoundFund.fund_id)
        .where(RoundFund.round_id == rnd.id)
        .order_by(Fund.code)
    ).all()
    rules = [
        FundRule(f.code, frozenset(f.categories), f.min_age, f.residents_only, f.max_monthly_income, f.max_grant)
        for _, f in pairs
    ]
    return rules, {f.code: rf.available for rf, f in pairs}, {f.code: f for _, f in pairs}


def allocate_round(session: Session, dnr: str) -> dict[str, Any]:
    """Propose (again) a grant for every application; the officer's adjustments stay."""
    errand, rnd = _open_round(session, dnr)
    rules, available, funds = _rules(session, rnd)
    code_of = {f.id: code for code, f in funds.items()}
    adjusted = list(session.scalars(select(Grant).where(Grant.round_id == rnd.id, Grant.adjusted.is_(True))))
    session.execute(delete(Grant).where(Grant.round_id == rnd.id, Grant.adjusted.is_(False)))
    applications = session.execute(
        select(
            Application.id,
            Application.resident,
            Application.age,
            Application.monthly_income_per_person,
            Application.purpose,
            Application.amount_applied,
            Application.received_on,
        ).where(Application.round_id == rnd.id, Application.status.in_(["received", "granted", "not_granted"]))
    ).all()
    fixed = [Allocation(g.application_id, code_of[g.fund_id], g.amount, g.rule) for g in adjusted]
    candidates = [
        Candidate(a.id, a.resident, a.age, a.monthly_income_per_person, a.purpose, a.amount_applied, a.received_on)
        for a in applications
    ]
    fixed_ids = {g.application_id for g in adjusted}
    new_grants, statuses = [], []
    for alloc in allocate(rules, available, candidates, fixed):
        granted = alloc.fund_code is not None
        statuses.append(
            {
                "id": alloc.application_id,
                "status": "granted" if granted else "not_granted",
                "reason": None if granted else alloc.rule,
            }
        )
        if granted and alloc.application_id not in fixed_ids:
            new_grants.append(
                {
                    "application_id": alloc.application_id,
                    "round_id": rnd.id,
                    "fund_id": funds[str(alloc.fund_code)].id,
                    "amount": alloc.amount,
                    "rule": alloc.rule,
                    "adjusted": False,
                }
            )
    # One bulk UPDATE by primary key instead of one statement per application.
    if statuses:
        session.execute(update(Application), statuses)
    if new_grants:
        session.execute(insert(Grant), new_grants)
    summary = totals(session, rnd)
    audit(
        session,
        "donation.allocated",
        errand_id=errand.id,
        after={"grants": summary["count"], "total": summary["total"]},
    )
    return summary


def adjust(session: Session, dnr: str, application_id: int, *, amount: int, fund_code: str | None, reason: str) -> None:
    """The officer changes a proposal before the decision: within the fund's rules and
    what it has left."""
    errand, rnd = _open_round(session, dnr)
    if not reason.strip():
        raise InvalidInput("reason", "say why the proposal is changed")
    app = session.get(Application, application_id)
    if app is None or app.round_id != rnd.id:
        raise NotFound("application", f"no application {application_id} in {errand.dnr}")
    if app.status in (ApplicationStatus.REJECTED.value, ApplicationStatus.DUPLICATE.value):
        raise Conflict("application", f"application {application_id} is {app.status}: {app.reason}")
    rules, available, funds = _rules(session, rnd)
    grant = session.scalar(select(Grant).where(Grant.application_id == app.id))
    if amount < 0:
        raise InvalidInput("amount", "cannot be negative")
    code = (fund_code or (next(c for c, f in funds.items() if f.id == grant.fund_id) if grant else "")).upper()
    if amount > 0:
        if code not in funds:
            raise InvalidInput("fund", f"{code or '(none)'} is not a fund of this round")
        rule = next(r for r in rules if r.code == code)
        candidate = Candidate(
            app.id,
            app.resident,
            app.age,
            app.monthly_income_per_person,
            app.purpose,
            app.amount_applied,
            app.received_on,
        )
        problem = why_not(rule, candidate)
        if problem:
            raise Conflict("fund", f"application {app.id} does not meet {code}'s rules: {problem}")
        used = (
            session.scalar(
                select(func.coalesce(func.sum(Grant.amount), 0)).where(
                    Grant.round_id == rnd.id, Grant.fund_id == funds[code].id, Grant.application_id != app.id
                )
            )
            or 0
        )
        if used + amount > available[code]:
            raise Conflict("amount", f"{code} has {number(available[code] - used)} kr left")
    before = {"fund": code if grant else None, "amount": grant.amount if grant else 0}
    if grant is not None:
        session.delete(grant)
        session.flush()
    if amount > 0:
        session.add(
            Grant(
                application_id=app.id,
                round_id=rnd.id,
                fund_id=funds[code].id,
                amount=amount,
                rule=f"justerat av handläggaren: {reason.strip()}",
                adjusted=True,
            )
        )
        app.status = move(
            APPLICATION_MOVES,
            app.status,
            ApplicationStatus.GRANTED,
            what=f"application {application_id}",
            field="application",
        )
        app.reason = None
    else:
        app.status = move(
            APPLICATION_MOVES,
            app.status,
            ApplicationStatus.NOT_GRANTED,
            what=f"application {application_id}",
            field="application",
        )
        app.reason = f"justerat av handläggaren: {reason.strip()}"
    audit(
        session,
        "donation.adjusted",
        errand_id=errand.id,
        before={"application": app.id, **before},
        after={"application": app.id, "fund": code if amount else None, "amount": amount},
    )


@dataclass(frozen=True)
class ProposalRow:
    application: int
    line: int
    purpose: str
    applied: int
    status: str
    fund: str | None
    amount: int
    rule: str | None


def proposal(session: Session, dnr: str) -> list[ProposalRow]:
    """Per application: fund, amount and the rule that chose it. No personal data."""
    errand = get_errand(session, dnr)
    rnd = round_of(session, errand)
    codes = {f.id: f.code for f in session.scalars(select(Fund))}
    grants = {g.application_id: g for g in session.scalars(select(Grant).where(Grant.round_id == rnd.id))}
    out = []
    for a in session.scalars(select(Application).where(Application.round_id == rnd.id).order_by(Application.line)):
        g = grants.get(a.id)
        out.append(
            ProposalRow(
                a.id,
                a.line,
                a.purpose,
                a.amount_applied,
                a.status,
                codes[g.fund_id] if g else None,
                g.amount if g else 0,
                g.rule if g else a.reason,
            )
        )
    return out
