"""Starting flows from the CLI. Imported only by commands that orchestrate, so the
clerk's read-only commands never pay for importing Prefect."""

from __future__ import annotations

import os
from typing import Any


def prepare_prefect_environment() -> None:
    # No network here and none needed: the telemetry job otherwise logs errors and
    # locks Prefect's SQLite database.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def errand_type_of(errand_id: int) -> str:
    from arende.errors import NotFound
    from db.models import Errand
    from db.session import session_scope

    with session_scope() as session:
        errand = session.get(Errand, errand_id)
        if errand is None:
            raise NotFound("errand", f"no errand with id {errand_id}")
        return errand.errand_type


def run_errand_flow(errand_id: int) -> dict[str, Any]:
    """Run the errand's flow once, in this process, against the configured Prefect API
    (or Prefect's temporary local server when none is configured)."""
    prepare_prefect_environment()
    from flows import FLOWS

    return FLOWS[errand_type_of(errand_id)](errand_id=errand_id)
