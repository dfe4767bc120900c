"""The audit-reply errand type: the auditors' report with its recommendations and a
reply deadline; the committee's reply answers every recommendation addressed to it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import Field, field_validator
from sqlalchemy.orm import Session

from arende.commands.fields import Form
from arende.errors import InvalidInput
from arende.rules.procedure import AppealRoute
from arende.rules.workflow import Direction
from arende.services.common import get_organ
from arende.services.documents import produce, reply_context
from arende.services.incoming import IncomingStart, register_incoming
from arende.services.reference import OrganChoice, organ_choices
from arende.services.types import ErrandType, ReportInput, ReportPart
from arende.swedish import genitive
from db.models import Decision, Document, Errand, Report

ERRAND_TYPE = "audit-reply"


class Recommendation(Form):
    text: str = Field(title="Text", min_length=3, max_length=5000, description="Rekommendationens text")
    addressed_to: list[Annotated[str, Field(max_length=10)]] = Field(
        title="Riktas till", min_length=1, max_length=50, description="Organ som rekommendationen riktas till (prefix)"
    )

    @field_validator("addressed_to")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        return [v.strip().upper() for v in value if v.strip()]


class AuditStart(IncomingStart):
    """Registrering av inkommen revisionsrapport med begäran om svar."""

    verb: ClassVar[tuple[str, ...]] = ("audit", "start")

    recommendations: list[Recommendation] = Field(
        title="Rekommendationer",
        json_schema_extra={"cli_name": "recommendation"},
        min_length=1,
        max_length=100,
        description="Revisionens rekommendationer",
    )
    sender: OrganChoice = Field(
        title="Avsändare",
        max_length=10,
        json_schema_extra=organ_choices,
        default="REV",
        description="Revisionen (registerprefix)",
    )

    @field_validator("recommendations", mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        """The command line gives each as 'KS,ALN: text'; a form as a structure."""
        if isinstance(value, list):
            return [_recommendation_from_text(v) if isinstance(v, str) else v for v in value]
        return value


def _recommendation_from_text(text: str) -> dict[str, Any]:
    if ":" not in text:
        raise ValueError(f"{text[:40]!r}: write it as 'ORGAN[,ORGAN]: text', e.g. 'ALN: Följ upp ...'")
    codes, body = text.split(":", 1)
    return {"addressed_to": [c for c in codes.split(",") if c.strip()], "text": body.strip()}


def start_audit(
    session: Session, start: AuditStart, *, registered_on: dt.date, who: str | None = None
) -> tuple[Errand, bool]:
    for i, rec in enumerate(start.recommendations, start=1):
        for code in rec.addressed_to:
            get_organ(session, code, field=f"recommendations[{i}].addressed_to")
    recommendations = [
        {"number": i, "text": r.text, "addressed_to": r.addressed_to}
        for i, r in enumerate(start.recommendations, start=1)
    ]
    return register_incoming(
        session,
        start,
        errand_type=ERRAND_TYPE,
        description=f"Revisionsrapport: {start.title}",
        reply_label="Revisionssvar",
        details={"recommendations": recommendations},
        registered_on=registered_on,
        who=who,
    )


def _ours(errand: Errand) -> list[dict[str, Any]]:
    return [r for r in errand.details["recommendations"] if errand.organ.code in r["addressed_to"]]


def check_report(session: Session, errand: Errand, given: ReportInput) -> ReportPart:
    """Every recommendation addressed to the committee gets an answer; others may."""
    responses = {int(k): v.strip() for k, v in (given.responses or {}).items() if v and v.strip()}
    numbers = {r["number"] for r in errand.details["recommendations"]}
    unknown = sorted(set(responses) - numbers)
    if unknown:
        raise InvalidInput(
            "responses",
            f"the report has no recommendation {unknown[0]} (it has 1-{max(numbers)})",
            sv=f"rapporten har ingen rekommendation {unknown[0]} (den har 1-{max(numbers)})",
        )
    for rec in _ours(errand):
        if rec["number"] not in responses:
            raise InvalidInput(
                "responses",
                f"recommendation {rec['number']} is addressed to {errand.organ.name} and has no answer",
                sv=f"rekommendation {rec['number']} riktas till {errand.organ.name} och saknar svar",
            )
    decision = f"{errand.organ.name} godkänner upprättat svar och översänder detsamma till {errand.counterpart}."
    return ReportPart(
        details={"responses": {str(k): v for k, v in sorted(responses.items())}}, default_decision=decision
    )


def reply_document(session: Session, errand: Errand, decision: Decision | None, sent_on: dt.date) -> Document:
    report = session.get(Report, errand.id)
    assert report is not None and decision is not None
    responses = report.details.get("responses", {})
    names: dict[str, str] = {}
    recommendations = []
    for rec in errand.details["recommendations"]:
        answer = responses.get(str(rec["number"]))
        if answer is None and errand.organ.code not in rec["addressed_to"]:
            continue  # addressed to others and not commented on
        to = ", ".join(names.setdefault(c, get_organ(session, c).name) for c in rec["addressed_to"])
        recommendations.append({"number": rec["number"], "text": rec["text"], "addressed_to": to, "response": answer})
    context = reply_context(session, errand, report, decision) | {
        "recommendations": recommendations,
        "organ_genitive": genitive(errand.organ.name),
    }
    doc, _ = produce(
        session,
        errand,
        "revisionssvar",
        context,
        direction=Direction.OUTGOING,
        counterpart=errand.counterpart or "",
        registered_on=sent_on,
        who="flow",
    )
    return doc


TYPE = ErrandType(
    name=ERRAND_TYPE,
    appeal=AppealRoute.NONE,  # a yttrande prepares another organ's decision (KL 13:2)
    label_sv="Svar på revisionsrapport",
    check_report=check_report,
    outgoing_documents=(reply_document,),
    start_model=AuditStart,
    register=start_audit,
)
