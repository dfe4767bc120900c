"""Supplements to an IOP agreement for a year, each decided as its own §."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field
from sqlalchemy.orm import Session

from arende.commands.fields import MAX_KRONOR, Form
from arende.services.common import decision_of, get_errand
from arende.services.internal import register_internal
from arende.services.iop import SUPPLEMENT_TYPE, agreement_of
from arende.services.iop_documents import parties_context, signed_by_both
from arende.services.types import ErrandType, ReportInput, ReportPart
from arende.swedish import number
from db.models import Decision, Document, Errand

# --- supplements: each decided as its own § -----------------------------------------------


class SupplementStart(Form):
    """Tillägg till en IOP för ett år, beslutas som egen paragraf."""

    verb: ClassVar[tuple[str, ...]] = ("iop", "supplement")

    agreement_dnr: str = Field(
        title="Överenskommelsens diarienummer",
        max_length=60,
        json_schema_extra={"cli_argument": True, "cli_dnr": True},
        description="Överenskommelsens Dnr",
    )
    year: int = Field(title="År", ge=2000, le=2100, description="Året tillägget gäller")
    amount: int = Field(title="Belopp (kronor)", gt=0, le=MAX_KRONOR, description="Belopp, kronor")
    service: str | None = Field(
        title="Tjänsten",
        default=None,
        max_length=2000,
        description="Vad tillägget ersätter, t.ex. praktiska insatser vid akuta placeringar",
    )
    invoiced_by: str | None = Field(
        title="Faktureras av",
        default=None,
        max_length=300,
        description="Vem som fakturerar beloppet (standard: organisationen)",
    )
    registered_on: dt.date | None = Field(
        title="Registreringsdatum",
        json_schema_extra={"cli_name": "registered"},
        default=None,
        description="Registreringsdatum (standard: i dag)",
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
        details={
            "year": data.year,
            "amount": data.amount,
            "service": " ".join((data.service or "").split()),
            "invoiced_by": " ".join((data.invoiced_by or "").split()) or agreement.partner_name,
        },
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


def supplement_document(session: Session, errand: Errand, decision: Decision | None, on: dt.date) -> Document:
    """The supplement agreement for the year, to be signed by both parties."""
    assert decision is not None  # produced at expediering, after the decision
    parent = session.get(Errand, errand.parent_id)
    assert parent is not None
    agreement = agreement_of(session, parent)
    parent_decision = decision_of(session, parent.id)
    context = parties_context(errand, agreement) | {
        "agreement_dnr": parent.dnr,
        "agreement_decision": (
            f"{parent_decision.meeting.held_on} § {parent_decision.paragraph}" if parent_decision else ""
        ),
        "amount": number(errand.details["amount"]),
        "year": errand.details["year"],
        "service": errand.details.get("service") or "",
        "invoiced_by": errand.details.get("invoiced_by") or agreement.partner_name,
        "decision": f"{decision.meeting.held_on} § {decision.paragraph}",
    }
    return signed_by_both(session, errand, "iop_tillagg", context, on)


SUPPLEMENT = ErrandType(
    name=SUPPLEMENT_TYPE,
    label_sv="Tillägg till IOP",
    check_report=check_supplement,
    start_model=SupplementStart,
    register=start_supplement,
    outgoing_documents=(supplement_document,),
)
