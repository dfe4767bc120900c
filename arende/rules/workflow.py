"""The errand's life cycle as plain data: statuses, steps and the legal moves.

No Prefect and no SQLAlchemy here; the services apply these rules and the flows only
call the services.
"""

from __future__ import annotations

import enum

from arende.errors import Conflict


class ErrandStatus(str, enum.Enum):
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    DRAFTED = "drafted"
    FSG_DONE = "fsg_done"
    DECIDED = "decided"
    JUSTERAD = "justerad"
    ANSLAGEN = "anslagen"
    EXPEDIERAD = "expedierad"
    CLOSED = "closed"


# How a person reads a status (the demo, the forms' summaries).
STATUS_SV: dict[str, str] = {
    "registered": "registrerat",
    "assigned": "handläggare utsedd",
    "drafted": "tjänsteskrivelse klar",
    "fsg_done": "samverkan klar",
    "decided": "beslutat",
    "justerad": "justerat",
    "anslagen": "anslaget",
    "expedierad": "expedierat",
    "closed": "avslutat",
}

# Where FSG is not required (no significant change, MBL §11), the committee may decide
# without an FSG fact; the step is then recorded as skipped.
TRANSITIONS: dict[ErrandStatus, frozenset[ErrandStatus]] = {
    ErrandStatus.REGISTERED: frozenset({ErrandStatus.ASSIGNED}),
    ErrandStatus.ASSIGNED: frozenset({ErrandStatus.DRAFTED}),
    ErrandStatus.DRAFTED: frozenset({ErrandStatus.FSG_DONE, ErrandStatus.DECIDED}),
    ErrandStatus.FSG_DONE: frozenset({ErrandStatus.DECIDED}),
    ErrandStatus.DECIDED: frozenset({ErrandStatus.JUSTERAD}),
    ErrandStatus.JUSTERAD: frozenset({ErrandStatus.ANSLAGEN}),
    ErrandStatus.ANSLAGEN: frozenset({ErrandStatus.EXPEDIERAD}),
    ErrandStatus.EXPEDIERAD: frozenset({ErrandStatus.CLOSED}),
    ErrandStatus.CLOSED: frozenset(),
}


def check_transition(current: ErrandStatus, target: ErrandStatus) -> None:
    if target not in TRANSITIONS[current]:
        raise Conflict("status", f"an errand cannot go from {current.value} to {target.value}")


class Step(str, enum.Enum):
    """Steps of the common chain, in order; each errand type uses a subsequence."""

    REGISTER = "register"
    ASSIGN = "assign"
    DRAFT = "draft"
    FSG = "fsg"
    DECISION = "decision"
    JUSTERING = "justering"
    ANSLAG = "anslag"
    EXPEDIERING = "expediering"
    CLOSE = "close"


# The status an errand has once a step is done.
STATUS_AFTER: dict[Step, ErrandStatus] = {
    Step.REGISTER: ErrandStatus.REGISTERED,
    Step.ASSIGN: ErrandStatus.ASSIGNED,
    Step.DRAFT: ErrandStatus.DRAFTED,
    Step.FSG: ErrandStatus.FSG_DONE,
    Step.DECISION: ErrandStatus.DECIDED,
    Step.JUSTERING: ErrandStatus.JUSTERAD,
    Step.ANSLAG: ErrandStatus.ANSLAGEN,
    Step.EXPEDIERING: ErrandStatus.EXPEDIERAD,
    Step.CLOSE: ErrandStatus.CLOSED,
}

# The common chain every errand type's flow advances after registration; types differ
# in their rules and documents (arende.services.types), not in their steps.
CHAIN = (Step.ASSIGN, Step.DRAFT, Step.FSG, Step.DECISION, Step.JUSTERING, Step.ANSLAG, Step.EXPEDIERING, Step.CLOSE)

# Every step of an errand, as `errand show` lists them.
ALL_STEPS = (Step.REGISTER, *CHAIN)

STEP_LABELS_SV: dict[Step, str] = {
    Step.REGISTER: "Registrering",
    Step.ASSIGN: "Handläggare utsedd",
    Step.DRAFT: "Tjänsteskrivelse",
    Step.FSG: "Samverkan (FSG)",
    Step.DECISION: "Beslut",
    Step.JUSTERING: "Justering",
    Step.ANSLAG: "Anslag",
    Step.EXPEDIERING: "Expediering",
    Step.CLOSE: "Avslutat",
}


# What an errand waits for at a step, as the command line says it ("väntar på …").
WAITING_SV: dict[Step, str] = {
    Step.REGISTER: "registreringen",
    Step.ASSIGN: "att en handläggare utses",
    Step.DRAFT: "tjänsteskrivelsen",
    Step.FSG: "samverkan (FSG)",
    Step.DECISION: "nämndens beslut",
    Step.JUSTERING: "justeringen",
    Step.ANSLAG: "anslaget",
    Step.EXPEDIERING: "expedieringen",
    Step.CLOSE: "avslutet",
}


class StepState(str, enum.Enum):
    WAITING = "waiting"
    DONE = "done"
    SKIPPED = "skipped"


class Stance(str, enum.Enum):
    """The clear stance a remiss reply must carry (the sender's reply instruction)."""

    TILLSTYRKER = "tillstyrker"
    AVSTYRKER = "avstyrker"
    AVSTAR = "avstår"


class FsgKind(str, enum.Enum):
    INFORMATION = "information"  # MBL §19
    NEGOTIATION = "negotiation"  # MBL §11


class DecisionOutcome(str, enum.Enum):
    """OParl/openahjo-style outcomes; only the first four end the decision step."""

    PASSED = "passed"
    PASSED_AFTER_VOTE = "passed_after_vote"
    AMENDED = "amended"
    REJECTED = "rejected"
    NOTED = "noted"
    RETURNED = "returned"
    TABLED = "tabled"


FINAL_OUTCOMES = frozenset(
    {
        DecisionOutcome.PASSED,
        DecisionOutcome.PASSED_AFTER_VOTE,
        DecisionOutcome.AMENDED,
        DecisionOutcome.REJECTED,
        DecisionOutcome.NOTED,
    }
)


class Direction(str, enum.Enum):
    """A handling is received, drawn up internally, or sent out."""

    INCOMING = "incoming"
    DRAWN_UP = "drawn_up"
    OUTGOING = "outgoing"


class DeadlineStatus(str, enum.Enum):
    OPEN = "open"
    MET = "met"
    CANCELLED = "cancelled"


class ItemKind(str, enum.Enum):
    """Kinds of item on the föredragningslista."""

    BESLUT = "beslut"  # an errand to decide
    INFORMATION = "information"
    VAL = "val"
    ANMALAN = "anmalan"  # the list of anmälningsärenden
    DELEGATION = "delegation"  # the list of delegationsbeslut


class Role(str, enum.Enum):
    """A seat in an organ."""

    ORDFORANDE = "ordforande"
    VICE_ORDFORANDE = "vice_ordforande"
    LEDAMOT = "ledamot"
    ERSATTARE = "ersattare"


ROLE_SV = {
    Role.ORDFORANDE: "ordförande",
    Role.VICE_ORDFORANDE: "vice ordförande",
    Role.LEDAMOT: "ledamot",
    Role.ERSATTARE: "ersättare",
}


class Presence(str, enum.Enum):
    """How someone was at a meeting (the protocol's närvaro)."""

    LEDAMOT = "ledamot"  # a member present, serving
    TJANSTGORANDE = "tjanstgorande"  # an ersättare serving in a member's place
    ERSATTARE = "ersattare"  # an ersättare present, not serving
    OVRIG = "ovrig"  # officials and others present
    FRANVARANDE = "franvarande"  # a member absent


class Choice(str, enum.Enum):
    JA = "ja"
    NEJ = "nej"
    AVSTAR = "avstår"


class EntryKind(str, enum.Enum):
    """What the protocol records per § besides the decision."""

    YRKANDE = "yrkande"
    RESERVATION = "reservation"
    PROTOKOLLSANTECKNING = "protokollsanteckning"
    SARSKILT_YTTRANDE = "sarskilt_yttrande"
    JAV = "jav"  # who left the room and took no part
