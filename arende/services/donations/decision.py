"""The decision's documents: counts and sums in public, the individual grants in a secret appendix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende import privacy
from arende.errors import Conflict
from arende.services.documents import common_context, draw_up
from arende.services.donations.rounds import SECRECY, round_of, totals
from arende.services.types import ReportInput, ReportPart
from arende.swedish import number
from db.models import Application, Document, DonationRound, Errand, Fund, Grant

# --- the decision and its documents --------------------------------------------------------


def _decision_text(errand: Errand, rnd: DonationRound, t: dict[str, Any]) -> str:
    lines = [
        f"{errand.organ.name} beslutar om utdelning ur Borås Stads sociala donationsfonder {rnd.year}: "
        f"{t['count']} ansökningar beviljas med sammanlagt {number(t['total'])} kr, fördelat på fonder "
        f"enligt följande."
    ]
    lines += [f"{f['name']}: {f['count']} st, {number(f['sum'])} kr." for f in t["per_fund"]]
    lines.append(f"Utbetalning sker {rnd.payout_on}.")
    return "\n\n".join(lines)


def check_report(session: Session, errand: Errand, given: ReportInput) -> ReportPart:
    rnd = round_of(session, errand)
    t = totals(session, rnd)
    if t["count"] == 0:
        raise Conflict("allocation", f"no grants proposed yet: arende donation allocate {errand.dnr}")
    return ReportPart(default_decision=_decision_text(errand, rnd, t))


def public_appendix(session: Session, errand: Errand, decision: Any, on: dt.date) -> Document:
    rnd = round_of(session, errand)
    t = totals(session, rnd)
    context = common_context(errand) | {
        "year": rnd.year,
        "count": t["count"],
        "total": number(t["total"]),
        "applications": t["applications"],
        "per_fund": [{"name": f["name"], "count": f["count"], "sum": number(f["sum"])} for f in t["per_fund"]],
        "per_purpose": [
            {"purpose": p["purpose"], "count": p["count"], "sum": number(p["sum"])} for p in t["per_purpose"]
        ],
        "payout_on": rnd.payout_on.isoformat(),
    }
    return draw_up(session, errand, "donation_beslut", context, on)


def secret_appendix(session: Session, errand: Errand, decision: Any, on: dt.date) -> Document:
    """The individual grants: names and amounts, marked secret; no personnummer,
    income or account (they stay in the database and the payout file)."""
    rnd = round_of(session, errand)
    codes = {f.id: f.name for f in session.scalars(select(Fund))}
    per_fund: dict[str, dict[str, Any]] = {}
    total = count = 0
    for g, a in session.execute(
        select(Grant, Application)
        .join(Application, Application.id == Grant.application_id)
        .where(Grant.round_id == rnd.id)
        .order_by(Application.line)
    ):
        name = privacy.decrypt(a.personal)["name"] if a.personal else "(gallrad)"
        fund = per_fund.setdefault(codes[g.fund_id], {"name": codes[g.fund_id], "grants": [], "sum": 0})
        fund["grants"].append({"line": a.line, "name": name, "purpose": a.purpose, "amount": number(g.amount)})
        fund["sum"] += g.amount
        total, count = total + g.amount, count + 1
    # Per fund, with its sum, and the grand total: the appendix is read fund by fund.
    funds = [
        {"name": f["name"], "grants": f["grants"], "count": len(f["grants"]), "total": number(f["sum"])}
        for f in sorted(per_fund.values(), key=lambda f: f["name"])
    ]
    context = common_context(errand) | {
        "year": rnd.year,
        "funds": funds,
        "count": count,
        "total": number(total),
        "secrecy": SECRECY,
    }
    return draw_up(session, errand, "donation_bilaga", context, on, secrecy_provision=SECRECY)
