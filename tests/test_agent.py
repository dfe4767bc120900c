"""The command agent (arende.agent) as a user meets it: the `arende` script, first
in-process while the agent starts, then through the agent, with the same output, exit
codes and errors, in the caller's environment and working directory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARENDE = str(Path(sys.executable).parent / "arende")

# Processes that start processes: the slow set, not the edit-test loop.
pytestmark = pytest.mark.flows


def _run(args, env, cwd):  # type: ignore[no-untyped-def]
    return subprocess.run([ARENDE, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def _sockets(runtime: Path) -> list[Path]:
    return list(runtime.glob("arende-agent-*/*.sock"))


def test_commands_through_the_agent_answer_as_in_process_and_in_the_callers_environment(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ARENDE_", "PREFECT_"))}
    env = base | {
        "ARENDE_AGENT": "on",
        "ARENDE_AGENT_IDLE": "30",
        "XDG_RUNTIME_DIR": str(runtime),
        "ARENDE_TODAY": "2022-02-25",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }
    office = tmp_path / "kontoret"
    office.mkdir()
    start = [
        "remiss",
        "start",
        "--organ",
        "ALN",
        "--sender",
        "KS",
        "--sender-dnr",
        "KS 2021-00907",
        "--title",
        "Remiss",
        "--received",
        "2022-01-19",
        "--reply-due",
        "2022-02-28",
    ]

    first = _run(start, env, office)  # the embedded default initialises itself; the agent starts
    assert (first.returncode, first.stdout.splitlines()[0]) == (0, "ALN 2022-00001"), first.stderr
    deadline = time.monotonic() + 30
    while not _sockets(runtime) and time.monotonic() < deadline:
        time.sleep(0.2)
    [sock] = _sockets(runtime)
    assert sock.stat().st_mode & 0o777 == 0o600 and sock.parent.stat().st_mode & 0o777 == 0o700

    again = _run(start, env, office)
    assert (
        again.stdout
        == "ALN 2022-00001 (already registered)\nALN 2022-00001: registrerat, väntar på att en handläggare utses\n"
    )
    bad = _run(["assign", "ALN 2022-0001", "--officer", "anna"], env, office)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == (
        "arende: error: dnr: 'ALN 2022-0001' is not a diary number of the form "
        "'ALN 2022-00011' (optionally followed by a code)\n"
    )
    officer = subprocess.run(
        [ARENDE, "user", "add", "anna", "--name", "Anna Lind", "--role", "handlaggare"],
        env=env, cwd=office, capture_output=True, text=True, timeout=60, input="lösenord-för-anna\n",
    )  # fmt: skip
    assert officer.returncode == 0, officer.stderr
    fact = _run(["assign", "ALN 2022-00001", "--officer", "anna"], env, office)
    assert fact.stdout == "ALN 2022-00001: handläggare utsedd, väntar på tjänsteskrivelsen\n"
    # The database is the caller's: var/ under the caller's working directory.
    assert (office / "var" / "arende.db").exists() and not (Path("/") / "var" / "arende.db").exists()

    # Another directory, another database: the same agent serves it.
    elsewhere = tmp_path / "annan"
    elsewhere.mkdir()
    other = _run(["deadlines"], env, elsewhere)
    assert other.stdout == "no open deadlines\n" and len(_sockets(runtime)) == 1
    # Same answer as in-process.
    via_agent = _run(["deadlines", "--json"], env, office)
    in_process = _run(["deadlines", "--json"], env | {"ARENDE_AGENT": "off"}, office)
    assert via_agent.stdout == in_process.stdout and '"ALN 2022-00001"' in via_agent.stdout
