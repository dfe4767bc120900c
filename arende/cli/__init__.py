"""The `arende` command line: one module per group of commands (the way Prefect lays out
its own CLI), the fact and start commands generated from the command vocabulary.

User mistakes end as one line on stderr and exit code 2, with the database unchanged.
No clerk command imports Prefect; a fact is committed with its pending advance first
(arende.recording says what happens next).
"""

from __future__ import annotations

import functools
import sys

import typer
import typer.main
from pydantic import ValidationError

from arende.cli._app import (
    anmalan_app,
    annual_app,
    app,
    audit_app,
    delegation_app,
    document_app,
    donation_app,
    iop_app,
    meeting_app,
    member_app,
    remiss_app,
    report_app,
)
from arende.errors import ArendeError

try:  # typer 0.2x ships its own copy of click; its exceptions are not click's
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer on plain click
    from click import exceptions as click_exc  # type: ignore[no-redef]


def _apply(command, no_run: bool) -> None:  # type: ignore[no-untyped-def]
    from arende.commands.handlers import apply

    apply(command, no_run=no_run)


def _register_commands() -> None:
    """The fact and start commands, generated from their models: no option here is
    declared by hand."""
    from arende.commands.adapter import typer_command
    from arende.commands.handlers import register, start_commands
    from arende.commands.vocabulary import FACTS

    groups = {
        (): app,
        ("iop",): iop_app,
        ("remiss",): remiss_app,
        ("audit",): audit_app,
        ("annual-report",): annual_app,
        ("report",): report_app,
        ("donation",): donation_app,
        ("document",): document_app,
        ("meeting",): meeting_app,
        ("member",): member_app,
        ("anmalan",): anmalan_app,
        ("delegation",): delegation_app,
    }
    for model in FACTS:
        groups[model.verb[:-1]].command(model.verb[-1])(typer_command(model, _apply))
    for start_model, register_fn in start_commands():

        def run(start, no_run: bool, register_fn=register_fn) -> None:  # type: ignore[no-untyped-def]
            register(start, register_fn, no_run=no_run)

        prefix = start_model.verb[:-1]
        if prefix not in groups:  # a new errand type gets its command group from its start form
            groups[prefix] = typer.Typer(help=(start_model.__doc__ or "").strip(), no_args_is_help=True)
            app.add_typer(groups[prefix], name=prefix[0])
        groups[prefix].command(start_model.verb[-1])(typer_command(start_model, run))


# Each module adds its commands to the groups when imported; `arende --help` lists them
# in this order: setting up, the errand's facts, reading, the rest.
from arende.cli import setup  # noqa: E402, F401, I001

_register_commands()

from arende.cli import views, documents, meetings, justering, earchive, gallring  # noqa: E402, F401, I001
from arende.cli import errands, donations, outbox, operations, web  # noqa: E402, F401, I001


@functools.cache
def click_command():  # type: ignore[no-untyped-def]
    """typer builds the click command tree anew on every call (~0.1 s); build it once,
    so the agent's children (arende.agent) start with it built."""
    command = typer.main.get_command(app)
    _swedish_help(command)
    return command


def _swedish_help(command) -> None:  # type: ignore[no-untyped-def]
    """The --help line of every command in Swedish, like the rest of the help. The option
    is made once per command and cached (`get_help_option`); its text is set on it here."""
    from typer._click.core import Context

    help_option = command.get_help_option(Context(command))
    if help_option is not None:
        help_option.help = "Visa den här hjälpen och avsluta."
    for sub in getattr(command, "commands", {}).values():
        _swedish_help(sub)


def main(argv: list[str] | None = None) -> int:
    try:
        # Outside standalone mode click returns a command's typer.Exit code (verify's 1).
        code = click_command()(args=argv, standalone_mode=False, prog_name="arende")
    except ArendeError as exc:
        print(f"arende: error: {exc.field}: {_short(exc.problem)}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a bad ARENDE_* setting: the models themselves are parsed in adapter.parse
        first = exc.errors()[0]
        name = "ARENDE_" + "_".join(str(p) for p in first["loc"]).upper()
        print(f"arende: error: {name}: {first['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return 2
    except click_exc.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else str(exc))
        return 0
    except click_exc.UsageError as exc:
        print(f"arende: error: {_short(_one_line(exc))}", file=sys.stderr)
        return 2
    except click_exc.ClickException as exc:
        print(f"arende: error: {' '.join(exc.format_message().split())}", file=sys.stderr)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print("arende: aborted", file=sys.stderr)
        return 1
    return code if isinstance(code, int) else 0


def _short(problem: str, most: int = 300) -> str:
    """A problem that quotes what was typed stays one readable line, however long the
    value (10 000 characters of organ code were echoed in full)."""
    problem = " ".join(problem.split())
    return problem if len(problem) <= most else problem[: most - 1] + "…"


def _one_line(exc: click_exc.UsageError) -> str:
    message = exc.format_message()
    if isinstance(exc, click_exc.MissingParameter) and exc.param is not None:
        # click's own message for it is empty here ("ja_for: ").
        given_as = " / ".join(getattr(exc.param, "opts", []) or [str(exc.param.name)])
        return f"{exc.param.name}: is required ({given_as})"
    if isinstance(exc, click_exc.BadParameter) and exc.param is not None:
        # The field's name, as the command vocabulary's errors give it: `reply_due: ...`
        return f"{exc.param.name}: {' '.join(exc.message.split())}"
    return " ".join(message.split())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
