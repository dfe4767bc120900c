"""The production path of the README's "Running in production", end to end: a Prefect
server on PostgreSQL in its own process, our database on PostgreSQL set up with
`arende init`, the work pool `arende`, `prefect deploy --all` from prefect.yaml, and a
process worker that runs what the UI and the CLI create: a remiss registered from its
form, a form with a mistake refused, and a fact recorded with the CLI moved on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PG_ADMIN_URL, _pg_unavailable
from prefect_server import prefect_server_process, stop, wait_for

pytestmark = pytest.mark.flows

ROOT = Path(__file__).resolve().parent.parent
ARENDE = str(Path(sys.executable).parent / "arende")
# ASCII only: Prefect 3.9 compares it with hmac.compare_digest on str, which fails (HTTP 500)
# on any non-ASCII character.
AUTH = "arende-admin:ett-langt-losenord-for-prefect"
FORM = {
    "organ": "ALN",
    "sender": "KS",
    "sender_dnr": "KS 2021-00907",
    "title": "Yttrande över Remiss – Riktlinjer beställar-/utförarmodellen",
    "received_on": "2022-01-19",
    "reply_due": "2022-02-28",
    "registered_on": "2022-01-19",
}


@pytest.fixture
def production(tmp_path: Path) -> Iterator[dict[str, str]]:
    reason = _pg_unavailable()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"arende_prod_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        # Locked, as the README's production section sets it up: the workers, the CLI and
        # `arende` itself give the auth string; anyone else is refused.
        with prefect_server_process(tmp_path, "postgresql", PG_ADMIN_URL, auth=AUTH) as api_url:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ARENDE_"))}
            env.update(
                PREFECT_API_URL=api_url,
                PREFECT_API_AUTH_STRING=AUTH,
                PREFECT_HOME=str(tmp_path / "prefect-home"),
                PREFECT_SERVER_ANALYTICS_ENABLED="false",
                ARENDE_DATABASE_URL=f"{PG_ADMIN_URL.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+psycopg://')}/{name}",
                ARENDE_DOCUMENTS_DIR=str(tmp_path / "documents"),
                ARENDE_VAR_DIR=str(tmp_path / "var"),
                ARENDE_AGENT="off",
                ARENDE_USER="registrator",
            )
            yield env
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(env: dict[str, str], *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=180
    )


def _prefect(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = _run(env, sys.executable, "-m", "prefect", *args)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done


def _worker_once(env: dict[str, str], tmp_path: Path) -> str:
    """One poll of a process worker on the pool, as `prefect worker start` does forever."""
    done = _run(env, sys.executable, "-m", "prefect", "worker", "start", "--pool", "arende", "--run-once", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def _show(env: dict[str, str], dnr: str) -> dict:  # type: ignore[type-arg]
    done = _run(env, ARENDE, "errand", "show", dnr, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _flow_run_state(env: dict[str, str], run_id: str):  # type: ignore[no-untyped-def]
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    locked = {PREFECT_API_URL: env["PREFECT_API_URL"], PREFECT_API_AUTH_STRING: env["PREFECT_API_AUTH_STRING"]}
    with temporary_settings(locked), get_client(sync_client=True) as client:
        return client.read_flow_run(run_id).state


def test_deploy_all_and_a_process_worker_run_a_remiss_from_form_to_fact(production, tmp_path):
    import httpx

    env = production
    # Without the auth string the API refuses everything but its health probe.
    api = env["PREFECT_API_URL"]
    assert httpx.post(f"{api}/deployments/filter", json={}, timeout=10).status_code == 401
    assert httpx.post(f"{api}/deployments/filter", json={}, auth=("arende-admin", "fel"), timeout=10).status_code == 401
    assert (
        httpx.post(f"{api}/deployments/filter", json={}, auth=tuple(AUTH.split(":", 1)), timeout=10).status_code == 200
    )
    init = _run(env, ARENDE, "init")
    assert init.returncode == 0 and init.stdout.startswith("database ready:"), init.stderr
    _prefect(env, "work-pool", "create", "arende", "--type", "process")
    deployed = _prefect(env, "--no-prompt", "deploy", "--all")
    assert "Deployment 'remiss/remiss' successfully created" in " ".join(deployed.stdout.split())
    assert "advance-errand/advance-errand" in deployed.stdout

    # The registrator, an account, fills in the remiss form; a worker runs it.
    rut = subprocess.run(
        [ARENDE, "user", "add", "rut", "--name", "Rut Holm", "--role", "registrator"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, input="lösenord-för-rut\n",
    )  # fmt: skip
    assert rut.returncode == 0, rut.stderr
    created = _prefect(
        env, "deployment", "run", "remiss/remiss", "--params", json.dumps({"start": FORM, "utförd_av": "rut"})
    )
    assert "Created flow run" in created.stdout
    log = _worker_once(env, tmp_path)
    assert "registrerat: ALN 2022-00001" in log and "Traceback" not in log, log[-3000:]
    view = _show(env, "ALN 2022-00001")
    assert view["status"] == "registered"
    assert ("errand.registered", "Rut Holm (rut)") in {(e["action"], e["actor"]) for e in view["audit"]}

    # A form with the reply deadline before the received date: the run fails with one
    # Swedish line, and nothing is written.
    bad = _prefect(
        env,
        "deployment",
        "run",
        "remiss/remiss",
        "--params",
        json.dumps({"start": FORM | {"sender_dnr": "KS 2021-00908", "reply_due": "2022-01-01"}, "utförd_av": "rut"}),
    )
    run_id = next(line.split()[-1] for line in bad.stdout.splitlines() if "UUID" in line)
    log = _worker_once(env, tmp_path)
    state = _flow_run_state(env, run_id)
    assert state.is_failed() and state.message == (
        "Rätta formuläret: Svar senast (reply_due): sista svarsdag ligger före dagen då handlingen kom in"
    )
    assert "Traceback" not in log, log
    assert _run(env, ARENDE, "errand", "show", "ALN 2022-00002").returncode == 2

    # The case officer is assigned on the command line: the fact is recorded at once, an
    # advance-errand run is created over REST, and the worker moves the errand on.
    officer = subprocess.run(
        [ARENDE, "user", "add", "anna", "--name", "Anna Lind", "--role", "handlaggare"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, input="lösenord-för-anna\n",
    )  # fmt: skip
    assert officer.returncode == 0, officer.stderr
    assign = _run(env, ARENDE, "assign", "ALN 2022-00001", "--officer", "anna", "--date", "2022-01-20")
    assert assign.returncode == 0, assign.stderr
    assert "created (deployment advance-errand/advance-errand)" in assign.stdout
    assert _show(env, "ALN 2022-00001")["pending_advance"]["reason"] == "assign"
    _worker_once(env, tmp_path)
    view = _show(env, "ALN 2022-00001")
    assert (view["status"], view["pending_advance"]) == ("assigned", None)

    # Switching to `arende serve` on the same Prefect database: it takes the deployments
    # over from the pool (Prefect's in-place update left them without code, and every run
    # crashed), and a form's run completes in its process.
    serve_log = (tmp_path / "serve.log").open("w+")
    served = subprocess.Popen([ARENDE, "serve"], env=env, cwd=tmp_path, stdout=serve_log, stderr=subprocess.STDOUT)
    try:
        wait_for("arende serve taking over", lambda: "being served" in (tmp_path / "serve.log").read_text(), 90, served)
        said = (tmp_path / "serve.log").read_text()
        assert "19 deployments flyttas från arbetspoolen till den här processen: remiss (arende)" in said, said
        second = FORM | {"sender_dnr": "KS 2021-00909"}
        created = _prefect(
            env, "deployment", "run", "remiss/remiss", "--params", json.dumps({"start": second, "utförd_av": "rut"})
        )
        run_id = next(line.split()[-1] for line in created.stdout.splitlines() if "UUID" in line)
        state = wait_for("the served run", lambda: (s := _flow_run_state(env, run_id)).is_final() and s, 90, served)
        assert state.is_completed(), ((tmp_path / "serve.log").read_text()[-3000:], state)
    finally:
        stop(served)
        serve_log.close()
    assert _show(env, "ALN 2022-00002")["status"] == "registered"

    # And back to the pool: `prefect deploy --all` gives them their pull step again.
    _prefect(env, "--no-prompt", "deploy", "--all")
    third = FORM | {"sender_dnr": "KS 2021-00910"}
    _prefect(env, "deployment", "run", "remiss/remiss", "--params", json.dumps({"start": third, "utförd_av": "rut"}))
    log = _worker_once(env, tmp_path)
    assert "registrerat: ALN 2022-00003" in log and "Traceback" not in log, log[-3000:]
