"""The annual report: the committee approves its report for a year and sends it to
Kommunstyrelsen by the date the budget calendar sets. Follow-ups decided at the same
meeting are errands of their own, linked to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from pydantic import Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.commands.fields import Form, rule
from arende.documents import paragraphs
from arende.errors import Conflict, InvalidInput
from arende.rules.workflow import Direction
from arende.services.common import audit, decision_of, get_errand
from arende.services.documents import common_context, decision_context, draw_up, produce
from arende.services.incoming import parse_model
from arende.services.internal import register_internal
from arende.services.reference import OrganChoice, organ_choices, read_toml
from arende.services.types import ErrandType, ReportInput, ReportPart
from arende.settings import get_settings
from arende.swedish import genitive, long_date, number
from db.models import Decision, Document, Errand, Report

ERRAND_TYPE = "annual-report"


class AnnualReportStart(Form):
    """Start av årsredovisningsärende för en nämnd och ett år."""

    verb: ClassVar[tuple[str, ...]] = ("annual-report", "start")

    organ: OrganChoice = Field(
        title="Nämnd", max_length=10, json_schema_extra=organ_choices, description="Nämndens registerprefix, t.ex. ALN"
    )
    year: int = Field(title="År", ge=2000, le=2100, description="Verksamhetsår, t.ex. 2021")
    registered_on: dt.date | None = Field(
        title="Registreringsdatum",
        json_schema_extra={"cli_name": "registered"},
        default=None,
        description="Registreringsdatum (standard: i dag)",
    )
    classification: str | None = Field(
        title="Klassificeringskod", default="1.2.4.1", max_length=40, description="Klassificeringskod"
    )

    @model_validator(mode="after")
    def _after_the_year(self) -> AnnualReportStart:
        if self.registered_on is not None and self.registered_on.year <= self.year - 1:
            raise rule(
                "registered_on: an annual report is opened in or after its year",
                "registered_on: ett årsredovisningsärende öppnas under eller efter sitt år",
            )
        return self


class Section(Form):
    """A numbered part of the report's text: 1 Inledning, 2 Viktiga händelser under året…"""

    heading: str = Field(min_length=2, max_length=200, description="Rubrik")
    text: str = Field(min_length=1, max_length=20_000, description="Text; stycken skiljs av en tom rad")


class Measure(Form):
    name: str = Field(min_length=2, max_length=300)
    earlier: dict[int, float] = Field(default_factory=dict, description="Utfall tidigare år")
    budget: float | None = None
    outcome: float


class Figures(Form):
    """The year's figures, in tkr where money."""

    grant_tkr: int = Field(description="Kommunbidrag, tkr")
    result_tkr: int = Field(description="Resultat, tkr (negativt = underskott)")
    measures: list[Measure] = Field(default_factory=list, max_length=200)
    sections: list[Section] = Field(default_factory=list, max_length=50, description="Årsredovisningens delar")


def due_date(year: int, path: Path | None = None) -> dt.date:
    path = path or get_settings().budget_calendar_file
    for row in read_toml(path).get("year", []):
        if row.get("year") == year and isinstance(row.get("annual_report_due"), dt.date):
            return row["annual_report_due"]
    raise InvalidInput(
        "year",
        f"the budget calendar {path.name} has no annual report date for {year}",
        sv=f"budgetkalendern {path.name} har inget datum för årsredovisningen {year}",
    )


def start(
    session: Session, data: AnnualReportStart, *, registered_on: dt.date, who: str | None = None
) -> tuple[Errand, bool]:
    due = due_date(data.year)
    if registered_on.year < data.year:
        raise InvalidInput(
            "registered_on",
            "an annual report is opened in or after its year",
            sv="ett årsredovisningsärende öppnas under eller efter sitt år",
        )
    return register_internal(
        session,
        organ_code=data.organ,
        errand_type=ERRAND_TYPE,
        title=f"Årsredovisning {data.year}",
        key=f"ÅR {data.year}",
        registered_on=registered_on,
        recipients=["Kommunstyrelsen"],
        classification=data.classification,
        details={"year": data.year},
        counterpart="Kommunstyrelsen",
        deadline=("delivery", f"Årsredovisning {data.year} till Kommunstyrelsen", due),
        who=who,
    )


def read_figures(path: Path) -> Figures:
    """Figures from a TOML file: grant_tkr, result_tkr and [[measure]] rows."""
    raw = read_toml(path)
    rows = raw.get("measure", [])
    # The file's shape before its values: `measure = "x"` is a person's slip, not a crash.
    if not isinstance(rows, list) or not all(isinstance(m, dict) for m in rows):
        raise InvalidInput(
            "measure", "write each measure as a [[measure]] table", sv="skriv varje mått som [[measure]]"
        )
    for i, m in enumerate(rows, start=1):
        earlier = m.get("earlier", {})
        if not isinstance(earlier, dict) or not all(str(k).isdigit() for k in earlier):
            raise InvalidInput(f"measure[{i}].earlier", "write it as a table of years, e.g. earlier = { 2020 = 705 }")
    measures = [{**m, "earlier": {int(k): v for k, v in m.get("earlier", {}).items()}} for m in rows]
    sections = raw.get("section", [])
    if not isinstance(sections, list) or not all(isinstance(x, dict) for x in sections):
        raise InvalidInput(
            "section",
            "write each part as a [[section]] table with heading and text",
            sv="skriv varje del som [[section]]",
        )
    return parse_model(
        Figures,
        {
            "grant_tkr": raw.get("grant_tkr"),
            "result_tkr": raw.get("result_tkr"),
            "measures": measures,
            "sections": sections,
        },
    )


def record_figures(session: Session, dnr: str, figures: Figures) -> list[int]:
    errand = get_errand(session, dnr, lock=True)
    if errand.errand_type != ERRAND_TYPE:
        raise Conflict("dnr", f"{errand.dnr} is not an annual report")
    if decision_of(session, errand.id) is not None:
        raise Conflict("dnr", f"{errand.dnr} is already decided; its figures can no longer change")
    year = errand.details["year"]
    for i, m in enumerate(figures.measures, start=1):
        late = [y for y in m.earlier if y >= year]
        if late:
            raise InvalidInput(f"measure[{i}].earlier", f"{late[0]} is not an earlier year than {year}")
    before = errand.details.get("figures")
    errand.details = {**errand.details, "figures": figures.model_dump(mode="json")}
    audit(
        session,
        "fact.figures",
        errand_id=errand.id,
        before={"figures": before},
        after={"grant_tkr": figures.grant_tkr, "result_tkr": figures.result_tkr, "measures": len(figures.measures)},
    )
    return [errand.id]


def check_report(session: Session, errand: Errand, given: ReportInput) -> ReportPart:
    if "figures" not in errand.details:
        raise Conflict(
            "figures", f"record the year's figures first: arende annual-report figures {errand.dnr} --file ..."
        )
    year = errand.details["year"]
    return ReportPart(
        default_decision=(
            f"{errand.organ.name} godkänner upprättad årsredovisning för verksamhetsåret {year} "
            "och översänder densamma till Kommunstyrelsen."
        )
    )


def _result_text(result_tkr: int) -> str:
    if result_tkr < 0:
        return f"ett underskott med {number(-result_tkr)} tkr"
    if result_tkr > 0:
        return f"ett överskott med {number(result_tkr)} tkr"
    return "ett nollresultat"


def report_document(session: Session, errand: Errand, decision: Decision | None, on: dt.date) -> Document:
    """The annual report itself: result, grant and the table of measures."""
    year = errand.details["year"]
    figures = Figures.model_validate(errand.details["figures"])
    followups = session.scalars(select(Errand).where(Errand.parent_id == errand.id).order_by(Errand.seq))
    context = common_context(errand) | {
        "year": year,
        "year_1": year - 1,
        "year_2": year - 2,
        "result_text": _result_text(figures.result_tkr),
        "grant": number(figures.grant_tkr),
        "organ_genitive": genitive(errand.organ.name),
        "measures": [
            {
                "name": m.name,
                "year_2": number(m.earlier.get(year - 2)),
                "year_1": number(m.earlier.get(year - 1)),
                "budget": number(m.budget),
                "outcome": number(m.outcome),
            }
            for m in figures.measures
        ],
        "followups": [{"dnr": f.dnr, "title": f.title} for f in followups],
        "sections": [
            {"number": i, "heading": x.heading, "paragraphs": paragraphs(x.text)}
            for i, x in enumerate(figures.sections, start=1)
        ],
    }
    # The report sent to KS is the one the committee approved: dated as drafted, before
    # the meeting that decided on it (sent again, it is that same document).
    report = session.get(Report, errand.id)
    return draw_up(session, errand, "arsredovisning", context, report.drafted_on if report else on)


def letter_to_ks(session: Session, errand: Errand, decision: Decision | None, sent_on: dt.date) -> Document:
    assert decision is not None
    year = errand.details["year"]
    context = (
        common_context(errand)
        | decision_context(decision)
        | {
            "date_long": long_date(sent_on),
            "addressee": "Kommunstyrelsen",
            "what": f"{genitive(errand.organ.name)} årsredovisning för {year}",
            "decision_text": decision.text,
            "enclosures": [
                f"Årsredovisning {year}, {errand.organ.name}",
                f"Protokollsutdrag {decision.meeting.held_on} § {decision.paragraph}",
            ],
            "chair": decision.meeting.chair or errand.organ.chair or "",
        }
    )
    doc, _ = produce(
        session,
        errand,
        "missiv",
        context,
        direction=Direction.OUTGOING,
        counterpart="Kommunstyrelsen",
        registered_on=sent_on,
        who="flow",
    )
    return doc


TYPE = ErrandType(
    name=ERRAND_TYPE,
    label_sv="Årsredovisning",
    check_report=check_report,
    draft_documents=(report_document,),
    outgoing_documents=(letter_to_ks, report_document),
    start_model=AnnualReportStart,
    register=start,
)
