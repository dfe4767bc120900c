"""Creating a flow run of a deployment over Prefect's REST API, with the standard
library only: importing Prefect's client costs about 2 s, a clerk's command must answer
in under half a second, and one POST is all it needs.
"""

from __future__ import annotations

import base64
import json
import os
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any


class PrefectApiError(Exception):
    pass


def _setting(name: str) -> str | None:
    """A Prefect setting from the environment, else from the active Prefect profile (as
    `prefect config set NAME=...` leaves it)."""
    value = os.environ.get(name)
    if value:
        return value
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        data = tomllib.loads(profiles.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active")
    profile = data.get("profiles", {}).get(active, {}) if active else {}
    found = profile.get(name)
    return found if isinstance(found, str) and found else None


def configured_api_url() -> str | None:
    """PREFECT_API_URL (environment or profile). None: no server configured."""
    url = _setting("PREFECT_API_URL")
    return url.rstrip("/") if url else None


def _call(api_url: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    # A locked server (PREFECT_SERVER_API_AUTH_STRING): its basic authentication, as
    # Prefect's own client sends it; else an API key (Prefect Cloud).
    auth, key = _setting("PREFECT_API_AUTH_STRING"), _setting("PREFECT_API_KEY")
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    elif key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        f"{api_url}{path}", method=method, headers=headers, data=json.dumps(body).encode() if body is not None else None
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:200]
        raise PrefectApiError(f"{method} {path}: HTTP {exc.code} {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise PrefectApiError(f"Prefect API at {api_url} not answering: {getattr(exc, 'reason', exc)}") from None


def create_flow_run(
    api_url: str, flow_name: str, deployment_name: str, parameters: dict[str, Any], *, idempotency_key: str
) -> str:
    """A scheduled flow run of the deployment, to start now; the same idempotency key
    gives back the same run, so a retried command never creates a second one."""
    names = f"{urllib.parse.quote(flow_name)}/{urllib.parse.quote(deployment_name)}"
    deployment = _call(api_url, "GET", f"/deployments/name/{names}")
    run = _call(
        api_url,
        "POST",
        f"/deployments/{deployment['id']}/create_flow_run",
        {"parameters": parameters, "idempotency_key": idempotency_key, "tags": ["arende"]},
    )
    return str(run["id"])
