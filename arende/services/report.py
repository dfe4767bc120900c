"""A report the committee decides on, with no rules of its own: a follow-up of the
internal control plan, a complaints report. Often linked to a main errand."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field, field_validator
from sqlalchemy.orm import Session

from arende.commands.fields import MAX_RECIPIENTS, Form, Name, rule
from arende.services.internal import register_internal
from arende.services.reference import OrganChoice, organ_choices
from arende.services.types import ErrandType
from db.models import Errand

ERRAND_TYPE = "report"


class ReportStart(Form):
    """Start av ärende för beslut, t.ex. en uppföljning."""

    verb: ClassVar[tuple[str, ...]] = ("report", "start")

    organ: OrganChoice = Field(
        title="Nämnd", max_length=10, json_schema_extra=organ_choices, description="Nämndens registerprefix, t.ex. ALN"
    )
    title: str = Field(title="Ärendemening", min_length=3, max_length=500, description="Ärendemening")
    parent: str | None = Field(
        title="Huvudärende", default=None, max_length=60, description="Huvudärendets Dnr, t.ex. årsredovisningen"
    )
    recipients: list[Name] = Field(
        title="Expedieras till",
        json_schema_extra={"cli_name": "recipient"},
        default_factory=list,
        max_length=MAX_RECIPIENTS,
        description="Beslutet expedieras till",
    )
    registered_on: dt.date | None = Field(
        title="Registreringsdatum",
        json_schema_extra={"cli_name": "registered"},
        default=None,
        description="Registreringsdatum (standard: i dag)",
    )
    classification: str | None = Field(
        title="Klassificeringskod", default=None, max_length=40, description="Klassificeringskod"
    )

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise rule("must not be empty", "får inte vara tomt")
        return " ".join(value.split())


def start(
    session: Session, data: ReportStart, *, registered_on: dt.date, who: str | None = None
) -> tuple[Errand, bool]:
    # A title is unique per organ and year: "Uppföljning internkontrollplan 2021".
    return register_internal(
        session,
        organ_code=data.organ,
        errand_type=ERRAND_TYPE,
        title=data.title,
        key=f"{registered_on.year} {data.title}",
        registered_on=registered_on,
        recipients=data.recipients,
        classification=data.classification,
        parent_dnr=data.parent,
        who=who,
    )


TYPE = ErrandType(name=ERRAND_TYPE, label_sv="Ärende för beslut", start_model=ReportStart, register=start)
