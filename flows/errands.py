"""One start flow per errand type, made from the catalogue of errand types
(arende.services.catalogue), and one flow that moves any existing errand on.

A start flow takes the type's start form (required; the Prefect UI shows its fields with
Swedish titles, in order, organs as a dropdown) and the person who fills it in, registers
the errand once (a retry finds it by its natural key), advances it as far as the recorded
facts allow, and ends. `advance-errand` takes a Dnr: the CLI creates its runs when a fact
is recorded with a Prefect server configured. Nothing waits inside a run.

The start flows are real functions of this module (`flows/errands.py:remiss` is the
entrypoint Prefect stores), typed with their start model, so the UI shows that form.
"""

from __future__ import annotations

from typing import Any

from prefect import Flow, flow

from arende.commands.fields import DnrText
from arende.errors import ArendeError
from arende.services.catalogue import TYPES
from arende.services.types import ErrandType
from flows.chain import advance_chain
from flows.forms import PERFORMED_BY, DnrForm, Performer, group, read_dnr, read_form, read_performer, refused
from tasks.registration import REGISTER


def function_name(errand_type: str) -> str:
    return errand_type.replace("-", "_")


def _start_flow(errand_type: ErrandType) -> Flow[..., Any]:
    start_model = errand_type.start_model
    assert start_model is not None

    def start_errand(
        start: Any = group(errand_type.label_sv, (start_model.__doc__ or "").strip()),
        utförd_av: str = PERFORMED_BY,
    ) -> Any:
        try:
            form = read_form(start_model, start, "start")
            person = read_performer(utförd_av, "start")
        except ArendeError as exc:
            return refused(exc, start_model)
        registration = REGISTER[errand_type.name](form, person)
        if registration.refusal is not None or registration.errand_id is None:
            assert registration.refusal is not None
            return refused(registration.refusal, start_model)
        return advance_chain(registration.errand_id)

    # Named and typed as if written out here: Prefect derives the entrypoint from the
    # module and qualified name, and the UI form from the annotations.
    name = function_name(errand_type.name)
    start_errand.__name__ = start_errand.__qualname__ = name
    start_errand.__annotations__ = {"start": start_model, "utförd_av": Performer, "return": dict[str, object]}
    start_errand.__doc__ = (
        f"{errand_type.label_sv}: registrera ett nytt ärende och för det så långt det går. "
        "Ett befintligt ärende förs framåt med advance-errand."
    )
    return flow(name=errand_type.name, validate_parameters=False)(start_errand)


@flow(name="advance-errand", validate_parameters=False)
def advance_errand(dnr: DnrText = group("Diarienummer", "Ärendets diarienummer, t.ex. ALN 2022-00001")) -> Any:
    """För ett befintligt ärende framåt så långt de registrerade uppgifterna räcker."""
    from arende.services.common import get_errand
    from db.session import session_scope

    try:
        with session_scope() as session:
            errand_id = get_errand(session, read_dnr(dnr)).id
    except ArendeError as exc:
        return refused(exc, DnrForm)
    return advance_chain(errand_id)


FLOWS: dict[str, Flow[..., Any]] = {
    name: _start_flow(t) for name, t in TYPES.items() if t.start_model is not None and t.register is not None
}
globals().update({function_name(name): f for name, f in FLOWS.items()})

# Named again for imports and mypy; the line above is what defines them, so a new type
# needs no line here.
remiss: Flow[..., Any] = FLOWS["remiss"]
audit_reply: Flow[..., Any] = FLOWS["audit-reply"]
annual_report: Flow[..., Any] = FLOWS["annual-report"]
report: Flow[..., Any] = FLOWS["report"]
iop_agreement: Flow[..., Any] = FLOWS["iop-agreement"]
iop_supplement: Flow[..., Any] = FLOWS["iop-supplement"]
donation_payout: Flow[..., Any] = FLOWS["donation-payout"]
