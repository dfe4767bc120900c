"""Small flows for the facts people record, so the Prefect UI gives each a form. The
form is the command vocabulary's model (arende.commands.vocabulary): the same fields,
titles and closed sets as the CLI, and "utförd av", the person named in the audit trail.
The fact and its pending advance are committed first, then the errands it concerns move
on in this run. A mistake ends the run Failed with one Swedish line (flows/forms.py)."""

from __future__ import annotations

from typing import Any

from prefect import Flow, flow, task
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
from flows.forms import PERFORMED_BY, Performer, group, read_form, read_performer, refused


@task(name="record-fact", cache_policy=NO_CACHE)
def record(fact: Command, performed_by: str) -> list[int] | ArendeError:
    """The fact and its pending advance in one transaction, in the person's name; a
    refusal (the § taken, the meeting unknown...) is returned, with nothing written."""
    try:
        with acting_as(performed_by, via="prefect"), session_scope() as session:
            ids = HANDLERS[type(fact)](session, fact)
            request_advance(session, ids, " ".join(fact.verb))
            return ids
    except ArendeError as exc:
        return exc


def _record_and_advance(model: type[Command], fact: Any, utförd_av: Any) -> Any:
    try:
        command = read_form(model, fact, "fact")
        person = read_performer(utförd_av, " ".join(model.verb))
    except ArendeError as exc:
        return refused(exc, model)
    ids = record(command, person)
    if isinstance(ids, ArendeError):
        return refused(ids, model)
    return [advance_chain(errand_id) for errand_id in ids]


# The facts an administrator or a secretary records from a form, by the deployment's
# name after "record-". The flows are made here, named and typed as if written out (the
# entrypoint `flows/facts.py:record_assign` is what Prefect stores); their description is
# the model's, as on the command line.
FORMS: dict[str, type[Command]] = {
    "assign": Assign,
    "draft": Draft,
    "fsg": RecordFsg,
    "decision": Decide,
    "justering": Justera,
    "anslag": Anslag,
    "iop-notice": IopNotice,
    "iop-evaluation": IopEvaluate,
    "document": DocumentAdd,
}


def _fact_flow(name: str, model: type[Command]) -> Flow[..., Any]:
    def record_fact(
        fact: Any = group(model.title_sv, "Uppgifterna, som på kommandoraden"), utförd_av: str = PERFORMED_BY
    ) -> Any:
        return _record_and_advance(model, fact, utförd_av)

    record_fact.__name__ = record_fact.__qualname__ = "record_" + name.replace("-", "_")
    record_fact.__annotations__ = {"fact": model, "utförd_av": Performer, "return": Any}
    summary = (model.__doc__ or model.title_sv).strip()
    record_fact.__doc__ = summary
    return flow(name=f"record-{name}", validate_parameters=False)(record_fact)


FACT_FLOWS: tuple[Flow[..., Any], ...] = tuple(_fact_flow(name, model) for name, model in FORMS.items())
globals().update({f.fn.__name__: f for f in FACT_FLOWS})

# Named again for imports and mypy; the line above is what defines them.
record_assign: Flow[..., Any] = FACT_FLOWS[0]
record_fsg: Flow[..., Any] = FACT_FLOWS[2]
record_decision: Flow[..., Any] = FACT_FLOWS[3]
