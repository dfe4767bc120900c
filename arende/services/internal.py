"""Errands the office opens itself (an annual report, a follow-up, an agreement):
registered with a drawn-up first document instead of an incoming one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.rules.clock import Fact
from arende.rules.workflow import Direction, ErrandStatus, Step
from arende.services.common import (
    audit,
    check_classification,
    complete_step,
    get_errand,
    get_organ,
    keep_to_clock,
    organ_email,
    set_deadline,
)
from arende.services.diary import allocate_number, register_document
from db.models import Errand, Recipient


def register_internal(
    session: Session,
    *,
    organ_code: str,
    errand_type: str,
    title: str,
    key: str,
    registered_on: dt.date,
    recipients: list[str],
    classification: str | None = None,
    details: dict[str, Any] | None = None,
    parent_dnr: str | None = None,
    counterpart: str | None = None,
    fsg_required: bool = False,
    deadline: tuple[str, str, dt.date] | None = None,
    who: str | None = None,
) -> tuple[Errand, bool]:
    """Register once per (organ, type, key): the key says what makes the errand unique
    (the year of an annual report, the title of a follow-up), so a retry finds it."""
    organ = get_organ(session, organ_code, lock=True)
    key = " ".join(key.split()).upper()
    existing = session.scalar(
        select(Errand).where(
            Errand.organ_id == organ.id, Errand.errand_type == errand_type, Errand.external_ref_key == key
        )
    )
    if existing is not None:
        return existing, False
    keep_to_clock(Fact.REGISTERED, registered_on, field="registered_on")
    check_classification(session, classification)
    parent = get_errand(session, parent_dnr) if parent_dnr else None
    errand = Errand(
        organ_id=organ.id,
        errand_type=errand_type,
        prefix=organ.code,
        year=registered_on.year,
        seq=allocate_number(session, organ.code, registered_on.year),
        classification_code=classification,
        title=title,
        status=ErrandStatus.REGISTERED.value,
        registered_on=registered_on,
        fsg_required=fsg_required,
        counterpart=counterpart,
        external_ref_key=key,
        details=details or {},
        parent_id=parent.id if parent else None,
    )
    errand.organ = organ
    session.add(errand)
    session.flush()
    audit(
        session,
        "errand.registered",
        errand_id=errand.id,
        after={"dnr": errand.dnr, "type": errand_type, "parent": parent.dnr if parent else None},
        who=who,
    )
    for position, name in enumerate(recipients, start=1):
        session.add(
            Recipient(errand_id=errand.id, position=position, name=name.strip(), email=organ_email(session, name))
        )
    register_document(
        session,
        errand,
        registered_on=registered_on,
        direction=Direction.DRAWN_UP,
        counterpart=organ.office or organ.name,
        description=f"Ärendet öppnat: {title}",
        who=who,
    )
    complete_step(session, errand, Step.REGISTER, done_on=registered_on, who=who or "flow")
    if deadline is not None:
        kind, label, due = deadline
        set_deadline(session, errand.id, Step.EXPEDIERING, kind, label, due)
    return errand, True
