"""prefect.yaml and `arende serve` declare the same deployments, and each loads."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _yaml_deployments():
    return yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]


@pytest.mark.flows  # imports every flow module, and Prefect with them
def test_every_deployment_entrypoint_loads_the_flow_it_names():
    from prefect.flows import load_flow_from_entrypoint

    for d in _yaml_deployments():
        path, func = d["entrypoint"].split(":")
        assert load_flow_from_entrypoint(f"{ROOT / path}:{func}").name == d["name"]


@pytest.mark.flows  # arende serve's deployments are Prefect objects
def test_prefect_yaml_and_arende_serve_agree_on_names_schedules_and_limits():
    from flows.deployments import DEPLOYMENTS, TIMEZONE, runner_deployments

    in_yaml = {
        d["name"]: (
            [(s["cron"], s["timezone"]) for s in d.get("schedules", [])],
            d.get("concurrency_limit"),
            d.get("enforce_parameter_schema", True),
        )
        for d in _yaml_deployments()
    }
    in_code = {
        d.name: ([(s.cron, TIMEZONE)] if s.cron else [], s.concurrency_limit, d.enforce_parameter_schema)
        for s, d in zip(DEPLOYMENTS, runner_deployments(), strict=True)
    }
    sweep = next(s for s in DEPLOYMENTS if s.name == "deadline-sweep")
    assert sweep.schedule_sv == "varje dag 06:00 (Europe/Stockholm)"
    assert in_yaml == in_code
    assert in_code["deadline-sweep"] == ([("0 6 * * *", "Europe/Stockholm")], 1, False)


@pytest.mark.flows
def test_a_flow_run_created_from_a_deployment_with_parameters_completes(sqlite_db, prefect):
    """What the UI does: the deployment's form becomes a flow run with parameters; a
    worker's process (`prefect flow-run execute`, as a process work pool starts it)
    picks it up and executes it. The form sends the Swedish word its dropdown offers;
    the server leaves the check to the flow (a script may send the English value)."""
    import os
    import subprocess
    import sys

    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    from arende.services.queries import errand_view
    from db.session import session_scope
    from flows.facts import record_fsg

    from helpers import performer, record_all_facts, register

    _, dnr = register()
    record_all_facts(dnr, upto="draft")
    performer("sara", "Sara Holm", "sekreterare")
    record_fsg.to_deployment(name="record-fsg", enforce_parameter_schema=False).apply()
    fact = {"dnr": dnr, "date": "2022-02-03", "kind": "Information (MBL § 19)"}
    flow_run = run_deployment("record-fsg/record-fsg", timeout=0, parameters={"fact": fact, "utförd_av": "sara"})

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    done = subprocess.run(
        [sys.executable, "-m", "prefect", "flow-run", "execute", str(flow_run.id)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with get_client(sync_client=True) as client:
        finished = client.read_flow_run(flow_run.id)
    assert finished.state.is_completed(), finished.state
    with session_scope() as session:
        view = errand_view(session, dnr)
    assert view.status == "fsg_done"
    assert next(s for s in view.steps if s.step == "fsg").done_on.isoformat() == "2022-02-03"
    with session_scope() as session:
        from sqlalchemy import select

        from db.models import FsgConsultation

        assert session.scalars(select(FsgConsultation.kind)).all() == ["information"]
    # The audit trail names the person who filled in the form, not the worker's OS user.
    assert ("fact.fsg", "Sara Holm (sara)") in {(e["action"], e["actor"]) for e in view.audit}
