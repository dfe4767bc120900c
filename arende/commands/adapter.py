"""The CLI door: a typer command generated from each command model, so the command line
has exactly the model's fields. Everything arrives as text and pydantic alone converts
and validates it, so every mistake is reported the same way: `<field>: <problem>`.
"""

from __future__ import annotations

import datetime as dt
import inspect
import keyword
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from arende.commands.choices import SwedishChoice
from arende.commands.fields import validate
from arende.errors import InvalidInput


def _extra(info: FieldInfo, key: str) -> bool:
    extra = info.json_schema_extra
    return bool(isinstance(extra, dict) and extra.get(key))


def _option_name(name: str, info: FieldInfo) -> str:
    """The option a field is on the command line: its name, or `cli_name` where the
    command line has always said it shorter (`received_on` → `--received`)."""
    extra = info.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("cli_name"), str):
        return str(extra["cli_name"])
    return name


def base_type(annotation: Any) -> Any:
    """int | None → int; list[X] and dict → list (repeated option); Annotated[...] → its type."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return base_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return base_type(inner[0])
    if origin in (list, dict):
        return list
    return annotation


def _help(info: FieldInfo, base: Any) -> str:
    text = info.description or info.title or ""
    if isinstance(base, type) and issubclass(base, Enum):
        # The form's Swedish word is accepted too (arende.commands.choices).
        text += (
            f" [{', '.join(f'{m.value} = {m.label_sv}' if isinstance(m, SwedishChoice) else m.value for m in base)}]"
        )
    # typer renders help as rich markup, where "[...]" would vanish as a tag.
    return text.replace("[", "\\[")


def _metavar(base: Any) -> str | None:
    if base is dt.date:
        return "YYYY-MM-DD"
    if isinstance(base, type) and issubclass(base, Enum):
        return "|".join(m.value for m in base)
    if base is Path:
        return "FILE"
    return "N" if base is int else "TEXT"


def parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """Build the command; a mistake names the field as the user typed it."""
    return validate(model, data, field_name=lambda name: _option_name(name, model.model_fields[name]))


def _read(path: Path, field: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(field, f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInput(field, f"cannot read {path}: {exc.strerror}") from None


def typer_command(model: type[BaseModel], run: Any) -> Any:
    """A function typer can register: its parameters are the model's fields (plus
    `--X-file` for long texts and `--no-run` for facts that move errands); its body
    builds the model and hands it to `run(command, no_run)`."""
    parameters = []
    files: dict[str, str] = {}
    cli_names: dict[str, str] = {}
    for name, info in model.model_fields.items():
        base = base_type(info.annotation)
        option = "--" + _option_name(name, info).replace("_", "-")
        # A keyword such as `from` is a fine option but not a parameter name.
        param = _option_name(name, info) + ("_" if keyword.iskeyword(_option_name(name, info)) else "")
        cli_names[param] = name
        if _extra(info, "cli_dnr"):
            # A Dnr has a space in it: accept it quoted or not (`extract ALN 2022-00001`).
            kind = typer.Argument(metavar="DNR", help=_help(info, base))
            annotation: Any = Annotated[list[str], kind]
            default: Any = inspect.Parameter.empty
        elif _extra(info, "cli_argument"):
            annotation = Annotated[str, typer.Argument(metavar=name.upper(), help=_help(info, base))]
            default = inspect.Parameter.empty
        elif base is bool:
            annotation = Annotated[bool, typer.Option(option, help=_help(info, base))]
            default = False
        elif base is list:
            annotation = Annotated[Optional[list[str]], typer.Option(option, help=_help(info, base), metavar="TEXT")]
            default = None
        else:
            required = info.is_required()
            annotation = Annotated[
                Optional[str], typer.Option(option, help=_help(info, base), metavar=_metavar(base), show_default=False)
            ]
            default = inspect.Parameter.empty if required else None
            if required:
                annotation = Annotated[str, typer.Option(option, help=_help(info, base), metavar=_metavar(base))]
        parameters.append(
            inspect.Parameter(param, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        )
        if _extra(info, "cli_from_file"):
            files[f"{name}_file"] = name
            parameters.append(
                inspect.Parameter(
                    f"{name}_file",
                    inspect.Parameter.KEYWORD_ONLY,
                    default=None,
                    annotation=Annotated[
                        Optional[Path], typer.Option(f"{option}-file", help=f"{info.title or name} ur fil (UTF-8)")
                    ],
                )
            )
    if getattr(model, "moves_errands", True):
        parameters.append(
            inspect.Parameter(
                "no_run",
                inspect.Parameter.KEYWORD_ONLY,
                default=False,
                annotation=Annotated[
                    bool, typer.Option("--no-run", help="Registrera bara; för inte ärendet framåt nu.")
                ],
            )
        )

    def command(**given: Any) -> None:
        no_run = bool(given.pop("no_run", False))
        for file_param, field in files.items():
            path = given.pop(file_param, None)
            if path is not None:
                given[field] = _read(path, field)
        data = {}
        for param, value in given.items():
            if value is None:
                continue
            name = cli_names.get(param, param)
            if _extra(model.model_fields[name], "cli_dnr"):
                value = " ".join(value)
            data[name] = value
        run(parse(model, data), no_run)

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__doc__ = model.__doc__
    command.__name__ = "_".join(getattr(model, "verb", (model.__name__,)))
    return command
