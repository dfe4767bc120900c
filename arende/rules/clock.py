"""The clock of the record: for every dated fact, the recorded facts it may not precede
and whether it may lie after today.

A record states what happened; nothing that happened can be dated after today. Only a
plan looks ahead (a meeting planned, a member's seat from a coming day). A § , a närvaro
or a vote exists only once its meeting has been held, so those facts are dated by their
meeting. One table (`RULES`), one check (`check`); the services pass the day, today and
the earlier facts they know, and the refusal names the field and the bound.

Pure: the standard library and arende.errors only, strict under mypy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from arende.errors import InvalidInput

# A kallelse goes out in the weeks before its meeting (local practice: about a week); one
# dated more than this before the meeting is a typing mistake, not an early letter.
KALLELSE_EARLIEST = dt.timedelta(days=90)


class Fact(str, Enum):
    RECEIVED = "received"
    REGISTERED = "registered"
    HANDLING = "handling"  # a handling registered on an errand
    APPOINTED = "appointed"
    DRAFTED = "drafted"
    FSG = "fsg"
    MEETING = "meeting"  # the day a meeting was held: a decision, § or närvaro at it
    PLANNED = "planned"  # a meeting in the plan, which may lie ahead
    ATTENDANCE = "attendance"
    PARAGRAPH = "paragraph"
    VOTE = "vote"
    JUSTERAD = "justerad"
    POSTED = "posted"
    CORRECTED = "corrected"
    DELEGATED = "delegated"
    REPORTED = "reported"  # an anmälningsärende received
    KALLELSE = "kallelse"
    IOP_NOTICE = "iop_notice"
    IOP_EVALUATED = "iop_evaluated"
    SEAT = "seat"  # a member's seat from a day, which may lie ahead


@dataclass(frozen=True)
class Rule:
    en: str  # the fact as a message names it: "the justering"
    sv: str
    after: tuple[Fact, ...] = ()  # the recorded facts it may not precede
    future: bool = False  # a plan: may lie after today


RULES: dict[Fact, Rule] = {
    Fact.RECEIVED: Rule("the day it was received", "inkomstdagen"),
    Fact.REGISTERED: Rule("the registration", "registreringen", after=(Fact.RECEIVED,)),
    Fact.HANDLING: Rule("the handling's registration", "handlingens registrering", after=(Fact.REGISTERED,)),
    Fact.APPOINTED: Rule("the appointment", "utnämningen", after=(Fact.REGISTERED,)),
    Fact.DRAFTED: Rule("the officer's report", "tjänsteskrivelsen", after=(Fact.REGISTERED,)),
    Fact.FSG: Rule("FSG", "FSG", after=(Fact.REGISTERED,)),
    Fact.MEETING: Rule("the meeting", "sammanträdet", after=(Fact.DRAFTED,)),
    Fact.PLANNED: Rule("the planned meeting", "det planerade sammanträdet", future=True),
    Fact.ATTENDANCE: Rule("the närvaro", "närvaron"),
    Fact.PARAGRAPH: Rule("the §", "paragrafen"),
    Fact.VOTE: Rule("the vote", "omröstningen"),
    Fact.JUSTERAD: Rule("the justering", "justeringen", after=(Fact.MEETING,)),
    Fact.POSTED: Rule("the notice", "anslaget", after=(Fact.JUSTERAD,)),
    Fact.CORRECTED: Rule("the correction", "rättelsen", after=(Fact.JUSTERAD,)),
    Fact.DELEGATED: Rule("the delegationsbeslut", "delegationsbeslutet"),
    Fact.REPORTED: Rule("the anmälningsärende", "anmälningsärendet"),
    Fact.KALLELSE: Rule("the kallelse", "kallelsen"),
    Fact.IOP_NOTICE: Rule("the notice of termination", "uppsägningen", after=(Fact.REGISTERED,)),
    Fact.IOP_EVALUATED: Rule("the evaluation", "utvärderingen", after=(Fact.REGISTERED,)),
    Fact.SEAT: Rule("the seat", "uppdraget", future=True),
}

# Facts that exist only at a held meeting: dated by the meeting's day.
AT_THE_MEETING = frozenset({Fact.MEETING, Fact.ATTENDANCE, Fact.PARAGRAPH, Fact.VOTE})


class ClockError(InvalidInput):
    """A fact dated after today, or before a fact it follows."""


def check(
    fact: Fact,
    day: dt.date,
    *,
    today: dt.date,
    field: str = "date",
    earlier: Mapping[Fact, dt.date | None] | None = None,
) -> None:
    """Refuse `day` for `fact` when it lies after `today` (unless the fact is a plan) or
    before one of the recorded `earlier` facts the table says it follows."""
    rule = RULES[fact]
    if day > today and not rule.future:
        if fact in AT_THE_MEETING:
            raise ClockError(
                field,
                f"the meeting of {day} has not been held yet (today is {today}); {rule.en} is recorded at or after it",
                sv=f"sammanträdet {day} har inte hållits än (i dag är {today}); {rule.sv} registreras när det hållits",
            )
        raise ClockError(
            field,
            f"{day} is after today ({today}); {rule.en} cannot be dated in the future",
            sv=f"{day} är efter i dag ({today}); {rule.sv} kan inte dateras framåt i tiden",
        )
    for before in rule.after:
        bound = (earlier or {}).get(before)
        if bound is not None and day < bound:
            what = RULES[before]
            raise ClockError(
                field,
                f"{day} is before {what.en} ({bound})",
                sv=f"{day} är före {what.sv} ({bound})",
            )


def check_kallelse(sent: dt.date, meeting: dt.date, *, today: dt.date, field: str = "sent") -> None:
    """A kallelse is sent by today, on or before its meeting, and not months ahead of it."""
    check(Fact.KALLELSE, sent, today=today, field=field)
    if sent > meeting:
        raise ClockError(
            field,
            f"{sent} is after the meeting ({meeting}); a kallelse goes out before it",
            sv=f"{sent} är efter sammanträdet ({meeting}); kallelsen skickas före",
        )
    if sent < meeting - KALLELSE_EARLIEST:
        raise ClockError(
            field,
            f"{sent} is more than {KALLELSE_EARLIEST.days} days before the meeting ({meeting})",
            sv=f"{sent} är mer än {KALLELSE_EARLIEST.days} dagar före sammanträdet ({meeting})",
        )


def visible_on(posted: dt.date | None, today: dt.date) -> bool:
    """A notice shows on the anslagstavla from its posting day, never before."""
    return posted is not None and posted <= today
