"""An errand type is declared once: the flow, its registration task, the CLI command
(and its group) and the deployment `arende serve` serves all follow from the
declaration. Checked with a seventh type declared in a fresh process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SEVENTH_TYPE = """
from typing import ClassVar

import arende.services.catalogue as catalogue
from arende.services.report import ReportStart, start
from arende.services.types import ErrandType


class MotionStart(ReportStart):
    \"\"\"Motion: ett förslag från en ledamot.\"\"\"

    verb: ClassVar[tuple[str, ...]] = ("motion", "start")


catalogue.TYPES["motion"] = ErrandType(name="motion", label_sv="Motion", start_model=MotionStart, register=start)

from arende.cli import click_command
from flows.deployments import DEPLOYMENTS
from flows.errands import FLOWS
from prefect.flows import load_flow_from_entrypoint
from tasks.registration import REGISTER

assert FLOWS["motion"].name == "motion"
assert FLOWS["motion"].parameters.model_dump()["definitions"].keys() == {"MotionStart"}
assert load_flow_from_entrypoint("flows/errands.py:motion").name == "motion"
assert REGISTER["motion"].name == "register-motion"
motion = click_command().commands["motion"]
assert "start" in motion.commands and {p.name for p in motion.commands["start"].params} >= {"organ", "title"}
assert "motion" in {d.name for d in DEPLOYMENTS}
print("derived")
"""


@pytest.mark.flows  # imports Prefect and loads flows in a fresh interpreter
def test_a_seventh_errand_type_gets_its_flow_task_command_and_deployment_from_its_declaration(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SEVENTH_TYPE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "derived"
