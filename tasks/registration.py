"""One registration task per errand type, all of the same shape: validate and register
the start data once (a retry finds the errand by its natural key), return its id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect import Task, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel

from arende.services.catalogue import TYPES
from arende.services.common import today
from db.session import session_scope


def _registration_task(name: str, register: Callable[..., tuple[Any, bool]]) -> Task[[BaseModel], int]:
    @task(name=f"register-{name}", cache_policy=NO_CACHE)
    def register_errand(start: BaseModel) -> int:
        with session_scope() as session:
            registered_on = getattr(start, "registered_on", None) or today()
            errand, created = register(session, start, registered_on=registered_on, who="flow")
            errand_id, dnr = errand.id, errand.dnr
        get_run_logger().info("%s %s", "registered" if created else "already registered as", dnr)
        return errand_id

    return register_errand


# One registration task per errand type, from the catalogue: a new type gets its task
# by declaring `start_model` and `register` on its ErrandType.
REGISTER: dict[str, Task[[BaseModel], int]] = {
    name: _registration_task(name, t.register) for name, t in TYPES.items() if t.register is not None
}
