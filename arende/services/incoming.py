"""Incoming requests with a reply deadline: a remiss, an audit report asking for a
reply. They register the same way; the types differ in data and documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.commands.fields import MAX_RECIPIENTS, Form, Name, rule, validate
from arende.errors import InvalidInput
from arende.rules.clock import Fact
from arende.rules.dnr import external_ref_key
from arende.rules.workflow import Direction, ErrandStatus, Step
from arende.services.common import (
    audit,
    check_classification,
    complete_step,
    get_organ,
    keep_to_clock,
    organ_email,
    set_deadline,
)
from arende.services.diary import allocate_number, register_document
from arende.services.reference import OrganChoice, organ_choices, organ_examples
from db.models import Errand, Organ, Recipient

M = TypeVar("M", bound=BaseModel)


class IncomingStart(Form):
    """What every incoming request carries. No personal data: safe as a flow parameter."""

    organ: OrganChoice = Field(
        title="Nämnd", max_length=10, json_schema_extra=organ_choices, description="Nämndens registerprefix, t.ex. ALN"
    )
    sender: str = Field(
        title="Avsändare",
        min_length=2,
        max_length=300,
        json_schema_extra=organ_examples,
        description="Avsändande organ (registerprefix, t.ex. KS) eller avsändarens namn, "
        "t.ex. Länsstyrelsen i Västra Götalands län",
    )
    sender_dnr: str = Field(
        title="Avsändarens diarienummer",
        max_length=100,
        description="Avsändarens diarienummer, ordagrant, t.ex. KS 2021-00907",
    )
    title: str = Field(title="Ärendemening", min_length=3, max_length=500, description="Ärendemening")
    received_on: dt.date = Field(
        title="Inkom", json_schema_extra={"cli_name": "received"}, description="Datum då handlingen kom in"
    )
    reply_due: dt.date = Field(title="Svar senast", description="Sista dag för svar")
    registered_on: dt.date | None = Field(
        title="Registreringsdatum",
        json_schema_extra={"cli_name": "registered"},
        default=None,
        description="Registreringsdatum (standard: i dag)",
    )
    recipients: list[Name] = Field(
        title="Expedieras till",
        json_schema_extra={"cli_name": "recipient"},
        default_factory=list,
        max_length=MAX_RECIPIENTS,
        description="Beslutet expedieras till (standard: avsändaren)",
    )
    classification: str | None = Field(
        title="Klassificeringskod", default=None, max_length=40, description="Klassificeringskod, t.ex. 1.1.7.1"
    )
    significant_change: bool = Field(
        title="Väsentlig förändring (MBL §11)",
        default=False,
        description="Väsentlig förändring (MBL §11): beslut kräver FSG eller synnerliga skäl",
    )

    @field_validator("title", "sender_dnr")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise rule("must not be empty", "får inte vara tomt")
        return " ".join(value.split())

    @field_validator("sender_dnr")
    @classmethod
    def _recognisable(cls, value: str) -> str:
        external_ref_key(value)
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> IncomingStart:
        if self.reply_due < self.received_on:
            raise rule(
                "reply_due: the reply deadline is before the received date",
                "reply_due: sista svarsdag ligger före dagen då handlingen kom in",
            )
        if self.registered_on is not None and self.registered_on < self.received_on:
            raise rule(
                "registered_on: a document cannot be registered before it was received",
                "registered_on: en handling kan inte registreras innan den kommit in",
            )
        return self


@dataclass(frozen=True)
class Sender:
    name: str
    organ: Organ | None  # one of ours (its address is known), or an outside sender


def sender_of(session: Session, text: str) -> Sender:
    """The sender: an organ's code (KS) is that organ; a name (Länsstyrelsen i Västra
    Götalands län) is an outside sender, registered as the counterpart as written. A lone
    word that is no organ's code is refused: it is a typed code, not a name."""
    text = " ".join(text.split())
    if " " not in text and len(text) <= 10:
        organ = get_organ(session, text, field="sender")
        return Sender(organ.name, organ)
    return Sender(text, None)


def parse_model(model: type[M], data: dict[str, Any]) -> M:
    """Validate raw input into a model, as a typed error naming the field."""
    return validate(model, data)


def register_incoming(
    session: Session,
    start: IncomingStart,
    *,
    errand_type: str,
    description: str,
    reply_label: str,
    details: dict[str, Any],
    registered_on: dt.date,
    who: str | None = None,
) -> tuple[Errand, bool]:
    """Register the request as an errand. Returns (errand, created).

    Registering the same request again (same organ, type and sender's Dnr) returns the
    first errand: a retried command or flow never allocates a second number.
    """
    organ = get_organ(session, start.organ, lock=True)
    sender = sender_of(session, start.sender)
    key = external_ref_key(start.sender_dnr)
    existing = session.scalar(
        select(Errand).where(
            Errand.organ_id == organ.id, Errand.errand_type == errand_type, Errand.external_ref_key == key
        )
    )
    if existing is not None:
        return existing, False
    check_classification(session, start.classification)
    keep_to_clock(Fact.RECEIVED, start.received_on, field="received_on")
    if registered_on < start.received_on:
        raise InvalidInput(
            "registered_on",
            "a document cannot be registered before it was received",
            sv="en handling kan inte registreras innan den kommit in",
        )
    keep_to_clock(Fact.REGISTERED, registered_on, field="registered_on")

    errand = Errand(
        organ_id=organ.id,
        errand_type=errand_type,
        prefix=organ.code,
        year=registered_on.year,
        seq=allocate_number(session, organ.code, registered_on.year),
        classification_code=start.classification,
        title=start.title,
        status=ErrandStatus.REGISTERED.value,
        registered_on=registered_on,
        fsg_required=start.significant_change,
        counterpart=sender.name,
        external_ref=start.sender_dnr.strip(),
        external_ref_key=key,
        received_on=start.received_on,
        reply_due=start.reply_due,
        details=details,
    )
    errand.organ = organ
    session.add(errand)
    session.flush()
    audit(
        session,
        "errand.registered",
        errand_id=errand.id,
        after={"dnr": errand.dnr, "type": errand_type, "sender_dnr": errand.external_ref, "reply_due": start.reply_due},
        who=who,
    )
    for position, name in enumerate(start.recipients or [sender.name], start=1):
        session.add(
            Recipient(errand_id=errand.id, position=position, name=name.strip(), email=organ_email(session, name))
        )
    register_document(
        session,
        errand,
        registered_on=registered_on,
        direction=Direction.INCOMING,
        counterpart=sender.name,
        description=f"{description} ({errand.external_ref})",
        kind=errand_type,
        who=who,
    )
    complete_step(session, errand, Step.REGISTER, done_on=registered_on, who=who or "flow")
    set_deadline(session, errand.id, Step.EXPEDIERING, "reply", f"{reply_label} till {sender.name}", start.reply_due)
    return errand, True
