"""What differs between errand types, as hooks on the shared chain of steps.

Every type runs the same steps (assign, draft, FSG, decision, justering, anslag,
expediering, close); a type contributes only its rules for the officer's report, the
documents it produces and sends, and what must hold before the errand can close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from arende.rules.procedure import AppealRoute
from db.models import Decision, Document, Errand


@dataclass(frozen=True)
class ReportInput:
    """The type-specific part of an officer's report as the user gave it."""

    stance: str | None = None
    responses: dict[int, str] | None = None


@dataclass(frozen=True)
class ReportPart:
    """What a type's rules make of it: stored on the report."""

    stance: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    default_decision: str | None = None


# (session, errand, decision or None, date) -> the registered document
DocumentBuilder = Callable[[Session, Errand, Decision | None, dt.date], Document]


def _no_rules(session: Session, errand: Errand, given: ReportInput) -> ReportPart:
    return ReportPart()


def _always_ready(session: Session, errand: Errand) -> str | None:
    return None


@dataclass(frozen=True)
class ErrandType:
    name: str
    label_sv: str
    check_report: Callable[[Session, Errand, ReportInput], ReportPart] = _no_rules
    # Produced with the report, as beslutsunderlag (e.g. the agreement to approve).
    draft_documents: tuple[DocumentBuilder, ...] = ()
    # Sent at expediering ahead of the protocol extract (e.g. the reply itself).
    outgoing_documents: tuple[DocumentBuilder, ...] = ()
    # None when the errand may close; otherwise what it waits for.
    ready_to_close: Callable[[Session, Errand], str | None] = _always_ready
    # After the decision has gone out (e.g. an agreement comes into force).
    on_expedited: Callable[[Session, Errand, dt.date], None] | None = None
    # The start form (a pydantic model with `verb`: its CLI command and Prefect form) and
    # the function that registers it once: (session, start, registered_on=, who=) ->
    # (errand, created). The CLI command and the registration task derive from these.
    start_model: type[Any] | None = None
    register: Callable[..., tuple[Errand, bool]] | None = None
    # How its decision is appealed (a § may say otherwise: Decision.appeal_route). A
    # yttrande to another organ prepares that organ's decision: not appealable, KL 13:2.
    appeal: AppealRoute = AppealRoute.LAGLIGHETSPROVNING
    # Whether the report must open with a Sammanfattning: a remiss's sender asks for one
    # (KS: "Nämndens yttrande skall innehålla en kort sammanfattning"); most of the seed's
    # tjänsteskrivelser have only "Ärendet i sin helhet".
    summary_required: bool = False
