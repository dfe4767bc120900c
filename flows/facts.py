"""Small flows for the facts people record, so the Prefect UI gives each a form: the
fact is validated and committed first, then the errands it concerns move on."""

from __future__ import annotations

import datetime as dt

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, Field

from arende.services import facts as fact_services
from arende.services import iop
from db.session import session_scope
from flows.chain import advance_chain


class FsgFact(BaseModel):
    dnr: str = Field(description="Ärendets diarienummer, t.ex. ALN 2022-00014")
    held_on: dt.date = Field(description="Datum för FSG")
    kind: str = Field(default="information", description="information (MBL §19) eller negotiation (MBL §11)")
    note: str | None = Field(default=None, description="Anteckning från FSG")


class DecisionFact(BaseModel):
    dnr: str = Field(description="Ärendets diarienummer")
    meeting_on: dt.date = Field(description="Sammanträdesdatum")
    paragraph: int | None = Field(default=None, description="Paragrafnummer (tomt: nästa lediga)")
    outcome: str = Field(default="passed", description="passed, passed_after_vote, amended, rejected, noted, returned, tabled")
    text: str | None = Field(default=None, description="Beslutstext (tomt: förslaget till beslut)")
    synnerliga_skal: str | None = Field(default=None, description="Synnerliga skäl för beslut före FSG")


class JusteringFact(BaseModel):
    organ: str = Field(description="Registerprefix, t.ex. ALN")
    meeting_on: dt.date = Field(description="Sammanträdesdatum")
    justerad_on: dt.date = Field(description="Datum för justering")
    justerare: list[str] = Field(description="Justerare")
    chair: str | None = Field(default=None, description="Ordförande (tomt: organets ordförande)")


class AnslagFact(BaseModel):
    organ: str = Field(description="Registerprefix, t.ex. ALN")
    meeting_on: dt.date = Field(description="Sammanträdesdatum")
    posted_on: dt.date = Field(description="Datum då anslaget sattes upp")


class IopNoticeFact(BaseModel):
    dnr: str = Field(description="Överenskommelsens diarienummer")
    given_on: dt.date = Field(description="Datum för uppsägningen")
    by: str = Field(description="partner eller municipality")


@task(name="record-fact", cache_policy=NO_CACHE)
def record(kind: str, fact: BaseModel) -> list[int]:
    with session_scope() as session:
        if isinstance(fact, FsgFact):
            return fact_services.record_fsg(session, fact.dnr, held_on=fact.held_on, kind=fact.kind, note=fact.note)
        if isinstance(fact, DecisionFact):
            return fact_services.record_decision(session, fact.dnr, meeting_on=fact.meeting_on,
                                                 paragraph=fact.paragraph, outcome=fact.outcome, text=fact.text,
                                                 synnerliga_skal=fact.synnerliga_skal)
        if isinstance(fact, JusteringFact):
            return fact_services.record_justering(session, fact.organ, fact.meeting_on, justerad_on=fact.justerad_on,
                                                  chair=fact.chair, justerare=fact.justerare)
        if isinstance(fact, AnslagFact):
            return fact_services.record_anslag(session, fact.organ, fact.meeting_on, posted_on=fact.posted_on)
        if isinstance(fact, IopNoticeFact):
            return iop.give_notice(session, fact.dnr, given_on=fact.given_on, by=fact.by)
    raise TypeError(kind)


def _then_advance(ids: list[int]) -> list[dict[str, object]]:
    return [advance_chain(errand_id) for errand_id in ids]


@flow(name="record-fsg")
def record_fsg(fact: FsgFact) -> list[dict[str, object]]:
    """Registrera att ärendet behandlats i FSG."""
    return _then_advance(record("fsg", fact))


@flow(name="record-decision")
def record_decision(fact: DecisionFact) -> list[dict[str, object]]:
    """Registrera nämndens beslut som paragraf."""
    return _then_advance(record("decision", fact))


@flow(name="record-justering")
def record_justering(fact: JusteringFact) -> list[dict[str, object]]:
    """Registrera justering av protokollet; alla sammanträdets ärenden går vidare."""
    return _then_advance(record("justering", fact))


@flow(name="record-anslag")
def record_anslag(fact: AnslagFact) -> list[dict[str, object]]:
    """Registrera anslag om justering; överklagandetiden börjar."""
    return _then_advance(record("anslag", fact))


@flow(name="record-iop-notice")
def record_iop_notice(fact: IopNoticeFact) -> list[dict[str, object]]:
    """Registrera uppsägning av en IOP-överenskommelse."""
    return _then_advance(record("iop-notice", fact))
