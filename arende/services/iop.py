"""IOP agreements (idéburet offentligt partnerskap) with non-profit organisations.

Not regulated by statute: the terms are contract terms. The agreement runs a period at
a time and renews itself by `renewal_years` unless a party gives notice at the latest
`notice_months` before expiry (the last day computed by Lag 1930:173, rolled past
weekends and holidays); an evaluation precedes each renewal. Supplements for a year
are decided as their own §, in errands linked to the agreement's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum import exceptions as stdnum_errors
from stdnum.se import orgnr

from arende.commands.fields import MAX_KRONOR, Form, rule
from arende.errors import Conflict, InvalidInput
from arende.rules import agreements
from arende.rules.agreements import notice_last_day, notice_reminder_day
from arende.rules.legalcalendar import add_period
from arende.rules.lifecycles import AGREEMENT_MOVES, AgreementStatus, move
from arende.rules.workflow import Step
from arende.services.common import audit, decision_of, get_errand
from arende.services.internal import register_internal
from arende.services.reference import OrganChoice, organ_choices, read_toml
from arende.services.types import ErrandType, ReportInput, ReportPart
from db.models import Agreement, AgreementPeriod, Decision, Document, Errand

ERRAND_TYPE = "iop-agreement"
SUPPLEMENT_TYPE = "iop-supplement"
# The agreement's sections in the seed's order; "principles" (värdegrund) and "conditions"
# (grundläggande förutsättningar) are printed only when written.
TERM_SECTIONS = (
    "background",
    "purpose",
    "principles",
    "responsibilities",
    "services",
    "cooperation",
    "evaluation",
    "economy",
    "conditions",
    "renegotiation",
)
REQUIRED_TERMS = ("background", "purpose", "responsibilities", "services", "cooperation", "evaluation", "renegotiation")


class IopStart(Form):
    """Start av ärende om överenskommelse om idéburet offentligt partnerskap (IOP)."""

    verb: ClassVar[tuple[str, ...]] = ("iop", "start")

    organ: OrganChoice = Field(
        title="Nämnd", max_length=10, json_schema_extra=organ_choices, description="Nämndens registerprefix, t.ex. ALN"
    )
    number: str = Field(title="Nummer", min_length=1, max_length=40, description="Överenskommelsens nummer, t.ex. 2")
    partner_name: str = Field(
        title="Organisation",
        json_schema_extra={"cli_name": "partner"},
        min_length=2,
        max_length=300,
        description="Den idéburna organisationens namn",
    )
    partner_orgnr: str = Field(
        title="Organisationsnummer",
        json_schema_extra={"cli_name": "orgnr"},
        max_length=20,
        description="Organisationsnummer, t.ex. 864501-5200",
    )
    partner_address: str | None = Field(
        title="Organisationens adress",
        json_schema_extra={"cli_name": "address"},
        default=None,
        max_length=300,
        description="Postadress, t.ex. Box 979, 501 10 Borås",
    )
    partner_contact: str = Field(
        title="Kontaktperson hos organisationen",
        min_length=2,
        max_length=300,
        description="Kontaktperson hos organisationen",
    )
    our_contact: str = Field(
        title="Kontaktperson i förvaltningen", min_length=2, max_length=300, description="Kontaktperson i förvaltningen"
    )
    starts_on: dt.date = Field(
        title="Gäller från", json_schema_extra={"cli_name": "starts"}, description="Första periodens startdag"
    )
    ends_on: dt.date = Field(
        title="Gäller till och med", json_schema_extra={"cli_name": "ends"}, description="Första periodens sista dag"
    )
    renewal_years: int = Field(
        title="Förlängs med (år)", default=1, ge=1, le=10, description="Förlängs med så många år i taget"
    )
    notice_months: int = Field(
        title="Uppsägningstid (månader)",
        default=9,
        ge=0,
        le=60,
        description="Uppsägning senast så många månader före förfallodagen",
    )
    evaluation_months_before_notice: int = Field(
        title="Utvärdering (månader före sista uppsägningsdag)",
        default=1,
        ge=0,
        le=12,
        description="Utvärdering så många månader före sista uppsägningsdag",
    )
    yearly_amount: int = Field(
        title="Ersättning per år (kronor)", ge=0, le=MAX_KRONOR, description="Fast ersättning per år, kronor"
    )
    registered_on: dt.date | None = Field(
        title="Registreringsdatum",
        json_schema_extra={"cli_name": "registered"},
        default=None,
        description="Registreringsdatum (standard: i dag)",
    )
    classification: str | None = Field(
        title="Klassificeringskod", default="1.1.6.3", max_length=40, description="Klassificeringskod"
    )
    significant_change: bool = Field(
        title="Väsentlig förändring (MBL §11)", default=False, description="Väsentlig förändring (MBL §11)"
    )

    @field_validator("partner_orgnr")
    @classmethod
    def _valid_orgnr(cls, value: str) -> str:
        try:
            return orgnr.format(orgnr.validate(value))
        except stdnum_errors.ValidationError as exc:
            raise rule(
                f"{value!r} is not a valid Swedish organisation number ({getattr(exc, 'message', exc)})",
                f"{value!r} är inte ett giltigt organisationsnummer",
            ) from None

    @model_validator(mode="after")
    def _period(self) -> IopStart:
        if self.ends_on < self.starts_on:
            raise rule(
                "ends_on: the agreement ends before it starts", "ends_on: överenskommelsen slutar innan den börjar"
            )
        period_end = add_period(self.ends_on, days=1)
        if add_period(period_end, months=-self.notice_months) <= self.starts_on:
            raise rule(
                f"notice_months: a notice period of {self.notice_months} months is as long as or "
                "longer than the agreement's first period",
                f"notice_months: en uppsägningstid på {self.notice_months} månader är minst lika lång "
                "som överenskommelsens första period",
            )
        if self.notice_months >= self.renewal_years * 12:
            raise rule(
                f"notice_months: a notice period of {self.notice_months} months does not fit in a "
                f"renewal of {self.renewal_years} year(s)",
                f"notice_months: en uppsägningstid på {self.notice_months} månader ryms inte i en "
                f"förlängning på {self.renewal_years} år",
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
        raise Conflict(
            "number",
            f"IOP number {data.number} is already used by another agreement",
            sv=f"IOP nummer {data.number} används redan av en annan överenskommelse",
        )
    agreement = Agreement(
        errand_id=errand.id,
        number=data.number,
        partner_name=data.partner_name,
        partner_orgnr=data.partner_orgnr,
        partner_address=(data.partner_address or "").strip() or None,
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
        raise Conflict("dnr", f"{errand.dnr} is not an IOP agreement", sv=f"{errand.dnr} är ingen IOP-överenskommelse")
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
    """The agreement for both parties to sign (arende.services.iop_documents)."""
    from arende.services.iop_documents import agreement_document as draw_up

    return draw_up(session, errand, decision, on)


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
        f"Sista dag att säga upp IOP nr {agreement.number}" + _contract_day(end, agreement.notice_months),
        notice_reminder_day(end, agreement.notice_months),
    )
    set_deadline(session, errand.id, Step.CLOSE, f"iop.expiry.{end}", f"IOP nr {agreement.number} löper ut", end)


def _contract_day(end: dt.date, notice_months: int) -> str:
    """The contract's own day, when the reminder aims at a working day before it."""
    written = notice_last_day(end, notice_months)
    return f" (enligt avtalet {written})" if written != notice_reminder_day(end, notice_months) else ""


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
