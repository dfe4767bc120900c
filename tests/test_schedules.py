"""The daily schedules fire: a real `prefect server start` (its scheduler loop shortened)
and `arende serve` as separate processes, as in the single-server setup of the README.

This is the promise Prefect keeps for us that nothing else checks: with prefect 3.8.8
and SQLAlchemy 2.1 the scheduler failed every loop and no scheduled run was ever
created, while every other test passed.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import PG_ADMIN_URL, _pg_unavailable
from helpers import officer, register
from prefect_server import prefect_server_process, stop, wait_for
from smtp import Inbox, free_port

pytestmark = pytest.mark.flows

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(params=["sqlite", "postgresql"])
def prefect_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """`prefect server start` with every service on and a one-second scheduler loop; its
    own database in SQLite (the embedded default) or PostgreSQL (production)."""
    if request.param == "postgresql":
        reason = _pg_unavailable()
        if reason:
            pytest.skip(reason)
    with prefect_server_process(tmp_path, request.param, PG_ADMIN_URL) as api_url:
        yield api_url


def test_served_schedules_create_runs_and_a_scheduled_sweep_mails_its_reminder_once(
    prefect_server, sqlite_db, tmp_path, monkeypatch
):
    from aiosmtpd.controller import Controller
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Scheduled

    from arende.services import facts
    from db.session import session_scope

    _, dnr = register()  # reply due Monday 2022-02-28
    with session_scope() as session:
        facts.assign_officer(session, dnr, officer(session), dt.date(2022, 1, 20), email="anna.lind@example.org")

    smtp_port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_API_URL=prefect_server,
        PREFECT_HOME=str(tmp_path / "serve-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_RUNNER_POLL_FREQUENCY="1",
        ARENDE_TODAY="2022-02-23",  # three working days before the reply deadline
        ARENDE_SMTP_HOST="127.0.0.1",
        ARENDE_SMTP_PORT=str(smtp_port),
        ARENDE_MAIL_FROM="arende@example.org",
    )
    serve_log = tmp_path / "serve.log"
    with serve_log.open("wb") as log:
        serve = subprocess.Popen(
            [str(Path(sys.executable).parent / "arende"), "serve"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    try:
        with temporary_settings({PREFECT_API_URL: prefect_server}), get_client(sync_client=True) as client:

            def deployment(name: str):  # type: ignore[no-untyped-def]
                try:
                    return client.read_deployment_by_name(f"{name}/{name}")
                except Exception:  # not registered yet
                    return None

            def scheduled_runs(name: str) -> list:  # type: ignore[type-arg]
                found = deployment(name)
                if found is None:
                    return []
                runs = client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[found.id])))
                return sorted(
                    (r for r in runs if r.state and r.state.is_scheduled()), key=lambda r: r.expected_start_time
                )

            sweeps = wait_for("scheduled deadline-sweep runs", lambda: scheduled_runs("deadline-sweep"), 60, serve)
            renewals = wait_for("scheduled iop-renewals runs", lambda: scheduled_runs("iop-renewals"), 30, serve)
            # The real crons, in Swedish local time, one run per day.
            local = [r.expected_start_time.astimezone(STOCKHOLM) for r in sweeps]
            assert all((t.hour, t.minute) == (6, 0) for t in local), local
            assert local[0] > dt.datetime.now(STOCKHOLM) and len({t.date() for t in local}) == len(local) >= 2
            assert all(
                (r.expected_start_time.astimezone(STOCKHOLM).hour, r.expected_start_time.astimezone(STOCKHOLM).minute)
                == (5, 30)
                for r in renewals
            )
            assert deployment("deadline-sweep").schedules[0].schedule.timezone == "Europe/Stockholm"

            # Bring the first two scheduled sweeps forward to now, one after the other:
            # the served process runs them; the reminder arrives once.
            for run in sweeps[:2]:
                client.set_flow_run_state(run.id, Scheduled(scheduled_time=dt.datetime.now(dt.UTC)), force=True)

                def finished(run_id=run.id):  # type: ignore[no-untyped-def]
                    state = client.read_flow_run(run_id).state
                    return state if state and state.is_final() else None

                state = wait_for("the scheduled sweep run finishing", finished, 90, serve)
                assert state.is_completed(), (state, serve_log.read_text(errors="replace")[-3000:])
    finally:
        stop(serve)
        controller.stop()
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [
        ("anna.lind@example.org", "Påminnelse: Remissvar till Kommunstyrelsen – ALN 2022-00001")
    ]
