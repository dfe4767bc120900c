"""All errand types the engine knows, by name."""

from __future__ import annotations

from arende.services import annual_report, audit_reply, donations, imported, iop, iop_supplement, remiss, report
from arende.services.types import ErrandType

TYPES: dict[str, ErrandType] = {
    t.name: t
    for t in (
        remiss.TYPE,
        audit_reply.TYPE,
        annual_report.TYPE,
        report.TYPE,
        iop.TYPE,
        iop_supplement.SUPPLEMENT,
        donations.TYPE,
        imported.TYPE,
    )
}


def errand_type(name: str) -> ErrandType:
    return TYPES[name]
