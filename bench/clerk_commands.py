"""Wall time of the clerk's commands as separate processes, against the floor of
starting Python with the libraries they cannot avoid (SQLAlchemy ORM, pydantic, typer).

Prints one JSON line per measurement: name, value, unit, parameters.
Run: .venv/bin/python bench/clerk_commands.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(cmd: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {"ARENDE_DATABASE_URL": f"sqlite:///{tmp}/bench.db", "ARENDE_DOCUMENTS_DIR": f"{tmp}/docs"}
        _prepare(env)
        arende = [sys.executable, "-m", "arende.cli"]
        commands = {
            "floor_imports": [sys.executable, "-c", "import sqlalchemy.orm, pydantic_settings, typer"],
            "calendar": [*arende, "calendar", "--from", "2022-02-21", "--weeks", "3"],
            "deadlines": [*arende, "deadlines", "--json"],
            "extract": [*arende, "extract", "ALN 2022-00001", "--out", f"{tmp}/utdrag.docx"],
        }
        for name, cmd in commands.items():
            value = _time(cmd, env, args.runs)
            print(
                json.dumps(
                    {
                        "name": f"clerk.{name}",
                        "value": round(value, 3),
                        "unit": "s",
                        "parameters": {"runs": args.runs, "statistic": "median"},
                    }
                )
            )


def _prepare(env: dict[str, str]) -> None:
    """A database with one decided remiss, so deadlines and extract have work to do."""
    script = """
import datetime as dt
from db.migrate import upgrade
from db.session import session_scope
from arende.settings import get_settings
from arende.services.reference import load_organs, load_classification
from arende.services.remiss import RemissStart, start_remiss
from arende.services import facts
upgrade()
D = dt.date.fromisoformat
with session_scope() as s:
    load_organs(s, get_settings().organs_file); load_classification(s, get_settings().classification_file)
    start = RemissStart(organ="ALN", sender="KS", sender_dnr="KS 2021-00907", title="Remiss",
                        received_on=D("2022-01-19"), reply_due=D("2022-02-28"))
    start_remiss(s, start, registered_on=D("2022-01-19"))
with session_scope() as s:
    facts.assign_officer(s, "ALN 2022-00001", "Anna Lind", D("2022-01-20"))
with session_scope() as s:
    facts.draft_report(s, "ALN 2022-00001", stance="tillstyrker", summary="S", body="B", drafted_on=D("2022-02-01"))
with session_scope() as s:
    facts.record_decision(s, "ALN 2022-00001", meeting_on=D("2022-02-15"), paragraph=14)
"""
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
