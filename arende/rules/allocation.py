"""Allocation of donation money: plain rules, no database, no personal data.

Each application is paid from at most one fund whose rules it meets, and no fund pays
more than it has. The order is explainable and deterministic: the lowest income per
household member first, then the earliest received, then the lowest id; among the
funds an application qualifies for, the one with the most left that can pay the whole
(capped) amount, else the one with the most left (a partial grant).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FundRule:
    code: str
    categories: frozenset[str]
    min_age: int = 18
    residents_only: bool = True
    max_monthly_income: int | None = None
    max_grant: int | None = None


@dataclass(frozen=True)
class Candidate:
    id: int
    resident: bool
    age: int
    monthly_income_per_person: int | None
    purpose: str
    amount_applied: int
    received_on: dt.date


@dataclass(frozen=True)
class Allocation:
    application_id: int
    fund_code: str | None
    amount: int
    rule: str


def why_not(fund: FundRule, c: Candidate) -> str | None:
    """The first rule of the fund the application does not meet, or None."""
    if c.purpose not in fund.categories:
        return f"ändamålet {c.purpose} ingår inte"
    if fund.residents_only and not c.resident:
        return "inte bosatt i kommunen"
    if c.age < fund.min_age:
        return f"under {fund.min_age} år"
    if fund.max_monthly_income is not None and (
        c.monthly_income_per_person is None or c.monthly_income_per_person > fund.max_monthly_income
    ):
        return "inkomst över fondens gräns"
    return None


def priority(c: Candidate) -> tuple[int, dt.date, int]:
    income = c.monthly_income_per_person if c.monthly_income_per_person is not None else 10**9
    return (income, c.received_on, c.id)


def allocate(
    funds: Sequence[FundRule],
    available: dict[str, int],
    candidates: Iterable[Candidate],
    fixed: Iterable[Allocation] = (),
) -> list[Allocation]:
    """Allocate every candidate; `fixed` (the officer's adjustments) are kept as they
    are and paid first. Returns one Allocation per candidate, granted or not."""
    remaining = dict(available)
    fixed_ids = set()
    result: list[Allocation] = []
    for a in fixed:
        if a.fund_code is not None:
            remaining[a.fund_code] = remaining.get(a.fund_code, 0) - a.amount
        fixed_ids.add(a.application_id)
        result.append(a)
    for c in sorted((c for c in candidates if c.id not in fixed_ids), key=priority):
        qualifying = [f for f in funds if why_not(f, c) is None]
        if not qualifying:
            reasons = sorted({why_not(f, c) or "" for f in funds})
            result.append(Allocation(c.id, None, 0, "ingen fond: " + "; ".join(reasons)))
            continue
        wanted = {f.code: min(c.amount_applied, f.max_grant or c.amount_applied) for f in qualifying}
        whole = [f for f in qualifying if remaining.get(f.code, 0) >= wanted[f.code]]
        if whole:
            fund = max(whole, key=lambda f: (remaining.get(f.code, 0), f.code))
            amount = wanted[fund.code]
            how = "fonden med mest kvar som kan betala hela beloppet"
        else:
            fund = max(qualifying, key=lambda f: (remaining.get(f.code, 0), f.code))
            amount = min(wanted[fund.code], remaining.get(fund.code, 0))
            how = "delbelopp: ingen fond har hela beloppet kvar"
        if amount <= 0:
            result.append(Allocation(c.id, None, 0, "fonderna som ansökan uppfyller är slut"))
            continue
        remaining[fund.code] -= amount
        capped = " (fondens högsta belopp)" if amount < c.amount_applied and fund.max_grant == amount else ""
        result.append(
            Allocation(
                c.id, fund.code, amount, f"{fund.code}: uppfyller fondens villkor för {c.purpose}; {how}{capped}"
            )
        )
    return result
