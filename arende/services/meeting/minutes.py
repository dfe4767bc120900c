"""What the protocol says of a §'s jäv and vote (KL 5:67, 6:28–32): who left and who
served in their place; the voteringsproposition, each vote in upprop order with the
ersättare marked, the count, and how a tie was settled."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arende.rules.workflow import Choice
from arende.services.meeting.jav import jav_entries, serving_in
from arende.services.meeting.votes import vote_result
from db.models import Decision, Meeting, Person, Vote

_ORGAN_WORD = {"nämnd": "Nämnden", "styrelse": "Styrelsen", "fullmäktige": "Fullmäktige", "revision": "Revisionen"}


def who(person: Person | None) -> str:
    if person is None:
        return ""
    return f"{person.name} ({person.party})" if person.party else person.name


def jav_lines(session: Session, decision: Decision) -> list[str]:
    out = []
    for entry in jav_entries(session, decision):
        member = session.get(Person, entry.person_id) if entry.person_id else None
        line = f"{who(member)} anmäler jäv och deltar inte i handläggningen."
        if entry.substitute_person_id:
            line += f" {who(session.get(Person, entry.substitute_person_id))} tjänstgör i hens ställe under paragrafen."
        elif member is not None and entry.substitute_person_id is None and _was_serving(session, decision, member):
            line += " Ingen ersättare fanns att tjänstgöra i hens ställe."
        out.append(line)
    return out


def _was_serving(session: Session, decision: Decision, member: Person) -> bool:
    from arende.services.meeting.attendance import serving_ids

    return member.id in serving_ids(session, decision.meeting)


def vote_context(session: Session, meeting: Meeting, decision: Decision) -> dict[str, Any]:
    """`vote_proposition`: what ja and nej stood for; `votes`: one row per voter in upprop
    order (name, who an ersättare serves for, an X under ja, nej or avstår);
    `vote_summary`: the count, how a tie was settled, and the result."""
    choices = dict(session.execute(select(Vote.person_id, Vote.choice).where(Vote.decision_id == decision.id)).all())
    if not choices:
        return {"votes": [], "vote_proposition": "", "vote_summary": ""}
    rows = []
    for voter in serving_in(session, meeting, decision):
        choice = choices.get(voter.person_id)
        if choice is None:
            continue
        person = session.get(Person, voter.person_id)
        role = ""
        if voter.replaces:
            role = f"ersättare för {voter.replaces}" + (" (jäv)" if voter.for_jav else "")
        rows.append(
            {
                "name": who(person),
                "role": role,
                "ja": "X" if choice == Choice.JA.value else "",
                "nej": "X" if choice == Choice.NEJ.value else "",
                "avstar": "X" if choice == Choice.AVSTAR.value else "",
                "choice": choice,
            }
        )
    result = vote_result(session, meeting, decision)
    proposition = (
        f"Voteringsproposition: ja för {decision.vote_ja_for}, nej för {decision.vote_nej_for}."
        if decision.vote_ja_for and decision.vote_nej_for
        else ""
    )
    lines = []
    lines.append(
        f"Omröstningen utfaller med {result.ja} ja-röster mot {result.nej} nej-röster"
        + (f"; {result.avstar} avstår." if result.avstar else ".")
    )
    side = "ja" if result.winner is Choice.JA else "nej"
    stood_for = decision.vote_ja_for if result.winner is Choice.JA else decision.vote_nej_for
    if result.casting:
        lines.append(f"Lika röstetal: ordförandens utslagsröst avgör, för {side}.")
    elif result.lot:
        lines.append(f"Lika röstetal: lotten avgör valet och faller på {side}.")
    organ = _ORGAN_WORD.get(meeting.organ.kind, "Nämnden")
    lines.append(f"{organ} har beslutat enligt {side}-förslaget" + (f", {stood_for}." if stood_for else "."))
    return {"votes": rows, "vote_proposition": proposition, "vote_summary": " ".join(lines)}
