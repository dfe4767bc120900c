"""Wall time of every command in the README's "Using it" block, each as its own
`arende` process from a shell, as a clerk runs them: the remiss chain from registration
to anslag, then the read commands. Two modes: the embedded default (the errand moves
on in-process) and with a Prefect server configured (facts create flow runs over REST).

Each round runs the chain on a fresh errand (and its own meeting), so every command
does its real work each time; the figure per command is the best of the rounds (the
median goes alongside). The very first command of a mode also starts the command
agent (arende.agent) and is reported apart as `clerk.first_command`.

Prints one JSON line per measurement: name, value, unit, parameters.
Run: .venv/bin/python bench/clerk_commands.py [--runs 5] [--mode embedded|prefect|both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARENDE = str(Path(sys.executable).parent / "arende")


def _chain(i: int, tmp: Path) -> list[tuple[str, list[str]]]:
    dnr = f"ALN 2022-{i:05d}"
    meeting = dt.date(2022, 2, 14) + dt.timedelta(days=i)
    signed = (meeting + dt.timedelta(days=3)).isoformat()
    return [
        (
            "remiss start",
            [
                "remiss",
                "start",
                "--organ",
                "ALN",
                "--sender",
                "KS",
                "--sender-dnr",
                f"KS 2021-{900 + i:05d}",
                "--title",
                "Yttrande över Remiss – Riktlinjer beställar-/utförarmodellen",
                "--received",
                "2022-01-19",
                "--reply-due",
                "2022-02-28",
                "--registered",
                "2022-01-19",
            ],
        ),
        ("assign", ["assign", dnr, "--officer", "anna", "--date", "2022-01-20"]),
        (
            "draft",
            [
                "draft",
                dnr,
                "--stance",
                "tillstyrker",
                "--summary-file",
                str(tmp / "sammanfattning.txt"),
                "--text-file",
                str(tmp / "arendet.txt"),
                "--attachment",
                "Bilaga Remiss",
                "--date",
                "2022-02-01",
            ],
        ),
        ("fsg", ["fsg", dnr, "--date", "2022-02-03", "--kind", "information"]),
        ("decide", ["decide", dnr, "--meeting", meeting.isoformat(), "--paragraph", str(10 + i)]),
        ("justera", ["justera", "ALN", meeting.isoformat(), "--date", signed, "--justerare", "Sara Holm"]),
        ("anslag", ["anslag", "ALN", meeting.isoformat(), "--date", signed]),
        ("errand show", ["errand", "show", dnr]),
        ("extract", ["extract", dnr, "--out", str(tmp / f"utdrag-{i}.docx")]),
        ("deadlines", ["deadlines", "--within", "14d"]),
        ("calendar", ["calendar", "--from", "2022-02-21", "--weeks", "3"]),
        (
            "document add",
            [
                "document",
                "add",
                dnr,
                "--direction",
                "incoming",
                "--counterpart",
                "Kommunstyrelsen",
                "--description",
                "Missiv",
            ],
        ),
        ("document list", ["document", "list", dnr, "--public"]),
    ]


def _timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([ARENDE, *args], env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"arende {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed


def _emit(name: str, value: float, **parameters: object) -> None:
    print(
        json.dumps({"name": name, "value": round(value, 3), "unit": "s", "parameters": parameters}, ensure_ascii=False),
        flush=True,
    )


def _measure(mode: str, runs: int, env: dict[str, str], tmp: Path) -> None:
    work = tmp / f"work-{mode}"
    work.mkdir()
    (tmp / "sammanfattning.txt").write_text("Nämnden ser positivt på förslaget.", encoding="utf-8")
    (tmp / "arendet.txt").write_text("Arbetslivsnämnden har fått möjlighet att yttra sig.\n\n" * 20, encoding="utf-8")
    env = env | {"XDG_RUNTIME_DIR": str(work), "ARENDE_AGENT": "on", "ARENDE_AGENT_IDLE": "60"}
    # The first command of all: the database initialises itself and the agent starts.
    _emit("clerk.first_command", _timed(["organs", "list"], env, work), mode=mode)
    time.sleep(3)  # let the agent finish its imports; a clerk's next command comes later anyway
    # The officer the chain appoints is an account (made once, as an administrator would).
    made = subprocess.run(
        [ARENDE, "user", "add", "anna", "--name", "Anna Lind", "--role", "handlaggare"],
        env=env, cwd=work, capture_output=True, text=True, input="benchmark-lösenord\n",
    )  # fmt: skip
    if made.returncode != 0:
        raise SystemExit(f"arende user add failed: {made.stderr.strip()}")
    samples: dict[str, list[float]] = {}
    for i in range(1, runs + 1):
        for name, args in _chain(i, tmp):
            samples.setdefault(name, []).append(_timed(args, env, work))
    for name, values in samples.items():
        _emit(
            f"clerk.{name.replace(' ', '_')}",
            min(values),
            mode=mode,
            runs=runs,
            statistic="best",
            median=round(statistics.median(values), 3),
            worst=round(max(values), 3),
        )
    slowest = max(min(v) for v in samples.values())
    _emit("clerk.slowest_command", slowest, mode=mode, statistic="best", goal=0.5)


def _prefect_server(tmp: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server_env = env | {
        "PREFECT_HOME": str(tmp / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{tmp}/prefect.db",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise SystemExit("the Prefect server did not start")
    # The deployments `arende serve` registers; no worker runs them here: the command's
    # own cost is what is measured.
    register = "from flows.deployments import runner_deployments\nfor d in runner_deployments(): d.apply()"
    subprocess.run(
        [sys.executable, "-c", register],
        env=env | {"PREFECT_API_URL": api, "PREFECT_HOME": str(tmp / "prefect")},
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return proc, api


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mode", choices=("embedded", "prefect", "both"), default="both")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ARENDE_", "PREFECT_"))}
    base |= {"ARENDE_TODAY": "2022-03-01", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        _emit("clerk.floor_python", _timed_python(base), statistic="best of 5")
        if args.mode in ("embedded", "both"):
            _measure("embedded", args.runs, base | {"PREFECT_HOME": str(tmp / "no-prefect")}, tmp)
        if args.mode in ("prefect", "both"):
            server, api = _prefect_server(tmp, base)
            try:
                _measure(
                    "prefect", args.runs, base | {"PREFECT_API_URL": api, "PREFECT_HOME": str(tmp / "prefect")}, tmp
                )
            finally:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()


def _timed_python(env: dict[str, str]) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        best = min(best, time.perf_counter() - start)
    return best


if __name__ == "__main__":
    main()
