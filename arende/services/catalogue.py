"""All errand types the engine knows, by name."""

from __future__ import annotations

from arende.services import audit_reply, remiss
from arende.services.types import ErrandType

TYPES: dict[str, ErrandType] = {t.name: t for t in (remiss.TYPE, audit_reply.TYPE)}
