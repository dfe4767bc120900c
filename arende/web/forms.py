"""The web door of the command vocabulary: an HTML form from a command model, and the
model back from what the browser posted, with every mistake beside its field in Swedish.

Like the CLI adapter (arende.commands.adapter) it declares no field of its own: the
label is the field's title, the help its description, a closed set a <select>, a day a
date input, a list one line per item, a file an upload. Fields the page already knows
(the errand's Dnr on its own page, the meeting's organ and date) are `fixed`: sent as
hidden inputs and never taken from the browser.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from arende.commands.adapter import base_type
from arende.commands.choices import ENUM_LABELS_SV
from arende.commands.fields import swedish_message

# The command line's own: paths it writes to on the operator's disk (the page offers the
# document as a download instead), and skipping bad rows into such a file.
CLI_ONLY = frozenset({"out", "rejections", "skip_invalid"})


@dataclass
class Widget:
    name: str
    label: str
    help: str
    kind: str  # text, textarea, lines, date, number, select, checkbox, file, hidden
    required: bool
    value: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    maxlength: int | None = None
    accept: str | None = None  # a file field: the types offered in the browser's picker


def _constraint(info: FieldInfo, name: str) -> Any:
    for meta in info.metadata:
        if hasattr(meta, name):
            return getattr(meta, name)
    inner = typing.get_args(info.annotation)
    for arg in inner:
        for meta in getattr(arg, "__metadata__", ()):
            if hasattr(meta, name):
                return getattr(meta, name)
    return None


def _kind(name: str, info: FieldInfo, base: Any) -> str:
    if base is bool:
        return "checkbox"
    if base is list:
        return "lines"
    if base is dt.date:
        return "date"
    if base is int:
        return "number"
    if base is Path:
        return "file"
    if isinstance(base, type) and issubclass(base, Enum):
        return "select"
    maxlength = _constraint(info, "max_length")
    return "textarea" if maxlength is not None and maxlength > 600 else "text"


def _accept(model: type[BaseModel], name: str) -> str | None:
    """A handling's file: the allowed types (the server checks them again); a command's
    data file: the one type its command reads."""
    from arende.settings import get_settings

    if getattr(model, "verb", None) == ("document", "add"):
        return ",".join(f".{t}" for t in get_settings().web_upload_types.split(","))
    description = (model.model_fields[name].description or "").lower()
    return ".csv" if "csv" in description else ".toml" if "toml" in description else None


# Days that say which meeting or for how long, not when something happened: left for the
# person to choose (a command's positional day is the meeting it concerns).
_NOT_TODAY = frozenset({"meeting", "valid_to"})


def _dated_today(name: str, info: FieldInfo) -> bool:
    """A fact's day, which a clerk records on the day it happens: the form offers today."""
    extra = info.json_schema_extra
    return name not in _NOT_TODAY and not (isinstance(extra, dict) and extra.get("cli_argument"))


def _today() -> dt.date:
    from arende.services.common import today

    return today()


def fields_of(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name not in CLI_ONLY]


def widgets(
    model: type[BaseModel],
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    fixed: Mapping[str, str] | None = None,
    choices: Mapping[str, list[tuple[str, str]]] | None = None,
) -> list[Widget]:
    """The form's fields; `choices` turns a text field into a list to pick from (the
    organs the database knows, for `organ`)."""
    values, errors, fixed, choices = values or {}, errors or {}, fixed or {}, choices or {}
    out = []
    for name in fields_of(model):
        info = model.model_fields[name]
        base = base_type(info.annotation)
        if name in fixed:
            out.append(Widget(name, info.title or name, "", "hidden", True, fixed[name]))
            continue
        kind = _kind(name, info, base)
        default = info.get_default(call_default_factory=True)
        value = values.get(name)
        if value is None and kind == "date" and _dated_today(name, info):
            value = _today().isoformat()
        if value is None:
            if isinstance(default, Enum):
                value = default.value
            elif isinstance(default, (str, int)) and not isinstance(default, bool) and default != "":
                value = str(default)
            else:
                value = ""
        options: list[tuple[str, str]] = []
        if kind == "text" and name in choices:
            kind = "select"
            # Nothing chosen until the person chooses: a required organ left alone is a
            # mistake to point out, not the first one in the list.
            options = [("", "— välj —" if info.is_required() else "—"), *choices[name]]
        elif kind == "select":
            options = [(m.value, ENUM_LABELS_SV.get(m.value, m.value)) for m in base]
            if not info.is_required() and default is None:
                options.insert(0, ("", "—"))
        required = info.is_required() and kind != "checkbox"
        out.append(
            Widget(
                name=name,
                label=info.title or name,
                help=info.description or "",
                kind=kind,
                required=required,
                value=value,
                options=options,
                error=errors.get(name),
                maxlength=_constraint(info, "max_length") if kind in ("text", "textarea") else None,
                accept=_accept(model, name) if kind == "file" else None,
            )
        )
    return out


def data_from(model: type[BaseModel], form: Any, fixed: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The model's input from a posted form (Starlette's FormData): empty means not
    given, a list is one item per line, a checkbox is present or not. Uploads (Path
    fields) are the caller's: it stores them and puts the path in."""
    fixed = fixed or {}
    data: dict[str, Any] = {}
    for name in fields_of(model):
        if name in fixed:
            data[name] = fixed[name]
            continue
        info = model.model_fields[name]
        base = base_type(info.annotation)
        kind = _kind(name, info, base)
        raw = form.get(name)
        if kind == "file":
            continue
        if kind == "checkbox":
            if raw is not None:
                data[name] = True
            continue
        if not isinstance(raw, str) or raw.strip() == "":
            continue
        if kind == "lines":
            data[name] = [line.strip() for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]
        else:
            data[name] = raw
    return data


def values_from(form: Any) -> dict[str, str]:
    """What the person typed, to fill the form again beside its errors."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def validate_all(model: type[BaseModel], data: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """(the command, {}) or (None, every mistake by field in Swedish)."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            loc = [str(p) for p in error["loc"] if not isinstance(p, int)]
            message = swedish_message(error) or error["msg"].removeprefix("Value error, ")
            if not loc and ": " in message:  # a rule over several fields names the one at fault
                name, message = message.split(": ", 1)
                loc = [name]
            key = loc[0] if loc and loc[0] in model.model_fields else "__all__"
            errors.setdefault(key, message)
        return None, errors
