"""Where a protocol's signing rounds stand: the latest round, the signed protocol, and
the lines the CLI and the web page show (arende.services.meeting.sign_round signs)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.errors import Conflict
from arende.services.meeting.sign_round import ROLE_SV, _part, signatories_of
from arende.swedish import long_date
from db.models import Meeting, SigningRound


def find_latest(session: Session, meeting: Meeting, paragraph: int | None = None) -> SigningRound | None:
    """The protocol's (or the OJ § `paragraph`'s) latest round, whatever its state."""
    return session.scalars(
        select(SigningRound)
        .where(SigningRound.meeting_id == meeting.id, _part(paragraph))
        .order_by(SigningRound.id.desc())
    ).first()


def latest_round(session: Session, meeting: Meeting, paragraph: int | None = None) -> SigningRound:
    round_ = find_latest(session, meeting, paragraph)
    if round_ is None:
        raise Conflict(
            "meeting",
            f"the protocol of {meeting.held_on} has not been sent for digital justering",
            sv="protokollet har inte skickats för digital justering",
        )
    return round_


def latest_signed(session: Session, meeting: Meeting) -> SigningRound | None:
    """The completed round whose signed PDF is the meeting's protocol, if any."""
    return session.scalars(
        select(SigningRound)
        .where(SigningRound.meeting_id == meeting.id, SigningRound.status == "completed", _part(None))
        .order_by(SigningRound.id.desc())
    ).first()


def round_lines(session: Session, meeting: Meeting, paragraph: int | None = None) -> list[str]:
    """Where the latest round stands, for the CLI and the page."""
    round_ = find_latest(session, meeting, paragraph)
    if round_ is None:
        return ["inte utskickat för digital justering"]
    said = {"open": "ute för underskrift", "completed": "justerat digitalt", "rejected": "avvisat"}
    lines = [f"omgång {round_.id}: {said[round_.status]} (startad {long_date(round_.started_on)})"]
    for s in signatories_of(session, round_):
        when = s.signed_at.astimezone().strftime("%Y-%m-%d %H:%M") if s.signed_at else "väntar"
        lines.append(f"  {ROLE_SV[s.role]}: {s.name} – {when}")
    if round_.status == "rejected":
        lines.append(f"  avvisat av {round_.rejected_by}: {round_.rejected_comment}")
    return lines
