"""The donation payout: a round a year from the social donation funds.

Applications hold personal data of people with low income. They are imported into the
database encrypted (arende.privacy); flows and tasks only ever see the round's errand
id; the public decision carries counts and sums per fund and purpose, and the
individual grants go in an appendix marked secret (OSL 26:1).
"""

from arende.services.donations.allocation import ProposalRow, adjust, allocate_round, proposal
from arende.services.donations.decision import check_report, public_appendix, secret_appendix
from arende.services.donations.intake import ImportResult, import_applications
from arende.services.donations.payout import erase, payout_lines, produce_payout, ready_to_close
from arende.services.donations.rounds import (
    ERRAND_TYPE,
    SECRECY,
    DonationStart,
    load_funds,
    round_of,
    start,
    totals,
)
from arende.services.types import ErrandType

__all__ = [
    "ERRAND_TYPE",
    "SECRECY",
    "TYPE",
    "DonationStart",
    "ImportResult",
    "ProposalRow",
    "adjust",
    "allocate_round",
    "erase",
    "import_applications",
    "load_funds",
    "payout_lines",
    "proposal",
    "round_of",
    "start",
    "totals",
]

TYPE = ErrandType(
    name=ERRAND_TYPE,
    label_sv="Utdelning ur donationsfonder",
    check_report=check_report,
    draft_documents=(public_appendix, secret_appendix),
    outgoing_documents=(public_appendix,),
    ready_to_close=ready_to_close,
    on_expedited=produce_payout,
    start_model=DonationStart,
    register=start,
)
