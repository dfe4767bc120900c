"""Small flows for the facts people record, so the Prefect UI gives each a form. The
form is the command vocabulary's model (arende.commands.vocabulary): the same fields,
titles and closed sets as the CLI. The fact and its pending advance are committed
first, then the errands it concerns move on in this run."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from arende.commands.fields import Command
from arende.commands.handlers import HANDLERS
from arende.commands.vocabulary import Anslag, Assign, Decide, Draft, IopNotice, Justera, RecordFsg
from arende.services.advance import request_advance
from db.session import session_scope
from flows.chain import advance_chain


@task(name="record-fact", cache_policy=NO_CACHE)
def record(fact: Command) -> list[int]:
    with session_scope() as session:
        ids = HANDLERS[type(fact)](session, fact)
        request_advance(session, ids, " ".join(fact.verb))
        return ids


def _record_and_advance(fact: Command) -> list[dict[str, object]]:
    return [advance_chain(errand_id) for errand_id in record(fact)]


@flow(name="record-assign")
def record_assign(fact: Assign) -> list[dict[str, object]]:
    """Utse handläggare för ett ärende."""
    return _record_and_advance(fact)


@flow(name="record-draft")
def record_draft(fact: Draft) -> list[dict[str, object]]:
    """Registrera (eller revidera) tjänsteskrivelsen med förslag till beslut."""
    return _record_and_advance(fact)


@flow(name="record-fsg")
def record_fsg(fact: RecordFsg) -> list[dict[str, object]]:
    """Registrera att ärendet behandlats i FSG."""
    return _record_and_advance(fact)


@flow(name="record-decision")
def record_decision(fact: Decide) -> list[dict[str, object]]:
    """Registrera nämndens beslut som paragraf."""
    return _record_and_advance(fact)


@flow(name="record-justering")
def record_justering(fact: Justera) -> list[dict[str, object]]:
    """Registrera justering av protokollet; alla sammanträdets ärenden går vidare."""
    return _record_and_advance(fact)


@flow(name="record-anslag")
def record_anslag(fact: Anslag) -> list[dict[str, object]]:
    """Registrera anslag om justering; överklagandetiden börjar."""
    return _record_and_advance(fact)


@flow(name="record-iop-notice")
def record_iop_notice(fact: IopNotice) -> list[dict[str, object]]:
    """Registrera uppsägning av en IOP-överenskommelse."""
    return _record_and_advance(fact)


FACT_FLOWS = (
    record_assign,
    record_draft,
    record_fsg,
    record_decision,
    record_justering,
    record_anslag,
    record_iop_notice,
)
