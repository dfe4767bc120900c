"""prefect.yaml declares a deployment for every flow, and each entrypoint loads."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_every_deployment_entrypoint_loads_the_flow_it_names():
    from prefect.flows import load_flow_from_entrypoint

    from flows import FLOWS

    deployments = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    names = {}
    for d in deployments:
        path, func = d["entrypoint"].split(":")
        flow = load_flow_from_entrypoint(f"{ROOT / path}:{func}")
        names[d["name"]] = flow.name
    assert all(name == flow_name for name, flow_name in names.items()), names
    assert {f.name for f in FLOWS.values()} | {"iop-renewals"} == set(names)


def test_the_agreement_run_is_scheduled_daily_in_stockholm_time():
    deployments = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    [renewals] = [d for d in deployments if d["name"] == "iop-renewals"]
    [schedule] = renewals["schedules"]
    assert schedule["timezone"] == "Europe/Stockholm" and schedule["cron"].endswith("* * *")
