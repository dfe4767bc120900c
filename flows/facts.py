"""Small flows for the facts people record, so the Prefect UI gives each a form. The
form is the command vocabulary's model (arende.commands.vocabulary): the same fields,
titles and closed sets as the CLI, and "utförd av", the person named in the audit trail.
The fact and its pending advance are committed first, then the errands it concerns move
on in this run. A mistake ends the run Failed with one Swedish line (flows/forms.py)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from arende.commands.fields import Command
from arende.commands.handlers import HANDLERS
from arende.commands.vocabulary import (
    Anslag,
    Assign,
    Decide,
    DocumentAdd,
    Draft,
    IopEvaluate,
    IopNotice,
    Justera,
    RecordFsg,
)
from arende.errors import ArendeError
from arende.services.advance import request_advance
from arende.services.common import acting_as
from db.session import session_scope
from flows.chain import advance_chain
from flows.forms import Performer, read_form, read_performer, refused


@task(name="record-fact", cache_policy=NO_CACHE)
def record(fact: Command, performed_by: str) -> list[int] | ArendeError:
    """The fact and its pending advance in one transaction, in the person's name; a
    refusal (the § taken, the meeting unknown...) is returned, with nothing written."""
    try:
        with acting_as(performed_by), session_scope() as session:
            ids = HANDLERS[type(fact)](session, fact)
            request_advance(session, ids, " ".join(fact.verb))
            return ids
    except ArendeError as exc:
        return exc


def _record_and_advance(model: type[Command], fact: Any, utförd_av: Any) -> Any:
    try:
        command = read_form(model, fact, "fact")
        person = read_performer(utförd_av)
    except ArendeError as exc:
        return refused(exc, model)
    ids = record(command, person)
    if isinstance(ids, ArendeError):
        return refused(ids, model)
    return [advance_chain(errand_id) for errand_id in ids]


@flow(name="record-assign", validate_parameters=False)
def record_assign(fact: Assign, utförd_av: Performer) -> Any:
    """Utse handläggare för ett ärende.

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(Assign, fact, utförd_av)


@flow(name="record-draft", validate_parameters=False)
def record_draft(fact: Draft, utförd_av: Performer) -> Any:
    """Registrera (eller revidera) tjänsteskrivelsen med förslag till beslut.

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(Draft, fact, utförd_av)


@flow(name="record-fsg", validate_parameters=False)
def record_fsg(fact: RecordFsg, utförd_av: Performer) -> Any:
    """Registrera att ärendet behandlats i FSG.

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(RecordFsg, fact, utförd_av)


@flow(name="record-decision", validate_parameters=False)
def record_decision(fact: Decide, utförd_av: Performer) -> Any:
    """Registrera nämndens beslut som paragraf.

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(Decide, fact, utförd_av)


@flow(name="record-justering", validate_parameters=False)
def record_justering(fact: Justera, utförd_av: Performer) -> Any:
    """Registrera justering av protokollet; alla sammanträdets ärenden går vidare.

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(Justera, fact, utförd_av)


@flow(name="record-anslag", validate_parameters=False)
def record_anslag(fact: Anslag, utförd_av: Performer) -> Any:
    """Registrera anslag om justering; överklagandetiden börjar.

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(Anslag, fact, utförd_av)


@flow(name="record-iop-notice", validate_parameters=False)
def record_iop_notice(fact: IopNotice, utförd_av: Performer) -> Any:
    """Registrera uppsägning av en IOP-överenskommelse.

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(IopNotice, fact, utförd_av)


@flow(name="record-iop-evaluation", validate_parameters=False)
def record_iop_evaluation(fact: IopEvaluate, utförd_av: Performer) -> Any:
    """Registrera att en IOP-överenskommelse utvärderats inför förlängningen.

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(IopEvaluate, fact, utförd_av)


@flow(name="record-document", validate_parameters=False)
def record_document(fact: DocumentAdd, utförd_av: Performer) -> Any:
    """Diarieför en handling i ärendet (inkommen, upprättad eller utgående).

    Args:
        fact: Uppgifterna, som på kommandoraden
        utförd_av: Ditt namn: står som utförare i ärendets logg
    """
    return _record_and_advance(DocumentAdd, fact, utförd_av)


FACT_FLOWS = (
    record_assign,
    record_draft,
    record_fsg,
    record_decision,
    record_justering,
    record_anslag,
    record_iop_notice,
    record_iop_evaluation,
    record_document,
)
