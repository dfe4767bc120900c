"""One flow per errand type, made from the catalogue of errand types
(arende.services.catalogue): a type declared there, with its start form and the function
that registers it, gets its flow here without a module of its own.

Every flow is the same chain: register the start form once (a retry finds the errand by
its natural key), then advance the errand as far as the recorded facts allow, and end.
A person recording the next fact starts it again; nothing waits inside a run.

The flows are real functions of this module (`flows/errands.py:remiss` is the entrypoint
Prefect stores), each with its type's start model as the `start` parameter, so the
Prefect UI shows that type's typed form.
"""

from __future__ import annotations

from typing import Any

from prefect import Flow, flow

from arende.services.catalogue import TYPES
from arende.services.types import ErrandType
from flows.chain import advance_chain
from tasks.registration import REGISTER


def function_name(errand_type: str) -> str:
    return errand_type.replace("-", "_")


def _errand_flow(errand_type: ErrandType) -> Flow[..., dict[str, object]]:
    def advance_or_register(errand_id: int | None = None, start: Any = None) -> dict[str, object]:
        if errand_id is None:
            if start is None:
                raise ValueError("give errand_id or start")
            errand_id = REGISTER[errand_type.name](start)
        return advance_chain(errand_id)

    # Named and typed as if written out here: Prefect derives the entrypoint from the
    # module and qualified name, and the UI form from the annotations.
    start_model = errand_type.start_model
    assert start_model is not None
    name = function_name(errand_type.name)
    advance_or_register.__name__ = advance_or_register.__qualname__ = name
    advance_or_register.__annotations__ = {
        "errand_id": int | None,
        "start": start_model | None,
        "return": dict[str, object],
    }
    advance_or_register.__doc__ = (
        f"{errand_type.label_sv}: registrera ett nytt ärende (start) eller för ett befintligt framåt (errand_id)."
    )
    return flow(name=errand_type.name)(advance_or_register)


FLOWS: dict[str, Flow[..., dict[str, object]]] = {
    name: _errand_flow(t) for name, t in TYPES.items() if t.start_model is not None and t.register is not None
}
globals().update({function_name(name): f for name, f in FLOWS.items()})

# Named again for imports and mypy; the line above is what defines them, so a new type
# needs no line here.
remiss: Flow[..., dict[str, object]] = FLOWS["remiss"]
audit_reply: Flow[..., dict[str, object]] = FLOWS["audit-reply"]
annual_report: Flow[..., dict[str, object]] = FLOWS["annual-report"]
report: Flow[..., dict[str, object]] = FLOWS["report"]
iop_agreement: Flow[..., dict[str, object]] = FLOWS["iop-agreement"]
iop_supplement: Flow[..., dict[str, object]] = FLOWS["iop-supplement"]
donation_payout: Flow[..., dict[str, object]] = FLOWS["donation-payout"]
