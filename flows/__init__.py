"""One flow per errand type; FLOWS maps an errand's type to the flow that advances it."""

from flows.audit_reply import audit_reply
from flows.remiss import remiss

FLOWS = {"remiss": remiss, "audit-reply": audit_reply}
