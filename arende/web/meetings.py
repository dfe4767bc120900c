"""One meeting's page: its föredragningslista, närvaro, § and documents and the commands
of its state, the närvaro and votes as a secretary fills them in, and the PDF/A copies.
The year's meetings and an organ's page are in arende.web.organs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from arende.commands.fields import Command
from arende.errors import ArendeError
from arende.web.app import Ctx, page, problem_sv, refuse, render, see_other
from arende.web.common import (
    COMMANDS,
    MEETING_COMMANDS,
    PRESENCE_SV,
    apply_posted,
    command_form,
    day_of,
    document_file,
    errand_url,
    file_ref,
    meeting_row,
    meeting_url,
    safe_next,
    verb_of,
)
from arende.web.forms import validate_all, values_from

# --- One meeting ---------------------------------------------------------------------------

_MEETING_ORDER = (
    "meeting-agenda",
    "meeting-item",
    "meeting-move",
    "meeting-kallelse",
    "meeting-attendance",
    "meeting-paragraph",
    "meeting-entry",
    "meeting-vote",
    "justera",
    "anslag",
    "meeting-correct",
    "meeting-cancel",
)


# Before it is held, the föredragningslista and the kallelse; a § recorded at a planned
# meeting holds it (the `decide` shortcut), so the meeting's own facts too.
_BEFORE = (
    "meeting-agenda",
    "meeting-item",
    "meeting-move",
    "meeting-kallelse",
    "meeting-attendance",
    "meeting-paragraph",
    "meeting-entry",
    "meeting-vote",
    "meeting-cancel",
)
# What can be recorded at each point of the meeting's life (arende.rules.lifecycles.MeetingState):
# the services refuse the rest anyway; the page does not offer it.
_MEETING_NOW: dict[str, tuple[str, ...]] = {
    "planned": _BEFORE,
    "kallad": _BEFORE,
    # anslag: of a § declared omedelbart justerad, before the whole protocol is.
    "held": ("meeting-attendance", "meeting-paragraph", "meeting-entry", "meeting-vote", "justera", "anslag"),
    "justerad": ("anslag", "meeting-correct"),
    "anslagen": ("meeting-correct",),
}


def _meeting_fixed(model: type[Command], organ: str, held_on: dt.date) -> dict[str, str]:
    return {"organ": organ, ("meeting" if "meeting" in model.model_fields else "date"): held_on.isoformat()}


def _meeting_page(ctx: Ctx, failed: dict[str, Any] | None = None, status: int = 200) -> Response:
    from arende.services.meeting.agenda import items_of
    from arende.services.meeting.attendance import attendance_of
    from arende.services.meeting.plan import find_meeting
    from arende.services.meeting.proceedings import paragraphs_of
    from db.models import Document, Errand
    from db.session import read_scope

    organ, held_on = _meeting_key(ctx)
    base = meeting_url(organ, held_on)
    with read_scope() as session:
        meeting = find_meeting(session, organ, held_on)
        by_item = {d.agenda_item_id: d for d in paragraphs_of(session, meeting) if d.agenda_item_id}
        items = []
        for item in items_of(session, meeting):
            e = session.get(Errand, item.errand_id) if item.errand_id else None
            done = by_item.get(item.id)
            items.append(
                {
                    "position": item.position,
                    "heading": item.heading,
                    "dnr": e.dnr if e else None,
                    "url": errand_url(e.dnr) if e else None,
                    "paragraph": done.paragraph if done else None,
                    "outcome": done.outcome if done else None,
                }
            )
        attendance = [
            {"function": PRESENCE_SV.get(a.function, a.function), "name": a.name, "title": a.title}
            for a in attendance_of(session, meeting)
        ]
        paragraphs = [
            {"paragraph": d.paragraph, "text": d.text, "immediate": d.immediate}
            for d in paragraphs_of(session, meeting)
        ]
        documents = [
            {
                "number": d.number,
                "description": d.description,
                "registered_on": d.registered_on,
                "url": f"{base}/dokument/{d.id}",
                "pdf": f"{base}/dokument/{d.id}.pdf" if d.archive_path else None,
            }
            for d in session.scalars(
                select(Document).where(Document.meeting_id == meeting.id).order_by(Document.number)
            )
        ]
        forms = [
            command_form(
                COMMANDS[s],
                f"{base}/{s}",
                fixed=_meeting_fixed(COMMANDS[s], organ, held_on),
                failed=failed,
                key=s,
                submit=COMMANDS[s].title_sv,
            )
            for s in _MEETING_ORDER
            if ctx.may(verb_of(COMMANDS[s]))
            # a refused form is shown with its mistakes even when this state does not offer it
            and (s in _MEETING_NOW.get(meeting.status, ()) or s == (failed or {}).get("key"))
            and s not in ("meeting-attendance", "meeting-vote")  # their own forms, below
        ]
        now = _MEETING_NOW.get(meeting.status, ())
        posted = (failed or {}).get("values", {})
        attendance_form = (
            _attendance_form(session, meeting, posted if (failed or {}).get("key") == "narvaro" else None)
            if "meeting-attendance" in now and ctx.may("meeting attendance")
            else None
        )
        vote_form = None
        if "meeting-vote" in now and ctx.may("meeting vote") and paragraphs:
            from arende.services.meeting.attendance import may_vote

            again = posted if (failed or {}).get("key") == "votering" else {}
            vote_form = {
                "paragraphs": [p["paragraph"] for p in paragraphs],
                "voters": may_vote(session, meeting),
                "ja_for": again.get("ja_for", ""),
                "nej_for": again.get("nej_for", ""),
                "chosen": {k: v for k, v in again.items() if k.startswith("v")},
                "paragraph": again.get("paragraph", ""),
            }
        failed = failed or {}
        info = meeting_row(meeting) | {
            "justering_at": meeting.justering_at,
            "justerad_on": meeting.justerad_on,
            "anslag_posted_on": meeting.anslag_posted_on,
            "anslag_removed_on": meeting.anslag_removed_on,
            "appeal_ends_on": meeting.appeal_ends_on,
            "chair": meeting.chair,
            "justerare": ", ".join(meeting.justerare or []),
            "secretary": meeting.secretary,
        }
        return render(
            ctx,
            "meeting.html",
            status=status,
            meeting=info,
            items=items,
            attendance=attendance,
            paragraphs=paragraphs,
            documents=documents,
            forms=forms,
            attendance_form=attendance_form,
            vote_form=vote_form,
            form_error=(failed.get("key"), failed.get("errors", {}).get("__all__")),
            base=base,
            can_write=ctx.may("meeting paragraph"),
            # The protokoll follows a held meeting with its §; the notice, its posting.
            can_protocol=meeting.status in ("held", "justerad", "anslagen") and bool(paragraphs),
            can_notice=meeting.anslag_posted_on is not None,
            done=ctx.query.get("klart"),
        )


@page()
def meeting(ctx: Ctx) -> Response:
    return _meeting_page(ctx)


@page()
def meeting_command(ctx: Ctx) -> Response:
    slug = ctx.path["verb"]
    model = MEETING_COMMANDS.get(slug)
    if model is None:
        return refuse(ctx, 404, "Det finns ingen sådan åtgärd.")
    if not ctx.may(verb_of(model)):
        return refuse(ctx, 403, "Din roll får inte göra detta.")
    organ, held_on = _meeting_key(ctx)
    _, failed = apply_posted(ctx, model, _meeting_fixed(model, organ, held_on))
    if failed:
        return _meeting_page(ctx, failed, status=422)
    return see_other(f"{meeting_url(organ, held_on)}?klart={slug}")


@page(need="meeting paragraph")
def meeting_paper(ctx: Ctx) -> Response:
    """Write the protokoll or the notice as it stands now, then open it."""
    from arende.services.common import today
    from arende.services.meeting.papers import write_notice, write_protocol
    from db.session import session_scope

    organ, held_on = _meeting_key(ctx)
    which = ctx.path["paper"]
    if which not in ("protokoll", "anslag"):
        return refuse(ctx, 404, "Det finns ingen sådan handling.")
    try:
        with session_scope() as session:
            if which == "protokoll":
                doc, _ = write_protocol(session, organ, held_on, on=today())
            else:
                doc, _, _ = write_notice(session, organ, held_on)
            doc_id = doc.id
    except ArendeError as exc:
        return refuse(ctx, 409, problem_sv(exc))
    return see_other(f"{meeting_url(organ, held_on)}/dokument/{doc_id}")


@page()
def meeting_document(ctx: Ctx) -> Response:
    from db.models import Document
    from db.session import read_scope

    ref = file_ref(str(ctx.path["ident"]))
    if ref is None:
        return refuse(ctx, 404, "Det finns ingen sådan handling.")
    with read_scope() as session:
        doc = session.get(Document, ref[0])
        if doc is None or doc.meeting_id is None:
            return refuse(ctx, 404, "Det finns ingen sådan handling.")
        return document_file(ctx, doc, ref[1])


@page(need="meeting paragraph")
def archive_now(ctx: Ctx) -> Response:
    """PDF/A copies of what is not archived yet (`arende archive`), in one LibreOffice run."""
    from arende.services.archive import archive_pending

    result = archive_pending()
    if result.missing_libreoffice:
        return refuse(ctx, 503, "LibreOffice finns inte på servern; inga PDF/A-exemplar kunde skrivas.")
    back = safe_next(str(ctx.form.get("next", "")) if ctx.form else "/")
    return see_other(back + ("&" if "?" in back else "?") + f"klart=arkiv&antal={result.converted}")


# --- Närvaro and omröstning as a secretary fills them in ---------------------------------------
# The generic forms of RecordAttendance and RecordVote take names typed one per line; at the
# meeting the secretary has the organ's members in front of them. These two forms list
# them, and build the same commands of the vocabulary from the choices.

_ABSENT, _PRESENT, _SUBSTITUTE = "franvarande", "narvarande", "ersattare"


def _attendance_form(session: Any, meeting: Any, posted: dict[str, str] | None = None) -> dict[str, Any]:
    from arende.rules.workflow import ROLE_SV, Role
    from arende.services.meeting.attendance import attendance_of
    from arende.services.meeting.members import seats_on
    from db.models import Person

    recorded = {a.name: a for a in attendance_of(session, meeting)}
    names = {p.id: p.name for p in session.scalars(select(Person))} if recorded else {}
    seats = seats_on(session, meeting.organ, meeting.held_on)
    members = [s.person.name for s in seats if s.serving]
    rows = []
    for i, seat in enumerate(seats):
        row = recorded.get(seat.person.name)
        if seat.serving:
            options = [(_PRESENT, "Närvarande"), (_ABSENT, "Frånvarande")]
            chosen = _ABSENT if row is not None and row.function == "franvarande" else _PRESENT
        else:
            options = [(_ABSENT, "Inte närvarande"), (_SUBSTITUTE, "Närvarande ersättare")]
            options += [(f"for:{m}", f"Tjänstgör för {m}") for m in members]
            chosen = _ABSENT
            if row is not None and row.function == "tjanstgorande" and row.replaces_person_id in names:
                chosen = f"for:{names[row.replaces_person_id]}"
            elif row is not None and row.function == "ersattare":
                chosen = _SUBSTITUTE
        if posted is not None and posted.get(f"p{i}") in {value for value, _ in options}:
            chosen = posted[f"p{i}"]  # as the refused form had it
        rows.append(
            {
                "key": f"p{i}",
                "name": seat.person.name,
                "role": ROLE_SV[Role(seat.role)].capitalize(),
                "party": seat.person.party,
                "options": options,
                "chosen": chosen,
            }
        )
    others = "\n".join(
        f"{a.name}, {a.title}" if a.title else a.name for a in recorded.values() if a.function == "ovrig"
    )
    return {"rows": rows, "others": others}


def _meeting_key(ctx: Ctx) -> tuple[str, dt.date]:
    """The meeting the address names: its organ and day."""
    return str(ctx.path["organ"]).upper(), day_of(str(ctx.path["date"]), "date")


def _record(ctx: Ctx, model: Any, data: dict[str, Any], key: str) -> Response:
    """Apply the command these choices make; its mistakes, all of them, above the form."""
    from arende.commands.handlers import apply

    command, errors = validate_all(model, data)
    if not errors:
        try:
            apply(command)
        except ArendeError as exc:
            errors = {"__all__": problem_sv(exc)}
    if errors:
        fields = model.model_fields
        message = "; ".join(
            v if k == "__all__" else f"{fields[k].title if k in fields and fields[k].title else k}: {v}"
            for k, v in errors.items()
        )
        # What the secretary chose stays chosen (the votes, the närvaro) beside the message.
        posted = values_from(ctx.form) if ctx.form is not None else {}
        return _meeting_page(ctx, {"key": key, "values": posted, "errors": {"__all__": message}}, status=422)
    return see_other(f"{meeting_url(data['organ'], dt.date.fromisoformat(data['date']))}?klart={key}")


@page(need="meeting attendance")
def meeting_attendance(ctx: Ctx) -> Response:
    """The närvaro from the members' list: one RecordAttendance command."""
    from arende.commands.meeting import RecordAttendance
    from arende.services.meeting.members import seats_on
    from arende.services.meeting.plan import find_meeting
    from db.session import read_scope

    assert ctx.form is not None
    organ, held_on = _meeting_key(ctx)
    with read_scope() as session:
        meeting = find_meeting(session, organ, held_on)
        # In the order the form lists them (p0, p1, ...).
        seats = [(s.person.name, s.serving) for s in seats_on(session, meeting.organ, held_on)]
    data: dict[str, Any] = {"organ": organ, "date": held_on.isoformat(), "present": [], "serving": [], "ersattare": []}
    for i, (name, member) in enumerate(seats):
        choice = str(ctx.form.get(f"p{i}", _ABSENT))
        if choice == _PRESENT and member:
            data["present"].append(name)
        elif choice == _SUBSTITUTE and not member:
            data["ersattare"].append(name)
        elif choice.startswith("for:") and not member:
            data["serving"].append(f"{name}={choice[4:]}")
    data["other"] = [x.strip() for x in str(ctx.form.get("other", "")).splitlines() if x.strip()]
    return _record(ctx, RecordAttendance, data, "narvaro")


@page(need="meeting vote")
def meeting_vote(ctx: Ctx) -> Response:
    """An open vote on a §: each serving member's ja, nej or avstår, as one RecordVote."""
    from arende.commands.meeting import RecordVote
    from arende.services.meeting.attendance import may_vote
    from arende.services.meeting.plan import find_meeting
    from db.session import read_scope

    assert ctx.form is not None
    organ, held_on = _meeting_key(ctx)
    with read_scope() as session:
        voters = may_vote(session, find_meeting(session, organ, held_on))
    votes: dict[str, list[str]] = {"ja": [], "nej": [], "avstar": []}
    for i, name in enumerate(voters):
        choice = str(ctx.form.get(f"v{i}", ""))
        if choice in votes:
            votes[choice].append(name)
    data = {
        "organ": organ,
        "date": held_on.isoformat(),
        "paragraph": ctx.form.get("paragraph") or None,
        "ja_for": str(ctx.form.get("ja_for", "")),
        "nej_for": str(ctx.form.get("nej_for", "")),
        **votes,
    }
    return _record(ctx, RecordVote, data, "votering")
