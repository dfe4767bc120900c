"""The round: the funds, the round an errand opens, and its totals per fund and purpose."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arende.commands.fields import MAX_KRONOR, Form, rule
from arende.errors import Conflict, InvalidInput, NotFound
from arende.rules.applications import PURPOSES
from arende.rules.legalcalendar import roll_to_weekday
from arende.rules.workflow import Step
from arende.services.common import audit, decision_of, get_errand, set_deadline
from arende.services.internal import register_internal
from arende.services.reference import FundChoice, OrganChoice, fund_choices, organ_choices, read_toml
from db.models import Application, DonationRound, Errand, Fund, Grant, RoundFund

ERRAND_TYPE = "donation-payout"
SECRECY = "OSL 26:1"


# --- funds -------------------------------------------------------------------------------


def load_funds(session: Session, path: Path) -> int:
    rows = read_toml(path).get("fund", [])
    if not rows:
        raise InvalidInput("file", f"{path} has no [[fund]] entries")
    for i, row in enumerate(rows, start=1):
        code = str(row.get("code", "")).strip().upper()
        if not code or not str(row.get("name", "")).strip():
            raise InvalidInput(f"fund[{i}]", "needs a code and a name")
        unknown = sorted(set(row.get("categories", [])) - set(PURPOSES))
        if unknown:
            raise InvalidInput(f"fund[{i}].categories", f"{unknown[0]!r} is not one of {', '.join(PURPOSES)}")
        fund = session.scalar(select(Fund).where(Fund.code == code)) or Fund(code=code)
        fund.name, fund.purpose = row["name"].strip(), str(row.get("purpose", "")).strip()
        fund.categories = list(row.get("categories", []))
        fund.min_age = int(row.get("min_age", 18))
        fund.residents_only = bool(row.get("residents_only", True))
        fund.max_monthly_income = row.get("max_monthly_income")
        fund.max_grant = row.get("max_grant")
        fund.active = True
        session.add(fund)
    audit(session, "funds.loaded", after={"count": len(rows)})
    return len(rows)


# --- the round -----------------------------------------------------------------------------


class FundAmount(BaseModel):
    """En fond och beloppet att dela ut ur den."""

    fund: FundChoice = Field(title="Fond", max_length=20, json_schema_extra=fund_choices)
    amount: int = Field(title="Kronor", ge=0, le=MAX_KRONOR)

    @field_validator("fund")
    @classmethod
    def _code(cls, value: str) -> str:
        return value.strip().upper()


class DonationStart(Form):
    """Start av årets utdelning ur de sociala donationsfonderna. Inga personuppgifter."""

    verb: ClassVar[tuple[str, ...]] = ("donation", "start")

    organ: OrganChoice = Field(
        title="Nämnd",
        max_length=10,
        json_schema_extra=organ_choices,
        default="ALN",
        description="Nämndens registerprefix",
    )
    year: int = Field(title="År", ge=2000, le=2100, description="År för utdelningen")

    @field_validator("available", mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        """The command line and the web page give FUND=KRONOR, repeated; Python callers a
        mapping; Prefect's form a list of fund and amount."""
        if isinstance(value, dict):
            return [{"fund": code, "amount": amount} for code, amount in value.items()]
        if isinstance(value, list):
            out: list[Any] = []
            for item in value:
                if not isinstance(item, str):
                    out.append(item)
                    continue
                code, sep, amount = item.partition("=")
                if not sep or not amount.strip().isdigit():
                    raise rule(
                        f"{item[:40]!r}: write it as FUND=KRONOR, e.g. SAMFOND1=80000",
                        f"{item[:40]!r}: skriv FOND=KRONOR, t.ex. SAMFOND1=80000",
                    )
                out.append({"fund": code, "amount": int(amount)})
            return out
        return value

    available: list[FundAmount] = Field(
        title="Att dela ut",
        max_length=100,
        description="Fond och belopp i kronor att dela ut ur den (på kommandoraden FOND=KRONOR, upprepat)",
    )
    window_opens: dt.date | None = Field(
        title="Ansökan öppnar", default=None, description="Ansökan öppnar (standard: 1 mars)"
    )
    window_closes: dt.date | None = Field(
        title="Ansökan stänger", default=None, description="Ansökan stänger (standard: 31 mars)"
    )
    meeting_on: dt.date | None = Field(
        title="Nämndens beslut",
        json_schema_extra={"cli_name": "meeting"},
        default=None,
        description="Nämndens beslut (standard: i maj)",
    )
    payout_on: dt.date | None = Field(
        title="Utbetalning",
        json_schema_extra={"cli_name": "payout"},
        default=None,
        description="Utbetalning (standard: i juni)",
    )
    per_household: int = Field(
        title="Ansökningar per hushåll", default=1, ge=1, le=10, description="Ansökningar per hushåll och omgång"
    )
    registered_on: dt.date | None = Field(
        title="Registreringsdatum",
        json_schema_extra={"cli_name": "registered"},
        default=None,
        description="Registreringsdatum (standard: i dag)",
    )

    @field_validator("available")
    @classmethod
    def _amounts(cls, value: list[FundAmount]) -> list[FundAmount]:
        if not value:
            raise rule("give the amount available in at least one fund", "ange belopp att dela ut i minst en fond")
        codes = [a.fund for a in value]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise rule(f"the fund {twice[0]} is given twice", f"fonden {twice[0]} står två gånger")
        return value

    @property
    def amounts(self) -> dict[str, int]:
        """Kronor to give out, by fund code."""
        return {a.fund: a.amount for a in self.available}

    @model_validator(mode="after")
    def _defaults_and_order(self) -> DonationStart:
        # From 2022: applications in March, decision in May, payout in June (seed 003).
        self.window_opens = self.window_opens or dt.date(self.year, 3, 1)
        self.window_closes = self.window_closes or dt.date(self.year, 3, 31)
        self.meeting_on = self.meeting_on or roll_to_weekday(dt.date(self.year, 5, 15))
        self.payout_on = self.payout_on or roll_to_weekday(dt.date(self.year, 6, 15))
        if not self.window_opens <= self.window_closes < self.meeting_on <= self.payout_on:
            raise rule(
                "window_closes: the dates must run window opens ≤ closes < decision ≤ payout",
                "window_closes: datumen ska följa ansökan öppnar ≤ stänger < beslut ≤ utbetalning",
            )
        return self


def start(
    session: Session, data: DonationStart, *, registered_on: dt.date, who: str | None = None
) -> tuple[Errand, bool]:
    funds = {f.code: f for f in session.scalars(select(Fund).where(Fund.active.is_(True)))}
    for code in data.amounts:
        if code not in funds:
            raise NotFound(
                "available",
                f"no fund {code!r}; see `arende funds list`",
                sv=f"ingen fond {code!r}; se `arende funds list`",
            )
    errand, created = register_internal(
        session,
        organ_code=data.organ,
        errand_type=ERRAND_TYPE,
        title=f"Utdelning ur Borås Stads sociala donationsfonder {data.year}",
        key=f"DONATION {data.year}",
        registered_on=registered_on,
        recipients=["Ekonomienheten"],
        classification="3.4.4.25",
        who=who,
    )
    if not created:
        return errand, False
    assert data.window_closes and data.meeting_on and data.payout_on and data.window_opens
    rnd = DonationRound(
        errand_id=errand.id,
        year=data.year,
        window_opens=data.window_opens,
        window_closes=data.window_closes,
        meeting_on=data.meeting_on,
        payout_on=data.payout_on,
        per_household=data.per_household,
        imported_files=[],
    )
    session.add(rnd)
    session.flush()
    for code, amount in sorted(data.amounts.items()):
        session.add(RoundFund(round_id=rnd.id, fund_id=funds[code].id, available=amount))
    set_deadline(
        session,
        errand.id,
        Step.DRAFT,
        "donation.window",
        "Ansökningstiden för donationsfonderna går ut",
        data.window_closes,
    )
    set_deadline(
        session, errand.id, Step.DECISION, "donation.decision", "Nämndens beslut om utdelning", data.meeting_on
    )
    set_deadline(session, errand.id, Step.CLOSE, "donation.payout", "Utbetalning ur donationsfonderna", data.payout_on)
    audit(
        session,
        "donation.round",
        errand_id=errand.id,
        after={"year": data.year, "available": data.amounts, "payout_on": data.payout_on},
        who=who,
    )
    return errand, True


def round_of(session: Session, errand: Errand, *, lock: bool = False) -> DonationRound:
    stmt = select(DonationRound).where(DonationRound.errand_id == errand.id)
    if lock:
        stmt = stmt.with_for_update()
    rnd = session.scalar(stmt)
    if rnd is None:
        raise Conflict("dnr", f"{errand.dnr} is not a donation round")
    return rnd


def _open_round(session: Session, dnr: str) -> tuple[Errand, DonationRound]:
    errand = get_errand(session, dnr, lock=True)
    rnd = round_of(session, errand, lock=True)
    if decision_of(session, errand.id) is not None:
        raise Conflict("dnr", f"{errand.dnr} is decided; applications and grants can no longer change")
    return errand, rnd


def totals(session: Session, rnd: DonationRound) -> dict[str, Any]:
    """Counts and sums per fund and per purpose: the public figures."""
    rows = session.execute(
        select(Fund.code, Fund.name, Application.purpose, Grant.amount)
        .join(Grant, Grant.fund_id == Fund.id)
        .join(Application, Application.id == Grant.application_id)
        .where(Grant.round_id == rnd.id)
    ).all()
    per_fund: dict[str, dict[str, Any]] = {}
    per_purpose: dict[str, dict[str, Any]] = {}
    for code, name, purpose, amount in rows:
        f = per_fund.setdefault(code, {"code": code, "name": name, "count": 0, "sum": 0})
        f["count"] += 1
        f["sum"] += amount
        p = per_purpose.setdefault(purpose, {"purpose": purpose, "count": 0, "sum": 0})
        p["count"] += 1
        p["sum"] += amount
    statuses = dict(
        session.execute(
            select(Application.status, func.count()).where(Application.round_id == rnd.id).group_by(Application.status)
        ).all()
    )
    return {
        "count": len(rows),
        "total": sum(r[3] for r in rows),
        "per_fund": sorted(per_fund.values(), key=lambda f: f["code"]),
        "per_purpose": sorted(per_purpose.values(), key=lambda p: p["purpose"]),
        "applications": sum(statuses.values()),
        "statuses": statuses,
    }
