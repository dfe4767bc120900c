"""The IOP agreement's documents: the parties as they are named, and the agreement (and
its supplements) drawn up for both parties to sign."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from arende.documents import paragraphs
from arende.rules.agreements import notice_last_day
from arende.rules.workflow import Direction
from arende.services.documents import common_context, produce
from arende.services.iop import TERM_SECTIONS, _supplements, agreement_of
from arende.settings import get_settings
from arende.swedish import long_date, number
from db.models import Agreement, Decision, Document, Errand


def parties_context(errand: Errand, agreement: Agreement) -> dict[str, Any]:
    """The parties as the agreement and its supplements name them: the municipality is the
    legal person and the committee acts for it ("Borås Stad genom Arbetslivsnämnden"); a
    förvaltning is not a party. Each with its address, the partner with its org.nr."""
    organ = errand.organ
    ours = ", ".join(
        part
        for part in (
            f"postadress {organ.postal_address}" if organ.postal_address else "",
            f"besöksadress {organ.visiting_address}" if organ.visiting_address else "",
        )
        if part
    )
    municipality = get_settings().municipality
    return common_context(errand) | {
        "number": agreement.number,
        "municipality": municipality,
        "our_party": f"{municipality} genom {organ.name}",
        "our_party_line": f"{municipality} genom {organ.name}" + (f", {ours}" if ours else ""),
        "partner_line": ", ".join(
            part
            for part in (
                agreement.partner_name,
                agreement.partner_address or "",
                f"organisationsnummer {agreement.partner_orgnr}",
            )
            if part
        ),
        "partner_name": agreement.partner_name,
        "partner_orgnr": agreement.partner_orgnr,
        "yearly_amount": number(agreement.yearly_amount),
        "organ_name_lower": errand.organ.name[0].lower() + errand.organ.name[1:],
    }


def signed_by_both(session: Session, errand: Errand, kind: str, context: dict[str, Any], on: dt.date) -> Document:
    """An agreement document the office draws up for both parties to sign: the partner is
    its counterpart in the diarium."""
    doc, _ = produce(
        session,
        errand,
        kind,
        context,
        direction=Direction.DRAWN_UP,
        counterpart=str(context["partner_name"]),
        registered_on=on,
        who="flow",
    )
    return doc


def agreement_document(session: Session, errand: Errand, decision: Decision | None, on: dt.date) -> Document:
    agreement = agreement_of(session, errand)
    renewal = "ett år" if agreement.renewal_years == 1 else f"{agreement.renewal_years} år"
    notice = f"{agreement.notice_months} månader"
    context = parties_context(errand, agreement) | {
        "partner_contact": agreement.partner_contact,
        "our_contact": agreement.our_contact,
        "terms": {k: paragraphs(agreement.terms.get(k)) for k in TERM_SECTIONS},
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
    }
    return signed_by_both(session, errand, "iop_overenskommelse", context, on)
