"""IOP agreements (idéburet offentligt partnerskap) with non-profit organisations.

Not regulated by statute: the terms are contract terms. The agreement runs a period at
a time and renews itself by `renewal_years` unless a party gives notice at the latest
`notice_months` before expiry (the last day computed by Lag 1930:173, rolled past
weekends and holidays); an evaluation precedes each renewal. Supplements for a year
are decided as their own §, in errands linked to the agreement's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import exceptions as stdnum_errors
from stdnum.se import orgnr

from arende import agreements
from arende.agreements import notice_last_day
from arende.commands.vocabulary import Form
from arende.documents import paragraphs
from arende.errors import Conflict, InvalidInput
from arende.legalcalendar import add_period
from arende.lifecycles import AGREEMENT_MOVES, AgreementStatus, move
from arende.services.common import audit, decision_of, get_errand, today
from arende.services.documents import common_context, produce
from arende.services.internal import register_internal
from arende.services.reference import read_toml
from arende.services.types import ErrandType, ReportInput, ReportPart
from arende.settings import get_settings
from arende.swedish import long_date, number
from arende.workflow import DeadlineStatus, Direction, Step
from db.models import Agreement, AgreementPeriod, Deadline, Decision, Document, Errand

ERRAND_TYPE = "iop-agreement"
SUPPLEMENT_TYPE = "iop-supplement"
TERM_SECTIONS = (
    "background",
    "purpose",
    "responsibilities",
    "services",
    "cooperation",
    "evaluation",
    "economy",
    "renegotiation",
)
REQUIRED_TERMS = ("background", "purpose", "responsibilities", "services", "cooperation", "evaluation", "renegotiation")


class IopStart(Form):
    """Start av ärende om överenskommelse om idéburet offentligt partnerskap (IOP)."""

    verb: ClassVar[tuple[str, ...]] = ("iop", "start")

    organ: str = Field(description="Nämndens registerprefix, t.ex. ALN")
    number: str = Field(min_length=1, max_length=40, description="Överenskommelsens nummer, t.ex. 2")
    partner_name: str = Field(
        json_schema_extra={"cli_name": "partner"}, min_length=2, description="Den idéburna organisationens namn"
    )
    partner_orgnr: str = Field(
        json_schema_extra={"cli_name": "orgnr"}, description="Organisationsnummer, t.ex. 864501-5200"
    )
    partner_contact: str = Field(min_length=2, description="Kontaktperson hos organisationen")
    our_contact: str = Field(min_length=2, description="Kontaktperson i förvaltningen")
    starts_on: dt.date = Field(json_schema_extra={"cli_name": "starts"}, description="Första periodens startdag")
    ends_on: dt.date = Field(json_schema_extra={"cli_name": "ends"}, description="Första periodens sista dag")
    renewal_years: int = Field(default=1, ge=1, le=10, description="Förlängs med så många år i taget")
    notice_months: int = Field(
        default=9, ge=0, le=60, description="Uppsägning senast så många månader före förfallodagen"
    )
    evaluation_months_before_notice: int = Field(
        default=1, ge=0, le=12, description="Utvärdering så många månader före sista uppsägningsdag"
    )
    yearly_amount: int = Field(ge=0, description="Fast ersättning per år, kronor")
    registered_on: dt.date | None = Field(
        json_schema_extra={"cli_name": "registered"}, default=None, description="Registreringsdatum (standard: i dag)"
    )
    classification: str | None = Field(default="1.1.6.3", description="Klassificeringskod")
    significant_change: bool = Field(default=False, description="Väsentlig förändring (MBL §11)")

    @field_validator("partner_orgnr")
    @classmethod
    def _valid_orgnr(cls, value: str) -> str:
        try:
            return orgnr.format(orgnr.validate(value))
        except stdnum_errors.ValidationError as exc:
            raise ValueError(
                f"{value!r} is not a valid Swedish organisation number ({getattr(exc, 'message', exc)})"
            ) from None

    @model_validator(mode="after")
    def _period(self) -> IopStart:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on: the agreement ends before it starts")
        period_end = add_period(self.ends_on, days=1)
        if add_period(period_end, months=-self.notice_months) <= self.starts_on:
            raise ValueError(
                f"notice_months: a notice period of {self.notice_months} months is as long as or "
                "longer than the agreement's first period"
            )
        if self.notice_months >= self.renewal_years * 12:
            raise ValueError(
                f"notice_months: a notice period of {self.notice_months} months does not fit in a "
                f"renewal of {self.renewal_years} year(s)"
            )
        return self


def evaluation_due(agreement: Agreement, ends_on: dt.date) -> dt.date:
    return agreements.evaluation_due(ends_on, agreement.notice_months, agreement.evaluation_months_before_notice)


def start(session: Session, data: IopStart, *, registered_on: dt.date, who: str | None = None) -> tuple[Errand, bool]:
    errand, created = register_internal(
        session,
        organ_code=data.organ,
        errand_type=ERRAND_TYPE,
        title=f"Överenskommelse om idéburet offentligt partnerskap (IOP) med {data.partner_name}",
        key=f"IOP {data.number}",
        registered_on=registered_on,
        recipients=[data.partner_name],
        classification=data.classification,
        counterpart=data.partner_name,
        fsg_required=data.significant_change,
        who=who,
    )
    if not created:
        return errand, False
    if session.scalar(select(Agreement).where(Agreement.number == data.number)) is not None:
        raise Conflict("number", f"IOP number {data.number} is already used by another agreement")
    agreement = Agreement(
        errand_id=errand.id,
        number=data.number,
        partner_name=data.partner_name,
        partner_orgnr=data.partner_orgnr,
        partner_contact=data.partner_contact,
        our_contact=data.our_contact,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        renewal_years=data.renewal_years,
        notice_months=data.notice_months,
        evaluation_months_before_notice=data.evaluation_months_before_notice,
        yearly_amount=data.yearly_amount,
        status=AgreementStatus.PROPOSED.value,
    )
    session.add(agreement)
    session.flush()
    session.add(AgreementPeriod(agreement_id=agreement.id, starts_on=data.starts_on, ends_on=data.ends_on))
    audit(
        session,
        "agreement.proposed",
        errand_id=errand.id,
        after={
            "number": data.number,
            "partner_orgnr": data.partner_orgnr,
            "starts_on": data.starts_on,
            "ends_on": data.ends_on,
            "yearly_amount": data.yearly_amount,
        },
        who=who,
    )
    return errand, True


def agreement_of(session: Session, errand: Errand, *, lock: bool = False) -> Agreement:
    stmt = select(Agreement).where(Agreement.errand_id == errand.id)
    if lock:
        stmt = stmt.with_for_update()
    agreement = session.scalar(stmt)
    if agreement is None:
        raise Conflict("dnr", f"{errand.dnr} is not an IOP agreement")
    return agreement


def read_terms(path: Path) -> dict[str, str]:
    raw = read_toml(path)
    unknown = sorted(set(raw) - set(TERM_SECTIONS))
    if unknown:
        raise InvalidInput(unknown[0], f"not a section of the agreement ({', '.join(TERM_SECTIONS)})")
    return {k: str(v) for k, v in raw.items()}


def record_terms(session: Session, dnr: str, terms: dict[str, str]) -> list[int]:
    errand = get_errand(session, dnr, lock=True)
    agreement = agreement_of(session, errand, lock=True)
    if decision_of(session, errand.id) is not None:
        raise Conflict("dnr", f"{errand.dnr} is decided; the agreement's terms can no longer change")
    for key in REQUIRED_TERMS:
        if not terms.get(key, "").strip():
            raise InvalidInput(key, "the agreement needs this section")
    before = dict(agreement.terms)
    agreement.terms = {k: v.strip() for k, v in terms.items() if v.strip()}
    audit(
        session,
        "fact.agreement_terms",
        errand_id=errand.id,
        before={"sections": sorted(before)},
        after={"sections": sorted(agreement.terms)},
    )
    return [errand.id]


def check_report(session: Session, errand: Errand, given: ReportInput) -> ReportPart:
    agreement = agreement_of(session, errand)
    if not agreement.terms:
        raise Conflict("terms", f"record the agreement's terms first: arende iop terms {errand.dnr} --file ...")
    return ReportPart(
        default_decision=(
            f"{errand.organ.name} beslutar godkänna upprättad överenskommelse om idéburet offentligt partnerskap "
            f"(IOP) med {agreement.partner_name}."
        )
    )


def _supplements(session: Session, agreement: Agreement) -> list[tuple[Errand, Decision]]:
    children = session.scalars(
        select(Errand)
        .where(Errand.parent_id == agreement.errand_id, Errand.errand_type == SUPPLEMENT_TYPE)
        .order_by(Errand.id)
    )
    return [(c, d) for c in children if (d := decision_of(session, c.id)) is not None]


def agreement_document(session: Session, errand: Errand, decision: Decision | None, on: dt.date) -> Document:
    agreement = agreement_of(session, errand)
    renewal = "ett år" if agreement.renewal_years == 1 else f"{agreement.renewal_years} år"
    notice = f"{agreement.notice_months} månader"
    context = common_context(errand) | {
        "number": agreement.number,
        "municipality": get_settings().municipality,
        "partner_name": agreement.partner_name,
        "partner_orgnr": agreement.partner_orgnr,
        "partner_contact": agreement.partner_contact,
        "our_contact": agreement.our_contact,
        "terms": {k: paragraphs(agreement.terms.get(k)) for k in TERM_SECTIONS},
        "yearly_amount": number(agreement.yearly_amount),
        "supplements": [
            {
                "year": c.details["year"],
                "amount": number(c.details["amount"]),
                "decision": f"{d.meeting.held_on} § {d.paragraph}",
            }
            for c, d in _supplements(session, agreement)
        ],
        "starts_long": long_date(agreement.starts_on),
        "ends_long": long_date(agreement.ends_on),
        "renewal_text": renewal,
        "notice_text": notice,
        "notice_last_long": long_date(notice_last_day(agreement.ends_on, agreement.notice_months)),
        "organ_name_lower": errand.organ.name[0].lower() + errand.organ.name[1:],
    }
    doc, _ = produce(
        session,
        errand,
        "iop_overenskommelse",
        context,
        direction=Direction.DRAWN_UP,
        counterpart=agreement.partner_name,
        registered_on=on,
        who="flow",
    )
    return doc


def _set_period_deadlines(session: Session, errand: Errand, agreement: Agreement) -> None:
    from arende.services.common import set_deadline

    end = agreement.ends_on
    set_deadline(
        session,
        errand.id,
        Step.CLOSE,
        f"iop.evaluation.{end}",
        f"Utvärdering av IOP nr {agreement.number} inför förlängning",
        evaluation_due(agreement, end),
    )
    set_deadline(
        session,
        errand.id,
        Step.CLOSE,
        f"iop.notice.{end}",
        f"Sista dag att säga upp IOP nr {agreement.number}",
        notice_last_day(end, agreement.notice_months),
    )
    set_deadline(session, errand.id, Step.CLOSE, f"iop.expiry.{end}", f"IOP nr {agreement.number} löper ut", end)


def activate(session: Session, errand: Errand, on: dt.date) -> None:
    """The approved agreement has gone to the partner: it is in force."""
    agreement = agreement_of(session, errand, lock=True)
    if agreement.status != AgreementStatus.PROPOSED.value:
        return
    agreement.status = move(
        AGREEMENT_MOVES, agreement.status, AgreementStatus.ACTIVE, what=f"IOP nr {agreement.number}"
    )
    _set_period_deadlines(session, errand, agreement)
    audit(session, "agreement.active", errand_id=errand.id, after={"ends_on": agreement.ends_on}, who="flow")


def ready_to_close(session: Session, errand: Errand) -> str | None:
    agreement = agreement_of(session, errand)
    if agreement.status == AgreementStatus.ENDED.value:
        return None
    if agreement.status == AgreementStatus.NOTICE_GIVEN.value:
        return f"notice given {agreement.notice_given_on}; the agreement ends {agreement.ends_on}"
    return (
        f"in force until {agreement.ends_on}; renews unless notice is given at the latest "
        f"{notice_last_day(agreement.ends_on, agreement.notice_months)}"
    )


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
        raise Conflict("dnr", f"IOP nr {agreement.number} is not in force yet")
    move(
        AGREEMENT_MOVES, agreement.status, AgreementStatus.NOTICE_GIVEN, what=f"IOP nr {agreement.number}", field="dnr"
    )
    last = notice_last_day(agreement.ends_on, agreement.notice_months)
    if given_on > last:
        raise Conflict("date", f"the last day to give notice for the period ending {agreement.ends_on} was {last}")
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
    kind = f"iop.evaluation.{agreement.ends_on}"
    row = session.scalar(select(Deadline).where(Deadline.errand_id == errand.id, Deadline.kind == kind))
    if row is None:
        raise Conflict("dnr", f"IOP nr {agreement.number} has no evaluation due (not in force)")
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


# --- supplements: each decided as its own § -----------------------------------------------


class SupplementStart(Form):
    """Tillägg till en IOP för ett år, beslutas som egen paragraf."""

    verb: ClassVar[tuple[str, ...]] = ("iop", "supplement")

    agreement_dnr: str = Field(
        json_schema_extra={"cli_argument": True, "cli_dnr": True}, description="Överenskommelsens Dnr"
    )
    year: int = Field(ge=2000, le=2100, description="Året tillägget gäller")
    amount: int = Field(gt=0, description="Belopp, kronor")
    registered_on: dt.date | None = Field(
        json_schema_extra={"cli_name": "registered"}, default=None, description="Registreringsdatum (standard: i dag)"
    )


def start_supplement(
    session: Session, data: SupplementStart, *, registered_on: dt.date, who: str | None = None
) -> tuple[Errand, bool]:
    parent = get_errand(session, data.agreement_dnr)
    agreement = agreement_of(session, parent)
    return register_internal(
        session,
        organ_code=parent.organ.code,
        errand_type=SUPPLEMENT_TYPE,
        title=f"Komplettering till överenskommelse om IOP med {agreement.partner_name} {data.year}",
        key=f"TILLÄGG IOP {agreement.number} {data.year}",
        registered_on=registered_on,
        recipients=[agreement.partner_name],
        classification=parent.classification_code,
        details={"year": data.year, "amount": data.amount},
        parent_dnr=parent.dnr,
        counterpart=agreement.partner_name,
        who=who,
    )


def check_supplement(session: Session, errand: Errand, given: ReportInput) -> ReportPart:
    parent = session.get(Errand, errand.parent_id)
    assert parent is not None
    agreement = agreement_of(session, parent)
    amount_tkr = number(errand.details["amount"] / 1000)
    return ReportPart(
        default_decision=(
            f"{errand.organ.name} beslutar att {agreement.partner_name} erhåller {amount_tkr} tkr "
            f"{errand.details['year']}."
        )
    )


TYPE = ErrandType(
    name=ERRAND_TYPE,
    label_sv="IOP-överenskommelse",
    check_report=check_report,
    draft_documents=(agreement_document,),
    outgoing_documents=(agreement_document,),
    ready_to_close=ready_to_close,
    on_expedited=activate,
    start_model=IopStart,
    register=start,
)
SUPPLEMENT = ErrandType(
    name=SUPPLEMENT_TYPE,
    label_sv="Tillägg till IOP",
    check_report=check_supplement,
    start_model=SupplementStart,
    register=start_supplement,
)
