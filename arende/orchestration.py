"""Starting flows from the CLI. Imported only by commands that orchestrate, so the
clerk's read-only commands never pay for importing Prefect."""

from __future__ import annotations

import os


def prepare_prefect_environment(log_level: str = "WARNING") -> None:
    # No network here and none needed: the telemetry job otherwise logs errors and
    # locks Prefect's SQLite database.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", log_level)
