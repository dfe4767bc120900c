"""One flow per errand type; FLOWS maps an errand's type to the flow that advances it."""

from typing import Any

from flows.annual_report import annual_report
from flows.audit_reply import audit_reply
from flows.donation import donation_payout
from flows.iop import iop_agreement, iop_renewals, iop_supplement
from flows.remiss import remiss
from flows.report import report

# Any: each flow has its own typed start form.
FLOWS: dict[str, Any] = {
    "remiss": remiss,
    "audit-reply": audit_reply,
    "annual-report": annual_report,
    "report": report,
    "iop-agreement": iop_agreement,
    "iop-supplement": iop_supplement,
    "donation-payout": donation_payout,
}

__all__ = ["FLOWS", "iop_renewals"]
