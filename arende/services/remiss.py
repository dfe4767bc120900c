"""The remiss errand type: an incoming consultation from another organ that the
committee answers with a stance (tillstyrker, avstyrker, avstår) by a deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import Field
from sqlalchemy.orm import Session

from arende.commands.fields import Name
from arende.errors import InvalidInput
from arende.rules.procedure import AppealRoute
from arende.rules.workflow import Direction, Stance
from arende.services.documents import produce, reply_context
from arende.services.incoming import IncomingStart, parse_model, register_incoming
from arende.services.types import ErrandType, ReportInput, ReportPart
from db.models import Decision, Document, Errand, Report

ERRAND_TYPE = "remiss"


class RemissStart(IncomingStart):
    """Registrering av inkommen remiss."""

    verb: ClassVar[tuple[str, ...]] = ("remiss", "start")

    consultees: list[Name] = Field(
        title="Remissinstanser",
        json_schema_extra={"cli_name": "consultee"},
        default_factory=list,
        max_length=200,
        description="Remissinstanser enligt missivet",
    )


def parse_start(data: dict[str, Any]) -> RemissStart:
    return parse_model(RemissStart, data)


def start_remiss(
    session: Session, start: RemissStart, *, registered_on: dt.date, who: str | None = None
) -> tuple[Errand, bool]:
    return register_incoming(
        session,
        start,
        errand_type=ERRAND_TYPE,
        description=f"Remiss: {start.title}",
        reply_label="Remissvar",
        details={"consultees": start.consultees},
        registered_on=registered_on,
        who=who,
    )


def check_report(session: Session, errand: Errand, given: ReportInput) -> ReportPart:
    """The sender's instruction: every reply carries a clear stance."""
    if given.stance is None:
        raise InvalidInput(
            "stance",
            "a remiss reply needs a stance: tillstyrker, avstyrker or avstår",
            sv="ett remissvar behöver ett ställningstagande: tillstyrker, avstyrker eller avstår",
        )
    try:
        stance = Stance(given.stance.strip().lower()).value
    except ValueError:
        raise InvalidInput(
            "stance",
            f"{given.stance!r} is not one of tillstyrker, avstyrker, avstår",
            sv=f"{given.stance!r} är inte tillstyrker, avstyrker eller avstår",
        ) from None
    return ReportPart(stance=stance, default_decision=f"{errand.organ.name} {stance} remiss om {errand.title}.")


def reply_document(session: Session, errand: Errand, decision: Decision | None, sent_on: dt.date) -> Document:
    """The yttrande to the sender, quoting both diary numbers."""
    report = session.get(Report, errand.id)
    assert report is not None and decision is not None
    doc, _ = produce(
        session,
        errand,
        "remissvar",
        reply_context(session, errand, report, decision),
        direction=Direction.OUTGOING,
        counterpart=errand.counterpart or "",
        registered_on=sent_on,
        who="flow",
    )
    return doc


TYPE = ErrandType(
    name=ERRAND_TYPE,
    appeal=AppealRoute.NONE,  # a yttrande prepares another organ's decision (KL 13:2)
    summary_required=True,  # the sender compiles the replies' summaries
    label_sv="Remiss",
    check_report=check_report,
    outgoing_documents=(reply_document,),
    start_model=RemissStart,
    register=start_remiss,
)
