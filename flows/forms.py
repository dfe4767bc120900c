"""What the Prefect forms share: the person who fills one in ("utförd av", the actor in
the audit trail instead of the worker's OS user), reading a form into its model, and
ending a run that a person's mistake stopped as Failed with one Swedish line as its state
message, before anything is written and without a traceback.

The flows take their parameters unvalidated (`validate_parameters=False`) so that the
model's own rules answer, in Swedish and naming the field, rather than Prefect's
validation error dump."""

from __future__ import annotations

import logging
from typing import Annotated, Any, TypeVar

from prefect import get_run_logger
from prefect.exceptions import FailedRun
from prefect.states import Failed, State
from pydantic import BaseModel, Field

from arende.commands.fields import DnrText, Username, validate
from arende.errors import ArendeError, InvalidInput

M = TypeVar("M", bound=BaseModel)

PERFORMER_HELP = "Ditt användarnamn i Ärende (ett aktivt konto vars roll får göra detta): står i ärendets logg"
Performer = Annotated[Username, Field(description=PERFORMER_HELP)]


def group(title: str, description: str) -> Any:
    """A flow parameter's Swedish heading in Prefect's form. Prefect titles a parameter
    with its name and takes only a default `Field`'s schema extras over it, so the
    heading rides there; the parameter stays required (the Field has no default)."""
    return Field(description=description, json_schema_extra={"title": title})


PERFORMED_BY: Any = group("Utförd av", PERFORMER_HELP)


def read_form(model: type[M], given: Any, field: str) -> M:
    """The form's values as the model (a Python caller may pass the model itself)."""
    if isinstance(given, model):
        return given
    if not isinstance(given, dict):
        raise InvalidInput(field, "formuläret saknas eller är inte ifyllt")
    return validate(model, given, swedish=True)


class _Performer(BaseModel):
    utförd_av: Performer = Field(title="Utförd av")


def read_performer(given: Any, verb: str) -> str:
    """The account that fills in the form: active, and its role may give `verb` (the
    web page's access table). Anyone who reaches the Prefect UI could type any name; the
    record names only an account that may act."""
    from sqlalchemy import select

    from arende.rules.access import ROLE_LABELS_SV, WebRole, may
    from db.models import User
    from db.session import read_scope

    username = validate(_Performer, {"utförd_av": str(given or "")}, swedish=True).utförd_av
    with read_scope() as session:
        user = session.scalar(select(User).where(User.username == username))
        active, role = (user.active, WebRole(user.role)) if user is not None else (False, None)
    if not active or role is None:
        raise InvalidInput(
            "utförd_av", f"{username!r} is no active account", sv=f"{username!r} är inget aktivt konto i Ärende"
        )
    if not may(role, verb):
        raise InvalidInput(
            "utförd_av",
            f"{username} ({role.value}) may not give '{verb}'",
            sv=f"{username} ({ROLE_LABELS_SV[role].lower()}) får inte göra detta",
        )
    return username


class DnrForm(BaseModel):
    dnr: DnrText = Field(title="Diarienummer")


def read_dnr(given: Any) -> str:
    return validate(DnrForm, {"dnr": given}, swedish=True).dnr


REFUSAL = "Rätta formuläret: "


def refused(exc: ArendeError, model: type[BaseModel] | None = None) -> State[Any]:
    """The run ends Failed with one line naming the field by its Swedish title."""
    name = exc.field.split(".")[0]
    info = model.model_fields.get(name) if model is not None else None
    label = f"{info.title} ({exc.field})" if info is not None and info.title else exc.field
    message = " ".join(f"{REFUSAL}{label}: {exc.problem_sv or exc.problem}".split())
    get_run_logger().warning(message)
    return Failed(message=message)


class _QuietRefusals(logging.Filter):
    """A run that ends Failed by our refusal is re-raised by Prefect's engine in a
    worker's process and logged to the run with a traceback ("Engine execution exited
    with unexpected exception"). For a refusal that traceback says nothing the state
    message does not, and a person reading the run should not meet one; every other
    failure keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (
            record.getMessage() == "Engine execution exited with unexpected exception"
            and isinstance(exc, FailedRun)
            and str(exc).startswith(REFUSAL)
        )


logging.getLogger("prefect.flow_runs").addFilter(_QuietRefusals())
