"""One registration task per errand type, all of the same shape: register the start form
once (a retry finds the errand by its natural key) in the name of the person who filled
it in, and return the errand, or the refusal when the form is wrong (a person's mistake
is an answer, not a task failure with a traceback)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prefect import Task, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel

from arende.errors import ArendeError
from arende.services.catalogue import TYPES
from arende.services.common import acting_as, today
from db.session import session_scope


@dataclass(frozen=True)
class Registration:
    errand_id: int | None = None
    dnr: str | None = None
    refusal: ArendeError | None = None


def _registration_task(name: str, register: Callable[..., tuple[Any, bool]]) -> Task[..., Registration]:
    @task(name=f"register-{name}", cache_policy=NO_CACHE)
    def register_errand(start: BaseModel, performed_by: str) -> Registration:
        try:
            with acting_as(performed_by, via="prefect"), session_scope() as session:
                registered_on = getattr(start, "registered_on", None) or today()
                errand, created = register(session, start, registered_on=registered_on)
                errand_id, dnr = errand.id, errand.dnr
        except ArendeError as exc:  # nothing was written: the transaction rolled back
            return Registration(refusal=exc)
        get_run_logger().info("%s %s", "registrerat:" if created else "redan registrerat som", dnr)
        return Registration(errand_id, dnr)

    return register_errand


# One registration task per errand type, from the catalogue: a new type gets its task
# by declaring `start_model` and `register` on its ErrandType.
REGISTER: dict[str, Task[..., Registration]] = {
    name: _registration_task(name, t.register) for name, t in TYPES.items() if t.register is not None
}
