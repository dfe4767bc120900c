"""Gallring: the files of handlingar whose period in the organ's informationshanteringsplan
has run out are deleted; their diary rows stay, and a log row records what went (Dnr,
handling, kind, the rule, the plan's version and decision, who, when, the deleted file's
SHA-256). Only closed errands are considered, never one under a gallringsstopp (a hold:
a request for the documents, an appeal), never a handling the plan keeps.

The log rows and the emptied diary rows are committed first; the files are deleted after
the commit (a run killed in between leaves files no row names, never a row naming a file
that is gone); `dispose` returns the paths for the caller to delete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.errors import Conflict
from arende.rules.disposal import DISPOSE, Plan, due_on
from db.models import DisposalLog, Document, Errand
from db.models.base import stored_path

HOLD = "gallringsstopp"


@dataclass(frozen=True)
class Due:
    document_id: int
    dnr: str
    number: int
    description: str
    kind: str | None
    rule: str
    due_on: dt.date


def due(session: Session, plan: Plan, today: dt.date) -> list[Due]:
    """What the plan lets go of on `today`, errand by errand."""
    from arende.services.common import get_organ

    organ = get_organ(session, plan.organ)
    found = []
    rows = session.execute(
        select(Document, Errand)
        .join(Errand, Errand.id == Document.errand_id)
        .where(
            Errand.organ_id == organ.id,
            Errand.status == "closed",
            Errand.closed_at.is_not(None),
            Document.storage_path.is_not(None),
        )
        .order_by(Errand.year, Errand.seq, Document.number)
    )
    for doc, errand in rows:
        if errand.details.get(HOLD):
            continue
        rule = plan.rule_for(errand.classification_code, doc.kind)
        if rule is None or rule.action != DISPOSE:
            continue
        assert errand.closed_at is not None  # selected so
        day = due_on(rule, errand.closed_at.date())
        if day <= today:
            found.append(Due(doc.id, errand.dnr, doc.number, doc.description, doc.kind, rule.text, day))
    return found


def dispose(session: Session, plan: Plan, today: dt.date, who: str) -> tuple[list[Due], list[Path]]:
    """Empty the due handlingar's file references and log each; the files to delete."""
    items = due(session, plan, today)
    paths = []
    for item in items:
        doc = session.get(Document, item.document_id, with_for_update=True)
        assert doc is not None
        original, copy = stored_path(doc.storage_path), stored_path(doc.archive_path)
        digest = doc.sha256 or (
            hashlib.sha256(original.read_bytes()).hexdigest() if original is not None and original.is_file() else None
        )
        paths += [p for p in (original, copy) if p is not None]
        session.add(
            DisposalLog(
                document_id=doc.id,
                dnr=item.dnr,
                document_number=item.number,
                kind=item.kind,
                rule=item.rule,
                plan_version=plan.version,
                decision=plan.decision,
                who=who,
                sha256=digest,
            )
        )
        doc.storage_path = None
        doc.archive_path = None
    return items, paths


def delete_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def hold(session: Session, dnr: str, *, reason: str | None, who: str) -> None:
    """A gallringsstopp on the errand (reason given) or lifted (None)."""
    from arende.services.common import audit, get_errand

    errand = get_errand(session, dnr, lock=True)
    details: dict[str, Any] = dict(errand.details)
    if reason is None:
        if HOLD not in details:
            raise Conflict("dnr", f"{errand.dnr} has no gallringsstopp", sv=f"{errand.dnr} har inget gallringsstopp")
        details.pop(HOLD)
    else:
        details[HOLD] = {"reason": " ".join(reason.split())[:500], "by": who, "on": dt.date.today().isoformat()}
    errand.details = details
    audit(session, "errand.disposal_hold", errand_id=errand.id, after={"hold": reason}, who=who)


def log_rows(session: Session, organ: str | None = None) -> list[DisposalLog]:
    stmt = select(DisposalLog).order_by(DisposalLog.id)
    if organ:
        stmt = stmt.where(DisposalLog.dnr.startswith(organ.upper() + " "))
    return list(session.scalars(stmt))
