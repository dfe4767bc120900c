"""The remiss errand type: an incoming consultation from another organ that the
committee answers with a stance (tillstyrker, avstyrker, avstår) by a deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.dnr import external_ref_key
from arende.errors import InvalidInput
from arende.services.common import (
    audit,
    check_classification,
    complete_step,
    get_organ,
    organ_email,
    set_deadline,
)
from arende.services.diary import allocate_number, register_document
from arende.services.documents import produce, reply_context
from arende.services.types import ErrandType, ReportInput, ReportPart
from arende.workflow import Direction, ErrandStatus, Stance, Step
from db.models import Decision, Document, Errand, Recipient, Report

ERRAND_TYPE = "remiss"


class RemissStart(BaseModel):
    """Registrering av inkommen remiss. Contains no personal data: safe as a flow parameter."""

    organ: str = Field(description="Nämndens registerprefix, t.ex. ALN")
    sender: str = Field(description="Avsändande organ (registerprefix), t.ex. KS")
    sender_dnr: str = Field(description="Avsändarens diarienummer, ordagrant, t.ex. KS 2021-00907")
    title: str = Field(min_length=3, max_length=500, description="Ärendemening")
    received_on: dt.date = Field(description="Datum då remissen kom in")
    reply_due: dt.date = Field(description="Sista dag för remissvar")
    registered_on: dt.date | None = Field(default=None, description="Registreringsdatum (standard: i dag)")
    consultees: list[str] = Field(default_factory=list, description="Remissinstanser enligt missivet")
    recipients: list[str] = Field(default_factory=list, description="Beslutet expedieras till (standard: avsändaren)")
    classification: str | None = Field(default=None, description="Klassificeringskod, t.ex. 1.1.7.1")
    significant_change: bool = Field(
        default=False, description="Väsentlig förändring (MBL §11): beslut kräver FSG eller synnerliga skäl"
    )

    @field_validator("title", "sender_dnr")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return " ".join(value.split())

    @field_validator("sender_dnr")
    @classmethod
    def _recognisable(cls, value: str) -> str:
        external_ref_key(value)
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> "RemissStart":
        if self.reply_due < self.received_on:
            raise ValueError("reply_due: the reply deadline is before the received date")
        if self.registered_on is not None and self.registered_on < self.received_on:
            raise ValueError("registered_on: a document cannot be registered before it was received")
        return self


def parse_start(data: dict[str, Any]) -> RemissStart:
    """Validate raw input into a RemissStart, as a typed error naming the field."""
    try:
        return RemissStart.model_validate(data)
    except ValidationError as exc:
        raise invalid_from_pydantic(exc) from None


def invalid_from_pydantic(exc: ValidationError) -> InvalidInput:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "input"
    message = first["msg"].removeprefix("Value error, ")
    if ": " in message and not first["loc"]:
        field, message = message.split(": ", 1)
    return InvalidInput(field, message)


def start_remiss(session: Session, start: RemissStart, *, registered_on: dt.date, who: str | None = None) -> tuple[Errand, bool]:
    """Register an incoming remiss as an errand. Returns (errand, created).

    Registering the same remiss again (same organ and sender's Dnr) returns the first
    errand: a retried command or flow never allocates a second number.
    """
    organ = get_organ(session, start.organ)
    sender = get_organ(session, start.sender, field="sender")
    key = external_ref_key(start.sender_dnr)
    existing = session.scalar(
        select(Errand).where(Errand.organ_id == organ.id, Errand.errand_type == ERRAND_TYPE, Errand.external_ref_key == key)
    )
    if existing is not None:
        return existing, False
    check_classification(session, start.classification)
    if registered_on < start.received_on:
        raise InvalidInput("registered_on", "a document cannot be registered before it was received")

    year = registered_on.year
    errand = Errand(
        organ_id=organ.id,
        errand_type=ERRAND_TYPE,
        prefix=organ.code,
        year=year,
        seq=allocate_number(session, organ.code, year),
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
        details={"consultees": start.consultees},
    )
    errand.organ = organ
    session.add(errand)
    session.flush()
    audit(session, "errand.registered", errand_id=errand.id, after={"dnr": errand.dnr, "type": ERRAND_TYPE,
          "sender_dnr": errand.external_ref, "reply_due": start.reply_due}, who=who)

    for position, name in enumerate(start.recipients or [sender.name], start=1):
        session.add(Recipient(errand_id=errand.id, position=position, name=name.strip(),
                              email=organ_email(session, name)))
    register_document(
        session, errand, registered_on=registered_on, direction=Direction.INCOMING, counterpart=sender.name,
        description=f"Remiss: {start.title} ({start.sender_dnr.strip()})", kind="remiss", who=who,
    )
    complete_step(session, errand, Step.REGISTER, done_on=registered_on, who=who or "flow")
    set_deadline(session, errand.id, Step.EXPEDIERING, "reply", f"Remissvar till {sender.name}", start.reply_due)
    return errand, True



def check_report(session: Session, errand: Errand, given: ReportInput) -> ReportPart:
    """The sender's instruction: every reply carries a clear stance."""
    if given.stance is None:
        raise InvalidInput("stance", "a remiss reply needs a stance: tillstyrker, avstyrker or avstår")
    try:
        stance = Stance(given.stance.strip().lower()).value
    except ValueError:
        raise InvalidInput("stance", f"{given.stance!r} is not one of tillstyrker, avstyrker, avstår") from None
    return ReportPart(stance=stance, default_decision=f"{errand.organ.name} {stance} remiss om {errand.title}.")


def reply_document(session: Session, errand: Errand, decision: Decision | None, sent_on: dt.date) -> Document:
    """The yttrande to the sender, quoting both diary numbers."""
    report = session.get(Report, errand.id)
    assert report is not None and decision is not None
    doc, _ = produce(session, errand, "remissvar", reply_context(session, errand, report, decision),
                     direction=Direction.OUTGOING, counterpart=errand.counterpart or "", registered_on=sent_on,
                     who="flow")
    return doc


TYPE = ErrandType(name=ERRAND_TYPE, label_sv="Remiss", check_report=check_report,
                  outgoing_documents=(reply_document,))
