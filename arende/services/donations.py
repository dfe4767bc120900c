"""The donation payout: a round a year from the social donation funds.

Applications hold personal data of people with low income. They are imported into the
database encrypted (arende.privacy); flows and tasks only ever see the round's errand
id; the public decision carries counts and sums per fund and purpose, and the
individual grants go in an appendix marked secret (OSL 26:1).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from arende import privacy
from arende.allocation import Allocation, Candidate, FundRule, allocate, why_not
from arende.applications import COLUMNS, PURPOSES, parse_application
from arende.commands.vocabulary import Form
from arende.errors import Conflict, InvalidInput, NotFound
from arende.legalcalendar import add_period, roll_to_weekday
from arende.lifecycles import APPLICATION_MOVES, ApplicationStatus, move
from arende.services.common import audit, decision_of, get_errand, set_deadline, today
from arende.services.diary import register_document
from arende.services.documents import common_context, produce
from arende.services.internal import register_internal
from arende.services.reference import read_toml
from arende.services.types import ErrandType, ReportInput, ReportPart
from arende.settings import get_settings
from arende.swedish import number
from arende.workflow import Direction, Step
from db.models import Application, Document, DonationRound, Errand, Fund, Grant, RoundFund

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


class DonationStart(Form):
    """Start av årets utdelning ur de sociala donationsfonderna. Inga personuppgifter."""

    verb: ClassVar[tuple[str, ...]] = ("donation", "start")

    organ: str = Field(default="ALN", description="Nämndens registerprefix")
    year: int = Field(ge=2000, le=2100, description="År för utdelningen")

    @field_validator("available", mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        """The command line gives FUND=KRONOR, repeated; a form a mapping."""
        if isinstance(value, list):
            out: dict[str, Any] = {}
            for item in value:
                code, sep, amount = str(item).partition("=")
                if not sep or not amount.strip().isdigit():
                    raise ValueError(f"{str(item)[:40]!r}: write it as FUND=KRONOR, e.g. SAMFOND1=80000")
                out[code.strip().upper()] = int(amount)
            return out
        return value

    available: dict[str, int] = Field(description="Belopp att dela ut per fond (fondkod: kronor)")
    window_opens: dt.date | None = Field(default=None, description="Ansökan öppnar (standard: 1 mars)")
    window_closes: dt.date | None = Field(default=None, description="Ansökan stänger (standard: 31 mars)")
    meeting_on: dt.date | None = Field(
        json_schema_extra={"cli_name": "meeting"}, default=None, description="Nämndens beslut (standard: i maj)"
    )
    payout_on: dt.date | None = Field(
        json_schema_extra={"cli_name": "payout"}, default=None, description="Utbetalning (standard: i juni)"
    )
    per_household: int = Field(default=1, ge=1, le=10, description="Ansökningar per hushåll och omgång")
    registered_on: dt.date | None = Field(
        json_schema_extra={"cli_name": "registered"}, default=None, description="Registreringsdatum (standard: i dag)"
    )

    @field_validator("available")
    @classmethod
    def _amounts(cls, value: dict[str, int]) -> dict[str, int]:
        if not value:
            raise ValueError("give the amount available in at least one fund")
        if any(v < 0 for v in value.values()):
            raise ValueError("an amount cannot be negative")
        return {k.strip().upper(): v for k, v in value.items()}

    @model_validator(mode="after")
    def _defaults_and_order(self) -> DonationStart:
        # From 2022: applications in March, decision in May, payout in June (seed 003).
        self.window_opens = self.window_opens or dt.date(self.year, 3, 1)
        self.window_closes = self.window_closes or dt.date(self.year, 3, 31)
        self.meeting_on = self.meeting_on or roll_to_weekday(dt.date(self.year, 5, 15))
        self.payout_on = self.payout_on or roll_to_weekday(dt.date(self.year, 6, 15))
        if not self.window_opens <= self.window_closes < self.meeting_on <= self.payout_on:
            raise ValueError("window_closes: the dates must run window opens ≤ closes < decision ≤ payout")
        return self


def start(
    session: Session, data: DonationStart, *, registered_on: dt.date, who: str | None = None
) -> tuple[Errand, bool]:
    funds = {f.code: f for f in session.scalars(select(Fund).where(Fund.active.is_(True)))}
    for code in data.available:
        if code not in funds:
            raise NotFound("available", f"no fund {code!r}; see `arende funds list`")
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
    for code, amount in sorted(data.available.items()):
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
        after={"year": data.year, "available": data.available, "payout_on": data.payout_on},
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


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    imported: int
    late: int
    duplicates: int
    invalid: list[tuple[int, str]]
    already_imported: bool = False


def import_applications(session: Session, dnr: str, data: bytes, *, skip_invalid: bool = False) -> ImportResult:
    """Import the e-service's CSV export. All rows or none: one bad row refuses the
    file, naming its line and the problem; with skip_invalid the good rows are imported
    and the bad ones returned (line and reason only). Late applications and duplicates
    are imported as rejected, with their reason. The same file twice is a no-op."""
    errand, rnd = _open_round(session, dnr)
    digest = hashlib.sha256(data).hexdigest()
    if digest in rnd.imported_files:
        return ImportResult(0, 0, 0, [], already_imported=True)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", "not UTF-8 text (export the file as CSV UTF-8)") from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput("file", f"line 1: the header lacks the column {missing[0]!r} (expected {';'.join(COLUMNS)})")
    reader.fieldnames = header
    good: list[tuple[int, dict[str, Any]]] = []
    invalid: list[tuple[int, str]] = []
    for line, row in enumerate(reader, start=2):
        try:
            good.append((line, parse_application(row, rnd.window_closes)))
        except ValueError as exc:
            invalid.append((line, str(exc)))
    if invalid and not skip_invalid:
        first_line, first_reason = invalid[0]
        more = f" ({len(invalid) - 1} more bad rows)" if len(invalid) > 1 else ""
        raise InvalidInput(f"line {first_line}", f"{first_reason}; nothing was imported{more}")

    municipality = get_settings().municipality.split()[0].lower()
    seen_pnr = {h: a.line for h, a in _existing(session, rnd, Application.pnr_hash)}
    households: dict[str, list[int]] = defaultdict(list)
    for h, a in _existing(session, rnd, Application.household_hash):
        households[h].append(a.line)
    late = dupes = 0
    rows = []
    for line, v in sorted(good, key=lambda lv: (lv[1]["received_on"], lv[0])):
        pnr_hash = privacy.keyed_hash("pnr", v["pnr"])
        household_hash = privacy.keyed_hash("household", v["address"].lower())
        status: str = "received"
        reason: str | None = None
        if v["received_on"] > rnd.window_closes or v["received_on"] < rnd.window_opens:
            status, reason = (
                "rejected",
                (f"inkom {v['received_on']}, utanför ansökningstiden {rnd.window_opens} – {rnd.window_closes}"),
            )
            late += 1
        elif pnr_hash in seen_pnr:
            status, reason = "duplicate", f"samma sökande som rad {seen_pnr[pnr_hash]}"
            dupes += 1
        elif len(households[household_hash]) >= rnd.per_household:
            status, reason = "duplicate", f"hushållet har redan ansökt (rad {households[household_hash][0]})"
            dupes += 1
        if status == "received":
            seen_pnr[pnr_hash] = line
            households[household_hash].append(line)
        personal = privacy.encrypt(
            {
                "name": v["name"],
                "pnr": v["pnr"],
                "address": v["address"],
                "income": v["income"],
                "account": v["account"],
            }
        )
        rows.append(
            {
                "round_id": rnd.id,
                "line": line,
                "received_on": v["received_on"],
                "personal": personal,
                "pnr_hash": pnr_hash,
                "household_hash": household_hash,
                "household_size": v["household"],
                "resident": v["municipality"].lower().startswith(municipality),
                "age": v["age"],
                "monthly_income_per_person": v["income"] // v["household"],
                "purpose": v["purpose"],
                "amount_applied": v["amount"],
                "status": status,
                "reason": reason,
            }
        )
    if rows:
        session.execute(insert(Application), rows)
    rnd.imported_files = [*rnd.imported_files, digest]
    audit(
        session,
        "donation.imported",
        errand_id=errand.id,
        after={
            "file_sha256": digest,
            "imported": len(rows),
            "late": late,
            "duplicates": dupes,
            "invalid_lines": [line for line, _ in invalid],
        },
    )
    return ImportResult(len(rows), late, dupes, invalid)


def _existing(session: Session, rnd: DonationRound, column):  # type: ignore[no-untyped-def]
    stmt = select(column, Application).where(Application.round_id == rnd.id, Application.status == "received")
    return [(h, a) for h, a in session.execute(stmt) if h]


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
    doc, _ = produce(
        session,
        errand,
        "donation_beslut",
        context,
        direction=Direction.DRAWN_UP,
        counterpart=errand.organ.office or errand.organ.name,
        registered_on=on,
        who="flow",
    )
    return doc


def secret_appendix(session: Session, errand: Errand, decision: Any, on: dt.date) -> Document:
    """The individual grants: names and amounts, marked secret; no personnummer,
    income or account (they stay in the database and the payout file)."""
    rnd = round_of(session, errand)
    codes = {f.id: f.name for f in session.scalars(select(Fund))}
    rows = []
    for g, a in session.execute(
        select(Grant, Application)
        .join(Application, Application.id == Grant.application_id)
        .where(Grant.round_id == rnd.id)
        .order_by(Application.line)
    ):
        name = privacy.decrypt(a.personal)["name"] if a.personal else "(gallrad)"
        rows.append(
            {"line": a.line, "name": name, "purpose": a.purpose, "fund": codes[g.fund_id], "amount": number(g.amount)}
        )
    context = common_context(errand) | {"year": rnd.year, "grants": rows, "secrecy": SECRECY}
    doc, _ = produce(
        session,
        errand,
        "donation_bilaga",
        context,
        direction=Direction.DRAWN_UP,
        counterpart=errand.organ.office or errand.organ.name,
        registered_on=on,
        who="flow",
        secrecy_provision=SECRECY,
    )
    return doc


# --- payout --------------------------------------------------------------------------------


def payout_lines(session: Session, rnd: DonationRound) -> list[str]:
    """The bank file: a header and one line per grant, in grant order; amounts in öre."""
    codes = {f.id: f.code for f in session.scalars(select(Fund))}
    grants = session.execute(
        select(Grant, Application)
        .join(Application, Application.id == Grant.application_id)
        .where(Grant.round_id == rnd.id)
        .order_by(Grant.id)
    ).all()
    body = []
    for g, a in grants:
        assert a.personal is not None  # erased rounds have no payout file to write
        p = privacy.decrypt(a.personal)
        body.append(
            ";".join(
                [
                    str(g.id),
                    p["pnr"],
                    p["name"].replace(";", " "),
                    p["account"],
                    str(g.amount * 100),
                    f"DONATION {rnd.year} {codes[g.fund_id]}",
                ]
            )
        )
    total = sum(g.amount for g, _ in grants) * 100
    return [f"#ARENDE-UTBETALNING;1;{rnd.year};{rnd.payout_on.isoformat()};{len(body)};{total}", *body]


def produce_payout(session: Session, errand: Errand, on: dt.date) -> None:
    """Write the payout file once and mark every grant paid, in one transaction. A
    rerun after a crash before the commit writes the identical file again; after the
    commit it is a no-op: never a second payout."""
    rnd = round_of(session, errand, lock=True)
    if rnd.payout_sha256 is not None:
        return
    data = ("\n".join(payout_lines(session, rnd)) + "\n").encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    folder = get_settings().var_dir / "payouts"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"donation-{rnd.year}-{digest[:16]}.txt"
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    session.execute(update(Grant).where(Grant.round_id == rnd.id).values(paid_on=rnd.payout_on))
    rnd.payout_sha256, rnd.payout_path = digest, str(path)
    register_document(
        session,
        errand,
        registered_on=on,
        direction=Direction.OUTGOING,
        counterpart="Ekonomienheten",
        description=f"Utbetalningsfil donationsfonder {rnd.year}",
        kind="utbetalningsfil",
        file_name=path.name,
        storage_path=str(path),
        sha256=digest,
        secrecy_provision=SECRECY,
        who="flow",
    )
    audit(
        session,
        "donation.payout",
        errand_id=errand.id,
        after={"sha256": digest, "payout_on": rnd.payout_on},
        who="flow",
    )


def ready_to_close(session: Session, errand: Errand) -> str | None:
    rnd = round_of(session, errand)
    return None if rnd.payout_sha256 else "the payout file is not produced"


# --- erasure -------------------------------------------------------------------------------


def erase(session: Session, dnr: str, *, on: dt.date | None = None) -> int:
    """After the retention period: remove applicants' personal data and the files that
    hold it; the decision, its totals and every grant's fund, purpose and amount stay."""
    on = on or today()
    errand = get_errand(session, dnr, lock=True)
    rnd = round_of(session, errand, lock=True)
    if rnd.payout_sha256 is None:
        raise Conflict("dnr", f"{errand.dnr} has not been paid out; nothing may be erased yet")
    years = get_settings().donation_retention_years
    allowed = add_period(rnd.payout_on, years=years)
    if on < allowed:
        raise Conflict("date", f"the retention period ({years} years after payout) ends {allowed}")
    count = 0
    for a in session.scalars(
        select(Application).where(Application.round_id == rnd.id, Application.personal.is_not(None))
    ):
        a.personal, a.pnr_hash, a.household_hash = None, None, None
        count += 1
    for doc in session.scalars(
        select(Document).where(
            Document.errand_id == errand.id, Document.kind.in_(["donation_bilaga", "utbetalningsfil"])
        )
    ):
        if doc.storage_path:
            Path(doc.storage_path).unlink(missing_ok=True)
        doc.storage_path = None
        doc.description = f"{doc.description} (gallrad {on})"
    rnd.payout_path = None
    rnd.erased_at = dt.datetime.now(dt.UTC)
    audit(session, "donation.erased", errand_id=errand.id, after={"applications": count, "on": on})
    return count


TYPE = ErrandType(
    name=ERRAND_TYPE,
    label_sv="Utdelning ur donationsfonder",
    check_report=check_report,
    draft_documents=(public_appendix, secret_appendix),
    outgoing_documents=(public_appendix,),
    ready_to_close=ready_to_close,
    on_expedited=produce_payout,
    start_model=DonationStart,
    register=start,
)
